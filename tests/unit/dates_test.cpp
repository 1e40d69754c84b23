/** @file
 *  @brief Tests of date parsing, date lines and the publication date of plain-text articles.
 */
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "articles/dates.h"

namespace {

struct DateCase {
  const char* input;
  const char* expected;  // nullptr: no date
};

class ParseDate : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDate, Parses) {
  const DateCase& c = GetParam();
  std::optional<std::string> got = dateline::parse_date(c.input);
  if (c.expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << c.input << " ==> " << got.value_or("");
  } else {
    ASSERT_TRUE(got.has_value()) << c.input;
    EXPECT_EQ(*got, c.expected) << c.input;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseDate,
    ::testing::Values(
        DateCase{"Thursday, February 24, 2022", "2022-02-24"}, DateCase{"February 24, 2022", "2022-02-24"},
        DateCase{"10/12/2022", "2022-10-12"},  // month first
        DateCase{"December 6, 2023", "2023-12-06"}, DateCase{"2022-02-24", "2022-02-24"},
        DateCase{"2022-02-24T10:00:00Z", "2022-02-24"},
        DateCase{"2022-02-24T23:59:59.123+02:00", "2022-02-24"}, DateCase{"2022-02-24 10:00", "2022-02-24"},
        DateCase{"24 Feb 2022", "2022-02-24"}, DateCase{"Feb. 24, 2022", "2022-02-24"},
        DateCase{"24 February 2022", "2022-02-24"}, DateCase{"Sept. 5, 2021", "2021-09-05"},
        DateCase{"February 24th, 2022", "2022-02-24"}, DateCase{"24th of February, 2022", "2022-02-24"},
        DateCase{"Thu, 24 Feb 2022 10:42:07 +0000", "2022-02-24"},
        DateCase{"February 24, 2022 10:42 a.m. ET", "2022-02-24"},
        DateCase{"Feb 24, 2022 at 5 pm", "2022-02-24"}, DateCase{"24-Feb-2022", "2022-02-24"},
        DateCase{"24.02.2022", "2022-02-24"},  // dotted: day first
        DateCase{"24/02/2022", "2022-02-24"},  // only day first is possible
        DateCase{"2/29/2024", "2024-02-29"},   // leap year
        DateCase{"  May 23, 2022  ", "2022-05-23"}, DateCase{"2022 February 24", "2022-02-24"}));

INSTANTIATE_TEST_SUITE_P(
    Refused, ParseDate,
    ::testing::Values(DateCase{"July 11", nullptr},  // no year
                      DateCase{"April 12", nullptr}, DateCase{"Thursday", nullptr},
                      DateCase{"February 2022", nullptr},
                      DateCase{"February 30, 2022", nullptr},  // invalid day
                      DateCase{"2/29/2023", nullptr},          // not a leap year
                      DateCase{"13/13/2022", nullptr}, DateCase{"2022-13-01", nullptr},
                      DateCase{"10/12/22", nullptr}, DateCase{"0/12/2022", nullptr}, DateCase{"", nullptr},
                      DateCase{"2022", nullptr},
                      DateCase{"on May 23, 2022 Putin met Lukashenko", nullptr},  // a sentence, not a date
                      DateCase{"Feb 24 March 2022", nullptr}, DateCase{"February 24, 1622", nullptr},
                      DateCase{"99999999999999999999/1/2022", nullptr}, DateCase{"10/12/2022/5", nullptr}));

struct LineCase {
  const char* line;
  const char* expected;  // nullptr: not a date line
  bool updated;
};

class DateOfLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(DateOfLine, Finds) {
  const LineCase& c = GetParam();
  auto got = dateline::date_of_line(c.line);
  if (c.expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << c.line << " ==> " << (got ? got->iso : "");
    EXPECT_FALSE(dateline::is_date_line(c.line));
  } else {
    ASSERT_TRUE(got.has_value()) << c.line;
    EXPECT_EQ(got->iso, c.expected) << c.line;
    EXPECT_EQ(got->updated, c.updated) << c.line;
    EXPECT_TRUE(dateline::is_date_line(c.line));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lines, DateOfLine,
    ::testing::Values(
        LineCase{"- The Washington Times - Thursday, February 24, 2022", "2022-02-24", false},
        // Each separator between a line's segments (segments() skips most spaces without comparing).
        LineCase{"Reuters / February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters -- February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters \xC2\xB7 February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters \xE2\x80\x93 February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters \xE2\x80\x94 February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters|February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters\xE2\x80\xA2" "February 24, 2022", "2022-02-24", false},
        LineCase{"Reuters\tFebruary 24, 2022", "2022-02-24", false},
        LineCase{"Troops crossed the border into the region overnight / February 24, 2022", nullptr, false},
        LineCase{"December 6, 2023", "2023-12-06", false}, LineCase{"10/12/2022", "2022-10-12", false},
        LineCase{"Published: March 3, 2021", "2021-03-03", false},
        LineCase{"Updated: March 4, 2021 10:00 AM", "2021-03-04", true},
        LineCase{"Published March 3, 2021 | Updated March 4, 2021", "2021-03-03", false},
        LineCase{"By Jane Doe | Feb. 24, 2022", "2022-02-24", false},
        LineCase{"Last updated on 2022-02-25", "2022-02-25", true},
        LineCase{"By Jane Doe, Staff Writer, March 3, 2021", "2021-03-03", false},
        LineCase{"Posted by Jane Doe on March 3, 2021", "2021-03-03", false},
        LineCase{"Jane Doe, March 3, 2021", "2021-03-03", false},
        LineCase{"Putin in Sochi, May 23, 2022", nullptr, false},  // a caption, not a byline
        LineCase{"Troops left on March 3, 2021", nullptr, false},
        LineCase{
            "Russian President Vladimir Putin and Belarusian President Alexander Lukashenko walk during a "
            "meeting in Sochi, Russia, on May 23, 2022. (Sputnik/Ramil Sitdikov/Kremlin via Reuters)",
            nullptr, false},
        LineCase{"The Institute for the Study of War said in its July 11 war assessment.", nullptr, false},
        LineCase{"Updated:", nullptr, false}, LineCase{"0:00", nullptr, false},
        LineCase{"Putin met Lukashenko - on May 23, 2022 in Sochi the two leaders talked at length.", nullptr,
                 false}));

struct ExtractCase {
  const char* name;
  const char* text;
  const char* expected;
};

class ExtractDate : public ::testing::TestWithParam<ExtractCase> {};

TEST_P(ExtractDate, FromHeader) {
  const ExtractCase& c = GetParam();
  auto got = dateline::extract_date(c.text);
  if (c.expected == nullptr) {
    EXPECT_FALSE(got.has_value()) << c.name << " ==> " << got.value_or("");
  } else {
    ASSERT_TRUE(got.has_value()) << c.name;
    EXPECT_EQ(*got, c.expected) << c.name;
  }
}

const char* const kLongParagraph =
    "Belarus' decision to deploy its forces alongside Russian troops is solely for defensive purposes to "
    "protect "
    "its borders, the country announced on a day when many other things happened in the region as well.";

INSTANTIATE_TEST_SUITE_P(
    Articles, ExtractDate,
    ::testing::Values(
        ExtractCase{
            "caption date is not the publication date",
            "Belarus Insists Troop Deployment Is Defensive\n\nBelarus Insists Troop Deployment Is Defensive\n"
            "Putin and Lukashenko walk in Sochi, Russia, on May 23, 2022. (Sputnik/Ramil Sitdikov/Kremlin "
            "via "
            "Reuters)\nNaveen Athrappully\n10/12/2022\nUpdated:\n10/12/2022\n0:00\n\nBody text here.\n",
            "2022-10-12"},
        ExtractCase{"outlet-date line", "- The Washington Times - Thursday, February 24, 2022\n\nBody.\n",
                    "2022-02-24"},
        ExtractCase{"date line first", "December 6, 2023\n\n\nAlexander Lukashenko owes a massive debt.\n",
                    "2023-12-06"},
        ExtractCase{
            "no year anywhere",
            "Putin's Top Ally Doesn't Want to Enter Ukraine War\n\nThe ISW said in its July 11 assessment "
            "that things happened.\n\nA jet flew in for the first time since April 4.\n",
            nullptr},
        ExtractCase{"a date inside the story is not the publication date",
                    "Headline Of The Story\n\nOn March 3, 2021 the troops left.\n", nullptr},
        ExtractCase{"updated only when nothing else",
                    "Headline Of The Story\nUpdated: March 4, 2021\n\nBody paragraph.\n", "2021-03-04"},
        ExtractCase{"bare label labels the next line",
                    "Headline Of The Story\nUpdated:\n03/04/2021\n\nBody paragraph.\n", "2021-03-04"},
        ExtractCase{"published beats updated",
                    "Headline Of The Story\nUpdated: March 4, 2021\nPublished: March 3, 2021\n\nBody.\n",
                    "2021-03-03"},
        ExtractCase{
            "published line at the end",
            "Headline\n\nBody paragraph that is long enough to end the header region of this article, with "
            "more than twenty words in it so that it counts as a paragraph.\n\nPublished on 2021-03-03\n",
            "2021-03-03"},
        ExtractCase{"empty", "", nullptr}));

TEST(ExtractDate, StopsAtTheFirstBodyParagraph) {
  std::string text = "Headline Of The Story\n\n" + std::string(kLongParagraph) + "\n\nMarch 3, 2021\n";
  EXPECT_FALSE(dateline::extract_date(text).has_value());
}

TEST(ExtractDate, HugeSingleLineIsQuick) {
  std::string text(20 * 1024 * 1024, 'a');
  EXPECT_FALSE(dateline::extract_date(text).has_value());
}

}  // namespace
