/** @file
 *  @brief dateline-search: flags -> SearchOptions -> Searcher::search() -> Printer -> exit code.
 */
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "articles/ids.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "searcher/printers.h"
#include "searcher/searcher.h"
#include "searcher/stories.h"

namespace {

using dateline::DatabaseError;
using dateline::Format;
using dateline::QueryError;
using dateline::SearchOptions;
namespace exit_code = dateline::exit_code;

constexpr std::string_view kProgram = "dateline-search";
const std::vector<std::string> kHelpGroups = {"",       "Common", "Output",     "Filters",
                                              "Facets", "Batch",  "Experiments"};

using dateline::UsageError;  // a bad flag or flag value (exit 2)

/// Options of the whole run (SearchOptions is per query; batch lines may override it).
struct RunOptions {
  std::string db;
  SearchOptions search;
  Format format = Format::kText;
  dateline::PrintOptions print;
  std::optional<std::string> qid;
  std::optional<std::string> timings;
  bool batch = false;
  bool count = false;
  bool info = false;
  dateline::database::OpenOptions open;
  std::optional<dateline::FacetKind> list;  ///< --list
};

size_t parse_number(const std::string& flag, const std::string& text, size_t max) {
  size_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) {
    throw UsageError("--" + flag + ": expected a whole number from 0 to " + std::to_string(max) + ", got '" +
                     text + "'");
  }
  return value;
}

/// Applies one search option given as a flag (or as a key of a --batch JSON line) to `o`. Repeatable
/// options get every value; a batch key replaces what the flags said. Returns false for an unknown key.
bool apply_option(SearchOptions& o, const std::string& key, const std::vector<std::string>& values) {
  const std::string& v = values.back();
  if (key == "limit") {
    o.limit = parse_number(key, v, 1'000'000);
  } else if (key == "offset") {
    o.offset = parse_number(key, v, 100'000'000);
  } else if (key == "per-article" || key == "per_article") {
    o.per_article = parse_number("per-article", v, 1'000'000);
  } else if (key == "snippet-chars" || key == "snippet_chars") {
    o.snippet_chars = parse_number("snippet-chars", v, 1'000'000);
    if (o.snippet_chars < 10) throw UsageError("--snippet-chars: must be at least 10");
  } else if (key == "facet-limit" || key == "facet_limit") {
    o.facet_limit = parse_number("facet-limit", v, 1'000'000);
  } else if (key == "sort") {
    auto s = dateline::parse_sort(v);
    if (!s) throw UsageError("--sort: expected relevance, date or -date, got '" + v + "'");
    o.sort = *s;
  } else if (key == "scoring") {
    auto s = dateline::parse_scoring(v);
    if (!s) throw UsageError("--scoring: expected article or passage, got '" + v + "'");
    o.scoring = *s;
  } else if (key == "syntax") {
    auto s = dateline::parse_syntax(v);
    if (!s) throw UsageError("--syntax: expected full, simple or plain, got '" + v + "'");
    o.syntax = *s;
  } else if (key == "match") {
    if (v != "any" && v != "all") throw UsageError("--match: expected any or all, got '" + v + "'");
    o.compile.match_all = v == "all";
  } else if (key == "outlet") {
    o.filters.outlets = values;
  } else if (key == "speaker") {
    o.filters.speakers = values;
  } else if (key == "author") {
    o.filters.authors = values;
  } else if (key == "since") {
    o.filters.since = v;
  } else if (key == "until") {
    o.filters.until = v;
  } else if (key == "facet") {
    o.facets.clear();
    for (const auto& name : values) {
      auto f = dateline::parse_facet(name);
      if (!f)
        throw UsageError("--facet: unknown facet '" + name + "' (known: " + dateline::facet_names() + ")");
      o.facets.push_back(*f);
    }
  } else if (key == "fast-facets" || key == "fast_facets") {
    o.fast_facets = v == "true" || v == "1";
  } else if (key == "exact-total" || key == "exact_total") {
    if (v == "true" || v == "1") o.exact_total_up_to = dateline::kAllMatches;
  } else if (key == "explain") {
    o.explain = v == "true" || v == "1";
  } else if (key == "time-limit" || key == "time_limit") {
    double seconds = -1;
    const char* end = v.data() + v.size();
    auto [ptr, ec] = std::from_chars(v.data(), end, seconds);
    if (v.empty() || ec != std::errc() || ptr != end || !(seconds >= 0 && seconds <= 3600)) {
      throw UsageError("--time-limit: expected seconds from 0 (no limit) to 3600, got '" + v + "'");
    }
    o.compile.budget.time_limit = seconds;
  } else {
    return false;
  }
  return true;
}

