/** @file
 *  @brief Sharded databases: N glass databases under one folder and the stub listing them; indexing by a hash
 *  of the article id, the inputs read once for all shards; compacting and merging with Xapian's compactor.
 *
 *  `dateline-index --db DIR --shards N` makes DIR/shard-00 ... DIR/shard-(N-1) and DIR/XAPIANDB, a Xapian
 *  stub file (analyzers/database.h) whose first line marks it as made here (kStubMarker) and whose
 *  `glass` lines give the shards in hash order. Article `id` lives in shard shard_of(id, N): XXH64 of its
 *  XID term (the id, or a long id's head and hash: two ids that one database would take for the same
 *  article meet in one shard), so a re-run, an update, --delete and --prune reach the shard that holds
 *  it. Each shard also says which it is in its metadata (kMetaShard, "I/N"), so a stub whose lines were
 *  reordered is refused, not silently indexed into the wrong shards.
 *
 *  One run_index() writes every shard (IndexOptions::shards and ::route): its readers read each input once
 *  and build each article once, and the article goes to the writer of its shard, so input problems are
 *  reported once and standard input can be read. Shards that all start empty (new, or --rebuild) are
 *  filled by one bulk build (indexer/bulk.h) with writer threads for each shard, whose one Linker links
 *  the articles into stories across the shards as they come, as a bulk build of one database does; each
 *  shard is then merged by Xapian's compactor (the shards in parallel). Shards that hold articles get one
 *  IndexWriter each, all fed by the same readers.
 *
 *  Syndicated copies, when the shards held articles: each shard's writer links its articles into stories
 *  within its shard; then the articles the run wrote are linked again against every shard's articles
 *  (stories::Linker over a Database of the shards, date-then-id order), so a story whose copies fell into
 *  different shards has one id, the one a database holding all of them gives when it links them in one
 *  batch. Articles the run did not write keep their story. Only articles whose story changes are written
 *  again.
 */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/indexer.h"

namespace dateline::shards {

/// At most this many shards. Xapian 1.4 interleaves the docids of databases searched together (docid
/// d of shard k of N is (d - 1) * N + k + 1), and schema 2 puts passage documents from docid 2^28 up
/// (schema::kFirstPassageDocid): 8 shards keep every docid within 32 bits.
inline constexpr unsigned kMaxShards = 8;
/// The first line of a stub dateline-index made (followed by " N ...").
inline constexpr std::string_view kStubMarker = "# dateline-index --shards";
/// Metadata of each shard: "I/N" (shard I of N, from 0).
inline constexpr std::string_view kMetaShard = "dateline.shard";

/// The folder name of shard `index`: "shard-00".
std::string shard_name(unsigned index);

/// The shard article `id` goes to among `count` (>= 1).
unsigned shard_of(std::string_view id, unsigned count);

/// The text of the stub listing `count` shards.
std::string stub_text(unsigned count);

/// The shard count of the sharded database at `db_path` (a folder whose XAPIANDB starts with
/// kStubMarker); std::nullopt when it is not one (missing, a glass database, another stub).
std::optional<unsigned> sharded_count(const std::string& db_path);

/// Runs one indexing job over a sharded database (one run_index() over the shards). `shards`: the count
/// for a new one (an existing one must have the same), 0 to use the existing one's. Creates DIR and the
/// stub when DIR is missing or an empty folder. Throws UsageError (a glass database, a foreign stub, another
/// count, a bad count) or DatabaseError (a shard locked, damaged, or not the shard the stub says) as
/// run_index() does.
IndexReport run_sharded_index(const IndexOptions& options, unsigned shards, Reporter& reporter);

/// What compact() did.
struct CompactReport {
  size_t sources = 0;       ///< databases read (shards)
  uint64_t documents = 0;   ///< documents in the result
  uint64_t bytes_before = 0, bytes_after = 0;  ///< on disk (local sources only)
  double seconds = 0;
};

/// `dateline-index --db SOURCE --compact DEST`: Xapian's compactor writes the database at `source` (one
/// glass database, or the shards of a stub) as one new, compacted glass database at `dest` (which must not
/// exist, or be an empty folder); `source` is left as it is. One source keeps its docids. Several shards
/// are merged (docids renumbered, one shard after the other): their stamps must agree, and the length
/// totals are summed. Schema 2 keeps article and passage documents in two docid ranges that a merge
/// would mix, so merging shards of schema 2 is refused (UsageError); it needs schema 3 (one document per
/// article). Throws UsageError or DatabaseError.
CompactReport compact(const std::string& source, const std::string& dest, Reporter& reporter);

}  // namespace dateline::shards
