#!/usr/bin/env python3
"""Writes reference_cases.json: what Python's jinja2, set up as Hugging Face transformers renders
chat templates, produces for
  - "features": short templates exercising one construct each (filters, tests, methods, scoping,
    whitespace control, undefined handling, the errors Jinja2 raises), and
  - "templates": every template in ../shared/templates rendered with richer conversations than the
    shared cases have (tools, tool calls with dict and string arguments, tool results, reasoning,
    an empty conversation), with and without tools.
test_reference_cases.cpp checks Lathe's interpreter against it.

  python3 tests/template/make_reference_cases.py ../shared/templates > tests/template/reference_cases.json

Needs jinja2 (3.1.x). A case where Python runs out of recursion (RecursionError) is kept: Lathe must
stop it with its macro-depth limit instead.
"""
import glob
import json
import os
import sys
from datetime import datetime

import jinja2
from jinja2.exceptions import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


ENV = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
ENV.filters["tojson"] = tojson
ENV.globals["raise_exception"] = raise_exception
ENV.globals["strftime_now"] = lambda fmt: datetime(2024, 7, 26).strftime(fmt)


def render(source, context):
    try:
        return {"expected": ENV.from_string(source).render(**context), "error": None}
    except RecursionError:
        return {"expected": None, "error": {"type": "RecursionError", "message": "maximum recursion depth exceeded"}}
    except Exception as e:  # noqa: BLE001 - every error is a reference outcome
        return {"expected": None, "error": {"type": type(e).__name__, "message": str(e)}}


# ---- Features: (template, context) pairs; the context also holds messages=[],
# add_generation_prompt=False, tools=None, documents=None as transformers passes them.

CONTEXT = {"d": {"a": 1, "b": [1, 2], "items": 5}, "l": [3, 1, 2], "s": "Hello, World", "u": "héllo wörld ß", "n": None, "t": True, "f": 1.5, "i": 7,
     "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Get the weather", "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City"}, "days": {"type": "integer"}}, "required": ["city"]}}}],
     "msgs": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}, {"role": "user", "content": "bye"}],
     "tree": [{"n": "a", "c": [{"n": "b", "c": [{"n": "c"}]}, {"n": "d"}]}, {"n": "e"}]}

