/** @file
 *  @brief Unit tests of the WARC reader: gzip members, chunked and content-coded bodies, skipped records,
 *  truncation, and articles from archived pages.
 */
#include "articles/warc.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <string>
#include <vector>

namespace dateline {
namespace {

std::string gzip(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string record(const std::string& type, const std::string& uri, const std::string& block,
                   const std::string& content_type = "application/http; msgtype=response") {
  return "WARC/1.0\r\nWARC-Type: " + type + "\r\nWARC-Target-URI: " + uri +
         "\r\nWARC-Date: 2019-11-20T08:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: " + content_type +
         "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n" + block + "\r\n\r\n";
}

std::string http(const std::string& body, const std::string& headers = "Content-Type: text/html; charset=utf-8\r\n",
                 const std::string& status = "200 OK") {
  return "HTTP/1.1 " + status + "\r\n" + headers + "\r\n" + body;
}

const std::string kPage =
    "<!DOCTYPE html><html lang=en><head><title>Bridge closed after cracks found</title>"
    "<meta property=\"article:published_time\" content=\"2019-11-19T10:00:00Z\"></head><body><article>"
    "<p>The council voted on Tuesday to close the old bridge, after engineers found cracks in two of its "
    "supports, and to open a ferry service while it is rebuilt.</p>"
    "<p>\"We cannot take chances with people's lives,\" said Maria Lopez, the mayor, who proposed the closure "
    "last month, after a report by the county's engineers.</p></article></body></html>";

ByteReader reader_of(const std::string& bytes, size_t step = SIZE_MAX) {
  auto pos = std::make_shared<size_t>(0);
  return [&bytes, pos, step](char* buf, size_t n, std::string&) {
    size_t k = std::min({n, step, bytes.size() - *pos});
    std::memcpy(buf, bytes.data() + *pos, k);
    *pos += k;
    return k;
  };
}

struct Result {
  std::vector<WarcRecord> records;
  std::vector<Diagnostic> diags;
  WarcStats stats;
};

Result read(const std::string& bytes, size_t step = SIZE_MAX, size_t max_payload = size_t{32} << 20) {
  Result r;
  WarcOptions o;
  o.max_payload_bytes = max_payload;
  r.stats = read_warc(reader_of(bytes, step), "t.warc.gz", o, [&](WarcRecord&& w) { r.records.push_back(std::move(w)); },
                      r.diags);
  return r;
}

TEST(Warc, PlainAndOneGzipMemberPerRecord) {
  std::string a = record("warcinfo", "", "software: test\r\n", "application/warc-fields");
  std::string b = record("request", "http://example.com/a", "GET /a HTTP/1.1\r\n\r\n", "application/http; msgtype=request");
  std::string c = record("response", "http://example.com/a", http(kPage));
  std::string d = record("response", "<http://example.com/b>", http(kPage));
  for (bool gz : {false, true}) {
    std::string bytes = gz ? gzip(a) + gzip(b) + gzip(c) + gzip(d) : a + b + c + d;
    for (size_t step : {SIZE_MAX, size_t{1}, size_t{7}}) {
      Result r = read(bytes, step);
      EXPECT_TRUE(r.diags.empty()) << r.diags[0].reason;
      ASSERT_EQ(r.records.size(), 2u);
      EXPECT_EQ(r.records[0].number, 3u);
      EXPECT_EQ(r.records[0].target_uri, "http://example.com/a");
      EXPECT_EQ(r.records[1].target_uri, "http://example.com/b");
      EXPECT_EQ(r.records[0].payload, kPage);
      EXPECT_EQ(r.records[0].date, "2019-11-20T08:00:00Z");
      EXPECT_EQ(r.stats.records, 4u);
      EXPECT_EQ(r.stats.input_bytes, bytes.size());
    }
  }
}

TEST(Warc, ChunkedAndContentEncodingUndone) {
  std::string chunked;
  for (size_t i = 0; i < kPage.size(); i += 100) {
    std::string piece = kPage.substr(i, 100);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", piece.size());
    chunked += std::string(size) + ";ext=1\r\n" + piece + "\r\n";
  }
  chunked += "0\r\n\r\n";
  std::string gz_body = gzip(kPage);
  std::string gz_chunked = "10\r\n" + gz_body.substr(0, 16) + "\r\n" +
                           [&] { char s[16]; std::snprintf(s, sizeof s, "%zx", gz_body.size() - 16); return std::string(s); }() +
                           "\r\n" + gz_body.substr(16) + "\r\n0\r\n\r\n";
  std::string bytes =
      record("response", "http://e.com/1", http(chunked, "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n")) +
      record("response", "http://e.com/2", http(gz_body, "Content-Type: text/html\r\nContent-Encoding: gzip\r\n")) +
      record("response", "http://e.com/3",
             http(gz_chunked, "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"));
  Result r = read(gzip(bytes));
  EXPECT_TRUE(r.diags.empty()) << r.diags[0].reason;
  ASSERT_EQ(r.records.size(), 3u);
  for (const auto& rec : r.records) EXPECT_EQ(rec.payload, kPage) << rec.target_uri;
}

TEST(Warc, OtherTypesRevisitsAndErrorsSkippedAndCounted) {
  std::string bytes = record("response", "http://e.com/logo.png", http("PNG", "Content-Type: image/png\r\n")) +
                      record("revisit", "http://e.com/a", http("", "Content-Type: text/html\r\n")) +
                      record("response", "http://e.com/old", http("", "Location: /new\r\n", "301 Moved")) +
                      record("resource", "file:///page.html", kPage, "text/html") +
                      record("response", "http://e.com/br", http(kPage, "Content-Type: text/html\r\nContent-Encoding: br\r\n"));
  Result r = read(bytes);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].type, "resource");
  EXPECT_EQ(r.stats.not_html, 1u);
  EXPECT_EQ(r.stats.skipped_types.at("image/png"), 1u);
  EXPECT_EQ(r.stats.revisits, 1u);
  EXPECT_EQ(r.stats.not_ok, 1u);
  ASSERT_EQ(r.diags.size(), 1u);  // the unsupported content coding, with its record number
  EXPECT_EQ(r.diags[0].line, 5u);
  EXPECT_NE(r.diags[0].reason.find("\"br\" not supported"), std::string::npos);
}

TEST(Warc, TruncatedAndCorruptGiveDiagnosticsNotCrashes) {
  std::string good = record("response", "http://e.com/a", http(kPage));
  std::string whole = good + good;
  // A record cut short: the first is handed on, the second reported.
  Result r = read(whole.substr(0, whole.size() - 200));
  EXPECT_EQ(r.records.size(), 1u);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].line, 2u);
  EXPECT_NE(r.diags[0].reason.find("truncated"), std::string::npos);
  // A gzip member cut short.
  std::string gz = gzip(good) + gzip(good);
  Result g = read(gz.substr(0, gz.size() - 30));
  EXPECT_EQ(g.records.size(), 1u);
  ASSERT_FALSE(g.diags.empty());
  EXPECT_NE(g.diags.back().reason.find("gzip"), std::string::npos);
  // Not a WARC at all.
  Result n = read("hello world\n");
  EXPECT_TRUE(n.records.empty());
  ASSERT_EQ(n.diags.size(), 1u);
  EXPECT_NE(n.diags[0].reason.find("not a WARC record header"), std::string::npos);
  // A bad Content-Length.
  Result l = read("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: x1\r\n\r\n");
  ASSERT_EQ(l.diags.size(), 1u);
  EXPECT_NE(l.diags[0].reason.find("Content-Length"), std::string::npos);
  // Malformed chunking skips the record only.
  Result c = read(record("response", "http://e.com/c", http("zz\r\nabc", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n")) + good);
  EXPECT_EQ(c.records.size(), 1u);
  ASSERT_EQ(c.diags.size(), 1u);
  EXPECT_NE(c.diags[0].reason.find("chunked"), std::string::npos);
  // Empty input: nothing, no complaint.
  EXPECT_TRUE(read("").diags.empty());
}

TEST(Warc, OversizedPayloadSkipped) {
  std::string bytes = record("response", "http://e.com/big", http(kPage)) + record("response", "http://e.com/a", http(kPage));
  Result r = read(bytes, SIZE_MAX, 100);
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(r.stats.oversized, 2u);
  ASSERT_EQ(r.diags.size(), 2u);
  EXPECT_NE(r.diags[0].reason.find("larger than 100 bytes"), std::string::npos);
}

TEST(Warc, ArticlesKeyedByTargetUriAndBoundedByCrawlDate) {
  std::string future = kPage;
  future.replace(future.find("2019-11-19"), 10, "2031-01-01");
  std::string bytes = gzip(record("response", "http://example.com/a", http(kPage))) +
                      gzip(record("response", "http://example.com/f", http(future))) +
                      gzip(record("response", "http://example.com/x.css", http("body{}", "Content-Type: text/css\r\n")));
  std::vector<Article> out;
  std::vector<Diagnostic> d;
  ReadOptions o;
  WarcStats s = read_warc_articles(reader_of(bytes), "c.warc.gz", o, [&](Article&& a) { out.push_back(std::move(a)); }, d);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, "http://example.com/a");
  EXPECT_EQ(out[0].url, "http://example.com/a");
  EXPECT_EQ(out[0].path, "c.warc.gz:1");
  EXPECT_EQ(out[0].date, "2019-11-19");
  EXPECT_EQ(out[0].title, "Bridge closed after cracks found");
  EXPECT_FALSE(out[1].date.has_value());  // stated after the crawl (2019-11-20): refused
  EXPECT_EQ(s.html, 2u);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_FALSE(d[0].skipped);
  EXPECT_EQ(d[0].reason, "2 HTML pages read; 1 records skipped: 1 not HTML (text/css 1)");
  // The same bytes give the same ids and hashes (re-indexing a crawl is idempotent).
  std::vector<Article> again;
  read_warc_articles(reader_of(bytes), "c.warc.gz", o, [&](Article&& a) { again.push_back(std::move(a)); }, d);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].content_hash, out[0].content_hash);
  EXPECT_NE(out[0].content_hash, out[1].content_hash);
}

TEST(Warc, FileNames) {
  EXPECT_TRUE(is_warc_file_name("a.warc"));
  EXPECT_TRUE(is_warc_file_name("A.WARC.GZ"));
  EXPECT_FALSE(is_warc_file_name("a.warc.txt"));
  EXPECT_FALSE(is_warc_file_name("warc"));
}

}  // namespace
}  // namespace dateline
