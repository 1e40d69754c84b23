/** @file
 *  @brief Searcher over small databases built here with Xapian, following analyzers/schema.h:
 *  article vs passage ranking, collapse, paging, sorting, errors, and facets against a brute-force count.
 */
#include "searcher/searcher.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "analyzers/schema.h"
#include "indexer/document_builder.h"
#include "indexer/stem_forms.h"
#include "tests/support/test_support.h"

namespace {

using dateline::Analyzer;
using dateline::FacetKind;
using dateline::Searcher;
using dateline::SearchOptions;
namespace schema = dateline::schema;

struct TestPassage {
  std::string text;
  std::vector<std::string> speakers;
};

struct TestArticle {
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> outlet;
  std::optional<std::string> date;  // ISO
  std::vector<std::string> authors;
  std::vector<TestPassage> passages;
};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::vector<std::string> unique_speakers(const TestArticle& a) {
  std::vector<std::string> out;
  for (const auto& p : a.passages) {
    for (const auto& s : p.speakers) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  return out;
}

// What dateline-index writes: the document builder's document for one article (schema.h).
dateline::BuiltArticle built_article(const Analyzer& an, const TestArticle& a) {
  dateline::DocumentBuilder builder(an);
  dateline::Article article;
  article.id = a.id;
  article.path = "corpus/" + a.id;
  article.title = a.title;
  article.outlet = a.outlet;
  article.date = a.date;
  if (!a.authors.empty()) article.author = join(a.authors, ", ");
  size_t at = 0;
  for (const auto& p : a.passages) {
    article.passages.push_back(dateline::Passage{p.text, at, at + p.text.size(), p.speakers});
    at += p.text.size() + 2;
  }
  return builder.build(article);
}

void add_article(Xapian::WritableDatabase& db, const Analyzer& an, const TestArticle& a) {
  dateline::BuiltArticle built = built_article(an, a);
  db.replace_document(built.id_term, built.document);
  dateline::add_stem_forms(db, built);
}

std::string build_db(const std::filesystem::path& dir, const std::vector<TestArticle>& articles) {
  std::string path = (dir / "db").string();
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
  Analyzer an;
  schema::write_stamp(db, an.config().serialise());
  schema::Lengths lengths;
  for (const auto& a : articles) {
    dateline::BuiltArticle built = built_article(an, a);
    db.replace_document(built.id_term, built.document);
    dateline::add_stem_forms(db, built);
  dateline::add_stem_forms(db, built);
    for (const auto& w : built.spelling) db.add_spelling(w);
    lengths.articles += built.length;
    lengths.passages += built.passages;
  }
  schema::write_lengths(db, lengths);
  db.commit();
  return path;
}

std::vector<std::string> ids(const dateline::SearchResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.id);
  return out;
}

SearchOptions query(const std::string& q) {
  SearchOptions o;
  o.query = q;
  return o;
}

// ---- a small hand-made corpus ---------------------------------------------------------------------

std::vector<TestArticle> small_corpus() {
  return {
      {"spread",
       "Border report",
       "Reuters",
       "2022-03-01",
       {"Ann Lee"},
       {{"Alpha words open the first paragraph.", {}},
        {"Beta words close the second one.", {"Viktor Gulevich"}}}},
      {"together",
       "Minsk notes",
       "Newsweek",
       "2021-05-02",
       {},
       {{"Nothing here.", {}}, {"Alpha beta side by side in one passage.", {"Alexander Lukashenko"}}}},
      {"phrases",
       std::nullopt,
       "Reuters",
       std::nullopt,
       {"Ann Lee", "Bo Chen"},
       {{"The special operation began.", {"Alexander Lukashenko"}},
        {"Again the special operation, and again.", {"Vladimir Putin"}},
        {"A third special operation mention.", {"Alexander Lukashenko"}}}},
      {"titled",
       "Troops at the border",
       std::nullopt,
       "2023-01-09",
       {},
       {{"The story has no matching body words.", {}}}},
  };
}

class SmallCorpus : public ::testing::Test {
 protected:
  void SetUp() override { path_ = build_db(dir_.path(), small_corpus()); }
  dateline::test::TempDir dir_;
  std::string path_;
};

TEST_F(SmallCorpus, ArticleScoringFindsWordsSpreadOverPassages) {
  Searcher s(path_);
  SearchOptions o = query("alpha beta");
  o.compile.match_all = true;
  auto r = s.search(o);
  std::vector<std::string> got = ids(r);
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"spread", "together"}));
  EXPECT_EQ(r.total, 2u);
  EXPECT_TRUE(r.total_exact);
}