FEATURES = [
 # printf-style and str.format formatting
 "{{ '%05x|%-6x|%#x|%#o|%+d|% d|%.3d|%5.3x|%x' % (-255, 255, 255, 8, 5, 5, 7, 10, -1) }}",
 "{{ '%5.1f|%-8.3e|%+g|%05.1f|%10s|%-5s|%.2s|%c|%c|%r' % (3.14159, 1234.5, 2.5, -1.25, 'é', 'x', 'abc', 'z', 65, 'q') }}",
 "{{ '%(a)s-%(b)05.2f' % {'a': 'x', 'b': 2.5} }}{{ '%s' % [1, 2] }}{{ '' % [1] }}{{ 'a%%' % () }}",
 "{{ '{:*^9}|{:+.3f}|{:,}|{:x}|{:#b}|{:08.3f}|{:>6}|{!s:3}|{}'.format('mid', 2.5, 1234567, 255, 5, -3.14159, 'é', 1, none) }}",
 "{{ '{0[1]}{1[k]}{2.a}'.format([1, 2], {'k': 'v'}, d) }}",
 "{{ '%d' % 'x' }}",
 "{{ '%s %s' % (1,) }}",
 # recursive loops
 "{% for x in tree recursive %}[{{ x.n }}{{ loop.depth }}{% if x.c %}({{ loop(x.c) }}){% endif %}]{% endfor %}",
 "{% for x in tree recursive %}{{ loop.depth0 }}{{ loop.index }}{{ loop.length }}{% if x.c %}{{ loop(x.c) }}{% endif %}{% endfor %}",
 "{% for x in tree if x.c recursive %}{{ x.n }}{% if x.c %}{{ loop(x.c) }}{% endif %}{% else %}none{% endfor %}",
 "{% for x in [1] %}{{ loop([2]) }}{% endfor %}",
 "{% for x in [1, 1, 2, 3, 3] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}{% for x in l %}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}",
 # output & literals
 "{{ 1 }}{{ 1.0 }}{{ -3 }}{{ 1e3 }}{{ 0.1 + 0.2 }}{{ 1_000 }}{{ 0x1F }}{{ 0o17 }}{{ 0b101 }}",
 "{{ 'a' 'b' }}{{ \"q\\\"x\" }}{{ 'tab\\there' }}{{ '\\u00e9\\x41\\101\\n' }}{{ 'back\\\\slash' }}{{ '\\d' }}",
 "{{ none }}{{ None }}{{ true }}{{ True }}{{ false }}{{ [] }}{{ {} }}{{ () }}{{ (1,) }}{{ (1, 2) }}",
 "{{ [1, 'a', none, true, 1.5, {'k': [1]}] }}{{ {'a': 'it\\'s', 'b': \"x\"} }}",
 "{{ 1e16 }} {{ 1e15 }} {{ 0.00001 }} {{ 0.0001 }} {{ 10/3 }} {{ 2.5e-10 }} {{ -0.0 }} {{ 1e300*1e300 }} {{ 123456789.123 }}",
 "{{ d }}{{ l }}{{ s }}{{ n }}{{ t }}{{ f }}{{ i }}",
 "{{ u }}|{{ u|upper }}|{{ u|length }}|{{ u[1] }}|{{ u[-1] }}|{{ u[1:4] }}|{{ u|reverse }}|{{ u|title }}|{{ u|capitalize }}",
 # operators
 "{{ 1 + 2 * 3 - 4 / 2 }}{{ 7 // 2 }}{{ -7 // 2 }}{{ 7 % 3 }}{{ -7 % 3 }}{{ 2 ** 3 ** 2 }}{{ -2 ** 2 }}{{ (1 + 2) * 3 }}",
 "{{ 'a' ~ 1 ~ none ~ true }}{{ 'ab' * 2 }}{{ [1] + [2] }}{{ 'a' + 'b' }}{{ 1 + 1.5 }}{{ true + true }}",
 "{{ 1 < 2 < 3 }}{{ 1 < 3 < 2 }}{{ 1 == 1.0 }}{{ 'a' != 'b' }}{{ [1,2] == [1,2] }}{{ (1,2) == [1,2] }}{{ {'a':1} == {'a':1} }}{{ 'b' > 'a' }}{{ [1,2] < [1,3] }}",
 "{{ 'a' in 'cat' }}{{ 'z' not in 'cat' }}{{ 1 in [1,2] }}{{ 'a' in {'a':1} }}{{ 3 not in l }}",
 "{{ 0 or 'x' }}{{ 1 and 'y' }}{{ none or [] }}{{ not 0 }}{{ not not 'a' }}{{ '' and 1 }}",
 "{{ 'yes' if t else 'no' }}{{ 'yes' if n else 'no' }}{{ 'a' if false }}|{{ 1 if 0 else 2 if 0 else 3 }}",
 "{{ -i }}{{ +i }}{{ -f }}{{ - - 1 }}",
 # filters with precedence
 "{{ 'a' + s | upper }}{{ -1 | abs }}{{ 2 ** 2 | string }}{{ l | length + 1 }}{{ l|sort|first }}",
 "{{ '  x  '|trim }}|{{ 'xxaxx'|trim('x') }}|{{ s|lower }}|{{ s|upper }}|{{ 'hello world'|title }}|{{ 'hELLO'|capitalize }}",
 "{{ l|join }}{{ l|join(', ') }}{{ msgs|join('|', attribute='role') }}{{ [1,[2,3]]|join('-') }}",
 "{{ d|items|list }}{% for k, v in d|items %}{{ k }}={{ v }};{% endfor %}{% for k, v in d.items() %}{{ k }}{% endfor %}",
 "{{ d|dictsort }}{{ d|dictsort(reverse=true) }}{{ {'b': 2, 'A': 1, 'a': 3}|dictsort }}{{ {'b': 2, 'a': 1}|dictsort(by='value') }}",
 "{{ l|sort }}{{ l|sort(reverse=true) }}{{ ['b','A','c']|sort }}{{ ['b','A','c']|sort(case_sensitive=true) }}{{ msgs|sort(attribute='content')|map(attribute='content')|list }}",
 "{{ l|first }}{{ l|last }}{{ 'abc'|first }}{{ []|first }}|{{ d|first }}{{ d|last }}",
 "{{ l|max }}{{ l|min }}{{ ['b','A']|max }}{{ msgs|max(attribute='content') }}{{ l|sum }}{{ l|sum(start=10) }}",
 "{{ l|reverse|list }}{{ 'abc'|reverse }}{{ l|list }}{{ 'ab'|list }}{{ d|list }}",
 "{{ [1,2,2,3,1]|unique|list }}{{ ['a','A','b']|unique|list }}{{ ['a','A','b']|unique(case_sensitive=true)|list }}{{ msgs|unique(attribute='role')|list|length }}",
 "{{ msgs|selectattr('role', 'equalto', 'user')|list|length }}{{ msgs|rejectattr('role', 'equalto', 'user')|map(attribute='content')|join }}{{ msgs|selectattr('role', '==', 'assistant')|first }}",
 "{{ [1,2,3,4]|select('odd')|list }}{{ [1,2,3,4]|reject('even')|list }}{{ [0,1,none,'',2]|select|list }}{{ [1,5,10]|select('gt', 3)|list }}{{ ['a','bb']|select('in', ['a'])|list }}",
 "{{ msgs|map(attribute='role')|list }}{{ ['a','b']|map('upper')|list }}{{ ['a b', 'c']|map('replace', ' ', '_')|list }}{{ [{}, {'x': 1}]|map(attribute='x', default='-')|list }}",
 "{{ none|selectattr('a')|list }}{{ none|map(attribute='a')|list }}{{ n|default('dflt') }}{{ missing|default('dflt') }}{{ ''|default('e', true) }}{{ 0|d(5) }}{{ 0|d(5, true) }}",
 "{{ 'a-b-c'|replace('-', '+') }}{{ 'aaa'|replace('a', 'b', 2) }}{{ 'abc'|replace('', '.') }}{{ 1234|replace('2', 'X') }}",
 "{{ 'x\\ny\\n\\nz'|indent }}|{{ 'x\\ny'|indent(2, true) }}|{{ 'x\\n\\ny'|indent(2, blank=true) }}|{{ 'x\\ny'|indent('--') }}|{{ ''|indent }}|{{ 'a\\r\\nb'|indent(1) }}",
 "{{ 3.14159|round }}{{ 3.14159|round(2) }}{{ 2.5|round }}{{ 3.5|round }}{{ 7|round }}{{ 2.12|round(1, 'ceil') }}{{ 2.18|round(1, 'floor') }}{{ -2.5|round }}",
 "{{ '42'|int }}{{ '4.7'|int }}{{ 'x'|int }}{{ 'x'|int(-1) }}{{ 3.9|int }}{{ '0x10'|int(base=16) }}{{ '  8 '|int }}{{ '3.5'|float }}{{ 'x'|float }}{{ 2|float }}{{ true|float }}",
 "{{ 'hello world, hi'|wordcount }}{{ ''|wordcount }}{{ 'héllo wörld'|wordcount }}",
 "{{ '<a href=\"x\">&\\'</a>'|e }}{{ '<b>'|escape }}{{ '<b>'|safe }}{{ none|e }}",
 "{{ 'x'|center(7) }}|{{ 'xy'|center(7) }}|{{ 'long string here'|truncate(10) }}|{{ 'long string here'|truncate(10, true) }}|{{ 'long string here'|truncate(11, false, '..', 0) }}",
 "{{ [1,2,3,4,5]|batch(2)|list }}{{ [1,2,3]|batch(2, 0)|list }}{{ [1,2,3,4,5,6,7]|slice(3)|list }}{{ [1,2,3,4]|slice(3, 'x')|list }}",
 "{{ '%s and %s'|format('a', 'b') }}{{ '%d%%'|format(50) }}{{ '%(x)s'|format(x=1) }}{{ '%5.1f|%-5s|%05d'|format(3.14159, 'ab', 42) }}",
 "{{ -3|abs }}{{ -3.5|abs }}{{ 5|string ~ 'x' }}{{ [1]|string }}{{ none|string }}{{ d|attr('a') }}{{ d|attr('zz') }}",
 "{{ l|count }}{{ 'abc'|count }}{{ d|length }}{{ missing|length }}",
 # tojson
 "{{ d|tojson }}{{ l|tojson }}{{ s|tojson }}{{ n|tojson }}{{ t|tojson }}{{ f|tojson }}{{ u|tojson }}{{ u|tojson(true) }}{{ 'a\"\\\\\\n\\t\\u0001é😀'|tojson }}",
 "{{ tools|tojson }}",
 "{{ tools|tojson(indent=4) }}",
 "{{ tools[0].function.parameters|tojson(indent=2, sort_keys=true) }}",
 "{{ d|tojson(separators=(',', ':')) }}{{ {1: 'a', none: 2, true: 3, 1.5: 4}|tojson }}{{ [[], {}, [[]]]|tojson(indent=1) }}{{ {'a': 1}|tojson(indent='\\t') }}",
 "{{ 1e20|tojson }}{{ 0.1|tojson }}{{ 10|tojson }}{{ (1, 2)|tojson }}{{ -0.0|tojson }}",
 "{{ missing|tojson }}",
 "{{ {(1,2): 1}|tojson }}",
 # tests
 "{{ n is none }}{{ missing is defined }}{{ missing is undefined }}{{ d is mapping }}{{ l is iterable }}{{ s is iterable }}{{ i is iterable }}{{ s is string }}{{ i is number }}{{ f is number }}{{ t is number }}",
 "{{ i is integer }}{{ t is integer }}{{ f is float }}{{ t is boolean }}{{ t is true }}{{ 1 is true }}{{ false is false }}{{ l is sequence }}{{ d is sequence }}{{ i is sequence }}{{ missing is iterable }}{{ missing is sequence }}",
 "{{ 4 is divisibleby 2 }}{{ 4 is divisibleby(3) }}{{ 3 is odd }}{{ 3 is even }}{{ 'a' is equalto 'a' }}{{ 2 is eq 2 }}{{ 2 is ne 2 }}{{ 1 is lt 2 }}{{ 2 is ge 2 }}{{ 'a' is in 'abc' }}{{ 2 is in l }}",
 "{{ 'abc' is lower }}{{ 'ABC' is upper }}{{ 'aBc' is lower }}{{ range is callable }}{{ 'upper' is filter }}{{ 'odd' is test }}{{ n is sameas none }}{{ t is sameas true }}",
 "{{ s is not string }}{{ n is not none }}{{ not n is none }}{{ d.a is defined and d.zz is not defined }}",
 # statements
 "{% if i > 5 %}big{% elif i > 2 %}mid{% else %}small{% endif %}{% if none %}x{% elif '' %}y{% endif %}",
 "{% for x in l %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }}:{{ x }} {% endfor %}",
 "{% for x in l %}{{ loop.previtem }}-{{ x }}-{{ loop.nextitem }} {% endfor %}{% for x in l %}{{ loop.cycle('a', 'b') }}{% endfor %}",
 "{% for x in [] %}a{% else %}empty{% endfor %}{% for x in l if x > 1 %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}",
 "{% for x in l %}{% if x == 1 %}{% continue %}{% endif %}{{ x }}{% if x == 3 %}{% break %}{% endif %}{% endfor %}",
 "{% for x in l %}{% for y in 'ab' %}{{ x }}{{ y }}{{ loop.index }}{% endfor %}{{ loop.index }};{% endfor %}",
 "{% for k in d %}{{ k }}{% endfor %}{% for c in 'hé' %}[{{ c }}]{% endfor %}{% for a, b in [[1, 2], (3, 4)] %}{{ a + b }}{% endfor %}{% for (a, b) in d|items %}{{ a }}{% endfor %}",
 "{% for x in missing %}a{% endfor %}{% for x in n %}b{% endfor %}",
 "{% set x = 5 %}{{ x }}{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set t2 = 1, 2 %}{{ t2 }}{% set y = [1, 2] %}{% set p, q = y %}{{ p }}{{ q }}",
 "{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{{ x }}{% endfor %}{{ x }}",
 "{% set ns = namespace(x=1, l=[]) %}{% for i in [1, 2, 3] %}{% set ns.x = ns.x * i %}{% set ns.l = ns.l + [i] %}{% endfor %}{{ ns.x }}{{ ns.l }}{{ ns.missing }}{{ ns }}",
 "{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}{{ ns['a'] }}",
 "{% set x %}block {{ i }}{% endset %}[{{ x }}]{% set y | upper %}up{% endset %}{{ y }}{% set z | trim | replace('a', 'b') %}  aaa  {% endset %}{{ z }}",
 "{% filter upper %}hello {{ s }}{% endfilter %}{% filter indent(2, true) | trim %}\n  a\n  b\n{% endfilter %}",
 "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}",
 "{% macro m(a, b=2, c='x') %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }}{{ m(1, 3) }}{{ m(1, c='y') }}{{ m(a=0) }}{{ m() }}",
 "{% macro m(a) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k=4) }}",
 "{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(3) }}",
 "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}",
 "{% macro outer() %}<{{ caller() }}>{% endmacro %}{% call outer() %}inside {{ i }}{% endcall %}",
 "{% macro list_it(items) %}{% for x in items %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(item) list_it([1, 2]) %}[{{ item }}]{% endcall %}",
 "{% macro m() %}{{ m.name }}{% endmacro %}{{ m() }}{{ m }}",
 "{% set x = 1 %}{% macro m() %}{{ x }}{% endmacro %}{% set x = 2 %}{{ m() }}",
 "{% macro m() %}{% set x = 3 %}{{ x }}{% endmacro %}{% set x = 5 %}{{ m() }}{{ x }}",
 "{% set ns = namespace(v=0) %}{% macro bump() %}{% set ns.v = ns.v + 1 %}{% endmacro %}{{ bump() }}{{ bump() }}{{ ns.v }}",
 "{% raw %}{{ not rendered }}{% endraw %}{%- raw -%}  {{ x }}  {%- endraw -%}",
 "{# comment #}a{#- trimmed -#}  b {#- x #}\n c",
 
 # whitespace control
 "a  {{- ' b ' -}}  c\n  {%- if true %}\n  d\n  {%- endif %}\ne",
 "  {% if true %}\n    x\n  {% endif %}\n  y  {% if true %}z{% endif %}\n",
 "line1\n    {% for x in l %}\n    {{ x }}\n    {% endfor %}\nend\n",
 "a\n  {#- c #}\n  b {%+ if true %}c{% endif %}\n  {%+ if true %}d{% endif %}",
 "{% if true %}\r\nwin\r\n{% endif %}\r\n",
 "x {% if true -%}\n\n   y{%- endif %}  \n",
 "\t{% if true %}tab{% endif %}\n   \t  {% if true %}mixed{% endif %}",
 "{{ 'a' }}\n{{ 'b' }}\n\n{% if 1 %}c{% endif %}\n\n",
 # string methods
 "{{ s.upper() }}{{ s.lower() }}{{ s.strip('H') }}{{ '  x '.lstrip() }}|{{ ' x  '.rstrip() }}|{{ s.startswith('He') }}{{ s.endswith(('d', 'x')) }}{{ s.split(', ') }}{{ ' a  b '.split() }}{{ 'a,b,c'.split(',', 1) }}{{ 'a,b,c'.rsplit(',', 1) }}",
 "{{ s.replace('l', 'L') }}{{ s.replace('l', 'L', 1) }}{{ s.find('o') }}{{ s.find('z') }}{{ u.find('w') }}{{ s.count('l') }}{{ s.title() }}{{ 'hello'.capitalize() }}{{ \"they're\".title() }}",
 "{{ '{} {}'.format(1, 2) }}{{ '{0}{1}{0}'.format('a', 'b') }}{{ '{x}!'.format(x=3) }}{{ '{:>4}|{:<4}|{:^5}|{:.2f}|{:03d}|{!r}'.format('a', 'b', 'c', 3.14159, 7, 'q') }}",
 "{{ ','.join(['a', 'b']) }}{{ 'a\\nb'.splitlines() }}{{ 'x'.zfill(3) }}{{ 'ab'.center(6, '*') }}{{ 'a-b'.partition('-') }}{{ 'abc'.removeprefix('a') }}{{ 'Hi'.swapcase() }}{{ '12'.isdigit() }}{{ 'ab'.isalpha() }}",
 "{{ d.get('a') }}{{ d.get('zz') }}{{ d.get('zz', 'dflt') }}{{ d.keys()|list }}{{ d.values()|list }}{{ d.items()|list }}{{ d['items'] }}{{ d.items is defined }}",
 "{{ l.index(1) }}{{ l.count(3) }}{{ (1, 2, 1).count(1) }}",
 # slicing & subscripts
 "{{ l[0] }}{{ l[-1] }}{{ l[1:] }}{{ l[:-1] }}{{ l[::2] }}{{ l[::-1] }}{{ l[5:] }}{{ s[0:5] }}{{ s[-5:] }}{{ s[::-1] }}{{ msgs[1:][0].role }}",
 "{{ d.a }}{{ d['a'] }}{{ d.b[1] }}{{ d.b.0 }}{{ msgs.0.role }}{{ l[10] }}|{{ d.zz }}|{{ d['zz'] }}",
 # globals
 "{{ range(3)|list }}{{ range(1, 10, 3)|list }}{{ range(5, 0, -2)|list }}{% for i in range(2) %}{{ i }}{% endfor %}",
 "{{ dict(a=1, b=2) }}{{ dict([('x', 1)]) }}{{ strftime_now('%d %b %Y') }}{{ strftime_now('%A %B %-d %H:%M %j %p') }}",
 "{% set j = joiner(', ') %}{% for x in l %}{{ j() }}{{ x }}{% endfor %}{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}",
 # undefined behaviours
 "[{{ missing }}][{{ missing|upper }}][{{ missing ~ 'x' }}][{{ missing is none }}][{{ missing == missing }}][{{ missing|list }}][{{ missing|length }}]",
 "{% if missing %}a{% else %}b{% endif %}{% if missing.x is defined %}c{% endif %}",
 "{{ missing.attr }}",
 "{{ missing['k'] }}",
 "{{ missing + 1 }}",
 "{{ missing() }}",
 "{{ d.zz.yy }}",
 "{{ l[10].x }}",
 "{{ n.x }}|{{ n.x is defined }}",
 "{{ (n.x).y }}",
 "{{ missing < 1 }}",
 # errors
 "{{ raise_exception('boom: ' ~ i) }}",
 "{{ 'a' + 1 }}", "{{ 1 + 'a' }}", "{{ n + 'a' }}", "{{ [] + 'a' }}", "{{ 'a' - 1 }}", "{{ 1 / 0 }}", "{{ 1 // 0 }}", "{{ 1 % 0 }}", "{{ 1.0 / 0 }}",
 "{% for x in i %}{% endfor %}", "{% for x in n %}{% endfor %}", "{{ 1 in 'abc' }}", "{{ 'a' in n }}", "{{ 1 < 'a' }}", "{{ [1] in {} }}",
 "{{ i|length }}", "{{ n|items|list }}", "{{ 'abc'() }}", "{{ -'a' }}", "{% set a, b = [1] %}", "{% set a, b = [1, 2, 3] %}", "{% set a, b = 5 %}",
 "{{ l.append(1) }}", "{{ d.update({}) }}", "{{ l.append }}|{{ d.pop is defined }}", "{{ d.__class__ }}",
 "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}", "{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}",
 "{% set x = 1 %}{% set x.y = 2 %}", "{{ range(1000000) }}", "{{ range(1, 2, 0) }}", "{{ 'x'|indent(2)|nofilter }}", "{{ l|sort(attribute='x') }}",
 "{{ [1, 'a']|sort }}", "{{ {'a': 1}|tojson(indent=2) }}{{ [missing]|tojson }}", "{{ 2 ** -1 }}{{ 0 ** -1 }}", "{{ 'abc'.foo() }}",
 # parse errors
 "{% if x %}", "{% if x %}{% endfor %}", "{% for x in l %}{% endif %}", "{{ 1 + }}", "{{ (1 }}", "{{ [1, 2 }}", "{% foo %}", "{% endif %}", "{{ x | nofilter }}", "{{ x is notest }}",
 "{% if false %}{{ x|nofilter }}{% endif %}ok", "{{ 'unterminated }}", "{% set %}", "{% macro m(a=1, b) %}{% endmacro %}", "{# unclosed", "{{ x }", "{% raw %}never closed",
 "{{ a.0.1 }}",
 "{{ l|map('string')|list }}{% if []|select %}gen-true{% endif %}{% if l|select('gt', 100) %}T{% endif %}{{ l|select|list|length }}",
 "{{ l|map('string')|length }}",
 "{{ l|select('odd')|tojson }}",
 "{{ l|map('string')|last }}",
 "{{ l|map('string')|first }}{{ l|map('string')|join(',') }}{{ l|unique|list }}{{ d|items|list }}{{ l|reverse|list }}{{ d.items()|list }}",
 "{{ d.items() }}{{ d.keys() }}{{ d.values() }}{{ d.keys()|length }}{{ 'a' in d.keys() }}{{ d.items()|tojson if false else 'x' }}",
 "{{ d.values()|tojson }}",
 "{{ range(3) }}{{ range(1, 7, 2) }}{{ range(3)|length }}{{ range(3)[1] }}{{ range(3)|list }}{{ 2 in range(3) }}{{ range(0) is sequence }}{% if range(0) %}T{% else %}F{% endif %}",
 "{{ range(3)|tojson }}",
 "{{ range(3) + [1] }}",
 "{{ [1] + l|select }}",
 "{{ l|select + [1] }}",
 "{{ l|select is iterable }}{{ l|select is sequence }}{{ d.keys() is sequence }}{{ l|reverse is sequence }}",
 "{{ (l|select)[0] }}|{{ (l|select).x }}|",
 "{{ (1,2)|reverse|list }}{{ d|reverse|list }}{{ 'abc'|reverse }}{{ l|map('string')|reverse|list }}",
 "{{ 'a'|safe + '<b>' }}{{ '<b>' + 'a'|safe }}{{ '<a>'|e }}{{ ('<x>'|e) ~ '<y>' }}{{ '%s!'|safe % '<z>' }}{{ ('<'|safe) * 2 }}",
 "{{ '<'|safe|upper }}{{ '<b>'|safe|trim + '&' }}{{ ('x'|safe).replace('x', '<') }}{{ ('{}'|safe).format('<') }}{{ (','|safe).join(['<', '>']) }}{{ ('a b'|safe).split() }}",
 "{{ ['a'|safe] }}{{ 'a'|safe is escaped }}{{ 'a' is escaped }}{{ '<b>'|safe|tojson }}{{ '<'|safe|length }}{{ '<b>'|safe ~ '<i>' }}",
 "{{ '<x>'|safe|replace('x', '&') }}{{ ('<b>'|safe)[1] + '<' }}{{ '%s'|safe|format('<') }}{{ '<a>'|safe|string + '<' }}{{ '<a>'|safe|join('<') }}",
 "{% macro m() %}<m>{% endmacro %}{{ m() + '<' }}{{ m()|e }}",
 "{{ 'hello world'|safe|truncate(8) + '<' }}{{ 'x'|safe|center(5) + '<' }}{{ 'a\\nb'|safe|indent + '<' }}",
 
]

