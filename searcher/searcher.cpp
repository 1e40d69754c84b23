/** @file
 *  @brief Search execution: open a Dateline database, rank, collapse per article, facets, snippets.
 *
 *  One Xapian document per article (analyzers/schema.h): Xapian's BM25Weight ranks articles over their
 *  ranking terms (phrases, NEAR, quoted words and wildcards match exact forms, which weigh nothing, and
 *  are weighed by their words' ranking terms); Xapian's ValueCountMatchSpy counts facets, each article
 *  once; then each hit on the page is shown by its best passage(s), chosen from the positions of the
 *  query's words (passages.h): read from the position lists on a local shard, rebuilt from the stored
 *  passage texts on a remote one, where each read is a network round trip. Constants in ranking.h.
 */
#include "searcher/searcher.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/schema.h"
#include "analyzers/names.h"
#include "base/experiments.h"
#include "base/edit_distance.h"
#include "searcher/name_groups.h"
#include "searcher/stories.h"

namespace dateline {

namespace {

// schema::ranking_forms() with the analyzer's word rules.
std::vector<std::string> forms_of(const Analyzer& analyzer, const std::string& rank_word,
                                  const std::vector<std::string>& stored) {
  const bool own = schema::owns_ranking_term(rank_word, analyzer.stem(rank_word), analyzer.is_stop_word(rank_word));
  return schema::ranking_forms(rank_word, own, stored);
}

// A stem's form in at most this many articles has its documents read once per query for the passage choice
// (PassageQuery::form_docs).
constexpr Xapian::doccount kRareForm = 256;
constexpr int kModifiedRetries = 5;  // reopen-and-retry rounds when an indexer commits mid-search
constexpr int kSwapRetries = 3;      // opening again when the database was swapped during the open
constexpr size_t kSpeakerGroupingValues = 100;  // speaker values grouped into people at least (by count)
// Extra connections per remote shard for a page's documents (documents.h). Eight opened at once sometimes
// waited a second to connect on loopback; four did not (bench/RESULTS.md "Remote round trips").
constexpr size_t kDocumentLanes = 4;
// Copies are collapsed after the match (collapse.h) when at most this share of the articles have copies
// (news.jsonl: 8%; news x3: all). Measured in bench/RESULTS.md "Collapsing copies after the match".
constexpr double kCollapseAfterMatchShare = 0.5;
// Up to this many documents, their date and id are read document by document, past it from the value streams.
constexpr size_t kFewDocuments = 16;

std::string str(std::string_view s) {
  return std::string(s);
}

// Xapian's BM25 (k2 = 0): one document per article, so the collection is articles only.
Xapian::BM25Weight bm25() {
  static const double k1 = ranking_knob("k1", ranking::kBm25K1);
  static const double b = ranking_knob("b", ranking::kBm25B);
  return Xapian::BM25Weight(k1, 0, ranking::kBm25K3, b, ranking::kBm25MinNormLen);
}

std::string weighting_description() {
  char buf[200];
  std::snprintf(buf, sizeof buf, "BM25(k1=%g, k3=%g, b=%g, min_normlen=%g) over articles, title wdf x%u",
                ranking::kBm25K1, ranking::kBm25K3, ranking::kBm25B, ranking::kBm25MinNormLen,
                ranking::kTitleWeight);
  return buf;
}

std::optional<std::string> json_string(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  std::string v = it->get<std::string>();
  if (v.empty()) return std::nullopt;
  return v;
}

// "YYYYMMDD" (or a prefix) -> "YYYY-MM-DD" (or "YYYY-MM", "YYYY").
std::string slot_date_to_iso(const std::string& v) {
  if (v.size() >= 8) return v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2);
  if (v.size() >= 6) return v.substr(0, 4) + "-" + v.substr(4, 2);
  return v;
}

// Fills a hit's article fields from its document (the passage fields are the passage choice's).
// `data`: the document's data, parsed (once per hit: the passages are read from it too).
void fill_hit(Hit& hit, const Xapian::Document& doc, const nlohmann::json& data) {
  hit.id = json_string(data, "id").value_or(doc.get_value(schema::kSlotArticleId));
  hit.path = json_string(data, "path");
  hit.title = json_string(data, "title");
  hit.outlet = json_string(data, "outlet");
  hit.date = json_string(data, "date");
  if (!hit.date) {
    std::string v = doc.get_value(schema::kSlotDate);
    if (!v.empty()) hit.date = slot_date_to_iso(v);
  }
  hit.author = json_string(data, "author");
  hit.wire = json_string(data, "wire");
  hit.passage.reset();
  hit.speakers.clear();
  hit.text.reset();
  if (data.is_object()) {
    if (auto it = data.find("speakers"); it != data.end() && it->is_array()) {
      for (const auto& s : *it) {
        if (s.is_string()) hit.speakers.push_back(s.get<std::string>());
      }
    }
  }
}

std::vector<std::string> matching_terms(const Xapian::Enquire& enquire, Xapian::docid did) {
  std::vector<std::string> out;
  for (auto t = enquire.get_matching_terms_begin(did); t != enquire.get_matching_terms_end(did); ++t) {
    // Boolean filter terms (KP, XID..., XO...) match too but weigh nothing: show only text terms.
    if (schema::is_text_term(*t)) out.push_back(*t);
  }
  return out;
}

// The facets as printed: at most `limit` values each (0: all); speakers the rows of the first `limit`
// people (name_groups.h), so that the printers' grouping shows that many whole rows.
std::vector<FacetResult> facet_rows(std::vector<FacetResult> facets, size_t limit) {
  for (FacetResult& f : facets) {
    if (f.name == facet_name(FacetKind::kSpeaker)) {
      // Grouping reads each value's name keys (ICU transliteration): only the most frequent values
      // can make the first rows, so the long tail is left out of it (a match of every article had
      // thousands of speakers: 358 ms at p95 grouped whole).
      const size_t head = std::max<size_t>(kSpeakerGroupingValues, 20 * limit);
      if (limit > 0 && f.values.size() > head) f.values.resize(head);
      f.values = top_name_rows(f.values, limit);
    } else if (limit > 0 && f.values.size() > limit) {
      f.values.resize(limit);  // sorted by count already
    }
  }
  return facets;
}

// Every hit of `mset`, in its order.
std::vector<RankedHit> all_hits(const Xapian::MSet& mset) {
  std::vector<RankedHit> out;
  out.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) out.emplace_back(it);
  return out;
}

// Scores that tie: equal but for the rounding of a sum taken in another order (copies of one text weigh
// alike; shards add their statistics in another order than one database).
bool scores_tie(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(a)); }

// The article ids of `dids` in a local database, by one walk along the id slot's value stream in docid
// order. Read one by one (Document::get_value()), each value is looked up from the top of the postlist
// table's B-tree: 1.25 block reads an id on news.jsonl's term queries against 0.4 this way, and the ids of a
// page of 100 hits were most of an `--format ids` or `trec` query's reads (bench/RESULTS.md, seventh session).
// A document without the value is left out (its id is then "", as get_value() gives).
std::unordered_map<Xapian::docid, std::string> stream_ids(const Xapian::Database& db, std::vector<Xapian::docid> dids) {
  std::sort(dids.begin(), dids.end());
  dids.erase(std::unique(dids.begin(), dids.end()), dids.end());
  std::unordered_map<Xapian::docid, std::string> ids;
  ids.reserve(dids.size());
  Xapian::ValueIterator v = db.valuestream_begin(schema::kSlotArticleId);
  const Xapian::ValueIterator end = db.valuestream_end(schema::kSlotArticleId);
  for (Xapian::docid did : dids) {
    if (v == end) break;
    v.skip_to(did);
    if (v == end) break;
    if (v.get_docid() == did) ids.emplace(did, *v);
  }
  return ids;
}

// The article ids of `hits`, read all at once.
using IdReader = std::function<std::vector<std::string>(const std::vector<RankedHit>& hits)>;

// `hits` (in score order) with the runs of equal scores that reach into hits [first, last) (the page) in
// article id order: ids are read for those runs only (the order inside a run wholly before or after the page
// changes no hit shown), in one call of `ids_of` (over remote shards, the documents of every run at once:
// documents.h).
std::vector<RankedHit> ties_by_id(std::vector<RankedHit> hits, const IdReader& ids_of, uint64_t first,
                                  uint64_t last) {
  std::vector<std::pair<size_t, size_t>> runs;
  std::vector<RankedHit> tied;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i + 1;
    while (j < hits.size() && hits[j].get_weight() == hits[i].get_weight()) ++j;
    if (j - i > 1 && i < last && j > first) {
      runs.emplace_back(i, j);
      tied.insert(tied.end(), hits.begin() + static_cast<std::ptrdiff_t>(i),
                  hits.begin() + static_cast<std::ptrdiff_t>(j));
    }
    i = j;
  }
  if (runs.empty()) return hits;
  const std::vector<std::string> ids = ids_of(tied);
  size_t next = 0;
  for (const auto& [i, j] : runs) {
    std::vector<std::pair<std::string, RankedHit>> run;
    for (size_t k = i; k < j; ++k) run.emplace_back(ids[next++], hits[k]);
    std::sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t k = i; k < j; ++k) hits[k] = run[k - i].second;
  }
  return hits;
}

