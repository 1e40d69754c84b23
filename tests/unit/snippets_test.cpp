/** @file
 *  @brief Snippets: window choice, word and UTF-8 safety, ellipses, code-point highlights, stems.
 */
#include "searcher/snippets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using dateline::Analyzer;
using dateline::Highlight;
using dateline::make_snippet;
using dateline::Snippet;
using dateline::SnippetTerms;

const Analyzer& english() {
  static const Analyzer analyzer{dateline::AnalyzerConfig{}};
  return analyzer;
}

// The terms the compiler gives for plain words: the folded word and its stem.
SnippetTerms words(const std::vector<std::string>& ws) {
  SnippetTerms t;
  for (const auto& w : ws) {
    std::string folded = english().fold(w);
    t.terms.push_back(folded);
    std::string stem = english().stem(folded);
    if (!stem.empty()) t.stems.push_back(stem);
  }
  return t;
}

struct Case {
  const char* name;
  std::string passage;
  SnippetTerms terms;
  size_t max_chars;
  std::string text;
  std::vector<Highlight> highlights;
};

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

class SnippetCases : public ::testing::TestWithParam<Case> {};

TEST_P(SnippetCases, Exact) {
  const Case& c = GetParam();
  Snippet s = make_snippet(c.passage, english(), c.terms, c.max_chars);
  EXPECT_EQ(s.text, c.text);
  ASSERT_EQ(s.highlights.size(), c.highlights.size()) << s.text;
  for (size_t i = 0; i < c.highlights.size(); ++i) {
    EXPECT_EQ(s.highlights[i].begin, c.highlights[i].begin) << "highlight " << i;
    EXPECT_EQ(s.highlights[i].end, c.highlights[i].end) << "highlight " << i;
  }
}

