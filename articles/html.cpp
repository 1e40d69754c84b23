/** @file
 *  @brief Saved web pages to articles: gumbo parse, charset, JSON-LD/meta/markup metadata, main content.
 */
#include "articles/html.h"

#include <gumbo.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "articles/dates.h"
#include "articles/encoding.h"
#include "articles/names.h"
#include "articles/outlets.h"
#include "articles/passages.h"
#include "articles/people.h"
#include "articles/reader.h"
#include "base/ascii.h"
#include "base/utf8.h"

namespace dateline {
namespace {

using json = nlohmann::json;

constexpr size_t kPrescanBytes = 1024;    // WHATWG: <meta charset> is looked for in the first 1024 bytes
constexpr size_t kMaxJsonLdDepth = 64;    // nlohmann parses recursively: refuse deeper blocks
constexpr size_t kMaxHeaderLines = 6;     // byline/date lines handed to the text rules
constexpr size_t kMaxHeaderLineBytes = 200;
constexpr size_t kMinScoredText = 25;     // readability: shorter paragraphs do not vote
constexpr size_t kShareMaxText = 500;     // "share" blocks shorter than this are furniture

using ascii::lower;

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// ---- Charset ----------------------------------------------------------------------------------------------

/// A charset label as ICU should open it (WHATWG aliases), or "" when ICU cannot.
std::string usable_charset(std::string_view label, bool from_meta) {
  std::string l = lower(trim_space(label));
  while (!l.empty() && (l.back() == '"' || l.back() == '\'' || l.back() == ';')) l.pop_back();
  while (!l.empty() && (l.front() == '"' || l.front() == '\'')) l.erase(0, 1);
  if (l.empty()) return "";
  if (l == "iso-8859-1" || l == "iso8859-1" || l == "latin1" || l == "us-ascii" || l == "ascii" ||
      l == "l1" || l == "x-user-defined" || l == "cp1252")
    return "windows-1252";
  if (l == "utf8" || l == "unicode-1-1-utf-8") return "UTF-8";
  if (from_meta && starts_with(l, "utf-16")) return "UTF-8";  // WHATWG prescan: a meta cannot say UTF-16
  if (l == "gb2312" || l == "x-gbk") return "GBK";
  UErrorCode status = U_ZERO_ERROR;
  UConverter* c = ucnv_open(l.c_str(), &status);
  if (U_FAILURE(status) || c == nullptr) return "";
  ucnv_close(c);
  return l == "utf-8" ? "UTF-8" : l;
}

/// The value after "charset=" in `s` (a Content-Type or a meta content attribute), or "".
std::string charset_param(std::string_view s) {
  std::string l = lower(s);
  size_t at = l.find("charset");
  if (at == std::string::npos) return "";
  at += 7;
  while (at < l.size() && (l[at] == ' ' || l[at] == '\t')) ++at;
  if (at >= l.size() || l[at] != '=') return "";
  ++at;
  while (at < l.size() && (l[at] == ' ' || l[at] == '\t')) ++at;
  size_t end = at;
  if (at < l.size() && (l[at] == '"' || l[at] == '\'')) {
    char q = l[at++];
    end = l.find(q, at);
    if (end == std::string::npos) return "";
  } else {
    while (end < l.size() && l[end] != ';' && l[end] != ' ' && l[end] != '\t' && l[end] != '"' &&
           l[end] != '\'')
      ++end;
  }
  return std::string(s.substr(at, end - at));
}

/// The WHATWG meta prescan over the first 1024 bytes: attributes of each <meta> tag, comments skipped.
std::string meta_charset(std::string_view bytes) {
  std::string_view head = bytes.substr(0, kPrescanBytes);
  std::string l = lower(head);
  size_t pos = 0;
  while (pos < l.size()) {
    size_t lt = l.find('<', pos);
    if (lt == std::string::npos) break;
    if (l.compare(lt, 4, "<!--") == 0) {
      size_t end = l.find("-->", lt + 4);
      if (end == std::string::npos) break;
      pos = end + 3;
      continue;
    }
    size_t gt = l.find('>', lt);
    if (gt == std::string::npos) gt = l.size();
    if (l.compare(lt, 5, "<meta") == 0 && lt + 5 < l.size() &&
        (l[lt + 5] == ' ' || l[lt + 5] == '/' || l[lt + 5] == '\t' || l[lt + 5] == '\n' || l[lt + 5] == '\r')) {
      // Attributes: name=value pairs, values quoted or not.
      std::string_view tag = std::string_view(l).substr(lt + 5, gt - lt - 5);
      std::string charset, content;
      bool http_equiv_ct = false;
      size_t i = 0;
      while (i < tag.size()) {
        while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r' ||
                                  tag[i] == '/'))
          ++i;
        size_t name_begin = i;
        while (i < tag.size() && tag[i] != '=' && tag[i] != ' ' && tag[i] != '\t' && tag[i] != '\n' &&
               tag[i] != '/')
          ++i;
        std::string_view name = tag.substr(name_begin, i - name_begin);
        std::string_view value;
        if (i < tag.size() && tag[i] == '=') {
          ++i;
          if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
            char q = tag[i++];
            size_t end = tag.find(q, i);
            if (end == std::string_view::npos) end = tag.size();
            value = tag.substr(i, end - i);
            i = end + 1;
          } else {
            size_t b = i;
            while (i < tag.size() && tag[i] != ' ' && tag[i] != '\t' && tag[i] != '\n') ++i;
            value = tag.substr(b, i - b);
          }
        }
        if (name.empty()) {
          ++i;
          continue;
        }
        // The original bytes of the value (labels keep their case for messages).
        std::string_view raw;
        if (!value.empty()) raw = head.substr(static_cast<size_t>(value.data() - l.data()), value.size());
        if (name == "charset" && charset.empty()) charset = std::string(raw);
        if (name == "http-equiv" && value == "content-type") http_equiv_ct = true;
        if (name == "content" && content.empty()) content = std::string(raw);
      }
      if (!charset.empty()) return charset;
      if (http_equiv_ct && !content.empty()) {
        std::string c = charset_param(content);
        if (!c.empty()) return c;
      }
    }
    pos = gt + 1;
  }
  return "";
}

/// `bytes` (charset `name`, ICU-openable) as UTF-8; invalid sequences become U+FFFD.
std::string convert_to_utf8(std::string_view bytes, const std::string& name, size_t& replaced) {
  replaced = 0;
  if (name == "UTF-8") {
    if (is_valid_utf8(bytes)) return std::string(bytes);
    return repair_utf8(bytes, &replaced);
  }
  icu::UnicodeString u(bytes.data(), static_cast<int32_t>(std::min<size_t>(bytes.size(), INT32_MAX)),
                       name.c_str());
  std::string out;
  if (u.isBogus()) return repair_utf8(bytes, &replaced);
  u.toUTF8String(out);
  return out;
}

// ---- Text helpers -----------------------------------------------------------------------------------------

