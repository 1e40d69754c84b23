/** @file
 *  @brief End-to-end tests of dateline-index on the seed articles: counts, idempotence, updates, deletes,
 *  prune, dry run, stdin, bad records, locked/foreign/newer databases, incremental == clean.
 */
#include <gtest/gtest.h>
#include <unistd.h>
#include <xapian.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/schema.h"
#include "tests/support/db_snapshot.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::fixtures_dir;
using dateline::test::RunResult;
using dateline::test::TempDir;
using nlohmann::json;
namespace schema = dateline::schema;

namespace {

constexpr const char* kSeed0 = "000_3b666ab643cd8169.txt";

RunResult index(const std::vector<std::string>& args, const std::string& input = "") {
  std::vector<std::string> argv{(bin_dir() / "dateline-index").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return dateline::test::run(argv, input);
}

// The --json summary (the last line of stdout).
json summary(const RunResult& r) {
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  size_t nl = out.rfind('\n');
  auto j = json::parse(nl == std::string::npos ? out : out.substr(nl + 1), nullptr, false);
  EXPECT_TRUE(j.is_object()) << "stdout: " << r.out << "\nstderr: " << r.err;
  return j;
}

std::string counts(const json& j) {
  if (!j.is_object()) return "<no summary>";
  return std::to_string(j.value("added", -1)) + " added, " + std::to_string(j.value("updated", -1)) +
         " updated, " + std::to_string(j.value("unchanged", -1)) + " unchanged, " +
         std::to_string(j.value("deleted", -1)) + " deleted, " +
         std::to_string(j.contains("skipped") ? j["skipped"].size() : 99) + " skipped";
}

fs::path copy_fixtures(const TempDir& dir) {
  fs::path articles = dir.path() / "articles";
  fs::create_directories(articles);
  for (const auto& e : fs::directory_iterator(fixtures_dir() / "articles")) {
    fs::copy_file(e.path(), articles / e.path().filename());
  }
  return articles;
}

uint64_t termfreq(const fs::path& db, const std::string& term) {
  Xapian::Database d(db.string());
  return d.get_termfreq(term);
}

void append(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::app | std::ios::binary);
  out << text;
}

class IndexCli : public ::testing::Test {
 protected:
  TempDir dir_;
  fs::path db_ = dir_.path() / "db";
};

TEST_F(IndexCli, IndexesTheSeedsThenASecondRunChangesNothing) {
  auto first = index({"--db", db_.string(), "--json", (fixtures_dir() / "articles").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  json j = summary(first);
  EXPECT_EQ(counts(j), "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(j["articles"], 5);
  EXPECT_EQ(j["db"], db_.string());
  uint64_t passages = j["passages"];
  EXPECT_GE(passages, 25u);  // the seeds have dozens of paragraphs between them
  // One document per article (schema 3), its passages counted in the metadata.
  EXPECT_EQ(termfreq(db_, "KA"), 5u);
  EXPECT_EQ(Xapian::Database(db_.string()).get_doccount(), 5u);
  EXPECT_EQ(schema::read_lengths(Xapian::Database(db_.string())).passages, passages);
  EXPECT_EQ(termfreq(db_, schema::boolean_term(schema::kArticleId, kSeed0)), 1u);
  // The summary on stderr says the same.
  EXPECT_NE(first.err.find("5 added, 0 updated, 0 unchanged"), std::string::npos) << first.err;

  auto second = index({"--db", db_.string(), "--json", (fixtures_dir() / "articles").string()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(counts(summary(second)), "0 added, 0 updated, 5 unchanged, 0 deleted, 0 skipped");
  EXPECT_NE(second.err.find("0 added, 0 updated, 5 unchanged"), std::string::npos) << second.err;
  EXPECT_EQ(schema::read_lengths(Xapian::Database(db_.string())).passages, passages);
}

// indexer/fast_deflate.cpp: the program's zlib functions take libxapian's calls, in the program as shipped
// (a build that stopped exporting them would only be slower, and every other test would pass). The database
// is the one zlib would give, read back by Xapian's own inflater.
TEST_F(IndexCli, XapiansCompressionGoesThroughLibdeflate) {
  auto r = index({"-vv", "--db", db_.string(), (fixtures_dir() / "articles").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string marker = " Xapian tags deflated by libdeflate";
  const size_t at = r.err.find(marker);
  ASSERT_NE(at, std::string::npos) << r.err;
  size_t begin = at;
  while (begin > 0 && std::isdigit(static_cast<unsigned char>(r.err[begin - 1])) != 0) --begin;
  ASSERT_LT(begin, at) << r.err;
  EXPECT_GE(std::stoull(r.err.substr(begin, at - begin)), 5u) << r.err;  // at least the 5 articles' data
  Xapian::Database db(db_.string());
  ASSERT_EQ(db.get_doccount(), 5u);
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    const Xapian::Document doc = db.get_document(*p);
    EXPECT_NE(doc.get_data().find("\"passages\""), std::string::npos);
    EXPECT_GT(doc.termlist_count(), 20u);
  }
}

TEST_F(IndexCli, SeedMetadataIsInTheIndex) {
  ASSERT_EQ(index({"--db", db_.string(), (fixtures_dir() / "articles").string()}).exit_code, 0);
  Xapian::Database d(db_.string());
  std::string id_term = schema::boolean_term(schema::kArticleId, kSeed0);
  EXPECT_EQ(d.get_termfreq(id_term), 1u);
  Xapian::Enquire enquire(d);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, Xapian::Query(id_term), Xapian::Query("KA")));
  auto mset = enquire.get_mset(0, 10);
  ASSERT_EQ(mset.size(), 1u);
  Xapian::Document doc = mset.begin().get_document();
  EXPECT_EQ(doc.get_value(schema::kSlotDate), "20220224");
  EXPECT_EQ(doc.get_value(schema::kSlotOutlet), "The Washington Times");
  EXPECT_EQ(doc.get_value(schema::kSlotArticleId), kSeed0);
  EXPECT_EQ(doc.get_value(schema::kSlotHash).size(), 16u);
  json data = json::parse(doc.get_data());
  EXPECT_EQ(data["date"], "2022-02-24");
  ASSERT_TRUE(data["passages"].is_array());
  EXPECT_EQ(data["passages"][0]["pos"], schema::kPassageStride);
  EXPECT_FALSE(data.contains("text"));
  // Filters the searcher relies on.
  EXPECT_GT(d.get_termfreq("D20220224"), 0u);
  EXPECT_GT(d.get_termfreq(schema::boolean_term(schema::kOutlet, "The Washington Times")), 0u);
  EXPECT_GT(d.get_termfreq(schema::boolean_term(schema::kSpeakerWord, "lukashenko")), 0u);
  EXPECT_GT(d.get_termfreq("Wlukashenko"), 0u);
  // The stamp and the spelling dictionary.
  auto stamp = schema::read_stamp(d);
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(stamp->version, schema::kVersion);
  EXPECT_EQ(stamp->analyzer, "language=english;fold_accents=1;possessives=1");
  EXPECT_EQ(d.get_spelling_suggestion("lukashenkp"), "lukashenko");
}

TEST_F(IndexCli, AnEditedFileIsUpdatedAndTheRestUnchanged) {
  fs::path articles = copy_fixtures(dir_);
  ASSERT_EQ(index({"--db", db_.string(), articles.string()}).exit_code, 0);
  append(articles / kSeed0, "\n\nA brand new closing paragraph mentions zanzibarization once.\n");
  auto r = index({"--db", db_.string(), "--json", articles.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "0 added, 1 updated, 4 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "zanzibarization"), 1u);  // the exact form
  EXPECT_EQ(termfreq(db_, "Wzanzibar"), 1u);        // the ranking term
  EXPECT_EQ(termfreq(db_, "KA"), 5u);
}

TEST_F(IndexCli, IncrementalUpdateEqualsACleanIndex) {
  fs::path articles = copy_fixtures(dir_);
  ASSERT_EQ(index({"--db", db_.string(), articles.string()}).exit_code, 0);
  append(articles / kSeed0, "\n\n\u201CWe will see,\u201D Mr. Lukashenko said of the talks.\n");
  fs::remove(articles / "004_2c84ca1d4691ff6c.txt");
  ASSERT_EQ(index({"--db", db_.string(), "--prune", articles.string()}).exit_code, 0);
  fs::path clean = dir_.path() / "clean";
  ASSERT_EQ(index({"--db", clean.string(), articles.string()}).exit_code, 0);
  auto a = dateline::test::snapshot(db_), b = dateline::test::snapshot(clean);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [q, doc] : b) EXPECT_EQ(a[q], doc) << q;
  // The spelling dictionary's counts follow deletions too.
  EXPECT_EQ(dateline::test::spellings(db_), dateline::test::spellings(clean));
  Xapian::Database inc(db_.string()), fresh(clean.string());
  // So do the stored totals the passage choice weighs with (length of all articles, number of
  // passages): equal to the clean index's, and to the documents' own.
  auto lengths = [](const Xapian::Database& d) {
    schema::Lengths sum;
    for (auto p = d.postlist_begin("KA"); p != d.postlist_end("KA"); ++p) {
      sum.articles += p.get_doclength();
      sum.passages += json::parse(d.get_document(*p).get_data())["passages"].size();
    }
    return std::pair(sum.articles, sum.passages);
  };
  const schema::Lengths stored = schema::read_lengths(inc);
  EXPECT_EQ(std::pair(stored.articles, stored.passages), lengths(inc));
  EXPECT_EQ(lengths(inc), lengths(fresh));
  EXPECT_GT(stored.articles, 0u);
}

TEST_F(IndexCli, ArticleDocidsAreKeptOnUpdate) {
  fs::path articles = copy_fixtures(dir_);
  ASSERT_EQ(index({"--db", db_.string(), "--writers", "1", articles.string()}).exit_code, 0);
  auto docids = [&](const char* kind) { return dateline::test::docids(db_, kind); };
  const std::vector<unsigned> before = docids("KA");
  EXPECT_EQ(before, (std::vector<unsigned>{1, 2, 3, 4, 5}));
  append(articles / kSeed0, "\n\nA brand new closing paragraph.\n");
  ASSERT_EQ(index({"--db", db_.string(), articles.string()}).exit_code, 0);
  EXPECT_EQ(docids("KA"), before);  // the updated article kept its docid
  fs::path extra = dir_.path() / "extra";
  fs::create_directories(extra);
  fs::copy_file(articles / kSeed0, extra / "copy.txt");
  ASSERT_EQ(index({"--db", db_.string(), extra.string()}).exit_code, 0);
  EXPECT_EQ(docids("KA").back(), 6u);  // a new article takes the next article docid
}

TEST_F(IndexCli, BulkBuildEqualsTheSingleWriter) {
  fs::path articles = copy_fixtures(dir_);
  fs::path one = dir_.path() / "one";
  ASSERT_EQ(index({"--db", one.string(), "--writers", "1", articles.string()}).exit_code, 0);
  auto r = index({"--db", db_.string(), "--writers", "3", "--json", articles.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
  // The same documents, spelling dictionary and metadata (stamp, length totals), in the same layout.
  EXPECT_EQ(dateline::test::snapshot(db_), dateline::test::snapshot(one));
  EXPECT_EQ(dateline::test::spellings(db_), dateline::test::spellings(one));
  auto meta = dateline::test::metadata(db_), meta_one = dateline::test::metadata(one);
  EXPECT_EQ(meta.at(std::string(schema::kMetaLastArticleDocid)).empty(), false);
  meta.erase(std::string(schema::kMetaLastArticleDocid));  // which docids the writers took may differ
  meta_one.erase(std::string(schema::kMetaLastArticleDocid));
  EXPECT_EQ(meta, meta_one);
  for (unsigned did : dateline::test::docids(db_, "KA")) EXPECT_LT(did, schema::kFirstPassageDocid);
  for (unsigned did : dateline::test::docids(db_, "KP")) EXPECT_GE(did, schema::kFirstPassageDocid);
  EXPECT_FALSE(fs::exists(db_ / "dateline-bulk.tmp"));
  // A database with documents has one writer, whatever --writers says: an edit is an update.
  append(articles / kSeed0, "\n\nA brand new closing paragraph mentions zanzibarization once.\n");
  auto again = index({"--db", db_.string(), "--writers", "3", "--json", articles.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(counts(summary(again)), "0 added, 1 updated, 4 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "zanzibarization"), 1u);
  // --rebuild empties it: a bulk build again, equal to a clean single-writer index of the edited files.
  ASSERT_EQ(index({"--db", one.string(), "--writers", "1", articles.string()}).exit_code, 0);
  ASSERT_EQ(index({"--db", db_.string(), "--writers", "2", "--rebuild", articles.string()}).exit_code, 0);
  EXPECT_EQ(dateline::test::snapshot(db_), dateline::test::snapshot(one));
}

TEST_F(IndexCli, BulkBuildRemovesWhatAnInterruptedOneLeft) {
  ASSERT_EQ(index({"--db", db_.string(), "--writers", "1", "--delete", "nothing"}).exit_code, 1);
  fs::create_directories(db_ / "dateline-bulk.tmp" / "a1");
  std::ofstream(db_ / "dateline-bulk.tmp" / "a1" / "junk") << "left by a killed run";
  auto r = index({"--db", db_.string(), "--writers", "2", (fixtures_dir() / "articles").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(db_ / "dateline-bulk.tmp"));
  EXPECT_EQ(termfreq(db_, "KA"), 5u);
}

TEST_F(IndexCli, DeleteRemovesEveryDocumentOfTheArticle) {
  ASSERT_EQ(index({"--db", db_.string(), (fixtures_dir() / "articles").string()}).exit_code, 0);
  auto r = index({"--db", db_.string(), "--json", "--delete", kSeed0});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "0 added, 0 updated, 0 unchanged, 1 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, schema::boolean_term(schema::kArticleId, kSeed0)), 0u);
  EXPECT_EQ(termfreq(db_, "KA"), 4u);
  // Deleting it again: nothing to delete is reported and raises the exit code.
  auto again = index({"--db", db_.string(), "--json", "--delete", kSeed0});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find(std::string(kSeed0) + ": --delete: no article with this id"), std::string::npos)
      << again.err;
}

TEST_F(IndexCli, PruneRemovesArticlesWhoseFileIsGone) {
  fs::path articles = copy_fixtures(dir_);
  ASSERT_EQ(index({"--db", db_.string(), articles.string()}).exit_code, 0);
  fs::remove(articles / kSeed0);
  // Without --prune the article stays.
  auto keep = index({"--db", db_.string(), "--json", articles.string()});
  EXPECT_EQ(counts(summary(keep)), "0 added, 0 updated, 4 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "KA"), 5u);
  auto r = index({"--db", db_.string(), "--json", "--prune", articles.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "0 added, 0 updated, 4 unchanged, 1 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, schema::boolean_term(schema::kArticleId, kSeed0)), 0u);
  EXPECT_EQ(termfreq(db_, "KA"), 4u);
}

TEST_F(IndexCli, PruneOnlyLooksUnderTheGivenRoots) {
  fs::path articles = copy_fixtures(dir_);
  fs::path other = dir_.path() / "other";
  fs::create_directories(other);
  fs::copy_file(articles / kSeed0, other / "x.txt");
  ASSERT_EQ(index({"--db", db_.string(), articles.string(), other.string()}).exit_code, 0);
  fs::remove(other / "x.txt");
  auto r = index({"--db", db_.string(), "--json", "--prune", articles.string()});
  EXPECT_EQ(counts(summary(r)), "0 added, 0 updated, 5 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "KA"), 6u);
}

TEST_F(IndexCli, ProvenanceAndWireOfACopiedPage) {
  // A page as a browser's copy gives it: masthead, menu, share bar, byline glued to the agency.
  fs::path page = dir_.path() / "page.txt";
  append(page,
         "Welcome to The Detroit News\n\n  \xE2\x80\xA2 Home\n  \xE2\x80\xA2 News\n\n"
         "Facebook Twitter Email\n\nThousands of teachers pack Statehouse for protest\n\n"
         "Tom Davies Associated Press\nPublished 11:34 PM EST Nov 19, 2019\n\nIndianapolis - Several "
         "thousand teachers wearing red surrounded the Statehouse on Tuesday to call for better pay.\n\n"
         "\xE2\x80\x9CWe are here for our students,"
         "\xE2\x80\x9D said Angela Cooper, a teacher from Indianapolis.\n");
  auto r = index({"--dry-run", "--json", page.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json a = json::parse(r.out.substr(0, r.out.find('\n')));
  EXPECT_EQ(a["title"], "Thousands of teachers pack Statehouse for protest");
  EXPECT_EQ(a["outlet"], "The Detroit News");
  EXPECT_EQ(a["wire"], "Associated Press");
  EXPECT_EQ(a["author"], "Tom Davies");
  EXPECT_EQ(a["date"], "2019-11-19");
  EXPECT_EQ(a["provenance"].dump(),
            R"({"author":{"line":10,"text":"Tom Davies Associated Press"},)"
            R"("date":{"line":11,"text":"Published 11:34 PM EST Nov 19, 2019"},)"
            R"("outlet":{"line":1,"text":"Welcome to The Detroit News"},)"
            R"("title":{"line":8,"text":"Thousands of teachers pack Statehouse for protest"},)"
            R"("wire":{"line":10,"text":"Tom Davies Associated Press"}})");  // keys sorted by json::dump
  // Indexed, the wire is a filter (any alias) and is shown in search JSON; the site's own copy is not
  // wire copy.
  std::string seed = (fixtures_dir() / "articles" / kSeed0).string();
  ASSERT_EQ(index({"--db", db_.string(), "-q", page.string(), seed}).exit_code, 0);
  EXPECT_EQ(termfreq(db_, "XWIREassociated press"), 1u);  // the article
  auto s = dateline::test::run(
      {(bin_dir() / "dateline-search").string(), "--db", db_.string(), "--format", "json", "wire:ap"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  json res = json::parse(s.out);
  ASSERT_EQ(res["hits"].size(), 1u);
  EXPECT_EQ(res["hits"][0]["wire"], "Associated Press");
  EXPECT_EQ(res["hits"][0]["outlet"], "The Detroit News");
  auto none = dateline::test::run(
      {(bin_dir() / "dateline-search").string(), "--db", db_.string(), "--count", "wire:reuters"});
  EXPECT_EQ(none.out, "0\n");
}

TEST_F(IndexCli, DryRunJsonPrintsRecordsAndTouchesNoDatabase) {
  auto r =
      index({"--db", db_.string(), "--dry-run", "--json", (fixtures_dir() / "articles" / kSeed0).string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(db_));
  std::istringstream lines(r.out);
  std::string line;
  std::vector<json> records;
  while (std::getline(lines, line)) records.push_back(json::parse(line));
  ASSERT_EQ(records.size(), 1u);
  const json& a = records[0];
  EXPECT_EQ(a["type"], "article");
  EXPECT_EQ(a["outlet"], "The Washington Times");
  EXPECT_EQ(a["date"], "2022-02-24");
  // A file named alone: its folder is the archive root, so its id is its name (however it was typed).
  EXPECT_EQ(a["id"], kSeed0);
  ASSERT_TRUE(a["passages"].is_array());
  ASSERT_FALSE(a["passages"].empty());
  const json& p = a["passages"][0];
  EXPECT_EQ(p["passage"], 1);
  for (const char* key : {"text", "start", "end", "speakers"}) EXPECT_TRUE(p.contains(key)) << key;
  EXPECT_LT(p["start"].get<size_t>(), p["end"].get<size_t>());
  EXPECT_TRUE(a["speakers"].is_array());
}

TEST_F(IndexCli, DryRunTextListsTheArticle) {
  auto r = index({"--dry-run", (fixtures_dir() / "articles" / kSeed0).string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  outlet:   The Washington Times\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  date:     2022-02-24\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  [1] bytes "), std::string::npos) << r.out;
}

TEST_F(IndexCli, ReadsStandardInput) {
  std::string text = dateline::test::read_file(fixtures_dir() / "articles" / kSeed0);
  auto r = index({"--db", db_.string(), "--json", "-"}, text);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "1 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
  Xapian::Database d(db_.string());
  EXPECT_GT(d.get_termfreq(schema::boolean_term(schema::kOutlet, "The Washington Times")), 0u);
  // JSON Lines on stdin, sniffed from the first byte.
  auto jl = index({"--db", db_.string(), "--json", "-"}, "{\"id\":\"s1\",\"text\":\"Piped in.\"}\n");
  ASSERT_EQ(jl.exit_code, 0) << jl.err;
  EXPECT_EQ(counts(summary(jl)), "1 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "XIDs1"), 1u);
}

TEST_F(IndexCli, MalformedJsonLineIsSkippedWithFileAndLine) {
  fs::path file = dir_.path() / "records.jsonl";
  std::ofstream(file) << "{\"id\":\"r1\",\"text\":\"First record.\"}\n"
                         "{\"id\":\"r2\",\"text\": broken\n"
                         "{\"id\":\"r3\",\"title\":\"Third\",\"text\":\"Third record.\"}\n";
  auto r = index({"--db", db_.string(), "--json", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = summary(r);
  EXPECT_EQ(j["added"], 2);
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_EQ(j["skipped"][0]["path"], file.string());
  EXPECT_EQ(j["skipped"][0]["line"], 2);
  EXPECT_NE(r.err.find("dateline-index: " + file.string() + ":2: "), std::string::npos) << r.err;
  EXPECT_EQ(termfreq(db_, "XIDr1"), 1u);
  EXPECT_EQ(termfreq(db_, "XIDr3"), 1u);
  EXPECT_EQ(termfreq(db_, "XIDr2"), 0u);
}

TEST_F(IndexCli, ProblemInputsAreSkippedAndTheRestIndexed) {
  fs::path articles = copy_fixtures(dir_);
  fs::create_symlink(articles, articles / "loop");                       // a directory loop
  fs::create_symlink(articles / "gone.txt", articles / "dangling.txt");  // a broken link
  std::ofstream(articles / "binary.txt", std::ios::binary) << std::string(
      "\x7f"
      "ELF\0\0\0\x01\x02\0\0",
      12);
  auto r = index({"--db", db_.string(), "--json", articles.string(), (dir_.path() / "missing.txt").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  json j = summary(r);
  EXPECT_EQ(j["added"], 5) << r.err;
  std::string reasons;
  for (const auto& s : j["skipped"])
    reasons += s["path"].get<std::string>() + ": " + s["reason"].get<std::string>() + "\n";
  EXPECT_NE(reasons.find("loop: symbolic link loop"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("dangling.txt: broken symbolic link"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("binary.txt: binary file"), std::string::npos) << reasons;
  EXPECT_NE(reasons.find("missing.txt: No such file or directory"), std::string::npos) << reasons;
}

TEST_F(IndexCli, ManifestOverridesMetadataAndIsNotIndexedItself) {
  fs::path articles = copy_fixtures(dir_);
  fs::path manifest = articles / "manifest.jsonl";
  std::ofstream(manifest) << "{\"path\":\"" << kSeed0
                          << "\",\"id\":\"custom-id\",\"outlet\":\"Other Outlet\"}\n";
  auto r = index({"--db", db_.string(), "--json", "--manifest", manifest.string(), articles.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(counts(summary(r)), "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
  EXPECT_EQ(termfreq(db_, "XIDcustom-id"), 1u);
  EXPECT_EQ(termfreq(db_, schema::boolean_term(schema::kArticleId, kSeed0)), 0u);
  EXPECT_GT(termfreq(db_, schema::boolean_term(schema::kOutlet, "Other Outlet")), 0u);
  auto bad =
      index({"--db", db_.string(), "--manifest", (dir_.path() / "none.jsonl").string(), articles.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--manifest: "), std::string::npos) << bad.err;
}

TEST_F(IndexCli, DuplicateIdsInOneRunAreReported) {
  fs::path file = dir_.path() / "dup.jsonl";
  std::ofstream(file) << "{\"id\":\"same\",\"text\":\"One.\"}\n{\"id\":\"same\",\"text\":\"Two.\"}\n";
  auto r = index({"--db", db_.string(), "--json", file.string()});
  EXPECT_EQ(r.exit_code, 1);
  json j = summary(r);
  EXPECT_EQ(j["added"], 1);
  ASSERT_EQ(j["skipped"].size(), 1u);
  EXPECT_NE(j["skipped"][0]["reason"].get<std::string>().find("duplicate article id \"same\""),
            std::string::npos);
}

TEST_F(IndexCli, LockedDatabaseFailsAtOnce) {
  ASSERT_EQ(index({"--db", db_.string(), (fixtures_dir() / "articles" / kSeed0).string()}).exit_code, 0);
  Xapian::WritableDatabase holder(db_.string(), Xapian::DB_OPEN);
  auto start = std::chrono::steady_clock::now();
  auto r = index({"--db", db_.string(), (fixtures_dir() / "articles").string()});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: " + db_.string() +
                       ": database is locked by another dateline-index (or Xapian writer)\n");
  EXPECT_LT(secs, 30.0);  // a hang would be caught by the ctest timeout; this documents "never wait"
}

TEST_F(IndexCli, NewerSchemaVersionIsRefused) {
  {
    Xapian::WritableDatabase d(db_.string(), Xapian::DB_CREATE);
    d.set_metadata(std::string(schema::kMetaVersion), std::to_string(schema::kVersion + 1));
    d.set_metadata(std::string(schema::kMetaAnalyzer), "language=english;fold_accents=1;possessives=1");
    d.commit();
  }
  auto r = index({"--db", db_.string(), (fixtures_dir() / "articles").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dateline-index: " + db_.string() + ": index schema version " +
                       std::to_string(schema::kVersion + 1) + " is not readable by this build"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--rebuild"), std::string::npos) << r.err;
  // --rebuild is the cure.
  auto rebuilt = index({"--db", db_.string(), "--json", "--rebuild", (fixtures_dir() / "articles").string()});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(counts(summary(rebuilt)), "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");
}

TEST_F(IndexCli, ForeignOrDamagedDatabasesAreRefusedInOneLine) {
  {
    Xapian::WritableDatabase d(db_.string(), Xapian::DB_CREATE);
    d.add_document(Xapian::Document());
    d.commit();
  }
  auto foreign = index({"--db", db_.string(), (fixtures_dir() / "articles").string()});
  EXPECT_EQ(foreign.exit_code, 2);
  EXPECT_NE(foreign.err.find("is a Xapian database but not a Dateline one"), std::string::npos)
      << foreign.err;

  fs::path damaged = dir_.path() / "damaged";
  ASSERT_EQ(index({"--db", damaged.string(), (fixtures_dir() / "articles" / kSeed0).string()}).exit_code, 0);
  std::ofstream(damaged / "iamglass", std::ios::binary | std::ios::trunc) << "garbage";
  auto r = index({"--db", damaged.string(), (fixtures_dir() / "articles").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("dateline-index: " + damaged.string() + ": ", 0), 0u) << r.err;
  // --rebuild recovers a damaged database.
  auto rebuilt =
      index({"--db", damaged.string(), "--json", "--rebuild", (fixtures_dir() / "articles").string()});
  EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_EQ(counts(summary(rebuilt)), "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped");

  fs::path home = dir_.path() / "home";
  fs::create_directories(home);
  std::ofstream(home / "notes.txt") << "mine";
  auto h = index({"--db", home.string(), (fixtures_dir() / "articles").string()});
  EXPECT_EQ(h.exit_code, 2);
  EXPECT_NE(h.err.find("is not a Xapian database; refusing to write into it"), std::string::npos) << h.err;
}

TEST_F(IndexCli, LanguageIsStoredAndCannotChangeWithoutRebuild) {
  ASSERT_EQ(index({"--db", db_.string(), "--language", "fr", (fixtures_dir() / "articles" / kSeed0).string()})
                .exit_code,
            0);
  {
    Xapian::Database d(db_.string());
    EXPECT_EQ(schema::read_stamp(d)->analyzer, "language=french;fold_accents=1;possessives=1");
    EXPECT_EQ(d.get_termfreq("Lfr"), 0u);  // stored in the stamp only: no language term
  }
  // Same language again, or none given: fine. Another one: refused.
  EXPECT_EQ(
      index({"--db", db_.string(), "--language", "french", (fixtures_dir() / "articles" / kSeed0).string()})
          .exit_code,
      0);
  EXPECT_EQ(index({"--db", db_.string(), (fixtures_dir() / "articles" / kSeed0).string()}).exit_code, 0);
  auto r =
      index({"--db", db_.string(), "--language", "english", (fixtures_dir() / "articles" / kSeed0).string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("created with --language french"), std::string::npos) << r.err;
  // --rebuild keeps the stored language when none is given.
  ASSERT_EQ(
      index({"--db", db_.string(), "--rebuild", (fixtures_dir() / "articles" / kSeed0).string()}).exit_code,
      0);
  Xapian::Database d(db_.string());
  EXPECT_EQ(schema::read_stamp(d)->analyzer, "language=french;fold_accents=1;possessives=1");
  auto bad = index({"--db", db_.string(), "--language", "klingon", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown --language \"klingon\""), std::string::npos) << bad.err;
}

TEST_F(IndexCli, UsageErrorsExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--db", "x"}, "no input given"},
      {{"--db", "x", "--threads", "0", "a"}, "--threads must be between 1"},
      {{"--db", "x", "--batch-size", "0", "a"}, "--batch-size must be between 1"},
      {{"--db", "x", "--prune"}, "no input given"},
      {{"--db", "x", "--dry-run", "--prune", "a"}, "--dry-run cannot be combined"},
      {{"--db", "x", "--threads", "many", "a"}, "many"},
  };
  for (const auto& c : cases) {
    auto r = index(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_EQ(r.err.rfind("dateline-index: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
}

TEST_F(IndexCli, SmallBatchesAndManyThreadsGiveTheSameIndex) {
  fs::path a = dir_.path() / "a", b = dir_.path() / "b";
  ASSERT_EQ(index({"--db", a.string(), "--threads", "1", (fixtures_dir() / "articles").string()}).exit_code,
            0);
  ASSERT_EQ(index({"--db", b.string(), "--threads", "4", "--batch-size", "1",
                   (fixtures_dir() / "articles").string()})
                .exit_code,
            0);
  EXPECT_EQ(dateline::test::snapshot(a), dateline::test::snapshot(b));
}

}  // namespace

TEST(IndexCliFlags, FlagMistakesNameTheFlagAndTheHelp) {
  auto r = dateline::test::run({(bin_dir() / "dateline-index").string(), "--thread", "2", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: unknown flag '--thread' (did you mean --threads?) (try: dateline-index --help)\n");
  auto help = dateline::test::run({(bin_dir() / "dateline-index").string(), "--help"});
  EXPECT_EQ(help.out.find("(default: number of cores) (default:"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("(default: \"\")"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST(IndexCliFlags, AFolderWithNoArticleFilesIsWarnedAbout) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "in" / "sub");
  std::ofstream(tmp.path() / "in" / "sub" / "notes.pdf") << "x";
  const std::string in = (tmp.path() / "in").string();
  auto r = dateline::test::run({(bin_dir() / "dateline-index").string(), "--db", (tmp.path() / "db").string(), in});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dateline-index: " + in +
                       ": no article files here (.txt, .text, .jsonl, .ndjson, .json, or those with .gz)\n"),
            std::string::npos)
      << r.err;
}

TEST(IndexCliFlags, IdsDoNotDependOnHowOrFromWhereAPathIsTyped) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "news" / "sub");
  std::ofstream(tmp.path() / "news" / "sub" / "Story.txt") << "Headline one\n\nThe alpha story.\n";
  std::ofstream(tmp.path() / "news" / "sub" / "story.txt") << "Headline two\n\nThe beta story.\n";
  const std::string db = (tmp.path() / "db").string();
  const std::string index = (bin_dir() / "dateline-index").string();
  auto first = dateline::test::run({index, "--db", db, (tmp.path() / "news").string()});
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("2 added, 0 updated"), std::string::npos) << first.err;  // case: two articles
  // One file by another path, then the folder typed from another working directory: the same articles.
  auto one = dateline::test::run({index, "--db", db, (tmp.path() / "news" / "sub" / ".." / "sub" / "story.txt").string()});
  EXPECT_NE(one.err.find("0 added, 0 updated, 1 unchanged"), std::string::npos) << one.err;
  auto other_cwd = dateline::test::run(
      {"/bin/sh", "-c", "cd '" + (tmp.path() / "news").string() + "' && '" + index + "' --db '" + db + "' ./sub"});
  EXPECT_NE(other_cwd.err.find("0 added, 0 updated, 2 unchanged"), std::string::npos) << other_cwd.err;
  auto ids = dateline::test::run({(bin_dir() / "dateline-search").string(), "--db", db, "--format", "ids", "story"});
  EXPECT_TRUE(ids.out == "sub/Story.txt\nsub/story.txt\n" || ids.out == "sub/story.txt\nsub/Story.txt\n") << ids.out;
  auto exact = dateline::test::run(
      {(bin_dir() / "dateline-search").string(), "--db", db, "--format", "ids", "id:sub/Story.txt"});
  EXPECT_EQ(exact.out, "sub/Story.txt\n");
  // A different --root on an existing database is refused.
  auto root = dateline::test::run({index, "--db", db, "--root", tmp.path().string(), (tmp.path() / "news").string()});
  EXPECT_EQ(root.exit_code, 2);
  EXPECT_NE(root.err.find("add --rebuild"), std::string::npos) << root.err;
}

TEST(IndexCliFlags, ProgressShowsBytesAndPercentForEveryInputKind) {
  if (!fs::exists("/usr/bin/script")) GTEST_SKIP() << "script(1) (util-linux) is not installed";
  TempDir tmp;
  const fs::path big = tmp.path() / "big.jsonl";
  {
    std::ofstream out(big);
    std::string text;
    for (int k = 0; k < 20; ++k) text += "Troops moved near the border, officials said. ";
    for (int i = 0; i < 4000; ++i) out << "{\"id\":\"r" << i << "\",\"text\":\"" << text << i << "\"}\n";
  }
  const std::string index = (bin_dir() / "dateline-index").string();
  // stderr on a terminal (script(1)); one JSON Lines file read in chunks: bytes of the total and a percentage
  // from the first article on (it said "0.0 MB" with no percentage until the file was done).
  auto file = dateline::test::run({"/usr/bin/script", "-qec",
                                   index + " --threads 1 --db '" + (tmp.path() / "db1").string() + "' '" +
                                       big.string() + "'",
                                   "/dev/null"});
  EXPECT_NE(file.out.find("] "), std::string::npos) << file.out;
  EXPECT_NE(file.out.find("% 1 articles, "), std::string::npos) << file.out;
  EXPECT_NE(file.out.find(" of 3.8 MB"), std::string::npos) << file.out;
  EXPECT_EQ(file.out.find("0.0 of"), std::string::npos) << file.out;
  // Standard input of unknown size: bytes read (and rates once there is time behind them), no percentage.
  auto piped = dateline::test::run({"/usr/bin/script", "-qec",
                                    "cat '" + big.string() + "' | " + index + " --threads 1 --db '" +
                                        (tmp.path() / "db2").string() + "' -",
                                    "/dev/null"});
  EXPECT_NE(piped.out.find("\r1 articles, "), std::string::npos) << piped.out;
  EXPECT_NE(piped.out.find(" MB read"), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find("0.0 MB read"), std::string::npos) << piped.out;
  EXPECT_EQ(piped.out.find('%'), std::string::npos) << piped.out;
}

TEST(IndexCliFlags, ADatabaseWithoutAStoredRootKeepsTheOlderIdRule) {
  TempDir tmp;
  fs::create_directories(tmp.path() / "news");
  std::ofstream(tmp.path() / "news" / "a.txt") << "Headline\n\nThe alpha story.\n";
  const std::string db = (tmp.path() / "db").string();
  const std::string index = (bin_dir() / "dateline-index").string();
  ASSERT_EQ(dateline::test::run({index, "--db", db, "-q", (tmp.path() / "news").string()}).exit_code, 0);
  {
    Xapian::WritableDatabase d(db, Xapian::DB_OPEN);
    EXPECT_EQ(d.get_metadata(std::string(schema::kMetaIdRoot)), fs::canonical(tmp.path() / "news").string());
    d.set_metadata(std::string(schema::kMetaIdRoot), "");  // as made by a build before roots were stored
    d.commit();
  }
  // Older rule: a file named directly has its path as typed as id (a second article).
  const std::string typed = (tmp.path() / "news" / "a.txt").string();
  auto r = dateline::test::run({index, "--db", db, typed});
  EXPECT_NE(r.err.find("1 added"), std::string::npos) << r.err;
  // --rebuild stores a root: the file is one article again, by its path relative to the root.
  auto rebuilt = dateline::test::run({index, "--db", db, "--rebuild", (tmp.path() / "news").string()});
  EXPECT_NE(rebuilt.err.find("1 added"), std::string::npos) << rebuilt.err;
  EXPECT_NE(dateline::test::run({index, "--db", db, typed}).err.find("1 unchanged"), std::string::npos);
}
