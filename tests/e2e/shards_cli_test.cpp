/** @file
 *  @brief Shards end to end (issue 25): the same articles indexed into one database and into 3 shards
 *  (dateline-index --shards) give the same dateline-search answers; --compact; remote shards served by
 *  two xapian-tcpsrv processes on 127.0.0.1; a remote shard down or silent is one line and exit 2.
 *
 *  The articles: the first kArticles records of the news corpus (../shared/corpora/news/news.jsonl from the
 *  source tree or its parent, or $DATELINE_NEWS_CORPUS), else index-fixtures/articles.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xapian.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/schema.h"
#include "tests/support/test_support.h"

extern char** environ;

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::RunResult;
using nlohmann::json;

namespace {

constexpr int kArticles = 2000;

std::string bin(const std::string& name) {
  return (bin_dir() / name).string();
}

using dateline::test::news_corpus;

/// The input of a test: the corpus's first `n` records copied into `dir`, else the fixture articles.
std::string input(const fs::path& dir, int n) {
  const auto corpus = news_corpus();
  if (!corpus) return (dateline::test::fixtures_dir() / "articles").string();
  std::ifstream in(*corpus, std::ios::binary);
  const fs::path out_path = dir / "news.jsonl";
  std::ofstream out(out_path, std::ios::binary);
  std::string line;
  for (int i = 0; i < n && std::getline(in, line); ++i) out << line << '\n';
  return out_path.string();
}

RunResult index(const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin("dateline-index"), "-q"};
  argv.insert(argv.end(), args.begin(), args.end());
  return dateline::test::run(argv);
}

RunResult search(const std::string& db, const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin("dateline-search"), "--db", db};
  argv.insert(argv.end(), args.begin(), args.end());
  return dateline::test::run(argv);
}

/// Queries of every kind: words, phrases, fields, filters, sorting, no match.
const std::vector<std::vector<std::string>> kQueries = {
    {"ukraine"},
    {"election", "results"},
    {"\"prime minister\""},
    {"oil", "prices", "--sort", "-date"},
    {"bank", "--outlet", "Reuters"},
    {"title:market"},
    {"government", "AND", "tax"},
    {"football", "OR", "cricket", "--match", "any"},
    {"the"},
    {"zzqxv"},
};

/// The search flags every comparison uses: a page with snippets and three facets, totals exact, copies of
/// a story collapsed into one hit (the default): stories are linked across the shards.
std::vector<std::string> page_args(const std::vector<std::string>& query) {
  std::vector<std::string> a{"--format", "json", "--limit", "20", "--facet", "outlet", "--facet",
                             "speaker", "--facet", "year", "--exact-total"};
  a.insert(a.end(), query.begin(), query.end());
  return a;
}

int index_schema_version(const std::string& db) {
  const RunResult r = search(db, {"--info", "--format", "json"});
  if (r.exit_code != 0) return 0;
  return json::parse(r.out).value("index_schema_version", 0);
}

/// A free TCP port on 127.0.0.1 (the kernel's pick, released for the server to take).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

/// One xapian-tcpsrv serving `db` on 127.0.0.1, killed (and reaped) when this goes.
class TcpServer {
 public:
  explicit TcpServer(const std::string& db) {
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) {
      port_ = free_port();
      const std::string port = std::to_string(port_);
      std::vector<std::string> args{"xapian-tcpsrv", "--port",  port, "--interface",
                                    "127.0.0.1",     "--quiet", db};
      std::vector<char*> argv;
      for (auto& s : args) argv.push_back(s.data());
      argv.push_back(nullptr);
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
      posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
      // Its own process group: on SIGTERM xapian-tcpsrv signals its whole group (the connections it
      // forked), which must not be this test's.
      posix_spawnattr_t attr;
      posix_spawnattr_init(&attr);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
      pid_t pid = -1;
      const int rc = posix_spawnp(&pid, "xapian-tcpsrv", &fa, &attr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      posix_spawnattr_destroy(&attr);
      if (rc != 0) return;  // not installed
      bool reaped = false;
      for (int i = 0; i < 100; ++i) {
        int status = 0;
        reaped = ::waitpid(pid, &status, WNOHANG) == pid;
        if (reaped) break;  // exited: the port was taken meanwhile
        if (accepts(port_)) {
          pid_ = pid;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (pid_ < 0 && !reaped && pid > 0) {
        ::kill(-pid, SIGKILL);  // the group it leads
        ::waitpid(pid, nullptr, 0);
      }
    }
  }
  ~TcpServer() { stop(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  void stop() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);  // the server and the connections it forked: the group it leads
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

/// A stub of two `remote` lines, on 127.0.0.1 at `port0` and `port1`.
void write_remote_stub(const std::string& stub, int port0, int port1) {
  std::ofstream(stub, std::ios::binary) << "remote 127.0.0.1:" << port0 << "\nremote 127.0.0.1:" << port1 << "\n";
}

/// The two shards of `db` served by two xapian-tcpsrv, and a stub `stub` listing them.
struct ServedShards {
  ServedShards(const std::string& db, const std::string& stub_path)
      : s0(db + "/shard-00"), s1(db + "/shard-01"), stub(stub_path) {
    write_remote_stub(stub, s0.port(), s1.port());
  }
  bool running() const { return s0.running() && s1.running(); }
  TcpServer s0, s1;
  std::string stub;
};

bool xapian_tcpsrv_installed() {
  return dateline::test::run({"/bin/sh", "-c", "command -v xapian-tcpsrv"}).exit_code == 0;
}

/// Xapian's refusal of a weighting scheme or match spy the remote server does not know (schema 2's
/// KindBM25Weight and FacetSpy): remote search works once schema 3 uses Xapian's built-in ones.
bool remote_cannot_unserialise(const RunResult& r) {
  return r.exit_code != 0 && (r.err.find("not registered") != std::string::npos ||
                              r.err.find("not suitable for use with remote searches") != std::string::npos);
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// The articles indexed once into one database and once into `shards` shards (for all tests of a suite).
struct Indexed {
  dateline::test::TempDir dir;
  std::string one, sharded, input;
  bool ok = false;
};

Indexed& indexed() {
  // A static object, not a leaked one: its TempDir (two databases, ~120 MB) is removed when the test
  // process exits, as ctest runs each test in a process of its own.
  static Indexed built;
  static const bool once = [] {
    Indexed* x = &built;
    x->input = input(x->dir.path(), kArticles);
    x->one = (x->dir.path() / "one").string();
    x->sharded = (x->dir.path() / "three").string();
    // One batch: one database links a batch's articles in date-then-id order, as the shards' run links
    // what it wrote across them (with batches of 500, a copy dated before a story's first copy that comes
    // in a later batch joins the story under the other's name).
    const RunResult a = index({"--db", x->one, "--batch-size", "100000", x->input});
    const RunResult b = index({"--db", x->sharded, "--shards", "3", x->input});
    x->ok = a.exit_code == 0 && b.exit_code == 0;
    if (!x->ok) ADD_FAILURE() << a.err << b.err;
    return true;
  }();
  (void)once;
  return built;
}

}  // namespace

/// Every hit of `query` (collapsed) as the sorted ids of the story's copies it shows ("a b c"), sorted:
/// which stories matched and which copies each folded. Which copy is the hit is left out: copies of equal
/// score are told apart by docid, which differs between one database and its shards.
std::vector<std::string> stories(const std::string& db, const std::vector<std::string>& query) {
  std::vector<std::string> args{"--format", "json", "--limit", "100000"};
  args.insert(args.end(), query.begin(), query.end());
  const RunResult r = search(db, args);
  std::vector<std::string> out;
  const json j = json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.contains("hits")) return {r.out};
  for (const auto& h : j["hits"]) {
    std::vector<std::string> copies{h["id"].get<std::string>()};
    if (h.contains("copies")) {
      for (const auto& c : h["copies"]) copies.push_back(c.is_object() ? c.value("id", "") : c.dump());
    }
    std::sort(copies.begin(), copies.end());
    std::string line;
    for (const auto& c : copies) line += (line.empty() ? "" : " ") + c;
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The story (its id and every copy, `--story`) of each article of the stories with copies that "the"
/// matches in `reference`, until at least `n` are read; both databases' records are compared.
std::vector<std::string> story_records(const std::string& db, const std::string& reference, size_t n) {
  std::vector<std::string> out;
  for (const auto& group : stories(reference, {"the"})) {
    if (group.find(' ') == std::string::npos) continue;
    if (out.size() >= n) break;
    for (size_t at = 0, sp; at < group.size(); at = sp + 1) {
      sp = std::min(group.find(' ', at), group.size());
      out.push_back(search(db, {"--story", group.substr(at, sp - at), "--format", "json"}).out);
    }
  }
  return out;
}

TEST(LocalShards, TotalsFacetsAndMatchesEqualOneDatabase) {
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  for (const auto& q : kQueries) {
    const RunResult a = search(x.one, page_args(q));
    const RunResult b = search(x.sharded, page_args(q));
    ASSERT_EQ(a.exit_code, b.exit_code) << q[0] << ": " << a.err << b.err;
    ASSERT_TRUE(a.exit_code == 0 || a.exit_code == 1) << a.err;
    const json ja = json::parse(a.out);
    const json jb = json::parse(b.out);
    EXPECT_EQ(ja["total"], jb["total"]) << q[0];
    EXPECT_EQ(ja["facets"], jb["facets"]) << q[0];
    // Every matching article, in any order; then every story with its copies.
    std::vector<std::string> all{"--format", "ids", "--limit", "100000", "--copies", "show"};
    all.insert(all.end(), q.begin(), q.end());
    auto ids = [&](const std::string& db) {
      std::string out = search(db, all).out;
      std::vector<std::string> lines;
      for (size_t at = 0, nl; (nl = out.find('\n', at)) != std::string::npos; at = nl + 1) {
        lines.push_back(out.substr(at, nl - at));
      }
      std::sort(lines.begin(), lines.end());
      return lines;
    };
    EXPECT_EQ(ids(x.one), ids(x.sharded)) << q[0];
    EXPECT_EQ(stories(x.one, q), stories(x.sharded, q)) << q[0];
  }
  // Facet counts against a count of the same match filtered to the value: each document counted once,
  // however often the searcher ran the match (a page ending in a run of equal scores ran it again, and
  // the spies counted every run: 1,745 for 349).
  for (const auto& q : kQueries) {
    const json j = json::parse(search(x.one, page_args(q)).out, nullptr, false);
    if (j.is_discarded() || j["facets"]["outlet"].empty()) continue;
    const json& top = j["facets"]["outlet"][0];
    std::vector<std::string> count{"--count", "--outlet", top["value"].get<std::string>()};
    count.insert(count.end(), q.begin(), q.end());
    EXPECT_EQ(search(x.sharded, count).out, std::to_string(top["count"].get<uint64_t>()) + "\n") << q[0];
    // Collapsed, the total still counts articles (Xapian 1.4's uncollapsed bound gave 438 for 467).
    std::vector<std::string> show = page_args(q);
    show.insert(show.begin(), {"--copies", "show"});
    EXPECT_EQ(json::parse(search(x.one, show).out)["total"]["value"], j["total"]["value"]) << q[0];
  }
  // The story ids themselves: the same copy names each story.
  // (The fixture articles, used where the corpus is missing, hold no story with copies.)
  const auto named = story_records(x.one, x.one, 40);
  if (news_corpus()) {
    EXPECT_GE(named.size(), 40u);
  }
  EXPECT_EQ(named, story_records(x.sharded, x.one, 40));
  // Counting and listing see every shard.
  EXPECT_EQ(search(x.one, {"--count", "the"}).out, search(x.sharded, {"--count", "the"}).out);
  EXPECT_EQ(search(x.one, {"--list", "outlets"}).out, search(x.sharded, {"--list", "outlets"}).out);
}

// Two JSON pages equal, scores to 12 significant digits: Xapian adds the shards' statistics in another
// order than one database's, which can change a score's last bit or two (14.030243826329228 and ...226).
bool same_page(const std::string& a, const std::string& b) {
  if (a == b) return true;
  json ja = json::parse(a, nullptr, false), jb = json::parse(b, nullptr, false);
  if (ja.is_discarded() || jb.is_discarded() || !ja.contains("hits") || !jb.contains("hits")) return false;
  for (json* j : {&ja, &jb}) {
    for (auto& h : (*j)["hits"]) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.12g", h["score"].get<double>());
      h["score"] = buf;
    }
  }
  return ja == jb;
}

TEST(LocalShards, RankingAndSnippetsEqualOneDatabase) {
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  std::string differ;
  for (const auto& q : kQueries) {
    const RunResult a = search(x.one, page_args(q));
    const RunResult b = search(x.sharded, page_args(q));
    if (same_page(a.out, b.out)) continue;
    differ += " [" + q[0] + "]";
    ADD_FAILURE() << q[0] << ":\n" << a.out << "\n" << b.out;
  }
  if (!differ.empty() && index_schema_version(x.one) == 2) {
    GTEST_SKIP() << "schema 2: scores differ for" << differ
                 << ": KindBM25Weight takes its per-kind average lengths from the metadata, which Xapian "
                    "reads from the first shard only (database::summed_lengths() gives the sums; the "
                    "Searcher does not use them yet). Schema 3's built-in BM25Weight takes Xapian's merged "
                    "statistics.";
  }
  EXPECT_EQ(differ, "") << "queries whose page differs between one database and 3 shards";
}

TEST(LocalShards, InfoShowsEachShardAndReRunsChangeNothing) {
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  const RunResult info = search(x.sharded, {"--info", "--format", "json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const json j = json::parse(info.out);
  ASSERT_EQ(j["shards"].size(), 3u);
  uint64_t articles = 0;
  for (int s = 0; s < 3; ++s) {
    EXPECT_EQ(j["shards"][s]["name"], (fs::path(x.sharded) / ("shard-0" + std::to_string(s))).string());
    EXPECT_EQ(j["shards"][s]["open"], true);
    articles += j["shards"][s]["articles"].get<uint64_t>();
  }
  EXPECT_EQ(articles, j["articles"].get<uint64_t>());
  const json one = json::parse(search(x.one, {"--info", "--format", "json"}).out);
  EXPECT_EQ(one["articles"], j["articles"]);
  EXPECT_EQ(one["passages"], j["passages"]);
  EXPECT_FALSE(one.contains("shards"));

  // A second run finds the count in the stub and every article where it left it.
  const RunResult again = dateline::test::run({bin("dateline-index"), "--json", "--db", x.sharded, x.input});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const json r = json::parse(again.out);
  EXPECT_EQ(r["added"], 0);
  EXPECT_EQ(r["updated"], 0);
  EXPECT_EQ(r["unchanged"], one["articles"]);
}

// A second run, --delete, re-adding and --rebuild link copies across the shards as one database links
// them: the stories, their copies, their ids and the collapsed pages stay equal.
TEST(LocalShards, IncrementalRunsAndDeletesKeepStoriesAsOneDatabase) {
  // Copies of stories split over two runs need the corpus's records (the fixtures are a folder of
  // articles with no syndicated copy among them).
  if (!news_corpus()) GTEST_SKIP() << "the news corpus (../shared/corpora/news/news.jsonl) is not on this machine";
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  dateline::test::TempDir dir;
  // The corpus's first records in two files: the second run brings copies of stories the first began.
  std::ifstream in(x.input, std::ios::binary);
  const std::string first = (dir.path() / "first.jsonl").string(), second = (dir.path() / "second.jsonl").string();
  {
    std::ofstream a(first, std::ios::binary), b(second, std::ios::binary);
    std::string line;
    for (int i = 0; std::getline(in, line); ++i) (i % 2 == 0 ? a : b) << line << '\n';
  }
  const std::string one = (dir.path() / "one").string(), two = (dir.path() / "two").string();
  for (const std::string& file : {first, second}) {
    ASSERT_EQ(index({"--db", one, "--batch-size", "100000", file}).exit_code, 0);
    ASSERT_EQ(index({"--db", two, "--shards", "2", file}).exit_code, 0);
  }
  const std::vector<std::vector<std::string>> queries = {{"the"}, {"election", "results"}, {"ukraine"}};
  size_t folded = 0;
  for (const auto& q : queries) {
    const auto a = stories(one, q);
    EXPECT_EQ(a, stories(two, q)) << q[0];
    for (const auto& line : a) folded += line.find(' ') != std::string::npos;
    EXPECT_TRUE(same_page(search(one, page_args(q)).out, search(two, page_args(q)).out)) << q[0];
  }
  EXPECT_GT(folded, 0u) << "no story with copies: the comparison shows nothing";
  EXPECT_EQ(story_records(one, one, 20), story_records(two, one, 20));
  // Delete a copy of a story with copies: the others keep their story.
  std::string victim;
  for (const auto& line : stories(one, {"the"})) {
    if (line.find(' ') != std::string::npos) {
      victim = line.substr(0, line.find(' '));
      break;
    }
  }
  ASSERT_FALSE(victim.empty());
  ASSERT_EQ(index({"--db", one, "--delete", victim}).exit_code, 0);
  ASSERT_EQ(index({"--db", two, "--delete", victim}).exit_code, 0);
  for (const auto& q : queries) EXPECT_EQ(stories(one, q), stories(two, q)) << q[0] << " after --delete";
  // The deleted article comes back: it joins the story its copies kept, in both.
  ASSERT_EQ(index({"--db", one, "--batch-size", "100000", first, second}).exit_code, 0);
  ASSERT_EQ(index({"--db", two, first, second}).exit_code, 0);
  for (const auto& q : queries) EXPECT_EQ(stories(one, q), stories(two, q)) << q[0] << " after re-adding";
  EXPECT_EQ(story_records(one, one, 20), story_records(two, one, 20));
  // --rebuild: the shards' articles come back under docids they may have had; all are linked again.
  ASSERT_EQ(index({"--db", one, "--batch-size", "100000", "--rebuild", first, second}).exit_code, 0);
  ASSERT_EQ(index({"--db", two, "--rebuild", first, second}).exit_code, 0);
  for (const auto& q : queries) EXPECT_EQ(stories(one, q), stories(two, q)) << q[0] << " after --rebuild";
}

TEST(ShardedIndexCli, RefusalsAreOneLineAndExit2) {
  dateline::test::TempDir dir;
  const std::string in = (dir.path() / "in.jsonl").string();
  write_file(in, "{\"id\":\"a1\",\"title\":\"Harbour\",\"text\":\"The harbour.\"}\n");
  const std::string one = (dir.path() / "one").string();
  ASSERT_EQ(index({"--db", one, in}).exit_code, 0);
  RunResult r = index({"--db", one, "--shards", "2", in});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: " + one +
                       " is one database; --shards makes a new sharded database in a new or empty folder\n");
  const std::string two = (dir.path() / "two").string();
  ASSERT_EQ(index({"--db", two, "--shards", "2", in}).exit_code, 0);
  r = index({"--db", two, "--shards", "3", in});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: " + two +
                       " holds 2 shards; --shards 3 would look for its articles in other shards (index into "
                       "a new folder to change the count, or merge them with --compact)\n");
  r = index({"--db", (dir.path() / "x").string(), "--shards", "9", in});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: --shards must be between 1 and 8\n");
  // Standard input is read once for every shard.
  const std::string y = (dir.path() / "y").string();
  r = dateline::test::run(
      {bin("dateline-index"), "-q", "--db", y, "--shards", "2", "-"},
      "{\"id\":\"a\",\"text\":\"The harbour.\"}\n{\"id\":\"b\",\"text\":\"The harbour.\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(search(y, {"--count", "harbour"}).out, "2\n");
}

TEST(CompactCli, OneDatabaseSearchesTheSameShardsMergeFromSchema3) {
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  dateline::test::TempDir dir;
  const std::string compacted = (dir.path() / "compacted").string();
  RunResult r = index({"--db", x.one, "--compact", compacted});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& q : kQueries) {
    EXPECT_EQ(search(x.one, page_args(q)).out, search(compacted, page_args(q)).out) << q[0];
  }
  r = index({"--db", x.one, "--compact", (dir.path() / "other").string(), x.input});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-index: --compact copies the --db database as it is: give no inputs, --delete, "
                   "--prune, --rebuild, --dry-run or --shards with it\n");
  const std::string merged = (dir.path() / "merged").string();
  r = index({"--db", x.sharded, "--compact", merged});
  if (index_schema_version(x.one) == 2) {
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "dateline-index: " + x.sharded +
                         ": its 3 shards have index schema 2, whose article and passage documents lie in "
                         "two docid ranges that merging would mix; merging shards needs schema 3 (one "
                         "document per article). Compact each shard, or index the articles into one "
                         "database\n");
    EXPECT_FALSE(fs::exists(merged));
    return;
  }
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& q : kQueries) {
    EXPECT_EQ(search(x.one, page_args(q)).out, search(merged, page_args(q)).out) << q[0];
  }
  // The metadata the shards each hold for their own articles is merged: length totals summed, each stem's
  // forms joined (schema 4), as one database built from all the articles has them.
  const Xapian::Database one(x.one), all(merged);
  EXPECT_EQ(all.get_metadata(std::string(dateline::schema::kMetaArticleLength)),
            one.get_metadata(std::string(dateline::schema::kMetaArticleLength)));
  EXPECT_EQ(all.get_metadata(std::string(dateline::schema::kMetaPassageCount)),
            one.get_metadata(std::string(dateline::schema::kMetaPassageCount)));
  const std::string prefix(dateline::schema::kMetaFormsPrefix);
  size_t keys = 0;
  for (auto k = one.metadata_keys_begin(prefix); k != one.metadata_keys_end(prefix); ++k, ++keys) {
    EXPECT_EQ(all.get_metadata(*k), one.get_metadata(*k)) << *k;
  }
  EXPECT_GT(keys, 100u);
}

TEST(RemoteShards, TwoTcpServersAnswerAsLocalShards) {
  if (!xapian_tcpsrv_installed()) GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) is not installed";
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "two").string();
  const RunResult made = index({"--db", db, "--shards", "2", input(dir.path(), 1000)});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const ServedShards served(db, (dir.path() / "remote.stub").string());
  ASSERT_TRUE(served.running());
  const std::string& stub = served.stub;
  for (const auto& q : kQueries) {
    std::vector<std::string> args = page_args(q);
    args.insert(args.begin(), "--allow-remote");
    const RunResult remote = search(stub, args);
    if (remote_cannot_unserialise(remote)) {
      GTEST_SKIP() << "xapian-tcpsrv unserialises only Xapian's own weighting schemes and match spies; "
                      "schema 2's KindBM25Weight and FacetSpy are Dateline's (turns on with schema 3): "
                   << remote.err;
    }
    const RunResult local = search(db, page_args(q));
    EXPECT_EQ(remote.exit_code, local.exit_code) << q[0] << ": " << remote.err;
    // Hits, totals, stories and facets as the same shards give them locally. (The spies once saw a
    // match twice when the page's end fell in a run of equal scores and get_mset ran again; over
    // xapian-tcpsrv the second run merged the servers' counts in again: 352 for 349.)
    json r = json::parse(remote.out, nullptr, false), l = json::parse(local.out, nullptr, false);
    ASSERT_FALSE(r.is_discarded() || l.is_discarded()) << q[0] << ": " << remote.out;
    EXPECT_EQ(r["facets"], l["facets"]) << q[0];
    EXPECT_EQ(r["total"], l["total"]) << q[0];
    EXPECT_EQ(stories(stub, [&] {
                std::vector<std::string> a{"--allow-remote"};
                a.insert(a.end(), q.begin(), q.end());
                return a;
              }()),
              stories(db, q))
        << q[0];
    EXPECT_TRUE(same_page(r.dump(), l.dump())) << q[0] << ":\n" << remote.out << "\n" << local.out;
  }
}

// A shard that does not open: one line and exit 2, or with --allow-partial the others' answer, flagged
// partial with the missing shard named.
TEST(LocalShards, AllowPartialNamesTheMissingShard) {
  Indexed& x = indexed();
  ASSERT_TRUE(x.ok);
  dateline::test::TempDir dir;
  const std::string stub = (dir.path() / "stub").string();
  const std::string missing = (dir.path() / "gone").string();
  write_file(stub, "glass " + (fs::path(x.sharded) / "shard-00").string() + "\nglass " + missing + "\n");
  const RunResult strict = search(stub, {"--count", "the"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find(":2: no database at " + missing), std::string::npos) << strict.err;
  const RunResult partial = search(stub, {"--allow-partial", "--format", "json", "--limit", "1", "the"});
  ASSERT_EQ(partial.exit_code, 0) << partial.err;
  const json j = json::parse(partial.out);
  EXPECT_EQ(j["partial"], true);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["warnings"][0], "shard " + missing + " did not open (--allow-partial): its articles are missing");
  const std::string shard0 = (fs::path(x.sharded) / "shard-00").string();
  const json one = json::parse(search(shard0, {"--format", "json", "--limit", "1", "the"}).out);
  EXPECT_EQ(j["total"], one["total"]);
}

TEST(RemoteShards, DownOrSilentServerIsOneLineAndExit2) {
  if (!xapian_tcpsrv_installed()) GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) is not installed";
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "two").string();
  ASSERT_EQ(index({"--db", db, "--shards", "2", input(dir.path(), 200)}).exit_code, 0);
  TcpServer s0(db + "/shard-00");
  ASSERT_TRUE(s0.running());
  TcpServer s1(db + "/shard-01");
  ASSERT_TRUE(s1.running());
  const int down = s1.port();
  s1.stop();  // nothing listens there now
  const std::string stub = (dir.path() / "remote.stub").string();
  write_remote_stub(stub, s0.port(), down);
  RunResult r = search(stub, {"--allow-remote", "--remote-timeout", "2", "harbour"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("dateline-search: " + stub + ":2: remote shard 127.0.0.1:" + std::to_string(down) +
                            " (timeout 2 s): Couldn't connect",
                        0),
            0u)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.out, "");
  // A server that accepts the connection and never speaks: the timeout ends the wait.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
  const int silent = ntohs(a.sin_port);
  write_remote_stub(stub, s0.port(), silent);
  r = search(stub, {"--allow-remote", "--remote-timeout", "0.5", "harbour"});
  ::close(fd);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("dateline-search: " + stub + ":2: remote shard 127.0.0.1:" + std::to_string(silent) +
                            " (timeout 0.5 s): ",
                        0),
            0u)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // A bad --remote-timeout.
  r = search(stub, {"--allow-remote", "--remote-timeout", "0", "harbour"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "dateline-search: --remote-timeout: expected seconds from 0.001 to 3600, got '0'\n");
}

namespace {

std::string copy_record(const std::string& id, const std::string& outlet, const std::string& date) {
  json j{{"id", id},
         {"outlet", outlet},
         {"title", "Norland raises rates"},
         {"text",
          "The central bank of Norland raised its main interest rate by half a point on Tuesday, saying the "
          "krone's fall had made imports dearer.\n\nGovernor Ana Veld told reporters in Stenby that the bank "
          "would keep raising rates until prices steadied and the krone recovered."}};
  if (!date.empty()) j["date"] = date;
  return j.dump() + "\n";
}

// Each article of the shards under `dir`: id -> the ids its story's copies list holds (schema.h
// kSlotStoryCopyList).
std::map<std::string, std::vector<std::string>> stored_lists(const std::string& dir, int shards) {
  namespace schema = dateline::schema;
  std::map<std::string, std::vector<std::string>> out;
  for (int s = 0; s < shards; ++s) {
    Xapian::Database x(dir + "/shard-0" + std::to_string(s));
    for (auto p = x.postlist_begin(""); p != x.postlist_end(""); ++p) {
      const Xapian::Document doc = x.get_document(*p);
      const std::string v = doc.get_value(schema::kSlotStoryCopyList);
      if (v.empty()) continue;
      auto& list = out[doc.get_value(schema::kSlotArticleId)];
      const std::optional<std::vector<schema::ListedCopy>> copies = schema::decode_copy_list(v);
      if (!copies.has_value()) {
        list.push_back("(damaged)");
        continue;
      }
      for (const schema::ListedCopy& c : *copies) list.push_back(c.id);
    }
  }
  return out;
}

// Copies of one story that tie in score, spread over two shards: shown by the earliest (date, then id),
// the others listed by date, locally and through two xapian-tcpsrv alike; a copy deleted from one shard
// leaves the lists in both.
TEST(RemoteShards, TiedCopiesAcrossShardsAnswerAsLocal) {
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "two").string();
  const std::string in = (dir.path() / "copies.jsonl").string();
  write_file(in, copy_record("a-late", "Reuters", "2024-03-03") + copy_record("b-undated", "Evening Star", "") +
                     copy_record("c-mid", "Daily Courier", "2024-03-02") +
                     copy_record("d-early", "Harwick Post", "2024-03-01") +
                     copy_record("e-mid", "Stenby Times", "2024-03-02"));
  RunResult made = index({"--db", db, "--shards", "2", in});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::vector<std::string> all{"d-early", "c-mid", "e-mid", "a-late", "b-undated"};
  auto lists = stored_lists(db, 2);
  ASSERT_EQ(lists.size(), 5u);
  for (const auto& [id, list] : lists) EXPECT_EQ(list, all) << id;

  auto check = [&](const std::vector<std::string>& copies) {
    const RunResult local = search(db, {"--format", "json", "krone"});
    ASSERT_EQ(local.exit_code, 0) << local.err;
    const json l = json::parse(local.out);
    ASSERT_EQ(l["hits"].size(), 1u) << local.out;
    EXPECT_EQ(l["hits"][0]["id"], "d-early");
    std::vector<std::string> listed;
    for (const auto& c : l["hits"][0]["copies"]) listed.push_back(c["id"]);
    EXPECT_EQ(listed, copies);
    if (!xapian_tcpsrv_installed()) return;
    const ServedShards served(db, (dir.path() / "remote.stub").string());
    ASSERT_TRUE(served.running());
    const std::string& stub = served.stub;
    const RunResult remote = search(stub, {"--allow-remote", "--format", "json", "krone"});
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_TRUE(same_page(remote.out, local.out)) << remote.out << "\n" << local.out;
    EXPECT_EQ(search(stub, {"--allow-remote", "--format", "ids", "--outlet", "Reuters", "--outlet",
                            "Evening Star", "krone"})
                  .out,
              "a-late\n");
  };
  check({"c-mid", "e-mid", "a-late", "b-undated"});
  // Which shard each copy is in depends on its id's hash: the copy deleted is in one, the lists in both.
  ASSERT_EQ(index({"--db", db, "--shards", "2", "--delete", "c-mid"}).exit_code, 0);
  lists = stored_lists(db, 2);
  ASSERT_EQ(lists.size(), 4u);
  for (const auto& [id, list] : lists) {
    EXPECT_EQ(list, (std::vector<std::string>{"d-early", "e-mid", "a-late", "b-undated"})) << id;
  }
  check({"e-mid", "a-late", "b-undated"});
}

// One database served whole by one xapian-tcpsrv, where most articles have copies: Xapian keeps that
// server's collapse counts, so which hits folded copies comes from the match, and the copy shown when
// copies tie (the earliest, indexed last here) from one match over the page's stories, whose hits are read
// after it. The pages equal the local ones, with filters that leave a story one copy, and sorted by date.
TEST(RemoteShards, OneRemoteDatabaseOfCopiesAnswersAsLocal) {
  if (!xapian_tcpsrv_installed()) GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) is not installed";
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "one").string();
  const std::string in = (dir.path() / "copies.jsonl").string();
  json lone{{"id", "z-lone"},
            {"outlet", "Reuters"},
            {"date", "2024-03-05"},
            {"title", "Krone steadies"},
            {"text", "The krone steadied against the euro on Friday as traders waited for the bank."}};
  write_file(in, copy_record("a-late", "Reuters", "2024-03-03") + copy_record("b-undated", "Evening Star", "") +
                     copy_record("c-mid", "Daily Courier", "2024-03-02") +
                     copy_record("d-early", "Harwick Post", "2024-03-01") + lone.dump() + "\n");
  ASSERT_EQ(index({"--db", db, in}).exit_code, 0);
  TcpServer server(db);
  ASSERT_TRUE(server.running());
  const std::string stub = (dir.path() / "remote.stub").string();
  std::ofstream(stub, std::ios::binary) << "remote 127.0.0.1:" << server.port() << "\n";
  const std::vector<std::vector<std::string>> queries{
      {"krone"}, {"--outlet", "Reuters", "krone"}, {"--sort", "-date", "krone"}, {"--copies", "show", "krone"},
      {"--outlet", "Reuters", "--outlet", "Evening Star", "bank"}, {"--facet", "outlet", "imports"}};
  for (const auto& q : queries) {
    std::vector<std::string> args{"--format", "json"};
    args.insert(args.end(), q.begin(), q.end());
    const RunResult local = search(db, args);
    ASSERT_EQ(local.exit_code, 0) << local.err;
    args.insert(args.begin(), "--allow-remote");
    const RunResult remote = search(stub, args);
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    EXPECT_TRUE(same_page(remote.out, local.out)) << q.back() << ":\n" << remote.out << "\n" << local.out;
  }
  const json j = json::parse(search(stub, {"--allow-remote", "--format", "json", "krone"}).out);
  ASSERT_EQ(j["hits"].size(), 2u);
  EXPECT_EQ(j["hits"][0]["id"], "z-lone");
  EXPECT_FALSE(j["hits"][0].contains("copies"));
  EXPECT_EQ(j["hits"][1]["id"], "d-early");
  ASSERT_TRUE(j["hits"][1].contains("copies"));
  EXPECT_EQ(j["hits"][1]["copies"].size(), 3u);
  EXPECT_EQ(j["total"], json({{"value", 5}, {"exact", true}, {"stories", 2}}));
  // Reuters ran one copy: alone in this answer, it folds none.
  const json r = json::parse(search(stub, {"--allow-remote", "--format", "json", "--outlet", "Reuters", "krone"}).out);
  ASSERT_EQ(r["hits"].size(), 2u);
  for (const auto& h : r["hits"]) EXPECT_FALSE(h.contains("copies")) << h.dump();
}

// Over remote shards a query's name-variant lookups are read at once over the extra connections (two reads
// per key, which cost two round trips each in a row): the expansions, and so the pages, are the local ones.
TEST(RemoteShards, NameVariantsReadAtOnceAnswerAsLocal) {
  if (!xapian_tcpsrv_installed()) GTEST_SKIP() << "xapian-tcpsrv (xapian-tools) is not installed";
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "two").string();
  const std::string names = (dateline::test::fixtures_dir() / "names").string();
  const std::string articles = (dateline::test::fixtures_dir() / "articles").string();
  ASSERT_EQ(index({"--db", db, "--shards", "2", names, articles}).exit_code, 0);
  const ServedShards served(db, (dir.path() / "remote.stub").string());
  ASSERT_TRUE(served.running());
  size_t expanded = 0;
  for (const std::string q : {"Zelensky", "Kiev", "Zelenskyy speech", "Kyiv NEAR/5 mayor", "kiev OR zelenskiy"}) {
    const RunResult local = search(db, {"--format", "json", "--explain", q});
    const RunResult remote = search(served.stub, {"--allow-remote", "--format", "json", "--explain", q});
    ASSERT_LE(local.exit_code, 1) << local.err;  // 1: nothing matched
    ASSERT_EQ(remote.exit_code, local.exit_code) << remote.err;
    EXPECT_TRUE(same_page(remote.out, local.out)) << q << ":\n" << remote.out << "\n" << local.out;
    const json l = json::parse(local.out), r = json::parse(remote.out);
    ASSERT_EQ(l["hits"].size(), r["hits"].size()) << q;
    for (size_t i = 0; i < l["hits"].size(); ++i) {
      const json& le = l["hits"][i]["explain"];
      const json& re = r["hits"][i]["explain"];
      EXPECT_EQ(le.value("name_expansions", json::array()), re.value("name_expansions", json::array())) << q;
      expanded += !le.value("name_expansions", json::array()).empty();
    }
  }
  EXPECT_GT(expanded, 0u);  // the fixtures' names have other spellings
}

}  // namespace

namespace {

// A story of more copies than a list holds (schema.h kMaxListedCopies) over two local shards: no copy carries
// a list, so the hit's copies come from the story's posting list, and the match over the page's stories asks
// for them all; with the tie keys gone (a database made before them) and a damaged list, the answer is the same.
TEST(LocalShards, AStoryLargerThanAListIsListedFromItsCopies) {
  dateline::test::TempDir dir;
  const std::string db = (dir.path() / "two").string();
  const std::string in = (dir.path() / "many.jsonl").string();
  std::string records;
  const int copies = static_cast<int>(dateline::schema::kMaxListedCopies) + 4;
  for (int i = 0; i < copies; ++i) {
    char id[16], date[16];
    std::snprintf(id, sizeof id, "k-%03d", i);
    std::snprintf(date, sizeof date, "2024-02-%02d", 1 + i % 27);
    records += copy_record(id, "Reuters", i == 57 ? "2024-01-15" : date);
  }
  // A second story that ranks first, with more copies than the two stories' lists would hold together:
  // the match over the page's stories must ask again for them all to find the first story's copies.
  for (int i = 0; i < 2 * copies; ++i) {
    json j{{"id", "m-" + std::to_string(i)},
           {"outlet", "BBC News"},
           {"date", "2024-03-01"},
           {"title", "Krone falls"},
           {"text", "The krone fell again. Traders sold the krone, and the krone ended the week at its lowest."}};
    records += j.dump() + "\n";
  }
  write_file(in, records);
  ASSERT_EQ(index({"--db", db, "--shards", "2", in}).exit_code, 0);
  auto answer = [&] {
    const RunResult r = search(db, {"--format", "json", "krone"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  const std::string before = answer();
  const json j = json::parse(before);
  ASSERT_EQ(j["hits"].size(), 2u) << before;
  EXPECT_EQ(j["hits"][0]["id"], "m-0");  // all on one date: the smallest id
  EXPECT_EQ(j["hits"][0]["copies"].size(), static_cast<size_t>(2 * copies - 1));
  const json& k = j["hits"][1];
  EXPECT_EQ(k["id"], "k-057");  // the earliest of copies that all tie
  ASSERT_EQ(k["copies"].size(), static_cast<size_t>(copies - 1));
  EXPECT_EQ(k["copies"][0], json({{"id", "k-000"}, {"outlet", "Reuters"}, {"date", "2024-02-01"}}));
  EXPECT_EQ(k["copies"][1]["id"], "k-027");  // the same date: by id
  EXPECT_EQ(stored_lists(db, 2).size(), 0u);
  // Over two xapian-tcpsrv the copies are read several at once over the extra connections: the same answer.
  if (xapian_tcpsrv_installed()) {
    const ServedShards served(db, (dir.path() / "remote.stub").string());
    ASSERT_TRUE(served.running());
    const RunResult r = search(served.stub, {"--allow-remote", "--format", "json", "krone"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(same_page(r.out, before)) << r.out << "\n" << before;
  }
  // Made before the tie keys, and a list damaged by hand: read from the copies instead.
  for (int s = 0; s < 2; ++s) {
    Xapian::WritableDatabase w(db + "/shard-0" + std::to_string(s));
    for (auto p = w.postlist_begin(""); p != w.postlist_end(""); ++p) {
      Xapian::Document doc = w.get_document(*p);
      doc.remove_value(dateline::schema::kSlotStoryTieKey);
      doc.add_value(dateline::schema::kSlotStoryCopyList, std::string("\x7f" "broken", 7));
      w.replace_document(*p, doc);
    }
    w.commit();
  }
  EXPECT_EQ(answer(), before);
}

}  // namespace