# ---- Conversations for the shared templates

TOOLS = [
  {"type": "function", "function": {"name": "get_weather", "description": "Get the current weather in a city.",
    "parameters": {"type": "object", "properties": {
       "city": {"type": "string", "description": "The city, e.g. \"Paris\""},
       "unit": {"type": "string", "enum": ["celsius", "fahrenheit"], "description": "Unit"},
       "days": {"type": "integer", "description": "How many days"},
       "hourly": {"type": "boolean", "description": "Hourly breakdown"}},
      "required": ["city"]}}},
  {"type": "function", "function": {"name": "search", "description": "Search documents.",
    "parameters": {"type": "object", "properties": {
       "queries": {"type": "array", "items": {"type": "string"}, "description": "Queries"},
       "filters": {"type": "object", "additionalProperties": {"type": "number"}, "description": "Weights"},
       "limit": {"type": ["integer", "null"], "description": "Max results"},
       "score": {"type": "number", "description": "Min score"}},
      "required": ["queries", "score"]},
    "return": {"type": "array", "description": "The hits"}}},
]
TOOLS_NOPARAMS = [{"type": "function", "function": {"name": "now", "description": "Current time.", "parameters": {"type": "object", "properties": {}, "required": []}}}]
DOCS = [{"title": "Pim", "text": "Pim is a robot who likes blue boats."}, {"title": "Boats", "text": "Boats float on water; ünïcode \"quotes\"."}]

