/** @file
 *  @brief Both binaries answer --help and --version, and refuse unknown flags with exit 2.
 */
#include <gtest/gtest.h>
#include <unicode/uversion.h>
#include <xapian.h>

#include <filesystem>
#include <regex>

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

// --version: Dateline's version and commit, then the Xapian and ICU versions the binary runs with.
TEST_P(Binaries, VersionNamesCommitXapianAndIcu) {
  auto r = run({(bin_dir() / GetParam()).string(), "--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m,
                               std::regex(GetParam() + R"( \d+\.\d+\.\d+ \(git ([0-9A-Za-z._-]+)\)\n)"
                                                       R"(Xapian (\S+)\nICU (\S+)\n)")))
      << r.out;
  if (std::filesystem::exists(dateline::test::source_dir() / ".git")) {
    EXPECT_NE(m[1], "unknown") << "built from a git checkout: the commit is known";
  }
  EXPECT_EQ(m[2], Xapian::version_string());
  UVersionInfo icu;
  u_getVersion(icu);
  char icu_text[U_MAX_VERSION_STRING_LENGTH] = {};
  u_versionToString(icu, icu_text);
  EXPECT_EQ(m[3], icu_text);
  EXPECT_EQ(r.err, "");
}

TEST_P(Binaries, UnknownFlagIsAnErrorWithExitTwo) {
  auto r = run({(bin_dir() / GetParam()).string(), "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(GetParam() + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no-such-flag"), std::string::npos) << r.err;
}

// Every long flag that --help lists is documented in README.md (flags are defined once, with their docs).
TEST_P(Binaries, EveryFlagInHelpIsInTheReadme) {
  auto r = run({(bin_dir() / GetParam()).string(), "--help"});
  ASSERT_EQ(r.exit_code, 0);
  std::string readme = dateline::test::read_file(dateline::test::source_dir() / "README.md");
  std::regex flag(R"((^|\s)(--[a-z][a-z-]+))");
  size_t flags = 0;
  for (auto it = std::sregex_iterator(r.out.begin(), r.out.end(), flag); it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[2];
    ++flags;
    EXPECT_NE(readme.find("`" + name), std::string::npos)
        << name << " of " << GetParam() << " is not in README.md";
  }
  EXPECT_GE(flags, 10u);
}

INSTANTIATE_TEST_SUITE_P(BothBinaries, Binaries, ::testing::Values("dateline-index", "dateline-search"),
                         [](const auto& p) { return p.param == "dateline-index" ? "index" : "search"; });
