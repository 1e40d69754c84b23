/** @file
 *  @brief Article -> its Xapian document (passages as position ranges): the only place index terms are made.
 *
 *  Follows analyzers/schema.h exactly; docs/index-format.md describes the result for people.
 */
#pragma once

#include <xapian.h>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzers/analyzer.h"
#include "articles/article.h"
#include "indexer/doc_recipe.h"

namespace dateline {

/// Everything the writer needs for one article: its one Xapian document (analyzers/schema.h).
struct BuiltArticle {
  std::string id;           ///< article id
  std::string hash;         ///< 16 hex digits: what kSlotHash holds (source hash + extracted record)
  std::string id_term;      ///< article_id_term(id)
  std::string source_file;  ///< absolute source file, empty for standard input ("file" in the data)
  Xapian::Document document;
  /// The document's making instead, from a builder made `deferred` (a bulk build's: doc_recipe.h says why);
  /// materialize() turns it into `document`.
  DocRecipe recipe;
  bool deferred = false;
  /// Exact body/title terms made of letters only, once each, in the order first met (only their counts
  /// matter: the writers add them to the spelling dictionary's frequencies).
  std::vector<std::string> spelling;
  /// The story detection terms on `document` (stories::add_detection()), handed to the Linker so that it
  /// need not look for them among the document's terms.
  std::vector<std::string> story_terms;
  /// The body's words whose ranking term is another word: (stem, word), sorted, once each; the writer
  /// lists them in the metadata (schema::kMetaFormsPrefix, indexer/stem_forms.h).
  std::vector<std::pair<std::string, std::string>> stem_forms;
  uint64_t length = 0;                ///< the document's length as Xapian counts it: the sum of its wdf
  uint64_t passages = 0;              ///< number of passages
  uint64_t text_bytes = 0;            ///< bytes of passage text (the writer's batch-size measure)
  std::vector<std::string> warnings;  ///< e.g. an unparseable date left out of the date terms
};

/// A deferred article's document made from its recipe (on the thread that adds it); others as they are.
void materialize(BuiltArticle& article);

/// Is this unstemmed term a spelling-dictionary word? Letters only (marks allowed inside words, e.g.
/// Devanagari vowel signs): numbers, abbreviations with dots and mixed tokens are not suggested.
bool is_spelling_word(std::string_view term);

/// The longest term the builder writes, in bytes (Xapian refuses terms over 245 bytes).
inline constexpr size_t kMaxIndexTermBytes = 240;

/// XID term of an article. Ids too long for a term keep a readable head and end in "~" + 16 hex digits
/// of their hash, so two long ids never share a term.
std::string article_id_term(std::string_view id);

/// Q term of one document: Q<id>#<n>, n = 0 for the article document (same long-id rule).
std::string unique_term(std::string_view id, uint64_t passage);

/// The content hash stored in kSlotHash: XXH3 of the reader's source hash and the extracted record, so
/// a new extractor or --max-passage-bytes re-indexes an article even when its file did not change.
std::string article_hash(const Article& article);

/// The record an article was read as, as JSON text (dry-run output, and the input of article_hash()):
/// metadata fields when present, then "passages": [{"passage","text","start","end","speakers"}].
std::string article_record_json(const Article& article);

/// The wdf multipliers of the index: schema::kFields' weights, unless an experiments build
/// (base/experiments.h) was given DATELINE_TITLE_WDF / DATELINE_TITLE_BODY_WDF.
struct IndexWeights {
  unsigned title = 0;       ///< WS title terms
  unsigned body = 0;        ///< W passage terms
  unsigned title_body = 0;  ///< W title terms
  /// "" for the schema's weights, else "title_wdf=N;title_body_wdf=N": what the indexer stamps into a
  /// database it creates (schema::kMetaExperiments).
  std::string describe() const;
};
const IndexWeights& index_weights();

/// The exact words of one article as the builder meets them, for BuiltArticle::spelling: each new word
/// appended to one buffer once (an open-addressing table of its words finds repeats). A std::set took a tree
/// walk of string compares for every word indexed, and a node for each new one; sorting them all instead
/// cost more (most words are repeats), and sorting the distinct ones half a percent of a build for an
/// order nobody reads.
class WordCollector {
 public:
  /// Adds the word when new; returns its index among the distinct words (0, 1, 2... in the order first added).
  uint32_t add(std::string_view word);
  /// The words added that is_spelling_word() accepts, once each, in the order first added.
  std::vector<std::string> spelling_words() const;
  /// The word at `index`.
  std::string_view word(uint32_t i) const { return std::string_view(bytes_).substr(spans_[i].first, spans_[i].second); }

 private:
  void grow();

  std::string bytes_;                                  ///< the distinct words, one after the other
  std::vector<std::pair<size_t, size_t>> spans_;      ///< (offset, size) of each in bytes_
  std::vector<uint64_t> hashes_;                       ///< the hash of each
  std::vector<uint32_t> slots_ = std::vector<uint32_t>(256);  ///< 1 + index of a word, 0 for none
};

/// Turns Articles into documents. Holds a reference to an Analyzer, so one builder per thread.
class DocumentBuilder {
 public:
  /// `deferred`: each BuiltArticle gets the recipe of its document instead of the document (doc_recipe.h).
  explicit DocumentBuilder(const Analyzer& analyzer, bool deferred = false);

  /// Builds the article's document (see schema.h for the layout).
  /// `source_file`: absolute path of the article's file, stored for --prune (empty for stdin).
  BuiltArticle build(const Article& article, std::string_view source_file = {}) const;

 private:
  // Each writes into `doc`: out.document, or out.recipe for a deferred builder.
  /// Everything: metadata, title, passages, data, story detection.
  template <class Doc>
  void fill(const Article& article, const std::vector<std::string>& texts, BuiltArticle& out, Doc& doc) const;
  /// Ids, outlet, wire, authors, speakers, dates: boolean terms and values.
  template <class Doc>
  void add_metadata(const Article& article, BuiltArticle& out, Doc& doc) const;
  /// Title and subtitle: exact forms and ranking terms.
  template <class Doc>
  void add_title(const Article& article, BuiltArticle& out, WordCollector& words, Doc& doc) const;
  /// Every passage at its position range, its speakers' words before it; returns the passages' data (a
  /// JSON array). `texts`: each passage's text written as a JSON string.
  template <class Doc>
  std::string add_passages(const Article& article, BuiltArticle& out, WordCollector& words,
                           const std::vector<std::string>& texts, Doc& doc) const;
  std::set<std::string> name_words(const std::vector<std::string>& names) const;

  const Analyzer& analyzer_;
  bool deferred_ = false;
};

}  // namespace dateline
