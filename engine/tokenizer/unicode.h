#pragma once
// UTF-8 helpers and the GPT-2 byte-level alphabet shared by the tokenizers.

#include <cstdint>
#include <string>
#include <string_view>

namespace lathe {

inline constexpr uint32_t kReplacementChar = 0xFFFD;

// Length of the UTF-8 sequence a lead byte announces (1 for ASCII and for stray continuation bytes),
// as llama.cpp's unicode_len_utf8: the SPM tokenizer splits text this way without validating it.
inline size_t utf8_lead_length(uint8_t lead) {
  static constexpr uint8_t kLengths[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
  return kLengths[lead >> 4];
}

// Decodes one well-formed UTF-8 character at text[pos] (no overlong forms, no surrogates, at most
// U+10FFFF). Returns its length and sets `cp`, or returns 0 when the bytes there are not one.
size_t utf8_decode(std::string_view text, size_t pos, uint32_t& cp);

void utf8_append(std::string& out, uint32_t cp);

// The text with every byte that does not start a well-formed character replaced by U+FFFD
// (llama.cpp does the same before its pre-tokenizer regexes). Returns the input when it is valid.
std::string utf8_sanitize(std::string_view text);

// How many bytes at the end of `text` are the start of a character whose remaining bytes have
// not arrived yet (0 when the text ends on a character boundary or with a byte that can never
// become valid).
size_t utf8_incomplete_tail(std::string_view text);

// llama.cpp's (and the Unicode White_Space property's) whitespace set.
bool is_unicode_whitespace(uint32_t cp);

// GPT-2 byte-level BPE alphabet: every byte maps to one printable code point ('!'..'~', '¡'..'¬',
// '®'..'ÿ' map to themselves; the other 68 bytes to U+0100.. in order).
uint32_t byte_to_codepoint(uint8_t byte);
// The UTF-8 of byte_to_codepoint(byte).
const std::string& byte_to_utf8(uint8_t byte);
// The byte a code point stands for, or -1 when it is not in the byte-level alphabet.
int codepoint_to_byte(uint32_t cp);

}  // namespace lathe
