/** @file
 *  @brief Output: one Printer interface, a backend per --format (text, json, jsonl, tsv, ids, trec).
 *
 *  The JSON and JSON Lines grammar is written down in docs/json-schema.md; any change to it updates
 *  that document, and an incompatible change bumps kJsonSchemaVersion.
 */
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/searcher.h"
#include "searcher/stories.h"

namespace dateline {

/// Version of the JSON/JSONL output grammar (docs/json-schema.md). New optional fields keep it;
/// renamed, removed or retyped fields bump it.
inline constexpr int kJsonSchemaVersion = 1;

enum class Format { kText, kJson, kJsonl, kTsv, kIds, kTrec };

/// "text" | "json" | "jsonl" | "tsv" | "ids" | "trec"; std::nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);

/// How results are written.
struct PrintOptions {
  bool colour = false;  ///< text: highlights in bold red, headings bold (only when stdout is a terminal)
  bool batch = false;   ///< several queries: tsv/ids lines start with the query id
  bool pretty = false;  ///< json: indented; by default one compact line per query (pipe into `jq` to read)
};

/// One printer per run; print() once per query. Writes to the stream only (never stderr).
class Printer {
 public:
  virtual ~Printer() = default;
  /// Called first for each query. `qid`: the batch id or --qid (absent for a plain single query).
  virtual void begin(const SearchResult& result, const std::optional<std::string>& qid) = 0;
  virtual void hit(const Hit& hit) = 0;
  virtual void facets(const std::vector<FacetResult>& facets) = 0;
  virtual void end(const SearchResult& result) = 0;

  /// begin, every hit, facets, end.
  void print(const SearchResult& result, const std::optional<std::string>& qid = std::nullopt);
};

/// The backend for `format`, writing to `out` (which must outlive the printer).
std::unique_ptr<Printer> make_printer(Format format, std::ostream& out, const PrintOptions& options);

/// A hit as a JSON object (the "hits" items of --format json; jsonl adds "type" and "qid").
nlohmann::ordered_json hit_json(const Hit& hit);

/// Serialises JSON as one line (compact) or indented, replacing invalid UTF-8 with U+FFFD, never throwing.
std::string dump_json(const nlohmann::ordered_json& j, bool pretty = false);

/// TSV field escaping: backslash, tab, newline and carriage return become \\ \t \n \r; other C0
/// controls, DEL and bytes of invalid UTF-8 become \xNN, C1 controls \u00NN (no raw terminal escapes).
std::string escape_tsv(std::string_view field);

/// Prints `--count` output: the number (text, tsv, ids, trec; "QID\tN" in batch) or a JSON object.
void print_count(std::ostream& out, Format format, const std::string& query, uint64_t count, bool exact,
                 const std::optional<std::string>& qid, bool batch);

/// Prints `--info` output (text, or one JSON object for json/jsonl).
void print_info(std::ostream& out, Format format, const DatabaseInfo& info);

/// Prints `--list` output: text "VALUE<TAB>COUNT" per line; tsv the same after a "value<TAB>count" header;
/// ids the values only; json one array of {"value","count"}; jsonl one such object per line. Values are
/// escaped as TSV fields (escape_tsv) in every line format. trec is not a listing format: the caller
/// refuses it.
void print_list(std::ostream& out, Format format, const std::vector<FacetCount>& values);

/// Prints `--story` output: the copies by date. text: "story ID: N copies" then "DATE  OUTLET  ID  TITLE"
/// lines; tsv: a header and those fields; ids: the ids; json: {"schema_version", "article", "story",
/// "copies": [{"id", "outlet", "date", "title"}]} (null for what is unknown); jsonl: one {"type": "copy",
/// "story", ...} line per copy. trec does not apply: the caller refuses it.
void print_story(std::ostream& out, Format format, const stories::Story& story);

/// Prints `--like` output: text "SCORE  DATE  OUTLET  ID  TITLE" lines; tsv a header and those fields; ids
/// the ids; json {"schema_version", "article", "hits": [{"id", "outlet", "date", "title", "score"}]};
/// jsonl one {"type": "hit", "article", ...} line per hit. trec is refused by the caller.
void print_like(std::ostream& out, Format format, std::string_view article,
                const std::vector<stories::StoryArticle>& hits);

/// One batch error as a JSON line: {"type":"error","line":N,"qid":...,"message":...,"column":...}.
std::string error_json(size_t line, const std::optional<std::string>& qid, const std::string& message,
                       std::optional<size_t> column);

/// Byte offset of code point `cp` in valid UTF-8 `text` (text.size() when past the end).
size_t code_point_to_byte(std::string_view text, size_t cp);

}  // namespace dateline
