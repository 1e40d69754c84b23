/** @file
 *  @brief Tests of the query parser: query text -> canonical AST, or -> "col N: message".
 */
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "analyzers/schema.h"
#include "searcher/query.h"
#include "searcher/query_ast.h"

namespace {

using dateline::parse_query;
using dateline::QueryError;

/// describe() of the parse, or "col N: message" when it throws QueryError.
std::string parse(const std::string& text) {
  try {
    return parse_query(text).describe();
  } catch (const QueryError& e) {
    return "col " + std::to_string(e.column()) + ": " + e.what();
  }
}

struct Case {
  const char* query;
  const char* expected;
};

void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(parse(c.query), c.expected) << "query: " << c.query;
}

TEST(QueryParser, WordsPhrasesAndWildcards) {
  check({
      {"troops", "(WORD troops)"},
      {"  troops  ", "(WORD troops)"},
      {"russian troops", "(DEFAULT (WORD russian) (WORD troops))"},
      {"Belarus-Ukraine", "(WORD Belarus-Ukraine)"},
      {"U.S.", "(WORD U.S.)"},
      {"\"special military operation\"", "(PHRASE \"special military operation\")"},
      {"\"  special\tmilitary  \"", "(PHRASE \"special military\")"},
      {"\u201cspecial military operation\u201d", "(PHRASE \"special military operation\")"},
      {"\"troops\"", "(PHRASE \"troops\")"},
      {"ukrain*", "(PREFIX ukrain)"},
      {"ukrain**", "(PREFIX ukrain)"},
      {"*ukraine", "(WORD *ukraine)"},
      // describe() quotes a word only when it would be ambiguous bare.
      {"a\\b", "(WORD \"a\\\\b\")"},
      {"troops \"the war\" kyiv*", "(DEFAULT (WORD troops) (PHRASE \"the war\") (PREFIX kyiv))"},
      // SciFact claim 42: "(+)" is notation, not an empty group (a bare "()" stays an error).
      {"alpha (+)- thalassemia", "(DEFAULT (WORD alpha) (WORD thalassemia))"},
      // Control characters and Unicode spaces separate terms.
      {"putin\x01lukashenko", "(DEFAULT (WORD putin) (WORD lukashenko))"},
      {"putin\u00a0lukashenko\u3000kyiv", "(DEFAULT (WORD putin) (WORD lukashenko) (WORD kyiv))"},
  });
}

TEST(QueryParser, ControlCharactersSeparate) {
  EXPECT_EQ(parse_query(std::string("putin\0kyiv", 10)).describe(), "(DEFAULT (WORD putin) (WORD kyiv))");
  EXPECT_EQ(parse_query("a\x7f"
                        "b")
                .describe(),
            "(DEFAULT (WORD a) (WORD b))");
}

TEST(QueryParser, OperatorsAndPrecedence) {
  check({
      {"a AND b", "(AND (WORD a) (WORD b))"},
      {"a OR b", "(OR (WORD a) (WORD b))"},
      {"a AND b AND c", "(AND (WORD a) (WORD b) (WORD c))"},
      {"a OR b AND c", "(OR (WORD a) (AND (WORD b) (WORD c)))"},
      {"a AND b OR c", "(OR (AND (WORD a) (WORD b)) (WORD c))"},
      {"NOT a AND b", "(AND (NOT (WORD a)) (WORD b))"},
      {"a AND NOT b", "(AND (WORD a) (NOT (WORD b)))"},
      {"a NOT b", "(DEFAULT (WORD a) (NOT (WORD b)))"},
      {"NOT a", "(NOT (WORD a))"},
      {"NOT NOT a", "(NOT (NOT (WORD a)))"},
      // Juxtaposition binds loosest: ukraine + (russia OR belarus).
      {"ukraine russia OR belarus", "(DEFAULT (WORD ukraine) (OR (WORD russia) (WORD belarus)))"},
      {"(a OR b) AND c", "(AND (OR (WORD a) (WORD b)) (WORD c))"},
      {"(a b) c", "(DEFAULT (DEFAULT (WORD a) (WORD b)) (WORD c))"},
      {"((a))", "(WORD a)"},
      // Lower-case operators are words.
      {"war and peace", "(DEFAULT (WORD war) (WORD and) (WORD peace))"},
      {"this or that not near", "(DEFAULT (WORD this) (WORD or) (WORD that) (WORD not) (WORD near))"},
      {"+troops -war", "(DEFAULT (REQUIRED (WORD troops)) (NOT (WORD war)))"},
      {"-war", "(NOT (WORD war))"},
      {"-\"the war\"", "(NOT (PHRASE \"the war\"))"},
      {"-(a b)", "(NOT (DEFAULT (WORD a) (WORD b)))"},
      {"+speaker:putin", "(REQUIRED (FIELD speaker \"putin\"))"},
      // A glued sign makes the next thing a term, even an operator's spelling.
      {"-NOT", "(NOT (WORD NOT))"},
      {"+AND x", "(DEFAULT (REQUIRED (WORD AND)) (WORD x))"},
      // A lone sign is punctuation; inner hyphens belong to the word.
      {"Kyiv - Moscow", "(DEFAULT (WORD Kyiv) (WORD Moscow))"},
      {"pro-Russian", "(WORD pro-Russian)"},
      {"(a -)", "(WORD a)"},
  });
}