// The docids of tied copies and of the hits they tie with (`tied`: {copy's docid, the shown hit}), sorted, once
// each: whose dates and ids the tie rule compares.
template <class Tied>
std::vector<Xapian::docid> tied_and_shown(const Tied& tied) {
  std::vector<Xapian::docid> dids;
  for (const auto& [did, shown] : tied) {
    dids.push_back(did);
    dids.push_back(shown->did);
  }
  std::sort(dids.begin(), dids.end());
  dids.erase(std::unique(dids.begin(), dids.end()), dids.end());
  return dids;
}

// Hits [offset, page_end) of a ranked list.
std::vector<RankedHit> cut_page(std::vector<RankedHit> hits, size_t offset, uint64_t page_end) {
  if (hits.size() > page_end) hits.resize(page_end);
  hits.erase(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(offset, hits.size())));
  return hits;
}

// Sorting by date: unknown dates last in both directions.
std::unique_ptr<Xapian::MultiValueKeyMaker> date_sorter(SortOrder order) {
  auto km = std::make_unique<Xapian::MultiValueKeyMaker>();
  if (order == SortOrder::kDate) {
    km->add_value(schema::kSlotDate, false, "\xff");  // sorts after every "YYYYMMDD"
  } else {
    km->add_value(schema::kSlotDate, true, "");  // descending: empty sorts last
  }
  return km;
}

}  // namespace

void CopySpy::operator()(const Xapian::Document& doc, double wt) {
  const Xapian::docid did = doc.get_docid();
  if (numbers_ == nullptr || numbers_->of(did) != 0) seen_.push_back({did, wt});
}

NotedCopies CopySpy::noted() const {
  NotedCopies out;
  if (numbers_ == nullptr) return out;
  out.stories.reserve(seen_.size());
  for (const Seen& c : seen_) out.stories.push_back(numbers_->of(c.did));
  std::sort(out.stories.begin(), out.stories.end());
  return out;
}

std::optional<SortOrder> parse_sort(std::string_view text) {
  if (text == "relevance") return SortOrder::kRelevance;
  if (text == "date") return SortOrder::kDate;
  if (text == "-date") return SortOrder::kDateDesc;
  return std::nullopt;
}

Searcher::Searcher(const std::string& path, const database::OpenOptions& open) : path_(path) {
  const std::string create_hint = "; create one with: dateline-index --db " + path + " FILES...";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw DatabaseError(DatabaseError::Kind::kMissing, path + ": no Dateline database here" + create_hint);
  }
  // A bulk build swaps the finished database in whole (indexer/bulk.h); a reader whose open straddled the
  // swap (its version file from one, a table from the other) opens it again.
  for (int attempt = 0;; ++attempt) {
    const std::string generation = database::generation(path);
    try {
      open_once(path, open, create_hint);
      return;
    } catch (const DatabaseError&) {
      if (attempt >= kSwapRetries || database::generation(path) == generation) throw;
    }
  }
}

void Searcher::open_once(const std::string& path, const database::OpenOptions& open,
                         const std::string& create_hint) {
  try {
    database::OpenedDatabase opened = database::open_database(path, open);
    db_ = opened.db;
    shards_ = std::move(opened.shards);
    missing_ = std::move(opened.missing);
  } catch (const database::StubError& e) {
    throw DatabaseError(DatabaseError::Kind::kNotOurs, e.what());
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw DatabaseError(DatabaseError::Kind::kMissing, path + ": no Dateline database here" + create_hint);
  } catch (const Xapian::DatabaseVersionError& e) {
    throw DatabaseError(DatabaseError::Kind::kVersion,
                        path + ": database format not supported by this Xapian: " + e.get_msg());
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged, path + ": database is damaged (" + e.get_msg() +
                                                           "); rebuild it with: dateline-index --db " + path +
                                                           " --rebuild FILES...");
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged, path + ": cannot open database: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": cannot open database: " + e.get_description());
  }
  std::optional<schema::Stamp> stamp;
  try {
    stamp = schema::read_stamp(db_);
  } catch (const Xapian::Error& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": cannot read database metadata: " + e.get_msg());
  }
  if (!stamp) {
    throw DatabaseError(
        DatabaseError::Kind::kNotOurs,
        path + ": not a Dateline database (no " + str(schema::kMetaVersion) + " stamp)" + create_hint);
  }
  try {
    schema::check_readable(*stamp, path);
  } catch (const std::runtime_error& e) {
    throw DatabaseError(DatabaseError::Kind::kVersion, e.what());
  }
  try {
    analyzer_ = Analyzer(AnalyzerConfig::parse(stamp->analyzer));
  } catch (const std::exception& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": unreadable analyzer settings in the metadata: " + e.what());
  }
  name_variants_ = name_variant_lookup(db_);
  name_answers_.clear();
  names_stored_.reset();
  // Xapian interleaves the shards' docids: docid d lies in shard (d - 1) % shards.
  remote_shard_.clear();
  std::vector<database::Shard> opened_shards;
  for (const database::OpenedShard& s : shards_) {
    if (!s.db) continue;
    remote_shard_.push_back(s.shard.kind == database::Shard::Kind::kRemote);
    opened_shards.push_back(s.shard);
  }
  documents_ = std::make_shared<DocumentReader>(std::move(opened_shards), open.remote_timeout_ms, kDocumentLanes);
  try {
    refresh_stats();
  } catch (const Xapian::Error& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": cannot read database statistics: " + e.get_msg());
  }
}

void Searcher::refresh_stats() {
  // Xapian gives a database of several shards the first shard's metadata: sum the shards' totals.
  const schema::Lengths totals =
      shards_.size() > 1 ? database::summed_lengths(shards_) : schema::read_lengths(db_);
  // Collapse on the slot only copies carry when every shard keeps it (schema.h kSlotStoryCopies).
  collapse_slot_ = schema::kSlotStoryCopies;
  copy_lists_ = true;
  for (const database::OpenedShard& s : shards_) {
    if (s.db && s.db->get_metadata(std::string(schema::kMetaStoryCopies)) != "1") collapse_slot_ = schema::kSlotStory;
    if (s.db && s.db->get_metadata(std::string(schema::kMetaStoryCopyList)) != "1") copy_lists_ = false;
  }
  // Collapsing after the match (collapses_after_match()), or reading hits of stories late (stories_wait()).
  const Xapian::doccount articles = db_.get_doccount();
  copies_share_ =
      articles > 0 ? static_cast<double>(db_.get_value_freq(schema::kSlotStoryCopies)) / articles : 0.0;
  story_numbers_.reset();
  form_answers_.clear();
  passage_stats_.articles = static_cast<double>(db_.get_doccount());
  // Xapian reads the first shard's metadata; dateline-index --shards gives every shard the whole archive's
  // person table (a shard's own, from a run on that shard alone, would group only its speakers).
  people_ = std::make_shared<const PersonTable>(load_person_table(db_));
  passage_stats_.average_length =
      totals.passages > 0 ? static_cast<double>(totals.articles) / static_cast<double>(totals.passages) : 0.0;
}

template <class Read>
auto Searcher::retrying(std::string_view during, Read&& read) -> decltype(read()) {
  for (int attempt = 0;; ++attempt) {
    try {
      return read();
    } catch (const Xapian::DatabaseModifiedError&) {
      // An indexer committed while we read: take the new revision and read again.
      if (attempt >= kModifiedRetries) {
        throw DatabaseError(DatabaseError::Kind::kDamaged,
                            path_ + ": the database kept changing during " + std::string(during) + "; try again");
      }
      db_.reopen();
      if (documents_) documents_->reset();
      refresh_stats();
    } catch (const Xapian::DatabaseCorruptError& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, path_ + ": database is damaged: " + e.get_msg());
    } catch (const Xapian::DatabaseError& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, path_ + ": " + e.get_description());
    }
  }
}

CompileOptions::SpeakerPeople Searcher::speaker_people(const std::string& value) const {
  CompileOptions::SpeakerPeople out;
  auto it = people_->folded.find(schema::normalise_boolean(value));
  if (it != people_->folded.end()) out.same_person = people_->values.at(it->second);
  // A surname alone that several persons of the archive bear: the most quoted one ranks first.
  if (value.find_first_of(" \t") == std::string::npos) {
    const std::vector<FacetCount> persons = people_with_surname(db_, value);
    if (persons.size() >= 2 && persons[0].count > persons[1].count) {
      auto v = people_->values.find(persons[0].value);
      out.most_quoted = v != people_->values.end() ? v->second : std::vector<std::string>{persons[0].value};
    }
  }
  return out;
}

SearchResult Searcher::search(const SearchOptions& options) {
  return retrying("the search", [&] { return search_once(options); });
}

std::pair<uint64_t, bool> Searcher::count(const SearchOptions& options) {
  SearchOptions o = options;
  // With --fast-facets the estimate comes from a match that ran: with no hit asked for Xapian would
  // not run one, and would estimate 0.
  o.limit = options.fast_facets ? 1 : 0;
  o.ids_only = true;
  o.offset = 0;
  o.facets.clear();
  o.want_snippets = false;
  o.explain = false;
  o.suggest = false;
  o.exact_total_up_to = kAllMatches;  // a count is the whole answer: exact unless --fast-facets
  SearchResult r = search(o);
  return {r.total, r.total_exact};
}