const char* const kSearchFlags[] = {"limit",  "offset",  "per-article", "snippet-chars", "facet-limit",
                                    "sort",   "scoring", "match",       "outlet",        "speaker",
                                    "author", "since",   "until",       "facet",         "time-limit",
                                    "syntax"};

std::string join_words(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
  return q;
}

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// The checks a query gets from the command line and from a --batch line alike: some query words or a
/// filter (filters alone list the articles they select). --facet where no facets are printed is
/// counted (benchmarks time it) but warned about, once per run.
void check_search(const SearchOptions& o, Format format, bool count, bool& facet_warned) {
  const auto& f = o.filters;
  const bool has_filter =
      !f.outlets.empty() || !f.speakers.empty() || !f.authors.empty() || f.since || f.until;
  if (blank(o.query) && !has_filter) throw UsageError("no query given (try: dateline-search --help)");
  if (!facet_warned && !o.facets.empty() && (count || (format != Format::kText && format != Format::kJson))) {
    facet_warned = true;
    dateline::cli::print_error(kProgram, std::string("warning: --facet: ") +
                                             (count ? "--count" : "this --format") +
                                             " prints no facets (they come with --format text or json)");
  }
}

RunOptions resolve(const cxxopts::ParseResult& args) {
  RunOptions r;
  r.db = dateline::cli::resolve_db_path(args.count("db") > 0 ? args["db"].as<std::string>() : "");
  // Every occurrence of a repeatable flag, as typed (cxxopts vectors would split values on commas).
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& kv : args.arguments()) given[kv.key()].push_back(kv.value());
  for (const char* flag : kSearchFlags) {
    if (args.count(flag) > 0) {
      apply_option(r.search, flag, given[flag]);
    } else if (flag == std::string_view("limit") || flag == std::string_view("snippet-chars") ||
               flag == std::string_view("per-article") || flag == std::string_view("facet-limit")) {
      apply_option(r.search, flag, {args[flag].as<std::string>()});  // defaults are validated too
    }
  }
  r.search.fast_facets = args.count("fast-facets") > 0;
  r.search.explain = args.count("explain") > 0;
  auto format = dateline::parse_format(args["format"].as<std::string>());
  if (!format) {
    throw UsageError("--format: expected text, json, jsonl, tsv, ids or trec, got '" +
                     args["format"].as<std::string>() + "'");
  }
  r.format = *format;
  r.search.want_snippets = r.format != Format::kIds && r.format != Format::kTrec;
  r.search.ids_only = !r.search.want_snippets;
  // ids and trec print no total: do not count matches past the page unless asked to.
  if (args.count("exact-total") > 0) {
    r.search.exact_total_up_to = dateline::kAllMatches;
  } else if (!r.search.want_snippets) {
    r.search.exact_total_up_to = 0;
  }
  const std::string colour = args["color"].as<std::string>();
  if (colour == "auto") {
    r.print.colour = r.format == Format::kText && dateline::cli::want_colour(1);
  } else if (colour == "always") {
    r.print.colour = true;
  } else if (colour == "never") {
    r.print.colour = false;
  } else {
    throw UsageError("--color: expected auto, always or never, got '" + colour + "'");
  }
  if (args.count("qid") > 0) {
    r.qid = args["qid"].as<std::string>();
    // The query id starts lines of ids, tsv and trec output: it must not forge lines or escapes.
    if (auto problem = dateline::id_problem(*r.qid)) throw UsageError("--qid " + *problem);
  }
  r.batch = args.count("batch") > 0;
  if (args.count("timings") > 0) {
    if (!r.batch) throw UsageError("--timings times the queries of --batch: give --batch too");
    r.timings = args["timings"].as<std::string>();
  }
  r.count = args.count("count") > 0;
  r.info = args.count("info") > 0;
  r.open.allow_remote = args.count("allow-remote") > 0;
  if (args.count("list") > 0) {
    const std::string what = args["list"].as<std::string>();
    r.list = dateline::parse_list(what);
    if (!r.list) {
      throw UsageError("--list: expected one of " + dateline::list_names() + ", got '" + what + "'");
    }
    if (r.format == Format::kTrec) throw UsageError("--list: --format trec does not apply");
  }
  r.print.batch = r.batch;
  r.search.query = join_words(args.unmatched());
  if (r.batch && !r.search.query.empty()) {
    throw UsageError("--batch reads the queries from stdin: give no QUERY words (got '" + r.search.query +
                     "')");
  }
  const auto& f = r.search.filters;
  const bool has_filter =
      !f.outlets.empty() || !f.speakers.empty() || !f.authors.empty() || f.since || f.until;
  if (r.list && (r.batch || !r.search.query.empty() || has_filter)) {
    throw UsageError("--list lists the whole database: give no query, filter or --batch (for the values "
                     "among matches: --facet NAME --facet-limit 0)");
  }
  bool facet_warned = false;
  if (!r.batch && !r.info && !r.list) check_search(r.search, r.format, r.count, facet_warned);
  return r;
}

