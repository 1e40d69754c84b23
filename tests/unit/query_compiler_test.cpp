/** @file
 *  @brief Tests of the query compiler: query -> Xapian::Query::get_description(), highlight terms, and
 *  what the queries match in a small in-memory index laid out as analyzers/schema.h says.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "searcher/query.h"

namespace {

using dateline::Analyzer;
using dateline::AnalyzerConfig;
using dateline::CompiledQuery;
using dateline::CompileOptions;
using dateline::Filters;
using dateline::QueryError;

const Analyzer& analyzer() {
  static const Analyzer instance{AnalyzerConfig{}};
  return instance;
}

CompiledQuery compile(const std::string& text, const Filters& filters = {}, CompileOptions options = {}) {
  return dateline::compile_query(dateline::parse_query(text, options.budget), filters, analyzer(), options);
}

/// get_description() of the compiled query, or "col N: message".
std::string describe(const std::string& text, const Filters& filters = {}, CompileOptions options = {}) {
  try {
    return compile(text, filters, options).query.get_description();
  } catch (const QueryError& e) {
    return "col " + std::to_string(e.column()) + ": " + e.what();
  }
}

struct Case {
  const char* query;
  const char* expected;
};

TEST(QueryCompiler, Words) {
  for (const Case& c : std::vector<Case>{
           {"troops", "Query((Ztroop OR 0.25 * ZStroop))"},
           {"Troops", "Query((Ztroop OR 0.25 * ZStroop))"},
           {"russian troops",
            "Query((((Zrussian OR 0.25 * ZSrussian) OR (Ztroop OR 0.25 * ZStroop)) AND_MAYBE "
            "((Zrussian OR 0.25 * ZSrussian) AND (Ztroop OR 0.25 * ZStroop))))"},
           // Unstemmed words (numbers, abbreviations) use the exact term.
           {"70,000", "Query((70,000 OR 0.25 * S70,000))"},
           {"U.S.", "Query((u.s OR 0.25 * Su.s))"},
           // One typed word, several index words. An unquoted compound on its own requires its parts,
           // stemmed, anywhere (article documents have no positions)...
           {"Belarus-Ukraine", "Query(((Zbelarus OR 0.25 * ZSbelarus) AND (Zukrain OR 0.25 * ZSukrain)))"},
           // ...among other words its parts are optional words too.
           {"Belarus-Ukraine border",
            "Query(((((Zbelarus OR 0.25 * ZSbelarus) OR (Zukrain OR 0.25 * ZSukrain)) OR (Zborder OR 0.25 * "
            "ZSborder)) AND_MAYBE (((Zbelarus OR 0.25 * ZSbelarus) OR (Zukrain OR 0.25 * ZSukrain)) AND "
            "(Zborder OR 0.25 * ZSborder))))"},
           {"+Belarus-Ukraine border",
            "Query((((Zbelarus OR 0.25 * ZSbelarus) AND (Zukrain OR 0.25 * ZSukrain)) AND_MAYBE (Zborder OR "
            "0.25 * ZSborder)))"},
           {"\"Belarus-Ukraine\"",
            "Query(((belarus PHRASE 2 ukraine) OR 0.25 * (Sbelarus PHRASE 2 Sukraine)))"},
           // English stop words drop out of a bag of words with other words; alone, quoted, required or
           // all stop words they stay. Inside a compound they drop out too.
           {"the troops", "Query((Ztroop OR 0.25 * ZStroop))"},
           {"the", "Query((Zthe OR 0.25 * ZSthe))"},
           {"to be",
            "Query((((Zto OR 0.25 * ZSto) OR (Zbe OR 0.25 * ZSbe)) AND_MAYBE ((Zto OR 0.25 * ZSto) AND (Zbe "
            "OR "
            "0.25 * ZSbe))))"},
           {"+the troops", "Query(((Zthe OR 0.25 * ZSthe) AND_MAYBE (Ztroop OR 0.25 * ZStroop)))"},
           {"\"the troops\"", "Query(((the PHRASE 2 troops) OR 0.25 * (Sthe PHRASE 2 Stroops)))"},
           {"state-of-the-art", "Query(((Zstate OR 0.25 * ZSstate) AND (Zart OR 0.25 * ZSart)))"},
           // An acronym in capitals is one word with its other number, which Snowball leaves apart.
           {"RNAs", "Query(((Zrnas SYNONYM Zrna) OR 0.25 * (ZSrnas SYNONYM ZSrna)))"},
           {"NGO", "Query(((Zngo SYNONYM Zngos) OR 0.25 * (ZSngo SYNONYM ZSngos)))"},
           {"miRNAs", "Query((Zmirna OR 0.25 * ZSmirna))"},  // stemmed to the singular already
           {"rnas", "Query((Zrnas OR 0.25 * ZSrnas))"},      // not typed as an acronym
           {"Troops", "Query((Ztroop OR 0.25 * ZStroop))"},
           {"TROOPS", "Query((Ztroop OR 0.25 * ZStroop))"},  // the stemmer merges the numbers itself
           {"AIDS", "Query((Zaid OR 0.25 * ZSaid))"},
           // Punctuation analyses to nothing and drops out; only nothing at all is an error.
           {"troops &", "Query((Ztroop OR 0.25 * ZStroop))"},
           {"&", "col 1: the query has no searchable words"},
           {"\"\"", "col 1: the query has no searchable words"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, PhrasesNearAndWildcards) {
  for (const Case& c : std::vector<Case>{
           {"\"special military operation\"",
            "Query(((special PHRASE 3 military PHRASE 3 operation) OR "
            "0.25 * (Sspecial PHRASE 3 Smilitary PHRASE 3 Soperation)))"},
           {"\"troops\"", "Query((troops OR 0.25 * Stroops))"},
           // NEAR/N: window N + 1 for two words (at most N positions apart), + 1 per extra word.
           {"putin NEAR/5 ukraine", "Query(((putin NEAR 6 ukraine) OR 0.25 * (Sputin NEAR 6 Sukraine)))"},
           {"putin NEAR ukraine", "Query(((putin NEAR 11 ukraine) OR 0.25 * (Sputin NEAR 11 Sukraine)))"},
           {"\"united states\" NEAR/2 putin",
            "Query(((united NEAR 4 states NEAR 4 putin) OR 0.25 * (Sunited NEAR 4 Sstates NEAR 4 Sputin)))"},
           {"ukrain*", "Query(WILDCARD SYNONYM ukrain)"},
           {"Ukrain*", "Query(WILDCARD SYNONYM ukrain)"},
           {"CAFÉ*", "Query(WILDCARD SYNONYM cafe)"},
           {"U.S.*", "Query(WILDCARD SYNONYM u.s)"},
           {"a.*", "col 1: a wildcard needs at least 2 characters before '*'"},
           {"title:ukrain*", "Query(WILDCARD SYNONYM Sukrain)"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, BooleanOperators) {
  for (const Case& c : std::vector<Case>{
           {"troops AND kyiv", "Query(((Ztroop OR 0.25 * ZStroop) AND (Zkyiv OR 0.25 * ZSkyiv)))"},
           {"troops OR kyiv", "Query(((Ztroop OR 0.25 * ZStroop) OR (Zkyiv OR 0.25 * ZSkyiv)))"},
           {"troops AND NOT kyiv", "Query(((Ztroop OR 0.25 * ZStroop) AND_NOT (Zkyiv OR 0.25 * ZSkyiv)))"},
           {"troops NOT kyiv", "Query(((Ztroop OR 0.25 * ZStroop) AND_NOT (Zkyiv OR 0.25 * ZSkyiv)))"},
           {"troops -kyiv -war",
            "Query(((Ztroop OR 0.25 * ZStroop) AND_NOT ((Zkyiv OR 0.25 * ZSkyiv) OR (Zwar OR 0.25 * "
            "ZSwar))))"},
           {"+troops kyiv", "Query(((Ztroop OR 0.25 * ZStroop) AND_MAYBE (Zkyiv OR 0.25 * ZSkyiv)))"},
           {"+troops +kyiv", "Query(((Ztroop OR 0.25 * ZStroop) AND (Zkyiv OR 0.25 * ZSkyiv)))"},
           // Only negative: everything except.
           {"-war", "Query(0 * (<alldocuments> AND_NOT (Zwar OR 0.25 * ZSwar)))"},
           {"NOT war", "Query(0 * (<alldocuments> AND_NOT (Zwar OR 0.25 * ZSwar)))"},
           {"troops OR NOT war",
            "Query(((Ztroop OR 0.25 * ZStroop) OR 0 * (<alldocuments> AND_NOT (Zwar OR 0.25 * ZSwar))))"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, MatchAll) {
  CompileOptions all;
  all.match_all = true;
  for (const Case& c : std::vector<Case>{
           {"russian troops", "Query(((Zrussian OR 0.25 * ZSrussian) AND (Ztroop OR 0.25 * ZStroop)))"},
           {"the russian troops", "Query(((Zrussian OR 0.25 * ZSrussian) AND (Ztroop OR 0.25 * ZStroop)))"},
           // Required: a compound needs every part.
           {"Belarus-Ukraine border",
            "Query((((Zbelarus OR 0.25 * ZSbelarus) AND (Zukrain OR 0.25 * ZSukrain)) AND (Zborder OR 0.25 * "
            "ZSborder)))"},
           {"russian troops -war",
            "Query((((Zrussian OR 0.25 * ZSrussian) AND (Ztroop OR 0.25 * ZStroop)) AND_NOT (Zwar OR 0.25 * "
            "ZSwar)))"},
           {"russian OR belarusian troops",
            "Query((((Zrussian OR 0.25 * ZSrussian) OR (Zbelarusian OR 0.25 * ZSbelarusian)) AND "
            "(Ztroop OR 0.25 * ZStroop)))"},
       }) {
    EXPECT_EQ(describe(c.query, {}, all), c.expected) << "query: " << c.query;
  }
}

// Every query field of schema::kFields compiles (Compiler::field() or the date fields know it).
TEST(QueryCompiler, EveryQueryFieldOfTheSchemaTableCompiles) {
  for (const dateline::schema::Field& f : dateline::schema::kFields) {
    if (f.query_value.empty()) continue;
    const std::string query = std::string(f.name) + ":" + std::string(f.query_value);
    EXPECT_EQ(describe(query).find("col "), std::string::npos) << query << ": " << describe(query);
  }
}

TEST(QueryCompiler, FieldsAndDates) {
  for (const Case& c : std::vector<Case>{
           {"speaker:lukashenko", "Query(0 * XSWlukashenko)"},
           {"speaker:\"Alexander Lukashenko\"", "Query(0 * (XSWalexander AND XSWlukashenko))"},
           {"author:\"John Smith\"", "Query(0 * (XAWjohn AND XAWsmith))"},
           {"outlet:\"Washington Times\"", "Query(0 * XOthe washington times)"},
           {"outlet:washingtontimes.com", "Query(0 * XOthe washington times)"},
           {"outlet:\"Daily Planet\"", "Query(0 * (XOdaily planet OR (XOWdaily AND XOWplanet)))"},
           {"title:troops", "Query(ZStroop)"},
           {"title:\"troops\"", "Query(Stroops)"},
           {"title:\"military operation\"", "Query((Smilitary PHRASE 2 Soperation))"},
           {"date:2022-02-24", "Query(0 * D20220224)"},
           {"date:2022-02", "Query(0 * M202202)"},
           {"date:2022", "Query(0 * Y2022)"},
           {"year:2022", "Query(0 * Y2022)"},
           {"month:2022-02", "Query(0 * M202202)"},
           {"date:2022-02..2022-06", "Query(VALUE_RANGE 0 20220201 20220630)"},
           {"date:2020..2020-02", "Query(VALUE_RANGE 0 20200101 20200229)"},
           {"date:2022-02..", "Query(VALUE_GE 0 20220201)"},
           {"date:..2022-06", "Query(VALUE_LE 0 20220630)"},
           // Filters never change scores: OP_FILTER, or weight 0 beside scored alternatives.
           {"troops speaker:lukashenko", "Query(((Ztroop OR 0.25 * ZStroop) FILTER XSWlukashenko))"},
           {"troops date:2022-02..2022-06",
            "Query(((Ztroop OR 0.25 * ZStroop) FILTER VALUE_RANGE 0 20220201 20220630))"},
           {"troops OR outlet:tass", "Query(((Ztroop OR 0.25 * ZStroop) OR 0 * XOtass))"},
           {"troops -outlet:tass", "Query(((Ztroop OR 0.25 * ZStroop) AND_NOT XOtass))"},
           {"speaker:\"...\"", "col 1: speaker: '...' has no words to match"},
           {"title:\"...\"", "col 7: title: '...' has no words to match"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, FlagFilters) {
  Filters outlets;
  outlets.outlets = {"tass", "Washington Times"};
  EXPECT_EQ(describe("troops", outlets),
            "Query(((Ztroop OR 0.25 * ZStroop) FILTER (XOtass OR XOthe washington times)))");
  Filters kinds;
  kinds.speakers = {"lukashenko", "Vladimir Putin"};
  kinds.authors = {"smith"};
  kinds.since = "2022-02";
  kinds.until = "2022";
  EXPECT_EQ(describe("troops", kinds),
            "Query(((Ztroop OR 0.25 * ZStroop) FILTER ((XSWlukashenko OR (XSWvladimir AND XSWputin)) AND "
            "XAWsmith AND "
            "VALUE_RANGE 0 20220201 20221231)))");
  Filters since;
  since.since = "2022-02-24";
  EXPECT_EQ(describe("troops", since), "Query(((Ztroop OR 0.25 * ZStroop) FILTER VALUE_GE 0 20220224))");
  Filters until;
  until.until = "2022-02";
  EXPECT_EQ(describe("speaker:putin", until), "Query(0 * (XSWputin AND VALUE_LE 0 20220228))");

  // Filters alone (an empty ParsedQuery), and nothing at all.
  EXPECT_EQ(dateline::compile_query(dateline::ParsedQuery{}, outlets, analyzer()).query.get_description(),
            "Query(0 * (XOtass OR XOthe washington times))");
  EXPECT_EQ(dateline::compile_query(dateline::ParsedQuery{}, Filters{}, analyzer()).query.get_description(),
            "Query(<alldocuments>)");

  Filters bad;
  bad.since = "2022-13";
  EXPECT_EQ(describe("troops", bad),
            "col 0: --since: bad date '2022-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)");
  Filters reversed;
  reversed.since = "2022-06";
  reversed.until = "2022-02";
  EXPECT_EQ(describe("troops", reversed), "col 0: --since 2022-06 is after --until 2022-02");
  Filters empty_speaker;
  empty_speaker.speakers = {" "};
  EXPECT_EQ(describe("troops", empty_speaker), "col 0: --speaker ' ' has no words to match");
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ' ';
    out += item;
  }
  return out;
}

TEST(QueryCompiler, ArticleQueriesUseArticleTerms) {
  for (const Case& c : std::vector<Case>{
           {"troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"70,000", "Query((W70,000 OR 0.25 * WS70,000))"},
           {"the troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"title:troops", "Query(WStroop)"},
           {"troops -war outlet:tass",
            "Query((((Wtroop OR 0.25 * WStroop) FILTER XOtass) AND_NOT (Wwar OR 0.25 * WSwar)))"},
           // Only passage documents can answer these: no article query.
           {"\"troops\"", "Query()"},
           {"troops NEAR/3 border", "Query()"},
           {"troop*", "Query()"},
           {"+the troops", "Query()"},
       }) {
    EXPECT_EQ(compile(c.query).article_query.get_description(), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, HighlightTermsAndFlags) {
  struct HighlightCase {
    const char* query;
    const char* terms;
    const char* stems;
    const char* prefixes;
    bool positional;
  };
  for (const HighlightCase& c : std::vector<HighlightCase>{
           {"troops", "troops", "troop", "", false},
           {"Russian troops troops", "russian troops", "russian troop", "", false},
           {"\"special military operation\"", "special military operation", "", "", true},
           {"Belarus-Ukraine", "belarus ukraine", "belarus ukrain", "", false},
           {"\"Belarus-Ukraine\"", "belarus ukraine", "", "", true},
           {"putin NEAR/3 kyiv", "putin kyiv", "", "", true},
           {"troops -war NOT peace", "troops", "troop", "", false},
           {"troops OR -war", "troops", "troop", "", false},
           // Wildcards, exact forms and kept stop words need the passage documents' unstemmed words.
           {"ukrain* title:troops", "troops", "troop", "ukrain", true},
           {"\"troops\"", "troops", "", "", true},
           {"title:\"troops\"", "troops", "", "", true},
           {"+the troops", "the troops", "the troop", "", true},
           {"the", "the", "the", "", true},
           {"the troops", "troops", "troop", "", false},
           {"70,000 title:troops", "70,000 troops", "troop", "", false},
           {"speaker:putin date:2022", "", "", "", false},
       }) {
    CompiledQuery q = compile(c.query);
    EXPECT_EQ(join(q.highlight_terms), c.terms) << c.query;
    EXPECT_EQ(join(q.highlight_stems), c.stems) << c.query;
    EXPECT_EQ(join(q.highlight_prefixes), c.prefixes) << c.query;
    EXPECT_EQ(q.needs_passages, c.positional) << c.query;
  }
  EXPECT_TRUE(compile("troops").scored);
  EXPECT_FALSE(compile("speaker:putin").scored);
  EXPECT_FALSE(compile("-war").scored);
}

// ---- What the queries find, in an index laid out as schema.h says --------------------------------

struct Doc {
  const char* body;
  const char* title;
  const char* date;  // YYYY-MM-DD or ""
  const char* outlet;
  const char* author;
  const char* speaker;
};

void add_text(Xapian::Document& doc, const std::string& text, const std::string& prefix) {
  for (const dateline::Token& t : analyzer().analyze(text)) {
    doc.add_posting(prefix + t.term, t.position);
    if (!t.stem.empty()) doc.add_term(std::string(dateline::schema::kStemmed) + prefix + t.stem);
  }
}

void add_words(Xapian::Document& doc, std::string_view prefix, const std::string& name) {
  for (const dateline::Token& t : analyzer().analyze(name))
    doc.add_boolean_term(std::string(prefix) + t.term);
}

Xapian::Database small_index() {
  namespace schema = dateline::schema;
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const Doc& d : std::vector<Doc>{
           {"Russian troops crossed the Belarus-Ukraine border", "Invasion begins", "2022-02-24",
            "The Washington Times", "John Smith", "Alexander Lukashenko"},
           {"Putin said the special military operation in Ukraine would continue", "Putin speaks",
            "2022-06-30", "Pravda.Ru", "Ivan Petrov", "Vladimir Putin"},
           {"The troop movements near Kyiv worried Ukraine", "Troops near Kyiv", "2022-07-01", "Daily Planet",
            "Jane Doe", ""},
           {"Sanctions hit the Russian economy hard", "Economy", "", "TASS", "", ""},
       }) {
    Xapian::Document doc;
    add_text(doc, d.body, std::string(schema::kBody));
    add_text(doc, d.title, std::string(schema::kTitle));
    doc.add_boolean_term(schema::boolean_term(schema::kOutlet, d.outlet));
    add_words(doc, schema::kOutletWord, d.outlet);
    add_words(doc, schema::kAuthorWord, d.author);
    add_words(doc, schema::kSpeakerWord, d.speaker);
    std::string date = d.date;
    if (!date.empty()) {
      std::string ymd = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2);
      doc.add_boolean_term(std::string(schema::kYear) + ymd.substr(0, 4));
      doc.add_boolean_term(std::string(schema::kMonth) + ymd.substr(0, 6));
      doc.add_boolean_term(std::string(schema::kDay) + ymd);
      doc.add_value(schema::kSlotDate, ymd);
    }
    db.add_document(doc);
  }
  return db;
}

/// Document ids matched by the query, in rank order.
std::vector<Xapian::docid> ranked(const Xapian::Database& db, const std::string& text,
                                  const Filters& filters = {}, CompileOptions options = {}) {
  Xapian::Enquire enquire(db);
  enquire.set_query(compile(text, filters, options).query);
  Xapian::MSet mset = enquire.get_mset(0, 100);
  std::vector<Xapian::docid> ids;
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
  return ids;
}

/// Matched document ids, sorted, as "1 3".
std::string matches(const Xapian::Database& db, const std::string& text, const Filters& filters = {},
                    CompileOptions options = {}) {
  std::vector<Xapian::docid> ids = ranked(db, text, filters, options);
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (Xapian::docid id : ids) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id);
  }
  return out;
}

TEST(QueryCompiler, MatchesAgainstAnIndex) {
  Xapian::Database db = small_index();
  for (const Case& c : std::vector<Case>{
           {"troops", "1 3"},
           {"troop", "1 3"},
           {"troops ukraine", "1 2 3"},
           {"troops -kyiv", "1"},
           {"-troops", "2 4"},
           {"NOT troops AND NOT putin", "4"},
           {"troops OR sanctions", "1 3 4"},
           {"russian AND NOT economy", "1"},
           {"\"special military operation\"", "2"},
           {"\"military special operation\"", ""},
           {"\"Troops\"", "1 3"},  // the exact form, in a body (1) or a title (3); "troop" (3) does not count
           {"Belarus-Ukraine", "1"},
           {"Ukraine-Belarus", "1"},             // unquoted: both parts, in any order
           {"\"Ukraine-Belarus\"", ""},          // quoted: the phrase, in this order
           {"Kyiv-Belarus", ""},                 // alone, both parts are required
           {"Kyiv-Belarus sanctions", "1 3 4"},  // among other words, each part counts on its own
           {"the sanctions", "4"},               // "the" (in every document) is dropped
           {"the", "1 2 3 4"},
           // NEAR/N: at most N positions apart, either order (putin is word 1, ukraine word 8).
           {"putin NEAR/7 ukraine", "2"},
           {"ukraine NEAR/7 putin", "2"},
           {"putin NEAR/6 ukraine", ""},
           {"ukrain*", "1 2 3"},
           {"title:troops", "3"},
           {"title:\"near kyiv\"", "3"},
           {"title:putin", "2"},
           {"speaker:lukashenko", "1"},
           {"speaker:\"Alexander Lukashenko\"", "1"},
           {"speaker:\"Vladimir Lukashenko\"", ""},
           {"outlet:\"Washington Times\"", "1"},
           {"outlet:washingtontimes.com", "1"},
           {"outlet:pravda", "2"},
           {"outlet:planet", "3"},
           {"outlet:tass", "4"},
           {"author:smith", "1"},
           {"date:2022-02-24", "1"},
           {"date:2022-06", "2"},
           {"date:2022", "1 2 3"},
           {"year:2022", "1 2 3"},
           {"month:2022-07", "3"},
           {"date:2022-02..2022-06", "1 2"},
           {"date:2022-07..", "3"},
           {"date:..2022-06", "1 2"},
           {"(troops OR sanctions) date:2022", "1 3"},
       }) {
    EXPECT_EQ(matches(db, c.query), c.expected) << "query: " << c.query;
  }
  CompileOptions all;
  all.match_all = true;
  EXPECT_EQ(matches(db, "troops ukraine", {}, all), "1 3");
  // Coordination: passages with both words rank above the one with only "ukraine".
  std::vector<Xapian::docid> order = ranked(db, "troops ukraine");
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(order.back(), 2u);

  Filters f;
  f.outlets = {"tass", "pravda"};
  EXPECT_EQ(matches(db, "russian OR putin", f), "2 4");
  Filters june;
  june.since = "2022-06";
  june.until = "2022-06";
  EXPECT_EQ(matches(db, "ukraine", june), "2");
  Filters speakers;
  speakers.speakers = {"putin", "lukashenko"};
  EXPECT_EQ(matches(db, "ukraine", speakers), "1 2");
}

// ---- The query budget ---------------------------------------------------------------------------

/// body texts, one document each: "market" is in 3, "mass" in 2, "mark" in 1.
Xapian::Database wildcard_index() {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const char* body : {"market", "market", "market mass", "mass", "mark"}) {
    Xapian::Document doc;
    add_text(doc, body, std::string(dateline::schema::kBody));
    db.add_document(doc);
  }
  return db;
}

/// CompileOptions whose wildcards share `budget` terms, counted in `db` as the searcher counts them.
CompileOptions counted(const Xapian::Database& db, unsigned budget) {
  CompileOptions options;
  options.budget.max_wildcard_terms = budget;
  options.count_terms = [db](const std::string& prefix, size_t cap) {
    size_t n = 0;
    for (auto it = db.allterms_begin(prefix); n < cap && it != db.allterms_end(prefix); ++it) ++n;
    return n;
  };
  return options;
}

TEST(QueryCompiler, WildcardsShareTheBudget) {
  Xapian::Database db = wildcard_index();
  // Enough for every term: nothing cut.
  EXPECT_EQ(matches(db, "ma*", {}, counted(db, 3)), "1 2 3 4 5");
  EXPECT_FALSE(compile("ma*", {}, counted(db, 3)).wildcards_cut);
  // Two terms: the most frequent (market, mass) are kept, "mark" (document 5) is lost, and that is said.
  EXPECT_EQ(matches(db, "ma*", {}, counted(db, 2)), "1 2 3 4");
  EXPECT_TRUE(compile("ma*", {}, counted(db, 2)).wildcards_cut);
  // A wildcard that expands to nothing takes one term, the other gets the rest.
  EXPECT_EQ(matches(db, "ma* zz*", {}, counted(db, 3)), "1 2 3 4");
  EXPECT_TRUE(compile("ma* zz*", {}, counted(db, 3)).wildcards_cut);
  // Repeated among its siblings, a wildcard is compiled once and keeps the whole budget.
  EXPECT_EQ(matches(db, "ma* ma* ma*", {}, counted(db, 3)), "1 2 3 4 5");
  EXPECT_FALSE(compile("ma* ma* ma*", {}, counted(db, 3)).wildcards_cut);
  EXPECT_EQ(compile("ma* ma* ma*").query.get_description(), compile("ma*").query.get_description());
  EXPECT_EQ(compile("ma* OR ma* OR Ma*").query.get_description(), compile("ma*").query.get_description());
  // In different groups each copy takes its share: 3 terms for 2 copies is one term each.
  EXPECT_EQ(matches(db, "(ma* x) (ma* y)", {}, counted(db, 3)), "1 2 3");
  EXPECT_TRUE(compile("(ma* x) (ma* y)", {}, counted(db, 3)).wildcards_cut);
  // More wildcards than terms to share: an error at the first one past the budget.
  EXPECT_EQ(describe("ma* mb* mc* md*", {}, counted(db, 3)),
            "col 13: wildcards expand to more than 3 terms in total");
  EXPECT_EQ(describe("ma* title:mb* (mc* x) -md*", {}, counted(db, 3)),
            "col 24: wildcards expand to more than 3 terms in total");
  // Without a database to count in, the shares are equal and nothing is said to be cut.
  CompileOptions blind;
  blind.budget.max_wildcard_terms = 2;
  EXPECT_EQ(matches(db, "ma*", {}, blind), "1 2 3 4");
  EXPECT_FALSE(compile("ma*", {}, blind).wildcards_cut);
}

TEST(QueryCompiler, RepeatedOperandsAreCompiledOnce) {
  auto same = [](const std::string& a, const std::string& b) {
    EXPECT_EQ(compile(a).query.get_description(), compile(b).query.get_description()) << a;
  };
  same("\"special operation\" \"special operation\"", "\"special operation\"");
  same("(troops border) (troops border) (troops border)", "(troops border)");
  same("putin NEAR/5 lukashenko putin NEAR/5 lukashenko", "putin NEAR/5 lukashenko");
  same("+ukrain* +ukrain* kyiv", "+ukrain* kyiv");
  same("kyiv -ukrain* -ukrain*", "kyiv -ukrain*");
  // A repeated plain word still weighs again (as in Xapian and Lucene); + and - forms are distinct.
  EXPECT_NE(compile("troops troops").query.get_description(), compile("troops").query.get_description());
  EXPECT_NE(compile("ukrain* -ukrain*").query.get_description(), compile("ukrain*").query.get_description());
}

TEST(QueryCompiler, PhrasesAndNearShareOneHundredWords) {
  auto words = [](size_t n, const char* stem) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += (out.empty() ? "" : " ") + std::string(stem) + std::to_string(i);
    return out;
  };
  EXPECT_EQ(describe("\"" + words(101, "w") + "\"").substr(0, 60),
            "col 1: phrases and NEAR groups have more than 100 words in t");
  EXPECT_EQ(describe("\"" + words(100, "w") + "\"").substr(0, 7), "Query((");
  // Together: 60 + 41 words; the error is at the phrase that goes past the budget.
  const std::string first = "\"" + words(60, "a") + "\"";
  EXPECT_EQ(describe(first + " \"" + words(41, "b") + "\""),
            "col " + std::to_string(first.size() + 2) +
                ": phrases and NEAR groups have more than 100 words in total");
  // NEAR counts its words; one-word phrases are exact words, not positional.
  EXPECT_EQ(describe(first + " " + words(20, "c") + " x NEAR/3 y").substr(0, 7), "Query((");
  CompileOptions small;
  small.budget.max_positional_words = 3;
  EXPECT_EQ(describe("\"a b\" c NEAR d", {}, small),
            "col 7: phrases and NEAR groups have more than 3 words in total");
  EXPECT_EQ(describe("title:\"a b c d\"", {}, small),
            "col 7: phrases and NEAR groups have more than 3 words in total");
  EXPECT_EQ(describe("\"a\" \"b\" \"c\" \"d\"", {}, small).substr(0, 7), "Query((");
  // Terms counted as analysed have their budget too.
  CompileOptions few;
  few.budget.max_terms = 3;
  EXPECT_EQ(describe("Belarus-Ukraine-Russia-Poland", {}, few), "col 1: too many terms (at most 3)");
}

// ---- Hostile input ------------------------------------------------------------------------------

/// Parses and compiles; returns whether it succeeded. Anything thrown but QueryError fails the test.
bool survives(const std::string& text) {
  try {
    CompiledQuery q = compile(text);
    (void)q.query.get_description();
    return true;
  } catch (const QueryError& e) {
    EXPECT_LE(e.column(), text.size() + 1) << e.what();
    return false;
  }
}

TEST(QueryCompiler, HostileInputReturnsOrThrowsQueryError) {
  std::mt19937 rng(24022022);
  const std::string alphabet =
      "ab \"()*:-+/.\\NEAR/AND OR NOT title:date:2022-02..speaker:\x01\xff\xc3\xa9\xe2\x80\x9c";
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    size_t length = rng() % 80;
    for (size_t i = 0; i < length; ++i) {
      text.push_back(round % 2 == 0 ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()]);
    }
    survives(text);
  }
  EXPECT_FALSE(survives(std::string(10000, '(')));
  std::string many;
  for (int i = 0; i < 5000; ++i) {
    many += "term";
    many += std::to_string(i);
    many += ' ';
  }
  EXPECT_FALSE(survives(many));
  EXPECT_FALSE(survives(std::string(1 << 20, 'x')));
  // One typed word that analyses to thousands of index words hits the same term limit.
  std::string hyphens;
  for (int i = 0; i < 3000; ++i) hyphens += "ab-";
  EXPECT_EQ(describe(hyphens), "col 1: too many terms (at most 1000)");
  std::string thousand;
  for (int i = 0; i < 1000; ++i) {
    thousand += 'w';
    thousand += std::to_string(i);
    thousand += ' ';
  }
  EXPECT_TRUE(survives(thousand));
}

}  // namespace
