/** @file
 *  @brief Tests of base/: the UTF-8 decoder and boundaries, ASCII helpers, the calendar, terminal-safe text.
 */
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "base/edit_distance.h"
#include "base/calendar.h"
#include "base/errors.h"
#include "base/experiments.h"
#include "base/leb128.h"
#include "base/languages.h"
#include "base/terminal.h"
#include "base/utf8.h"

namespace utf8 = dateline::utf8;
namespace ascii = dateline::ascii;
namespace calendar = dateline::calendar;
namespace languages = dateline::languages;

namespace {

struct Case {
  std::string_view bytes;
  size_t length;        // sequence_length(bytes, 0)
  char32_t code_point;  // decode(bytes, 0).code_point
  const char* why;
};

// Unicode table 3-7 (well-formed byte sequences), its edges, and what falls just outside them.
constexpr Case kCases[] = {
    {"A", 1, U'A', "ASCII"},
    {std::string_view("\0", 1), 1, 0, "NUL is ASCII"},
    {"\x7f", 1, 0x7F, "DEL"},
    {"\xc2\x80", 2, 0x80, "lowest two-byte"},
    {"\xdf\xbf", 2, 0x7FF, "highest two-byte"},
    {"\xc0\x80", 0, 0xFFFD, "overlong NUL"},
    {"\xc1\xbf", 0, 0xFFFD, "overlong two-byte"},
    {"\xe0\xa0\x80", 3, 0x800, "lowest three-byte"},
    {"\xe0\x9f\xbf", 0, 0xFFFD, "overlong three-byte"},
    {"\xed\x9f\xbf", 3, 0xD7FF, "just below the surrogates"},
    {"\xed\xa0\x80", 0, 0xFFFD, "high surrogate U+D800"},
    {"\xed\xbf\xbf", 0, 0xFFFD, "low surrogate U+DFFF"},
    {"\xee\x80\x80", 3, 0xE000, "just above the surrogates"},
    {"\xef\xbf\xbd", 3, 0xFFFD, "U+FFFD itself, valid"},
    {"\xf0\x90\x80\x80", 4, 0x10000, "lowest four-byte"},
    {"\xf0\x8f\xbf\xbf", 0, 0xFFFD, "overlong four-byte"},
    {"\xf4\x8f\xbf\xbf", 4, 0x10FFFF, "U+10FFFF, the last code point"},
    {"\xf4\x90\x80\x80", 0, 0xFFFD, "U+110000, above the range"},
    {"\xf5\x80\x80\x80", 0, 0xFFFD, "F5 lead: the copy in cli/common.cpp took it as valid"},
    {"\xf7\xbf\xbf\xbf", 0, 0xFFFD, "U+1FFFFF"},
    {"\xf8\x88\x80\x80\x80", 0, 0xFFFD, "five-byte form"},
    {"\xff", 0, 0xFFFD, "FF never occurs"},
    {"\x80", 0, 0xFFFD, "stray continuation byte"},
    {"\xc3", 0, 0xFFFD, "truncated two-byte"},
    {"\xe2\x82", 0, 0xFFFD, "truncated three-byte"},
    {"\xf0\x9f\x98", 0, 0xFFFD, "truncated four-byte"},
    {"\xe2\x28\xa1", 0, 0xFFFD, "second byte not a continuation"},
    {"\xf0\x9f\x98\x41", 0, 0xFFFD, "fourth byte not a continuation"},
};

}  // namespace

TEST(Utf8, SequenceLengthAndDecodeFollowTable37) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.why);
    EXPECT_EQ(utf8::sequence_length(c.bytes, 0), c.length);
    const utf8::Decoded d = utf8::decode(c.bytes, 0);
    EXPECT_EQ(d.valid, c.length != 0);
    EXPECT_EQ(d.length, c.length == 0 ? 1u : c.length);
    EXPECT_EQ(static_cast<uint32_t>(d.code_point), static_cast<uint32_t>(c.code_point));
  }
}

TEST(Utf8, SequenceLengthPastTheEndIsZero) {
  EXPECT_EQ(utf8::sequence_length("abc", 3), 0u);
  EXPECT_EQ(utf8::sequence_length("", 0), 0u);
  EXPECT_EQ(utf8::sequence_length("a\xc3\xa9", 1), 2u);
}