SearchResult Searcher::search_once(const SearchOptions& options) {
  SearchResult result;
  result.query = options.query;
  remote_read_.clear();
  for (const std::string& shard : missing_) {
    result.warnings.push_back("shard " + shard + " did not open (--allow-partial): its articles are missing");
  }
  // Flag filters alone (no query words) list the articles they select.
  const bool blank = options.query.find_first_not_of(" \t\r\n") == std::string::npos;
  // The wildcard budget is shared by what each wildcard expands to in this database.
  CompileOptions compile = options.compile;
  compile.count_terms = [this](const std::string& prefix, size_t cap) {
    size_t n = 0;
    for (auto it = db_.allterms_begin(prefix); n < cap && it != db_.allterms_end(prefix); ++it) ++n;
    return n;
  };
  const bool own_names = !compile.name_variants;
  if (own_names) {
    compile.name_variants = [this](const std::string& key) {
      const auto known = name_answers_.find(key);
      return known != name_answers_.end() ? known->second : name_variants_(key);
    };
  }
  if (!compile.speaker_people && people_->built) compile.speaker_people = [this](const std::string& value) {
    return speaker_people(value);
  };
  if (!compile.ranking_forms) compile.ranking_forms = [this](const std::string& w) { return ranking_forms(w); };
  const ParsedQuery parsed =
      blank ? ParsedQuery() : parse_query(options.query, compile.budget, options.syntax);
  if (!blank && documents_ && documents_->all_remote()) prefetch_names(parsed, options, compile, own_names);
  const CompiledQuery compiled = compile_query(parsed, options.filters, analyzer_, compile);
  if (compiled.wildcards_cut) {
    result.warnings.push_back("wildcards expand to more than " +
                              std::to_string(compile.budget.max_wildcard_terms) +
                              " terms in total: only the most frequent are searched");
  }
  const Xapian::doccount doccount = db_.get_doccount();
  const Xapian::Query query = compiled.query.empty() ? Xapian::Query::MatchAll : compiled.query;

  Xapian::Enquire enquire(db_);
  enquire.set_query(query);
  enquire.set_weighting_scheme(bm25());
  std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
  // Nothing weighs (only filters): relevance cannot order the hits, so the newest come first.
  const SortOrder order =
      !compiled.scored && options.sort == SortOrder::kRelevance ? SortOrder::kDateDesc : options.sort;
  if (order != SortOrder::kRelevance) {
    const bool remote = std::any_of(shards_.begin(), shards_.end(), [](const database::OpenedShard& s) {
      return s.shard.kind == database::Shard::Kind::kRemote;
    });
    if (remote) {
      // A KeyMaker cannot run on a remote shard: the date slot as it is (unknown dates first when
      // oldest first).
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, order == SortOrder::kDateDesc);
    } else {
      sorter = date_sorter(order);
      enquire.set_sort_by_key_then_relevance(sorter.get(), false);
    }
  }
  // How many matches the matcher must look at: all of them for exact facets; otherwise enough for an
  // exact total up to exact_total_up_to (past it Xapian's pruning may skip the rest: the total is then
  // an estimate). --fast-facets samples whatever the pruning leaves.
  Xapian::doccount check_at_least = 0;
  if (!options.fast_facets) {
    check_at_least =
        options.facets.empty()
            ? static_cast<Xapian::doccount>(std::min<uint64_t>(doccount, options.exact_total_up_to))
            : doccount;
  }
  const double time_limit = compile.budget.time_limit;
  if (time_limit > 0) enquire.set_time_limit(time_limit);
  // One hit per story; the match spies see every copy first, so facets count every outlet that ran it.
  // An article without the value (alone in its story, or indexed before stories) is never collapsed. On a
  // single local database with few copies, the match ranks every copy and the ranked list keeps each story's
  // best copy (collapse.h); elsewhere Xapian's collapse key does it in the match.
  const bool by_score = order == SortOrder::kRelevance;
  const bool collapse = options.collapse_copies;
  bool after = collapses_after_match(options);
  if (after && !story_numbers_) {
    story_numbers_ = std::make_unique<const StoryNumbers>(db_, schema::kSlotStoryCopies);
  }
  // Equal scores go in article id order, not docid order, so that one database, its shards (whose
  // docids Xapian interleaves) and a compacted copy give the same page. Xapian's
  // set_sort_by_relevance_then_value() reads the id of every candidate (+50% on term queries); instead
  // the matcher ranks from the top to the page's end, past it while scores tie, and the page is cut
  // from that list sorted by score, then id.
  const uint64_t page_end = std::min<uint64_t>(static_cast<uint64_t>(options.offset) + options.limit, doccount);
  std::optional<FacetCounter> facets;
  std::unique_ptr<CopySpy> copy_spy;
  Xapian::MSet mset;
  std::vector<RankedHit> ranked;  // by_score or after: the ranked hits (one per story), ties in id order
  NotedCopies noted;              // after: the stories of the matching articles that have copies
  bool timed_out = false;
  bool all_seen = false;
  // One database served whole by one xapian-tcpsrv matches on one of its cores: there the counting (totals
  // and facets: every match up to check_at_least) runs on a connection of its own, on another thread, while
  // the page is ranked without counting and its documents are read, so the server counts while the searcher
  // reads. Xapian's top hits do not depend on how many matches it checks; totals, facets and stories come
  // from the counting match as from the one match before. Several shards already match in parallel (a
  // second match each only adds work: 2 shards on news x10 went from 0.3 to 1.7-2.1 ms above local), and
  // locally the two would share one database object; sorted by date the matcher cannot stop early whatever it
  // counts: one match.
  const bool split = check_at_least > 0 && by_score && !after && documents_ && documents_->all_remote() &&
                     remote_shard_.size() == 1;
  struct Counted {
    Xapian::MSet mset;
    double seconds = 0;
    std::exception_ptr error;
  } counted;
  std::thread counter;
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{counter};
  // The counting match on `e` (set up as the search's own): into counted, with fresh facet spies.
  auto run_counting = [&](Xapian::Enquire& e) {
    facets.emplace(options.facets);
    facets->attach(e);
    const auto start = std::chrono::steady_clock::now();
    counted.mset = e.get_mset(0, static_cast<Xapian::doccount>(std::min<uint64_t>(page_end + 16, doccount)),
                              check_at_least);
    counted.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    e.clear_matchspies();
  };
  if (split) {
    Xapian::Database* spare = nullptr;
    try {
      spare = &documents_->spare();
    } catch (const Xapian::Error&) {
      // Counted after the page on the database's own connection (below), which reports any error.
    }
    if (spare != nullptr) {
      // Xapian's objects count their references without atomics: the thread gets a query of its own.
      counter = std::thread([&, spare, serialised = query.serialise()] {
        try {
          Xapian::Enquire e(*spare);
          e.set_query(Xapian::Query::unserialise(serialised));
          e.set_weighting_scheme(bm25());
          if (collapse) e.set_collapse_key(collapse_slot_);
          if (time_limit > 0) e.set_time_limit(time_limit);
          run_counting(e);
        } catch (...) {
          counted.error = std::current_exception();
        }
      });
    } else {
      counted.error = std::make_exception_ptr(Xapian::NetworkError("no spare connection"));
    }
  }
  const IdReader ids_of = [this, &mset, &options, &page_end](const std::vector<RankedHit>& hits) {
    std::vector<std::string> ids;
    if (documents_ && documents_->any_remote()) {
      // With the page's other hits, which are shown next (add_hits()): one round of reads for both. Not the
      // stories' hits that wait for their ties (stories_wait()).
      std::vector<Xapian::docid> dids;
      std::unordered_set<Xapian::docid> wanted;
      auto want = [&](Xapian::docid did) {
        if (remote_read_.count(did) == 0 && wanted.insert(did).second) dids.push_back(did);
      };
      for (const auto& h : hits) want(*h);
      for (uint64_t k = options.offset; k < std::min<uint64_t>(page_end, mset.size()); ++k) {
        const Xapian::MSetIterator m = mset[static_cast<Xapian::doccount>(k)];
        if (!(options.collapse_copies && stories_wait() && !m.get_collapse_key().empty())) want(*m);
      }
      const std::vector<Xapian::Document> docs = documents_->read(db_, dids);
      for (size_t i = 0; i < docs.size(); ++i) remote_read_.emplace(dids[i], docs[i]);
      for (const auto& h : hits) ids.push_back(remote_read_.at(*h).get_value(schema::kSlotArticleId));
    } else {
      std::vector<Xapian::docid> dids;
      for (const auto& h : hits) dids.push_back(*h);
      const auto read = stream_ids(db_, dids);
      for (const auto& h : hits) {
        const auto found = read.find(*h);
        ids.push_back(found == read.end() ? std::string() : found->second);
      }
    }
    return ids;
  };
  // Whether the counting match `counted` (of `seconds`) saw every match: timed_out, all_seen.
  auto judge = [&](const Xapian::MSet& counted_mset, double seconds) {
    // Xapian does not say whether its timer went off: a match that lasted the limit may have stopped
    // counting early, so its totals and facets are not taken as exact.
    timed_out = time_limit > 0 && seconds >= time_limit;
    // Totals. With check_at_least = doccount every match was seen: exact. Otherwise the total is
    // exact only when Xapian's bounds show nothing was left unseen (phrase checks make the upper
    // bound loose, so "seen everything" cannot be told from the bound alone otherwise).
    const bool in_match = collapse && !after;
    const uint64_t lower = in_match ? counted_mset.get_uncollapsed_matches_lower_bound()
                                    : counted_mset.get_matches_lower_bound();
    const uint64_t upper = in_match ? counted_mset.get_uncollapsed_matches_upper_bound()
                                    : counted_mset.get_matches_upper_bound();
    // The matcher checks at least check_at_least matching documents before it may skip any: having seen
    // fewer, it saw them all. That is the one sign that works with a collapse key, whose bounds are loose.
    const uint64_t seen = facets->documents_seen();
    all_seen = (!timed_out && (check_at_least >= doccount || seen < check_at_least)) ||
               (lower == upper && seen >= upper);
  };
  // Once, or twice when collapsing after the match left matches unseen (below).
  for (;;) {
    if (collapse && !after) enquire.set_collapse_key(collapse_slot_);
    // Xapian's own spies (one per value slot) count facets; one document is one article.
    if (!split) {
      facets.emplace(options.facets);
      facets->attach(enquire);
    }
    copy_spy.reset();
    if (after) {
      // Notes the candidates that have copies: the stories, and each shown hit's copies and ties.
      copy_spy = std::make_unique<CopySpy>(story_numbers_.get());
      enquire.add_matchspy(copy_spy.get());
    } else if (collapse && by_score && shards_.size() == 1 &&
               shards_.front().shard.kind != database::Shard::Kind::kRemote) {
      // Copies that tie with a shown one (earliest_ties()), noted as the matcher weighs them. The spy sees one
      // database's own docids, and xapian-tcpsrv knows no such spy: a single local database only.
      copy_spy = std::make_unique<CopySpy>();
      enquire.add_matchspy(copy_spy.get());
    }
    const auto match_start = std::chrono::steady_clock::now();
    if (by_score || after) {
      // A few past the page: a tie at its end rarely runs longer. Ranked with every copy, more for the
      // copies that fold: an eighth, and twice the share of the database's articles that fold (a second
      // match costs more than a longer list: bench/RESULTS.md "Collapsing copies after the match").
      uint64_t want = page_end + 16;
      if (after) {
        const double fold = static_cast<double>(story_numbers_->folded()) / std::max<Xapian::doccount>(doccount, 1);
        want += page_end / 8 + static_cast<uint64_t>(static_cast<double>(page_end) * fold / (1 - std::min(fold, 0.9)));
      }
      for (;;) {
        if (after) copy_spy->clear();
        mset = enquire.get_mset(0, static_cast<Xapian::doccount>(std::min<uint64_t>(want, doccount)),
                                split ? 0 : check_at_least);
        // A facet spy adds up every match it is shown (a remote shard's counts are merged into it): a second
        // get_mset would count each document again, so the facet spies see the first match only.
        enquire.clear_matchspies();
        if (copy_spy) enquire.add_matchspy(copy_spy.get());
        if (after) {
          noted = copy_spy->noted();
          ranked = one_per_story(mset, *story_numbers_, noted, schema::kSlotStoryCopies);
        } else {
          ranked = all_hits(mset);
        }
        if (by_score) ranked = ties_by_id(std::move(ranked), ids_of, options.offset, page_end);
        // Done when the list reaches past the page's last score (the run of ties that ends the page is
        // whole), or holds every match; sorted by date, when it holds the page.
        if (mset.size() < want || page_end == 0 ||
            (by_score ? ranked.size() > page_end && ranked.back().get_weight() < ranked[page_end - 1].get_weight()
                      : ranked.size() >= page_end)) {
          break;
        }
        want *= 2;  // the score at the page's end continues past it, or copies filled the list
      }
    } else {
      mset = enquire.get_mset(static_cast<Xapian::doccount>(std::min<uint64_t>(options.offset, doccount)),
                              static_cast<Xapian::doccount>(std::min<uint64_t>(options.limit, doccount)),
                              split ? 0 : check_at_least);
    }
    if (split) break;  // counted beside the page's work (below)
    const std::chrono::duration<double> match_time = std::chrono::steady_clock::now() - match_start;
    judge(mset, match_time.count());
    // Past exact_total_up_to the matcher skipped matches; which ones depends on how many hits it kept, so
    // the stories' estimate and each hit's folded copies would not be what Xapian's collapser tells: the
    // search runs again with it. ids and trec print neither (their page is the same either way).
    const bool page_only = options.ids_only && options.exact_total_up_to == 0;
    if (after && !all_seen && !timed_out && !page_only) {
      after = false;
      enquire.clear_matchspies();
      continue;
    }
    break;
  }
  // The totals, stories and facets from the counting match `cm` (judge() ran on it).
  auto count = [&](const Xapian::MSet& cm) {
    result.total_exact = all_seen;
    if (timed_out && !all_seen) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%g", time_limit);
      result.warnings.push_back(std::string("the match reached the time limit (") + seconds +
                                " s): the total and facets are estimates");
    }
    if (after) {
      // Ranked with every copy: Xapian's bounds count articles. The spy noted each matching article that has
      // copies: the stories are the articles less the copies beyond each story's first.
      const uint64_t seen = facets->documents_seen();
      const uint64_t stories_seen = seen - noted.surplus();
      // An estimate is at least the matches the spies saw (Xapian's can be lower).
      result.total = all_seen ? seen : std::max<uint64_t>(cm.get_matches_estimated(), seen);
      const uint64_t stories =
          all_seen || seen == 0
              ? stories_seen
              : static_cast<uint64_t>(std::llround(static_cast<double>(result.total) * stories_seen / seen));
      if (stories < result.total) result.stories = stories;
    } else {
      // Collapsed, Xapian 1.4's uncollapsed bounds are loose even when every match was seen (it counts the
      // stories kept, not the copies dropped); the spies saw every matching document before collapsing,
      // on local and remote shards alike: that is the number of articles.
      const uint64_t lower = collapse ? cm.get_uncollapsed_matches_lower_bound() : cm.get_matches_lower_bound();
      // An estimate is at least the matches the spies saw: with a collapse key, Xapian's uncollapsed estimate
      // can be far below them (3,370 for 34,060 matches on news x10, after 10,000 were seen).
      result.total = all_seen ? (collapse ? facets->documents_seen() : lower)
                              : std::max<uint64_t>(facets->documents_seen(), collapse ? cm.get_uncollapsed_matches_estimated()
                                                                                      : cm.get_matches_estimated());
      // With a collapse key Xapian's uncollapsed estimate can be above 0 when nothing matched at all.
      if (collapse && cm.get_matches_upper_bound() == 0) result.total = 0;
      if (collapse) {
        const uint64_t stories = all_seen ? cm.get_matches_lower_bound() : cm.get_matches_estimated();
        if (stories < result.total) result.stories = stories;
      }
    }
    // An estimate never exceeds the articles there are.
    if (!result.total_exact) result.total = std::min<uint64_t>(result.total, doccount);
    if (!options.facets.empty() && people_ && people_->built) {
      // Speakers counted per person with the index's table: one count per article, no grouping here.
      PersonCounter people(*people_);
      result.facets = facets->results(all_seen, 0, [&people](const std::vector<std::string>& v) { return people.map(v); });
      for (FacetResult& f : result.facets) {
        if (f.name == facet_name(FacetKind::kSpeaker)) {
          people.finish(f, options.facet_limit);
        } else if (options.facet_limit > 0 && f.values.size() > options.facet_limit) {
          f.values.resize(options.facet_limit);
        }
      }
    } else if (!options.facets.empty()) {
      result.facets = facet_rows(facets->results(all_seen, 0), options.facet_limit);
    }
  };
  if (!split) count(mset);
  const std::vector<RankedHit> page =
      by_score || after ? cut_page(std::move(ranked), options.offset, page_end) : all_hits(mset);
  add_hits(options, parsed, compiled, enquire, mset, page, copy_spy.get(), split, result);
  if (split) {
    if (counter.joinable()) counter.join();
    // No spare connection, or it failed: counted on the database's own, whose errors are reported.
    if (counted.error) run_counting(enquire);
    judge(counted.mset, counted.seconds);
    count(counted.mset);
  }
  if (options.suggest && options.syntax != Syntax::kPlain) {
    review_words(options.query, result.total == 0, mset, result);
  }
  return result;
}