TEST(QueryParser, Near) {
  check({
      {"putin NEAR ukraine", "(NEAR 10 (WORD putin) (WORD ukraine))"},
      {"putin NEAR/5 ukraine", "(NEAR 5 (WORD putin) (WORD ukraine))"},
      {"a NEAR/3 b NEAR/7 c", "(NEAR 7 (WORD a) (WORD b) (WORD c))"},
      {"\"united states\" NEAR/2 putin", "(NEAR 2 (PHRASE \"united states\") (WORD putin))"},
      {"x a NEAR b OR c", "(DEFAULT (WORD x) (OR (NEAR 10 (WORD a) (WORD b)) (WORD c)))"},
      {"-a NEAR b", "(NOT (NEAR 10 (WORD a) (WORD b)))"},
      {"a near b", "(DEFAULT (WORD a) (WORD near) (WORD b))"},
  });
}

TEST(QueryParser, Fields) {
  check({
      {"speaker:lukashenko", "(FIELD speaker \"lukashenko\")"},
      {"Speaker:Lukashenko", "(FIELD speaker \"Lukashenko\")"},
      {"speaker:\"Alexander Lukashenko\"", "(FIELD speaker \"Alexander Lukashenko\")"},
      {"outlet:\"Washington Times\"", "(FIELD outlet \"Washington Times\")"},
      {"outlet:washingtontimes.com", "(FIELD outlet \"washingtontimes.com\")"},
      {"author:smith", "(FIELD author \"smith\")"},
      {"title:troops", "(FIELD title (WORD troops))"},
      {"title:\"military operation\"", "(FIELD title (PHRASE \"military operation\"))"},
      {"title:ukrain*", "(FIELD title (PREFIX ukrain))"},
      {"troop AND \"special military operation\" AND speaker:lukashenko",
       "(AND (WORD troop) (PHRASE \"special military operation\") (FIELD speaker \"lukashenko\"))"},
      {"-outlet:tass troops", "(DEFAULT (NOT (FIELD outlet \"tass\")) (WORD troops))"},
      // Lenient colons: not a field reference, so plain text.
      {"10:30", "(WORD 10:30)"},
      {"https://www.reuters.com/world", "(WORD https://www.reuters.com/world)"},
      {"note:", "(WORD note:)"},
      {"a::b", "(WORD a::b)"},
      {"U.N.:", "(WORD U.N.:)"},
      {"covid-19:", "(WORD covid-19:)"},
  });
}

TEST(QueryParser, Dates) {
  check({
      {"date:2022-02-24", "(DATE 2022-02-24)"},
      {"date:2022-02", "(DATE 2022-02)"},
      {"date:2022", "(DATE 2022)"},
      {"date:2022-02..2022-06", "(DATE 2022-02..2022-06)"},
      {"date:2022-02..", "(DATE 2022-02..)"},
      {"date:..2022-06", "(DATE ..2022-06)"},
      {"date:\"2022-02-24\"", "(DATE 2022-02-24)"},
      {"date:2020-02-29", "(DATE 2020-02-29)"},
      {"year:2022", "(DATE 2022)"},
      {"year:2020..2022", "(DATE 2020..2022)"},
      {"month:2022-02", "(DATE 2022-02)"},
      {"troops date:2022", "(DEFAULT (WORD troops) (DATE 2022))"},
  });
}

