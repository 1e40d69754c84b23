/** @file
 *  @brief The article id rule (articles/ids.h): control characters and invalid UTF-8 found and escaped.
 */
#include "articles/ids.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "articles/reader.h"
#include "tests/support/test_support.h"

namespace {

using dateline::escape_id_bytes;
using dateline::id_problem;
using dateline::unescape_id_bytes;

TEST(IdRule, CleanIdsPass) {
  EXPECT_EQ(id_problem("world/2022/story one.txt"), std::nullopt);
  EXPECT_EQ(id_problem("caf\xc3\xa9-\xe2\x80\x9cq\xe2\x80\x9d-\xf0\x9f\x93\xb0"), std::nullopt);
  EXPECT_EQ(id_problem("back\\slash"), std::nullopt);
  EXPECT_EQ(id_problem(""), std::nullopt);
}

TEST(IdRule, ControlCharactersAndInvalidUtf8AreNamed) {
  EXPECT_EQ(id_problem("j\n1"), "holds a control character (\\x0a)");
  EXPECT_EQ(id_problem("j\t1"), "holds a control character (\\x09)");
  EXPECT_EQ(id_problem("x\x1b[31m"), "holds a control character (\\x1b)");
  EXPECT_EQ(id_problem(std::string("a\0b", 3)), "holds a control character (\\x00)");
  EXPECT_EQ(id_problem("del\x7f"), "holds a control character (\\x7f)");
  EXPECT_EQ(id_problem("csi\xc2\x9b"), "holds a control character (\\xc2\\x9b)");  // C1 U+009B
  EXPECT_EQ(id_problem("bad\xff"), "holds invalid UTF-8 (\\xff)");
  EXPECT_EQ(id_problem("cut\xe2\x80"), "holds invalid UTF-8 (\\xe2)");
  EXPECT_EQ(id_problem("overlong\xc0\xaf"), "holds invalid UTF-8 (\\xc0)");
  EXPECT_EQ(id_problem("surrogate\xed\xa0\x80"), "holds invalid UTF-8 (\\xed)");
}

TEST(IdRule, EscapeIsByteWiseAndReversible) {
  const std::vector<std::string> samples = {"j\n1\tfake\x1b[31m", std::string("nul\0end", 7), "bad\xff\xfe",
                                            "csi\xc2\x9b", "caf\xc3\xa9 ok", "plain.txt"};
  EXPECT_EQ(escape_id_bytes("j\n1\tfake\x1b[31m"), "j\\x0a1\\x09fake\\x1b[31m");
  EXPECT_EQ(escape_id_bytes("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(escape_id_bytes("csi\xc2\x9b"), "csi\\xc2\\x9b");
  EXPECT_EQ(escape_id_bytes("caf\xc3\xa9 ok"), "caf\xc3\xa9 ok");
  for (const auto& s : samples) {
    std::string e = escape_id_bytes(s);
    EXPECT_EQ(id_problem(e), std::nullopt) << e;  // an escaped id always passes the rule
    EXPECT_EQ(unescape_id_bytes(e), s) << e;
  }
  EXPECT_EQ(unescape_id_bytes("no\\x escape \\xZZ \\x4"), "no\\x escape \\xZZ \\x4");
}

TEST(IdRule, FileNameIdsAreEscaped) {
  dateline::test::TempDir tmp;
  std::filesystem::path dir = tmp.path() / "in";
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / "a\nfake\x1b[31m\xff.txt";
  std::ofstream(file) << "Headline\n\nThe harbour reopened on Monday after the storm.\n";
  std::vector<dateline::Article> articles;
  std::vector<dateline::Diagnostic> diagnostics;
  dateline::ReadOptions options;
  options.id_root = dir;
  dateline::read_file(
      file, options, [&](dateline::Article&& a) { articles.push_back(std::move(a)); }, diagnostics);
  ASSERT_EQ(articles.size(), 1u);
  EXPECT_EQ(articles[0].id, "a\\x0afake\\x1b[31m\\xff.txt");
}

}  // namespace
