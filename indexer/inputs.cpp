/** @file
 *  @brief Expands INPUT arguments: recursive directory walk with loop detection, stable order, diagnostics.
 */
#include "indexer/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

#include "articles/reader.h"

namespace fs = std::filesystem;

namespace dateline {

namespace {

using FileKey = std::pair<dev_t, ino_t>;

class Walker {
 public:
  explicit Walker(ExpandedInputs& out) : out_(out) {}

  void argument(const std::string& arg) {
    fs::path path(arg);
    struct stat st {};
    if (::stat(arg.c_str(), &st) != 0) {
      int err = errno;
      struct stat lst {};
      if (::lstat(arg.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        problem(arg, err == ELOOP ? "symbolic link loop"
                                  : "broken symbolic link (" + std::string(std::strerror(err)) + ")");
      } else {
        problem(arg, std::strerror(err));
      }
      return;
    }
    out_.roots.push_back(absolute_normal(path));
    if (S_ISDIR(st.st_mode)) {
      std::vector<FileKey> ancestors;
      const size_t found_before = found_;
      walk(path, path, st, ancestors);
      if (found_ == found_before) {
        out_.diagnostics.push_back(Diagnostic{
            arg, 0, "no article files here (.txt, .text, .jsonl, .ndjson, .json, or those with .gz)", false});
      }
    } else if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
      // Named directly: taken whatever its extension (the reader sniffs the format); pipes and
      // devices such as /dev/stdin are readable too.
      add(path.lexically_normal(), fs::path(), st);  // its id is its path as given, normalised
    } else {
      problem(arg, "not a regular file or directory");
    }
  }

 private:
  static fs::path absolute_normal(const fs::path& p) {
    std::error_code ec;
    fs::path abs = fs::absolute(p, ec);
    if (ec) abs = p;
    return abs.lexically_normal();
  }

  void problem(const fs::path& p, std::string reason) {
    out_.diagnostics.push_back(Diagnostic{p.string(), 0, std::move(reason), true});
  }

  void add(const fs::path& file, const fs::path& root, const struct stat& st) {
    // The same file reached twice (two arguments, or two links) is read once.
    if (S_ISREG(st.st_mode) && !seen_files_.insert({st.st_dev, st.st_ino}).second) return;
    InputItem item;
    item.file = file;
    item.id_root = root;
    item.absolute = absolute_normal(file).string();
    item.size = S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
    out_.total_bytes += item.size;
    out_.items.push_back(std::move(item));
  }

  void walk(const fs::path& dir, const fs::path& root, const struct stat& dir_st,
            std::vector<FileKey>& ancestors) {
    FileKey key{dir_st.st_dev, dir_st.st_ino};
    if (std::find(ancestors.begin(), ancestors.end(), key) != ancestors.end()) {
      problem(dir, "symbolic link loop: leads back to a directory being indexed");
      return;
    }
    // A directory reached again by another link (not a loop) has been read already.
    if (!seen_dirs_.insert(key).second) return;

    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
      problem(dir, "cannot read directory: " + ec.message());
      return;
    }
    std::vector<fs::path> entries;
    for (fs::directory_iterator end; it != end; it.increment(ec)) {
      entries.push_back(it->path());
    }
    if (ec) problem(dir, "cannot read directory: " + ec.message());
    // Stable order: runs on the same tree read files in the same order.
    std::sort(entries.begin(), entries.end());

    ancestors.push_back(key);
    for (const auto& entry : entries) {
      std::string name = entry.filename().string();
      if (!name.empty() && name.front() == '.') continue;  // hidden: .git, editor swap files...
      struct stat st {};
      if (::stat(entry.c_str(), &st) != 0) {
        int err = errno;
        struct stat lst {};
        bool is_link = ::lstat(entry.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
        if (is_link && err == ELOOP) {
          problem(entry, "symbolic link loop");
        } else if (is_link) {
          // Only worth a word when it looks like an article: a dangling link to some other file is noise.
          if (is_article_file(entry))
            problem(entry, "broken symbolic link (" + std::string(std::strerror(err)) + ")");
        } else {
          problem(entry, std::strerror(err));  // vanished between listing and stat, or no permission
        }
        continue;
      }
      if (S_ISDIR(st.st_mode)) {
        walk(entry, root, st, ancestors);
      } else if (is_article_file(entry)) {
        ++found_;
        if (S_ISREG(st.st_mode)) {
          add(entry, root, st);
        } else {
          problem(entry, "not a regular file");
        }
      }
    }
    ancestors.pop_back();
  }

  ExpandedInputs& out_;
  size_t found_ = 0;  ///< article files met in directories
  std::set<FileKey> seen_files_;
  std::set<FileKey> seen_dirs_;
};

}  // namespace

ExpandedInputs expand_inputs(const std::vector<std::string>& inputs, uint64_t stdin_bytes) {
  ExpandedInputs out;
  Walker walker(out);
  bool stdin_taken = false;
  for (const auto& arg : inputs) {
    if (arg == "-") {
      if (stdin_taken) continue;  // standard input can only be read once
      stdin_taken = true;
      InputItem item;
      item.is_stdin = true;
      item.size = stdin_bytes;
      out.total_bytes += stdin_bytes;
      out.items.push_back(std::move(item));
      continue;
    }
    if (arg.empty()) {
      out.diagnostics.push_back(Diagnostic{arg, 0, "empty file name", true});
      continue;
    }
    walker.argument(arg);
  }
  return out;
}

bool path_under(const fs::path& file, const fs::path& root) {
  auto f = file.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++f) {
    if (r->empty() && std::next(r) == root.end()) return true;  // root ends with '/'
    if (f == file.end() || *f != *r) return false;
  }
  return true;
}

}  // namespace dateline
