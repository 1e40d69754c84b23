/** @file
 *  @brief Tests of LinePrefilter: it never rejects a line a pattern matches (checked against ICU on the
 *         boilerplate patterns), and it does reject ordinary article text.
 *
 *  With $DATELINE_PREFILTER_LINES set to a text file, every line of it (trimmed) is checked as well, e.g. the
 *  lines of news.jsonl's texts: `python3 -c 'import json,sys; [print(json.loads(l).get("text","")) for l in
 *  open(sys.argv[1])]' news.jsonl > /tmp/lines.txt`.
 */
#include <gtest/gtest.h>
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "articles/data.h"
#include "articles/line_prefilter.h"
#include "articles/passages.h"
#include "tests/support/test_support.h"

namespace {

using dateline::boilerplate_patterns;
using dateline::LinePrefilter;


/// ICU's answer: does any pattern match the whole line, case-insensitively?
class IcuPatterns {
 public:
  explicit IcuPatterns(const std::vector<std::string>& patterns) {
    for (const auto& p : patterns) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError perr;
      matchers_.emplace_back(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), UREGEX_CASE_INSENSITIVE,
                                                        perr, status));
      EXPECT_TRUE(U_SUCCESS(status)) << p;
    }
  }
  /// Index of the first pattern matching `line`, or -1.
  int match(std::string_view line) const {
    const std::vector<size_t> all = matching(line);
    return all.empty() ? -1 : static_cast<int>(all.front());
  }
  /// Indexes of every pattern matching `line`.
  std::vector<size_t> matching(std::string_view line) const {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), static_cast<int32_t>(line.size())));
    std::vector<size_t> out;
    for (size_t i = 0; i < matchers_.size(); ++i) {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::RegexMatcher> m(matchers_[i]->matcher(text, status));
      if (U_SUCCESS(status) && m->matches(status) && U_SUCCESS(status)) out.push_back(i);
    }
    return out;
  }

 private:
  std::vector<std::unique_ptr<icu::RegexPattern>> matchers_;
};

TEST(LinePrefilter, ReadsLiteralPrefixes) {
  LinePrefilter f({"share( this)?( article)?[.!]?", "(advert|ad)[.:]?"});
  EXPECT_EQ(f.unconditional(), 0u);
  EXPECT_TRUE(f.may_match("Share this article"));
  EXPECT_TRUE(f.may_match("SHARE"));
  EXPECT_TRUE(f.may_match("Share prices fell"));  // a candidate only: the regex decides
  EXPECT_TRUE(f.may_match("Ad"));
  EXPECT_FALSE(f.may_match("Prices fell"));
  EXPECT_FALSE(f.may_match("The ad ran"));
  EXPECT_FALSE(f.may_match(""));
}

TEST(LinePrefilter, ReadsRequiredWordsAfterAnUnknownStart) {
  LinePrefilter f({"[\xE2\x80\xA2*]?\\s*\\p{L}[\\p{L} .]{1,80} can be reached at .{1,160}"});
  EXPECT_EQ(f.unconditional(), 0u);
  EXPECT_TRUE(f.may_match("\xE2\x80\xA2 Jane Doe can be reached at jane@example.com."));
  EXPECT_TRUE(f.may_match("Jane Doe CAN BE REACHED AT jane@example.com."));
  EXPECT_FALSE(f.may_match("Jane Doe could not be reached for comment."));
}

TEST(LinePrefilter, RequiredStringsOfSeveralPatternsInOnePass) {
  // Three unprefixed patterns: a one-byte required string, two that share their first two bytes, and one
  // that can only end the line.
  LinePrefilter f({".{0,40}\\|.{0,40}", ".{1,40} min read", ".{1,40} mins listen", ".{1,40} via email"});
  EXPECT_EQ(f.unconditional(), 0u);
  EXPECT_TRUE(f.may_match("Politics | World"));
  EXPECT_TRUE(f.may_match("|"));
  EXPECT_TRUE(f.may_match("5 MIN READ"));
  EXPECT_TRUE(f.may_match("12 mins listen"));
  EXPECT_TRUE(f.may_match("Send it via email"));
  EXPECT_FALSE(f.may_match("Send it via emai"));  // cut at the line's end
  EXPECT_FALSE(f.may_match("5 minutes to read"));
  EXPECT_FALSE(f.may_match("m"));
  EXPECT_FALSE(f.may_match(""));
}

