/** @file
 *  @brief The single database writer: opening rules, article replacement, spelling bookkeeping, prune.
 */
#include "indexer/writer.h"

#include <sys/stat.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <algorithm>
#include <cerrno>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "analyzers/database.h"
#include "analyzers/schema.h"
#include "indexer/indexer.h"
#include "indexer/inputs.h"

namespace fs = std::filesystem;

namespace dateline {

namespace {

// Files Xapian leaves in a database directory; a non-empty directory with none of them is not ours
// to write into (a mistyped --db must never litter, let alone --rebuild, someone's home directory).
bool looks_like_xapian_db(const fs::path& dir) {
  for (const char* marker : {"iamglass", "iamchert", "iamhoney", "iamflint"}) {
    std::error_code ec;
    if (fs::exists(dir / marker, ec)) return true;
  }
  return false;
}

// The spelling words a stored document contributed (the builder's rule, read back from its terms):
// unprefixed body terms and S title terms made of letters only. Prefixes are ASCII capitals and
// indexed words are case-folded, so the first lower-case byte ends the prefix.
std::set<std::string> spelling_words(const Xapian::Document& doc) {
  std::set<std::string> words;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    std::string term = *t;
    std::string_view word = term;
    if (!word.empty() && word.front() == schema::kTitle.front() && word.size() > 1 &&
        !(word[1] >= 'A' && word[1] <= 'Z')) {
      word.remove_prefix(1);
    } else if (!word.empty() && word.front() >= 'A' && word.front() <= 'Z') {
      continue;
    }
    if (is_spelling_word(word)) words.emplace(word);
  }
  return words;
}

bool file_is_gone(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) return false;
  // Only a definite "not there" prunes; a permission problem or a dead NFS mount does not.
  return errno == ENOENT || errno == ENOTDIR;
}

}  // namespace

