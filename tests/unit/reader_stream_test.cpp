/** @file
 *  @brief Oracle tests of the streaming reader: read_file() and read_stream() must give the articles and
 *  Diagnostics of the whole-buffer path (read_buffer()) on the same bytes, JSON Lines cut at every kind of
 *  chunk boundary included; and the few documented differences (reader.h) hold.
 */
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "articles/reader.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using dateline::Article;
using dateline::Diagnostic;
using dateline::ReadOptions;

struct Result {
  std::vector<Article> articles;
  std::vector<Diagnostic> diagnostics;
};

void write(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Result read_file(const fs::path& file, const ReadOptions& options = {}) {
  Result r;
  dateline::read_file(
      file, options, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  return r;
}

/// The reference: the whole-buffer path, with the file's path as its name (ids and messages then match
/// read_file()'s when no id root is given).
Result read_whole(std::string_view bytes, std::string_view name, const ReadOptions& options = {}) {
  Result r;
  dateline::read_buffer(
      bytes, name, options, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  return r;
}

/// read_stream() on a C stream holding `bytes` (as standard input would).
Result read_stream(const fs::path& scratch, std::string_view bytes, std::string_view name,
                   const ReadOptions& options = {}) {
  write(scratch, bytes);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(scratch.c_str(), "rb"), std::fclose);
  Result r;
  dateline::read_stream(
      f.get(), name, options, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  return r;
}

std::string gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string describe(const Diagnostic& d) {
  return d.file + ":" + std::to_string(d.line) + ": " + d.reason + (d.skipped ? " [skipped]" : "");
}

std::string describe(const Article& a) {
  std::string s = a.id + " | " + a.path + " | " + a.title.value_or("-") + " | " + a.subtitle.value_or("-") +
                  " | " + a.outlet.value_or("-") + " | " + a.date.value_or("-") + " | " +
                  a.author.value_or("-") + " | " + a.url.value_or("-") + " | " + a.language.value_or("-") +
                  " | " + a.content_hash;
  for (const auto& p : a.passages) {
    s += "\n  [" + std::to_string(p.begin) + "," + std::to_string(p.end) + ") " + p.text;
    for (const auto& sp : p.speakers) s += " <" + sp + ">";
  }
  return s;
}

/// Same articles (every field) and the same Diagnostics in the same order.
void expect_same(const Result& streamed, const Result& whole) {
  ASSERT_EQ(streamed.articles.size(), whole.articles.size());
  for (size_t i = 0; i < whole.articles.size(); ++i)
    ASSERT_EQ(describe(streamed.articles[i]), describe(whole.articles[i])) << "article " << i;
  std::vector<std::string> a, b;
  for (const auto& d : streamed.diagnostics) a.push_back(describe(d));
  for (const auto& d : whole.diagnostics) b.push_back(describe(d));
  EXPECT_EQ(a, b);
}

/// A JSON Lines record with an id and a text of about `words` words, some of them non-ASCII.
std::string record(size_t n, size_t words) {
  static const char* const kWords[] = {"troops",      "border",
                                       "caf\xC3\xA9", "\xE2\x80\x9Cquoted\xE2\x80\x9D",
                                       "minister",    "\xF0\x9F\x93\xB0",
                                       "Lukashenko",  "said",
                                       "Minsk",       "\xD0\x9C\xD0\xB8\xD0\xBD\xD1\x81\xD0\xBA"};
  std::string text;
  for (size_t w = 0; w < words; ++w) {
    if (!text.empty()) text += (w % 17 == 0) ? "\\n\\n" : " ";
    text += kWords[(n * 7 + w) % 10];
  }
  return "{\"id\": \"r" + std::to_string(n) + "\", \"title\": \"Record " + std::to_string(n) +
         "\", \"outlet\": \"BBC News\", \"date\": \"2022-02-24\", \"text\": \"" + text + ".\"}";
}

/// At least `min_bytes` of JSON Lines, line lengths varied so that chunk boundaries fall everywhere
/// (inside multi-byte characters, between '\r' and '\n'...). `eol` ends each line.
std::string json_lines(size_t min_bytes, std::string_view eol = "\n") {
  std::string out;
  for (size_t n = 0; out.size() < min_bytes; ++n) {
    out += record(n, 3 + (n * 13) % 41);
    out += eol;
  }
  return out;
}

constexpr size_t kBig = 300 * 1024;  // well past the 64 KiB probe window and several read chunks

class StreamedJsonLines : public ::testing::Test {
 protected:
  /// read_file() on `bytes` stored as `name`, checked against read_buffer() on the same bytes.
  Result check(const std::string& name, std::string_view bytes, const ReadOptions& options = {}) {
    fs::path file = dir_.path() / name;
    write(file, bytes);
    Result streamed = read_file(file, options);
    Result whole = read_whole(bytes, file.string(), options);
    expect_same(streamed, whole);
    // And as standard input.
    Result in = read_stream(dir_.path() / "stdin.bin", bytes, file.string(), options);
    expect_same(in, whole);
    return streamed;
  }
  dateline::test::TempDir dir_;
};

TEST_F(StreamedJsonLines, NormalFileMatchesWholeBuffer) {
  std::string bytes = json_lines(kBig);
  bytes += "{\"title\": \"No id\", \"text\": \"A record without an id.\"}\n";  // id "<file id>:<line>"
  Result r = check("news.jsonl", bytes);
  ASSERT_GT(r.articles.size(), 1000u);
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(r.articles.back().id,
            (dir_.path() / "news.jsonl").string() + ":" + std::to_string(r.articles.size()));
  EXPECT_EQ(r.articles[0].path, (dir_.path() / "news.jsonl").string() + ":1");
}

TEST_F(StreamedJsonLines, GzipMatchesWholeBuffer) {
  std::string text = json_lines(kBig);
  Result r = check("news.jsonl.gz", gzip(text));
  EXPECT_GT(r.articles.size(), 1000u);
  // Two members (cat a.gz b.gz) are one stream; bytes after the last member are ignored, as gzip(1) does.
  check("two.jsonl.gz", gzip(text.substr(0, 100000)) + gzip(text.substr(100000)) + std::string(10, '\0'));
  check("ndjson.ndjson.gz", gzip(text));
}

TEST_F(StreamedJsonLines, MalformedMiddleLineMatchesWholeBuffer) {
  std::string bytes = json_lines(kBig / 2);
  bytes += "{\"id\": \"cut\", \"text\": \"Cut sh\n";
  bytes += "[1, 2, 3]\n";
  bytes += "{\"text\": " + std::string(1000, '[') + "\n";
  bytes += "{\"id\": \"no-text\", \"title\": \"No text\"}\n";
  bytes += "{\"id\": 12, \"text\": \"Numeric id.\", \"date\": \"sometime\"}\n";
  bytes += json_lines(kBig / 2);
  Result r = check("bad.jsonl", bytes);
  ASSERT_EQ(r.diagnostics.size(), 5u);
  EXPECT_NE(r.diagnostics[0].reason.find("malformed JSON"), std::string::npos);
}

TEST_F(StreamedJsonLines, CrlfLineEndsMatchWholeBuffer) {
  std::string bytes = json_lines(kBig, "\r\n");
  bytes += "\r\n\r\n{\"id\": \"last\", \"text\": \"Last.\"}\r\n";
  Result r = check("crlf.jsonl", bytes);
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(r.articles.back().id, "last");
}

TEST_F(StreamedJsonLines, LastLineWithoutNewlineMatchesWholeBuffer) {
  std::string bytes = json_lines(kBig) + "{\"id\": \"tail\", \"text\": \"No newline after me.\"}";
  Result r = check("tail.jsonl", bytes);
  EXPECT_EQ(r.articles.back().id, "tail");
  check("tail-crlf.jsonl", json_lines(kBig, "\r\n") + "{\"id\": \"tail\", \"text\": \"Cut\"");
}

TEST_F(StreamedJsonLines, BlankLinesMatchWholeBuffer) {
  std::string bytes = "\xEF\xBB\xBF\n   \n\t\n";  // a BOM, then blank lines before the first record
  std::string lines = json_lines(kBig);
  for (size_t pos = 0, n = 0; pos < lines.size(); ++n) {
    size_t nl = lines.find('\n', pos);
    bytes += lines.substr(pos, nl + 1 - pos);
    if (n % 5 == 0) bytes += "\n";
    if (n % 7 == 0) bytes += "  \t \r\n";
    if (n % 11 == 0) bytes += "\xC2\xA0 \xEF\xBB\xBF\n";  // U+00A0 and U+FEFF are white space too
    pos = nl + 1;
  }
  bytes += "\n\n   ";
  Result r = check("blank.jsonl", bytes);
  EXPECT_TRUE(r.diagnostics.empty());
  // A file of nothing but blank lines is empty.
  std::string blank;
  while (blank.size() < kBig) blank += "   \t\r\n\xC2\xA0\n\n";
  Result e = check("blank-only.jsonl", blank);
  ASSERT_EQ(e.diagnostics.size(), 1u);
  EXPECT_EQ(e.diagnostics[0].reason, "empty");
}

TEST_F(StreamedJsonLines, LineOverTheCapMatchesWholeBuffer) {
  ReadOptions options;
  options.max_record_bytes = 4096;
  std::string big_text(options.max_record_bytes, 'x');
  std::string bytes = json_lines(kBig / 3);
  bytes += "{\"id\": \"over\", \"text\": \"" + big_text + "\"}\n";                      // over the cap
  bytes += "{\"id\": \"huge\", \"text\": \"" + std::string(200 * 1024, 'y') + "\"}\n";  // over several chunks
  std::string exact = "{\"id\": \"exact\", \"text\": \"\"}";
  exact.insert(exact.size() - 2, options.max_record_bytes - exact.size(), 'z');
  bytes += exact + "\r\n";                                       // exactly the cap, plus a '\r' dropped
  bytes += std::string(200 * 1024, ' ') + "\n";                  // a blank line over the cap: just blank
  bytes += std::string(100 * 1024, ' ') + "{\"id\": 1}" + "\n";  // blank for long, then not
  bytes += json_lines(kBig / 3);
  bytes += "{\"id\": \"last-over\", \"text\": \"" + big_text + "\"}";  // over, and without a newline
  Result r = check("cap.jsonl", bytes, options);
  std::vector<std::string> reasons;
  for (const auto& d : r.diagnostics) reasons.push_back(std::to_string(d.line) + ": " + d.reason);
  ASSERT_EQ(reasons.size(), 4u) << ::testing::PrintToString(reasons);
  for (const auto& reason : reasons)
    EXPECT_NE(reason.find(": record longer than 4096 bytes; not read"), std::string::npos) << reason;
  bool found_exact = false;
  for (const auto& a : r.articles) found_exact = found_exact || a.id == "exact";
  EXPECT_TRUE(found_exact);
}

TEST_F(StreamedJsonLines, InvalidUtf8IsRepairedAsInTheWholeBuffer) {
  // Mostly UTF-8 with stray bytes, some of them cut by chunk boundaries: the same U+FFFD, the same count.
  std::string bytes;
  for (size_t n = 0; bytes.size() < kBig; ++n) {
    std::string line = record(n, 5 + n % 30);
    std::string tail = line.substr(line.size() - 3);  // ".\"}"
    line.resize(line.size() - 3);
    if (n % 9 == 0) line += "\xFF";
    if (n % 13 == 0) line += "\xE2\x80";      // a truncated sequence
    if (n % 29 == 0) line += "\xED\xA0\x80";  // an encoded surrogate
    bytes += line + tail + "\n";
    if (n == 500) bytes += "{\"id\": \"cut\"\n";  // the warning still comes first
  }
  Result r = check("repaired.jsonl", bytes);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].line, 0u);
  EXPECT_EQ(r.diagnostics[0].reason.rfind("invalid UTF-8: ", 0), 0u) << r.diagnostics[0].reason;
}

TEST_F(StreamedJsonLines, OtherCharsetsAreConvertedAsInTheWholeBuffer) {
  // windows-1252: é is E9, curly quotes 93/94.
  std::string cp1252;
  for (size_t n = 0; cp1252.size() < kBig; ++n)
    cp1252 += "{\"id\": \"w" + std::to_string(n) +
              "\", \"text\": \"Le caf\xE9 \x93"
              "ferm\xE9\x94 num\xE9ro " +
              std::to_string(n) + ".\"}\n";
  Result r = check("cp1252.jsonl", cp1252);
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].reason.rfind("not UTF-8: converted from ", 0), 0u) << r.diagnostics[0].reason;
  EXPECT_NE(r.articles.at(0).passages.at(0).text.find("caf\xC3\xA9"), std::string::npos);

  // Latin-1 letters only in the first 64 KiB, a windows-1252 quote (0x93) much later: converted as
  // windows-1252 throughout, and named so, as when the whole file is looked at.
  std::string latin1;
  for (size_t n = 0; latin1.size() < kBig; ++n)
    latin1 += "{\"id\": \"l" + std::to_string(n) + "\", \"text\": \"Caf\xE9 cr\xE8me br\xFBl\xE9" +
              (n == 3000 ? "\x93" : "") + ".\"}\n";
  check("latin1.jsonl", latin1);

  // UTF-16 with a byte order mark: newlines are two bytes there.
  std::string utf8 = json_lines(kBig / 2);
  std::string utf16 = "\xFF\xFE";
  for (unsigned char c : utf8) {
    if (c < 0x80) {
      utf16 += static_cast<char>(c);
      utf16 += '\0';
    }
  }
  Result u = check("utf16.jsonl", utf16);
  EXPECT_GT(u.articles.size(), 100u);
}

