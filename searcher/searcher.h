/** @file
 *  @brief Search execution: open a Dateline database, rank, collapse per article, facets, snippets.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/database.h"
#include "searcher/facets.h"
#include "searcher/query.h"
#include "searcher/snippets.h"
#include "searcher/weight.h"

namespace dateline {

/// A database that cannot be searched. The message is one line and names the path.
class DatabaseError : public std::runtime_error {
 public:
  enum class Kind {
    kMissing,  ///< nothing at the path
    kNotOurs,  ///< a file/Xapian database without a Dateline stamp
    kDamaged,  ///< Xapian says corrupt, or cannot open it
    kVersion,  ///< a schema version this build does not read
  };
  DatabaseError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

/// Result order.
enum class SortOrder {
  kRelevance,  ///< best first
  kDate,       ///< oldest first (unknown dates last), ties by relevance
  kDateDesc,   ///< newest first (unknown dates last), ties by relevance
};

/// What is ranked. Positional queries (phrase, NEAR) always rank passages: article documents hold no
/// positions. For experiments (bench/relevance) only.
enum class Scoring {
  kArticle,  ///< rank article documents, then pick each hit's best passage(s)
  kPassage,  ///< rank passage documents, collapsed by article
};

/// SearchOptions::exact_total_up_to: the default (Elasticsearch's), and "count every match".
inline constexpr uint64_t kDefaultExactTotalUpTo = 10000;
inline constexpr uint64_t kAllMatches = UINT64_MAX;

/// Everything one search needs (validated by the caller: main.cpp turns flags into this).
struct SearchOptions {
  std::string query;       ///< query text (the query language of searcher/query.h)
  Syntax syntax = Syntax::kFull;  ///< how the query text is read (--syntax)
  Filters filters;         ///< --outlet, --speaker, --author, --since, --until
  CompileOptions compile;  ///< --match all|any; the query budget (--time-limit)
  SortOrder sort = SortOrder::kRelevance;
  Scoring scoring = Scoring::kArticle;
  size_t limit = 10;              ///< hits to return at most
  size_t offset = 0;              ///< hits to skip (paging)
  size_t per_article = 1;         ///< passages per article at most; 0 = every matching passage
  std::vector<FacetKind> facets;  ///< facets to count over the whole match set
  size_t facet_limit = 10;        ///< values per facet at most; 0 = all
  bool fast_facets = false;       ///< count facets and totals on a sample (reported as inexact)
  /// Count matching articles exactly up to this many; past it the matcher may stop early and the total
  /// is an estimate (SearchResult::total_exact false), as Elasticsearch's track_total_hits and Lucene's
  /// total-hits threshold do. Facets (without fast_facets) and Searcher::count() always see every match.
  /// 0: no counting past the page (ids/trec output, which prints no total). kAllMatches: always exact.
  uint64_t exact_total_up_to = kDefaultExactTotalUpTo;
  bool explain = false;        ///< fill Hit::explain
  size_t snippet_chars = 200;  ///< snippet length at most, in code points
  bool want_snippets = true;   ///< false: skip snippet work (ids/trec output); with per_article 1
                               ///< and no explain, article hits then skip the best-passage choice
                               ///< too (Hit::passage, speakers and text stay unset)
  bool ids_only = false;       ///< hits carry rank, score and id only (ids/trec output): the
                               ///< documents' data is not read
  bool suggest = true;         ///< spelling suggestion when nothing matches
};

/// How one hit's score was made (--explain).
struct Explanation {
  std::string scoring;                     ///< "article" or "passage"
  std::string weighting;                   ///< "BM25(k1=1.2, b=0.75, ...)"
  double article_score = 0;                ///< BM25 of the article document (article scoring)
  std::vector<std::string> article_terms;  ///< query terms the article document matched
  double passage_score = 0;                ///< score of the chosen passage (selection query or BM25)
  std::vector<std::string> passage_terms;  ///< terms the chosen passage matched
  double proximity_bonus = 0;              ///< part of passage_score from query words close together
  std::string passage_query;               ///< Xapian description of the passage-selection query
  std::string query;                       ///< Xapian description of the ranking query
  std::string parsed;                      ///< ParsedQuery::describe()
};

/// One result: a passage of an article (with the article's metadata). Unknown fields are absent.
struct Hit {
  size_t rank = 0;   ///< 1-based, counting from the first page (offset + i + 1)
  double score = 0;  ///< the ranking score (BM25 of the article, or of the passage)
  std::string id;    ///< article id
  std::optional<std::string> path, title, outlet, date, author;
  std::optional<uint32_t> passage;    ///< 1-based passage number
  std::vector<std::string> speakers;  ///< quoted in this passage
  std::optional<std::string> text;    ///< the passage text
  std::optional<Snippet> snippet;
  std::optional<Explanation> explain;
};

/// What a search found.
struct SearchResult {
  std::string query;   ///< as given
  uint64_t total = 0;  ///< matching articles (distinct), exact unless total_exact is false
  bool total_exact = true;
  std::vector<Hit> hits;
  std::vector<FacetResult> facets;
  /// "did you mean" query text when nothing matched: the query with each word that matched nothing
  /// replaced by a close (first letter kept, fewer than one edit per 4 letters) word of the index that
  /// occurs in at least 10 times as many passages; unset when no word has such a neighbour.
  std::optional<std::string> suggestion;
  /// Plain query words (as typed) that match nothing in the database, in query order ("brexit" of
  /// "brexit vote"); operators, fields and wildcards are not looked at.
  std::vector<std::string> unmatched_words;
  /// Where the query budget (QueryBudget) cut the work, one line each: the answer is partial (hits,
  /// total or facets may miss matches). Empty for a complete answer.
  std::vector<std::string> warnings;
  bool partial() const { return !warnings.empty(); }
};

/// `--info`: what a database holds.
struct DatabaseInfo {
  std::string path;
  int schema_version = 0;
  std::string analyzer;    ///< serialised AnalyzerConfig
  uint64_t documents = 0;  ///< Xapian documents (passages + articles)
  uint64_t articles = 0;
  uint64_t passages = 0;
  std::vector<FacetCount> outlets;                   ///< articles per outlet
  uint64_t speakers = 0;                             ///< distinct speakers quoted
  uint64_t authors = 0;                              ///< distinct authors
  std::optional<std::string> first_date, last_date;  ///< "YYYY-MM-DD"
  uint64_t undated = 0;                              ///< articles without a date
};

/// Named ranking constants: every number the ranking uses lives here.
namespace ranking {
inline constexpr double kBm25K1 = 0.9;  ///< term-frequency saturation (Anserini's default)
inline constexpr double kBm25K3 = 1.0;  ///< within-query frequency
inline constexpr double kBm25B = 0.4;   ///< document-length normalisation (Anserini's default)
inline constexpr double kBm25MinNormLen = 0.5;
/// Title weight: applied at index time as a wdf multiplier (schema::kFields "title" weight), so a
/// title word counts this many body occurrences; quoted here for --explain.
inline constexpr unsigned kTitleWeight = 3;
/// Query-time scale of a title (ZS/S) term's BM25 weight, on top of the wdf multiplier above. The
/// title words are also article text (schema::kTitleBodyWeight), so this is a small extra bonus for a
/// word in the headline, not the title's whole say (3.0 cost 0.05 nDCG@10 on SciFact; bench/RESULTS.md).
inline constexpr double kTitleQueryScale = 0.25;
/// Plain words (default OR): documents holding every word get the AND's weight again (OP_AND_MAYBE).
inline constexpr bool kCoordinationBonus = true;
/// Plain (bag-of-words) query words that are English stop words ("the", "of": Lucene's 33) are dropped
/// when the query has other words; phrases, NEAR and `+the` keep them, and so does the index. They
/// weigh almost nothing in BM25 but match nearly every article (cost: exact totals count them all).
inline constexpr bool kDropStopWords = true;
/// An unquoted compound ("PPAR-RXRs", "Belarus-Ukraine") among the optional words of a query: each
/// part is one more optional word (false: the parts are all required, as for a required compound).
inline constexpr bool kCompoundPartsOptional = true;
/// An acronym typed in capitals also matches its other number, which Snowball does not merge:
/// "RNAs" finds "RNA", "NGO" finds "NGOs" (one term for BM25, OP_SYNONYM).
inline constexpr bool kAcronymPlurals = true;
/// Passage choice within an article: a pair of query words within this many positions earns a bonus.
inline constexpr unsigned kProximityWindow = 8;
/// Weight of each close pair relative to one BM25 term match in the passage-selection query.
inline constexpr double kProximityBonus = 0.5;
/// An adjacent pair (in query order) earns this much more than a merely close one.
inline constexpr double kPhraseBonus = 1.0;
/// The hit score in article scoring: article BM25 + kPassageMix * best passage score. 0 keeps the
/// article order and the article's BM25 as the reported score; the passage only chooses the text.
inline constexpr double kPassageMix = 0.0;
}  // namespace ranking

/// An open database and its analyzer. Not thread-safe: one per thread.
class Searcher {
 public:
  /// Opens `path` (a database directory or a stub file listing shards, analyzers/database.h) and checks
  /// its stamp. Throws DatabaseError.
  explicit Searcher(const std::string& path, const database::OpenOptions& open = {});

  /// Runs a search. Throws QueryError for a bad query, DatabaseError when the database breaks.
  SearchResult search(const SearchOptions& options);

  /// Matching articles only (`--count`): no hits, no snippets. {count, exact}.
  std::pair<uint64_t, bool> count(const SearchOptions& options);

  /// `--info`.
  DatabaseInfo info();

  const Analyzer& analyzer() const { return analyzer_; }
  const std::string& path() const { return path_; }

 private:
  SearchResult search_once(const SearchOptions& options);
  void open_once(const std::string& path, const database::OpenOptions& open, const std::string& create_hint);
  /// Fills SearchResult::unmatched_words and, when `want_suggestion`, SearchResult::suggestion.
  void review_words(const std::string& query, bool want_suggestion, SearchResult& result);

  std::string path_;
  /// The collection statistics of each kind of document (weight.h), read when the database is opened
  /// or reopened, not at every search.
  void refresh_stats();

  Xapian::Database db_;
  Analyzer analyzer_;
  KindStats article_stats_;
  KindStats passage_stats_;
};

/// "relevance" | "date" | "-date"; std::nullopt otherwise.
std::optional<SortOrder> parse_sort(std::string_view text);
/// "article" | "passage"; std::nullopt otherwise.
std::optional<Scoring> parse_scoring(std::string_view text);

}  // namespace dateline
