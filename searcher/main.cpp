/** @file
 *  @brief dateline-search: flags -> SearchOptions -> search() or run_batch() -> Printer -> exit code.
 */
#include <charconv>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "articles/ids.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "searcher/batch.h"
#include "searcher/caret.h"
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
const std::vector<std::string> kHelpGroups = {"", "Common", "Output", "Filters", "Facets", "Batch"};

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
  std::optional<std::string> aliases;        ///< --aliases FILE, read once the database is open
};

std::string join_words(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
  return q;
}

RunOptions resolve(const cxxopts::ParseResult& args) {
  RunOptions r;
  r.db = dateline::cli::resolve_db_path(args.count("db") > 0 ? args["db"].as<std::string>() : "");
  // Every occurrence of a repeatable flag, as typed (cxxopts vectors would split values on commas).
  std::map<std::string, std::vector<std::string>> given;
  for (const auto& kv : args.arguments()) given[kv.key()].push_back(kv.value());
  for (std::string_view name : dateline::kSearchFlags) {
    const std::string flag(name);
    if (args.count(flag) > 0) {
      dateline::apply_option(r.search, flag, given[flag]);
    } else if (flag == "limit" || flag == "snippet-chars" || flag == "per-article" || flag == "facet-limit") {
      dateline::apply_option(r.search, flag, {args[flag].as<std::string>()});  // defaults are validated too
    }
  }
  r.search.fast_facets = args.count("fast-facets") > 0;
  r.search.explain = args.count("explain") > 0;
  r.search.compile.exact_names = args.count("exact-names") > 0;
  if (args.count("aliases") > 0) r.aliases = args["aliases"].as<std::string>();
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
  r.open.allow_partial = args.count("allow-partial") > 0;
  if (args.count("remote-timeout") > 0) {
    const std::string v = args["remote-timeout"].as<std::string>();
    double seconds = -1;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() ||
        !(seconds >= 0.001 && seconds <= 3600)) {
      throw UsageError("--remote-timeout: expected seconds from 0.001 to 3600, got '" + v + "'");
    }
    r.open.remote_timeout_ms = static_cast<unsigned>(seconds * 1000 + 0.5);
  }
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
  if (r.list && (r.batch || !r.search.query.empty() || dateline::has_filter(r.search))) {
    throw UsageError("--list lists the whole database: give no query, filter or --batch (for the values "
                     "among matches: --facet NAME --facet-limit 0)");
  }
  if (!r.batch && !r.info && !r.list) {
    dateline::require_query(r.search);
    if (auto warning = dateline::facet_warning(r.search, r.format, r.count)) {
      dateline::cli::print_error(kProgram, *warning);
    }
  }
  return r;
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

/// --batch: the flags' options to dateline::run_batch(), stdin to stdout, diagnostics to stderr.
int run_batch(dateline::Searcher& searcher, const RunOptions& r) {
  dateline::BatchOptions batch;
  batch.search = r.search;
  batch.format = r.format;
  batch.print = r.print;
  batch.count = r.count;
  batch.program = std::string(kProgram);
  std::ofstream timings;
  if (r.timings) {
    timings.open(*r.timings);
    if (!timings) throw UsageError("--timings: cannot write " + *r.timings);
    batch.timings = &timings;
  }
  auto to_stderr = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  auto summary = dateline::run_batch(searcher, batch, std::cin, std::cout, to_stderr);
  if (summary.closed) return exit_code::kHits;
  if (summary.any_failed) return exit_code::kError;
  return summary.any_hits ? exit_code::kHits : exit_code::kNoHits;
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
  const size_t limit = dateline::parse_number("limit", args["limit"].as<std::string>(), 1'000'000);
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
         "AND OR NOT (upper case), parentheses, +required -excluded, prefix*, and fields:\n" +
         dateline::query_field_examples(100, "  ") +  // the query fields of analyzers/schema.h
         "  title:\"a phrase\" date:2022-02\n"
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
                                "Let a stub file's 'remote HOST:PORT' lines open TCP shards (off: refused)")(
      "remote-timeout",
      "Seconds to wait for a remote shard to connect or answer (default 10); one that does not is an "
      "error",
      cxxopts::value<std::string>(), "SECONDS")(
      "allow-partial",
      "Search the shards that open when some do not (a server down): the answer is flagged partial and "
      "names them");
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
      ("exact-names", "Match names and words as spelt: no other spellings or scripts (Kiev/Kyiv/Київ), no aliases")
      ("aliases", "Alias groups, one per line: NAME, NAME, ... (adds to the spelling variants; a line starting with '=' replaces them)", cxxopts::value<std::string>(), "FILE")
      ("copies", "Syndicated copies: collapse (one hit per story, the others listed with it) or show (every copy its own hit)", cxxopts::value<std::string>()->default_value("collapse"), "collapse|show")
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
    if (run.aliases) {
      run.search.compile.aliases = std::make_shared<const dateline::NameAliases>(dateline::read_name_aliases(
          *run.aliases, [&](std::string_view name) {
            std::vector<std::string> words;
            for (const auto& token : searcher.analyzer().analyze(name)) words.push_back(token.term);
            return words;
          }));
    }
    if (run.info) {
      dateline::DatabaseInfo info = searcher.info();
      const auto l = dateline::database::layout(run.db);
      if (l == dateline::database::Layout::kStubDir || l == dateline::database::Layout::kStubFile) {
        info.shards = dateline::database::shard_info(run.db, run.open);  // each shard on its own
      }
      dateline::print_info(std::cout, run.format, info);
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
        dateline::cli::print_error(kProgram, "query error: " + dateline::clip_message(e.what()));
        std::fputs(dateline::caret_lines(run.search.query, e.column()).c_str(), stderr);
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