TEST_F(SmallCorpus, BestPassageHasTheWords) {
  Searcher s(path_);
  auto r = s.search(query("alpha beta"));
  for (const auto& h : r.hits) {
    if (h.id == "together") {
      EXPECT_EQ(h.passage, 2u);
      EXPECT_EQ(h.speakers, (std::vector<std::string>{"Alexander Lukashenko"}));
      ASSERT_TRUE(h.snippet);
      EXPECT_EQ(h.snippet->text, "Alpha beta side by side in one passage.");
      EXPECT_EQ(h.snippet->highlights, (std::vector<dateline::Highlight>{{0, 5}, {6, 10}}));
    }
  }
  SearchOptions o = query("alpha beta");
  o.per_article = 0;  // every matching passage
  auto all = s.search(o);
  std::multiset<std::string> per_id;
  for (const auto& h : all.hits) per_id.insert(h.id);
  EXPECT_EQ(per_id.count("spread"), 2u);
  EXPECT_EQ(per_id.count("together"), 1u);
}

TEST_F(SmallCorpus, TitleOnlyMatchShowsTheFirstPassage) {
  Searcher s(path_);
  auto r = s.search(query("troops"));
  ASSERT_EQ(ids(r), (std::vector<std::string>{"titled"}));
  EXPECT_EQ(r.hits[0].passage, 1u);
  EXPECT_EQ(r.hits[0].title, "Troops at the border");
  EXPECT_EQ(r.hits[0].date, "2023-01-09");
}

TEST_F(SmallCorpus, PhraseCollapsesPassagesByArticle) {
  Searcher s(path_);
  SearchOptions o = query("\"special operation\"");
  o.facets = {FacetKind::kSpeaker, FacetKind::kAuthor};
  auto r = s.search(o);
  EXPECT_EQ(ids(r), (std::vector<std::string>{"phrases"}));
  EXPECT_EQ(r.total, 1u);
  ASSERT_EQ(r.facets.size(), 2u);
  // Three passages match; Lukashenko speaks in two of them: the article counts once.
  EXPECT_EQ(r.facets[0].values,
            (std::vector<dateline::FacetCount>{{"Alexander Lukashenko", 1}, {"Vladimir Putin", 1}}));
  EXPECT_EQ(r.facets[1].values, (std::vector<dateline::FacetCount>{{"Ann Lee", 1}, {"Bo Chen", 1}}));
  o.per_article = 2;
  EXPECT_EQ(s.search(o).hits.size(), 2u);
  o.per_article = 0;
  auto all = s.search(o);
  EXPECT_EQ(all.hits.size(), 3u);
  EXPECT_EQ(all.total, 1u);
}

TEST_F(SmallCorpus, SortByDateUnknownLast) {
  Searcher s(path_);
  SearchOptions o = query("alpha OR special OR troops");
  o.sort = dateline::SortOrder::kDate;
  EXPECT_EQ(ids(s.search(o)), (std::vector<std::string>{"together", "spread", "titled", "phrases"}));
  o.sort = dateline::SortOrder::kDateDesc;
  EXPECT_EQ(ids(s.search(o)), (std::vector<std::string>{"titled", "spread", "together", "phrases"}));
}

