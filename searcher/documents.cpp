/** @file
 *  @brief Reading a page of hits' documents, in parallel over remote shards (documents.h).
 */
#include "searcher/documents.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <new>
#include <thread>

namespace dateline {

// Lane threads that wait for a job each, run it, and say so: run() hands out jobs and returns when every
// one is done.
struct DocumentReader::Workers {
  explicit Workers(size_t n) : jobs(n) {
    for (size_t l = 0; l < n; ++l) threads.emplace_back([this, l] { work(l); });
  }
  ~Workers() {
    {
      std::lock_guard lock(mutex);
      stop = true;
    }
    wake.notify_all();
    for (std::thread& t : threads) t.join();
  }
  void run(std::vector<std::function<void()>> work) {
    std::unique_lock lock(mutex);
    pending = work.size();
    for (size_t l = 0; l < work.size(); ++l) jobs[l] = std::move(work[l]);
    wake.notify_all();
    done.wait(lock, [this] { return pending == 0; });
  }
  void work(size_t l) {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return stop || jobs[l]; });
      if (stop) return;
      std::function<void()> job = std::move(jobs[l]);
      jobs[l] = nullptr;
      lock.unlock();
      try {
        job();  // a lane catches what a read throws; anything else leaves its documents to the caller
      } catch (...) {
      }
      lock.lock();
      if (--pending == 0) done.notify_all();
    }
  }
  std::mutex mutex;
  std::condition_variable wake, done;
  std::vector<std::function<void()>> jobs;
  std::vector<std::thread> threads;
  size_t pending = 0;
  bool stop = false;
};

DocumentReader::DocumentReader(std::vector<database::Shard> shards, unsigned timeout_ms, size_t lanes)
    : shards_(std::move(shards)), timeout_ms_(timeout_ms), max_lanes_(std::max<size_t>(lanes, 1)) {
  any_remote_ = std::any_of(shards_.begin(), shards_.end(),
                            [](const database::Shard& s) { return s.kind == database::Shard::Kind::kRemote; });
  all_remote_ = !shards_.empty() && std::all_of(shards_.begin(), shards_.end(), [](const database::Shard& s) {
    return s.kind == database::Shard::Kind::kRemote;
  });
}

DocumentReader::~DocumentReader() = default;

void DocumentReader::reset() {
  lanes_.clear();
  spare_.reset();
}

Xapian::Database& DocumentReader::spare() {
  if (!spare_) {
    Xapian::Database all;
    for (const database::Shard& s : shards_) all.add_database(Xapian::Remote::open(s.host, s.port, timeout_ms_, timeout_ms_));
    spare_ = std::move(all);
  }
  return *spare_;
}

size_t DocumentReader::ready_lanes(size_t jobs) {
  const size_t lanes = std::min(max_lanes_, jobs);
  if (lanes_.size() < lanes) lanes_.resize(lanes);
  for (Lane& lane : lanes_) lane.connections.resize(shards_.size());
  if (!workers_) workers_ = std::make_unique<Workers>(max_lanes_);
  return lanes;
}

Xapian::Database& DocumentReader::connection(Lane& lane, size_t shard) {
  auto& conn = lane.connections[shard];
  if (!conn) conn = Xapian::Remote::open(shards_[shard].host, shards_[shard].port, timeout_ms_, timeout_ms_);
  return *conn;
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
  const size_t lanes = ready_lanes(remote.size());
  std::vector<std::function<void()>> work;
  for (size_t l = 0; l < lanes; ++l) {
    work.emplace_back([&, l] {
      Lane& lane = lanes_[l];
      for (size_t k = l; k < remote.size(); k += lanes) {
        const size_t i = remote[k];
        const size_t shard = (dids[i] - 1) % n;
        try {
          out[i] = connection(lane, shard).get_document(static_cast<Xapian::docid>((dids[i] - 1) / n + 1));
        } catch (const Xapian::Error&) {
          // Left to the caller, who reads it from the database (which reports the error if it is its).
          lane.connections[shard].reset();
        } catch (const std::bad_alloc&) {
          lane.connections[shard].reset();
        }
      }
    });
  }
  workers_->run(std::move(work));
  return out;
}

std::vector<bool> DocumentReader::on_lanes(const std::vector<std::function<void(const Xapian::Database&)>>& jobs,
                                           const std::vector<size_t>& shards) {
  std::vector<char> done(jobs.size(), 0);  // not vector<bool>: the lanes set their own jobs' flags at once
  if (!all_remote_ || jobs.empty()) return std::vector<bool>(jobs.size(), false);
  const size_t n = shards_.size();
  const size_t lanes = ready_lanes(jobs.size());
  std::vector<std::function<void()>> work;
  for (size_t l = 0; l < lanes; ++l) {
    work.emplace_back([&, l] {
      Lane& lane = lanes_[l];
      for (size_t k = l; k < jobs.size(); k += lanes) {
        try {
          const size_t one = k < shards.size() ? shards[k] : kAllShards;
          if (one < n) {
            jobs[k](connection(lane, one));
          } else {
            Xapian::Database all;
            for (size_t shard = 0; shard < n; ++shard) all.add_database(connection(lane, shard));
            jobs[k](all);
          }
          done[k] = 1;
        } catch (const Xapian::Error&) {
          for (auto& conn : lane.connections) conn.reset();  // left to the caller
        } catch (const std::bad_alloc&) {
          for (auto& conn : lane.connections) conn.reset();
        }
      }
    });
  }
  workers_->run(std::move(work));
  return std::vector<bool>(done.begin(), done.end());
}

std::vector<Xapian::Document> DocumentReader::read(const Xapian::Database& db,
                                                   const std::vector<Xapian::docid>& dids) {
  std::vector<std::optional<Xapian::Document>> read = read_lanes(dids);
  std::vector<Xapian::Document> out(dids.size());
  for (size_t i = 0; i < dids.size(); ++i) out[i] = read[i] ? std::move(*read[i]) : db.get_document(dids[i]);
  return out;
}

}  // namespace dateline
