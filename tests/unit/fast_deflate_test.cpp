// indexer/fast_deflate.cpp: Xapian's deflate calls answered by libdeflate, everything else left to zlib.
// This binary links fast_deflate.cpp the way dateline-index does, so its zlib calls, and libxapian's, go
// through it.
#include "indexer/fast_deflate.h"

#include <gtest/gtest.h>
#include <xapian.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "tests/support/test_support.h"

namespace {

using dateline::fast_deflate::whole_buffer_calls;

std::string sample_text(size_t bytes) {
  std::string s;
  size_t i = 0;
  while (s.size() < bytes) {
    s += "The minister said on Tuesday that talks would resume in Geneva, paragraph ";
    s += std::to_string(i++ % 97);
    s += ". ";
  }
  s.resize(bytes);
  return s;
}

/// Points `z` at `in` (its first `in_bytes`, all when npos) and at `out` (all of it) for the next call.
void point(z_stream& z, std::string_view in, std::string& out, size_t in_bytes = std::string_view::npos) {
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(std::min(in.size(), in_bytes));
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
}

/// `bytes` that do not compress (xorshift32 from `seed`).
std::string noise(size_t bytes, uint32_t seed) {
  std::string out(bytes, '\0');
  uint32_t x = seed;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

/// `in` inflated, at most `max` bytes.
std::string inflate_raw(const std::string& in, size_t max, int window_bits = -15) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, window_bits), Z_OK);
  std::string out(max + 1, '\0');
  point(z, in, out);
  const int err = inflate(&z, Z_FINISH);
  EXPECT_EQ(err, Z_STREAM_END) << (z.msg ? z.msg : "");
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

struct Deflated {
  int err;
  std::string out;
};

/// The way Xapian's CompressionStream::compress() deflates a tag: one Z_FINISH call, output one byte shorter.
Deflated deflate_like_xapian(z_stream& z, const std::string& in) {
  std::string out(in.size() - 1, '\0');
  point(z, in, out);
  const int err = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  return {err, out};
}

TEST(FastDeflate, RawStreamsGivenTheirWholeInputAreAnsweredInOneCallAndInflateBack) {
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  for (size_t bytes : {std::size_t{300}, std::size_t{1'000}, std::size_t{70'000}}) {
    ASSERT_EQ(deflateReset(&z), Z_OK);
    const std::string text = sample_text(bytes);
    const unsigned long long before = whole_buffer_calls();
    const Deflated d = deflate_like_xapian(z, text);
    ASSERT_EQ(d.err, Z_STREAM_END) << bytes;
    EXPECT_EQ(whole_buffer_calls(), before + 1) << bytes;
    EXPECT_LT(d.out.size(), text.size() / 2) << bytes;
    EXPECT_EQ(z.total_in, text.size());
    EXPECT_EQ(z.avail_in, 0u);
    EXPECT_TRUE(inflate_raw(d.out, text.size()) == text) << bytes;
  }
  EXPECT_EQ(deflateEnd(&z), Z_OK);
}

