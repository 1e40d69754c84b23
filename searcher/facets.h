/** @file
 *  @brief Facet counts over the whole match set, counting each article once per value.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace dateline {

/// What can be counted with `--facet`.
enum class FacetKind { kOutlet, kSpeaker, kAuthor, kYear, kMonth };

/// "outlet" -> kOutlet ...; std::nullopt for an unknown name.
std::optional<FacetKind> parse_facet(std::string_view name);
/// The name as typed with `--facet` and as written in JSON ("outlet", "speaker", ...).
std::string_view facet_name(FacetKind kind);
/// Every facet name, space-separated, for messages and --help.
std::string facet_names();

/// One value of a facet and the number of distinct articles that have it.
struct FacetCount {
  std::string value;
  uint64_t count = 0;
  bool operator==(const FacetCount&) const = default;
};

/// The counts of one facet. Values are sorted by count (descending), then value (ascending bytes).
struct FacetResult {
  std::string name;
  std::vector<FacetCount> values;
  bool exact = true;  ///< false when only a sample of the match set was counted (--fast-facets)
};

/// The values one document gives a facet: the outlet; each author / speaker of a '\n'-joined slot;
/// the year ("2022") or month ("2022-02") of the date slot. Empty values are skipped (unknown).
/// Speakers are a passage document's own, or an article document's whole article's (kSlotSpeakers).
std::vector<std::string> facet_values(const Xapian::Document& doc, FacetKind kind);

/// A MatchSpy that Xapian calls for every matching document before collapsing. It counts distinct
/// articles (by the article id slot), overall and per facet value, so that a query matching three
/// passages of one article counts that article once.
class FacetSpy : public Xapian::MatchSpy {
 public:
  /// `passage_documents`: the match set is passages (several per article), not article documents.
  FacetSpy(std::vector<FacetKind> kinds, bool passage_documents);

  void operator()(const Xapian::Document& doc, double weight) override;

  /// Matching documents seen (passages or articles).
  uint64_t documents_seen() const { return documents_; }
  /// Distinct articles among them.
  uint64_t articles_seen() const { return articles_.size(); }

  /// The counts, `max_values` per facet at most (0 = all), in the order the kinds were given.
  std::vector<FacetResult> results(bool exact, size_t max_values) const;

 private:
  struct Counter {
    FacetKind kind;
    std::unordered_map<std::string, uint64_t> counts;
    std::unordered_set<std::string> seen;  ///< value + '\0' + article id, when passages are counted
  };
  bool passage_documents_;
  uint64_t documents_ = 0;
  std::unordered_set<std::string> articles_;
  std::vector<Counter> counters_;
};

/// Sorts counts by count descending, then value ascending, and keeps the first `max_values` (0 = all).
std::vector<FacetCount> sort_counts(const std::unordered_map<std::string, uint64_t>& counts,
                                    size_t max_values);

}  // namespace dateline
