/** @file
 *  @brief What the real binaries open as a database (analyzers/database.h): never a program named by a
 *  stub, whichever way the path is given (--db, $DATELINE_DB, ./dateline-db); stubs of local shards work;
 *  remote shards only with --allow-remote. And how databases are created and replaced: a kill -9 while
 *  creating one leaves nothing a later run refuses, a bulk build is swapped in whole under readers,
 *  read-only and full disks are named as such, --rebuild leaves foreign databases alone without --force.
 */
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/database.h"
#include "indexer/indexer.h"
#include "indexer/writer.h"
#include "tests/support/test_support.h"

extern char** environ;

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

// `n` JSON Lines records of about 1 kB each, ids n-00000...
std::string records(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    char id[32];
    std::snprintf(id, sizeof id, "n-%05d", i);
    std::string text;
    for (int p = 0; p < 3; ++p) {
      text += p > 0 ? "\\n\\n" : "";
      for (int w = 0; w < 40; ++w) text += "harbour" + std::to_string((i * 13 + p * 7 + w) % 997) + " ";
    }
    out += std::string("{\"id\":\"") + id + "\",\"title\":\"Harbour " + id + "\",\"text\":\"" + text +
           "\"}\n";
  }
  return out;
}

// Entries of `dir` whose name starts with `prefix`.
std::vector<std::string> entries(const fs::path& dir, const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(prefix)) found.push_back(name);
  }
  return found;
}

