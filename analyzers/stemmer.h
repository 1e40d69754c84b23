/** @file
 *  @brief Snowball stemming via Xapian::Stem: language names validated, stems cached per instance.
 */
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

  /// Snowball stem of an already folded term. The view stays valid until the next call.
  std::string_view stem(std::string_view term);

 private:
  /// A direct-mapped cache of this many slots: news vocabulary is Zipfian, so a few thousand words
  /// make most tokens and stay resident, while a rare word merely evicts one slot (no clearing,
  /// no LRU upkeep). 16384 x 64 bytes = 1 MB: one cache line per lookup.
  static constexpr uint32_t kSlots = 1u << 14;
  /// Terms and stems up to this many bytes are cached inline; longer ones are rare and stemmed
  /// each time.
  static constexpr size_t kInline = 27;

  struct alignas(64) Slot {
    uint64_t hash = 0;
    uint8_t term_len = 0;  ///< 0 = empty slot (the empty term is never stemmed)
    uint8_t stem_len = 0;
    char term[kInline];
    char stem[kInline];
  };
  static_assert(sizeof(Slot) == 64);

  bool enabled_;
  Xapian::Stem stem_;
  std::vector<Slot> slots_;
  std::string scratch_;  ///< input to Xapian::Stem (which takes std::string)
  std::string result_;   ///< uncached results
};

}  // namespace dateline::text