TEST(Utf8, InvalidBytesCountOneEach) {
  EXPECT_EQ(utf8::length(""), 0u);
  EXPECT_EQ(utf8::length("caf\xc3\xa9"), 4u);
  EXPECT_EQ(utf8::length("\xf0\x9f\x98\x80!"), 2u);
  EXPECT_EQ(utf8::length("\xed\xa0\x80"), 3u);      // a surrogate: three invalid bytes
  EXPECT_EQ(utf8::length("a\xe2\x82"), 3u);         // truncated at the end
  EXPECT_EQ(utf8::length("\xf5\x80\x80\x80"), 4u);  // above U+10FFFF
}

TEST(Utf8, LeadLengthLooksAtOneByte) {
  EXPECT_EQ(utf8::lead_length('a'), 1u);
  EXPECT_EQ(utf8::lead_length('\xc3'), 2u);
  EXPECT_EQ(utf8::lead_length('\xe2'), 3u);
  EXPECT_EQ(utf8::lead_length('\xf4'), 4u);
  EXPECT_EQ(utf8::lead_length('\x80'), 0u);  // continuation
  EXPECT_EQ(utf8::lead_length('\xc0'), 0u);  // never a lead
  EXPECT_EQ(utf8::lead_length('\xf5'), 0u);
}

TEST(Utf8, InvalidLengthIsTheMaximalSubpart) {
  EXPECT_EQ(utf8::invalid_length("\xe2\x82", 0), 2u);        // truncated: lead and its one continuation
  EXPECT_EQ(utf8::invalid_length("\xf0\x9f\x98\x41", 0), 3u);  // cut short by 'A'
  EXPECT_EQ(utf8::invalid_length("\xe0\x80\x80", 0), 1u);    // overlong: E0 allows A0..BF only
  EXPECT_EQ(utf8::invalid_length("\xed\xa0\x80", 0), 1u);    // surrogate: ED allows 80..9F only
  EXPECT_EQ(utf8::invalid_length("\xf4\x90\x80\x80", 0), 1u);  // above U+10FFFF
  EXPECT_EQ(utf8::invalid_length("\x80\x80", 0), 1u);        // stray continuation
  EXPECT_EQ(utf8::invalid_length("\xff", 0), 1u);
}

TEST(Utf8, IsContinuation) {
  EXPECT_FALSE(utf8::is_continuation('a'));
  EXPECT_FALSE(utf8::is_continuation('\xc3'));
  EXPECT_TRUE(utf8::is_continuation('\x80'));
  EXPECT_TRUE(utf8::is_continuation('\xbf'));
  EXPECT_FALSE(utf8::is_continuation('\xc0'));
}

TEST(Utf8, PreviousBoundaryBacksOverContinuationBytes) {
  const std::string_view s = "a\xe2\x82\xac" "b";  // a € b
  EXPECT_EQ(utf8::previous_boundary(s, 0), 0u);
  EXPECT_EQ(utf8::previous_boundary(s, 1), 1u);
  EXPECT_EQ(utf8::previous_boundary(s, 2), 1u);
  EXPECT_EQ(utf8::previous_boundary(s, 3), 1u);
  EXPECT_EQ(utf8::previous_boundary(s, 4), 4u);
  EXPECT_EQ(utf8::previous_boundary(s, 9), s.size());
  EXPECT_EQ(utf8::previous_boundary(s, 3, 2), 2u);  // never below the floor
}

TEST(Utf8, TruncateNeverSplitsACharacter) {
  const std::string_view s = "ab\xc3\xa9" "c";  // a b é c
  EXPECT_EQ(utf8::truncate(s, 10), s);
  EXPECT_EQ(utf8::truncate(s, 5), s);
  EXPECT_EQ(utf8::truncate(s, 4), "ab\xc3\xa9");
  EXPECT_EQ(utf8::truncate(s, 3), "ab");
  EXPECT_EQ(utf8::truncate(s, 2), "ab");
  EXPECT_EQ(utf8::truncate(s, 0), "");
  EXPECT_EQ(utf8::truncate("\xf0\x9f\x98\x80", 3), "");
}

