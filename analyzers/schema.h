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
/// 2: article documents carry their own ranking terms (kArticleText, kArticleTitle) instead of the
///    passage documents' body and title terms, so a ranked query reads posting lists of articles only.
inline constexpr int kVersion = 2;
/// The oldest layout this build can read.
inline constexpr int kOldestReadable = 2;

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
// Passage documents: unstemmed terms carry positions; stemmed terms carry "Z" before the field prefix
// and no positions (Xapian's STEM_SOME convention: `Ztroop`, `ZStroop`).
inline constexpr std::string_view kBody = "";      ///< passage text (positional)
inline constexpr std::string_view kTitle = "S";    ///< article title and subtitle (positional)
inline constexpr std::string_view kStemmed = "Z";  ///< put before a text prefix for stemmed terms
// Article documents: the ranking field, one term per word, no positions: the word's stem, or the word
// itself when the analyzer gives no stem (numbers, CJK, language "none"). Title and subtitle words count
// as article text too; kArticleTitle repeats them for the headline bonus and `title:word`. Their own
// prefixes keep passage documents out of the posting lists a ranked query reads (5-6 passages per
// article), and passage documents' text terms off article documents.
inline constexpr std::string_view kArticleText = "W";    ///< article text: title, subtitle and every passage
inline constexpr std::string_view kArticleTitle = "WS";  ///< title and subtitle words of the article
// Boolean filter terms: prefix + normalised value (see normalise_boolean()).
inline constexpr std::string_view kOutlet = "XO";           ///< canonical outlet name
inline constexpr std::string_view kAuthor = "A";            ///< author name
inline constexpr std::string_view kWire = "XWIRE";  ///< canonical news agency of wire copy (Article::wire)
inline constexpr std::string_view kSpeaker = "XSP";  ///< speaker quoted in this passage (article: anywhere)
// Name words, so `speaker:lukashenko` finds "Alexander Lukashenko": prefix + each folded word of the name
// (analysed with the database's Analyzer, unstemmed).
inline constexpr std::string_view kSpeakerWord = "XSW";  ///< a word of a speaker name of this passage (article: any)
inline constexpr std::string_view kAuthorWord = "XAW";          ///< a word of the author's name
inline constexpr std::string_view kOutletWord = "XOW";          ///< a word of the canonical outlet name
inline constexpr std::string_view kYear = "Y";                  ///< Y2022
inline constexpr std::string_view kMonth = "M";                 ///< M202202
inline constexpr std::string_view kDay = "D";                   ///< D20220224
inline constexpr std::string_view kArticleId = "XID";           ///< on every document of an article
inline constexpr std::string_view kUnique = "Q";    ///< Q<article id>#0: the article document
inline constexpr std::string_view kKind = "K";      ///< KP passage document, KA article document
inline constexpr std::string_view kKindPassage = "KP";
inline constexpr std::string_view kKindArticle = "KA";

// ---- Document ids --------------------------------------------------------------------------------
// Article documents take docids below kFirstPassageDocid, passage documents docids from it on, so the
// article documents a ranked query reads lie together in every posting list, in the document-length
// list and in the value streams (interleaved with 5-6 passages each, every length and value lookup
// decoded past them: ranked queries took 1.8x the time). An updated article keeps its article docid.
// 2^28 leaves room for 268 million articles and 4 billion passages per database, and for up to 8
// such databases searched together (Xapian 1.4 interleaves shards' 32-bit docids).
inline constexpr uint32_t kFirstPassageDocid = uint32_t{1} << 28;
/// Metadata: the highest article docid given so far (decimal text), so a new article gets the next.
inline constexpr std::string_view kMetaLastArticleDocid = "dateline.last_article_docid";
/// The archive root (absolute, symbolic links resolved): file ids are paths relative to it. Written when
/// the database is created; a database without it (made before) keeps the older rule (docs/index-format.md).
inline constexpr std::string_view kMetaIdRoot = "dateline.id_root";

