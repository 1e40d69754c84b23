/** @file
 *  @brief run_index(): inputs -> reader + builder on worker threads -> bounded queue -> one writer, batch
 *  commits. IndexRun names the steps: manifest, database, --delete, inputs, bulk plan, read and write (each
 *  article checked, duplicates resolved, written), merge, --prune.
 */
#include "indexer/indexer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>

#include <xapian.h>

#include "analyzers/analyzer.h"
#include "analyzers/database.h"
#include "articles/ids.h"
#include "articles/reader.h"
#include "indexer/bulk.h"
#include "indexer/document_builder.h"
#include "indexer/inputs.h"
#include "indexer/report.h"
#include "indexer/writer.h"
#include "searcher/name_groups.h"

namespace dateline {

namespace {

/// Name under which standard input appears in ids, paths and messages.
constexpr std::string_view kStdinName = "<stdin>";

/// One article read by a worker: built documents, or (dry run) the record itself.
struct ArticleEvent {
  std::string id;
  std::string path;  ///< "FILE:LINE" of a JSON Lines record, else FILE
  std::string file;  ///< the input it was read from, as named in diagnostics
  size_t line = 0;   ///< its line (JSON Lines), 0 for a whole file
  size_t item = 0;   ///< index of its input in input order
  uint64_t seq = 0;  ///< its place among the records of that input
  uint64_t passages = 0;
  bool has_title = false;
  std::optional<BuiltArticle> built;
  std::optional<Article> record;
};

/// The record an id was last taken from in this run (run_index()'s duplicate check).
struct Seen {
  size_t item = 0;    ///< ArticleEvent::item
  uint64_t seq = 0;   ///< ArticleEvent::seq
  std::string id;     ///< the article id
  std::string where;  ///< "FILE:LINE" or FILE
  std::string file;   ///< ArticleEvent::file
  size_t line = 0;    ///< ArticleEvent::line
  uint64_t passages = 0;
  IndexWriter::Outcome outcome = IndexWriter::Outcome::kAdded;  ///< what writing it did
};

/// A worker finished one input.
struct FileDone {
  uint64_t bytes = 0;
};

using Event = std::variant<ArticleEvent, Diagnostic, FileDone>;

/// Bounded multi-producer, single-consumer queue: workers block when the writer falls behind, so
/// memory stays bounded whatever the input size (by count and by bytes of text held).
class EventQueue {
 public:
  EventQueue(size_t max_items, uint64_t max_bytes, size_t producers)
      : max_items_(max_items), max_bytes_(max_bytes), producers_(producers) {}

  /// False when the consumer has given up (fatal error): the producer should stop.
  bool push(Event event, uint64_t bytes) {
    // Free what the writer has finished with here, on the producer's thread: the writer is the
    // pipeline's bottleneck, and freeing a built article's documents was a few percent of its time.
    std::vector<Event> done;
    {
      std::lock_guard lock(mutex_);
      done.swap(retired_);
    }
    done.clear();
    std::unique_lock lock(mutex_);
    // One oversized item always gets through an empty queue, or a huge article would block forever.
    const auto room = [&] {
      return aborted_ || items_.empty() || (items_.size() < max_items_ && bytes_ + bytes <= max_bytes_);
    };
    if (!room()) {
      // The consumer takes what waits at once, however few: this producer sleeps until it does.
      ++blocked_;
      not_empty_.notify_one();
      not_full_.wait(lock, room);
      --blocked_;
    }
    if (aborted_) return false;
    items_.emplace_back(std::move(event), bytes);
    bytes_ += bytes;
    // The consumer is woken by a few events at once, not by each: woken by every article, it and the
    // workers took turns, a thread switch per article on each side (bench/RESULTS.md, "Queue wakeups").
    if (items_.size() >= wake_at()) not_empty_.notify_one();
    return true;
  }

  /// The next event; std::nullopt once every producer is done and the queue is drained. Takes what waits;
  /// on an empty queue, waits for a few events to gather (push()), for at most kGatherWait once one waits
  /// (a slow producer's events are not held back), and not at all while a producer waits for room.
  std::optional<Event> pop() {
    std::unique_lock lock(mutex_);
    if (items_.empty()) {
      while (producers_ != 0) {
        if (!items_.empty() && (items_.size() >= wake_at() || blocked_ != 0)) break;
        if (not_empty_.wait_for(lock, kGatherWait) == std::cv_status::timeout && !items_.empty()) break;
      }
    }
    if (items_.empty()) return std::nullopt;
    auto [event, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    // A full queue's producers wait until half of it is free, then fill it: waking them at every event
    // taken made the writer and the workers take turns, one event each (a thread switch per article).
    if (items_.size() <= max_items_ / 2) not_full_.notify_all();
    return std::move(event);
  }

  /// The consumer hands back an event it has finished with, to be freed by the next push(). Once
  /// every producer is done nobody would, so it is freed at once (outside the lock).
  void retire(Event event) {
    std::unique_lock lock(mutex_);
    if (producers_ == 0 || aborted_) {
      lock.unlock();
      return;  // `event` is destroyed here
    }
    retired_.push_back(std::move(event));
  }

  void producer_done() {
    std::lock_guard lock(mutex_);
    --producers_;
    not_empty_.notify_all();
  }

  bool aborted() const {
    std::lock_guard lock(mutex_);
    return aborted_;
  }

  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    items_.clear();
    bytes_ = 0;
    not_full_.notify_all();
  }

