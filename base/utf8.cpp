/** @file
 *  @brief The UTF-8 decoder and boundary helpers (base/utf8.h).
 */
#include "base/utf8.h"

namespace dateline::utf8 {

size_t sequence_length(std::string_view s, size_t i) {
  if (i >= s.size()) return 0;
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  // Lead bytes and the range of the second byte (table 3-7): C0, C1 and F5..FF never occur; E0 and F0
  // would start overlong forms below A0 / 90, ED a surrogate from A0, F4 a value above U+10FFFF from 90.
  size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() - i < n) return 0;
  auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (!is_continuation(s[i + k])) return 0;
  }
  return n;
}

size_t invalid_length(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t want = lead_length(s[i]);
  want = want > 1 ? want - 1 : 0;  // continuation bytes the lead byte asks for
  unsigned char lo = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
  unsigned char hi = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
  size_t len = 1;
  for (size_t k = 0; k < want && i + len < s.size(); ++k) {
    auto c = static_cast<unsigned char>(s[i + len]);
    if (c < lo || c > hi) break;
    lo = 0x80;
    hi = 0xBF;
    ++len;
  }
  return len;
}

Decoded decode(std::string_view s, size_t i) {
  size_t n = sequence_length(s, i);
  if (n == 0) return {kReplacement, 1, false};
  auto b = static_cast<unsigned char>(s[i]);
  if (n == 1) return {b, 1, true};
  char32_t cp = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {cp, n, true};
}

size_t length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    size_t n = sequence_length(s, i);
    i += n == 0 ? 1 : n;
  }
  return count;
}

size_t previous_boundary(std::string_view s, size_t i, size_t floor) {
  if (i >= s.size()) return s.size();
  while (i > floor && is_continuation(s[i])) --i;
  return i;
}

std::string_view truncate(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  return s.substr(0, previous_boundary(s, max_bytes));
}

size_t offset_of(std::string_view s, size_t n) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!is_continuation(s[i])) {
      if (seen == n) return i;
      ++seen;
    }
  }
  return s.size();
}

}  // namespace dateline::utf8
