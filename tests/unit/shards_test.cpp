/** @file
 *  @brief Tests of sharded databases (indexer/shards.h): the hash that places articles, the stub, indexing
 *  into shards with the library (each article in its shard, re-runs, --delete, bad input reported once), a
 *  stub whose lines were reordered, and --compact.
 */
#include "indexer/shards.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "analyzers/database.h"
#include "analyzers/schema.h"
#include "articles/reader.h"
#include "indexer/bulk.h"
#include "indexer/document_builder.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
namespace shards = dateline::shards;
using dateline::Diagnostic;
using dateline::IndexOptions;
using dateline::IndexReport;

namespace {

class Recorder : public dateline::Reporter {
 public:
  void diagnostic(const Diagnostic& d) override {
    diagnostics.push_back(d.file + ":" + std::to_string(d.line));
  }
  std::vector<std::string> diagnostics;
};

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// `n` JSON Lines records a0 .. a(n-1), and `extra` appended.
std::string records(int n, const std::string& word = "harbour", const std::string& extra = "") {
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string n_text = std::to_string(i);
    text += "{\"id\":\"a" + n_text + "\",\"title\":\"Story " + n_text + "\",\"text\":\"The " + word +
            " number " + n_text + " opened.\"}\n";
  }
  return text + extra;
}

// Which shard of `dir` holds article `id` (-1: none, -2: several).
int holder(const fs::path& dir, unsigned count, const std::string& id) {
  int found = -1;
  for (unsigned s = 0; s < count; ++s) {
    Xapian::Database db((dir / shards::shard_name(s)).string(), Xapian::DB_BACKEND_GLASS);
    if (db.term_exists(dateline::article_id_term(id))) found = found == -1 ? static_cast<int>(s) : -2;
  }
  return found;
}

}  // namespace

TEST(ShardOf, StableInRangeAndSpread) {
  // Pinned: a sharded database on disk depends on these never changing.
  EXPECT_EQ(shards::shard_of("bbc-business-217", 3), 2u);
  EXPECT_EQ(shards::shard_of("reuters-222", 4), 1u);
  EXPECT_EQ(shards::shard_of("2022/kyiv.txt", 8), 7u);
  EXPECT_EQ(shards::shard_of("anything", 1), 0u);
  std::map<unsigned, int> per;
  for (int i = 0; i < 4000; ++i) {
    const unsigned s = shards::shard_of("id-" + std::to_string(i), 4);
    ASSERT_LT(s, 4u);
    ++per[s];
  }
  for (const auto& [s, n] : per) EXPECT_NEAR(n, 1000, 120) << "shard " << s;
  // Ids too long for a term are placed by their XID term (head and hash), as one database tells them apart.
  const std::string long_a(400, 'a');
  EXPECT_EQ(shards::shard_of(long_a, 8), shards::shard_of(long_a, 8));
}

TEST(ShardReading, SkippedRecordsAreNeitherExtractedNorReported) {
  dateline::ReadOptions o;
  o.skip_record = [](std::string_view id) { return id == "b"; };
  std::vector<std::string> ids;
  std::vector<Diagnostic> diagnostics;
  dateline::read_buffer("{\"id\":\"a\",\"text\":\"One.\"}\n"
                        "{\"id\":\"b\",\"text\":\"Two.\",\"date\":\"not a date\"}\n"
                        "{\"id\":\"c\",\"text\":\"Three.\"}\n",
                        "in.jsonl", o, [&](dateline::Article&& a) { ids.push_back(a.id); }, diagnostics);
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "c"}));
  EXPECT_TRUE(diagnostics.empty());
  o.skip_record = nullptr;
  ids.clear();
  dateline::read_buffer("{\"id\":\"b\",\"text\":\"Two.\",\"date\":\"not a date\"}\n", "in.jsonl", o,
                        [&](dateline::Article&& a) { ids.push_back(a.id); }, diagnostics);
  EXPECT_EQ(ids, std::vector<std::string>{"b"});
  EXPECT_EQ(diagnostics.size(), 1u);  // the date warning, from the run that extracts it
}

