/** @file
 *  @brief Reading a page of hits' documents, in parallel over remote shards (documents.h).
 */
#include "searcher/documents.h"

#include <algorithm>
#include <new>
#include <thread>

namespace dateline {

DocumentReader::DocumentReader(std::vector<database::Shard> shards, unsigned timeout_ms, size_t lanes)
    : shards_(std::move(shards)), timeout_ms_(timeout_ms), max_lanes_(std::max<size_t>(lanes, 1)) {
  any_remote_ = std::any_of(shards_.begin(), shards_.end(),
                            [](const database::Shard& s) { return s.kind == database::Shard::Kind::kRemote; });
}

void DocumentReader::reset() {
  lanes_.clear();
}

std::vector<std::optional<Xapian::Document>> DocumentReader::read_lanes(const std::vector<Xapian::docid>& dids) {
  std::vector<std::optional<Xapian::Document>> out(dids.size());
  const size_t n = shards_.size();
  // The remote ones, dealt to the lanes in turn.
  std::vector<size_t> remote;
  if (n > 0) {
    for (size_t i = 0; i < dids.size(); ++i) {
      if (shards_[(dids[i] - 1) % n].kind == database::Shard::Kind::kRemote) remote.push_back(i);
    }
  }
  // One document alone gains nothing from another connection.
  if (remote.size() < 2) return out;
  const size_t lanes = std::min(max_lanes_, remote.size());
  if (lanes_.size() < lanes) lanes_.resize(lanes);
  for (Lane& lane : lanes_) lane.connections.resize(n);
  std::vector<std::thread> threads;
  for (size_t l = 0; l < lanes; ++l) {
    threads.emplace_back([&, l] {
      Lane& lane = lanes_[l];
      for (size_t k = l; k < remote.size(); k += lanes) {
        const size_t i = remote[k];
        const size_t shard = (dids[i] - 1) % n;
        try {
          auto& conn = lane.connections[shard];
          if (!conn) conn = Xapian::Remote::open(shards_[shard].host, shards_[shard].port, timeout_ms_, timeout_ms_);
          out[i] = conn->get_document(static_cast<Xapian::docid>((dids[i] - 1) / n + 1));
        } catch (const Xapian::Error&) {
          // Left to the caller, who reads it from the database (which reports the error if it is its).
          lane.connections[shard].reset();
        } catch (const std::bad_alloc&) {
          lane.connections[shard].reset();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  return out;
}

std::vector<Xapian::Document> DocumentReader::read(const Xapian::Database& db,
                                                   const std::vector<Xapian::docid>& dids) {
  std::vector<std::optional<Xapian::Document>> read = read_lanes(dids);
  std::vector<Xapian::Document> out(dids.size());
  for (size_t i = 0; i < dids.size(); ++i) out[i] = read[i] ? std::move(*read[i]) : db.get_document(dids[i]);
  return out;
}

}  // namespace dateline
