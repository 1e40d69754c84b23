/** @file
 *  @brief End-to-end: three saved pages served on 127.0.0.1, crawled with wget --warc-file, indexed by
 *  dateline-index (twice: the second run changes nothing) and found by dateline-search with their metadata.
 */
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::run;
using dateline::test::RunResult;
using dateline::test::source_dir;
using dateline::test::TempDir;
using nlohmann::json;

namespace {

bool have(const std::string& program) {
  return run({"/bin/sh", "-c", "command -v " + program + " >/dev/null"}).exit_code == 0;
}

/// `python3 -m http.server` on 127.0.0.1 with a port the OS picks; stopped (by its pid) on destruction.
class Server {
 public:
  explicit Server(const fs::path& dir) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string d = dir.string();
    std::vector<std::string> args{"python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", d};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawnp(&pid_, "python3", &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    FILE* out = fdopen(fds[0], "r");
    char line[512];
    if (pid_ > 0 && out != nullptr && std::fgets(line, sizeof line, out) != nullptr) {
      std::string l = line;
      size_t at = l.find(" port ");
      if (at != std::string::npos) port_ = std::atoi(l.c_str() + at + 6);
    }
    out_ = out;
  }
  ~Server() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  FILE* out_ = nullptr;
};

json summary(const RunResult& r) {
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  size_t nl = out.rfind('\n');
  return json::parse(nl == std::string::npos ? out : out.substr(nl + 1), nullptr, false);
}

TEST(WarcCrawl, WgetCrawlIsIndexedAndEveryPageFoundWithItsMetadata) {
  if (!have("wget")) GTEST_SKIP() << "wget is not installed (scripts/deps.sh installs it)";
  TempDir tmp;
  fs::path site = tmp.path() / "site";
  fs::create_directories(site);
  const std::vector<std::string> pages{"016_tribune242.html", "027_nydailynews.html", "028_al-com.html"};
  for (const auto& p : pages) fs::copy_file(source_dir() / "tests" / "data" / "html" / p, site / p);
  Server server(site);
  ASSERT_GT(server.port(), 0) << "http.server did not start";
  std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/";

  std::vector<std::string> wget{"/usr/bin/env", "wget", "--quiet", "--warc-file=" + (tmp.path() / "crawl").string(),
                                "--output-document=/dev/null", "--no-proxy"};
  for (const auto& p : pages) wget.push_back(base + p);
  RunResult w = run(wget);
  ASSERT_EQ(w.exit_code, 0) << w.err;
  fs::path warc = tmp.path() / "crawl.warc.gz";
  ASSERT_TRUE(fs::exists(warc));

  // Extraction: every page, its URL as id, its metadata from the markup.
  RunResult dry = run({(bin_dir() / "dateline-index").string(), "--dry-run", "--json", warc.string()});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  std::map<std::string, json> by_id;
  for (size_t pos = 0; pos < dry.out.size();) {
    size_t nl = dry.out.find('\n', pos);
    json j = json::parse(dry.out.substr(pos, nl - pos), nullptr, false);
    if (j.is_object() && j.value("type", "") == "article") by_id[j["id"]] = j;
    pos = nl == std::string::npos ? dry.out.size() : nl + 1;
  }
  ASSERT_EQ(by_id.size(), 3u) << dry.out << dry.err;
  json nyd = by_id[base + "027_nydailynews.html"];
  EXPECT_EQ(nyd["title"], "Michelle Obama suggests America has lost hope since Donald Trump\xE2\x80\x99s election");
  EXPECT_EQ(nyd["outlet"], "New York Daily News");
  EXPECT_EQ(nyd["date"], "2016-12-16");
  EXPECT_EQ(nyd["url"], base + "027_nydailynews.html");
  EXPECT_EQ(nyd["sources"]["title"], "meta");
  json al = by_id[base + "028_al-com.html"];
  EXPECT_EQ(al["title"], "Two arrested in multi-state debit card skimming scheme");
  EXPECT_TRUE(al["date"] == "2016-12-22" || al["date"] == "2016-12-23") << al["date"];
  json trib = by_id[base + "016_tribune242.html"];
  EXPECT_EQ(trib["title"], "Two more gunned down");
  EXPECT_EQ(trib["author"], "Earyel Bowleg");
  // wget's own log record (text/plain) is counted as skipped, in one warning.
  EXPECT_NE(dry.err.find("3 HTML pages read"), std::string::npos) << dry.err;

  // Indexing, then again: the second run finds everything unchanged (the URL is a stable id).
  fs::path db = tmp.path() / "db";
  RunResult first = run({(bin_dir() / "dateline-index").string(), "--db", db.string(), "--json", warc.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(summary(first).value("added", -1), 3) << first.out;
  RunResult second = run({(bin_dir() / "dateline-index").string(), "--db", db.string(), "--json", warc.string()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(summary(second).value("added", -1), 0) << second.out;
  EXPECT_EQ(summary(second).value("unchanged", -1), 3) << second.out;

  // Each page is found by words of its body.
  const std::vector<std::pair<std::string, std::string>> queries{
      {"Michelle Obama hope", "027_nydailynews.html"},
      {"debit card skimming", "028_al-com.html"},
      {"gunned down", "016_tribune242.html"}};
  for (const auto& [q, page] : queries) {
    RunResult s = run({(bin_dir() / "dateline-search").string(), "--db", db.string(), "--format", "ids", q});
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(s.out.substr(0, s.out.find('\n')), base + page) << q << ": " << s.out;
  }
}

}  // namespace
