/** @file
 *  @brief JSON records to Articles: a JSON Lines line, a .json holding one record object, or a top-level
 *  array of them (each element found without parsing the whole, so one bad record is reported at its line
 *  and the others are still read). The record fields are listed at read_file() in reader.h.
 */
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "articles/read_support.h"
#include "articles/reader.h"

namespace dateline::reading {

/// "record longer than N bytes; not read" (ReadOptions::max_record_bytes).
std::string record_too_long(const ReadOptions& options);
/// "article cut into more than N passages (skipped)" (ReadOptions::max_passages).
std::string too_many_passages(const ReadOptions& options);

/// Where an input's records come from.
struct RecordInput {
  std::string path;  ///< the input's Article::path; a record's is "PATH:LINE"
  std::string id;    ///< the input's id; a record without one gets "ID:LINE"
  const MetadataOverrides* manifest = nullptr;  ///< the input's manifest entry: overrides every record
};

/// The JSON records of one input, each handed to `sink` as an Article; problems to `problems`, reading on.
class JsonRecords {
 public:
  JsonRecords(const ReadOptions& options, const ArticleSink& sink, RecordInput input, Problems& problems)
      : options_(options), sink_(sink), input_(std::move(input)), problems_(problems) {}

  /// One record (a JSON Lines line or an array element) at `line_no`; a trailing '\r' is dropped.
  void record(std::string_view bytes, size_t line_no);
  /// JSON Lines text: a record per non-blank line.
  void lines(std::string_view text);
  /// A .json document: one record object (possibly pretty-printed), a top-level array of records, or else
  /// JSON Lines.
  void document(std::string_view text);

 private:
  /// The record's JSON object; std::nullopt (and a skip) when it is too long, too deep, malformed or not an
  /// object.
  std::optional<nlohmann::json> parse_object(std::string_view bytes, size_t line_no);
  /// The record's text ("text", "body", "content": a string or paragraph strings) into `text`, or the page
  /// its "html" holds into `from_html`. False (and a skip) for a record without usable text. A text that is
  /// one string is moved out of `j` (no other field is read from there).
  bool record_text(nlohmann::json& j, size_t line_no, std::string& text, std::optional<Article>& from_html);
  /// The record's id (else "ID:LINE") and metadata fields onto `a` (warnings for unusable ones).
  /// The record's id ("id", "_id", else FILE-ID:LINE) into `a.id`; `warn`: about an unusable "id" field.
  void record_id(const nlohmann::json& j, size_t line_no, Article& a, bool warn);
  void record_fields(const nlohmann::json& j, size_t line_no, Article& a);

  const ReadOptions& options_;
  const ArticleSink& sink_;
  RecordInput input_;
  Problems& problems_;
  bool warned_manifest_id_ = false;
};

/// The JSON object `bytes` holds, read without nlohmann's parser when it is a flat object of the kind news
/// records are (every value a string, null, true or false): what json::parse(bytes) gives for it. Anything
/// else (a number, an array, a nested object, a \u surrogate, a BOM, malformed JSON, invalid UTF-8) gives
/// std::nullopt, and the caller parses it with nlohmann, errors and all.
std::optional<nlohmann::json> flat_json_object(std::string_view bytes);

}  // namespace dateline::reading