 private:
  /// How long pop() waits for more when fewer than wake_at() events wait.
  static constexpr std::chrono::milliseconds kGatherWait{10};

  size_t wake_at() const { return std::max<size_t>(1, max_items_ / 2); }

  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::pair<Event, uint64_t>> items_;
  std::vector<Event> retired_;  ///< events the consumer has finished with, freed by producers
  size_t max_items_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  size_t producers_;
  size_t blocked_ = 0;  ///< producers waiting for room
  bool aborted_ = false;
};

uint64_t text_bytes(const Article& a) {
  uint64_t n = 0;
  for (const auto& p : a.passages) n += p.text.size();
  return n;
}

/// --root, or the deepest folder holding every input (a folder input counts as itself, a file as its
/// folder; the current folder when there are none), absolute with symbolic links resolved.
std::string archive_root(const IndexOptions& options) {
  namespace fs = std::filesystem;
  auto real = [](const fs::path& p) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(fs::absolute(p, ec), ec);
    return ec ? fs::absolute(p, ec).lexically_normal() : r;
  };
  if (options.root) return real(*options.root).string();
  std::optional<fs::path> common;
  for (const auto& in : options.inputs) {
    if (in.empty() || in == "-") continue;
    fs::path p = real(in);
    std::error_code ec;
    if (!fs::is_directory(p, ec)) p = p.parent_path();
    if (!common) {
      common = p;
      continue;
    }
    fs::path shared;
    for (auto a = common->begin(), b = p.begin(); a != common->end() && b != p.end() && *a == *b; ++a, ++b) {
      shared /= *a;
    }
    common = shared;
  }
  std::error_code ec;
  return common ? common->string() : real(fs::current_path(ec)).string();
}

/// Threads that build one worker's articles (DocumentBuilder::build) while it reads on. A corpus that is one
/// JSON Lines file has one worker, and building was half of its work: that thread set the pace of the whole
/// build while the writers waited for it (bench/RESULTS.md, "Indexing wall time"). Built articles are queued
/// in the order they were read, whatever thread built them, so the writer sees what one thread gives it.
class BuildHelpers {
 public:
  /// An article read, waiting to be built and queued.
  struct Job {
    ArticleEvent event;
    Article article;
    const std::string* source_file = nullptr;  ///< InputItem::absolute, stored for --prune
    uint64_t bytes = 0;                        ///< text bytes, the EventQueue's measure
    std::string error;                         ///< the Diagnostic's reason when the build threw
    enum class State { kWaiting, kBuilding, kBuilt } state = State::kWaiting;
  };

  /// One helper thread per analyzer (each needs its own); `own` builds on the worker's thread. At most
  /// `max_bytes` of text wait in the window (one article over it is built alone).
  BuildHelpers(const std::vector<const Analyzer*>& analyzers, const DocumentBuilder& own, EventQueue& queue,
               uint64_t max_bytes, bool deferred)
      : own_(own), queue_(queue), window_(4 * (analyzers.size() + 1)), max_bytes_(max_bytes), deferred_(deferred) {
    for (const Analyzer* a : analyzers) threads_.emplace_back([this, a] { help(*a); });
  }
  ~BuildHelpers() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    waiting_.notify_all();
    for (auto& t : threads_) t.join();
  }
  BuildHelpers(const BuildHelpers&) = delete;
  BuildHelpers& operator=(const BuildHelpers&) = delete;

  /// Takes one article; queues those built ahead of the first unbuilt one. False when the queue aborted.
  bool submit(Job&& job) {
    {
      std::lock_guard lock(mutex_);
      bytes_ += job.bytes;
      jobs_.push_back(std::make_unique<Job>(std::move(job)));
    }
    waiting_.notify_one();
    return hand_on(false);
  }

  /// Builds and queues every article taken (at the end of an input, before its Diagnostics).
  bool drain() { return hand_on(true); }

  /// The build itself, on whichever thread: the document, or the reason it could not be made.
  static void build(Job& job, const DocumentBuilder& builder) {
    try {
      job.event.built = builder.build(job.article, *job.source_file);
    } catch (const std::exception& e) {
      job.error = std::string("cannot index: ") + e.what();
    } catch (const Xapian::Error& e) {
      job.error = "cannot index: " + e.get_description();
    }
    job.article = Article{};  // its text is in the document now
  }

  /// Queues a built job: its article, or (the build threw) a Diagnostic. False when the queue aborted.
  static bool queue(Job& job, EventQueue& queue) {
    // One bad article must not end the run: report it with its record and go on.
    if (!job.error.empty()) return queue.push(Diagnostic{job.event.file, job.event.line, job.error, true}, 0);
    return queue.push(std::move(job.event), job.bytes);
  }

