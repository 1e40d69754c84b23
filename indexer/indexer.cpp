/** @file
 *  @brief run_index(): inputs -> reader + builder on worker threads -> bounded queue -> one writer, batch
 * commits.
 */
#include "indexer/indexer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <variant>

#include <xapian.h>

#include "analyzers/analyzer.h"
#include "articles/ids.h"
#include "articles/reader.h"
#include "indexer/bulk.h"
#include "indexer/document_builder.h"
#include "indexer/inputs.h"
#include "indexer/report.h"
#include "indexer/writer.h"

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
    not_full_.wait(lock, [&] {
      return aborted_ || items_.empty() || (items_.size() < max_items_ && bytes_ + bytes <= max_bytes_);
    });
    if (aborted_) return false;
    items_.emplace_back(std::move(event), bytes);
    bytes_ += bytes;
    not_empty_.notify_one();
    return true;
  }

  /// The next event; std::nullopt once every producer is done and the queue is drained.
  std::optional<Event> pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || producers_ == 0; });
    if (items_.empty()) return std::nullopt;
    auto [event, bytes] = std::move(items_.front());
    items_.pop_front();
    bytes_ -= bytes;
    not_full_.notify_all();
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
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::pair<Event, uint64_t>> items_;
  std::vector<Event> retired_;  ///< events the consumer has finished with, freed by producers
  size_t max_items_;
  uint64_t max_bytes_;
  uint64_t bytes_ = 0;
  size_t producers_;
  bool aborted_ = false;
};

uint64_t text_bytes(const Article& a) {
  uint64_t n = 0;
  for (const auto& p : a.passages) n += p.text.size();
  return n;
}

/// One worker: takes inputs in turn, reads them, builds each article's documents, queues the results.
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

void work(const std::vector<InputItem>& items, std::atomic<size_t>& next, const Analyzer& analyzer,
          const ReadOptions& base, bool dry_run, const std::string& stdin_data, std::FILE* stdin_stream,
          EventQueue& queue) {
  DocumentBuilder builder(analyzer);
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
      try {
        if (dry_run) {
          event.record = std::move(article);
        } else {
          event.built = builder.build(article, item.absolute);
        }
      } catch (const std::exception& e) {
        // One bad article must not end the run: report it with its record and go on.
        stop = !queue.push(Diagnostic{event.file, event.line, std::string("cannot index: ") + e.what(), true},
                           0);
        return;
      } catch (const Xapian::Error& e) {
        stop = !queue.push(Diagnostic{event.file, event.line, "cannot index: " + e.get_description(), true},
                           0);
        return;
      }
      stop = !queue.push(std::move(event), bytes);
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
}

}  // namespace

