/** @file
 *  @brief Reads input files (plain text, JSON Lines, .gz of either, sidecar/manifest metadata) into Articles.
 *
 *  Memory: read_file() and read_stream() read JSON Lines (.jsonl, .ndjson, a .json or standard input that
 *  turns out to be JSON Lines, and their .gz) record by record, holding one 64 KiB chunk and one line
 *  (at most ReadOptions::max_record_bytes) at a time, whatever the file's size. A plain-text article is one
 *  record per file and is read whole up to the same limit (kMaxArticleBytes): reading stops there, a .gz is
 *  not inflated further, and the article is skipped. A JSON array is read whole up to
 *  ReadOptions::max_json_document_bytes, a .json holding one record object up to max_record_bytes. A sidecar
 *  is read up to kMaxSidecarBytes, a manifest line by line up to kMaxManifestLineBytes a line and
 *  kMaxManifestBytes in all. So what the reader holds is bounded for any input, however large, endless (a
 *  pipe, /dev/zero) or compressed (a gzip bomb).
 */
#pragma once

#include <cstdint>
#include <cstdio>
#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// Metadata overrides for one article, from a sidecar NAME.meta.json or a manifest: field -> value
/// for any of id, title, subtitle, outlet, date, author, url, language. An empty value (JSON null or "")
/// clears the field (the text does not state it after all). Outlets are canonicalised and dates parsed as
/// for JSON Lines records. A manifest wins over a sidecar, and both over what is extracted from the text.
using MetadataOverrides = std::map<std::string, std::string>;

/// A manifest: JSON Lines file, one object per article with "path" (relative to the manifest's folder,
/// or absolute) and override fields. Keyed by the path as written, made absolute/lexically normal.
struct Manifest {
  std::map<std::string, MetadataOverrides> by_path;
};

/// The largest article: a plain-text file or standard input read as one article (bytes after gzip, before
/// charset conversion), and a JSON record (ReadOptions::max_record_bytes). Larger ones are skipped with
/// "article larger than 8 MiB (skipped)" or "record longer than ... bytes; not read". Indexing an article
/// takes about 16 times its size in memory at once (its passage documents are built, then written in one
/// transaction): about 200 MB at this limit (bench/RESULTS.md). Real news articles are under 1 MiB.
inline constexpr size_t kMaxArticleBytes = size_t{8} << 20;
/// The most passages one article may be cut into; more and it is skipped ("article cut into more than
/// 20000 passages (skipped)"). Each costs about 2 KB while it is indexed, whatever its length, so an article
/// of one-line paragraphs within kMaxArticleBytes (400,000 passages) would take 840 MB. An article of
/// kMaxArticleBytes in ordinary paragraphs has 7,000 to 12,000.
inline constexpr size_t kMaxPassages = 20000;
/// The most Diagnostics listed for one input (a file of ten million bad lines would otherwise hold ten
/// million of them: 2.1 GB for 100 MB of such lines); the rest are counted in one more.
inline constexpr size_t kMaxDiagnosticsPerInput = 1000;
/// A sidecar NAME.meta.json larger than this is not read: a warning, the article keeps what its text says.
inline constexpr size_t kMaxSidecarBytes = size_t{1} << 20;
/// read_manifest() refuses a manifest with a line longer than kMaxManifestLineBytes (one article's metadata)
/// or larger than kMaxManifestBytes in all (it is held in memory: about a million articles' entries).
inline constexpr size_t kMaxManifestLineBytes = size_t{1} << 20;
inline constexpr size_t kMaxManifestBytes = size_t{256} << 20;

struct ReadOptions {
  std::filesystem::path id_root;       ///< ids of plain-text files are their path relative to this
  /// id_root is the database's archive root (absolute, symbolic links resolved): every file's id is its
  /// real path relative to it, and a file outside it has its real absolute path as id.
  bool archive_root = false;
  /// When set, every raw byte read from a file or stream (compressed bytes for .gz) is added to it as it is
  /// read, from any thread: the indexer's progress within a large file.
  std::atomic<uint64_t>* bytes_read = nullptr;
  const Manifest* manifest = nullptr;  ///< optional overrides
  size_t max_passage_bytes = 1200;     ///< longer paragraphs are cut at sentence boundaries
  /// A JSON record (a JSON Lines line, an array element, a .json object) longer than this many bytes
  /// (decoded UTF-8, a line's '\r' aside) is skipped with a Diagnostic at its line, and never held whole.
  /// A plain-text article (a file, or standard input, read as one article) larger than this many bytes
  /// (after gzip, before charset conversion) is skipped: reading stops once past it.
  size_t max_record_bytes = kMaxArticleBytes;
  /// An article (plain text or JSON record) cut into more passages than this is skipped.
  size_t max_passages = kMaxPassages;
  /// Problems of one input past this many are counted, not listed: one Diagnostic at the end says
  /// "N more problems not listed (M of them skipped records)" (a skip when M > 0).
  size_t max_diagnostics = kMaxDiagnosticsPerInput;
  /// read_file()/read_stream(): a JSON array, which is read whole, larger than this many bytes (after gzip)
  /// is refused with one Diagnostic rather than read into memory. read_buffer() has its bytes already.
  /// Reading one takes about twice its size (the bytes and their decoded text): 523 MB for a 250 MB array.
  size_t max_json_document_bytes = size_t{64} << 20;
  /// Sharding (indexer/shards.h): a JSON record whose id this returns true for is dropped as soon as its id
  /// is read, neither extracted nor reported (another shard's run indexes it, and one run reports every
  /// record's problems). Other articles (plain text, pages) are read as ever.
  std::function<bool(std::string_view id)> skip_record;
};

