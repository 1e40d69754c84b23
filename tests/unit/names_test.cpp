/** @file
 *  @brief Name variant keys across spellings and scripts, the database table, and alias files.
 */
#include "analyzers/names.h"
#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace dateline {
namespace {

TEST(NameKey, RomanisationVariantsShareOneKey) {
  const std::string k = name_key("Zelensky");
  EXPECT_EQ(k, "zelenski");
  for (const char* w : {"Zelenskyy", "Zelenskiy", "Zelenskij", "Zelenskyi", "ZELENSKY", "Зеленский", "Зеленський"})
    EXPECT_EQ(name_key(w), k) << w;
  const std::string kyiv = name_key("Kyiv");
  for (const char* w : {"Kiev", "Kyyiv", "Kiyev", "Київ", "Киев"}) EXPECT_EQ(name_key(w), kyiv) << w;
  EXPECT_EQ(name_key("Kharkov"), name_key("Kharkiv"));
  EXPECT_EQ(name_key("Харків"), name_key("Kharkiv"));
  EXPECT_EQ(name_key("Лукашенко"), name_key("Lukashenko"));
  EXPECT_EQ(name_key("Путин"), name_key("Putin"));
  EXPECT_EQ(name_key("Sergey"), name_key("Sergei"));
  EXPECT_EQ(name_key("Natalya"), name_key("Nataliya"));
  EXPECT_EQ(name_key("Alexei"), name_key("Aleksei"));
  EXPECT_EQ(name_key("Ελλάδα"), "ellada");  // Greek by Any-Latin
}

TEST(NameKey, DifferentNamesKeepDifferentKeys) {
  EXPECT_NE(name_key("Lukashenko"), name_key("Volfovich"));
  EXPECT_NE(name_key("Blair"), name_key("Blain"));
  EXPECT_NE(name_key("Yaroslav"), name_key("Yarosliv"));  // "-av" is no o/e/i/y syllable
  EXPECT_NE(name_key("major"), name_key("mayor"));        // "j" before a vowel stays
  EXPECT_NE(name_key("Kiev"), name_key("Kia"));
  EXPECT_NE(name_key("Marx"), name_key("marks"));
  EXPECT_NE(name_key("may"), name_key("maj"));
  EXPECT_NE(name_key("xvii"), name_key("xvi"));
}

TEST(NameKey, NumbersAndEmptyHaveNoKey) {
  EXPECT_EQ(name_key(""), "");
  EXPECT_EQ(name_key("1987"), "");
  EXPECT_EQ(name_key("f-16"), "");
  EXPECT_EQ(name_key("—"), "");
}

TEST(NameKey, AnyBytesGiveAKeyOfLowerCaseLettersOrNone) {
  std::mt19937 rng(23);
  const std::vector<std::string> pieces = {"\xD0", "\xB7", "\xFF", "\xE2\x80", "ї", "Ж", "ʹ", "'", ".", "y", "Y",
                                           "j", "v", "x", "1", " ", "\0", "ﬁ", "Ω", "ب", "中", "ß", "İ"};
  for (int i = 0; i < 2000; ++i) {
    std::string word;
    for (int n = rng() % 12; n > 0; --n) word += pieces[rng() % pieces.size()];
    for (const std::string& k : name_keys(word)) {
      EXPECT_FALSE(k.empty());
      EXPECT_TRUE(std::all_of(k.begin(), k.end(), [](char c) { return c >= 'a' && c <= 'z'; })) << word;
    }
  }
}

TEST(NameKeys, CyrillicInflectedFormsAlsoKeyAsTheirNominative) {
  auto has = [](const std::vector<std::string>& keys, const std::string& k) {
    return std::find(keys.begin(), keys.end(), k) != keys.end();
  };
  EXPECT_TRUE(has(name_keys("Зеленского"), name_key("Zelensky")));
  EXPECT_TRUE(has(name_keys("Зеленського"), name_key("Zelensky")));
  EXPECT_TRUE(has(name_keys("Зеленському"), name_key("Zelensky")));
  EXPECT_TRUE(has(name_keys("Путина"), name_key("Putin")));
  EXPECT_TRUE(has(name_keys("Лукашенка"), name_key("Lukashenko")));
  EXPECT_TRUE(has(name_keys("Києва"), name_key("Kyiv")));
  EXPECT_TRUE(has(name_keys("Києві"), name_key("Kyiv")));
  EXPECT_TRUE(has(name_keys("Киеве"), name_key("Kyiv")));
  EXPECT_EQ(name_keys("Зеленского").front(), name_key("Зеленского"));  // its own key first
  EXPECT_EQ(name_keys("Zelenskogo").size(), 1U);                      // Latin words: one key
  EXPECT_TRUE(name_keys("42").empty());
  // A stem keeps three letters: "Ива" is not "И" + "ва".
  EXPECT_FALSE(has(name_keys("Ия"), name_key("И")));
  // Cyrillic without Ukrainian letters is read both ways: "Володимир" is also "Volodymyr".
  EXPECT_TRUE(has(name_keys("Володимир"), name_key("Volodymyr")));
  EXPECT_TRUE(has(name_keys("Владимир"), name_key("Vladimir")));
}

// A glass database (in-memory ones cannot list metadata keys) in a fresh folder under the test temp dir.
Xapian::WritableDatabase database_with(const std::vector<std::string>& words) {
  static test::TempDir dir;  // removed with its databases when the test binary exits
  static int n = 0;
  std::string path = (dir.path() / ("db" + std::to_string(++n))).string();
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
  Xapian::Document doc;
  for (const std::string& w : words) doc.add_term(w);
  doc.add_term("XSWzelensky");  // prefixed terms are never index words of the table
  db.add_document(doc);
  return db;
}

TEST(NameVariantTable, GroupsIndexWordsByKey) {
  Xapian::WritableDatabase db = database_with({"zelensky", "zelenskyy", "зеленского", "kyiv", "kiev", "lukashenko",
                                               "the", "1987"});
  auto table = name_variant_table(db);
  ASSERT_EQ(table.count("zelenski"), 1U);
  EXPECT_EQ(table["zelenski"], (std::set<std::string>{"zelensky", "zelenskyy", "зеленского"}));
  EXPECT_EQ(table["kiv"], (std::set<std::string>{"kiev", "kyiv"}));
  EXPECT_EQ(table.count("lukashenko"), 0U);  // one word spelt as its key: found as the term itself
  EXPECT_EQ(table.count("the"), 0U);
}

TEST(NameVariantTable, StoredLookupAndFallbackAgree) {
  Xapian::WritableDatabase db = database_with({"zelensky", "zelenskyy", "lukashenko", "kiev"});
  std::shared_ptr<std::map<std::string, std::set<std::string>>> cache;
  // No stored table: built from the terms on first use.
  EXPECT_EQ(lookup_name_variants(db, "zelenski", &cache), (std::vector<std::string>{"zelensky", "zelenskyy"}));
  EXPECT_TRUE(cache);
  EXPECT_EQ(lookup_name_variants(db, "lukashenko", &cache), (std::vector<std::string>{"lukashenko"}));
  EXPECT_EQ(store_name_variants(db), 2U);  // zelenski, kiv
  EXPECT_EQ(lookup_name_variants(db, "zelenski", nullptr), (std::vector<std::string>{"zelensky", "zelenskyy"}));
  EXPECT_EQ(lookup_name_variants(db, "kiv", nullptr), (std::vector<std::string>{"kiev"}));
  EXPECT_EQ(lookup_name_variants(db, "lukashenko", nullptr), (std::vector<std::string>{"lukashenko"}));
  EXPECT_TRUE(lookup_name_variants(db, "nobody", nullptr).empty());
  EXPECT_TRUE(lookup_name_variants(db, "", nullptr).empty());
  // A rebuilt table drops keys whose words are gone.
  db.delete_document(1);
  Xapian::Document doc;
  doc.add_term("lukashenko");
  db.add_document(doc);
  EXPECT_EQ(store_name_variants(db), 0U);
  EXPECT_TRUE(lookup_name_variants(db, "zelenski", nullptr).empty());
  auto lookup = name_variant_lookup(db);
  EXPECT_EQ(lookup("lukashenko"), (std::vector<std::string>{"lukashenko"}));
}

std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

TEST(NameAliases, ParsesGroupsAndOverrides) {
  NameAliases a = parse_name_aliases("# comment\nKyiv, Kiev | Kyyiv\n\n= Henry  # never expanded\nTony Blair, TB\n",
                                     "aliases.txt", words_of);
  ASSERT_EQ(a.groups.size(), 3U);
  EXPECT_EQ(a.groups[0].names.size(), 3U);
  EXPECT_FALSE(a.groups[0].override_keys);
  EXPECT_EQ(a.groups[0].line, 2U);
  EXPECT_TRUE(a.groups[1].override_keys);
  EXPECT_EQ(a.groups[1].names, (std::vector<std::vector<std::string>>{{"henry"}}));
  EXPECT_EQ(a.groups_of({"tony", "blair"}).size(), 1U);
  EXPECT_EQ(a.groups_of({"kiev"}).front(), &a.groups[0]);
  EXPECT_TRUE(a.groups_of({"blair"}).empty());
}

TEST(NameAliases, ErrorsNameFileAndLine) {
  auto error = [](std::string_view text) {
    try {
      parse_name_aliases(text, "a.txt", words_of);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("Kyiv, Kiev\nKyiv,,Kiev\n"),
            "a.txt:2: empty name in the group (two separators in a row, or one at an end)");
  EXPECT_EQ(error("Kyiv\n"),
            "a.txt:1: a group needs two names or more (\"= NAME\" alone keeps one name from being expanded)");
  EXPECT_EQ(error("Kyiv,   ,Kiev"), "a.txt:1: empty name in the group (two separators in a row, or one at an end)");
  EXPECT_THROW(read_name_aliases("/nonexistent/aliases.txt", words_of), std::runtime_error);
  EXPECT_TRUE(parse_name_aliases("", "a.txt", words_of).groups.empty());
}

}  // namespace
}  // namespace dateline