U = {"role": "user", "content": "What's the weather in Paris? Use \"celsius\"."}
SYS = {"role": "system", "content": "You are a helpful assistant.\nBe brief."}
CALL_DICT = {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius", "days": 2}}}]}
CALL_STR = {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Paris\", \"unit\": \"celsius\"}"}}]}
CALL_TWO = {"role": "assistant", "content": "Let me check.", "tool_calls": [
   {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
   {"id": "call_2", "type": "function", "function": {"name": "search", "arguments": {"queries": ["a", "b"], "score": 0.5}}}]}
TOOL_RESP = {"role": "tool", "tool_call_id": "call_1", "name": "get_weather", "content": "{\"temperature\": 21, \"sky\": \"clear\"}"}
TOOL_RESP2 = {"role": "tool", "tool_call_id": "call_2", "name": "search", "content": "[]"}
A = {"role": "assistant", "content": "It is 21°C and clear in Paris."}
A_THINK = {"role": "assistant", "content": "<think>ponder</think>\n\nIt is sunny."}

CONVS = {
  "plain_multi": [SYS, {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "  padded  "}],
  "think": [{"role": "user", "content": "Hi"}, A_THINK, {"role": "user", "content": "more"}],
  "call_dict": [U, CALL_DICT, TOOL_RESP, A],
  "call_str": [SYS, U, CALL_STR, TOOL_RESP],
  "call_two": [U, CALL_TWO, TOOL_RESP, TOOL_RESP2],
  "empty": [],
  "assistant_first": [{"role": "assistant", "content": "I start."}, {"role": "user", "content": "ok"}],
}
VARIANTS = {"none": {"tools": None, "documents": None}, "tools": {"tools": TOOLS, "documents": None}}


def main():
    templates_dir = sys.argv[1] if len(sys.argv) > 1 else "../shared/templates"
    base = {"messages": [], "add_generation_prompt": False, "tools": None, "documents": None}
    features = []
    for i, source in enumerate(FEATURES):
        context = dict(base, **CONTEXT)
        features.append(dict({"name": "feature_%03d" % i, "template": source}, **render(source, context)))
    templates = []
    for path in sorted(glob.glob(os.path.join(templates_dir, "*.json"))):
        doc = json.load(open(path, encoding="utf-8"))
        outputs, cases = [], []
        for conv, messages in CONVS.items():
            for variant, variables in VARIANTS.items():
                context = dict(variables, messages=messages, add_generation_prompt=True)
                for key, value in doc["special_tokens"].items():
                    if value is not None:
                        context[key] = value
                result = render(doc["template"], context)
                case = {"conversation": conv, "variables": variant, "error": result["error"]}
                if result["error"] is None:
                    if result["expected"] not in outputs:
                        outputs.append(result["expected"])
                    case["output"] = outputs.index(result["expected"])
                cases.append(case)
        templates.append({"file": os.path.basename(path), "cases": cases, "outputs": outputs})
    json.dump({"generator": "make_reference_cases.py, jinja2 " + jinja2.__version__,
               "context": CONTEXT, "conversations": CONVS, "variables": VARIANTS,
               "features": features, "templates": templates},
              sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
