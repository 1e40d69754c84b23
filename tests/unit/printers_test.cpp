/** @file
 *  @brief Printers: every --format backend on a hand-made result, compared as exact strings.
 */
#include "searcher/printers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace {

using dateline::Format;
using dateline::Hit;
using dateline::PrintOptions;
using dateline::SearchResult;

SearchResult sample() {
  SearchResult r;
  r.query = "troop";
  r.total = 2;
  r.total_exact = true;
  Hit a;
  a.rank = 1;
  a.score = 5.75;
  a.id = "001.txt";
  a.path = "articles/001.txt";
  a.title = "Belarus Insists";
  a.date = "2022-10-12";
  a.author = "Naveen Athrappully";
  a.passage = 1;
  a.text = "Russian troops\tmoved.";
  a.snippet = dateline::Snippet{"Russian troops moved.", {{8, 14}}};
  Hit b;
  b.rank = 2;
  b.score = 1.5;
  b.id = "000.txt";
  b.outlet = "The Washington Times";
  b.date = "2022-02-24";
  b.passage = 2;
  b.speakers = {"Alexander Lukashenko", "Vladimir Putin"};
  b.text = "\xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.";
  b.snippet = dateline::Snippet{"\xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.", {{5, 11}}};
  Hit c = b;  // a second passage of the same article (--per-article 2)
  c.rank = 3;
  c.score = 1.5;
  c.passage = 5;
  c.speakers.clear();
  c.text = "Troops\x1b[31m massed.";
  c.snippet = dateline::Snippet{"Troops\x1b[31m massed.", {{0, 6}}};
  r.hits = {a, b, c};
  r.facets = {{"outlet", {{"The Washington Times", 1}}, true}, {"year", {{"2022", 2}}, true}};
  return r;
}

std::string render(Format format, const SearchResult& r, PrintOptions options = {},
                   const std::optional<std::string>& qid = std::nullopt) {
  std::ostringstream out;
  auto printer = dateline::make_printer(format, out, options);
  printer->print(r, qid);
  return out.str();
}

TEST(Printers, Text) {
  EXPECT_EQ(render(Format::kText, sample()),
            "1. Belarus Insists \xC2\xB7 2022-10-12\n"
            "   Russian troops moved.\n"
            "\n"
            "2. 000.txt \xC2\xB7 The Washington Times \xC2\xB7 2022-02-24\n"
            "   speakers: Alexander Lukashenko, Vladimir Putin\n"
            "   \xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.\n"
            "\n"
            "3. 000.txt \xC2\xB7 The Washington Times \xC2\xB7 2022-02-24\n"
            "   Troops\\x1b[31m massed.\n"  // escape sequences from article text are made visible
            "\n"
            "facet outlet:\n"
            "  1  The Washington Times\n"
            "facet year:\n"
            "  2  2022\n"
            "2 matching articles; hits 1-3 shown\n");
}

TEST(Printers, TextColourHighlightsByCodePoint) {
  SearchResult r = sample();
  r.hits.resize(2);
  r.hits.erase(r.hits.begin());
  r.facets.clear();
  PrintOptions o;
  o.colour = true;
  EXPECT_EQ(render(Format::kText, r, o),
            "2. \x1b[1m000.txt \xC2\xB7 The Washington Times \xC2\xB7 2022-02-24\x1b[0m\n"
            "   speakers: Alexander Lukashenko, Vladimir Putin\n"
            "   \xE2\x80\x9COur \x1b[1;31mtroops\x1b[0m are not there,\xE2\x80\x9D he said.\n"
            "\n"
            "2 matching articles; hit 2 shown\n");
}

TEST(Printers, Json) {
  SearchResult r = sample();
  r.hits.resize(1);
  r.facets.resize(1);
  EXPECT_EQ(render(Format::kJson, r),
            R"({"schema_version":1,"query":"troop","total":{"value":2,"exact":true},"hits":[)"
            R"({"rank":1,"score":5.75,"id":"001.txt","path":"articles/001.txt","title":"Belarus Insists",)"
            R"("outlet":null,"date":"2022-10-12","author":"Naveen Athrappully","passage":1,"speakers":[],)"
            R"("text":"Russian troops\tmoved.","snippet":"Russian troops moved.","highlights":[[8,14]]}],)"
            R"("facets":{"outlet":[{"value":"The Washington Times","count":1}]},"facets_exact":true})"
            "\n");
}

