/** @file
 *  @brief Query-time name expansion: plain words, speaker:/author: names and --speaker across spellings
 *  and scripts (CompileOptions::name_variants, aliases, --exact-names), run on a small database.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/names.h"
#include "analyzers/schema.h"
#include "searcher/query.h"

namespace dateline {
namespace {

const Analyzer& analyzer() {
  static const Analyzer instance{AnalyzerConfig{}};
  return instance;
}

struct Doc {
  std::string text;
  std::string speaker;
};

// One-passage articles: exact forms, ranking terms and speaker words, as the document builder makes them.
class NameQueryTest : public testing::Test {
 protected:
  void SetUp() override {
    const std::vector<Doc> docs = {
        {"Zelensky said in Kyiv on Monday", "Volodymyr Zelensky"},           // 1
        {"Зеленский заявил в Киеве во вторник", "Владимир Зеленский"},       // 2
        {"Zelenskyy visited Kiev", "Volodymyr Zelenskyy"},                   // 3
        {"Володимир Зеленський сказав у Києві", "Володимир Зеленський"},     // 4
        {"Lukashenko spoke in Minsk", "Alexander Lukashenko"},               // 5
        {"Bob Blair of Nova said the deal was done", "Bob Blair"},           // 6
    };
    for (const Doc& d : docs) {
      Xapian::Document doc;
      // One passage at kPassageStride: exact forms (wdf 0) and ranking terms at the words' positions,
      // the speaker's name words just before it.
      const Xapian::termpos start = schema::kPassageStride;
      for (const Token& t : analyzer().analyze(d.text)) {
        doc.add_posting(t.term, start + t.position, 0);
        if (!analyzer().is_stop_word(t.term))
          doc.add_posting(std::string(schema::kArticleText) + (t.stem.empty() ? t.term : t.stem), start + t.position);
      }
      Xapian::termpos at = start;
      for (const Token& t : analyzer().analyze(d.speaker))
        doc.add_posting(schema::boolean_term(schema::kSpeakerWord, t.term), --at, 0);
      db_.add_document(doc);
    }
    auto table = std::make_shared<std::map<std::string, std::set<std::string>>>(name_variant_table(db_));
    options_.name_variants = [this, table](const std::string& key) {
      std::set<std::string> out;
      auto it = table->find(key);
      if (it != table->end()) out = it->second;
      if (db_.term_exists(key)) out.insert(key);
      return std::vector<std::string>(out.begin(), out.end());
    };
  }

  std::set<Xapian::docid> matches(const std::string& query, const Filters& filters = {}) {
    CompiledQuery q = compile_query(query.empty() ? ParsedQuery() : parse_query(query), filters, analyzer(), options_);
    last_ = q;
    Xapian::Enquire enquire(db_);
    enquire.set_query(q.query);
    std::set<Xapian::docid> out;
    for (auto it = enquire.get_mset(0, 100).begin(); it != enquire.get_mset(0, 100).end(); ++it) out.insert(*it);
    return out;
  }

  Xapian::WritableDatabase db_{std::string(), Xapian::DB_BACKEND_INMEMORY};
  CompileOptions options_;
  CompiledQuery last_;
};

using Ids = std::set<Xapian::docid>;

TEST_F(NameQueryTest, PlaceNamesMatchEverySpellingAndScript) {
  EXPECT_EQ(matches("Kiev"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("kyiv"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("Київ"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("Киев"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("Minsk"), (Ids{5}));
}

TEST_F(NameQueryTest, PersonNamesMatchEverySpellingAndScript) {
  EXPECT_EQ(matches("Zelensky"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("Зеленский"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("Лукашенко"), (Ids{5}));
  ASSERT_FALSE(last_.name_expansions.empty());
  EXPECT_EQ(last_.name_expansions.front(), "лукашенко -> lukashenko");
}

TEST_F(NameQueryTest, SpeakerFieldsAndFlagsAreOneFilter) {
  EXPECT_EQ(matches("speaker:zelensky"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("speaker:zelenskyy"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("speaker:Зеленский"), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("speaker:\"Volodymyr Zelensky\""), (Ids{1, 3, 4}));  // Владимир is another first name
  Filters f;
  f.speakers = {"Зеленський"};
  EXPECT_EQ(matches("", f), (Ids{1, 2, 3, 4}));
  EXPECT_EQ(matches("speaker:\"Alexander Lukashenko\""), (Ids{5}));
  EXPECT_EQ(matches("speaker:blair"), (Ids{6}));
}

TEST_F(NameQueryTest, ExactNamesTurnsExpansionOff) {
  options_.exact_names = true;
  EXPECT_EQ(matches("Kiev"), (Ids{3}));
  EXPECT_EQ(matches("speaker:zelensky"), (Ids{1}));
  EXPECT_TRUE(last_.name_expansions.empty());
}

TEST_F(NameQueryTest, AliasesAddAndOverride) {
  auto words = [](std::string_view name) {
    std::vector<std::string> out;
    for (const Token& t : analyzer().analyze(name)) out.push_back(t.term);
    return out;
  };
  options_.aliases = std::make_shared<const NameAliases>(
      parse_name_aliases("Minsk, Kyiv\n= Kiev\nBob Blair, Zelensky\n", "aliases", words));
  EXPECT_EQ(matches("Minsk"), (Ids{1, 2, 3, 4, 5}));  // added: Kyiv and its spellings
  EXPECT_EQ(matches("Kiev"), (Ids{3}));               // "=" Kiev: as spelt
  EXPECT_EQ(matches("speaker:\"Bob Blair\""), (Ids{1, 2, 3, 4, 6}));
  options_.exact_names = true;
  EXPECT_EQ(matches("Minsk"), (Ids{5}));
}

TEST_F(NameQueryTest, NoCallbackNoExpansion) {
  options_.name_variants = nullptr;
  EXPECT_EQ(matches("Kiev"), (Ids{3}));
  EXPECT_EQ(matches("zelensky"), (Ids{1}));
}

}  // namespace
}  // namespace dateline