/// Collapses white space (ASCII, U+00A0, U+200B) into single spaces and trims.
std::string squash(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    bool ws = c == ' ' || (c >= '\t' && c <= '\r');
    size_t skip = 0;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ws = true;
      skip = 1;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0x8B || static_cast<unsigned char>(s[i + 2]) == 0xAF)) {
      ws = true;  // zero width space, narrow no-break space
      skip = 2;
    }
    if (ws) {
      space = !out.empty();
      i += skip;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

/// Character references left in metadata strings (JSON-LD written by templates that escape for HTML):
/// numeric ones and the common named ones.
std::string decode_entities(std::string_view s) {
  if (s.find('&') == std::string_view::npos) return std::string(s);
  static const std::map<std::string, std::string, std::less<>> kNamed{
      {"amp", "&"}, {"quot", "\""}, {"lt", "<"}, {"gt", ">"}, {"apos", "'"}, {"nbsp", " "},
      {"rsquo", "\xE2\x80\x99"}, {"lsquo", "\xE2\x80\x98"}, {"ldquo", "\xE2\x80\x9C"},
      {"rdquo", "\xE2\x80\x9D"}, {"ndash", "\xE2\x80\x93"}, {"mdash", "\xE2\x80\x94"},
      {"hellip", "\xE2\x80\xA6"}};
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    size_t semi = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string_view ref = s.substr(i + 1, semi - i - 1);
    uint32_t cp = 0;
    bool ok = false;
    if (ref.size() >= 2 && ref[0] == '#') {
      bool hex = ref[1] == 'x' || ref[1] == 'X';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      ok = !digits.empty();
      for (char c : digits) {
        int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0 || cp > 0x10FFFF) {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
      if (ok) {
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
      }
    } else if (auto it = kNamed.find(ref); it != kNamed.end()) {
      out += it->second;
      ok = true;
    }
    if (!ok) {
      out += s[i];
      continue;
    }
    i = semi;
  }
  return out;
}

bool is_url(std::string_view s) {
  std::string l = lower(trim_space(s));
  return starts_with(l, "http://") || starts_with(l, "https://") || starts_with(l, "//") || starts_with(l, "www.");
}

/// "By Jane Doe" -> "Jane Doe"; other values squashed.
std::string clean_author(std::string_view s) {
  std::string v = squash(s);
  std::string l = lower(v);
  if (starts_with(l, "by ")) v.erase(0, 3);
  // "Jane Doe | jdoe@example.com": the name only.
  if (size_t bar = v.find(" | "); bar != std::string::npos) v.resize(bar);
  std::vector<std::string> words = names::split_words(v);
  std::erase_if(words, [](const std::string& w) { return w.find('@') != std::string::npos; });
  v = names::join(words);
  while (!v.empty() && (v.back() == ',' || v.back() == '|')) v.pop_back();
  return std::string(trim_space(v));
}

/// The host of a URL ("https://www.example.com/a" -> "www.example.com"), or "".
std::string url_host(std::string_view url) {
  size_t at = url.find("://");
  if (at == std::string_view::npos) {
    if (!starts_with(url, "//")) return "";
    at = 0;
  }
  std::string_view rest = url.substr(at + (at == 0 ? 2 : 3));
  size_t end = rest.find_first_of("/:?#");
  return lower(rest.substr(0, end));
}

/// A date value (JSON-LD, meta, time) to ISO; an ISO-looking prefix ("2019-11-18T23:04:00-05:00",
/// "2019-11-18 23:04") is taken as written.
std::optional<std::string> read_date(std::string_view raw) {
  std::string_view v = trim_space(raw);
  if (v.empty()) return std::nullopt;
  if (v.size() >= 10 && v[4] == '-' && v[7] == '-') {
    if (auto d = parse_date(v.substr(0, 10))) return d;
  }
  if (auto d = parse_date(v)) return d;
  // Unix seconds or milliseconds (some sites' meta tags).
  if (v.size() >= 9 && v.size() <= 13 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    long long t = std::stoll(std::string(v));
    if (v.size() == 13) t /= 1000;
    long long days = t / 86400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    days += 719468;
    long long era = (days >= 0 ? days : days - 146096) / 146097;
    long long doe = days - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    if (m <= 2) ++y;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", y, m, d);
    return parse_date(buf);
  }
  return std::nullopt;
}

// ---- The DOM ---------------------------------------------------------------------------------------------

struct GumboDeleter {
  void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

const char* attr(const GumboNode* n, const char* name) {
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return nullptr;
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a != nullptr ? a->value : nullptr;
}

std::string attr_lower(const GumboNode* n, const char* name) {
  const char* v = attr(n, name);
  return v != nullptr ? lower(v) : std::string();
}

bool is_element(const GumboNode* n) { return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE; }

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_HR:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE: case GUMBO_TAG_NAV: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_FORM: case GUMBO_TAG_CAPTION: case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY:
      return true;
    default:
      return false;
  }
}

/// Elements whose content is never article text.
bool is_dropped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_BUTTON: case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE: case GUMBO_TAG_META: case GUMBO_TAG_LINK: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO: case GUMBO_TAG_APPLET: case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

bool any_of_words(std::string_view hay, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (contains(hay, w)) return true;
  return false;
}

bool unlikely_candidate(std::string_view cls_id) {
  return any_of_words(cls_id, {"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community",
                               "cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
                               "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper",
                               "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination",
                               "pager", "popup", "yom-remote", "newsletter", "subscribe", "cookie", "consent",
                               "recommend", "most-read", "mostread", "trending", "outbrain", "taboola",
                               "promo", "share", "signup", "paywall"}) &&
         !any_of_words(cls_id, {"and", "article", "body", "column", "content", "main", "shadow", "story"});
}

int class_weight(std::string_view cls, std::string_view id) {
  auto weigh = [](std::string_view s) {
    if (s.empty()) return 0;
    int w = 0;
    if (any_of_words(s, {"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footnote",
                         "gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
                         "shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool", "widget",
                         "newsletter", "recommend", "byline", "caption", "credit", "teaser", "nav"}))
      w -= 25;
    if (any_of_words(s, {"article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
                         "text", "blog", "story", "paragraph", "prose"}))
      w += 25;
    return w;
  };
  return weigh(cls) + weigh(id);
}

bool is_hidden(const GumboNode* n) {
  if (attr(n, "hidden") != nullptr) return true;
  std::string style = attr_lower(n, "style");
  if (!style.empty()) {
    std::string s;
    for (char c : style)
      if (c != ' ') s += c;
    if (contains(s, "display:none") || contains(s, "visibility:hidden")) return true;
  }
  if (attr_lower(n, "aria-hidden") == "true") return true;
  return false;
}

bool is_dropped_role(const std::string& role) {
  return role == "menu" || role == "menubar" || role == "complementary" || role == "navigation" ||
         role == "alert" || role == "alertdialog" || role == "dialog" || role == "contentinfo" ||
         role == "banner";
}

/// One element of the flattened tree.
struct El {
  const GumboNode* node = nullptr;
  int parent = -1;
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  bool dropped = false;  // never content (dropped tag, unlikely class, hidden): its subtree is not walked
  bool caption = false;  // figcaption / caption class: captions, not body
  bool has_block_child = false;
  std::string cls_id;    // lowercased class + " " + id
  int weight = 0;
  size_t text = 0, link = 0, commas = 0;  // over the subtree (dropped parts excluded)
  size_t own_text = 0, own_commas = 0;    // directly in its text children
  size_t p = 0, img = 0, li = 0, input = 0, embed = 0, headings = 0;  // descendants (incl. itself)
  double score = 0;
  bool scored = false;
  std::vector<int> children;
};

size_t count_commas(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') ++n;
    // U+FF0C FULLWIDTH COMMA, U+3001 IDEOGRAPHIC COMMA, U+060C ARABIC COMMA
    else if (s.compare(i, 3, "\xEF\xBC\x8C") == 0 || s.compare(i, 3, "\xE3\x80\x81") == 0 ||
             s.compare(i, 2, "\xD8\x8C") == 0)
      ++n;
  }
  return n;
}

/// Text length of a text node as it reads (white space runs count once).
size_t text_length(std::string_view s) {
  size_t n = 0;
  bool space = true;
  for (char c : s) {
    bool ws = c == ' ' || (c >= '\t' && c <= '\r');
    if (ws) {
      if (!space) ++n;
      space = true;
    } else {
      ++n;
      space = false;
    }
  }
  return n;
}

class Document {
 public:
  Document(const GumboNode* root, bool strict) : strict_(strict) { flatten(root); }

  std::vector<El> els;

  /// The readability candidate: index of the element whose subtree is the article, -1 when none.
  int top_candidate();
  /// Renders the chosen content into paragraphs (blank-line separated) and captions.
  void render(int top, std::string& body, std::vector<std::string>& captions, const std::string& title);

 private:
  void flatten(const GumboNode* root);
  bool removed_conditionally(int i) const;
  void render_node(int i, std::string& block, std::vector<std::string>& blocks, std::vector<std::string>& captions);

  bool strict_;
};

