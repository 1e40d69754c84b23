/** @file
 *  @brief Tests of the document builder: an Article in, the exact terms, positions, values and data out.
 */
#include "indexer/document_builder.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "analyzers/schema.h"
#include "indexer/stem_forms.h"

namespace dateline {
namespace {

namespace schema = dateline::schema;

// Every term of a document, sorted, one token each: "term" (boolean, wdf 0), "term:wdf" (no
// positions), "term[p,q]" (positions; ":wdf" added when wdf differs from the number of positions).
std::vector<std::string> describe_terms(const Xapian::Document& doc) {
  std::vector<std::string> out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string s = *t;
    // Syndicated-copy detection terms: tests/unit/stories_test.cpp (DetectionTermsOfTheBuilder below).
    if (s.rfind(schema::kStoryExact, 0) == 0 || s.rfind(schema::kStoryBand, 0) == 0) continue;
    std::vector<Xapian::termpos> positions(t.positionlist_begin(), t.positionlist_end());
    if (!positions.empty()) {
      s += "[";
      for (size_t i = 0; i < positions.size(); ++i) {
        if (i > 0) s += ',';
        s += std::to_string(positions[i]);
      }
      s += "]";
      if (t.get_wdf() != positions.size()) {
        s += ':';
        s += std::to_string(t.get_wdf());
      }
    } else if (t.get_wdf() != 0) {
      s += ':';
      s += std::to_string(t.get_wdf());
    }
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// "slot=value" for each value; the hash is checked for its shape only.
std::vector<std::string> describe_values(const Xapian::Document& doc) {
  std::vector<std::string> out;
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
    if (v.get_valueno() == schema::kSlotStorySignature) continue;  // DetectionTermsOfTheBuilder
    std::string value = *v;
    if (v.get_valueno() == schema::kSlotHash)
      value = value.size() == 16 ? "<16 hex>" : "<bad hash: " + value + ">";
    std::string shown;
    for (char c : value) shown += c == '\n' ? std::string("\\n") : std::string(1, c);
    out.push_back(std::to_string(v.get_valueno()) + "=" + shown);
  }
  return out;
}

// Sorted: the builder gives them in the order first met.
std::vector<std::string> spelling(const BuiltArticle& d) {
  std::vector<std::string> words = d.spelling;
  std::sort(words.begin(), words.end());
  return words;
}

Article sample_article() {
  Article a;
  a.id = "a.txt";
  a.path = "dir/a.txt";
  a.title = "Troops Leave";
  a.subtitle = "Minsk says";
  a.outlet = "The Washington Times";
  a.date = "2022-02-24";
  a.author = "Jane Doe, John Roe";
  a.url = "https://example.org/a";
  a.passages.push_back(Passage{"Troops went home.", 10, 27, {"Alexander Lukashenko"}});
  a.passages.push_back(Passage{"No troops, Belarus's 2022.", 29, 55, {}});
  a.content_hash = "abc";
  return a;
}

// The title and subtitle terms of sample_article(): exact forms at their positions with weight 0
// (subtitle after a gap of 100), ranking terms without positions (WS with the title weight, W once).
std::vector<std::string> title_terms() {
  return {"Stroops[1]:0", "Sleave[2]:0", "Sminsk[102]:0", "Ssays[103]:0", "WStroop:3", "WSleav:3",
          "WSminsk:3",    "WSsay:3",     "Wleav:1",       "Wminsk:1",     "Wsay:1"};
}

// The metadata terms of sample_article().
std::vector<std::string> shared_terms() {
  return {"XOthe washington times",
          "XOWthe",
          "XOWwashington",
          "XOWtimes",
          "Ajane doe",
          "Ajohn roe",
          "XAWjane",
          "XAWdoe",
          "XAWjohn",
          "XAWroe",
          "Y2022",
          "M202202",
          "D20220224",
          "XIDa.txt"};
}

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return sorted(a);
}

class DocumentBuilderTest : public ::testing::Test {
 protected:
  Analyzer analyzer_{AnalyzerConfig{"english", true}};
  DocumentBuilder builder_{analyzer_};
};

TEST_F(DocumentBuilderTest, OneDocumentPerArticle) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  EXPECT_EQ(built.passages, 2u);
  EXPECT_EQ(built.id, "a.txt");
  EXPECT_EQ(built.id_term, "XIDa.txt");
  EXPECT_EQ(built.text_bytes,
            std::string("Troops went home.").size() + std::string("No troops, Belarus's 2022.").size());
  EXPECT_TRUE(built.warnings.empty());
}

