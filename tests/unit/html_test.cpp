/** @file
 *  @brief Unit tests of the HTML reader: charset order, JSON-LD/meta/markup metadata, the content scorer.
 */
#include "articles/html.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "articles/reader.h"

namespace dateline {
namespace {

std::string page(const std::string& head, const std::string& body) {
  return "<!DOCTYPE html><html lang=\"en-US\"><head><meta charset=\"utf-8\">" + head + "</head><body>" + body +
         "</body></html>";
}

const std::string kParagraphs =
    "<p>The council voted on Tuesday to close the old bridge, after engineers found cracks in two of its "
    "supports, and to open a ferry service while it is rebuilt.</p>"
    "<p>\"We cannot take chances with people's lives,\" said Maria Lopez, the mayor, who proposed the "
    "closure last month, after a report by the county's engineers.</p>"
    "<p>The ferry will run every twenty minutes from six in the morning, the council said, and it will be "
    "free for residents, at least until the end of the year.</p>";

Article read_one(const std::string& html, std::vector<Diagnostic>* diags = nullptr) {
  std::vector<Article> out;
  std::vector<Diagnostic> d;
  read_buffer(html, "page.html", ReadOptions{}, [&](Article&& a) { out.push_back(std::move(a)); }, d);
  if (diags != nullptr) *diags = d;
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? Article{} : out.front();
}

std::string sources_of(const Article& a, const std::string& field) {
  auto it = a.sources.find(field);
  return it == a.sources.end() ? "" : it->second;
}

TEST(HtmlCharset, BomThenTransportThenMetaThenDetection) {
  std::string meta_latin = "<html><head><meta charset=\"iso-8859-2\"></head><body>x</body></html>";
  EXPECT_EQ(sniff_html_charset("\xEF\xBB\xBF" + meta_latin, "windows-1251").source, "bom");
  HtmlCharset t = sniff_html_charset(meta_latin, "windows-1251");
  EXPECT_EQ(t.source, "transport");
  EXPECT_EQ(t.name, "windows-1251");
  HtmlCharset m = sniff_html_charset(meta_latin, "");
  EXPECT_EQ(m.source, "meta");
  EXPECT_EQ(m.name, "iso-8859-2");
  // http-equiv form; an unknown transport label is passed over.
  HtmlCharset h = sniff_html_charset(
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head>", "bogus");
  EXPECT_EQ(h.source, "meta");
  EXPECT_EQ(h.name, "shift_jis");
  // Latin-1 means windows-1252; a meta cannot say UTF-16.
  EXPECT_EQ(sniff_html_charset("<meta charset=latin1>", "").name, "windows-1252");
  EXPECT_EQ(sniff_html_charset("<meta charset=utf-16>", "").name, "UTF-8");
  // A meta past the first 1024 bytes does not count.
  std::string late = "<html><!--" + std::string(1100, 'x') + "--><meta charset=\"iso-8859-2\">";
  EXPECT_EQ(sniff_html_charset(late, "").source, "detected");
  // A meta inside a comment does not count either.
  EXPECT_EQ(sniff_html_charset("<!-- <meta charset=koi8-r> --><p>plain</p>", "").source, "detected");
  EXPECT_EQ(content_type_charset("text/html; charset=\"ISO-8859-1\""), "ISO-8859-1");
  EXPECT_EQ(content_type_charset("text/html"), "");
}

TEST(HtmlCharset, DecodesDeclaredCharset) {
  // "café" in windows-1252, declared by the meta tag.
  std::string html = "<html><head><meta charset=\"windows-1252\"><title>Caf\xE9 owners win award</title>"
                     "</head><body><article>" + kParagraphs + "<p>Le caf\xE9 est ouvert tous les jours de la "
                     "semaine, sauf le lundi, depuis quarante ans.</p></article></body></html>";
  std::vector<Diagnostic> d;
  Article a = read_one(html, &d);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(a.title, "Caf\xC3\xA9 owners win award");
  ASSERT_FALSE(a.passages.empty());
  EXPECT_NE(a.passages.back().text.find("caf\xC3\xA9"), std::string::npos);
}

TEST(HtmlSniff, LooksLikeHtml) {
  EXPECT_TRUE(looks_like_html("  <!DOCTYPE html><html>"));
  EXPECT_TRUE(looks_like_html("\xEF\xBB\xBF<html lang=en>"));
  EXPECT_TRUE(looks_like_html("<!-- saved --><html>"));
  EXPECT_FALSE(looks_like_html("<b>not a page</b>"));
  EXPECT_FALSE(looks_like_html("Plain text about <html> tags"));
  EXPECT_FALSE(looks_like_html("{\"html\": 1}"));
}

TEST(HtmlMetadata, JsonLdNewsArticleWins) {
  std::string head =
      "<title>Other title | Example News</title>"
      "<meta property=\"og:title\" content=\"Bridge closed after cracks found\">"
      "<meta property=\"og:site_name\" content=\"Example News\">"
      "<meta property=\"article:published_time\" content=\"2021-03-05T10:00:00Z\">"
      "<meta name=\"author\" content=\"Someone Else\">"
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\","
      "\"headline\":\"Bridge closed after cracks found\",\"datePublished\":\"2021-03-04T22:00:00-05:00\","
      "\"author\":{\"@type\":\"Person\",\"name\":\"Jane Roe\"},"
      "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Example News\"}}</script>";
  Article a = read_one(page(head, "<h1>Bridge closed after cracks found</h1><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(a.title, "Bridge closed after cracks found");
  EXPECT_EQ(sources_of(a, "title"), "jsonld");
  EXPECT_EQ(a.date, "2021-03-04");  // as written in the stamp, not converted to UTC
  EXPECT_EQ(sources_of(a, "date"), "jsonld");
  EXPECT_EQ(a.author, "Jane Roe");
  EXPECT_EQ(sources_of(a, "author"), "jsonld");
  EXPECT_EQ(a.outlet, "Example News");
  EXPECT_EQ(sources_of(a, "outlet"), "jsonld");
  EXPECT_EQ(a.language, "en");
}

TEST(HtmlMetadata, JsonLdGraphArraysAndAuthorForms) {
  std::string graph =
      "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
      "{\"@type\":\"WebSite\",\"@id\":\"#site\",\"name\":\"Graph Times\"},"
      "{\"@type\":\"Person\",\"@id\":\"#p1\",\"name\":\"Ann Lee\"},"
      "{\"@type\":[\"NewsArticle\"],\"headline\":\"Graph headline here\",\"datePublished\":\"2020-01-02\","
      "\"author\":[{\"@id\":\"#p1\"},{\"@type\":\"Person\",\"name\":\"Bo Chan\"}],"
      "\"publisher\":{\"@id\":\"#site\"}}]}</script>";
  HtmlPage p = parse_html(page(graph, kParagraphs));
  ASSERT_FALSE(p.titles.empty());
  EXPECT_EQ(p.titles.front().value, "Graph headline here");
  ASSERT_FALSE(p.authors.empty());
  EXPECT_EQ(p.authors.front().value, "Ann Lee, Bo Chan");
  EXPECT_FALSE(p.authors.front().organization);
  ASSERT_FALSE(p.outlets.empty());
  EXPECT_EQ(p.outlets.front().value, "Graph Times");

  // A top-level array, an author given as a string with "By ".
  HtmlPage s = parse_html(page("<script type=\"application/ld+json\">[{\"@type\":\"Article\",\"headline\":\"H\","
                               "\"author\":\"By Carl Diaz\"}]</script>", kParagraphs));
  ASSERT_FALSE(s.authors.empty());
  EXPECT_EQ(s.authors.front().value, "Carl Diaz");

  // Broken JSON-LD is ignored, never fatal.
  HtmlPage bad = parse_html(page("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",</script>"
                                 "<meta name=\"author\" content=\"Dee Fox\">", kParagraphs));
  ASSERT_FALSE(bad.authors.empty());
  EXPECT_EQ(bad.authors.front().value, "Dee Fox");
  EXPECT_EQ(bad.authors.front().source, "meta");
}

TEST(HtmlMetadata, OrganizationNeverReplacesPersonalByline) {
  std::string head =
      "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Bridge closed\","
      "\"author\":{\"@type\":\"Organization\",\"name\":\"Example News\"}}</script>";
  // The page shows a personal byline (rel=author): it wins over the JSON-LD organisation.
  Article a = read_one(page(head, "<h1>Bridge closed</h1><p class=\"byline\">By <a rel=\"author\" href=\"/a\">"
                                  "Jane Roe</a></p><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(a.author, "Jane Roe");
  EXPECT_EQ(sources_of(a, "author"), "time");
  // Without a personal byline, the organisation is the author.
  Article b = read_one(page(head, "<h1>Bridge closed</h1><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(b.author, "Example News");
  EXPECT_EQ(sources_of(b, "author"), "jsonld");
}

TEST(HtmlMetadata, MetaFallbacksThenTimeThenText) {
  // No JSON-LD: OpenGraph and article: meta, the postlight-style value attribute.
  Article a = read_one(page("<meta property=\"og:title\" content=\"Ferry to replace the old bridge\">"
                            "<meta name=\"author\" value=\"Kim Park\">"
                            "<meta name=\"pubdate\" content=\"20210304\">"
                            "<meta property=\"article:published_time\" content=\"2021-03-04T08:00:00+01:00\">",
                            "<h1>Ferry to replace the old bridge</h1><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(a.title, "Ferry to replace the old bridge");
  EXPECT_EQ(sources_of(a, "title"), "meta");
  EXPECT_EQ(a.author, "Kim Park");
  EXPECT_EQ(sources_of(a, "author"), "meta");
  EXPECT_EQ(a.date, "2021-03-04");
  EXPECT_EQ(sources_of(a, "date"), "meta");

  // Only <time datetime> and itemprop markup.
  Article t = read_one(page("", "<h1>Ferry to replace the old bridge</h1><div class=\"meta\"><time datetime=\"2019-"
                                "11-18T10:00:00Z\">Nov. 18</time> <span itemprop=\"author\" itemscope><span "
                                "itemprop=\"name\">Lu Wen</span></span></div><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(t.date, "2019-11-18");
  EXPECT_EQ(sources_of(t, "date"), "time");
  EXPECT_EQ(t.author, "Lu Wen");
  EXPECT_EQ(sources_of(t, "author"), "time");

  // Nothing in the markup: the copied-text rules read the byline and date line.
  Article x = read_one(page("", "<h1>Ferry to replace the old bridge</h1><p class=\"byline\">By Sam Ortiz</p>"
                                "<p class=\"dateline\">March 4, 2021</p><article>" + kParagraphs + "</article>"));
  EXPECT_EQ(x.title, "Ferry to replace the old bridge");
  EXPECT_EQ(sources_of(x, "title"), "text");
  EXPECT_EQ(x.author, "Sam Ortiz");
  EXPECT_EQ(sources_of(x, "author"), "text");
  EXPECT_EQ(x.date, "2021-03-04");
  EXPECT_EQ(sources_of(x, "date"), "text");
}

TEST(HtmlMetadata, OutletFromSiteNameOrDomain) {
  auto outlet = [](const std::string& head) {
    return html_article(parse_html(page(head, "<article>" + kParagraphs + "</article>")), {}, "id", "p").outlet;
  };
  // A site name the gazetteer knows, with a tagline cut.
  EXPECT_EQ(outlet("<meta property=\"og:site_name\" content=\"Reuters | Breaking News\">"), "Reuters");
  // The name is only the start of the domain: the domain's outlet.
  EXPECT_EQ(outlet("<meta property=\"og:site_name\" content=\"reuters\"><link rel=\"canonical\" "
                   "href=\"https://www.reuters.com/a\">"),
            "Reuters");
  // A name of its own beats a known parent domain.
  EXPECT_EQ(outlet("<meta property=\"og:site_name\" content=\"Reuters Money Desk Daily\"><link rel=\"canonical\" "
                   "href=\"https://money.reuters.com/a\">"),
            "Reuters Money Desk Daily");
  // No name stated: the domain.
  EXPECT_EQ(outlet("<link rel=\"canonical\" href=\"https://www.reuters.com/a\">"), "Reuters");
  // A news service named as publisher yields to the site's name.
  EXPECT_EQ(outlet("<meta property=\"og:site_name\" content=\"Daily Example\"><script type=\"application/ld+json\">"
                   "{\"@type\":\"NewsArticle\",\"publisher\":{\"name\":\"DE News Service\"}}</script>"),
            "Daily Example");
}

TEST(HtmlMetadata, CrawlDateBoundsPublication) {
  std::string html = page("<meta property=\"article:published_time\" content=\"2030-01-01\">"
                          "<meta name=\"date\" content=\"2019-05-06\">",
                          "<article>" + kParagraphs + "</article>");
  HtmlContext ctx;
  ctx.crawl_date = "2020-01-01";
  Article a = html_article(parse_html(html, ctx), ctx, "id", "path");
  EXPECT_EQ(a.date, "2019-05-06");  // a page is not published after it was crawled
  Article b = html_article(parse_html(html), {}, "id", "path");
  EXPECT_EQ(b.date, "2030-01-01");
}

TEST(HtmlContent, KeepsArticleDropsFurniture) {
  std::string body =
      "<header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav></header>"
      "<div id=\"main\"><h1>Bridge closed after cracks found</h1>"
      "<div class=\"story-body\">" + kParagraphs +
      "<h2>What happens next</h2><p>Work on the new bridge starts in spring, and it should take two years, "
      "according to the county, which will pay most of the cost.</p>"
      "<figure><img src=\"b.jpg\"><figcaption>The old bridge on Monday. (Photo: Jo Smith)</figcaption></figure>"
      "</div>"
      "<aside class=\"related\"><ul><li><a href=\"/1\">Another story about bridges and ferries</a></li>"
      "<li><a href=\"/2\">Council budget approved after long debate</a></li></ul></aside>"
      "<div class=\"comments\"><p>Great article, thanks for sharing this with us all, really.</p></div></div>"
      "<div class=\"sidebar\"><p>Most read: Ten things to do this weekend in the city, with friends.</p></div>"
      "<footer><p>Copyright 2021 Example News, all rights reserved, and so on and so forth.</p></footer>";
  HtmlPage p = parse_html(page("", body));
  EXPECT_NE(p.body.find("The council voted on Tuesday"), std::string::npos);
  EXPECT_NE(p.body.find("What happens next"), std::string::npos);
  EXPECT_NE(p.body.find("Work on the new bridge"), std::string::npos);
  EXPECT_EQ(p.body.find("Home"), std::string::npos);
  EXPECT_EQ(p.body.find("Another story"), std::string::npos);
  EXPECT_EQ(p.body.find("Great article"), std::string::npos);
  EXPECT_EQ(p.body.find("Most read"), std::string::npos);
  EXPECT_EQ(p.body.find("Copyright"), std::string::npos);
  EXPECT_EQ(p.body.find("The old bridge on Monday"), std::string::npos);
  ASSERT_EQ(p.captions.size(), 1u);
  EXPECT_EQ(p.captions[0], "The old bridge on Monday. (Photo: Jo Smith)");
  // Paragraphs are blocks of their own; the headline is not repeated in the body.
  EXPECT_EQ(p.body.find("Bridge closed after cracks found"), std::string::npos);
  EXPECT_NE(p.body.find("supports, and to open a ferry service while it is rebuilt.\n\n\"We cannot"),
            std::string::npos);

  Article a = html_article(p, {}, "id", "path");
  EXPECT_EQ(a.title, "Bridge closed after cracks found");
  ASSERT_GE(a.passages.size(), 5u);
  EXPECT_EQ(a.passages.back().text, "The old bridge on Monday. (Photo: Jo Smith)");
  EXPECT_TRUE(a.passages.back().speakers.empty());
  bool lopez = false;
  for (const auto& ps : a.passages)
    for (const auto& s : ps.speakers) lopez |= s == "Maria Lopez";
  EXPECT_TRUE(lopez);
}

TEST(HtmlContent, ShortAndRepeatedParagraphsOfTheBodyStay) {
  // The content scorer has chosen the body: its short paragraphs, and one said three times, are text. The
  // copied-text layout rules would take them for page chrome (they once cut main-text recall 0.974 -> 0.938).
  std::string body = "<article><h1>Council Votes To Close The Old Bridge</h1>";
  body += "<p>The city council voted on Tuesday to close the old bridge for repairs after inspectors found "
          "cracks in two of its piers.</p>";
  for (int i = 0; i < 3; ++i) body += "<p>Vote now.</p>";
  body += "<p>Yes.</p><p>Work will start next month and is expected to last until the spring, officials "
          "said on Wednesday.</p></article>";
  Article a = html_article(parse_html(page("", body)), {}, "id", "path");
  size_t votes = 0, yes = 0;
  for (const auto& p : a.passages) {
    votes += p.text.find("Vote now.") != std::string::npos;
    yes += p.text.find("Yes.") != std::string::npos;
  }
  EXPECT_EQ(votes, 3u);
  EXPECT_EQ(yes, 1u);
}

TEST(HtmlContent, HostileInputsDoNotCrash) {
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  deep += "text";
  // Nesting deeper than 4096 elements is cut there (gumbo slows down with the square of the depth).
  HtmlPage d = parse_html(deep);
  EXPECT_NE(d.charset_note.find("nested deeper than 4096 elements: read up to byte 20480"), std::string::npos)
      << d.charset_note;
  // Unclosed <p> and <li>, void elements and script text do not count as nesting.
  std::string flat;
  for (int i = 0; i < 6000; ++i) flat += "<p>a<br><li>b<img src=x><script>if (i<len) x = '<div>';</script>";
  EXPECT_EQ(parse_html(flat).charset_note, "");
  std::string deep_json = "<script type=\"application/ld+json\">" + std::string(5000, '[') + "</script>";
  EXPECT_NO_THROW(parse_html(page(deep_json, kParagraphs)));
  EXPECT_NO_THROW(parse_html(""));
  EXPECT_NO_THROW(parse_html(std::string("\0\0\0<html>", 9)));
  EXPECT_NO_THROW(parse_html("<meta charset="));
  EXPECT_NO_THROW(parse_html("<meta charset=\"x"));
}

TEST(HtmlReader, DispatchByNameSniffAndJsonLinesField) {
  EXPECT_TRUE(is_article_file("a/page.html"));
  EXPECT_TRUE(is_article_file("a/page.HTM"));
  EXPECT_TRUE(is_article_file("a/page.html.gz"));
  EXPECT_TRUE(is_article_file("crawl.warc.gz"));
  EXPECT_TRUE(is_article_file("crawl.warc"));
  // A JSON Lines record with an "html" field; the record's own title wins over the page's.
  std::string html = page("<meta property=\"og:title\" content=\"Page title\">", "<article>" + kParagraphs + "</article>");
  std::string escaped;
  for (char c : html) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  std::vector<Article> out;
  std::vector<Diagnostic> d;
  read_buffer("{\"id\":\"r1\",\"title\":\"Record title\",\"html\":\"" + escaped + "\"}\n"
              "{\"id\":\"r2\",\"html\":\"" + escaped + "\"}\n",
              "x.jsonl", ReadOptions{}, [&](Article&& a) { out.push_back(std::move(a)); }, d);
  ASSERT_EQ(out.size(), 2u) << (d.empty() ? "" : d[0].reason);
  EXPECT_EQ(out[0].id, "r1");
  EXPECT_EQ(out[0].title, "Record title");
  EXPECT_EQ(out[0].sources.at("title"), "record");
  EXPECT_EQ(out[1].title, "Page title");
  EXPECT_EQ(out[1].sources.at("title"), "meta");
  EXPECT_GE(out[1].passages.size(), 3u);
  // Sniffed: a file without a known extension that is HTML.
  std::vector<Article> sniffed;
  read_buffer(html, "saved-page", ReadOptions{}, [&](Article&& a) { sniffed.push_back(std::move(a)); }, d);
  ASSERT_EQ(sniffed.size(), 1u);
  EXPECT_EQ(sniffed[0].title, "Page title");
}

}  // namespace
}  // namespace dateline
