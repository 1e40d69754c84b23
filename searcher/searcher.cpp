/** @file
 *  @brief Search execution: open a Dateline database, rank, collapse per article, facets, snippets.
 *
 *  All ranking decisions are here (constants in searcher.h, namespace ranking):
 *  - article scoring (non-positional queries): BM25 over article documents (KA), one per article, so
 *    words spread over paragraphs still find the article and totals/facets count articles directly;
 *    then each hit's best passage(s) are chosen by a second, small query inside that article;
 *  - passage scoring (phrase/NEAR, or --scoring passage): BM25 over passage documents (KP), collapsed
 *    on the article id slot; a FacetSpy counts distinct articles, because Xapian's match spies see
 *    every matching passage before collapsing.
 */
#include "searcher/searcher.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "analyzers/schema.h"
#include "base/edit_distance.h"
#include "searcher/weight.h"

namespace dateline {

namespace {

constexpr int kModifiedRetries = 5;  // reopen-and-retry rounds when an indexer commits mid-search
constexpr int kSwapRetries = 3;      // opening again when the database was swapped during the open

std::string str(std::string_view s) {
  return std::string(s);
}

// BM25 over one kind of document (searcher/weight.h): its collection size and average length.
KindBM25Weight bm25(const KindStats& stats) {
  static const double k1 = ranking_knob("k1", ranking::kBm25K1);
  static const double b = ranking_knob("b", ranking::kBm25B);
  return KindBM25Weight(k1, ranking::kBm25K3, b, ranking::kBm25MinNormLen, stats);
}

std::string weighting_description(bool passages) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "BM25(k1=%g, k3=%g, b=%g, min_normlen=%g) over %s documents, title wdf x%u",
                ranking::kBm25K1, ranking::kBm25K3, ranking::kBm25B, ranking::kBm25MinNormLen,
                passages ? "passage" : "article", ranking::kTitleWeight);
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

// Fills a hit's article and passage fields from a document (article or passage document).
void fill_hit(Hit& hit, const Xapian::Document& doc) {
  nlohmann::json data = nlohmann::json::parse(doc.get_data(), nullptr, false);
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
    if (auto it = data.find("passage");
        it != data.end() && it->is_number_unsigned() && it->get<uint64_t>() > 0) {
      hit.passage = static_cast<uint32_t>(it->get<uint64_t>());
    }
    if (auto it = data.find("speakers"); it != data.end() && it->is_array()) {
      for (const auto& s : *it) {
        if (s.is_string()) hit.speakers.push_back(s.get<std::string>());
      }
    }
  }
  if (hit.passage) hit.text = json_string(data, "text");
}

std::vector<std::string> matching_terms(const Xapian::Enquire& enquire, const Xapian::MSetIterator& it) {
  std::vector<std::string> out;
  for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it); ++t) {
    // Boolean filter terms (KP, XID..., XO...) match too but weigh nothing: show only text terms.
    if (schema::is_text_term(*t)) out.push_back(*t);
  }
  return out;
}

// The XID term of an article, exactly as the indexer wrote it (read back from the document).
std::string article_id_term(const Xapian::Document& doc, const std::string& id) {
  auto t = doc.termlist_begin();
  t.skip_to(str(schema::kArticleId));
  if (t != doc.termlist_end() && (*t).rfind(schema::kArticleId, 0) == 0) return *t;
  return schema::boolean_term(schema::kArticleId, id);
}

// Query text words for the passage choice: every highlight term and stem, as index terms.
struct PassageQueries {
  Xapian::Query terms;      // OR of the words
  Xapian::Query proximity;  // OR of close/adjacent pairs (the bonus), may be empty
};