TEST_F(DocumentBuilderTest, PassagesArePositionRanges) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  // Passage 1 at 10000, passage 2 at 20000: exact forms (weight 0; stop words and numbers too; a
  // possessive loses its "'s") at their positions, and ranking terms (stems; "2022" has none; the stop
  // word "no" has none) without positions (schema 4). The speaker's name words sit just before the
  // passage that quotes him.
  EXPECT_EQ(sorted(describe_terms(built.document)),
            plus(plus(shared_terms(), title_terms()),
                 {"troops[10001,20002]:0", "went[10002]:0", "home[10003]:0", "no[20001]:0", "belarus[20003]:0",
                  "2022[20004]:0", "Wtroop:3", "Wwent:1", "Whome:1", "Wbelarus:1",
                  "W2022:1", "KA", "Qa.txt#0", "XSPalexander lukashenko", "XSWalexander[9999]:0",
                  "XSWlukashenko[9998]:0"}));
}

TEST_F(DocumentBuilderTest, StemFormsListBodyWordsRankedByAnotherWord) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  // "troops" (twice, once here) is ranked by "troop"; "went", "home", "belarus" and "2022" are their own
  // ranking terms, "no" is a stop word; title words are left out (their ranking terms never had positions).
  EXPECT_EQ(built.stem_forms, (std::vector<std::pair<std::string, std::string>>{{"troop", "troops"}}));
  // In the metadata of every backend (the in-memory one has no synonym table), merged with what is there.
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  db.set_metadata(std::string(schema::kMetaFormsPrefix) + "troop", "trooped");
  add_stem_forms(db, built);
  add_stem_forms(db, built);  // a form is listed once
  EXPECT_EQ(db.get_metadata(std::string(schema::kMetaFormsPrefix) + "troop"), "trooped\ntroops");
  EXPECT_EQ(db.get_metadata(std::string(schema::kMetaFormsPrefix) + "went"), "");
  // The positional terms of a ranking term: the stem itself when it is its own ranking term, and the
  // forms every shard lists.
  const std::vector<std::string> stored{db.get_metadata(std::string(schema::kMetaFormsPrefix) + "troop"), "troopers"};
  EXPECT_EQ(schema::ranking_forms("troop", true, stored), (std::vector<std::string>{"troop", "trooped", "troopers", "troops"}));
  EXPECT_EQ(schema::ranking_forms("troop", false, stored), (std::vector<std::string>{"trooped", "troopers", "troops"}));
  EXPECT_TRUE(schema::owns_ranking_term("went", "went", false));
  EXPECT_TRUE(schema::owns_ranking_term("2022", "", false));
  EXPECT_FALSE(schema::owns_ranking_term("happi", "happi", true));  // a stop word has no ranking term
  EXPECT_FALSE(schema::owns_ranking_term("news", "new", false));
}

// The reader threads sign each article for the syndicated-copy detection: one exact fingerprint term,
// LSH band terms and the signature value (wdf 0: the length is the ranking terms' alone).
TEST_F(DocumentBuilderTest, DetectionTermsOfTheBuilder) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  size_t exact = 0, bands = 0;
  for (auto t = built.document.termlist_begin(); t != built.document.termlist_end(); ++t) {
    exact += (*t).rfind(schema::kStoryExact, 0) == 0 ? 1 : 0;
    bands += (*t).rfind(schema::kStoryBand, 0) == 0 ? 1 : 0;
    if ((*t).rfind("X", 0) == 0) {
      EXPECT_EQ(t.get_wdf(), 0u) << *t;
    }
  }
  EXPECT_EQ(exact, 1u);
  EXPECT_GT(bands, 0u);
  EXPECT_FALSE(built.document.get_value(schema::kSlotStorySignature).empty());
}

TEST(IndexWeights, TheSchemasWeightsStampNothing) {
  EXPECT_EQ(index_weights().title, 3u);
  EXPECT_EQ(index_weights().body, 1u);
  EXPECT_EQ(index_weights().title_body, 1u);
  EXPECT_EQ(index_weights().describe(), "");
  IndexWeights other = index_weights();
  other.title = 5;
  EXPECT_EQ(other.describe(), "title_wdf=5;title_body_wdf=1");
}

