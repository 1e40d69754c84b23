/** @file
 *  @brief Tests of the CLI glue: database path resolution and terminal safety.
 */
#include <gtest/gtest.h>
#include <stdlib.h>

#include "cli/common.h"

using dateline::cli::resolve_db_path;
using dateline::cli::terminal_safe;

TEST(ResolveDbPath, FlagWinsOverEnvironment) {
  ::setenv("DATELINE_DB", "/from/env", 1);
  EXPECT_EQ(resolve_db_path("/from/flag"), "/from/flag");
  EXPECT_EQ(resolve_db_path(""), "/from/env");
  ::unsetenv("DATELINE_DB");
  EXPECT_EQ(resolve_db_path(""), "dateline-db");
}

TEST(TerminalSafe, EscapesControlCharacters) {
  EXPECT_EQ(terminal_safe("plain text\n"), "plain text\n");
  EXPECT_EQ(terminal_safe("a\x1b[31mred"), "a\\x1b[31mred");
  EXPECT_EQ(terminal_safe("bell\x07"), "bell\\x07");
  EXPECT_EQ(terminal_safe("csi\xc2\x9b"), "csi\\u009b");   // C1 control U+009B
  EXPECT_EQ(terminal_safe("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 kept
  EXPECT_EQ(terminal_safe("bad\xff"), "bad\xef\xbf\xbd");  // invalid byte -> U+FFFD
  EXPECT_EQ(terminal_safe("cut\xe2\x80"), "cut\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(OneLine, EscapesNewlinesAndTabsToo) {
  using dateline::cli::one_line;
  EXPECT_EQ(one_line("dir/a\nfake: line"), "dir/a\\x0afake: line");
  EXPECT_EQ(one_line("tab\there\r"), "tab\\x09here\\x0d");
  EXPECT_EQ(one_line("a\x1b[31mred\xc2\x9b"), "a\\x1b[31mred\\u009b");
  EXPECT_EQ(one_line("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(one_line(std::string("nul\0x", 5)), "nul\\x00x");
}
