/** @file
 *  @brief Snowball stemming via Xapian::Stem with language validation and a bounded cache.
 */
#include "analyzers/stemmer.h"

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
  if (enabled_) stem_ = Xapian::Stem(canonical);
}

const std::string& Stemmer::stem(std::string_view term) {
  if (!enabled_) return empty_;
  if (auto it = cache_.find(term); it != cache_.end()) return it->second;
  if (cache_.size() >= kCacheLimit) cache_.clear();
  std::string key(term);
  std::string value = stem_(key);
  return cache_.emplace(std::move(key), std::move(value)).first->second;
}

}  // namespace dateline::text