TEST(LinePrefilter, DigitsAndQuantifiedSets) {
  LinePrefilter f({"\\d{1,2}:\\d{2}( [ap]m)?", "[0-9]+ comments?"});
  EXPECT_TRUE(f.may_match("10:42 am"));
  EXPECT_TRUE(f.may_match("12 comments"));
  EXPECT_FALSE(f.may_match("Ten remarks"));
  EXPECT_FALSE(f.may_match("The talks went on for hours"));
}

TEST(LinePrefilter, CandidatesAreThePatternsWhoseConditionALineMeets) {
  LinePrefilter f({"share( this)?( article)?[.!]?", "(advert|ad)[.:]?", ".*can be reached at.*", "back to top"});
  std::vector<size_t> c;
  f.candidates("Share this article", c);
  EXPECT_EQ(c, (std::vector<size_t>{0}));
  f.candidates("Jane Doe can be reached at jane@example.com", c);
  EXPECT_EQ(c, (std::vector<size_t>{2}));
  f.candidates("Ad: share can be reached at", c);  // one condition each: a prefix, and a required string
  EXPECT_EQ(c, (std::vector<size_t>{1, 2}));
  f.candidates("The president said on Monday.", c);
  EXPECT_TRUE(c.empty());
  f.candidates("\xC5\xBFhare", c);  // folds outside ASCII: every pattern
  EXPECT_EQ(c, (std::vector<size_t>{0, 1, 2, 3}));
  LinePrefilter unknown({"share", "(?i)x"});
  unknown.candidates("nothing alike", c);  // a pattern without a condition: every pattern
  EXPECT_EQ(c, (std::vector<size_t>{0, 1}));
}

TEST(LinePrefilter, UnknownSyntaxMeansEveryLine) {
  LinePrefilter f({"share(?=x)", "(a)\\1", "[{ab}c]d", "(?i)x"});
  EXPECT_EQ(f.unconditional(), 4u);
  EXPECT_TRUE(f.may_match("anything at all"));
}

TEST(LinePrefilter, CharactersThatFoldOutsideAsciiAlwaysPass) {
  // ICU folds U+017F LONG S to "s" and U+212A KELVIN SIGN to "k": "ſhare" matches "share".
  const std::vector<std::string> patterns{"share", "back to top", "strasse"};
  LinePrefilter f(patterns);
  IcuPatterns icu(patterns);
  for (std::string line : {"\xC5\xBFhare", "bac\xE2\x84\xAA to top", "stra\xC3\x9F" "e", "STRA\xE1\xBA\x9E" "E"}) {
    EXPECT_TRUE(f.may_match(line)) << line;
    EXPECT_GE(icu.match(line), 0) << line;  // the reason the prefilter must let them through
  }
  EXPECT_FALSE(f.may_match("caf\xC3\xA9 au lait"));  // é does not change under folding: filtered as usual
}

/// Lines each boilerplate pattern matches, tricky spellings and ordinary text.
const std::vector<std::string>& sample_lines() {
  static const std::vector<std::string> lines{
      "Share", "Share this article", "share on Facebook, Twitter and WhatsApp", "Tweet.", "E-mail", "Copy link",
      "12 Comments", "Comments (3)", "View all 12 comments", "Leave a comment!", "Click here to read more about it",
      "Tap to expand", "Click to Read More and View Comments", "Click here for reprint permission.",
      "Please read our comment policy before commenting.", "Commenting guidelines", "Leave a Reply", "Cancel reply",
      "Your email address will not be published. Required fields are marked *", "Required fields are marked *",
      "Log in to comment", "Sign in or register", "Join the conversation!", "We welcome your comments below",
      "Copyright \xC2\xA9 2024 The Washington Times, LLC.", "Copyright (c) by Reuters", "(c) 2023 AP",
      "\xC2\xA9 2022 Pravda.Ru", "All rights reserved.",
      "This material may not be published, broadcast, rewritten or redistributed.", "Reprints and permissions",
      "Source link", "Source: URL", "Original article here:", "Read more", "Read more: Lukashenko speaks",
      "Read the full story here \xC2\xBB", "Related articles:", "You may also like", "Trending now", "Advertisement",
      "Ad", "Sponsored content.", "Scroll down to continue", "Continue reading below", "Story continues below advertisement",
      "Article continues after this ad", "Skip to main content", "Back to top", "Subscribe now!",
      "Subscribe to Pravda.Ru Telegram channel, Facebook, RSS!", "Sign up for our daily newsletter",
      "Get our free newsletter delivered daily", "Follow us on Twitter @dateline", "Download our free app today",
      "Listen to this article 4 min", "Watch", "Audio:", "5 min read", "Three minutes read", "Toggle caption",
      "Close menu", "Enlarge image", "Photo 3 of 12", "Image 1 / 9", "Updated:", "Last updated", "Published.",
      "0:00", "10:42 AM ET", "10:42 a.m. EST", "1:02:03 / 4:05:06",
      "\xE2\x80\xA2 David R. Sands can be reached at dsands@washingtontimes.com.",
      "Jane O\xE2\x80\x99" "Brien can be reached at jane@example.com",
      "\xE2\x80\x94 Contact the author at: jane@example.com", "Email the reporter: x@y.z", "Author: Jane Doe",
      "Editor Dmitry Sudakov", "Additional reporting by Jane Roe", "Fact-checked by John Roe", "Editor\xE2\x80\x99s note:",
      "Photo: Reuters", "Photos by Jane Doe", "File photo credit: AP", "Illustration by John Roe",
      // Text, not furniture, some starting like furniture:
      "Share prices fell sharply on Monday.", "Comments made by the minister drew anger.",
      "The president said on Monday that talks would resume next week.",
      "\xE2\x80\x9CWe will not back down,\xE2\x80\x9D she said.", "At 10:42 the train left.", "10:42",
      "Advertising revenue fell 12% in the quarter.", "Photographs of the scene spread online.",
      "Read the room, the senator said.", "Subscribers complained about the price.", "",
      "\xC3\x89lys\xC3\xA9" "e Palace said nothing.", "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0 said", "\xEF\xBF\xBD\xFF broken"};
  return lines;
}

