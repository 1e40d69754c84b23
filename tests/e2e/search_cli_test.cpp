/** @file
 *  @brief dateline-search end to end: index index-fixtures/ with dateline-index into a temp dir, then run
 *  every query form, filter, facet and format; exit codes; batch; seed queries; goldens in expected/cli/.
 *
 *  Goldens: index-fixtures/expected/cli/NAME.args (one argument per line; --db is added), NAME.out (stdout,
 *  normalised: scores masked, the source and database paths replaced by <src> and <db>), NAME.code (exit
 *  status). JSON output is compared field by field. DATELINE_UPDATE_GOLDEN=1 rewrites .out and .code.
 */
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::fixtures_dir;
using dateline::test::RunResult;
using nlohmann::json;

class SearchCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<dateline::test::TempDir>();
    db_ = (dir_->path() / "db").string();
    index_ = dateline::test::run(
        {(bin_dir() / "dateline-index").string(), "--db", db_, "-q", (fixtures_dir() / "articles").string()});
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    ASSERT_TRUE(index_.exit_code == 0 || index_.exit_code == 1) << "dateline-index failed: " << index_.err;
  }

  static RunResult search(std::vector<std::string> args, const std::string& input = "",
                          const std::vector<std::string>& env = {}) {
    args.insert(args.begin(), {(bin_dir() / "dateline-search").string(), "--db", db_});
    return dateline::test::run(args, input, env);
  }

  static std::vector<std::string> lines(const std::string& out) {
    std::vector<std::string> v;
    std::istringstream in(out);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }

  static std::set<std::string> id_set(const std::string& out) {
    auto v = lines(out);
    return {v.begin(), v.end()};
  }

  static std::unique_ptr<dateline::test::TempDir> dir_;
  static std::string db_;
  static RunResult index_;
};

std::unique_ptr<dateline::test::TempDir> SearchCli::dir_;
std::string SearchCli::db_;
RunResult SearchCli::index_;

// ---- seed queries ---------------------------------------------------------------------------------

TEST_F(SearchCli, SeedQueriesReturnExactlyTheListedArticles) {
  json seeds = json::parse(dateline::test::read_file(fixtures_dir() / "expected" / "queries.json"));
  for (const auto& q : seeds["queries"]) {
    std::vector<std::string> args = {"--format", "ids", "--limit", "100"};
    if (q.contains("outlet")) args.insert(args.end(), {"--outlet", q["outlet"].get<std::string>()});
    args.push_back(q["query"].get<std::string>());
    auto r = search(args);
    std::set<std::string> expected;
    for (const auto& id : q["articles"]) expected.insert(id.get<std::string>());
    SCOPED_TRACE(q.dump());
    EXPECT_EQ(id_set(r.out), expected) << r.err;
    EXPECT_EQ(r.exit_code, expected.empty() ? 1 : 0) << r.err;
  }
}

// ---- query forms and filters ----------------------------------------------------------------------

struct FormCase {
  std::vector<std::string> args;
  std::set<std::string> ids;
};

