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
  std::string_view stem(std::string_view term) { return stem(term, hash(term)); }

  /// Starts loading the cache lines stem(term) will read, so that a caller with other work to do first
  /// does not wait for them: the cache is a megabyte, and its sets are mostly out of the CPU's caches
  /// (perf showed the first read of the set as most of stem()'s time). Returns hash(term), for stem() below;
  /// changes nothing else.
  uint64_t prefetch(std::string_view term) const;
  /// stem(term), given `term_hash` == hash(term) (what prefetch(term) returned).
  std::string_view stem(std::string_view term, uint64_t term_hash);
  /// The hash the cache files `term` under.
  static uint64_t hash(std::string_view term);

 private:
  /// A 4-way set-associative cache of stems, most recently used first in each set. News vocabulary
  /// is Zipfian: a few thousand words make most tokens and stay resident, while a rare word only
  /// evicts the least recently used slot of its set (no clearing, no global LRU upkeep), so it misses
  /// fewer lookups than a direct-mapped table of the same size; a miss costs a Snowball run
  /// (bench/RESULTS-index.md, "Stemmer cache").
  static constexpr uint32_t kWays = 4;
  static constexpr uint32_t kSets = 1u << 13;
  /// Terms and stems up to this many bytes are cached inline (nearly every English news word); longer
  /// ones are stemmed every time.
  static constexpr size_t kInline = 13;

  struct Slot {
    uint32_t tag = 0;      ///< low half of the term's hash (the set index uses the high half)
    uint8_t term_len = 0;  ///< 0 = empty slot (the empty term is never stemmed)
    uint8_t stem_len = 0;
    char term[kInline] = {};
    char stem[kInline] = {};
  };
  static_assert(sizeof(Slot) == 32);
  struct alignas(128) Set {
    Slot ways[kWays];
  };

  bool enabled_;
  Xapian::Stem stem_;
  std::vector<Set> sets_;
  std::string scratch_;  ///< input to Xapian::Stem (which takes std::string)
  std::string result_;   ///< returned for uncached terms
};

}  // namespace dateline::text
