/** @file
 *  @brief Collapsing syndicated copies after the match (collapse.h).
 */
#include "searcher/collapse.h"

#include <algorithm>
#include <unordered_map>

namespace dateline {

StoryNumbers::StoryNumbers(const Xapian::Database& db, Xapian::valueno slot) {
  if (db.get_value_freq(slot) == 0) return;
  story_.assign(static_cast<size_t>(db.get_lastdocid()) + 1, 0);
  std::unordered_map<std::string, uint32_t> numbers;
  for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
    const auto [n, added] = numbers.try_emplace(*v, stories_ + 1);
    if (added) ++stories_;
    ++articles_;
    if (v.get_docid() < story_.size()) story_[v.get_docid()] = n->second;
  }
}

Xapian::doccount NotedCopies::count(uint32_t s) const {
  const auto [lo, hi] = std::equal_range(stories.begin(), stories.end(), s);
  return static_cast<Xapian::doccount>(hi - lo);
}

Xapian::doccount NotedCopies::surplus() const {
  Xapian::doccount distinct = 0;
  for (size_t i = 0; i < stories.size(); ++i) {
    if (i == 0 || stories[i] != stories[i - 1]) ++distinct;
  }
  return static_cast<Xapian::doccount>(stories.size()) - distinct;
}

std::vector<RankedHit> one_per_story(const Xapian::MSet& mset, const StoryNumbers& numbers,
                                     const NotedCopies& noted, Xapian::valueno slot) {
  std::vector<RankedHit> out;
  out.reserve(mset.size());
  std::vector<uint32_t> shown;  // stories with a hit already (few: a page's worth)
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const uint32_t s = numbers.of(*it);
    if (s == 0) {
      out.emplace_back(it);
      continue;
    }
    const auto at = std::lower_bound(shown.begin(), shown.end(), s);
    if (at != shown.end() && *at == s) continue;
    shown.insert(at, s);
    const Xapian::doccount n = noted.count(s);
    out.emplace_back(it, n > 0 ? n - 1 : 0, slot);
  }
  return out;
}

}  // namespace dateline
