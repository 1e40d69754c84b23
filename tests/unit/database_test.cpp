/** @file
 *  @brief Tests of database opening: the stub parser line by line, layouts, nested stubs, stubs for writers.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analyzers/database.h"
#include "tests/support/test_support.h"

namespace database = dateline::database;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The message parse_stub() throws for `text`, or "" when it accepts it.
std::string refusal(const std::string& text, bool allow_remote = false) {
  try {
    database::parse_stub(text, "db/XAPIANDB", allow_remote);
    return "";
  } catch (const database::StubError& e) {
    return e.what();
  }
}

}  // namespace

TEST(StubParser, EachLineKindAcceptedOrRefusedWithItsMessage) {
  struct Case {
    std::string line;
    bool allow_remote;
    std::string message;  // "" = accepted
  };
  const std::string program = "db/XAPIANDB:1: 'remote :PROGRAM' starts a program; Dateline never runs one";
  const std::string kinds = " (Dateline reads auto PATH, glass PATH and remote HOST:PORT lines)";
  const std::string port = "db/XAPIANDB:1: 'remote' needs HOST:PORT with a port from 1 to 65535, got ";
  const Case cases[] = {
      {"auto shard1", false, ""},
      {"glass /abs/shard", false, ""},
      {"  glass\tspaced path  ", false, ""},
      {"remote host.example:33333", true, ""},
      {"remote [::1]:33333", true, ""},
      {"remote :./run.sh", false, program},
      {"remote :./run.sh", true, program},
      {"remote  :xapian-progsrv /db", true, program},
      {"remote host.example:33333", false,
       "db/XAPIANDB:1: remote shard 'host.example:33333' refused (dateline-search --allow-remote enables TCP "
       "shards)"},
      {"remote host.example", true, port + "'host.example'"},
      {"remote host:0", true, port + "'host:0'"},
      {"remote host:65536", true, port + "'host:65536'"},
      {"remote host:12x", true, port + "'host:12x'"},
      {"remote", true, port + "''"},
      {"inmemory", false, "db/XAPIANDB:1: 'inmemory' databases are not supported"},
      {"chert old", false, "db/XAPIANDB:1: unsupported stub line 'chert'" + kinds},
      {"honey h", false, "db/XAPIANDB:1: unsupported stub line 'honey'" + kinds},
      {"/just/a/path", false, "db/XAPIANDB:1: unsupported stub line '/just/a/path'" + kinds},
      {"auto", false, "db/XAPIANDB:1: 'auto' needs a database path"},
      {"glass   ", false, "db/XAPIANDB:1: 'glass' needs a database path"},
      {"# only a comment", false, "db/XAPIANDB: a stub file that lists no database"},
      {"", false, "db/XAPIANDB: a stub file that lists no database"},
      {std::string("auto a\0b", 8), false, "db/XAPIANDB: holds a NUL byte; not a stub file Dateline reads"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(refusal(c.line, c.allow_remote), c.message) << c.line;
  }
}

TEST(StubParser, LineNumbersCountBlankAndCommentLines) {
  EXPECT_EQ(refusal("# shards\n\nauto a\r\nglass b\nremote :evil\n"),
            "db/XAPIANDB:5: 'remote :PROGRAM' starts a program; Dateline never runs one");
}

TEST(StubParser, RelativePathsResolveAgainstTheStubFolder) {
  auto shards = database::parse_stub("auto one\nglass /abs/two\nremote h:1\n", "top/db/XAPIANDB", true);
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_EQ(shards[0].kind, database::Shard::Kind::kGlass);
  EXPECT_EQ(shards[0].path, "top/db/one");
  EXPECT_EQ(shards[0].line, 1u);
  EXPECT_EQ(shards[1].path, "/abs/two");
  EXPECT_EQ(shards[2].kind, database::Shard::Kind::kRemote);
  EXPECT_EQ(shards[2].host, "h");
  EXPECT_EQ(shards[2].port, 1u);
  // A stub file in the current folder: paths stay relative to it.
  EXPECT_EQ(database::parse_stub("auto one", "stub", false)[0].path, "one");
}

TEST(StubParser, SizeAndShardCountAreBounded) {
  std::string big(database::kMaxStubBytes + 1, '#');
  EXPECT_EQ(refusal(big), "db/XAPIANDB: larger than 65536 bytes; not a stub file Dateline reads");
  std::string many;
  for (size_t i = 0; i <= database::kMaxStubShards; ++i) many += "auto s" + std::to_string(i) + "\n";
  EXPECT_EQ(refusal(many), "db/XAPIANDB:257: more than 256 shards");
}

TEST(DatabaseOpen, LayoutsAndTheirOpening) {
  dateline::test::TempDir dir;
  const fs::path glass = dir.path() / "glass";
  {
    Xapian::WritableDatabase w(glass.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document doc;
    doc.add_term("word");
    w.add_document(doc);
    w.commit();
  }
  EXPECT_EQ(database::layout(glass.string()), database::Layout::kGlass);
  EXPECT_EQ(database::layout((dir.path() / "none").string()), database::Layout::kMissing);
  EXPECT_EQ(database::layout(dir.path().string()), database::Layout::kOther);
  EXPECT_EQ(database::open_for_reading(glass.string()).get_doccount(), 1u);
  EXPECT_THROW(database::open_for_reading((dir.path() / "none").string()), Xapian::DatabaseNotFoundError);
  EXPECT_THROW(database::open_for_reading(dir.path().string()), Xapian::DatabaseNotFoundError);

  // A stub directory with two local shards (one relative, one absolute): both are searched.
  const fs::path stubdir = dir.path() / "stubdir";
  fs::create_directory(stubdir);
  write_file(stubdir / "XAPIANDB", "auto ../glass\nglass " + glass.string() + "\n");
  EXPECT_EQ(database::layout(stubdir.string()), database::Layout::kStubDir);
  EXPECT_EQ(database::open_for_reading(stubdir.string()).get_doccount(), 2u);

  // A stub file naming a stub (directory or file) is refused: no nesting, no loops.
  const fs::path nested = dir.path() / "nested";
  write_file(nested, "auto stubdir\n");
  EXPECT_EQ(database::layout(nested.string()), database::Layout::kStubFile);
  try {
    database::open_for_reading(nested.string());
    FAIL() << "a nested stub was opened";
  } catch (const database::StubError& e) {
    EXPECT_EQ(std::string(e.what()), nested.string() + ":1: " + (dir.path() / "stubdir").string() +
                                         " is itself a stub; stubs inside stubs are not followed");
  }
  const fs::path loop = dir.path() / "loop";
  write_file(loop, "auto loop\n");
  EXPECT_THROW(database::open_for_reading(loop.string()), database::StubError);
  const fs::path missing = dir.path() / "missing";
  write_file(missing, "\nglass nowhere\n");
  try {
    database::open_for_reading(missing.string());
    FAIL();
  } catch (const database::StubError& e) {
    EXPECT_EQ(std::string(e.what()),
              missing.string() + ":2: no database at " + (dir.path() / "nowhere").string());
  }
}

TEST(DatabaseOpen, WritersRefuseStubs) {
  dateline::test::TempDir dir;
  const fs::path stubdir = dir.path() / "db";
  fs::create_directory(stubdir);
  write_file(stubdir / "XAPIANDB", "remote :./run.sh\n");
  try {
    database::open_for_writing(stubdir.string(), Xapian::DB_CREATE_OR_OPEN);
    FAIL();
  } catch (const database::StubError& e) {
    EXPECT_EQ(std::string(e.what()), (stubdir / "XAPIANDB").string() +
                                         ":1: 'remote :PROGRAM' starts a program; Dateline never runs one");
  }
  write_file(stubdir / "XAPIANDB", "auto elsewhere\n");
  try {
    database::open_for_writing(stubdir.string(), Xapian::DB_CREATE_OR_OPEN);
    FAIL();
  } catch (const database::StubError& e) {
    EXPECT_EQ(std::string(e.what()),
              (stubdir / "XAPIANDB").string() +
                  ": a stub file (a list of databases); dateline-index writes only a database directory");
  }
  EXPECT_FALSE(fs::exists(stubdir / "iamglass"));
  // A new path is created as glass.
  auto w = database::open_for_writing((dir.path() / "new").string(), Xapian::DB_CREATE_OR_OPEN);
  EXPECT_TRUE(fs::exists(dir.path() / "new" / "iamglass"));
}
