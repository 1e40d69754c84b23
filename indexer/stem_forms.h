/** @file
 *  @brief The stems' body word forms (schema::kMetaFormsPrefix): gathered over articles, merged into the metadata.
 *
 *  Schema 4 gives the body ranking terms no positions; the exact forms of a stem's words carry them. The
 *  searcher finds a stem's forms in the metadata (every backend has it: glass, in-memory, remote), so
 *  whoever writes articles writes their forms too: IndexWriter per batch, a bulk build once at the end.
 */
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/document_builder.h"
#include "indexer/word_hash.h"

namespace dateline {

/// Stem -> the body words (exact forms) whose ranking term it is, over the articles added.
class StemForms {
 public:
  void add(const BuiltArticle& article);
  bool empty() const { return forms_.empty(); }
  size_t size() const { return forms_.size(); }
  void clear() { forms_.clear(); }

  /// Writes each stem's forms into `db`'s metadata (in the writer's current transaction). With `merge`,
  /// joined with what `db` holds already (an existing database; a key is written only when it gains a
  /// form); without, the keys are taken to be new (a database of the bulk build's own).
  void write(Xapian::WritableDatabase& db, bool merge) const;

 private:
  /// unsorted; duplicates possible. WordHash: looked up for every stem of every article as it is queued.
  std::unordered_map<std::string, std::vector<std::string>, WordHash> forms_;
};

/// One article's forms merged into `db` at once (tests, and writers that add one document at a time).
void add_stem_forms(Xapian::WritableDatabase& db, const BuiltArticle& article);

/// The stems' forms of a bulk build, written once into a database of their own (`path`, created) that the
/// compactor merges with the segments, as the spelling table is (indexer/bulk.cpp).
void write_stem_forms(const std::string& path, const StemForms& forms);

}  // namespace dateline