PassageQuery Searcher::passage_query(const CompiledQuery& compiled, bool positions) const {
  PassageQuery pq;
  pq.speakers = compiled.speakers;
  for (const PositionalGroup& g : compiled.groups) pq.groups.push_back({g.terms, g.window, g.ordered});
  // Each highlighted word: its exact form and its ranking term (stem, or the word itself); stop words
  // have no ranking term.
  for (const std::string& term : compiled.highlight_terms) {
    std::vector<std::string> terms{str(schema::kBody) + term};
    std::vector<std::string> idf;
    if (!analyzer_.is_stop_word(term)) {
      const std::string stem = analyzer_.stem(term);
      terms.push_back(str(schema::kArticleText) + (stem.empty() ? term : stem));
      // Every article with the exact form in a passage has its ranking term too (schema.h): the ranking
      // term's frequency is the larger, and the query holds it, so the match's statistics give it.
      idf.push_back(terms.back());
    }
    pq.words.push_back(std::move(terms));
    pq.idf_terms.push_back(std::move(idf));
  }
  // The ranking terms' positions, for the position lists: their forms' (schema 4), read at once.
  if (positions) {
    std::vector<std::string> rank_words;
    for (const auto& terms : pq.words) {
      if (terms.size() > 1) rank_words.push_back(terms[1].substr(schema::kArticleText.size()));
    }
    read_forms(rank_words);
    for (const std::string& w : rank_words) {
      const std::vector<std::string>& forms = ranking_forms(w);
      pq.forms[str(schema::kArticleText) + w] = forms;
      if (forms.size() < 2) continue;
      // A rare form's few documents, read once here, spare each hit a read of a list it mostly lacks.
      for (const std::string& form : forms) {
        if (pq.form_docs.count(form) > 0 || db_.get_termfreq(form) > kRareForm) continue;
        std::vector<Xapian::docid>& docs = pq.form_docs[form];
        for (auto d = db_.postlist_begin(form); d != db_.postlist_end(form); ++d) docs.push_back(*d);
      }
    }
  }
  // A wildcard: its commonest exact forms (passage choice needs no more), among the first
  // QueryBudget::max_wildcard_terms of the index (the query's own expansion is bounded the same way).
  constexpr size_t kPrefixForms = 50;
  for (const std::string& prefix : compiled.highlight_prefixes) {
    std::vector<std::pair<Xapian::doccount, std::string>> forms;
    const std::string p = str(schema::kBody) + prefix;
    for (auto it = db_.allterms_begin(p); it != db_.allterms_end(p) && forms.size() < QueryBudget{}.max_wildcard_terms;
         ++it) {
      forms.emplace_back(it.get_termfreq(), *it);
    }
    std::sort(forms.begin(), forms.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (forms.size() > kPrefixForms) forms.resize(kPrefixForms);
    std::vector<std::string> terms;
    for (auto& f : forms) {
      pq.termfreqs.emplace(f.second, f.first);
      terms.push_back(std::move(f.second));
    }
    if (!terms.empty()) {
      pq.words.push_back(std::move(terms));
      pq.idf_terms.emplace_back();
    }
  }
  return pq;
}

std::unordered_map<Xapian::docid, Xapian::docid> Searcher::earliest_ties(const std::vector<RankedHit>& page,
                                                                         const CopySpy& spy) const {
  if (spy.numbers() != nullptr) return earliest_noted_ties(page, spy);
  std::unordered_map<Xapian::docid, Xapian::docid> out;
  // The page's collapsed hits, by story.
  struct Shown {
    Xapian::docid did;
    double score;
    std::string key;  // tie key of the copy shown so far (read once a copy ties with it)
  };
  std::unordered_map<std::string, Shown> by_story;
  std::vector<std::pair<std::string, std::string>> story_terms;  // {term, story}
  for (const auto& it : page) {
    if (it.get_collapse_count() == 0) continue;
    const std::string story = it.get_collapse_key();
    if (by_story.count(story) != 0) continue;
    by_story.emplace(story, Shown{*it, it.get_weight(), {}});
    // The story's term; an id too long for a term is cut there (stories.h), read off the document.
    std::string term = std::string(schema::kStory) + story;
    if (term.size() > 240) term = stories::story_term(it.get_document(), story);
    if (!term.empty()) story_terms.emplace_back(std::move(term), story);
  }
  if (by_story.empty()) return out;
  // The copies that tie with their story's shown hit: first the candidates whose score ties with some
  // shown hit's (the spy reads no value: reading each candidate's collapse value there cost 3% of a json
  // search of news), then which of them are copies of the story they tie with.
  std::vector<double> shown_scores;
  for (const auto& [story, shown] : by_story) shown_scores.push_back(shown.score);
  std::sort(shown_scores.begin(), shown_scores.end());
  // Does some score of the sorted `scores` tie with `w`? Only the neighbours within the slack can.
  auto any_ties = [&](const std::vector<double>& scores, double w) {
    const double slack = 1e-9 * std::max(1.0, std::abs(w));
    for (auto s = std::lower_bound(scores.begin(), scores.end(), w - 2 * slack);
         s != scores.end() && *s <= w + 2 * slack; ++s) {
      if (scores_tie(*s, w)) return true;
    }
    return false;
  };
  // A hit of the page is the copy shown for its story: no other shown story's copy.
  std::vector<Xapian::docid> page_dids;
  for (const auto& it : page) page_dids.push_back(*it);
  std::sort(page_dids.begin(), page_dids.end());
  std::vector<CopySpy::Seen> candidates;
  for (const CopySpy::Seen& c : spy.seen()) {
    if (any_ties(shown_scores, c.score) && !std::binary_search(page_dids.begin(), page_dids.end(), c.did)) {
      candidates.push_back(c);
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.did < b.did; });
  // Each shown story's copies, from its term's posting list (a story holds few articles; reading each
  // candidate's collapse value from the value stream cost more where every story ties, news x3), that are
  // candidates tying with the shown hit.
  std::vector<double> candidate_scores;
  for (const CopySpy::Seen& c : candidates) candidate_scores.push_back(c.score);
  std::sort(candidate_scores.begin(), candidate_scores.end());
  std::vector<std::pair<Xapian::docid, Shown*>> tied;
  for (const auto& [term, story] : story_terms) {
    Shown& shown = by_story.at(story);
    if (!any_ties(candidate_scores, shown.score)) continue;
    for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
      if (*p == shown.did) continue;
      auto c = std::lower_bound(candidates.begin(), candidates.end(), *p,
                                [](const CopySpy::Seen& a, Xapian::docid d) { return a.did < d; });
      for (; c != candidates.end() && c->did == *p; ++c) {
        if (scores_tie(shown.score, c->score)) {
          tied.emplace_back(c->did, &shown);
          break;
        }
      }
    }
  }
  if (tied.empty()) return out;
  auto keys = tie_keys(tied_and_shown(tied));
  for (auto& [story, shown] : by_story) shown.key = keys[shown.did];
  for (const auto& [did, shown] : tied) {
    if (!(keys[did] < shown->key)) continue;
    out[shown->did] = did;  // keyed by the docid Xapian showed
    shown->key = keys[did];
  }
  return out;
}