TEST(FastDeflate, OutputThatDoesNotFitGoesToZlibAsBefore) {
  // Bytes that do not compress: libdeflate's output does not fit in one byte less, zlib then says so too.
  const std::string random = noise(4'000, 2463534242u);
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const unsigned long long before = whole_buffer_calls();
  const Deflated d = deflate_like_xapian(z, random);
  EXPECT_NE(d.err, Z_STREAM_END);
  EXPECT_EQ(whole_buffer_calls(), before);
  // The stream is zlib's again after a reset: a compressible input is taken whole.
  ASSERT_EQ(deflateReset(&z), Z_OK);
  const std::string text = sample_text(2'000);
  const Deflated again = deflate_like_xapian(z, text);
  ASSERT_EQ(again.err, Z_STREAM_END);
  EXPECT_EQ(whole_buffer_calls(), before + 1);
  EXPECT_TRUE(inflate_raw(again.out, text.size()) == text);
  deflateEnd(&z);
}

TEST(FastDeflate, AResetNotDoneIsDoneBeforeZlibGetsTheStream) {
  // Reset after reset (Xapian resets before every tag), whole inputs that fit and others that do not, and a
  // stream given its input in two calls: zlib must see each as a fresh stream.
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string random = noise(3'000, 88172645u);
  for (int round = 0; round < 3; ++round) {
    const std::string text = sample_text(1'500 + 300 * static_cast<size_t>(round));
    ASSERT_EQ(deflateReset(&z), Z_OK);
    EXPECT_EQ(z.total_in, 0u);
    EXPECT_EQ(z.total_out, 0u);
    ASSERT_EQ(deflateReset(&z), Z_OK);
    const Deflated whole = deflate_like_xapian(z, text);
    ASSERT_EQ(whole.err, Z_STREAM_END);
    EXPECT_TRUE(inflate_raw(whole.out, text.size()) == text);
    ASSERT_EQ(deflateReset(&z), Z_OK);
    EXPECT_NE(deflate_like_xapian(z, random).err, Z_STREAM_END);  // zlib's turn
    ASSERT_EQ(deflateReset(&z), Z_OK);
    // In two calls: the first (no Z_FINISH) is zlib's, from a fresh stream.
    std::string out(text.size() + 1'000, '\0');
    point(z, text, out, text.size() / 2);
    ASSERT_EQ(deflate(&z, Z_NO_FLUSH), Z_OK);
    z.avail_in = static_cast<uInt>(text.size() - text.size() / 2);
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    EXPECT_TRUE(inflate_raw(out, text.size()) == text) << round;
  }
  EXPECT_EQ(deflateEnd(&z), Z_OK);
}

TEST(FastDeflate, AStreamLibdeflateFinishedAnswersAsZlibsFinishedStream) {
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  const std::string text = sample_text(2'000);
  std::string out(text.size(), '\0');
  point(z, text, out);
  const unsigned long long before = whole_buffer_calls();
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  ASSERT_EQ(whole_buffer_calls(), before + 1);
  const uLong total = z.total_out;
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);  // again: nothing more written
  EXPECT_EQ(z.total_out, total);
  EXPECT_EQ(deflate(&z, Z_NO_FLUSH), Z_STREAM_ERROR);
  out.resize(total);
  EXPECT_TRUE(inflate_raw(out, text.size()) == text);
  EXPECT_EQ(deflateEnd(&z), Z_OK);
}

TEST(FastDeflate, ZlibsOtherFunctionsSeeTheStreamAsZlibWouldHaveIt) {
  const std::string text = sample_text(3'000);
  auto start = [&](z_stream& z) {
    EXPECT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string sink(8'000, '\0');
    point(z, text, sink, 1'000);
    EXPECT_EQ(deflate(&z, Z_NO_FLUSH), Z_OK);  // zlib's, part way
    EXPECT_EQ(deflateReset(&z), Z_OK);         // owed
  };
  {
    // Ended after a reset owed: zlib's answer for a stream at its start.
    z_stream z{};
    start(z);
    EXPECT_EQ(deflateEnd(&z), Z_OK);
  }
  {
    // Copied after a reset owed: the copy starts a new stream.
    z_stream z{};
    start(z);
    z_stream copy{};
    ASSERT_EQ(deflateCopy(&copy, &z), Z_OK);
    std::string out(text.size() + 1'000, '\0');
    point(copy, text, out);
    ASSERT_EQ(deflate(&copy, Z_FINISH), Z_STREAM_END);
    out.resize(copy.total_out);
    EXPECT_TRUE(inflate_raw(out, text.size()) == text);
    EXPECT_EQ(deflateEnd(&copy), Z_OK);
    EXPECT_EQ(deflateEnd(&z), Z_OK);
  }
}

TEST(FastDeflate, AStreamLeftWithoutItsEndDoesNotHauntItsAddress) {
  // A stream set up at an address where an eligible stream was left, reset, without deflateEnd(): zlib's
  // set-up resets it, and that reset must be zlib's own.
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  ASSERT_EQ(deflateReset(&z), Z_OK);  // owed
  const z_stream left = z;            // to end it at the end of the test
  ASSERT_EQ(deflateInit(&z, 6), Z_OK);  // zlib format: not eligible
  const std::string text = sample_text(3'000);
  std::string out(text.size() + 1'000, '\0');
  point(z, text, out);
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  EXPECT_TRUE(inflate_raw(out, text.size(), 15) == text);
  EXPECT_EQ(deflateEnd(&z), Z_OK);
  z = left;
  EXPECT_EQ(deflateEnd(&z), Z_OK);
}

TEST(FastDeflate, OtherStreamsAreZlibs) {
  const std::string text = sample_text(3'000);
  struct Case {
    const char* what;
    int level, window_bits, strategy;
    bool dictionary;
  };
  const std::vector<Case> cases = {
      {"gzip wrapper", Z_DEFAULT_COMPRESSION, 15 + 16, Z_DEFAULT_STRATEGY, false},
      {"zlib wrapper", Z_DEFAULT_COMPRESSION, 15, Z_DEFAULT_STRATEGY, false},
      {"level 0", 0, -15, Z_DEFAULT_STRATEGY, false},
      {"small window", 6, -9, Z_DEFAULT_STRATEGY, false},
      {"Huffman only", 6, -15, Z_HUFFMAN_ONLY, false},
      {"dictionary", 6, -15, Z_DEFAULT_STRATEGY, true},
  };
  for (const Case& c : cases) {
    z_stream z{};
    ASSERT_EQ(deflateInit2(&z, c.level, Z_DEFLATED, c.window_bits, 8, c.strategy), Z_OK) << c.what;
    const std::string dict = "minister Geneva talks";
    if (c.dictionary) {
      ASSERT_EQ(deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size())),
                Z_OK);
    }
    const unsigned long long before = whole_buffer_calls();
    std::string out(text.size() + 1'000, '\0');
    point(z, text, out);
    ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END) << c.what;
    out.resize(z.total_out);
    EXPECT_EQ(whole_buffer_calls(), before) << c.what;
    deflateEnd(&z);
    if (c.dictionary) {
      z_stream i{};
      ASSERT_EQ(inflateInit2(&i, -15), Z_OK);
      ASSERT_EQ(inflateSetDictionary(&i, reinterpret_cast<const Bytef*>(dict.data()), static_cast<uInt>(dict.size())),
                Z_OK);
      std::string back(text.size(), '\0');
      i.next_in = reinterpret_cast<Bytef*>(out.data());
      i.avail_in = static_cast<uInt>(out.size());
      i.next_out = reinterpret_cast<Bytef*>(back.data());
      i.avail_out = static_cast<uInt>(back.size());
      EXPECT_EQ(inflate(&i, Z_FINISH), Z_STREAM_END);
      inflateEnd(&i);
      EXPECT_TRUE(back == text);
    } else {
      EXPECT_TRUE(inflate_raw(out, text.size(), c.window_bits) == text) << c.what;
    }
  }
}

TEST(FastDeflate, XapianWritesThroughItAndReadsBackWhatItWrote) {
  dateline::test::TempDir dir;
  const std::string path = (dir.path() / "db").string();
  const unsigned long long before = whole_buffer_calls();
  std::vector<std::string> data;
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    for (int i = 0; i < 50; ++i) {
      Xapian::Document doc;
      data.push_back(sample_text(500 + 97 * static_cast<size_t>(i)) + std::to_string(i));
      doc.set_data(data.back());
      for (int t = 0; t < 40; ++t) doc.add_posting("term" + std::to_string((t * 7 + i) % 300), static_cast<Xapian::termpos>(t + 1));
      db.add_document(doc);
    }
    db.commit();
  }
  // Every document's data and term list went through libdeflate.
  EXPECT_GE(whole_buffer_calls() - before, 100u);
  Xapian::Database db(path);
  ASSERT_EQ(db.get_doccount(), 50u);
  for (Xapian::docid id = 1; id <= 50; ++id) {
    const Xapian::Document doc = db.get_document(id);
    EXPECT_TRUE(doc.get_data() == data[id - 1]) << id;
    EXPECT_EQ(doc.termlist_count(), 40u);
  }
}

}  // namespace
