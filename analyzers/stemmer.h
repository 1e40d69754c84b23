/** @file
 *  @brief Snowball stemming via Xapian::Stem: language names validated, stems cached per instance.
 */
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dateline::text {

/// Returns the canonical Snowball name for `language` ("en" -> "english"; "none" stays "none").
/// Throws std::invalid_argument naming the language and listing the available ones when Xapian
/// does not know it (the empty string is rejected too: say "none" to turn stemming off).
std::string canonical_language(std::string_view language);

/// One stemmer with a bounded cache. Not thread-safe (the cache is mutable state).
class Stemmer {
 public:
  /// `language` as accepted by canonical_language(); throws std::invalid_argument otherwise.
  explicit Stemmer(std::string_view language);

  /// False for "none": stem() then always returns an empty string.
  bool enabled() const { return enabled_; }

  /// Snowball stem of an already folded term. The reference stays valid until the next call.
  const std::string& stem(std::string_view term);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  /// News vocabulary is Zipfian: a few thousand words make most tokens, so a cache of this many
  /// entries hits almost always; when full it is simply cleared (bounded memory, no LRU upkeep).
  static constexpr size_t kCacheLimit = 1 << 16;

  bool enabled_;
  Xapian::Stem stem_;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> cache_;
  std::string empty_;
};

}  // namespace dateline::text
