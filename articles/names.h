/** @file
 *  @brief Name words for the people/outlet extractors: UTF-8 letter case, titles, lexicons, person names.
 *
 *  Internal to dateline_articles (used by outlets.cpp and people.cpp). The lexicons come from the
 *  embedded data files (data/titles.txt, data/photo_agencies.txt) and from ICU's English country names;
 *  each is parsed once, on first use, into function-local statics (thread-safe).
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::names {

// ---- UTF-8 text helpers -------------------------------------------------------------------------

/// Unicode full case folding of UTF-8 text ("Ｌukashenko" stays itself, "ÉTÉ" -> "été"). Invalid bytes
/// become U+FFFD.
std::string fold(std::string_view utf8);

/// First letter of `word` is upper or title case (any script: "Lukashenko", "Лукашенко", "Ülkü").
/// Leading non-letters are skipped ("(Reuters" -> true); false when there is no letter.
bool starts_upper(std::string_view word);

/// First letter of `word` is lower case.
bool starts_lower(std::string_view word);

/// At least two letters and none of them lower case ("ISW", "U.S.", "NATO", "AWACS").
bool is_all_caps(std::string_view word);

/// Has at least one letter.
bool has_letter(std::string_view word);

/// Has at least one decimal digit.
bool has_digit(std::string_view word);

/// First code point of a UTF-8 string (U+FFFD on bad bytes, 0 when empty).
char32_t first_code_point(std::string_view s);

/// Strips ASCII and Unicode white space (incl. U+00A0 NO-BREAK SPACE) from both ends.
std::string_view trim(std::string_view s);

/// Trims and collapses every run of white space into one ASCII space.
std::string collapse_spaces(std::string_view s);

/// Splits at white space; empty pieces are dropped.
std::vector<std::string> split_words(std::string_view s);

/// Splits into lines at \n (a trailing \r is dropped); keeps empty lines so indices are line numbers-1.
std::vector<std::string_view> split_lines(std::string_view text);

/// Joins with single spaces.
std::string join(const std::vector<std::string>& words, size_t begin = 0, size_t end = std::string::npos);

/// "DAVID R. SANDS" -> "David R. Sands": words in all capitals are title-cased, others kept.
std::string title_case_caps(std::string_view name);

/// Removes surrounding punctuation other than a final "." of an initial or abbreviation
/// ("Sands," -> "Sands", "(Reuters)" -> "Reuters", "R." -> "R.").
std::string_view strip_punct(std::string_view word);

// ---- Lexicons -----------------------------------------------------------------------------------

/// Number of words of the longest title (data/titles.txt, kind "title") starting at words[i]
/// ("Lt. Col. Ivan Petrov" at 0 -> 2); 0 when none. Case-insensitive, a trailing "." optional.
size_t title_length(const std::vector<std::string>& words, size_t i);

/// Same for byline job words (kind "role": "Staff Writer", "Correspondent").
size_t role_length(const std::vector<std::string>& words, size_t i);

/// Number of words of a modifier (kind "modifier": "Belarusian", "South Korean", "Former") at words[i].
size_t modifier_length(const std::vector<std::string>& words, size_t i);

/// Number of words of an English country name (ICU display names plus common short forms: "U.S.",
/// "Britain") at words[i]; 0 when none.
size_t country_length(const std::vector<std::string>& words, size_t i);

/// Is the whole of `name` a country name?
bool is_country(std::string_view name);

/// The names of data/photo_agencies.txt as the file spells them (trimmed; comments and blank lines skipped),
/// read once. is_photo_agency() and the caption rules (passages.cpp) both match against these.
const std::vector<std::string_view>& photo_agency_names();

/// Is `name` a photo agency or credit word (data/photo_agencies.txt)?
bool is_photo_agency(std::string_view name);

/// Capitalised function words, sentence adverbs, weekdays and months: never part of a name
/// ("However", "But", "On", "Thursday", "February", "The").
bool is_stopword(std::string_view word);

/// Lower-case words allowed inside a name between capitalised words: particles ("van", "de", "al",
/// "bin") and, for organisations, "of", "for", "the", "and", "on", "&".
bool is_connector(std::string_view word);

/// Name particles only ("van", "von", "de", "der", "al", "bin", ...).
bool is_particle(std::string_view word);

/// Head nouns that make a capitalised phrase an organisation ("Institute", "Project", "Council").
bool is_org_word(std::string_view word);

/// Personal pronouns that can stand for a named speaker ("he", "she", "He", "She").
bool is_person_pronoun(std::string_view word);

// ---- Names --------------------------------------------------------------------------------------

/// A name-shaped word: starts upper case (or is an initial like "R."), no digits.
bool is_name_word(std::string_view word);

/// Strips leading stopwords, modifiers, titles ("President", "Defense Minister") and "of <Country>"
/// from a capitalised phrase: "Belarusian Defense Minister Viktor Khrenin" -> "Viktor Khrenin",
/// "President of Belarus Alexander Lukashenko" -> "Alexander Lukashenko", "The Institute for the Study
/// of War" -> "Institute for the Study of War". Titles stay when nothing name-like follows them or the
/// phrase is an organisation ("General Staff"). Sets `*plural` when the phrase began with "Both".
std::vector<std::string> strip_titles(std::vector<std::string> words, bool* plural = nullptr);

/// Is this (title-stripped) phrase an organisation rather than a person: it holds a connector like
/// "of"/"for"/"and", or an organisation head word, or it is an acronym?
bool is_org_name(const std::vector<std::string>& words);

/// A person's name as bylines write it: 2-4 name words (initials "R." and particles "van", "de"
/// allowed, hyphens, apostrophes, any script), no titles, stopwords, roles or outlets. Returns it
/// tidied (spaces collapsed, all-caps words title-cased), or std::nullopt.
std::optional<std::string> person_name(std::string_view text);

}  // namespace dateline::names
