/** @file
 *  @brief Sharded databases: the stub, hash routing, one run_index() over the shards, links across them,
 *  compaction.
 */
#include "indexer/shards.h"

#include <sys/stat.h>
#include <xapian.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>
#include <unordered_set>

#include "analyzers/database.h"
#include "analyzers/schema.h"
#include "articles/ids.h"
#include "indexer/document_builder.h"
#include "indexer/story_links.h"
#include "indexer/writer.h"

namespace fs = std::filesystem;

namespace dateline::shards {

namespace {

using Clock = std::chrono::steady_clock;

std::string shard_path(const std::string& dir, unsigned index) {
  return (fs::path(dir) / shard_name(index)).string();
}

std::string expected_stamp(unsigned index, unsigned count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

bool empty_directory(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec) && fs::is_empty(path, ec) && !ec;
}

/// Writes the stub beside its final name, then renames it into place: a reader sees all of it or none.
void write_stub(const std::string& dir, unsigned count) {
  const fs::path final_path = fs::path(dir) / std::string(database::kStubName);
  std::string tmp_name = ".";
  tmp_name += database::kStubName;
  tmp_name += ".tmp";
  const fs::path tmp = fs::path(dir) / tmp_name;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << stub_text(count);
    out.flush();
    if (!out) {
      throw DatabaseError(DatabaseError::Kind::kIo, tmp.string() + ": cannot write the stub file");
    }
  }
  std::error_code ec;
  fs::rename(tmp, final_path, ec);
  if (ec) {
    throw DatabaseError(DatabaseError::Kind::kIo,
                        final_path.string() + ": cannot write the stub file (" + ec.message() + ")");
  }
}

/// Refuses a shard whose metadata names another place than the stub gives it.
void check_shard_stamp(const std::string& path, unsigned index, unsigned count) {
  if (database::layout(path) != database::Layout::kGlass) return;
  std::string found;
  try {
    found = Xapian::Database(path, Xapian::DB_BACKEND_GLASS).get_metadata(std::string(kMetaShard));
  } catch (const Xapian::Error&) {
    rethrow_database_error(path);
  }
  if (!found.empty() && found != expected_stamp(index, count)) {
    throw DatabaseError(DatabaseError::Kind::kVersion,
                        path + ": is shard " + found + " by its metadata, but the stub lists it as shard " +
                            expected_stamp(index, count) +
                            "; its articles would be looked for in the wrong shard (restore the stub's "
                            "order)");
  }
}

/// Stamps a shard with its place (a shard rebuilt or just made has none).
void stamp_shard(const std::string& path, unsigned index, unsigned count) {
  if (database::layout(path) != database::Layout::kGlass) return;
  try {
    {
      Xapian::Database db(path, Xapian::DB_BACKEND_GLASS);
      if (db.get_metadata(std::string(kMetaShard)) == expected_stamp(index, count)) return;
    }
    Xapian::WritableDatabase db = database::open_for_writing(path, Xapian::DB_OPEN);
    db.set_metadata(std::string(kMetaShard), expected_stamp(index, count));
    db.commit();
  } catch (const Xapian::Error&) {
    rethrow_database_error(path);
  }
}

uint64_t directory_bytes(const std::string& path) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

/// Each shard's articles as (docid, content hash): what a run found, to tell what it wrote.
using Snapshot = std::vector<std::set<std::pair<Xapian::docid, std::string>>>;

Snapshot snapshot(const std::string& dir, unsigned count) {
  Snapshot out(count);
  for (unsigned s = 0; s < count; ++s) {
    const std::string path = shard_path(dir, s);
    if (database::layout(path) != database::Layout::kGlass) continue;
    try {
      Xapian::Database db(path, Xapian::DB_BACKEND_GLASS);
      for (auto v = db.valuestream_begin(schema::kSlotHash); v != db.valuestream_end(schema::kSlotHash); ++v) {
        out[s].emplace(v.get_docid(), *v);
      }
    } catch (const Xapian::Error&) {
      rethrow_database_error(path);
    }
  }
  return out;
}

/// Syndicated copies across shards. Each shard's writer linked its new articles against its own shard only,
/// so two copies in two shards started two stories. The articles this run wrote (a docid and hash that
/// `before` does not hold) are linked again, by the Linker's rule, against the articles of every shard, in
/// date-then-id order (the order in which one database links one batch), through a Database over the
/// shards' writable handles; their stored stories do not count meanwhile (Linker::ignore_stored()).
/// Articles the run left alone keep their story, as in one database. Only the articles whose story
/// changes are written again (copies that fell into different shards). Returns how many changed.
size_t link_across_shards(const std::string& dir, unsigned count, const Snapshot& before) {
  if (count <= 1) return 0;
  struct Open {
    unsigned shard;
    Xapian::WritableDatabase db;
  };
  std::vector<Open> open;
  for (unsigned s = 0; s < count; ++s) {
    const std::string path = shard_path(dir, s);
    if (database::layout(path) != database::Layout::kGlass) continue;  // never made: holds nothing
    open.push_back({s, database::open_for_writing(path, Xapian::DB_OPEN)});
  }
  // Xapian's docid in a Database of several: docid d of shard i of n is (d - 1) * n + i + 1.
  const auto n = static_cast<Xapian::docid>(open.size());
  auto merged = [n](size_t i, Xapian::docid d) { return (d - 1) * n + static_cast<Xapian::docid>(i) + 1; };
  // (date, id, index into open, shard docid) of every article this run wrote.
  std::vector<std::tuple<std::string, std::string, size_t, Xapian::docid>> order;
  std::unordered_set<Xapian::docid> wrote;  // their docids in `all`
  for (size_t i = 0; i < open.size(); ++i) {
    Xapian::WritableDatabase& db = open[i].db;
    const auto& was = before[open[i].shard];
    for (auto v = db.valuestream_begin(schema::kSlotHash); v != db.valuestream_end(schema::kSlotHash); ++v) {
      if (was.count({v.get_docid(), *v}) != 0) continue;
      order.emplace_back(std::string(), std::string(), i, v.get_docid());
      wrote.insert(merged(i, v.get_docid()));
    }
  }
  if (order.empty()) return 0;
  for (auto& [date, id, i, did] : order) {
    const Xapian::Document doc = open[i].db.get_document(did);
    date = doc.get_value(schema::kSlotDate);
    if (date.empty()) date = "~";  // unknown dates after known ones, as Linker::link()
    id = doc.get_value(schema::kSlotArticleId);
  }
  std::sort(order.begin(), order.end());
  // Candidates in the shards are the articles this run did not write: when the shards held none before
  // (a new sharded database), an empty database stands for them, as in a bulk build, and no posting
  // list is read.
  const bool fresh = std::all_of(before.begin(), before.end(), [](const auto& b) { return b.empty(); });
  Xapian::Database all;
  if (fresh) {
    all = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
  } else {
    for (const Open& o : open) all.add_database(o.db);
  }
  stories::Linker linker;
  linker.ignore_stored([&wrote](Xapian::docid did) { return wrote.count(did) != 0; });
  size_t changed = 0;
  std::set<std::string> linked;    // the stories the run's articles are in now
  std::set<std::string> left;      // the stories they were in before, when that changed
  constexpr size_t kChunk = 1000;  // documents held at once
  for (size_t first = 0; first < order.size(); first += kChunk) {
    // The Linker sets a story on each document it is given: a stored document changed in any way loads
    // every term with its positions, so it gets a stand-in holding what linking reads (the values it
    // sorts and compares by, the detection terms), and only an article whose story changes is loaded.
    std::vector<std::pair<Xapian::docid, Xapian::Document>> chunk;
    std::vector<std::string> stored;  // each one's story before
    for (size_t k = first; k < std::min(order.size(), first + kChunk); ++k) {
      const auto& [date, id, i, did] = order[k];
      const Xapian::Document doc = open[i].db.get_document(did);
      Xapian::Document light;
      for (unsigned slot : {schema::kSlotDate, schema::kSlotArticleId, schema::kSlotStorySignature}) {
        light.add_value(slot, doc.get_value(slot));
      }
      for (const auto prefix : {schema::kStoryExact, schema::kStoryBand}) {
        auto t = doc.termlist_begin();
        for (t.skip_to(std::string(prefix)); t != doc.termlist_end() && (*t).rfind(prefix, 0) == 0; ++t) {
          light.add_boolean_term(*t);
        }
      }
      chunk.emplace_back(merged(i, did), std::move(light));
      stored.push_back(doc.get_value(schema::kSlotStory));
    }
    linker.link(all, chunk);  // sets each one's story value
    for (size_t k = 0; k < chunk.size(); ++k) {
      const std::string story = chunk[k].second.get_value(schema::kSlotStory);
      if (story == stored[k]) continue;
      const auto& [date, id, i, did] = order[first + k];
      Xapian::Document doc = open[i].db.get_document(did);
      if (!stored[k].empty()) {
        const std::string term = stories::story_term(stored[k]);
        auto t = doc.termlist_begin();
        t.skip_to(term);
        if (t != doc.termlist_end() && *t == term) doc.remove_term(term);
      }
      doc.add_value(schema::kSlotStory, story);
      doc.add_boolean_term(stories::story_term(story));
      // Its shard's story's collapse key and copies list: marked again below when the new story has copies.
      if (!doc.get_value(schema::kSlotStoryCopies).empty()) doc.remove_value(schema::kSlotStoryCopies);
      if (!doc.get_value(schema::kSlotStoryCopyList).empty()) doc.remove_value(schema::kSlotStoryCopyList);
      if (!doc.get_value(schema::kSlotStoryTieKey).empty()) doc.remove_value(schema::kSlotStoryTieKey);
      open[i].db.replace_document(did, doc);
      if (!stored[k].empty()) left.insert(stored[k]);
      ++changed;
    }
    for (const auto& [d, light] : chunk) linked.insert(light.get_value(schema::kSlotStory));
  }
  // The collapse key and copies list of copies (schema.h kSlotStoryCopies, kSlotStoryCopyList) by the
  // articles in every shard: each shard's writer marked the stories with several copies in that shard
  // only. The stories an article left list it no more.
  Xapian::Database shards_db;
  for (const Open& o : open) shards_db.add_database(o.db);
  std::vector<stories::StoryCopies> copies = stories::read_copies(shards_db, {linked.begin(), linked.end()});
  for (auto& c : stories::read_copies(shards_db, {left.begin(), left.end()}, true)) copies.push_back(std::move(c));
  for (Open& o : open) {
    stories::write_copies(o.db, copies);
    o.db.commit();
  }
  return changed;
}

/// The compactor's rule for a metadata key that several shards hold: length totals are summed, a stem's
/// forms joined (each shard lists its own articles'), a shard's place is dropped, anything else (stamp,
/// analyzer, archive root: equal) is the first shard's.
class MergingCompactor : public Xapian::Compactor {
 public:
  std::string resolve_duplicate_metadata(const std::string& key, size_t num_tags,
                                         const std::string tags[]) override {
    // Xapian 1.4's glass compactor passes the key as its table stores it, after "\0\xc0".
    std::string_view name(key);
    if (name.size() >= 2 && name[0] == '\0' && name[1] == '\xc0') name.remove_prefix(2);
    if (name == schema::kMetaArticleLength || name == schema::kMetaPassageCount) {
      uint64_t sum = 0;
      for (size_t i = 0; i < num_tags; ++i) sum += std::strtoull(tags[i].c_str(), nullptr, 10);
      return std::to_string(sum);
    }
    if (name.substr(0, schema::kMetaFormsPrefix.size()) == schema::kMetaFormsPrefix) {
      std::vector<std::string> forms;
      for (size_t i = 0; i < num_tags; ++i) {
        for (std::string& f : schema::split_forms(tags[i])) forms.push_back(std::move(f));
      }
      return schema::join_forms(forms);
    }
    return tags[0];
  }
};

}  // namespace

