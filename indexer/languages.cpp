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

namespace dateline {

namespace {

// Snowball stemmers of Xapian 1.4 and the ISO 639-1 code of their language. Variants (porter,
// lovins, german2, kraaij_pohlmann...) map to their language; the first row of a code is canonical.
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kLanguages{{
    {"arabic", "ar"},          {"armenian", "hy"},   {"basque", "eu"},    {"catalan", "ca"},
    {"danish", "da"},          {"dutch", "nl"},      {"english", "en"},   {"finnish", "fi"},
    {"french", "fr"},          {"german", "de"},     {"greek", "el"},     {"hindi", "hi"},
    {"hungarian", "hu"},       {"indonesian", "id"}, {"irish", "ga"},     {"italian", "it"},
    {"lithuanian", "lt"},      {"nepali", "ne"},     {"norwegian", "nb"}, {"portuguese", "pt"},
    {"romanian", "ro"},        {"russian", "ru"},    {"serbian", "sr"},   {"spanish", "es"},
    {"swedish", "sv"},         {"tamil", "ta"},      {"turkish", "tr"},   {"yiddish", "yi"},
    {"earlyenglish", "en"},    {"porter", "en"},     {"lovins", "en"},    {"german2", "de"},
    {"kraaij_pohlmann", "nl"},
}};

}  // namespace

std::string language_code(std::string_view snowball_name) {
  for (const auto& [name, code] : kLanguages) {
    if (name == snowball_name) return std::string(code);
  }
  return {};
}

std::string canonical_language(std::string_view language) {
  std::string lower = schema::normalise_boolean(language);
  if (lower == "none") return lower;
  if (lower.empty())
    throw UsageError("--language needs a value (available: " + available_languages() + ", or none)");
  std::string name = lower;
  for (const auto& [n, code] : kLanguages) {
    if (code == lower) {
      name = std::string(n);
      break;
    }
  }
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