TEST(QueryParser, Errors) {
  check({
      {"", "col 1: empty query"},
      {"   \t ", "col 1: empty query"},
      {"\"special military", "col 1: unbalanced quote"},
      {"troops \"special military", "col 8: unbalanced quote"},
      {"speaker:\"Alexander Lukashenko", "col 9: unbalanced quote"},
      {"(troops", "col 1: unbalanced parenthesis: '(' is never closed"},
      {"a (b (c)", "col 3: unbalanced parenthesis: '(' is never closed"},
      {"troops)", "col 7: unbalanced parenthesis: ')' has no matching '('"},
      {"()", "col 1: empty parentheses"},
      {"foo:bar",
       "col 1: unknown field 'foo' (fields: title, outlet, author, speaker, date, id, year, month, wire)"},
      {"troops Foo:\"x y\"",
       "col 8: unknown field 'foo' (fields: title, outlet, author, speaker, date, id, year, month, wire)"},
      {"speaker:", "col 1: field 'speaker' needs a value (as in speaker:word or speaker:\"some words\")"},
      {"date:2022-13-45", "col 6: bad date '2022-13-45' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"date:2023-02-29", "col 6: bad date '2023-02-29' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"date:22", "col 6: bad date '22' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"date:yesterday", "col 6: bad date 'yesterday' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"date:2022-02..2022-13", "col 15: bad date '2022-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"date:2022-06..2022-02", "col 6: the date range ends before it starts"},
      {"date:..", "col 6: a date range needs at least one end (as in 2022-02..2022-06)"},
      {"year:2022-02", "col 6: bad year '2022-02' (expected YYYY)"},
      {"month:2022", "col 7: bad month '2022' (expected YYYY-MM)"},
      {"AND foo", "col 1: 'AND' is missing its left operand"},
      {"foo OR", "col 5: 'OR' is missing its right operand"},
      {"foo AND OR bar", "col 5: 'AND' is missing its right operand"},
      {"(OR a)", "col 2: 'OR' is missing its left operand"},
      {"a (b AND) c", "col 6: 'AND' is missing its right operand"},
      {"NOT", "col 1: 'NOT' is missing its operand"},
      {"a NOT", "col 3: 'NOT' is missing its operand"},
      {"NEAR b", "col 1: 'NEAR' is missing its left operand"},
      {"a NEAR", "col 3: 'NEAR' is missing its right operand"},
      {"a NEAR/x b", "col 8: NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)"},
      {"a NEAR/ b", "col 8: NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)"},
      {"a NEAR/0 b", "col 8: NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)"},
      {"a NEAR/1001 b", "col 8: NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)"},
      {"a NEAR speaker:x", "col 8: NEAR joins words and phrases only"},
      {"ukr* NEAR b", "col 1: NEAR joins words and phrases only"},
      {"*", "col 1: '*' needs at least 2 characters before it (as in ukrain*)"},
      {"troops u*", "col 8: a wildcard needs at least 2 characters before '*'"},
      {"title:u*", "col 7: a wildcard needs at least 2 characters before '*'"},
      // Columns count code points, not bytes.
      {"\u0432\u043e\u0439\u043d\u0430 \"x", "col 7: unbalanced quote"},
  });
}

TEST(QueryParser, HostileInputLimits) {
  EXPECT_EQ(parse(std::string(10000, '(')), "col 101: query nested too deeply (at most 100 levels)");
  EXPECT_EQ(parse(std::string(100, '(') + "a" + std::string(100, ')')), "(WORD a)");
  std::string nots;
  for (int i = 0; i < 150; ++i) nots += "NOT ";
  EXPECT_EQ(parse(nots + "a"), "col 401: query nested too deeply (at most 100 levels)");
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "w ";
  EXPECT_EQ(parse(many), "col 2001: too many terms (at most 1000)");
  std::string thousand;
  for (int i = 0; i < 1000; ++i) thousand += "w ";
  EXPECT_EQ(parse_query(thousand).root()->children.size(), 1000u);
  EXPECT_EQ(parse(std::string(1 << 20, 'a')), "col 65537: query too long (1048576 bytes; at most 65536)");
  EXPECT_EQ(parse(std::string(65536, 'a')).substr(0, 6), "(WORD ");
  // Deep nesting is refused at the limit, not by the stack: 60,000 '(' (under 64 KiB) and 100,000.
  EXPECT_EQ(parse(std::string(60000, '(')), "col 101: query nested too deeply (at most 100 levels)");
  EXPECT_EQ(parse(std::string(100000, '(')), "col 65537: query too long (100000 bytes; at most 65536)");
  EXPECT_EQ(parse("a NEAR/1000 b"), "(NEAR 1000 (WORD a) (WORD b))");
  EXPECT_EQ(parse("a NEAR/1001 b"), "col 8: NEAR/ needs a number of words from 1 to 1000 (as in NEAR/5)");
}

TEST(QueryParser, BudgetLimitsAreTheBudgets) {
  auto parse_with = [](const std::string& text, const dateline::QueryBudget& budget) {
    try {
      return parse_query(text, budget).describe();
    } catch (const QueryError& e) {
      return "col " + std::to_string(e.column()) + ": " + e.what();
    }
  };
  dateline::QueryBudget budget;
  budget.max_bytes = 10;
  budget.max_terms = 3;
  budget.max_depth = 2;
  budget.max_near_distance = 50;
  EXPECT_EQ(parse_with("0123456789a", budget), "col 11: query too long (11 bytes; at most 10)");
  EXPECT_EQ(parse_with("a b c d", budget), "col 7: too many terms (at most 3)");
  EXPECT_EQ(parse_with("\"a b\" c d", budget), "col 9: too many terms (at most 3)");
  EXPECT_EQ(parse_with("((a))", budget), "(WORD a)");
  EXPECT_EQ(parse_with("(((a)))", budget), "col 3: query nested too deeply (at most 2 levels)");
  budget.max_bytes = 64;
  EXPECT_EQ(parse_with("a NEAR/50 b", budget), "(NEAR 50 (WORD a) (WORD b))");
  EXPECT_EQ(parse_with("a NEAR/51 b", budget),
            "col 8: NEAR/ needs a number of words from 1 to 50 (as in NEAR/5)");
}

TEST(QueryParser, RandomBytesNeverCrash) {
  std::mt19937 rng(20220224);
  const std::string alphabet =
      "ab \"()*:-+/.\\NEAR/AND OR NOT date:2022-02..speaker:\x01\xff\xc3\xa9\xe2\x80\x9c";
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t length = rng() % 64;
    for (size_t i = 0; i < length; ++i) {
      text.push_back(round % 2 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()]);
    }
    try {
      std::string described = parse_query(text).describe();
      EXPECT_FALSE(described.empty());
    } catch (const QueryError& e) {
      EXPECT_GE(e.column(), 1u) << text;
      EXPECT_LE(e.column(), text.size() + 1) << text;
    }
  }
}

