/** @file
 *  @brief Memory bounds of dateline-index for every input kind (issue 17): a plain-text gzip bomb, endless
 *  plain text on standard input, a huge sidecar, devices as inputs and `--manifest /dev/zero`, each run as a
 *  child under a 1 GiB address-space limit (RLIMIT_AS; not under AddressSanitizer, whose shadow memory needs
 *  terabytes of address space: there only the diagnostics are checked).
 *
 *  Each run must end on its own with the one-line diagnostic naming the input, the right exit code, and the
 *  other inputs indexed. Before the limits, these runs took 1.5 to 2+ GB (bench/RESULTS.md).
 */
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/test_support.h"

extern char** environ;

namespace fs = std::filesystem;
using dateline::test::bin_dir;
using dateline::test::TempDir;
using nlohmann::json;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

constexpr rlim_t kAddressSpace = rlim_t{1} << 30;  // 1 GiB: the runs above took 1.5 GB to 2+ GB
constexpr int kTimeoutSeconds = 120;

struct Child {
  int exit_code = -1;  ///< exit status, or 128 + signal
  std::string out, err;
};

constexpr uint64_t kEndless = UINT64_MAX;

/// Runs dateline-index with `args` under the address-space limit; stdout and stderr go to files in `dir`.
/// With `stdin_bytes` > 0, a writer thread feeds `line` over and over to its standard input, in blocks of
/// whole lines, until at least that many bytes are written (kEndless: until the pipe is closed, i.e. the
/// child exited or closed it, so the test ends whatever the child does with it); else stdin is /dev/null.
/// A child still running after kTimeoutSeconds is killed (exit code 128 + 9).
Child run_index(const fs::path& dir, std::vector<std::string> args, uint64_t stdin_bytes = 0,
                const std::string& line = "The harbour reopened.\n") {
  bool endless_stdin = stdin_bytes > 0;
  args.insert(args.begin(), (bin_dir() / "dateline-index").string());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  fs::path out = dir / "stdout", err = dir / "stderr";
  int in_pipe[2] = {-1, -1};
  if (endless_stdin && ::pipe(in_pipe) != 0) return {};
  ::signal(SIGPIPE, SIG_IGN);  // the writer learns of the closed pipe from EPIPE
  pid_t pid = ::fork();
  if (pid < 0) return {};
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    if (!kAsan) {
      struct rlimit limit {
        kAddressSpace, kAddressSpace
      };
      ::setrlimit(RLIMIT_AS, &limit);
    }
    int in = endless_stdin ? in_pipe[0] : ::open("/dev/null", O_RDONLY);
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || o < 0 || e < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (endless_stdin) ::close(in_pipe[1]);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(argv[0], argv.data(), environ);
    ::_exit(127);
  }
  std::thread writer;
  if (endless_stdin) {
    ::close(in_pipe[0]);
    int fd = in_pipe[1];
    writer = std::thread([fd, line, stdin_bytes] {
      std::string block;
      while (block.size() < 64 * 1024) block += line;
      auto write_block = [&] {
        for (size_t off = 0; off < block.size();) {
          ssize_t n = ::write(fd, block.data() + off, block.size() - off);
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) return false;  // EPIPE: nobody reads any more
          off += static_cast<size_t>(n);
        }
        return true;
      };
      for (uint64_t written = 0; written < stdin_bytes && write_block(); written += block.size()) {
      }
      ::close(fd);
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kTimeoutSeconds);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (writer.joinable()) writer.join();
  Child r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = dateline::test::read_file(out);
  r.err = dateline::test::read_file(err);
  return r;
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream f(file, std::ios::binary);
  f << text;
  ASSERT_TRUE(f.good()) << file;
}

/// A file of `size` bytes that starts with `head` and is a hole after it (no disk used).
void write_sparse(const fs::path& file, const std::string& head, uint64_t size) {
  write_file(file, head);
  ASSERT_EQ(::truncate(file.c_str(), static_cast<off_t>(size)), 0) << std::strerror(errno);
}

