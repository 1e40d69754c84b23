/** @file
 *  @brief Table-driven tests of the Analyzer: words, positions, byte offsets, folding and stems.
 */
#include "analyzers/analyzer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/normalize.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

// "term[position]@begin-end ..." : every field of a Token except the stem, in one comparable line.
std::string describe_offsets(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.term + "[" + std::to_string(t.position) + "]@" + std::to_string(t.begin) + "-" +
           std::to_string(t.end);
  }
  return out;
}

struct Case {
  const char* name;
  std::string input;
  std::string expected;  // describe_offsets() of analyze(input)
};

void run_cases(const Analyzer& analyzer, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(describe_offsets(analyzer.analyze(c.input)), c.expected);
  }
}

TEST(Analyzer, ApostrophesReadAlike) {
  const Analyzer analyzer;
  run_cases(analyzer,
            {
                // The English possessive is cut (Lucene's EnglishPossessiveFilter): "Belarus's" is "belarus".
                {"straight possessive", "Belarus's", "belarus[1]@0-9"},
                {"curly possessive U+2019", "Belarus\u2019s", "belarus[1]@0-11"},
                {"modifier letter U+02BC", "Belarus\u02BCs", "belarus[1]@0-10"},
                {"fullwidth U+FF07", "Belarus\uFF07s", "belarus[1]@0-11"},
                {"trailing apostrophe", "Belarus\u2019 decision", "belarus[1]@0-7 decision[2]@11-19"},
                {"other apostrophes stay", "don't o'clock", "don't[1]@0-5 o'clock[2]@6-13"},
                {"curly contraction", "don\u2019t", "don't[1]@0-7"},
                {"straight contraction", "don't", "don't[1]@0-5"},
                {"left quote as apostrophe", "don\u2018t", "don't[1]@0-7"},
                {"trailing straight apostrophe", "Belarus' army", "belarus[1]@0-7 army[2]@9-13"},
                {"trailing curly apostrophe", "Belarus\u2019 army", "belarus[1]@0-7 army[2]@11-15"},
                {"trailing U+02BC apostrophe", "Belarus\u02BC army", "belarus[1]@0-7 army[2]@10-14"},
                {"quoted word", "\u2018Hello\u2019 she said", "hello[1]@3-8 she[2]@12-15 said[3]@16-20"},
            });
}

TEST(Analyzer, EveryKindOfSpaceSeparates) {
  const Analyzer analyzer;
  run_cases(analyzer,
            {
                {"space + no-break space", "special \u00a0military operation",
                 "special[1]@0-7 military[2]@10-18 operation[3]@19-28"},
                {"no-break space alone", "special\u00a0military", "special[1]@0-7 military[2]@9-17"},
                {"thin, narrow no-break, ideographic", "a\u2009b\u202Fc\u3000d",
                 "a[1]@0-1 b[2]@4-5 c[3]@8-9 d[4]@12-13"},
                {"em space, line separator", "x\u2003y\u2028z", "x[1]@0-1 y[2]@4-5 z[3]@8-9"},
                {"tabs and newlines", "one\ttwo\r\nthree\n", "one[1]@0-3 two[2]@4-7 three[3]@9-14"},
            });
}

TEST(Analyzer, HyphenatedCompoundsSplit) {
  const Analyzer analyzer;
  run_cases(analyzer,
            {
                {"hyphen", "Belarus-Ukraine border", "belarus[1]@0-7 ukraine[2]@8-15 border[3]@16-22"},
                {"number-word", "70,000-strong", "70,000[1]@0-6 strong[2]@7-13"},
                {"en dash", "Belarus\u2013Ukraine", "belarus[1]@0-7 ukraine[2]@10-17"},
                {"non-breaking hyphen", "Belarus\u2011Ukraine", "belarus[1]@0-7 ukraine[2]@10-17"},
            });
}

TEST(Analyzer, NumbersAbbreviationsAddresses) {
  const Analyzer analyzer;
  run_cases(analyzer,
            {
                {"numbers", "at 5 a.m. on 3.5", "at[1]@0-2 5[2]@3-4 a.m[3]@5-8 on[4]@10-12 3.5[5]@13-16"},
                {"thousands", "70,000 troops", "70,000[1]@0-6 troops[2]@7-13"},
                {"abbreviations", "U.S. and U.S.A.", "u.s[1]@0-3 and[2]@5-8 u.s.a[3]@9-14"},
                {"date", "2022-02-24", "2022[1]@0-4 02[2]@5-7 24[3]@8-10"},
                {"email and url", "mail john.doe@example.com or https://www.bbc.co.uk/news",
                 "mail[1]@0-4 john.doe@example.com[2]@5-25 or[3]@26-28 https[4]@29-34 "
                 "www.bbc.co.uk[5]@37-50 news[6]@51-55"},
            });
}

