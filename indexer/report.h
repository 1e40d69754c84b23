/** @file
 *  @brief Renders an IndexReport (text summary, --json object), diagnostics and dry-run listings.
 */
#pragma once

#include <string>

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

}  // namespace dateline