 private:
  // Queues built jobs from the front. Past the window (by count or by bytes of text, or with `all`) it waits
  // for the front one, building it here if no helper has taken it yet, so the worker never idles while work is
  // left. By bytes, as the EventQueue: articles near the size limit are built about one per thread at once
  // (docs/reliability.md, memory bounds), not a window's worth.
  bool hand_on(bool all) {
    for (;;) {
      std::unique_ptr<Job> front;
      {
        std::unique_lock lock(mutex_);
        if (jobs_.empty()) return true;
        Job& f = *jobs_.front();
        if (f.state == Job::State::kBuilt) {
          front = std::move(jobs_.front());
          jobs_.pop_front();
          bytes_ -= front->bytes;
        } else if (!all && jobs_.size() <= window_ && bytes_ <= max_bytes_) {
          return true;
        } else if (f.state == Job::State::kWaiting) {
          f.state = Job::State::kBuilding;
          lock.unlock();
          build(f, own_);
          lock.lock();
          f.state = Job::State::kBuilt;
          continue;
        } else {
          built_.wait(lock, [&] { return f.state == Job::State::kBuilt; });
          continue;
        }
      }
      if (!queue(*front, queue_)) return false;
    }
  }

  void help(const Analyzer& analyzer) {
    DocumentBuilder builder(analyzer, deferred_);
    std::unique_lock lock(mutex_);
    for (;;) {
      Job* job = nullptr;
      waiting_.wait(lock, [&] {
        if (quit_) return true;
        for (auto& j : jobs_) {
          if (j->state == Job::State::kWaiting) {
            job = j.get();
            return true;
          }
        }
        return false;
      });
      if (quit_) return;
      job->state = Job::State::kBuilding;
      lock.unlock();
      build(*job, builder);
      lock.lock();
      job->state = Job::State::kBuilt;
      built_.notify_all();
    }
  }

