/** @file
 *  @brief What the real binaries open as a database (analyzers/database.h): never a program named by a
 *  stub, whichever way the path is given (--db, $DATELINE_DB, ./dateline-db); stubs of local shards work;
 *  remote shards only with --allow-remote.
 */
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::RunResult;
using dateline::test::TempDir;

namespace {

std::string bin(const std::string& name) {
  return (bin_dir() / name).string();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << file;
}

// Runs `program` with `args` in folder `cwd`, with $DATELINE_DB set to `env_db` (unset when empty).
RunResult run_in(const fs::path& cwd, const std::string& program, const std::vector<std::string>& args,
                 const std::string& env_db = "") {
  std::vector<std::string> argv{"/usr/bin/env", "-C", cwd.string(), "-u", "DATELINE_DB"};
  if (!env_db.empty()) argv.push_back("DATELINE_DB=" + env_db);
  argv.push_back(bin(program));
  argv.insert(argv.end(), args.begin(), args.end());
  return dateline::test::run(argv);
}

// A folder with run.sh (which would create MARKER), a stub directory dateline-db/XAPIANDB and a stub
// file stub.txt, both saying `remote :/.../run.sh`, and an input file.
class StubAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(script(), "#!/bin/sh\ntouch '" + marker().string() + "'\n");
    fs::permissions(script(), fs::perms::owner_all);
    fs::create_directory(dir_.path() / "dateline-db");
    write_file(dir_.path() / "dateline-db" / "XAPIANDB", "remote :" + script().string() + "\n");
    write_file(dir_.path() / "stub.txt", "# shards\nremote :" + script().string() + " --flag\n");
    write_file(dir_.path() / "in.jsonl", "{\"id\":\"a1\",\"title\":\"Harbour\",\"text\":\"The harbour.\"}\n");
  }
  fs::path script() const { return dir_.path() / "run.sh"; }
  fs::path marker() const { return dir_.path() / "MARKER"; }

  TempDir dir_;
};

const std::string kProgramRefused = "'remote :PROGRAM' starts a program; Dateline never runs one\n";

// The attack is real: Xapian's own auto-detection runs the program (so the tests below can fail).
TEST_F(StubAttack, XapianAutoDetectionWouldRunTheProgram) {
  try {
    Xapian::Database db((dir_.path() / "dateline-db").string());
  } catch (const Xapian::Error&) {
    // run.sh is no Xapian server: the open fails, after starting it.
  }
  EXPECT_TRUE(fs::exists(marker()));
}

TEST_F(StubAttack, NeitherBinaryRunsTheProgramWhicheverWayThePathIsGiven) {
  struct Way {
    std::string name;
    std::vector<std::string> db_args;  // --db ... or nothing
    std::string env_db;                // $DATELINE_DB, or "" (unset)
    std::string stub;                  // the stub file named in the error
  };
  const std::vector<Way> ways = {
      {"--db folder", {"--db", "dateline-db"}, "", "dateline-db/XAPIANDB:1: "},
      {"--db folder/XAPIANDB", {"--db", "dateline-db/XAPIANDB"}, "", "dateline-db/XAPIANDB:1: "},
      {"--db file", {"--db", "stub.txt"}, "", "stub.txt:2: "},
      {"$DATELINE_DB folder", {}, "dateline-db", "dateline-db/XAPIANDB:1: "},
      {"$DATELINE_DB file", {}, "stub.txt", "stub.txt:2: "},
      {"default ./dateline-db", {}, "", "dateline-db/XAPIANDB:1: "},
  };
  for (const Way& way : ways) {
    std::vector<std::string> search_args = way.db_args;
    search_args.push_back("harbour");
    RunResult s = run_in(dir_.path(), "dateline-search", search_args, way.env_db);
    EXPECT_EQ(s.exit_code, 2) << way.name << ": " << s.err;
    EXPECT_EQ(s.err, "dateline-search: " + way.stub + kProgramRefused) << way.name;
    EXPECT_EQ(s.out, "") << way.name;

    std::vector<std::string> index_args = way.db_args;
    index_args.push_back("in.jsonl");
    RunResult i = run_in(dir_.path(), "dateline-index", index_args, way.env_db);
    EXPECT_EQ(i.exit_code, 2) << way.name << ": " << i.err;
    EXPECT_EQ(i.err, "dateline-index: " + way.stub + kProgramRefused) << way.name;

    // --rebuild reads the old settings first: no more a way in than a plain run.
    index_args.insert(index_args.begin(), "--rebuild");
    RunResult r = run_in(dir_.path(), "dateline-index", index_args, way.env_db);
    EXPECT_EQ(r.exit_code, 2) << way.name << ": " << r.err;
    EXPECT_EQ(r.err, "dateline-index: " + way.stub + kProgramRefused) << way.name;

    // --allow-remote never lets a program through.
    search_args.insert(search_args.begin(), "--allow-remote");
    RunResult a = run_in(dir_.path(), "dateline-search", search_args, way.env_db);
    EXPECT_EQ(a.exit_code, 2) << way.name << ": " << a.err;
    EXPECT_EQ(a.err, "dateline-search: " + way.stub + kProgramRefused) << way.name;
  }
  EXPECT_FALSE(fs::exists(marker())) << "a stub started a program";
  // Nothing was created beside the stub.
  EXPECT_FALSE(fs::exists(dir_.path() / "dateline-db" / "iamglass"));
}

