/** @file
 *  @brief BulkBuilder: writer threads fill one-kind segments with docid blocks; finish() merges and installs.
 */
#include "indexer/bulk.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analyzers/names.h"
#include "analyzers/schema.h"
#include "indexer/indexer.h"
#include "indexer/stem_forms.h"
#include "indexer/story_links.h"
#include "indexer/word_hash.h"
#include "indexer/writer.h"
#include "searcher/name_groups.h"

namespace fs = std::filesystem;

namespace dateline {

namespace {

// The block size of segment databases (bytes; glass allows 2 KiB to 64 KiB). On news.jsonl, 32 KiB blocks
// took a third less system time than 8 KiB ones (1.2 against 1.7-1.8 s: fewer, larger reads and writes),
// with the same database after the merge (bench/RESULTS.md, "Segment blocks").
constexpr unsigned kSegmentBlockSize = 32768;

// Blocks of docids, handed out in order so that no two segments' ranges overlap.
class BlockAllocator {
 public:
  explicit BlockAllocator(uint32_t article_block) : article_block_(std::max(1u, article_block)) {}

  /// [first, end) of the next article block, or std::nullopt when none is left.
  std::optional<std::pair<uint64_t, uint64_t>> articles() {
    std::lock_guard lock(mutex_);
    const uint64_t first = 1 + article_blocks_ * article_block_;
    if (first >= schema::kFirstPassageDocid) return std::nullopt;
    ++article_blocks_;
    return std::pair(first, std::min<uint64_t>(first + article_block_, schema::kFirstPassageDocid));
  }
 private:
  std::mutex mutex_;
  uint64_t article_block_;
  uint64_t article_blocks_ = 0;
};

// One segment database: documents of one kind, docids [next, end).
struct Segment {
  std::string path;
  Xapian::WritableDatabase db;
  uint64_t next = 0;  // wider than a docid: the last block may end at 2^32
  uint64_t end = 0;
  bool open = false;
};

// What a writer thread contributes to the merged database's metadata.
struct WriterTotals {
  schema::Lengths lengths;
  Xapian::docid last_article_docid = 0;
  std::vector<std::string> segments;
};

// A writer thread's current segment.
class SegmentWriter {
 public:
  SegmentWriter(std::string dir, BlockAllocator& blocks, size_t batch_size)
      : dir_(std::move(dir)), blocks_(blocks), batch_size_(batch_size) {}

  void write(const BuiltArticle& article) {
    Segment& seg = articles_;
    if (!seg.open || seg.next == seg.end) roll(seg);
    const auto did = static_cast<Xapian::docid>(seg.next++);
    // Every article comes as a recipe (BulkBuilder::add(), doc_recipe.h): its document is made here, where it
    // is added.
    seg.db.replace_document(did, article.recipe.make());
    totals_.lengths.articles += article.length;
    totals_.lengths.passages += article.passages;
    totals_.last_article_docid = std::max(totals_.last_article_docid, did);
    if (++pending_ >= batch_size_) commit();
  }

  /// Commits and closes the segments; what the merge needs.
  WriterTotals finish() {
    commit();
    close(articles_);
    return std::move(totals_);
  }

 private:
  void commit() {
    if (articles_.open) articles_.db.commit();
    pending_ = 0;
    // The documents come from reader threads' malloc arenas and Xapian's inverted batch from this one's:
    // freed chunks stay with each arena, so the process kept the sum of every arena's high-water mark
    // (157 MB peak RSS on news.jsonl). Handing the free pages back after each commit keeps it at 109 MB,
    // for about 1 CPU second of page faults on the same run. That is glibc's malloc; where jemalloc replaces
    // it (the usual build), this call does nothing and jemalloc's decay setting does the same job
    // (indexer/jemalloc_conf.cpp).
    malloc_trim(0);
  }

  void close(Segment& seg) {
    if (!seg.open) return;
    seg.db.commit();
    seg.db.close();
    seg.open = false;
  }

