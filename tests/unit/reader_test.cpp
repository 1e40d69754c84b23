/** @file
 *  @brief Tests of the reader: plain text, JSON Lines and arrays, gzip, sidecars, manifests, encodings,
 *  binary and empty files, diagnostics with file:line.
 */
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "articles/read_support.h"
#include "articles/reader.h"
#include "articles/records.h"
#include "tests/support/test_support.h"

namespace {

namespace fs = std::filesystem;
using dateline::Article;
using dateline::Diagnostic;

struct Result {
  std::vector<Article> articles;
  std::vector<Diagnostic> diagnostics;
};

Result read(const fs::path& file, dateline::ReadOptions options = {}) {
  Result r;
  dateline::read_file(
      file, options, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  return r;
}

Result read_bytes(std::string_view bytes, std::string_view name = "stdin") {
  Result r;
  dateline::read_buffer(
      bytes, name, {}, [&](Article&& a) { r.articles.push_back(std::move(a)); }, r.diagnostics);
  return r;
}

void write(const fs::path& file, std::string_view bytes) {
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

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

/// "file:line: reason [skipped]" for compact comparisons.
std::vector<std::string> describe(const std::vector<Diagnostic>& ds, const fs::path& dir = {}) {
  std::vector<std::string> out;
  for (const auto& d : ds) {
    std::string file = d.file;
    if (!dir.empty() && file.rfind(dir.string(), 0) == 0) file = file.substr(dir.string().size() + 1);
    out.push_back(file + ":" + std::to_string(d.line) + ": " + d.reason + (d.skipped ? " [skipped]" : ""));
  }
  return out;
}

fs::path data_dir() {
  return dateline::test::source_dir() / "tests/data/articles";
}

const char* const kArticle =
    "Minister Resigns Over Budget Row\n\nBy Jane Doe | March 3, 2021\n\n"
    "The finance minister resigned on Wednesday after a row over the budget, officials said.\n\n"
    "\xE2\x80\x9CI have done my duty,\xE2\x80\x9D the minister said.\n\nSource link\n";

TEST(ReadText, PlainTextArticle) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  dateline::ReadOptions options;
  options.id_root = dir.path();
  Result r = read(dir.path() / "a.txt", options);
  ASSERT_EQ(r.articles.size(), 1u) << ::testing::PrintToString(describe(r.diagnostics));
  const Article& a = r.articles[0];
  EXPECT_EQ(a.id, "a.txt");
  EXPECT_EQ(a.path, (dir.path() / "a.txt").string());
  EXPECT_EQ(a.title.value_or("-"), "Minister Resigns Over Budget Row");
  EXPECT_EQ(a.date.value_or("-"), "2021-03-03");
  ASSERT_EQ(a.passages.size(), 2u);
  EXPECT_EQ(a.passages[0].text,
            "The finance minister resigned on Wednesday after a row over the budget, officials said.");
  EXPECT_EQ(std::string(kArticle).substr(a.passages[1].begin, a.passages[1].end - a.passages[1].begin),
            a.passages[1].text);
  EXPECT_EQ(a.content_hash.size(), 16u);
  EXPECT_EQ(a.content_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(ReadText, ContentHashFollowsBytesAndOverrides) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  write(dir.path() / "b.txt", std::string(kArticle) + "\nOne more paragraph.\n");
  std::string ha = read(dir.path() / "a.txt").articles.at(0).content_hash;
  EXPECT_EQ(read(dir.path() / "a.txt").articles.at(0).content_hash, ha);  // stable
  EXPECT_NE(read(dir.path() / "b.txt").articles.at(0).content_hash, ha);
  write(dir.path() / "a.meta.json", R"({"author": "Jane Doe"})");
  EXPECT_NE(read(dir.path() / "a.txt").articles.at(0).content_hash, ha);
}

TEST(ReadText, ProvenanceOfExtractedFieldsOnly) {
  dateline::test::TempDir dir;
  write(dir.path() / "p.txt",
        "Bridge closed for repairs after cracks found\n\nBy Ann Author\nMarch 3, 2021\n\nThe city council "
        "voted on Tuesday to close the old bridge for repairs after inspectors found cracks.\n\nWork will "
        "start next month and is expected to last until the spring, officials said on Wednesday.\n");
  dateline::Article a = read(dir.path() / "p.txt").articles.at(0);
  EXPECT_EQ(a.provenance["title"].line, 1u);
  EXPECT_EQ(a.provenance["author"].text, "By Ann Author");
  EXPECT_EQ(a.provenance["date"].line, 4u);
  // A sidecar's value was not read from a line: its field has no provenance.
  write(dir.path() / "p.meta.json", R"({"author": "Jane Doe"})");
  dateline::Article b = read(dir.path() / "p.txt").articles.at(0);
  EXPECT_EQ(b.author.value_or(""), "Jane Doe");
  EXPECT_EQ(b.provenance.count("author"), 0u);
  EXPECT_EQ(b.provenance.count("title"), 1u);
}

TEST(ReadJsonLines, MalformedLineInTheMiddleIsReportedAndTheOthersRead) {
  dateline::test::TempDir dir;
  fs::path file = dir.path() / "news.jsonl";
  write(file,
        "{\"id\": \"one\", \"title\": \"First\", \"text\": \"First story text.\", \"outlet\": \"BBC News\", "
        "\"date\": \"2022-02-24T10:00:00Z\", \"author\": null, \"url\": null}\n"
        "{\"id\": \"two\", \"title\": \"Cut short\", \"text\": \"Second st\n"
        "\n"
        "{\"_id\": 4, \"title\": \"Fourth\", \"body\": \"Fourth story.\\n\\nSecond paragraph.\", \"lang\": "
        "\"en-GB\"}\n"
        "[1, 2, 3]\n"
        "{\"id\": \"six\", \"title\": \"No text\"}\n"
        "{\"title\": \"No id\", \"text\": \"Text without an id.\", \"date\": \"sometime last week\"}\n");
  dateline::ReadOptions options;
  options.id_root = dir.path();
  Result r = read(file, options);
  ASSERT_EQ(r.articles.size(), 3u);
  EXPECT_EQ(r.articles[0].id, "one");
  EXPECT_EQ(r.articles[0].path, file.string() + ":1");
  EXPECT_EQ(r.articles[0].date.value_or("-"), "2022-02-24");
  EXPECT_EQ(r.articles[0].title.value_or("-"), "First");
  EXPECT_FALSE(r.articles[0].author.has_value());  // null means absent
  EXPECT_FALSE(r.articles[0].url.has_value());
  ASSERT_EQ(r.articles[0].passages.size(), 1u);
  EXPECT_EQ(r.articles[0].passages[0].text, "First story text.");
  EXPECT_EQ(r.articles[1].id, "4");
  EXPECT_EQ(r.articles[1].language.value_or("-"), "en");
  ASSERT_EQ(r.articles[1].passages.size(), 2u);
  EXPECT_EQ(r.articles[1].passages[1].text, "Second paragraph.");
  EXPECT_EQ(r.articles[1].passages[1].begin, 15u);  // offsets into the record's decoded text
  EXPECT_EQ(r.articles[2].id, "news.jsonl:7");
  EXPECT_FALSE(r.articles[2].date.has_value());

  auto d = describe(r.diagnostics, dir.path());
  ASSERT_EQ(d.size(), 4u) << ::testing::PrintToString(d);
  EXPECT_EQ(d[0].rfind("news.jsonl:2: malformed JSON: parse error at column ", 0), 0u) << d[0];
  EXPECT_EQ(d[1], "news.jsonl:5: not a JSON object (array) [skipped]");
  EXPECT_EQ(d[2], "news.jsonl:6: record has no text (no \"text\" or \"body\" field) [skipped]");
  EXPECT_EQ(d[3],
            "news.jsonl:7: record date \"sometime last week\" is not a date I can read; date left unknown");
}

TEST(ReadJsonLines, DeepNestingIsRefusedWithoutCrashing) {
  std::string deep(100000, '[');
  std::string input = "{\"text\": " + deep + "\n{\"id\": \"ok\", \"text\": \"Still read.\"}\n";
  Result r = read_bytes(input, "deep.jsonl");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].id, "ok");
  EXPECT_EQ(
      describe(r.diagnostics),
      (std::vector<std::string>{"deep.jsonl:1: malformed JSON: nested deeper than 64 levels [skipped]"}));
}

TEST(ReadJsonLines, OutletIsCanonicalisedAndAuthorsJoined) {
  Result r = read_bytes(
      "{\"id\": \"x\", \"source\": \"washingtontimes.com\", \"authors\": [\"Jane Doe\", \"John Roe\"], "
      "\"published\": 1645660800, \"text\": \"Text.\"}\n");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].outlet.value_or("-"), "The Washington Times");
  EXPECT_EQ(r.articles[0].author.value_or("-"), "Jane Doe, John Roe");
  EXPECT_EQ(r.articles[0].date.value_or("-"), "2022-02-24");  // Unix seconds
}