using ArticleSink = std::function<void(Article&&)>;

/// Reads one file; calls `sink` for each article it holds (one for .txt, one per line for .jsonl).
/// Problems go to `diagnostics` (file, line, reason); reading goes on past a bad record.
/// Never throws for bad content; a file that cannot be opened is a Diagnostic too.
///
/// Format by name (".gz" stripped): .txt/.text plain text, .jsonl/.ndjson JSON Lines, .json a JSON array of
/// records, one record object, or JSON Lines, .html/.htm/.xhtml a saved web page (html.h; at most
/// max_record_bytes, read whole), .warc/.warc.gz a web archive (warc.h: streamed, ids are the records'
/// WARC-Target-URI, paths "FILE:RECORD"); anything else is sniffed like read_buffer(), HTML included (a JSON
/// record's "html" field is read as a page too, its own fields winning). Gzip is recognised
/// by its magic bytes. Text is decoded with decode_text() (encoding.h): binary and empty files are skipped
/// with a Diagnostic, re-encoded ones give a warning (skipped = false). A plain-text file NAME.txt picks up
/// overrides from NAME.meta.json (or NAME.txt.meta.json) beside it. JSON records: `id`/`_id`, `title`,
/// `subtitle`, `text`/`body` (a string or an array of paragraph strings), `outlet`/`source`,
/// `date`/`published` (a date string, or Unix seconds/milliseconds), `author` (string or array), `url`,
/// `language`/`lang`; null means absent. Records without an id get "<id>:<line>" where <id> is the file's id.
/// Article::content_hash is XXH3-64 (16 hex digits) of the record's bytes, the overrides applied and the
/// passage size bound.
///
/// JSON Lines are streamed (see the file comment), with the articles and Diagnostics read_buffer() gives for
/// the same bytes, except in three corners:
///  - The charset is decided on the first 64 KiB (after gzip), as decode_text() decides on the whole input
///    (and with its 64 KiB ucsdet sample): valid or mostly valid UTF-8 is read as UTF-8 with invalid
///    sequences replaced by U+FFFD, anything else is converted from the charset detected there. A file whose
///    first 64 KiB is UTF-8 (or plain ASCII) and whose later lines are in another charset gets U+FFFD there,
///    where the whole-file decision might have converted it. Files of at most 64 KiB are decided exactly as
///    before (they are handed to the whole-buffer code), and so is every file whose first 64 KiB has the
///    same verdict as the whole. The charset warning is still one Diagnostic at line 0, ahead of the
///    records'.
///  - An error after the first 64 KiB (corrupt or truncated gzip, a read error) is reported (line 0, same
///    reason) after the records before it were handed on; the line it cut short is dropped. Whole-buffer
///    reading reports it alone, before any record.
///  - A .json that starts with '{' and whose first value spans more than max_record_bytes is read as JSON
///    Lines (a one-line record over the limit is skipped either way).
void read_file(const std::filesystem::path& file, const ReadOptions& options, const ArticleSink& sink,
               std::vector<Diagnostic>& diagnostics);

/// read_file() for an open stream (standard input): `name` is used for ids and messages, the format is
/// sniffed from the content as read_buffer() does; JSON Lines are streamed. `in` is read to its end, not
/// closed. Returns the number of bytes read from `in`.
uint64_t read_stream(std::FILE* in, std::string_view name, const ReadOptions& options,
                     const ArticleSink& sink, std::vector<Diagnostic>& diagnostics);

/// Same for bytes already in memory: `name` is used for ids and messages, the format is sniffed from the
/// content (JSON Lines when the first non-blank byte is '{'). The whole-buffer path: the reference the
/// streaming readers are tested against (tests/unit/reader_stream_test.cpp).
void read_buffer(std::string_view bytes, std::string_view name, const ReadOptions& options,
                 const ArticleSink& sink, std::vector<Diagnostic>& diagnostics);

/// Extracts an article from the decoded UTF-8 text of a plain-text news page: title, subtitle, date,
/// outlet, author, passages with speakers. Fields the text does not state stay absent.
Article parse_text_article(std::string_view utf8, std::string id, std::string path,
                           size_t max_passage_bytes = 1200);

/// The headline and deck at the top of a plain-text article, and where the body starts.
struct Headline {
  std::optional<std::string> title;     ///< absent when the page opens with a date line or a paragraph
  std::optional<std::string> subtitle;  ///< a short deck line right under the title
  size_t body_begin = 0;                ///< byte offset just past the last title/deck line (0 without title)
};

/// Finds the title: the first non-blank line that is not furniture (a leading masthead or share bar is
/// skipped), when it looks like a headline (under 200 bytes, at least two words, not a sentence ending in a
/// period, not a date line, byline or caption). A headline repeated on the next line is one title; a
/// headline-like line right under it is the subtitle. A trailing " | Outlet" or " - Outlet" naming a known
/// outlet is cut from the title. A page that opens with a date line or a paragraph has no title.
Headline extract_headline(std::string_view utf8);

/// Reads a manifest file; throws std::runtime_error("FILE:LINE: reason") on a malformed one, or on one with
/// a line longer than kMaxManifestLineBytes or more than kMaxManifestBytes in all (read no further).
Manifest read_manifest(const std::filesystem::path& file);

/// Is this path an input the reader understands (.txt, .text, .jsonl, .json, .ndjson, .html, .htm, .xhtml,
/// .warc, optionally .gz)?
/// Sidecars (*.meta.json) and other files are not.
bool is_article_file(const std::filesystem::path& file);

}  // namespace dateline