TEST_F(StreamedJsonLines, BinaryFileIsSkippedAsInTheWholeBuffer) {
  std::string bytes = std::string("{\"id\": \"x\"}\n\0\0\x01\x02", 16) + json_lines(kBig);
  Result r = check("binary.jsonl", bytes);
  EXPECT_TRUE(r.articles.empty());
}

TEST_F(StreamedJsonLines, JsonFileThatIsJsonLinesIsStreamed) {
  // A .json starting with '{': JSON Lines (the first object is not all there is), or one object.
  check("lines.json", json_lines(kBig));
  check("lines-crlf.json", "\n\n" + json_lines(kBig, "\r\n"));
  std::string pretty = "{\n  \"id\": \"one\",\n  \"title\": \"One pretty object\",\n  \"text\": \"" +
                       std::string(100 * 1024, 'w') + " end.\"\n}\n\n";
  fs::path file = dir_.path() / "one.json";
  write(file, pretty);
  Result r = read_file(file);
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].id, "one");
  EXPECT_TRUE(r.diagnostics.empty());
  // Any other first character: JSON Lines for a .json (the line reader reports it), text when sniffed.
  file = dir_.path() / "other.json";
  std::string lines = json_lines(kBig);
  write(file, "x\n" + lines);
  Result other = read_file(file);
  Result whole = read_whole(lines, file.string());
  ASSERT_EQ(other.diagnostics.size(), 1u);
  EXPECT_EQ(describe(other.diagnostics[0]).rfind(file.string() + ":1: malformed JSON: ", 0), 0u);
  ASSERT_EQ(other.articles.size(), whole.articles.size());
  EXPECT_EQ(other.articles.back().path, file.string() + ":" + std::to_string(whole.articles.size() + 1));
}