TEST(Printers, JsonWithQidAndSuggestionAndNoHits) {
  SearchResult r;
  r.query = "trops";
  r.suggestion = "troops";
  EXPECT_EQ(render(Format::kJson, r, {}, "q7"),
            R"({"schema_version":1,"qid":"q7","query":"trops","total":{"value":0,"exact":true},"hits":[],)"
            R"("facets":{},"suggestion":"troops"})"
            "\n");
}

TEST(Printers, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  SearchResult r;
  r.query = std::string("bad \xff byte");
  EXPECT_EQ(
      render(Format::kJson, r),
      "{\"schema_version\":1,\"query\":\"bad \xEF\xBF\xBD byte\",\"total\":{\"value\":0,\"exact\":true},"
      "\"hits\":[],\"facets\":{}}\n");
}

TEST(Printers, Jsonl) {
  SearchResult r = sample();
  r.hits.resize(2);
  EXPECT_EQ(render(Format::kJsonl, r, {}, "3"),
            R"({"type":"hit","qid":"3","rank":1,"score":5.75,"id":"001.txt","path":"articles/001.txt",)"
            R"("title":"Belarus Insists","outlet":null,"date":"2022-10-12","author":"Naveen Athrappully",)"
            R"("passage":1,"speakers":[],"text":"Russian troops\tmoved.","snippet":"Russian troops moved.",)"
            R"("highlights":[[8,14]]})"
            "\n"
            R"({"type":"hit","qid":"3","rank":2,"score":1.5,"id":"000.txt","path":null,"title":null,)"
            R"("outlet":"The Washington Times","date":"2022-02-24","author":null,"passage":2,)"
            R"("speakers":["Alexander Lukashenko","Vladimir Putin"],)"
            "\"text\":\"\xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.\","
            "\"snippet\":\"\xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.\","
            R"("highlights":[[5,11]]})"
            "\n");
}

TEST(Printers, Tsv) {
  SearchResult r = sample();
  r.hits[0].snippet->text = "tab\there\nnew line \\ back";
  EXPECT_EQ(render(Format::kTsv, r),
            "rank\tscore\tid\tdate\toutlet\ttitle\tpassage\tsnippet\n"
            "1\t5.7500\t001.txt\t2022-10-12\t\tBelarus Insists\t1\ttab\\there\\nnew line \\\\ back\n"
            "2\t1.5000\t000.txt\t2022-02-24\tThe Washington Times\t\t2\t"
            "\xE2\x80\x9COur troops are not there,\xE2\x80\x9D he said.\n"
            // Control characters from article text are escaped, never written raw (terminal safety).
            "3\t1.5000\t000.txt\t2022-02-24\tThe Washington Times\t\t5\tTroops\\x1b[31m massed.\n");
}

TEST(Printers, TsvBatchHeaderOnceWithQidColumn) {
  SearchResult r = sample();
  r.hits.resize(1);
  std::ostringstream out;
  PrintOptions o;
  o.batch = true;
  auto printer = dateline::make_printer(Format::kTsv, out, o);
  printer->print(r, "a");
  printer->print(r, "b");
  EXPECT_EQ(out.str(),
            "qid\trank\tscore\tid\tdate\toutlet\ttitle\tpassage\tsnippet\n"
            "a\t1\t5.7500\t001.txt\t2022-10-12\t\tBelarus Insists\t1\tRussian troops moved.\n"
            "b\t1\t5.7500\t001.txt\t2022-10-12\t\tBelarus Insists\t1\tRussian troops moved.\n");
}

TEST(Printers, IdsOncePerArticle) {
  EXPECT_EQ(render(Format::kIds, sample()), "001.txt\n000.txt\n");
  PrintOptions o;
  o.batch = true;
  EXPECT_EQ(render(Format::kIds, sample(), o, "q1"), "q1\t001.txt\nq1\t000.txt\n");
}

TEST(Printers, TrecOncePerArticleRanksRecounted) {
  EXPECT_EQ(render(Format::kTrec, sample()),
            "1 Q0 001.txt 1 5.750000 dateline\n"
            "1 Q0 000.txt 2 1.500000 dateline\n");
  EXPECT_EQ(render(Format::kTrec, sample(), {}, "42"),
            "42 Q0 001.txt 1 5.750000 dateline\n"
            "42 Q0 000.txt 2 1.500000 dateline\n");
}

