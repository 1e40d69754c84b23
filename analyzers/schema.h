/** @file
 *  @brief THE index contract: term prefixes, value slots, document data, metadata keys and version.
 *
 *  Everything that writes or reads a Dateline database takes its prefixes and slots from here, never
 *  from string literals of its own. docs/index-format.md renders this table for people.
 */
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace Xapian {
class Database;
class WritableDatabase;
}  // namespace Xapian

namespace dateline::schema {

/// The version of the index layout this build writes. Bump on any incompatible change.
inline constexpr int kVersion = 1;
/// The oldest layout this build can read.
inline constexpr int kOldestReadable = 1;

/// How a field's terms are made.
enum class FieldKind {
  kText,     ///< analysed text: unstemmed positional terms + stemmed terms under "Z" + prefix
  kBoolean,  ///< one exact term per value (lowercased, canonical), used as a filter
};

/// One row of the field table.
struct Field {
  std::string_view name;    ///< as typed in queries (`outlet:`), also the facet name
  std::string_view prefix;  ///< Xapian term prefix (Omega conventions: single capitals, or X...)
  FieldKind kind;
  int value_slot;   ///< value slot holding the field for facets/sorting, or -1
  unsigned weight;  ///< wdf multiplier for text fields (title counts more than body)
};

// ---- Term prefixes ---------------------------------------------------------------------------
// Text: unstemmed terms carry positions; stemmed terms carry "Z" before the field prefix and no
// positions (Xapian's STEM_SOME convention: `Ztroop`, `ZStroop`).
inline constexpr std::string_view kBody = "";      ///< passage text (positional)
inline constexpr std::string_view kTitle = "S";    ///< article title and subtitle (positional)
inline constexpr std::string_view kStemmed = "Z";  ///< put before a text prefix for stemmed terms
// Boolean filter terms: prefix + normalised value (see normalise_boolean()).
inline constexpr std::string_view kOutlet = "XO";           ///< canonical outlet name
inline constexpr std::string_view kAuthor = "A";            ///< author name
inline constexpr std::string_view kSpeaker = "XSP";         ///< speaker quoted in this passage
inline constexpr std::string_view kArticleSpeaker = "XSA";  ///< speaker quoted anywhere in the article
// Name words, so `speaker:lukashenko` finds "Alexander Lukashenko": prefix + each folded word of the name
// (analysed with the database's Analyzer, unstemmed).
inline constexpr std::string_view kSpeakerWord = "XSW";         ///< a word of a speaker name of this passage
inline constexpr std::string_view kArticleSpeakerWord = "XSB";  ///< a word of any speaker name in the article
inline constexpr std::string_view kAuthorWord = "XAW";          ///< a word of the author's name
inline constexpr std::string_view kOutletWord = "XOW";          ///< a word of the canonical outlet name
inline constexpr std::string_view kYear = "Y";                  ///< Y2022
inline constexpr std::string_view kMonth = "M";                 ///< M202202
inline constexpr std::string_view kDay = "D";                   ///< D20220224
inline constexpr std::string_view kArticleId = "XID";           ///< on every document of an article
inline constexpr std::string_view kUnique = "Q";    ///< Q<article id>#<passage number>: one document
inline constexpr std::string_view kKind = "K";      ///< KP passage document, KA article document
inline constexpr std::string_view kLanguage = "L";  ///< Len, Lfr... (ISO 639-1 of the stemmer)
inline constexpr std::string_view kKindPassage = "KP";
inline constexpr std::string_view kKindArticle = "KA";

// ---- Value slots ------------------------------------------------------------------------------
inline constexpr unsigned kSlotDate = 0;       ///< "YYYYMMDD" (sorts as text; empty when unknown)
inline constexpr unsigned kSlotArticleId = 1;  ///< article id: the collapse key
inline constexpr unsigned kSlotHash = 2;       ///< content hash of the article (hex), article document only
inline constexpr unsigned kSlotOutlet = 3;     ///< canonical outlet name, for facets
inline constexpr unsigned kSlotAuthor = 4;     ///< author(s), for facets; several joined by '\n'
inline constexpr unsigned kSlotSpeakers = 5;   ///< passage speakers joined by '\n', for facets
inline constexpr unsigned kSlotPassage = 6;    ///< passage number (Xapian::sortable_serialise), 0 = article
inline constexpr unsigned kSlotArticleSpeakers = 7;  ///< speakers of the whole article joined by '\n'

/// The field table: query field names, facets and `--info` read it.
inline constexpr std::array<Field, 7> kFields{{
    {"text", kBody, FieldKind::kText, -1, 1},
    {"title", kTitle, FieldKind::kText, -1, 3},
    {"outlet", kOutlet, FieldKind::kBoolean, static_cast<int>(kSlotOutlet), 1},
    {"author", kAuthor, FieldKind::kBoolean, static_cast<int>(kSlotAuthor), 1},
    {"speaker", kSpeaker, FieldKind::kBoolean, static_cast<int>(kSlotSpeakers), 1},
    {"date", kDay, FieldKind::kBoolean, static_cast<int>(kSlotDate), 1},
    {"id", kArticleId, FieldKind::kBoolean, static_cast<int>(kSlotArticleId), 1},
}};

/// wdf of each title/subtitle word among the article document's body terms: the title is also
/// article text for ranking (one BM25 field, as Anserini/Omega index title + body).
inline constexpr unsigned kTitleBodyWeight = 1;

/// Looks a field up by its query name; nullptr when unknown.
const Field* find_field(std::string_view name);

/// Normalises a value for a boolean term: NFKC, case-folded, inner whitespace collapsed to one
/// space, trimmed. "The  Washington Times" -> "the washington times".
std::string normalise_boolean(std::string_view value);

/// prefix + normalise_boolean(value), truncated so the term fits Xapian's 245-byte limit.
std::string boolean_term(std::string_view prefix, std::string_view value);

// ---- Document data ------------------------------------------------------------------------------
// Each document's data is a JSON object (UTF-8):
//   {"id", "path", "title", "subtitle", "outlet", "date", "author", "url",
//    "passage" (1-based; 0 on the article document), "text", "start", "end" (byte offsets of the
//    passage in the source file), "speakers": [...], "passages" (article document only: count),
//    "file" (article document only: absolute path of the source file, for `dateline-index --prune`;
//    absent for standard input)}
// Absent fields are omitted, never filled with a guess.

// ---- Metadata ---------------------------------------------------------------------------------
inline constexpr std::string_view kMetaVersion = "dateline.schema_version";
inline constexpr std::string_view kMetaAnalyzer = "dateline.analyzer";  ///< AnalyzerConfig::serialise()
inline constexpr std::string_view kMetaFeatures = "dateline.features";

/// What a database says about itself.
struct Stamp {
  int version = 0;
  std::string analyzer;  ///< serialised AnalyzerConfig
};

/// Writes version and analyzer settings into the metadata of a database being created.
void write_stamp(Xapian::WritableDatabase& db, std::string_view analyzer_config);

/// Reads the stamp; std::nullopt when the database has none (not a Dateline database, or empty).
std::optional<Stamp> read_stamp(const Xapian::Database& db);

/// Throws std::runtime_error with a one-line message naming `path`, the version found, the versions
/// this build reads and how to rebuild, when the stamp cannot be read by this build.
void check_readable(const Stamp& stamp, std::string_view path);

}  // namespace dateline::schema
