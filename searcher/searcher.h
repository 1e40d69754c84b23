/** @file
 *  @brief Search execution: open a Dateline database, rank, collapse per article, facets, snippets.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/database.h"
#include "base/errors.h"
#include "searcher/collapse.h"
#include "searcher/facets.h"
#include "searcher/name_groups.h"
#include "searcher/query.h"
#include "searcher/ranking.h"
#include "searcher/snippets.h"
#include "searcher/documents.h"
#include "searcher/passages.h"

namespace dateline {

/// Result order.
enum class SortOrder {
  kRelevance,  ///< best first
  kDate,       ///< oldest first (unknown dates last), ties by relevance
  kDateDesc,   ///< newest first (unknown dates last), ties by relevance
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
  size_t limit = 10;              ///< hits to return at most
  size_t offset = 0;              ///< hits to skip (paging)
  size_t per_article = 1;         ///< passages per article at most; 0 = every matching passage
  std::vector<FacetKind> facets;  ///< facets to count over the whole match set
  size_t facet_limit = 10;        ///< values per facet at most; 0 = all
  bool fast_facets = false;       ///< count facets and totals on a sample (reported as inexact)
  /// One hit per story (syndicated copies, schema::kSlotStory): the best copy stands for the others
  /// (Hit::copies). false: `--copies show`, every copy its own hit.
  bool collapse_copies = true;
  /// Where copies are collapsed: kAuto lets the searcher choose (Searcher::search()); the others are for
  /// tests and measurements. kAfterMatch is taken where it can be (Searcher::collapses_after_match(): one
  /// local database with schema::kSlotStoryCopies, no fast_facets).
  enum class CollapseAt { kAuto, kInMatch, kAfterMatch };
  CollapseAt collapse_at = CollapseAt::kAuto;
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
  /// Where the passage choice reads positions; both give the same passages (tests/unit/passage_choice_test.cpp).
  PassageSource passage_source = PassageSource::kAuto;
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
  std::string passage_query;               ///< how the passage was chosen
  std::vector<std::string> name_expansions;  ///< "word -> variant ..." for each word expanded (names.h)
  std::string query;                       ///< Xapian description of the ranking query
  std::string parsed;                      ///< ParsedQuery::describe()
};

/// One result: a passage of an article (with the article's metadata). Unknown fields are absent.
struct Hit {
  size_t rank = 0;   ///< 1-based, counting from the first page (offset + i + 1)
  double score = 0;  ///< the ranking score (BM25 of the article, or of the passage)
  std::string id;    ///< article id
  std::optional<std::string> path, title, outlet, date, author;
  std::optional<std::string> wire;    ///< news agency of wire copy (absent for the site's own copy)
  std::optional<uint32_t> passage;    ///< 1-based passage number
  std::vector<std::string> speakers;  ///< quoted in this passage
  std::optional<std::string> text;    ///< the passage text
  std::optional<Snippet> snippet;
  std::optional<Explanation> explain;
  /// The other copies of its story, by date (unknown last), then id: every copy, whether it matched or not.
  struct Copy {
    std::string id;
    std::optional<std::string> outlet, date;
  };
  std::vector<Copy> copies;
};

/// What a search found.
struct SearchResult {
  std::string query;   ///< as given
  uint64_t total = 0;  ///< matching articles (distinct), exact unless total_exact is false
  /// Matching stories when copies were collapsed into fewer hits than articles (else unset).
  std::optional<uint64_t> stories;
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
  std::vector<database::ShardInfo> shards;           ///< a stub's shards, each on its own (else empty)
};

/// What the matcher saw, before collapsing: every candidate's docid and score (Searcher::earliest_ties()).
/// It reads no value: the few candidates that tie with a shown hit are looked up afterwards (reading the
/// collapse value of every candidate here cost 3% of a collapsed search). Given the StoryNumbers of the
/// database, it notes only the candidates that have copies (a lookup by docid), with their story numbers:
/// what collapsing after the match needs (collapse.h). Not serialisable: local databases only.
class CopySpy : public Xapian::MatchSpy {
 public:
  struct Seen {
    Xapian::docid did;
    double score;
  };
  CopySpy() = default;
  explicit CopySpy(const StoryNumbers* numbers) : numbers_(numbers) {}
  void operator()(const Xapian::Document& doc, double wt) override;
  const std::vector<Seen>& seen() const { return seen_; }
  /// The StoryNumbers given, or nullptr (every candidate noted).
  const StoryNumbers* numbers() const { return numbers_; }
  /// The story numbers of what was noted (with StoryNumbers only).
  NotedCopies noted() const;
  /// Forgets what was noted (before the match runs again).
  void clear() { seen_.clear(); }

 private:
  const StoryNumbers* numbers_ = nullptr;
  std::vector<Seen> seen_;
};

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

  /// `--list`: every value `kind` takes in the database (outlets, speakers, authors, years, months), each
  /// with the number of articles that have it, sorted by value (bytes; years and months chronologically).
  /// Values are the stored display forms (canonical outlet names, full speaker names), as facets show them.
  std::vector<FacetCount> list(FacetKind kind);

  const Analyzer& analyzer() const { return analyzer_; }
  const std::string& path() const { return path_; }

 private:
  /// Runs `read()` (a read of db_) and returns what it returns. When an indexer commits meanwhile, takes
  /// the new revision and runs it again, at most kModifiedRetries times; Xapian's errors become a
  /// DatabaseError naming the path. `during` names the work for the message ("the search").
  template <class Read>
  auto retrying(std::string_view during, Read&& read) -> decltype(read());
  SearchResult search_once(const SearchOptions& options);
  /// The page's hits: each article of `mset` with its best passage(s) (passages.h), snippets, --explain.
  /// `page` holds items of `mset`, whose term statistics give the passage idf.
  void add_hits(const SearchOptions& options, const ParsedQuery& parsed, const CompiledQuery& compiled,
                const Xapian::Enquire& enquire, const Xapian::MSet& mset,
                const std::vector<RankedHit>& page, const CopySpy* copy_spy, bool counted_apart,
                SearchResult& result);
  /// What the passage choice looks for: the query's words as positional terms, and its speakers.
  /// With `positions`: some hit's passages are chosen from the position lists (DocumentPositions), which
  /// need the ranking terms' forms (PassageQuery::forms).
  PassageQuery passage_query(const CompiledQuery& compiled, bool positions) const;
  /// Xapian's collapser keeps, of copies with equal scores, the one with the lowest docid; a story is shown
  /// by its earliest copy (date, unknown last, then id: schema::tie_key()). For each collapsed hit of `page`
  /// whose story has an earlier copy with the same score: its docid -> that copy's, among the copies `spy`
  /// saw (page_copies() answers without a spy). Nothing is read when the page holds no collapsed hit.
  std::unordered_map<Xapian::docid, Xapian::docid> earliest_ties(const std::vector<RankedHit>& page,
                                                                 const CopySpy& spy) const;
  /// Several shards, or a remote one (no CopySpy): which hits of `page` folded other copies, and, when
  /// `ties` (relevance order), each hit's earliest copy with the same score, as earliest_ties() gives it.
  /// One extra match over the page's stories answers both: Xapian 1.4 keeps no collapse count for a copy
  /// folded on a remote server, and each copy comes back with its story (the collapse key, at most a
  /// limit no story reaches) and its date and id (the sort key), so no document is read.
  struct PageCopies {
    std::unordered_map<Xapian::docid, Xapian::docid> earliest;  ///< shown docid -> the copy to show
    std::unordered_set<Xapian::docid> folded;                   ///< shown docids with other matching copies
  };
  PageCopies page_copies(const Xapian::Enquire& enquire, const std::vector<RankedHit>& page, bool ties) const;
  /// earliest_ties() from a spy that noted story numbers: a folded hit's tied copies are the noted
  /// candidates of its story with its score.
  std::unordered_map<Xapian::docid, Xapian::docid> earliest_noted_ties(const std::vector<RankedHit>& page,
                                                                       const CopySpy& spy) const;
  /// The tie key (schema::tie_key()) of each of `dids` (sorted): a few read document by document, more
  /// from the value streams in docid order.
  std::unordered_map<Xapian::docid, std::string> tie_keys(const std::vector<Xapian::docid>& dids) const;
  /// Whether this search collapses copies after the match (collapse.h): a single local database whose
  /// articles carry the collapse slot schema::kSlotStoryCopies, few of them with copies.
  bool collapses_after_match(const SearchOptions& options) const;
  /// Over remote shards, whether a page's hits of stories are read only once the page's stories were asked
  /// which copy ties (page_copies()), not with the others: where most articles have copies, an earlier copy
  /// that ties shows most of those stories instead.
  bool stories_wait() const;
  /// Over remote shards only (every one), the name-variant keys (when `names`) and the ranking terms'
  /// forms `parsed` will ask (a compile that records them) read at once over the extra connections into
  /// name_answers_ and form_answers_: one round trip where each key cost two in a row, and each form
  /// lookup one per shard. Anything that fails is left to the lookup as it goes.
  void prefetch_names(const ParsedQuery& parsed, const SearchOptions& options, const CompileOptions& compile,
                      bool names);
  /// The exact-form terms whose positions are those of the ranking term kArticleText + `rank_word`
  /// (schema::ranking_forms(), over every shard's forms: each shard lists its own articles').
  const std::vector<std::string>& ranking_forms(const std::string& rank_word) const;
  /// Reads into form_answers_ the forms of `rank_words` not known yet: every shard's kMetaFormsPrefix
  /// entry, at once over the extra connections when every shard is remote, else shard after shard.
  void read_forms(const std::vector<std::string>& rank_words) const;
  void open_once(const std::string& path, const database::OpenOptions& open, const std::string& create_hint);
  /// Fills SearchResult::unmatched_words and, when `want_suggestion`, SearchResult::suggestion.
  /// Term frequencies come from `mset`'s statistics where the query holds the term (no read).
  void review_words(const std::string& query, bool want_suggestion, const Xapian::MSet& mset, SearchResult& result);

  std::string path_;
  /// The statistics the passage choice uses (passages.h), read when the database is opened or reopened,
  /// not at every search.
  void refresh_stats();
  /// CompileOptions::speaker_people from the person table.
  CompileOptions::SpeakerPeople speaker_people(const std::string& value) const;

  Xapian::Database db_;
  Analyzer analyzer_;
  PassageStats passage_stats_;
  /// Per shard of db_ (in Xapian's order, the shards opened): remote. Its hits' passages are chosen
  /// from their stored texts (TextPositions), a local shard's from the position lists.
  std::vector<bool> remote_shard_;
  /// Reads a page's documents on remote shards at once (documents.h); set when the database is opened.
  std::shared_ptr<DocumentReader> documents_;
  /// Remote documents one search has read already (by docid in db_), for its page: emptied at each search.
  std::unordered_map<Xapian::docid, Xapian::Document> remote_read_;
  /// The collapse key: schema::kSlotStoryCopies, or kSlotStory in a database made before that slot.
  Xapian::valueno collapse_slot_ = 0;
  /// Every shard keeps each copy's list of its story's copies (schema.h kSlotStoryCopyList).
  bool copy_lists_ = false;
  /// Share of the articles that carry schema::kSlotStoryCopies (have copies), from the value statistics.
  double copies_share_ = 0;
  /// The story numbers of the articles with copies (collapse.h), read at the first search that collapses
  /// after the match; dropped when the database is reopened.
  std::unique_ptr<const StoryNumbers> story_numbers_;
  std::vector<database::OpenedShard> shards_;  ///< the shards db_ holds (one for a glass directory)
  std::vector<std::string> missing_;           ///< shards left out (OpenOptions::allow_partial)
  /// The words sharing a name key (analyzers/names.h), for CompileOptions::name_variants.
  std::function<std::vector<std::string>(const std::string& key)> name_variants_;
  /// Over remote shards, the answers prefetch_names() read at once (key -> words); dropped on reopening.
  std::unordered_map<std::string, std::vector<std::string>> name_answers_;
  /// ranking_forms() answers (rank word -> exact-form terms), kept until the database is reopened.
  mutable std::unordered_map<std::string, std::vector<std::string>> form_answers_;
  /// Whether the index stores its name table (names.h kMetaNamesBuilt), read when first needed.
  std::optional<bool> names_stored_;
  /// The person table of the index (searcher/name_groups.h); not built: speakers grouped at query time.
  std::shared_ptr<const PersonTable> people_;
};

/// "relevance" | "date" | "-date"; std::nullopt otherwise.
std::optional<SortOrder> parse_sort(std::string_view text);
/// What `--list` takes: "outlets", "speakers", "authors", "years", "months" (or the singular, as --facet
/// names them); std::nullopt otherwise.
std::optional<FacetKind> parse_list(std::string_view text);
/// The names parse_list() takes, for messages: "outlets speakers authors years months".
std::string list_names();

}  // namespace dateline
