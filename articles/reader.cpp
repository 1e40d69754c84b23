/** @file
 *  @brief Reads input files (plain text, JSON Lines, .gz of either, sidecar/manifest metadata) into Articles.
 */
#include "articles/reader.h"

#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <system_error>

#include "articles/dates.h"
#include "articles/encoding.h"
#include "articles/outlets.h"
#include "articles/passages.h"
#include "articles/people.h"

namespace dateline {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kMaxJsonDepth = 64;  // nlohmann parses recursively: refuse deeper records first
constexpr size_t kMaxTitleBytes = 200;
constexpr size_t kMaxSubtitleBytes = 300;
constexpr size_t kMaxSkippedLeadLines = 5;  // masthead / share-bar lines skipped before the title
constexpr std::string_view kHashSalt = "dateline-reader-1";  // bump when extraction changes what is indexed

const std::set<std::string, std::less<>> kOverrideFields{"id",   "title",  "subtitle", "outlet",
                                                         "date", "author", "url",      "language"};

enum class Format { kText, kJsonLines, kJson, kSniff };

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// The file name without a trailing ".gz", lowercased.
std::string base_name_lower(const fs::path& file) {
  std::string name = ascii_lower(file.filename().string());
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  return name;
}

Format format_of(const fs::path& file) {
  std::string name = base_name_lower(file);
  if (ends_with(name, ".txt") || ends_with(name, ".text")) return Format::kText;
  if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson")) return Format::kJsonLines;
  if (ends_with(name, ".json")) return Format::kJson;
  return Format::kSniff;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// XXH3-64 of the record bytes, the overrides (sorted: std::map) and the passage bound.
std::string content_hash(std::string_view bytes, const MetadataOverrides& overrides,
                         size_t max_passage_bytes) {
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
  if (!state) return hex64(XXH3_64bits(bytes.data(), bytes.size()));
  XXH3_64bits_reset(state.get());
  XXH3_64bits_update(state.get(), bytes.data(), bytes.size());
  std::string meta(kHashSalt);
  meta += '\0';
  meta += std::to_string(max_passage_bytes);
  for (const auto& [k, v] : overrides) {
    meta += '\0';
    meta += k;
    meta += '=';
    meta += v;
  }
  XXH3_64bits_update(state.get(), meta.data(), meta.size());
  return hex64(XXH3_64bits_digest(state.get()));
}

/// Where a byte-by-byte scan of JSON text stands with respect to string literals (escapes included).
struct JsonStringState {
  bool in_string = false;
  bool escape = false;

  /// True when `c` belongs to a string literal already open (its closing quote included): the caller
  /// skips it. A '"' outside a string is the caller's to see; it then sets in_string.
  bool inside(char c) {
    if (!in_string) return false;
    if (escape)
      escape = false;
    else if (c == '\\')
      escape = true;
    else if (c == '"')
      in_string = false;
    return true;
  }
};

/// Deepest nesting of `[`/`{` in JSON text (strings skipped); stops counting once past `limit`.
size_t json_depth(std::string_view s, size_t limit) {
  size_t depth = 0, deepest = 0;
  JsonStringState str;
  for (char c : s) {
    if (str.inside(c)) continue;
    if (c == '"')
      str.in_string = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string json_error(const std::exception& e) {
  std::string what = e.what();
  if (what.rfind("[json.exception.", 0) == 0) {
    size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
  }
  // Records are one line: "at line 1, column 70" says less than "at column 70".
  if (size_t at = what.find("at line 1, column "); at != std::string::npos) what.erase(at + 3, 8);
  return what;
}

/// Collapses runs of whitespace to one space and trims.
std::string tidy(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim_space(s)) {
    bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

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

/// ISO 639-1 code for a language field: "en", "en-US", "EN_gb", "English" -> "en". Empty when unknown.
std::string language_code(std::string_view value) {
  std::string v = ascii_lower(trim_space(value));
  size_t cut = v.find_first_of("-_");
  std::string primary = v.substr(0, cut);
  if (primary.size() == 2 &&
      std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return primary;
  static const std::map<std::string, std::string, std::less<>> kNames{
      {"arabic", "ar"},     {"danish", "da"},     {"dutch", "nl"},     {"english", "en"},
      {"finnish", "fi"},    {"french", "fr"},     {"german", "de"},    {"greek", "el"},
      {"hungarian", "hu"},  {"indonesian", "id"}, {"irish", "ga"},     {"italian", "it"},
      {"lithuanian", "lt"}, {"nepali", "ne"},     {"norwegian", "no"}, {"portuguese", "pt"},
      {"romanian", "ro"},   {"russian", "ru"},    {"spanish", "es"},   {"swedish", "sv"},
      {"tamil", "ta"},      {"turkish", "tr"},    {"armenian", "hy"},  {"basque", "eu"},
      {"catalan", "ca"},    {"ukrainian", "uk"},  {"polish", "pl"},    {"belarusian", "be"},
      {"eng", "en"},        {"fra", "fr"},        {"fre", "fr"},       {"deu", "de"},
      {"ger", "de"},        {"spa", "es"},        {"rus", "ru"},       {"ita", "it"},
      {"por", "pt"},        {"nld", "nl"},        {"dut", "nl"},       {"ukr", "uk"}};
  auto it = kNames.find(v);
  return it != kNames.end() ? it->second : std::string();
}

/// Collects per-input problems with the file name filled in.
class Problems {
 public:
  Problems(std::string file, std::vector<Diagnostic>& out) : file_(std::move(file)), out_(out) {}
  void skip(size_t line, std::string reason) { out_.push_back({file_, line, std::move(reason), true}); }
  void warn(size_t line, std::string reason) { out_.push_back({file_, line, std::move(reason), false}); }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<Diagnostic>& out_;
};

/// Sets one metadata field of `a` from a trusted value (record field or override). `line` for messages.
void set_field(Article& a, const std::string& field, const std::string& raw, Problems& problems, size_t line,
               std::string_view origin) {
  std::string value = tidy(raw);
  auto clear_or = [&](std::optional<std::string>& slot, std::string v) {
    if (v.empty())
      slot.reset();
    else
      slot = std::move(v);
  };
  if (field == "title")
    clear_or(a.title, value);
  else if (field == "subtitle")
    clear_or(a.subtitle, value);
  else if (field == "author")
    clear_or(a.author, value);
  else if (field == "url")
    clear_or(a.url, value);
  else if (field == "outlet")
    clear_or(a.outlet, value.empty() ? value : canonical_outlet_or_self(value));
  else if (field == "date") {
    if (value.empty()) {
      a.date.reset();
    } else if (auto iso = parse_date(value)) {
      a.date = *iso;
    } else {
      a.date.reset();
      problems.warn(line, std::string(origin) + " date \"" + value.substr(0, 80) +
                              "\" is not a date I can read; date left unknown");
    }
  } else if (field == "language") {
    if (value.empty()) {
      a.language.reset();
    } else if (std::string code = language_code(value); !code.empty()) {
      a.language = code;
    } else {
      a.language.reset();
      problems.warn(line, std::string(origin) + " language \"" + value.substr(0, 40) +
                              "\" is not a language code; ignored");
    }
  } else if (field == "id") {
    if (value.empty())
      problems.warn(line, std::string(origin) + " id is empty; kept \"" + a.id + "\"");
    else
      a.id = value;
  }
}

void apply_overrides(Article& a, const MetadataOverrides& overrides, Problems& problems, size_t line,
                     std::string_view origin, bool allow_id) {
  for (const auto& [field, value] : overrides) {
    if (field == "id" && !allow_id) continue;
    set_field(a, field, value, problems, line, origin);
  }
}

/// A JSON value as an override string: strings as is, numbers printed, null -> "" (clear), arrays of
/// strings joined by ", ". std::nullopt for anything else.
std::optional<std::string> override_value(const json& v) {
  if (v.is_null()) return std::string();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_array()) {
    std::string joined;
    for (const auto& e : v) {
      if (!e.is_string()) return std::nullopt;
      if (!joined.empty()) joined += ", ";
      joined += e.get<std::string>();
    }
    return joined;
  }
  if (v.is_object() && v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
  return std::nullopt;
}

/// The names an article's speakers must never be: its author(s) and outlet.
std::vector<std::string> not_people(const Article& a) {
  std::vector<std::string> out;
  if (a.author) {
    size_t pos = 0;
    while (pos <= a.author->size()) {
      size_t comma = a.author->find(", ", pos);
      std::string name = a.author->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!name.empty()) out.push_back(name);
      if (comma == std::string::npos) break;
      pos = comma + 2;
    }
  }
  if (a.outlet) out.push_back(*a.outlet);
  return out;
}

/// Reads a sidecar NAME.meta.json beside a plain-text file, if there is one.
MetadataOverrides read_sidecar(const fs::path& file, std::vector<Diagnostic>& diagnostics) {
  MetadataOverrides out;
  std::string name = file.filename().string();
  std::string lower = ascii_lower(name);
  std::string stem = name;
  if (ends_with(lower, ".gz")) stem.resize(stem.size() - 3);
  std::string with_ext = stem;
  size_t dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  for (const std::string& candidate : {stem + ".meta.json", with_ext + ".meta.json"}) {
    fs::path side = file.parent_path() / candidate;
    std::error_code ec;
    if (!fs::is_regular_file(side, ec)) continue;
    Problems problems(side.string(), diagnostics);
    std::ifstream in(side, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      problems.warn(0, "cannot read sidecar metadata; overrides not applied");
      return out;
    }
    if (json_depth(text, kMaxJsonDepth) > kMaxJsonDepth) {
      problems.warn(0, "sidecar metadata nested too deeply; overrides not applied");
      return out;
    }
    json j;
    try {
      j = json::parse(text);
    } catch (const std::exception& e) {
      problems.warn(0, "malformed JSON: " + json_error(e) + "; sidecar overrides not applied");
      return out;
    }
    if (!j.is_object()) {
      problems.warn(0, "sidecar metadata is not a JSON object; overrides not applied");
      return out;
    }
    for (const auto& [key, value] : j.items()) {
      if (kOverrideFields.count(key) == 0) {
        problems.warn(0, "unknown field \"" + key + "\" ignored");
        continue;
      }
      if (auto v = override_value(value))
        out[key] = *v;
      else
        problems.warn(0, "field \"" + key + "\" has an unusable type; ignored");
    }
    return out;  // the first sidecar found is the one
  }
  return out;
}

fs::path manifest_key(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

/// Everything needed to turn one input's bytes into articles.
struct Input {
  std::string display;  // path as given, for Article::path and diagnostics
  std::string id;       // the file's id (relative path)
  Format format = Format::kSniff;
  MetadataOverrides sidecar;  // plain text only
  const MetadataOverrides* manifest = nullptr;
};

class Reader {
 public:
  Reader(const ReadOptions& options, const ArticleSink& sink, std::vector<Diagnostic>& diagnostics)
      : options_(options), sink_(sink), diagnostics_(diagnostics) {}

  void read(std::string_view bytes, const Input& input) {
    Problems problems(input.display, diagnostics_);
    std::string inflated;
    if (is_gzip(bytes)) {
      std::string error;
      auto out = gunzip(bytes, error);
      if (!out) {
        problems.skip(0, error);
        return;
      }
      inflated = std::move(*out);
      bytes = inflated;
    } else if (ends_with(ascii_lower(input.display), ".gz")) {
      problems.skip(0, "corrupt gzip: not in gzip format");
      return;
    }
    DecodedText decoded = decode_text(bytes);
    switch (decoded.status) {
      case TextStatus::kBinary:
        problems.skip(0, "binary file");
        return;
      case TextStatus::kEmpty:
        problems.skip(0, "empty");
        return;
      case TextStatus::kRepaired:
      case TextStatus::kConverted:
        problems.warn(0, decoded.describe());
        break;
      case TextStatus::kUtf8:
        break;
    }
    Format format = input.format;
    if (format == Format::kSniff || format == Format::kJson) {
      std::string_view t = trim_space(decoded.text);
      char first = t.empty() ? '\0' : t.front();
      if (first == '[')
        format = Format::kJson;
      else if (first == '{')
        format = input.format == Format::kJson ? Format::kJson : Format::kJsonLines;
      else if (input.format == Format::kJson)
        format = Format::kJsonLines;  // let the line reader report it
      else
        format = Format::kText;
    }
    switch (format) {
      case Format::kText:
        read_text(bytes, decoded.text, input, problems);
        break;
      case Format::kJsonLines:
        read_json_lines(decoded.text, input, problems);
        break;
      case Format::kJson:
        read_json(decoded.text, input, problems);
        break;
      case Format::kSniff:
        break;
    }
  }

 private:
  MetadataOverrides merged(const Input& input) const {
    MetadataOverrides all = input.sidecar;
    if (input.manifest != nullptr)
      for (const auto& [k, v] : *input.manifest) all[k] = v;
    return all;
  }

  void read_text(std::string_view raw, const std::string& text, const Input& input, Problems& problems) {
    Article a = parse_text_article(text, input.id, input.display, options_.max_passage_bytes);
    MetadataOverrides overrides = merged(input);
    apply_overrides(a, input.sidecar, problems, 0, "sidecar", true);
    if (input.manifest != nullptr) apply_overrides(a, *input.manifest, problems, 0, "manifest", true);
    if (a.passages.empty()) {
      problems.skip(0, "no article text (only a title, captions or page furniture)");
      return;
    }
    a.content_hash = content_hash(raw, overrides, options_.max_passage_bytes);
    sink_(std::move(a));
  }

  void read_json_lines(std::string_view text, const Input& input, Problems& problems) {
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (trim_space(line).empty()) continue;
      parse_record(line, line_no, input, problems);
    }
  }

  void read_json(std::string_view text, const Input& input, Problems& problems) {
    std::string_view t = trim_space(text);
    if (!t.empty() && t.front() == '{') {
      // One record object (possibly pretty-printed over many lines), else JSON Lines.
      if (json_depth(t, kMaxJsonDepth) <= kMaxJsonDepth && json::accept(t)) {
        parse_record(t, 1 + static_cast<size_t>(std::count(text.data(), t.data(), '\n')), input, problems);
      } else {
        read_json_lines(text, input, problems);
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
      if (!elem.empty()) parse_record(elem, elem_line, input, problems);
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
          if (!rest.empty()) problems.skip(line_no, "malformed JSON: unexpected data after the closing ']'");
          break;
        }
      } else if (c == ',' && depth == 1) {
        finish(i);
      }
    }
    if (!closed) {
      finish(text.size());  // the last element gets its own error message
      problems.skip(line_no, "malformed JSON: unterminated array (missing ']')");
    }
  }

  /// One JSON record (a JSON Lines line or an array element) to an Article.
  void parse_record(std::string_view bytes, size_t line_no, const Input& input, Problems& problems) {
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    if (json_depth(bytes, kMaxJsonDepth) > kMaxJsonDepth) {
      problems.skip(line_no,
                    "malformed JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      return;
    }
    json j;
    try {
      j = json::parse(bytes);
    } catch (const std::exception& e) {
      problems.skip(line_no, "malformed JSON: " + json_error(e));
      return;
    }
    if (!j.is_object()) {
      problems.skip(line_no, std::string("not a JSON object (") + j.type_name() + ")");
      return;
    }
    auto field = [&](std::initializer_list<const char*> names) -> const json* {
      for (const char* n : names) {
        auto it = j.find(n);
        if (it != j.end() && !it->is_null()) return &*it;
      }
      return nullptr;
    };
    auto string_field = [&](std::initializer_list<const char*> names,
                            const char* label) -> std::optional<std::string> {
      const json* v = field(names);
      if (v == nullptr) return std::nullopt;
      if (auto s = override_value(*v)) return s;
      problems.warn(line_no, std::string("field \"") + label + "\" has an unusable type (" + v->type_name() +
                                 "); ignored");
      return std::nullopt;
    };

    // Text: a string, or an array of paragraph strings.
    std::string text;
    const json* tv = field({"text", "body", "content"});
    if (tv == nullptr) {
      problems.skip(line_no, "record has no text (no \"text\" or \"body\" field)");
      return;
    }
    if (tv->is_string()) {
      text = tv->get<std::string>();
    } else if (tv->is_array() &&
               std::all_of(tv->begin(), tv->end(), [](const json& e) { return e.is_string(); })) {
      for (const auto& e : *tv) {
        if (!text.empty()) text += "\n\n";
        text += e.get<std::string>();
      }
    } else {
      problems.skip(line_no, std::string("field \"text\" is not a string (") + tv->type_name() + ")");
      return;
    }

    Article a;
    a.path = input.display + ":" + std::to_string(line_no);
    const json* idv = field({"id", "_id"});
    if (idv != nullptr && idv->is_string() && !trim_space(idv->get<std::string>()).empty()) {
      a.id = std::string(trim_space(idv->get<std::string>()));
    } else if (idv != nullptr && (idv->is_number_integer() || idv->is_number_unsigned())) {
      a.id = idv->dump();
    } else {
      if (idv != nullptr)
        problems.warn(line_no, "field \"id\" is not a string or integer; id made from the line");
      a.id = input.id + ":" + std::to_string(line_no);
    }
    if (auto v = string_field({"title", "headline"}, "title"))
      set_field(a, "title", *v, problems, line_no, "record");
    if (auto v = string_field({"subtitle", "deck"}, "subtitle"))
      set_field(a, "subtitle", *v, problems, line_no, "record");
    if (auto v = string_field({"outlet", "source", "publisher"}, "outlet"))
      set_field(a, "outlet", *v, problems, line_no, "record");
    if (auto v = string_field({"author", "authors", "byline"}, "author"))
      set_field(a, "author", *v, problems, line_no, "record");
    if (auto v = string_field({"url", "link"}, "url")) set_field(a, "url", *v, problems, line_no, "record");
    if (auto v = string_field({"language", "lang"}, "language"))
      set_field(a, "language", *v, problems, line_no, "record");
    if (const json* dv = field({"date", "published", "published_at", "pubdate"})) {
      if (dv->is_string()) {
        set_field(a, "date", dv->get<std::string>(), problems, line_no, "record");
      } else if (dv->is_number_integer() || dv->is_number_unsigned()) {
        // Unix time: seconds, or milliseconds when it is too large to be seconds of this era.
        auto t = dv->get<int64_t>();
        if (t > 100'000'000'000LL || t < -100'000'000'000LL) t /= 1000;
        std::string iso = civil_date(t);
        if (auto ok = parse_date(iso))
          a.date = *ok;
        else
          problems.warn(line_no, "record date " + dv->dump() + " is out of range; date left unknown");
      } else {
        problems.warn(line_no,
                      std::string("field \"date\" has an unusable type (") + dv->type_name() + "); ignored");
      }
    }

    a.passages = split_passages(text, PassageOptions{options_.max_passage_bytes, 0});
    if (input.manifest != nullptr) {
      bool has_id = input.manifest->count("id") != 0;
      if (has_id && !warned_manifest_id_) {
        problems.warn(0, "manifest \"id\" ignored for a file of many records");
        warned_manifest_id_ = true;
      }
      apply_overrides(a, *input.manifest, problems, line_no, "manifest", false);
    }
    if (a.passages.empty()) {
      problems.skip(line_no, "record has no article text");
      return;
    }
    attribute_speakers(a.passages, not_people(a));
    a.content_hash = content_hash(bytes, input.manifest != nullptr ? *input.manifest : MetadataOverrides{},
                                  options_.max_passage_bytes);
    sink_(std::move(a));
  }

  const ReadOptions& options_;
  const ArticleSink& sink_;
  std::vector<Diagnostic>& diagnostics_;
  bool warned_manifest_id_ = false;
};

std::string file_id(const fs::path& file, const fs::path& root) {
  if (root.empty()) return file.generic_string();
  fs::path rel = manifest_key(file).lexically_relative(manifest_key(root));
  std::string s = rel.generic_string();
  if (s.empty() || s == "." || s.rfind("..", 0) == 0) return file.generic_string();
  return s;
}

/// Is `line` a sentence rather than a headline: ends with a period after an ordinary word?
bool ends_with_sentence_period(std::string_view line) {
  if (line.empty() || line.back() != '.') return false;
  if (ends_with(line, "...")) return false;  // a trailing ellipsis is headline style
  size_t sp = line.find_last_of(' ');
  std::string_view last = sp == std::string_view::npos ? line : line.substr(sp + 1);
  // "U.S." and "Jr." end in an abbreviation, not a sentence.
  size_t dots = static_cast<size_t>(std::count(last.begin(), last.end(), '.'));
  return !(dots >= 2 || last.size() <= 3);
}

bool starts_like_headline(std::string_view line) {
  unsigned char c = static_cast<unsigned char>(line.front());
  if (c >= 'a' && c <= 'z') return false;
  return true;  // capitals, digits, quotes, non-ASCII letters
}

bool looks_like_headline(std::string_view line, size_t max_bytes) {
  if (line.empty() || line.size() > max_bytes) return false;
  size_t words = count_words(line);
  if (words < 2 || words > 40) return false;
  if (!starts_like_headline(line)) return false;
  char last = line.back();
  if (last == ',' || last == ';' || ends_with_sentence_period(line)) return false;
  if (is_boilerplate_line(line) || is_caption_line(line)) return false;
  if (canonical_outlet(line)) return false;  // a masthead
  return true;
}

/// "Headline | Reuters" -> "Headline" when the suffix is a known outlet.
std::string strip_outlet_suffix(std::string_view title) {
  for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
    size_t at = title.rfind(sep);
    if (at == std::string_view::npos || at == 0) continue;
    std::string_view suffix = trim_space(title.substr(at + sep.size()));
    if (!suffix.empty() && canonical_outlet(suffix)) return tidy(title.substr(0, at));
  }
  return tidy(title);
}

}  // namespace

Headline extract_headline(std::string_view utf8) {
  Headline h;
  struct L {
    std::string_view text;
    size_t end;          // offset just past the trimmed content
    bool block_follows;  // the next line is non-blank (same block)
  };
  // The first few non-blank lines and whether each continues its block.
  std::vector<L> lines;
  size_t pos = 0;
  while (pos < utf8.size() && lines.size() < kMaxSkippedLeadLines + 4) {
    size_t nl = utf8.find('\n', pos);
    if (nl == std::string_view::npos) nl = utf8.size();
    std::string_view raw = utf8.substr(pos, nl - pos);
    std::string_view t = trim_space(raw);
    pos = nl + 1;
    if (t.empty()) {
      if (!lines.empty()) lines.back().block_follows = false;
      continue;
    }
    lines.push_back({t, static_cast<size_t>(t.data() - utf8.data()) + t.size(), true});
    if (nl == utf8.size()) lines.back().block_follows = false;
  }
  if (lines.empty()) return h;
  auto next_is_credit = [&](size_t i) {
    return lines[i].block_follows && i + 1 < lines.size() && is_credit_line(lines[i + 1].text);
  };

  size_t i = 0;
  while (i < lines.size() && i < kMaxSkippedLeadLines) {
    std::string_view l = lines[i].text;
    if (is_date_line(l)) return h;  // the page opens with its date line: no headline stated
    if (l.size() <= 400 && (canonical_outlet(l) || (is_boilerplate_line(l) && !is_caption_line(l)))) {
      ++i;
      continue;
    }
    break;
  }
  if (i >= lines.size() || !looks_like_headline(lines[i].text, kMaxTitleBytes) || next_is_credit(i)) return h;
  h.title = strip_outlet_suffix(lines[i].text);
  h.body_begin = lines[i].end;
  ++i;
  if (i < lines.size() && tidy(lines[i].text) == tidy(lines[i - 1].text)) {
    h.body_begin = lines[i].end;
    ++i;
  }
  if (i < lines.size() && looks_like_headline(lines[i].text, kMaxSubtitleBytes) && !next_is_credit(i) &&
      tidy(lines[i].text) != *h.title) {
    h.subtitle = tidy(lines[i].text);
    h.body_begin = lines[i].end;
  }
  return h;
}

Article parse_text_article(std::string_view utf8, std::string id, std::string path,
                           size_t max_passage_bytes) {
  Article a;
  a.id = std::move(id);
  a.path = std::move(path);
  Headline h = extract_headline(utf8);
  a.title = std::move(h.title);
  a.subtitle = std::move(h.subtitle);
  a.date = extract_date(utf8);
  a.passages = split_passages(utf8, PassageOptions{max_passage_bytes, h.body_begin});
  a.outlet = extract_outlet(utf8);
  a.author = extract_author(utf8);
  attribute_speakers(a.passages, not_people(a));
  a.content_hash = content_hash(utf8, {}, max_passage_bytes);
  return a;
}

void read_buffer(std::string_view bytes, std::string_view name, const ReadOptions& options,
                 const ArticleSink& sink, std::vector<Diagnostic>& diagnostics) {
  Input input;
  input.display = std::string(name);
  input.id = std::string(name);
  input.format = Format::kSniff;
  Reader(options, sink, diagnostics).read(bytes, input);
}

void read_file(const fs::path& file, const ReadOptions& options, const ArticleSink& sink,
               std::vector<Diagnostic>& diagnostics) {
  Problems problems(file.string(), diagnostics);
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    problems.skip(0, "is a directory");
    return;
  }
  std::string bytes;
  {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
    if (!f) {
      problems.skip(0, std::string("cannot open: ") + std::strerror(errno));
      return;
    }
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) bytes.append(buf, n);
    if (std::ferror(f.get())) {
      problems.skip(0, std::string("cannot read: ") + std::strerror(errno));
      return;
    }
  }
  Input input;
  input.display = file.string();
  input.id = file_id(file, options.id_root);
  input.format = format_of(file);
  if (input.format == Format::kText || input.format == Format::kSniff)
    input.sidecar = read_sidecar(file, diagnostics);
  if (options.manifest != nullptr) {
    auto it = options.manifest->by_path.find(manifest_key(file).string());
    if (it != options.manifest->by_path.end()) input.manifest = &it->second;
  }
  Reader(options, sink, diagnostics).read(bytes, input);
}

Manifest read_manifest(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ":0: cannot open manifest: " + std::strerror(errno));
  Manifest m;
  fs::path base = file.parent_path();
  std::string line;
  size_t line_no = 0;
  auto fail = [&](const std::string& reason) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line_no) + ": " + reason);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim_space(line).empty()) continue;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (json_depth(line, kMaxJsonDepth) > kMaxJsonDepth) fail("malformed JSON: nested too deeply");
    json j;
    try {
      j = json::parse(line);
    } catch (const std::exception& e) {
      fail("malformed JSON: " + json_error(e));
    }
    if (!j.is_object()) fail("not a JSON object");
    auto p = j.find("path");
    if (p == j.end() || !p->is_string() || p->get<std::string>().empty()) fail("missing \"path\"");
    fs::path target = p->get<std::string>();
    if (target.is_relative()) target = base / target;
    std::string key = manifest_key(target).string();
    if (m.by_path.count(key) != 0) fail("duplicate path \"" + p->get<std::string>() + "\"");
    MetadataOverrides overrides;
    for (const auto& [k, v] : j.items()) {
      if (k == "path") continue;
      if (kOverrideFields.count(k) == 0) fail("unknown field \"" + k + "\"");
      auto value = override_value(v);
      if (!value) fail("field \"" + k + "\" must be a string, number, null or array of strings");
      overrides[k] = *value;
    }
    m.by_path[key] = std::move(overrides);
  }
  if (in.bad()) throw std::runtime_error(file.string() + ":" + std::to_string(line_no) + ": read error");
  return m;
}

bool is_article_file(const fs::path& file) {
  std::string name = base_name_lower(file);
  if (ends_with(name, ".meta.json")) return false;
  return ends_with(name, ".txt") || ends_with(name, ".text") || ends_with(name, ".jsonl") ||
         ends_with(name, ".ndjson") || ends_with(name, ".json");
}

}  // namespace dateline
