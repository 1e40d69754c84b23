/** @file
 *  @brief Name spellings across scripts: a variant key shared by "Zelensky", "Zelenskyy", "Zelenskiy",
 *  "Зеленский" and "Зеленський" (and by "Kyiv", "Kiev", "Київ", "Киев"), the database table of index
 *  words per key, and user alias groups (--aliases).
 *
 *  The key is the word transliterated to ASCII with ICU (Cyrillic by the BGN/PCGN romanisation of its
 *  language: Ukrainian when it has і ї є ґ, Belarusian when it has ў, else Russian; any other script by
 *  "Any-Latin; Latin-ASCII"), lower-cased, then the spellings romanisations disagree on are merged:
 *  "x" -> "ks"; a final "j" after a vowel -> "y" ("Sergej"); the vowels before a final "v" that are all
 *  o/e/i/y -> "i" (Russian o/e against Ukrainian i: "Kharkov"/"Kharkiv", "Kiev"/"Kyiv"/"Kiyev"); any
 *  run of i/y after the first letter -> "i" ("Zelenskyy", "Zelenskiy" -> "zelenski", "Natalya" ->
 *  "natalia"). Cyrillic words have extra keys for their case-inflected forms (data/name_endings.txt:
 *  "Зеленского" is also keyed as "Зеленский"). Precision of the key on a corpus vocabulary: README.md
 *  "Names".
 */
#pragma once

#include <xapian.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

/// The variant key of one word (UTF-8, any case): ASCII lower-case letters only; empty when the word has
/// no letter or a digit (numbers and codes are never names).
std::string name_key(std::string_view word);

/// name_key() of the word, then for a Cyrillic word the keys of its nominative forms (data/
/// name_endings.txt), without duplicates, the word's own key first.
std::vector<std::string> name_keys(std::string_view word);

/// Metadata key prefix of the table: "dateline.names." + key -> the index words with that key, '\n'-joined.
inline constexpr std::string_view kMetaNamePrefix = "dateline.names.";
/// Metadata key set once the table is built: its value is the number of keys stored.
inline constexpr std::string_view kMetaNamesBuilt = "dateline.names";

/// Index words (unprefixed body terms) grouped by name key: every key shared by two or more words, or
/// whose one word is not the key itself ("київ" under "kiv"). A word spelt exactly as its key alone is
/// left out: lookup_name_variants() finds it by the term itself.
std::map<std::string, std::set<std::string>> name_variant_table(const Xapian::Database& db);

/// Writes name_variant_table() into `db`'s metadata (replacing an older table) and commits (unless
/// `commit` is false: the caller commits it with more). Call once a run of the indexer has committed its
/// documents. Returns the number of keys stored.
size_t store_name_variants(Xapian::WritableDatabase& db, bool commit = true);

/// The writing half of store_name_variants(): `table` (name_variant_table() of the database's terms, read
/// elsewhere, e.g. from the segments a database is merged from) into `db`'s metadata, replacing an older
/// table. Does not commit. Returns the number of keys stored.
size_t write_name_variants(Xapian::WritableDatabase& db, const std::map<std::string, std::set<std::string>>& table);

/// The index words sharing `key`: the stored group, plus `key` itself when it is an index word. Without a
/// stored table (a database indexed before it), the table is built from the terms on first use and kept
/// in `cache`.
std::vector<std::string> lookup_name_variants(const Xapian::Database& db, const std::string& key,
                                              std::shared_ptr<std::map<std::string, std::set<std::string>>>* cache);

/// lookup_name_variants()'s answer from what a stored table gives: the value of kMetaNamePrefix + `key` and
/// whether `key` is an index word (for reads made elsewhere, as at once over several connections).
std::vector<std::string> stored_name_variants(const std::string& key, const std::string& value, bool key_is_word);

/// CompileOptions::name_variants bound to a database (kept by reference: it must outlive the function).
/// Each key's answer is read once and kept for the function's lifetime (a searcher's open database): a
/// query's name words are looked up at every search, and on a remote shard each read is a round trip.
std::function<std::vector<std::string>(const std::string& key)> name_variant_lookup(const Xapian::Database& db);

/// User alias groups (--aliases FILE): one group per line, its names separated by "," or "|"; '#' starts a
/// comment. A group adds to what the keys merge ("Kyiv, Kiev, Kyyiv"); a line starting with "=" replaces
/// the key expansion of its names with exactly the group ("= Henri, Henry" keeps them to each other; "=
/// Henry" alone: never expanded). Matching is on the analysed words of a name, so an alias that
/// analyses to several words ("New York") is a group of phrases.
struct NameAliases {
  struct Group {
    std::vector<std::vector<std::string>> names;  ///< each name as its index words ("volodymyr", "zelensky")
    bool override_keys = false;                   ///< "=" line
    size_t line = 0;
  };
  std::vector<Group> groups;

  /// The groups holding a name made of exactly these words.
  std::vector<const Group*> groups_of(const std::vector<std::string>& words) const;
};

/// Reads an alias file. `analyze` turns a name into its index words (the database's Analyzer). Throws
/// std::runtime_error "FILE:LINE: reason" (empty group member, a name without words, a line of one name
/// that does not start with "="), or "FILE: cannot read" when it cannot be opened.
NameAliases read_name_aliases(const std::string& path,
                              const std::function<std::vector<std::string>(std::string_view)>& analyze);

/// Same from text (`source` names it in errors).
NameAliases parse_name_aliases(std::string_view text, const std::string& source,
                               const std::function<std::vector<std::string>(std::string_view)>& analyze);

}  // namespace dateline
