/** @file
 *  @brief A Xapian document's making written down, to be done on the thread that adds the document.
 *
 *  A bulk build (bulk.h) builds each article on a reader thread and adds it on a writer thread, after it
 *  waited in the writers' queue among hundreds of others. A Xapian::Document is a std::map of terms whose
 *  nodes, position lists and strings lie wherever the reader's allocator put them: by the time a writer
 *  walks it (twice: the inverter and the term list), it is out of every cache, and that walk cost each writer
 *  a fifth of its time adding documents. The builder writes its calls here instead, in one buffer, and the
 *  writer replays them into a new Document just before adding it: the same document, built where it is used.
 */
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dateline {

/// The calls that make a Xapian::Document, in order: the subset of its interface the builder and the story
/// linker use. make() replays them; the Document it gives is the one the same calls give.
class DocRecipe {
 public:
  void add_posting(std::string_view term, Xapian::termpos pos, Xapian::termcount wdf_inc = 1);
  void add_term(std::string_view term, Xapian::termcount wdf_inc = 1);
  void add_boolean_term(std::string_view term) { add_term(term, 0); }
  /// As Document::add_value(): the slot's value replaced; an empty value removes it.
  void add_value(Xapian::valueno slot, std::string value);
  void set_data(std::string data) { data_ = std::move(data); }

  /// The slot's value, "" when none (as Document::get_value()).
  std::string get_value(Xapian::valueno slot) const;
  const std::string& get_data() const { return data_; }
  bool empty() const { return calls_.empty() && values_.empty() && data_.empty(); }

  /// The document the calls make.
  Xapian::Document make() const;
  /// The calls that make a copy of `doc` (a document made already).
  static DocRecipe of(const Xapian::Document& doc);

 private:
  std::string calls_;  ///< each call: kind byte, term length, term, then position and/or wdf (base/leb128.h)
  std::vector<std::pair<Xapian::valueno, std::string>> values_;  ///< one per slot, in the order first set
  std::string data_;
};

}  // namespace dateline