TEST_F(StreamedJsonLines, SniffedTextAndArraysAreReadWhole) {
  std::string text = "Minister Resigns Over Budget Row\n\nBy Jane Doe | March 3, 2021\n\n";
  while (text.size() < kBig) text += "The finance minister resigned on Wednesday, officials said.\n\n";
  Result t = check("article", text);
  ASSERT_EQ(t.articles.size(), 1u);
  std::string array = "[\n";
  for (size_t n = 0; array.size() < kBig; ++n) array += (n ? ",\n" : "") + record(n, 10);
  array += "\n]\n";
  Result a = check("records", array);
  EXPECT_GT(a.articles.size(), 100u);
}

TEST_F(StreamedJsonLines, SmallInputsMatchWholeBuffer) {
  // Within the probe window the whole-buffer code decides everything; still check the way there. (The
  // format is sniffed here, as read_buffer() does: no extension, or a .jsonl that starts with '{'.)
  for (std::string_view bytes : {std::string_view(""), std::string_view("\n"), std::string_view("{"),
                                 std::string_view("{\"id\": \"a\", \"text\": \"A.\"}"),
                                 std::string_view("{\"id\": \"a\"\n{\"text\": \"B\"}"),
                                 std::string_view("\xEF\xBB\xBF{\"id\": \"bom\", \"text\": \"BOM.\"}\n")}) {
    for (const char* name : {"s.jsonl", "s"}) check(name, bytes);
  }
  check("s", "[{\"id\": \"a\", \"text\": \"A.\"}]");
  check("s", "Some plain words\n\nAnd a paragraph that ends.\n");
  check("s.jsonl.gz", gzip("{\"id\": \"a\", \"text\": \"A.\"}\n"));
  check("fake.jsonl.gz", "not gzip at all");
}