std::string shard_name(unsigned index) {
  char name[32];
  std::snprintf(name, sizeof name, "shard-%02u", index);
  return name;
}

unsigned shard_of(std::string_view id, unsigned count) {
  if (count <= 1) return 0;
  // The XID term: the id as the database compares ids (a long id cut to its head and hash), so ids one
  // database would take for the same article always meet in one shard.
  const std::string term = article_id_term(id);
  return static_cast<unsigned>(XXH64(term.data(), term.size(), 0) % count);
}

std::string stub_text(unsigned count) {
  std::string text = std::string(kStubMarker) + " " + std::to_string(count) +
                     ": article ID is in shard XXH64(ID's XID term) mod " + std::to_string(count) +
                     ", counting the lines below from 0. Keep their order.\n";
  for (unsigned i = 0; i < count; ++i) text += "glass " + shard_name(i) + "\n";
  return text;
}

std::optional<unsigned> sharded_count(const std::string& db_path) {
  if (database::layout(db_path) != database::Layout::kStubDir) return std::nullopt;
  const std::string stub = database::stub_file(db_path, database::Layout::kStubDir);
  std::string first;
  {
    std::ifstream in(stub, std::ios::binary);
    std::getline(in, first);
  }
  if (first.rfind(kStubMarker, 0) != 0) return std::nullopt;
  const std::vector<database::Shard> listed = database::read_stub(stub, false);
  const unsigned count = static_cast<unsigned>(listed.size());
  if (count > kMaxShards) {
    throw database::StubError(stub + ": lists " + std::to_string(count) + " shards; at most " +
                              std::to_string(kMaxShards) + " are indexed");
  }
  for (unsigned i = 0; i < count; ++i) {
    if (listed[i].kind != database::Shard::Kind::kGlass ||
        fs::path(listed[i].path).lexically_normal() != fs::path(shard_path(db_path, i)).lexically_normal()) {
      throw database::StubError(stub + ":" + std::to_string(listed[i].line) + ": expected 'glass " +
                                shard_name(i) +
                                "': the stub was edited; dateline-index writes only the shards it listed");
    }
  }
  return count;
}

