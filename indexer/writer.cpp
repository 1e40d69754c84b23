/** @file
 *  @brief The single database writer: opening rules, article replacement, spelling bookkeeping, prune.
 */
#include "indexer/writer.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "analyzers/database.h"
#include "analyzers/names.h"
#include "analyzers/schema.h"
#include "indexer/indexer.h"
#include "indexer/inputs.h"
#include "searcher/name_groups.h"

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

// What a run killed while Xapian created the database in place leaves (older Dateline builds created
// it there; an in-place creation still can, when no scratch directory can be made beside it): Xapian's
// lock file, maybe empty tables and a temporary version file, but no iamglass, which Xapian writes last.
// Nothing in it was ever written, so it is emptied and the database created again. A table with any byte
// in it means a database that lost its version file: that is damage, never emptied.
bool is_unfinished_creation(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "iamglass", ec) || !fs::exists(dir / "flintlock", ec)) return false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec)) return false;
    if (name.ends_with(".glass") && entry.file_size(ec) == 0 && !ec) continue;
    if (name != "flintlock" && !name.ends_with(".tmp")) return false;
  }
  return !ec;
}

// PARENT and ".NAME.dateline-" of a database path (its scratch directories' folder and name prefix).
std::pair<fs::path, std::string> scratch_prefix(const std::string& db_path) {
  fs::path p = fs::absolute(fs::path(db_path)).lexically_normal();
  if (!p.has_filename()) p = p.parent_path();
  if (!p.has_filename() || p.filename() == "." || p.filename() == "..") {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument), db_path);
  }
  return {p.parent_path(), "." + p.filename().string() + ".dateline-"};
}

bool file_is_gone(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) return false;
  // Only a definite "not there" prunes; a permission problem or a dead NFS mount does not.
  return errno == ENOENT || errno == ENOTDIR;
}

}  // namespace

ScratchDir::ScratchDir(const std::string& db_path, const std::string& tag) {
  const auto [parent, prefix] = scratch_prefix(db_path);
  std::random_device random;
  for (int attempt = 0;; ++attempt) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(random()));
    const std::string candidate = (parent / (prefix + tag + "-" + suffix)).string();
    if (::mkdir(candidate.c_str(), 0777) == 0) {
      path_ = candidate;
      break;
    }
    if (errno != EEXIST || attempt == 100) throw std::system_error(errno, std::generic_category(), candidate);
  }
  fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0 || ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (fd_ >= 0) ::close(fd_);
    throw std::system_error(err, std::generic_category(), path_);
  }
}

ScratchDir::~ScratchDir() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  if (fd_ >= 0) ::close(fd_);  // and with it the flock
}

void remove_stale_scratch(const std::string& db_path) {
  std::pair<fs::path, std::string> where;
  try {
    where = scratch_prefix(db_path);
  } catch (const std::system_error&) {
    return;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(where.first, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(where.second) || !entry.is_directory(ec)) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;
    // The owner holds the flock while it lives; one we can take is left over.
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) fs::remove_all(entry.path(), ec);
    ::close(fd);
  }
}

bool exchange_directories(const std::string& a, const std::string& b, std::error_code& ec) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) {
    ec.clear();
    return true;
  }
  ec = std::error_code(errno, std::generic_category());
  return false;
}