TEST(ReadJson, TopLevelArrayWithABadElement) {
  dateline::test::TempDir dir;
  fs::path file = dir.path() / "batch.json";
  write(file,
        "[\n  {\"id\": \"a\", \"text\": \"Alpha text.\"},\n  {\"id\": \"b\", \"text\": 42},\n"
        "  {\"id\": \"c\",\n   \"text\": \"Gamma text.\"}\n]\n");
  Result r = read(file);
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[0].id, "a");
  EXPECT_EQ(r.articles[1].id, "c");
  EXPECT_EQ(r.articles[1].path, file.string() + ":4");
  EXPECT_EQ(describe(r.diagnostics, dir.path()),
            (std::vector<std::string>{"batch.json:3: field \"text\" is not a string (number) [skipped]"}));
}

TEST(ReadJson, UnterminatedArrayIsReported) {
  Result r = read_bytes("[{\"id\": \"a\", \"text\": \"Alpha.\"}, {\"id\": \"b\", \"te", "cut.json");
  ASSERT_EQ(r.articles.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].reason.rfind("malformed JSON: ", 0), 0u);
  EXPECT_EQ(r.diagnostics[1].reason, "malformed JSON: unterminated array (missing ']')");
}

TEST(ReadGzip, TextAndJsonLinesInsideGzip) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt.gz", gzip(kArticle));
  write(dir.path() / "b.jsonl.gz",
        gzip("{\"id\": \"1\", \"text\": \"One.\"}\n{\"id\": \"2\", \"text\": \"Two.\"}\n"));
  dateline::ReadOptions options;
  options.id_root = dir.path();
  Result a = read(dir.path() / "a.txt.gz", options);
  ASSERT_EQ(a.articles.size(), 1u);
  EXPECT_EQ(a.articles[0].id, "a.txt.gz");
  EXPECT_EQ(a.articles[0].title.value_or("-"), "Minister Resigns Over Budget Row");
  Result b = read(dir.path() / "b.jsonl.gz", options);
  EXPECT_EQ(b.articles.size(), 2u);
}

