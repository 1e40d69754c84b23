/** @file
 *  @brief Syndicated copies end to end: dateline-index links copies into stories across runs and deletions;
 *  dateline-search --story lists a story's copies by date, --like finds other stories on the same subject.
 */
#include <gtest/gtest.h>
#include <xapian.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/schema.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::RunResult;
using nlohmann::json;

const std::vector<std::string> kWire = {
    "The central bank of Norland raised its main interest rate by half a point to 4.75 percent on Tuesday, "
    "its third increase this year, saying inflation had stayed above its target for too long.",
    "Governor Ana Veld told reporters in Stenby that the bank would keep raising rates until prices "
    "steadied, and that the krone's fall against the euro had made imports dearer for households.",
    "Economists polled last week had expected a quarter-point move. Bond yields rose sharply after the "
    "announcement and the krone gained nearly one percent against the dollar in afternoon trading.",
    "The finance ministry said it welcomed the decision but warned that higher borrowing costs would weigh "
    "on construction, where orders have fallen for six months in a row according to official figures.",
    "The bank's next policy meeting is set for March, when it will also publish new growth forecasts for "
    "the coming two years and its review of the mortgage market.",
};
const std::string kSameTopic =
    "Norland's central bank left its main interest rate unchanged at 4.25 percent on Thursday, saying "
    "inflation was easing and that earlier rate increases needed time to work through the economy.\n\n"
    "Governor Ana Veld said in Stenby that the bank was ready to raise rates again if the krone weakened "
    "further, and that households were already feeling higher mortgage payments and dearer imports.";
const std::string kUnrelated =
    "The national football team of Norland beat its neighbours three goals to one in Stenby on Saturday, "
    "with two late goals from the substitute striker sending the home crowd into raptures.";

std::string join(const std::vector<std::string>& paragraphs, size_t first = 0, size_t count = 99) {
  std::string out;
  for (size_t i = first; i < paragraphs.size() && i < first + count; ++i) {
    out += (out.empty() ? "" : "\n\n") + paragraphs[i];
  }
  return out;
}

std::string record(const std::string& id, const std::string& outlet, const std::string& date,
                   const std::string& title, const std::string& text) {
  json j{{"id", id}, {"outlet", outlet}, {"title", title}, {"text", text}};
  if (!date.empty()) j["date"] = date;
  return j.dump() + "\n";
}

class StoriesCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "db").string();
    // The wire story, a copy under a new headline with an intro (dated a day earlier: it ran first), a copy
    // cut after two paragraphs with no date, another story on the same subject, and an unrelated one.
    write("batch1.jsonl",
          record("wire-1", "Reuters", "2024-01-02", "Norland raises rates", join(kWire)) +
              record("copy-2", "Daily Courier", "2024-01-01", "Borrowing costs up again",
                     "STENBY (Daily Courier) - Borrowers face another rise in costs.\n\n" + join(kWire)) +
              record("cut-3", "Harwick Post", "", "Rates rise", join(kWire, 0, 2)) +
              record("other-4", "Reuters", "2024-02-01", "Norland holds rates", kSameTopic) +
              record("sport-5", "Reuters", "2024-01-03", "Norland win", kUnrelated));
  }

  void write(const std::string& name, const std::string& content) {
    std::ofstream(dir_.path() / name) << content;
  }

  RunResult index(std::vector<std::string> args) {
    args.insert(args.begin(), {(bin_dir() / "dateline-index").string(), "--db", db_, "-q", "--writers", "1"});
    return dateline::test::run(args);
  }

  RunResult search(std::vector<std::string> args) {
    args.insert(args.begin(), {(bin_dir() / "dateline-search").string(), "--db", db_});
    return dateline::test::run(args);
  }

  dateline::test::TempDir dir_;
  std::string db_;
};

