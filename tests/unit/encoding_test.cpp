/** @file
 *  @brief Tests of byte decoding: UTF-8 validation and repair, charset conversion, binary/empty, gzip.
 */
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "articles/encoding.h"
#include "tests/support/test_support.h"

namespace {

using dateline::TextStatus;

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct Utf8Case {
  std::string bytes;
  bool valid;
};

class ValidUtf8 : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(ValidUtf8, Validates) {
  EXPECT_EQ(dateline::is_valid_utf8(GetParam().bytes), GetParam().valid);
}

INSTANTIATE_TEST_SUITE_P(Sequences, ValidUtf8,
                         ::testing::Values(Utf8Case{"plain ascii text, long enough for the fast path", true},
                                           Utf8Case{"caf\xC3\xA9", true},
                                           Utf8Case{"\xE2\x80\x9Cquote\xE2\x80\x9D", true},
                                           Utf8Case{"\xF0\x9F\x98\x80", true},   // U+1F600
                                           Utf8Case{"\xF4\x8F\xBF\xBF", true},   // U+10FFFF
                                           Utf8Case{"caf\xE9", false},           // Latin-1 é
                                           Utf8Case{"\xC0\xAF", false},          // overlong '/'
                                           Utf8Case{"\xED\xA0\x80", false},      // UTF-16 surrogate
                                           Utf8Case{"\xF4\x90\x80\x80", false},  // above U+10FFFF
                                           Utf8Case{"abc\xE2\x80", false},       // truncated
                                           Utf8Case{"\x80 stray continuation", false}, Utf8Case{"", true}));

TEST(RepairUtf8, ReplacesMaximalSubparts) {
  size_t replaced = 0;
  EXPECT_EQ(dateline::repair_utf8("a\xE2\x80"
                                  "b\xFF"
                                  "c\xC3\xA9",
                                  &replaced),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\xC3\xA9");
  EXPECT_EQ(replaced, 2u);
}

TEST(DecodeText, Utf8IsKeptByteForByteAndBomDropped) {
  auto d = dateline::decode_text(
      "\xEF\xBB\xBF"
      "Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D\n");
  EXPECT_EQ(d.status, TextStatus::kUtf8);
  EXPECT_EQ(d.text, "Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D\n");
  EXPECT_EQ(d.describe(), "");
}

TEST(DecodeText, Windows1252IsConvertedWithAWarning) {
  std::string bytes =
      dateline::test::read_file(dateline::test::source_dir() / "tests/data/articles/windows1252.txt");
  auto d = dateline::decode_text(bytes);
  EXPECT_EQ(d.status, TextStatus::kConverted);
  EXPECT_EQ(d.charset, "windows-1252");
  EXPECT_EQ(
      d.text,
      "Minister\xE2\x80\x99s budget \xE2\x80\x9Cwins\xE2\x80\x9D approval\n\nThe caf\xC3\xA9 owners said the "
      "\xE2\x80\x9Cnew rules\xE2\x80\x9D were fair, according to the minister\xE2\x80\x99s office.\n");
  EXPECT_NE(d.describe().find("windows-1252"), std::string::npos) << d.describe();
  EXPECT_EQ(d.describe().rfind("not UTF-8: converted from windows-1252", 0), 0u) << d.describe();
}

TEST(DecodeText, MostlyUtf8IsRepaired) {
  auto d = dateline::decode_text("Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D and a stray \xFF byte\n");
  EXPECT_EQ(d.status, TextStatus::kRepaired);
  EXPECT_EQ(d.replaced, 1u);
  EXPECT_EQ(d.text, "Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D and a stray \xEF\xBF\xBD byte\n");
  EXPECT_EQ(d.describe(), "invalid UTF-8: 1 byte sequence replaced by U+FFFD");
}

TEST(DecodeText, Utf16WithBomIsConverted) {
  std::string bytes(
      "\xFF\xFE"
      "H\0i\0 \0\xE9\0",
      10);
  auto d = dateline::decode_text(bytes);
  EXPECT_EQ(d.status, TextStatus::kConverted);
  EXPECT_EQ(d.text, "Hi \xC3\xA9");
  EXPECT_EQ(d.charset, "UTF-16LE");
}

struct KindCase {
  const char* name;
  std::string bytes;
  TextStatus status;
};

class DecodeKind : public ::testing::TestWithParam<KindCase> {};

TEST_P(DecodeKind, Classifies) {
  auto d = dateline::decode_text(GetParam().bytes);
  EXPECT_EQ(d.status, GetParam().status) << GetParam().name;
  if (d.status == TextStatus::kEmpty || d.status == TextStatus::kBinary) {
    EXPECT_TRUE(d.text.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    Inputs, DecodeKind,
    ::testing::Values(
        KindCase{"empty", "", TextStatus::kEmpty}, KindCase{"spaces", " \n\t\r\n ", TextStatus::kEmpty},
        KindCase{"bom and nbsp", "\xEF\xBB\xBF \xC2\xA0\n", TextStatus::kEmpty},
        KindCase{"nul byte", std::string("text with a \0 NUL byte in it", 28), TextStatus::kBinary},
        KindCase{"png header", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), TextStatus::kBinary},
        KindCase{"control bytes", std::string(40, '\x01') + "some text here", TextStatus::kBinary},
        KindCase{"text", "Plain text.\n", TextStatus::kUtf8}));

TEST(Gunzip, RoundTripsAndConcatenatesMembers) {
  std::string error;
  std::string data = "Hello, gzip!\n" + std::string(100000, 'x');
  auto out = dateline::gunzip(gzip(data), error);
  ASSERT_TRUE(out.has_value()) << error;
  EXPECT_EQ(*out, data);
  auto two = dateline::gunzip(gzip("first ") + gzip("second"), error);
  ASSERT_TRUE(two.has_value()) << error;
  EXPECT_EQ(*two, "first second");
  EXPECT_TRUE(dateline::is_gzip(gzip("x")));
  EXPECT_FALSE(dateline::is_gzip("plain"));
}

TEST(Gunzip, CorruptAndTruncatedAreErrorsNotCrashes) {
  std::string good = gzip("Some article text that compresses. " + std::string(5000, 'y'));
  std::string error;
  EXPECT_FALSE(dateline::gunzip(good.substr(0, good.size() / 2), error).has_value());
  EXPECT_EQ(error, "corrupt gzip: unexpected end of data (truncated file)");
  std::string bad = good;
  for (size_t i = 12; i < 40 && i < bad.size(); ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
  error.clear();
  EXPECT_FALSE(dateline::gunzip(bad, error).has_value());
  EXPECT_EQ(error.rfind("corrupt gzip: ", 0), 0u) << error;
  error.clear();
  EXPECT_FALSE(dateline::gunzip(good, error, 100).has_value());
  EXPECT_EQ(error, "corrupt gzip: decompressed size exceeds 100 bytes");
}

}  // namespace