TEST_F(StreamedJsonLines, RandomLinesMatchWholeBuffer) {
  // Lines of random length and content: chunk boundaries land inside every kind of sequence.
  const char* const kPieces[] = {"a",    " ",    "\xC3\xA9", "\xE2\x80\x9C", "\xF0\x9F\x93\xB0", "\\n\\n",
                                 "\\\"", "\xFF", "\xE2\x80", "\r",           "Mr. Smith said"};
  for (unsigned seed = 1; seed <= 4; ++seed) {
    std::mt19937 rng(seed);
    std::string bytes;
    for (size_t n = 0; bytes.size() < kBig; ++n) {
      switch (rng() % 10) {
        case 0:
          bytes += "\n";  // blank
          break;
        case 1:
          bytes += "{\"id\": \"cut" + std::to_string(n) + "\", \"text\": \"x\n";  // malformed
          break;
        default: {
          std::string text;
          size_t pieces = rng() % (seed % 2 ? 60 : 3000);
          for (size_t i = 0; i < pieces; ++i) text += kPieces[rng() % (seed % 3 ? 11 : 7)];
          bytes += "{\"id\": \"n" + std::to_string(n) + "\", \"text\": \"" + text + " end.\"}" +
                   (rng() % 4 == 0 ? "\r\n" : "\n");
        }
      }
    }
    SCOPED_TRACE("seed " + std::to_string(seed));
    ReadOptions options;
    options.max_record_bytes = 8000;
    options.max_diagnostics = SIZE_MAX;  // compare every one (the limit has its own test)
    check("random.jsonl", bytes, options);
    check("random.jsonl.gz", gzip(bytes), options);
  }
}