TEST_F(SmallCorpus, PagingConcatenatesToTheFullList) {
  Searcher s(path_);
  SearchOptions o = query("alpha OR special OR troops OR nothing");
  auto full = ids(s.search(o));
  ASSERT_EQ(full.size(), 4u);
  std::vector<std::string> paged;
  for (size_t off = 0; off < 4; off += 3) {
    o.offset = off;
    o.limit = 3;
    auto page = s.search(o);
    for (size_t i = 0; i < page.hits.size(); ++i) EXPECT_EQ(page.hits[i].rank, off + i + 1);
    auto got = ids(page);
    paged.insert(paged.end(), got.begin(), got.end());
  }
  EXPECT_EQ(paged, full);
}

// --format ids and trec read a local page's ids along the id slot's value stream (searcher.cpp stream_ids()):
// the same ids, in the same order, as the full hits (which read each document), on every page.
TEST_F(SmallCorpus, IdsOnlyPagesNameTheHitsTheFullSearchNames) {
  Searcher s(path_);
  for (const std::string q : {"alpha OR special OR troops OR nothing", "special", "\"special operation\"", "border"}) {
    SearchOptions o = query(q);
    const auto full = ids(s.search(o));
    ASSERT_FALSE(full.empty()) << q;
    for (const std::string& id : full) EXPECT_FALSE(id.empty()) << q;
    o.ids_only = true;
    o.want_snippets = false;
    EXPECT_EQ(ids(s.search(o)), full) << q;
    for (size_t off = 0; off < full.size(); ++off) {
      o.offset = off;
      o.limit = 1;
      EXPECT_EQ(ids(s.search(o)), std::vector<std::string>{full[off]}) << q << " at " << off;
    }
  }
}

TEST_F(SmallCorpus, CountMatchesTotal) {
  Searcher s(path_);
  EXPECT_EQ(s.count(query("special OR alpha")), (std::pair<uint64_t, bool>{3, true}));
  EXPECT_EQ(s.count(query("\"special operation\"")), (std::pair<uint64_t, bool>{1, true}));
}

TEST_F(SmallCorpus, QueryBudgetCutsAreFlagged) {
  Searcher s(path_);
  // Within the budget: a complete answer, nothing flagged.
  auto whole = s.search(query("th*"));
  EXPECT_FALSE(whole.partial());
  EXPECT_EQ(whole.total, 3u);  // "the" is in three articles, "third" in one of them
  // "th*" is "the" and "third": a budget of one term keeps the more frequent and says so.
  SearchOptions cut = query("th*");
  cut.compile.budget.max_wildcard_terms = 1;
  auto r = s.search(cut);
  EXPECT_TRUE(r.partial());
  const std::string wildcards =
      "wildcards expand to more than 1 terms in total: only the most frequent are searched";
  EXPECT_EQ(r.warnings, std::vector<std::string>{wildcards});
  // The time limit stops Xapian's counting past the page; the answer is flagged only when that left
  // matches uncounted. Four articles are all seen (Xapian's bounds prove it): exact, nothing flagged.
  SearchOptions timed = query("special OR alpha");
  timed.facets = {FacetKind::kOutlet};
  timed.compile.budget.time_limit = 1e-9;
  auto t = s.search(timed);
  EXPECT_TRUE(t.total_exact);
  EXPECT_EQ(t.total, 3u);
  ASSERT_EQ(t.facets.size(), 1u);
  EXPECT_TRUE(t.facets[0].exact);
  EXPECT_TRUE(t.warnings.empty());
  EXPECT_EQ(ids(t).size(), 3u);
  // A structural limit is a query error naming it.
  SearchOptions deep = query(std::string(101, '(') + "alpha" + std::string(101, ')'));
  EXPECT_THROW(s.search(deep), dateline::QueryError);
}

TEST_F(SmallCorpus, NothingMatchesSuggestsASpelling) {
  Searcher s(path_);
  auto r = s.search(query("specal"));
  EXPECT_TRUE(r.hits.empty());
  EXPECT_EQ(r.total, 0u);
  EXPECT_EQ(r.suggestion, "special");
}

