/** @file
 *  @brief Facet counts over the whole match set, counting each article once per value.
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

std::vector<std::string> facet_values(const Xapian::Document& doc, FacetKind kind) {
  std::vector<std::string> out;
  switch (kind) {
    case FacetKind::kOutlet: {
      std::string v = doc.get_value(schema::kSlotOutlet);
      if (!v.empty()) out.push_back(std::move(v));
      break;
    }
    case FacetKind::kAuthor:
      split_lines(doc.get_value(schema::kSlotAuthor), out);
      break;
    case FacetKind::kSpeaker:
      // A passage document's speakers are the passage's; an article document's, the whole article's.
      split_lines(doc.get_value(schema::kSlotSpeakers), out);
      break;
    case FacetKind::kYear:
    case FacetKind::kMonth: {
      // The slot holds "YYYYMMDD" (or a shorter prefix when only the year or month is known).
      std::string d = doc.get_value(schema::kSlotDate);
      size_t need = kind == FacetKind::kYear ? 4 : 6;
      if (d.size() >= need && all_digits(std::string_view(d).substr(0, need))) {
        out.push_back(kind == FacetKind::kYear ? d.substr(0, 4) : d.substr(0, 4) + "-" + d.substr(4, 2));
      }
      break;
    }
  }
  return out;
}

FacetSpy::FacetSpy(std::vector<FacetKind> kinds, bool passage_documents)
    : passage_documents_(passage_documents) {
  for (FacetKind k : kinds) {
    bool duplicate =
        std::any_of(counters_.begin(), counters_.end(), [k](const Counter& c) { return c.kind == k; });
    if (!duplicate) counters_.push_back(Counter{k, {}, {}});
  }
}

void FacetSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  ++documents_;
  std::string article = doc.get_value(schema::kSlotArticleId);
  // Article documents are one per article: no need to remember which articles were counted, except
  // for the distinct total, which is cheap to keep either way.
  articles_.insert(article);
  for (Counter& c : counters_) {
    for (std::string& v : facet_values(doc, c.kind)) {
      if (passage_documents_) {
        std::string key = v;
        key += '\0';
        key += article;
        if (!c.seen.insert(std::move(key)).second) continue;  // this article already counted for v
      }
      ++c.counts[v];
    }
  }
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

std::vector<FacetResult> FacetSpy::results(bool exact, size_t max_values) const {
  std::vector<FacetResult> out;
  for (const Counter& c : counters_) {
    out.push_back({std::string(facet_name(c.kind)), sort_counts(c.counts, max_values), exact});
  }
  return out;
}

}  // namespace dateline