// ---- Size limits: a plain-text article is read up to max_record_bytes, then skipped ---------------------

/// Plain text of exactly `bytes` bytes, paragraphs of words.
std::string plain_text(size_t bytes) {
  std::string text = "Harbour Reopens After Repairs\n\n";
  while (text.size() < bytes) text += "The harbour reopened on Monday after repairs, officials said.\n\n";
  text.resize(bytes);
  return text;
}

TEST_F(StreamedJsonLines, PlainTextOverTheLimitIsSkippedAsInTheWholeBuffer) {
  ReadOptions options;
  options.max_record_bytes = 200 * 1024;  // past the 64 KiB probe window
  const std::string over = "article larger than 200 KiB (skipped)";
  for (const char* name : {"big.txt", "big", "big.text"}) {
    SCOPED_TRACE(name);
    Result at = check(name, plain_text(options.max_record_bytes), options);
    EXPECT_EQ(at.articles.size(), 1u);
    EXPECT_TRUE(at.diagnostics.empty());
    Result r = check(name, plain_text(options.max_record_bytes + 1), options);
    EXPECT_TRUE(r.articles.empty());
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(describe(r.diagnostics[0]), (dir_.path() / name).string() + ":0: " + over + " [skipped]");
  }
  // Gzip: the limit is on the inflated bytes.
  Result gz = check("big.txt.gz", gzip(plain_text(options.max_record_bytes + 1)), options);
  ASSERT_EQ(gz.diagnostics.size(), 1u);
  EXPECT_EQ(gz.diagnostics[0].reason, over);
  EXPECT_TRUE(gz.diagnostics[0].skipped);
  // A JSON Lines file of the same size is not limited (only each record is).
  Result lines = check("many.jsonl", json_lines(2 * options.max_record_bytes), options);
  EXPECT_GT(lines.articles.size(), 100u);
  EXPECT_TRUE(lines.diagnostics.empty());
  // The default limit is the one stated in messages and docs.
  EXPECT_EQ(ReadOptions{}.max_record_bytes, dateline::kMaxArticleBytes);
  EXPECT_EQ(dateline::kMaxArticleBytes, size_t{8} << 20);
}