TEST(Analyzer, NonLatinScripts) {
  const Analyzer analyzer;
  run_cases(analyzer,
            {
                {"cyrillic", "Привет, мир", "привет[1]@0-12 мир[2]@14-20"},
                {"cyrillic short i kept, yo folded", "Йошкар-Ола ёлка",
                 "йошкар[1]@0-12 ола[2]@13-19 елка[3]@20-28"},
                {"greek with tonos", "Γειά σου", "γεια[1]@0-8 σου[2]@9-15"},
                {"greek final sigma folds", "ΟΔΟΣ οδός", "οδοσ[1]@0-8 οδοσ[2]@9-17"},
                {"arabic", "مرحبا بالعالم", "مرحبا[1]@0-10 بالعالم[2]@11-25"},
                {"hebrew", "שלום עולם", "שלום[1]@0-8 עולם[2]@9-17"},
                {"chinese dictionary words", "中华人民共和国", "中华[1]@0-6 人民[2]@6-12 共和国[3]@12-21"},
                {"thai dictionary words", "ภาษาไทยง่ายนิดเดียว",
                 "ภาษา[1]@0-12 ไทย[2]@12-21 ง่าย[3]@21-33 นิด[4]@33-42 เดียว[5]@42-57"},
            });
}

TEST(Analyzer, InvalidUtf8ReadsAsReplacement) {
  const Analyzer analyzer;
  run_cases(analyzer, {
                          {"0xFF inside a word",
                           "ab\xFF"
                           "cd",
                           "ab[1]@0-2 cd[2]@3-5"},
                          {"lone continuation byte", "\x80x", "x[1]@1-2"},
                          {"truncated 2-byte sequence", "caf\xC3 bar", "caf[1]@0-3 bar[2]@5-8"},
                          {"truncated 3-byte sequence", "a\xE2\x80 b", "a[1]@0-1 b[2]@4-5"},
                          {"overlong 2-byte", "\xC0\xAFx y", "x[1]@2-3 y[2]@4-5"},
                          {"overlong 3-byte", "\xE0\x80\xAFy", "y[1]@3-4"},
                          {"encoded surrogate", "\xED\xA0\x80z", "z[1]@3-4"},
                          {"above U+10FFFF", "\xF4\x90\x80\x80q", "q[1]@4-5"},
                          {"truncated 4-byte at end", "ok \xF0\x9F\x98", "ok[1]@0-2"},
                          {"invalid byte then accented word",
                           "\xFE"
                           "café au lait",
                           "cafe[1]@1-6 au[2]@7-9 lait[3]@10-14"},
                          {"valid emoji between words",
                           "a\xF0\x9F\x98\x80"
                           "b",
                           "a[1]@0-1 b[2]@5-6"},
                      });
}

// decode_utf8() takes printable ASCII eight bytes at a time: a control character, DEL, a multi-byte character or
// an invalid byte at any offset of a run still gets its own unit and offset, as byte by byte.
TEST(DecodeUtf8, AsciiRunsAroundEveryKindOfByte) {
  struct Special {
    std::string bytes;
    std::vector<char16_t> units;
  };
  const std::vector<Special> specials = {{"\t", {u' '}},          {"\x7F", {u' '}},
                                         {"\x01", {u' '}},        {"\xC3\xA9", {u'\u00E9'}},
                                         {"\xE2\x80\x99", {u'\''}}, {"\xFF", {u'\uFFFD'}},
                                         {"\xF0\x9F\x98\x80", {0xD83D, 0xDE00}}};
  icu::UnicodeString out;
  std::vector<uint32_t> offsets;
  for (const Special& sp : specials) {
    for (size_t before = 0; before < 20; ++before) {
      const std::string text = std::string(before, 'a') + sp.bytes + "bcdefghijklmnopq";
      text::decode_utf8(text, out, offsets);
      ASSERT_EQ(out.length(), static_cast<int32_t>(before + sp.units.size() + 16)) << before;
      int32_t k = 0;
      for (size_t i = 0; i < before; ++i, ++k) {
        EXPECT_EQ(out.charAt(k), u'a');
        EXPECT_EQ(offsets[static_cast<size_t>(k)], i);
      }
      for (char16_t u : sp.units) {
        EXPECT_EQ(out.charAt(k), u) << before;
        EXPECT_EQ(offsets[static_cast<size_t>(k++)], before);
      }
      for (size_t i = 0; i < 16; ++i, ++k) {
        EXPECT_EQ(out.charAt(k), static_cast<char16_t>('b' + i));
        EXPECT_EQ(offsets[static_cast<size_t>(k)], before + sp.bytes.size() + i);
      }
      EXPECT_EQ(offsets[static_cast<size_t>(k)], text.size());
    }
  }
}