/// Gzip of `line` repeated until `bytes` bytes, made chunk by chunk (the text is never held whole).
std::string gzip_bomb(const std::string& line, uint64_t bytes) {
  std::string chunk;
  while (chunk.size() < (1u << 20)) chunk += line;
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out;
  char buf[1 << 16];
  for (uint64_t done = 0; done < bytes; done += chunk.size()) {
    bool last = done + chunk.size() >= bytes;
    zs.next_in = reinterpret_cast<Bytef*>(chunk.data());
    zs.avail_in = static_cast<uInt>(chunk.size());
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
      out.append(buf, sizeof buf - zs.avail_out);
    } while (zs.avail_out == 0);
  }
  deflateEnd(&zs);
  return out;
}

/// The --json summary: the last line of stdout.
json summary(const Child& r) {
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  size_t nl = out.rfind('\n');
  return json::parse(nl == std::string::npos ? out : out.substr(nl + 1), nullptr, false);
}

const char* const kGood =
    "Quiet harbour reopens\n\nBy Ann Author\n\nThe zanzibarite harbour reopened on Monday after repairs, "
    "officials said.\n";

/// The diagnostic lines of stderr ("dateline-index: FILE: reason"), the summary line left out, sorted (the
/// workers report as they go).
std::vector<std::string> diagnostics(const Child& r) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < r.err.size()) {
    size_t nl = r.err.find('\n', pos);
    if (nl == std::string::npos) nl = r.err.size();
    std::string line = r.err.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.find(" added, ") == std::string::npos && line.find(": created ") == std::string::npos &&
        line.find(": opened ") == std::string::npos)
      out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MemoryBounds, PlainTextGzipBombIsSkippedWithoutInflatingIt) {
  TempDir tmp;
  fs::path in = tmp.path() / "in";
  fs::create_directories(in);
  // 128 MiB of text in a few hundred KB.
  std::string bomb = gzip_bomb("The harbour reopened on Monday, officials said.\n", uint64_t{128} << 20);
  ASSERT_LT(bomb.size(), 1u << 20);
  write_file(in / "bomb.txt.gz", bomb);
  write_file(in / "good.txt", kGood);
  Child r = run_index(tmp.path(), {"--db", (tmp.path() / "db").string(), "--json", in.string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(diagnostics(r), (std::vector<std::string>{"dateline-index: " + (in / "bomb.txt.gz").string() +
                                                      ": article larger than 8 MiB (skipped)"}));
  json j = summary(r);
  ASSERT_TRUE(j.is_object()) << r.out << r.err;
  EXPECT_EQ(j.value("added", 0), 1);
  EXPECT_EQ(j["skipped"].size(), 1u);
}

TEST(MemoryBounds, EndlessPlainTextOnStandardInputIsCutAtTheLimit) {
  TempDir tmp;
  write_file(tmp.path() / "good.txt", kGood);
  Child r = run_index(tmp.path(), {"--db", (tmp.path() / "db").string(), "--json", "-",
                                   (tmp.path() / "good.txt").string()},
                      kEndless);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(diagnostics(r),
            (std::vector<std::string>{"dateline-index: <stdin>: article larger than 8 MiB (skipped)"}));
  json j = summary(r);
  ASSERT_TRUE(j.is_object()) << r.out << r.err;
  EXPECT_EQ(j.value("added", 0), 1);
}

TEST(MemoryBounds, MillionsOfBadLinesAreCountedNotListed) {
  TempDir tmp;
  write_file(tmp.path() / "good.txt", kGood);
  // 80 MiB of JSON Lines records without text on standard input: 8 million "record has no text" problems.
  // Listed, they took 2.1 GB (100 MB of them); now the first 1000 are listed and the rest counted. (ASan
  // parses ten times slower and sets no memory limit here: 8 MiB then, for the messages.)
  constexpr uint64_t kBytes = uint64_t{kAsan ? 8 : 80} << 20;
  Child r = run_index(tmp.path(), {"--db", (tmp.path() / "db").string(), "--json", "-",
                                   (tmp.path() / "good.txt").string()},
                      kBytes, "{\"id\": 1}\n");
  EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 2000);
  json j = summary(r);
  ASSERT_TRUE(j.is_object()) << r.out.substr(0, 2000) << r.err.substr(0, 2000);
  EXPECT_EQ(j.value("added", 0), 1);
  ASSERT_EQ(j["skipped"].size(), 1001u);
  // Sorted by file and line: the count (line 0) first, then lines 1 to 1000.
  EXPECT_EQ(j["skipped"][1].value("line", -1), 1);
  EXPECT_EQ(j["skipped"][1].value("reason", ""), "record has no text (no \"text\" or \"body\" field)");
  EXPECT_EQ(j["skipped"][1000].value("line", -1), 1000);
  json last = j["skipped"][0];
  EXPECT_EQ(last.value("path", ""), "<stdin>");
  EXPECT_EQ(last.value("line", -1), 0);
  std::string reason = last.value("reason", "");
  uint64_t n = std::strtoull(reason.c_str(), nullptr, 10);
  EXPECT_EQ(reason, std::to_string(n) + " more problems not listed (" + std::to_string(n) +
                        " of them skipped records)");
  // Every 10-byte line counted: at least kBytes, at most one 64 KiB block more, were written.
  EXPECT_GE(n + 1000, kBytes / 10);
  EXPECT_LE(n + 1000, (kBytes + 65540) / 10);
}

TEST(MemoryBounds, HugeSidecarAndDevicesAreNotReadWhole) {
  TempDir tmp;
  fs::path in = tmp.path() / "in";
  fs::create_directories(in);
  write_file(in / "good.txt", kGood);
  // 2 GiB sidecar (a sparse file): read whole, it would pass the 1 GiB limit alone.
  write_sparse(in / "good.meta.json", "{\"title\": \"", uint64_t{2} << 30);
  write_file(in / "other.txt", kGood);
  Child r = run_index(tmp.path(), {"--db", (tmp.path() / "db").string(), "--json", in.string(), "/dev/zero",
                                   "/dev/urandom"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(diagnostics(r), (std::vector<std::string>{
                                "dateline-index: /dev/urandom: binary file",
                                "dateline-index: /dev/zero: binary file",
                                "dateline-index: " + (in / "good.meta.json").string() +
                                    ": sidecar metadata larger than 1 MiB; overrides not applied",
                            }));
  json j = summary(r);
  ASSERT_TRUE(j.is_object()) << r.out << r.err;
  EXPECT_EQ(j.value("added", 0), 2);  // good.txt (without its sidecar's overrides) and other.txt
  EXPECT_EQ(j["skipped"].size(), 2u);
  EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(MemoryBounds, ManifestFromDevZeroIsAOneLineError) {
  TempDir tmp;
  write_file(tmp.path() / "good.txt", kGood);
  Child r = run_index(tmp.path(), {"--db", (tmp.path() / "db").string(), "--manifest", "/dev/zero",
                                   (tmp.path() / "good.txt").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err,
            "dateline-index: --manifest: /dev/zero:1: line longer than 1 MiB; not a manifest line (one "
            "article's path and metadata)\n");
  // A manifest of endless blank lines (a FIFO fed forever) stops at the size limit.
  fs::path fifo = tmp.path() / "manifest.jsonl";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::atomic<bool> stop{false};
  std::thread feeder([&] {
    // Non-blocking open until the child opens its end, so a child that never does cannot hang the test.
    int fd = -1;
    while (!stop && (fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK)) < 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (fd < 0) return;
    ::fcntl(fd, F_SETFL, 0);  // blocking writes from here
    std::string blank(1 << 16, '\n');
    while (!stop && ::write(fd, blank.data(), blank.size()) > 0) {
    }
    ::close(fd);
  });
  Child m = run_index(tmp.path(), {"--db", (tmp.path() / "db2").string(), "--manifest", fifo.string(),
                                   (tmp.path() / "good.txt").string()});
  stop = true;
  feeder.join();
  EXPECT_EQ(m.exit_code, 2) << m.err;
  EXPECT_EQ(m.err.rfind("dateline-index: --manifest: " + fifo.string() + ":", 0), 0u) << m.err;
  EXPECT_NE(m.err.find(": manifest larger than 256 MiB; not read (split it, or use sidecars)\n"),
            std::string::npos)
      << m.err;
}

}  // namespace