TEST(ReadGzip, CorruptGzipIsADiagnostic) {
  dateline::test::TempDir dir;
  std::string gz = gzip(std::string(kArticle) + std::string(3000, 'x'));
  write(dir.path() / "cut.txt.gz", gz.substr(0, gz.size() / 2));
  write(dir.path() / "fake.txt.gz", "not gzip at all");
  Result cut = read(dir.path() / "cut.txt.gz");
  EXPECT_TRUE(cut.articles.empty());
  EXPECT_EQ(describe(cut.diagnostics, dir.path()),
            (std::vector<std::string>{
                "cut.txt.gz:0: corrupt gzip: unexpected end of data (truncated file) [skipped]"}));
  Result fake = read(dir.path() / "fake.txt.gz");
  EXPECT_EQ(describe(fake.diagnostics, dir.path()),
            (std::vector<std::string>{"fake.txt.gz:0: corrupt gzip: not in gzip format [skipped]"}));
}

TEST(ReadOverrides, SidecarOverridesWhatIsExtracted) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  write(dir.path() / "a.meta.json",
        R"({"id": "custom-id", "outlet": "washingtontimes.com", "date": "24 Feb 2022", "title": null,
            "author": "Jane Doe", "url": "https://example.org/a", "tags": ["x"]})");
  Result r = read(dir.path() / "a.txt");
  ASSERT_EQ(r.articles.size(), 1u);
  const Article& a = r.articles[0];
  EXPECT_EQ(a.id, "custom-id");
  EXPECT_EQ(a.outlet.value_or("-"), "The Washington Times");
  EXPECT_EQ(a.date.value_or("-"), "2022-02-24");
  EXPECT_FALSE(a.title.has_value());  // null clears
  EXPECT_EQ(a.author.value_or("-"), "Jane Doe");
  EXPECT_EQ(a.url.value_or("-"), "https://example.org/a");
  EXPECT_EQ(describe(r.diagnostics, dir.path()),
            (std::vector<std::string>{"a.meta.json:0: unknown field \"tags\" ignored"}));
}

