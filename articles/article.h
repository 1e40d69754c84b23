/** @file
 *  @brief What an article is once read: metadata and passages. Plain structs, no Xapian.
 */
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dateline {

/// One passage: a paragraph, or a piece of a long paragraph cut at sentence boundaries.
struct Passage {
  std::string text;                   ///< UTF-8 (repaired), as it stands in the source, trimmed
  size_t begin = 0;                   ///< byte offset of the passage in the source file (decoded text)
  size_t end = 0;                     ///< one past its last byte
  std::vector<std::string> speakers;  ///< canonical names of those quoted in it, in order of first quote
};

/// What an article says of one of its speakers, beyond the name (Passage::speakers holds the names).
struct SpeakerInfo {
  bool organisation = false;  ///< an organisation ("Moody's Investors Service", "Kremlin"); else a person
  std::string role;           ///< title or role given with the name ("Chancellor of the Exchequer"), or empty
  bool operator==(const SpeakerInfo&) const = default;
};

/// Where an extracted metadata value was read: the line of the input text (1-based) and that line.
struct FieldSource {
  size_t line = 0;
  std::string text;
};

/// An article: the record the indexer turns into documents.
struct Article {
  std::string id;                    ///< stable id: the record's id, else the path relative to the input root
  std::string path;                  ///< file it came from (as given), with ":LINE" for JSON Lines records
  std::optional<std::string> title;  ///< headline; absent when the text has none
  std::optional<std::string> subtitle;  ///< deck under the headline
  std::optional<std::string> outlet;  ///< canonical publisher name (data/outlets.tsv), absent when not stated
  std::optional<std::string> date;    ///< publication date, ISO 8601 "YYYY-MM-DD"
  std::optional<std::string> author;  ///< byline; several authors joined by ", "
  /// News agency whose copy this is ("Associated Press", "Reuters"), when another site republished it
  /// (the outlet is then the site); canonical name from data/outlets.tsv. Absent for the site's own copy.
  std::optional<std::string> wire;
  std::optional<std::string> url;
  std::optional<std::string> language;  ///< ISO 639-1 when the record says so ("en")
  std::vector<Passage> passages;
  /// Each speaker named in the passages -> its kind and the first role the article gives it
  /// (attribute_speakers()); a role is never part of the name.
  std::map<std::string, SpeakerInfo> speaker_info;
  /// For values extracted from plain text: field name ("title", "date", "outlet", "wire", "author") -> the
  /// line it came from. Empty for values given by a record, sidecar or manifest.
  std::map<std::string, FieldSource> provenance;
  std::string content_hash;  ///< hex hash of the source bytes and the metadata overrides
  /// Where each metadata field came from, for HTML input ("title" -> "jsonld", "meta", "time", "text",
  /// "url", "sidecar", "manifest"); empty for other inputs.
  std::map<std::string, std::string> sources;
};

/// A problem with one input, reported and skipped past: never fatal to a run.
struct Diagnostic {
  std::string file;  ///< path as given
  size_t line = 0;   ///< 1-based line, 0 when the whole file is concerned
  std::string reason;
  bool skipped = true;  ///< true: the record/file was not indexed; false: a warning only (e.g. re-encoded)
};

}  // namespace dateline