/// A message cut to 300 bytes (at a UTF-8 boundary) with "...": errors may quote the query, and a 1 MB
/// query must not come back as a 1 MB message.
std::string clip_message(std::string message) {
  constexpr size_t kMaxMessage = 300;
  if (message.size() > kMaxMessage) {
    size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    message = message.substr(0, cut) + "...";
  }
  return message;
}

/// "dateline-search: query error: MESSAGE" and, when the column is known, the query with a caret,
/// clipped to kContext code points each side of the column (marked "...").
void print_query_error(const QueryError& e, const std::string& query, const std::string& where = "") {
  constexpr size_t kContext = 40;
  dateline::cli::print_error(kProgram, where + "query error: " + clip_message(e.what()));
  if (e.column() == 0) return;
  // Code point by code point, so the caret stays under column() after escaping controls.
  std::string shown;
  size_t caret = 0;
  size_t point = 0;
  size_t first = e.column() > kContext + 1 ? e.column() - 1 - kContext : 0;
  if (first > 0) {
    shown = "...";
    caret = 3;
  }
  for (size_t i = 0; i < query.size(); ++point) {
    size_t n = 1;
    auto b = static_cast<unsigned char>(query[i]);
    if (b >= 0xC0) n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    n = std::min(n, query.size() - i);
    if (point > e.column() - 1 + kContext) {
      shown += "...";
      break;
    }
    if (point >= first) {
      std::string piece = dateline::cli::terminal_safe(std::string_view(query).substr(i, n));
      for (char& c : piece) {
        if (c == '\n' || c == '\t') c = ' ';
      }
      if (point < e.column() - 1) {
        for (char c : piece) caret += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }
      shown += piece;
    }
    i += n;
  }
  std::fprintf(stderr, "  %s\n  %s^\n", shown.c_str(), std::string(caret, ' ').c_str());
}

/// Ends quietly when stdout was closed by the reader (`| head -1`): true means stop now.
bool stdout_closed() {
  if (std::cout.good()) return false;
  return true;
}