// A process started in the background (output discarded); SIGKILLed if still running when destroyed.
class Child {
 public:
  explicit Child(std::vector<std::string> argv) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    if (::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~Child() {
    if (pid_ > 0 && code_ < 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  bool started() const { return pid_ > 0; }
  bool finished() {
    int status = 0;
    if (code_ < 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) record(status);
    return code_ >= 0;
  }
  int wait() {
    int status = 0;
    while (code_ < 0 && ::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    if (code_ < 0) record(status);
    return code_;
  }
  int kill9() {
    ::kill(pid_, SIGKILL);
    return wait();
  }

 private:
  void record(int status) { code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }
  pid_t pid_ = -1;
  int code_ = -1;
};

}  // namespace

namespace {

// kill -9 while a new database is being created: the run made it beside (.db.dateline-new-*), so the path
// holds nothing or the whole new database, and the same command again completes (and clears the litter).
TEST(NewDatabase, KillNineWhileCreatingLeavesNothingALaterRunRefuses) {
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(20));
  const fs::path db = dir.path() / "db";
  int killed_creating = 0;
  for (int attempt = 0; attempt < 30 && killed_creating < 3; ++attempt) {
    fs::remove_all(db);
    Child child({bin("dateline-index"), "--db", db.string(), (dir.path() / "in.jsonl").string()});
    ASSERT_TRUE(child.started());
    bool killed = false;
    const auto t0 = std::chrono::steady_clock::now();
    while (!child.finished() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(30)) {
      if (!entries(dir.path(), ".db.dateline-new-").empty()) {
        killed = child.kill9() == 128 + SIGKILL;
        break;
      }
    }
    if (!killed) continue;
    ++killed_creating;
    // Nothing at the path, or the database whole (the rename landed before the signal).
    if (fs::exists(db)) {
      EXPECT_TRUE(fs::exists(db / "iamglass"));
    }
    RunResult again = run_in(dir.path(), "dateline-index", {"--db", "db", "in.jsonl"});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    RunResult s = run_in(dir.path(), "dateline-search", {"--db", "db", "--count", "harbour5"});
    EXPECT_EQ(s.exit_code, 0) << s.err;
    EXPECT_TRUE(entries(dir.path(), ".db.dateline-").empty()) << "litter left beside the database";
  }
  if (killed_creating == 0) GTEST_SKIP() << "no run could be killed while creating the database";
}

// What an in-place creation killed early leaves (older builds created there): Xapian's lock file and
// tables, no iamglass. The searcher says to create the database; the indexer then does.
TEST(NewDatabase, InPlaceRemnantIsRecognisedAndStartedAgain) {
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(3));
  fs::create_directory(dir.path() / "db");
  write_file(dir.path() / "db" / "flintlock", "");
  write_file(dir.path() / "db" / "postlist.glass", "");
  write_file(dir.path() / "db" / "v.tmp", "x");
  RunResult s = run_in(dir.path(), "dateline-search", {"--db", "db", "harbour"});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_EQ(s.err, "dateline-search: db: no Dateline database here; create one with: dateline-index --db db "
                   "FILES...\n");
  RunResult i = run_in(dir.path(), "dateline-index", {"--db", "db", "in.jsonl"});
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_EQ(run_in(dir.path(), "dateline-search", {"--db", "db", "--count", "harbour"}).out, "3\n");

  // A database that lost its version file (tables with data) is damage: refused, never emptied.
  fs::create_directory(dir.path() / "lost");
  write_file(dir.path() / "lost" / "flintlock", "");
  write_file(dir.path() / "lost" / "postlist.glass", std::string(8192, 'x'));
  RunResult l = run_in(dir.path(), "dateline-index", {"--db", "lost", "in.jsonl"});
  EXPECT_EQ(l.exit_code, 2);
  EXPECT_EQ(l.err, "dateline-index: lost: exists and is not a Xapian database; refusing to write into it\n");
  EXPECT_EQ(fs::file_size(dir.path() / "lost" / "postlist.glass"), 8192u);

  // A folder with other files is still never written into.
  fs::create_directory(dir.path() / "mine");
  write_file(dir.path() / "mine" / "flintlock", "");
  write_file(dir.path() / "mine" / "notes.txt", "mine");
  RunResult m = run_in(dir.path(), "dateline-index", {"--db", "mine", "in.jsonl"});
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_EQ(m.err, "dateline-index: mine: exists and is not a Xapian database; refusing to write into it\n");
  EXPECT_TRUE(fs::exists(dir.path() / "mine" / "notes.txt"));
}

// A bulk build swaps the merged database in whole: readers opening it all along see a Dateline database
// (empty, then finished), never "not a Dateline database".
TEST(BulkBuild, ReadersNeverSeeAHalfSwappedDatabase) {
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(3000));
  const fs::path db = dir.path() / "db";
  for (int round = 0; round < 2; ++round) {
    // Round 0 builds a new database, round 1 rebuilds it.
    std::vector<std::string> argv{bin("dateline-index"), "--db", db.string(), "--writers", "2",
                                  "--threads", "2"};
    if (round == 1) argv.push_back("--rebuild");
    argv.push_back((dir.path() / "in.jsonl").string());
    Child child(argv);
    ASSERT_TRUE(child.started());
    uint64_t opened = 0;
    int searches = 0;
    std::vector<std::string> problems;
    while (!child.finished()) {
      if (!fs::exists(db)) continue;
      // Every few opens, the real searcher: never exit 2.
      if (opened % 50 == 0 && searches < 40) {
        ++searches;
        RunResult s =
            dateline::test::run({bin("dateline-search"), "--db", db.string(), "--count", "harbour"});
        if (s.exit_code > 1) problems.push_back("dateline-search: " + s.err);
      }
      // An open straddling the swap may fail (the searcher then opens again): a problem is one that happens
      // while the database stayed the same.
      const std::string before = dateline::database::generation(db.string());
      std::string problem;
      try {
        Xapian::Database d(db.string(), Xapian::DB_BACKEND_GLASS);
        if (d.get_metadata("dateline.schema_version").empty()) problem = "no stamp";
        ++opened;
      } catch (const Xapian::DatabaseModifiedError&) {
      } catch (const Xapian::Error& e) {
        problem = e.get_description();
      }
      if (!problem.empty() && dateline::database::generation(db.string()) == before) {
        problems.push_back(problem);
      }
    }
    EXPECT_EQ(child.wait(), 0);
    EXPECT_TRUE(problems.empty()) << "round " << round << ": " << problems.size() << " problems, the first: "
                                  << problems.front();
    EXPECT_GT(opened, 0u);
    EXPECT_EQ(run_in(dir.path(), "dateline-search", {"--db", "db", "--count", "harbour"}).out, "3000\n");
    EXPECT_TRUE(entries(dir.path(), ".db.dateline-").empty()) << "litter left beside the database";
    EXPECT_FALSE(fs::exists(db / "dateline-bulk.tmp"));
  }
}

// A database this user may not write is reported as such, not as "locked by another dateline-index".
TEST(WriteProblems, ReadOnlyDatabaseSaysPermissionDenied) {
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(3));
  ASSERT_EQ(run_in(dir.path(), "dateline-index", {"--db", "db", "in.jsonl"}).exit_code, 0);
  fs::permissions(dir.path(), fs::perms::all, fs::perm_options::add);
  const auto writable = fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
  fs::permissions(dir.path() / "db", writable, fs::perm_options::remove);
  for (const auto& e : fs::directory_iterator(dir.path() / "db")) {
    fs::permissions(e.path(), writable, fs::perm_options::remove);
  }
  // root may write anything: run as nobody then (setpriv, util-linux).
  std::vector<std::string> argv;
  if (::geteuid() == 0) {
    if (!fs::exists("/usr/bin/setpriv")) GTEST_SKIP() << "running as root without setpriv";
    argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
  }
  argv.insert(argv.end(), {bin("dateline-index"), "--db", (dir.path() / "db").string(),
                           (dir.path() / "in.jsonl").string()});
  RunResult r = dateline::test::run(argv);
  const std::string db = (dir.path() / "db").string();
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err, "dateline-index: " + db +
                       ": cannot write the database: Permission denied (Unable to get write lock on " + db +
                       ": Couldn't open lockfile: Permission denied)\n");
}

