/** @file
 *  @brief Choosing an article's best passages at query time, from the positions of the query's words.
 *
 *  An article is one Xapian document whose passages are position ranges (analyzers/schema.h). For the
 *  page of hits only, each passage is scored with BM25 over the query words it holds (the word's
 *  article frequency for idf, the passage's length against the average passage length), plus a bonus
 *  for query words close together and in order. The positions come from a PositionSource: the
 *  document's position lists (one read per term and hit), or the stored passage texts analysed again
 *  with the database's analyzer, which give the very positions the indexer wrote (no read at all: a
 *  remote shard otherwise answers each position list over the network). Both feed one scorer.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"

namespace dateline {

/// One passage of a stored article: where it starts (schema::kPassageStride) and its length in ranking
/// terms ("pos" and "len" of the document data).
struct PassageSpan {
  uint32_t start = 0;
  uint64_t length = 0;
};

/// What the passage choice looks for, built once per search.
struct PassageQuery {
  /// The query's words in query order, each the positional terms that are that word (its ranking term
  /// and its exact form, or a wildcard's exact forms).
  std::vector<std::vector<std::string>> words;
  /// For each word (when not empty: as many as `words`), the terms whose largest article frequency gives
  /// its idf; an empty entry (or no list) means all of the word's terms.
  std::vector<std::vector<std::string>> idf_terms;
  /// Speaker filters: alternatives, each the name words one speaker needs, each word with the
  /// schema::kSpeakerWord terms of its spellings (any one will do).
  std::vector<std::vector<std::vector<std::string>>> speakers;
  /// Phrases and NEAR groups: a passage that holds them all comes first.
  struct Group {
    std::vector<std::string> terms;  ///< exact forms, in query order
    unsigned window = 0;             ///< all within this many positions
    bool ordered = false;            ///< one after another, in order (a phrase)
  };
  std::vector<Group> groups;
  /// Article frequencies already known (a wildcard's forms, read with the term list): not read again.
  std::unordered_map<std::string, Xapian::doccount> termfreqs;
  /// For DocumentPositions: ranking terms of `words` (kArticleText + stem), which carry no positions in
  /// the index (schema 4), each with the exact-form terms whose positions are its (schema::ranking_forms()).
  /// TextPositions needs none: it places ranking terms itself.
  std::unordered_map<std::string, std::vector<std::string>> forms;
  /// The documents (sorted docids) of the rarer of those forms: DocumentPositions reads a form's positions
  /// in these only (most forms of a stem are rare, and a read of a list the document lacks costs as much).
  std::unordered_map<std::string, std::vector<Xapian::docid>> form_docs;
};

/// Collection statistics for the passage BM25.
struct PassageStats {
  double articles = 0;               ///< documents in the database
  double average_length = 0;         ///< average passage length in ranking terms (0: no normalisation)
};

/// One scored passage.
struct PassageScore {
  uint32_t passage = 0;     ///< 1-based
  double score = 0;         ///< BM25 of its words + proximity bonus
  double proximity = 0;     ///< the part of `score` from close and adjacent query words
  bool quotes_speaker = false;  ///< quotes a speaker of PassageQuery::speakers
  bool holds_groups = false;    ///< holds every PassageQuery::groups
  std::vector<std::string> terms;  ///< the query terms it holds
};

/// Where Searcher reads a hit's positions from (SearchOptions::passage_source).
enum class PassageSource {
  kAuto,       ///< the stored texts for a hit on a remote shard, the position lists on a local one
  kPositions,  ///< always the position lists (DocumentPositions)
  kText,       ///< always the stored texts (TextPositions)
};

/// Where the chooser reads the positions of a term in one article.
class PositionSource {
 public:
  virtual ~PositionSource() = default;
  /// The article's positions of `term`, sorted ascending, each once; empty when it has none.
  virtual std::vector<Xapian::termpos> positions(const std::string& term) const = 0;
};

/// Positions from the document's position lists (a read per term; a network round trip on a remote shard).
/// A ranking term of `query`'s PassageQuery::forms has the positions of its forms, merged; each list is
/// read once.
class DocumentPositions final : public PositionSource {
 public:
  DocumentPositions(const Xapian::Database& db, Xapian::docid did, const PassageQuery* query = nullptr)
      : db_(db), did_(did), query_(query) {}
  std::vector<Xapian::termpos> positions(const std::string& term) const override;

 private:
  const std::vector<Xapian::termpos>& read(const std::string& term) const;
  const Xapian::Database& db_;
  Xapian::docid did_;
  const PassageQuery* query_;
  mutable std::unordered_map<std::string, std::vector<Xapian::termpos>> read_;
};

/// One stored passage as the document data keeps it ("text", "speakers", "pos").
struct PassageText {
  std::string_view text;              ///< must outlive the TextPositions built from it
  std::vector<std::string> speakers;  ///< this passage's speakers (their name words sit before `start`)
  uint32_t start = 0;                 ///< its first position (PassageSpan::start)
};

/// Positions rebuilt from the stored passage texts with the database's analyzer, as
/// indexer/document_builder.cpp placed them: body words (exact form, and ranking term unless a stop word)
/// at start + word position, the passage speakers' name words (schema::kSpeakerWord) at start - 1, - 2...
/// Only the terms of `query` are kept. Independent of which terms the index stores positions for.
class TextPositions final : public PositionSource {
 public:
  TextPositions(const std::vector<PassageText>& passages, const Analyzer& analyzer, const PassageQuery& query);
  std::vector<Xapian::termpos> positions(const std::string& term) const override;

 private:
  std::unordered_map<std::string, std::vector<Xapian::termpos>> positions_;
};

/// A term's article frequency (for the idf). Searcher passes the match's statistics (MSet::get_termfreq),
/// cached per query, so a page of hits asks the database at most once per term.
using TermFreq = std::function<double(const std::string& term)>;

/// The article's passages in the order they are shown, best first, at most `limit` (0: every
/// candidate): only the passages of the best tier, where a passage that quotes a filtered speaker beats
/// one that does not, then one that holds every phrase and NEAR group, then one with a query word (the
/// first passage when none has any of these). Within the tier by score, then by passage number.
std::vector<PassageScore> choose_passages(const PositionSource& source, const std::vector<PassageSpan>& passages,
                                          const PassageQuery& query, const PassageStats& stats,
                                          const TermFreq& termfreq, size_t limit);

/// As above, from the document's position lists and the database's term frequencies.
std::vector<PassageScore> choose_passages(const Xapian::Database& db, Xapian::docid did,
                                          const std::vector<PassageSpan>& passages, const PassageQuery& query,
                                          const PassageStats& stats, size_t limit);

}  // namespace dateline
