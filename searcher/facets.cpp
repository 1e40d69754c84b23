/** @file
 *  @brief Facet counts over the whole match set with Xapian's ValueCountMatchSpy, one document per article.
 */
#include "searcher/facets.h"

#include <algorithm>

#include "analyzers/schema.h"

namespace dateline {

namespace {

constexpr std::pair<FacetKind, std::string_view> kFacetNames[] = {
    {FacetKind::kOutlet, "outlet"}, {FacetKind::kSpeaker, "speaker"}, {FacetKind::kAuthor, "author"},
    {FacetKind::kYear, "year"},     {FacetKind::kMonth, "month"},
};

// Splits a '\n'-joined slot value, dropping empty parts and trailing '\r'/spaces.
void split_lines(const std::string& joined, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= joined.size()) {
    size_t nl = joined.find('\n', start);
    if (nl == std::string::npos) nl = joined.size();
    std::string part = joined.substr(start, nl - start);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\r')) part.pop_back();
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) out.push_back(std::move(part));
    start = nl + 1;
  }
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<FacetKind> parse_facet(std::string_view name) {
  for (const auto& [kind, n] : kFacetNames) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string_view facet_name(FacetKind kind) {
  for (const auto& [k, n] : kFacetNames) {
    if (k == kind) return n;
  }
  return "?";
}

std::string facet_names() {
  std::string out;
  for (const auto& [kind, n] : kFacetNames) {
    if (!out.empty()) out += ' ';
    out += n;
  }
  return out;
}

unsigned facet_slot(FacetKind kind) {
  switch (kind) {
    case FacetKind::kOutlet:
      return schema::kSlotOutlet;
    case FacetKind::kAuthor:
      return schema::kSlotAuthor;
    case FacetKind::kSpeaker:
      return schema::kSlotSpeakers;
    case FacetKind::kYear:
    case FacetKind::kMonth:
      return schema::kSlotDate;
  }
  return schema::kSlotOutlet;
}

std::vector<std::string> slot_facet_values(const std::string& slot, FacetKind kind) {
  std::vector<std::string> out;
  switch (kind) {
    case FacetKind::kOutlet:
      if (!slot.empty()) out.push_back(slot);
      break;
    case FacetKind::kAuthor:
    case FacetKind::kSpeaker:
      split_lines(slot, out);
      break;
    case FacetKind::kYear:
    case FacetKind::kMonth: {
      // The slot holds "YYYYMMDD" (or a shorter prefix when only the year or month is known).
      const size_t need = kind == FacetKind::kYear ? 4 : 6;
      if (slot.size() >= need && all_digits(std::string_view(slot).substr(0, need))) {
        out.push_back(kind == FacetKind::kYear ? slot.substr(0, 4) : slot.substr(0, 4) + "-" + slot.substr(4, 2));
      }
      break;
    }
  }
  return out;
}

std::vector<std::string> facet_values(const Xapian::Document& doc, FacetKind kind) {
  return slot_facet_values(doc.get_value(facet_slot(kind)), kind);
}

FacetCounter::FacetCounter(const std::vector<FacetKind>& kinds) {
  for (FacetKind k : kinds) {
    if (std::find(kinds_.begin(), kinds_.end(), k) != kinds_.end()) continue;
    kinds_.push_back(k);
    const unsigned slot = facet_slot(k);
    if (spies_.count(slot) == 0) spies_.emplace(slot, std::make_unique<Xapian::ValueCountMatchSpy>(slot));
  }
  // Without facets, one spy still counts the documents the matcher saw (documents_seen()).
  if (spies_.empty()) {
    spies_.emplace(schema::kSlotOutlet, std::make_unique<Xapian::ValueCountMatchSpy>(schema::kSlotOutlet));
  }
}

void FacetCounter::attach(Xapian::Enquire& enquire) const {
  enquire.clear_matchspies();
  for (const auto& [slot, spy] : spies_) enquire.add_matchspy(spy.get());
}

uint64_t FacetCounter::documents_seen() const {
  return spies_.begin()->second->get_total();
}

std::vector<FacetResult> FacetCounter::results(
    bool exact, size_t max_values,
    const std::function<std::vector<std::string>(const std::vector<std::string>&)>& speakers) const {
  std::vector<FacetResult> out;
  for (FacetKind kind : kinds_) {
    const Xapian::ValueCountMatchSpy& spy = *spies_.at(facet_slot(kind));
    // A slot value is one document's whole value ("A\nB" for two speakers): each of its facet values
    // gets the documents that hold it, so every article counts once per value.
    std::unordered_map<std::string, uint64_t> counts;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
      std::vector<std::string> values = slot_facet_values(*it, kind);
      if (kind == FacetKind::kSpeaker && speakers) values = speakers(values);
      for (const std::string& v : values) counts[v] += it.get_termfreq();
    }
    out.push_back({std::string(facet_name(kind)), sort_counts(counts, max_values), exact, false, {}});
  }
  return out;
}

std::vector<FacetCount> sort_counts(const std::unordered_map<std::string, uint64_t>& counts,
                                    size_t max_values) {
  std::vector<FacetCount> out;
  out.reserve(counts.size());
  for (const auto& [value, count] : counts) out.push_back({value, count});
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (max_values > 0 && out.size() > max_values) out.resize(max_values);
  return out;
}

}  // namespace dateline
