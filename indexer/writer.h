/** @file
 *  @brief The single database writer: fail-fast lock, stamp checks, replace by id, hash skip, batch commits.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "indexer/document_builder.h"

namespace dateline {

/// How to open the database.
struct WriterOptions {
  std::string path;
  bool rebuild = false;                 ///< empty it first (keeping its analyzer settings unless overridden)
  std::optional<std::string> language;  ///< canonical Snowball name; for a new database only
  std::optional<bool> fold_accents;     ///< for a new database only
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

  /// Articles and passage-text bytes written since the last commit.
  uint64_t pending_articles() const { return pending_articles_; }
  uint64_t pending_bytes() const { return pending_bytes_; }

  /// Commits the current batch (a no-op when nothing is pending).
  void commit();

  /// True when the database holds no document and nothing is pending (a bulk build may fill it).
  bool empty() const;

 private:
  void begin_batch();
  void delete_article_documents(const std::string& id_term);
  void flush_documents();
  void flush_spelling();
  void flush_lengths();
  void init_docids();
  Xapian::docid new_article_docid();
  Xapian::docid new_passage_docid();

  std::string path_;
  Xapian::WritableDatabase db_;
  AnalyzerConfig config_;
  bool created_ = false;
  bool in_transaction_ = false;
  uint64_t pending_articles_ = 0;
  uint64_t pending_bytes_ = 0;
  /// Spelling frequency changes of the current batch, applied by commit(): word -> net change.
  std::unordered_map<std::string, int64_t> spelling_delta_;
  /// Changes of the current batch to the stored document lengths (schema::Lengths), applied by commit().
  int64_t article_length_delta_ = 0;
  int64_t passage_length_delta_ = 0;
  /// Document ids (schema::kFirstPassageDocid): the last article docid given (stored at commit when
  /// changed) and the next passage docid.
  Xapian::docid last_article_docid_ = 0;
  bool article_docid_changed_ = false;
  Xapian::docid next_passage_docid_ = schema::kFirstPassageDocid;
  /// Article documents of the current batch, added by commit() (flush_documents()).
  std::vector<std::pair<Xapian::docid, Xapian::Document>> pending_article_docs_;
};

/// Runs `fn` and turns Xapian exceptions into DatabaseError naming `path` (one line).
void rethrow_database_error(const std::string& path);

}  // namespace dateline
