/** @file
 *  @brief Renders an IndexReport (text summary, --json object), diagnostics and dry-run listings, and the
 *  Reporter that sends them, line by line, to where dateline-index prints.
 */
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "articles/article.h"
#include "indexer/indexer.h"

namespace dateline {

/// "FILE:LINE: reason", or "FILE: reason" when the whole file is concerned (line 0).
std::string format_diagnostic(const Diagnostic& d);

/// One-line summary: "5 added, 0 updated, 0 unchanged, 0 deleted, 0 skipped; 5 articles, 63 passages,
/// 41.2 kB in 0.52 s -> PATH".
std::string report_text(const IndexReport& report);

/// The --json summary, one line: {"added","updated","unchanged","deleted","skipped":[{"path","line",
/// "reason"}],"warnings":[...same...],"articles","passages","bytes","seconds","db"} ("dry_run": true
/// is added in a dry run).
std::string report_json(const IndexReport& report);

/// Dry run without --json: a readable listing of one extracted article (metadata, then each passage
/// with its byte range and speakers). Ends with a blank line.
std::string article_listing(const Article& article);

/// What dateline-index prints during a run, as lines handed to callbacks (the binary routes them to its
/// log, stderr and stdout): every line one_line() or terminal_safe() (base/terminal.h), so an input's
/// bytes never reach a terminal raw. A progress line, while one is shown, is ended before any other line.
class LineReporter : public Reporter {
 public:
  struct Sinks {
    /// A diagnostic, "FILE:LINE: reason" on one line (a warning).
    std::function<void(const std::string& line)> diagnostic;
    /// A message of the run on one line (Level::kInfo: -v; kDebug: -vv).
    std::function<void(Level level, const std::string& line)> log;
    /// Dry-run output: an article_record_json() line with its newline (--json), else its article_listing().
    std::function<void(const std::string& text)> out;
    /// Articles and bytes done of total_bytes; may be empty (no progress shown).
    std::function<void(uint64_t articles, uint64_t bytes, uint64_t total_bytes)> progress;
    /// Ends the progress line; may be empty.
    std::function<void()> end_progress;
  };
  /// `json`: dry-run records as JSON Lines.
  LineReporter(bool json, Sinks sinks) : json_(json), sinks_(std::move(sinks)) {}

  void diagnostic(const Diagnostic& d) override;
  void message(Level level, std::string_view text) override;
  void progress(uint64_t articles, uint64_t bytes, uint64_t total_bytes) override;
  void record(const Article& article) override;
  /// Ends the progress line (the run is over).
  void finish();

 private:
  bool json_;
  Sinks sinks_;
};

}  // namespace dateline
