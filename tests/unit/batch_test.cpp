/** @file
 *  @brief Tests of searcher/batch.h: the search flags as --batch keys and the --batch protocol, request lines
 *  in, response and error lines out, over a small database built by the indexer.
 */
#include "searcher/batch.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/errors.h"
#include "indexer/indexer.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

using nlohmann::json;

// ---- options ------------------------------------------------------------------------------------------

std::string usage_error(SearchOptions& o, const std::string& key, const std::vector<std::string>& values) {
  try {
    apply_option(o, key, values);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ApplyOption, FlagsAndTheirUnderscoreKeys) {
  SearchOptions o;
  EXPECT_TRUE(apply_option(o, "limit", {"3"}));
  EXPECT_EQ(o.limit, 3u);
  EXPECT_TRUE(apply_option(o, "per_article", {"0"}));
  EXPECT_EQ(o.per_article, 0u);
  EXPECT_TRUE(apply_option(o, "snippet-chars", {"50"}));
  EXPECT_EQ(o.snippet_chars, 50u);
  EXPECT_TRUE(apply_option(o, "sort", {"-date"}));
  EXPECT_EQ(o.sort, SortOrder::kDateDesc);
  EXPECT_TRUE(apply_option(o, "match", {"all"}));
  EXPECT_TRUE(o.compile.match_all);
  EXPECT_TRUE(apply_option(o, "outlet", {"Newsweek", "Reuters"}));  // repeatable: every value
  EXPECT_EQ(o.filters.outlets, (std::vector<std::string>{"Newsweek", "Reuters"}));
  EXPECT_TRUE(apply_option(o, "since", {"2021", "2022"}));  // the last one
  EXPECT_EQ(o.filters.since, "2022");
  EXPECT_TRUE(apply_option(o, "exact_total", {"true"}));
  EXPECT_EQ(o.exact_total_up_to, kAllMatches);
  EXPECT_TRUE(apply_option(o, "time-limit", {"0.5"}));
  EXPECT_EQ(o.compile.budget.time_limit, 0.5);
  EXPECT_FALSE(apply_option(o, "format", {"json"}));  // a flag of the run, no search option
  EXPECT_FALSE(apply_option(o, "colour", {"1"}));
  for (std::string_view flag : kSearchFlags) {
    SearchOptions fresh;
    const std::string key(flag);
    const std::string value = key == "limit" || key == "offset" || key == "per-article" ||
                                      key == "facet-limit" || key == "snippet-chars"
                                  ? "10"
                              : key == "sort"       ? "date"
                              : key == "match"      ? "all"
                              : key == "copies"     ? "show"
                              : key == "facet"      ? "outlet"
                              : key == "time-limit" ? "1"
                              : key == "syntax"     ? "plain"
                                                    : "2022";
    EXPECT_TRUE(apply_option(fresh, key, {value})) << key;
  }
}

TEST(ApplyOption, BadValuesNameTheFlag) {
  SearchOptions o;
  EXPECT_EQ(usage_error(o, "limit", {"ten"}),
            "--limit: expected a whole number from 0 to 1000000, got 'ten'");
  EXPECT_EQ(usage_error(o, "per_article", {"-1"}),
            "--per-article: expected a whole number from 0 to 1000000, got '-1'");
  EXPECT_EQ(usage_error(o, "snippet-chars", {"9"}), "--snippet-chars: must be at least 10");
  EXPECT_EQ(usage_error(o, "sort", {"newest"}), "--sort: expected relevance, date or -date, got 'newest'");
  EXPECT_EQ(usage_error(o, "match", {"some"}), "--match: expected any or all, got 'some'");
  EXPECT_EQ(usage_error(o, "time-limit", {"3601"}),
            "--time-limit: expected seconds from 0 (no limit) to 3600, got '3601'");
  const std::string facet = usage_error(o, "facet", {"outlet", "colour"});
  EXPECT_EQ(facet.rfind("--facet: unknown facet 'colour' (known: ", 0), 0u) << facet;
}

TEST(RequireQuery, WordsOrAFilter) {
  SearchOptions o;
  o.query = " \t";
  EXPECT_THROW(require_query(o), UsageError);
  EXPECT_FALSE(has_filter(o));
  o.filters.until = "2022";
  EXPECT_TRUE(has_filter(o));
  EXPECT_NO_THROW(require_query(o));
  SearchOptions words;
  words.query = "kyiv";
  EXPECT_NO_THROW(require_query(words));
}

TEST(FacetWarning, OnlyWhereNoFacetsArePrinted) {
  SearchOptions o;
  EXPECT_EQ(facet_warning(o, Format::kTsv, false), std::nullopt);
  o.facets = {FacetKind::kOutlet};
  EXPECT_EQ(facet_warning(o, Format::kText, false), std::nullopt);
  EXPECT_EQ(facet_warning(o, Format::kJson, false), std::nullopt);
  EXPECT_EQ(facet_warning(o, Format::kTsv, false),
            "warning: --facet: this --format prints no facets (they come with --format text or json)");
  EXPECT_EQ(facet_warning(o, Format::kJson, true),
            "warning: --facet: --count prints no facets (they come with --format text or json)");
}

// ---- the protocol ----------------------------------------------------------------------------------------

class Batch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    IndexOptions o;
    o.db_path = (dir_->path() / "db").string();
    o.inputs = {"-"};
    o.threads = 1;
    o.stdin_data =
        "{\"id\":\"kyiv\",\"title\":\"Kyiv talks\",\"outlet\":\"Newsweek\",\"date\":\"2022-02-24\","
        "\"text\":\"Troops gathered near Kyiv on Thursday.\"}\n"
        "{\"id\":\"minsk\",\"title\":\"Minsk talks\",\"outlet\":\"Reuters\",\"date\":\"2021-05-01\","
        "\"text\":\"Troops left Minsk after the talks.\"}\n";
    Reporter quiet;
    IndexReport report = run_index(o, quiet);
    ASSERT_EQ(report.added, 2u);
    searcher_ = new Searcher(o.db_path);
  }
  static void TearDownTestSuite() {
    delete searcher_;
    delete dir_;
  }

  struct Run {
    BatchSummary summary;
    std::string out;
    std::vector<std::string> err;
  };
  static Run run(const std::string& input, BatchOptions options = {}) {
    options.print.batch = true;
    std::istringstream in(input);
    std::ostringstream out;
    Run r;
    auto collect = [&](const std::string& line) { r.err.push_back(line); };
    r.summary = run_batch(*searcher_, options, in, out, collect);
    r.out = out.str();
    return r;
  }
  static BatchOptions format(Format f) {
    BatchOptions o;
    o.format = f;
    return o;
  }

  static test::TempDir* dir_;
  static Searcher* searcher_;
};
test::TempDir* Batch::dir_ = nullptr;
Searcher* Batch::searcher_ = nullptr;

