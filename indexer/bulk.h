/** @file
 *  @brief Building a database that starts empty with several writer threads: segments, merged at the end.
 *
 *  A Xapian database has one writer, and Xapian's writer is where indexing spends its time (its
 *  in-memory inversion, then writing and compressing B-tree entries: bench/RESULTS-index.md). So a
 *  database that starts empty (new, or emptied by --rebuild) can be built by several writer threads,
 *  each filling databases of its own ("segments"), which finish() merges with Xapian's compactor and
 *  moves into place, as Lucene builds segments and merges them.
 *
 *  Each segment holds one block of kBulkArticleBlock docids (below schema::kFirstPassageDocid). Blocks
 *  are handed out in order, never twice, so the segments' docid
 *  ranges are disjoint and the compactor can keep every docid as it is (DBCOMPACT_NO_RENUMBER): the
 *  merged database has exactly the layout a single writer gives (with the unused end of each
 *  writer's last block as a gap), and later runs update it as any other.
 *
 *  The spelling dictionary is not written by the segment writers: the words are counted as the articles are
 *  queued and written once, at the end, into databases of their own that the compactor merges with the
 *  segments (each fragment list deflated once instead of at every flush).
 *
 *  What a single writer promises and this does not: an interrupted run leaves the database empty, as it
 *  was (not at its last batch); the segments are in DB/dateline-bulk.tmp, removed by the next run.
 *
 *  The merged database is made beside the database directory (.NAME.dateline-bulk-XXXXXXXX, a ScratchDir)
 *  and swapped with it in one renameat2(RENAME_EXCHANGE), so a reader opens the empty database or the
 *  finished one, never new tables under the old version file; file by file only where that cannot be.
 *
 *  Shards (indexer/shards.h): one build can fill several databases that start empty, each article into the
 *  one add() names. The articles are linked into stories by one Linker over all of them, in the order they
 *  come, as one database's build links them; each database has its own writer threads, segments and docid
 *  blocks; copies are marked over every database's segments; finish() merges each database's segments into
 *  it, the databases in parallel. Each merge also writes its database's name-variant table and the person table
 *  of them all (made from the segments while they are merged), in one commit, unless the caller has more to
 *  write first.
 */
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/analyzer.h"
#include "indexer/document_builder.h"
#include "indexer/indexer.h"

namespace dateline {

/// Options of one bulk build.
struct BulkOptions {
  std::string db_path;      ///< the database (open, empty and locked by the caller's IndexWriter)
  /// Several databases instead (shards, each open, empty and locked by the caller): add() names one.
  std::vector<std::string> shards;
  AnalyzerConfig config;    ///< its analyzer settings, stamped into the merged database
  std::string id_root;      ///< its archive root (schema::kMetaIdRoot), kept in the merged database
  unsigned writers = 2;     ///< writer threads (>= 1) of each database
  size_t batch_size = 500;  ///< articles per segment commit (--batch-size)
  uint32_t article_block = kBulkArticleBlock;  ///< docids per article segment (smaller in tests)
  /// More metadata for each merged database, in the order of `shards` (a shard's place): written in the
  /// merge's commit.
  std::vector<std::vector<std::pair<std::string, std::string>>> metadata;
  /// Tests only: called as finish() reaches a step that runs beside others ("copies" on each thread marking
  /// a segment, "tables" on finish()'s thread, "compact" on each merge thread); what it throws stands for
  /// that step failing.
  std::function<void(std::string_view step)> fault;
};

/// The bulk build of one run. Not copyable; add() and finish() from one thread.
class BulkBuilder {
 public:
  /// Starts the writer threads; removes what an interrupted bulk build left in the database directory.
  explicit BulkBuilder(const BulkOptions& options);
  /// Without finish() (an error on the way): stops the writers and removes the segments.
  ~BulkBuilder();
  BulkBuilder(const BulkBuilder&) = delete;
  BulkBuilder& operator=(const BulkBuilder&) = delete;

  /// Queues one article for a writer of database `shard` (an index into BulkOptions::shards; 0 for
  /// db_path); blocks while the writers are behind. Throws DatabaseError when a writer has failed.
  void add(BuiltArticle&& article, size_t shard = 0);

  /// Waits for the writers, merges the segments into a new database with the stamp, length totals and
  /// last article docid, and swaps it in for the database directory (the old one is removed); each
  /// database of several, in parallel. With `name_tables` (when every database has segments), each
  /// merged database gets, in the same commit, its name-variant table and the person table of all of
  /// them (store_name_variants(), person_table_data() over the databases in order), computed while the
  /// databases are merged and named (*stored set true); the caller does it otherwise. The
  /// caller's IndexWriter, holding the lock the whole time, must write nothing afterwards (it holds the
  /// old, empty files). Throws
  /// DatabaseError. Returns how many segments were merged.
  size_t finish(bool name_tables = false, bool* stored = nullptr);

  /// The directory the segments go to: DB/dateline-bulk.tmp.
  static std::string work_dir(const std::string& db_path);

 private:
  /// Gives the waiting articles their stories and queues them for the writers.
  void link_and_queue();

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dateline