TEST_F(DocumentBuilderTest, LengthIsTheSumOfWdf) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  uint64_t sum = 0;
  for (auto t = built.document.termlist_begin(); t != built.document.termlist_end(); ++t) sum += t.get_wdf();
  EXPECT_EQ(built.length, sum);
  EXPECT_EQ(built.length, 10u + 12u);  // W: 3 + 7 x 1; WS: 4 x 3; exact forms weigh nothing
}

// Words met again and again, within a passage and across passages, several sharing one stem: each ranking term's
// wdf is the count of its words (stop words none), each passage's "len" its own share, each stem form listed
// once; the builder decides a word's ranking term at its first occurrence and sums the later ones.
TEST_F(DocumentBuilderTest, RepeatedWordsSumIntoTheirRankingTerms) {
  Article a;
  a.id = "r.txt";
  a.passages.push_back(Passage{"The troops saw the troop. Troops left.", 0, 38, {}});
  a.passages.push_back(Passage{"Troops returned and returns; the troops left.", 40, 85, {}});
  a.passages.push_back(Passage{"The the the.", 87, 99, {}});
  BuiltArticle built = builder_.build(a);
  std::vector<std::string> ranking;
  for (const std::string& t : describe_terms(built.document))
    if (t.rfind("W", 0) == 0) ranking.push_back(t);
  EXPECT_EQ(sorted(ranking), (std::vector<std::string>{"Wleft:2", "Wreturn:2", "Wsaw:1", "Wtroop:5"}));
  EXPECT_EQ(built.length, 10u);
  EXPECT_EQ(built.stem_forms, (std::vector<std::pair<std::string, std::string>>{
                                  {"return", "returned"}, {"return", "returns"}, {"troop", "troops"}}));
  auto data = nlohmann::json::parse(built.document.get_data());
  ASSERT_EQ(data["passages"].size(), 3u);
  EXPECT_EQ(data["passages"][0]["len"], 5);
  EXPECT_EQ(data["passages"][1]["len"], 5);
  EXPECT_EQ(data["passages"][2]["len"], 0);
}

TEST(WordCollector, AddGivesEachWordItsIndex) {
  WordCollector words;
  EXPECT_EQ(words.add("troops"), 0u);
  EXPECT_EQ(words.add("went"), 1u);
  EXPECT_EQ(words.add("troops"), 0u);
  EXPECT_EQ(words.add("home"), 2u);
  EXPECT_EQ(words.word(0), "troops");
  EXPECT_EQ(words.word(2), "home");
  // Past the first table (256 slots, grown at half full), indexes stay those first given.
  for (int i = 0; i < 1000; ++i) {
    std::string w = "w";  // appended: GCC 12 misreports "w" + std::string under -Wrestrict
    w += std::to_string(i);
    EXPECT_EQ(words.add(w), 3u + static_cast<uint32_t>(i));
  }
  EXPECT_EQ(words.add("went"), 1u);
  EXPECT_EQ(words.add("w999"), 1002u);
  EXPECT_EQ(words.word(1002), "w999");
}

TEST_F(DocumentBuilderTest, Values) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  EXPECT_EQ(describe_values(built.document),
            (std::vector<std::string>{"0=20220224", "1=a.txt", "2=<16 hex>", "3=The Washington Times",
                                      "4=Jane Doe\\nJohn Roe", "5=Alexander Lukashenko"}));
  EXPECT_EQ(built.document.get_value(schema::kSlotHash), built.hash);
}

TEST_F(DocumentBuilderTest, DocumentData) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  EXPECT_EQ(nlohmann::json::parse(built.document.get_data()),
            nlohmann::json::parse(R"({"id":"a.txt","path":"dir/a.txt","title":"Troops Leave",
      "subtitle":"Minsk says","outlet":"The Washington Times","date":"2022-02-24","author":"Jane Doe, John Roe",
      "url":"https://example.org/a","speakers":["Alexander Lukashenko"],"file":"/abs/dir/a.txt",
      "passages":[{"text":"Troops went home.","start":10,"end":27,"speakers":["Alexander Lukashenko"],
                   "pos":10000,"len":3},
                  {"text":"No troops, Belarus's 2022.","start":29,"end":55,"speakers":[],"pos":20000,"len":3}]})"));
}

TEST_F(DocumentBuilderTest, SpellingWordsAreLetterOnlyTermsOncePerArticle) {
  BuiltArticle built = builder_.build(sample_article(), "/abs/dir/a.txt");
  EXPECT_EQ(spelling(built),
            (std::vector<std::string>{"belarus", "home", "leave", "minsk", "no", "says", "troops", "went"}));
}