TEST(ReadOverrides, MalformedSidecarIsAWarningAndTheArticleIsRead) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  write(dir.path() / "a.meta.json", "{\"title\": ");
  Result r = read(dir.path() / "a.txt");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title.value_or("-"), "Minister Resigns Over Budget Row");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_FALSE(r.diagnostics[0].skipped);
  EXPECT_EQ(r.diagnostics[0].reason.rfind("malformed JSON: ", 0), 0u) << r.diagnostics[0].reason;
}

TEST(ReadOverrides, ManifestWinsOverSidecarAndAppliesToJsonLines) {
  dateline::test::TempDir dir;
  fs::create_directories(dir.path() / "sub");
  write(dir.path() / "sub/a.txt", kArticle);
  write(dir.path() / "sub/a.meta.json", R"({"author": "Sidecar Author", "language": "fr"})");
  write(dir.path() / "b.jsonl",
        "{\"id\": \"b1\", \"text\": \"One.\"}\n{\"id\": \"b2\", \"text\": \"Two.\"}\n");
  write(dir.path() / "manifest.jsonl",
        "{\"path\": \"sub/a.txt\", \"author\": \"Manifest Author\", \"date\": \"2020-01-02\"}\n"
        "{\"path\": \"" +
            (dir.path() / "b.jsonl").string() + "\", \"outlet\": \"Newsweek\", \"id\": \"nope\"}\n");
  dateline::Manifest m = dateline::read_manifest(dir.path() / "manifest.jsonl");
  EXPECT_EQ(m.by_path.size(), 2u);
  dateline::ReadOptions options;
  options.manifest = &m;
  options.id_root = dir.path();
  Result a = read(dir.path() / "sub/../sub/a.txt", options);
  ASSERT_EQ(a.articles.size(), 1u);
  EXPECT_EQ(a.articles[0].author.value_or("-"), "Manifest Author");
  EXPECT_EQ(a.articles[0].language.value_or("-"), "fr");
  EXPECT_EQ(a.articles[0].date.value_or("-"), "2020-01-02");
  EXPECT_EQ(a.articles[0].id, "sub/a.txt");
  Result b = read(dir.path() / "b.jsonl", options);
  ASSERT_EQ(b.articles.size(), 2u);
  EXPECT_EQ(b.articles[0].id, "b1");  // a manifest id cannot name many records
  EXPECT_EQ(b.articles[1].outlet.value_or("-"), "Newsweek");
  EXPECT_EQ(describe(b.diagnostics, dir.path()),
            (std::vector<std::string>{"b.jsonl:0: manifest \"id\" ignored for a file of many records"}));
}

TEST(ReadOverrides, OversizedSidecarIsAWarningAndTheArticleIsRead) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  // A valid JSON object one byte over the limit: refused on its size, not parsed.
  std::string side = "{\"title\": \"\"}";
  side.insert(side.size() - 2, dateline::kMaxSidecarBytes + 1 - side.size(), 'x');
  ASSERT_EQ(side.size(), dateline::kMaxSidecarBytes + 1);
  write(dir.path() / "a.meta.json", side);
  Result r = read(dir.path() / "a.txt");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title.value_or("-"), "Minister Resigns Over Budget Row");
  EXPECT_EQ(describe(r.diagnostics, dir.path()),
            (std::vector<std::string>{
                "a.meta.json:0: sidecar metadata larger than 1 MiB; overrides not applied"}));
  // At the limit it is read.
  side.erase(side.size() - 3, 1);
  write(dir.path() / "a.meta.json", side);
  Result at = read(dir.path() / "a.txt");
  ASSERT_EQ(at.articles.size(), 1u);
  EXPECT_TRUE(at.diagnostics.empty());
  EXPECT_EQ(at.articles[0].title.value_or("-").size(), dateline::kMaxSidecarBytes - 13);
}

