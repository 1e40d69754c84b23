/** @file
 *  @brief The single database writer: fail-fast lock, stamp checks, replace by id, hash skip, batch commits.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "indexer/document_builder.h"
#include "indexer/stem_forms.h"
#include "indexer/story_links.h"

namespace dateline {

struct PersonTableData;  // searcher/name_groups.h

/// How to open the database.
struct WriterOptions {
  std::string path;
  bool rebuild = false;                 ///< empty it first (keeping its analyzer settings unless overridden)
  bool force = false;                   ///< rebuild even a Xapian database without Dateline's stamp
  std::optional<std::string> language;  ///< canonical Snowball name; for a new database only
  std::optional<bool> fold_accents;     ///< for a new database only
  std::string id_root;                  ///< for a new (or rebuilt) database: its archive root, absolute
  bool id_root_given = false;           ///< --root: an existing database must have that root
};

/// Owns the WritableDatabase. Not thread-safe: one writer thread. Changes are grouped into
/// transactions that commit() ends, so a batch (and an article) is either all in or all out.
class IndexWriter {
 public:
  /// Opens or creates the database, never waiting for a lock. Throws DatabaseError (locked, other
  /// version, damaged, not a database, cannot create) or UsageError (settings that contradict it).
  explicit IndexWriter(const WriterOptions& options);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  /// The analyzer settings of the database (stored, or those it was just created with).
  const AnalyzerConfig& config() const { return config_; }
  /// True when this run created the database (or emptied it with rebuild).
  bool created() const { return created_; }
  /// The archive root file ids are relative to (schema::kMetaIdRoot); empty for a database made before
  /// roots were stored.
  const std::string& id_root() const { return id_root_; }

  enum class Outcome {
    kAdded,      ///< no article with this id before
    kUpdated,    ///< replaced an older version
    kUnchanged,  ///< same content hash: nothing written
    kCollision,  ///< another article's id differs only in case/normalisation: nothing written
  };
  /// Writes one article (all its documents) into the current batch. On kCollision, `other_id` (when
  /// given) receives the id already in the database; on kUpdated, `old_file` (when given) receives the
  /// source file the replaced version was read from (empty for standard input). The article document is
  /// moved out of `article` (kept until commit): a Xapian::Document's reference count is not
  /// thread-safe, so no copy may stay with the reader thread that frees `article`.
  Outcome write(BuiltArticle& article, std::string* other_id = nullptr, std::string* old_file = nullptr);

  /// Deletes every document of article `id`; false when there is none.
  bool remove(std::string_view id);

  /// Deletes the articles whose source file ("file" in the article document's data) lies under one of
  /// `roots` and no longer exists. Returns the ids deleted.
  std::vector<std::string> prune(const std::vector<std::filesystem::path>& roots);

  /// Gives every article document without a story its story (stories::link_all(): a database built by
  /// segments, bulk.h, after the merge) and commits. Returns how many it linked.
  size_t link_stories();

  /// The stories that lost an article (deleted, or changed and linked again) in this writer's run: in a
  /// sharded database their other copies may lie in other shards (refresh_copies()).
  const std::set<std::string>& shrunk_stories() const { return run_shrunk_stories_; }

  /// Rewrites the copies values (stories::refresh_copies()) of `stories` from `all` (every shard, this
  /// one's writable database included), then commits.
  void refresh_copies(const Xapian::Database& all, const std::vector<std::string>& stories);

  /// The database written (uncommitted changes included), to be read with the other shards.
  const Xapian::WritableDatabase& database() const { return db_; }

  /// Articles and passage-text bytes written since the last commit.
  uint64_t pending_articles() const { return pending_articles_; }
  uint64_t pending_bytes() const { return pending_bytes_; }

  /// Commits the current batch (a no-op when nothing is pending).
  void commit();
  /// Rebuilds the name-variant table (analyzers/names.h) from the committed terms and commits it: once a
  /// run has changed the articles. With `person_groups`, the person table (searcher/name_groups.h) of this
  /// database too; a shard gets the table of every shard instead (write_person_table()).
  void store_name_variants(bool person_groups = true);
  /// Writes a person table computed over several databases (the shards) and commits it.
  void write_person_table(const PersonTableData& people);

  /// True when the database holds no document and nothing is pending (a bulk build may fill it).
  bool empty() const;

 private:
  void begin_batch();
  void delete_article_documents(const std::string& id_term);
  void flush_documents();
  void flush_spelling();
  void flush_lengths();
  void init_docids();
  /// Makes an empty stamped database beside the path, then renames it into place (false: another run
  /// created one there first), or with `replace` (the caller holds the old one's lock) swaps it with the
  /// old database, which is removed (false: the file system cannot swap). False too when nothing can be
  /// made beside it: the caller then creates or empties the database in place.
  bool create_beside(const AnalyzerConfig& config, bool replace);
  Xapian::docid new_article_docid();

  std::string path_;
  Xapian::WritableDatabase db_;
  std::string new_id_root_;  ///< WriterOptions::id_root, for create_beside()
  std::string id_root_;
  AnalyzerConfig config_;
  bool created_ = false;
  bool in_transaction_ = false;
  uint64_t pending_articles_ = 0;
  uint64_t pending_bytes_ = 0;
  /// Spelling frequency changes of the current batch, applied by commit(): word -> net change.
  std::unordered_map<std::string, int64_t> spelling_delta_;
  /// The batch's stems' body word forms, merged into the metadata by commit() (schema::kMetaFormsPrefix).
  StemForms stem_forms_;
  /// Changes of the current batch to the stored totals (schema::Lengths), applied by commit().
  int64_t article_length_delta_ = 0;
  int64_t passage_count_delta_ = 0;
  /// The last article docid given (stored at commit when changed).
  Xapian::docid last_article_docid_ = 0;
  bool article_docid_changed_ = false;
  /// Article documents of the current batch, added by commit() (flush_documents()).
  std::vector<std::pair<Xapian::docid, Xapian::Document>> pending_article_docs_;
  std::vector<std::vector<std::string>> pending_story_terms_;  ///< their detection terms (Linker::link())
  std::set<std::string> shrunk_stories_;      ///< stories that lost an article since the last flush
  std::set<std::string> run_shrunk_stories_;  ///< ... since the writer was opened
  /// Gives them their story as they go in (indexer/story_links.h).
  stories::Linker linker_;
};

/// A scratch directory beside a database (same folder, so that a rename moves it into place):
/// PARENT/.NAME.dateline-TAG-XXXXXXXX, made with the mode a plain mkdir gives, and flock()ed while this
/// object lives, so that remove_stale_scratch() tells a live one from one that a killed run left.
class ScratchDir {
 public:
  /// Throws std::system_error when it cannot be made (e.g. a folder this user may not write).
  ScratchDir(const std::string& db_path, const std::string& tag);
  /// Removes whatever is at path() (unless release()d).
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  /// Forget the directory: it was renamed into place.
  void release() { path_.clear(); }

 private:
  std::string path_;
  int fd_ = -1;
};

/// Removes the scratch directories beside `db_path` whose owner is gone (killed mid-creation or mid-swap).
void remove_stale_scratch(const std::string& db_path);

/// Swaps two directories atomically (renameat2 RENAME_EXCHANGE): a reader opening either path sees one
/// whole directory or the other. False with `ec` set when the file system cannot (then nothing moved).
bool exchange_directories(const std::string& a, const std::string& b, std::error_code& ec);

/// Called in a catch block: turns the Xapian exception being handled into DatabaseError naming `path`
/// (one line). A full disk or a permission problem says so (write_problem()).
void rethrow_database_error(const std::string& path);

/// The system error behind a Xapian error when it is one that stops writing (no space, quota, permission,
/// read-only file system): its strerror() text, from get_error_string() or found in the message; else "".
std::string write_problem(const Xapian::Error& e);

}  // namespace dateline