  const DocumentBuilder& own_;
  EventQueue& queue_;
  const size_t window_;     ///< articles taken but not yet queued, at most (memory: a few built articles)
  const uint64_t max_bytes_;  ///< their text, at most
  const bool deferred_;       ///< DocumentBuilder's: recipes for a bulk build
  uint64_t bytes_ = 0;        ///< text of the articles taken and not yet queued
  std::mutex mutex_;
  std::condition_variable waiting_;  ///< a job to build, or quit_
  std::condition_variable built_;    ///< a job was built
  std::deque<std::unique_ptr<Job>> jobs_;  ///< in reading order
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

/// One worker: takes inputs in turn, reads them, builds each article's documents (on `helpers` threads as
/// well, one per analyzer, when there are spare threads), queues the results.
void work(const std::vector<InputItem>& items, std::atomic<size_t>& next, const Analyzer& analyzer,
          const std::vector<const Analyzer*>& helper_analyzers, const ReadOptions& base, bool dry_run,
          bool deferred, const std::string& stdin_data, std::FILE* stdin_stream, EventQueue& queue) {
  DocumentBuilder builder(analyzer, deferred);
  std::optional<BuildHelpers> helpers;
  if (!dry_run && !helper_analyzers.empty())
    helpers.emplace(helper_analyzers, builder, queue, kMaxArticleBytes, deferred);
  for (;;) {
    size_t index = next.fetch_add(1);
    if (index >= items.size() || queue.aborted()) break;
    const InputItem& item = items[index];
    std::string name = item.is_stdin ? std::string(kStdinName) : item.file.string();
    ReadOptions options = base;
    if (!base.archive_root) options.id_root = item.id_root;  // a database without a stored root: older rule
    std::vector<Diagnostic> diagnostics;
    bool stop = false;
    uint64_t seq = 0;
    auto sink = [&](Article&& article) {
      if (stop) return;
      ArticleEvent event;
      event.id = article.id;
      event.path = article.path.empty() ? name : article.path;
      event.file = name;
      event.item = index;
      event.seq = seq++;
      // A JSON Lines record's path is "FILE:LINE": diagnostics name the file and the line apart.
      if (event.path.size() > name.size() + 1 && event.path.compare(0, name.size(), name) == 0 &&
          event.path[name.size()] == ':' &&
          event.path.find_first_not_of("0123456789", name.size() + 1) == std::string::npos) {
        event.line = std::strtoull(event.path.c_str() + name.size() + 1, nullptr, 10);
      } else {
        event.file = event.path;
      }
      event.passages = article.passages.size();
      event.has_title = article.title.has_value() && !article.title->empty();
      uint64_t bytes = text_bytes(article);
      if (dry_run) {
        event.record = std::move(article);
        stop = !queue.push(std::move(event), bytes);
        return;
      }
      BuildHelpers::Job job;
      job.event = std::move(event);
      job.article = std::move(article);
      job.source_file = &item.absolute;
      job.bytes = bytes;
      if (helpers) {
        stop = !helpers->submit(std::move(job));
        return;
      }
      BuildHelpers::build(job, builder);
      stop = !BuildHelpers::queue(job, queue);
    };
    uint64_t bytes_read = item.size;  // a streamed standard input counts what was read
    try {
      if (item.is_stdin) {
        if (stdin_stream != nullptr)
          bytes_read = read_stream(stdin_stream, kStdinName, options, sink, diagnostics);
        else
          read_buffer(stdin_data, kStdinName, options, sink, diagnostics);
      } else {
        read_file(item.file, options, sink, diagnostics);
      }
    } catch (const std::exception& e) {
      diagnostics.push_back(Diagnostic{name, 0, std::string("cannot read: ") + e.what(), true});
    } catch (const Xapian::Error& e) {
      diagnostics.push_back(Diagnostic{name, 0, "cannot read: " + e.get_description(), true});
    }
    if (helpers && !stop) stop = !helpers->drain();
    for (auto& d : diagnostics) {
      if (!stop) stop = !queue.push(std::move(d), 0);
    }
    if (stop || !queue.push(FileDone{bytes_read}, 0)) break;
  }
  queue.producer_done();
}

/// Joins the workers however run_index() leaves (a fatal writer error aborts the queue first).
class WorkerPool {
 public:
  explicit WorkerPool(EventQueue& queue) : queue_(queue) {}
  ~WorkerPool() {
    if (!finished_) queue_.abort();
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  template <typename F>
  void start(F&& f) {
    threads_.emplace_back(std::forward<F>(f));
  }
  void finished() { finished_ = true; }

 private:
  EventQueue& queue_;
  std::vector<std::thread> threads_;
  bool finished_ = false;
};

void sort_diagnostics(std::vector<Diagnostic>& list) {
  std::stable_sort(list.begin(), list.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
}

void validate(const IndexOptions& o) {
  if (o.threads < 1) throw UsageError("--threads must be at least 1");
  if (o.batch_size < 1) throw UsageError("--batch-size must be at least 1");
  if (o.max_passage_bytes < 64) throw UsageError("--max-passage-bytes must be at least 64");
  if (o.inputs.empty() && o.delete_ids.empty()) {
    throw UsageError("no input given (files, directories, or - for standard input)");
  }
  if (o.prune && o.inputs.empty()) throw UsageError("--prune needs the input roots to look under");
  if (o.dry_run && (o.prune || o.rebuild || !o.delete_ids.empty())) {
    throw UsageError("--dry-run cannot be combined with --prune, --rebuild or --delete");
  }
  if (o.rebuild && !o.delete_ids.empty())
    throw UsageError("--rebuild empties the database; --delete makes no sense");
  if (o.force && !o.rebuild) {
    throw UsageError("--force goes with --rebuild (it lets --rebuild empty a foreign database)");
  }
  if (o.db_path.empty() && !o.dry_run) throw UsageError("no database path");
  if (!o.shards.empty() && !o.route) throw UsageError("shards given without the route to them");
}

/// One run_index() call, step by step: what it has opened and read so far, and the report it fills.
class IndexRun {
 public:
  IndexRun(const IndexOptions& options, Reporter& reporter) : options_(options), reporter_(reporter) {
    report_.db = options.db_path;
    report_.dry_run = options.dry_run;
  }

  IndexReport run() {
    auto started = std::chrono::steady_clock::now();
    load_manifest();
    open_database();
    delete_articles();
    expand();
    plan_bulk_build();
    read_and_write();
    finish_bulk_build();
    prune();
    refresh_shrunk_stories(writers_);
    store_names();
    sort_diagnostics(report_.skipped);
    sort_diagnostics(report_.warnings);
    report_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return std::move(report_);
  }

 private:
  /// A problem, to the reporter now and into the report.
  void note(const Diagnostic& d) {
    reporter_.diagnostic(d);
    (d.skipped ? report_.skipped : report_.warnings).push_back(d);
  }

  void report_progress() {
    reporter_.progress(report_.articles, std::max(bytes_done_, bytes_seen_.load()), inputs_.total_bytes);
  }

  void load_manifest() {
    if (options_.manifest.empty()) return;
    try {
      manifest_ = read_manifest(options_.manifest);
    } catch (const std::exception& e) {
      throw UsageError(std::string("--manifest: ") + e.what());
    }
  }

  /// Opens (or refuses) the database before any reading: a locked or foreign database fails at once. Its
  /// stored analyzer settings and archive root replace what the options say.
  void open_database() {
    // The archive root a new database gets (--root, else the deepest folder holding every input).
    id_root_ = archive_root(options_);
    if (options_.language) config_.language = canonical_language(*options_.language);
    if (options_.fold_accents) config_.fold_accents = *options_.fold_accents;
    if (options_.dry_run) return;
    const std::vector<std::string> paths = database_paths();
    // Shards that exist first: one made now takes their analyzer settings and archive root.
    std::vector<size_t> order(paths.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_partition(order.begin(), order.end(),
                          [&](size_t i) { return database::layout(paths[i]) == database::Layout::kGlass; });
    writers_.resize(paths.size());
    for (size_t i : order) {
      WriterOptions wo;
      wo.path = paths[i];
      wo.rebuild = options_.rebuild;
      wo.force = options_.force;
      if (options_.language) wo.language = config_.language;
      wo.fold_accents = options_.fold_accents;
      wo.id_root = id_root_;
      wo.id_root_given = options_.root.has_value();
      const bool first = i == order.front();
      if (!first) {
        wo.language = config_.language;
        wo.fold_accents = config_.fold_accents;
      }
      writers_[i] = std::make_unique<IndexWriter>(wo);
      const IndexWriter& w = *writers_[i];
      if (first) {
        config_ = w.config();
        id_root_ = w.id_root();
      } else if (w.config().serialise() != config_.serialise() || w.id_root() != id_root_) {
        throw DatabaseError(DatabaseError::Kind::kDamaged,
                            paths[i] + ": its analyzer settings (" + w.config().serialise() +
                                ") or archive root (" + w.id_root() + ") differ from " +
                                paths[order.front()] + "'s (" + config_.serialise() + ", " + id_root_ +
                                "); the shards of one database agree");
      }
      reporter_.message(Reporter::Level::kInfo,
                        (w.created() ? "created " : "opened ") + paths[i] + " (" + config_.serialise() + ")");
    }
  }

  /// The databases the run writes: the shards, or the one database.
  std::vector<std::string> database_paths() const {
    return options_.shards.empty() ? std::vector{options_.db_path} : options_.shards;
  }

  /// The index into writers_ of the database article `id` goes to.
  size_t shard_of(std::string_view id) const {
    return options_.shards.empty() ? 0 : std::min(options_.route(id), options_.shards.size() - 1);
  }

  /// --delete first, so that indexing in the same run can put an article back.
  void delete_articles() {
    for (const auto& id : options_.delete_ids) {
      // An id printed from an older database has its control characters escaped as \xNN: that form works
      // too (articles/ids.h), in the shard of the bytes it stands for.
      const bool escaped = id.find("\\x") != std::string::npos;
      const std::string raw = escaped ? unescape_id_bytes(id) : id;
      IndexWriter& writer = *writers_[shard_of(id)];
      IndexWriter& raw_writer = *writers_[shard_of(raw)];
      if (writer.remove(id) || (escaped && raw_writer.remove(raw))) {
        ++report_.deleted;
        reporter_.message(Reporter::Level::kInfo, "deleted " + id);
      } else {
        note(Diagnostic{id, 0, "--delete: no article with this id in the database", true});
      }
    }
    for (auto& w : writers_) w->commit();
  }

  void expand() {
    inputs_ = expand_inputs(options_.inputs, options_.stdin_data.size());
    for (const auto& d : inputs_.diagnostics) note(d);
    if (!options_.manifest.empty()) {
      // A manifest kept beside the articles (news/manifest.jsonl) is metadata, not articles.
      std::error_code ec;
      std::filesystem::path m = std::filesystem::absolute(options_.manifest, ec).lexically_normal();
      std::erase_if(inputs_.items, [&](const InputItem& item) {
        if (item.is_stdin || item.absolute != m.string()) return false;
        inputs_.total_bytes -= item.size;
        return true;
      });
    }
  }

  /// A database that starts empty is built by several writers when the inputs are large enough (bulk.h);
  /// shards that all start empty, by one bulk build with writers of each.
  void plan_bulk_build() {
    unsigned writers = options_.writers;
    if (writers == 0) {
      writers = inputs_.total_bytes >= kBulkMinBytes ? std::min(options_.threads, kMaxAutoWriters) : 1;
    }
    if (writers_.empty() || writers <= 1 || inputs_.items.empty()) return;
    for (const auto& w : writers_) {
      if (!w->empty()) return;
    }
    BulkOptions bo;
    bo.db_path = options_.db_path;
    bo.shards = options_.shards;
    bo.config = config_;
    bo.id_root = id_root_;
    // Shards share the writer threads out; each needs one.
    bo.writers = std::max(1u, writers / static_cast<unsigned>(writers_.size()));
    bo.batch_size = options_.batch_size;
    bo.article_block = options_.bulk_article_block;
    bo.metadata = options_.shard_metadata;
    bulk_.emplace(bo);
    report_.bulk = true;
    reporter_.message(Reporter::Level::kInfo,
                      options_.shards.empty()
                          ? "building the new database with " + std::to_string(writers) +
                                " writers (segments merged at the end)"
                          : "building the " + std::to_string(writers_.size()) + " new shards with " +
                                std::to_string(bo.writers) + " writer(s) each (segments merged at the end)");
  }

  /// Each worker owns an Analyzer (they are not thread-safe); made here so a bad setting throws here.
  std::vector<Analyzer> make_analyzers(size_t workers) const {
    std::vector<Analyzer> analyzers;
    try {
      for (size_t i = 0; i < workers; ++i) analyzers.emplace_back(config_);
    } catch (const std::exception& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, options_.db_path +
                                                             ": cannot use analyzer settings " +
                                                             config_.serialise() + ": " + e.what());
    }
    return analyzers;
  }

  ReadOptions read_options() {
    ReadOptions read_options;
    read_options.manifest = options_.manifest.empty() ? nullptr : &manifest_;
    read_options.max_passage_bytes = options_.max_passage_bytes;
    read_options.bytes_read = &bytes_seen_;
    if (!id_root_.empty()) {
      read_options.id_root = id_root_;
      read_options.archive_root = true;
    }
    return read_options;
  }

  /// The inputs, read and built on worker threads, written by this thread in the order they arrive.
  void read_and_write() {
    if (inputs_.items.empty()) return;
    size_t workers = std::max<size_t>(1, std::min<size_t>(options_.threads, inputs_.items.size()));
    // Fewer inputs than threads (one JSON Lines file): the other threads build the workers' articles.
    const size_t spare = options_.dry_run ? 0 : options_.threads - workers;
    std::vector<Analyzer> analyzers = make_analyzers(workers + spare);
    std::vector<std::vector<const Analyzer*>> helper_analyzers(workers);
    for (size_t i = 0; i < spare; ++i) helper_analyzers[i % workers].push_back(&analyzers[workers + i]);
    const ReadOptions reading = read_options();
    // A bulk build's documents are made by the writers that add them, from the builders' recipes
    // (doc_recipe.h); a late winner of a duplicate id goes to the database's own writer, made there.
    const bool deferred = bulk_.has_value();
    // At most one article of the largest size waits for the writer (its built documents take ~16 times its
    // text: docs/reliability.md, memory bounds); ordinary articles are bounded by the count first.
    EventQueue queue(4 * workers + 16, kMaxArticleBytes, workers);
    std::atomic<size_t> next{0};
    WorkerPool pool(queue);
    for (size_t i = 0; i < workers; ++i) {
      pool.start([&, i] {
        work(inputs_.items, next, analyzers[i], helper_analyzers[i], reading, options_.dry_run, deferred,
             options_.stdin_data, options_.stdin_stream, queue);
      });
    }
    while (auto event = queue.pop()) {
      bool progress = true;
      if (auto* d = std::get_if<Diagnostic>(&*event)) {
        note(*d);
      } else if (auto* done = std::get_if<FileDone>(&*event)) {
        bytes_done_ += done->bytes;
      } else {
        progress = take_article(*event, queue);
      }
      if (progress) report_progress();
    }
    pool.finished();
    report_duplicates();
    report_.bytes = bytes_done_;
  }

  /// Records that cannot be indexed (no id, a bad id, nothing to index): a Diagnostic, false.
  bool indexable(const ArticleEvent& a) {
    if (a.id.empty()) {
      note(Diagnostic{a.file, a.line, "record has no id and none could be derived; not indexed", true});
      return false;
    }
    if (auto problem = id_problem(a.id)) {
      note(Diagnostic{a.file, a.line, "id \"" + escape_id_bytes(a.id) + "\" " + *problem + "; not indexed",
                      true});
      return false;
    }
    if (a.passages == 0 && !a.has_title) {
      note(Diagnostic{a.file, a.line, "no text to index (no passages and no title)", true});
      return false;
    }
    return true;
  }

  /// Two records claiming the same article: the last in input order (input, then record within it) wins
  /// whatever the threads' timing. False when `a` loses to the record taken earlier; else true, with
  /// `replace_earlier` set when `a` replaces that record (no longer counted in the report).
  bool wins(const ArticleEvent& a, const std::string& term, bool& replace_earlier) {
    auto it = seen_.find(term);
    if (it == seen_.end()) return true;
    Seen& old = it->second;
    if (std::pair(a.item, a.seq) < std::pair(old.item, old.seq)) {
      losers_[term].push_back(Seen{a.item, a.seq, a.id, a.path, a.file, a.line, a.passages, {}});
      return false;
    }
    losers_[term].push_back(old);
    // The earlier record no longer counts; the new one takes its place.
    replace_earlier = old.outcome != IndexWriter::Outcome::kCollision;
    if (replace_earlier) {
      --report_.articles;
      report_.passages -= old.passages;
    }
    if (!options_.dry_run && old.outcome == IndexWriter::Outcome::kAdded) --report_.added;
    if (old.outcome == IndexWriter::Outcome::kUpdated) --report_.updated;
    if (old.outcome == IndexWriter::Outcome::kUnchanged) --report_.unchanged;
    return true;
  }

  /// One article from a worker: checked, then listed (dry run), added to the bulk build or written. True
  /// when the loop is to report progress.
  bool take_article(Event& event, EventQueue& queue) {
    auto& a = std::get<ArticleEvent>(event);
    if (!indexable(a)) return false;
    const std::string term = article_id_term(a.id);
    bool replace_earlier = false;  // a record of this id was taken earlier in this run and loses now
    if (!wins(a, term, replace_earlier)) return false;
    Seen taken{a.item, a.seq, a.id, a.path, a.file, a.line, a.passages, IndexWriter::Outcome::kAdded};
    if (options_.dry_run) {
      reporter_.record(*a.record);
    } else if (bulk_) {
      add_to_bulk_build(event, queue, term, taken, replace_earlier);
      return false;
    } else if (!write(a, term, taken, replace_earlier)) {
      return false;
    }
    if (options_.dry_run) seen_[term] = taken;
    ++report_.articles;
    report_.passages += a.passages;
    queue.retire(std::move(event));
    return true;
  }

  /// The database started empty: every article is new.
  void add_to_bulk_build(Event& event, EventQueue& queue, const std::string& term, const Seen& taken,
                         bool replace_earlier) {
    auto& a = std::get<ArticleEvent>(event);
    for (const auto& w : a.built->warnings) note(Diagnostic{a.file, a.line, w, false});
    ++report_.added;
    ++report_.articles;
    report_.passages += a.passages;
    seen_[term] = taken;
    if (replace_earlier) {
      late_[term] = std::move(a);  // freed by this thread, never handed back to a reader
      return;
    }
    bulk_->add(std::move(*a.built), shard_of(a.id));
    report_progress();
    queue.retire(std::move(event));
  }

  /// Writes one article to the database, committing every batch. False when its id clashes with another.
  bool write(ArticleEvent& a, const std::string& term, Seen& taken, bool replace_earlier) {
    std::string other;
    std::string old_file;
    IndexWriter& writer = *writers_[shard_of(a.id)];
    if (replace_earlier) writer.remove(a.id);  // the earlier record of this run goes
    auto outcome = writer.write(*a.built, &other, &old_file);
    // Replacing a record of this run: new to the database if that one was, else an update.
    if (replace_earlier && outcome == IndexWriter::Outcome::kAdded &&
        seen_[term].outcome != IndexWriter::Outcome::kAdded)
      outcome = IndexWriter::Outcome::kUpdated;
    taken.outcome = outcome;
    seen_[term] = taken;
    switch (outcome) {
      case IndexWriter::Outcome::kAdded:
        ++report_.added;
        break;
      case IndexWriter::Outcome::kUpdated:
        ++report_.updated;
        break;
      case IndexWriter::Outcome::kUnchanged:
        ++report_.unchanged;
        break;
      case IndexWriter::Outcome::kCollision:
        note(Diagnostic{a.file, a.line,
                        "article id \"" + a.id + "\" clashes with \"" + other +
                            "\" already in the database (ids are compared case-insensitively); not indexed",
                        true});
        return false;
    }
    if (outcome == IndexWriter::Outcome::kUpdated && !replace_earlier && old_file != a.built->source_file) {
      // Two files with the same relative id (dA/story.txt, then dB/story.txt): the later replaces.
      note(Diagnostic{a.file, a.line,
                      "article id \"" + a.id + "\" was indexed from " +
                          (old_file.empty() ? std::string(kStdinName) : old_file) + "; replaced by this " +
                          (a.built->source_file.empty() ? "record" : "file's article"),
                      false});
    }
    for (const auto& w : a.built->warnings) note(Diagnostic{a.file, a.line, w, false});
    if (writer.pending_articles() >= options_.batch_size || writer.pending_bytes() >= options_.batch_bytes) {
      uint64_t n = writer.pending_articles();
      writer.commit();
      reporter_.message(Reporter::Level::kDebug, "committed a batch of " + std::to_string(n) + " articles");
    }
    return true;
  }

  /// The records that lost to a later one of the same id, now that every winner is known.
  void report_duplicates() {
    for (const auto& [term, list] : losers_) {
      const Seen& winner = seen_[term];
      for (const Seen& l : list) {
        note(Diagnostic{l.file, l.line,
                        "duplicate article id \"" + winner.id + "\": the record at " + winner.where +
                            ", later in the input, is indexed instead of this one",
                        true});
      }
    }
  }

  /// Merges the bulk build's segments into the database, then writes the late winners of duplicate ids.
  void finish_bulk_build() {
    if (!bulk_) return;
    const auto merge_started = std::chrono::steady_clock::now();
    // Without late winners to write, the merge stores the name and person tables as well.
    const size_t segments = bulk_->finish(late_.empty(), &names_stored_);
    bulk_.reset();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_started).count());
    reporter_.message(Reporter::Level::kInfo, "merged " + std::to_string(segments) + " segments into " +
                                                  options_.db_path + " in " + took + " s");
    // The merged databases replaced the files these writers hold open (empty, unchanged): closed unwritten.
    writers_.clear();
    if (late_.empty()) return;
    // Duplicate ids whose winner came after the loser had gone into a segment: written over it now.
    const std::vector<std::string> paths = database_paths();
    std::vector<std::unique_ptr<IndexWriter>> fixes(paths.size());
    for (auto& [term, a] : late_) {
      auto& fix = fixes[shard_of(a.id)];
      if (!fix) {
        WriterOptions wo;
        wo.path = paths[shard_of(a.id)];
        fix = std::make_unique<IndexWriter>(wo);
      }
      fix->remove(a.id);
      fix->write(*a.built);
    }
    for (auto& fix : fixes) {
      if (fix) fix->commit();
    }
    refresh_shrunk_stories(fixes);
  }

