/** @file
 *  @brief Stemmer language names: a Snowball name or an ISO 639-1 code, validated against Xapian::Stem.
 */
#include "indexer/languages.h"

#include <xapian.h>

#include <string>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "base/errors.h"
#include "base/languages.h"

namespace dateline {

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
