/** @file
 *  @brief Metadata from outside an article's text: override fields, sidecars, manifests (see metadata.h).
 */
#include "articles/metadata.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <system_error>

#include "articles/dates.h"
#include "articles/outlets.h"
#include "articles/passages.h"
#include "articles/stream.h"
#include "base/ascii.h"
#include "base/languages.h"

namespace dateline {
namespace reading {

using json = nlohmann::json;
namespace fs = std::filesystem;

bool is_override_field(std::string_view field) {
  static const std::set<std::string, std::less<>> kOverrideFields{"id",   "title",  "subtitle", "outlet",
                                                                  "date", "author", "url",      "language"};
  return kOverrideFields.count(field) != 0;
}

std::string language_code(std::string_view value) {
  std::string v = ascii::lower(trim_space(value));
  size_t cut = v.find_first_of("-_");
  std::string primary = v.substr(0, cut);
  if (primary.size() == 2 &&
      std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return primary;
  if (std::string_view code = languages::code_of(v); !code.empty()) return std::string(code);
  static const std::map<std::string, std::string, std::less<>> kIso639_2{
      {"eng", "en"}, {"fra", "fr"}, {"fre", "fr"}, {"deu", "de"}, {"ger", "de"}, {"spa", "es"}, {"rus", "ru"},
      {"ita", "it"}, {"por", "pt"}, {"nld", "nl"}, {"dut", "nl"}, {"ukr", "uk"}};
  auto it = kIso639_2.find(v);
  return it != kIso639_2.end() ? it->second : std::string();
}

void set_field(Article& a, const std::string& field, const std::string& raw, Problems& problems, size_t line,
               std::string_view origin) {
  std::string value = tidy(raw);
  a.provenance.erase(field);  // the value is now the record's or the override's, not read from a line
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

void mark_sources(Article& a, const MetadataOverrides& overrides, const char* origin) {
  for (const auto& [field, value] : overrides)
    if (field != "id") {
      if (value.empty())
        a.sources.erase(field);
      else
        a.sources[field] = origin;
    }
}

MetadataOverrides read_sidecar(const fs::path& file, std::vector<Diagnostic>& diagnostics,
                               Overflow& overflow) {
  MetadataOverrides out;
  std::string name = file.filename().string();
  std::string lower = ascii::lower(name);
  std::string stem = name;
  if (lower.ends_with(".gz")) stem.resize(stem.size() - 3);
  std::string with_ext = stem;
  size_t dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  for (const std::string& candidate : {stem + ".meta.json", with_ext + ".meta.json"}) {
    fs::path side = file.parent_path() / candidate;
    std::error_code ec;
    if (!fs::is_regular_file(side, ec)) continue;
    Problems problems(side.string(), diagnostics, &overflow);
    std::ifstream in(side, std::ios::binary);
    // One byte past the limit tells an oversized sidecar; the rest of it is never read.
    std::string text(kMaxSidecarBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (!in.is_open() || in.bad()) {
      problems.warn(0, "cannot read sidecar metadata; overrides not applied");
      return out;
    }
    if (text.size() > kMaxSidecarBytes) {
      problems.warn(0, "sidecar metadata larger than " + size_label(kMaxSidecarBytes) +
                           "; overrides not applied");
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
      if (!is_override_field(key)) {
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

}  // namespace reading

Manifest read_manifest(const std::filesystem::path& file) {
  using namespace reading;  // NOLINT: the sidecar's JSON and path helpers
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!f) throw std::runtime_error(file.string() + ":0: cannot open manifest: " + std::strerror(errno));
  Manifest m;
  fs::path base = file.parent_path();
  size_t line_no = 0;
  auto fail = [&](const std::string& reason) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line_no) + ": " + reason);
  };
  auto parse_line = [&](std::string& line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim_space(line).empty()) return;
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
      if (!is_override_field(k)) fail("unknown field \"" + k + "\"");
      auto value = override_value(v);
      if (!value) fail("field \"" + k + "\" must be a string, number, null or array of strings");
      overrides[k] = *value;
    }
    m.by_path[key] = std::move(overrides);
  };
  // Read in chunks, line by line: neither an endless line (/dev/zero) nor an endless file is held.
  FileSource source(f.get());
  std::string chunk, line;
  uint64_t total = 0;
  while (source.read(chunk, kChunkBytes) > 0) {
    total += chunk.size();
    if (total > kMaxManifestBytes)
      fail("manifest larger than " + size_label(kMaxManifestBytes) +
           "; not read (split it, or use sidecars)");
    size_t pos = 0;
    while (pos < chunk.size()) {
      size_t nl = chunk.find('\n', pos);
      size_t end = nl == std::string::npos ? chunk.size() : nl;
      if (line.size() + (end - pos) > kMaxManifestLineBytes + 1) {  // + 1: a '\r' before the '\n'
        ++line_no;
        fail("line longer than " + size_label(kMaxManifestLineBytes) +
             "; not a manifest line (one article's path and metadata)");
      }
      line.append(chunk, pos, end - pos);
      if (nl == std::string::npos) break;
      ++line_no;
      parse_line(line);
      line.clear();
      pos = nl + 1;
    }
    chunk.clear();
  }
  if (!source.error().empty()) fail(source.error());
  if (!line.empty()) {
    ++line_no;
    parse_line(line);
  }
  return m;
}

}  // namespace dateline
