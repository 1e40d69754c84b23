/** @file
 *  @brief THE index contract: term prefixes, value slots, document data, metadata keys and version.
 *
 *  Everything that writes or reads a Dateline database takes its prefixes and slots from here, never
 *  from string literals of its own. docs/index-format.md renders this table for people.
 */
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Xapian {
class Database;
class WritableDatabase;
}  // namespace Xapian

namespace dateline::schema {

/// The version of the index layout this build writes. Bump on any incompatible change.
/// 2: article documents carry their own ranking terms (kArticleText, kArticleTitle) instead of the
///    passage documents' body and title terms, so a ranked query reads posting lists of articles only.
/// 3: one Xapian document per article: passages are position ranges of it (kPassageStride), the exact
///    word forms are positional terms of weight 0, and no passage documents are written.
/// 4: body ranking terms carry no positions; the metadata lists each stem's body word forms
///    (kMetaFormsPrefix), whose positions stand for the ranking term's.
inline constexpr int kVersion = 4;
/// The oldest layout this build can read.
inline constexpr int kOldestReadable = 4;

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
  /// A query field (`name:value`): what follows the colon, as --help shows it ("NAME", "2022"). Empty: no
  /// query field (a query's plain words are its text).
  std::string_view query_value = {};
};

// ---- Term prefixes ---------------------------------------------------------------------------
// One document per article. Its text is indexed twice:
// - ranking terms (kArticleText, kArticleTitle): one term per word, the word's stem or, for a word
//   without one (numbers, CJK, language "none"), the word itself; the language's stop words left out.
//   Only these carry wdf, so the document's length, and BM25, are over them alone. They carry no
//   positions (schema 4): where a body ranking term's positions are needed (passage choice, `speaker:X
//   word`), they are those of its body word forms (kMetaFormsPrefix, ranking_forms()).
// - exact word forms (kBody, kTitle): every word as the analyzer folds it, stop words included, with
//   its position and wdf 0 (Xapian's length and weights ignore them): phrases, NEAR, quoted words and
//   wildcards match them; the ranking terms of the same words give such a match its weight.
inline constexpr std::string_view kBody = "";      ///< exact body word forms (positional, wdf 0)
inline constexpr std::string_view kTitle = "S";    ///< exact title and subtitle word forms (positional, wdf 0)
inline constexpr std::string_view kArticleText = "W";    ///< ranking text: title, subtitle and every passage
inline constexpr std::string_view kArticleTitle = "WS";  ///< ranking terms of the title and subtitle words
// Boolean filter terms: prefix + normalised value (see normalise_boolean()).
inline constexpr std::string_view kOutlet = "XO";           ///< canonical outlet name
inline constexpr std::string_view kAuthor = "A";            ///< author name
inline constexpr std::string_view kWire = "XWIRE";  ///< canonical news agency of wire copy (Article::wire)
inline constexpr std::string_view kSpeaker = "XSP";  ///< speaker quoted anywhere in the article
// Name words, so `speaker:lukashenko` finds "Alexander Lukashenko": prefix + each folded word of the name
// (analysed with the database's Analyzer, unstemmed). Speaker words also sit at positions just before
// each passage that quotes the speaker (see kPassageStride), so a NEAR query pairs them with that
// passage's words only.
inline constexpr std::string_view kSpeakerWord = "XSW";  ///< a word of a speaker name of the article
/// A speaker the article names as an organisation (Article::speaker_info): the index-time person grouping
/// (searcher/name_groups.h) keeps organisations out of persons' surnames.
inline constexpr std::string_view kSpeakerOrganisation = "XSK";
inline constexpr std::string_view kAuthorWord = "XAW";          ///< a word of the author's name
inline constexpr std::string_view kOutletWord = "XOW";          ///< a word of the canonical outlet name
inline constexpr std::string_view kYear = "Y";                  ///< Y2022
inline constexpr std::string_view kMonth = "M";                 ///< M202202
inline constexpr std::string_view kDay = "D";                   ///< D20220224
inline constexpr std::string_view kArticleId = "XID";           ///< the article's id
inline constexpr std::string_view kUnique = "Q";    ///< Q<article id>#0: the article document
inline constexpr std::string_view kKindArticle = "KA";  ///< on every document (all are articles)