TEST(ShardStub, ListsTheShardsInOrderAndIsRecognised) {
  dateline::test::TempDir dir;
  const fs::path db = dir.path() / "db";
  fs::create_directory(db);
  EXPECT_EQ(shards::sharded_count(db.string()), std::nullopt);  // an empty folder
  write_file(db / "XAPIANDB", shards::stub_text(3));
  const auto listed = dateline::database::read_stub((db / "XAPIANDB").string(), false);
  ASSERT_EQ(listed.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(listed[i].path, (db / shards::shard_name(i)).string());
  EXPECT_EQ(shards::sharded_count(db.string()), 3u);
  // A stub someone wrote by hand is not one dateline-index may write into.
  write_file(db / "XAPIANDB", "glass shard-00\n");
  EXPECT_EQ(shards::sharded_count(db.string()), std::nullopt);
  // Ours, edited: refused, naming the line.
  write_file(db / "XAPIANDB", std::string(shards::kStubMarker) + " 2\nglass shard-01\nglass shard-00\n");
  try {
    shards::sharded_count(db.string());
    FAIL();
  } catch (const dateline::database::StubError& e) {
    EXPECT_EQ(std::string(e.what()),
              (db / "XAPIANDB").string() +
                  ":2: expected 'glass shard-00': the stub was edited; dateline-index writes only the "
                  "shards it listed");
  }
}

TEST(ShardedIndex, EachArticleInItsShardReRunsAndDeletes) {
  dateline::test::TempDir dir;
  const fs::path db = dir.path() / "db";
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, records(60, "harbour", "not json\n"));
  Recorder rec;
  IndexOptions o;
  o.db_path = db.string();
  o.inputs = {in.string()};
  o.threads = 2;
  IndexReport r = shards::run_sharded_index(o, 3, rec);
  EXPECT_EQ(r.added, 60u);
  EXPECT_EQ(r.articles, 60u);
  EXPECT_EQ(r.bytes, fs::file_size(in));  // read once for every shard
  // The bad record is reported once, not once per shard.
  EXPECT_EQ(rec.diagnostics, std::vector<std::string>{in.string() + ":61"});
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(shards::sharded_count(db.string()), 3u);
  for (int i = 0; i < 60; ++i) {
    std::string id = "a";
    id += std::to_string(i);
    EXPECT_EQ(holder(db, 3, id), static_cast<int>(shards::shard_of(id, 3))) << id;
  }
  for (unsigned s = 0; s < 3; ++s) {
    Xapian::Database shard((db / shards::shard_name(s)).string(), Xapian::DB_BACKEND_GLASS);
    EXPECT_EQ(shard.get_metadata(std::string(shards::kMetaShard)), std::to_string(s) + "/3");
  }

  // Again: nothing changes; the count comes from the stub.
  r = shards::run_sharded_index(o, 0, rec);
  EXPECT_EQ(r.unchanged, 60u);
  EXPECT_EQ(r.added, 0u);
  // Updates reach the shard holding the article, never a second copy.
  write_file(in, records(60, "harbour", "{\"id\":\"a7\",\"text\":\"Changed text.\"}\n"));
  r = shards::run_sharded_index(o, 0, rec);
  EXPECT_EQ(r.updated, 1u);
  EXPECT_EQ(holder(db, 3, "a7"), static_cast<int>(shards::shard_of("a7", 3)));
  // Another count is refused.
  EXPECT_THROW(shards::run_sharded_index(o, 2, rec), dateline::UsageError);

  IndexOptions d;
  d.db_path = db.string();
  d.delete_ids = {"a3", "a4", "nope"};
  rec.diagnostics.clear();
  r = shards::run_sharded_index(d, 0, rec);
  EXPECT_EQ(r.deleted, 2u);
  EXPECT_EQ(rec.diagnostics, std::vector<std::string>{"nope:0"});
  EXPECT_EQ(holder(db, 3, "a3"), -1);
  EXPECT_EQ(holder(db, 3, "a5"), static_cast<int>(shards::shard_of("a5", 3)));
}

TEST(ShardedIndex, PruneReachesTheShardOfAGoneFile) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path db = dir.path() / "db";
  const fs::path articles = dir.path() / "articles";
  fs::create_directory(articles);
  for (int i = 0; i < 12; ++i) {
    write_file(articles / ("story" + std::to_string(i) + ".txt"),
               "Story " + std::to_string(i) + "\n\nThe harbour opened again today.\n");
  }
  IndexOptions o;
  o.db_path = db.string();
  o.inputs = {articles.string()};
  EXPECT_EQ(shards::run_sharded_index(o, 3, rec).added, 12u);
  ASSERT_NE(holder(db, 3, "story5.txt"), -1);
  fs::remove(articles / "story5.txt");
  fs::remove(articles / "story8.txt");
  o.prune = true;
  const IndexReport r = shards::run_sharded_index(o, 0, rec);
  EXPECT_EQ(r.deleted, 2u);
  EXPECT_EQ(r.unchanged, 10u);
  EXPECT_EQ(holder(db, 3, "story5.txt"), -1);
  EXPECT_EQ(holder(db, 3, "story8.txt"), -1);
  EXPECT_EQ(holder(db, 3, "story9.txt"), static_cast<int>(shards::shard_of("story9.txt", 3)));
}