void Document::flatten(const GumboNode* root) {
  // Pre-order with an explicit stack (deeply nested pages must not exhaust the call stack).
  struct Item {
    const GumboNode* node;
    int parent;
    bool in_dropped;
    bool in_caption;
  };
  std::vector<Item> stack{{root, -1, false, false}};
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    const GumboNode* n = it.node;
    if (!is_element(n)) continue;
    int idx = static_cast<int>(els.size());
    els.emplace_back();
    El& e = els.back();
    e.node = n;
    e.parent = it.parent;
    e.tag = n->v.element.tag;
    std::string cls = attr_lower(n, "class"), id = attr_lower(n, "id");
    e.cls_id = cls + " " + id;
    e.weight = class_weight(cls, id);
    bool dropped = it.in_dropped || is_dropped_tag(e.tag) || is_hidden(n) || is_dropped_role(attr_lower(n, "role"));
    if (!dropped && strict_ && e.tag != GUMBO_TAG_BODY && e.tag != GUMBO_TAG_A && e.tag != GUMBO_TAG_HTML &&
        e.tag != GUMBO_TAG_ARTICLE && e.tag != GUMBO_TAG_MAIN && unlikely_candidate(e.cls_id))
      dropped = true;
    // A share bar or a small widget matching "share" (readability's _cleanMatchedNodes).
    e.dropped = dropped;
    e.caption = it.in_caption || e.tag == GUMBO_TAG_FIGCAPTION ||
                (e.tag != GUMBO_TAG_BODY && (contains(e.cls_id, "caption") || contains(e.cls_id, "credit")) &&
                 e.tag != GUMBO_TAG_ARTICLE && e.tag != GUMBO_TAG_MAIN);
    if (it.parent >= 0) els[static_cast<size_t>(it.parent)].children.push_back(idx);
    if (dropped) continue;
    const GumboVector& kids = n->v.element.children;
    for (unsigned k = kids.length; k-- > 0;) {
      const auto* c = static_cast<const GumboNode*>(kids.data[k]);
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA) {
        std::string_view t = c->v.text.text;
        e.own_text += text_length(t);
        e.own_commas += count_commas(t);
      } else if (is_element(c)) {
        stack.push_back({c, idx, dropped, e.caption});
      }
    }
  }
  // Totals bottom-up: children come after their parents in pre-order (and are listed in document order:
  // the stack pops them so).
  for (size_t k = els.size(); k-- > 0;) {
    El& e = els[k];
    if (e.dropped) {
      e.text = e.link = e.commas = 0;
      e.p = e.img = e.li = e.input = e.embed = e.headings = 0;
      continue;
    }
    e.text += e.own_text;
    e.commas += e.own_commas;
    if (e.tag == GUMBO_TAG_A) e.link = e.text;
    // Paragraphs as readability counts them: <p>, and divs holding only inline content.
    if (e.tag == GUMBO_TAG_P ||
        ((e.tag == GUMBO_TAG_DIV || e.tag == GUMBO_TAG_SECTION) && !e.has_block_child && e.text > 0))
      ++e.p;
    if (e.tag == GUMBO_TAG_IMG) ++e.img;
    if (e.tag == GUMBO_TAG_LI) ++e.li;
    if (e.tag == GUMBO_TAG_INPUT) ++e.input;
    if (e.tag == GUMBO_TAG_OBJECT || e.tag == GUMBO_TAG_EMBED || e.tag == GUMBO_TAG_IFRAME) ++e.embed;
    if (e.tag >= GUMBO_TAG_H1 && e.tag <= GUMBO_TAG_H6) e.headings += e.text;
    if (e.parent < 0) continue;
    El& p = els[static_cast<size_t>(e.parent)];
    p.text += e.text;
    p.link += e.tag == GUMBO_TAG_A ? e.text : e.link;
    p.commas += e.commas;
    p.p += e.p;
    p.img += e.img;
    p.li += e.li;
    p.input += e.input;
    p.embed += e.embed;
    p.headings += e.headings;
    if (is_block_tag(e.tag)) p.has_block_child = true;
  }
}

double link_density(const El& e) { return e.text == 0 ? 0.0 : static_cast<double>(e.link) / static_cast<double>(e.text); }

int Document::top_candidate() {
  auto init = [&](El& e) {
    if (e.scored) return;
    e.scored = true;
    switch (e.tag) {
      case GUMBO_TAG_DIV: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: e.score = 5; break;
      case GUMBO_TAG_PRE: case GUMBO_TAG_TD: case GUMBO_TAG_BLOCKQUOTE: e.score = 3; break;
      case GUMBO_TAG_ADDRESS: case GUMBO_TAG_OL: case GUMBO_TAG_UL: case GUMBO_TAG_DL: case GUMBO_TAG_DD:
      case GUMBO_TAG_DT: case GUMBO_TAG_LI: case GUMBO_TAG_FORM: e.score = -3; break;
      case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
      case GUMBO_TAG_H6: case GUMBO_TAG_TH: e.score = -5; break;
      default: break;
    }
    e.score += e.weight;
  };
  for (size_t k = 0; k < els.size(); ++k) {
    const El& e = els[k];
    if (e.dropped || e.caption) continue;
    bool paragraph = e.tag == GUMBO_TAG_P || e.tag == GUMBO_TAG_PRE || e.tag == GUMBO_TAG_TD ||
                     ((e.tag == GUMBO_TAG_DIV || e.tag == GUMBO_TAG_SECTION) && !e.has_block_child);
    // Text directly in a div beside block children reads as paragraphs of that div (readability wraps
    // such runs in <p>).
    bool loose = !paragraph && e.has_block_child && e.own_text >= kMinScoredText &&
                 (e.tag == GUMBO_TAG_DIV || e.tag == GUMBO_TAG_SECTION || e.tag == GUMBO_TAG_ARTICLE ||
                  e.tag == GUMBO_TAG_MAIN || e.tag == GUMBO_TAG_TD);
    if (!(paragraph && e.text >= kMinScoredText) && !loose) continue;
    if (e.parent < 0) continue;
    size_t len = loose ? e.own_text : e.text, commas = loose ? e.own_commas : e.commas;
    double s = 1.0 + static_cast<double>(commas) + std::min(3.0, std::floor(static_cast<double>(len) / 100.0));
    int a = loose ? static_cast<int>(k) : e.parent;
    for (int level = 0; a >= 0 && level < 5; ++level, a = els[static_cast<size_t>(a)].parent) {
      El& anc = els[static_cast<size_t>(a)];
      if (anc.tag == GUMBO_TAG_HTML || anc.node->parent == nullptr) break;
      init(anc);
      anc.score += level == 0 ? s : level == 1 ? s / 2.0 : s / (level * 3.0);
    }
  }
  int best = -1;
  double best_score = 0;
  std::vector<std::pair<double, int>> ranked;
  for (size_t k = 0; k < els.size(); ++k) {
    El& e = els[k];
    if (!e.scored) continue;
    e.score *= 1.0 - link_density(e);
    ranked.push_back({e.score, static_cast<int>(k)});
    if (best < 0 || e.score > best_score) {
      best = static_cast<int>(k);
      best_score = e.score;
    }
  }
  if (best < 0) return -1;
  // Several strong candidates under one ancestor: the article is that ancestor (readability's
  // alternative candidates rule).
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  std::vector<int> alternatives;
  for (size_t r = 1; r < ranked.size() && r < 5; ++r)
    if (ranked[r].first >= 0.75 * best_score) alternatives.push_back(ranked[r].second);
  if (alternatives.size() >= 3) {
    // How many alternatives each element is an ancestor of: one walk up from each (linear in the depth).
    std::vector<uint8_t> under(els.size(), 0);
    for (int alt : alternatives)
      for (int b = els[static_cast<size_t>(alt)].parent; b >= 0; b = els[static_cast<size_t>(b)].parent) ++under[static_cast<size_t>(b)];
    for (int a = els[static_cast<size_t>(best)].parent; a >= 0 && els[static_cast<size_t>(a)].tag != GUMBO_TAG_BODY;
         a = els[static_cast<size_t>(a)].parent) {
      if (under[static_cast<size_t>(a)] >= 3) {
        best = a;
        break;
      }
    }
  }
  // An only child is its parent's content: take the parent.
  for (;;) {
    int p = els[static_cast<size_t>(best)].parent;
    if (p < 0 || els[static_cast<size_t>(p)].tag == GUMBO_TAG_BODY) break;
    size_t live = 0;
    for (int c : els[static_cast<size_t>(p)].children)
      if (!els[static_cast<size_t>(c)].dropped && els[static_cast<size_t>(c)].text > 0) ++live;
    if (live != 1) break;
    best = p;
  }
  return best;
}

