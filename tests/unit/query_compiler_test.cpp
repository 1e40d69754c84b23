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
           {"troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"Troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"russian troops",
            "Query((((Wrussian OR 0.25 * WSrussian) OR (Wtroop OR 0.25 * WStroop)) AND_MAYBE ((Wrussian OR 0.25 * WSrussian) AND (Wtroop OR 0.25 * WStroop))))"},
           // Unstemmed words (numbers, abbreviations) use the exact term.
           {"70,000", "Query((W70,000 OR 0.25 * WS70,000))"},
           {"U.S.", "Query((Wu.s OR 0.25 * WSu.s))"},
           // One typed word, several index words. An unquoted compound on its own requires its parts,
           // stemmed, anywhere (article documents have no positions)...
           {"Belarus-Ukraine", "Query(((Wbelarus OR 0.25 * WSbelarus) AND (Wukrain OR 0.25 * WSukrain)))"},
           // ...among other words its parts are optional words too.
           {"Belarus-Ukraine border",
            "Query(((((Wbelarus OR 0.25 * WSbelarus) OR (Wukrain OR 0.25 * WSukrain)) OR (Wborder OR 0.25 * WSborder)) AND_MAYBE (((Wbelarus OR 0.25 * WSbelarus) OR (Wukrain OR 0.25 * WSukrain)) AND (Wborder OR 0.25 * WSborder))))"},
           {"+Belarus-Ukraine border",
            "Query((((Wbelarus OR 0.25 * WSbelarus) AND (Wukrain OR 0.25 * WSukrain)) AND_MAYBE (Wborder OR 0.25 * WSborder)))"},
           {"\"Belarus-Ukraine\"",
            "Query((((belarus PHRASE 2 ukraine) OR (Sbelarus PHRASE 2 Sukraine)) AND_MAYBE ((Wbelarus OR 0.25 * WSbelarus) OR (Wukrain OR 0.25 * WSukrain))))"},
           // English stop words drop out of a bag of words with other words; alone, quoted, required or
           // all stop words they stay. Inside a compound they drop out too.
           {"the troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"the", "Query((the OR Sthe))"},
           {"to be",
            "Query((((to OR Sto) OR (be OR Sbe)) AND_MAYBE ((to OR Sto) AND (be OR Sbe))))"},
           {"+the troops", "Query(((the OR Sthe) AND_MAYBE (Wtroop OR 0.25 * WStroop)))"},
           {"\"the troops\"", "Query((((the PHRASE 2 troops) OR (Sthe PHRASE 2 Stroops)) AND_MAYBE (Wtroop OR 0.25 * WStroop)))"},
           {"state-of-the-art", "Query(((Wstate OR 0.25 * WSstate) AND (Wart OR 0.25 * WSart)))"},
           // An acronym in capitals is one word with its other number, which Snowball leaves apart.
           {"RNAs", "Query(((Wrnas SYNONYM Wrna) OR 0.25 * (WSrnas SYNONYM WSrna)))"},
           {"NGO", "Query(((Wngo SYNONYM Wngos) OR 0.25 * (WSngo SYNONYM WSngos)))"},
           {"miRNAs", "Query((Wmirna OR 0.25 * WSmirna))"},  // stemmed to the singular already
           {"rnas", "Query((Wrnas OR 0.25 * WSrnas))"},      // not typed as an acronym
           {"Troops", "Query((Wtroop OR 0.25 * WStroop))"},
           {"TROOPS", "Query((Wtroop OR 0.25 * WStroop))"},  // the stemmer merges the numbers itself
           {"AIDS", "Query((Waid OR 0.25 * WSaid))"},
           // Punctuation analyses to nothing and drops out; only nothing at all is an error.
           {"troops &", "Query((Wtroop OR 0.25 * WStroop))"},
           {"&", "col 1: the query has no searchable words"},
           {"\"\"", "col 1: the query has no searchable words"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, PhrasesNearAndWildcards) {
  for (const Case& c : std::vector<Case>{
           {"\"special military operation\"",
            "Query((((special PHRASE 3 military PHRASE 3 operation) OR (Sspecial PHRASE 3 Smilitary PHRASE 3 Soperation)) AND_MAYBE ((Wspecial OR 0.25 * WSspecial) OR (Wmilitari OR 0.25 * WSmilitari) OR (Woper OR 0.25 * WSoper))))"},
           {"\"troops\"", "Query(((troops OR Stroops) AND_MAYBE (Wtroop OR 0.25 * WStroop)))"},
           // NEAR/N: window N + 1 for two words (at most N positions apart), + 1 per extra word.
           {"putin NEAR/5 ukraine", "Query((((putin NEAR 6 ukraine) OR (Sputin NEAR 6 Sukraine)) AND_MAYBE ((Wputin OR 0.25 * WSputin) OR (Wukrain OR 0.25 * WSukrain))))"},
           {"putin NEAR ukraine", "Query((((putin NEAR 11 ukraine) OR (Sputin NEAR 11 Sukraine)) AND_MAYBE ((Wputin OR 0.25 * WSputin) OR (Wukrain OR 0.25 * WSukrain))))"},
           {"\"united states\" NEAR/2 putin",
            "Query((((united NEAR 4 states NEAR 4 putin) OR (Sunited NEAR 4 Sstates NEAR 4 Sputin)) AND_MAYBE ((Wunit OR 0.25 * WSunit) OR (Wstate OR 0.25 * WSstate) OR (Wputin OR 0.25 * WSputin))))"},
           {"ukrain*", "Query((WILDCARD SYNONYM ukrain AND_MAYBE WILDCARD SYNONYM Wukrain))"},
           {"Ukrain*", "Query((WILDCARD SYNONYM ukrain AND_MAYBE WILDCARD SYNONYM Wukrain))"},
           {"CAFÉ*", "Query((WILDCARD SYNONYM cafe AND_MAYBE WILDCARD SYNONYM Wcafe))"},
           {"U.S.*", "Query((WILDCARD SYNONYM u.s AND_MAYBE WILDCARD SYNONYM Wu.s))"},
           {"a.*", "col 1: a wildcard needs at least 2 characters before '*'"},
           {"title:ukrain*", "Query((WILDCARD SYNONYM Sukrain AND_MAYBE WILDCARD SYNONYM WSukrain))"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, BooleanOperators) {
  for (const Case& c : std::vector<Case>{
           {"troops AND kyiv", "Query(((Wtroop OR 0.25 * WStroop) AND (Wkyiv OR 0.25 * WSkyiv)))"},
           {"troops OR kyiv", "Query(((Wtroop OR 0.25 * WStroop) OR (Wkyiv OR 0.25 * WSkyiv)))"},
           {"troops AND NOT kyiv", "Query(((Wtroop OR 0.25 * WStroop) AND_NOT (Wkyiv OR 0.25 * WSkyiv)))"},
           {"troops NOT kyiv", "Query(((Wtroop OR 0.25 * WStroop) AND_NOT (Wkyiv OR 0.25 * WSkyiv)))"},
           {"troops -kyiv -war",
            "Query(((Wtroop OR 0.25 * WStroop) AND_NOT ((Wkyiv OR 0.25 * WSkyiv) OR (Wwar OR 0.25 * WSwar))))"},
           {"+troops kyiv", "Query(((Wtroop OR 0.25 * WStroop) AND_MAYBE (Wkyiv OR 0.25 * WSkyiv)))"},
           {"+troops +kyiv", "Query(((Wtroop OR 0.25 * WStroop) AND (Wkyiv OR 0.25 * WSkyiv)))"},
           // Only negative: everything except.
           {"-war", "Query(0 * (<alldocuments> AND_NOT (Wwar OR 0.25 * WSwar)))"},
           {"NOT war", "Query(0 * (<alldocuments> AND_NOT (Wwar OR 0.25 * WSwar)))"},
           {"troops OR NOT war",
            "Query(((Wtroop OR 0.25 * WStroop) OR 0 * (<alldocuments> AND_NOT (Wwar OR 0.25 * WSwar))))"},
       }) {
    EXPECT_EQ(describe(c.query), c.expected) << "query: " << c.query;
  }
}

TEST(QueryCompiler, MatchAll) {
  CompileOptions all;
  all.match_all = true;
  for (const Case& c : std::vector<Case>{
           {"russian troops", "Query(((Wrussian OR 0.25 * WSrussian) AND (Wtroop OR 0.25 * WStroop)))"},
           {"the russian troops", "Query(((Wrussian OR 0.25 * WSrussian) AND (Wtroop OR 0.25 * WStroop)))"},
           // Required: a compound needs every part.
           {"Belarus-Ukraine border",
            "Query((((Wbelarus OR 0.25 * WSbelarus) AND (Wukrain OR 0.25 * WSukrain)) AND (Wborder OR 0.25 * WSborder)))"},
           {"russian troops -war",
            "Query((((Wrussian OR 0.25 * WSrussian) AND (Wtroop OR 0.25 * WStroop)) AND_NOT (Wwar OR 0.25 * WSwar)))"},
           {"russian OR belarusian troops",
            "Query((((Wrussian OR 0.25 * WSrussian) OR (Wbelarusian OR 0.25 * WSbelarusian)) AND (Wtroop OR 0.25 * WStroop)))"},
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
           {"title:troops", "Query(WStroop)"},
           {"title:\"troops\"", "Query((Stroops AND_MAYBE WStroop))"},
           {"title:\"military operation\"", "Query(((Smilitary PHRASE 2 Soperation) AND_MAYBE (WSmilitari OR WSoper)))"},
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
           {"troops speaker:lukashenko", "Query((((Wtroop OR 0.25 * WStroop) FILTER XSWlukashenko) FILTER ((XSWlukashenko NEAR 5000 Wtroop) OR WStroop)))"},
           {"troops date:2022-02..2022-06",
            "Query(((Wtroop OR 0.25 * WStroop) FILTER VALUE_RANGE 0 20220201 20220630))"},
           {"troops OR outlet:tass", "Query(((Wtroop OR 0.25 * WStroop) OR 0 * XOtass))"},
           {"troops -outlet:tass", "Query(((Wtroop OR 0.25 * WStroop) AND_NOT XOtass))"},
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
            "Query(((Wtroop OR 0.25 * WStroop) FILTER (XOtass OR XOthe washington times)))");
  Filters kinds;
  kinds.speakers = {"lukashenko", "Vladimir Putin"};
  kinds.authors = {"smith"};
  kinds.since = "2022-02";
  kinds.until = "2022";
  EXPECT_EQ(describe("troops", kinds),
            "Query(((Wtroop OR 0.25 * WStroop) FILTER ((XSWlukashenko OR (XSWvladimir AND XSWputin)) AND XAWsmith AND VALUE_RANGE 0 20220201 20221231 AND (((XSWlukashenko NEAR 5000 Wtroop) OR WStroop) OR ((XSWvladimir NEAR 5000 XSWputin NEAR 5000 Wtroop) OR WStroop)))))");
  Filters since;
  since.since = "2022-02-24";
  EXPECT_EQ(describe("troops", since), "Query(((Wtroop OR 0.25 * WStroop) FILTER VALUE_GE 0 20220224))");
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

TEST(QueryCompiler, HighlightTermsAndFlags) {
  struct HighlightCase {
    const char* query;
    const char* terms;
    const char* stems;
    const char* prefixes;
    bool positional;  // matched on exact forms (informational)
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

// Text as the document builder indexes it (schema.h): exact forms at their positions with weight 0,
// ranking terms (stems, no stop words) with positions in the body, without in the title.
void add_text(Xapian::Document& doc, const std::string& text, bool title) {
  namespace schema = dateline::schema;
  const Xapian::termpos offset = title ? 0 : schema::kPassageStride;
  for (const dateline::Token& t : analyzer().analyze(text)) {
    doc.add_posting(std::string(title ? schema::kTitle : schema::kBody) + t.term, offset + t.position, 0);
    if (analyzer().is_stop_word(t.term)) continue;
    const std::string word = t.stem.empty() ? t.term : t.stem;
    if (title) {
      doc.add_term(std::string(schema::kArticleTitle) + word, 3);
      doc.add_term(std::string(schema::kArticleText) + word);
    } else {
      doc.add_posting(std::string(schema::kArticleText) + word, offset + t.position);
    }
  }
}

// Name words; speaker words also at positions just before the (one) passage.
void add_words(Xapian::Document& doc, std::string_view prefix, const std::string& name) {
  Xapian::termpos at = dateline::schema::kPassageStride;
  for (const dateline::Token& t : analyzer().analyze(name)) {
    doc.add_boolean_term(std::string(prefix) + t.term);
    if (prefix == dateline::schema::kSpeakerWord) doc.add_posting(std::string(prefix) + t.term, --at, 0);
  }
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
    add_text(doc, d.body, false);
    add_text(doc, d.title, true);
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
           // speaker:X word: X's passage holds the word (or the title does); a repeated name word is one term.
           {"speaker:lukashenko troops", "1"},
           {"speaker:lukashenko invasion", "1"},  // in the title
           {"speaker:lukashenko putin", ""},      // in another article
           {"speaker:\"Lukashenko Lukashenko\" border", "1"},
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
    add_text(doc, body, false);
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
