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
    sets_.resize(kSets);
  }
}

// FNV-1a, 64 bit: words are ~6 bytes, where it beats the block hashes and needs no dependency.
uint64_t Stemmer::hash(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h ^ (h >> 29);
}

uint64_t Stemmer::prefetch(std::string_view term) const {
  const uint64_t h = hash(term);
  if (!enabled_ || term.empty() || term.size() > kInline) return h;
  const Set& set = sets_[(h >> 32) & (kSets - 1)];
  __builtin_prefetch(&set.ways[0]);
  __builtin_prefetch(&set.ways[kWays / 2]);  // a set is two cache lines
  return h;
}

std::string_view Stemmer::stem(std::string_view term, uint64_t term_hash) {
  if (!enabled_ || term.empty()) return {};
  if (term.size() > kInline) {
    scratch_.assign(term);
    result_ = stem_(scratch_);
    return result_;
  }
  const uint64_t h = term_hash;
  const auto tag = static_cast<uint32_t>(h);
  Set& set = sets_[(h >> 32) & (kSets - 1)];
  uint32_t way = 0;
  for (; way < kWays; ++way) {
    const Slot& slot = set.ways[way];
    if (slot.tag == tag && slot.term_len == term.size() &&
        std::string_view(slot.term, slot.term_len) == term) {
      break;
    }
  }
  Slot found;
  if (way < kWays) {
    found = set.ways[way];
  } else {
    scratch_.assign(term);
    result_ = stem_(scratch_);
    if (result_.size() > kInline) return result_;
    found.tag = tag;
    found.term_len = static_cast<uint8_t>(term.size());
    found.stem_len = static_cast<uint8_t>(result_.size());
    std::copy(term.begin(), term.end(), found.term);
    std::copy(result_.begin(), result_.end(), found.stem);
    way = kWays - 1;  // evict the least recently used
  }
  // Move to front: the set stays ordered by recency.
  for (; way > 0; --way) set.ways[way] = set.ways[way - 1];
  set.ways[0] = found;
  return {set.ways[0].stem, set.ways[0].stem_len};
}

}  // namespace dateline::text