/// Every line a pattern matches passes the prefilter; returns how many lines it rejected.
size_t check_sound(const LinePrefilter& f, const IcuPatterns& icu, const std::vector<std::string>& lines) {
  size_t rejected = 0;
  for (const auto& raw : lines) {
    std::string_view line = dateline::trim_space(raw);
    if (line.size() > 400) continue;  // never tested against the patterns (passages.cpp)
    const std::vector<size_t> patterns = icu.matching(line);
    const bool may = f.may_match(line);
    if (!patterns.empty()) {
      EXPECT_TRUE(may) << "pattern " << patterns.front() << " matches but the prefilter rejects: " << line;
    }
    // candidates(): empty exactly when may_match() is false, and never without a pattern that matches.
    std::vector<size_t> candidates;
    f.candidates(line, candidates);
    EXPECT_EQ(!candidates.empty(), may) << line;
    for (size_t p : patterns) {
      EXPECT_TRUE(std::binary_search(candidates.begin(), candidates.end(), p))
          << "pattern " << p << " matches but is no candidate: " << line;
    }
    if (!may) ++rejected;
  }
  return rejected;
}

TEST(LinePrefilter, NeverRejectsABoilerplateMatch) {
  const auto patterns = boilerplate_patterns();
  LinePrefilter f(patterns);
  for (const auto& p : patterns) {
    EXPECT_EQ(LinePrefilter({p}).unconditional(), 0u) << "a pattern the prefilter cannot read sends every line to ICU: " << p;
  }
  IcuPatterns icu(patterns);
  size_t matched = 0;
  for (const auto& line : sample_lines())
    if (icu.match(line) >= 0) ++matched;
  EXPECT_GE(matched, 80u);  // the samples do exercise the patterns
  const size_t rejected = check_sound(f, icu, sample_lines());
  EXPECT_GE(rejected, 4u);
  EXPECT_FALSE(f.may_match("The president said on Monday that talks would resume next week."));
}

TEST(LinePrefilter, NeverRejectsABoilerplateMatchInFixtures) {
  const auto patterns = boilerplate_patterns();
  LinePrefilter f(patterns);
  IcuPatterns icu(patterns);
  std::vector<std::string> lines;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dateline::test::fixtures_dir() / "articles")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  ASSERT_GT(lines.size(), 100u);
  const size_t rejected = check_sound(f, icu, lines);
  EXPECT_GT(rejected, lines.size() / 2) << "the prefilter should turn most article lines away";
}

TEST(LinePrefilter, NeverRejectsABoilerplateMatchInCorpus) {
  const char* file = std::getenv("DATELINE_PREFILTER_LINES");
  if (file == nullptr) GTEST_SKIP() << "set DATELINE_PREFILTER_LINES to a text file to check its lines";
  const auto patterns = boilerplate_patterns();
  LinePrefilter f(patterns);
  IcuPatterns icu(patterns);
  std::vector<std::string> lines;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_FALSE(lines.empty());
  const size_t rejected = check_sound(f, icu, lines);
  std::cout << lines.size() << " lines, " << rejected << " rejected by the prefilter\n";
}

}  // namespace