// WordCollector (the spelling words of one article) gives what a std::set of the words is_spelling_word()
// accepts gave: the same words, once each, in the order first added.
TEST(WordCollector, GivesTheSpellingWordsAsASetWould) {
  const std::vector<std::string> words = {"troops", "went", "home", "no", "troops", "belarus", "2022",
                                          "u.s", "caf\xc3\xa9", "zebra", "a", "b4", "home", "\xc3\xa9t\xc3\xa9",
                                          "", "z", "caf", "cafe", "went", "ab"};
  WordCollector collector;
  std::set<std::string> expected;
  for (const auto& w : words) {
    collector.add(w);
    if (is_spelling_word(w)) expected.insert(w);
  }
  const std::vector<std::string> got = collector.spelling_words();
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), expected);
  EXPECT_EQ(got.size(), expected.size());  // once each
  EXPECT_EQ(got.front(), "troops");
  EXPECT_EQ(got.back(), "ab");
  EXPECT_TRUE(WordCollector().spelling_words().empty());
  // Past its first table (256 slots, grown at half full), each word met three times.
  WordCollector many;
  std::set<std::string> all;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 2000; ++i) {
      std::string w;
      for (int n = i; n > 0; n /= 26) w += static_cast<char>('a' + n % 26);
      if (i % 7 == 0) w += std::to_string(i);  // not a spelling word
      many.add(w);
      if (is_spelling_word(w)) all.insert(w);
    }
  }
  const std::vector<std::string> many_words = many.spelling_words();
  EXPECT_EQ(std::set<std::string>(many_words.begin(), many_words.end()), all);
  EXPECT_EQ(many_words.size(), all.size());
  EXPECT_GT(all.size(), 1500u);
}

TEST_F(DocumentBuilderTest, LongPassagesPushTheNextOneFurther) {
  Article a;
  a.id = "long";
  std::string text;
  for (int i = 0; i < 4500; ++i) text += "word ";
  a.passages.push_back(Passage{text, 0, text.size(), {}});
  a.passages.push_back(Passage{"next", 0, 4, {"Amy First"}});
  BuiltArticle built = builder_.build(a);
  auto data = nlohmann::json::parse(built.document.get_data());
  EXPECT_EQ(data["passages"][0]["pos"], 10000);
  // 4500 words, then kSpeakerWindow + kMaxSpeakerWords positions at least before the next speaker words.
  EXPECT_EQ(data["passages"][1]["pos"], 30000);
  EXPECT_EQ(schema::next_passage_start(0, 0), schema::kPassageStride);
  EXPECT_EQ(schema::next_passage_start(10000, 3999), 20000u);
  EXPECT_EQ(schema::next_passage_start(10000, 4000), 30000u);
}

TEST_F(DocumentBuilderTest, AbsentMetadataMakesNoTermsValuesOrFields) {
  Article a;
  a.id = "b";
  a.path = "-";
  a.passages.push_back(Passage{"Hello world", 0, 11, {}});
  BuiltArticle built = builder_.build(a);
  EXPECT_EQ(sorted(describe_terms(built.document)),
            sorted({"hello[10001]:0", "world[10002]:0", "Whello:1", "Wworld:1", "KA", "Qb#0", "XIDb"}));
  EXPECT_EQ(describe_values(built.document), (std::vector<std::string>{"1=b", "2=<16 hex>"}));
  EXPECT_EQ(nlohmann::json::parse(built.document.get_data()),
            nlohmann::json::parse(R"({"id":"b","path":"-","speakers":[],
               "passages":[{"text":"Hello world","start":0,"end":11,"speakers":[],"pos":10000,"len":2}]})"));
  // No source file (standard input): no "file" for --prune to look at.
  EXPECT_FALSE(nlohmann::json::parse(built.document.get_data()).contains("file"));
}