void rethrow_database_error(const std::string& path) {
  // A full disk or a database this user may not write: the system's words, not Xapian's ("Error writing
  // block 67", "Unable to get write lock"), and never "locked by another dateline-index".
  const auto system_problem = [&](const Xapian::Error& e) {
    const std::string reason = write_problem(e);
    if (!reason.empty()) {
      throw DatabaseError(DatabaseError::Kind::kIo,
                          path + ": cannot write the database: " + reason + " (" + e.get_msg() + ")");
    }
  };
  try {
    throw;
  } catch (const Xapian::DatabaseLockError& e) {
    system_problem(e);
    throw DatabaseError(DatabaseError::Kind::kLocked,
                        path + ": database is locked by another dateline-index (or Xapian writer)");
  } catch (const Xapian::DatabaseVersionError& e) {
    throw DatabaseError(DatabaseError::Kind::kVersion,
                        path + ": unsupported Xapian database format (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged, path + ": database is damaged (" + e.get_msg() +
                                                           "); rebuild it with: dateline-index --db " + path +
                                                           " --rebuild INPUT...");
  } catch (const Xapian::DatabaseCreateError& e) {
    system_problem(e);
    throw DatabaseError(DatabaseError::Kind::kIo, path + ": cannot create database (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseOpeningError& e) {
    system_problem(e);
    throw DatabaseError(DatabaseError::Kind::kDamaged, path + ": cannot open database (" + e.get_msg() + ")");
  } catch (const Xapian::DatabaseError& e) {
    system_problem(e);
    // Reading a truncated or overwritten table ends here ("EOF reading block 4").
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path + ": cannot read or write the database (" + e.get_msg() +
                            "); if it is damaged, rebuild it with: dateline-index --db " + path +
                            " --rebuild INPUT...");
  } catch (const Xapian::Error& e) {
    system_problem(e);
    throw DatabaseError(DatabaseError::Kind::kIo,
                        path + ": " + e.get_type() + ": " + e.get_msg() +
                            (e.get_error_string() ? std::string(" (") + e.get_error_string() + ")" : ""));
  }
}

std::string write_problem(const Xapian::Error& e) {
  static const int kCodes[] = {ENOSPC, EDQUOT, EACCES, EPERM, EROFS};
  const char* system = e.get_error_string();
  const std::string msg = e.get_msg();
  for (int code : kCodes) {
    const std::string text = std::strerror(code);
    if ((system != nullptr && text == system) || msg.find(text) != std::string::npos) return text;
  }
  return "";
}

IndexWriter::IndexWriter(const WriterOptions& options) : path_(options.path), new_id_root_(options.id_root) {
  // Never a stub (analyzers/database.h): Xapian would follow it, even to `remote :PROGRAM`.
  try {
    database::refuse_stub_for_writing(path_);
  } catch (const database::StubError& e) {
    throw DatabaseError(DatabaseError::Kind::kDamaged, e.what());
  }
  fs::path dir(path_);
  std::error_code ec;
  auto status = fs::status(dir, ec);
  bool exists = !ec && fs::exists(status);
  if (exists && !fs::is_directory(status)) {
    throw DatabaseError(DatabaseError::Kind::kDamaged,
                        path_ + ": is not a directory (a database is a directory)");
  }
  if (exists && !fs::is_empty(dir, ec) && !looks_like_xapian_db(dir)) {
    if (!is_unfinished_creation(dir)) {
      throw DatabaseError(DatabaseError::Kind::kDamaged,
                          path_ + ": exists and is not a Xapian database; refusing to write into it");
    }
    for (const auto& entry : fs::directory_iterator(dir, ec)) fs::remove(entry.path(), ec);
  }

  // With --rebuild the old settings survive unless flags override them: read them before emptying.
  // A Xapian database that Dateline did not create is not emptied without --force.
  std::optional<AnalyzerConfig> previous;
  if (options.rebuild && exists && looks_like_xapian_db(dir)) {
    std::string foreign;
    if (!fs::exists(dir / "iamglass", ec)) foreign = "a Xapian database of another backend";
    try {
      Xapian::Database old(path_, Xapian::DB_BACKEND_GLASS);
      if (auto stamp = schema::read_stamp(old)) {
        previous = AnalyzerConfig::parse(stamp->analyzer);
      } else if (old.get_doccount() > 0) {
        const auto n = old.get_doccount();
        foreign = "a Xapian database without Dateline's stamp, holding " + std::to_string(n) +
                  (n == 1 ? " document" : " documents");
      }
    } catch (...) {
      // Damaged (Xapian::Error is not a std::exception): --rebuild is the cure, defaults apply.
    }
    if (!foreign.empty() && !options.force) {
      throw DatabaseError(DatabaseError::Kind::kDamaged,
                          path_ + ": " + foreign + "; --rebuild would erase it (add --force to do that)");
    }
  }

  // A new database is made whole beside its path and renamed into place, so that a run killed while
  // creating it leaves nothing at the path; --rebuild swaps such an empty database in for the old one,
  // so that readers never open half-emptied tables (create_beside()).
  AnalyzerConfig fresh_config = previous.value_or(AnalyzerConfig{});
  fresh_config.possessives = true;  // every article is analysed again: with this build's analysis
  if (options.language) fresh_config.language = *options.language;
  if (options.fold_accents) fresh_config.fold_accents = *options.fold_accents;
  bool made_beside = false;
  if (!exists || fs::is_empty(dir, ec)) {
    made_beside = create_beside(fresh_config, false);
  } else if (options.rebuild) {
    Xapian::WritableDatabase holder;  // the old database's lock, held across the swap
    bool held = false;
    try {
      holder = Xapian::WritableDatabase(path_, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
      held = true;
    } catch (const Xapian::DatabaseLockError&) {
      rethrow_database_error(path_);
    } catch (const Xapian::Error&) {
      // Damaged: emptied in place below (no reader can use it anyway).
    }
    if (held) {
      made_beside = create_beside(fresh_config, true);
      holder.close();
    }
  }

  try {
    const int flags =
        options.rebuild && !made_beside ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN;
    db_ = Xapian::WritableDatabase(path_, flags | Xapian::DB_BACKEND_GLASS);
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  // Under the lock: what killed runs left beside the database goes.
  remove_stale_scratch(path_);
  created_ = made_beside;

  try {
    auto stamp = schema::read_stamp(db_);
    if (!stamp) {
      if (db_.get_doccount() != 0) {
        throw DatabaseError(DatabaseError::Kind::kDamaged,
                            path_ + ": is a Xapian database but not a Dateline one (no " +
                                std::string(schema::kMetaVersion) + " metadata)");
      }
      config_ = fresh_config;
      schema::write_stamp(db_, config_.serialise());
      if (const std::string w = index_weights().describe(); !w.empty())
        db_.set_metadata(std::string(schema::kMetaExperiments), w);
      id_root_ = options.id_root;
      if (!id_root_.empty()) db_.set_metadata(std::string(schema::kMetaIdRoot), id_root_);
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
      throw DatabaseError(DatabaseError::Kind::kDamaged, path_ + ": unreadable analyzer settings in " +
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
    id_root_ = db_.get_metadata(std::string(schema::kMetaIdRoot));
    if (options.id_root_given && id_root_ != options.id_root) {
      throw UsageError(path_ + ": the database's archive root is " +
                       (id_root_.empty() ? std::string("not stored (made by an older build)") : id_root_) +
                       "; to change it to " + options.id_root + " add --rebuild");
    }
    init_docids();
    // Articles without a story: a bulk build killed before it linked the merged database, or a database
    // indexed before stories. Linked now, so that later copies find them (value statistics: no scan).
    const std::string kind(schema::kKindArticle);
    const Xapian::doccount articles = db_.term_exists(kind) ? db_.get_termfreq(kind) : db_.get_doccount();
    if (db_.get_value_freq(schema::kSlotStory) < articles) stories::link_all(db_);
    // Made before the copies slots (schema.h kSlotStoryCopies, kSlotStoryCopyList): filled once, then kept
    // by each batch.
    if (db_.get_metadata(std::string(schema::kMetaStoryCopies)).empty() ||
        db_.get_metadata(std::string(schema::kMetaStoryCopyList)).empty()) {
      stories::mark_all_copies(db_);
      db_.commit();
    }
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
}

bool IndexWriter::create_beside(const AnalyzerConfig& config, bool replace) {
  std::optional<ScratchDir> scratch;
  try {
    scratch.emplace(path_, "new");
  } catch (const std::system_error&) {
    return false;  // no scratch directory beside it (a folder we may not write): created in place
  }
  try {
    Xapian::WritableDatabase fresh(scratch->path(), Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    schema::write_stamp(fresh, config.serialise());
    if (const std::string w = index_weights().describe(); !w.empty())
      fresh.set_metadata(std::string(schema::kMetaExperiments), w);
    if (!new_id_root_.empty()) fresh.set_metadata(std::string(schema::kMetaIdRoot), new_id_root_);
    fresh.commit();
    fresh.close();
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  if (replace) {
    // The old database goes beside, removed by ~ScratchDir; a file system that cannot swap: in place.
    std::error_code ec;
    fs::permissions(scratch->path(), fs::status(path_, ec).permissions(), ec);
    return exchange_directories(scratch->path(), path_, ec);
  }
  // rename() replaces an empty directory and refuses a non-empty one: another run created it first.
  if (::rename(scratch->path().c_str(), path_.c_str()) != 0) {
    if (errno == ENOTEMPTY || errno == EEXIST) return false;
    throw DatabaseError(DatabaseError::Kind::kIo, path_ + ": cannot move the new database into place (" +
                                                      std::strerror(errno) + ")");
  }
  scratch->release();
  return true;
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

void IndexWriter::begin_batch() {
  if (in_transaction_) return;
  db_.begin_transaction(true);
  in_transaction_ = true;
}

void IndexWriter::delete_article_documents(const std::string& id_term) {
  // Keep the spelling dictionary's counts true: take back what each old document added.
  std::vector<Xapian::docid> ids;
  for (auto p = db_.postlist_begin(id_term); p != db_.postlist_end(id_term); ++p) ids.push_back(*p);
  for (Xapian::docid did : ids) {
    const Xapian::Document doc = db_.get_document(did);
    // Its story's other copies list it: refreshed when the batch is flushed.
    if (std::string story = doc.get_value(schema::kSlotStory); !story.empty()) {
      shrunk_stories_.insert(story);
      run_shrunk_stories_.insert(std::move(story));
    }
    for (const auto& word : spelling_words(doc)) --spelling_delta_[word];
    article_length_delta_ -= static_cast<int64_t>(db_.get_doclength(did));
    auto data = nlohmann::json::parse(doc.get_data(), nullptr, false);
    if (data.is_object() && data.contains("passages") && data["passages"].is_array())
      passage_count_delta_ -= static_cast<int64_t>(data["passages"].size());
  }
  db_.delete_document(id_term);
}

IndexWriter::Outcome IndexWriter::write(BuiltArticle& article, std::string* other_id, std::string* old_file) {
  materialize(article);  // a bulk build's late winner comes as a recipe
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
      if (old_file != nullptr) {
        auto data = nlohmann::json::parse(old.get_data(), nullptr, false);
        if (data.is_object() && data.contains("file") && data["file"].is_string())
          *old_file = data["file"].get<std::string>();
      }
    }
    if (outcome == Outcome::kUpdated || db_.term_exists(article.id_term))
      delete_article_documents(article.id_term);
    if (article_did == 0 || article_did >= schema::kFirstPassageDocid) article_did = new_article_docid();
    // Syndicated copies: detection terms now (unless the builder made them), the story id when the batch
    // goes in (flush_documents()).
    if (article.document.get_value(schema::kSlotStorySignature).empty())
      article.story_terms = stories::add_detection(article.document, stories::sign(stories::article_text(article)));
    // Added at commit (flush_documents()), in docid order.
    pending_article_docs_.emplace_back(article_did, std::move(article.document));
    pending_story_terms_.push_back(std::move(article.story_terms));
    for (const auto& word : article.spelling) ++spelling_delta_[word];
    stem_forms_.add(article);
    article_length_delta_ += static_cast<int64_t>(article.length);
    passage_count_delta_ += static_cast<int64_t>(article.passages);
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

size_t IndexWriter::link_stories() {
  try {
    commit();
    return stories::link_all(db_);
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
  return 0;
}

void IndexWriter::refresh_copies(const Xapian::Database& all, const std::vector<std::string>& stories) {
  try {
    begin_batch();
    stories::refresh_copies(db_, all, stories, true);
    commit();
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
}

void IndexWriter::flush_spelling() {
  // One Xapian call per distinct word and batch: add_spelling() per word and document costs a table
  // lookup each time and was over half the indexing time.
  for (const auto& [word, delta] : spelling_delta_) {
    if (delta > 0) db_.add_spelling(word, static_cast<Xapian::termcount>(delta));
    if (delta < 0) db_.remove_spelling(word, static_cast<Xapian::termcount>(-delta));
  }
  spelling_delta_.clear();
  // The forms of the batch's stems (schema.h kMetaFormsPrefix): added, never taken back with an article.
  stem_forms_.write(db_, true);
  stem_forms_.clear();
}

void IndexWriter::flush_lengths() {
  if (article_docid_changed_) {
    db_.set_metadata(std::string(schema::kMetaLastArticleDocid), std::to_string(last_article_docid_));
    article_docid_changed_ = false;
  }
  if (article_length_delta_ == 0 && passage_count_delta_ == 0) return;
  schema::Lengths lengths = schema::read_lengths(db_);
  auto apply = [](uint64_t total, int64_t delta) {
    const int64_t t = static_cast<int64_t>(total) + delta;
    return static_cast<uint64_t>(t < 0 ? 0 : t);
  };
  lengths.articles = apply(lengths.articles, article_length_delta_);
  lengths.passages = apply(lengths.passages, passage_count_delta_);
  schema::write_lengths(db_, lengths);
  article_length_delta_ = 0;
  passage_count_delta_ = 0;
}

void IndexWriter::flush_documents() {
  // The batch's article documents in docid order: Xapian writes a document's term list and data into
  // B-trees keyed by docid at once, and fills their blocks only while keys arrive in order (an updated
  // article keeps its old docid).
  linker_.link(db_, pending_article_docs_, &pending_story_terms_);
  std::sort(pending_article_docs_.begin(), pending_article_docs_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> stories;
  for (const auto& [did, doc] : pending_article_docs_) {
    db_.replace_document(did, doc);
    stories.push_back(doc.get_value(schema::kSlotStory));
  }
  stories::mark_copies(db_, stories);
  if (!shrunk_stories_.empty()) {
    stories::refresh_copies(db_, db_, {shrunk_stories_.begin(), shrunk_stories_.end()}, true);
    shrunk_stories_.clear();
  }
  pending_article_docs_.clear();
  pending_story_terms_.clear();
  linker_.clear();
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

void IndexWriter::store_name_variants(bool person_groups) {
  commit();
  try {
    dateline::store_name_variants(db_);
    if (person_groups) dateline::store_person_groups(db_);  // regrouped from the whole archive each run
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
}

void IndexWriter::write_person_table(const PersonTableData& people) {
  try {
    dateline::write_person_table(db_, people);
  } catch (const Xapian::Error&) {
    rethrow_database_error(path_);
  }
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
