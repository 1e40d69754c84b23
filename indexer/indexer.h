/** @file
 *  @brief Public API of the indexer: options in, IndexReport out, progress and problems through a Reporter.
 *
 *  run_index() reads the inputs on worker threads (each with its own Analyzer), builds the Xapian
 *  documents (document_builder.h) and hands whole articles to one writer (writer.h) that commits in
 *  batches, or to a bulk build (bulk.h); with shards, to the writer or bulk build of each article's
 *  shard. It never prints, exits or reads the environment: the binary (main.cpp) does that.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "articles/article.h"
#include "base/errors.h"
#include "indexer/languages.h"  // canonical_language(), for --language

namespace dateline {

/// A bulk build (indexer/bulk.h) gives each article segment this many docids, each passage segment this
/// many: 50,000 articles (the writers' last blocks are left partly unused), and 2^18 passages, which leaves
/// room for 15,360 passage segments (4 billion passages) in the 32-bit docid space. Smaller blocks build no
/// faster (bench/RESULTS.md, section 5).
inline constexpr uint32_t kBulkArticleBlock = 50'000;

/// Validated options of one run (main.cpp turns flags into these).
struct IndexOptions {
  std::string db_path;              ///< database directory (created when missing unless dry_run)
  std::vector<std::string> inputs;  ///< files, directories, or "-" for standard input
  /// --root: the archive root of a new database (file ids are paths relative to it); an existing one
  /// must have been made with it. Unset: the deepest folder holding every input.
  std::optional<std::string> root;
  unsigned threads = 1;             ///< analysis threads (>= 1); the writer is one more thread
  /// Writer threads when the database starts empty (indexer/bulk.h): 1 writes it directly; N > 1 builds
  /// N segments in parallel, merged at the end; 0 (auto) picks min(threads, kMaxAutoWriters) when the
  /// inputs hold at least kBulkMinBytes, else 1. A database with documents always has one writer.
  unsigned writers = 0;
  uint32_t bulk_article_block = kBulkArticleBlock;  ///< docids per article segment of a bulk build
  bool dry_run = false;                             ///< extract and report records, never open the database
  bool prune = false;                   ///< delete articles whose source file under an input root is gone
  std::vector<std::string> delete_ids;  ///< article ids to delete
  bool rebuild = false;                 ///< empty the database first (under its lock), then index
  bool force = false;                   ///< rebuild even a Xapian database without Dateline's stamp
  std::optional<std::string> language;  ///< stemmer for a new database (Snowball name or ISO 639-1 code)
  std::optional<bool> fold_accents;     ///< accent folding for a new database
  std::string manifest;                 ///< manifest file with metadata overrides, or empty
  /// Articles per commit (>= 1). 500 (about 3,000 documents) rather than more: Xapian's in-memory
  /// inversion (std::maps per term and document) slows down as a batch grows, so smaller batches take less
  /// CPU and peak memory (bench/RESULTS-index.md, "Changes and what they bought").
  size_t batch_size = 500;
  uint64_t batch_bytes = 64ull << 20;  ///< also commit once this many bytes of passage text are pending
  size_t max_passage_bytes = 1200;     ///< longer paragraphs are cut at sentence boundaries (>= 64)
  std::string stdin_data;              ///< the bytes of standard input when inputs holds "-" (tests)
  /// Standard input when inputs holds "-", given by main and read by one worker as a stream (JSON Lines
  /// record by record, articles/reader.h read_stream()); when set, stdin_data is not used.
  std::FILE* stdin_stream = nullptr;
  /// Sharding (indexer/shards.h): when set, the run writes these databases (the shards, in the stub's
  /// order) instead of db_path, each article into shards[route(id)]: the inputs are read, and each
  /// article built, once for all of them. Shards that all start empty are filled by one bulk build.
  std::vector<std::string> shards;
  std::function<size_t(std::string_view id)> route;
  /// Metadata for each shard (in the order of `shards`) that a bulk build writes with its merge (a
  /// shard's place, indexer/shards.h); otherwise the caller writes it.
  std::vector<std::vector<std::pair<std::string, std::string>>> shard_metadata;
};

/// Counters and problems of one run.
struct IndexReport {
  uint64_t added = 0;      ///< articles new to the database
  uint64_t updated = 0;    ///< articles whose content hash changed: re-indexed
  uint64_t unchanged = 0;  ///< articles already indexed with the same content hash
  uint64_t deleted = 0;    ///< articles removed by --delete or --prune
  uint64_t articles =
      0;  ///< articles read from the inputs (added + updated + unchanged, or all in a dry run)
  uint64_t passages = 0;  ///< passages of those articles
  uint64_t bytes = 0;     ///< bytes of input read (files and standard input)
  double seconds = 0;     ///< wall-clock time of the run
  std::string db;         ///< database path
  bool dry_run = false;
  bool bulk = false;  ///< a bulk build (indexer/bulk.h) filled the database, or the shards, from empty
  std::vector<Diagnostic> skipped;   ///< inputs or records not indexed, sorted by file then line
  std::vector<Diagnostic> warnings;  ///< indexed, but something was worth saying
};

/// Where run_index() sends what happens while it works. All calls come from the thread that called
/// run_index(), one at a time, so implementations need no locking.
class Reporter {
 public:
  enum class Level { kDebug, kInfo };
  virtual ~Reporter() = default;
  /// A problem with one input (also collected in IndexReport).
  virtual void diagnostic(const Diagnostic& /*d*/) {}
  /// Informational message (opening, batches committed, pruning...).
  virtual void message(Level /*level*/, std::string_view /*text*/) {}
  /// Progress: articles handled and input bytes read so far, of `total_bytes` (0 when unknown).
  virtual void progress(uint64_t /*articles*/, uint64_t /*bytes*/, uint64_t /*total_bytes*/) {}
  /// Dry run only: one extracted article, in input order per file.
  virtual void record(const Article& /*article*/) {}
};

/// writers = 0: inputs smaller than this are written directly (a bulk build's merge is not worth it).
inline constexpr uint64_t kBulkMinBytes = 16ull << 20;
/// writers = 0: at most this many writer threads.
inline constexpr unsigned kMaxAutoWriters = 4;

/// Runs one indexing job. Per-input problems are collected in the report (never thrown);
/// throws UsageError or DatabaseError for fatal problems. Articles are committed in batches of whole
/// articles, so an interrupted run leaves the database at its last batch, never half an article.
IndexReport run_index(const IndexOptions& options, Reporter& reporter);

}  // namespace dateline
