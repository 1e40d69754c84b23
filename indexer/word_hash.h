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
/// murmur hash). Takes a std::string_view, so a std::string and a view of the same bytes hash alike.
struct WordHash {
  // Deliberately not noexcept: libstdc++ then keeps each key's hash in its node, as it does for std::hash of
  // a string, so growing the table does not hash every word again and a bucket's walk compares a string only
  // when the hashes agree (noexcept, news3k hashed 555 K times for 384 K look-ups).
  size_t operator()(std::string_view word) const {
    return static_cast<size_t>(XXH3_64bits(word.data(), word.size()));
  }
};

}  // namespace dateline
