/** @file
 *  @brief Search options from flags or --batch keys; the --batch loop (see batch.h).
 */
#include "searcher/batch.h"

#include <charconv>
#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "articles/ids.h"
#include "base/errors.h"
#include "base/terminal.h"
#include "searcher/caret.h"

namespace dateline {

namespace {


bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
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
                                          "timings", "verbose", "quiet", "help", "version", "allow-remote",
                                          "remote-timeout", "allow-partial"};
  for (const char* flag : kRunFlags) {
    if (key == flag) return true;
  }
  return false;
}

/// A JSON request line into `options` (its keys over the flags) and `qid` (its "id", once that is known to
/// be usable). Throws UsageError for what is wrong with it.
void read_request(const std::string& line, SearchOptions& options, std::optional<std::string>& qid) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw UsageError("not a JSON object");
  if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
    std::string id = json_value_text(*it);
    // Named by its line number, not by itself.
    if (auto problem = id_problem(id)) throw UsageError("\"id\" " + *problem);
    qid = std::move(id);
  }
  // No "query" key: the filters of the line alone, as --outlet X alone on the command line.
  auto q = j.find("query");
  if (q != j.end() && !q->is_string()) throw UsageError("\"query\" must be a string");
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
      if (is_run_flag(key)) throw UsageError("\"" + key + "\" applies to the whole run: give it as --" + key);
      throw UsageError("unknown key \"" + key + "\"");
    }
  }
}

}  // namespace

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
    auto s = parse_sort(v);
    if (!s) throw UsageError("--sort: expected relevance, date or -date, got '" + v + "'");
    o.sort = *s;
  } else if (key == "syntax") {
    auto s = parse_syntax(v);
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
      auto f = parse_facet(name);
      if (!f) throw UsageError("--facet: unknown facet '" + name + "' (known: " + facet_names() + ")");
      o.facets.push_back(*f);
    }
  } else if (key == "copies") {
    if (v != "collapse" && v != "show") throw UsageError("--copies: expected collapse or show, got '" + v + "'");
    o.collapse_copies = v == "collapse";
  } else if (key == "fast-facets" || key == "fast_facets") {
    o.fast_facets = v == "true" || v == "1";
  } else if (key == "exact-total" || key == "exact_total") {
    if (v == "true" || v == "1") o.exact_total_up_to = kAllMatches;
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

bool has_filter(const SearchOptions& o) {
  const auto& f = o.filters;
  return !f.outlets.empty() || !f.speakers.empty() || !f.authors.empty() || f.since || f.until;
}

void require_query(const SearchOptions& o) {
  if (blank(o.query) && !has_filter(o)) throw UsageError("no query given (try: dateline-search --help)");
}

std::optional<std::string> facet_warning(const SearchOptions& o, Format format, bool count) {
  const bool printed = !count && (format == Format::kText || format == Format::kJson);
  if (o.facets.empty() || printed) return std::nullopt;
  return std::string("warning: --facet: ") + (count ? "--count" : "this --format") +
         " prints no facets (they come with --format text or json)";
}

BatchSummary run_batch(Searcher& searcher, const BatchOptions& r, std::istream& in, std::ostream& out,
                       const std::function<void(const std::string& line)>& diagnostic) {
  auto printer = make_printer(r.format, out, r.print);
  auto print_error = [&](const std::string& message) { diagnostic(r.program + ": " + one_line(message)); };
  const bool json_errors = r.format == Format::kJson || r.format == Format::kJsonl;
  BatchSummary summary;
  bool facet_warned = false;  // once per run
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    std::optional<std::string> qid = std::to_string(line_no);
    SearchOptions options = r.search;
    auto fail = [&](const std::string& full_message, std::optional<size_t> column) {
      summary.any_failed = true;
      std::string message = clip_message(full_message);  // a huge query line must not come back whole
      if (json_errors) {
        diagnostic(error_json(line_no, qid, message, column));
      } else {
        std::string where = "stdin:" + std::to_string(line_no) + ": ";
        if (qid) where += "query " + *qid + ": ";
        print_error(where + message + (column ? " (column " + std::to_string(*column) + ")" : ""));
      }
    };
    try {
      if (line[line.find_first_not_of(" \t")] == '{') {
        read_request(line, options, qid);
      } else {
        options.query = line;
      }
      require_query(options);
      if (!facet_warned) {
        if (auto warning = facet_warning(options, r.format, r.count)) {
          facet_warned = true;
          print_error(*warning);
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      std::optional<std::pair<uint64_t, bool>> counted;
      SearchResult result;
      if (r.count) {
        counted = searcher.count(options);
      } else {
        result = searcher.search(options);
      }
      const auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
              .count();
      if (r.timings) *r.timings << qid.value_or("") << '\t' << micros << '\n';
      if (counted) {
        print_count(out, r.format, options.query, counted->first, counted->second, qid, true);
        summary.any_hits = summary.any_hits || counted->first > 0;
      } else {
        printer->print(result, qid);
        summary.any_hits = summary.any_hits || !result.hits.empty() || result.total > 0;
        // JSON output carries them in the result ("partial", "warnings"); stderr holds JSON errors there.
        for (size_t w = 0; !json_errors && w < result.warnings.size(); ++w) {
          print_error("stdin:" + std::to_string(line_no) + ": query " + qid.value_or("") +
                      ": warning: " + result.warnings[w]);
        }
      }
      if (!out.good()) {
        summary.closed = true;  // the reader closed stdout (`| head -1`): stop quietly
        return summary;
      }
    } catch (const QueryError& e) {
      fail("query error: " + std::string(e.what()),
           e.column() > 0 ? std::optional<size_t>(e.column()) : std::nullopt);
    } catch (const UsageError& e) {
      fail(e.what(), std::nullopt);
    }
  }
  return summary;
}

}  // namespace dateline
