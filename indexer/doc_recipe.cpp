/** @file
 *  @brief DocRecipe: a Xapian document's making written down (doc_recipe.h).
 */
#include "doc_recipe.h"

#include <optional>
#include <stdexcept>

#include "base/leb128.h"

namespace dateline {

namespace {

enum Kind : char { kPosting = 'p', kTerm = 't' };

void put(std::string& out, uint64_t v) { leb128::append(out, v); }

uint64_t get(const std::string& in, size_t& at) {
  if (const std::optional<uint64_t> v = leb128::read(in, at)) return *v;
  throw std::logic_error("DocRecipe: a call cut short");  // only this file writes calls_
}

// Xapian refuses an empty term when it is added: so does the recipe, on the builder's thread, where one
// article's failure is reported and the run goes on, and not later on the writer's.
void refuse_empty(std::string_view term) {
  if (term.empty()) throw Xapian::InvalidArgumentError("Empty termnames aren't allowed.");
}

}  // namespace

void DocRecipe::add_posting(std::string_view term, Xapian::termpos pos, Xapian::termcount wdf_inc) {
  refuse_empty(term);
  calls_ += kPosting;
  put(calls_, term.size());
  calls_.append(term);
  put(calls_, pos);
  put(calls_, wdf_inc);
}

void DocRecipe::add_term(std::string_view term, Xapian::termcount wdf_inc) {
  refuse_empty(term);
  calls_ += kTerm;
  put(calls_, term.size());
  calls_.append(term);
  put(calls_, wdf_inc);
}

void DocRecipe::add_value(Xapian::valueno slot, std::string value) {
  for (auto& [s, v] : values_) {
    if (s == slot) {
      v = std::move(value);
      return;
    }
  }
  values_.emplace_back(slot, std::move(value));
}

std::string DocRecipe::get_value(Xapian::valueno slot) const {
  for (const auto& [s, v] : values_) {
    if (s == slot) return v;
  }
  return {};
}

Xapian::Document DocRecipe::make() const {
  Xapian::Document doc;
  std::string term;
  for (size_t at = 0; at < calls_.size();) {
    const char kind = calls_[at++];
    const size_t size = get(calls_, at);
    term.assign(calls_, at, size);
    at += size;
    if (kind == kPosting) {
      const auto pos = static_cast<Xapian::termpos>(get(calls_, at));
      doc.add_posting(term, pos, static_cast<Xapian::termcount>(get(calls_, at)));
    } else {
      doc.add_term(term, static_cast<Xapian::termcount>(get(calls_, at)));
    }
  }
  for (const auto& [slot, value] : values_) {
    if (!value.empty()) doc.add_value(slot, value);
  }
  if (!data_.empty()) doc.set_data(data_);
  return doc;
}

DocRecipe DocRecipe::of(const Xapian::Document& doc) {
  DocRecipe r;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) r.add_posting(term, *p, 0);
    r.add_term(term, t.get_wdf());
  }
  for (auto v = doc.values_begin(); v != doc.values_end(); ++v) r.add_value(v.get_valueno(), *v);
  r.set_data(doc.get_data());
  return r;
}

}  // namespace dateline
