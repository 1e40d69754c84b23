/** @file
 *  @brief Reading a page of hits' documents: at once over extra connections when they lie on remote shards.
 *
 *  Xapian 1.4's remote protocol answers one document per round trip and pipelines nothing (its
 *  RemoteDatabase has no request_document(), so MSet::fetch() sends nothing): ten hits on a remote shard
 *  were ten round trips in a row. DocumentReader reads them on a few connections of its own to each remote
 *  shard (xapian-tcpsrv serves each connection in its own process), one thread per connection, so a page
 *  costs about one round trip. Documents on local shards are read from the database as before.
 */
#pragma once

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "analyzers/database.h"

namespace dateline {

class DocumentReader {
 public:
  /// `shards`: the opened shards of the database in Xapian's order (a docid d lies in shard (d - 1) % n);
  /// remote ones get up to `lanes` extra connections, opened when first needed, each within `timeout_ms`.
  DocumentReader(std::vector<database::Shard> shards, unsigned timeout_ms, size_t lanes);
  ~DocumentReader();
  DocumentReader(const DocumentReader&) = delete;
  DocumentReader& operator=(const DocumentReader&) = delete;

  /// Whether any shard is remote (else read() is `db.get_document()` for each docid).
  bool any_remote() const { return any_remote_; }

  /// The documents of `dids` (docids of `db`, which holds the shards given), in that order. A document
  /// read over an extra connection has its shard's docid, data and values as `db` gives them. A failed
  /// extra connection is dropped and its documents read from `db` (whose errors are thrown as they come).
  std::vector<Xapian::Document> read(const Xapian::Database& db, const std::vector<Xapian::docid>& dids);

  /// The documents of `dids` that lie on remote shards, read over the extra connections only (never
  /// `db`: the caller may use it meanwhile on its own thread); unset for the others and for failed reads.
  /// Several of them, or none: one document alone is left to the caller.
  std::vector<std::optional<Xapian::Document>> read_lanes(const std::vector<Xapian::docid>& dids);
  /// How many shards it reads (the shards given).
  size_t shard_count() const { return shards_.size(); }
  /// Whether every shard is remote: on_lanes() needs a connection of its own to each.
  bool all_remote() const { return all_remote_; }

  /// Runs `jobs` at once over the extra connections (all_remote() only), job i on lane i % lanes, each
  /// given a database of its lane's connections to every shard in the shards' order (metadata, terms and
  /// statistics as the searched database gives them), or, when `shards` names one for it (kAllShards:
  /// every one), its lane's connection to that shard alone (Xapian gives a database of several shards the
  /// first one's metadata). Small reads that would otherwise be round trips in a row (a query's
  /// name-variant and stem-form lookups) cost about one. Returns which jobs ran to their end: one that
  /// threw (its connection is dropped) is left to the caller.
  static constexpr size_t kAllShards = static_cast<size_t>(-1);
  std::vector<bool> on_lanes(const std::vector<std::function<void(const Xapian::Database&)>>& jobs,
                             const std::vector<size_t>& shards = {});

  /// all_remote() only: a database of connections of its own to every shard (opened on first use, kept),
  /// for a match run on another thread beside the searched database's work (the counting match:
  /// Searcher::search()). Throws Xapian's error when a shard cannot be reached.
  Xapian::Database& spare();

  /// Drops the extra connections (after `db` was reopened: they would show an older revision).
  void reset();

 private:
  struct Lane {
    std::vector<std::optional<Xapian::Database>> connections;  ///< per shard; unset until used
  };
  std::vector<database::Shard> shards_;
  unsigned timeout_ms_;
  size_t max_lanes_;
  bool any_remote_ = false;
  bool all_remote_ = false;
  /// The lanes for `jobs` jobs (at most the lanes asked for), each with a slot per shard, and their threads.
  size_t ready_lanes(size_t jobs);
  /// `lane`'s connection to remote shard `shard`, opened when first needed.
  Xapian::Database& connection(Lane& lane, size_t shard);
  std::vector<Lane> lanes_;
  std::optional<Xapian::Database> spare_;
  /// One thread per lane, started when first needed and kept: a search reads a page or two, and starting
  /// four threads for each read cost about as much as a round trip.
  struct Workers;
  std::unique_ptr<Workers> workers_;
};

}  // namespace dateline