TEST(Analyzer, NulAndControlCharactersSeparate) {
  const Analyzer analyzer;
  run_cases(analyzer, {
                          {"nul, SOH, DEL", std::string("one\0two\x01three\x7Fx", 15),
                           "one[1]@0-3 two[2]@4-7 three[3]@8-13 x[4]@14-15"},
                          {"C1 next line",
                           "a\xC2\x85"
                           "b",
                           "a[1]@0-1 b[2]@3-4"},
                          {"escape sequence", "red\x1B[0mtext", "red[1]@0-3 0mtext[2]@5-11"},
                      });
}

TEST(Analyzer, FoldsCompatibilityCaseAndAccents) {
  const Analyzer analyzer;
  run_cases(analyzer, {
                          {"ligature", "\uFB01nance", "finance[1]@0-8"},
                          {"fullwidth letters", "\uFF21\uFF22\uFF23", "abc[1]@0-9"},
                          {"sharp s full case fold", "Straße", "strasse[1]@0-7"},
                          {"acute accent", "Café CAFÉ", "cafe[1]@0-5 cafe[2]@6-11"},
                          {"decomposed accent", "Cafe\u0301", "cafe[1]@0-6"},
                          {"dotted capital I", "İstanbul", "istanbul[1]@0-9"},
                          {"stroke letters", "Łukaszenka Øresund", "lukaszenka[1]@0-11 oresund[2]@12-20"},
                          {"soft hyphen vanishes", "inter\u00ADnational", "international[1]@0-15"},
                          {"arabic-indic digits", "\u0662\u0660\u0662\u0662", "2022[1]@0-8"},
                          {"devanagari digits", "\u0968\u0966\u0968\u0968 x", "2022[1]@0-12 x[2]@13-14"},
                          {"fullwidth digits", "\uFF12\uFF10\uFF12\uFF12", "2022[1]@0-12"},
                      });
  const Analyzer keep_accents(AnalyzerConfig{"english", false});
  run_cases(keep_accents, {
                              {"accent kept", "Café", "café[1]@0-5"},
                              {"case still folded", "ÉLYSÉE", "élysée[1]@0-8"},
                              {"stroke kept", "Łukaszenka", "łukaszenka[1]@0-11"},
                          });
}

// Lucene's 33 English stop words, exactly: not their prefixes, extensions, other cases or other languages.
TEST(Analyzer, StopWordsAreLucenesEnglishList) {
  const std::vector<std::string> stop = {"a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",
                                         "for", "if",    "in",   "into",  "is",    "it",   "no",   "not", "of",
                                         "on",  "or",    "such", "that",  "the",   "their", "then", "there",
                                         "these", "they", "this", "to",   "was",   "will", "with"};
  const Analyzer english;
  auto listed = [&](const std::string& w) { return std::find(stop.begin(), stop.end(), w) != stop.end(); };
  for (const auto& w : stop) {
    EXPECT_TRUE(english.is_stop_word(w)) << w;
    std::string upper = w;
    upper[0] = static_cast<char>(upper[0] - 'a' + 'A');
    // Near misses ("as" from "a" + "s" and "or" from "for" are on the list themselves).
    for (const std::string& near : {w + "s", w + std::string(1, '\0'), w.substr(1), w.substr(0, w.size() - 1), upper})
      EXPECT_EQ(english.is_stop_word(near), listed(near)) << near;
  }
  for (const char* w : {"", "b", "th", "thes", "theirs", "therefore", "said", "i", "\xC3\xA0", "wit"})
    EXPECT_FALSE(english.is_stop_word(w)) << w;
  AnalyzerConfig none;
  none.language = "none";
  EXPECT_FALSE(Analyzer(none).is_stop_word("the"));
}

