/** @file
 *  @brief What the reader's parts (reader.cpp, metadata.cpp, records.cpp) share: per-input problems with a
 *  cap, the content hash, JSON text scans (nesting depth, where a first value ends), white space tidied.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "articles/article.h"
#include "articles/reader.h"

namespace dateline::reading {

inline constexpr size_t kMaxJsonDepth = 64;  ///< nlohmann parses recursively: refuse deeper records first

/// Problems of one input past the first `limit`: counted, not listed (an input of ten million bad lines
/// would otherwise hold ten million Diagnostics).
struct Overflow {
  size_t limit = SIZE_MAX;
  size_t listed = 0;
  size_t skipped = 0;   // skips not listed
  size_t warnings = 0;  // warnings not listed
};

/// Collects per-input problems with the file name filled in.
class Problems {
 public:
  Problems(std::string file, std::vector<Diagnostic>& out, Overflow* overflow = nullptr)
      : file_(std::move(file)), out_(out), overflow_(overflow) {}
  void skip(size_t line, std::string reason) {
    if (over()) {
      ++overflow_->skipped;
      return;
    }
    out_.push_back({file_, line, std::move(reason), true});
  }
  void warn(size_t line, std::string reason) {
    if (over()) {
      ++overflow_->warnings;
      return;
    }
    out_.push_back({file_, line, std::move(reason), false});
  }
  const std::string& file() const { return file_; }

 private:
  bool over() { return overflow_ != nullptr && overflow_->listed++ >= overflow_->limit; }

  std::string file_;
  std::vector<Diagnostic>& out_;
  Overflow* overflow_;
};

/// A byte count for messages: "32 MiB", "1 KiB" when it is a whole number of them, else "1000 bytes".
std::string size_label(size_t n);

/// XXH3-64 (16 hex digits) of the record bytes, the overrides (sorted: std::map) and the passage bound.
std::string content_hash(std::string_view bytes, const MetadataOverrides& overrides,
                         size_t max_passage_bytes);

/// Where a byte-by-byte scan of JSON text stands with respect to string literals (escapes included).
struct JsonStringState {
  bool in_string = false;
  bool escape = false;

  /// True when `c` belongs to a string literal already open (its closing quote included): the caller
  /// skips it. A '"' outside a string is the caller's to see; it then sets in_string.
  bool inside(char c) {
    if (!in_string) return false;
    if (escape)
      escape = false;
    else if (c == '\\')
      escape = true;
    else if (c == '"')
      in_string = false;
    return true;
  }
};

/// A .json file that starts with '{' is one record object (possibly pretty-printed) or JSON Lines:
/// JsonRecords::document() tells them apart with json::accept() on the whole text. This scan says early
/// that the text cannot be one object: a raw newline inside a string, or anything but white space after the
/// first value. Until then the text is held (one object: bounded by the record limit).
class FirstValueScan {
 public:
  /// Scans `text` (the whole decoded text so far; it only grows) from where the last call stopped.
  /// True when the text is certainly not one JSON value, so it is JSON Lines.
  bool not_one_value(std::string_view text);

 private:
  size_t pos_ = 0;
  size_t depth_ = 0;
  bool closed_ = false;
  JsonStringState str_;
};

/// Deepest nesting of `[`/`{` in JSON text (strings skipped); stops counting once past `limit`.
size_t json_depth(std::string_view s, size_t limit);

/// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string json_error(const std::exception& e);

/// Collapses runs of whitespace to one space and trims.
std::string tidy(std::string_view s);

}  // namespace dateline::reading
