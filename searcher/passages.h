/** @file
 *  @brief Choosing an article's best passages at query time, from the positions of the query's words.
 *
 *  An article is one Xapian document whose passages are position ranges (analyzers/schema.h). For the
 *  page of hits only, each passage is scored with BM25 over the query words it holds (the word's
 *  article frequency for idf, the passage's length against the average passage length), plus a bonus
 *  for query words close together and in order, read from the document's position lists: no passage
 *  text is analysed to choose.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

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

/// The article's passages in the order they are shown, best first, at most `limit` (0: every
/// candidate): only the passages of the best tier, where a passage that quotes a filtered speaker beats
/// one that does not, then one that holds every phrase and NEAR group, then one with a query word (the
/// first passage when none has any of these). Within the tier by score, then by passage number.
std::vector<PassageScore> choose_passages(const Xapian::Database& db, Xapian::docid did,
                                          const std::vector<PassageSpan>& passages, const PassageQuery& query,
                                          const PassageStats& stats, size_t limit);

}  // namespace dateline