// Word offsets in the comments are code points.
INSTANTIATE_TEST_SUITE_P(
    Snippets, SnippetCases,
    ::testing::Values(
        // Short passage: whole, the stemmed form highlighted.
        Case{"WholePassageStemmedMatch",
             "Troops crossed the border.",
             words({"troop"}),
             200,
             "Troops crossed the border.",
             {{0, 6}}},
        // Offsets count code points, not bytes: Лукашенко is 9 code points, 18 bytes; “ is one.
        Case{"CodePointOffsets",
             "Лукашенко said “troops” wait",
             words({"troop"}),
             200,
             "Лукашенко said “troops” wait",
             {{16, 22}}},
        // Match late: the earliest window (budget 20 - 2 = 18) that holds it starts at jjjj (45).
        Case{"WindowWithEllipses",
             "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk troops llll mmmm",
             words({"troop"}),
             20,
             "\u2026jjjj kkkk troops\u2026",
             {{11, 17}}},
        // Two distinct words beat three copies of one.
        Case{"MostDistinctTermsWins",
             "troops troops troops aaaa bbbb cccc dddd eeee ffff gggg border troops hhhh",
             words({"troop", "border"}),
             20,
             "\u2026gggg border troops\u2026",
             {{6, 12}, {13, 19}}},
        // Equal counts: the earliest window, without a leading ellipsis.
        Case{"TiesTakeTheEarliestWindow",
             "border aaaa bbbb cccc dddd eeee ffff gggg hhhh border",
             words({"border"}),
             20,
             "border aaaa bbbb\u2026",
             {{0, 6}}},
        // Punctuation clinging to the last word stays.
        Case{"TrailingPunctuationKept",
             "aaaa bbbb, cccc dddd eeee ffff gggg",
             words({"zzzz"}),
             16,
             "aaaa bbbb,\u2026",
             {}},
        // Whitespace runs (newlines, tabs) become one space.
        Case{"WhitespaceCollapsed",
             "troops\n\n  crossed\tthe border",
             words({"troop"}),
             200,
             "troops crossed the border",
             {{0, 6}}},
        // An invalid byte becomes U+FFFD, one code point.
        Case{"InvalidUtf8Replaced",
             std::string("troops \xff border"),
             words({"troop", "border"}),
             200,
             "troops \uFFFD border",
             {{0, 6}, {9, 15}}},
        // A word longer than the window is the only thing cut inside a word.
        Case{"OverlongWordCutAtCodePoint", std::string(50, 'a'), words({"b"}), 10, "aaaaaaaa\u2026", {}},
        // Wildcards: every word starting with the prefix.
        Case{"PrefixMatches",
             "Ukrainian troops in Ukraine",
             SnippetTerms{{}, {}, {"ukrain"}},
             200,
             "Ukrainian troops in Ukraine",
             {{0, 9}, {20, 27}}},
        // Unstemmed-only term (a phrase word): other forms are not highlighted.
        Case{
            "ExactTermOnly", "troop troops", SnippetTerms{{"troop"}, {}, {}}, 200, "troop troops", {{0, 5}}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

// ---- properties over many window sizes ------------------------------------------------------------

bool valid_utf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

TEST(SnippetProperties, NeverCutsWordsOrUtf8AndRespectsTheLimit) {
  const std::string passage =
      "Президент Лукашенко said on Thursday that “our troops are not there,” insisting Belarus "
      "would not join the special military operation in Ukraine; the café owners in Minsk disagreed, "
      "and 70,000 soldiers stayed near the border while Тихановская called on troops to defect.";
  const std::string ellipsis = "\u2026";
  for (size_t max = 4; max <= 260; ++max) {  // from 4: the shortest word, on, fits
    SCOPED_TRACE("max_chars " + std::to_string(max));
    Snippet s = make_snippet(passage, english(), words({"troop", "border", "lukashenko"}), max);
    ASSERT_TRUE(valid_utf8(s.text));
    ASSERT_LE(dateline::count_code_points(s.text), max);
    std::string core = s.text;
    bool lead = core.rfind(ellipsis, 0) == 0;
    if (lead) core.erase(0, ellipsis.size());
    bool trail = core.size() >= ellipsis.size() &&
                 core.compare(core.size() - ellipsis.size(), ellipsis.size(), ellipsis) == 0;
    if (trail) core.erase(core.size() - ellipsis.size());
    size_t at = passage.find(core);
    ASSERT_NE(at, std::string::npos) << s.text;
    ASSERT_FALSE(core.empty());
    // Starts at a word start (or the passage start), ends before a space/ASCII punctuation or at the end.
    if (at > 0) {
      bool boundary = passage[at - 1] == ' ' || (at >= 3 && passage.compare(at - 3, 3, "\u201C") == 0);
      EXPECT_TRUE(boundary) << "starts inside a word: " << s.text;
    }
    size_t after = at + core.size();
    if (after < passage.size()) {
      auto c = static_cast<unsigned char>(passage[after]);
      bool boundary = c == ' ' || c == ',' || c == ';' || c == '.' || (c == 0xE2);  // ” starts with 0xE2
      EXPECT_TRUE(boundary) << "cut inside a word: " << s.text;
    }
    EXPECT_EQ(lead, at > 0);
    EXPECT_EQ(trail, after < passage.size());
    // Every highlight is a whole matched word inside the snippet.
    for (const Highlight& h : s.highlights) {
      ASSERT_LT(h.begin, h.end);
      ASSERT_LE(h.end, dateline::count_code_points(s.text));
    }
  }
}

TEST(SnippetProperties, PicksTheWindowWithTheMatchWhenTheLimitIsSmall) {
  const std::string passage =
      "The ministry said nothing for a week. Then, late on Friday, it confirmed that troops had moved "
      "towards the border.";
  Snippet s = make_snippet(passage, english(), words({"troop", "border"}), 40);
  // Both matched words fit in 38 code points: "troops had moved towards the border." is 36.
  EXPECT_NE(s.text.find("troops"), std::string::npos) << s.text;
  EXPECT_NE(s.text.find("border"), std::string::npos) << s.text;
  EXPECT_EQ(s.highlights.size(), 2u);
}

TEST(SnippetProperties, EmptyPassage) {
  Snippet s = make_snippet("", english(), words({"troop"}), 200);
  EXPECT_EQ(s.text, "");
  EXPECT_TRUE(s.highlights.empty());
}

}  // namespace
