/** @file
 *  @brief Gold test: outlet, author and speakers of the seed articles against expected/metadata.json.
 *
 *  Passages come from dateline::parse_text_article (the reader), so this also checks that the reader
 *  hands the people extractors what they need. Speaker names match the gold when equal, or when ours is
 *  the bare surname of a gold name the article itself never spells out in full (002 says only "Putin";
 *  the gold writes "Vladimir Putin").
 */
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "articles/outlets.h"
#include "articles/people.h"
#include "articles/reader.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

using nlohmann::json;

std::optional<std::string> opt(const json& v) {
  if (v.is_null()) return std::nullopt;
  return v.get<std::string>();
}

std::vector<std::string> list(const json& obj, const char* key) {
  if (!obj.contains(key)) return {};
  return obj.at(key).get<std::vector<std::string>>();
}

bool same_speaker(const std::string& found, const std::string& gold) {
  if (found == gold) return true;
  if (found.find(' ') != std::string::npos) return false;
  size_t space = gold.rfind(' ');
  return space != std::string::npos && gold.substr(space + 1) == found;
}

bool matches_any(const std::string& found, const std::vector<std::string>& golds) {
  return std::any_of(golds.begin(), golds.end(),
                     [&](const std::string& g) { return same_speaker(found, g); });
}

json metadata() {
  return json::parse(test::read_file(test::fixtures_dir() / "expected" / "metadata.json"));
}

Article parse(const std::string& id) {
  std::string text = test::read_file(test::fixtures_dir() / "articles" / id);
  return parse_text_article(text, id, id);
}

TEST(GoldPeople, OutletIsThePublisherNeverACitedOutlet) {
  const json meta = metadata();
  ASSERT_GE(meta.at("articles").size(), 5u);
  for (const auto& [id, gold] : meta.at("articles").items()) {
    Article a = parse(id);
    std::string text = test::read_file(test::fixtures_dir() / "articles" / id);
    EXPECT_EQ(extract_outlet(text), opt(gold.at("outlet"))) << id;
    EXPECT_EQ(a.outlet, opt(gold.at("outlet"))) << id << " (through the reader)";
    for (const std::string& cited : list(gold, "not_outlet")) {
      std::string canonical = canonical_outlet_or_self(cited);
      EXPECT_NE(a.outlet.value_or(""), canonical) << id << ": cited outlet taken as publisher";
    }
  }
}

TEST(GoldPeople, AuthorFromTheByline) {
  const json meta = metadata();
  ASSERT_GE(meta.at("articles").size(), 5u);
  for (const auto& [id, gold] : meta.at("articles").items()) {
    Article a = parse(id);
    EXPECT_EQ(a.author, opt(gold.at("author"))) << id;
  }
}

TEST(GoldPeople, SpeakersMustBeFoundNeverFalse) {
  size_t found_total = 0, found_expected = 0, must_total = 0, must_found = 0;
  const json meta = metadata();
  ASSERT_GE(meta.at("articles").size(), 5u);
  for (const auto& [id, gold] : meta.at("articles").items()) {
    Article a = parse(id);
    std::set<std::string> found;
    for (const Passage& p : a.passages) found.insert(p.speakers.begin(), p.speakers.end());
    std::vector<std::string> must = list(gold, "speakers_must");
    std::vector<std::string> may = list(gold, "speakers_may");
    std::vector<std::string> allowed = must;
    allowed.insert(allowed.end(), may.begin(), may.end());
    for (const std::string& m : must) {
      bool ok =
          std::any_of(found.begin(), found.end(), [&](const std::string& f) { return same_speaker(f, m); });
      EXPECT_TRUE(ok) << id << ": missing speaker " << m;
      ++must_total;
      must_found += ok ? 1 : 0;
    }
    for (const std::string& f : found) {
      EXPECT_FALSE(matches_any(f, list(gold, "not_speakers"))) << id << ": never a speaker: " << f;
      bool ok = matches_any(f, allowed);
      EXPECT_TRUE(ok) << id << ": false positive speaker " << f;
      ++found_total;
      found_expected += ok ? 1 : 0;
    }
  }
  // Precision (found speakers that are in must+may) and recall (must speakers found), for the record.
  std::cout << "speakers: precision " << found_expected << "/" << found_total << ", must recall "
            << must_found << "/" << must_total << "\n";
}

}  // namespace
}  // namespace dateline