Searcher::PageCopies Searcher::page_copies(const Xapian::Enquire& enquire, const std::vector<RankedHit>& page,
                                           bool ties) const {
  PageCopies out;
  // The page's hits of stories with copies (a collapse value), by story.
  std::unordered_map<std::string, Xapian::docid> shown;
  std::vector<Xapian::Query> filters;
  for (const auto& it : page) {
    const std::string story = it.get_collapse_key();
    if (story.empty() || !shown.emplace(story, *it).second) continue;
    // The story's term; an id too long for a term is cut there (stories.h), read off the document.
    std::string term = std::string(schema::kStory) + story;
    if (term.size() > 240) term = stories::story_term(it.get_document(), story);
    if (term.empty()) continue;
    filters.emplace_back(term);
  }
  if (filters.empty()) return out;
  // As many copies as the stories can list (schema.h kMaxListedCopies; asking a remote shard each story's
  // size is one more request per story), or, when more match, as many as they hold.
  Xapian::doccount copies =
      std::min<Xapian::doccount>(db_.get_doccount(), filters.size() * (schema::kMaxListedCopies + 1));
  // The stories' copies that match, scored as in the search. Each comes with its story (collapsing on
  // it, but keeping more copies per story than there are: nothing is dropped) and with its tie key as its
  // sort key (schema.h kSlotStoryTieKey: date, unknown last, then id), whose byte order is what "earliest"
  // means (stories.h).
  Xapian::Enquire copies_enquire(db_);
  copies_enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, enquire.get_query(),
                                         Xapian::Query(Xapian::Query::OP_OR, filters.begin(), filters.end())));
  copies_enquire.set_weighting_scheme(bm25());
  copies_enquire.set_sort_by_relevance_then_value(schema::kSlotStoryTieKey, false);
  Xapian::MSet mset;
  for (;;) {
    copies_enquire.set_collapse_key(collapse_slot_, copies + 1);
    mset = copies_enquire.get_mset(0, copies + 1);
    if (mset.size() <= copies) break;
    copies = 0;  // a story larger than any list
    for (const Xapian::Query& f : filters) copies += db_.get_termfreq(*f.get_terms_begin());
    if (mset.size() > copies) break;
  }
  // A database made before the tie key: the date and id are read (only of copies that tie).
  auto key_of = [this](const Xapian::MSetIterator& m) {
    std::string key = m.get_sort_key();
    if (key.empty()) {
      const Xapian::Document doc = db_.get_document(*m);
      key = schema::tie_key(doc.get_value(schema::kSlotDate), doc.get_value(schema::kSlotArticleId));
    }
    return key;
  };
  struct Found {
    unsigned matched = 0;
    double score = 0;
    bool shown_seen = false;
    Xapian::MSetIterator shown;  // the shown copy in this match
    std::string key;             // its tie key, once a copy ties with it
    Xapian::docid best = 0;  // the earliest copy tying with it so far
    std::string best_key;
  };
  std::unordered_map<std::string, Found> found;
  for (auto m = mset.begin(); m != mset.end(); ++m) {
    const auto s = shown.find(m.get_collapse_key());
    if (s == shown.end()) continue;
    Found& f = found[s->first];
    ++f.matched;
    if (*m == s->second) {
      f.score = m.get_weight();
      f.shown = m;
      f.shown_seen = true;
    }
  }
  if (ties) {
    for (auto m = mset.begin(); m != mset.end(); ++m) {
      const auto s = shown.find(m.get_collapse_key());
      if (s == shown.end() || *m == s->second) continue;
      Found& f = found[s->first];
      if (!f.shown_seen || !scores_tie(f.score, m.get_weight())) continue;  // the shown copy is missing: leave it
      if (f.key.empty()) f.key = key_of(f.shown);
      const std::string key = key_of(m);
      if (key < (f.best == 0 ? f.key : f.best_key)) {
        f.best = *m;
        f.best_key = key;
      }
    }
  }
  for (const auto& [story, f] : found) {
    const Xapian::docid did = shown.at(story);
    if (f.matched >= 2) out.folded.insert(did);
    if (f.best != 0) out.earliest[did] = f.best;
  }
  return out;
}

