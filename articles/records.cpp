/** @file
 *  @brief JSON records to Articles (see records.h).
 */
#include "articles/records.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "articles/dates.h"
#include "articles/html.h"
#include "articles/metadata.h"
#include "articles/passages.h"
#include "articles/people.h"
#include "base/utf8.h"

namespace dateline::reading {

namespace {

using json = nlohmann::json;

std::string civil_date(int64_t seconds) {
  // Howard Hinnant's days-from-civil inverse: no time zone, no locale, no std::gmtime thread issues.
  int64_t z = (seconds >= 0 ? seconds : seconds - 86399) / 86400 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                static_cast<long long>(d));
  return buf;
}

}  // namespace

std::string record_too_long(const ReadOptions& options) {
  return "record longer than " + std::to_string(options.max_record_bytes) + " bytes; not read";
}

std::string too_many_passages(const ReadOptions& options) {
  return "article cut into more than " + std::to_string(options.max_passages) + " passages (skipped)";
}

void JsonRecords::lines(std::string_view text) {
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (trim_space(line).empty()) continue;
    record(line, line_no);
  }
}

void JsonRecords::document(std::string_view text) {
  std::string_view t = trim_space(text);
  if (!t.empty() && t.front() == '{') {
    // One record object (possibly pretty-printed over many lines), else JSON Lines.
    if (json_depth(t, kMaxJsonDepth) <= kMaxJsonDepth && json::accept(t)) {
      record(t, 1 + static_cast<size_t>(std::count(text.data(), t.data(), '\n')));
    } else {
      lines(text);
    }
    return;
  }
  // A top-level array: find each element's bytes without parsing, so one bad or deep record is reported
  // with its line and the others are still read.
  size_t start = static_cast<size_t>(t.data() - text.data());
  size_t line_no = 1 + static_cast<size_t>(std::count(text.data(), text.data() + start, '\n'));
  size_t depth = 0;
  JsonStringState str;
  bool closed = false;
  size_t elem_begin = std::string_view::npos, elem_line = line_no;
  auto finish = [&](size_t end) {
    if (elem_begin == std::string_view::npos) return;
    std::string_view elem = trim_space(text.substr(elem_begin, end - elem_begin));
    if (!elem.empty()) record(elem, elem_line);
    elem_begin = std::string_view::npos;
  };
  for (size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') ++line_no;
    if (str.inside(c)) continue;
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (depth == 1 && elem_begin == std::string_view::npos && !space && c != ',' && c != ']') {
      elem_begin = i;
      elem_line = line_no;
    }
    if (c == '"') {
      str.in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth == 0) break;
      if (--depth == 0) {
        finish(i);
        closed = true;
        std::string_view rest = trim_space(text.substr(i + 1));
        if (!rest.empty()) problems_.skip(line_no, "malformed JSON: unexpected data after the closing ']'");
        break;
      }
    } else if (c == ',' && depth == 1) {
      finish(i);
    }
  }
  if (!closed) {
    finish(text.size());  // the last element gets its own error message
    problems_.skip(line_no, "malformed JSON: unterminated array (missing ']')");
  }
}

