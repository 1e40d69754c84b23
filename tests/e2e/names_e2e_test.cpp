/** @file
 *  @brief Names across spellings and scripts, end to end: the seed articles and the multi-script fixture
 *  (index-fixtures/names) indexed by dateline-index, the name table stored, every name query of issue 23
 *  run with and without expansion; --aliases and --exact-names on dateline-search.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/names.h"
#include "analyzers/schema.h"
#include "searcher/query.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

using Ids = std::set<std::string>;

class NamesEndToEnd : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    db_path_ = (dir_->path() / "db").string();
    test::RunResult r = test::run({(test::bin_dir() / "dateline-index").string(), "--db", db_path_, "-q",
                                   (test::fixtures_dir() / "articles").string(),
                                   (test::fixtures_dir() / "names").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    Xapian::WritableDatabase w(db_path_);
    stored_ = store_name_variants(w);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Ids of the articles a query (text, or a --speaker value) matches.
  Ids search(const std::string& text, bool exact_names, const std::string& speaker = "") {
    Xapian::Database db(db_path_);
    static const Analyzer analyzer{AnalyzerConfig{}};
    CompileOptions options;
    options.exact_names = exact_names;
    options.name_variants = name_variant_lookup(db);
    Filters filters;
    if (!speaker.empty()) filters.speakers = {speaker};
    CompiledQuery q = compile_query(text.empty() ? ParsedQuery() : parse_query(text), filters, analyzer, options);
    Xapian::Enquire enquire(db);
    enquire.set_query(q.query);
    Ids out;
    Xapian::MSet m = enquire.get_mset(0, db.get_doccount());
    for (auto it = m.begin(); it != m.end(); ++it) out.insert(it.get_document().get_value(schema::kSlotArticleId));
    return out;
  }

  static test::TempDir* dir_;
  static std::string db_path_;
  static size_t stored_;
};
test::TempDir* NamesEndToEnd::dir_ = nullptr;
std::string NamesEndToEnd::db_path_;
size_t NamesEndToEnd::stored_ = 0;

const std::string kSeed0 = "articles/000_3b666ab643cd8169.txt", kSeed1 = "articles/001_92f7a0f3706d96b5.txt",
                  kSeed2 = "articles/002_969715c8f9e81f1a.txt", kSeed3 = "articles/003_193a5e913a49cda4.txt",
                  kSeed4 = "articles/004_2c84ca1d4691ff6c.txt", kRu = "names/ru_minsk_talks.txt",
                  kUk = "names/uk_kyiv_address.txt", kEn = "names/en_kiev_briefing.txt";

TEST_F(NamesEndToEnd, EveryNameQueryFindsEveryArticleNamingThePerson) {
  EXPECT_GT(stored_, 0U);
  const Ids zelensky = {kSeed1, kSeed2, kSeed3, kSeed4, kRu, kUk, kEn};
  const Ids lukashenko = {kSeed0, kSeed1, kSeed2, kSeed3, kSeed4, kRu, kUk, kEn};
  const Ids kyiv = {kSeed0, kSeed2, kSeed3, kRu, kUk, kEn};
  for (const char* q : {"Zelensky", "Zelenskyy", "Zelenskiy", "Зеленский", "Зеленський"})
    EXPECT_EQ(search(q, false), zelensky) << q;
  for (const char* q : {"Lukashenko", "Лукашенко"}) EXPECT_EQ(search(q, false), lukashenko) << q;
  for (const char* q : {"Kyiv", "Kiev", "Київ", "Киев"}) EXPECT_EQ(search(q, false), kyiv) << q;
}

TEST_F(NamesEndToEnd, WithoutExpansionEachSpellingFindsOnlyItself) {
  EXPECT_EQ(search("Zelensky", true), (Ids{kSeed2, kSeed4}));
  EXPECT_EQ(search("Zelenskyy", true), (Ids{kSeed1, kSeed3}));
  EXPECT_EQ(search("Зеленский", true), Ids{});
  EXPECT_EQ(search("Лукашенко", true), (Ids{kRu}));
  EXPECT_EQ(search("Kiev", true), (Ids{kEn}));
  EXPECT_EQ(search("Київ", true), (Ids{kUk}));
}

TEST_F(NamesEndToEnd, SpeakerFilterAcrossSpellings) {
  // Seed 001 quotes "Zelenskyy", seed 004 "Zelensky", the English fixture "Volodymyr Zelenskiy", the
  // Ukrainian one "Володимир Зеленський": one filter.
  const Ids zelensky = {kSeed1, kSeed4, kEn, kUk};
  for (const char* name : {"Zelensky", "zelenskyy", "Zelenskiy", "Зеленский", "Зеленський"})
    EXPECT_EQ(search("", false, name), zelensky) << name;
  EXPECT_EQ(search("speaker:zelenskyy", false), zelensky);
  EXPECT_EQ(search("", true, "Zelensky"), (Ids{kSeed4}));
  EXPECT_EQ(search("", true, "Zelenskyy"), (Ids{kSeed1}));
  Ids luka = search("", false, "Лукашенко");
  EXPECT_TRUE(luka.count(kEn) == 1 && luka.count(kSeed0) == 1 && luka.count(kRu) == 1);
  EXPECT_EQ(search("", false, "Volfovich"), search("", false, "Вольфович"));
}

TEST_F(NamesEndToEnd, AliasesAndExactNamesOnTheCommandLine) {
  const std::string aliases = (dir_->path() / "aliases.txt").string();
  std::ofstream(aliases) << "# Kyiv in the spellings of the archive\nKiev, Kyiv\n";
  const std::string search_bin = (test::bin_dir() / "dateline-search").string();
  test::RunResult r = test::run({search_bin, "--db", db_path_, "--format", "ids", "--limit", "20", "--aliases",
                                 aliases, "--exact-names", "Kiev"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kEn + "\n");  // --exact-names: the alias group is not used either
  r = test::run({search_bin, "--db", db_path_, "--format", "ids", "--limit", "20", "--aliases", aliases, "Kiev"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Ids got;
  for (size_t b = 0, e; (e = r.out.find('\n', b)) != std::string::npos; b = e + 1) got.insert(r.out.substr(b, e - b));
  EXPECT_EQ(got, (Ids{kSeed0, kSeed2, kSeed3, kEn, kRu, kUk}));  // Kyiv by the alias, Київ/Киев by the keys
  std::ofstream(aliases) << "Kiev,\n";
  r = test::run({search_bin, "--db", db_path_, "--aliases", aliases, "Kiev"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-search: " + aliases +
                       ":1: empty name in the group (two separators in a row, or one at an end)\n");
}

// speaker:blair, a surname two persons of the archive bear: the most quoted one's articles come first
// (issue 23), although a filter alone otherwise lists the newest first and Bob Blair's is the newest.
TEST(NamesSurnameRanking, TheMostQuotedBearerFirst) {
  test::TempDir dir;
  const std::string corpus = (dir.path() / "blair.jsonl").string();
  {
    std::ofstream out(corpus);
    auto record = [&](const std::string& id, const std::string& date, const std::string& text) {
      out << R"({"id": ")" << id << R"(", "outlet": "Reuters", "date": ")" << date << R"(", "title": "Story )" << id
          << R"(", "text": ")" << text << "\"}\n";
    };
    for (int i = 0; i < 3; ++i) {
      record("tony-" + std::to_string(i), "2005-01-0" + std::to_string(i + 1),
             "The prime minister spoke on Monday. \\\"We will win this vote,\\\" Tony Blair said.");
    }
    record("bob-0", "2005-02-01", "The company chief spoke. \\\"We are not bidding,\\\" Bob Blair said.");
    record("bob-1", "2005-02-02", "The company chief spoke again. \\\"No bid,\\\" Bob Blair said.");
  }
  const std::string db = (dir.path() / "db").string();
  test::RunResult r = test::run({(test::bin_dir() / "dateline-index").string(), "--db", db, "-q", corpus});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = test::run({(test::bin_dir() / "dateline-search").string(), "--db", db, "--format", "ids", "speaker:blair"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 5), "tony-") << r.out;
  EXPECT_NE(r.out.find("bob-"), std::string::npos) << r.out;  // the other bearer is still found
  r = test::run({(test::bin_dir() / "dateline-search").string(), "--db", db, "--format", "ids", "speaker:\"bob blair\""});
  EXPECT_EQ(r.out.substr(0, 4), "bob-") << r.out;
}

// The person table is rebuilt from the whole archive at the end of every run: "Blair" alone joins Tony
// Blair while he is the one Blair of the outlet, and stands alone again once a later run adds Bob Blair.
TEST(NamesSurnameRanking, GroupsFollowTheArchiveRunByRun) {
  test::TempDir dir;
  const std::string first = (dir.path() / "a.jsonl").string();
  const std::string second = (dir.path() / "b.jsonl").string();
  auto record = [](std::ofstream& out, const std::string& id, const std::string& date, const std::string& said) {
    out << R"({"id": ")" << id << R"(", "outlet": "Reuters", "date": ")" << date << R"(", "title": "Story )" << id
        << R"(", "text": "They spoke. \"We will see,\" )" << said << " said.\"}\n";
  };
  {
    std::ofstream a(first);
    for (int i = 1; i <= 3; ++i) record(a, "tony-" + std::to_string(i), "2005-01-0" + std::to_string(i), "Tony Blair");
    record(a, "blair-1", "2005-01-09", "Blair");
    std::ofstream b(second);
    for (int i = 1; i <= 2; ++i) record(b, "bob-" + std::to_string(i), "2005-02-0" + std::to_string(i), "Bob Blair");
  }
  const std::string db = (dir.path() / "db").string();
  const std::string index = (test::bin_dir() / "dateline-index").string();
  const std::string search = (test::bin_dir() / "dateline-search").string();
  ASSERT_EQ(test::run({index, "--db", db, "-q", first}).exit_code, 0);
  test::RunResult r = test::run({search, "--db", db, "--limit", "0", "--facet", "speaker", "they"});
  EXPECT_NE(r.out.find("4  Tony Blair  (also Blair)"), std::string::npos) << r.out;
  ASSERT_EQ(test::run({index, "--db", db, "-q", first, second}).exit_code, 0);
  r = test::run({search, "--db", db, "--limit", "0", "--facet", "speaker", "they"});
  EXPECT_NE(r.out.find("3  Tony Blair\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2  Bob Blair\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1  Blair\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace dateline