std::unordered_map<Xapian::docid, std::string> Searcher::tie_keys(const std::vector<Xapian::docid>& dids) const {
  std::unordered_map<Xapian::docid, std::pair<std::string, std::string>> values;  // did -> {date, id}
  if (dids.size() <= kFewDocuments) {
    // A few: each document's values at once (a value stream opened per slot costs more).
    for (const Xapian::docid did : dids) {
      const Xapian::Document doc = db_.get_document(did, Xapian::DOC_ASSUME_VALID);
      values[did] = {doc.get_value(schema::kSlotDate), doc.get_value(schema::kSlotArticleId)};
    }
  } else {
    for (const Xapian::valueno slot : {schema::kSlotDate, schema::kSlotArticleId}) {
      Xapian::ValueIterator v = db_.valuestream_begin(slot);
      for (const Xapian::docid did : dids) {
        if (v == db_.valuestream_end(slot)) break;
        if (v.get_docid() < did) v.skip_to(did);
        if (v == db_.valuestream_end(slot)) break;
        if (v.get_docid() == did) (slot == schema::kSlotDate ? values[did].first : values[did].second) = *v;
      }
    }
  }
  std::unordered_map<Xapian::docid, std::string> keys;
  for (const Xapian::docid did : dids) keys[did] = schema::tie_key(values[did].first, values[did].second);
  return keys;
}

std::unordered_map<Xapian::docid, Xapian::docid> Searcher::earliest_noted_ties(const std::vector<RankedHit>& page,
                                                                               const CopySpy& spy) const {
  std::unordered_map<Xapian::docid, Xapian::docid> out;
  const StoryNumbers& numbers = *spy.numbers();
  // The page's folded hits by story number (a story has one hit on the page).
  struct Shown {
    uint32_t story;
    Xapian::docid did;
    double score;
  };
  std::vector<Shown> shown;
  for (const RankedHit& hit : page) {
    if (hit.get_collapse_count() == 0) continue;
    const uint32_t story = numbers.of(*hit);
    if (story != 0) shown.push_back({story, *hit, hit.get_weight()});
  }
  if (shown.empty()) return out;
  std::sort(shown.begin(), shown.end(), [](const Shown& a, const Shown& b) { return a.story < b.story; });
  std::vector<std::pair<Xapian::docid, const Shown*>> tied;  // a noted copy, the hit it ties with
  for (const CopySpy::Seen& c : spy.seen()) {
    const uint32_t story = numbers.of(c.did);
    const auto s = std::lower_bound(shown.begin(), shown.end(), story,
                                    [](const Shown& a, uint32_t v) { return a.story < v; });
    if (s == shown.end() || s->story != story || s->did == c.did || !scores_tie(s->score, c.score)) continue;
    tied.emplace_back(c.did, &*s);
  }
  if (tied.empty()) return out;
  auto keys = tie_keys(tied_and_shown(tied));
  std::unordered_map<Xapian::docid, std::string> best;  // shown did -> tie key of the earliest copy so far
  for (const auto& [did, s] : tied) {
    auto b = best.try_emplace(s->did, keys[s->did]).first;
    if (!(keys[did] < b->second)) continue;
    out[s->did] = did;
    b->second = keys[did];
  }
  return out;
}

bool Searcher::collapses_after_match(const SearchOptions& options) const {
  using At = SearchOptions::CollapseAt;
  // A sample's totals (--fast-facets) are Xapian's estimates; an older database collapses on every
  // article's story id (dense); several shards interleave their docids and remote ones run no spy.
  if (!options.collapse_copies || options.fast_facets || collapse_slot_ != schema::kSlotStoryCopies ||
      shards_.size() != 1 || shards_.front().shard.kind == database::Shard::Kind::kRemote) {
    return false;
  }
  At at = options.collapse_at;
  if (at == At::kAuto) {
    // Measurements only (an experiments build, base/experiments.h): DATELINE_COLLAPSE=match|after.
    const auto setting = experiment_setting("DATELINE_COLLAPSE");
    if (setting == "match") at = At::kInMatch;
    if (setting == "after") at = At::kAfterMatch;
  }
  if (at != At::kAuto) return at == At::kAfterMatch;
  // Where most articles have copies, ranking every copy takes many more hits to fill a page than Xapian's
  // collapser costs (bench/RESULTS.md "Collapsing copies after the match").
  return copies_share_ <= kCollapseAfterMatchShare;
}

bool Searcher::stories_wait() const { return copies_share_ > kCollapseAfterMatchShare; }

void Searcher::prefetch_names(const ParsedQuery& parsed, const SearchOptions& options, const CompileOptions& compile,
                              bool names) {
  if (names && !names_stored_) names_stored_ = !db_.get_metadata(std::string(kMetaNamesBuilt)).empty();
  // Without a stored table each lookup reads it whole.
  names = names && *names_stored_ && !compile.exact_names;
  // The keys the compile asks for depend on the query and the aliases only, not on the answers; so do the
  // words whose forms `speaker:X word` asks (the query's plain words).
  std::vector<std::string> keys;
  std::vector<std::string> rank_words;
  CompileOptions dry = compile;
  dry.name_variants = [this, &keys, names](const std::string& key) {
    if (names && name_answers_.count(key) == 0 && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(key);
    }
    return std::vector<std::string>{};
  };
  dry.ranking_forms = [this, &rank_words](const std::string& w) {
    if (form_answers_.count(w) == 0 && std::find(rank_words.begin(), rank_words.end(), w) == rank_words.end()) {
      rank_words.push_back(w);
    }
    return std::vector<std::string>{};
  };
  dry.count_terms = [](const std::string&, size_t) { return size_t{0}; };  // no read for wildcards
  try {
    (void)compile_query(parsed, options.filters, analyzer_, dry);
  } catch (...) {
    return;  // the compile proper reports it
  }
  if (keys.empty() && rank_words.empty()) return;
  if (keys.empty()) {
    read_forms(rank_words);
    return;
  }
  // Two reads per key, each a job of its own: the stored words, and whether the key is an index word.
  std::vector<std::string> values(keys.size());
  std::vector<char> words(keys.size(), 0);
  std::vector<std::function<void(const Xapian::Database&)>> jobs;
  for (size_t k = 0; k < keys.size(); ++k) {
    jobs.emplace_back([&, k](const Xapian::Database& db) {
      values[k] = db.get_metadata(std::string(kMetaNamePrefix) + keys[k]);
    });
    jobs.emplace_back([&, k](const Xapian::Database& db) { words[k] = db.term_exists(keys[k]) ? 1 : 0; });
  }
  // The forms in the same round: a job per word and shard (each shard lists its own articles' forms).
  std::vector<size_t> shard_of(jobs.size(), DocumentReader::kAllShards);
  const size_t shards = documents_->shard_count();
  std::vector<std::string> form_values(rank_words.size() * shards);
  for (size_t k = 0; k < rank_words.size(); ++k) {
    for (size_t sh = 0; sh < shards; ++sh) {
      jobs.emplace_back([&, k, sh](const Xapian::Database& db) {
        form_values[k * shards + sh] = db.get_metadata(std::string(schema::kMetaFormsPrefix) + rank_words[k]);
      });
      shard_of.push_back(sh);
    }
  }
  const std::vector<bool> done = documents_->on_lanes(jobs, shard_of);
  for (size_t k = 0; k < rank_words.size(); ++k) {
    bool all = true;
    for (size_t sh = 0; sh < shards; ++sh) all = all && done[2 * keys.size() + k * shards + sh];
    if (!all) continue;  // read as the compile asks
    const std::vector<std::string> stored(form_values.begin() + static_cast<std::ptrdiff_t>(k * shards),
                                          form_values.begin() + static_cast<std::ptrdiff_t>((k + 1) * shards));
    form_answers_.emplace(rank_words[k], forms_of(analyzer_, rank_words[k], stored));
  }
  for (size_t k = 0; k < keys.size(); ++k) {
    if (done[2 * k] && done[2 * k + 1]) {
      name_answers_.emplace(keys[k], stored_name_variants(keys[k], values[k], words[k] != 0));
    }
  }
}