TEST_F(DocumentBuilderTest, DateTermsFollowThePrecisionGiven) {
  struct Case {
    const char* date;
    std::vector<std::string> terms;  // Y/M/D terms expected
    std::string slot;
    bool warning;
  };
  const std::vector<Case> cases{
      {"2022-02-24", {"D20220224", "M202202", "Y2022"}, "20220224", false},
      {"2022-02", {"M202202", "Y2022"}, "202202", false},
      {"2022", {"Y2022"}, "2022", false},
      {"yesterday", {}, "", true},
      {"2022-2-4", {}, "", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date);
    Article a;
    a.id = "d";
    a.date = c.date;
    a.passages.push_back(Passage{"x", 0, 1, {}});
    BuiltArticle built = builder_.build(a);
    std::vector<std::string> dates;
    for (const auto& t : describe_terms(built.document)) {
      if ((t[0] == 'Y' || t[0] == 'M' || t[0] == 'D') && t.size() > 1 && t[1] >= '0' && t[1] <= '9')
        dates.push_back(t);
    }
    EXPECT_EQ(sorted(dates), c.terms);
    EXPECT_EQ(built.document.get_value(schema::kSlotDate), c.slot);
    EXPECT_EQ(built.warnings.size(), c.warning ? 1u : 0u);
  }
}

TEST_F(DocumentBuilderTest, SpeakersOfSeveralPassagesKeepFirstSeenOrder) {
  Article a;
  a.id = "s";
  a.passages.push_back(Passage{"one", 0, 3, {"Zed Last", "Amy First"}});
  a.passages.push_back(Passage{"two", 4, 7, {"Amy First", "", "Bob Middle"}});
  BuiltArticle built = builder_.build(a);
  EXPECT_EQ(built.document.get_value(schema::kSlotSpeakers), "Zed Last\nAmy First\nBob Middle");
  auto data = nlohmann::json::parse(built.document.get_data());
  EXPECT_EQ(data["passages"][0]["speakers"], nlohmann::json::parse(R"(["Zed Last","Amy First"])"));
  // Empty names are dropped, never indexed as an empty speaker.
  EXPECT_EQ(data["passages"][1]["speakers"], nlohmann::json::parse(R"(["Amy First","Bob Middle"])"));
  // Each passage's speaker words (sorted) just before it, one position each.
  std::vector<std::string> speaker_terms;
  for (const auto& t : describe_terms(built.document)) {
    if (t.rfind("XSW", 0) == 0) speaker_terms.push_back(t);
  }
  EXPECT_EQ(sorted(speaker_terms), sorted({"XSWamy[9999,19999]:0", "XSWfirst[9998,19997]:0", "XSWlast[9997]:0",
                                           "XSWzed[9996]:0", "XSWbob[19998]:0", "XSWmiddle[19996]:0"}));
}

TEST_F(DocumentBuilderTest, NoLanguageTermFromTheStemmerOrTheRecord) {
  Analyzer plain{AnalyzerConfig{"none", true}};
  DocumentBuilder builder(plain);
  Article a;
  a.id = "l";
  a.passages.push_back(Passage{"mots", 0, 4, {}});
  BuiltArticle none = builder.build(a);
  EXPECT_EQ(sorted(describe_terms(none.document)), sorted({"mots[10001]:0", "Wmots:1", "KA", "Ql#0", "XIDl"}));
  a.language = "FR";
  BuiltArticle fr = builder.build(a);
  EXPECT_EQ(sorted(describe_terms(fr.document)), sorted({"mots[10001]:0", "Wmots:1", "KA", "Ql#0", "XIDl"}));
}

TEST(DocumentTerms, LongIdsGetAHashedTailInsteadOfColliding) {
  std::string head(300, 'x');
  std::string a = head + "a", b = head + "b";
  EXPECT_LE(article_id_term(a).size(), kMaxIndexTermBytes);
  EXPECT_NE(article_id_term(a), article_id_term(b));
  EXPECT_EQ(article_id_term(a).substr(0, 3 + 200), "XID" + head.substr(0, 200));
  EXPECT_NE(unique_term(a, 1), unique_term(a, 2));
  EXPECT_LE(unique_term(a, 123456).size(), kMaxIndexTermBytes);
  EXPECT_EQ(unique_term(a, 7).substr(unique_term(a, 7).size() - 2), "#7");
  // Short ids are the prefix and the id byte for byte.
  EXPECT_EQ(article_id_term("Dir/A.txt"), "XIDDir/A.txt");
  EXPECT_EQ(unique_term("Dir/A.txt", 3), "QDir/A.txt#3");
}

// Regression: ids were case-folded, so "Report.txt" replaced "report.txt" (file systems are case-sensitive).
TEST(DocumentTerms, IdsDifferingOnlyInCaseAreDifferentArticles) {
  EXPECT_NE(article_id_term("Report.txt"), article_id_term("report.txt"));
  EXPECT_NE(unique_term("Report.txt", 1), unique_term("report.txt", 1));
}

