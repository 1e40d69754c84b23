/** @file
 *  @brief The one table of language names and their ISO 639-1 codes, for the reader (a record's `language`
 *  field: "Norwegian" -> "nb") and the indexer (a Snowball stemmer name -> the code stored with it).
 */
#pragma once

#include <array>
#include <string_view>

namespace dateline::languages {

/// A language by its English name in lower case (as Xapian 1.4's Snowball stemmers are named) and its
/// ISO 639-1 code.
struct Language {
  std::string_view name;
  std::string_view code;
};

/// Xapian 1.4's Snowball languages, and the few more a record may name. Norwegian is "nb" (Bokmål, the
/// written standard the Snowball stemmer follows).
inline constexpr std::array<Language, 31> kLanguages{{
    {"arabic", "ar"},     {"armenian", "hy"},   {"basque", "eu"},     {"belarusian", "be"},
    {"catalan", "ca"},    {"danish", "da"},     {"dutch", "nl"},      {"english", "en"},
    {"finnish", "fi"},    {"french", "fr"},     {"german", "de"},     {"greek", "el"},
    {"hindi", "hi"},      {"hungarian", "hu"},  {"indonesian", "id"}, {"irish", "ga"},
    {"italian", "it"},    {"lithuanian", "lt"}, {"nepali", "ne"},     {"norwegian", "nb"},
    {"polish", "pl"},     {"portuguese", "pt"}, {"romanian", "ro"},   {"russian", "ru"},
    {"serbian", "sr"},    {"spanish", "es"},    {"swedish", "sv"},    {"tamil", "ta"},
    {"turkish", "tr"},    {"ukrainian", "uk"},  {"yiddish", "yi"},
}};

/// The ISO 639-1 code of a language named in lower-case English ("norwegian" -> "nb"); empty when unknown.
constexpr std::string_view code_of(std::string_view name) {
  for (const Language& l : kLanguages) {
    if (l.name == name) return l.code;
  }
  return {};
}

/// The lower-case English name of an ISO 639-1 code ("nb" -> "norwegian"); empty when unknown.
constexpr std::string_view name_of(std::string_view code) {
  for (const Language& l : kLanguages) {
    if (l.code == code) return l.name;
  }
  return {};
}

}  // namespace dateline::languages