PassageQueries passage_queries(const CompiledQuery& compiled) {
  std::vector<Xapian::Query> words;
  for (const auto& t : compiled.highlight_terms) words.emplace_back(str(schema::kBody) + t);
  for (const auto& s : compiled.highlight_stems)
    words.emplace_back(str(schema::kStemmed) + str(schema::kBody) + s);
  for (const auto& p : compiled.highlight_prefixes) {
    // Capped expansion: passage choice only needs the commonest forms of a wildcard.
    words.emplace_back(Xapian::Query::OP_WILDCARD, str(schema::kBody) + p, 50,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  }
  PassageQueries out;
  out.terms = Xapian::Query(Xapian::Query::OP_OR, words.begin(), words.end());
  // Pairs of consecutive query words (in query order, capped so long queries stay cheap).
  constexpr size_t kMaxPairTerms = 8;
  std::vector<Xapian::Query> pairs;
  const auto& terms = compiled.highlight_terms;
  for (size_t i = 0; i + 1 < terms.size() && i + 1 < kMaxPairTerms; ++i) {
    if (terms[i] == terms[i + 1]) continue;
    Xapian::Query pair[] = {Xapian::Query(str(schema::kBody) + terms[i]),
                            Xapian::Query(str(schema::kBody) + terms[i + 1])};
    pairs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_NEAR, pair, pair + 2, ranking::kProximityWindow),
                       ranking::kProximityBonus);
    pairs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_PHRASE, pair, pair + 2, 2), ranking::kPhraseBonus);
  }
  out.proximity = Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end());
  return out;
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

std::optional<SortOrder> parse_sort(std::string_view text) {
  if (text == "relevance") return SortOrder::kRelevance;
  if (text == "date") return SortOrder::kDate;
  if (text == "-date") return SortOrder::kDateDesc;
  return std::nullopt;
}

std::optional<Scoring> parse_scoring(std::string_view text) {
  if (text == "article") return Scoring::kArticle;
  if (text == "passage") return Scoring::kPassage;
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
    db_ = database::open_for_reading(path, open);
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
  try {
    refresh_stats();
  } catch (const Xapian::Error& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": cannot read database statistics: " + e.get_msg());
  }
}

