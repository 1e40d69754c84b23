/** @file
 *  @brief DocRecipe (indexer/doc_recipe.h): the calls replayed make the document the calls make, and a
 *  deferred DocumentBuilder's recipe makes the document the ordinary builder makes, on every fixture.
 */
#include "indexer/doc_recipe.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "articles/reader.h"
#include "indexer/document_builder.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

// Everything a document holds: each term with its wdf and positions, each value, the data.
std::string describe(const Xapian::Document& doc) {
  std::string out;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    out += *t;
    out += ':' + std::to_string(t.get_wdf());
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) out += ' ' + std::to_string(*p);
    out += '\n';
  }
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) out += std::to_string(v.get_valueno()) + '=' + *v + '\n';
  out += "data=" + doc.get_data();
  return out;
}

TEST(DocRecipe, ReplaysTheCallsIntoTheSameDocument) {
  Xapian::Document direct;
  DocRecipe recipe;
  auto both = [&](auto&& call) {
    call(direct);
    call(recipe);
  };
  both([](auto& d) { d.add_posting("troops", 10'002, 0); });
  both([](auto& d) { d.add_posting("troops", 10'001, 0); });  // out of order: Xapian sorts them
  both([](auto& d) { d.add_term("Wtroop", 2); });
  both([](auto& d) { d.add_term("Wtroop", 1); });  // wdf adds up
  both([](auto& d) { d.add_boolean_term("XOreuters"); });
  both([](auto& d) { d.add_posting(std::string(200, 'x'), 300'000, 1); });  // long term, large position
  both([](auto& d) { d.add_value(3, "Reuters"); });
  both([](auto& d) { d.add_value(3, "BBC News"); });  // replaced
  both([](auto& d) { d.add_value(5, "gone"); });
  both([](auto& d) { d.add_value(5, ""); });  // removed
  both([](auto& d) { d.add_value(0, std::string("20240301\0x", 10)); });
  both([](auto& d) { d.set_data("first"); });
  both([](auto& d) { d.set_data("{\"id\":\"a\"}"); });

  EXPECT_EQ(recipe.get_value(3), "BBC News");
  EXPECT_EQ(recipe.get_value(5), "");
  EXPECT_EQ(recipe.get_value(9), "");
  EXPECT_EQ(recipe.get_data(), "{\"id\":\"a\"}");
  const Xapian::Document made = recipe.make();
  EXPECT_EQ(describe(made), describe(direct));
  EXPECT_EQ(made.termlist_count(), 4u);
  EXPECT_EQ(made.values_count(), 2u);
}

TEST(DocRecipe, RefusesAnEmptyTermAsXapianDoes) {
  DocRecipe recipe;
  Xapian::Document doc;
  EXPECT_THROW(doc.add_term(""), Xapian::InvalidArgumentError);
  EXPECT_THROW(recipe.add_term(""), Xapian::InvalidArgumentError);
  EXPECT_THROW(recipe.add_boolean_term(""), Xapian::InvalidArgumentError);
  EXPECT_THROW(recipe.add_posting("", 1, 0), Xapian::InvalidArgumentError);
  EXPECT_TRUE(recipe.empty());
}

// The numbers are written in 7-bit groups: each side of every group boundary (one to five bytes) comes back.
TEST(DocRecipe, NumbersOnEachSideOfTheByteBoundariesComeBack) {
  Xapian::Document direct;
  DocRecipe recipe;
  const std::vector<Xapian::termpos> positions = {1, 127, 128, 16'383, 16'384, 2'097'151, 2'097'152, 4'294'967'295u};
  for (size_t i = 0; i < positions.size(); ++i) {
    const std::string term(i == 0 ? 127 : i == 1 ? 128 : i, 't');  // term lengths across the boundary too
    direct.add_posting(term, positions[i], static_cast<Xapian::termcount>(positions[i] % 300));
    recipe.add_posting(term, positions[i], static_cast<Xapian::termcount>(positions[i] % 300));
    direct.add_term("W" + term, 128);
    recipe.add_term("W" + term, 128);
  }
  EXPECT_EQ(describe(recipe.make()), describe(direct));
}

TEST(DocRecipe, OfADocumentMakesItsCopy) {
  Xapian::Document doc;
  doc.add_posting("said", 7, 0);
  doc.add_posting("said", 3, 0);
  doc.add_posting("Wsay", 3, 2);
  doc.add_term("Wsay", 1);
  doc.add_boolean_term("KA");
  doc.add_value(1, "id-1");
  doc.set_data("data");
  EXPECT_EQ(describe(DocRecipe::of(doc).make()), describe(doc));
  EXPECT_TRUE(DocRecipe().empty());
  EXPECT_FALSE(DocRecipe::of(doc).empty());
}

TEST(DocRecipe, TheDeferredBuilderMakesTheOrdinaryBuildersDocumentForEveryFixture) {
  Analyzer analyzer{AnalyzerConfig{"english", true}};
  const DocumentBuilder ordinary(analyzer);
  const DocumentBuilder deferred(analyzer, true);
  size_t articles = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(test::fixtures_dir() / "articles")) {
    if (!entry.is_regular_file()) continue;
    std::vector<Diagnostic> diagnostics;
    read_file(entry.path(), ReadOptions{}, [&](Article&& article) {
      BuiltArticle a = ordinary.build(article, "/archive/a.txt");
      BuiltArticle b = deferred.build(article, "/archive/a.txt");
      ASSERT_FALSE(a.deferred);
      ASSERT_TRUE(b.deferred);
      EXPECT_FALSE(b.recipe.empty());
      EXPECT_EQ(b.document.termlist_count(), 0u);  // nothing made yet
      EXPECT_EQ(b.story_terms, a.story_terms);
      EXPECT_EQ(b.spelling, a.spelling);
      EXPECT_EQ(b.stem_forms, a.stem_forms);
      EXPECT_EQ(b.length, a.length);
      EXPECT_EQ(b.hash, a.hash);
      materialize(b);
      EXPECT_FALSE(b.deferred);
      EXPECT_TRUE(b.recipe.empty());
      EXPECT_EQ(describe(b.document), describe(a.document)) << article.id;
      ++articles;
    }, diagnostics);
  }
  EXPECT_GE(articles, 5u);
}

}  // namespace
}  // namespace dateline