TEST(QueryParser, PartialDates) {
  struct DateCase {
    const char* text;
    const char* first;
    const char* last;
  };
  for (const DateCase& c : std::vector<DateCase>{{"2022", "20220101", "20221231"},
                                                 {"2022-02", "20220201", "20220228"},
                                                 {"2024-02", "20240201", "20240229"},
                                                 {"1900-02", "19000201", "19000228"},
                                                 {"2000-02", "20000201", "20000229"},
                                                 {"2022-02-24", "20220224", "20220224"}}) {
    auto date = dateline::parse_partial_date(c.text);
    ASSERT_TRUE(date.has_value()) << c.text;
    EXPECT_EQ(date->iso(), c.text);
    EXPECT_EQ(date->first_day(), c.first) << c.text;
    EXPECT_EQ(date->last_day(), c.last) << c.text;
  }
  for (const char* bad :
       {"", "0000", "2022-2", "2022-00", "2022-02-30", "2022/02/24", "20220224", "2022-02-24x"}) {
    EXPECT_FALSE(dateline::parse_partial_date(bad).has_value()) << bad;
  }
}

TEST(QueryParser, EmptyParsedQuery) {
  dateline::ParsedQuery empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.describe(), "(EMPTY)");
  EXPECT_FALSE(parse_query("a").empty());
}

// ---- --syntax simple and plain ------------------------------------------------------------------------

std::string parse_as(const std::string& text, dateline::Syntax syntax) {
  try {
    return parse_query(text, {}, syntax).describe();
  } catch (const QueryError& e) {
    return "col " + std::to_string(e.column()) + ": " + e.what();
  }
}