int run_single(dateline::Searcher& searcher, const RunOptions& r) {
  if (r.count) {
    auto [n, exact] = searcher.count(r.search);
    dateline::print_count(std::cout, r.format, r.search.query, n, exact, r.qid, false);
    return n > 0 ? exit_code::kHits : exit_code::kNoHits;
  }
  auto result = searcher.search(r.search);
  spdlog::info("{} article(s) match{}", result.total, result.total_exact ? "" : " (estimate)");
  for (const std::string& warning : result.warnings) {
    dateline::cli::print_error(kProgram, "warning: " + warning);  // the query budget cut the answer
  }
  auto printer = dateline::make_printer(r.format, std::cout, r.print);
  printer->print(result, r.qid);
  // At a terminal a person reads: say what matched nothing. Scripts (stdout piped) get the exit status.
  const bool person = dateline::cli::is_terminal(1) && !r.print.batch;
  const bool none = result.hits.empty() && result.total == 0;
  if (none && person) {
    std::string line = "no matching articles";
    if (result.suggestion) line += "; did you mean: " + *result.suggestion;
    dateline::cli::print_error(kProgram, line);
  } else if (none && result.suggestion && r.format != Format::kJson) {
    dateline::cli::print_error(kProgram, "did you mean: " + *result.suggestion);
  }
  if (person && (!none || result.unmatched_words.size() > 1) && !result.unmatched_words.empty()) {
    std::string words;
    for (const auto& w : result.unmatched_words) words += (words.empty() ? "'" : ", '") + w + "'";
    dateline::cli::print_error(kProgram, "note: " + words + " matched nothing");
  }
  return none ? exit_code::kNoHits : exit_code::kHits;
}

std::string json_value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  throw UsageError("expected a string, number or boolean, got " + v.dump());
}

/// Flags that set up the whole run (output, database, logging), not one query: not --batch keys.
bool is_run_flag(const std::string& key) {
  static const char* const kRunFlags[] = {"format", "db",    "color", "qid",  "count",   "info", "batch",
                                          "timings", "verbose", "quiet", "help", "version", "allow-remote"};
  for (const char* flag : kRunFlags) {
    if (key == flag) return true;
  }
  return false;
}

int run_batch(dateline::Searcher& searcher, const RunOptions& r) {
  auto printer = dateline::make_printer(r.format, std::cout, r.print);
  std::ofstream timings;
  if (r.timings) {
    timings.open(*r.timings);
    if (!timings) throw UsageError("--timings: cannot write " + *r.timings);
  }
  const bool json_errors = r.format == Format::kJson || r.format == Format::kJsonl;
  bool any_hits = false;
  bool any_failed = false;
  bool facet_warned = false;
  std::string line;
  size_t line_no = 0;
  while (std::getline(std::cin, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::optional<std::string> qid = std::to_string(line_no);
    SearchOptions options = r.search;
    auto fail = [&](const std::string& full_message, std::optional<size_t> column) {
      any_failed = true;
      std::string message = clip_message(full_message);  // a huge query line must not come back whole
      if (json_errors) {
        std::fprintf(stderr, "%s\n", dateline::error_json(line_no, qid, message, column).c_str());
      } else {
        std::string where = "stdin:" + std::to_string(line_no) + ": ";
        if (qid) where += "query " + *qid + ": ";
        dateline::cli::print_error(
            kProgram, where + message + (column ? " (column " + std::to_string(*column) + ")" : ""));
      }
    };
    try {
      if (line.find_first_not_of(" \t") != std::string::npos && line[line.find_first_not_of(" \t")] == '{') {
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
          fail("not a JSON object", std::nullopt);
          continue;
        }
        if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
          std::string id = json_value_text(*it);
          if (auto problem = dateline::id_problem(id)) {
            fail("\"id\" " + *problem, std::nullopt);  // named by its line number, not by itself
            continue;
          }
          qid = std::move(id);
        }
        // No "query" key: the filters of the line alone, as --outlet X alone on the command line.
        auto q = j.find("query");
        if (q != j.end() && !q->is_string()) {
          fail("\"query\" must be a string", std::nullopt);
          continue;
        }
        options.query = q == j.end() ? std::string() : q->get<std::string>();
        for (const auto& [key, value] : j.items()) {
          if (key == "id" || key == "query" || key == "_id" || key == "text" || key == "metadata") continue;
          std::vector<std::string> values;
          if (value.is_array()) {
            for (const auto& item : value) values.push_back(json_value_text(item));
            if (values.empty() && key != "outlet" && key != "speaker" && key != "author" && key != "facet") {
              throw UsageError("\"" + key + "\": empty list");
            }
          } else {
            values.push_back(json_value_text(value));
          }
          if (values.empty()) {
            // An empty list clears a repeatable filter or facet list.
            if (key == "outlet") options.filters.outlets.clear();
            if (key == "speaker") options.filters.speakers.clear();
            if (key == "author") options.filters.authors.clear();
            if (key == "facet") options.facets.clear();
            continue;
          }
          if (!apply_option(options, key, values)) {
            if (is_run_flag(key)) {
              throw UsageError("\"" + key + "\" applies to the whole run: give it as --" + key);
            }
            throw UsageError("unknown key \"" + key + "\"");
          }
        }
      } else {
        options.query = line;
      }
      check_search(options, r.format, r.count, facet_warned);
      const auto t0 = std::chrono::steady_clock::now();
      std::optional<std::pair<uint64_t, bool>> counted;
      dateline::SearchResult result;
      if (r.count) {
        counted = searcher.count(options);
      } else {
        result = searcher.search(options);
      }
      const auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
              .count();
      if (r.timings) timings << qid.value_or("") << '\t' << micros << '\n';
      if (counted) {
        dateline::print_count(std::cout, r.format, options.query, counted->first, counted->second, qid, true);
        any_hits = any_hits || counted->first > 0;
      } else {
        printer->print(result, qid);
        any_hits = any_hits || !result.hits.empty() || result.total > 0;
        // JSON output carries them in the result ("partial", "warnings"); stderr holds JSON errors there.
        for (size_t w = 0; !json_errors && w < result.warnings.size(); ++w) {
          dateline::cli::print_error(kProgram, "stdin:" + std::to_string(line_no) + ": query " +
                                                   qid.value_or("") + ": warning: " + result.warnings[w]);
        }
      }
      if (stdout_closed()) return exit_code::kHits;
    } catch (const QueryError& e) {
      fail("query error: " + std::string(e.what()),
           e.column() > 0 ? std::optional<size_t>(e.column()) : std::nullopt);
    } catch (const UsageError& e) {
      fail(e.what(), std::nullopt);
    }
  }
  if (any_failed) return exit_code::kError;
  return any_hits ? exit_code::kHits : exit_code::kNoHits;
}

