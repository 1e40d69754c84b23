/** @file
 *  @brief Facet counts over the whole match set, counting each article once per value.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  /// Speaker facet grouped with the index's person table (searcher/name_groups.h): each value is a
  /// person counted once per article, its other values of the match here. False: values as stored.
  bool grouped = false;
  std::map<std::string, std::vector<std::string>> variants{};
};

/// The value slot a facet is counted from (analyzers/schema.h).
unsigned facet_slot(FacetKind kind);

/// The values a slot value gives a facet: the outlet; each author / speaker of a '\n'-joined slot;
/// the year ("2022") or month ("2022-02") of the date slot. Empty values are skipped (unknown).
std::vector<std::string> slot_facet_values(const std::string& slot, FacetKind kind);

/// The values one document gives a facet (slot_facet_values() of its slot).
std::vector<std::string> facet_values(const Xapian::Document& doc, FacetKind kind);

/// Facet counts over a match: one Xapian::ValueCountMatchSpy per value slot (year and month share the
/// date slot), which counts each matching document, that is each article, once. The '\n'-joined
/// slots of several speakers or authors are split when the results are read, each part getting the
/// documents of the joined value: still one count per article and value. Built-in spies only, so a
/// remote shard (xapian-tcpsrv) can run them.
class FacetCounter {
 public:
  explicit FacetCounter(const std::vector<FacetKind>& kinds);
  /// Replaces the enquire's match spies with this counter's.
  void attach(Xapian::Enquire& enquire) const;
  /// Matching documents (articles) the matcher showed the spies.
  uint64_t documents_seen() const;
  /// The counts, `max_values` per facet at most (0 = all), in the order the kinds were given.
  /// `speakers`, when set, maps the speaker values of one document to the values counted (each once).
  std::vector<FacetResult> results(
      bool exact, size_t max_values,
      const std::function<std::vector<std::string>(const std::vector<std::string>&)>& speakers = {}) const;

 private:
  std::vector<FacetKind> kinds_;
  std::map<unsigned, std::unique_ptr<Xapian::ValueCountMatchSpy>> spies_;
};

/// Sorts counts by count descending, then value ascending, and keeps the first `max_values` (0 = all).
std::vector<FacetCount> sort_counts(const std::unordered_map<std::string, uint64_t>& counts,
                                    size_t max_values);

}  // namespace dateline
