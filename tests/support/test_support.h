/** @file
 *  @brief Test harness helpers: fixture paths, temporary directories, running the binaries.
 */
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dateline::test {

/// The source tree ($DATELINE_SOURCE_DIR, else the one this test was built from).
std::filesystem::path source_dir();
/// index-fixtures/ in the source tree.
std::filesystem::path fixtures_dir();
/// The folder holding dateline-index and dateline-search ($DATELINE_BIN_DIR, else this build's bin/).
std::filesystem::path bin_dir();

/// The news corpus (news.jsonl): $DATELINE_NEWS_CORPUS, else shared/corpora/news/ one or two folders above the
/// source tree; std::nullopt when this machine does not have it (tests that need it skip, saying so).
std::optional<std::filesystem::path> news_corpus();

/// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// What a finished process left.
struct RunResult {
  int exit_code = -1;  ///< exit status, or 128 + signal number when killed
  std::string out;
  std::string err;
};

/// Runs `argv` (argv[0] a path) with `input` on stdin, captures stdout and stderr.
/// `env` entries "NAME=value" are added to the environment.
RunResult run(const std::vector<std::string>& argv, const std::string& input = "",
              const std::vector<std::string>& env = {});

/// Reads a whole file.
std::string read_file(const std::filesystem::path& file);

}  // namespace dateline::test
