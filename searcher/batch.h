/** @file
 *  @brief The search options as flags or --batch keys, and the --batch protocol: queries in, results out.
 *
 *  A --batch run reads one query per line: plain query text, or a JSON object {"id", "query", and any
 *  per-query flag of kSearchFlags as a key}. Results go to the printer of the run; each bad line gets one
 *  error line (text: "PROG: stdin:LINE: query ID: MESSAGE"; json/jsonl: printers.h's error_json()) and
 *  the run goes on. docs/json-schema.md describes the lines.
 */
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/printers.h"
#include "searcher/searcher.h"

namespace dateline {

/// The flags that set one search (SearchOptions), each also a --batch key ("per-article" also as
/// "per_article", and likewise every dashed name).
inline constexpr std::array<std::string_view, 16> kSearchFlags = {
    "limit",   "offset", "per-article", "snippet-chars", "facet-limit", "sort",       "match",
    "outlet",  "speaker", "author",     "since",         "until",       "facet",      "time-limit",
    "syntax",  "copies"};

/// Applies one search option given as a flag (or as a key of a --batch JSON line) to `o`: `values` holds
/// every value given (at least one); repeatable options (outlet, speaker, author, facet) take them all,
/// the others the last. Throws UsageError ("--KEY: expected ..., got '...'") for a bad value. Returns
/// false for a key that is no search option.
bool apply_option(SearchOptions& o, const std::string& key, const std::vector<std::string>& values);

/// A whole number from 0 to `max` for --FLAG; UsageError ("--FLAG: expected a whole number ...") else.
size_t parse_number(const std::string& flag, const std::string& text, size_t max);

/// Does `o` carry a filter (--outlet, --speaker, --author, --since, --until)?
bool has_filter(const SearchOptions& o);

/// What a query needs, from the command line and a --batch line alike: some query words or a filter
/// (filters alone list the articles they select). Throws UsageError("no query given ...") otherwise.
void require_query(const SearchOptions& o);

/// "warning: --facet: ..." when `o` asks for facets that `format` (or --count) does not print (they are
/// counted all the same: benchmarks time them); std::nullopt otherwise.
std::optional<std::string> facet_warning(const SearchOptions& o, Format format, bool count);

/// A --batch run: what the flags said, which each line starts from.
struct BatchOptions {
  SearchOptions search;  ///< the per-query flags; a line's keys replace them for that line
  Format format = Format::kText;
  PrintOptions print;
  bool count = false;               ///< --count: print the number of matches per query
  std::ostream* timings = nullptr;  ///< --timings: "ID<TAB>MICROSECONDS" per query answered
  std::string program = "dateline-search";  ///< starts each text diagnostic ("PROG: ...")
};

/// How a --batch run went.
struct BatchSummary {
  bool any_hits = false;    ///< some query matched
  bool any_failed = false;  ///< some line got an error line
  bool closed = false;      ///< `out` went bad (the reader closed the pipe): the run stopped there
};

/// Answers every query line of `in` (blank lines skipped, a trailing '\r' dropped; line numbers count
/// every line and are the default query ids): results to `out`, through one printer for the run; error
/// lines and warnings to `diagnostic`, one complete line each (no newline). Throws only what the searcher
/// throws for the whole database (DatabaseError, Xapian::Error): a bad line never stops the run.
BatchSummary run_batch(Searcher& searcher, const BatchOptions& options, std::istream& in, std::ostream& out,
                       const std::function<void(const std::string& line)>& diagnostic);

}  // namespace dateline