TEST(Analyzer, StopWordsKeptAndPositionsStartWhereAsked) {
  const Analyzer analyzer;
  run_cases(analyzer, {
                          {"stop words", "the Of and", "the[1]@0-3 of[2]@4-6 and[3]@7-10"},
                          {"punctuation only", " -- ... !? ", ""},
                          {"empty", "", ""},
                      });
  EXPECT_EQ(describe_offsets(analyzer.analyze("a b", 10)), "a[10]@0-1 b[11]@2-3");
  std::vector<Token> out;
  EXPECT_EQ(analyzer.analyze_into("one two", out, 5), 7u);
  EXPECT_EQ(analyzer.analyze_into("three", out, 7), 8u);
  EXPECT_EQ(describe(out), "one[5] two[6] three[7]");
}

TEST(Analyzer, LongTermsDroppedButCounted) {
  const Analyzer analyzer;
  const std::string kept(kMaxTermBytes, 'a');
  const std::string dropped(kMaxTermBytes + 1, 'b');
  const auto tokens = analyzer.analyze("short " + dropped + " " + kept + " next");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(describe(tokens), "short[1] " + kept + "[3] next[4]");
  EXPECT_EQ(tokens[1].begin, 6u + dropped.size() + 1);
  // Multi-byte: 33 two-byte letters make 66 bytes after folding.
  std::string cyrillic;
  for (int i = 0; i < 33; ++i) cyrillic += "я";
  EXPECT_EQ(describe(analyzer.analyze(cyrillic + " да")), "да[2]");
  std::vector<Token> out;
  EXPECT_EQ(analyzer.analyze_into(dropped + " x", out, 1), 3u);  // the dropped word still counts
  EXPECT_EQ(describe(out), "x[2]");
}

TEST(Analyzer, Stems) {
  const Analyzer analyzer;
  struct StemCase {
    std::string input;
    std::string stem;  // of the only token
  };
  const std::vector<StemCase> cases = {
      {"troops", "troop"}, {"Belarus's", "belarus"}, {"Belarus\u2019s", "belarus"},
      {"running", "run"},  {"70,000", ""},           {"3.5", ""},
      {"U.S.", ""},        {"covid19", ""},          {"john@example.com", ""},
      {"中华", ""},        {"Café", "cafe"},         {"the", "the"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    const auto tokens = analyzer.analyze(c.input);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].stem, c.stem);
    EXPECT_EQ(analyzer.stem(tokens[0].term), c.stem);
  }
  const Analyzer unstemmed(AnalyzerConfig{"none", true});
  EXPECT_EQ(unstemmed.analyze("troops")[0].stem, "");
  EXPECT_EQ(unstemmed.stem("troops"), "");
  const Analyzer russian(AnalyzerConfig{"russian", true});
  EXPECT_EQ(russian.analyze("войска")[0].stem, "войск");
}

TEST(Analyzer, FoldMatchesAnalyze) {
  const Analyzer analyzer;
  struct FoldCase {
    std::string word;
    std::string folded;
  };
  const std::vector<FoldCase> cases = {
      {"Belarus\u2019s", "belarus"},
      {"U.S.", "u.s."},
      {"CAFÉ", "cafe"},
      {"\uFF21\uFF22\uFF23", "abc"},
      {"Straße", "strasse"},
      {"Łuka", "luka"},
      {"ab\xFF", "ab\uFFFD"},
      {"", ""},
      {"\u0662\u0660", "20"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.word);
    EXPECT_EQ(analyzer.fold(c.word), c.folded);
  }
}