TEST(QueryParser, SimpleSyntaxReadsWhatDoesNotParseAsWords) {
  using dateline::Syntax;
  const std::vector<Case> cases = {
      {"results (see table 2", "(DEFAULT (WORD results) (WORD see) (WORD table) (WORD 2))"},
      {"a * b", "(DEFAULT (WORD a) (WORD b))"},
      {"x) y", "(DEFAULT (WORD x) (WORD y))"},
      {"\"special military", "(DEFAULT (WORD special) (WORD military))"},
      {"AND troops", "(DEFAULT (WORD and) (WORD troops))"},
      {"troops OR", "(DEFAULT (WORD troops) (WORD or))"},
      {"a NEAR/x b", "(DEFAULT (WORD a) (WORD near/x) (WORD b))"},
      {"note:this year:20222", "(DEFAULT (WORD note) (WORD this) (WORD year) (WORD 20222))"},
      {"a* b", "(DEFAULT (WORD a) (WORD b))"},
      // What parses keeps its meaning.
      {"\"russian troops\" -kyiv outlet:newsweek (a OR b", "(DEFAULT (PHRASE \"russian troops\") (NOT (WORD kyiv)) "
                                                          "(FIELD outlet \"newsweek\") (OR (WORD a) (WORD b)))"},
      {"ukrain* AND troops", "(AND (PREFIX ukrain) (WORD troops))"},
      // Nothing to search stays an error.
      {"( )", "col 1: empty query"},
  };
  for (const Case& c : cases) EXPECT_EQ(parse_as(c.query, Syntax::kSimple), c.expected) << c.query;
  // Limits are not read around.
  dateline::QueryBudget small;
  small.max_terms = 2;
  EXPECT_THROW(parse_query("a b c (", small, Syntax::kSimple), QueryError);
}

TEST(QueryParser, SimpleSyntaxNeverFailsOnRandomText) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab ()\"*-+:NEAR/ANDORNOT5";
  for (int i = 0; i < 2000; ++i) {
    std::string q;
    for (int k = 0; k < 12; ++k) q += alphabet[rng() % alphabet.size()];
    try {
      parse_query(q, {}, dateline::Syntax::kSimple);
    } catch (const QueryError& e) {
      EXPECT_EQ(std::string(e.what()), "empty query") << q;
    }
  }
}

TEST(QueryParser, PlainSyntaxReadsEveryCharacterAsText) {
  using dateline::Syntax;
  EXPECT_EQ(parse_as("title:coffee \"quota (NOT a) -b ukrain* a NEAR b", Syntax::kPlain),
            "(DEFAULT (WORD title:coffee) (WORD quota) (WORD NOT) (WORD a) (WORD -b) (WORD ukrain*) (WORD a) "
            "(WORD NEAR) (WORD b))");
  EXPECT_EQ(parse_as("\"()\"", Syntax::kPlain), "col 1: empty query");
  EXPECT_EQ(dateline::parse_syntax("simple"), Syntax::kSimple);
  EXPECT_EQ(dateline::parse_syntax("Simple"), std::nullopt);
}

// The query fields are schema::kFields' rows with a query value: the parser takes each, with the value --help
// shows; the message for an unknown field and --help list them in the table's order.
TEST(QueryParser, FieldsComeFromTheSchemaTable) {
  size_t fields = 0;
  for (const dateline::schema::Field& f : dateline::schema::kFields) {
    const std::string value(f.query_value.empty() ? "x" : f.query_value);
    const std::string query = std::string(f.name) + ":" + value;
    if (f.query_value.empty()) {
      EXPECT_EQ(parse(query).rfind("col 1: unknown field '" + std::string(f.name) + "'", 0), 0u) << query;
      continue;
    }
    ++fields;
    EXPECT_EQ(parse(query).find("col "), std::string::npos) << query << ": " << parse(query);
  }
  EXPECT_EQ(fields, 9u);
  EXPECT_EQ(dateline::query_field_names(), "title, outlet, author, speaker, date, id, year, month, wire");
  EXPECT_EQ(dateline::query_field_examples(100, "  "),
            "  title:word outlet:NAME author:NAME speaker:NAME date:2022-02-24 id:ARTICLE-ID year:2022\n"
            "  month:2022-02 wire:AGENCY\n");
  // Narrow: one example a line when two do not fit; one longer than the width still gets its line.
  const std::string narrow = "title:word\noutlet:NAME\nauthor:NAME\n";
  EXPECT_EQ(dateline::query_field_examples(12, "").substr(0, narrow.size()), narrow);
  const std::string indented = "> title:word\n> outlet:NAME\n";
  EXPECT_EQ(dateline::query_field_examples(5, "> ").substr(0, indented.size()), indented);
}

}  // namespace