const std::vector<std::string>& Searcher::ranking_forms(const std::string& rank_word) const {
  if (auto known = form_answers_.find(rank_word); known != form_answers_.end()) return known->second;
  read_forms({rank_word});
  return form_answers_.at(rank_word);
}

void Searcher::read_forms(const std::vector<std::string>& rank_words) const {
  std::vector<std::string> todo;
  for (const std::string& w : rank_words) {
    if (form_answers_.count(w) == 0 && std::find(todo.begin(), todo.end(), w) == todo.end()) todo.push_back(w);
  }
  if (todo.empty()) return;
  // Xapian gives a database of several shards the first one's metadata: each shard is asked.
  std::vector<const Xapian::Database*> opened;
  for (const database::OpenedShard& s : shards_) {
    if (s.db) opened.push_back(&*s.db);
  }
  if (opened.empty()) opened.push_back(&db_);
  const size_t shards = opened.size();
  const std::string prefix(schema::kMetaFormsPrefix);
  std::vector<std::string> values(todo.size() * shards);
  std::vector<bool> done(values.size(), false);
  if (documents_ && documents_->all_remote() && values.size() > 1 && documents_->shard_count() == shards) {
    std::vector<std::function<void(const Xapian::Database&)>> jobs;
    std::vector<size_t> shard_of;
    for (size_t i = 0; i < values.size(); ++i) {
      jobs.emplace_back([&, i](const Xapian::Database& db) { values[i] = db.get_metadata(prefix + todo[i / shards]); });
      shard_of.push_back(i % shards);
    }
    done = documents_->on_lanes(jobs, shard_of);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (!done[i]) values[i] = opened[i % shards]->get_metadata(prefix + todo[i / shards]);
  }
  for (size_t k = 0; k < todo.size(); ++k) {
    const std::vector<std::string> stored(values.begin() + static_cast<std::ptrdiff_t>(k * shards),
                                          values.begin() + static_cast<std::ptrdiff_t>((k + 1) * shards));
    form_answers_.emplace(todo[k], forms_of(analyzer_, todo[k], stored));
  }
}

void Searcher::add_hits(const SearchOptions& options, const ParsedQuery& parsed, const CompiledQuery& compiled,
                        const Xapian::Enquire& enquire, const Xapian::MSet& mset,
                        const std::vector<RankedHit>& page, const CopySpy* copy_spy, bool counted_apart,
                        SearchResult& result) {
  const SnippetTerms snippet_terms{compiled.highlight_terms, compiled.highlight_stems,
                                   compiled.highlight_prefixes};
  const bool need_passages = options.want_snippets || options.explain || options.per_article != 1;
  // Position lists are read for a hit on a local shard, or for every hit with --passage-source positions.
  const bool positions =
      options.passage_source == PassageSource::kPositions ||
      (options.passage_source == PassageSource::kAuto &&
       std::find(remote_shard_.begin(), remote_shard_.end(), false) != remote_shard_.end());
  const PassageQuery pq = need_passages ? passage_query(compiled, positions) : PassageQuery();
  // The passage idf: the match's statistics hold the query's terms, passage_query() the wildcards' forms;
  // any other term is read once per query, not once per hit.
  std::unordered_map<std::string, double> freqs;
  const TermFreq termfreq = [&mset, &freqs, &pq](const std::string& term) {
    auto [f, added] = freqs.try_emplace(term, 0.0);
    if (added) {
      auto known = pq.termfreqs.find(term);
      f->second = static_cast<double>(known != pq.termfreqs.end() ? known->second : mset.get_termfreq(term));
    }
    return f->second;
  };
  size_t page_index = 0;
  // Which copy shows each story (and, over several remote shards, which hits folded copies).
  const bool remote = documents_ && documents_->any_remote();
  const bool relevance = options.sort == SortOrder::kRelevance;
  // Without a spy's notes (several or remote shards, or a match not ranked by score, as a filter-only query),
  // one match over the page's stories tells the ties.
  const bool ask_ties = options.collapse_copies && relevance && copy_spy == nullptr;
  // The same match tells which hits folded copies over several shards when some are remote: Xapian 1.4 keeps
  // a remote server's collapse counts only when it is the database's one shard, and a match that counted
  // nothing (`counted_apart`: search_once()) stopped before it saw every copy.
  const bool ask_folds = options.collapse_copies && remote && (remote_shard_.size() > 1 || counted_apart);
  PageCopies copies_on_page;
  if (options.collapse_copies && copy_spy != nullptr && relevance) {
    copies_on_page.earliest = earliest_ties(page, *copy_spy);
  } else if (ask_ties && !remote) {
    copies_on_page = page_copies(enquire, page, true);
  }
  const std::unordered_map<Xapian::docid, Xapian::docid>& earliest = copies_on_page.earliest;
  // On remote shards, the page's documents at once (documents.h); on local ones, each as its turn comes.
  std::vector<Xapian::Document> remote_docs;
  if (remote && !page.empty()) {
    // The page's documents are read over the extra connections while its stories are asked over the
    // database's own (page_copies()). A copy that ties with a shown one and ran first shows its story
    // instead, read after; where most articles have copies, most stories' hits are, so they wait for the
    // answer (stories_wait()).
    const bool wait = ask_ties && stories_wait();
    std::vector<Xapian::docid> missing;  // not read to order ties by id (ties_by_id())
    for (const auto& it : page) {
      if (remote_read_.count(*it) == 0 && !(wait && !it.get_collapse_key().empty())) missing.push_back(*it);
    }
    std::vector<std::optional<Xapian::Document>> lanes;
    std::exception_ptr lane_error;
    std::thread reader([&] {
      try {
        lanes = documents_->read_lanes(missing);
      } catch (...) {
        lane_error = std::current_exception();
      }
    });
    try {
      if (ask_ties || ask_folds) copies_on_page = page_copies(enquire, page, ask_ties);
    } catch (...) {
      reader.join();
      throw;
    }
    reader.join();
    if (lane_error) std::rethrow_exception(lane_error);
    for (size_t i = 0; i < missing.size(); ++i) {
      remote_read_.emplace(missing[i], i < lanes.size() && lanes[i] ? *lanes[i] : db_.get_document(missing[i]));
    }
    std::vector<Xapian::docid> dids, later;
    for (const auto& it : page) {
      const auto shown = earliest.find(*it);
      dids.push_back(shown == earliest.end() ? *it : shown->second);
      if (remote_read_.count(dids.back()) == 0) later.push_back(dids.back());
    }
    const std::vector<Xapian::Document> read = documents_->read(db_, later);
    for (size_t i = 0; i < later.size(); ++i) remote_read_.emplace(later[i], read[i]);
    for (Xapian::docid did : dids) remote_docs.push_back(remote_read_.at(did));
    remote_read_.clear();
  }
  // A local page's ids at once, for the formats that print ids alone (stream_ids()).
  std::unordered_map<Xapian::docid, std::string> page_ids;
  if (options.ids_only && remote_docs.empty() && !page.empty()) {
    std::vector<Xapian::docid> dids;
    for (const auto& it : page) {
      const auto shown = earliest.find(*it);
      dids.push_back(shown == earliest.end() ? *it : shown->second);
    }
    page_ids = stream_ids(db_, std::move(dids));
  }
  size_t hit_index = 0;
  for (const auto& it : page) {
    // The story's earliest copy when copies tie (earliest_ties()).
    const auto shown = earliest.find(*it);
    const Xapian::docid did = shown == earliest.end() ? *it : shown->second;
    const Xapian::Document doc = !remote_docs.empty()             ? remote_docs[hit_index]
                                 : shown == earliest.end() ? it.get_document()
                                                           : db_.get_document(did);
    ++hit_index;
    const double score = it.get_weight();
    Hit article_hit;
    article_hit.rank = options.offset + page_index++ + 1;  // an article's passages share its rank
    article_hit.score = score;
    nlohmann::json data;
    if (options.ids_only) {
      if (remote_docs.empty()) {
        const auto found = page_ids.find(did);
        article_hit.id = found == page_ids.end() ? std::string() : found->second;
      } else {
        article_hit.id = doc.get_value(schema::kSlotArticleId);
      }
    } else {
      data = nlohmann::json::parse(doc.get_data(), nullptr, false);
      fill_hit(article_hit, doc, data);
    }
    Explanation base;
    if (options.explain) {
      base.scoring = "article";
      base.weighting = weighting_description();
      base.query = enquire.get_query().get_description();
      base.parsed = parsed.describe();
      base.article_score = score;
      base.article_terms = matching_terms(enquire, did);
      base.name_expansions = compiled.name_expansions;
    }
    const bool folded = it.get_collapse_count() > 0 || copies_on_page.folded.count(*it) != 0;
    if (folded && !options.ids_only) {
      // Every other copy of its story, earliest first: the document's copies list, or the copies' value
      // slots (stories.h).
      // A story too large for a list is read copy by copy: over remote shards, several at once.
      stories::DocumentsRead read;
      if (remote) read = [this](const std::vector<Xapian::docid>& dids) { return documents_->read(db_, dids); };
      for (auto& c : stories::other_copies(db_, doc, copy_lists_, read)) {
        Hit::Copy copy{std::move(c.id), std::nullopt, std::nullopt};
        if (!c.outlet.empty()) copy.outlet = std::move(c.outlet);
        if (!c.date.empty()) copy.date = std::move(c.date);
        article_hit.copies.push_back(std::move(copy));
      }
    }
    if (!need_passages) {
      // ids/trec: nothing printed depends on the passage, and the passage does not change the score.
      result.hits.push_back(std::move(article_hit));
      continue;
    }
    if (options.ids_only) data = nlohmann::json::parse(doc.get_data(), nullptr, false);
    std::vector<PassageSpan> spans;
    const nlohmann::json* list = nullptr;
    if (data.is_object()) {
      if (auto p = data.find("passages"); p != data.end() && p->is_array()) list = &*p;
    }
    std::vector<PassageText> texts;
    if (list != nullptr) {
      for (const auto& pj : *list) {
        PassageSpan span;
        PassageText text;
        if (pj.is_object()) {
          span.start = pj.value("pos", 0u);
          span.length = pj.value("len", uint64_t{0});
          text.start = span.start;
          if (auto t = pj.find("text"); t != pj.end() && t->is_string()) {
            text.text = t->get_ref<const std::string&>();
          }
          if (auto sp = pj.find("speakers"); sp != pj.end() && sp->is_array()) {
            for (const auto& s : *sp) {
              if (s.is_string()) text.speakers.push_back(s.get<std::string>());
            }
          }
        }
        spans.push_back(span);
        texts.push_back(std::move(text));
      }
    }
    const size_t per = options.per_article;
    // A remote shard's position lists are a round trip each (per term and hit): its passages are
    // analysed again instead. A local one reads them, which is faster than analysing (bench/RESULTS.md).
    std::unique_ptr<PositionSource> source;
    const bool from_text =
        options.passage_source == PassageSource::kText ||
        (options.passage_source == PassageSource::kAuto && !remote_shard_.empty() &&
         remote_shard_[(did - 1) % remote_shard_.size()]);
    if (from_text) {
      source = std::make_unique<TextPositions>(texts, analyzer_, pq);
    } else {
      source = std::make_unique<DocumentPositions>(db_, did, &pq);
    }
    const std::vector<PassageScore> picked = choose_passages(*source, spans, pq, passage_stats_, termfreq, per);
    if (picked.empty()) {
      // An article without passages (a title only): the article itself is the hit.
      if (options.explain) article_hit.explain = std::move(base);
      result.hits.push_back(std::move(article_hit));
      continue;
    }
    for (const PassageScore& p : picked) {
      Hit hit = article_hit;
      const nlohmann::json& pj = (*list)[p.passage - 1];
      hit.passage = p.passage;
      hit.speakers.clear();
      if (auto sp = pj.find("speakers"); sp != pj.end() && sp->is_array()) {
        for (const auto& s : *sp) {
          if (s.is_string()) hit.speakers.push_back(s.get<std::string>());
        }
      }
      if (auto t = pj.find("text"); t != pj.end() && t->is_string()) hit.text = t->get<std::string>();
      hit.score = score + ranking::kPassageMix * p.score;
      if (options.want_snippets && hit.text) {
        hit.snippet = make_snippet(*hit.text, analyzer_, snippet_terms, options.snippet_chars);
      }
      if (options.explain) {
        Explanation ex = base;
        ex.passage_score = p.score;
        ex.passage_terms = p.terms;
        ex.proximity_bonus = p.proximity;
        ex.passage_query = "passage " + std::to_string(p.passage) +
                           ": BM25 of the query words it holds (positions " + std::to_string(spans[p.passage - 1].start) +
                           "..) + close pairs" + (p.quotes_speaker ? "; quotes the speaker" : "");
        hit.explain = std::move(ex);
      }
      result.hits.push_back(std::move(hit));
    }
  }
}

