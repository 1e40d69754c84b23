/** @file
 *  @brief Tests of the schema: field table, boolean-term normalisation, version stamp.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include "analyzers/schema.h"
#include "tests/support/test_support.h"

namespace schema = dateline::schema;

TEST(Schema, FieldLookup) {
  ASSERT_NE(schema::find_field("outlet"), nullptr);
  EXPECT_EQ(schema::find_field("outlet")->prefix, "XO");
  EXPECT_EQ(schema::find_field("title")->kind, schema::FieldKind::kText);
  EXPECT_EQ(schema::find_field("nosuchfield"), nullptr);
}

TEST(Schema, PrefixesAreDistinct) {
  for (size_t i = 0; i < schema::kFields.size(); ++i) {
    for (size_t j = i + 1; j < schema::kFields.size(); ++j) {
      EXPECT_NE(schema::kFields[i].prefix, schema::kFields[j].prefix) << schema::kFields[i].name;
      EXPECT_NE(schema::kFields[i].name, schema::kFields[j].name);
    }
  }
}

TEST(Schema, BooleanTermsAreNormalised) {
  EXPECT_EQ(schema::normalise_boolean("  The   Washington\u00a0Times "), "the washington times");
  EXPECT_EQ(schema::boolean_term(schema::kOutlet, "Pravda.Ru"), "XOpravda.ru");
  EXPECT_EQ(schema::boolean_term(schema::kSpeaker, "ALEXANDER Lukashenko"), "XSPalexander lukashenko");
  std::string long_value(600, 'x');
  long_value += "\u00e9";
  EXPECT_LE(schema::boolean_term(schema::kSpeaker, long_value).size(), 245u);
}

TEST(Schema, StampRoundTripsAndRefusesOtherVersions) {
  dateline::test::TempDir dir;
  std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    EXPECT_FALSE(schema::read_stamp(db).has_value());
    schema::write_stamp(db, "language=english;fold_accents=1");
    db.commit();
  }
  Xapian::Database db(path);
  auto stamp = schema::read_stamp(db);
  ASSERT_TRUE(stamp.has_value());
  EXPECT_EQ(stamp->version, schema::kVersion);
  EXPECT_EQ(stamp->analyzer, "language=english;fold_accents=1");
  EXPECT_NO_THROW(schema::check_readable(*stamp, path));
  schema::Stamp future{schema::kVersion + 1, ""};
  try {
    schema::check_readable(future, "/some/db");
    FAIL() << "a newer schema must be refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/some/db: index schema version " + std::to_string(schema::kVersion + 1)),
              std::string::npos)
        << e.what();
  }
}
