/** @file
 *  @brief UTF-8: one decoder (well-formed sequences only, per Unicode table 3-7), lengths and boundaries.
 *
 *  Every place that walks UTF-8 by hand uses these, so they all agree on what is valid: no overlong forms,
 *  no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. An invalid byte is read as
 *  U+FFFD one byte at a time, so a walk always advances and never skips text.
 */
#pragma once

#include <cstddef>
#include <string_view>

namespace dateline::utf8 {

/// U+FFFD REPLACEMENT CHARACTER, what an invalid byte reads as, and its UTF-8 bytes.
inline constexpr char32_t kReplacement = 0xFFFD;
inline constexpr std::string_view kReplacementBytes = "\xEF\xBF\xBD";

/// Is `c` a continuation byte (10xxxxxx), i.e. not the first byte of a character?
constexpr bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

/// The length a sequence starting with byte `c` claims: 1 for ASCII, 2..4 for a lead byte C2..F4, 0 for a
/// continuation byte or a byte that never starts a sequence (C0, C1, F5..FF). Looks at `c` alone.
constexpr size_t lead_length(char c) {
  auto b = static_cast<unsigned char>(c);
  if (b < 0x80) return 1;
  return b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
}

/// Length of the well-formed sequence starting at s[i] (1..4), or 0 when none starts there (a stray
/// continuation byte, an overlong form, a surrogate, above U+10FFFF, a truncated sequence, i >= s.size()).
size_t sequence_length(std::string_view s, size_t i);

/// Length of the maximal invalid subpart at s[i] (i < s.size(), sequence_length(s, i) == 0): a lead byte and
/// the continuation bytes it still allows, else one byte. Replacing each subpart by one U+FFFD is the W3C /
/// WHATWG (and ICU U8_NEXT) policy; decode() instead reads one U+FFFD per invalid byte.
size_t invalid_length(std::string_view s, size_t i);

/// One code point read at a byte offset.
struct Decoded {
  char32_t code_point;  ///< kReplacement when !valid
  size_t length;        ///< bytes read: the sequence's length, or 1 for an invalid byte
  bool valid;
};

/// Reads the code point at s[i] (i < s.size()).
Decoded decode(std::string_view s, size_t i);

/// Number of code points, each invalid byte counting one (what decode() steps through).
size_t length(std::string_view s);

/// The start of the character holding byte `i`: `i` moved back over continuation bytes, but never below
/// `floor` (for i >= s.size(), s.size()). Reads bytes only: on valid UTF-8, a boundary.
size_t previous_boundary(std::string_view s, size_t i, size_t floor = 0);

/// The longest head of `s` of at most `max_bytes` bytes that does not split a character.
std::string_view truncate(std::string_view s, size_t max_bytes);

/// Byte offset of the code point numbered `n` (0-based, counting bytes that are not continuation bytes), or
/// s.size() when `s` has fewer.
size_t offset_of(std::string_view s, size_t n);

}  // namespace dateline::utf8
