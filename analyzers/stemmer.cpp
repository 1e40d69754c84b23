/** @file
 *  @brief Snowball stemming via Xapian::Stem with language validation and a bounded cache.
 */
#include "analyzers/stemmer.h"

#include <algorithm>
#include <stdexcept>

namespace dateline::text {

std::string canonical_language(std::string_view language) {
  if (language == "none") return "none";
  if (language.empty()) {
    throw std::invalid_argument("empty stemming language (use \"none\" to turn stemming off)");
  }
  try {
    const Xapian::Stem stem{std::string(language)};
    // get_description() is "Xapian::Stem(english)": the canonical name, also for codes ("en").
    const std::string desc = stem.get_description();
    const auto open = desc.find('(');
    const auto close = desc.rfind(')');
    if (open != std::string::npos && close != std::string::npos && close > open + 1) {
      return desc.substr(open + 1, close - open - 1);
    }
    return std::string(language);
  } catch (const Xapian::InvalidArgumentError&) {
    throw std::invalid_argument("unknown stemming language '" + std::string(language) +
                                "' (available: none " + Xapian::Stem::get_available_languages() + ")");
  }
}

Stemmer::Stemmer(std::string_view language) {
  const std::string canonical = canonical_language(language);
  enabled_ = canonical != "none";
  if (enabled_) {
    stem_ = Xapian::Stem(canonical);
    slots_.resize(kSlots);
  }
}

namespace {

// FNV-1a, 64 bit: words are ~6 bytes, where it beats the block hashes and needs no dependency.
uint64_t hash_term(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h ^ (h >> 29);
}

}  // namespace

std::string_view Stemmer::stem(std::string_view term) {
  if (!enabled_ || term.empty()) return {};
  if (term.size() > kInline) {
    scratch_.assign(term);
    result_ = stem_(scratch_);
    return result_;
  }
  const uint64_t h = hash_term(term);
  Slot& slot = slots_[h & (kSlots - 1)];
  if (slot.hash == h && slot.term_len == term.size() &&
      std::string_view(slot.term, slot.term_len) == term) {
    return {slot.stem, slot.stem_len};
  }
  scratch_.assign(term);
  result_ = stem_(scratch_);
  if (result_.size() <= kInline) {
    slot.hash = h;
    slot.term_len = static_cast<uint8_t>(term.size());
    slot.stem_len = static_cast<uint8_t>(result_.size());
    std::copy(term.begin(), term.end(), slot.term);
    std::copy(result_.begin(), result_.end(), slot.stem);
  }
  return result_;
}

}  // namespace dateline::text
