/** @file
 *  @brief Levenshtein distance between two short sequences (flag names, words as code points).
 */
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace dateline {

/// Insertions, deletions and substitutions that turn `a` into `b`: any two sequences of comparable
/// elements (std::string_view for bytes, std::u32string for code points). One row of the table is kept:
/// O(|a| |b|) time, O(|b|) memory, meant for short inputs.
template <class Sequence>
size_t edit_distance(const Sequence& a, const Sequence& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t k = 0; k <= b.size(); ++k) row[k] = k;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t k = 1; k <= b.size(); ++k) {
      const size_t up = row[k];
      row[k] = std::min({row[k] + 1, row[k - 1] + 1, diagonal + (a[i - 1] == b[k - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace dateline