/// --story ID and --like ID (searcher/stories.h): no query words, no other mode; text, json, jsonl, tsv
/// or ids. Exit 0 when the article is there, 1 when it is not.
int run_stories(const cxxopts::ParseResult& args) {
  const bool story = args.count("story") > 0;
  const std::string flag = story ? "--story" : "--like";
  if (story && args.count("like") > 0) throw UsageError("--story and --like: give one of them");
  for (const char* other : {"batch", "count", "info", "list"}) {
    if (args.count(other) > 0) throw UsageError(flag + " and --" + other + ": give one of them");
  }
  if (!args.unmatched().empty()) throw UsageError(flag + " takes an article id, not QUERY words");
  const std::string id = args[story ? "story" : "like"].as<std::string>();
  const std::string format_name = args["format"].as<std::string>();
  const auto format = dateline::parse_format(format_name);
  if (!format || *format == Format::kTrec) {
    throw UsageError(flag + ": --format must be text, json, jsonl, tsv or ids, got '" + format_name + "'");
  }
  const size_t limit = parse_number("limit", args["limit"].as<std::string>(), 1'000'000);
  dateline::database::OpenOptions open;
  open.allow_remote = args.count("allow-remote") > 0;
  const std::string path =
      dateline::cli::resolve_db_path(args.count("db") > 0 ? args["db"].as<std::string>() : "");
  dateline::Searcher checked(path, open);  // refuses what is not a readable Dateline database
  const Xapian::Database db = dateline::database::open_for_reading(path, open);
  bool found = false;
  if (story) {
    if (auto s = dateline::stories::story_of(db, id)) {
      dateline::print_story(std::cout, *format, *s);
      found = true;
    }
  } else if (auto hits = dateline::stories::like(db, id, limit)) {
    dateline::print_like(std::cout, *format, id, *hits);
    found = true;
  }
  if (!found) {
    dateline::cli::print_error(kProgram, flag + ": no article with id '" + dateline::cli::terminal_safe(id) +
                                             "' in " + path);
    return exit_code::kNoHits;
  }
  std::cout.flush();
  if (!std::cout.good() && errno != EPIPE) {
    dateline::cli::print_error(kProgram, "error writing results to stdout");
    return exit_code::kError;
  }
  return exit_code::kHits;
}