IndexReport run_sharded_index(const IndexOptions& options, unsigned shards, Reporter& reporter) {
  const auto started = Clock::now();
  if (options.dry_run) return run_index(options, reporter);  // no database: nothing to split
  if (shards > kMaxShards) {
    throw UsageError("--shards must be between 1 and " + std::to_string(kMaxShards));
  }
  if (options.inputs.empty() && options.delete_ids.empty()) {
    throw UsageError("no input given (files, directories, or - for standard input)");
  }
  if (options.rebuild && !options.delete_ids.empty()) {
    throw UsageError("--rebuild empties the database; --delete makes no sense");
  }
  const std::string& dir = options.db_path;
  unsigned count = 0;
  if (auto existing = sharded_count(dir)) {
    if (shards != 0 && shards != *existing) {
      throw UsageError(dir + " holds " + std::to_string(*existing) + " shards; --shards " +
                       std::to_string(shards) +
                       " would look for its articles in other shards (index into a new folder to change the "
                       "count, or merge them with --compact)");
    }
    count = *existing;
  } else {
    if (shards == 0) throw UsageError(dir + ": not a sharded database (--shards N makes one)");
    switch (database::layout(dir)) {
      case database::Layout::kGlass:
        throw UsageError(dir +
                         " is one database; --shards makes a new sharded database in a new or empty folder");
      case database::Layout::kStubDir:
      case database::Layout::kStubFile:
        database::refuse_stub_for_writing(dir);  // throws: a stub dateline-index did not make
        break;
      case database::Layout::kOther:
        if (!empty_directory(dir)) {
          throw UsageError(dir +
                           ": a folder that is not a database; --shards makes one in a new or empty folder");
        }
        break;
      case database::Layout::kMissing: {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) {
          throw DatabaseError(DatabaseError::Kind::kIo,
                              dir + ": cannot create the folder (" + ec.message() + ")");
        }
        break;
      }
    }
    write_stub(dir, shards);
    reporter.message(Reporter::Level::kInfo,
                     "created " + dir + " with " + std::to_string(shards) + " shards");
    count = shards;
  }
  for (unsigned i = 0; i < count; ++i) check_shard_stamp(shard_path(dir, i), i, count);

  // What the shards held before the run (--rebuild: nothing; a rebuilt article may take its old docid).
  const Snapshot before =
      count > 1 && !options.inputs.empty() && !options.rebuild ? snapshot(dir, count) : Snapshot(count);
  // One run reads the inputs and builds each article once, for the writer of its shard.
  IndexOptions o = options;
  o.shards.clear();
  for (unsigned i = 0; i < count; ++i) o.shards.push_back(shard_path(dir, i));
  o.route = [count](std::string_view id) { return static_cast<size_t>(shard_of(id, count)); };
  // A bulk build stamps each shard with its place in the merge's commit; stamp_shard() below then finds it.
  for (unsigned i = 0; i < count; ++i) o.shard_metadata.push_back({{std::string(kMetaShard), expected_stamp(i, count)}});
  IndexReport total = run_index(o, reporter);
  total.db = dir;
  for (unsigned i = 0; i < count; ++i) stamp_shard(shard_path(dir, i), i, count);
  // A bulk build linked every article of the run across the shards as they came, as one database's does;
  // otherwise each shard's writer linked its own.
  if (!options.inputs.empty() && !total.bulk) {
    try {
      const auto link_start = Clock::now();
      const size_t changed = link_across_shards(dir, count, before);
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.2f",
                    std::chrono::duration<double>(Clock::now() - link_start).count());
      reporter.message(Reporter::Level::kInfo, "stories linked across the shards in " + std::string(seconds) +
                                                   " s: " + std::to_string(changed) + " articles changed story");
    } catch (const Xapian::Error&) {
      rethrow_database_error(dir);
    }
  }
  total.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return total;
}

