/** @file
 *  @brief Collapsing syndicated copies after the match, on a local database: every copy is ranked, and the
 *  ranked list keeps one hit per story, its best-ranked copy.
 *
 *  Xapian's collapser reads the collapse value (schema::kSlotStoryCopies) of every candidate and keeps a
 *  table entry per story: +7% instructions on news.jsonl, where only 8% of the articles carry the value.
 *  Ranked with every copy, the list Xapian returns is in the order its collapser compares (score, then docid;
 *  or the sort key first), so the first copy of each story in it is the one the collapser keeps: the same
 *  page, for the price of a few more hits. A match spy notes the candidates that have copies (a lookup in
 *  StoryNumbers), which gives the number of stories and each shown hit's folded copies.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace dateline {

/// The articles of a database that carry a story's collapse value (schema::kSlotStoryCopies: their story
/// has other copies), each with a number for its story; read once from the value stream. Four bytes per
/// docid of the database (82 KB for news.jsonl), so that the spy's test is one array read.
class StoryNumbers {
 public:
  StoryNumbers() = default;
  /// Reads slot `slot` of `db` (one pass over its value stream).
  StoryNumbers(const Xapian::Database& db, Xapian::valueno slot);
  /// The story number of document `did`, from 1; 0 when it carries no value (alone in its story).
  uint32_t of(Xapian::docid did) const { return did < story_.size() ? story_[did] : 0; }
  uint32_t stories() const { return stories_; }
  /// Articles that carry the value less their stories: what collapsing folds when everything matches.
  Xapian::doccount folded() const { return articles_ - stories_; }

 private:
  std::vector<uint32_t> story_;  // by docid
  uint32_t stories_ = 0;
  Xapian::doccount articles_ = 0;
};

/// One hit of a ranked list: Xapian's item, and, when the list was collapsed after the match, the copies
/// its story folded. Reads as an Xapian::MSetIterator does (the names are Xapian's), so the page code takes
/// either kind of list.
class RankedHit {
 public:
  RankedHit() = default;
  /// A hit of an MSet that Xapian collapsed (or did not collapse at all).
  explicit RankedHit(Xapian::MSetIterator it) : it_(std::move(it)) {}
  /// A hit collapsed after the match: `folded` other copies of its story matched; `slot` holds its story.
  RankedHit(Xapian::MSetIterator it, Xapian::doccount folded, Xapian::valueno slot)
      : it_(std::move(it)), after_(true), folded_(folded), slot_(slot) {}

  Xapian::docid operator*() const { return *it_; }
  double get_weight() const { return it_.get_weight(); }
  Xapian::Document get_document() const { return it_.get_document(); }
  Xapian::doccount get_collapse_count() const { return after_ ? folded_ : it_.get_collapse_count(); }
  /// The story's collapse value ("" for an article alone in its story).
  std::string get_collapse_key() const {
    return after_ ? it_.get_document().get_value(slot_) : it_.get_collapse_key();
  }

 private:
  Xapian::MSetIterator it_;
  bool after_ = false;
  Xapian::doccount folded_ = 0;
  Xapian::valueno slot_ = 0;
};

/// What the spy of a match ranked with every copy noted: the story numbers of the candidates that have
/// copies, sorted.
struct NotedCopies {
  std::vector<uint32_t> stories;
  /// How many candidates of story `s` were noted.
  Xapian::doccount count(uint32_t s) const;
  /// Candidates noted that another noted candidate's story already counts: `matches` articles make
  /// `matches - surplus()` stories.
  Xapian::doccount surplus() const;
};

/// `mset` (ranked with every copy its own hit) with one hit per story: the first copy of each story in it,
/// which is its best (the collapser's choice), folding the other copies `noted` counts.
std::vector<RankedHit> one_per_story(const Xapian::MSet& mset, const StoryNumbers& numbers,
                                     const NotedCopies& noted, Xapian::valueno slot);

}  // namespace dateline