std::string help_epilogue() {
  return "Query syntax (--syntax full): words (any by default; --match all), \"exact phrase\", a NEAR/5 b,\n"
         "AND OR NOT (upper case), parentheses, +required -excluded, prefix*, and fields:\n"
         "  title:word title:\"a phrase\"   outlet:NAME author:NAME speaker:NAME   id:ARTICLE-ID\n"
         "  date:2022-02-24 date:2022-02 year:2022 month:2022-02\n"
         "  date:2022-02..2022-06 date:2022-02.. date:..2021 (ranges, inclusive)\n"
         "Put -- before query words that start with '-'. --syntax simple reads what does not parse\n"
         "as words; --syntax plain reads every character as text.\n"
         "\n"
         "Examples:\n"
         "  dateline-search troops border\n"
         "  dateline-search '\"special military operation\"' --outlet newsweek --since 2022-02\n"
         "  dateline-search 'speaker:lukashenko AND (troops OR army)' --per-article 3\n"
         "  dateline-search --outlet newsweek --sort -date --limit 20\n"
         "  dateline-search -- -russia ukraine\n"
         "  printf '{\"id\": \"q2\", \"query\": \"kyiv\", \"limit\": 5}\\n' | dateline-search --batch\n"
         "\n"
         "Batch (--batch): one query per stdin line, or a JSON object per line\n"
         "{\"id\": ..., \"query\": ..., plus any per-query flag as a key: \"limit\", \"syntax\",\n"
         "\"outlet\": [...], \"facet\": [...], ...};\n"
         "the flags of the whole run (format, db, color, count, qid, timings) are not keys.\n"
         "\n"
         "Exit status: 0 some hit, 1 no hit, 2 error (usage, query syntax, database).\n";
}

}  // namespace

