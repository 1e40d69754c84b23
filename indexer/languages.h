/** @file
 *  @brief Stemmer languages: the names and ISO 639-1 codes --language accepts.
 */
#pragma once

#include <string>
#include <string_view>

namespace dateline {

/// The Snowball name for a stemmer language given as a name or ISO 639-1 code ("en" -> "english",
/// "none" -> "none"); throws UsageError listing the available languages when unknown.
std::string canonical_language(std::string_view language);

}  // namespace dateline
