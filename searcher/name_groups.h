/** @file
 *  @brief One facet row per person: speaker facet values that are one name in several spellings,
 *  scripts or lengths ("Zelensky", "Zelenskyy", "Зеленский"; "Lawson" and "Nigel Lawson") merged.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "searcher/facets.h"

namespace dateline {

/// A facet row standing for one name: its label, its count and the other values merged into it.
struct NameRow {
  std::string value;                  ///< the most frequent full (several-word) form, else the most frequent
  uint64_t count = 0;                 ///< the merged rows' counts added up
  std::vector<std::string> variants;  ///< the other values merged, most frequent first (empty: none)
  bool operator==(const NameRow&) const = default;
};

/// Merges the rows of one name: values whose words have the same name keys (analyzers/names.h:
/// "Volodymyr Zelensky" / "Volodymyr Zelenskyy", "Zelensky" / "Зеленский"), a full name in another script
/// and its romanised twin one letter apart in a first name ("Александр Лукашенко" / "Alexander
/// Lukashenko"), then a one-word value into
/// the one full name that ends with it ("Lawson" -> "Nigel Lawson") when no other full name among the
/// rows does ("Blair" stays itself beside "Tony Blair" and "Bob Blair"). Full names are never merged on
/// their first name ("Alexander Lukashenko" and "Alexander Volfovich" stay two). All-caps one-word values
/// (acronyms) are merged on their exact key only. Rows sorted by count (descending) then value; the first
/// `limit` are kept (0: all). An article that quotes two merged forms counts twice in `count`: the
/// searcher counts exactly when it maps each article's values through name_labels() before counting.
std::vector<NameRow> group_names(const std::vector<FacetCount>& rows, size_t limit = 0);

/// The rows of the first `limit` groups of group_names(rows) (0: all rows), in the order given: what a
/// searcher that counted every value keeps so that grouping the kept rows gives `limit` full groups.
std::vector<FacetCount> top_name_rows(const std::vector<FacetCount>& rows, size_t limit);

/// Each value of `rows` -> the label of its group (a label maps to itself).
std::map<std::string, std::string> name_labels(const std::vector<FacetCount>& rows);

}  // namespace dateline