void Searcher::refresh_stats() {
  article_stats_ = kind_stats(db_, false);
  passage_stats_ = kind_stats(db_, true);
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
      refresh_stats();
    } catch (const Xapian::DatabaseCorruptError& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, path_ + ": database is damaged: " + e.get_msg());
    } catch (const Xapian::DatabaseError& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, path_ + ": " + e.get_description());
    }
  }
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
  // Flag filters alone (no query words) list the articles they select.
  const bool blank = options.query.find_first_not_of(" \t\r\n") == std::string::npos;
  // The wildcard budget is shared by what each wildcard expands to in this database.
  CompileOptions compile = options.compile;
  compile.count_terms = [this](const std::string& prefix, size_t cap) {
    size_t n = 0;
    for (auto it = db_.allterms_begin(prefix); n < cap && it != db_.allterms_end(prefix); ++it) ++n;
    return n;
  };
  const ParsedQuery parsed =
      blank ? ParsedQuery() : parse_query(options.query, compile.budget, options.syntax);
  const CompiledQuery compiled = compile_query(parsed, options.filters, analyzer_, compile);
  if (compiled.wildcards_cut) {
    result.warnings.push_back("wildcards expand to more than " +
                              std::to_string(compile.budget.max_wildcard_terms) +
                              " terms in total: only the most frequent are searched");
  }
  const bool passage_mode = compiled.needs_passages || options.scoring == Scoring::kPassage;
  const Xapian::doccount doccount = db_.get_doccount();

  // The query over the documents ranked (article or passage terms), and over passage documents for
  // choosing each hit's best passage.
  const Xapian::Query passage_base = compiled.query.empty() ? Xapian::Query::MatchAll : compiled.query;
  const Xapian::Query& ranked = passage_mode ? compiled.query : compiled.article_query;
  const Xapian::Query base = ranked.empty() ? Xapian::Query::MatchAll : ranked;
  const Xapian::Query kind(str(passage_mode ? schema::kKindPassage : schema::kKindArticle));
  const Xapian::Query query(Xapian::Query::OP_FILTER, base, kind);

  Xapian::Enquire enquire(db_);
  enquire.set_query(query);
  enquire.set_weighting_scheme(bm25(passage_mode ? passage_stats_ : article_stats_));
  std::unique_ptr<Xapian::MultiValueKeyMaker> sorter;
  // Nothing weighs (only filters): relevance cannot order the hits, so the newest come first.
  const SortOrder order =
      !compiled.scored && options.sort == SortOrder::kRelevance ? SortOrder::kDateDesc : options.sort;
  if (order != SortOrder::kRelevance) {
    sorter = date_sorter(order);
    enquire.set_sort_by_key_then_relevance(sorter.get(), false);
  }
  if (passage_mode && options.per_article > 0) {
    enquire.set_collapse_key(schema::kSlotArticleId, static_cast<Xapian::doccount>(options.per_article));
  }
  // The spy counts facets, and in passage mode the distinct articles for the total.
  std::unique_ptr<FacetSpy> spy;
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

  // --limit and --offset count articles. Article scoring pages over article documents directly; passage
  // ranking with several passages per article fetches passages from the top until the page's articles
  // are all there (each article's passages are then listed under it, at the rank of its best).
  const bool group_passages = passage_mode && options.per_article != 1;
  const double time_limit = compile.budget.time_limit;
  if (time_limit > 0) enquire.set_time_limit(time_limit);
  const auto match_start = std::chrono::steady_clock::now();
  const uint64_t page_end = static_cast<uint64_t>(options.offset) + options.limit;
  auto run_match = [&](Xapian::doccount first, Xapian::doccount wanted) {
    enquire.clear_matchspies();
    spy.reset();
    if (passage_mode || !options.facets.empty()) {
      spy = std::make_unique<FacetSpy>(options.facets, passage_mode);
      enquire.add_matchspy(spy.get());
    }
    return enquire.get_mset(first, wanted, check_at_least);
  };
  Xapian::MSet mset;
  if (!group_passages) {
    mset = run_match(static_cast<Xapian::doccount>(std::min<uint64_t>(options.offset, doccount)),
                     static_cast<Xapian::doccount>(std::min<uint64_t>(options.limit, doccount)));
  } else {
    uint64_t wanted = std::max<uint64_t>(page_end * std::max<size_t>(options.per_article, 4), 16);
    while (true) {
      wanted = std::min<uint64_t>(wanted, doccount);
      mset = run_match(0, static_cast<Xapian::doccount>(wanted));
      std::set<std::string> articles;
      for (auto it = mset.begin(); it != mset.end() && articles.size() < page_end; ++it) {
        articles.insert(it.get_document().get_value(schema::kSlotArticleId));
      }
      if (articles.size() >= page_end || mset.size() < wanted || wanted >= doccount) break;
      wanted *= 4;
    }
  }
  const std::chrono::duration<double> match_time = std::chrono::steady_clock::now() - match_start;
  // Xapian does not say whether its timer went off: a match that lasted the limit may have stopped
  // counting early, so its totals and facets are not taken as exact.
  const bool timed_out = time_limit > 0 && match_time.count() >= time_limit;

  // Totals. With check_at_least = doccount every match was seen: exact. Otherwise the total is
  // exact only when Xapian's bounds show nothing was left unseen (phrase checks make the upper
  // bound loose, so "seen everything" cannot be told from the bound alone otherwise).
  const uint64_t lower =
      passage_mode ? mset.get_uncollapsed_matches_lower_bound() : mset.get_matches_lower_bound();
  const uint64_t upper =
      passage_mode ? mset.get_uncollapsed_matches_upper_bound() : mset.get_matches_upper_bound();
  const bool all_seen = (check_at_least >= doccount && !timed_out) ||
                        (lower == upper && (!spy || spy->documents_seen() >= upper));
  result.total_exact = all_seen;
  if (timed_out && !all_seen) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g", time_limit);
    result.warnings.push_back(std::string("the match reached the time limit (") + seconds +
                              " s): the total and facets are estimates");
  }
  if (passage_mode) {
    const uint64_t seen = spy->documents_seen();
    if (all_seen) {
      result.total = spy->articles_seen();
    } else if (seen == 0) {
      result.total = mset.get_matches_estimated();
    } else {
      // Scale the distinct articles of the sample by the estimated passages per sampled passage.
      const double ratio =
          static_cast<double>(mset.get_uncollapsed_matches_estimated()) / static_cast<double>(seen);
      result.total = static_cast<uint64_t>(std::llround(static_cast<double>(spy->articles_seen()) * ratio));
    }
  } else {
    result.total = all_seen ? mset.get_matches_lower_bound() : mset.get_matches_estimated();
  }
  // An estimate (sampled, or scaled from a sample) never exceeds the articles there are.
  if (!result.total_exact) {
    result.total = std::min<uint64_t>(result.total, db_.get_termfreq(str(schema::kKindArticle)));
  }
  if (spy && !options.facets.empty()) result.facets = spy->results(all_seen, options.facet_limit);

  const SnippetTerms snippet_terms{compiled.highlight_terms, compiled.highlight_stems,
                                   compiled.highlight_prefixes};
  const std::string weighting = weighting_description(passage_mode);
  // A hit of the ranked page: every field, or (ids/trec) just the id, from its value slot.
  auto fill_page_hit = [&](Hit& hit, const Xapian::Document& doc) {
    if (options.ids_only) {
      hit.id = doc.get_value(schema::kSlotArticleId);
    } else {
      fill_hit(hit, doc);
    }
  };
  auto finish_hit = [&](Hit& hit) {
    if (options.want_snippets && hit.text) {
      hit.snippet = make_snippet(*hit.text, analyzer_, snippet_terms, options.snippet_chars);
    }
  };
  auto base_explanation = [&](const char* scoring) {
    Explanation ex;
    ex.scoring = scoring;
    ex.weighting = weighting;
    ex.query = query.get_description();
    ex.parsed = parsed.describe();
    return ex;
  };

  if (passage_mode) {
    // Grouped: the page's articles in the order of their best passage, each with its passages.
    std::vector<std::string> article_order;
    std::map<std::string, std::vector<Xapian::MSetIterator>> by_article;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      if (!group_passages) {
        article_order.push_back(std::to_string(article_order.size()));
        by_article[article_order.back()].push_back(it);
        continue;
      }
      std::string id = it.get_document().get_value(schema::kSlotArticleId);
      auto& list = by_article[id];
      if (list.empty()) article_order.push_back(id);
      list.push_back(it);
    }
    const size_t skip = group_passages ? std::min(article_order.size(), options.offset) : 0;
    for (size_t a = skip; a < article_order.size() && a - skip < options.limit; ++a) {
      for (const Xapian::MSetIterator& it : by_article[article_order[a]]) {
        Hit hit;
        hit.rank = options.offset + (a - skip) + 1;
        hit.score = it.get_weight();
        fill_page_hit(hit, it.get_document());
        finish_hit(hit);
        if (options.explain) {
          Explanation ex = base_explanation("passage");
          ex.passage_score = it.get_weight();
          ex.passage_terms = matching_terms(enquire, it);
          hit.explain = std::move(ex);
        }
        result.hits.push_back(std::move(hit));
      }
    }
  } else {
    const PassageQueries pq = passage_queries(compiled);
    size_t page_index = 0;  // the article's place on the page
    const KindBM25Weight passage_weight = bm25(passage_stats_);
    const Xapian::Query kp(str(schema::kKindPassage));
    const bool need_passages =
        options.want_snippets || options.explain || options.per_article != 1 || ranking::kPassageMix != 0.0;
    auto emit = [&](Hit&& hit) {
      hit.rank = options.offset + page_index + 1;  // an article's passages share its rank
      finish_hit(hit);
      result.hits.push_back(std::move(hit));
    };
    // Best passages of every article on the page, chosen with one query per tier for all of them
    // (collapsed by article) rather than one query per article, in three tiers:
    //  1. passages matching the whole query (so --speaker/speaker: picks that speaker's passages),
    //     ranked with the query words and the proximity bonus;
    //  2. passages with any query word (words spread over paragraphs: a passage with some wins);
    //  3. the first passage (the match was in the title or a field only).
    struct Picked {
      Xapian::docid did;
      double weight;
      Xapian::Document doc;
      std::vector<std::string> terms;
      std::string query;
    };
    const auto per = static_cast<size_t>(options.per_article == 0 ? doccount : options.per_article);
    const Xapian::Query words(Xapian::Query::OP_OR, pq.terms, pq.proximity);
    const Xapian::Query tier_queries[] = {Xapian::Query(Xapian::Query::OP_AND_MAYBE, passage_base, words),
                                          words};
    std::vector<std::string> page_ids;  // article ids in rank order, as far as the page can reach
    std::vector<std::string> page_id_terms;
    std::map<std::string, std::vector<Picked>> picks;  // article id -> its passages, best first
    if (need_passages) {
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const Xapian::Document article = it.get_document();
        std::string id = article.get_value(schema::kSlotArticleId);
        page_id_terms.push_back(article_id_term(article, id));
        page_ids.push_back(std::move(id));
      }
      // The articles of `ids` as a filter on their passage documents.
      auto in_articles = [&](const std::vector<size_t>& which) {
        std::vector<Xapian::Query> id_terms;
        for (size_t k : which) id_terms.emplace_back(page_id_terms[k]);
        return Xapian::Query(Xapian::Query::OP_AND,
                             Xapian::Query(Xapian::Query::OP_OR, id_terms.begin(), id_terms.end()), kp);
      };
      std::vector<size_t> pending(page_ids.size());
      for (size_t k = 0; k < pending.size(); ++k) pending[k] = k;
      auto collect = [&](Xapian::Enquire& e, const Xapian::MSet& set, const Xapian::Query& tier) {
        for (auto pit = set.begin(); pit != set.end(); ++pit) {
          const Xapian::Document doc = pit.get_document();
          auto& list = picks[doc.get_value(schema::kSlotArticleId)];
          if (list.size() >= per) continue;
          std::string description;
          if (options.explain) {
            // The query as it would select this article's passages alone.
            const Xapian::Query mine(
                Xapian::Query::OP_AND,
                Xapian::Query(article_id_term(doc, doc.get_value(schema::kSlotArticleId))), kp);
            description = tier.empty()
                              ? mine.get_description()
                              : Xapian::Query(Xapian::Query::OP_FILTER, tier, mine).get_description();
          }
          list.push_back(
              {*pit, pit.get_weight(), doc,
               options.explain && !tier.empty() ? matching_terms(e, pit) : std::vector<std::string>{},
               std::move(description)});
        }
        std::erase_if(pending, [&](size_t k) { return picks.count(page_ids[k]) > 0; });
      };
      const auto depth = [&](size_t articles) {
        return static_cast<Xapian::doccount>(
            std::min<uint64_t>(static_cast<uint64_t>(articles) * per, doccount));
      };
      for (const Xapian::Query& tier : tier_queries) {
        if (pending.empty()) break;
        const Xapian::Query tq(Xapian::Query::OP_FILTER, tier, in_articles(pending));
        if (tier.empty() || tq.empty()) continue;
        Xapian::Enquire pe(db_);
        pe.set_query(tq);
        pe.set_weighting_scheme(passage_weight);
        pe.set_docid_order(Xapian::Enquire::ASCENDING);
        if (options.per_article > 0)
          pe.set_collapse_key(schema::kSlotArticleId, static_cast<Xapian::doccount>(per));
        collect(pe, pe.get_mset(0, depth(pending.size())), tier);
      }
      if (!pending.empty()) {
        Xapian::Enquire fe(db_);
        Xapian::MultiValueKeyMaker by_passage;
        by_passage.add_value(schema::kSlotPassage);
        fe.set_query(in_articles(pending));
        fe.set_weighting_scheme(Xapian::BoolWeight());
        fe.set_sort_by_key(&by_passage, false);
        fe.set_collapse_key(schema::kSlotArticleId, 1);
        collect(fe, fe.get_mset(0, depth(pending.size())), Xapian::Query());
      }
    }
    for (auto it = mset.begin(); it != mset.end(); ++it, ++page_index) {
      const Xapian::Document article = it.get_document();
      Hit article_hit;
      fill_page_hit(article_hit, article);
      const double article_score = it.get_weight();
      if (!need_passages) {
        // ids/trec: nothing printed depends on the passage, and the passage does not change the score.
        Hit hit = article_hit;
        hit.score = article_score;
        emit(std::move(hit));
        continue;
      }
      const Xapian::Query in_article(Xapian::Query::OP_AND, Xapian::Query(page_id_terms[page_index]), kp);
      std::vector<Picked> picked;
      if (auto found = picks.find(page_ids[page_index]); found != picks.end())
        picked = std::move(found->second);
      std::optional<Xapian::MSet> bonus_set;
      if (options.explain && !pq.proximity.empty()) {
        Xapian::Enquire be(db_);
        be.set_query(Xapian::Query(Xapian::Query::OP_FILTER, pq.proximity, in_article));
        be.set_weighting_scheme(passage_weight);
        bonus_set = be.get_mset(0, doccount);
      }
      if (picked.empty()) {
        // An article without passage documents: the article itself is the hit.
        Hit hit = article_hit;
        hit.score = article_score;
        if (options.explain) {
          Explanation ex = base_explanation("article");
          ex.article_score = article_score;
          ex.article_terms = matching_terms(enquire, it);
          hit.explain = std::move(ex);
        }
        emit(std::move(hit));
        continue;
      }
      for (Picked& p : picked) {
        Hit hit;
        fill_hit(hit, p.doc);
        // Article metadata wins over a passage document's copy (they should agree).
        hit.id = article_hit.id;
        if (article_hit.path) hit.path = article_hit.path;
        if (article_hit.title) hit.title = article_hit.title;
        if (article_hit.outlet) hit.outlet = article_hit.outlet;
        if (article_hit.date) hit.date = article_hit.date;
        if (article_hit.author) hit.author = article_hit.author;
        if (article_hit.wire) hit.wire = article_hit.wire;
        hit.score = article_score + ranking::kPassageMix * p.weight;
        if (options.explain) {
          Explanation ex = base_explanation("article");
          ex.article_score = article_score;
          ex.article_terms = matching_terms(enquire, it);
          ex.passage_score = p.weight;
          ex.passage_query = std::move(p.query);
          ex.passage_terms = std::move(p.terms);
          if (bonus_set) {
            for (auto b = bonus_set->begin(); b != bonus_set->end(); ++b) {
              if (*b == p.did) ex.proximity_bonus = b.get_weight();
            }
          }
          hit.explain = std::move(ex);
        }
        emit(std::move(hit));
      }
    }
  }

  if (options.suggest && options.syntax != Syntax::kPlain) {
    review_words(options.query, result.total == 0, result);
  }
  return result;
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

void Searcher::review_words(const std::string& query, bool want_suggestion, SearchResult& result) {
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
      const Xapian::doccount freq = db_.get_termfreq(t.term);
      const bool unmatched =
          freq == 0 && (t.stem.empty() || db_.get_termfreq(std::string(schema::kStemmed) + t.stem) == 0);
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
    info.articles = db_.get_termfreq(str(schema::kKindArticle));
    info.passages = db_.get_termfreq(str(schema::kKindPassage));
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(str(schema::kKindArticle)));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    FacetSpy spy({FacetKind::kOutlet, FacetKind::kSpeaker, FacetKind::kAuthor, FacetKind::kYear}, false);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db_.get_doccount());
    auto facets = spy.results(true, 0);
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
    // Every article document once: its values of the facet, counted per article as --facet counts them.
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(str(schema::kKindArticle)));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    FacetSpy spy({kind}, false);
    enquire.add_matchspy(&spy);
    enquire.get_mset(0, 0, db_.get_doccount());
    std::vector<FacetCount> values = spy.results(true, 0)[0].values;
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
