/** @file
 *  @brief Tests of articles/stream.h, the one bytes -> gunzip -> UTF-8 -> lines implementation, piece by
 *  piece: chunked sources, gzip members and limits, UTF-8 carried across chunks, ICU conversion, lines.
 */
#include "articles/stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <tuple>
#include <vector>

namespace dateline::reading {
namespace {

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

/// Everything `src` gives, read `chunk` bytes at a time.
std::string drain(Source& src, size_t chunk) {
  std::string out;
  while (src.read(out, chunk) > 0) {
  }
  return out;
}

/// Everything a decoder makes of `bytes` fed in pieces of `chunk` bytes.
std::string decode_in_pieces(Decoder& d, std::string_view bytes, size_t chunk) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += chunk) d.decode(bytes.substr(i, chunk), false, out);
  d.decode({}, true, out);
  return out;
}

TEST(Stream, MemorySourceHandsOutItsBytesInChunks) {
  MemorySource src("abcdefg");
  std::string out;
  EXPECT_EQ(src.read(out, 3), 3u);
  EXPECT_EQ(src.read(out, 3), 3u);
  EXPECT_EQ(src.read(out, 3), 1u);
  EXPECT_EQ(src.read(out, 3), 0u);
  EXPECT_EQ(out, "abcdefg");
  EXPECT_EQ(src.error(), "");
}

TEST(Stream, GunzipReadsConcatenatedMembersAndIgnoresTrailingZeros) {
  const std::string big(200000, 'x');
  const std::string bytes = gzip("hello ") + gzip(big) + gzip("world") + std::string(10, '\0');
  for (size_t chunk : {1u, 7u, 65536u}) {
    MemorySource in(bytes);
    GunzipSource gz(in, std::string());
    EXPECT_EQ(drain(gz, chunk), "hello " + big + "world") << chunk;
    EXPECT_EQ(gz.error(), "") << chunk;
  }
  // The head already read from the source (the magic number the reader sniffed) counts as input.
  const std::string one = gzip("headed");
  MemorySource rest(std::string_view(one).substr(2));
  GunzipSource headed(rest, one.substr(0, 2));
  EXPECT_EQ(drain(headed, 100), "headed");
}

TEST(Stream, GunzipErrorsSayCorruptGzip) {
  const std::string whole = gzip(std::string(5000, 'y'));
  MemorySource cut(std::string_view(whole).substr(0, whole.size() - 6));
  GunzipSource truncated(cut, std::string());
  drain(truncated, 1024);
  EXPECT_EQ(truncated.error(), "corrupt gzip: unexpected end of data (truncated file)");

  MemorySource in(whole);
  GunzipSource limited(in, std::string());
  limited.set_limit(4096);
  std::string out = drain(limited, 1024);
  EXPECT_EQ(limited.error(), "corrupt gzip: decompressed size exceeds 4096 bytes");
  EXPECT_LE(out.size(), 4096u);

  MemorySource junk("\x1f\x8bnot really gzip at all");
  GunzipSource bad(junk, std::string());
  EXPECT_EQ(drain(bad, 1024), "");
  EXPECT_EQ(bad.error().rfind("corrupt gzip: ", 0), 0u) << bad.error();
}

TEST(Stream, IncompleteUtf8Tail) {
  EXPECT_EQ(incomplete_utf8_tail(""), 0u);
  EXPECT_EQ(incomplete_utf8_tail("abc"), 0u);
  EXPECT_EQ(incomplete_utf8_tail("a\xE2\x82"), 2u);      // two of the three bytes of U+20AC
  EXPECT_EQ(incomplete_utf8_tail("a\xE2\x82\xAC"), 0u);  // complete
  EXPECT_EQ(incomplete_utf8_tail("a\xF0"), 1u);
  EXPECT_EQ(incomplete_utf8_tail("a\x80"), 0u);  // a stray continuation byte waits for nothing
}

TEST(Stream, Utf8DecoderCarriesASequenceAcrossChunksAndCountsRepairs) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC 10";
  for (size_t chunk = 1; chunk <= text.size(); ++chunk) {
    Utf8Decoder d;
    EXPECT_EQ(decode_in_pieces(d, text, chunk), text) << chunk;
    EXPECT_EQ(d.note(), "") << chunk;
  }
  Utf8Decoder bad;
  EXPECT_EQ(decode_in_pieces(bad, "a\xFF" "b\xE2\x82", 1), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  EXPECT_EQ(bad.note(), "invalid UTF-8: 2 byte sequences replaced by U+FFFD");
}

TEST(Stream, IcuDecoderConvertsAndNamesTheCharset) {
  IcuDecoder latin1("ISO-8859-1", 42);
  ASSERT_TRUE(latin1.ok());
  EXPECT_EQ(decode_in_pieces(latin1, "caf\xE9", 1), "caf\xC3\xA9");
  EXPECT_EQ(latin1.note(), "not UTF-8: converted from ISO-8859-1 (detected, confidence 42%)");
  // A byte in 0x80-0x9F: windows-1252's curly quotes, and the charset named so.
  IcuDecoder quotes("ISO-8859-1", 42);
  EXPECT_EQ(decode_in_pieces(quotes, "\x93hi\x94", 2), "\xE2\x80\x9Chi\xE2\x80\x9D");
  EXPECT_EQ(quotes.note(), "not UTF-8: converted from windows-1252 (detected, confidence 42%)");
  // A multi-byte charset cut between the bytes of one character.
  IcuDecoder sjis("Shift_JIS", 0);
  ASSERT_TRUE(sjis.ok());
  EXPECT_EQ(decode_in_pieces(sjis, "\x93\xFA\x96\x7B", 1), "\xE6\x97\xA5\xE6\x9C\xAC");  // 日本
  EXPECT_EQ(sjis.note(), "not UTF-8: converted from Shift_JIS (assumed: detection was inconclusive)");
  EXPECT_FALSE(IcuDecoder("no-such-charset", 0).ok());
}

TEST(Stream, LineSplitterNumbersLinesAcrossChunksAndFlagsLongOnes) {
  std::vector<std::tuple<size_t, std::string, bool>> lines;
  LineSplitter split(5, [&](size_t n, std::string_view line, bool too_long) {
    lines.emplace_back(n, std::string(line), too_long);
  });
  split.feed("ab\ncd");
  split.feed("e\r\n\n");
  split.feed("toolong!\n   \t      \nlast");  // line 5 is too long but blank: dropped
  split.finish();
  using L = std::tuple<size_t, std::string, bool>;
  EXPECT_EQ(lines, (std::vector<L>{{1, "ab", false},
                                   {2, "cde\r", false},
                                   {3, "", false},
                                   {4, "", true},
                                   {6, "last", false}}));
}

}  // namespace
}  // namespace dateline::reading
