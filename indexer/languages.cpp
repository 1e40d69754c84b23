/** @file
 *  @brief Stemmer language names: Snowball names <-> ISO 639-1 codes, validated against Xapian::Stem.
 */
#include "indexer/languages.h"

#include <xapian.h>

#include <array>
#include <string>
#include <utility>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "base/errors.h"
#include "base/languages.h"

namespace dateline {

namespace {

// Xapian 1.4's Snowball stemmer variants and the language they stem (the languages: base/languages.h).
constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kVariants{{
    {"earlyenglish", "english"}, {"porter", "english"}, {"lovins", "english"}, {"german2", "german"},
    {"kraaij_pohlmann", "dutch"},
}};

}  // namespace

std::string language_code(std::string_view snowball_name) {
  for (const auto& [variant, language] : kVariants) {
    if (variant == snowball_name) return std::string(languages::code_of(language));
  }
  return std::string(languages::code_of(snowball_name));
}

std::string canonical_language(std::string_view language) {
  std::string lower = schema::normalise_boolean(language);
  if (lower == "none") return lower;
  if (lower.empty())
    throw UsageError("--language needs a value (available: " + available_languages() + ", or none)");
  std::string name = lower;
  if (std::string_view n = languages::name_of(lower); !n.empty()) name = std::string(n);
  try {
    Xapian::Stem stem(name);
    (void)stem;
  } catch (const Xapian::Error&) {
    throw UsageError("unknown --language \"" + std::string(language) +
                     "\" (available: " + available_languages() + ", or none)");
  }
  return name;
}

}  // namespace dateline