// ---- Value slots ------------------------------------------------------------------------------
inline constexpr unsigned kSlotDate = 0;       ///< "YYYYMMDD" (sorts as text; empty when unknown)
inline constexpr unsigned kSlotArticleId = 1;  ///< article id: the collapse key
inline constexpr unsigned kSlotHash = 2;       ///< content hash of the article (hex), article document only
inline constexpr unsigned kSlotOutlet = 3;     ///< canonical outlet name, for facets
inline constexpr unsigned kSlotAuthor = 4;     ///< author(s), for facets; several joined by '\n'
inline constexpr unsigned kSlotSpeakers = 5;   ///< speakers joined by '\n' (passage's, or article's), for facets
inline constexpr unsigned kSlotPassage = 6;    ///< passage number (Xapian::sortable_serialise), 0 = article

// ---- Syndicated copies (stories; indexer/stories.h, indexer/story_links.h) -------------------------
// On the article document only. A story is the set of articles whose texts are copies of one another (the
// same wire story, lightly edited); its id is the id of the article that started it, and stays when that
// article is deleted or changed. Databases made before carry none: each article is then its own story.
inline constexpr std::string_view kStory = "XSTORY";      ///< story id (as kSlotStory), for --story
inline constexpr std::string_view kStoryExact = "XDUP";   ///< exact fingerprint: 16 hex digits
inline constexpr std::string_view kStoryBand = "XLSH";    ///< an LSH band key: band (2 hex) + 12 hex digits
inline constexpr unsigned kSlotStory = 7;                 ///< story id: the collapse key of one hit per story
inline constexpr unsigned kSlotStorySignature = 8;        ///< MinHash signature (stories::serialise())

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

/// Is `term` a text term of either kind of document (passage body or title, unstemmed or Z-stemmed;
/// article text or title), as opposed to a boolean filter term? Text words are case-folded, so a
/// capital letter can only be a prefix.
bool is_text_term(std::string_view term);

/// Looks a field up by its query name; nullptr when unknown.
const Field* find_field(std::string_view name);

/// Normalises a value for a boolean term: NFKC, case-folded, inner whitespace collapsed to one
/// space, trimmed. "The  Washington Times" -> "the washington times".
std::string normalise_boolean(std::string_view value);

/// prefix + normalise_boolean(value), truncated so the term fits Xapian's 245-byte limit.
std::string boolean_term(std::string_view prefix, std::string_view value);

// ---- Document data ------------------------------------------------------------------------------
// Each document's data is a JSON object (UTF-8):
//   {"id", "path", "title", "subtitle", "outlet", "date", "author", "wire", "url",
//    "passage" (1-based; 0 on the article document), "text", "start", "end" (byte offsets of the
//    passage in the source file), "speakers": [...], "passages" (article document only: count),
//    "file" (article document only: absolute path of the source file, for `dateline-index --prune`;
//    absent for standard input)}
// Absent fields are omitted, never filled with a guess.

// ---- Metadata ---------------------------------------------------------------------------------
inline constexpr std::string_view kMetaVersion = "dateline.schema_version";
inline constexpr std::string_view kMetaAnalyzer = "dateline.analyzer";  ///< AnalyzerConfig::serialise()
inline constexpr std::string_view kMetaFeatures = "dateline.features";

/// Total length (sum of wdf, as Xapian counts a document's length) of all article documents and of all
/// passage documents, kept up to date by dateline-index so the searcher can weigh each kind of document
/// with its own average length (Xapian's own average is over both kinds together). Decimal text.
inline constexpr std::string_view kMetaArticleLength = "dateline.stats.article_length";
inline constexpr std::string_view kMetaPassageLength = "dateline.stats.passage_length";

struct Lengths {
  uint64_t articles = 0;  ///< kMetaArticleLength
  uint64_t passages = 0;  ///< kMetaPassageLength
};

/// A decimal number stored under `key` in the metadata; 0 when missing or unreadable.
uint64_t read_metadata_number(const Xapian::Database& db, std::string_view key);

/// The stored totals; 0 for a key that is missing or unreadable.
Lengths read_lengths(const Xapian::Database& db);
/// Stores the totals (in the writer's current transaction).
void write_lengths(Xapian::WritableDatabase& db, const Lengths& lengths);

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