TEST(ReadOverrides, SidecarProblemsCountTowardsTheFilesLimit) {
  dateline::test::TempDir dir;
  write(dir.path() / "a.txt", kArticle);
  std::string side = "{";
  for (int i = 0; i < 30; ++i) side += (i ? ", \"k" : "\"k") + std::to_string(i) + "\": 1";
  write(dir.path() / "a.meta.json", side + "}");
  dateline::ReadOptions options;
  options.max_diagnostics = 5;
  Result r = read(dir.path() / "a.txt", options);
  ASSERT_EQ(r.articles.size(), 1u);
  std::vector<std::string> d = describe(r.diagnostics, dir.path());
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(d[4], "a.meta.json:0: unknown field \"k12\" ignored");  // keys in nlohmann's sorted order
  EXPECT_EQ(d[5], "a.txt:0: 25 more problems not listed (0 of them skipped records)");  // a warning
}

TEST(ReadManifest, EndlessOrOversizedLineIsRefusedWithoutReadingOn) {
  dateline::test::TempDir dir;
  // /dev/zero: one endless line of NUL bytes. Refused after the first MiB, not read to the end.
  try {
    dateline::read_manifest("/dev/zero");
    ADD_FAILURE() << "no error for /dev/zero";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "/dev/zero:1: line longer than 1 MiB; not a manifest line (one article's path and metadata)");
  }
  // A long line after good ones names its line; a line of exactly the limit (plus "\r") is parsed.
  std::string ok = "{\"path\": \"a.txt\", \"title\": \"\"}";
  ok.insert(ok.size() - 2, dateline::kMaxManifestLineBytes - ok.size(), 'x');
  write(dir.path() / "m.jsonl", ok + "\r\n{\"path\": \"b.txt\"}\n" + std::string(2 << 20, 'y') + "\n");
  try {
    dateline::read_manifest(dir.path() / "m.jsonl");
    ADD_FAILURE() << "no error";
  } catch (const std::runtime_error& e) {
    std::string want = (dir.path() / "m.jsonl").string() + ":3: line longer than 1 MiB";
    EXPECT_EQ(std::string(e.what()).substr(0, want.size()), want);
  }
  write(dir.path() / "m.jsonl", ok + "\r\n{\"path\": \"b.txt\"}");  // no final newline
  dateline::Manifest m = dateline::read_manifest(dir.path() / "m.jsonl");
  EXPECT_EQ(m.by_path.size(), 2u);
}

TEST(ReadManifest, MalformedManifestThrowsWithFileAndLine) {
  dateline::test::TempDir dir;
  struct Case {
    const char* content;
    const char* reason;
  };
  for (const Case& c :
       {Case{"{\"path\": \"a.txt\"}\n{\"path\": \"b.txt\", \"autor\": \"x\"}\n",
             ":2: unknown field \"autor\""},
        Case{"{\"title\": \"x\"}\n", ":1: missing \"path\""},
        Case{"\n{\"path\": \"a.txt\"}\n{\"path\": \"./a.txt\"}\n", ":3: duplicate path \"./a.txt\""},
        Case{"{\"path\": \"a.txt\", \"title\": {\"x\": 1}}\n", ":1: field \"title\" must be"},
        Case{"{oops\n", ":1: malformed JSON: "}}) {
    write(dir.path() / "m.jsonl", c.content);
    try {
      dateline::read_manifest(dir.path() / "m.jsonl");
      ADD_FAILURE() << "no error for " << c.content;
    } catch (const std::runtime_error& e) {
      std::string what = e.what();
      std::string want = (dir.path() / "m.jsonl").string() + c.reason;
      EXPECT_EQ(what.substr(0, want.size()), want);
    }
  }
}

TEST(ReadEncoding, Windows1252IsConvertedWithAWarning) {
  Result r = read(data_dir() / "windows1252.txt");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].title.value_or("-"),
            "Minister\xE2\x80\x99s budget \xE2\x80\x9Cwins\xE2\x80\x9D approval");
  ASSERT_EQ(r.articles[0].passages.size(), 1u);
  EXPECT_EQ(r.articles[0].passages[0].text,
            "The caf\xC3\xA9 owners said the \xE2\x80\x9Cnew rules\xE2\x80\x9D were fair, according to the "
            "minister\xE2\x80\x99s office.");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_FALSE(r.diagnostics[0].skipped);
  EXPECT_EQ(r.diagnostics[0].line, 0u);
  EXPECT_NE(r.diagnostics[0].reason.find("windows-1252"), std::string::npos) << r.diagnostics[0].reason;
}