void rethrow_database_error(const std::string& path) {
  try {
    throw;
  } catch (const Xapian::DatabaseLockError&) {
    throw DatabaseError(DatabaseError::Kind::kLocked,
                        path + ": database is locked by another dateline-index (or Xapian writer)");
  } catch (const Xapian::DatabaseVersionError& e) {
    throw DatabaseError(DatabaseError::Kind::kVersion,
                        path + ": unsupported Xapian database format (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw DatabaseError(DatabaseError::Kind::kCorrupt, path + ": database is damaged (" + e.get_msg() +
                                                           "); rebuild it with: dateline-index --db " + path +
                                                           " --rebuild INPUT...");
  } catch (const Xapian::DatabaseCreateError& e) {
    throw DatabaseError(DatabaseError::Kind::kIo, path + ": cannot create database (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw DatabaseError(DatabaseError::Kind::kCorrupt, path + ": cannot open database (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseError& e) {
    // Reading a truncated or overwritten table ends here ("EOF reading block 4").
    throw DatabaseError(DatabaseError::Kind::kCorrupt,
                        path + ": cannot read or write the database (" + e.get_msg() +
                            "); if it is damaged, rebuild it with: dateline-index --db " + path +
                            " --rebuild INPUT...");
  } catch (const Xapian::Error& e) {
    throw DatabaseError(DatabaseError::Kind::kIo,
                        path + ": " + e.get_type() + ": " + e.get_msg() +
                            (e.get_error_string() ? std::string(" (") + e.get_error_string() + ")" : ""));
  }
}

IndexWriter::IndexWriter(const WriterOptions& options) : path_(options.path) {
  // Never a stub (analyzers/database.h): Xapian would follow it, even to `remote :PROGRAM`.
  try {
    database::refuse_stub_for_writing(path_);
  } catch (const database::StubError& e) {
    throw DatabaseError(DatabaseError::Kind::kCorrupt, e.what());
  }
  fs::path dir(path_);
  std::error_code ec;
  auto status = fs::status(dir, ec);
  bool exists = !ec && fs::exists(status);
  if (exists && !fs::is_directory(status)) {
    throw DatabaseError(DatabaseError::Kind::kCorrupt,
                        path_ + ": is not a directory (a database is a directory)");
  }
  if (exists && !fs::is_empty(dir, ec) && !looks_like_xapian_db(dir)) {
    throw DatabaseError(DatabaseError::Kind::kCorrupt,
                        path_ + ": exists and is not a Xapian database; refusing to write into it");
  }

  // With --rebuild the old settings survive unless flags override them: read them before emptying.
  std::optional<AnalyzerConfig> previous;
  if (options.rebuild && exists && looks_like_xapian_db(dir)) {
    try {
      Xapian::Database old(path_, Xapian::DB_BACKEND_GLASS);
      if (auto stamp = schema::read_stamp(old)) previous = AnalyzerConfig::parse(stamp->analyzer);
    } catch (...) {
      // Damaged or foreign (Xapian::Error is not a std::exception): --rebuild is the cure, defaults apply.
    }
  }

  try {
    db_ = Xapian::WritableDatabase(
        path_, (options.rebuild ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN) |
                   Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }

  try {
    auto stamp = schema::read_stamp(db_);
    if (!stamp) {
      if (db_.get_doccount() != 0) {
        throw DatabaseError(DatabaseError::Kind::kCorrupt,
                            path_ + ": is a Xapian database but not a Dateline one (no " +
                                std::string(schema::kMetaVersion) + " metadata)");
      }
      AnalyzerConfig config = previous.value_or(AnalyzerConfig{});
      if (options.language) config.language = *options.language;
      if (options.fold_accents) config.fold_accents = *options.fold_accents;
      config_ = config;
      schema::write_stamp(db_, config_.serialise());
      db_.commit();
      created_ = true;
      init_docids();
      return;
    }
    try {
      schema::check_readable(*stamp, path_);
    } catch (const std::runtime_error& e) {
      throw DatabaseError(DatabaseError::Kind::kVersion, e.what());
    }
    if (stamp->version != schema::kVersion) {
      throw DatabaseError(DatabaseError::Kind::kVersion,
                          path_ + ": index schema version " + std::to_string(stamp->version) +
                              " can be searched but not updated by this build (it writes " +
                              std::to_string(schema::kVersion) + "); rebuild it with: dateline-index --db " +
                              path_ + " --rebuild INPUT...");
    }
    try {
      config_ = AnalyzerConfig::parse(stamp->analyzer);
    } catch (const std::exception& e) {
      throw DatabaseError(DatabaseError::Kind::kCorrupt, path_ + ": unreadable analyzer settings in " +
                                                             std::string(schema::kMetaAnalyzer) + " (" +
                                                             e.what() + ")");
    }
    if (options.language && *options.language != config_.language) {
      throw UsageError(path_ + ": the database was created with --language " + config_.language +
                       "; to change it to " + *options.language + " add --rebuild");
    }
    if (options.fold_accents && *options.fold_accents != config_.fold_accents) {
      throw UsageError(path_ + ": the database was created " +
                       (config_.fold_accents ? std::string("with") : std::string("without")) +
                       " accent folding; to change that add --rebuild");
    }
    init_docids();
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
}

IndexWriter::~IndexWriter() {
  // An unfinished batch (a fatal error on the way) is dropped whole: never half an article.
  if (in_transaction_) {
    try {
      db_.cancel_transaction();
    } catch (const Xapian::Error&) {
      // The lock goes with the handle; nothing more to save.
    }
  }
}

void IndexWriter::init_docids() {
  last_article_docid_ =
      static_cast<Xapian::docid>(schema::read_metadata_number(db_, schema::kMetaLastArticleDocid));
  const Xapian::docid last = db_.get_lastdocid();
  next_passage_docid_ = last >= schema::kFirstPassageDocid ? last + 1 : schema::kFirstPassageDocid;
  // lastdocid wrapped past 2^32 - 1: the database is full (new_passage_docid() says so).
  if (next_passage_docid_ == 0) next_passage_docid_ = std::numeric_limits<Xapian::docid>::max();
}

Xapian::docid IndexWriter::new_article_docid() {
  if (last_article_docid_ + 1 >= schema::kFirstPassageDocid) {
    throw DatabaseError(DatabaseError::Kind::kIo, path_ + ": full: a Dateline database holds at most " +
                                                      std::to_string(schema::kFirstPassageDocid - 1) +
                                                      " articles; index the rest into another database");
  }
  article_docid_changed_ = true;
  return ++last_article_docid_;
}

Xapian::docid IndexWriter::new_passage_docid() {
  if (next_passage_docid_ == std::numeric_limits<Xapian::docid>::max()) {
    throw DatabaseError(DatabaseError::Kind::kIo,
                        path_ + ": full: no passage document ids left; index the rest into another database");
  }
  return next_passage_docid_++;
}

void IndexWriter::begin_batch() {
  if (in_transaction_) return;
  db_.begin_transaction(true);
  in_transaction_ = true;
}

void IndexWriter::delete_article_documents(const std::string& id_term) {
  // Keep the spelling dictionary's counts true: take back what each old document added.
  std::vector<Xapian::docid> ids;
  for (auto p = db_.postlist_begin(id_term); p != db_.postlist_end(id_term); ++p) ids.push_back(*p);
  static const std::string kArticlePassage = Xapian::sortable_serialise(0);
  for (Xapian::docid did : ids) {
    const Xapian::Document doc = db_.get_document(did);
    for (const auto& word : spelling_words(doc)) --spelling_delta_[word];
    const auto length = static_cast<int64_t>(db_.get_doclength(did));
    (doc.get_value(schema::kSlotPassage) == kArticlePassage ? article_length_delta_
                                                            : passage_length_delta_) -= length;
  }
  db_.delete_document(id_term);
}

IndexWriter::Outcome IndexWriter::write(BuiltArticle& article, std::string* other_id) {
  try {
    begin_batch();
    std::string q0 = unique_term(article.id, 0);
    Outcome outcome = Outcome::kAdded;
    Xapian::docid article_did = 0;  // an updated article keeps its article docid
    auto pl = db_.postlist_begin(q0);
    if (pl != db_.postlist_end(q0)) {
      article_did = *pl;
      Xapian::Document old = db_.get_document(*pl);
      std::string old_id = old.get_value(schema::kSlotArticleId);
      if (old_id != article.id) {
        if (other_id != nullptr) *other_id = old_id;
        return Outcome::kCollision;
      }
      if (old.get_value(schema::kSlotHash) == article.hash) return Outcome::kUnchanged;
      outcome = Outcome::kUpdated;
    }
    // Also clears passages left without their article document (cannot happen with whole-article
    // batches, but costs nothing when there are none).
    if (outcome == Outcome::kUpdated || db_.term_exists(article.id_term))
      delete_article_documents(article.id_term);
    if (article_did == 0 || article_did >= schema::kFirstPassageDocid) article_did = new_article_docid();
    for (size_t i = 0; i < article.documents.size(); ++i) {
      BuiltDocument& bd = article.documents[i];
      // documents[0] is the article document (document_builder.h), added at commit (flush_documents()).
      if (i == 0) {
        pending_article_docs_.emplace_back(article_did, std::move(bd.document));
      } else {
        db_.replace_document(new_passage_docid(), bd.document);
      }
      for (const auto& word : bd.spelling) ++spelling_delta_[word];
      (i == 0 ? article_length_delta_ : passage_length_delta_) += static_cast<int64_t>(bd.length);
    }
    ++pending_articles_;
    pending_bytes_ += article.text_bytes;
    return outcome;
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  return Outcome::kUnchanged;  // not reached: rethrow_database_error always throws
}

bool IndexWriter::remove(std::string_view id) {
  try {
    std::string term = article_id_term(id);
    // Article documents of the batch wait for commit(): add them first, so that the article goes whole.
    flush_documents();
    if (!db_.term_exists(term)) return false;
    begin_batch();
    delete_article_documents(term);
    ++pending_articles_;
    return true;
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  return false;
}

std::vector<std::string> IndexWriter::prune(const std::vector<fs::path>& roots) {
  std::vector<std::string> gone;
  try {
    flush_documents();  // the batch's article documents, so that every article of the batch is seen
    std::string kind(schema::kKindArticle);
    for (auto p = db_.postlist_begin(kind); p != db_.postlist_end(kind); ++p) {
      Xapian::Document doc = db_.get_document(*p);
      auto data = nlohmann::json::parse(doc.get_data(), nullptr, false);
      if (!data.is_object() || !data.contains("file") || !data["file"].is_string()) continue;
      std::string file = data["file"].get<std::string>();
      bool under = false;
      for (const auto& root : roots) under = under || path_under(fs::path(file), root);
      if (under && file_is_gone(file)) gone.push_back(doc.get_value(schema::kSlotArticleId));
    }
    // Deleting while walking a posting list is not safe: collect first, then delete.
    for (const auto& id : gone) remove(id);
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  return gone;
}

void IndexWriter::flush_spelling() {
  // One Xapian call per distinct word and batch: add_spelling() per word and document costs a table
  // lookup each time and was over half the indexing time.
  for (const auto& [word, delta] : spelling_delta_) {
    if (delta > 0) db_.add_spelling(word, static_cast<Xapian::termcount>(delta));
    if (delta < 0) db_.remove_spelling(word, static_cast<Xapian::termcount>(-delta));
  }
  spelling_delta_.clear();
}

void IndexWriter::flush_lengths() {
  if (article_docid_changed_) {
    db_.set_metadata(std::string(schema::kMetaLastArticleDocid), std::to_string(last_article_docid_));
    article_docid_changed_ = false;
  }
  if (article_length_delta_ == 0 && passage_length_delta_ == 0) return;
  schema::Lengths lengths = schema::read_lengths(db_);
  auto apply = [](uint64_t total, int64_t delta) {
    const int64_t t = static_cast<int64_t>(total) + delta;
    return static_cast<uint64_t>(t < 0 ? 0 : t);
  };
  lengths.articles = apply(lengths.articles, article_length_delta_);
  lengths.passages = apply(lengths.passages, passage_length_delta_);
  schema::write_lengths(db_, lengths);
  article_length_delta_ = 0;
  passage_length_delta_ = 0;
}

void IndexWriter::flush_documents() {
  // The batch's article documents in docid order, after its passages: Xapian writes a document's term
  // list and data into B-trees keyed by docid at once, and fills their blocks only while keys arrive in
  // order; adding each article document between its passages, in another docid range, left the blocks
  // half empty (+16% on disk). Passages go in as they come, keeping the writer busy while readers read.
  std::sort(pending_article_docs_.begin(), pending_article_docs_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [did, doc] : pending_article_docs_) db_.replace_document(did, doc);
  pending_article_docs_.clear();
}

void IndexWriter::commit() {
  if (!in_transaction_) return;
  try {
    flush_documents();
    flush_spelling();
    flush_lengths();
    in_transaction_ = false;
    db_.commit_transaction();
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  pending_articles_ = 0;
  pending_bytes_ = 0;
}

bool IndexWriter::empty() const {
  try {
    return pending_articles_ == 0 && db_.get_doccount() == 0;
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  return false;
}

}  // namespace dateline