TEST(ShardedIndex, RefusesWhatItMustNotWrite) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, records(5));
  IndexOptions o;
  o.inputs = {in.string()};
  // One database already there.
  o.db_path = (dir.path() / "one").string();
  dateline::run_index(o, rec);
  EXPECT_THROW(shards::run_sharded_index(o, 2, rec), dateline::UsageError);
  // A folder with other things in it.
  o.db_path = (dir.path() / "other").string();
  fs::create_directory(o.db_path);
  write_file(fs::path(o.db_path) / "notes.txt", "mine");
  EXPECT_THROW(shards::run_sharded_index(o, 2, rec), dateline::UsageError);
  o.db_path = (dir.path() / "new").string();
  EXPECT_THROW(shards::run_sharded_index(o, shards::kMaxShards + 1, rec), dateline::UsageError);
  EXPECT_FALSE(fs::exists(o.db_path));
}

// The inputs are read once for every shard, so standard input can feed shards too.
TEST(ShardedIndex, StandardInputFeedsEveryShard) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path db = dir.path() / "db";
  IndexOptions o;
  o.db_path = db.string();
  o.inputs = {"-"};
  o.stdin_data = records(30, "harbour", "not json\n");
  const IndexReport r = shards::run_sharded_index(o, 3, rec);
  EXPECT_EQ(r.added, 30u);
  EXPECT_EQ(r.bytes, o.stdin_data.size());
  EXPECT_EQ(rec.diagnostics, std::vector<std::string>{"<stdin>:31"});
  for (int i = 0; i < 30; ++i) {
    std::string id = "a";
    id += std::to_string(i);
    EXPECT_EQ(holder(db, 3, id), static_cast<int>(shards::shard_of(id, 3))) << id;
  }
}

TEST(ShardedIndex, ShardsSwappedBehindTheStubAreRefused) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path db = dir.path() / "db";
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, records(10));
  IndexOptions o;
  o.db_path = db.string();
  o.inputs = {in.string()};
  shards::run_sharded_index(o, 2, rec);
  fs::rename(db / "shard-00", db / "tmp");
  fs::rename(db / "shard-01", db / "shard-00");
  fs::rename(db / "tmp", db / "shard-01");
  try {
    shards::run_sharded_index(o, 0, rec);
    FAIL();
  } catch (const dateline::DatabaseError& e) {
    EXPECT_EQ(std::string(e.what()),
              (db / "shard-00").string() +
                  ": is shard 1/2 by its metadata, but the stub lists it as shard 0/2; its articles would be "
                  "looked for in the wrong shard (restore the stub's order)");
  }
}

TEST(Compact, OneDatabaseKeepsItsDocumentsAndDocids) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, records(30));
  IndexOptions o;
  o.db_path = (dir.path() / "one").string();
  o.inputs = {in.string()};
  dateline::run_index(o, rec);
  const auto c = shards::compact(o.db_path, (dir.path() / "c").string(), rec);
  EXPECT_EQ(c.sources, 1u);
  Xapian::Database before(o.db_path, Xapian::DB_BACKEND_GLASS);
  Xapian::Database after((dir.path() / "c").string(), Xapian::DB_BACKEND_GLASS);
  EXPECT_EQ(after.get_doccount(), before.get_doccount());
  EXPECT_EQ(after.get_lastdocid(), before.get_lastdocid());
  EXPECT_EQ(after.get_metadata("dateline.schema_version"), before.get_metadata("dateline.schema_version"));
  EXPECT_EQ(after.get_metadata("dateline.stats.article_length"),
            before.get_metadata("dateline.stats.article_length"));
  // The destination must be new.
  EXPECT_THROW(shards::compact(o.db_path, (dir.path() / "c").string(), rec), dateline::UsageError);
  // One shard of a stub compacts the same way, and loses its place in the stub.
  o.db_path = (dir.path() / "sharded").string();
  shards::run_sharded_index(o, 1, rec);
  shards::compact(o.db_path, (dir.path() / "c1").string(), rec);
  Xapian::Database c1((dir.path() / "c1").string(), Xapian::DB_BACKEND_GLASS);
  EXPECT_EQ(c1.get_doccount(), before.get_doccount());
  EXPECT_EQ(c1.get_metadata(std::string(shards::kMetaShard)), "");
}