  /// Shards: a story that lost an article in one shard may have copies in the others, whose copies lists
  /// (schema.h kSlotStoryCopyList) still name it. Read over every shard and rewritten in each; a shard
  /// with no writer in `writers` gets one. One database: its writer did it in the same commit.
  void refresh_shrunk_stories(std::vector<std::unique_ptr<IndexWriter>>& writers) {
    if (options_.dry_run || writers.size() < 2) return;
    std::set<std::string> shrunk;
    for (const auto& w : writers) {
      if (w) shrunk.insert(w->shrunk_stories().begin(), w->shrunk_stories().end());
    }
    if (shrunk.empty()) return;
    const std::vector<std::string> paths = database_paths();
    Xapian::Database all;
    for (size_t i = 0; i < writers.size(); ++i) {
      if (!writers[i]) {
        WriterOptions wo;
        wo.path = paths[i];
        writers[i] = std::make_unique<IndexWriter>(wo);
      }
      all.add_database(writers[i]->database());
    }
    const std::vector<std::string> stories(shrunk.begin(), shrunk.end());
    for (auto& w : writers) w->refresh_copies(all, stories);
  }

  /// --prune, then the last commit. After a bulk build everything in the database was read in this run:
  /// nothing to prune.
  void prune() {
    for (auto& w : writers_) {
      if (!options_.prune) break;
      for (const auto& id : w->prune(inputs_.roots)) {
        ++report_.deleted;
        reporter_.message(Reporter::Level::kInfo, "pruned " + id + " (its file is gone)");
      }
    }
    for (auto& w : writers_) w->commit();
  }