int main(int argc, char** argv) {
  dateline::cli::quiet_on_closed_pipe();
  std::ios::sync_with_stdio(false);
  cxxopts::Options options(std::string(kProgram), "Search a Dateline database of news articles.");
  dateline::cli::add_common_options(options, "Database to search");
  options.add_options("Common")("allow-remote",
                                "Let a stub file's 'remote HOST:PORT' lines open TCP shards (off: refused)");
  // clang-format off
  options.add_options("Output")
      ("format", "Output format: text, json, jsonl, tsv, ids, trec", cxxopts::value<std::string>()->default_value("text"), "FORMAT")
      ("limit", "Hits to show at most", cxxopts::value<std::string>()->default_value("10"), "N")
      ("offset", "Hits to skip (paging)", cxxopts::value<std::string>()->default_value("0"), "N")
      ("per-article", "Passages per article at most (0: every matching passage)", cxxopts::value<std::string>()->default_value("1"), "N")
      ("sort", "Order: relevance, date (oldest first) or -date (newest first); ties by relevance", cxxopts::value<std::string>()->default_value("relevance"), "ORDER")
      ("snippet-chars", "Snippet length at most, in characters (code points)", cxxopts::value<std::string>()->default_value("200"), "N")
      ("explain", "Show how each hit's score was made")
      ("color", "Highlight matches: auto (terminal and NO_COLOR unset), always, never", cxxopts::value<std::string>()->default_value("auto"), "WHEN")
      ("qid", "Query id for trec/json output (default for trec: 1)", cxxopts::value<std::string>(), "ID")
      ("count", "Print only the number of matching articles")
      ("info", "Describe the database (articles, passages, outlets, dates, analyzer) and exit")
      ("list", "Print every value in the database with its article count, one per line, and exit: outlets, speakers, authors, years or months", cxxopts::value<std::string>(), "WHAT")
      ("story", "Print every copy of article ID's story (the same text in other outlets) by date, and exit", cxxopts::value<std::string>(), "ID")
      ("like", "Print up to --limit articles about what article ID is about that are not copies of it, and exit", cxxopts::value<std::string>(), "ID");
  options.add_options("Filters")
      ("outlet", "Only articles from this outlet (repeatable; aliases understood)", cxxopts::value<std::string>(), "NAME")
      ("speaker", "Only passages quoting this person (repeatable; part of a name is enough)", cxxopts::value<std::string>(), "NAME")
      ("author", "Only articles by this author (repeatable)", cxxopts::value<std::string>(), "NAME")
      ("since", "Only articles dated on or after DATE (2022, 2022-02 or 2022-02-24)", cxxopts::value<std::string>(), "DATE")
      ("until", "Only articles dated on or before DATE (inclusive)", cxxopts::value<std::string>(), "DATE")
      ("match", "Plain words: any (ranked OR) or all (every word required)", cxxopts::value<std::string>()->default_value("any"), "any|all")
      ("syntax", "Query syntax: full (operators; a malformed query is an error), simple (operators that parse, the rest as words; never a syntax error), plain (every character is text)", cxxopts::value<std::string>()->default_value("full"), "full|simple|plain");
  options.add_options("Facets")
      ("facet", "Count matching articles per value: outlet, speaker, author, year, month (repeatable)", cxxopts::value<std::string>(), "NAME")
      ("facet-limit", "Values per facet at most (0: all)", cxxopts::value<std::string>()->default_value("10"), "N")
      ("fast-facets", "Count totals and facets on a sample (reported as inexact)")
      ("exact-total", "Count every matching article (default: exact up to 10,000, then an estimate)")
      ("time-limit", "Stop counting matches (total, facets) after this many seconds: an estimate, flagged partial (default 5; 0: no limit)", cxxopts::value<std::string>(), "SECONDS");
  options.add_options("Batch")
      ("batch", "Read queries from stdin, one per line (text or JSON objects)")
      ("timings", "With --batch: write ID<TAB>MICROSECONDS per query to FILE", cxxopts::value<std::string>(), "FILE");
  options.add_options("Experiments")
      ("scoring", "Rank article documents or passages (article|passage; for benchmarks)", cxxopts::value<std::string>()->default_value("article"), "WHAT");
  // clang-format on
  options.positional_help("QUERY...");
  options.custom_help("[OPTIONS] QUERY...");

  int code = exit_code::kError;
  try {
    auto args = options.parse(argc, argv);
    if (args.count("help")) {
      std::cout << options.help(kHelpGroups) << '\n'
                << help_epilogue();
      return exit_code::kHits;
    }
    if (args.count("version")) {
      std::cout << dateline::cli::version_string(kProgram) << '\n';
      return exit_code::kHits;
    }
    dateline::cli::setup_logging(kProgram, args);
    if (args.count("story") > 0 || args.count("like") > 0) return run_stories(args);
    RunOptions run = resolve(args);
    dateline::Searcher searcher(run.db, run.open);
    if (run.info) {
      dateline::print_info(std::cout, run.format, searcher.info());
      code = exit_code::kHits;
    } else if (run.list) {
      auto values = searcher.list(*run.list);
      dateline::print_list(std::cout, run.format, values);
      code = values.empty() ? exit_code::kNoHits : exit_code::kHits;
    } else if (run.batch) {
      code = run_batch(searcher, run);
    } else {
      try {
        code = run_single(searcher, run);
      } catch (const QueryError& e) {
        print_query_error(e, run.search.query);
        return exit_code::kError;
      }
    }
  } catch (const cxxopts::exceptions::exception& e) {
    dateline::cli::print_error(kProgram, dateline::cli::option_error(kProgram, options, kHelpGroups, e.what(),
                                                                     argc, argv));
    return exit_code::kError;
  } catch (const UsageError& e) {
    dateline::cli::print_error(kProgram, e.what());
    return exit_code::kError;
  } catch (const DatabaseError& e) {
    dateline::cli::print_error(kProgram, e.what());
    return exit_code::kError;
  } catch (const Xapian::Error& e) {
    dateline::cli::print_error(kProgram, "database error: " + e.get_description());
    return exit_code::kError;
  } catch (const std::exception& e) {
    dateline::cli::print_error(kProgram, e.what());
    return exit_code::kError;
  }
  std::cout.flush();
  if (!std::cout.good()) {
    // EPIPE: the reader went away (`| head -1`); that is not an error.
    if (errno == EPIPE) return exit_code::kHits;
    dateline::cli::print_error(kProgram, "error writing results to stdout");
    return exit_code::kError;
  }
  return code;
}