bool Document::removed_conditionally(int i) const {
  const El& e = els[static_cast<size_t>(i)];
  bool list = e.tag == GUMBO_TAG_UL || e.tag == GUMBO_TAG_OL;
  if (e.tag != GUMBO_TAG_DIV && e.tag != GUMBO_TAG_TABLE && !list && e.tag != GUMBO_TAG_FORM &&
      e.tag != GUMBO_TAG_FIELDSET && e.tag != GUMBO_TAG_SECTION)
    return false;
  if (e.text == 0) return false;
  if (contains(e.cls_id, "share") && e.text < kShareMaxText) return true;
  double score = e.scored ? e.score : 0;
  if (e.weight + score < 0) return true;
  if (e.commas >= 10) return false;
  double p = static_cast<double>(e.p), img = static_cast<double>(e.img);
  double li = static_cast<double>(e.li) - 100.0;
  double ld = link_density(e);
  double heading_density = e.text == 0 ? 0 : static_cast<double>(e.headings) / static_cast<double>(e.text);
  if (img > 1 && p / img < 0.5) return true;
  if (!list && li > p) return true;
  if (static_cast<double>(e.input) > std::floor(p / 3)) return true;
  if (!list && heading_density < 0.9 && e.text < 25 && (e.img == 0 || e.img > 2)) return true;
  if (!list && e.weight < 25 && ld > 0.2) return true;
  if (e.weight >= 25 && ld > 0.5) return true;
  if ((e.embed == 1 && e.text < 75) || e.embed > 1) return true;
  if (list && ld > 0.5) return true;  // a list of links: related stories, tags
  return false;
}

void flush(std::string& block, std::vector<std::string>& blocks) {
  std::string t = squash(block);
  block.clear();
  if (!t.empty()) blocks.push_back(std::move(t));
}

void Document::render_node(int root, std::string& block, std::vector<std::string>& blocks,
                           std::vector<std::string>& captions) {
  // Iterative walk over the gumbo nodes under `root`, flat elements looked up by node.
  struct Item {
    int el;              // element index, or -1 for a text node
    const GumboNode* text;
    bool close;          // after the element's children: end its block
  };
  std::vector<Item> stack{{root, nullptr, false}};
  std::string caption;
  int caption_depth = 0;
  while (!stack.empty()) {
    Item it = stack.back();
    stack.pop_back();
    if (it.el < 0) {
      std::string_view t = it.text->v.text.text;
      (caption_depth > 0 ? caption : block) += t;
      continue;
    }
    const El& e = els[static_cast<size_t>(it.el)];
    if (it.close) {
      if (e.caption && (it.el == root || !els[static_cast<size_t>(e.parent)].caption)) {
        --caption_depth;
        std::string c = squash(caption);
        caption.clear();
        if (!c.empty()) captions.push_back(std::move(c));
      } else if (is_block_tag(e.tag) && caption_depth == 0) {
        flush(block, blocks);
      }
      continue;
    }
    if (e.dropped || (it.el != root && removed_conditionally(it.el))) continue;
    if (e.tag == GUMBO_TAG_BR) {
      (caption_depth > 0 ? caption : block) += '\n';
      if (caption_depth == 0) flush(block, blocks);
      continue;
    }
    if (e.caption && (it.el == root || !els[static_cast<size_t>(e.parent)].caption)) {
      ++caption_depth;
    } else if (is_block_tag(e.tag) && caption_depth == 0) {
      flush(block, blocks);
    }
    stack.push_back({it.el, nullptr, true});
    // Children in reverse so they pop in document order; element children map to flat indices in order.
    const GumboVector& kids = e.node->v.element.children;
    size_t next_el = e.children.size();
    for (unsigned k = kids.length; k-- > 0;) {
      const auto* c = static_cast<const GumboNode*>(kids.data[k]);
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA || c->type == GUMBO_NODE_WHITESPACE) {
        stack.push_back({-1, c, false});
      } else if (is_element(c) && next_el > 0) {
        stack.push_back({e.children[--next_el], nullptr, false});
      }
    }
  }
  flush(block, blocks);
}

void Document::render(int top, std::string& body, std::vector<std::string>& captions, const std::string& title) {
  if (top < 0) return;
  const El& t = els[static_cast<size_t>(top)];
  // The article's siblings that belong to it (readability's sibling join).
  std::vector<int> parts;
  double threshold = std::max(10.0, t.score * 0.2);
  if (t.parent >= 0) {
    for (int s : els[static_cast<size_t>(t.parent)].children) {
      const El& e = els[static_cast<size_t>(s)];
      if (s == top) {
        parts.push_back(s);
        continue;
      }
      if (e.dropped || e.text == 0) continue;
      double bonus = (!t.cls_id.empty() && t.cls_id != " " && e.cls_id == t.cls_id) ? t.score * 0.2 : 0;
      if (e.scored && e.score + bonus >= threshold) {
        parts.push_back(s);
      } else if (e.tag == GUMBO_TAG_P) {
        double ld = link_density(e);
        if ((e.text > 80 && ld < 0.25) || (e.text <= 80 && e.link == 0 && e.commas + 1 > 0 && e.text > 0 &&
                                           e.own_text > 0 && ld == 0))
          parts.push_back(s);
      }
    }
  } else {
    parts.push_back(top);
  }
  std::vector<std::string> blocks;
  std::string block;
  for (int p : parts) render_node(p, block, blocks, captions);
  std::string title_norm = squash(title);
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (!title_norm.empty() && blocks[i] == title_norm) continue;  // the headline repeated in the body
    if (!body.empty()) body += "\n\n";
    body += blocks[i];
  }
}

// ---- Metadata ---------------------------------------------------------------------------------------------

/// Deepest nesting of [ and { in JSON text, strings skipped; stops past `limit`.
size_t json_nesting(std::string_view s, size_t limit) {
  size_t depth = 0, deepest = 0;
  bool in_str = false, esc = false;
  for (char c : s) {
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return deepest;
}

bool has_type(const json& o, std::initializer_list<std::string_view> types) {
  auto t = o.find("@type");
  if (t == o.end()) return false;
  auto match = [&](const json& v) {
    if (!v.is_string()) return false;
    std::string s = v.get<std::string>();
    size_t slash = s.find_last_of("/:");
    if (slash != std::string::npos) s = s.substr(slash + 1);  // "schema:NewsArticle", full IRIs
    for (std::string_view ty : types)
      if (s == ty) return true;
    return false;
  };
  if (t->is_array()) return std::any_of(t->begin(), t->end(), match);
  return match(*t);
}

bool is_article_type(const json& o) {
  return has_type(o, {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                      "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "BlogPosting",
                      "LiveBlogPosting", "Report", "ScholarlyArticle", "TechArticle", "SocialMediaPosting",
                      "SatiricalArticle", "AskPublicNewsArticle"});
}

bool is_org_type(const json& o) {
  return has_type(o, {"Organization", "NewsMediaOrganization", "Corporation", "WebSite", "Brand",
                      "GovernmentOrganization", "EducationalOrganization", "NGO"});
}

std::string json_string(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) return "";
  if (it->is_string()) return squash(decode_entities(it->get<std::string>()));
  if (it->is_array() && !it->empty() && it->front().is_string())
    return squash(decode_entities(it->front().get<std::string>()));
  if (it->is_object()) {
    auto v = it->find("@value");
    if (v != it->end() && v->is_string()) return squash(v->get<std::string>());
  }
  return "";
}