TEST_F(StreamedJsonLines, BinaryOrBlankInputOverTheLimitIsNamedAsInTheWholeBuffer) {
  ReadOptions options;
  options.max_record_bytes = 100 * 1024;
  std::string binary(options.max_record_bytes + 5000, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7 % 251);
  Result b = check("image.txt", binary, options);
  ASSERT_EQ(b.diagnostics.size(), 1u);
  EXPECT_EQ(b.diagnostics[0].reason, "binary file");
  // White space only, longer than the limit: sniffed, it is an oversized article (the stream stops reading
  // there); a .json is JSON Lines of blank lines, read line by line, so empty. (read_buffer() has no file
  // name to go by: it sniffs the .json too, so that one is checked on its own.)
  std::string blank(options.max_record_bytes + 5000, ' ');
  for (size_t i = 0; i < blank.size(); i += 80) blank[i] = '\n';
  Result s = check("blank", blank, options);
  ASSERT_EQ(s.diagnostics.size(), 1u);
  EXPECT_EQ(s.diagnostics[0].reason, "article larger than 100 KiB (skipped)");
  write(dir_.path() / "blank.json", blank);
  Result j = read_file(dir_.path() / "blank.json", options);
  ASSERT_EQ(j.diagnostics.size(), 1u);
  EXPECT_EQ(j.diagnostics[0].reason, "empty");
}

