/** @file
 *  @brief Stemmer languages: the names --language accepts and the ISO 639-1 code stored with each document.
 */
#pragma once

#include <string>
#include <string_view>

namespace dateline {

/// The Snowball name for a stemmer language given as a name or ISO 639-1 code ("en" -> "english",
/// "none" -> "none"); throws UsageError listing the available languages when unknown.
std::string canonical_language(std::string_view language);

/// The ISO 639-1 code of a Snowball stemmer name ("english" -> "en", "german2" -> "de"), empty when
/// none (e.g. "none").
std::string language_code(std::string_view snowball_name);

}  // namespace dateline