namespace {

/// The first of `names` that `j` has with a value other than null.
const json* first_field(const json& j, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = j.find(n);
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

}  // namespace

namespace {

// JSON's white space (RFC 8259): what nlohmann skips between tokens.
bool json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Eight bytes at a time (as indexer/document_builder.cpp writes JSON strings): the zero-byte test on w ^ b...b
// says exactly whether some byte of w is b, and (w - 20...20) & ~w & 80...80 whether some byte is below 0x20.
constexpr uint64_t kEveryByte = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

bool has_byte(uint64_t w, unsigned char b) {
  const uint64_t x = w ^ (kEveryByte * b);
  return ((x - kEveryByte) & ~x & kHighBits) != 0;
}

// Are all eight bytes of `p` ASCII that a JSON string holds as it is (no '"', '\\' or control character)?
bool plain8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if ((w & kHighBits) != 0 || ((w - kEveryByte * 0x20) & ~w & kHighBits) != 0) return false;
  return !has_byte(w, '"') && !has_byte(w, '\\');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The string whose opening quote is bytes[i - 1], appended to `out`; `i` ends past its closing quote. False
// for what nlohmann rejects (a control character, a bad escape, invalid UTF-8) and for a \u surrogate (left
// to nlohmann). Runs of plain bytes are appended at once: nlohmann's lexer appends byte by byte, its
// std::string::push_back call per byte was a third of a record's parse.
bool json_string(std::string_view bytes, size_t& i, std::string& out) {
  const size_t n = bytes.size();
  while (i < n) {
    size_t run = i;
    while (run < n) {
      if (n - run >= 8 && plain8(bytes.data() + run)) {
        run += 8;
        continue;
      }
      const auto b = static_cast<unsigned char>(bytes[run]);
      if (b == '"' || b == '\\' || b < 0x20) break;
      if (b < 0x80) {
        ++run;
        continue;
      }
      const size_t len = utf8::sequence_length(bytes, run);
      if (len == 0) return false;
      run += len;
    }
    out.append(bytes.data() + i, run - i);
    i = run;
    if (i >= n) return false;  // unterminated
    const char c = bytes[i++];
    if (c == '"') return true;
    if (c != '\\') return false;  // a control character
    if (i >= n) return false;
    switch (bytes[i++]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        if (n - i < 4) return false;
        uint32_t cp = 0;
        for (int k = 0; k < 4; ++k) {
          const int h = hex_value(bytes[i + k]);
          if (h < 0) return false;
          cp = cp << 4 | static_cast<uint32_t>(h);
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;  // surrogates, paired or not: nlohmann's to judge
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default:
        return false;
    }
  }
  return false;
}

}  // namespace

std::optional<nlohmann::json> flat_json_object(std::string_view bytes) {
  const size_t n = bytes.size();
  size_t i = 0;
  auto skip_space = [&] {
    while (i < n && json_space(bytes[i])) ++i;
  };
  skip_space();
  if (i >= n || bytes[i] != '{') return std::nullopt;
  ++i;
  json j = json::object();
  auto& object = j.get_ref<json::object_t&>();
  skip_space();
  if (i < n && bytes[i] == '}') {
    ++i;
  } else {
    std::string key;
    while (true) {
      skip_space();
      if (i >= n || bytes[i] != '"') return std::nullopt;
      ++i;
      key.clear();
      if (!json_string(bytes, i, key)) return std::nullopt;
      skip_space();
      if (i >= n || bytes[i] != ':') return std::nullopt;
      ++i;
      skip_space();
      if (i >= n) return std::nullopt;
      // A key given twice keeps its last value, as nlohmann's parser does (it assigns to object[key]).
      json& value = object[key];
      const char c = bytes[i];
      if (c == '"') {
        ++i;
        std::string s;
        if (!json_string(bytes, i, s)) return std::nullopt;
        value = std::move(s);
      } else if (bytes.substr(i, 4) == "null") {
        i += 4;
        value = nullptr;
      } else if (bytes.substr(i, 4) == "true") {
        i += 4;
        value = true;
      } else if (bytes.substr(i, 5) == "false") {
        i += 5;
        value = false;
      } else {
        return std::nullopt;  // a number, an array, an object: nlohmann's
      }
      skip_space();
      if (i >= n) return std::nullopt;
      if (bytes[i] == ',') {
        ++i;
        continue;
      }
      if (bytes[i] != '}') return std::nullopt;
      ++i;
      break;
    }
  }
  skip_space();
  if (i != n) return std::nullopt;
  return j;
}

std::optional<nlohmann::json> JsonRecords::parse_object(std::string_view bytes, size_t line_no) {
  if (bytes.size() > options_.max_record_bytes) {
    problems_.skip(line_no, record_too_long(options_));
    return std::nullopt;
  }
  // A news record's usual shape, one level deep: read without nlohmann, and without the depth scan.
  if (std::optional<json> flat = flat_json_object(bytes)) return flat;
  if (json_depth(bytes, kMaxJsonDepth) > kMaxJsonDepth) {
    problems_.skip(line_no,
                   "malformed JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return std::nullopt;
  }
  json j;
  try {
    j = json::parse(bytes);
  } catch (const std::exception& e) {
    problems_.skip(line_no, "malformed JSON: " + json_error(e));
    return std::nullopt;
  }
  if (!j.is_object()) {
    problems_.skip(line_no, std::string("not a JSON object (") + j.type_name() + ")");
    return std::nullopt;
  }
  return j;
}

bool JsonRecords::record_text(nlohmann::json& j, size_t line_no, std::string& text,
                              std::optional<Article>& from_html) {
  // Text: a string, or an array of paragraph strings; or a saved page in "html" (or HTML in "text").
  const json* tv = first_field(j, {"text", "body", "content"});
  const json* hv = first_field(j, {"html", "raw_html"});
  // (get_ref: get<std::string>() copied the whole text to see whether it was empty.)
  const bool no_text = tv == nullptr || !tv->is_string() || tv->get_ref<const std::string&>().empty();
  if (hv != nullptr && hv->is_string() && no_text) tv = hv;
  if (tv != nullptr && tv->is_string() && (tv == hv || looks_like_html(tv->get_ref<const std::string&>()))) {
    HtmlPage page = parse_html(tv->get_ref<const std::string&>(), {"UTF-8", "", ""});
    from_html = html_article(page, {}, "", "", options_.max_passage_bytes);
  }
  if (tv == nullptr) {
    problems_.skip(line_no, "record has no text (no \"text\" or \"body\" field)");
    return false;
  }
  if (from_html) {
    // Passages and metadata from the page; the record's own fields win over the page's.
  } else if (tv->is_string()) {
    // Moved, not copied: `j` is this record's own parse, and only its other fields are read after this.
    text = std::move(const_cast<json*>(tv)->get_ref<std::string&>());
  } else if (tv->is_array() &&
             std::all_of(tv->begin(), tv->end(), [](const json& e) { return e.is_string(); })) {
    for (const auto& e : *tv) {
      if (!text.empty()) text += "\n\n";
      text += e.get<std::string>();
    }
  } else {
    problems_.skip(line_no, std::string("field \"text\" is not a string (") + tv->type_name() + ")");
    return false;
  }
  return true;
}

void JsonRecords::record_id(const nlohmann::json& j, size_t line_no, Article& a, bool warn) {
  const json* idv = first_field(j, {"id", "_id"});
  if (idv != nullptr && idv->is_string() && !trim_space(idv->get<std::string>()).empty()) {
    a.id = std::string(trim_space(idv->get<std::string>()));
  } else if (idv != nullptr && (idv->is_number_integer() || idv->is_number_unsigned())) {
    a.id = idv->dump();
  } else {
    if (idv != nullptr && warn)
      problems_.warn(line_no, "field \"id\" is not a string or integer; id made from the line");
    a.id = input_.id + ":" + std::to_string(line_no);
  }
}

void JsonRecords::record_fields(const nlohmann::json& j, size_t line_no, Article& a) {
  auto string_field = [&](std::initializer_list<const char*> names,
                          const char* label) -> std::optional<std::string> {
    const json* v = first_field(j, names);
    if (v == nullptr) return std::nullopt;
    if (auto s = override_value(*v)) return s;
    problems_.warn(line_no, std::string("field \"") + label + "\" has an unusable type (" + v->type_name() +
                                "); ignored");
    return std::nullopt;
  };
  record_id(j, line_no, a, true);
  if (auto v = string_field({"title", "headline"}, "title"))
    set_field(a, "title", *v, problems_, line_no, "record");
  if (auto v = string_field({"subtitle", "deck"}, "subtitle"))
    set_field(a, "subtitle", *v, problems_, line_no, "record");
  if (auto v = string_field({"outlet", "source", "publisher"}, "outlet"))
    set_field(a, "outlet", *v, problems_, line_no, "record");
  if (auto v = string_field({"author", "authors", "byline"}, "author"))
    set_field(a, "author", *v, problems_, line_no, "record");
  if (auto v = string_field({"url", "link"}, "url")) set_field(a, "url", *v, problems_, line_no, "record");
  if (auto v = string_field({"language", "lang"}, "language"))
    set_field(a, "language", *v, problems_, line_no, "record");
  if (const json* dv = first_field(j, {"date", "published", "published_at", "pubdate"})) {
    if (dv->is_string()) {
      set_field(a, "date", dv->get<std::string>(), problems_, line_no, "record");
    } else if (dv->is_number_integer() || dv->is_number_unsigned()) {
      // Unix time: seconds, or milliseconds when it is too large to be seconds of this era.
      auto t = dv->get<int64_t>();
      if (t > 100'000'000'000LL || t < -100'000'000'000LL) t /= 1000;
      std::string iso = civil_date(t);
      if (auto ok = parse_date(iso))
        a.date = *ok;
      else
        problems_.warn(line_no, "record date " + dv->dump() + " is out of range; date left unknown");
    } else {
      problems_.warn(line_no,
                     std::string("field \"date\" has an unusable type (") + dv->type_name() + "); ignored");
    }
  }
}

void JsonRecords::record(std::string_view bytes, size_t line_no) {
  if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
  std::optional<json> j = parse_object(bytes, line_no);
  if (!j) return;
  std::string text;
  std::optional<Article> from_html;
  if (!record_text(*j, line_no, text, from_html)) return;

  Article a;
  if (from_html) a = std::move(*from_html);
  const Article page_fields = a;  // what the page said, before the record's fields
  a.path = input_.path + ":" + std::to_string(line_no);
  if (options_.skip_record) {
    // Another shard's record: dropped as soon as its id is known, before any field is read or checked.
    Article probe;
    record_id(*j, line_no, probe, false);
    if (options_.skip_record(probe.id)) return;
  }
  record_fields(*j, line_no, a);

  if (!from_html) a.passages = split_passages(text, PassageOptions{options_.max_passage_bytes, 0});
  if (a.passages.size() > options_.max_passages) {
    problems_.skip(line_no, too_many_passages(options_));
    return;
  }
  if (input_.manifest != nullptr) {
    bool has_id = input_.manifest->count("id") != 0;
    if (has_id && !warned_manifest_id_) {
      problems_.warn(0, "manifest \"id\" ignored for a file of many records");
      warned_manifest_id_ = true;
    }
    apply_overrides(a, *input_.manifest, problems_, line_no, "manifest", false);
  }
  if (a.passages.empty()) {
    problems_.skip(line_no, "record has no article text");
    return;
  }
  if (from_html) {
    // The record's own fields win over the page's markup.
    auto mark = [&](const char* f, const std::optional<std::string>& before,
                    const std::optional<std::string>& now) {
      if (before != now) a.sources[f] = "record";
    };
    mark("title", page_fields.title, a.title);
    mark("subtitle", page_fields.subtitle, a.subtitle);
    mark("outlet", page_fields.outlet, a.outlet);
    mark("date", page_fields.date, a.date);
    mark("author", page_fields.author, a.author);
    mark("url", page_fields.url, a.url);
    mark("language", page_fields.language, a.language);
  } else {
    // (a page's speakers are attributed by html_article())
    attribute_speakers(a.passages, excluded_speakers(a), &a.speaker_info);
  }
  a.content_hash = content_hash(bytes, input_.manifest != nullptr ? *input_.manifest : MetadataOverrides{},
                                options_.max_passage_bytes);
  sink_(std::move(a));
}

}  // namespace dateline::reading