TEST(ReadEncoding, BinaryEmptyAndUnreadableFilesAreSkipped) {
  dateline::test::TempDir dir;
  write(dir.path() / "image.txt", std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x10", 20));
  write(dir.path() / "empty.txt", "");
  write(dir.path() / "blank.txt", "  \n\n\t \n");
  write(dir.path() / "furniture.txt", "Source link\n\nLeave a Reply\n");
  struct Case {
    const char* name;
    const char* diagnostic;
  };
  for (const Case& c :
       {Case{"image.txt", "image.txt:0: binary file [skipped]"},
        Case{"empty.txt", "empty.txt:0: empty [skipped]"}, Case{"blank.txt", "blank.txt:0: empty [skipped]"},
        Case{"furniture.txt",
             "furniture.txt:0: no article text (only a title, captions or page furniture) [skipped]"},
        Case{"missing.txt", "missing.txt:0: cannot open: No such file or directory [skipped]"}}) {
    Result r = read(dir.path() / c.name);
    EXPECT_TRUE(r.articles.empty()) << c.name;
    EXPECT_EQ(describe(r.diagnostics, dir.path()), (std::vector<std::string>{c.diagnostic}));
  }
  Result d = read(dir.path());
  EXPECT_EQ(describe(d.diagnostics),
            (std::vector<std::string>{dir.path().string() + ":0: is a directory [skipped]"}));
}

TEST(ReadBuffer, SniffsTheFormat) {
  Result text = read_bytes(kArticle, "-");
  ASSERT_EQ(text.articles.size(), 1u);
  EXPECT_EQ(text.articles[0].id, "-");
  Result jsonl = read_bytes("\n  {\"id\": \"x\", \"text\": \"Hello.\"}\n", "-");
  ASSERT_EQ(jsonl.articles.size(), 1u);
  EXPECT_EQ(jsonl.articles[0].id, "x");
  Result gz = read_bytes(gzip(kArticle), "-");
  EXPECT_EQ(gz.articles.size(), 1u);
}

TEST(ReadLimits, ArticleOfTooManyPassagesIsSkipped) {
  dateline::test::TempDir dir;
  std::string paragraphs;
  for (int i = 0; i < 60; ++i) paragraphs += "The harbour reopened on day " + std::to_string(i) + ".\n\n";
  write(dir.path() / "many.txt", "Harbour Reopens After Repairs\n\n" + paragraphs);
  std::string json_text;
  for (int i = 0; i < 60; ++i) json_text += "The harbour reopened on day " + std::to_string(i) + ".\\n\\n";
  write(dir.path() / "many.jsonl",
        "{\"id\": \"a\", \"text\": \"One.\"}\n{\"id\": \"b\", \"text\": \"" + json_text + "\"}\n");
  // At the limit both are read (the text's passage count is whatever the extractor makes of it)...
  dateline::ReadOptions options;
  Result ok = read(dir.path() / "many.txt", options);
  ASSERT_EQ(ok.articles.size(), 1u);
  size_t n = ok.articles[0].passages.size();
  ASSERT_GT(n, 50u);
  options.max_passages = n;
  EXPECT_EQ(read(dir.path() / "many.txt", options).articles.size(), 1u);
  options.max_passages = 60;
  EXPECT_EQ(read(dir.path() / "many.jsonl", options).articles.size(), 2u);
  // ... one passage fewer allowed and the article is skipped (the other record is still read).
  options.max_passages = n - 1;
  Result t = read(dir.path() / "many.txt", options);
  EXPECT_TRUE(t.articles.empty());
  EXPECT_EQ(describe(t.diagnostics, dir.path()),
            (std::vector<std::string>{"many.txt:0: article cut into more than " + std::to_string(n - 1) +
                                      " passages (skipped) [skipped]"}));
  options.max_passages = 59;
  Result j = read(dir.path() / "many.jsonl", options);
  ASSERT_EQ(j.articles.size(), 1u);
  EXPECT_EQ(describe(j.diagnostics, dir.path()),
            (std::vector<std::string>{
                "many.jsonl:2: article cut into more than 59 passages (skipped) [skipped]"}));
  EXPECT_EQ(dateline::ReadOptions{}.max_passages, dateline::kMaxPassages);
}

TEST(ReadBuffer, HugeJsonLineIsRead) {
  // Just under the article limit (8 MiB; it was 20 MiB of text before the limit came down from 32 MiB).
  std::string text;
  while (text.size() < dateline::kMaxArticleBytes - (64u << 10))
    text += "The quick brown fox jumps over the lazy dog. ";
  Result r = read_bytes("{\"id\": \"big\", \"text\": \"" + text + "\"}\n", "big.jsonl");
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_GT(r.articles[0].passages.size(), text.size() / 1200);
}

struct FileCase {
  const char* name;
  bool article;
};

class IsArticleFile : public ::testing::TestWithParam<FileCase> {};

TEST_P(IsArticleFile, Recognises) {
  EXPECT_EQ(dateline::is_article_file(GetParam().name), GetParam().article);
}

INSTANTIATE_TEST_SUITE_P(Names, IsArticleFile,
                         ::testing::Values(FileCase{"a.txt", true}, FileCase{"a.TXT", true},
                                           FileCase{"a.text", true}, FileCase{"a.jsonl", true},
                                           FileCase{"a.ndjson", true}, FileCase{"a.json", true},
                                           FileCase{"a.txt.gz", true}, FileCase{"dir/a.jsonl.gz", true},
                                           FileCase{"a.meta.json", false}, FileCase{"a.png", false},
                                           FileCase{"a.gz", false}, FileCase{"README", false},
                                           FileCase{"a.tar.gz", false}));

TEST(ExtractHeadline, TitleSubtitleAndBody) {
  struct Case {
    const char* text;
    const char* title;
    const char* subtitle;
  };
  for (const Case& c :
       {Case{"Headline Here\n\nDeck line under it\n\nBody paragraph that ends.\n", "Headline Here",
             "Deck line under it"},
        Case{"Repeated Headline\n\nRepeated Headline\nBody text follows.\n", "Repeated Headline", nullptr},
        Case{"December 6, 2023\n\nNot A Title\n", nullptr, nullptr},
        Case{"This first line is a sentence and it ends with a period like a paragraph.\n", nullptr, nullptr},
        Case{"Advertisement\nReal Headline After Furniture\n\nBody.\n", "Real Headline After Furniture",
             nullptr},
        Case{"U.S. Troops Head Home From the U.S.\n\nBody text here.\n",
             "U.S. Troops Head Home From the U.S.", nullptr},
        Case{"lowercase start is not a headline\n\nBody.\n", nullptr, nullptr}, Case{"", nullptr, nullptr}}) {
    dateline::Headline h = dateline::extract_headline(c.text);
    EXPECT_EQ(h.title.value_or("<none>"), c.title ? c.title : "<none>") << c.text;
    EXPECT_EQ(h.subtitle.value_or("<none>"), c.subtitle ? c.subtitle : "<none>") << c.text;
  }
}

// json_depth() skips string contents eight bytes at a time: the same depths as a byte-by-byte scan, with
// brackets, quotes and backslashes at every offset of a string (escaped quotes, escaped backslashes before a
// closing quote, brackets inside strings that must not count).
TEST(JsonDepth, SkipsStringsAsAByteScanWould) {
  auto reference = [](std::string_view s, size_t limit) {
    size_t depth = 0, deepest = 0;
    bool in_string = false, escape = false;
    for (char c : s) {
      if (in_string) {
        if (escape) {
          escape = false;
        } else if (c == '\\') {
          escape = true;
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        deepest = std::max(deepest, ++depth);
        if (deepest > limit) return deepest;
      } else if ((c == ']' || c == '}') && depth > 0) {
        --depth;
      }
    }
    return deepest;
  };
  const std::vector<std::string> pieces = {"abcdefgh", "[{", "\\\"", "\\\\", "}]", "x", "\"", "[[[", "ij\\n", "]"};
  size_t checked = 0;
  for (size_t pad = 0; pad < 9; ++pad) {
    for (size_t a = 0; a < pieces.size(); ++a) {
      for (size_t b = 0; b < pieces.size(); ++b) {
        std::string text = "{\"text\": \"" + std::string(pad, 'p') + pieces[a] + std::string(pad, 'q') + pieces[b];
        text += "\", \"n\": [[{\"deep\": \"" + pieces[b] + "\"}]]}";
        for (size_t limit : {size_t{2}, size_t{100}}) {
          ASSERT_EQ(dateline::reading::json_depth(text, limit), reference(text, limit)) << text;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 9u * 10u * 10u * 2u);
  EXPECT_EQ(dateline::reading::json_depth("{\"a\": \"[[[[ not counted ]]]] \\\" still not\", \"b\": [1]}", 100), 2u);
}

// flat_json_object() reads the records nlohmann would read the same way, and hands every other input back
// (std::nullopt) for nlohmann to parse: it never accepts what nlohmann rejects, never reads a value otherwise.
TEST(FlatJsonObject, ReadsFlatRecordsAsNlohmannDoesAndHandsBackTheRest) {
  using dateline::reading::flat_json_object;
  using nlohmann::json;
  const std::vector<std::string> read = {
      R"({"id": "bbc-001", "outlet": "BBC News", "date": null, "text": "Profits rose.\n\nShares fell."})",
      R"(  {"a":"x" , "b" :true,"c":false ,"d":null}  )",
      "{}",
      " { } \r\n",
      R"({"k": "quote \" backslash \\ slash \/ \b\f\n\r\t end"})",
      R"({"k": "\u00e9t\u00C9 \u2019 \u0041 \u0000"})",
      "{\"k\": \"caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D \xF0\x9F\x98\x80\"}",
      R"({"k": "first", "k": "last"})",  // nlohmann keeps the last
      R"({"": ""})",
      "{\"k\": \"del \x7F\"}",
  };
  for (const std::string& in : read) {
    const std::optional<json> got = flat_json_object(in);
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, json::parse(in)) << in;
    EXPECT_EQ(got->dump(), json::parse(in).dump()) << in;
  }
  EXPECT_EQ((*flat_json_object(R"({"k": "first", "k": "last"})"))["k"], "last");
  const std::vector<std::string> handed_back = {
      R"({"n": 1})",                  // numbers are nlohmann's
      R"({"a": ["x"]})",              // arrays
      R"({"o": {"k": "v"}})",         // objects
      R"({"k": "\ud83d\ude00"})",     // surrogates
      R"({"k": "\udc00"})",
      "\xEF\xBB\xBF{\"k\": \"v\"}",   // a BOM
      R"(["k"])",
      R"({"k": "v"} x)",              // malformed below
      R"({"k": "v",})",
      R"({"k" "v"})",
      R"({k: "v"})",
      R"({"k": "v")",
      R"({"k": "v)",
      R"({"k": nul})",
      R"({"k": nullx})",
      R"({"k": "\x"})",
      R"({"k": "\u12G4"})",
      "{\"k\": \"tab\there\"}",       // a raw control character
      "{\"k\": \"\xC3\"}",            // invalid UTF-8: truncated, overlong, surrogate, stray continuation
      "{\"k\": \"\xC0\xAF\"}",
      "{\"k\": \"\xED\xA0\x80\"}",
      "{\"k\": \"\x80\"}",
      "",
      "   ",
  };
  for (const std::string& in : handed_back) EXPECT_FALSE(flat_json_object(in).has_value()) << in;
  // Long strings are read eight bytes at a time: an escape, a multi-byte character or a control character
  // at each offset of a block is still seen.
  for (size_t at = 0; at < 20; ++at) {
    for (const std::string special : {"\\n", "\\\"", "\\\\", "\xC3\xA9", "\xE2\x80\x9C"}) {
      const std::string in = "{\"k\": \"" + std::string(at, 'x') + special + std::string(13, 'y') + "\"}";
      const std::optional<json> got = flat_json_object(in);
      ASSERT_TRUE(got.has_value()) << in;
      EXPECT_EQ(*got, json::parse(in)) << in;
    }
    for (const std::string& bad : std::vector<std::string>{"\t", std::string(1, '\0'), "\x1F", "\xC3", "\xFF"}) {
      const std::string in = "{\"k\": \"" + std::string(at, 'x') + bad + std::string(13, 'y') + "\"}";
      EXPECT_FALSE(flat_json_object(in).has_value()) << in;
    }
  }
}

}  // namespace
