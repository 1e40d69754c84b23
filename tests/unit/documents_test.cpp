/** @file
 *  @brief DocumentReader (searcher/documents.h): documents in the order asked, from the database itself when
 *  no shard is remote, and from it again when an extra connection cannot be made.
 */
#include "searcher/documents.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace {

using dateline::DocumentReader;
using dateline::database::Shard;

// A glass database of `n` documents whose data is "doc K".
Xapian::Database small_db(const std::string& path, int n) {
  Xapian::WritableDatabase w(path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  for (int k = 1; k <= n; ++k) {
    Xapian::Document d;
    d.set_data("doc " + std::to_string(k));
    w.add_document(d);
  }
  w.commit();
  return Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
}

std::vector<std::string> data_of(const std::vector<Xapian::Document>& docs) {
  std::vector<std::string> out;
  for (const auto& d : docs) out.push_back(d.get_data());
  return out;
}

TEST(DocumentReader, LocalShardsReadFromTheDatabaseInOrder) {
  dateline::test::TempDir dir;
  const Xapian::Database db = small_db((dir.path() / "db").string(), 5);
  DocumentReader reader({Shard{}}, 1000, 4);
  EXPECT_FALSE(reader.any_remote());
  EXPECT_EQ(data_of(reader.read(db, {4, 1, 5})), (std::vector<std::string>{"doc 4", "doc 1", "doc 5"}));
}

TEST(DocumentReader, AnUnreachableServerFallsBackToTheDatabase) {
  dateline::test::TempDir dir;
  const Xapian::Database db = small_db((dir.path() / "db").string(), 6);
  // One "remote" shard on a port nothing listens on (port 1 needs root to bind): every lane fails to connect
  // and its documents come from `db`, which here holds them under the same docids.
  Shard remote;
  remote.kind = Shard::Kind::kRemote;
  remote.host = "127.0.0.1";
  remote.port = 1;
  DocumentReader reader({remote}, 1000, 4);
  EXPECT_TRUE(reader.any_remote());
  EXPECT_EQ(data_of(reader.read(db, {3, 1, 6, 2, 5})),
            (std::vector<std::string>{"doc 3", "doc 1", "doc 6", "doc 2", "doc 5"}));
  // A second page tries again and still answers.
  EXPECT_EQ(data_of(reader.read(db, {2, 4})), (std::vector<std::string>{"doc 2", "doc 4"}));
}

// Jobs on the extra connections run only when every shard is remote; a job whose connection fails is
// reported not done, for the caller to do itself (a served database is in shards_cli_test's RemoteShards).
TEST(DocumentReader, LaneJobsThatCannotConnectAreLeftToTheCaller) {
  dateline::test::TempDir dir;
  const Xapian::Database db = small_db((dir.path() / "db").string(), 2);
  int ran = 0;
  const std::vector<std::function<void(const Xapian::Database&)>> jobs(
      3, [&ran](const Xapian::Database& d) { ran += d.get_doccount() > 0 ? 1 : 0; });
  DocumentReader local({Shard{}}, 1000, 4);
  EXPECT_FALSE(local.all_remote());
  EXPECT_EQ(local.on_lanes(jobs), (std::vector<bool>{false, false, false}));
  Shard remote;
  remote.kind = Shard::Kind::kRemote;
  remote.host = "127.0.0.1";
  remote.port = 1;
  DocumentReader mixed({remote, Shard{}}, 1000, 4);
  EXPECT_FALSE(mixed.all_remote());
  DocumentReader reader({remote}, 1000, 4);
  EXPECT_TRUE(reader.all_remote());
  EXPECT_EQ(reader.on_lanes(jobs), (std::vector<bool>{false, false, false}));
  EXPECT_EQ(ran, 0);
  EXPECT_TRUE(reader.on_lanes({}).empty());
}

}  // namespace