  void roll(Segment& seg) {
    if (seg.open) close(seg);
    auto block = blocks_.articles();
    if (!block) {
      throw std::runtime_error("full: a Dateline database holds at most " +
                               std::to_string(schema::kFirstPassageDocid - 1) + " articles");
    }
    // Built by appending: GCC 12 misreports `"a" + std::string` under -Wrestrict.
    std::string name("a");
    name += std::to_string(block->first);
    seg.path = (fs::path(dir_) / name).string();
    // A segment is scratch until the merge, and nothing reads it while it is written: no fsync (the merged
    // database is synced by the compactor), and blocks changed by a commit are written over in place instead
    // of copied (DB_DANGEROUS: an interrupted build leaves a segment nobody uses). Its blocks are 32 KiB, a
    // quarter of the reads and writes of Xapian's default 8 KiB as each commit merges its batch into the
    // B-trees; the compactor writes the merged database in the default 8 KiB blocks (kSegmentBlockSize).
    seg.db = Xapian::WritableDatabase(seg.path,
                                      Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS |
                                          Xapian::DB_BACKEND_GLASS,
                                      kSegmentBlockSize);
    seg.next = block->first;
    seg.end = block->second;
    seg.open = true;
    totals_.segments.push_back(seg.path);
  }

  std::string dir_;
  BlockAllocator& blocks_;
  size_t batch_size_;
  Segment articles_;
  size_t pending_ = 0;
  WriterTotals totals_;
};

}  // namespace

namespace {

// Word -> in how many articles it occurs. WordHash: this table is looked up for every spelling word of every
// article on the thread that queues them (std::hash was a third of that).
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount, WordHash>;

// One database being built: its segments' folder, docid blocks, queue and what its writers did.
struct Target {
  Target(std::string path, uint32_t article_block) : db_path(std::move(path)), blocks(article_block) {}
  std::string db_path;
  std::string dir;  // BulkBuilder::work_dir(db_path)
  BlockAllocator blocks;
  std::deque<BuiltArticle> queue;
  std::condition_variable not_empty;
  std::vector<WriterTotals> totals;
  /// The spelling words of its articles: in how many each occurs (counted as they are queued).
  SpellingCounts spelling;
  /// Its articles' stems' body word forms (indexer/stem_forms.h), gathered as they are queued.
  StemForms forms;
};

// The spelling dictionary of a bulk build, written once into a database of its own that the compactor merges
// with the segments. The segment writers used to add their articles' words as they went: each flush re-read
// and re-wrote (deflated) every fragment list its new words joined, lists that grow with the dictionary, so
// the spelling table was 1.6 of the build's 16.5 CPU seconds on news.jsonl (bench/RESULTS.md, "Indexing
// wall time"). Written once, each list is deflated once, while the writers finish their last batches; in
// `parts` databases on as many threads (the words split by their hash), as the compactor joins the lists.
// The words go in sorted: Xapian keeps a word's fragments in ordered maps and sets until the commit, and
// sorted inserts land beside the last ones (a part's add_spelling() calls took 0.07 CPU s instead of 0.10
// on news.jsonl).
void write_spelling(const std::string& path, const SpellingCounts& words,
                    size_t part, size_t parts) {
  Xapian::WritableDatabase db(path,
                              Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
  const std::hash<std::string> hash;
  std::vector<const std::pair<const std::string, Xapian::termcount>*> mine;
  mine.reserve(words.size() / parts + 1);
  for (const auto& entry : words) {
    if (hash(entry.first) % parts == part) mine.push_back(&entry);
  }
  std::sort(mine.begin(), mine.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  for (const auto* entry : mine) db.add_spelling(entry->first, entry->second);
  db.commit();
  db.close();
}

// Writes `copies` (stories::write_copies()) into each of `segments` and commits it, on up to `threads`
// threads at once (`fault`, for tests, called on each as it starts). Rethrows the first failure.
void mark_copies(const std::vector<std::string>& segments, const std::vector<stories::StoryCopies>& copies,
                 size_t threads, const std::function<void(std::string_view)>& fault) {
  if (copies.empty() || segments.empty()) return;
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(segments.size());
  auto mark = [&] {
    for (size_t i = next++; i < segments.size(); i = next++) {
      try {
        if (fault) fault("copies");
        Xapian::WritableDatabase segment(segments[i], Xapian::DB_OPEN | Xapian::DB_NO_SYNC |
                                                          Xapian::DB_DANGEROUS | Xapian::DB_BACKEND_GLASS);
        stories::write_copies(segment, copies);
        segment.commit();
        segment.close();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  {
    struct Join {
      std::vector<std::thread>& threads;
      ~Join() {
        for (auto& t : threads) t.join();
      }
    } join{helpers};
    try {
      for (size_t i = 1; i < std::min(threads, segments.size()); ++i) helpers.emplace_back(mark);
    } catch (const std::system_error&) {
      // fewer threads: this one and those started take the rest
    }
    mark();
  }
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// What finish()'s thread and the merge threads share. The name and person tables written with the merge
// (finish() with name_tables) are made by finish()'s thread from the segments while the merge threads
// compact them: each database's name-variant table from its segments' terms (the terms its merged database
// gets), the person table once over every database's segments. Made from the merged databases, they held
// each merge ~0.15 s after its compaction on news.jsonl, with the other core idle meanwhile. Once a merge
// has compacted its segments and the tables are made, finish()'s thread removes the segments while the
// merge writes the metadata and swaps the database in.
struct MergeTables {
  explicit MergeTables(size_t databases) : names(databases), compacted(databases, 0) {}
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::map<std::string, std::set<std::string>>> names;  // each database's name-variant table
  std::optional<PersonTableData> people;
  bool done = false;  // the tables are made, or will never be (`people` empty then)
  std::vector<char> compacted;  // each database's merge reads its segments no more (compacted or failed)

  void tables_made(std::optional<PersonTableData> made) {
    std::lock_guard lock(mutex);
    people = std::move(made);
    done = true;
    changed.notify_all();
  }
  void give_up() {
    std::lock_guard lock(mutex);
    if (!done) people.reset();
    done = true;
    changed.notify_all();
  }
  void segments_read(size_t index) {
    std::lock_guard lock(mutex);
    compacted[index] = 1;
    changed.notify_all();
  }
};

}  // namespace

struct BulkBuilder::Impl {
  explicit Impl(const BulkOptions& o) : options(o) {}
  BulkOptions options;
  std::deque<Target> targets;  // a deque: a Target holds a condition variable and never moves

  // Syndicated copies: the articles get their story here, batch by batch in the order they come, before
  // any segment writer sees them. The linker remembers every article linked (it is never cleared), so
  // an empty database stands for the one being built (for shards: for all of them, linked as one).
  stories::Linker linker;
  Xapian::WritableDatabase nothing{std::string(), Xapian::DB_BACKEND_INMEMORY};
  std::vector<std::pair<BuiltArticle, size_t>> unlinked;  // (article, target)
  Xapian::docid next_link_id = 1;

  std::mutex mutex;
  std::condition_variable not_full;
  size_t queued = 0;  // articles in the targets' queues
  bool closed = false;  // no more articles
  bool failed = false;  // a writer failed: everyone stops
  std::string error;
  std::vector<std::thread> threads;
  bool finished = false;

  // Articles a writer takes from its queue at once (fewer when fewer wait: a fair share each).
  static constexpr size_t kTake = 8;

  // Room for a whole linked batch. While the linking thread waits for the writers to take a batch, it takes
  // no article from the readers, who stop behind it; with half a batch of room, the writers then ran dry
  // while the next batch was read and linked (each asleep 1.5 s of a 6 s build of news.jsonl): 5.89 s
  // against 6.06 s mean wall over four alternations (bench/RESULTS.md, "A whole linked batch of room").
  // With a queue of 24 the reader and the writers took turns instead of working at once. The room costs no
  // peak memory over the half batch's: an article waits with its document's recipe alone (BulkBuilder::add(),
  // doc_recipe.h: a few KB where the Document took tens), and the Linker keeps less (story_links.h).
  //
  // The room is shared by the databases' queues (`queued` articles in all): with room of their own, the
  // linking thread waited for one shard's writer to take the next article of its shard while another
  // shard's writer ran dry, and the reader waited behind it (news.jsonl in 2 shards, one run under load: the
  // writers idle 5.7 and 8.1 s against 2.6 in one database's build; 4.9 and 3.6 with the room shared).
  size_t max_queue() const {
    return std::max<size_t>(4 * static_cast<size_t>(options.writers) * targets.size() + 16,
                            options.batch_size);
  }

  void fail(const std::string& message) {
    std::lock_guard lock(mutex);
    if (!failed) error = message;
    failed = true;
    for (Target& t : targets) {
      t.queue.clear();
      t.not_empty.notify_all();
    }
    queued = 0;
    not_full.notify_all();
  }

  void run_writer(Target& target) {
    try {
      // Xapian holds a segment's uncommitted documents inverted in memory (~55 KB an article on news.jsonl):
      // the writers share one batch between them, so that peak memory does not grow with their number.
      // Commit size does not change the CPU a build takes (batches of 250 to 2,000: the same).
      const size_t all_writers = static_cast<size_t>(options.writers) * targets.size();
      SegmentWriter writer(target.dir, target.blocks, std::max<size_t>(1, options.batch_size / all_writers));
      std::vector<BuiltArticle> taken;
      for (;;) {
        {
          std::unique_lock lock(mutex);
          target.not_empty.wait(lock, [&] { return failed || closed || !target.queue.empty(); });
          if (failed) return;
          if (target.queue.empty()) break;  // closed and drained
          // A few at a time, a fair share of what waits: one thread switch per few articles, not one each.
          const size_t n = std::clamp<size_t>(target.queue.size() / options.writers, 1, kTake);
          for (size_t i = 0; i < n; ++i) {
            taken.push_back(std::move(target.queue.front()));
            target.queue.pop_front();
          }
          queued -= n;
          // The linking thread waits for room until half the queue is free, then fills it: waking it at
          // every article taken made it and the writers take turns, one article each.
          if (queued <= max_queue() / 2) not_full.notify_all();
        }
        for (const BuiltArticle& article : taken) writer.write(article);
        taken.clear();
      }
      WriterTotals t = writer.finish();
      std::lock_guard lock(mutex);
      target.totals.push_back(std::move(t));
    } catch (const Xapian::Error& e) {
      fail(e.get_description());
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }

  void stop() {
    {
      std::lock_guard lock(mutex);
      closed = true;
      for (Target& t : targets) t.not_empty.notify_all();
    }
    for (auto& t : threads) {
      if (t.joinable()) t.join();
    }
    threads.clear();
  }

  DatabaseError error_for(const std::string& what) const {
    return DatabaseError(DatabaseError::Kind::kIo, database_name() + ": " + what);
  }

  std::string database_name() const {
    return options.shards.empty() ? options.db_path : fs::path(options.shards.front()).parent_path().string();
  }

  /// Merges `target` (the index-th database)'s segments into a new database and puts it in place of the
  /// target's directory; with `tables`, writes its name tables too (once `shared` has them). Tells `shared`
  /// when it has read the segments for the last time.
  void install(const Target& target, size_t index, const std::vector<std::string>& segments,
               const schema::Lengths& lengths, Xapian::docid last_article, bool tables, MergeTables& shared);
};

namespace {

// Where no directory can be made beside the database, or the file system cannot swap: the merged
// database's files moved in one by one, the tables first, the version file (which names their roots) last.
void move_files_into_place(const fs::path& merged, const fs::path& db,
                           const std::function<DatabaseError(const std::string&)>& error) {
  std::error_code ec;
  std::set<std::string> installed;
  for (const auto& entry : fs::directory_iterator(merged)) {
    const std::string name = entry.path().filename().string();
    if (name == "iamglass" || name == "flintlock" || !entry.is_regular_file()) continue;
    fs::rename(entry.path(), db / name, ec);
    if (ec) throw error("cannot move " + name + " into place (" + ec.message() + ")");
    installed.insert(name);
  }
  for (const auto& entry : fs::directory_iterator(db)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".glass" && installed.count(name) == 0) {
      fs::remove(entry.path(), ec);  // a table the merged database does not have
    }
  }
  fs::rename(merged / "iamglass", db / "iamglass", ec);
  if (ec) throw error("cannot move iamglass into place (" + ec.message() + ")");
}

}  // namespace

void BulkBuilder::Impl::install(const Target& target, size_t index, const std::vector<std::string>& segments,
                                const schema::Lengths& lengths, Xapian::docid last_article, bool tables,
                                MergeTables& shared) {
  const auto fault = [&](const std::string& what) {
    return DatabaseError(DatabaseError::Kind::kIo, target.db_path + ": " + what);
  };
  // Tells finish()'s thread once the segments are read no more: after the compaction, or on the way out
  // when something failed first.
  struct SegmentsRead {
    MergeTables& shared;
    size_t index;
    bool told = false;
    void tell() {
      if (!told) shared.segments_read(index);
      told = true;
    }
    ~SegmentsRead() { tell(); }
  } segments_read{shared, index};
  // The merged database is made beside the database directory and swapped in whole (one atomic
  // renameat2): a reader opening it meanwhile sees the empty database or the finished one, never new
  // tables under the old version file. Where no directory can be made beside it, or the file system
  // cannot swap, the files are moved in one by one (the version file last).
  std::optional<ScratchDir> beside;
  try {
    beside.emplace(target.db_path, "bulk");
  } catch (const std::system_error&) {
    // moved file by file from the work directory
  }
  const fs::path merged = beside ? fs::path(beside->path()) : fs::path(target.dir) / "merged";
  try {
    if (options.fault) options.fault("compact");
    Xapian::Database all;
    for (const auto& s : segments) all.add_database(Xapian::Database(s, Xapian::DB_BACKEND_GLASS));
    all.compact(merged.string(), Xapian::DBCOMPACT_NO_RENUMBER | Xapian::DB_BACKEND_GLASS);
    all.close();
    segments_read.tell();
    Xapian::WritableDatabase out(merged.string(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    schema::write_stamp(out, options.config.serialise());
    if (const std::string w = index_weights().describe(); !w.empty())
      out.set_metadata(std::string(schema::kMetaExperiments), w);
    schema::write_lengths(out, lengths);
    out.set_metadata(std::string(schema::kMetaStoryCopies), "1");  // marked in the segments
    out.set_metadata(std::string(schema::kMetaStoryCopyList), "1");
    out.set_metadata(std::string(schema::kMetaLastArticleDocid), std::to_string(last_article));
    if (!options.id_root.empty()) out.set_metadata(std::string(schema::kMetaIdRoot), options.id_root);
    if (index < options.metadata.size()) {
      for (const auto& [key, value] : options.metadata[index]) out.set_metadata(key, value);
    }
    if (tables) {
      std::unique_lock lock(shared.mutex);
      shared.changed.wait(lock, [&] { return shared.done; });
      if (!shared.people) return;  // the tables failed: finish() throws that
      lock.unlock();
      write_name_variants(out, shared.names[index]);
      write_person_table(out, *shared.people);  // commits
    } else {
      out.commit();
    }
    out.close();
  } catch (const Xapian::Error& e) {
    throw fault("cannot merge the segments of the bulk build (" + e.get_description() + ")");
  }
  const fs::path db(target.db_path);
  std::error_code ec;
  bool swapped = false;
  if (beside) {
    fs::permissions(merged, fs::status(db, ec).permissions(), ec);
    swapped = exchange_directories(merged.string(), db.string(), ec);
  }
  if (!swapped) move_files_into_place(merged, db, fault);
  // ~ScratchDir removes what is left beside: after the swap, the old directory with the work directory.
}

std::string BulkBuilder::work_dir(const std::string& db_path) {
  return (fs::path(db_path) / "dateline-bulk.tmp").string();
}

BulkBuilder::BulkBuilder(const BulkOptions& options) : impl_(std::make_unique<Impl>(options)) {
  Impl& d = *impl_;
  d.options.writers = std::max(1u, options.writers);
  d.linker.count_copies();
  const std::vector<std::string> paths =
      options.shards.empty() ? std::vector{options.db_path} : options.shards;
  for (const std::string& path : paths) {
    Target& t = d.targets.emplace_back(path, options.article_block);
    t.dir = work_dir(path);
    std::error_code ec;
    // Left by an interrupted bulk build: the caller holds the database's lock, so no live run owns it.
    fs::remove_all(t.dir, ec);
    if (!fs::create_directories(t.dir, ec) && ec) {
      throw DatabaseError(DatabaseError::Kind::kIo,
                          path + ": cannot create " + t.dir + " (" + ec.message() + ")");
    }
  }
  for (Target& t : d.targets) {
    for (unsigned i = 0; i < d.options.writers; ++i) d.threads.emplace_back([&d, &t] { d.run_writer(t); });
  }
}

BulkBuilder::~BulkBuilder() {
  if (!impl_->finished) {
    impl_->fail("bulk build abandoned");
    impl_->stop();
    std::error_code ec;
    for (const Target& t : impl_->targets) fs::remove_all(t.dir, ec);
  }
}

void BulkBuilder::add(BuiltArticle&& article, size_t shard) {
  const size_t index = std::min(shard, impl_->targets.size() - 1);
  // Its spelling words and stems' forms are counted now and its lists freed: the writers never read them,
  // and an article waits here and in the writers' queue with its document's recipe alone (~5 KB less each,
  // so the queue's room costs less peak memory). The writer makes the document (doc_recipe.h).
  Target& target = impl_->targets[index];
  if (!article.deferred) {  // built by an ordinary builder (tests): its document written down again
    if (article.story_terms.empty()) article.story_terms = stories::detection_terms_of(article.document);
    article.recipe = DocRecipe::of(article.document);
    article.document = Xapian::Document();
    article.deferred = true;
  }
  // Moved in: a new word's key is the article's string (the article's list is dropped just below).
  for (std::string& word : article.spelling) ++target.spelling[std::move(word)];
  target.forms.add(article);
  article.spelling = {};
  article.stem_forms = {};
  impl_->unlinked.emplace_back(std::move(article), index);
  if (impl_->unlinked.size() >= std::max<size_t>(1, impl_->options.batch_size)) link_and_queue();
}

void BulkBuilder::link_and_queue() {
  Impl& d = *impl_;
  if (d.unlinked.empty()) return;
  std::vector<std::pair<Xapian::docid, DocRecipe>> batch;
  std::vector<std::vector<std::string>> terms;  // the builder's detection terms, in batch order
  std::unordered_map<Xapian::docid, size_t> where;
  for (size_t i = 0; i < d.unlinked.size(); ++i) {
    BuiltArticle& article = d.unlinked[i].first;
    where[d.next_link_id] = i;
    batch.emplace_back(d.next_link_id++, std::move(article.recipe));
    terms.push_back(std::move(article.story_terms));
  }
  d.linker.link(d.nothing, batch, terms);
  for (auto& [id, recipe] : batch) d.unlinked[where.at(id)].first.recipe = std::move(recipe);
  for (auto& [article, index] : d.unlinked) {
    Target& target = d.targets[index];
    std::unique_lock lock(d.mutex);
    d.not_full.wait(lock, [&] { return d.failed || d.queued < d.max_queue(); });
    if (d.failed) throw d.error_for(d.error);
    target.queue.push_back(std::move(article));
    ++d.queued;
    target.not_empty.notify_one();
  }
  d.unlinked.clear();
}

size_t BulkBuilder::finish(bool name_tables, bool* stored) {
  Impl& d = *impl_;
  link_and_queue();
  // Every article is counted now: each database's spelling is written while its writers finish, in as many
  // parts as it has writers.
  const size_t parts = d.options.writers;
  std::vector<std::vector<std::string>> spelling_dbs(d.targets.size(), std::vector<std::string>(parts));
  std::vector<std::exception_ptr> spelling_errors(d.targets.size() * parts);
  // The stems' forms, like the spelling: a database of their own per target, written meanwhile, merged.
  std::vector<std::string> forms_dbs(d.targets.size());
  std::vector<std::exception_ptr> forms_errors(d.targets.size());
  // Declared after everything its threads use: on the way out by an exception, the threads are joined first.
  std::vector<std::thread> spelling;
  struct Join {
    std::vector<std::thread>& threads;
    ~Join() {
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_spelling{spelling};
  for (size_t i = 0; i < d.targets.size(); ++i) {
    if (d.targets[i].spelling.empty()) continue;
    for (size_t k = 0; k < parts; ++k) {
      std::string name("spelling");
      name += std::to_string(k);
      spelling_dbs[i][k] = (fs::path(d.targets[i].dir) / name).string();
      spelling.emplace_back([&, i, k] {
        try {
          write_spelling(spelling_dbs[i][k], d.targets[i].spelling, k, parts);
        } catch (...) {
          spelling_errors[i * parts + k] = std::current_exception();
        }
      });
    }
  }
  for (size_t i = 0; i < d.targets.size(); ++i) {
    if (d.targets[i].forms.empty()) continue;
    forms_dbs[i] = (fs::path(d.targets[i].dir) / "forms").string();
    spelling.emplace_back([&, i] {
      try {
        write_stem_forms(forms_dbs[i], d.targets[i].forms);
      } catch (...) {
        forms_errors[i] = std::current_exception();
      }
    });
  }
  // Every article is linked: the copies of each story are known (while the writers finish their last
  // articles).
  const std::vector<stories::StoryCopies> copies = d.linker.copies();
  d.stop();
  if (d.failed) throw d.error_for(d.error);
  struct Merge {
    std::vector<std::string> segments;  // the article segments
    std::vector<std::string> spelling;  // the spelling table's parts and the stems' forms: compacted in only
    schema::Lengths lengths;
    Xapian::docid last_article = 0;
  };
  std::vector<Merge> merges(d.targets.size());
  size_t count = 0;
  for (size_t i = 0; i < d.targets.size(); ++i) {
    for (const WriterTotals& t : d.targets[i].totals) {
      merges[i].segments.insert(merges[i].segments.end(), t.segments.begin(), t.segments.end());
      merges[i].lengths.articles += t.lengths.articles;
      merges[i].lengths.passages += t.lengths.passages;
      merges[i].last_article = std::max(merges[i].last_article, t.last_article_docid);
    }
    count += merges[i].segments.size();
  }
  // Copies linked in different batches went to the segments unmarked: they are marked in the segments,
  // before the compactor packs them (marking the merged database rewrote documents into its full blocks
  // and left the tables a quarter larger). The linker counted every story's copies over every database
  // (the copies of a story may lie in several shards), so no segment is read for them: each segment is
  // marked on a thread of its own, as many at once as there are writers, once the writers are done.
  // (Marked by each writer before its last commit, they took the same CPU, but the writers' last
  // commits then met the spelling threads' peak: 6 MB more peak RSS on news.jsonl, median of 14 runs.)
  try {
    std::vector<std::string> segments;
    for (const Merge& m : merges) segments.insert(segments.end(), m.segments.begin(), m.segments.end());
    mark_copies(segments, copies, static_cast<size_t>(d.options.writers) * d.targets.size(), d.options.fault);
  } catch (const Xapian::Error& e) {
    throw d.error_for("cannot mark the copies of the bulk build (" + e.get_description() + ")");
  }
  for (auto& t : spelling) t.join();
  for (size_t i = 0; i < d.targets.size(); ++i) {
    d.targets[i].spelling.clear();
    for (size_t k = 0; k < parts; ++k) {
      try {
        if (spelling_errors[i * parts + k]) std::rethrow_exception(spelling_errors[i * parts + k]);
      } catch (const Xapian::Error& e) {
        throw d.error_for("cannot write the spelling table of the bulk build (" + e.get_description() + ")");
      }
      if (!spelling_dbs[i][k].empty()) merges[i].spelling.push_back(spelling_dbs[i][k]);
    }
    d.targets[i].forms.clear();
    try {
      if (forms_errors[i]) std::rethrow_exception(forms_errors[i]);
    } catch (const Xapian::Error& e) {
      throw d.error_for("cannot write the stems' forms of the bulk build (" + e.get_description() + ")");
    }
    // Merged with the spelling parts: compacted in, not read for the name and person tables.
    if (!forms_dbs[i].empty()) merges[i].spelling.push_back(forms_dbs[i]);
  }
  // Each database merged on a thread of its own: the compactor is one thread's work per database. A
  // database without segments (no article went to that shard) is not replaced: the caller names it.
  const bool tables =
      name_tables && std::none_of(merges.begin(), merges.end(), [](const Merge& m) { return m.segments.empty(); });
  MergeTables shared(d.targets.size());
  std::vector<std::exception_ptr> errors(d.targets.size());
  std::vector<std::thread> merging;
  // On the way out by an exception of this thread, the merges waiting for the tables are told there are none.
  struct JoinMerges {
    std::vector<std::thread>& threads;
    MergeTables& shared;
    ~JoinMerges() {
      shared.give_up();
      for (auto& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_merges{merging, shared};
  for (size_t i = 0; i < d.targets.size(); ++i) {
    if (merges[i].segments.empty()) continue;
    std::vector<std::string> inputs = merges[i].segments;
    inputs.insert(inputs.end(), merges[i].spelling.begin(), merges[i].spelling.end());
    merging.emplace_back([&, i, inputs = std::move(inputs)] {
      try {
        d.install(d.targets[i], i, inputs, merges[i].lengths, merges[i].last_article, tables, shared);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  std::exception_ptr tables_error;
  if (tables) {
    // The tables from the article segments, while the merge threads compact them. A database's segments
    // opened together have its terms. And the segments of every database opened together, each
    // database's in turn, number their documents as the merged databases opened together do (the merge
    // keeps the docids, a database's segments hold disjoint docid ranges, so the order of two documents is
    // that of their docids, then of their databases): person_table_data() reads the first postings of some
    // words in that order, as over the shards searched together.
    std::optional<PersonTableData> people;
    try {
      if (d.options.fault) d.options.fault("tables");
      Xapian::Database every;
      for (size_t i = 0; i < d.targets.size(); ++i) {
        Xapian::Database own;
        for (const auto& s : merges[i].segments) {
          own.add_database(Xapian::Database(s, Xapian::DB_BACKEND_GLASS));
          every.add_database(Xapian::Database(s, Xapian::DB_BACKEND_GLASS));
        }
        shared.names[i] = name_variant_table(own);
      }
      people = person_table_data(every);
    } catch (...) {
      tables_error = std::current_exception();
    }
    shared.tables_made(std::move(people));
  }
  // Each merge's segments removed once it has compacted them, while it writes the metadata and swaps.
  for (size_t i = 0; i < d.targets.size(); ++i) {
    if (merges[i].segments.empty()) continue;
    {
      std::unique_lock lock(shared.mutex);
      shared.changed.wait(lock, [&] { return shared.compacted[i] != 0; });
    }
    std::error_code ec;
    for (const auto& s : merges[i].segments) fs::remove_all(s, ec);
    for (const auto& s : merges[i].spelling) fs::remove_all(s, ec);
  }
  for (auto& t : merging) t.join();
  try {
    if (tables_error) std::rethrow_exception(tables_error);
  } catch (const Xapian::Error& e) {
    throw d.error_for("cannot make the name and person tables of the bulk build (" + e.get_description() + ")");
  }
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  if (stored != nullptr) *stored = tables;
  d.finished = true;
  std::error_code ec;
  for (const Target& t : d.targets) fs::remove_all(t.dir, ec);
  return count;
}

}  // namespace dateline