class JsonLd {
 public:
  void add(std::string_view block) {
    std::string text(block);
    for (char& c : text)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';  // raw control characters inside strings
    std::string_view t = trim_space(text);
    // Some sites wrap the block in an HTML comment or CDATA.
    if (starts_with(t, "<!--")) t.remove_prefix(4);
    if (t.size() >= 3 && t.substr(t.size() - 3) == "-->") t.remove_suffix(3);
    if (json_nesting(t, kMaxJsonLdDepth) > kMaxJsonLdDepth) return;
    json j = json::parse(t, nullptr, false);
    if (j.is_discarded()) return;
    blocks_.push_back(std::move(j));  // a list: the pointers collect() keeps stay valid
    collect(blocks_.back(), 0);
  }

  /// Articles first (in page order), then everything else.
  void finish(HtmlPage& page, std::string& url, std::string& language) const {
    for (const json* a : articles_) {
      std::string headline = json_string(*a, "headline");
      if (headline.empty()) headline = json_string(*a, "name");
      if (!headline.empty()) page.titles.push_back({headline, "jsonld", false});
      for (const char* k : {"datePublished", "dateCreated"}) {
        std::string d = json_string(*a, k);
        if (auto iso = read_date(d)) {
          page.dates.push_back({*iso, "jsonld", false});
          break;
        }
      }
      auto au = a->find("author");
      if (au == a->end()) au = a->find("creator");
      if (au != a->end()) add_author(*au, page, 0);
      auto pub = a->find("publisher");
      if (pub != a->end()) {
        std::string name = entity_name(*pub);
        if (!name.empty()) page.outlets.push_back({name, "jsonld", true});
      }
      if (url.empty()) {
        std::string u = json_string(*a, "url");
        if (u.empty()) {
          auto me = a->find("mainEntityOfPage");
          if (me != a->end()) u = me->is_string() ? squash(me->get<std::string>()) : entity_field(*me, "@id");
        }
        if (is_url(u)) url = u;
      }
      if (language.empty()) language = json_string(*a, "inLanguage");
    }
    for (const json* o : sites_) {
      std::string name = json_string(*o, "name");
      if (!name.empty()) page.outlets.push_back({name, "jsonld", true});
    }
  }

 private:
  void collect(const json& j, size_t depth) {
    if (depth > kMaxJsonLdDepth) return;
    if (j.is_array()) {
      for (const auto& e : j) collect(e, depth + 1);
      return;
    }
    if (!j.is_object()) return;
    auto id = j.find("@id");
    if (id != j.end() && id->is_string() && j.size() > 1) ids_.emplace(id->get<std::string>(), &j);
    if (is_article_type(j)) articles_.push_back(&j);
    else if (has_type(j, {"WebSite", "NewsMediaOrganization"})) sites_.push_back(&j);
    auto graph = j.find("@graph");
    if (graph != j.end()) collect(*graph, depth + 1);
    for (const char* k : {"mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"}) {
      auto it = j.find(k);
      if (it != j.end() && (it->is_object() || it->is_array())) collect(*it, depth + 1);
    }
  }

  const json& resolve(const json& v) const {
    if (v.is_object()) {
      auto id = v.find("@id");
      if (id != v.end() && id->is_string() && v.find("name") == v.end()) {
        auto it = ids_.find(id->get<std::string>());
        if (it != ids_.end()) return *it->second;
      }
    }
    return v;
  }

  std::string entity_field(const json& v, const char* key) const {
    const json& r = resolve(v);
    if (!r.is_object()) return "";
    return json_string(r, key);
  }

  std::string entity_name(const json& v) const {
    if (v.is_string()) return squash(v.get<std::string>());
    if (v.is_array()) {
      for (const auto& e : v) {
        std::string n = entity_name(e);
        if (!n.empty()) return n;
      }
      return "";
    }
    return entity_field(v, "name");
  }

  void add_author(const json& v, HtmlPage& page, size_t depth) const {
    if (depth > 4) return;
    if (v.is_array()) {
      std::vector<std::string> people, orgs;
      for (const auto& e : v) {
        const json& r = resolve(e);
        std::string name = r.is_string() ? clean_author(r.get<std::string>())
                                         : r.is_object() ? clean_author(json_string(r, "name")) : "";
        if (name.empty() || is_url(name)) continue;
        bool org = r.is_object() && is_org_type(r);
        auto& list = org ? orgs : people;
        if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
      }
      auto joined = [](const std::vector<std::string>& names) {
        std::string out;
        for (const auto& s : names) out += (out.empty() ? "" : ", ") + s;
        return out;
      };
      if (!people.empty()) page.authors.push_back({joined(people), "jsonld", false});
      if (!orgs.empty()) page.authors.push_back({joined(orgs), "jsonld", true});
      return;
    }
    const json& r = resolve(v);
    if (r.is_string()) {
      std::string name = clean_author(r.get<std::string>());
      if (!name.empty() && !is_url(name)) page.authors.push_back({name, "jsonld", false});
    } else if (r.is_object()) {
      std::string name = clean_author(json_string(r, "name"));
      if (!name.empty() && !is_url(name)) page.authors.push_back({name, "jsonld", is_org_type(r)});
    }
  }

  std::vector<const json*> articles_, sites_;
  std::map<std::string, const json*> ids_;
  std::list<json> blocks_;
};


/// The text under a node, white space squashed, scripts and styles left out; at most `cap` bytes read and
/// kMaxTextNodes nodes visited (so that nested markup cannot make the metadata walk quadratic).
constexpr size_t kMaxTextNodes = 2000;
std::string inner_text(const GumboNode* root, size_t cap = 4096) {
  std::string out;
  std::vector<const GumboNode*> stack{root};
  size_t visited = 0;
  while (!stack.empty() && out.size() < cap && ++visited <= kMaxTextNodes) {
    const GumboNode* n = stack.back();
    stack.pop_back();
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
      out += n->v.text.text;
      continue;
    }
    if (!is_element(n)) continue;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_TEMPLATE)
      continue;
    if (t == GUMBO_TAG_BR || is_block_tag(t)) out += ' ';
    const GumboVector& kids = n->v.element.children;
    for (unsigned k = kids.length; k-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[k]));
  }
  return squash(out);
}

/// Everything the markup states about the page, collected in one walk.
struct Markup {
  std::map<std::string, std::vector<std::string>> meta;  // lowercased name/property -> values, page order
  std::string title;                                     // <title>
  std::string lang, canonical;
  std::vector<std::string> h1;
  std::string headline_prop;  // itemprop=headline
  std::vector<std::string> time_dates;     // itemprop=datePublished, then <time pubdate>, then <time>
  std::vector<std::string> markup_authors;  // itemprop=author, rel=author
  std::vector<std::string> header_lines;
  JsonLd jsonld;
};

bool header_class(std::string_view cls_id) {
  return any_of_words(cls_id, {"byline", "dateline", "author", "publish", "timestamp", "pubdate", "posted",
                               "article-date", "story-date", "post-date", "entry-date", "date-time",
                               "datetime", "article__date", "time"});
}

