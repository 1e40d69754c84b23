/** @file
 *  @brief Stories in the database: detection terms on article documents, and story ids given by one writer.
 *
 *  Each article document carries its detection data (stories::Signature): the exact-fingerprint term
 *  (schema::kStoryExact), kBands LSH band terms (schema::kStoryBand) and the signature (kSlotStorySignature).
 *  Linking gives it a story: the candidates are the documents sharing its fingerprint or a band term (a
 *  Xapian posting-list read in the database being written, plus the documents linked earlier in the same
 *  batch, which are not in it yet); the best-scoring candidate that stories::compare() calls the same story
 *  gives its story id (ties: the smaller id); with none, the article starts a story named by its own id.
 *  The id goes into kSlotStory and a kStory term. Story ids are never rewritten: deleting or changing an
 *  article leaves the other copies their story, and a new copy joins it through any of them.
 *
 *  Everything kept between runs is in the documents, written in the writer's transaction with the article.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/document_builder.h"
#include "indexer/stories.h"

namespace dateline::stories {

/// The text the detector reads of a built article: its passages' text, in order, one blank line apart
/// (the headline is left out: outlets rewrite it). Reads "text" of the passage documents' data; with one
/// document per article, "text" or "passages": [{"text"}] of the article document's data.
std::string article_text(const BuiltArticle& article);

/// The same for an article stored in `db`, given its article document.
std::string stored_text(const Xapian::Document& article_doc);

/// Puts the detection terms and the signature on an article document (no database needed: any thread).
/// Returns the terms it added (none for an empty signature), for Linker::link().
std::vector<std::string> add_detection(Xapian::Document& doc, const Signature& signature);
std::vector<std::string> add_detection(DocRecipe& doc, const Signature& signature);

/// The detection terms on a document (a stored signature keeps too few bits to make them again), in term
/// order: which order does not matter to the linker, only the documents sharing them and how many they share.
std::vector<std::string> detection_terms_of(const Xapian::Document& doc);

/// kStory term of a story id (ids too long for a term end in "~" and 16 hex digits of their hash).
std::string story_term(std::string_view story_id);

/// What kSlotStoryCopies and kSlotStoryCopyList say of one story, read where all its articles are.
struct StoryCopies {
  std::string story;
  std::string term;                 ///< its kStory term
  Xapian::doccount count = 0;       ///< its articles
  std::optional<std::string> list;  ///< kSlotStoryCopyList's value; none past schema::kMaxListedCopies
};

/// Gives article documents their story. Holds the documents linked since the last clear(), which the
/// database does not show yet. Not thread-safe: the writer's thread.
class Linker {
 public:
  explicit Linker(Thresholds thresholds = {}) : thresholds_(thresholds) {}

  /// Sets kSlotStory and the kStory term of each document of `batch` (docid, document), in the order
  /// of their date then article id, so that which copy names a story does not depend on the order the
  /// readers delivered them. Documents without a signature value (no text) are their own story.
  /// `terms`, when given, holds each document's detection terms as add_detection() returned them (in
  /// the order of `batch`); without them (or for an empty entry) they are looked for in its term list,
  /// which for a document not read from a database is a walk through every term before them.
  void link(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, Xapian::Document>>& batch,
            const std::vector<std::vector<std::string>>* terms = nullptr);
  /// The same for documents not made yet (a bulk build's, doc_recipe.h): `terms` must be given.
  void link(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, DocRecipe>>& batch,
            const std::vector<std::vector<std::string>>& terms);

  /// The batch is in the database now (or was dropped): forget it.
  void clear();

  /// Database documents whose stored story does not count (shards.h links a run's articles again across
  /// the shards): they are neither candidates nor holders of a story name there, only as this Linker links
  /// them again (it remembers them until clear()).
  void ignore_stored(std::function<bool(Xapian::docid)> stale) { stale_ = std::move(stale); }

  /// Also counts the articles of each story as they are linked, with what kSlotStoryCopyList lists of them,
  /// for copies(): a bulk build (bulk.h), whose Linker links every article once and is never cleared, knows
  /// every story's copies when its last article is linked, without reading the segments they went to. It
  /// grows with the input as the Linker does (which keeps every story and article until clear()): each
  /// story's count and its first article's outlet (an index into the outlets seen, one string each) and
  /// date, in the entry the Linker keeps for the story anyway; the other articles' list entries only for a
  /// story of several, up to kMaxListedCopies each.
  void count_copies() { count_copies_ = true; }

  /// What read_copies(all, multi_copy_stories(all)) gives when `all` holds exactly the documents linked
  /// since count_copies() (each article once, as a bulk build's segments hold them): the stories of
  /// several articles, by term.
  std::vector<StoryCopies> copies() const;

 private:
  struct Linked {
    Signature signature;
    std::string story;
  };
  template <class Doc>
  void link_batch(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, Doc>>& batch,
                  const std::vector<std::vector<std::string>>* terms);
  /// `terms`: the document's detection terms.
  std::string link_one(const Xapian::Database& db, Xapian::docid did, const Signature& signature,
                       const std::string& article_id, const std::vector<std::string>& terms);
  bool story_taken(const Xapian::Database& db, const std::string& story) const;
  template <class Doc>
  void count(const std::string& story, const Doc& doc);

  /// Remembers that linked_[index] has detection term `term`.
  void remember(const std::string& term, uint32_t index);

  Thresholds thresholds_;
  std::function<bool(Xapian::docid)> stale_;
  // What the Linker keeps grows with the articles linked since clear() (a bulk build: all of them), so it
  // is kept small: a deque (no doubling vector's spare capacity, nor its old and new copies at once while
  // it grows), and each detection term as the 64-bit XXH3 of its text heading a chain of the articles that
  // have it, with no string and no vector per term. Keyed by strings, the terms took ~1.6 KB an article
  // by a count of the nodes and their heap blocks, ~1 KB more than now: about 20 MB of news.jsonl's 20,481
  // articles, which paid for the writers' doubled queue room (bulk.cpp; peak RSS 113 MB before and after).
  // Two different terms sharing a hash (odds about 5 in a million for a million articles' 13 terms each)
  // would only add a candidate, which compare() still judges by its signature.
  std::deque<Linked> linked_;
  std::unordered_map<uint64_t, uint32_t> term_heads_;  ///< hash of a detection term -> its last entry + 1
  struct TermEntry {
    uint32_t article;  ///< index into linked_
    uint32_t next;     ///< the term's previous entry + 1, 0 for none
  };
  std::vector<TermEntry> term_entries_;
  /// A story given since the last clear(); with count_copies(), its articles and the first one's list entry
  /// (its id the story's), unless that went to more_ (kNoEntry).
  struct Story {
    Xapian::doccount count = 0;
    uint32_t outlet = kNoEntry;  ///< index into outlets_
    uint64_t date = 0;           ///< kSlotDate's bytes (at most eight), zero-padded
  };
  static constexpr uint32_t kNoEntry = UINT32_MAX;
  std::unordered_map<std::string, Story> stories_;              ///< story ids given in this batch
  bool count_copies_ = false;
  std::vector<std::string> outlets_;
  std::unordered_map<std::string, uint32_t> outlet_ids_;
  /// Story -> its other articles' kSlotStoryCopyList entries (encoded), up to kMaxListedCopies articles.
  std::unordered_map<std::string, std::string> more_;
};

/// The copies of each story of `stories` in `all` (every database holding its articles: the one written,
/// or every shard or segment), the ones alone in their story left out unless `alone_too`.
std::vector<StoryCopies> read_copies(const Xapian::Database& all, const std::vector<std::string>& stories,
                                     bool alone_too = false);

/// Writes them on the stories' articles in `db`, where they differ: a story of several articles gives each
/// kSlotStoryCopies and the list; an article down to being alone in its story keeps kSlotStoryCopies (it
/// had copies) with a list of itself. Does not commit.
void write_copies(Xapian::WritableDatabase& db, const std::vector<StoryCopies>& copies);

/// read_copies() in `all`, then write_copies() into `db`. Call after the documents of a batch are in `db`
/// (uncommitted changes are read): a new copy of an article that was alone gives both the values, and
/// every other copy the longer list. `alone_too`: stories that lost an article (deleted or moved).
void refresh_copies(Xapian::WritableDatabase& db, const Xapian::Database& all,
                    const std::vector<std::string>& stories, bool alone_too = false);

/// The same in one database: refresh_copies(db, db, stories).
void mark_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& stories);

/// The stories of `db` that hold more than one article (`db` may be several databases searched as one).
std::vector<std::string> multi_copy_stories(const Xapian::Database& db);

/// mark_copies() for every story of `db`, then sets schema::kMetaStoryCopies and kMetaStoryCopyList (a
/// database made before the slots, or a bulk build after its merge). Does not commit.
void mark_all_copies(Xapian::WritableDatabase& db);

/// Links every article document of `db` that has no story yet (a database built by several writers into
/// segments, bulk.h, after the merge): detection data made from its stored text where it has none, then
/// the same rule as Linker in date-then-id order. Commits. Returns how many documents it linked.
size_t link_all(Xapian::WritableDatabase& db, Thresholds thresholds = {});

}  // namespace dateline::stories
