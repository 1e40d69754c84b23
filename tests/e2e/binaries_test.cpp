/** @file
 *  @brief Both binaries answer --help and --version, and refuse unknown flags with exit 2.
 */
#include <gtest/gtest.h>

#include "tests/support/test_support.h"

using dateline::test::bin_dir;
using dateline::test::run;

class Binaries : public ::testing::TestWithParam<std::string> {};

TEST_P(Binaries, HelpListsEveryCommonFlag) {
  auto r = run({(bin_dir() / GetParam()).string(), "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* flag : {"--db", "--verbose", "--quiet", "--help", "--version"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << " missing from --help of " << GetParam();
  }
}

TEST_P(Binaries, VersionNamesTheProgram) {
  auto r = run({(bin_dir() / GetParam()).string(), "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind(GetParam() + " ", 0), 0u) << r.out;
}

TEST_P(Binaries, UnknownFlagIsAnErrorWithExitTwo) {
  auto r = run({(bin_dir() / GetParam()).string(), "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(GetParam() + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(BothBinaries, Binaries, ::testing::Values("dateline-index", "dateline-search"),
                         [](const auto& p) { return p.param == "dateline-index" ? "index" : "search"; });