  /// The name-variant table (analyzers/names.h) from the terms the run left, when it changed any article,
  /// and the person table (searcher/name_groups.h): each shard's names from its own terms, the shards at
  /// once (a thread each), and every shard the one person table of them all, so that the shards searched
  /// together group as one database.
  void store_names() {
    if (options_.dry_run || report_.added + report_.updated + report_.deleted == 0) return;
    if (names_stored_) return;  // written with the bulk build's merge
    const auto started = std::chrono::steady_clock::now();
    const std::vector<std::string> paths = database_paths();
    std::vector<std::unique_ptr<IndexWriter>> opened;
    if (writers_.empty()) {  // after a bulk build: the merged databases, opened again
      for (const std::string& path : paths) {
        WriterOptions wo;
        wo.path = path;
        opened.push_back(std::make_unique<IndexWriter>(wo));
      }
    }
    std::vector<std::unique_ptr<IndexWriter>>& writers = writers_.empty() ? opened : writers_;
    const bool sharded = writers.size() > 1;
    std::vector<std::exception_ptr> errors(writers.size());
    if (!sharded) {
      writers.front()->store_name_variants(true);
    } else {
      std::vector<std::thread> threads;
      for (size_t i = 0; i < writers.size(); ++i) {
        threads.emplace_back([&, i] {
          try {
            writers[i]->store_name_variants(false);
          } catch (...) {
            errors[i] = std::current_exception();
          }
        });
      }
      for (auto& t : threads) t.join();
    }
    for (auto& e : errors) {
      if (e) std::rethrow_exception(e);
    }
    if (sharded) {
      PersonTableData people;
      try {
        Xapian::Database all;
        for (const auto& w : writers) all.add_database(w->database());
        people = person_table_data(all);
      } catch (const Xapian::Error&) {
        rethrow_database_error(std::filesystem::path(paths.front()).parent_path().string());
      }
      for (auto& w : writers) w->write_person_table(people);
    }
    char took[32];
    std::snprintf(took, sizeof took, "%.2f",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    reporter_.message(Reporter::Level::kDebug, std::string("stored the name variants in ") + took + " s");
  }

  const IndexOptions& options_;
  Reporter& reporter_;
  IndexReport report_;
  Manifest manifest_;
  std::string id_root_;
  AnalyzerConfig config_;
  std::vector<std::unique_ptr<IndexWriter>> writers_;  ///< one per database (shard), in order
  ExpandedInputs inputs_;
  std::optional<BulkBuilder> bulk_;
  bool names_stored_ = false;  ///< the bulk build's merge wrote the name and person tables
  /// Ids seen in this run (by id term), and the records that lost to a later one of the same id.
  std::map<std::string, Seen> seen_;
  std::map<std::string, std::vector<Seen>> losers_;
  /// Bulk build: winners of a duplicate id read after the loser went into a segment, written over it once
  /// the segments are merged (one per id: later winners replace earlier ones here).
  std::map<std::string, ArticleEvent> late_;
  uint64_t bytes_done_ = 0;                // bytes of the inputs finished
  std::atomic<uint64_t> bytes_seen_{0};  // raw bytes the readers have read so far, files in progress too
};

}  // namespace

IndexReport run_index(const IndexOptions& options, Reporter& reporter) {
  validate(options);
  return IndexRun(options, reporter).run();
}

}  // namespace dateline
