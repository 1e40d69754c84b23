/** @file
 *  @brief Gold test: the seed articles' title, subtitle and date match index-fixtures/expected/metadata.json,
 *  and none of their boilerplate lines becomes a passage.
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "articles/passages.h"
#include "articles/reader.h"
#include "tests/support/test_support.h"

namespace {

using json = nlohmann::json;

json expected_metadata() {
  return json::parse(dateline::test::read_file(dateline::test::fixtures_dir() / "expected/metadata.json"));
}

std::string describe(const std::optional<std::string>& v) {
  return v ? "\"" + *v + "\"" : "null";
}

void expect_field(const json& want, const char* field, const std::optional<std::string>& got,
                  const std::string& id) {
  if (!want.contains(field)) return;
  if (want[field].is_null()) {
    EXPECT_FALSE(got.has_value()) << id << ": " << field << " should be absent, got " << describe(got);
  } else {
    EXPECT_EQ(describe(got), describe(want[field].get<std::string>())) << id << ": " << field;
  }
}

class GoldArticle : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldArticle, TitleSubtitleDateAndNoBoilerplate) {
  const std::string id = GetParam();
  json want = expected_metadata()["articles"][id];
  ASSERT_TRUE(want.is_object()) << id;
  std::string text = dateline::test::read_file(dateline::test::fixtures_dir() / "articles" / id);
  dateline::Article a = dateline::parse_text_article(text, id, id);

  expect_field(want, "title", a.title, id);
  if (want.contains("subtitle")) {
    expect_field(want, "subtitle", a.subtitle, id);
  } else {
    EXPECT_FALSE(a.subtitle.has_value()) << id << ": unexpected subtitle " << describe(a.subtitle);
  }
  expect_field(want, "date", a.date, id);

  ASSERT_FALSE(a.passages.empty()) << id;
  for (const auto& p : a.passages) {
    EXPECT_EQ(p.text, text.substr(p.begin, p.end - p.begin)) << id << ": offsets must point at the passage";
    EXPECT_LE(p.text.size(), 1200u) << id;
    for (const auto& line : want["boilerplate"]) {
      EXPECT_EQ(p.text.find(line.get<std::string>()), std::string::npos)
          << id << ": boilerplate \"" << line.get<std::string>() << "\" in passage: " << p.text;
    }
    EXPECT_NE(p.text, a.title.value_or("")) << id << ": the title is not a passage";
    EXPECT_NE(p.text, a.subtitle.value_or("")) << id << ": the subtitle is not a passage";
  }
}

TEST_P(GoldArticle, EveryBodyParagraphIsKept) {
  // Each long line of the seed (a body paragraph) must be found in the passages: nothing silently lost.
  const std::string id = GetParam();
  std::string text = dateline::test::read_file(dateline::test::fixtures_dir() / "articles" / id);
  dateline::Article a = dateline::parse_text_article(text, id, id);
  std::string joined;
  for (const auto& p : a.passages) joined += p.text + "\n";
  std::vector<std::string> lines;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    // Photo captions go by the caption rules: a line ending in a credit, or the line above a credit alone.
    bool caption =
        dateline::is_caption_line(line) || (i + 1 < lines.size() && dateline::is_credit_line(lines[i + 1]));
    if (line.size() >= 200 && !caption) {
      EXPECT_NE(joined.find(line.substr(0, 150)), std::string::npos) << id << ": lost paragraph: " << line;
    }
  }
}

std::vector<std::string> fixture_ids() {
  std::vector<std::string> ids;
  const json all = expected_metadata();
  for (const auto& [id, v] : all["articles"].items()) ids.push_back(id);
  return ids;
}

INSTANTIATE_TEST_SUITE_P(Seeds, GoldArticle, ::testing::ValuesIn(fixture_ids()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return "seed_" + param.param.substr(0, 3);
                         });

}  // namespace