// ---- Positions -----------------------------------------------------------------------------------
// Title words take positions from 1 (subtitle after a gap of 100). Passage k (1-based) starts at
// position k * kPassageStride, its words at start + 1, 2, ...; a passage too long for the stride pushes
// the next one further by whole strides, so that kSpeakerWindow + kMaxSpeakerWords positions always
// separate one passage's last word from the next passage's speaker words. A phrase or NEAR (at most
// QueryBudget::max_near_distance + 100 positions) therefore never spans two passages, and
// NEAR(speaker words, word; kSpeakerWindow) holds only inside one passage of the first
// kSpeakerWindow - kMaxSpeakerWords words of each passage.
inline constexpr uint32_t kPassageStride = 10000;
inline constexpr uint32_t kSpeakerWindow = 5000;  ///< NEAR window pairing speaker words with passage words
inline constexpr uint32_t kMaxSpeakerWords = 1000;  ///< speaker words placed before one passage at most

/// Where passage `index` (0-based) starts, given where the previous one started and its last word's
/// offset from that start (0 for the first passage).
uint32_t next_passage_start(uint32_t previous_start, uint32_t previous_last_offset);

// ---- Document ids --------------------------------------------------------------------------------
// Article documents take docids from 1 up, below kFirstPassageDocid (the limit of schema 2, when
// passage documents took the docids above it). An updated article keeps its docid.
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
inline constexpr unsigned kSlotSpeakers = 5;   ///< speakers of the article joined by '\n', for facets
// Slot 6 held the passage number in schema 2; it is not written any more.

// ---- Syndicated copies (stories; indexer/stories.h, indexer/story_links.h) -------------------------
// On the article document only. A story is the set of articles whose texts are copies of one another (the
// same wire story, lightly edited); its id is the id of the article that started it, and stays when that
// article is deleted or changed. Databases made before carry none: each article is then its own story.
inline constexpr std::string_view kStory = "XSTORY";      ///< story id (as kSlotStory), for --story
inline constexpr std::string_view kStoryExact = "XDUP";   ///< exact fingerprint: 16 hex digits
inline constexpr std::string_view kStoryBand = "XLSH";    ///< an LSH band key: band (2 hex) + 12 hex digits
inline constexpr unsigned kSlotStory = 7;                 ///< story id: the collapse key of one hit per story
inline constexpr unsigned kSlotStorySignature = 8;        ///< MinHash signature (stories::serialise())
/// The story id again, only on articles whose story has had other copies: the search's collapse key. An
/// article alone in its story carries none, so Xapian's collapser passes over it without reading a story
/// value or keeping a table entry (collapsing on kSlotStory cost +50% on term queries).
inline constexpr unsigned kSlotStoryCopies = 9;
/// Metadata "1": every article of a story with more than one copy carries kSlotStoryCopies (the writer keeps
/// it so); absent in databases made before, whose searches collapse on kSlotStory.
inline constexpr std::string_view kMetaStoryCopies = "dateline.stories.copies_slot";
/// Every copy of the story (this article too): id, outlet and date (as kSlotDate), by date, unknown dates
/// last, then by id; encode_copy_list(). On each article carrying kSlotStoryCopies whose story holds at most
/// kMaxListedCopies articles (a larger story has none: its copies are read from the kStory posting list). A
/// search lists a hit's copies from it without reading another document: over a remote shard that is no
/// request at all.
inline constexpr unsigned kSlotStoryCopyList = 10;
/// The most copies one kSlotStoryCopyList holds: the value is rewritten on every copy when the story
/// changes, so a story's values grow with the square of its size.
inline constexpr size_t kMaxListedCopies = 100;
/// Metadata "1": the writer keeps kSlotStoryCopyList (absent in databases made before: each search reads
/// the copies from the kStory posting list, and the next incremental run fills the slot).
inline constexpr std::string_view kMetaStoryCopyList = "dateline.stories.copy_list";

/// Who ran the story first, as bytes: the date (as kSlotDate; "\xff" when unknown), a zero byte, the id.
/// On each article carrying kSlotStoryCopies (schema 3 databases made before have none), so that a search
/// over several or remote shards tells which of the copies that tie in score came first from the sort key
/// Xapian gives each hit (tie_key()), without reading a document.
inline constexpr unsigned kSlotStoryTieKey = 11;

/// kSlotStoryTieKey's value for an article of date `date` (as kSlotDate) and id `id`.
std::string tie_key(std::string_view date, std::string_view id);

/// One copy of a story as kSlotStoryCopyList holds it.
struct ListedCopy {
  std::string id;
  std::string outlet;  ///< canonical outlet name; empty when unknown
  std::string date;    ///< as kSlotDate ("YYYYMMDD" or a head of it); empty when unknown
  bool operator==(const ListedCopy&) const = default;
};

/// kSlotStoryCopyList's value: each copy's three fields, each as its byte length (LEB128) then its bytes.
std::string encode_copy_list(const std::vector<ListedCopy>& copies);

