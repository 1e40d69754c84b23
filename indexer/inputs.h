/** @file
 *  @brief Expands INPUT arguments (files, directories, "-") into the list of things to read.
 */
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// One thing to read.
struct InputItem {
  std::filesystem::path file;  ///< as reached from the argument (root / relative path); empty for stdin
  std::filesystem::path
      id_root;           ///< the directory argument it was found under; empty for a file given directly
  std::string absolute;  ///< absolute, lexically normal path (for --prune); empty for stdin
  uint64_t size = 0;     ///< bytes, from stat (0 for stdin and pipes)
  bool is_stdin = false;
};

/// The result of expanding the arguments.
struct ExpandedInputs {
  std::vector<InputItem> items;  ///< in argument order; directory entries sorted by name
  /// Absolute, lexically normal paths of the arguments (except "-"): what --prune looks under.
  std::vector<std::filesystem::path> roots;
  std::vector<Diagnostic> diagnostics;  ///< missing arguments, unreadable directories, symlink loops...
  uint64_t total_bytes = 0;             ///< sum of item sizes
};

/// Expands `inputs`. Directories are walked recursively, following symbolic links to files and
/// directories; a link back to a directory being walked is reported as a loop and not followed.
/// In directories only article files (reader.h is_article_file()) are taken, and hidden entries
/// (names starting with '.') are skipped; a file named directly is always taken. A file reached twice
/// (two arguments, or links) is read once. `stdin_bytes` is the size recorded for "-". Never throws
/// for file-system problems: they become diagnostics.
ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, uint64_t stdin_bytes = 0);

/// Is `file` (absolute, lexically normal) under `root` (same form), or `root` itself?
bool path_under(const std::filesystem::path& file, const std::filesystem::path& root);

}  // namespace dateline