TEST_F(SmallCorpus, ExplainNamesTheTerms) {
  Searcher s(path_);
  SearchOptions o = query("beta");
  o.explain = true;
  auto r = s.search(o);
  ASSERT_FALSE(r.hits.empty());
  ASSERT_TRUE(r.hits[0].explain);
  EXPECT_EQ(r.hits[0].explain->scoring, "article");
  EXPECT_EQ(r.hits[0].explain->article_terms, (std::vector<std::string>{"Wbeta"}));
  EXPECT_EQ(r.hits[0].explain->parsed, "(WORD beta)");
  EXPECT_GT(r.hits[0].explain->article_score, 0.0);
}

TEST_F(SmallCorpus, Info) {
  Searcher s(path_);
  auto info = s.info();
  EXPECT_EQ(info.articles, 4u);
  EXPECT_EQ(info.passages, 8u);
  EXPECT_EQ(info.outlets, (std::vector<dateline::FacetCount>{{"Reuters", 2}, {"Newsweek", 1}}));
  EXPECT_EQ(info.speakers, 3u);
  EXPECT_EQ(info.authors, 2u);
  EXPECT_EQ(info.first_date, "2021-05-02");
  EXPECT_EQ(info.last_date, "2023-01-09");
  EXPECT_EQ(info.undated, 1u);
}

// --list: every value of the whole database with its article count, sorted by value.
TEST_F(SmallCorpus, ListEveryValueWithArticleCounts) {
  using dateline::FacetCount;
  Searcher s(path_);
  EXPECT_EQ(s.list(FacetKind::kOutlet), (std::vector<FacetCount>{{"Newsweek", 1}, {"Reuters", 2}}));
  // An article counts once per speaker however many of its passages quote them.
  EXPECT_EQ(s.list(FacetKind::kSpeaker),
            (std::vector<FacetCount>{
                {"Alexander Lukashenko", 2}, {"Viktor Gulevich", 1}, {"Vladimir Putin", 1}}));
  EXPECT_EQ(s.list(FacetKind::kAuthor), (std::vector<FacetCount>{{"Ann Lee", 2}, {"Bo Chen", 1}}));
  EXPECT_EQ(s.list(FacetKind::kYear), (std::vector<FacetCount>{{"2021", 1}, {"2022", 1}, {"2023", 1}}));
  EXPECT_EQ(s.list(FacetKind::kMonth),
            (std::vector<FacetCount>{{"2021-05", 1}, {"2022-03", 1}, {"2023-01", 1}}));
}

TEST(ParseList, PluralOrSingularFacetNames) {
  EXPECT_EQ(dateline::parse_list("outlets"), FacetKind::kOutlet);
  EXPECT_EQ(dateline::parse_list("speaker"), FacetKind::kSpeaker);
  EXPECT_EQ(dateline::parse_list("authors"), FacetKind::kAuthor);
  EXPECT_EQ(dateline::parse_list("years"), FacetKind::kYear);
  EXPECT_EQ(dateline::parse_list("months"), FacetKind::kMonth);
  EXPECT_EQ(dateline::parse_list("outletss"), std::nullopt);
  EXPECT_EQ(dateline::parse_list("s"), std::nullopt);
  EXPECT_EQ(dateline::parse_list(""), std::nullopt);
  EXPECT_EQ(dateline::parse_list("Outlets"), std::nullopt);
  EXPECT_EQ(dateline::list_names(), "outlets speakers authors years months");
}

TEST_F(SmallCorpus, ReadersSurviveCommitsMidSearch) {
  Searcher s(path_);
  ASSERT_EQ(s.search(query("alpha")).total, 2u);
  {
    Xapian::WritableDatabase w(path_, Xapian::DB_OPEN);
    Analyzer an;
    for (int i = 0; i < 6; ++i) {
      add_article(w, an,
                  {"extra" + std::to_string(i),
                   std::nullopt,
                   std::nullopt,
                   std::nullopt,
                   {},
                   {{"alpha again " + std::string(200, 'x'), {}}}});
      w.commit();
    }
  }
  auto r = s.search(query("alpha"));  // old revision gone: reopen and retry, never an error
  EXPECT_GE(r.total, 2u);
}