TEST_F(StoriesCli, StoryListsEveryCopyByDate) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  const std::string expected =
      "story copy-2: 3 copies\n"
      "2024-01-01  Daily Courier  copy-2  Borrowing costs up again\n"
      "2024-01-02  Reuters  wire-1  Norland raises rates\n"
      "(no date)  Harwick Post  cut-3  Rates rise\n";
  for (const char* id : {"wire-1", "copy-2", "cut-3"}) {
    auto r = search({"--story", id});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected) << id;
  }
  auto alone = search({"--story", "other-4"});
  EXPECT_EQ(alone.out, "story other-4: 1 copy\n2024-02-01  Reuters  other-4  Norland holds rates\n");

  auto j = json::parse(search({"--story", "cut-3", "--format", "json"}).out);
  EXPECT_EQ(j["article"], "cut-3");
  EXPECT_EQ(j["story"], "copy-2");
  ASSERT_EQ(j["copies"].size(), 3u);
  EXPECT_EQ(j["copies"][0], json({{"id", "copy-2"}, {"outlet", "Daily Courier"}, {"date", "2024-01-01"},
                                  {"title", "Borrowing costs up again"}}));
  EXPECT_TRUE(j["copies"][2]["date"].is_null());
  EXPECT_EQ(search({"--story", "wire-1", "--format", "ids"}).out, "copy-2\nwire-1\ncut-3\n");
  EXPECT_EQ(search({"--story", "wire-1", "--format", "tsv"}).out,
            "id\toutlet\tdate\ttitle\n"
            "copy-2\tDaily Courier\t2024-01-01\tBorrowing costs up again\n"
            "wire-1\tReuters\t2024-01-02\tNorland raises rates\n"
            "cut-3\tHarwick Post\t\tRates rise\n");
}

TEST_F(StoriesCli, LikeFindsTheSameSubjectButNoCopy) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  auto r = search({"--like", "wire-1", "--format", "ids"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "other-4");  // the same subject first
  for (const char* copy : {"wire-1", "copy-2", "cut-3"}) {
    EXPECT_EQ(r.out.find(copy), std::string::npos) << r.out;
  }
  auto j = json::parse(search({"--like", "other-4", "--format", "json", "--limit", "1"}).out);
  EXPECT_EQ(j["article"], "other-4");
  ASSERT_EQ(j["hits"].size(), 1u);  // one hit per story: never two copies of the wire story
  EXPECT_GT(j["hits"][0]["score"].get<double>(), 0);
}

TEST_F(StoriesCli, LaterRunsAndDeletionsKeepTheStory) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  // The story's first article goes; its copies keep the story, and a later copy finds it through them.
  ASSERT_EQ(index({"--delete", "copy-2"}).exit_code, 0);
  write("batch2.jsonl", record("late-6", "Evening Star", "2024-01-05", "Rate rise",
                               join(kWire, 0, 3) + "\n\nIn Harwick, estate agents said buyers held back."));
  ASSERT_EQ(index({(dir_.path() / "batch2.jsonl").string()}).exit_code, 0);
  EXPECT_EQ(search({"--story", "late-6", "--format", "ids"}).out, "wire-1\nlate-6\ncut-3\n");
  EXPECT_EQ(json::parse(search({"--story", "late-6", "--format", "json"}).out)["story"], "copy-2");
  // Re-indexing the same input changes nothing.
  ASSERT_EQ(index({(dir_.path() / "batch2.jsonl").string()}).exit_code, 0);
  EXPECT_EQ(search({"--story", "wire-1", "--format", "ids"}).out, "wire-1\nlate-6\ncut-3\n");
}