TEST_F(SearchCli, EveryQueryFormAndFilter) {
  const std::string wt = "000_3b666ab643cd8169.txt", et = "001_92f7a0f3706d96b5.txt",
                    pr = "002_969715c8f9e81f1a.txt", b3 = "003_193a5e913a49cda4.txt",
                    nw = "004_2c84ca1d4691ff6c.txt";
  const std::vector<FormCase> cases = {
      {{"Zyabrovka airfield"}, {nw}},
      {{"\"cover me\""}, {pr}},
      {{"outlet:newsweek"}, {nw}},
      {{"author:sands"}, {wt}},
      {{"date:2023"}, {b3}},
      {{"date:2022-02..2022-06 belarus"}, {wt}},
      {{"Zyabrov*"}, {nw}},
      {{"Zyabrovka OR \"cover me\""}, {nw, pr}},
      {{"airfield AND Zyabrovka"}, {nw}},
      {{"airfield NOT Zyabrovka"}, {}},
      {{"--match", "all", "Zyabrovka", "Lukashenko"}, {nw}},
      {{"--outlet", "Washington Times", "troop"}, {wt}},
      {{"--outlet", "washingtontimes.com", "troop"}, {wt}},
      {{"--since", "2023", "troop"}, {b3}},
      {{"--until", "2022-03", "troop"}, {wt}},
      {{"--since", "2022-10-12", "--until", "2022-10-12", "troop"}, {et}},
      {{"--author", "David R. Sands", "troop"}, {wt}},
      {{"--outlet", "Newsweek", "--outlet", "Pravda.Ru"}, {nw, pr}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"--format", "ids", "--limit", "100"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = search(args);
    std::string shown;
    for (const auto& a : c.args) shown += "[" + a + "]";
    EXPECT_EQ(id_set(r.out), c.ids) << shown << "\n" << r.err;
    EXPECT_EQ(r.exit_code, c.ids.empty() ? 1 : 0) << shown << "\n" << r.err;
  }
}

TEST_F(SearchCli, SpeakerFilterPrefersPassagesOfThatSpeaker) {
  auto speaks = [](const json& hit) {
    for (const auto& s : hit["speakers"]) {
      if (s.get<std::string>().find("Lukashenko") != std::string::npos) return true;
    }
    return false;
  };
  // Every passage shown is one where he is quoted (his passages with the word, else his passages
  // when the word is in the title).
  auto p = search({"--format", "jsonl", "--per-article", "0", "--speaker", "Lukashenko", "troops"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  std::set<std::string> with_passage;
  for (const auto& l : lines(p.out)) {
    json hit = json::parse(l);
    EXPECT_TRUE(speaks(hit)) << l;
    with_passage.insert(hit["id"].get<std::string>());
  }
  ASSERT_FALSE(with_passage.empty());
  // One passage per article: the best of them.
  auto a = search({"--format", "jsonl", "--speaker", "Lukashenko", "troops"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  for (const auto& l : lines(a.out)) {
    json hit = json::parse(l);
    if (with_passage.count(hit["id"].get<std::string>()) > 0) {
      EXPECT_TRUE(speaks(hit)) << l;
    }
  }
}

// ---- facets, totals -------------------------------------------------------------------------------

TEST_F(SearchCli, FacetsCountDistinctArticles) {
  auto r = search({"--format", "json", "--facet", "outlet", "--facet", "year", "--facet", "speaker",
                   "\"special military operation\""});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["total"]["value"], 4);
  EXPECT_EQ(j["total"]["exact"], true);
  uint64_t years = 0;
  for (const auto& v : j["facets"]["year"]) years += v["count"].get<uint64_t>();
  EXPECT_LE(years, 4u);  // an article counts once, however many passages match
  for (const auto& v : j["facets"]["speaker"]) EXPECT_LE(v["count"].get<uint64_t>(), 4u);
  auto fast = search({"--format", "json", "--fast-facets", "--facet", "outlet", "troop"});
  ASSERT_EQ(fast.exit_code, 0) << fast.err;
  EXPECT_TRUE(json::parse(fast.out)["total"]["exact"].is_boolean());
}

TEST_F(SearchCli, CountAndInfo) {
  auto c = search({"--count", "troop"});
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_EQ(c.out, "4\n");
  auto none = search({"--count", "zzyzxqq"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "0\n");
  auto info = search({"--info", "--format", "json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  json j = json::parse(info.out);
  EXPECT_EQ(j["articles"], 5);
  EXPECT_EQ(j["index_schema_version"], 4);
}

// --list (also read by the shell completions): exact output is in the goldens (search_list_*); here
// the refusals.
TEST_F(SearchCli, ListRefusesWhatDoesNotApply) {
  auto unknown = search({"--list", "sources"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err,
            "dateline-search: --list: expected one of outlets speakers authors years months, got "
            "'sources'\n");
  const std::vector<std::vector<std::string>> refused{
      {"--list", "outlets", "troop"},
      {"--list", "outlets", "--outlet", "Newsweek"},
      {"--list", "outlets", "--batch"}};
  for (const auto& args : refused) {
    auto r = search(args);
    EXPECT_EQ(r.exit_code, 2) << args[2];
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("--list lists the whole database"), std::string::npos) << r.err;
  }
  auto trec = search({"--list", "years", "--format", "trec"});
  EXPECT_EQ(trec.exit_code, 2);
  EXPECT_EQ(trec.err, "dateline-search: --list: --format trec does not apply\n");
  auto singular = search({"--list", "outlet", "--format", "ids"});
  EXPECT_EQ(singular.exit_code, 0);
  EXPECT_EQ(singular.out, "Newsweek\nPravda.Ru\nThe Washington Times\n");
}

TEST_F(SearchCli, ListOfNothingExitsOne) {
  dateline::test::TempDir dir;
  const fs::path note = dir.path() / "note.txt";
  std::ofstream(note) << "A plain note about nothing.\n";
  const std::string db = (dir.path() / "db").string();
  auto indexed = dateline::test::run({(bin_dir() / "dateline-index").string(), "-q", "--db", db, note.string()});
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  auto text = dateline::test::run({(bin_dir() / "dateline-search").string(), "--db", db, "--list", "outlets"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.out, "");
  EXPECT_EQ(text.err, "");
  auto j = dateline::test::run(
      {(bin_dir() / "dateline-search").string(), "--db", db, "--list", "speakers", "--format", "json"});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.out, "[]\n");
}

// ---- formats and output rules ---------------------------------------------------------------------

TEST_F(SearchCli, EveryFormatWorksAndStdoutCarriesResultsOnly) {
  for (const char* f : {"text", "json", "jsonl", "tsv", "ids", "trec"}) {
    auto r = search({"--format", f, "-vv", "troop"});
    EXPECT_EQ(r.exit_code, 0) << f << ": " << r.err;
    EXPECT_FALSE(r.out.empty()) << f;
    EXPECT_EQ(r.out.find("info:"), std::string::npos) << f << ": a log line on stdout";
  }
  auto j = search({"--format", "json", "-v", "troop"});
  EXPECT_FALSE(json::parse(j.out, nullptr, false).is_discarded()) << j.out;
}

TEST_F(SearchCli, SnippetLimitAndHighlightsInCodePoints) {
  auto r = search({"--format", "jsonl", "--snippet-chars", "60", "--limit", "5", "troop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& l : lines(r.out)) {
    json hit = json::parse(l);
    std::string snippet = hit["snippet"];
    // Count code points.
    size_t cps = 0;
    for (char c : snippet) cps += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    EXPECT_LE(cps, 60u) << snippet;
    for (const auto& h : hit["highlights"]) {
      EXPECT_LT(h[0].get<size_t>(), h[1].get<size_t>());
      EXPECT_LE(h[1].get<size_t>(), cps);
    }
  }
}

TEST_F(SearchCli, ColourOnlyWhenAsked) {
  auto plain = search({"troop"});
  EXPECT_EQ(plain.out.find('\x1b'), std::string::npos);
  auto coloured = search({"--color", "always", "troop"});
  EXPECT_NE(coloured.out.find("\x1b[1;31m"), std::string::npos);
}

TEST_F(SearchCli, ExplainShowsTheQuery) {
  auto r = search({"--format", "json", "--explain", "--limit", "1", "troop"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json hit = json::parse(r.out)["hits"][0];
  EXPECT_EQ(hit["explain"]["scoring"], "article");
  EXPECT_NE(hit["explain"]["query"].get<std::string>().find("Wtroop"), std::string::npos);
  // A phrase matches exact forms and weighs by its words' ranking terms.
  auto p = search({"--format", "json", "--explain", "--limit", "1", "\"cover me\""});
  const std::string q = json::parse(p.out)["hits"][0]["explain"]["query"].get<std::string>();
  EXPECT_NE(q.find("(cover PHRASE 2 me)"), std::string::npos) << q;
  EXPECT_NE(q.find("AND_MAYBE"), std::string::npos) << q;
}

// ---- exit codes and errors ------------------------------------------------------------------------

TEST_F(SearchCli, ExitCodesAndErrorMessages) {
  EXPECT_EQ(search({"troop"}).exit_code, 0);
  auto none = search({"zzyzxqq"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "");
  auto quote = search({"\"special military"});
  EXPECT_EQ(quote.exit_code, 2);
  EXPECT_EQ(quote.out, "");
  EXPECT_EQ(quote.err.rfind("dateline-search: query error: ", 0), 0u) << quote.err;
  EXPECT_NE(quote.err.find("\n  \"special military\n  ^\n"), std::string::npos) << quote.err;
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--limit", "x", "troop"},
                                              {"--format", "xml", "troop"},
                                              {"--facet", "colour", "troop"},
                                              {"--sort", "newest", "troop"},
                                              {"--since", "2022-13-45", "troop"},
                                              {}}) {
    auto r = search(bad);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err.rfind("dateline-search: ", 0), 0u) << r.err;
    EXPECT_EQ(r.out, "");
  }
  const std::string missing = (dir_->path() / "missing-db").string();
  auto m = dateline::test::run({(bin_dir() / "dateline-search").string(), "--db", missing, "troop"});
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_EQ(m.err, "dateline-search: " + missing +
                       ": no Dateline database here; create one with: dateline-index --db " + missing +
                       " FILES...\n");
}

TEST_F(SearchCli, SyntaxSimpleAndPlainReadPastedText) {
  auto full = search({"--format", "ids", "troops (see table 2"});
  EXPECT_EQ(full.exit_code, 2);
  EXPECT_EQ(full.err.rfind("dateline-search: query error: unbalanced parenthesis: '(' is never closed\n", 0), 0u)
      << full.err;
  auto simple = search({"--format", "ids", "--syntax", "simple", "troops (see table 2"});
  EXPECT_EQ(simple.exit_code, 0) << simple.err;
  EXPECT_EQ(simple.err, "");
  EXPECT_EQ(simple.out, search({"--format", "ids", "troops see table 2"}).out);
  auto plain = search({"--format", "ids", "--syntax", "plain", "--", "-troops"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, search({"--format", "ids", "troops"}).out);
  auto batch = search({"--batch", "--format", "ids"},
                      "{\"id\": \"a\", \"query\": \"troops * )\", \"syntax\": \"simple\"}\n"
                      "{\"id\": \"b\", \"query\": \"troops\", \"syntax\": \"loose\"}\n");
  EXPECT_EQ(batch.exit_code, 2);
  EXPECT_EQ(lines(batch.out).front(), "a\t" + lines(search({"--format", "ids", "troops"}).out).front());
  EXPECT_EQ(batch.err, "dateline-search: stdin:2: query b: --syntax: expected full, simple or plain, got 'loose'\n");
}

TEST_F(SearchCli, LimitAndOffsetCountArticlesWithPerArticle) {
  // troops: 4 articles, several passages each. --limit 2 shows two articles with all their passages.
  auto all = search({"--format", "tsv", "--per-article", "0", "--limit", "2", "troops"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  std::vector<std::string> ranks;
  std::set<std::string> ids;
  for (const auto& l : lines(all.out)) {
    if (l.rfind("rank\t", 0) == 0) continue;
    ranks.push_back(l.substr(0, l.find('\t')));
    ids.insert(l.substr(l.find('\t', l.find('\t') + 1) + 1).substr(0, l.find('\t')));
  }
  EXPECT_GT(ranks.size(), 2u) << all.out;
  EXPECT_EQ(std::set<std::string>(ranks.begin(), ranks.end()), (std::set<std::string>{"1", "2"}));
  EXPECT_TRUE(std::is_sorted(ranks.begin(), ranks.end()));
  // The next page starts with the third article: pages never split an article.
  auto page2 = search({"--format", "ids", "--per-article", "0", "--limit", "2", "--offset", "2", "troops"});
  auto page1 = search({"--format", "ids", "--per-article", "0", "--limit", "2", "troops"});
  auto whole = search({"--format", "ids", "--per-article", "0", "--limit", "4", "troops"});
  std::set<std::string> p1 = id_set(page1.out), p2 = id_set(page2.out);
  EXPECT_EQ(p1.size(), 2u);
  EXPECT_EQ(p2.size(), 2u);
  for (const auto& id : p2) EXPECT_EQ(p1.count(id), 0u) << id;
  EXPECT_EQ(page1.out + page2.out, whole.out);
  // Text output lists an article's passages under one heading; the closing line counts articles.
  auto text = search({"--per-article", "0", "--limit", "1", "troops"});
  EXPECT_EQ(text.out.find("\n2. "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("4 matching articles; hit 1 shown\n"), std::string::npos) << text.out;
  // Phrases rank passages: the same rule.
  auto phrase = search({"--format", "tsv", "--per-article", "0", "--limit", "1", "\"russian troops\""});
  auto phrase_lines = lines(phrase.out);
  EXPECT_GT(phrase_lines.size(), 2u) << phrase.out;
  for (size_t i = 1; i < phrase_lines.size(); ++i) EXPECT_EQ(phrase_lines[i].rfind("1\t", 0), 0u) << phrase.out;
}

TEST_F(SearchCli, BatchLinesAreCheckedAsTheCommandLine) {
  auto empty = search({"--format", "ids", " "});
  EXPECT_EQ(empty.exit_code, 2);
  EXPECT_EQ(empty.err, "dateline-search: no query given (try: dateline-search --help)\n");
  auto r = search({"--batch", "--format", "ids"},
                  "{\"id\": \"e\", \"query\": \"\"}\n"
                  "{\"id\": \"f\", \"outlet\": \"Newsweek\"}\n"
                  "{\"id\": \"g\", \"query\": \"troops\", \"format\": \"json\"}\n"
                  "{\"id\": \"h\", \"query\": 5}\n");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "f\t" + search({"--format", "ids", "--outlet", "Newsweek"}).out);
  EXPECT_EQ(r.err,
            "dateline-search: stdin:1: query e: no query given (try: dateline-search --help)\n"
            "dateline-search: stdin:3: query g: \"format\" applies to the whole run: give it as --format\n"
            "dateline-search: stdin:4: query h: \"query\" must be a string\n");
}

TEST_F(SearchCli, FlagsThatWouldBeIgnoredSaySo) {
  auto t = search({"--timings", "/dev/null", "troops"});
  EXPECT_EQ(t.exit_code, 2);
  EXPECT_EQ(t.err, "dateline-search: --timings times the queries of --batch: give --batch too\n");
  auto f = search({"--format", "ids", "--facet", "outlet", "troops"});
  EXPECT_EQ(f.exit_code, 0);
  EXPECT_EQ(f.err, "dateline-search: warning: --facet: this --format prints no facets (they come with --format "
                   "text or json)\n");
  auto c = search({"--count", "--facet", "outlet", "troops"});
  EXPECT_EQ(c.err, "dateline-search: warning: --facet: --count prints no facets (they come with --format text "
                   "or json)\n");
  auto b = search({"--batch", "--format", "ids", "--facet", "outlet"}, "troops\nkyiv\n");
  EXPECT_EQ(lines(b.err).size(), 1u) << b.err;  // once per run
  // A sampled total is an estimate, never more than the 5 articles there are, and never 0 for a match.
  for (const char* q : {"the", "said", "lukashenko OR the", "\"the\""}) {
    auto fast = search({"--fast-facets", "--format", "json", q});
    uint64_t total = json::parse(fast.out)["total"]["value"].get<uint64_t>();
    EXPECT_LE(total, 5u) << q;
    EXPECT_GT(total, 0u) << q;
    auto count = search({"--fast-facets", "--count", q});
    EXPECT_LE(std::stoul(count.out), 5u) << q;
    EXPECT_GT(std::stoul(count.out), 0u) << q;
  }
}

TEST_F(SearchCli, HelpAndFlagMistakes) {
  auto help = search({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.find("(default: \"\")"), std::string::npos) << help.out;
  for (const char* part : {"year:2022", "month:2022-02", "date:2022-02..2022-06", "id:ARTICLE-ID", "Examples:",
                           "--syntax"}) {
    EXPECT_NE(help.out.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(search({"--limt", "3", "troops"}).err,
            "dateline-search: unknown flag '--limt' (did you mean --limit?) (try: dateline-search --help)\n");
  EXPECT_EQ(search({"--sort", "-date", "--formt", "ids", "troops"}).err,
            "dateline-search: unknown flag '--formt' (did you mean --format?) (try: dateline-search --help)\n");
  auto minus = search({"-troops"});
  EXPECT_EQ(minus.exit_code, 2);
  EXPECT_EQ(minus.err,
            "dateline-search: '-troops' is not a flag; put arguments that start with '-' after --, as in: "
            "dateline-search -- -troops\n");
  EXPECT_EQ(search({"--format", "ids", "--", "-troops", "kyiv"}).exit_code, 0);
}

TEST_F(SearchCli, IdFieldFindsTheArticle) {
  auto one = search({"--format", "ids", "id:000_3b666ab643cd8169.txt"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, "000_3b666ab643cd8169.txt\n");
  auto two = search({"--format", "ids", "troops AND (id:000_3b666ab643cd8169.txt OR id:\"001_92f7a0f3706d96b5.txt\")"});
  EXPECT_EQ(id_set(two.out), (std::set<std::string>{"000_3b666ab643cd8169.txt", "001_92f7a0f3706d96b5.txt"}));
  EXPECT_EQ(search({"id:nothing.txt"}).exit_code, 1);
}

// ---- the query budget (docs/reliability.md "Query budget") ------------------------------------------

std::string repeated(const std::string& word, size_t n, const std::string& separator = " ") {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i == 0 ? "" : separator) + word;
  return out;
}

TEST_F(SearchCli, QueryBudgetBoundsHostileQueries) {
  // A wildcard repeated 300 or 999 times is the wildcard once: the same answer, nothing cut.
  auto once = search({"--format", "ids", "--limit", "100", "ma*"});
  ASSERT_EQ(once.exit_code, 0) << once.err;
  for (size_t n : {300u, 999u}) {
    auto r = search({"--format", "ids", "--limit", "100", repeated("ma*", n)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, once.out) << n;
    EXPECT_EQ(r.err, "") << n;
  }
  // Every two-letter prefix: the wildcards share 1,000 terms; the answer is flagged partial.
  std::string pairs;
  for (char a = 'a'; a <= 'z'; ++a) {
    for (char b = 'a'; b <= 'z'; ++b) pairs += std::string(pairs.empty() ? "" : " ") + a + b + '*';
  }
  auto cut = search({"--format", "json", pairs});
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  const std::string warning =
      "wildcards expand to more than 1000 terms in total: only the most frequent are searched";
  EXPECT_EQ(cut.err, "dateline-search: warning: " + warning + "\n");
  json j = json::parse(cut.out);
  EXPECT_EQ(j["partial"], true);
  EXPECT_EQ(j["warnings"], json::array({warning}));
  EXPECT_FALSE(json::parse(search({"--format", "json", "ma*"}).out).contains("partial"));
  // Structural limits: exit 2, one error naming the limit, a caret under the column.
  struct Refused {
    std::string query;
    std::string message;
  };
  for (const Refused& bad : std::vector<Refused>{
           {std::string(1000, '(') + "troop", "query nested too deeply (at most 100 levels)"},
           {std::string(100000, '('), "query too long (100000 bytes; at most 65536)"},
           {repeated("troop", 1001, " OR "), "too many terms (at most 1000)"},
           {"\"" + repeated("troop", 101) + "\"",
            "phrases and NEAR groups have more than 100 words in total"},
           {"troop NEAR/1001 kyiv", "NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)"},
       }) {
    auto r = search({bad.query});
    EXPECT_EQ(r.exit_code, 2) << bad.message;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("dateline-search: query error: " + bad.message + "\n", 0), 0u) << r.err;
    EXPECT_EQ(lines(r.err).size(), 3u) << r.err;  // the message, the query clipped, the caret
  }
  // A 1,000-word OR list is within the budget.
  auto ors = search({"--format", "ids", repeated("troop", 1000, " OR ")});
  EXPECT_EQ(ors.exit_code, 0) << ors.err;
  // --time-limit takes seconds (0: none); anything else is a usage error.
  EXPECT_EQ(search({"--time-limit", "0", "troop"}).exit_code, 0);
  EXPECT_EQ(search({"--time-limit", "0.5", "troop"}).exit_code, 0);
  for (const char* bad : {"-1", "x", "1e9", ""}) {
    auto r = search({"--time-limit", bad, "troop"});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_EQ(r.err, "dateline-search: --time-limit: expected seconds from 0 (no limit) to 3600, got '" +
                         std::string(bad) + "'\n");
  }
}

TEST_F(SearchCli, BatchAppliesTheBudgetToEachQuery) {
  const std::string input = repeated("ma*", 999) + "\n" + std::string(1000, '(') + "troop\n" +
                            "{\"id\": \"t\", \"query\": \"troop\", \"time_limit\": 2}\n" +
                            repeated("troop", 1001, " OR ") + "\n";
  auto r = search({"--batch", "--format", "json"}, input);
  EXPECT_EQ(r.exit_code, 2);
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2u) << r.out;
  EXPECT_EQ(json::parse(out[0])["qid"], "1");
  EXPECT_FALSE(json::parse(out[0]).contains("partial"));
  EXPECT_EQ(json::parse(out[1])["qid"], "t");
  auto err = lines(r.err);
  ASSERT_EQ(err.size(), 2u) << r.err;
  EXPECT_EQ(json::parse(err[0])["line"], 2);
  EXPECT_EQ(json::parse(err[0])["message"], "query error: query nested too deeply (at most 100 levels)");
  EXPECT_EQ(json::parse(err[0])["column"], 101);
  EXPECT_EQ(json::parse(err[1])["line"], 4);
  EXPECT_EQ(json::parse(err[1])["message"], "query error: too many terms (at most 1000)");
}

TEST_F(SearchCli, NoHitsSuggestsASpelling) {
  auto text = search({"Zyabrovkka"});
  EXPECT_EQ(text.exit_code, 1);
  EXPECT_EQ(text.err, "dateline-search: did you mean: zyabrovka\n");
  auto j = search({"--format", "json", "Zyabrovkka"});
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(json::parse(j.out)["suggestion"], "zyabrovka");
  EXPECT_EQ(json::parse(search({"--format", "json", "lukashenk putinn"}).out)["suggestion"], "lukashenko putin");
  // Nothing close and much more frequent: no suggestion rather than nonsense (credit, oper, dizzy, came).
  for (const char* q : {"brexit", "opek", "xyzzy", "caf\xC3\xA9", "brexit vote"}) {
    auto r = search({"--format", "json", q});
    EXPECT_EQ(r.exit_code, 1) << q;
    EXPECT_FALSE(json::parse(r.out).contains("suggestion")) << q << ": " << r.out;
    EXPECT_EQ(search({q}).err, "") << q;
  }
}

/// Runs dateline-search with stdout and stderr on a terminal (script(1) gives it a pty); "\r\n" -> "\n".
RunResult search_at_terminal(const std::string& db, const std::string& args) {
  auto r = dateline::test::run({"/usr/bin/script", "-qec", (bin_dir() / "dateline-search").string() + " --db " + db + " " +
                                                     args, "/dev/null"});
  std::string clean;
  for (char c : r.out) {
    if (c != '\r') clean += c;
  }
  r.out = clean;
  return r;
}

TEST_F(SearchCli, AtATerminalNoHitsAndUnmatchedWordsAreSaid) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "script(1) (util-linux) is not installed";
  auto none = search_at_terminal(db_, "brexit");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.out, "dateline-search: no matching articles\n");
  auto typo = search_at_terminal(db_, "Zyabrovkka");
  EXPECT_EQ(typo.out, "dateline-search: no matching articles; did you mean: zyabrovka\n");
  auto some = search_at_terminal(db_, "--limit 1 --color never 'brexit troops'");
  EXPECT_EQ(some.exit_code, 0);
  EXPECT_NE(some.out.find("hit 1 shown\ndateline-search: note: 'brexit' matched nothing\n"), std::string::npos)
      << some.out;
  // Piped: no such lines (scripts read the exit status).
  auto piped = search({"--limit", "1", "brexit troops"});
  EXPECT_EQ(piped.err, "");
}

// ---- batch ----------------------------------------------------------------------------------------

TEST_F(SearchCli, BatchTagsResultsAndReportsBadLines) {
  dateline::test::TempDir tmp;
  const std::string timings = (tmp.path() / "t.tsv").string();
  const std::string input =
      "troop\n"
      "{\"id\": \"q2\", \"query\": \"Kyiv\", \"outlet\": [\"Newsweek\"]}\n"
      "\"special military\n"
      "{\"id\": 4, \"query\": \"Zyabrovka\", \"limit\": 1, \"facet\": [\"outlet\"]}\n"
      "{\"id\": \"q5\", \"query\": \"x\", \"colour\": 1}\n";
  auto r = search({"--batch", "--format", "json", "--timings", timings}, input);
  EXPECT_EQ(r.exit_code, 2);
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r.out;
  EXPECT_EQ(json::parse(out[0])["qid"], "1");
  EXPECT_EQ(json::parse(out[0])["total"]["value"], 4);
  EXPECT_EQ(json::parse(out[1])["qid"], "q2");
  EXPECT_EQ(json::parse(out[1])["total"]["value"], 0);
  EXPECT_EQ(json::parse(out[2])["qid"], "4");
  EXPECT_EQ(json::parse(out[2])["facets"]["outlet"][0]["value"], "Newsweek");
  auto err = lines(r.err);
  ASSERT_EQ(err.size(), 2u) << r.err;
  json e3 = json::parse(err[0]);
  EXPECT_EQ(e3["type"], "error");
  EXPECT_EQ(e3["line"], 3);
  EXPECT_EQ(e3["column"], 1);
  json e5 = json::parse(err[1]);
  EXPECT_EQ(e5["line"], 5);
  EXPECT_EQ(e5["qid"], "q5");
  auto t = lines(dateline::test::read_file(timings));
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].rfind("q2\t", 0), 0u);
  EXPECT_GT(std::stoll(t[1].substr(3)), 0);

  auto trec = search({"--batch", "--format", "trec"}, "{\"id\":\"7\",\"query\":\"troop\"}\nKyiv\n");
  EXPECT_EQ(trec.exit_code, 0) << trec.err;
  auto tl = lines(trec.out);
  ASSERT_EQ(tl.size(), 7u) << trec.out;
  EXPECT_EQ(tl[0].rfind("7 Q0 ", 0), 0u);
  EXPECT_EQ(tl[4].rfind("2 Q0 ", 0), 0u);
}

TEST_F(SearchCli, ClosedPipeEndsQuietly) {
  dateline::test::TempDir tmp;
  std::ofstream(tmp.path() / "q.txt") << [] {
    std::string s;
    for (int i = 0; i < 3000; ++i) s += "troop\n";
    return s;
  }();
  const std::string cmd = "'" + (bin_dir() / "dateline-search").string() + "' --db '" + db_ +
                          "' --batch --format jsonl --per-article 0 < '" + (tmp.path() / "q.txt").string() +
                          "' | head -c 1 > /dev/null; echo \"${PIPESTATUS[0]}\"";
  auto r = dateline::test::run({"/bin/bash", "-c", cmd});
  EXPECT_EQ(r.out, "0\n") << r.err;
  EXPECT_EQ(r.err, "");
}

// ---- goldens --------------------------------------------------------------------------------------

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Masks what legitimately varies: scores (any index change moves BM25) and absolute paths.
void mask_json(json& j) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if ((k == "score" || k == "article_score" || k == "passage_score" || k == "proximity_bonus") &&
          v.is_number()) {
        v = "<score>";
      } else {
        mask_json(v);
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) mask_json(v);
  }
}

std::string normalise(const std::string& out, const std::vector<std::string>& args, const std::string& db) {
  std::string s = replace_all(out, db, "<db>");
  s = replace_all(s, dateline::test::source_dir().string(), "<src>");
  const auto has = [&args](const std::string& a, const std::string& b) {
    for (size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == a && args[i + 1] == b) return true;
    }
    return false;
  };
  std::string result;
  std::istringstream in(s);
  bool header = true;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l[0] == '{') {
      json j = json::parse(l, nullptr, false);
      if (!j.is_discarded()) {
        mask_json(j);
        l = j.dump(-1, ' ', false, json::error_handler_t::replace);
      }
    } else if (has("--format", "tsv") && !header) {
      size_t a = l.find('\t'), b = a == std::string::npos ? a : l.find('\t', a + 1);
      if (b != std::string::npos) l = l.substr(0, a + 1) + "<score>" + l.substr(b);
    } else if (has("--format", "trec")) {
      std::istringstream f(l);
      std::string q, q0, id, rank, score, tag;
      f >> q >> q0 >> id >> rank >> score >> tag;
      l = q + " " + q0 + " " + id + " " + rank + " <score> " + tag;
    }
    header = false;
    result += l + "\n";
  }
  return result;
}

// First difference between two JSON values, as a path ("hits/0/title: expected ..., got ...").
std::string json_diff(const json& want, const json& got, const std::string& path) {
  if (want.type() != got.type()) return path + ": expected " + want.dump() + ", got " + got.dump();
  if (want.is_object()) {
    for (auto& [k, v] : want.items()) {
      if (!got.contains(k)) return path + "/" + k + ": missing";
      std::string d = json_diff(v, got[k], path + "/" + k);
      if (!d.empty()) return d;
    }
    for (auto& [k, v] : got.items()) {
      if (!want.contains(k)) return path + "/" + k + ": unexpected field " + v.dump();
    }
    return "";
  }
  if (want.is_array()) {
    for (size_t i = 0; i < std::min(want.size(), got.size()); ++i) {
      std::string d = json_diff(want[i], got[i], path + "/" + std::to_string(i));
      if (!d.empty()) return d;
    }
    if (want.size() != got.size()) {
      return path + ": expected " + std::to_string(want.size()) + " items, got " + std::to_string(got.size());
    }
    return "";
  }
  return want == got ? "" : path + ": expected " + want.dump() + ", got " + got.dump();
}

std::string line_diff(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb, report;
  for (int n = 1;; ++n) {
    bool ha = static_cast<bool>(std::getline(a, la)), hb = static_cast<bool>(std::getline(b, lb));
    if (!ha && !hb) break;
    if (!ha) la = "<end>";
    if (!hb) lb = "<end>";
    if (la == lb) continue;
    if (!la.empty() && la[0] == '{' && !lb.empty() && lb[0] == '{') {
      json ja = json::parse(la, nullptr, false), jb = json::parse(lb, nullptr, false);
      if (!ja.is_discarded() && !jb.is_discarded()) {
        report += "line " + std::to_string(n) + ": " + json_diff(ja, jb, "") + "\n";
        continue;
      }
    }
    report += "line " + std::to_string(n) + ":\n  expected: " + la + "\n  got:      " + lb + "\n";
  }
  return report;
}

TEST_F(SearchCli, Goldens) {
  const fs::path dir = fixtures_dir() / "expected" / "cli";
  const bool update = std::getenv("DATELINE_UPDATE_GOLDEN") != nullptr &&
                      std::string(std::getenv("DATELINE_UPDATE_GOLDEN")) == "1";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".args") cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty()) << "no goldens in " << dir;
  for (const auto& args_file : cases) {
    const std::string name = args_file.stem().string();
    SCOPED_TRACE(name);
    std::vector<std::string> args;
    std::istringstream in(dateline::test::read_file(args_file));
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) args.push_back(l);
    }
    auto r = search(args);
    const std::string got = normalise(r.out, args, db_);
    const fs::path out_file = fs::path(args_file).replace_extension(".out");
    const fs::path code_file = fs::path(args_file).replace_extension(".code");
    if (update) {
      std::ofstream(out_file, std::ios::binary) << got;
      std::ofstream(code_file) << r.exit_code << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(out_file)) << "run with DATELINE_UPDATE_GOLDEN=1 to create " << out_file;
    const std::string want = dateline::test::read_file(out_file);
    EXPECT_EQ(std::stoi(dateline::test::read_file(code_file)), r.exit_code) << r.err;
    std::string diff = line_diff(want, got);
    EXPECT_TRUE(diff.empty()) << name << " differs from " << out_file << ":\n" << diff << "stderr: " << r.err;
  }
}

}  // namespace
