/** @file
 *  @brief Metadata from outside an article's text: the override fields, a sidecar NAME.meta.json beside a
 *  file, a manifest of many files (read_manifest() in reader.h), and a record's or override's value set on
 *  an Article (outlets canonicalised, dates parsed, languages as ISO 639-1 codes).
 */
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"
#include "articles/read_support.h"
#include "articles/reader.h"

namespace dateline::reading {

/// Is `field` one a sidecar or manifest may set: id, title, subtitle, outlet, date, author, url, language?
bool is_override_field(std::string_view field);

/// ISO 639-1 code for a language field: "en", "en-US", "EN_gb", "English", "eng" -> "en". Empty when unknown.
std::string language_code(std::string_view value);

/// Sets one metadata field of `a` from a trusted value (record field or override): tidied, empty clears it;
/// an unreadable date or language is a warning at `line`, naming `origin` ("record", "sidecar", "manifest").
void set_field(Article& a, const std::string& field, const std::string& raw, Problems& problems, size_t line,
               std::string_view origin);

/// set_field() for every override (the "id" one only when `allow_id`).
void apply_overrides(Article& a, const MetadataOverrides& overrides, Problems& problems, size_t line,
                     std::string_view origin, bool allow_id);

/// A JSON value as an override string: strings as is, numbers printed, null -> "" (clear), arrays of
/// strings joined by ", ", an object's "name". std::nullopt for anything else.
std::optional<std::string> override_value(const nlohmann::json& v);

/// Records in Article::sources that `overrides` set these fields (`origin`: "sidecar", "manifest").
void mark_sources(Article& a, const MetadataOverrides& overrides, const char* origin);

/// Reads a sidecar NAME.meta.json (or NAME.txt.meta.json) beside a plain-text file, if there is one, up to
/// kMaxSidecarBytes. Its problems are warnings and count towards the file's `overflow` (a 1 MiB sidecar of
/// unknown fields is 100,000 warnings).
MetadataOverrides read_sidecar(const std::filesystem::path& file, std::vector<Diagnostic>& diagnostics,
                               Overflow& overflow);

/// A path as manifests key it: absolute and lexically normal.
std::filesystem::path manifest_key(const std::filesystem::path& p);

}  // namespace dateline::reading
