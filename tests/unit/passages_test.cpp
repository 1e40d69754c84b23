/** @file
 *  @brief Tests of passage splitting: paragraphs, boilerplate, captions, bylines, size bound and offsets.
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "articles/passages.h"

namespace {

using dateline::Passage;
using dateline::PassageOptions;

std::vector<std::string> texts(const std::vector<Passage>& ps) {
  std::vector<std::string> out;
  for (const auto& p : ps) out.push_back(p.text);
  return out;
}

/// Every passage must be the bytes its offsets point at, trimmed, bounded, in order, not overlapping.
void expect_invariants(std::string_view text, const std::vector<Passage>& ps, size_t max) {
  size_t prev_end = 0;
  for (const auto& p : ps) {
    ASSERT_LE(p.begin, p.end);
    ASSERT_LE(p.end, text.size());
    EXPECT_EQ(p.text, text.substr(p.begin, p.end - p.begin));
    EXPECT_FALSE(p.text.empty());
    EXPECT_LE(p.text.size(), max);
    EXPECT_GE(p.begin, prev_end);
    EXPECT_EQ(dateline::trim_space(p.text), p.text);
    // Never cut inside a UTF-8 sequence.
    EXPECT_NE(static_cast<unsigned char>(text[p.begin]) & 0xC0, 0x80);
    if (p.end < text.size()) {
      EXPECT_NE(static_cast<unsigned char>(text[p.end]) & 0xC0, 0x80);
    }
    prev_end = p.end;
  }
}

struct LineCase {
  const char* line;
  bool boilerplate;
};

class Boilerplate : public ::testing::TestWithParam<LineCase> {};

TEST_P(Boilerplate, Classifies) {
  EXPECT_EQ(dateline::is_boilerplate_line(GetParam().line), GetParam().boilerplate) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Lines, Boilerplate,
    ::testing::Values(
        LineCase{"Copyright \xC2\xA9 2024 The Washington Times, LLC. Click here for reprint permission.",
                 true},
        LineCase{"Please read our comment policy before commenting.", true},
        LineCase{"Click to Read More and View Comments", true}, LineCase{"Click to Hide", true},
        LineCase{"\xE2\x80\xA2 David R. Sands can be reached at dsands@washingtontimes.com.", true},
        LineCase{"Subscribe to Pravda.Ru Telegram channel, Facebook, RSS!", true},
        LineCase{"Author`s name Andrey Mihayloff", true}, LineCase{"Editor Dmitry Sudakov", true},
        LineCase{"Source link", true}, LineCase{"Leave a Reply", true}, LineCase{"Leave A Reply", true},
        LineCase{"Your email address will not be published.", true},
        LineCase{"Your email address will not be published. Required fields are marked *", true},
        LineCase{"Updated:", true}, LineCase{"0:00", true}, LineCase{"10:42 AM ET", true},
        LineCase{"10/12/2022", true}, LineCase{"- The Washington Times - Thursday, February 24, 2022", true},
        LineCase{"Mikhail Klimentyev/Sputnik/AFP via Getty Images", true},
        LineCase{
            "Russian President Vladimir Putin and Belarusian President Alexander Lukashenko walk during a "
            "meeting in Sochi, Russia, on May 23, 2022. (Sputnik/Ramil Sitdikov/Kremlin via Reuters)",
            true},
        LineCase{"By David R. Sands", true}, LineCase{"BY JANE DOE and JOHN ROE | Reuters", true},
        LineCase{"Share this article", true}, LineCase{"Share on Facebook", true},
        LineCase{"Advertisement", true}, LineCase{"Read more: Lukashenko says troops will stay", true},
        LineCase{"All rights reserved.", true}, LineCase{"Sign up for our daily newsletter", true},
        LineCase{"Photo: Reuters", true},
        // Text, not furniture:
        LineCase{"Share prices fell sharply on Monday.", false},
        LineCase{"\xE2\x80\x9C"
                 "By entering the war against Ukraine, Belarus will be evicted from the community of "
                 "civilized states,\xE2\x80\x9D the officers reportedly wrote.",
                 false},
        LineCase{"By Monday, troops had withdrawn from the border.", false},
        LineCase{"Copyright law was not the issue, the minister said.", false},
        LineCase{"Lukashenko Avoiding War Involvement", false}, LineCase{"Unpopular war", false},
        LineCase{"Belarus\xE2\x80\x93Ukraine Conflict", false},
        LineCase{"Newsweek reached out to the foreign ministries of Russia and Belarus for comment.", false},
        LineCase{"The talks were held in Sochi (Russia) last May.", false},
        LineCase{"Comments by the minister were widely criticised.", false}, LineCase{"", false}));

struct CaptionCase {
  const char* line;
  bool caption;
  bool credit;
};

class Captions : public ::testing::TestWithParam<CaptionCase> {};

TEST_P(Captions, Classifies) {
  EXPECT_EQ(dateline::is_caption_line(GetParam().line), GetParam().caption) << GetParam().line;
  EXPECT_EQ(dateline::is_credit_line(GetParam().line), GetParam().credit) << GetParam().line;
}

INSTANTIATE_TEST_SUITE_P(
    Lines, Captions,
    ::testing::Values(CaptionCase{"Mikhail Klimentyev/Sputnik/AFP via Getty Images", true, true},
                      CaptionCase{"AP Photo/Evan Vucci", true, true}, CaptionCase{"Getty Images", true, true},
                      CaptionCase{"(Photo by Jane Doe/Reuters)", true, true},
                      CaptionCase{"Putin meets Lukashenko in Sochi. (AP Photo/Evan Vucci)", true, false},
                      CaptionCase{
                          "Leaders in Sochi, on May 23, 2022. (Sputnik/Ramil Sitdikov/Kremlin via Reuters)",
                          true, false},
                      CaptionCase{"The talks were held in Sochi (Russia) last May.", false, false},
                      CaptionCase{"He said the war would end soon (without giving a date)", false, false},
                      CaptionCase{"Belarus/Ukraine conflict", false, false},
                      CaptionCase{"Lukashenko Avoiding War Involvement", false, false}));

TEST(SplitPassages, BlankLinesAndSingleNewlinesSeparateParagraphs) {
  std::string text =
      "First paragraph here.\n\nSecond paragraph, first line.\nThird paragraph on its own line.\n\n\n"
      "Fourth.\n";
  auto ps = dateline::split_passages(text);
  EXPECT_EQ(texts(ps), (std::vector<std::string>{"First paragraph here.", "Second paragraph, first line.",
                                                 "Third paragraph on its own line.", "Fourth."}));
  expect_invariants(text, ps, 1200);
  EXPECT_EQ(ps[1].begin, 23u);
  EXPECT_EQ(ps[1].end, 52u);
}

TEST(SplitPassages, HardWrappedLinesAreJoined) {
  std::string text =
      "Belarusian President Alexander Lukashenko said Thursday that Russian\n"
      "President Vladimir Putin gave him a heads-up that Moscow was about to\n"
      "invade neighboring Ukraine.\nA short heading\nNext paragraph starts here.\n";
  auto ps = dateline::split_passages(text);
  ASSERT_EQ(ps.size(), 3u);
  EXPECT_EQ(ps[0].text,
            "Belarusian President Alexander Lukashenko said Thursday that Russian\n"
            "President Vladimir Putin gave him a heads-up that Moscow was about to\n"
            "invade neighboring Ukraine.");
  EXPECT_EQ(ps[1].text, "A short heading");
  expect_invariants(text, ps, 1200);
}

TEST(SplitPassages, FurnitureCaptionsAndHeaderBylinesAreDropped) {
  std::string text =
      "Lukashenko Avoiding War Involvement\n"
      "Belarusian President Alexander Lukashenko is trying to show support. Above, Putin shakes hands.\n"
      "Mikhail Klimentyev/Sputnik/AFP via Getty Images\n\n"
      "Naveen Athrappully\n10/12/2022\nUpdated:\n10/12/2022\n0:00\n\n"
      "Body paragraph.\n\nSource link\n\nLeave A Reply\n\nYour email address will not be published.\n";
  auto ps = dateline::split_passages(text);
  EXPECT_EQ(texts(ps), (std::vector<std::string>{"Lukashenko Avoiding War Involvement", "Body paragraph."}));
}

TEST(SplitPassages, NameLinesStayOutsideDateBlocks) {
  // A name alone is a byline only beside a date line; elsewhere it is text (a heading, a quote's speaker).
  auto ps = dateline::split_passages("Naveen Athrappully\n\nBody paragraph.\n");
  EXPECT_EQ(texts(ps), (std::vector<std::string>{"Naveen Athrappully", "Body paragraph."}));
}

TEST(SplitPassages, BodyBeginSkipsTitleLines) {
  std::string text = "The Title Line\n\nThe Deck Line\n\nBody paragraph.\n";
  auto ps = dateline::split_passages(text, PassageOptions{1200, text.find("The Deck Line") + 13});
  EXPECT_EQ(texts(ps), (std::vector<std::string>{"Body paragraph."}));
  EXPECT_EQ(ps[0].begin, text.find("Body"));
}

TEST(SplitPassages, LongParagraphIsCutAtSentences) {
  std::string para;
  std::vector<std::string> sentences;
  for (int i = 0; i < 30; ++i) {
    std::string s = "Mr. Lukashenko said sentence number " + std::to_string(i) +
                    " was \xE2\x80\x9Cquite important\xE2\x80\x9D.";
    sentences.push_back(s);
    para += s + (i + 1 < 30 ? " " : "");
  }
  std::string text = "Intro.\n\n" + para + "\n\nOutro.\n";
  const size_t max = 200;
  auto ps = dateline::split_passages(text, PassageOptions{max, 0});
  expect_invariants(text, ps, max);
  ASSERT_GE(ps.size(), 2u + para.size() / max);
  EXPECT_EQ(ps.front().text, "Intro.");
  EXPECT_EQ(ps.back().text, "Outro.");
  std::string rebuilt;
  for (size_t i = 1; i + 1 < ps.size(); ++i) {
    // Each piece is whole sentences: starts with "Mr." (not cut after the abbreviation) and ends with one.
    EXPECT_EQ(ps[i].text.rfind("Mr. Lukashenko said sentence number ", 0), 0u) << ps[i].text;
    EXPECT_EQ(ps[i].text.substr(ps[i].text.size() - 4), "\xE2\x80\x9D.") << ps[i].text;
    if (!rebuilt.empty()) rebuilt += " ";
    rebuilt += ps[i].text;
  }
  EXPECT_EQ(rebuilt, para);  // nothing lost, nothing doubled
}

TEST(SplitPassages, OverlongSentenceIsCutAtWords) {
  std::string sentence;
  for (int i = 0; i < 200; ++i) sentence += "word\xC3\xA9" + std::to_string(i) + " ";
  sentence += "end.";
  const size_t max = 100;
  auto ps = dateline::split_passages(sentence, PassageOptions{max, 0});
  expect_invariants(sentence, ps, max);
  std::string rebuilt;
  for (const auto& p : ps) {
    EXPECT_EQ(p.text.rfind("word", 0) == 0 || p.text == "end.", true) << p.text;  // never starts mid-word
    rebuilt += p.text + " ";
  }
  EXPECT_EQ(rebuilt, sentence + " ");
}

TEST(SplitPassages, WordLongerThanTheBoundIsCutAtCharacters) {
  std::string blob;
  for (int i = 0; i < 300; ++i) blob += "\xC3\xA9";  // 600 bytes, no break opportunity
  auto ps = dateline::split_passages(blob, PassageOptions{101, 0});
  expect_invariants(blob, ps, 101);
  std::string rebuilt;
  for (const auto& p : ps) rebuilt += p.text;
  EXPECT_EQ(rebuilt, blob);
}

TEST(SplitPassages, HugeSingleLineIsSplitLinearly) {
  // 50 MB on one line: sentences, then one giant "sentence" without punctuation.
  std::string text;
  text.reserve(50u << 20);
  while (text.size() < (30u << 20)) text += "The quick brown fox jumps over the lazy dog near Minsk. ";
  while (text.size() < (50u << 20)) text += "and on and on ";
  auto ps = dateline::split_passages(text, PassageOptions{1200, 0});
  ASSERT_FALSE(ps.empty());
  size_t covered = 0;
  for (const auto& p : ps) {
    ASSERT_LE(p.text.size(), 1200u);
    covered += p.text.size();
  }
  EXPECT_GT(covered, text.size() * 9 / 10);
  EXPECT_EQ(ps.front().begin, 0u);
  EXPECT_EQ(ps.back().end, text.size() - 1);  // the trailing space is trimmed
}

TEST(SentenceSpans, CoverTheInputAndKnowAbbreviations) {
  std::string text = "Mr. Putin spoke. He said \xE2\x80\x9Cno.\xE2\x80\x9D Then he left";
  auto spans = dateline::sentence_spans(text);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(text.substr(spans[0].first, spans[0].second - spans[0].first), "Mr. Putin spoke. ");
  EXPECT_EQ(spans.back().second, text.size());
}

TEST(ByLine, TellsBylinesFromSentences) {
  EXPECT_TRUE(dateline::is_by_line("By David R. Sands"));
  EXPECT_TRUE(dateline::is_by_line("By Jane Doe and John Roe, Reuters"));
  EXPECT_TRUE(dateline::is_by_line("By Jane Doe | February 24, 2022"));
  EXPECT_FALSE(dateline::is_by_line("By entering the war, Belarus would be an outcast."));
  EXPECT_FALSE(dateline::is_by_line("By Monday, troops had withdrawn."));
  EXPECT_FALSE(dateline::is_by_line("Bystanders said"));
}

}  // namespace
