/** @file
 *  @brief Tests of searcher/caret.h: the query error message clipped, the caret under the error's column.
 */
#include "searcher/caret.h"

#include <gtest/gtest.h>

#include <string>

#include "searcher/query.h"

namespace dateline {
namespace {

TEST(ClipMessage, ShortMessagesUnchangedLongOnesCutAtACharacter) {
  EXPECT_EQ(clip_message("bad date 'x'"), "bad date 'x'");
  EXPECT_EQ(clip_message(std::string(300, 'a')), std::string(300, 'a'));
  EXPECT_EQ(clip_message(std::string(301, 'a')), std::string(300, 'a') + "...");
  // 299 bytes, then a 2-byte character across the cut: the cut moves back before it.
  EXPECT_EQ(clip_message(std::string(299, 'a') + "\xc3\xb6" + "tail"), std::string(299, 'a') + "...");
}

TEST(CaretLines, UnderTheColumn) {
  EXPECT_EQ(caret_lines("a ) b", 3), "  a ) b\n    ^\n");
  EXPECT_EQ(caret_lines("a ) b", 1), "  a ) b\n  ^\n");
  EXPECT_EQ(caret_lines("a ) b", 0), "");  // no column: no caret
}

TEST(CaretLines, ControlsEscapedTabsAndNewlinesAsSpaces) {
  EXPECT_EQ(caret_lines("a \x1b[31m )", 9), "  a \\x1b[31m )\n             ^\n");
  EXPECT_EQ(caret_lines("a\tb\nc )", 7), "  a b c )\n        ^\n");
}

TEST(CaretLines, ColumnsCountCodePoints) {
  EXPECT_EQ(caret_lines("w\xc3\xb6rd )", 6), "  w\xc3\xb6rd )\n       ^\n");
}

TEST(CaretLines, ColumnsPastTheEnd) {
  // "missing operand" errors point one past the last character; a column further out goes there too.
  EXPECT_EQ(caret_lines("kyiv AND", 9), "  kyiv AND\n          ^\n");
  EXPECT_EQ(caret_lines("kyiv AND", 500), "  kyiv AND\n          ^\n");
  EXPECT_EQ(caret_lines("", 3), "  \n  ^\n");
}

TEST(CaretLines, WideCharactersTakeTwoCellsCombiningMarksNone) {
  // 日本 is four cells wide: the caret under ')' is five cells in.
  EXPECT_EQ(caret_lines("\xe6\x97\xa5\xe6\x9c\xac )", 4), "  \xe6\x97\xa5\xe6\x9c\xac )\n       ^\n");
  // Fullwidth ＡＢ: two cells each.
  EXPECT_EQ(caret_lines("\xef\xbc\xa1\xef\xbc\xa2 )", 4), "  \xef\xbc\xa1\xef\xbc\xa2 )\n       ^\n");
  // e + U+0301 COMBINING ACUTE ACCENT is one cell.
  EXPECT_EQ(caret_lines("e\xcc\x81 )", 4), "  e\xcc\x81 )\n    ^\n");
  // A zero width joiner draws nothing.
  EXPECT_EQ(caret_lines("a\xe2\x80\x8d )", 4), "  a\xe2\x80\x8d )\n    ^\n");
}

TEST(CaretLines, InvalidUtf8IsOneReplacementCharacterPerByteAsTheParserCounts) {
  // A lead byte whose sequence is cut short: two invalid bytes, then " )". The parser's column for ')' is 4.
  const std::string query = "\xe6\x97 )";
  size_t column = 0;
  try {
    parse_query(query);
  } catch (const QueryError& e) {
    column = e.column();
  }
  ASSERT_EQ(column, 4u);
  EXPECT_EQ(caret_lines(query, column), "  \xef\xbf\xbd\xef\xbf\xbd )\n     ^\n");
  EXPECT_EQ(caret_lines("\xff\xfe )", 4), "  \xef\xbf\xbd\xef\xbf\xbd )\n     ^\n");
}

TEST(CaretLines, LongQueriesClippedAroundTheColumn) {
  const std::string before(60, 'b');
  const std::string after(60, 'a');
  const std::string shown = caret_lines(before + ")" + after, 61);
  const std::string context_before(kCaretContext, 'b');
  const std::string context_after(kCaretContext, 'a');
  EXPECT_EQ(shown, "  ..." + context_before + ")" + context_after + "...\n  " +
                       std::string(3 + kCaretContext, ' ') + "^\n");
}

}  // namespace
}  // namespace dateline