// A stub of local glass shards is searched; a stub naming a stub, an in-memory or chert database is
// refused with its line; TCP shards need --allow-remote.
TEST(StubFiles, LocalShardsSearchedOtherKindsRefused) {
  TempDir dir;
  write_file(dir.path() / "a.jsonl", "{\"id\":\"a1\",\"title\":\"Harbour\",\"text\":\"The harbour.\"}\n");
  write_file(dir.path() / "b.jsonl", "{\"id\":\"b1\",\"title\":\"Harbour\",\"text\":\"A harbour too.\"}\n");
  ASSERT_EQ(run_in(dir.path(), "dateline-index", {"--db", "one", "a.jsonl"}).exit_code, 0);
  ASSERT_EQ(run_in(dir.path(), "dateline-index", {"--db", "two", "b.jsonl"}).exit_code, 0);
  fs::create_directory(dir.path() / "both");
  write_file(dir.path() / "both" / "XAPIANDB", "auto ../one\nglass " + (dir.path() / "two").string() + "\n");

  RunResult s = run_in(dir.path(), "dateline-search", {"--db", "both", "--format", "ids", "harbour"});
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(s.out, "a1\nb1\n");

  struct Case {
    std::string stub;
    std::string err;
  };
  const std::vector<Case> cases = {
      {"auto both\n", "stub:1: both is itself a stub; stubs inside stubs are not followed"},
      {"auto one\nauto stub\n", "stub:2: stub is itself a stub; stubs inside stubs are not followed"},
      {"inmemory\n", "stub:1: 'inmemory' databases are not supported"},
      {"chert one\n",
       "stub:1: unsupported stub line 'chert' (Dateline reads auto PATH, glass PATH and remote HOST:PORT "
       "lines)"},
      {"remote 127.0.0.1:1\n",
       "stub:1: remote shard '127.0.0.1:1' refused (dateline-search --allow-remote enables TCP shards)"},
  };
  for (const Case& c : cases) {
    write_file(dir.path() / "stub", c.stub);
    RunResult r = run_in(dir.path(), "dateline-search", {"--db", "stub", "harbour"});
    EXPECT_EQ(r.exit_code, 2) << c.stub;
    EXPECT_EQ(r.err, "dateline-search: " + c.err + "\n") << c.stub;
  }

  // With --allow-remote the TCP shard is tried (nothing listens on port 1: a connection error).
  write_file(dir.path() / "stub", "remote 127.0.0.1:1\n");
  RunResult r = run_in(dir.path(), "dateline-search", {"--db", "stub", "--allow-remote", "harbour"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.find("refused (dateline-search"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stub"), std::string::npos) << r.err;
}

}  // namespace
