/** @file
 *  @brief WordHash: the hash of the indexer's per-word tables (spelling counts, stems' forms).
 */
#pragma once

#include <cstddef>
#include <string_view>

// Inlined, as in indexer/stories.cpp: these tables are looked up for every spelling word and every stem of
// every article, on the thread that queues the articles for the writers.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace dateline {

/// XXH3 of a word's bytes, for std::unordered_map/set keyed by std::string. On words (mostly under 16
/// bytes) it takes about a third of the instructions of std::hash<std::string> (a call into libstdc++'s
/// murmur hash). Transparent: a std::string_view finds a std::string key without making one.
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view word) const noexcept {
    return static_cast<size_t>(XXH3_64bits(word.data(), word.size()));
  }
};

}  // namespace dateline