TEST_F(Batch, TextAndJsonRequestLinesGiveOneAnswerEach) {
  Run r = run("troops\n"
              "{\"id\": \"q2\", \"query\": \"kyiv\"}\n"
              "{\"query\": \"troops\", \"outlet\": [\"Reuters\"]}\n",
              format(Format::kIds));
  EXPECT_EQ(r.out, "1\tkyiv\n1\tminsk\nq2\tkyiv\n3\tminsk\n");
  EXPECT_TRUE(r.err.empty());
  EXPECT_TRUE(r.summary.any_hits);
  EXPECT_FALSE(r.summary.any_failed);
  EXPECT_FALSE(r.summary.closed);
}

TEST_F(Batch, LinesOverrideTheFlagsForThatLineOnly) {
  BatchOptions o = format(Format::kIds);
  o.search.limit = 1;
  o.search.sort = SortOrder::kDate;
  Run r = run("troops\n{\"query\": \"troops\", \"limit\": 5, \"sort\": \"-date\"}\ntroops\n", o);
  EXPECT_EQ(r.out, "1\tminsk\n2\tkyiv\n2\tminsk\n3\tminsk\n");
}

TEST_F(Batch, FiltersAloneAndEmptyListsClearAFilter) {
  BatchOptions o = format(Format::kIds);
  o.search.filters.outlets = {"Reuters"};
  Run r = run("{\"id\": \"a\"}\n{\"id\": \"b\", \"query\": \"kyiv\", \"outlet\": []}\n", o);
  EXPECT_EQ(r.out, "a\tminsk\nb\tkyiv\n");
}

TEST_F(Batch, BlankLinesSkippedCrlfReadLineNumbersCountEveryLine) {
  Run r = run("\n  \t\r\nkyiv\r\n\nminsk\n", format(Format::kIds));
  EXPECT_EQ(r.out, "3\tkyiv\n5\tminsk\n");
}

