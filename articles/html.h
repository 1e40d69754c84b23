/** @file
 *  @brief Saved web pages (HTML) to articles: charset, metadata by trust, the main content.
 *
 *  The page is parsed by gumbo (an HTML5 parser, libgumbo). Metadata comes, most trusted first, from
 *  JSON-LD (schema.org NewsArticle and kin), OpenGraph/`article:` and named meta tags, `<time>`/itemprop/
 *  rel=author markup, and finally the copied-text rules (parse_text_article() in reader.h) run on the
 *  extracted text. The main content is chosen by a readability-style scorer; captions are kept apart.
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// The charset an HTML document is decoded from, and which rule decided it.
struct HtmlCharset {
  std::string name;    ///< charset label as found ("UTF-8", "windows-1252", "shift_jis")
  std::string source;  ///< "bom", "transport" (HTTP/WARC header), "meta" (first 1024 bytes), "detected"
};

/// Decides the charset in the WHATWG order: byte order mark, then `transport_charset` (the charset
/// parameter of an HTTP Content-Type, "" when none), then `<meta charset>` or
/// `<meta http-equiv=content-type content="...; charset=...">` in the first 1024 bytes, then detection
/// (valid UTF-8 is UTF-8, else ICU's detector). A label ICU cannot open is passed over to the next rule.
/// "UTF-16" declared in a meta tag means UTF-8 (the WHATWG prescan rule) and ISO-8859-1/US-ASCII mean
/// windows-1252.
HtmlCharset sniff_html_charset(std::string_view bytes, std::string_view transport_charset = {});

/// The charset parameter of a Content-Type value ("text/html; charset=ISO-8859-1" -> "ISO-8859-1"), or "".
std::string content_type_charset(std::string_view content_type);

/// Do these bytes look like an HTML document: after a BOM and white space, a doctype, `<html`, `<head`,
/// `<meta`, `<title`, `<body` or an HTML comment followed by one of those, within the first 1024 bytes?
bool looks_like_html(std::string_view bytes);

/// One metadata value the page states, and the markup it came from.
struct HtmlValue {
  std::string value;
  std::string source;         ///< "jsonld", "meta" or "time" (time/itemprop/rel=author markup)
  bool organization = false;  ///< an author that is an organisation or a feed/site name, not a person
};

/// What parse_html() reads from one page.
struct HtmlPage {
  HtmlCharset charset;
  /// A warning for the reader ("invalid UTF-8: ...", a page cut where it nests too deep), "" when clean.
  std::string charset_note;
  // Candidates, most trusted first (JSON-LD, then meta tags, then markup). Dates are ISO "YYYY-MM-DD".
  std::vector<HtmlValue> titles, dates, authors, outlets;
  std::optional<std::string> visible_title;  ///< the page's <h1> (the headline as displayed)
  std::optional<std::string> url;            ///< canonical link, og:url or JSON-LD url
  std::optional<std::string> language;       ///< <html lang>, og:locale or JSON-LD inLanguage, as written
  /// Lines from the page's header region (bylines, date lines) for the text rules, one per line.
  std::string header;
  /// The main content as text: one paragraph or heading per block, blocks separated by a blank line.
  std::string body;
  std::vector<std::string> captions;  ///< figure captions and photo credits found in the main content
};

/// What is known about a page besides its bytes (from a WARC record or HTTP response).
struct HtmlContext {
  std::string transport_charset;  ///< the HTTP Content-Type charset, "" when none
  std::string url;                ///< the URL it was fetched from (WARC-Target-URI), "" when unknown
  std::string crawl_date;         ///< ISO "YYYY-MM-DD" it was fetched (WARC-Date): no later publication
};

/// Parses an HTML document (raw bytes, any charset) into metadata candidates and main content.
/// Never throws for bad content; bytes that are no HTML at all give an empty body.
HtmlPage parse_html(std::string_view bytes, const HtmlContext& context = {});

/// Turns a parsed page into an Article: the copied-text rules (parse_text_article()) read the page's
/// header lines, title and body; each metadata field then takes the most trusted value the markup
/// states, and Article::sources records where each field came from ("jsonld", "meta", "time", "text").
/// A JSON-LD Organization or a site/feed name is the author only when the page shows no personal byline.
/// A publication date after context.crawl_date is refused. Captions follow the body as passages of
/// their own, never with speakers. The URL is context.url when given, else the page's own.
Article html_article(const HtmlPage& page, const HtmlContext& context, std::string id, std::string path,
                     size_t max_passage_bytes = 1200);

}  // namespace dateline
