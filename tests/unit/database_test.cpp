/** @file
 *  @brief Tests of database opening: the stub parser line by line, layouts, nested stubs, stubs for writers.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analyzers/database.h"
#include "analyzers/schema.h"
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

namespace {

// A glass database at `path` with a Dateline stamp (version, analyzer), length totals and `docs` documents.
void make_stamped(const fs::path& path, int version, const std::string& analyzer, int docs = 1,
                  dateline::schema::Lengths lengths = {}) {
  Xapian::WritableDatabase w(path.string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  dateline::schema::write_stamp(w, analyzer);
  if (version != dateline::schema::kVersion) {
    w.set_metadata(std::string(dateline::schema::kMetaVersion), std::to_string(version));
  }
  dateline::schema::write_lengths(w, lengths);
  for (int i = 0; i < docs; ++i) {
    Xapian::Document d;
    d.add_term(std::string(dateline::schema::kKindArticle));
    w.add_document(d);
  }
  w.commit();
}

const std::string kEnglish = "language=english;fold_accents=1;possessives=1";

}  // namespace

TEST(ShardOpen, EachShardOpenedOnItsOwnAndFailuresNamed) {
  dateline::test::TempDir dir;
  make_stamped(dir.path() / "a", dateline::schema::kVersion, kEnglish, 2, {10, 20});
  make_stamped(dir.path() / "b", dateline::schema::kVersion, kEnglish, 3, {5, 7});
  const fs::path stub = dir.path() / "stub";
  write_file(stub, "glass a\n# gone:\nglass missing\nglass b\n");

  const auto shards = database::open_shards(stub.string());
  ASSERT_EQ(shards.size(), 3u);
  EXPECT_TRUE(shards[0].db.has_value());
  EXPECT_FALSE(shards[1].db.has_value());
  EXPECT_EQ(shards[1].where, stub.string() + ":3: ");
  EXPECT_EQ(shards[1].error, "no database at " + (dir.path() / "missing").string());
  EXPECT_TRUE(shards[2].db.has_value());

  // Strict: the first shard that failed, as one line naming the stub's line.
  try {
    database::open_database(stub.string());
    FAIL();
  } catch (const database::StubError& e) {
    EXPECT_EQ(std::string(e.what()),
              stub.string() + ":3: no database at " + (dir.path() / "missing").string());
  }
  // allow_partial: the others, and the missing one named.
  database::OpenOptions partial;
  partial.allow_partial = true;
  const database::OpenedDatabase opened = database::open_database(stub.string(), partial);
  EXPECT_EQ(opened.db.get_doccount(), 5u);
  ASSERT_EQ(opened.missing.size(), 1u);
  EXPECT_EQ(opened.missing[0], (dir.path() / "missing").string());
  // Schema 2's length totals: Xapian gives the first shard's metadata only; summed_lengths() adds them.
  EXPECT_EQ(dateline::schema::read_lengths(opened.db).articles, 10u);
  EXPECT_EQ(database::summed_lengths(opened.shards).articles, 15u);
  EXPECT_EQ(database::summed_lengths(opened.shards).passages, 27u);

  // Every shard failing is an error even with allow_partial.
  write_file(stub, "glass missing\nglass missing2\n");
  try {
    database::open_database(stub.string(), partial);
    FAIL();
  } catch (const database::StubError& e) {
    const std::string missing = (dir.path() / "missing").string();
    EXPECT_EQ(std::string(e.what()),
              stub.string() + ":1: no database at " + missing + " (and every other shard failed)");
  }
}

TEST(ShardOpen, DownRemoteShardIsOneLineNamingItAndTheTimeout) {
  dateline::test::TempDir dir;
  make_stamped(dir.path() / "a", dateline::schema::kVersion, kEnglish);
  const fs::path stub = dir.path() / "stub";
  // Port 1 on loopback: nothing listens there (tcpmux), so the connection is refused at once.
  write_file(stub, "glass a\nremote 127.0.0.1:1\n");
  database::OpenOptions o;
  o.allow_remote = true;
  o.remote_timeout_ms = 1500;
  try {
    database::open_for_reading(stub.string(), o);
    FAIL();
  } catch (const database::StubError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.rfind(stub.string() + ":2: remote shard 127.0.0.1:1 (timeout 1.5 s): ", 0), 0u) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  o.allow_partial = true;
  const auto opened = database::open_database(stub.string(), o);
  EXPECT_EQ(opened.db.get_doccount(), 1u);
  EXPECT_EQ(opened.missing, std::vector<std::string>{"127.0.0.1:1"});
  const auto info = database::shard_info(stub.string(), o);
  ASSERT_EQ(info.size(), 2u);
  EXPECT_TRUE(info[0].open);
  EXPECT_EQ(info[0].articles, 1u);
  EXPECT_EQ(info[0].analyzer, kEnglish);
  EXPECT_FALSE(info[1].open);
  EXPECT_EQ(info[1].kind, "remote");
  EXPECT_NE(info[1].error.find("Connection refused"), std::string::npos) << info[1].error;
}

TEST(ShardOpen, MixedSchemasOrAnalyzersAreRefused) {
  dateline::test::TempDir dir;
  make_stamped(dir.path() / "a", dateline::schema::kVersion, kEnglish);
  make_stamped(dir.path() / "none", dateline::schema::kVersion, "language=none;fold_accents=1;possessives=1");
  make_stamped(dir.path() / "old", 1, kEnglish);
  {
    Xapian::WritableDatabase w((dir.path() / "plain").string(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    w.commit();
  }
  const fs::path stub = dir.path() / "stub";
  auto refusal_of = [&](const std::string& text) -> std::string {
    write_file(stub, text);
    try {
      database::open_for_reading(stub.string());
      return "";
    } catch (const database::StubError& e) {
      return e.what();
    }
  };
  const std::string a = (dir.path() / "a").string();
  const std::string v = std::to_string(dateline::schema::kVersion);
  EXPECT_EQ(refusal_of("glass a\nglass a\n"), "");
  EXPECT_EQ(refusal_of("glass a\nglass none\n"),
            stub.string() + ":2: shard " + (dir.path() / "none").string() + " has schema version " + v +
                " and analyzer 'language=none;fold_accents=1;possessives=1', but shard " + a +
                " has schema version " + v + " and analyzer '" + kEnglish +
                "' (line 1): shards searched together must be indexed alike");
  EXPECT_EQ(refusal_of("glass a\n\nglass old\n"),
            stub.string() + ":3: shard " + (dir.path() / "old").string() +
                " has schema version 1 and analyzer '" + kEnglish + "', but shard " + a +
                " has schema version " + v + " and analyzer '" + kEnglish +
                "' (line 1): shards searched together must be indexed alike");
  EXPECT_EQ(refusal_of("glass plain\nglass a\n"),
            stub.string() + ":1: shard " + (dir.path() / "plain").string() +
                " is not a Dateline database (no dateline.schema_version stamp), unlike the other shards");
  // No stamp anywhere: opened, for the caller to say it is not a Dateline database.
  EXPECT_EQ(refusal_of("glass plain\nglass plain\n"), "");
}
