/** @file
 *  @brief Reading a page of hits' documents, in parallel over remote shards (documents.h).
 */
#include "searcher/documents.h"

#include <algorithm>
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

std::vector<Xapian::Document> DocumentReader::read(const Xapian::Database& db,
                                                   const std::vector<Xapian::docid>& dids) {
  std::vector<Xapian::Document> out(dids.size());
  std::vector<bool> done(dids.size(), false);
  const size_t n = shards_.size();
  // The remote ones, dealt to the lanes in turn.
  std::vector<size_t> remote;
  if (n > 0) {
    for (size_t i = 0; i < dids.size(); ++i) {
      if (shards_[(dids[i] - 1) % n].kind == database::Shard::Kind::kRemote) remote.push_back(i);
    }
  }
  // One document alone gains nothing from another connection.
  if (remote.size() >= 2) {
    const size_t lanes = std::min(max_lanes_, remote.size());
    if (lanes_.size() < lanes) lanes_.resize(lanes);
    for (Lane& lane : lanes_) lane.connections.resize(n);
    std::vector<std::thread> threads;
    std::vector<char> ok(dids.size(), 0);
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
            ok[i] = 1;
          } catch (const Xapian::Error&) {
            // Read from `db` below, which reports the error if it is the database's.
            lane.connections[shard].reset();
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (size_t i = 0; i < dids.size(); ++i) done[i] = ok[i] != 0;
  }
  for (size_t i = 0; i < dids.size(); ++i) {
    if (!done[i]) out[i] = db.get_document(dids[i]);
  }
  return out;
}

}  // namespace dateline