TEST(DocumentTerms, HashFollowsContentAndExtraction) {
  Article a = sample_article();
  std::string h = article_hash(a);
  EXPECT_EQ(h.size(), 16u);
  EXPECT_EQ(article_hash(sample_article()), h);
  Article text = sample_article();
  text.passages[0].text = "Troops went away.";
  EXPECT_NE(article_hash(text), h);
  Article speakers = sample_article();
  speakers.passages[1].speakers = {"Someone"};
  EXPECT_NE(article_hash(speakers), h);
  Article source = sample_article();
  source.content_hash = "abd";
  EXPECT_NE(article_hash(source), h);
}

TEST(DocumentTerms, RecordJsonHasMetadataAndPassages) {
  auto j = nlohmann::json::parse(article_record_json(sample_article()));
  EXPECT_EQ(j["type"], "article");
  EXPECT_EQ(j["id"], "a.txt");
  EXPECT_EQ(j["outlet"], "The Washington Times");
  EXPECT_EQ(j["speakers"], nlohmann::json::parse(R"(["Alexander Lukashenko"])"));
  ASSERT_EQ(j["passages"].size(), 2u);
  EXPECT_EQ(j["passages"][1],
            nlohmann::json::parse(R"({"passage":2,"text":"No troops, Belarus's 2022.","start":29,
                                                       "end":55,"speakers":[]})"));
  EXPECT_FALSE(j.contains("title") && j["title"].is_null());
}

// The record and the document data are written without nlohmann, but must stay byte for byte what its
// dump(-1, ' ', false, replace) gives: the index and --json outputs of earlier versions hold that form.
TEST(DocumentTerms, RecordAndDataStringsAreWrittenAsNlohmannDumpsThem) {
  std::vector<std::string> strings = {
      "",
      "plain",
      "quote \" and backslash \\ and slash /",
      "controls \b\t\n\f\r \x01\x1F \x7F end",
      std::string("nul \0 inside", 12),
      "caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80",
      std::string("caf\xC3", 4),                        // truncated sequence at the end
      std::string("x\xFFy\xC3\x28z\xED\xA0\x80w", 10),  // bad byte, bad continuation, surrogate
      std::string("\xE2\x82", 2),
      "twenty-four bytes, ascii",
  };
  // The writer skips eight bytes at a time where nothing is escaped or multi-byte: each kind of byte at
  // every place of two such blocks and the tail after them.
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x1F", " ", "\x7F", "\xC3\xA9", "\xF0\x9F\x98\x80",
                                    "\xFF", "\xC3"}) {
    for (size_t at = 0; at <= 19; ++at) {
      std::string t(19, 'a');
      t.insert(at, special);
      strings.push_back(t);
    }
  }
  Analyzer analyzer;
  DocumentBuilder builder(analyzer);
  for (const std::string& s : strings) {
    const std::string want = nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    Article a;
    a.id = "x";
    a.title = s;
    a.provenance["title"] = FieldSource{3, s};
    a.sources["title"] = s;
    a.passages.push_back(Passage{s, 0, s.size(), {s.empty() ? "Someone" : s}});
    const std::string record = article_record_json(a);
    EXPECT_NE(record.find("\"title\":" + want + ","), std::string::npos) << record;
    EXPECT_NE(record.find("\"text\":" + want + "}"), std::string::npos) << record;  // provenance
    EXPECT_NE(record.find("\"sources\":{\"title\":" + want + "}"), std::string::npos) << record;
    const std::string data = builder.build(a).document.get_data();
    EXPECT_NE(data.find("\"title\":" + want + ","), std::string::npos) << data;
    EXPECT_NE(data.find("{\"text\":" + want + ",\"start\":0,\"end\":" + std::to_string(s.size())),
              std::string::npos)
        << data;
    // The whole record as nlohmann writes it again after reading it (valid UTF-8 after the replacements).
    EXPECT_EQ(
        nlohmann::ordered_json::parse(record).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        record);
    EXPECT_EQ(
        nlohmann::ordered_json::parse(data).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        data);
  }
}

TEST(DocumentTerms, InvalidUtf8InMetadataDoesNotThrow) {
  Article a;
  a.id = "bad";
  a.title = std::string("caf\xC3", 4);
  a.passages.push_back(Passage{std::string("x\xFFy", 3), 0, 3, {}});
  Analyzer analyzer;
  DocumentBuilder builder(analyzer);
  EXPECT_NO_THROW(builder.build(a));
  EXPECT_NO_THROW(article_record_json(a));
}

}  // namespace
}  // namespace dateline