TEST_F(StoriesCli, ABulkBuildLinksTheSameStories) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  const std::string one = search({"--story", "wire-1", "--format", "json"}).out;
  auto r = dateline::test::run({(bin_dir() / "dateline-index").string(), "--db", db_, "-q", "--rebuild",
                                "--writers", "2", (dir_.path() / "batch1.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(search({"--story", "wire-1", "--format", "json"}).out, one);
  // Copies written by different segment writers collapse too (the collapse slot is marked in the segments
  // before they are merged).
  const json j = json::parse(search({"--format", "json", "krone"}).out);
  EXPECT_EQ(j["hits"].size(), 2u);
  EXPECT_EQ(j["total"]["stories"], 2);
}

TEST_F(StoriesCli, BadUseIsAClearError) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  auto missing = search({"--story", "nosuch"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("--story: no article with id 'nosuch'"), std::string::npos) << missing.err;
  EXPECT_EQ(search({"--like", "nosuch"}).exit_code, 1);
  auto words = search({"--story", "wire-1", "rates"});
  EXPECT_EQ(words.exit_code, 2);
  EXPECT_NE(words.err.find("--story takes an article id, not QUERY words"), std::string::npos) << words.err;
  EXPECT_EQ(search({"--story", "wire-1", "--format", "trec"}).exit_code, 2);
  EXPECT_EQ(search({"--story", "wire-1", "--like", "wire-1"}).exit_code, 2);
  EXPECT_EQ(search({"--like", "wire-1", "--count"}).exit_code, 2);
  auto no_db = dateline::test::run({(bin_dir() / "dateline-search").string(), "--db",
                                    (dir_.path() / "none").string(), "--story", "wire-1"});
  EXPECT_EQ(no_db.exit_code, 2);
}

// A search shows one hit per story by default: its best copy, every other copy of the story listed with it,
// both totals; the outlet facet counts every outlet that ran it. --copies show lists every copy.
TEST_F(StoriesCli, SearchCollapsesCopiesIntoOneHitPerStory) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  auto r = search({"--format", "json", "--facet", "outlet", "krone"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["total"]["value"], 4);    // wire-1, copy-2, cut-3 (the krone paragraphs), other-4
  EXPECT_EQ(j["total"]["stories"], 2);  // the wire story and other-4
  ASSERT_EQ(j["hits"].size(), 2u);
  std::set<std::string> shown, copies;
  for (const auto& h : j["hits"]) {
    shown.insert(h["id"].get<std::string>());
    if (h.contains("copies")) {
      for (const auto& c : h["copies"]) copies.insert(c["id"].get<std::string>());
    }
  }
  EXPECT_EQ(shown.count("other-4"), 1u);
  // The wire story is shown once, by one copy; the two others are its "copies".
  std::set<std::string> story = copies;
  for (const auto& id : shown) {
    if (id != "other-4") story.insert(id);
  }
  EXPECT_EQ(story, (std::set<std::string>{"wire-1", "copy-2", "cut-3"}));
  EXPECT_EQ(copies.size(), 2u);
  // Every outlet that ran a matching story is counted.
  std::map<std::string, int> outlets;
  for (const auto& v : j["facets"]["outlet"]) outlets[v["value"].get<std::string>()] = v["count"].get<int>();
  EXPECT_EQ(outlets, (std::map<std::string, int>{{"Daily Courier", 1}, {"Harwick Post", 1}, {"Reuters", 2}}));
  // Text: "also in:" with the other outlets.
  auto text = search({"krone"});
  EXPECT_NE(text.out.find("   also in: "), std::string::npos) << text.out;
  // --copies show: every copy its own hit, no "stories" in the total.
  auto all = search({"--format", "json", "--copies", "show", "krone"});
  const json ja = json::parse(all.out);
  EXPECT_EQ(ja["hits"].size(), 4u);
  EXPECT_FALSE(ja["total"].contains("stories"));
  EXPECT_EQ(search({"--copies", "both", "krone"}).exit_code, 2);
}

}  // namespace

namespace {

// Issue 24: "one hit per story, shown by its best copy (earliest date first when scores tie)". Xapian's
// collapser keeps the lowest docid of copies that tie; the earliest copy here is indexed last.
TEST_F(StoriesCli, ATieIsShownByTheEarliestCopy) {
  const std::string text = join(kWire);
  write("same.jsonl", record("a-late", "Reuters", "2024-03-03", "Norland raises rates", text) +
                          record("b-undated", "Evening Star", "", "Norland raises rates", text) +
                          record("c-mid", "Daily Courier", "2024-03-02", "Norland raises rates", text) +
                          record("d-early", "Harwick Post", "2024-03-01", "Norland raises rates", text));
  ASSERT_EQ(index({(dir_.path() / "same.jsonl").string()}).exit_code, 0);
  for (const std::string format : {"json", "trec"}) {
    auto r = search({"--format", format, "krone"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (format == "json") {
      const json j = json::parse(r.out);
      ASSERT_EQ(j["hits"].size(), 1u);
      EXPECT_EQ(j["hits"][0]["id"], "d-early");
      std::set<std::string> copies;
      for (const auto& c : j["hits"][0]["copies"]) copies.insert(c["id"].get<std::string>());
      EXPECT_EQ(copies, (std::set<std::string>{"a-late", "b-undated", "c-mid"}));
    } else {
      EXPECT_EQ(r.out.find("a-late"), std::string::npos) << r.out;
      EXPECT_NE(r.out.find("d-early"), std::string::npos) << r.out;
    }
  }
  // Only the copies that match compete: the outlet filter leaves the undated and the latest one, and the
  // dated one wins.
  auto r = search({"--format", "ids", "--outlet", "Reuters", "--outlet", "Evening Star", "krone"});
  EXPECT_EQ(r.out, "a-late\n");
  // A copy with a higher score is still shown first, whatever its date.
  write("better.jsonl", record("e-later", "Reuters", "2024-03-09", "Krone: Norland raises rates", text));
  ASSERT_EQ(index({(dir_.path() / "better.jsonl").string()}).exit_code, 0);
  EXPECT_EQ(search({"--format", "ids", "krone"}).out, "e-later\n");
}

// A copy of an article that was alone in its story, indexed in a later run, makes both collapse (the
// collapse slot, schema.h kSlotStoryCopies, is given to the first one then).
TEST_F(StoriesCli, ALaterCopyOfALoneArticleCollapsesWithIt) {
  write("one.jsonl", record("wire-1", "Reuters", "2024-01-02", "Norland raises rates", join(kWire)));
  ASSERT_EQ(index({(dir_.path() / "one.jsonl").string()}).exit_code, 0);
  EXPECT_EQ(search({"--format", "ids", "krone"}).out, "wire-1\n");
  write("two.jsonl", record("copy-2", "Daily Courier", "2024-01-03", "Norland raises rates", join(kWire)));
  ASSERT_EQ(index({(dir_.path() / "two.jsonl").string()}).exit_code, 0);
  auto r = search({"--format", "json", "krone"});
  const json j = json::parse(r.out);
  ASSERT_EQ(j["hits"].size(), 1u) << r.out;
  EXPECT_EQ(j["hits"][0]["id"], "wire-1");
  EXPECT_EQ(j["total"]["stories"], 1);
  EXPECT_EQ(search({"--format", "ids", "--copies", "show", "krone"}).out, "copy-2\nwire-1\n");  // ties: by id
}

}  // namespace

namespace {

// What each article of `db` lists as its story's copies (schema.h kSlotStoryCopyList): id -> the ids listed,
// and each one's tie key (kSlotStoryTieKey).
struct Stored {
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, std::string> tie_keys;
};
Stored stored_lists(const std::string& db) {
  namespace schema = dateline::schema;
  Stored out;
  Xapian::Database x(db);
  for (auto p = x.postlist_begin(""); p != x.postlist_end(""); ++p) {
    const Xapian::Document doc = x.get_document(*p);
    const std::string id = doc.get_value(schema::kSlotArticleId);
    if (const std::string v = doc.get_value(schema::kSlotStoryCopyList); !v.empty()) {
      auto& list = out.lists[id];
      const std::optional<std::vector<schema::ListedCopy>> copies = schema::decode_copy_list(v);
      if (!copies.has_value()) {
        list.push_back("(damaged)");
        continue;
      }
      for (const schema::ListedCopy& c : *copies) list.push_back(c.id);
    }
    if (const std::string k = doc.get_value(schema::kSlotStoryTieKey); !k.empty()) out.tie_keys[id] = k;
  }
  return out;
}

// Each copy carries its story's list of copies, kept by every later run: a deleted copy leaves the others'
// lists, a changed date moves a copy in them. The search's "copies" read from the lists equal the ones read
// from the copies themselves (a database made before the lists).
TEST_F(StoriesCli, EachCopyListsItsStoryThroughDeletionsAndUpdates) {
  ASSERT_EQ(index({(dir_.path() / "batch1.jsonl").string()}).exit_code, 0);
  const std::vector<std::string> all{"copy-2", "wire-1", "cut-3"};
  Stored s = stored_lists(db_);
  EXPECT_EQ(s.lists, (std::map<std::string, std::vector<std::string>>{
                         {"wire-1", all}, {"copy-2", all}, {"cut-3", all}}));
  EXPECT_EQ(s.tie_keys["wire-1"], std::string("20240102\0wire-1", 15));
  EXPECT_EQ(s.tie_keys["cut-3"], std::string("\xff\0cut-3", 7));
  EXPECT_EQ(s.tie_keys.count("other-4"), 0u);  // alone in its story

  const std::vector<std::string> queries[] = {{"krone"}, {"rates", "--limit", "1"}, {"bank", "--offset", "1"}};
  auto pages = [&] {
    std::vector<std::string> out;
    for (auto q : queries) {
      q.insert(q.begin(), {"--format", "json"});
      out.push_back(search(q).out);
    }
    return out;
  };
  const std::vector<std::string> from_lists = pages();
  EXPECT_NE(from_lists[0].find("\"copies\""), std::string::npos) << from_lists[0];
  {
    Xapian::WritableDatabase w(db_);
    w.set_metadata(std::string(dateline::schema::kMetaStoryCopyList), "");
    w.commit();
  }
  EXPECT_EQ(pages(), from_lists);  // read from the copies' values instead
  {
    Xapian::WritableDatabase w(db_);
    w.set_metadata(std::string(dateline::schema::kMetaStoryCopyList), "1");
    w.commit();
  }

  ASSERT_EQ(index({"--delete", "copy-2"}).exit_code, 0);
  s = stored_lists(db_);
  EXPECT_EQ(s.lists, (std::map<std::string, std::vector<std::string>>{{"wire-1", {"wire-1", "cut-3"}},
                                                                       {"cut-3", {"wire-1", "cut-3"}}}));
  auto j = json::parse(search({"--format", "json", "krone"}).out);
  for (const auto& h : j["hits"]) {
    for (const auto& c : h.value("copies", json::array())) EXPECT_NE(c["id"], "copy-2") << j.dump();
  }
  // cut-3 gets a date before wire-1's: first in both lists, and its tie key follows.
  write("dated.jsonl", record("cut-3", "Harwick Post", "2023-12-31", "Rates rise", join(kWire, 0, 2)));
  ASSERT_EQ(index({(dir_.path() / "dated.jsonl").string()}).exit_code, 0);
  s = stored_lists(db_);
  EXPECT_EQ(s.lists, (std::map<std::string, std::vector<std::string>>{{"wire-1", {"cut-3", "wire-1"}},
                                                                       {"cut-3", {"cut-3", "wire-1"}}}));
  EXPECT_EQ(s.tie_keys["cut-3"], std::string("20231231\0cut-3", 14));
  // Alone again: the last copy keeps the collapse value, listing itself.
  ASSERT_EQ(index({"--delete", "wire-1"}).exit_code, 0);
  s = stored_lists(db_);
  EXPECT_EQ(s.lists, (std::map<std::string, std::vector<std::string>>{{"cut-3", {"cut-3"}}}));
  j = json::parse(search({"--format", "json", "krone"}).out);
  ASSERT_EQ(j["hits"].size(), 2u);  // cut-3 and other-4
  for (const auto& h : j["hits"]) EXPECT_FALSE(h.contains("copies")) << j.dump();
}

}  // namespace