TEST_F(StreamedJsonLines, GzipBombOfPlainTextIsNotInflatedPastTheLimit) {
  // Text that compresses poorly (pseudo-random words), so that the compressed file is much larger than the
  // bytes needed to inflate past the limit: the stream must stop reading it there.
  ReadOptions options;
  options.max_record_bytes = 256 * 1024;
  std::mt19937 rng(7);
  std::string text;
  while (text.size() < (10u << 20)) {
    for (int w = 0; w < 12; ++w)
      text += std::string(1 + rng() % 9, static_cast<char>('a' + rng() % 26)) + " ";
    text += "said.\n\n";
  }
  std::string gz = gzip(text);
  ASSERT_GT(gz.size(), 1u << 20);
  fs::path scratch = dir_.path() / "bomb.bin";
  write(scratch, gz);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(scratch.c_str(), "rb"), std::fclose);
  Result r;
  uint64_t consumed = dateline::read_stream(
      f.get(), "<stdin>", options, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  EXPECT_TRUE(r.articles.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(describe(r.diagnostics[0]), "<stdin>:0: article larger than 256 KiB (skipped) [skipped]");
  EXPECT_LT(consumed, gz.size() / 4) << "read on past the limit";
}

TEST_F(StreamedJsonLines, ProblemsPastTheLimitAreCountedInOneDiagnostic) {
  ReadOptions options;
  options.max_diagnostics = 10;
  std::string bytes;
  for (size_t n = 0; bytes.size() < kBig; ++n)
    bytes += n % 3 == 0 ? record(n, 5) + "\n" : "{\"id\": \"x" + std::to_string(n) + "\"}\n";
  Result r = check("bad.jsonl", bytes, options);
  size_t lines = static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  size_t bad = lines - (lines + 2) / 3;
  EXPECT_EQ(r.articles.size(), lines - bad);
  ASSERT_EQ(r.diagnostics.size(), 11u);
  EXPECT_EQ(r.diagnostics[9].line, 15u);  // lines 2, 3, 5, 6, ... are bad
  const Diagnostic& more = r.diagnostics.back();
  EXPECT_EQ(more.line, 0u);
  EXPECT_TRUE(more.skipped);
  EXPECT_EQ(more.reason, std::to_string(bad - 10) + " more problems not listed (" + std::to_string(bad - 10) +
                             " of them skipped records)");
  // Within the limit nothing is added.
  options.max_diagnostics = bad;
  EXPECT_EQ(check("bad.jsonl", bytes, options).diagnostics.size(), bad);
  // The charset warning (known only at the end of a stream, listed first) is one of those listed.
  std::string repaired;
  for (size_t at = 0; at < bytes.size(); at += 5000) {
    repaired += bytes.substr(at, 5000);
    if (at >= 100000) repaired += '\xFF';
  }
  for (size_t limit : {size_t{0}, size_t{1}, size_t{10}}) {
    options.max_diagnostics = limit;
    Result c = check("bad.jsonl", repaired, options);
    ASSERT_EQ(c.diagnostics.size(), limit + 1) << limit;
    if (limit > 0) {
      EXPECT_EQ(c.diagnostics[0].reason.rfind("invalid UTF-8: ", 0), 0u);
    }
  }
  EXPECT_EQ(ReadOptions{}.max_diagnostics, dateline::kMaxDiagnosticsPerInput);
}

// ---- What streaming does differently (reader.h), on purpose ----------------------------------------------

TEST_F(StreamedJsonLines, CorruptGzipAfterTheFirstChunkKeepsTheRecordsBefore) {
  std::string text = json_lines(4 * kBig);
  std::string gz = gzip(text);
  fs::path file = dir_.path() / "cut.jsonl.gz";
  write(file, gz.substr(0, gz.size() / 2));
  Result r = read_file(file);
  // The whole-buffer path reports the file alone; streaming has handed on the records read before.
  Result whole = read_whole(gz.substr(0, gz.size() / 2), file.string());
  EXPECT_TRUE(whole.articles.empty());
  EXPECT_GT(r.articles.size(), 100u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(describe(r.diagnostics[0]), describe(whole.diagnostics.at(0)));
  EXPECT_EQ(r.diagnostics[0].reason, "corrupt gzip: unexpected end of data (truncated file)");
  // Every record handed on is whole and correct: the same as the first ones of the intact file.
  Result intact = read_whole(gzip(text), file.string());
  for (size_t i = 0; i < r.articles.size(); ++i)
    ASSERT_EQ(describe(r.articles[i]), describe(intact.articles.at(i))) << i;
}

TEST_F(StreamedJsonLines, JsonArrayOverTheLimitIsRefused) {
  ReadOptions options;
  options.max_json_document_bytes = 200 * 1024;
  std::string array = "[\n";
  for (size_t n = 0; array.size() < kBig; ++n) array += (n ? ",\n" : "") + record(n, 10);
  array += "\n]\n";
  fs::path file = dir_.path() / "big.json";
  write(file, array);
  Result r = read_file(file, options);
  EXPECT_TRUE(r.articles.empty());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].reason,
            "JSON document larger than 204800 bytes: not read (JSON Lines of any size are read record by "
            "record)");
  // JSON Lines of the same size are not limited.
  write(dir_.path() / "big.jsonl", json_lines(kBig));
  Result lines = read_file(dir_.path() / "big.jsonl", options);
  EXPECT_GT(lines.articles.size(), 1000u);
  EXPECT_TRUE(lines.diagnostics.empty());
}

}  // namespace
