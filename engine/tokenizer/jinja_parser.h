#pragma once
// Parses Jinja template source into a syntax tree (jinja_ast.h), following Jinja2's grammar and
// precedence: filters bind tighter than arithmetic ('a' + x | trim is 'a' + (x | trim)), `not`
// looser than comparisons, tests (`is`) as filters do.
//
// Supported statements: if/elif/else, for (with an inline `if` filter and else), set (also to
// ns.attr, with unpacking, and as a block with filters), macro, call, filter, with, break,
// continue, raw, and transformers' generation block.

#include <string_view>

#include "tokenizer/jinja_ast.h"
#include "tokenizer/jinja_lexer.h"

namespace lathe::jinja {

// Throws JinjaException: TemplateSyntaxError (naming line and column), TemplateAssertionError for
// an unknown filter or test outside an if, or LimitExceeded past `max_nesting` nested blocks and
// brackets.
Body parse_template(std::string_view source, const LexOptions& options, int max_nesting);

}  // namespace lathe::jinja