TEST(AnalyzerConfig, SerialiseAndParse) {
  EXPECT_EQ(AnalyzerConfig{}.serialise(), "language=english;fold_accents=1;possessives=1");
  EXPECT_EQ((AnalyzerConfig{"none", false}.serialise()), "language=none;fold_accents=0;possessives=1");
  EXPECT_EQ((AnalyzerConfig{"english", true, false}.serialise()), "language=english;fold_accents=1");
  // A stamp written before the setting existed: possessives stay as they were indexed.
  EXPECT_FALSE(AnalyzerConfig::parse("language=english;fold_accents=1").possessives);
  EXPECT_EQ(describe(Analyzer(AnalyzerConfig::parse("language=english;fold_accents=1")).analyze("Belarus's")),
            "belarus's[1]");
  EXPECT_THROW(AnalyzerConfig::parse("language=english;possessives=2"), std::invalid_argument);
  for (const AnalyzerConfig& c : {AnalyzerConfig{}, AnalyzerConfig{"russian", false}, AnalyzerConfig{"none", true},
                                  AnalyzerConfig{"english", true, false}}) {
    EXPECT_EQ(AnalyzerConfig::parse(c.serialise()), c);
  }
  EXPECT_EQ(AnalyzerConfig::parse("language=en").language, "english");  // canonical name
  EXPECT_EQ(AnalyzerConfig::parse("fold_accents=0;").fold_accents, false);
}

TEST(AnalyzerConfig, ParseErrorsNameTheBadPart) {
  struct ErrorCase {
    std::string input;
    std::string mentions;
  };
  const std::vector<ErrorCase> cases = {
      {"language=klingon", "klingon"},
      {"language=", "language="},
      {"fold_accents=2", "fold_accents=2"},
      {"colour=blue", "colour"},
      {"language", "language"},
      {"language=english;language=french", "twice"},
      {"", "empty"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    try {
      (void)AnalyzerConfig::parse(c.input);
      ADD_FAILURE() << "no exception";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(c.mentions), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(Analyzer(AnalyzerConfig{"klingon", true}), std::invalid_argument);
}

TEST(Analyzer, AvailableLanguagesAndMove) {
  EXPECT_NE(available_languages().find("english"), std::string::npos);
  Analyzer a(AnalyzerConfig{"french", false});
  Analyzer b = std::move(a);
  EXPECT_EQ(b.config().language, "french");
  EXPECT_EQ(describe(b.analyze("Les soldats")), "les[1] soldats[2]");
}

TEST(Analyzer, LargeInputIsChunkedWithoutLosingWords) {
  const Analyzer analyzer;
  std::string text;
  const int words = 300000;  // 1.8 MB: more than one internal chunk
  for (int i = 0; i < words; ++i) text += (i % 2 == 0) ? "alpha " : "beta\u00a0";
  const auto tokens = analyzer.analyze(text);
  ASSERT_EQ(tokens.size(), static_cast<size_t>(words));
  for (size_t i = 0; i < tokens.size(); ++i) {
    ASSERT_EQ(tokens[i].position, i + 1);
    ASSERT_EQ(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin), i % 2 == 0 ? "alpha" : "beta");
  }
  // A space-free run longer than a chunk is junk, but the words after it are still found.
  const std::string blob(3 * 1024 * 1024, 'x');
  const auto tail = analyzer.analyze(blob + " tail");
  ASSERT_FALSE(tail.empty());
  EXPECT_EQ(tail.back().term, "tail");
  EXPECT_EQ(tail.back().begin, blob.size() + 1);
}

// Oracle over real text: for every fixture article and hostile input, offsets are in range, lie on
// the word, positions are consecutive, and the query-side fold()/stem() reproduce each token.
TEST(Analyzer, FixturesAgreeWithQuerySide) {
  const Analyzer analyzer;
  std::vector<std::filesystem::path> files;
  for (const auto& dir :
       {test::fixtures_dir() / "articles", test::source_dir() / "tests" / "data" / "hostile"}) {
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  ASSERT_FALSE(files.empty());
  size_t total = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const std::string text = test::read_file(file);
    const auto tokens = analyzer.analyze(text);
    uint32_t last = 0;
    size_t last_end = 0;
    for (const Token& t : tokens) {
      ASSERT_LT(t.begin, t.end);
      ASSERT_LE(t.end, text.size());
      ASSERT_GE(t.begin, last_end);
      ASSERT_GT(t.position, last);
      ASSERT_FALSE(t.term.empty());
      ASSERT_LE(t.term.size(), kMaxTermBytes);
      const std::string word = text.substr(t.begin, t.end - t.begin);
      ASSERT_EQ(analyzer.fold(word), t.term) << word;
      ASSERT_EQ(analyzer.stem(t.term), t.stem) << t.term;
      last = t.position;
      last_end = t.end;
    }
    total += tokens.size();
  }
  EXPECT_GT(total, 1000u);
}

}  // namespace
}  // namespace dateline