TEST(Utf8, OffsetOfCodePoint) {
  const std::string_view s = "\xc3\xa9t\xc3\xa9";  // é t é
  EXPECT_EQ(utf8::offset_of(s, 0), 0u);
  EXPECT_EQ(utf8::offset_of(s, 1), 2u);
  EXPECT_EQ(utf8::offset_of(s, 2), 3u);
  EXPECT_EQ(utf8::offset_of(s, 3), s.size());
  EXPECT_EQ(utf8::offset_of(s, 99), s.size());
}

TEST(Ascii, LowerTouchesOnlyAsciiLetters) {
  EXPECT_EQ(ascii::lower("Hello WORLD 42"), "hello world 42");
  EXPECT_EQ(ascii::lower("\xc3\x89T\xc3\x89"), "\xc3\x89t\xc3\x89");  // ÉTÉ: only the T
  EXPECT_EQ(ascii::lower('Z'), 'z');
  EXPECT_EQ(ascii::lower('['), '[');
  EXPECT_EQ(ascii::lower('@'), '@');
}

TEST(Ascii, TrimAsciiWhitespaceOnly) {
  EXPECT_EQ(ascii::trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(ascii::trim("\v\fx\f"), "x");
  EXPECT_EQ(ascii::trim(""), "");
  EXPECT_EQ(ascii::trim(" \t "), "");
  EXPECT_EQ(ascii::trim("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");  // no-break space is not ASCII
}

TEST(Ascii, SplitKeepsNonEmptyPiecesOnly) {
  using V = std::vector<std::string>;
  EXPECT_EQ(ascii::split("a b", ' '), (V{"a", "b"}));
  EXPECT_EQ(ascii::split("  a   b  ", ' '), (V{"a", "b"}));
  EXPECT_EQ(ascii::split("walk\nwalked\n", '\n'), (V{"walk", "walked"}));
  EXPECT_EQ(ascii::split("Kyiv Київ", ' '), (V{"Kyiv", "Київ"}));
  EXPECT_TRUE(ascii::split("", ' ').empty());
  EXPECT_TRUE(ascii::split("   ", ' ').empty());
}

TEST(Ascii, CaseBlindComparison) {
  EXPECT_TRUE(ascii::iequals("Reuters", "rEUTERS"));
  EXPECT_FALSE(ascii::iequals("Reuters", "Reuter"));
  EXPECT_FALSE(ascii::iequals("\xc3\x89", "\xc3\xa9"));  // É and é differ: ASCII only
  EXPECT_TRUE(ascii::istarts_with("Updated: today", "updated:"));
  EXPECT_FALSE(ascii::istarts_with("Up", "updated"));
}

TEST(Calendar, LeapYears) {
  EXPECT_TRUE(calendar::is_leap(2024));
  EXPECT_FALSE(calendar::is_leap(2023));
  EXPECT_FALSE(calendar::is_leap(1900));
  EXPECT_TRUE(calendar::is_leap(2000));
  EXPECT_FALSE(calendar::is_leap(2100));
}

TEST(Calendar, DaysInMonth) {
  EXPECT_EQ(calendar::days_in_month(2022, 1), 31);
  EXPECT_EQ(calendar::days_in_month(2022, 2), 28);
  EXPECT_EQ(calendar::days_in_month(2024, 2), 29);
  EXPECT_EQ(calendar::days_in_month(1900, 2), 28);
  EXPECT_EQ(calendar::days_in_month(2000, 2), 29);
  EXPECT_EQ(calendar::days_in_month(2022, 4), 30);
  EXPECT_EQ(calendar::days_in_month(2022, 12), 31);
  EXPECT_EQ(calendar::days_in_month(2022, 0), 0);
  EXPECT_EQ(calendar::days_in_month(2022, 13), 0);
}

TEST(Languages, OneTableBothWays) {
  EXPECT_EQ(languages::code_of("english"), "en");
  EXPECT_EQ(languages::code_of("norwegian"), "nb");
  EXPECT_EQ(languages::code_of("klingon"), "");
  EXPECT_EQ(languages::name_of("nb"), "norwegian");
  EXPECT_EQ(languages::name_of("xx"), "");
  for (const languages::Language& l : languages::kLanguages) {
    EXPECT_EQ(languages::name_of(l.code), l.name);  // one name per code
    EXPECT_EQ(l.code.size(), 2u);
  }
}

TEST(Terminal, SafeAndOneLine) {
  EXPECT_EQ(dateline::terminal_safe("a\tb\nc\x1b"), "a\tb\nc\\x1b");
  EXPECT_EQ(dateline::one_line("a\tb\nc\r"), "a\\x09b\\x0ac\\x0d");
  EXPECT_EQ(dateline::one_line("csi\xc2\x9b"), "csi\\u009b");
  // Every byte the decoder refuses becomes one U+FFFD, above U+10FFFF and surrogates included.
  EXPECT_EQ(dateline::one_line("\xf5\x80"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(dateline::one_line("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(dateline::one_line("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
}

TEST(Errors, OneDatabaseErrorWithItsKind) {
  try {
    throw dateline::DatabaseError(dateline::DatabaseError::Kind::kLocked, "db: locked");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "db: locked");
    EXPECT_EQ(dynamic_cast<const dateline::DatabaseError&>(e).kind(), dateline::DatabaseError::Kind::kLocked);
  }
  EXPECT_THROW(throw dateline::UsageError("--x"), std::runtime_error);
}

namespace {
TEST(EditDistance, BytesAndCodePoints) {
  using dateline::edit_distance;
  EXPECT_EQ(edit_distance(std::string_view("limt"), std::string_view("limit")), 1u);
  EXPECT_EQ(edit_distance(std::string_view("kitten"), std::string_view("sitting")), 3u);
  EXPECT_EQ(edit_distance(std::string_view(""), std::string_view("abc")), 3u);
  EXPECT_EQ(edit_distance(std::string_view("same"), std::string_view("same")), 0u);
  // Code points: one substitution, although the UTF-8 bytes differ in two places.
  EXPECT_EQ(edit_distance(std::u32string(U"caf\u00e9"), std::u32string(U"cafe")), 1u);
}

// A normal build never reads the experiment settings, whatever the environment holds (the suite is built
// without DATELINE_EXPERIMENTS).
TEST(Experiments, ANormalBuildIgnoresTheEnvironment) {
  ASSERT_FALSE(dateline::experiments_enabled());
  ::setenv("DATELINE_RANKING", "k1=5", 1);
  ::setenv("DATELINE_TITLE_WDF", "9", 1);
  EXPECT_EQ(dateline::experiment_setting("DATELINE_RANKING"), std::nullopt);
  EXPECT_EQ(dateline::experiment_setting("DATELINE_TITLE_WDF"), std::nullopt);
  ::unsetenv("DATELINE_RANKING");
  ::unsetenv("DATELINE_TITLE_WDF");
}
// LEB128: each side of every 7-bit boundary comes back, one after another in one buffer; a number cut
// short or longer than allowed is refused.
TEST(Leb128, NumbersComeBackAndCutOrOverlongOnesAreRefused) {
  const std::vector<uint64_t> numbers = {0, 1, 127, 128, 16'383, 16'384, 4'294'967'295u, 4'294'967'296u,
                                         UINT64_MAX};
  std::string buffer;
  for (uint64_t n : numbers) dateline::leb128::append(buffer, n);
  EXPECT_EQ(buffer.substr(0, 4), std::string("\x00\x01\x7f\x80", 4));
  size_t at = 0;
  for (uint64_t n : numbers) EXPECT_EQ(dateline::leb128::read(buffer, at), std::optional<uint64_t>(n)) << n;
  EXPECT_EQ(at, buffer.size());
  EXPECT_EQ(dateline::leb128::read(buffer, at), std::nullopt);  // nothing left
  std::string cut;
  dateline::leb128::append(cut, 300);
  cut.pop_back();
  at = 0;
  EXPECT_EQ(dateline::leb128::read(cut, at), std::nullopt);
  std::string big;
  dateline::leb128::append(big, uint64_t{1} << 35);  // 36 bits: six bytes
  at = 0;
  EXPECT_EQ(dateline::leb128::read(big, at, 5), std::nullopt);
  at = 0;
  EXPECT_EQ(dateline::leb128::read(big, at, 6), std::optional<uint64_t>(uint64_t{1} << 35));
}

}  // namespace