namespace {

// "sI-cK": copy K of story I (built by appending: GCC 12 misreports `"a" + std::string` under -Wrestrict).
std::string copy_id(int story, int copy) {
  std::string id = "s";
  id += std::to_string(story);
  id += "-c";
  id += std::to_string(copy);
  return id;
}

// `stories` news stories, each as `copies` records with its text under ids "sI-cK" (dated a day apart
// by copy, the later copies first in the input).
std::string syndicated(int stories, int copies) {
  static const char* const kWords[] = {"harbour", "council", "budget",  "strike",   "ferry",   "minister",
                                       "storm",   "bridge",  "school",  "hospital", "railway", "election",
                                       "market",  "river",   "factory", "airport",  "museum",  "festival"};
  std::string text;
  for (int k = 0; k < copies; ++k) {
    for (int i = 0; i < stories; ++i) {
      std::string body;
      for (int w = 0; w < 80; ++w) {
        body += kWords[(i * 7 + w * (i % 5 + 1)) % 18];
        body += w % 12 == 11 ? ". " : " ";
      }
      text += "{\"id\":\"";
      text += copy_id(i, k);
      text += "\",\"title\":\"Story ";
      text += std::to_string(i);
      text += "\",\"date\":\"2024-03-";
      text += std::to_string(10 + (copies - k));
      text += "\",\"text\":\"";
      text += body;
      text += "\"}\n";
    }
  }
  return text;
}

// Every article of `db` (one database or the shards of a stub): id -> "story|copies value".
std::map<std::string, std::string> story_values(const std::string& db) {
  std::map<std::string, std::string> out;
  Xapian::Database all = dateline::database::open_database(db).db;
  const std::string kind(dateline::schema::kKindArticle);
  for (auto p = all.postlist_begin(kind); p != all.postlist_end(kind); ++p) {
    const Xapian::Document doc = all.get_document(*p);
    out[doc.get_value(dateline::schema::kSlotArticleId)] =
        doc.get_value(dateline::schema::kSlotStory) + "|" + doc.get_value(dateline::schema::kSlotStoryCopies);
  }
  return out;
}

}  // namespace

// Shards that start empty are filled by one bulk build fed by one reader: each article in its shard,
// linked into stories across the shards as a bulk build of one database links them (same batches), copies
// marked across the shards, every shard merged and stamped; no link pass afterwards.
TEST(ShardedIndex, BulkBuildIntoShardsLinksStoriesAsOneDatabase) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, syndicated(40, 3));
  IndexOptions o;
  o.inputs = {in.string()};
  o.threads = 2;
  o.writers = 2;
  o.batch_size = 25;          // stories linked over several batches
  o.bulk_article_block = 16;  // several segments a shard
  o.db_path = (dir.path() / "one").string();
  const IndexReport one = dateline::run_index(o, rec);
  ASSERT_TRUE(one.bulk);
  o.db_path = (dir.path() / "shards").string();
  const IndexReport r = shards::run_sharded_index(o, 3, rec);
  EXPECT_TRUE(r.bulk);
  EXPECT_EQ(r.added, 120u);
  EXPECT_TRUE(rec.diagnostics.empty());
  for (int i = 0; i < 40; ++i) {
    for (int k = 0; k < 3; ++k) {
      const std::string id = copy_id(i, k);
      EXPECT_EQ(holder(o.db_path, 3, id), static_cast<int>(shards::shard_of(id, 3))) << id;
    }
  }
  const auto expected = story_values((dir.path() / "one").string());
  const auto got = story_values(o.db_path);
  EXPECT_EQ(got, expected);
  // Not vacuous: the copies of each story, in several shards, are one story, marked as having copies.
  size_t across = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string story = got.at(copy_id(i, 0));
    EXPECT_EQ(got.at(copy_id(i, 1)), story) << i;
    EXPECT_EQ(got.at(copy_id(i, 2)), story) << i;
    EXPECT_NE(story.find('|'), story.size() - 1) << i << ": no copies value";
    across += shards::shard_of(copy_id(i, 2), 3) != shards::shard_of(copy_id(i, 0), 3);
  }
  EXPECT_GT(across, 10u);
  for (unsigned s = 0; s < 3; ++s) {
    const fs::path shard = fs::path(o.db_path) / shards::shard_name(s);
    EXPECT_FALSE(fs::exists(dateline::BulkBuilder::work_dir(shard.string()))) << s;
    Xapian::Database db(shard.string(), Xapian::DB_BACKEND_GLASS);
    EXPECT_EQ(db.get_metadata(std::string(shards::kMetaShard)), std::to_string(s) + "/3");
    EXPECT_FALSE(db.get_metadata(std::string(dateline::schema::kMetaStoryCopies)).empty());
    // The archive's person table, as one database has it.
    EXPECT_EQ(db.get_metadata("dateline.people"),
              Xapian::Database((dir.path() / "one").string()).get_metadata("dateline.people"));
  }
  // Incremental runs afterwards go through each shard's writer: nothing changes.
  const IndexReport again = shards::run_sharded_index(o, 0, rec);
  EXPECT_FALSE(again.bulk);
  EXPECT_EQ(again.unchanged, 120u);
  EXPECT_EQ(story_values(o.db_path), expected);
}