/// The copies of a kSlotStoryCopyList value; std::nullopt when it is not one (truncated, or more than
/// kMaxListedCopies entries): a database is not trusted.
std::optional<std::vector<ListedCopy>> decode_copy_list(std::string_view value);

/// The field table: query field names (the parser's list, its messages and --help), facets and `--info`
/// read it.
inline constexpr std::array<Field, 10> kFields{{
    {"text", kBody, FieldKind::kText, -1, 1},
    {"title", kTitle, FieldKind::kText, -1, 3, "word"},
    {"outlet", kOutlet, FieldKind::kBoolean, static_cast<int>(kSlotOutlet), 1, "NAME"},
    {"author", kAuthor, FieldKind::kBoolean, static_cast<int>(kSlotAuthor), 1, "NAME"},
    {"speaker", kSpeaker, FieldKind::kBoolean, static_cast<int>(kSlotSpeakers), 1, "NAME"},
    {"date", kDay, FieldKind::kBoolean, static_cast<int>(kSlotDate), 1, "2022-02-24"},
    {"id", kArticleId, FieldKind::kBoolean, static_cast<int>(kSlotArticleId), 1, "ARTICLE-ID"},
    {"year", kYear, FieldKind::kBoolean, static_cast<int>(kSlotDate), 1, "2022"},
    {"month", kMonth, FieldKind::kBoolean, static_cast<int>(kSlotDate), 1, "2022-02"},
    {"wire", kWire, FieldKind::kBoolean, -1, 1, "AGENCY"},
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
//   {"id", "path", "title", "subtitle", "outlet", "date", "author", "wire", "url", "speakers": [...],
//    "file" (absolute path of the source file, for `dateline-index --prune`; absent for standard input),
//    "passages": [{"text", "start", "end" (byte offsets of the passage in the source file), "speakers",
//                  "pos" (its first position, kPassageStride), "len" (its words among the ranking terms)}]}
// Absent fields are omitted, never filled with a guess.

// ---- Metadata ---------------------------------------------------------------------------------
inline constexpr std::string_view kMetaVersion = "dateline.schema_version";
inline constexpr std::string_view kMetaAnalyzer = "dateline.analyzer";  ///< AnalyzerConfig::serialise()
inline constexpr std::string_view kMetaFeatures = "dateline.features";
/// Index weights of an experiments build (indexer/document_builder.h IndexWeights::describe()), when they
/// are not the schema's: absent in every database a normal build makes.
inline constexpr std::string_view kMetaExperiments = "dateline.experiments";

/// Total length of all articles (sum of their ranking terms' wdf, as Xapian counts a document's length)
/// and the number of passages of all articles, kept up to date by dateline-index: the searcher's
/// passage choice weighs a passage against the average passage length. Decimal text.
inline constexpr std::string_view kMetaArticleLength = "dateline.stats.article_length";
inline constexpr std::string_view kMetaPassageCount = "dateline.stats.passages";

struct Lengths {
  uint64_t articles = 0;  ///< kMetaArticleLength
  uint64_t passages = 0;  ///< kMetaPassageCount: the number of passages
};

/// The body word forms of a stem (schema 4): metadata key prefix + stem (a body ranking term without its
/// kArticleText), value the exact forms (kBody terms) whose ranking term it is, sorted, '\n' between them,
/// leaving out the stem itself (ranking_forms() adds it when it is its own ranking term). A word without
/// a stem is its own ranking term and has no key. Forms are added as articles are, never removed (a form
/// no article holds any more has no positions to give). Each shard lists the forms of its own articles.
inline constexpr std::string_view kMetaFormsPrefix = "dateline.forms:";

/// The forms of a kMetaFormsPrefix value, in order.
std::vector<std::string> split_forms(std::string_view value);
/// The value listing `forms` (sorted, each once).
std::string join_forms(const std::vector<std::string>& forms);

/// Whether `rank_word` (a stem, or a word without one) is also a word whose ranking term it is: not a
/// stop word, and stemmed to itself or to nothing. `stem` and `stop` are the database's analyzer's
/// (Analyzer::stem(), Analyzer::is_stop_word()).
bool owns_ranking_term(std::string_view rank_word, std::string_view stem, bool stop);

/// The body exact-form terms whose positions are the ones schema 3 gave the ranking term kArticleText +
/// `rank_word`: `rank_word` itself when `own` (owns_ranking_term()), then the forms of `stored` (the
/// kMetaFormsPrefix values of each shard: any number, merged), sorted, each once.
std::vector<std::string> ranking_forms(std::string_view rank_word, bool own, const std::vector<std::string>& stored);

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