// ---- opening ------------------------------------------------------------------------------------

TEST(SearcherOpen, MissingDatabaseSaysHowToCreateOne) {
  dateline::test::TempDir dir;
  std::string path = (dir.path() / "nope").string();
  try {
    Searcher s(path);
    FAIL() << "opened a missing database";
  } catch (const dateline::DatabaseError& e) {
    EXPECT_EQ(e.kind(), dateline::DatabaseError::Kind::kMissing);
    EXPECT_EQ(
        std::string(e.what()),
        path + ": no Dateline database here; create one with: dateline-index --db " + path + " FILES...");
  }
}

TEST(SearcherOpen, XapianDatabaseWithoutStampIsRefused) {
  dateline::test::TempDir dir;
  std::string path = (dir.path() / "plain").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    db.add_document(Xapian::Document());
    db.commit();
  }
  try {
    Searcher s(path);
    FAIL();
  } catch (const dateline::DatabaseError& e) {
    EXPECT_EQ(e.kind(), dateline::DatabaseError::Kind::kNotOurs);
  }
}

TEST(SearcherOpen, NewerSchemaIsRefusedInOneLine) {
  dateline::test::TempDir dir;
  std::string path = (dir.path() / "future").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    db.set_metadata(std::string(schema::kMetaVersion), "99");
    db.set_metadata(std::string(schema::kMetaAnalyzer), "language=english;fold_accents=1");
    db.commit();
  }
  try {
    Searcher s(path);
    FAIL();
  } catch (const dateline::DatabaseError& e) {
    EXPECT_EQ(e.kind(), dateline::DatabaseError::Kind::kVersion);
    EXPECT_NE(std::string(e.what()).find("99"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(SearcherOpen, DamagedDatabaseIsAnError) {
  dateline::test::TempDir dir;
  std::string path = (dir.path() / "broken").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    db.commit();
  }
  // Truncate every table file: Xapian must refuse, and we must say so in one line.
  for (const auto& f : std::filesystem::directory_iterator(path)) {
    if (f.path().extension() == ".glass" || f.path().filename() == "iamglass") {
      std::ofstream(f.path(), std::ios::trunc) << "garbage";
    }
  }
  try {
    Searcher s(path);
    FAIL();
  } catch (const dateline::DatabaseError& e) {
    EXPECT_TRUE(e.kind() == dateline::DatabaseError::Kind::kDamaged ||
                e.kind() == dateline::DatabaseError::Kind::kVersion)
        << e.what();
    EXPECT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
  }
}

TEST(SearcherOptions, ParseSortAndScoring) {
  EXPECT_EQ(dateline::parse_sort("-date"), dateline::SortOrder::kDateDesc);
  EXPECT_EQ(dateline::parse_sort("date"), dateline::SortOrder::kDate);
  EXPECT_EQ(dateline::parse_sort("relevance"), dateline::SortOrder::kRelevance);
  EXPECT_EQ(dateline::parse_sort("+date"), std::nullopt);
}

// ---- facets against a brute-force count ---------------------------------------------------------

const std::vector<std::string> kVocabulary = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta"};
const std::vector<std::string> kOutlets = {"Reuters", "The Washington Times", "Newsweek"};
const std::vector<std::string> kSpeakers = {"Alexander Lukashenko", "Vladimir Putin", "Viktor Gulevich",
                                            "Svetlana Tikhanovskaya"};
const std::vector<std::string> kAuthors = {"Ann Lee", "Bo Chen", "Cy Diaz"};

std::vector<TestArticle> random_corpus(unsigned seed, size_t n) {
  std::mt19937 rng(seed);
  auto pick = [&rng](size_t k) { return static_cast<size_t>(rng() % k); };
  std::vector<TestArticle> out;
  for (size_t i = 0; i < n; ++i) {
    TestArticle a;
    a.id = "a" + std::to_string(i);
    if (pick(4) != 0) a.outlet = kOutlets[pick(kOutlets.size())];
    if (pick(5) != 0) {
      char d[16];
      std::snprintf(d, sizeof d, "%04zu-%02zu-%02zu", 2020 + pick(4), 1 + pick(12), 1 + pick(28));
      a.date = d;
    }
    for (size_t k = pick(3); k > 0; --k) {
      const std::string& au = kAuthors[pick(kAuthors.size())];
      if (std::find(a.authors.begin(), a.authors.end(), au) == a.authors.end()) a.authors.push_back(au);
    }
    for (size_t p = 1 + pick(5); p > 0; --p) {
      TestPassage tp;
      for (size_t w = 4 + pick(8); w > 0; --w)
        tp.text += (tp.text.empty() ? "" : " ") + kVocabulary[pick(kVocabulary.size())];
      tp.text += ".";
      for (size_t k = pick(3); k > 0; --k) {
        const std::string& sp = kSpeakers[pick(kSpeakers.size())];
        if (std::find(tp.speakers.begin(), tp.speakers.end(), sp) == tp.speakers.end())
          tp.speakers.push_back(sp);
      }
      a.passages.push_back(std::move(tp));
    }
    out.push_back(std::move(a));
  }
  return out;
}

bool has_phrase(const std::string& text, const std::string& w1, const std::string& w2) {
  return (" " + text.substr(0, text.size() - 1) + " ").find(" " + w1 + " " + w2 + " ") != std::string::npos;
}

bool has_word(const std::string& text, const std::string& w) {
  return (" " + text.substr(0, text.size() - 1) + " ").find(" " + w + " ") != std::string::npos;
}

using Counts = std::map<std::string, std::map<std::string, uint64_t>>;

Counts to_counts(const std::vector<dateline::FacetResult>& facets) {
  Counts c;
  for (const auto& f : facets) {
    c[f.name];
    for (const auto& v : f.values) c[f.name][v.value] = v.count;
  }
  return c;
}

// Each matching article counts once per value; speakers are the whole article's (one document per
// article, schema 3).
Counts brute_force(const std::vector<TestArticle>& corpus,
                   const std::function<bool(const std::string&)>& matches, uint64_t& total) {
  Counts c{{"outlet", {}}, {"speaker", {}}, {"author", {}}, {"year", {}}, {"month", {}}};
  total = 0;
  for (const auto& a : corpus) {
    std::set<std::string> speakers;
    bool any = false;
    for (const auto& p : a.passages) {
      if (!matches(p.text)) continue;
      any = true;
    }
    if (!any) continue;
    ++total;
    for (const auto& s : unique_speakers(a)) speakers.insert(s);
    if (a.outlet) ++c["outlet"][*a.outlet];
    for (const auto& s : speakers) ++c["speaker"][s];
    for (const auto& au : a.authors) ++c["author"][au];
    if (a.date) {
      ++c["year"][a.date->substr(0, 4)];
      ++c["month"][a.date->substr(0, 7)];
    }
  }
  return c;
}

class FacetOracle : public ::testing::TestWithParam<unsigned> {};

TEST_P(FacetOracle, MatchesBruteForce) {
  dateline::test::TempDir dir;
  const auto corpus = random_corpus(GetParam(), 80);
  Searcher s(build_db(dir.path(), corpus));
  const std::vector<FacetKind> all = {FacetKind::kOutlet, FacetKind::kSpeaker, FacetKind::kAuthor,
                                      FacetKind::kYear, FacetKind::kMonth};
  struct Q {
    std::string text;
    bool positional;
    std::function<bool(const std::string&)> matches;
  };
  const std::vector<Q> queries = {
      {"\"alpha beta\"", true, [](const std::string& t) { return has_phrase(t, "alpha", "beta"); }},
      {"\"gamma delta\"", true, [](const std::string& t) { return has_phrase(t, "gamma", "delta"); }},
      {"zeta", false, [](const std::string& t) { return has_word(t, "zeta"); }},
      {"theta", false, [](const std::string& t) { return has_word(t, "theta"); }},
  };
  for (const auto& q : queries) {
    SCOPED_TRACE(q.text);
    SearchOptions o = query(q.text);
    o.facets = all;
    o.facet_limit = 0;
    auto r = s.search(o);
    uint64_t total = 0;
    Counts expected = brute_force(corpus, q.matches, total);
    EXPECT_EQ(r.total, total);
    EXPECT_TRUE(r.total_exact);
    EXPECT_EQ(to_counts(r.facets), expected);
    for (const auto& f : r.facets) EXPECT_TRUE(f.exact);
  }
}

// Totals are exact up to SearchOptions::exact_total_up_to: the threshold never changes the hits, and a total
// reported as exact always is.
TEST_P(FacetOracle, TotalThresholdNeverLies) {
  dateline::test::TempDir dir;
  const auto corpus = random_corpus(GetParam(), 80);
  Searcher s(build_db(dir.path(), corpus));
  const std::vector<std::pair<std::string, std::function<bool(const std::string&)>>> queries = {
      {"zeta", [](const std::string& t) { return has_word(t, "zeta"); }},
      {"zeta OR theta", [](const std::string& t) { return has_word(t, "zeta") || has_word(t, "theta"); }},
      {"\"alpha beta\"", [](const std::string& t) { return has_phrase(t, "alpha", "beta"); }},
  };
  for (const auto& [text, matches] : queries) {
    SCOPED_TRACE(text);
    uint64_t expected = 0;
    brute_force(corpus, matches, expected);
    SearchOptions o = query(text);
    o.limit = 5;
    o.exact_total_up_to = dateline::kAllMatches;
    const auto exact = s.search(o);
    EXPECT_EQ(exact.total, expected);
    EXPECT_TRUE(exact.total_exact);
    for (uint64_t up_to : {uint64_t{0}, uint64_t{1}, uint64_t{3}, dateline::kDefaultExactTotalUpTo}) {
      SCOPED_TRACE(up_to);
      o.exact_total_up_to = up_to;
      const auto r = s.search(o);
      EXPECT_EQ(ids(r), ids(exact));
      if (r.total_exact) {
        EXPECT_EQ(r.total, expected);
      }
      if (up_to >= expected) {
        EXPECT_TRUE(r.total_exact);
        EXPECT_EQ(r.total, expected);
      }
    }
    EXPECT_EQ(s.count(o), (std::pair<uint64_t, bool>{expected, true}));
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, FacetOracle, ::testing::Values(1u, 7u, 42u));

TEST(FacetSpy, SortsByCountThenValueAndLimits) {
  std::unordered_map<std::string, uint64_t> counts{{"b", 2}, {"a", 2}, {"c", 5}, {"d", 1}};
  EXPECT_EQ(dateline::sort_counts(counts, 0),
            (std::vector<dateline::FacetCount>{{"c", 5}, {"a", 2}, {"b", 2}, {"d", 1}}));
  EXPECT_EQ(dateline::sort_counts(counts, 2), (std::vector<dateline::FacetCount>{{"c", 5}, {"a", 2}}));
}

TEST(FacetSpy, ValuesOfADocument) {
  Xapian::Document doc;
  doc.add_value(schema::kSlotDate, "20220224");
  doc.add_value(schema::kSlotSpeakers, "A\nB\n\nA");
  doc.add_value(schema::kSlotAuthor, "X\nY");
  EXPECT_EQ(dateline::facet_values(doc, FacetKind::kYear), (std::vector<std::string>{"2022"}));
  EXPECT_EQ(dateline::facet_values(doc, FacetKind::kMonth), (std::vector<std::string>{"2022-02"}));
  EXPECT_EQ(dateline::facet_values(doc, FacetKind::kSpeaker), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(dateline::facet_values(doc, FacetKind::kAuthor), (std::vector<std::string>{"X", "Y"}));
  EXPECT_TRUE(dateline::facet_values(doc, FacetKind::kOutlet).empty());
  EXPECT_EQ(dateline::parse_facet("month"), FacetKind::kMonth);
  EXPECT_EQ(dateline::parse_facet("months"), std::nullopt);
}

}  // namespace
