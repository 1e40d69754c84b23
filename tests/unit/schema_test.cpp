/** @file
 *  @brief Tests of the schema: field table, boolean-term normalisation, version stamp.
 */
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
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

// ASCII values skip ICU: every ASCII character, alone and between letters, gives what ICU's NFKC_Casefold
// (then the space collapsing) gives.
TEST(Schema, AsciiBooleanValuesAsIcuFoldsThem) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  size_t checked = 0;
  for (int c = 0; c < 0x80; ++c) {
    for (const std::string& value : {std::string(1, static_cast<char>(c)), "Ab" + std::string(1, static_cast<char>(c)) + "Yz"}) {
      // The oracle: ICU first, then a value with any non-ASCII character (so the ICU path runs) cut back off.
      icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString::fromUTF8(value), status);
      ASSERT_TRUE(U_SUCCESS(status));
      std::string icu_utf8;
      folded.toUTF8String(icu_utf8);
      const std::string via_icu = schema::normalise_boolean(value + "\u00e9");
      ASSERT_GE(via_icu.size(), 2u);
      EXPECT_EQ(schema::normalise_boolean(value), via_icu.substr(0, via_icu.size() - 2)) << c;
      EXPECT_EQ(icu_utf8.size(), value.size()) << c;  // ICU keeps every ASCII character
      ++checked;
    }
  }
  EXPECT_EQ(checked, 256u);
  EXPECT_EQ(schema::normalise_boolean("The  WASHINGTON\tTimes"), "the washington times");
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

// A story's copies list (kSlotStoryCopyList) reads back as written; anything else in the slot of a database
// (not trusted) is refused, never read past its end.
TEST(Schema, CopyListRoundTripsAndRefusesDamage) {
  using dateline::schema::ListedCopy;
  const std::vector<ListedCopy> copies{
      {"reuters-1", "Reuters", "20240101"}, {"", "", ""}, {std::string(300, 'x'), "BBC News", "2024"}};
  const std::string value = dateline::schema::encode_copy_list(copies);
  const auto back = dateline::schema::decode_copy_list(value);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(*back == copies);
  const auto none = dateline::schema::decode_copy_list("");
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  for (size_t cut = 1; cut < value.size(); ++cut) {
    const auto head = dateline::schema::decode_copy_list(std::string_view(value).substr(0, cut));
    // A cut at an entry's end is a shorter list; anywhere else it is no list.
    if (head) {
      EXPECT_LT(head->size(), copies.size()) << cut;
    }
  }
  EXPECT_FALSE(dateline::schema::decode_copy_list(std::string("\xff\xff\xff\xff\xff\x01", 6)).has_value());
  EXPECT_FALSE(dateline::schema::decode_copy_list(std::string("\x05" "ab", 3)).has_value());
  const std::vector<ListedCopy> too_many(dateline::schema::kMaxListedCopies + 1, ListedCopy{"a", "b", "c"});
  EXPECT_FALSE(dateline::schema::decode_copy_list(dateline::schema::encode_copy_list(too_many)).has_value());
}

// The tie key's byte order is "who ran it first": the date, unknown last, then the id.
TEST(Schema, TieKeyOrdersByDateThenIdUnknownDatesLast) {
  using dateline::schema::tie_key;
  EXPECT_LT(tie_key("20240101", "z"), tie_key("20240102", "a"));
  EXPECT_LT(tie_key("20240101", "a"), tie_key("20240101", "b"));
  EXPECT_LT(tie_key("2024", "z"), tie_key("20240101", "a"));  // a year alone before a day of it, as --story
  EXPECT_LT(tie_key("29991231", "z"), tie_key("", "a"));
  EXPECT_LT(tie_key("", "a"), tie_key("", "b"));
}