void read_markup(const GumboNode* root, Markup& m) {
  std::vector<std::pair<const GumboNode*, bool>> stack{{root, false}};  // node, inside a header element
  std::vector<std::string> time_pubdate, time_any, prop_dates;
  while (!stack.empty()) {
    auto [n, in_header] = stack.back();
    stack.pop_back();
    if (!is_element(n)) continue;
    GumboTag t = n->v.element.tag;
    switch (t) {
      case GUMBO_TAG_HTML: {
        std::string l = squash(attr(n, "lang") != nullptr ? attr(n, "lang") : "");
        if (l.empty() && attr(n, "xml:lang") != nullptr) l = squash(attr(n, "xml:lang"));
        if (m.lang.empty()) m.lang = l;
        break;
      }
      case GUMBO_TAG_META: {
        const char* content = attr(n, "content");
        if (content == nullptr) content = attr(n, "value");  // some saved pages (postlight fixtures)
        if (content == nullptr) break;
        for (const char* key : {"name", "property", "itemprop", "http-equiv"}) {
          std::string k = attr_lower(n, key);
          if (!k.empty()) m.meta[k].push_back(squash(decode_entities(content)));
        }
        break;
      }
      case GUMBO_TAG_TITLE:
        if (m.title.empty()) m.title = inner_text(n);
        continue;
      case GUMBO_TAG_LINK:
        if (attr_lower(n, "rel") == "canonical" && attr(n, "href") != nullptr && m.canonical.empty())
          m.canonical = squash(attr(n, "href"));
        continue;
      case GUMBO_TAG_SCRIPT:
        if (contains(attr_lower(n, "type"), "ld+json")) {
          const GumboVector& kids = n->v.element.children;
          std::string text;
          for (unsigned k = 0; k < kids.length; ++k) {
            const auto* c = static_cast<const GumboNode*>(kids.data[k]);
            if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_CDATA || c->type == GUMBO_NODE_WHITESPACE)
              text += c->v.text.text;
          }
          m.jsonld.add(text);
        }
        continue;
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT:
      case GUMBO_TAG_TEMPLATE:
        continue;
      case GUMBO_TAG_H1:
        if (m.h1.size() < 8) m.h1.push_back(inner_text(n, 1024));
        break;
      case GUMBO_TAG_TIME: {
        const char* dt = attr(n, "datetime");
        std::string v = dt != nullptr ? std::string(dt) : inner_text(n, 256);
        (attr(n, "pubdate") != nullptr ? time_pubdate : time_any).push_back(v);
        break;
      }
      default:
        break;
    }
    std::string prop = attr_lower(n, "itemprop");
    if (prop == "datepublished" && t != GUMBO_TAG_META) {
      const char* v = attr(n, "datetime");
      if (v == nullptr) v = attr(n, "content");
      prop_dates.push_back(v != nullptr ? std::string(v) : inner_text(n, 256));
    } else if (prop == "headline" && t != GUMBO_TAG_META && m.headline_prop.empty()) {
      m.headline_prop = inner_text(n, 1024);
    } else if ((prop == "author" || prop == "creator") && t != GUMBO_TAG_META && m.markup_authors.size() < 8) {
      // A Person item: its name property, else its text.
      std::string name;
      std::vector<const GumboNode*> sub{n};
      size_t visited = 0;
      while (!sub.empty() && name.empty() && ++visited <= kMaxTextNodes) {
        const GumboNode* s = sub.back();
        sub.pop_back();
        if (!is_element(s)) continue;
        if (s != n && attr_lower(s, "itemprop") == "name") {
          const char* c = attr(s, "content");
          name = c != nullptr ? squash(c) : inner_text(s, 256);
        }
        const GumboVector& kids = s->v.element.children;
        for (unsigned k = kids.length; k-- > 0;) sub.push_back(static_cast<const GumboNode*>(kids.data[k]));
      }
      if (name.empty()) {
        const char* c = attr(n, "content");
        name = c != nullptr ? squash(c) : inner_text(n, 256);
      }
      name = clean_author(name);
      if (!name.empty() && name.size() <= 120 && !is_url(name)) m.markup_authors.push_back(name);
    }
    if (t == GUMBO_TAG_A && contains(" " + attr_lower(n, "rel") + " ", " author ") && m.markup_authors.size() < 8) {
      std::string name = clean_author(inner_text(n, 256));
      if (!name.empty() && name.size() <= 120) m.markup_authors.push_back(name);
    }
    // Byline and date lines of the page header, for the text rules.
    bool header = false;
    if (!in_header && m.header_lines.size() < kMaxHeaderLines && t != GUMBO_TAG_BODY && t != GUMBO_TAG_HTML &&
        t != GUMBO_TAG_ARTICLE && t != GUMBO_TAG_MAIN && t != GUMBO_TAG_SCRIPT) {
      std::string cls_id = attr_lower(n, "class") + " " + attr_lower(n, "id");
      if (header_class(cls_id) && !contains(cls_id, "comment") && !is_hidden(n)) {
        std::string line = inner_text(n, kMaxHeaderLineBytes * 2);
        if (!line.empty() && line.size() <= kMaxHeaderLineBytes) {
          m.header_lines.push_back(line);
          header = true;
        }
      }
    }
    const GumboVector& kids = n->v.element.children;
    for (unsigned k = kids.length; k-- > 0;)
      stack.push_back({static_cast<const GumboNode*>(kids.data[k]), in_header || header});
  }
  for (auto* list : {&prop_dates, &time_pubdate, &time_any})
    for (auto& d : *list) m.time_dates.push_back(d);
}

const std::vector<std::string>* meta_values(const Markup& m, std::string_view key) {
  auto it = m.meta.find(std::string(key));
  return it == m.meta.end() ? nullptr : &it->second;
}

/// Loose equality of two titles: case, white space and punctuation aside.
std::string title_key(std::string_view s) {
  std::string f = names::fold(s);
  std::string out;
  for (char c : f) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) out += c;
  }
  return out;
}

/// "Headline | Site" -> "Headline" when the suffix is the site (`site` or a known outlet).
std::string strip_site_suffix(const std::string& title, const std::vector<HtmlValue>& outlets) {
  for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xBB "}) {
    size_t at = title.rfind(sep);
    if (at == std::string::npos || at == 0) continue;
    std::string suffix(trim_space(std::string_view(title).substr(at + sep.size())));
    bool site = canonical_outlet(suffix).has_value();
    for (const auto& o : outlets)
      if (title_key(o.value) == title_key(suffix) || canonical_outlet_or_self(o.value) == canonical_outlet_or_self(suffix))
        site = true;
    if (site) return std::string(trim_space(std::string_view(title).substr(0, at)));
  }
  return title;
}