namespace {

// Articles quoting people, some by their full name and some by surname alone (person table rows with
// variants, and rows by last name).
std::string quoting(int articles) {
  static const char* const kPeople[] = {"Maria Ivanova", "John Okafor", "Ana Ruiz", "Peter Lindqvist",
                                        "Sofia Marchetti", "David Cohen"};
  static const char* const kTopics[] = {"the harbour budget", "the ferry strike", "the railway plan",
                                        "the hospital wing", "the river bridge"};
  std::string text;
  for (int i = 0; i < articles; ++i) {
    const std::string a = kPeople[i % 6];
    const std::string b = kPeople[(i * 5 + 1) % 6];
    const std::string topic = kTopics[i % 5];
    std::string body = "\\\"We will settle " + topic + " soon,\\\" " + a + " said. ";
    body += "\\\"Nobody asked us about " + topic + ",\\\" said " + b + ". ";
    body += "\\\"It is not over,\\\" " + a.substr(a.find(' ') + 1) + " said of " + topic + " number " +
            std::to_string(i) + ".";
    text += "{\"id\":\"q" + std::to_string(i) + "\",\"title\":\"Talks on " + topic + " " + std::to_string(i) +
            "\",\"date\":\"2024-04-" + std::to_string(10 + i % 9) + "\",\"outlet\":\"Outlet " +
            std::to_string(i % 3) + "\",\"text\":\"" + body + "\"}\n";
  }
  return text;
}

// A shard's name-variant and person tables: its metadata under "dateline.names" and "dateline.people".
std::map<std::string, std::string> name_tables(const fs::path& shard) {
  Xapian::Database db(shard.string(), Xapian::DB_BACKEND_GLASS);
  std::map<std::string, std::string> out;
  for (const char* prefix : {"dateline.names", "dateline.people"}) {
    for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k) {
      out[*k] = db.get_metadata(*k);
    }
  }
  return out;
}

}  // namespace

// A bulk build writes each shard's name-variant table and the person table of all shards with its merge:
// from the segments while the spelling is written when each shard has one segment, else from the merged
// shards. Either way, what shards written article by article (one writer each) get afterwards.
TEST(ShardedIndex, BulkBuildWritesTheNameTablesOfShardsWrittenDirectly) {
  dateline::test::TempDir dir;
  Recorder rec;
  const fs::path in = dir.path() / "in.jsonl";
  write_file(in, quoting(90));
  IndexOptions o;
  o.inputs = {in.string()};
  o.threads = 2;
  o.batch_size = 25;
  o.writers = 1;
  o.db_path = (dir.path() / "direct").string();
  ASSERT_FALSE(shards::run_sharded_index(o, 2, rec).bulk);
  o.writers = 2;
  o.db_path = (dir.path() / "one-segment").string();
  ASSERT_TRUE(shards::run_sharded_index(o, 2, rec).bulk);
  o.bulk_article_block = 8;  // several segments a shard
  o.db_path = (dir.path() / "segments").string();
  ASSERT_TRUE(shards::run_sharded_index(o, 2, rec).bulk);
  EXPECT_TRUE(rec.diagnostics.empty());
  for (unsigned s = 0; s < 2; ++s) {
    const auto expected = name_tables(dir.path() / "direct" / shards::shard_name(s));
    // Not vacuous: people grouped by last name, and name keys stored.
    size_t by_last = 0;
    for (const auto& [key, value] : expected) by_last += key.rfind("dateline.people.last.", 0) == 0;
    EXPECT_GE(by_last, 6u) << s;
    EXPECT_NE(expected.at("dateline.names"), "0") << s;
    EXPECT_EQ(name_tables(dir.path() / "one-segment" / shards::shard_name(s)), expected) << s;
    EXPECT_EQ(name_tables(dir.path() / "segments" / shards::shard_name(s)), expected) << s;
  }
}