namespace {

std::u32string code_points_of(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    char32_t cp = n == 1 ? b : b & (0x3F >> (n - 1));
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

}  // namespace

void Searcher::review_words(const std::string& query, bool want_suggestion, const Xapian::MSet& mset,
                            SearchResult& result) {
  // Word by word: leave operators, field:value parts, wildcards and numbers alone. A word that matches
  // nothing is noted; it is replaced when the spelling table knows a close and much more frequent form:
  // the same first letter (as Lucene's DirectSpellChecker), fewer than one edit per 4 letters ("opek" ->
  // "oper", "brexit" -> "credit" are not close), and in 10 times as many passages at least.
  constexpr Xapian::doccount kMoreFrequent = 10;
  std::string out;
  bool changed = false;
  size_t i = 0;
  while (i < query.size()) {
    size_t ws = query.find_first_not_of(" \t", i);
    out.append(query, i, (ws == std::string::npos ? query.size() : ws) - i);
    if (ws == std::string::npos) break;
    size_t we = query.find_first_of(" \t", ws);
    if (we == std::string::npos) we = query.size();
    const std::string chunk = query.substr(ws, we - ws);
    i = we;
    const bool is_operator = std::all_of(chunk.begin(), chunk.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || c == '/' || (c >= '0' && c <= '9');
    });
    if (is_operator || chunk.find(':') != std::string::npos || chunk.find('*') != std::string::npos) {
      out += chunk;
      continue;
    }
    std::string rebuilt;
    size_t pos = 0;
    for (const Token& t : analyzer_.analyze(chunk)) {
      rebuilt.append(chunk, pos, t.begin - pos);
      // The ranking term first: the query holds it, so the match's statistics know it; the exact form
      // (often not in the query: a read, a round trip per shard when remote) only when it decides.
      const Xapian::doccount stem_freq =
          t.stem.empty() ? 0 : mset.get_termfreq(std::string(schema::kArticleText) + t.stem);
      const Xapian::doccount freq = want_suggestion || stem_freq == 0 ? mset.get_termfreq(t.term) : 0;
      const bool unmatched = freq == 0 && stem_freq == 0;
      if (unmatched) result.unmatched_words.push_back(chunk.substr(t.begin, t.end - t.begin));
      std::string suggestion;
      if (want_suggestion && t.term.size() > 2 && !(t.term[0] >= '0' && t.term[0] <= '9')) {
        suggestion = db_.get_spelling_suggestion(t.term);
        const std::u32string typed = code_points_of(t.term);
        const std::u32string offered = code_points_of(suggestion);
        const bool close = !suggestion.empty() && suggestion != t.term && offered.front() == typed.front() &&
                           edit_distance(typed, offered) * 4 < typed.size();
        if (!close || db_.get_termfreq(suggestion) < std::max<Xapian::doccount>(1, kMoreFrequent * freq)) {
          suggestion.clear();
        }
      }
      if (!suggestion.empty()) {
        rebuilt += suggestion;
        changed = true;
      } else {
        rebuilt.append(chunk, t.begin, t.end - t.begin);
      }
      pos = t.end;
    }
    rebuilt.append(chunk, pos, std::string::npos);
    out += rebuilt;
  }
  if (changed) result.suggestion = out;
}

DatabaseInfo Searcher::info() {
  return retrying("--info", [&] {
    DatabaseInfo info;
    info.path = path_;
    auto stamp = schema::read_stamp(db_);
    if (stamp) {
      info.schema_version = stamp->version;
      info.analyzer = stamp->analyzer;
    }
    info.documents = db_.get_doccount();
    info.articles = info.documents;
    info.passages = (shards_.size() > 1 ? database::summed_lengths(shards_) : schema::read_lengths(db_)).passages;
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query::MatchAll);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const FacetCounter counter({FacetKind::kOutlet, FacetKind::kSpeaker, FacetKind::kAuthor, FacetKind::kYear});
    counter.attach(enquire);
    enquire.get_mset(0, 0, db_.get_doccount());
    auto facets = counter.results(true, 0);
    info.outlets = facets[0].values;
    info.speakers = facets[1].values.size();
    info.authors = facets[2].values.size();
    uint64_t dated = 0;
    for (const auto& y : facets[3].values) dated += y.count;
    info.undated = info.articles >= dated ? info.articles - dated : 0;
    std::string lo = db_.get_value_lower_bound(schema::kSlotDate);
    std::string hi = db_.get_value_upper_bound(schema::kSlotDate);
    if (!lo.empty()) info.first_date = slot_date_to_iso(lo);
    if (!hi.empty()) info.last_date = slot_date_to_iso(hi);
    return info;
  });
}

std::vector<FacetCount> Searcher::list(FacetKind kind) {
  return retrying("--list", [&] {
    // Every article once: its values of the facet, counted per article as --facet counts them.
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query::MatchAll);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const FacetCounter counter({kind});
    counter.attach(enquire);
    enquire.get_mset(0, 0, db_.get_doccount());
    std::vector<FacetCount> values = counter.results(true, 0)[0].values;
    std::sort(values.begin(), values.end(),
              [](const FacetCount& a, const FacetCount& b) { return a.value < b.value; });
    return values;
  });
}

std::optional<FacetKind> parse_list(std::string_view text) {
  if (text.size() > 1 && text.back() == 's') text.remove_suffix(1);
  return parse_facet(text);
}

std::string list_names() {
  std::string out;
  for (FacetKind k : {FacetKind::kOutlet, FacetKind::kSpeaker, FacetKind::kAuthor, FacetKind::kYear,
                      FacetKind::kMonth}) {
    if (!out.empty()) out += ' ';
    out += facet_name(k);
    out += 's';
  }
  return out;
}

}  // namespace dateline