TEST(Printers, ExplainInJson) {
  SearchResult r = sample();
  r.hits.resize(1);
  r.facets.clear();
  dateline::Explanation ex;
  ex.scoring = "passage";
  ex.weighting = "BM25";
  ex.passage_score = 2.5;
  ex.passage_terms = {"troops"};
  ex.query = "Query(troops)";
  ex.parsed = "(WORD troops)";
  r.hits[0].explain = ex;
  std::string out = render(Format::kJson, r);
  EXPECT_NE(out.find(R"j("explain":{"scoring":"passage","weighting":"BM25","passage_score":2.5,)j"
                     R"j("passage_terms":["troops"],"query":"Query(troops)","parsed":"(WORD troops)"}})j"),
            std::string::npos)
      << out;
}

TEST(Printers, Count) {
  std::ostringstream a, b, c;
  dateline::print_count(a, Format::kText, "troop", 4, true, std::nullopt, false);
  dateline::print_count(b, Format::kJson, "troop", 4, true, std::nullopt, false);
  dateline::print_count(c, Format::kIds, "troop", 4, true, "q9", true);
  EXPECT_EQ(a.str(), "4\n");
  EXPECT_EQ(b.str(), R"({"schema_version":1,"query":"troop","total":{"value":4,"exact":true}})"
                     "\n");
  EXPECT_EQ(c.str(), "q9\t4\n");
}