// Xapian's "Error writing block 67" is a full disk: the message says so.
TEST(WriteProblems, FullDiskSaysNoSpaceLeftOnDevice) {
  const Xapian::DatabaseError full("Error writing block 67", ENOSPC);
  EXPECT_EQ(dateline::write_problem(full), "No space left on device");
  EXPECT_EQ(dateline::write_problem(Xapian::DatabaseLockError(
                "Unable to get write lock on db: Couldn't open lockfile: Permission denied")),
            "Permission denied");
  const Xapian::DatabaseLockError locked("Unable to get write lock on db: already locked");
  EXPECT_EQ(dateline::write_problem(locked), "");
  EXPECT_EQ(dateline::write_problem(Xapian::DatabaseCorruptError("EOF reading block 4")), "");
  std::string message;
  try {
    try {
      throw full;
    } catch (const Xapian::Error&) {
      dateline::rethrow_database_error("db");
    }
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  EXPECT_EQ(message, "db: cannot write the database: No space left on device (Error writing block 67)");

  // A real full disk when a 1 MB file system can be mounted (root in a sandbox that allows it).
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(3000));
  const fs::path small = dir.path() / "small";
  fs::create_directory(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (" << std::strerror(errno) << "): mapping tested only";
  }
  for (const std::string writers : {"1", "2"}) {
    RunResult r = dateline::test::run({bin("dateline-index"), "--db", (small / ("db" + writers)).string(),
                                       "--writers", writers, (dir.path() / "in.jsonl").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }
  ::umount2(small.c_str(), MNT_DETACH);
}

// --rebuild empties a Dateline database, but a Xapian database that Dateline did not create only with
// --force.
TEST(Rebuild, ForeignDatabaseNeedsForce) {
  TempDir dir;
  write_file(dir.path() / "in.jsonl", records(2));
  {
    Xapian::WritableDatabase foreign((dir.path() / "theirs").string(),
                                     Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::Document doc;
    doc.add_term("precious");
    foreign.add_document(doc);
    foreign.commit();
  }
  RunResult r = run_in(dir.path(), "dateline-index", {"--db", "theirs", "--rebuild", "in.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: theirs: a Xapian database without Dateline's stamp, holding 1 document; "
                   "--rebuild would erase it (add --force to do that)\n");
  EXPECT_EQ(Xapian::Database((dir.path() / "theirs").string()).get_termfreq("precious"), 1u);

  RunResult f = run_in(dir.path(), "dateline-index", {"--force", "in.jsonl", "--db", "theirs"});
  EXPECT_EQ(f.exit_code, 2);
  EXPECT_EQ(f.err,
            "dateline-index: --force goes with --rebuild (it lets --rebuild empty a foreign database)\n");

  RunResult ok = run_in(dir.path(), "dateline-index", {"--db", "theirs", "--rebuild", "--force", "in.jsonl"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(run_in(dir.path(), "dateline-search", {"--db", "theirs", "--count", "harbour1"}).exit_code, 0);
  // Its own database needs no --force.
  RunResult own = run_in(dir.path(), "dateline-index", {"--db", "theirs", "--rebuild", "in.jsonl"});
  EXPECT_EQ(own.exit_code, 0) << own.err;
}

}  // namespace
