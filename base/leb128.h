/** @file
 *  @brief Unsigned LEB128: a number in 7-bit groups, low group first, the high bit of each byte saying
 *  another follows. The stored copy lists (analyzers/schema.h) and the bulk build's document recipes
 *  (indexer/doc_recipe.h) write their lengths and numbers so.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dateline::leb128 {

/// Appends `v` to `out`.
inline void append(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

/// The number at `in[at]`, `at` moved past it; std::nullopt when `in` ends first or the number takes more
/// than `max_bytes` bytes (5 hold 35 bits, 10 hold 64).
inline std::optional<uint64_t> read(std::string_view in, size_t& at, unsigned max_bytes = 10) {
  uint64_t v = 0;
  for (unsigned i = 0; i < max_bytes && at < in.size(); ++i) {
    const auto b = static_cast<unsigned char>(in[at++]);
    v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) return v;
  }
  return std::nullopt;
}

}  // namespace dateline::leb128