TEST(Printers, List) {
  const std::vector<dateline::FacetCount> values{{"Newsweek", 3}, {"Tab\there\nnew\x1b[31m", 1}};
  std::ostringstream text, tsv, ids, j, jl, none;
  dateline::print_list(text, Format::kText, values);
  dateline::print_list(tsv, Format::kTsv, values);
  dateline::print_list(ids, Format::kIds, values);
  dateline::print_list(j, Format::kJson, values);
  dateline::print_list(jl, Format::kJsonl, values);
  dateline::print_list(none, Format::kJson, {});
  // A value never breaks the one-line-per-value shape nor reaches the terminal raw.
  EXPECT_EQ(text.str(), "Newsweek\t3\nTab\\there\\nnew\\x1b[31m\t1\n");
  EXPECT_EQ(tsv.str(), "value\tcount\nNewsweek\t3\nTab\\there\\nnew\\x1b[31m\t1\n");
  EXPECT_EQ(ids.str(), "Newsweek\nTab\\there\\nnew\\x1b[31m\n");
  EXPECT_EQ(j.str(), R"([{"value":"Newsweek","count":3},{"value":"Tab\there\nnew\u001b[31m","count":1}])"
                     "\n");
  EXPECT_EQ(jl.str(), R"({"value":"Newsweek","count":3})"
                      "\n"
                      R"({"value":"Tab\there\nnew\u001b[31m","count":1})"
                      "\n");
  EXPECT_EQ(none.str(), "[]\n");
}

TEST(Printers, ErrorLine) {
  EXPECT_EQ(dateline::error_json(3, std::string("x"), "query error: unbalanced quote", 5),
            R"({"type":"error","line":3,"qid":"x","message":"query error: unbalanced quote","column":5})");
  EXPECT_EQ(dateline::error_json(4, std::nullopt, "not a JSON object", std::nullopt),
            R"({"type":"error","line":4,"qid":null,"message":"not a JSON object","column":null})");
}

TEST(Printers, ParseFormat) {
  EXPECT_EQ(dateline::parse_format("jsonl"), Format::kJsonl);
  EXPECT_EQ(dateline::parse_format("trec"), Format::kTrec);
  EXPECT_EQ(dateline::parse_format("JSON"), std::nullopt);
  EXPECT_EQ(dateline::parse_format(""), std::nullopt);
}

TEST(Printers, CodePointToByte) {
  const std::string s = "a\xC3\xA9\xE2\x80\xA6z";  // a é … z
  EXPECT_EQ(dateline::code_point_to_byte(s, 0), 0u);
  EXPECT_EQ(dateline::code_point_to_byte(s, 1), 1u);
  EXPECT_EQ(dateline::code_point_to_byte(s, 2), 3u);
  EXPECT_EQ(dateline::code_point_to_byte(s, 3), 6u);
  EXPECT_EQ(dateline::code_point_to_byte(s, 4), 7u);
  EXPECT_EQ(dateline::code_point_to_byte(s, 9), 7u);
}

}  // namespace

namespace {

/// A result whose every printed field holds line breaks, tabs, ESC, NUL, C1 and invalid UTF-8, as an id
/// read from a database written before the id rule (articles/ids.h) could.
SearchResult forged() {
  const std::string bad = std::string("j\n1\tfake\x1b[31m\0\r\xc2\x9b\xff", 18);
  SearchResult r;
  r.query = "q" + bad;
  r.total = 1;
  r.total_exact = true;
  Hit h;
  h.rank = 1;
  h.score = 2;
  h.id = bad;
  h.title = "T" + bad;
  h.outlet = "O" + bad;
  h.date = "2022-01-01";
  h.passage = 1;
  h.speakers = {"S" + bad};
  h.snippet = dateline::Snippet{"s" + bad, {}};
  r.hits = {h};
  r.facets = {{"outlet", {{"O" + bad, 1}}, true}};
  return r;
}

}  // namespace

TEST(Printers, ForgedIdsStayOnOneLineEscapedAsDeleteAcceptsThem) {
  const std::string escaped = "j\\x0a1\\x09fake\\x1b[31m\\x00\\x0d\\xc2\\x9b\\xff";
  PrintOptions batch;
  batch.batch = true;
  EXPECT_EQ(render(Format::kIds, forged()), escaped + "\n");
  EXPECT_EQ(render(Format::kIds, forged(), batch, std::string("q\n2")), "q\\x0a2\t" + escaped + "\n");
  EXPECT_EQ(render(Format::kTrec, forged(), {}, std::string("q\t2")),
            "q\\x092 Q0 " + escaped + " 1 2.000000 dateline\n");
  EXPECT_EQ(render(Format::kTsv, forged()),
            "rank\tscore\tid\tdate\toutlet\ttitle\tpassage\tsnippet\n"
            "1\t2.0000\tj\\n1\\tfake\\x1b[31m\\x00\\r\\u009b\\xff\t2022-01-01\t"
            "Oj\\n1\\tfake\\x1b[31m\\x00\\r\\u009b\\xff\tTj\\n1\\tfake\\x1b[31m\\x00\\r\\u009b\\xff\t1\t"
            "sj\\n1\\tfake\\x1b[31m\\x00\\r\\u009b\\xff\n");
  // Text: one line per field, controls visible.
  const std::string safe = "j\\x0a1\\x09fake\\x1b[31m\\x00\\x0d\\u009b\xef\xbf\xbd";
  EXPECT_EQ(render(Format::kText, forged(), batch, std::string("q\n2")),
            "== q\\x0a2: q" + safe + "\n1. T" + safe + " \xC2\xB7 O" + safe +
                " \xC2\xB7 2022-01-01\n   speakers: S" + safe + "\n   s" + safe +
                "\n\nfacet outlet:\n  1  O" + safe + "\n1 matching article; hit 1 shown\n");
  SearchResult untitled = forged();
  untitled.hits[0].title.reset();
  EXPECT_NE(render(Format::kText, untitled).find("1. " + escaped + " \xC2\xB7 O"), std::string::npos);
  // JSON and JSON Lines: one line each, controls escaped by JSON (invalid UTF-8 as U+FFFD).
  for (Format f : {Format::kJson, Format::kJsonl}) {
    std::string out = render(f, forged(), {}, std::string("q\n2"));
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_EQ(out.find_first_of(std::string("\t\r\x1b\0", 4)), std::string::npos) << out;
  }
}

TEST(Printers, CountInBatchEscapesTheQid) {
  std::ostringstream out;
  dateline::print_count(out, Format::kIds, "q", 3, true, std::string("a\nb"), true);
  EXPECT_EQ(out.str(), "a\\x0ab\t3\n");
}

TEST(Printers, TrecEmptyQidKeepsSixColumns) {
  EXPECT_EQ(render(Format::kTrec, sample(), {}, std::string()),
            "_ Q0 001.txt 1 5.750000 dateline\n"
            "_ Q0 000.txt 2 1.500000 dateline\n");
}