CompactReport compact(const std::string& source, const std::string& dest, Reporter& reporter) {
  const auto started = Clock::now();
  CompactReport report;
  if (dest.empty()) throw UsageError("--compact needs the path of the new database");
  if (database::layout(dest) != database::Layout::kMissing && !empty_directory(dest)) {
    throw UsageError("--compact " + dest + ": already exists; give a new path (or an empty folder)");
  }
  database::OpenedDatabase opened;
  try {
    opened = database::open_database(source);
  } catch (const database::StubError& e) {
    throw DatabaseError(DatabaseError::Kind::kNotOurs, e.what());
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw DatabaseError(DatabaseError::Kind::kMissing, source + ": no Dateline database here");
  } catch (const Xapian::Error&) {
    rethrow_database_error(source);
  }
  report.sources = opened.shards.size();
  std::optional<schema::Stamp> stamp;
  try {
    stamp = schema::read_stamp(*opened.shards.front().db);
  } catch (const Xapian::Error&) {
    rethrow_database_error(source);
  }
  if (!stamp) {
    throw DatabaseError(DatabaseError::Kind::kNotOurs,
                        source + ": not a Dateline database (no " + std::string(schema::kMetaVersion) +
                            " stamp)");
  }
  if (report.sources > 1 && stamp->version < 3) {
    throw UsageError(source + ": its " + std::to_string(report.sources) + " shards have index schema " +
                     std::to_string(stamp->version) +
                     ", whose article and passage documents lie in two docid ranges that merging would mix; "
                     "merging shards needs schema 3 (one document per article). Compact each shard, or "
                     "index the articles into one database");
  }
  for (const auto& s : opened.shards) report.bytes_before += directory_bytes(s.shard.path);

  std::optional<ScratchDir> scratch;
  try {
    scratch.emplace(dest, "compact");
  } catch (const std::system_error& e) {
    throw DatabaseError(DatabaseError::Kind::kIo, dest + ": cannot create the database (" + e.what() + ")");
  }
  reporter.message(Reporter::Level::kInfo, (report.sources > 1 ? "merging " : "compacting ") +
                                               std::to_string(report.sources) + " database(s) of " + source +
                                               " into " + dest);
  try {
    MergingCompactor compactor;
    // One database keeps its docids (schema 2 relies on their two ranges); shards are laid one after
    // the other.
    const unsigned flags =
        Xapian::DB_BACKEND_GLASS | (report.sources == 1 ? unsigned{Xapian::DBCOMPACT_NO_RENUMBER} : 0u);
    opened.db.compact(scratch->path(), flags, 0, compactor);
    opened.db.close();
    Xapian::WritableDatabase out(scratch->path(), Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
    out.set_metadata(std::string(kMetaShard), "");  // a shard's place means nothing in one database
    // Renumbered shards: the next article takes the docid after the last.
    out.set_metadata(std::string(schema::kMetaLastArticleDocid), std::to_string(out.get_lastdocid()));
    out.commit();
    report.documents = out.get_doccount();
    out.close();
  } catch (const Xapian::Error&) {
    rethrow_database_error(dest);
  }
  std::error_code ec;
  if (empty_directory(dest)) fs::remove(dest, ec);
  fs::rename(scratch->path(), dest, ec);
  if (ec) {
    throw DatabaseError(DatabaseError::Kind::kIo, dest + ": cannot move the new database into place (" +
                                                      ec.message() + ")");
  }
  scratch->release();
  report.bytes_after = directory_bytes(dest);
  report.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return report;
}

}  // namespace dateline::shards