IndexReport run_index(const IndexOptions& options, Reporter& reporter) {
  auto started = std::chrono::steady_clock::now();
  validate(options);

  IndexReport report;
  report.db = options.db_path;
  report.dry_run = options.dry_run;

  auto note = [&](const Diagnostic& d) {
    reporter.diagnostic(d);
    (d.skipped ? report.skipped : report.warnings).push_back(d);
  };

  Manifest manifest;
  if (!options.manifest.empty()) {
    try {
      manifest = read_manifest(options.manifest);
    } catch (const std::exception& e) {
      throw UsageError(std::string("--manifest: ") + e.what());
    }
  }

  // The archive root a new database gets (--root, else the deepest folder holding every input); an
  // existing database's stored root replaces it below.
  std::string id_root = archive_root(options);
  // Open (or refuse) the database before any reading: a locked or foreign database fails at once.
  std::optional<IndexWriter> writer;
  AnalyzerConfig config;
  if (options.language) config.language = canonical_language(*options.language);
  if (options.fold_accents) config.fold_accents = *options.fold_accents;
  if (!options.dry_run) {
    WriterOptions wo;
    wo.path = options.db_path;
    wo.rebuild = options.rebuild;
    wo.force = options.force;
    if (options.language) wo.language = config.language;
    wo.fold_accents = options.fold_accents;
    wo.id_root = id_root;
    wo.id_root_given = options.root.has_value();
    writer.emplace(wo);
    config = writer->config();
    id_root = writer->id_root();
    reporter.message(Reporter::Level::kInfo, (writer->created() ? "created " : "opened ") + options.db_path +
                                                 " (" + config.serialise() + ")");
  }

  // --delete first, so that indexing in the same run can put an article back.
  for (const auto& id : options.delete_ids) {
    // An id printed from an older database has its control characters escaped as \xNN: that form works
    // too (articles/ids.h).
    const bool escaped = id.find("\\x") != std::string::npos;
    if (writer->remove(id) || (escaped && writer->remove(unescape_id_bytes(id)))) {
      ++report.deleted;
      reporter.message(Reporter::Level::kInfo, "deleted " + id);
    } else {
      note(Diagnostic{id, 0, "--delete: no article with this id in the database", true});
    }
  }
  if (writer) writer->commit();

  ExpandedInputs inputs = expand_inputs(options.inputs, options.stdin_data.size());
  for (const auto& d : inputs.diagnostics) note(d);
  if (!options.manifest.empty()) {
    // A manifest kept beside the articles (news/manifest.jsonl) is metadata, not articles.
    std::error_code ec;
    std::filesystem::path m = std::filesystem::absolute(options.manifest, ec).lexically_normal();
    std::erase_if(inputs.items, [&](const InputItem& item) {
      if (item.is_stdin || item.absolute != m.string()) return false;
      inputs.total_bytes -= item.size;
      return true;
    });
  }

  // A database that starts empty is built by several writers when the inputs are large enough (bulk.h).
  unsigned writers = options.writers;
  if (writers == 0) {
    writers = inputs.total_bytes >= kBulkMinBytes ? std::min(options.threads, kMaxAutoWriters) : 1;
  }
  std::optional<BulkBuilder> bulk;
  if (writer && writers > 1 && !inputs.items.empty() && writer->empty()) {
    BulkOptions bo;
    bo.db_path = options.db_path;
    bo.config = config;
    bo.id_root = writer->id_root();
    bo.writers = writers;
    bo.batch_size = options.batch_size;
    bo.article_block = options.bulk_article_block;
    bo.passage_block = options.bulk_passage_block;
    bulk.emplace(bo);
    reporter.message(Reporter::Level::kInfo, "building the new database with " + std::to_string(writers) +
                                                 " writers (segments merged at the end)");
  }

  // Bulk build: winners of a duplicate id read after the loser went into a segment, written over it once
  // the segments are merged (one per id: later winners replace earlier ones here).
  std::map<std::string, ArticleEvent> late;
  if (!inputs.items.empty()) {
    // Each worker owns an Analyzer (they are not thread-safe); made here so a bad setting throws here.
    size_t workers = std::max<size_t>(1, std::min<size_t>(options.threads, inputs.items.size()));
    std::vector<Analyzer> analyzers;
    try {
      for (size_t i = 0; i < workers; ++i) analyzers.emplace_back(config);
    } catch (const std::exception& e) {
      throw DatabaseError(DatabaseError::Kind::kDamaged, options.db_path + ": cannot use analyzer settings " +
                                                             config.serialise() + ": " + e.what());
    }
    ReadOptions read_options;
    read_options.manifest = options.manifest.empty() ? nullptr : &manifest;
    read_options.max_passage_bytes = options.max_passage_bytes;
    std::atomic<uint64_t> bytes_seen{0};  // raw bytes the readers have read so far, files in progress too
    read_options.bytes_read = &bytes_seen;
    if (!id_root.empty()) {
      read_options.id_root = id_root;
      read_options.archive_root = true;
    }

    // At most one article of the largest size waits for the writer (its built documents take ~16 times its
    // text: docs/reliability.md, memory bounds); ordinary articles are bounded by the count first.
    EventQueue queue(4 * workers + 16, kMaxArticleBytes, workers);
    std::atomic<size_t> next{0};
    WorkerPool pool(queue);
    for (size_t i = 0; i < workers; ++i) {
      pool.start([&, i] {
        work(inputs.items, next, analyzers[i], read_options, options.dry_run, options.stdin_data,
             options.stdin_stream, queue);
      });
    }

    // The writer: this thread. Ids seen in this run, to catch two records claiming the same article: the
    // last in input order (input, then record within it) wins whatever the threads' timing.
    std::map<std::string, Seen> seen;
    // The records that lost to a later one of the same id: reported once the winner is known.
    std::map<std::string, std::vector<Seen>> losers;
    uint64_t bytes_done = 0;
    while (auto event = queue.pop()) {
      if (auto* d = std::get_if<Diagnostic>(&*event)) {
        note(*d);
      } else if (auto* done = std::get_if<FileDone>(&*event)) {
        bytes_done += done->bytes;
      } else {
        auto& a = std::get<ArticleEvent>(*event);
        if (a.id.empty()) {
          note(Diagnostic{a.file, a.line, "record has no id and none could be derived; not indexed", true});
          continue;
        }
        if (auto problem = id_problem(a.id)) {
          note(Diagnostic{a.file, a.line,
                          "id \"" + escape_id_bytes(a.id) + "\" " + *problem + "; not indexed", true});
          continue;
        }
        if (a.passages == 0 && !a.has_title) {
          note(Diagnostic{a.file, a.line, "no text to index (no passages and no title)", true});
          continue;
        }
        const std::string term = article_id_term(a.id);
        bool replace_earlier = false;  // a record of this id was taken earlier in this run and loses now
        if (auto it = seen.find(term); it != seen.end()) {
          Seen& old = it->second;
          if (std::pair(a.item, a.seq) < std::pair(old.item, old.seq)) {
            losers[term].push_back(Seen{a.item, a.seq, a.id, a.path, a.file, a.line, a.passages, {}});
            continue;
          }
          losers[term].push_back(old);
          // The earlier record no longer counts; the new one takes its place.
          replace_earlier = old.outcome != IndexWriter::Outcome::kCollision;
          if (replace_earlier) {
            --report.articles;
            report.passages -= old.passages;
          }
          if (!options.dry_run && old.outcome == IndexWriter::Outcome::kAdded) --report.added;
          if (old.outcome == IndexWriter::Outcome::kUpdated) --report.updated;
          if (old.outcome == IndexWriter::Outcome::kUnchanged) --report.unchanged;
        }
        Seen taken{a.item, a.seq, a.id, a.path, a.file, a.line, a.passages, IndexWriter::Outcome::kAdded};
        if (options.dry_run) {
          reporter.record(*a.record);
        } else if (bulk) {
          // The database started empty: every article is new.
          for (const auto& w : a.built->warnings) note(Diagnostic{a.file, a.line, w, false});
          ++report.added;
          ++report.articles;
          report.passages += a.passages;
          seen[term] = taken;
          if (replace_earlier) {
            late[term] = std::move(a);  // freed by this thread, never handed back to a reader
            continue;
          }
          bulk->add(std::move(*a.built));
          reporter.progress(report.articles, std::max(bytes_done, bytes_seen.load()), inputs.total_bytes);
          queue.retire(std::move(*event));
          continue;
        } else {
          std::string other;
          std::string old_file;
          if (replace_earlier) writer->remove(a.id);  // the earlier record of this run goes
          auto outcome = writer->write(*a.built, &other, &old_file);
          // Replacing a record of this run: new to the database if that one was, else an update.
          if (replace_earlier && outcome == IndexWriter::Outcome::kAdded &&
              seen[term].outcome != IndexWriter::Outcome::kAdded)
            outcome = IndexWriter::Outcome::kUpdated;
          taken.outcome = outcome;
          seen[term] = taken;
          switch (outcome) {
            case IndexWriter::Outcome::kAdded:
              ++report.added;
              break;
            case IndexWriter::Outcome::kUpdated:
              ++report.updated;
              break;
            case IndexWriter::Outcome::kUnchanged:
              ++report.unchanged;
              break;
            case IndexWriter::Outcome::kCollision:
              note(Diagnostic{a.file, a.line,
                              "article id \"" + a.id + "\" clashes with \"" + other +
                                  "\" already in the database (ids are compared case-insensitively); "
                                  "not indexed",
                              true});
              continue;
          }
          if (outcome == IndexWriter::Outcome::kUpdated && !replace_earlier &&
              old_file != a.built->source_file) {
            // Two files with the same relative id (dA/story.txt, then dB/story.txt): the later replaces.
            note(Diagnostic{a.file, a.line,
                            "article id \"" + a.id + "\" was indexed from " +
                                (old_file.empty() ? std::string(kStdinName) : old_file) +
                                "; replaced by this " +
                                (a.built->source_file.empty() ? "record" : "file's article"),
                            false});
          }
          for (const auto& w : a.built->warnings) note(Diagnostic{a.file, a.line, w, false});
          if (writer->pending_articles() >= options.batch_size ||
              writer->pending_bytes() >= options.batch_bytes) {
            uint64_t n = writer->pending_articles();
            writer->commit();
            reporter.message(Reporter::Level::kDebug,
                             "committed a batch of " + std::to_string(n) + " articles");
          }
        }
        if (options.dry_run) seen[term] = taken;
        ++report.articles;
        report.passages += a.passages;
        queue.retire(std::move(*event));
      }
      reporter.progress(report.articles, std::max(bytes_done, bytes_seen.load()), inputs.total_bytes);
    }
    pool.finished();
    for (const auto& [term, list] : losers) {
      const Seen& winner = seen[term];
      for (const Seen& l : list) {
        note(Diagnostic{l.file, l.line,
                        "duplicate article id \"" + winner.id + "\": the record at " + winner.where +
                            ", later in the input, is indexed instead of this one",
                        true});
      }
    }
    report.bytes = bytes_done;
  }

  if (bulk) {
    const auto merge_started = std::chrono::steady_clock::now();
    const size_t segments = bulk->finish();
    bulk.reset();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - merge_started).count());
    reporter.message(Reporter::Level::kInfo, "merged " + std::to_string(segments) + " segments into " +
                                                 options.db_path + " in " + took + " s");
    // The merged database replaced the files this writer holds open (empty, unchanged): close it unwritten.
    writer.reset();
    {
      // Syndicated copies: each segment writer saw a share of the articles; the stories are found in the
      // merged database (indexer/story_links.h).
      WriterOptions wo;
      wo.path = options.db_path;
      IndexWriter(wo).link_stories();
    }
    if (!late.empty()) {
      // Duplicate ids whose winner came after the loser had gone into a segment: written over it now.
      WriterOptions wo;
      wo.path = options.db_path;
      IndexWriter fix(wo);
      for (auto& [term, a] : late) {
        fix.remove(a.id);
        fix.write(*a.built);
      }
      fix.commit();
    }
  }

  // After a bulk build everything in the database was read in this run: nothing to prune.
  if (options.prune && writer) {
    for (const auto& id : writer->prune(inputs.roots)) {
      ++report.deleted;
      reporter.message(Reporter::Level::kInfo, "pruned " + id + " (its file is gone)");
    }
  }
  if (writer) writer->commit();

  sort_diagnostics(report.skipped);
  sort_diagnostics(report.warnings);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace dateline