TEST_F(Batch, BadLinesGetOneErrorLineEachAndTheRunGoesOn) {
  const std::string input =
      "{\"query\": \"kyiv\"\n"                         // 1: bad JSON
      "[\"kyiv\"]\n"                                   // 2: JSON, not an object ('[' reads as query text)
      "{\"id\": \"q3\", \"query\": 5}\n"               // 3
      "{\"id\": \"q4\", \"query\": \"x\", \"db\": \"y\"}\n"  // 4: a flag of the run
      "{\"id\": \"q5\", \"query\": \"x\", \"colour\": 1}\n"  // 5: unknown key
      "{\"id\": \"a\\tb\", \"query\": \"kyiv\"}\n"     // 6: an id that would forge a column
      "{\"id\": \"q7\", \"limit\": []}\n"              // 7
      "kyiv )\n"                                        // 8: query error with a column
      "{\"id\": \"q9\", \"limit\": \"many\"}\n"        // 9
      "{\"id\": \"q10\"}\n"                             // 10: no query, no filter
      "minsk\n";                                        // 11: answered
  Run r = run(input, format(Format::kIds));
  EXPECT_EQ(r.out, "2\tkyiv\n11\tminsk\n");
  ASSERT_EQ(r.err.size(), 9u);
  EXPECT_EQ(r.err[0], "dateline-search: stdin:1: query 1: not a JSON object");
  EXPECT_EQ(r.err[1], "dateline-search: stdin:3: query q3: \"query\" must be a string");
  EXPECT_EQ(r.err[2], "dateline-search: stdin:4: query q4: \"db\" applies to the whole run: give it as --db");
  EXPECT_EQ(r.err[3], "dateline-search: stdin:5: query q5: unknown key \"colour\"");
  EXPECT_EQ(r.err[4].rfind("dateline-search: stdin:6: query 6: \"id\" ", 0), 0u) << r.err[4];
  EXPECT_EQ(r.err[5], "dateline-search: stdin:7: query q7: \"limit\": empty list");
  EXPECT_EQ(r.err[6].rfind("dateline-search: stdin:8: query 8: query error: unbalanced parenthesis", 0), 0u)
      << r.err[6];
  EXPECT_NE(r.err[6].find(" (column 6)"), std::string::npos) << r.err[6];
  EXPECT_EQ(r.err[7],
            "dateline-search: stdin:9: query q9: --limit: expected a whole number from 0 to 1000000, got "
            "'many'");
  EXPECT_EQ(r.err[8], "dateline-search: stdin:10: query q10: no query given (try: dateline-search --help)");
  EXPECT_TRUE(r.summary.any_failed);
  EXPECT_TRUE(r.summary.any_hits);
}

TEST_F(Batch, JsonFormatsReportErrorsAsJsonLines) {
  Run r = run("not json {\n{\"id\": \"q2\", \"query\": \"kyiv )\"}\n{oops\n", format(Format::kJsonl));
  ASSERT_EQ(r.err.size(), 2u);
  EXPECT_EQ(json::parse(r.err[0]),
            json::parse("{\"type\":\"error\",\"line\":2,\"qid\":\"q2\",\"message\":\"query error: unbalanced "
                        "parenthesis: ')' has no matching '('\",\"column\":6}"));
  EXPECT_EQ(json::parse(r.err[1]), json::parse("{\"type\":\"error\",\"line\":3,\"qid\":\"3\","
                                               "\"message\":\"not a JSON object\",\"column\":null}"));
  EXPECT_FALSE(r.summary.any_hits);  // line 1's words match nothing
  EXPECT_TRUE(r.summary.any_failed);
}

TEST_F(Batch, HugeQueryErrorsAreClipped) {
  Run r = run("{\"id\": \"big\", \"query\": \"" + std::string(5000, 'x') + ")\"}\n", format(Format::kJson));
  ASSERT_EQ(r.err.size(), 1u);
  EXPECT_LT(r.err[0].size(), 500u);
}

TEST_F(Batch, CountTimingsAndTheFacetWarningOnce) {
  BatchOptions o = format(Format::kTsv);
  o.count = true;
  o.search.facets = {FacetKind::kOutlet};
  std::ostringstream timings;
  o.timings = &timings;
  Run r = run("troops\n{\"id\": \"k\", \"query\": \"kyiv\"}\nnothingmatchesthis\n", o);
  EXPECT_EQ(r.out, "1\t2\nk\t1\n3\t0\n");
  ASSERT_EQ(r.err.size(), 1u);
  EXPECT_EQ(r.err[0], "dateline-search: warning: --facet: --count prints no facets (they come with --format "
                      "text or json)");
  std::vector<std::string> ids;
  std::istringstream t(timings.str());
  for (std::string line; std::getline(t, line);) ids.push_back(line.substr(0, line.find('\t')));
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "k", "3"}));
}

TEST_F(Batch, AClosedOutputStopsTheRun) {
  BatchOptions o = format(Format::kIds);
  o.print.batch = true;
  std::istringstream in("kyiv\nminsk\n{oops\n");
  std::ostringstream out;
  out.setstate(std::ios::badbit);  // as std::cout after the reader of a pipe went away
  std::vector<std::string> err;
  BatchSummary s = run_batch(*searcher_, o, in, out, [&](const std::string& line) { err.push_back(line); });
  EXPECT_TRUE(s.closed);
  EXPECT_TRUE(err.empty());  // stopped at the first answer: line 3 was never read
  std::string rest;
  std::getline(in, rest);
  EXPECT_EQ(rest, "minsk");
}

}  // namespace
}  // namespace dateline