/// Where to cut a document whose elements nest deeper than `limit` (gumbo's tree building slows down with
/// the square of the depth of open elements: 20,000 nested <div>s take seconds), or npos. A lexical count of
/// start tags minus end tags; void elements, self-closing tags, elements whose end tag may be left out (p, li,
/// td...) and the content of script, style, textarea and comments do not count.
size_t nesting_cut(std::string_view html, size_t limit) {
  static const std::set<std::string, std::less<>> kNotNesting{
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
      "wbr", "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "thead", "tbody", "tfoot",
      "colgroup", "rb", "rt", "rp", "html", "head", "body", "frame", "keygen", "basefont", "isindex"};
  size_t depth = 0;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    size_t at = pos++;
    if (html.compare(at, 4, "<!--") == 0) {
      size_t end = html.find("-->", at + 4);
      if (end == std::string_view::npos) return std::string_view::npos;
      pos = end + 3;
      continue;
    }
    bool close = pos < html.size() && html[pos] == '/';
    size_t name_begin = pos + (close ? 1 : 0);
    size_t name_end = name_begin;
    while (name_end < html.size() && name_end - name_begin < 16 &&
           ((html[name_end] >= 'a' && html[name_end] <= 'z') || (html[name_end] >= 'A' && html[name_end] <= 'Z') ||
            (html[name_end] >= '0' && html[name_end] <= '9')))
      ++name_end;
    if (name_end == name_begin) continue;
    std::string name = lower(html.substr(name_begin, name_end - name_begin));
    size_t gt = html.find('>', name_end);
    if (gt == std::string_view::npos) return std::string_view::npos;
    pos = gt + 1;
    if (!close && (name == "script" || name == "style" || name == "textarea" || name == "title")) {
      std::string end_tag = "</" + name;
      size_t end = pos;
      for (;;) {
        end = html.find("</", end);
        if (end == std::string_view::npos) return std::string_view::npos;
        if (lower(html.substr(end, end_tag.size())) == end_tag) break;
        end += 2;
      }
      pos = end;
      continue;
    }
    if (kNotNesting.count(name) != 0 || html[gt - 1] == '/') continue;
    if (close) {
      if (depth > 0) --depth;
    } else if (++depth > limit) {
      return at;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string content_type_charset(std::string_view content_type) { return charset_param(content_type); }

HtmlCharset sniff_html_charset(std::string_view bytes, std::string_view transport_charset) {
  if (starts_with(bytes, "\xEF\xBB\xBF")) return {"UTF-8", "bom"};
  if (starts_with(bytes, "\xFF\xFE")) return {"UTF-16LE", "bom"};
  if (starts_with(bytes, "\xFE\xFF")) return {"UTF-16BE", "bom"};
  if (std::string c = usable_charset(transport_charset, false); !c.empty()) return {c, "transport"};
  if (std::string c = usable_charset(meta_charset(bytes), true); !c.empty()) return {c, "meta"};
  DecodedText d = decode_text(bytes.substr(0, 64 * 1024));
  if (d.status == TextStatus::kConverted && !d.charset.empty()) return {d.charset, "detected"};
  return {"UTF-8", "detected"};
}

bool looks_like_html(std::string_view bytes) {
  if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  size_t i = 0;
  while (i < bytes.size() && (bytes[i] == ' ' || (bytes[i] >= '\t' && bytes[i] <= '\r'))) ++i;
  std::string head = lower(bytes.substr(i, kPrescanBytes));
  for (std::string_view p : {"<!doctype html", "<html", "<head", "<body", "<meta ", "<meta>", "<title"})
    if (starts_with(head, p)) return true;
  if (starts_with(head, "<!--") || starts_with(head, "<?xml"))
    return contains(head, "<html") || contains(head, "<!doctype html") || contains(head, "<head");
  return false;
}

HtmlPage parse_html(std::string_view bytes, const HtmlContext& context) {
  HtmlPage page;
  page.charset = sniff_html_charset(bytes, context.transport_charset);
  std::string_view body_bytes = bytes;
  if (page.charset.source == "bom") body_bytes.remove_prefix(page.charset.name == "UTF-8" ? 3 : 2);
  size_t replaced = 0;
  std::string utf8 = convert_to_utf8(body_bytes, page.charset.name, replaced);
  if (replaced > 0) {
    DecodedText d;
    d.status = TextStatus::kRepaired;
    d.replaced = replaced;
    page.charset_note = d.describe();
  } else if (page.charset.source == "detected" && page.charset.name != "UTF-8") {
    DecodedText d;
    d.status = TextStatus::kConverted;
    d.charset = page.charset.name;
    page.charset_note = d.describe();
  }

  constexpr size_t kMaxNesting = 4096;
  if (size_t cut = nesting_cut(utf8, kMaxNesting); cut != std::string::npos) {
    utf8.resize(cut);
    if (!page.charset_note.empty()) page.charset_note += "; ";
    page.charset_note += "HTML nested deeper than " + std::to_string(kMaxNesting) + " elements: read up to byte " +
                         std::to_string(cut) + " of the decoded page";
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported: do not collect them
  std::unique_ptr<GumboOutput, GumboDeleter> out(
      gumbo_parse_with_options(&options, utf8.data(), utf8.size()));
  if (!out) return page;

  Markup m;
  read_markup(out->root, m);
  std::string jsonld_url, jsonld_lang;
  m.jsonld.finish(page, jsonld_url, jsonld_lang);

  auto first_meta = [&](std::initializer_list<std::string_view> keys, auto&& accept) {
    for (std::string_view k : keys)
      if (const auto* vs = meta_values(m, k))
        for (const auto& v : *vs)
          if (accept(v)) return;
  };
  // Outlet: site names.
  first_meta({"og:site_name", "application-name", "publisher", "dc.publisher", "dcterms.publisher",
              "cxenseparse:publisher", "al:android:app_name", "al:iphone:app_name"},
             [&](const std::string& v) {
               if (v.empty() || is_url(v)) return false;
               page.outlets.push_back({v, "meta", true});
               return true;
             });
  // Titles.
  for (std::string_view k : {"og:title", "twitter:title", "dc.title", "sailthru.title", "title", "headline"})
    if (const auto* vs = meta_values(m, k))
      for (const auto& v : *vs)
        if (!v.empty()) page.titles.push_back({v, "meta", false});
  if (!m.headline_prop.empty()) page.titles.push_back({m.headline_prop, "time", false});
  // Dates.
  first_meta({"article:published_time", "og:article:published_time", "article:published", "datepublished",
              "pubdate", "publishdate", "publish-date", "publish_date", "publication_date", "date", "dc.date.issued",
              "dc.date", "dcterms.issued", "dcterms.created", "dc.date.created", "sailthru.date", "parsely-pub-date",
              "article.published", "og:published_time", "published_time", "originalpublicationdate",
              "article_date_original", "cxenseparse:recs:publishtime", "displaydate", "citation_publication_date"},
             [&](const std::string& v) {  // all of them: the first may be after the crawl
               auto iso = read_date(v);
               if (iso) page.dates.push_back({*iso, "meta", false});
               return false;
             });
  for (const auto& d : m.time_dates)
    if (auto iso = read_date(d)) {
      page.dates.push_back({*iso, "time", false});
      break;
    }
  // Authors.
  std::vector<HtmlValue> meta_authors;
  first_meta({"author", "article:author", "dc.creator", "dcterms.creator", "sailthru.author", "parsely-author",
              "byl", "byline", "cxenseparse:author", "og:article:author", "article:author_name"},
             [&](const std::string& v) {
               std::string a = clean_author(v);
               if (a.empty() || is_url(a) || a.size() > 200 || a.front() == '@') return false;
               // A user handle ("mikecason") is no byline.
               if (a.find(' ') == std::string::npos && lower(a) == a) return false;
               page.authors.push_back({a, "meta", false});
               return true;
             });
  if (!m.markup_authors.empty()) {
    std::vector<std::string> uniq;
    for (const auto& a : m.markup_authors)
      if (std::find(uniq.begin(), uniq.end(), a) == uniq.end()) uniq.push_back(a);
    if (uniq.size() > 3) uniq.resize(1);  // many: a list of stories with their authors; the first is ours
    std::string joined;
    for (const auto& a : uniq) joined += (joined.empty() ? "" : ", ") + a;
    page.authors.push_back({joined, "time", false});
  }
  // A byline that names the site itself is a feed name, not a person.
  for (auto& a : page.authors) {
    if (canonical_outlet(a.value)) a.organization = true;
    for (const auto& o : page.outlets)
      if (title_key(o.value) == title_key(a.value)) a.organization = true;
  }
  // URL and language.
  std::string og_url;
  first_meta({"og:url"}, [&](const std::string& v) {
    og_url = v;
    return is_url(v);
  });
  for (const std::string* u : {&m.canonical, &og_url, &jsonld_url})
    if (is_url(*u)) {
      page.url = *u;
      break;
    }
  std::string og_locale;
  first_meta({"og:locale", "content-language", "language", "dc.language"}, [&](const std::string& v) {
    og_locale = v;
    return !v.empty();
  });
  for (const std::string* l : {&m.lang, &og_locale, &jsonld_lang})
    if (!l->empty()) {
      page.language = *l;
      break;
    }
  // <title> with the site's name cut, after the meta titles.
  if (!m.title.empty()) page.titles.push_back({m.title, "meta", false});
  {
    // The site's name as its domain spells it ("La Stampa" for lastampa.it) also marks a suffix.
    std::vector<HtmlValue> sites = page.outlets;
    std::string host = url_host(!context.url.empty() ? context.url : page.url ? *page.url : std::string());
    if (host.rfind("www.", 0) == 0) host.erase(0, 4);
    if (size_t dot = host.find('.'); dot != std::string::npos) sites.push_back({host.substr(0, dot), "", true});
    for (auto& t : page.titles) t.value = strip_site_suffix(t.value, sites);
  }
  // The displayed headline: the h1 that one of the stated titles matches, else the first long one.
  for (const auto& h : m.h1) {
    if (h.empty()) continue;
    for (const auto& t : page.titles)
      if (title_key(t.value) == title_key(h)) page.visible_title = h;
    if (page.visible_title) break;
  }
  if (!page.visible_title)
    for (const auto& h : m.h1)
      if (count_words(h) >= 3) {
        page.visible_title = h;
        break;
      }
  for (const auto& l : m.header_lines) page.header += l + "\n";

  // Main content: strict first (unlikely classes dropped); when that leaves little, without that filter.
  std::string title = page.visible_title ? *page.visible_title : std::string();
  {
    Document doc(out->root, true);
    doc.render(doc.top_candidate(), page.body, page.captions, title);
  }
  if (page.body.size() < 500) {
    std::string body;
    std::vector<std::string> captions;
    Document doc(out->root, false);
    doc.render(doc.top_candidate(), body, captions, title);
    if (body.size() > page.body.size() * 2) {
      page.body = std::move(body);
      page.captions = std::move(captions);
    }
  }
  return page;
}

namespace {

/// ISO language code from "en-US", "en_GB", "eng"? Only the two-letter primary subtag is kept.
std::optional<std::string> language_of(std::string_view v) {
  std::string l = lower(trim_space(v));
  size_t cut = l.find_first_of("-_");
  if (cut != std::string::npos) l.resize(cut);
  if (l.size() == 2 && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' && l[1] <= 'z') return l;
  return std::nullopt;
}

/// A site name without its tagline or handle: "The Tico Times | Costa Rica News" -> "The Tico Times",
/// "@politifact" -> "politifact", "El Comercio Perú" -> "El Comercio" (a country after the name).
std::string site_name(const std::string& raw) {
  std::string v(trim_space(raw));
  if (!v.empty() && v.front() == '@') v.erase(0, 1);
  // A domain for a name ("Libération.fr"): the gazetteer's name for it, else the name without the TLD.
  if (size_t dot = v.rfind('.'); dot != std::string::npos && dot > 0 && v.find(' ') == std::string::npos &&
                                 v.size() - dot >= 3 && v.size() - dot <= 4) {
    if (auto known = canonical_outlet(v)) return *known;
    v.resize(dot);
  }
  for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: "}) {
    size_t at = v.find(sep);
    if (at != std::string::npos && at > 0) v = std::string(trim_space(std::string_view(v).substr(0, at)));
  }
  std::vector<std::string> words = names::split_words(v);
  if (words.size() >= 3 && names::is_country(words.back()) && !names::is_connector(words[words.size() - 2]) &&
      !canonical_outlet(v)) {
    words.pop_back();
    v = names::join(words);
  }
  return v;
}

/// A news desk or service rather than the site: "DH News Service", "Metro Desk".
bool is_desk(std::string_view name) {
  std::string l = lower(name);
  return contains(l, "news service") || contains(l, "desk") || contains(l, "bureau") || contains(l, "staff");
}

}  // namespace

Article html_article(const HtmlPage& page, const HtmlContext& context, std::string id, std::string path,
                     size_t max_passage_bytes) {
  // The text the copied-text rules read: the headline, the header's byline/date lines, then the body.
  std::string title_line = page.visible_title ? *page.visible_title
                           : !page.titles.empty() ? page.titles.front().value
                                                  : std::string();
  std::string text = title_line;
  text += "\n\n";
  text += page.header;
  text += "\n";
  size_t body_at = text.size();
  text += page.body;
  Article a = parse_text_article(text, std::move(id), std::move(path), max_passage_bytes);
  // The passages are the body the content scorer chose, split as any text is; the copied-text layout rules
  // (which take short or repeated lines for page chrome) would drop real paragraphs of it.
  a.passages = split_passages(text, PassageOptions{max_passage_bytes, body_at});
  if (a.subtitle && contains(page.header, *a.subtitle)) a.subtitle.reset();
  for (const char* f : {"title", "subtitle", "date", "author", "outlet"}) {
    bool has = (std::string_view(f) == "title" && a.title) || (std::string_view(f) == "subtitle" && a.subtitle) ||
               (std::string_view(f) == "date" && a.date) || (std::string_view(f) == "author" && a.author) ||
               (std::string_view(f) == "outlet" && a.outlet);
    if (has) a.sources[f] = "text";
  }

  // Title: the stated title that matches the displayed headline, else the most trusted one.
  const HtmlValue* title = nullptr;
  if (page.visible_title)
    for (const auto& t : page.titles)
      if (title_key(t.value) == title_key(*page.visible_title)) {
        title = &t;
        break;
      }
  if (title == nullptr && !page.titles.empty()) title = &page.titles.front();
  if (title != nullptr) {
    a.title = title->value;
    a.sources["title"] = title->source;
  }

  // Date: the most trusted one not after the crawl.
  auto not_after_crawl = [&](const std::string& iso) {
    return context.crawl_date.empty() || iso <= context.crawl_date;
  };
  bool dated = false;
  for (const auto& d : page.dates)
    if (not_after_crawl(d.value)) {
      a.date = d.value;
      a.sources["date"] = d.source;
      dated = true;
      break;
    }
  if (!dated && a.date && !not_after_crawl(*a.date)) {
    a.date.reset();
    a.sources.erase("date");
  }

  // Author: a person the page names, most trusted first; an organisation only when no person is named.
  const HtmlValue* person = nullptr;
  const HtmlValue* org = nullptr;
  for (const auto& v : page.authors) {
    if (!v.organization && person == nullptr) person = &v;
    if (v.organization && org == nullptr) org = &v;
  }
  bool text_person = a.author && !canonical_outlet(*a.author);
  if (person != nullptr) {
    a.author = person->value;
    a.sources["author"] = person->source;
  } else if (!text_person && org != nullptr) {
    a.author = org->value;
    a.sources["author"] = org->source;
  }

  // Outlet: the first stated site the gazetteer knows, else the URL's domain when the gazetteer knows it and
  // no other name is stated, else the name stated most often (taglines cut, a desk's name last).
  std::string url = !context.url.empty() ? context.url : page.url ? *page.url : std::string();
  const HtmlValue* outlet = nullptr;
  std::vector<HtmlValue> names;
  for (const auto& o : page.outlets) names.push_back({site_name(o.value), o.source, true});
  for (const auto& o : names)
    if (canonical_outlet(o.value)) {
      outlet = &o;
      break;
    }
  std::optional<std::string> by_domain;
  std::string host = url_host(url);
  if (!host.empty()) by_domain = canonical_outlet(host);
  if (by_domain && !names.empty()) {
    // The domain speaks for the site only when the stated name is (the start of) the domain itself ("al" on
    // al.com); a stated name of its own ("CNNMoney" on money.cnn.com) is more precise.
    std::string host_key = title_key(host.rfind("www.", 0) == 0 ? host.substr(4) : host);
    bool same = false;
    for (const auto& o : names) {
      std::string k = title_key(o.value);
      same = same || (!k.empty() && host_key.rfind(k, 0) == 0);
    }
    if (!same) by_domain.reset();
  }
  if (outlet == nullptr && !by_domain) {
    size_t best = 0;
    for (const auto& o : names) {
      if (o.value.empty()) continue;
      size_t votes = 0;
      for (const auto& other : names) votes += title_key(other.value) == title_key(o.value) ? 2 : 0;
      if (is_desk(o.value)) votes = 1;
      if (votes > best) {
        best = votes;
        outlet = &o;
      }
    }
  }
  if (outlet == nullptr && by_domain) {
    a.outlet = *by_domain;
    a.sources["outlet"] = context.url.empty() ? "meta" : "url";
  } else {
    if (outlet != nullptr) {
      a.outlet = canonical_outlet_or_self(outlet->value);
      a.sources["outlet"] = outlet->source;
    }
  }

  if (!url.empty()) {
    a.url = url;
    a.sources["url"] = context.url.empty() ? "meta" : "url";
  }
  if (page.language)
    if (auto l = language_of(*page.language)) {
      a.language = *l;
      a.sources["language"] = "meta";
    }

  // Speakers again: the author and outlet are now known from the markup.
  for (auto& p : a.passages) p.speakers.clear();
  attribute_speakers(a.passages, excluded_speakers(a), &a.speaker_info);

  // Captions: searchable passages after the body, never with a speaker, never read for the date.
  size_t at = text.size();
  for (const auto& c : page.captions) {
    if (c.empty()) continue;
    text += "\n\n";
    at += 2;
    std::string piece = c;
    if (piece.size() > max_passage_bytes) {  // cut at a character boundary
      piece.resize(utf8::truncate(piece, max_passage_bytes).size());
    }
    Passage p;
    p.text = piece;
    p.begin = at;
    p.end = at + piece.size();
    text += piece;
    at += piece.size();
    a.passages.push_back(std::move(p));
  }
  return a;
}

}  // namespace dateline
