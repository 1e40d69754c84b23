/** @file
 *  @brief Name variant keys (ICU transliteration + romanisation rules), the key -> words table of a
 *  database, and user alias files.
 */
#include "analyzers/names.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "analyzers/data.h"

namespace dateline {
namespace {

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// The romanisation rules on lower-case ASCII letters (names.h).
std::string ascii_key(std::string s) {
  // "x" between vowels -> "ks" ("Alexei", "Aleksei"; "Marx", "box" and "asx" keep theirs).
  std::string t;
  t.reserve(s.size() + 2);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 'x' && i > 0 && i + 1 < s.size() && is_vowel(s[i - 1]) && is_vowel(s[i + 1])) {
      t += "ks";
    } else {
      t += s[i];
    }
  }
  s = std::move(t);
  // In a word of 5 letters or more, "j" after a vowel and before a consonant or the end -> "y" ("Sergej",
  // "Zelenskij", "Yurij"; "raj", "haj" stay).
  for (size_t i = 1; s.size() >= 5 && i < s.size(); ++i) {
    if (s[i] == 'j' && is_vowel(s[i - 1]) && (i + 1 == s.size() || !is_vowel(s[i + 1]))) s[i] = 'y';
  }
  const size_t n = s.size();
  // The vowels of a final "-Vv" syllable that are all o/e/i/y -> "i" ("Kharkov" -> "kharkiv", "Kiev",
  // "Kiyev", "Kyyiv" -> "kiv"), when a consonant stands before them (words of 4 letters or more: "Nov"
  // and "Rev" stay).
  if (n >= 4 && s.back() == 'v') {
    size_t b = n - 1;
    while (b > 0 && is_vowel(s[b - 1])) --b;
    bool oeiy = b < n - 1;
    for (size_t i = b; i + 1 < n; ++i) {
      if (s[i] != 'o' && s[i] != 'e' && s[i] != 'i' && s[i] != 'y') oeiy = false;
    }
    if (oeiy && b > 0) return s.substr(0, b) + "iv";
  }
  // In a word of 5 letters or more, final "-yy", "-iy", "-yi", "-ii" -> "-i" ("Zelenskyy", "Zelenskiy",
  // "Serhii"; the numerals "cdii", "xvii" stay); in a word of 6 letters
  // or more, a final "y" after a consonant or a vowel -> "i" ("Zelensky", "Dmitry", "Sergey", "Nikolay":
  // short words such as "day", "many" and "July" keep their "y").
  if (n >= 5) {
    const std::string_view end = std::string_view(s).substr(n - 2);
    if (end == "yy" || end == "iy" || end == "yi" || end == "ii") {
      s.resize(n - 1);
      s.back() = 'i';
    } else if (n >= 6 && s.back() == 'y') {
      s.back() = 'i';
    }
  }
  // "y" between a consonant and "a"/"u" inside a word -> "i" ("Natalya", "Maryana", "Bryan", "riyal").
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == 'y' && !is_vowel(s[i - 1]) && (s[i + 1] == 'a' || s[i + 1] == 'u')) s[i] = 'i';
  }
  // "iya" of "Nataliya", "Mariya" -> "ia".
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 'y' && i > 0 && s[i - 1] == 'i' && i + 1 < s.size() && (s[i + 1] == 'a' || s[i + 1] == 'u'))
      continue;
    out += s[i];
  }
  return out;
}

enum class Cyrillic { kNone, kRussian, kUkrainian, kBelarusian };

Cyrillic cyrillic_kind(const icu::UnicodeString& w) {
  bool cyr = false;
  Cyrillic kind = Cyrillic::kRussian;
  for (int32_t i = 0; i < w.length(); i = w.moveIndex32(i, 1)) {
    UChar32 c = w.char32At(i);
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(c, &status) == USCRIPT_CYRILLIC) cyr = true;
    UChar32 low = u_tolower(c);
    if (low == 0x0456 || low == 0x0457 || low == 0x0454 || low == 0x0491) kind = Cyrillic::kUkrainian;  // і ї є ґ
    if (low == 0x045E) kind = Cyrillic::kBelarusian;                                                  // ў
  }
  return cyr ? kind : Cyrillic::kNone;
}

// One transliterator per rule set and thread (ICU transliterators are not thread-safe).
icu::Transliterator* transliterator(const char* id) {
  thread_local std::map<std::string, std::unique_ptr<icu::Transliterator>> cache;
  auto it = cache.find(id);
  if (it != cache.end()) return it->second.get();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
  if (U_FAILURE(status)) t.reset();
  return cache.emplace(id, std::move(t)).first->second.get();
}

// The word in lower-case ASCII letters (non-letters dropped); empty when it holds a digit.
// `ukrainian`: read Cyrillic without Ukrainian letters as Ukrainian too ("Володимир" -> "Volodymyr").
std::string romanise(const icu::UnicodeString& word, bool ukrainian) {
  icu::UnicodeString w(word);
  bool ascii = true;
  for (int32_t i = 0; i < w.length(); ++i) {
    if (w[i] >= 0x80) ascii = false;
  }
  if (!ascii) {
    const char* script = nullptr;
    switch (cyrillic_kind(w)) {
      case Cyrillic::kUkrainian:
        script = "Ukrainian-Latin/BGN";
        break;
      case Cyrillic::kBelarusian:
        script = "Belarusian-Latin/BGN";
        break;
      case Cyrillic::kRussian:
        script = ukrainian ? "Ukrainian-Latin/BGN" : "Russian-Latin/BGN";
        break;
      case Cyrillic::kNone:
        break;
    }
    w.toLower();  // BGN romanises word-initial and capital letters alike once lower-cased
    if (script != nullptr) {
      if (icu::Transliterator* t = transliterator(script)) t->transliterate(w);
    }
    if (icu::Transliterator* t = transliterator("Any-Latin; Latin-ASCII")) t->transliterate(w);
  }
  std::string out;
  for (int32_t i = 0; i < w.length(); ++i) {
    char16_t c = w[i];
    // Numbers, abbreviations ("u.s", "a.d") and contractions ("we'll", "i'd") are never names.
    if ((c >= '0' && c <= '9') || c == '.' || (ascii && c == '\'')) return {};
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') out += static_cast<char>(c);
  }
  return out;
}

struct Ending {
  icu::UnicodeString ending, nominative;
};

const std::vector<Ending>& endings() {
  static const std::vector<Ending> rules = [] {
    std::vector<Ending> out;
    std::istringstream in{std::string(data::name_endings())};
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string::npos) continue;
      out.push_back({icu::UnicodeString::fromUTF8(line.substr(0, tab)),
                     icu::UnicodeString::fromUTF8(line.substr(tab + 1))});
    }
    return out;
  }();
  return rules;
}

std::string key_of(const icu::UnicodeString& w, bool ukrainian = false) {
  std::string r = romanise(w, ukrainian);
  return r.empty() ? r : ascii_key(std::move(r));
}

bool is_body_word(const std::string& term) {
  // Unprefixed terms: prefixes are upper-case ASCII (schema.h); a term starting with one is prefixed.
  return !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

std::string name_key(std::string_view word) {
  return key_of(icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))));
}

std::vector<std::string> name_keys(std::string_view word) {
  icu::UnicodeString w = icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  std::vector<std::string> keys;
  std::string own = key_of(w);
  if (own.empty()) return keys;
  keys.push_back(own);
  if (cyrillic_kind(w) == Cyrillic::kNone) return keys;
  // Cyrillic without і ї є ґ ў may be Ukrainian as well as Russian ("Володимир"): keyed both ways.
  const bool both = cyrillic_kind(w) == Cyrillic::kRussian;
  auto add = [&](const icu::UnicodeString& form) {
    for (bool ukrainian : {false, true}) {
      if (ukrainian && !both) break;
      std::string k = key_of(form, ukrainian);
      if (!k.empty() && std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    }
  };
  add(w);
  icu::UnicodeString low(w);
  low.toLower();
  for (const Ending& e : endings()) {
    if (!low.endsWith(e.ending) || low.countChar32() - e.ending.countChar32() < 3) continue;
    icu::UnicodeString nominative(low, 0, low.length() - e.ending.length());
    nominative += e.nominative;
    add(nominative);
  }
  return keys;
}

std::map<std::string, std::set<std::string>> name_variant_table(const Xapian::Database& db) {
  std::map<std::string, std::set<std::string>> table;
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
    std::string term = *it;
    if (!is_body_word(term) || term.size() > 120) continue;
    for (const std::string& k : name_keys(term)) table[k].insert(term);
  }
  for (auto it = table.begin(); it != table.end();) {
    if (it->second.size() == 1 && *it->second.begin() == it->first) {
      it = table.erase(it);
    } else {
      ++it;
    }
  }
  return table;
}

size_t store_name_variants(Xapian::WritableDatabase& db, bool commit) {
  const size_t stored = write_name_variants(db, name_variant_table(db));
  if (commit) db.commit();
  return stored;
}

size_t write_name_variants(Xapian::WritableDatabase& db, const std::map<std::string, std::set<std::string>>& table) {
  const std::string prefix(kMetaNamePrefix);
  std::vector<std::string> stale;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    if (table.count((*it).substr(prefix.size())) == 0) stale.push_back(*it);
  }
  for (const std::string& k : stale) db.set_metadata(k, "");
  size_t stored = 0;
  for (const auto& [key, words] : table) {
    if (prefix.size() + key.size() > 200) continue;  // Xapian metadata keys stop at 245 bytes
    std::string value;
    for (const std::string& w : words) {
      if (!value.empty()) value += '\n';
      value += w;
    }
    db.set_metadata(prefix + key, value);
    ++stored;
  }
  db.set_metadata(std::string(kMetaNamesBuilt), std::to_string(stored));
  return stored;
}

namespace {

// lookup_name_variants(), with whether the table is stored already known.
std::vector<std::string> variants_of(const Xapian::Database& db, const std::string& key, bool stored,
                                     std::shared_ptr<std::map<std::string, std::set<std::string>>>* cache) {
  if (key.empty()) return {};
  if (stored) {
    const std::string value = db.get_metadata(std::string(kMetaNamePrefix) + key);
    return stored_name_variants(key, value, db.term_exists(key));
  }
  std::set<std::string> words;
  if (cache != nullptr) {
    if (!*cache) *cache = std::make_shared<std::map<std::string, std::set<std::string>>>(name_variant_table(db));
    auto it = (*cache)->find(key);
    if (it != (*cache)->end()) words = it->second;
  }
  if (db.term_exists(key)) words.insert(key);
  return {words.begin(), words.end()};
}

}  // namespace

std::vector<std::string> stored_name_variants(const std::string& key, const std::string& value, bool key_is_word) {
  std::set<std::string> words;
  if (key.empty()) return {};
  size_t b = 0;
  while (b < value.size()) {
    size_t e = value.find('\n', b);
    if (e == std::string::npos) e = value.size();
    words.insert(value.substr(b, e - b));
    b = e + 1;
  }
  if (key_is_word) words.insert(key);
  return {words.begin(), words.end()};
}

std::vector<std::string> lookup_name_variants(const Xapian::Database& db, const std::string& key,
                                              std::shared_ptr<std::map<std::string, std::set<std::string>>>* cache) {
  if (key.empty()) return {};
  return variants_of(db, key, !db.get_metadata(std::string(kMetaNamesBuilt)).empty(), cache);
}

std::function<std::vector<std::string>(const std::string& key)> name_variant_lookup(const Xapian::Database& db) {
  auto cache = std::make_shared<std::shared_ptr<std::map<std::string, std::set<std::string>>>>();
  auto answers = std::make_shared<std::map<std::string, std::vector<std::string>>>();
  auto stored = std::make_shared<std::optional<bool>>();
  return [&db, cache, answers, stored](const std::string& key) {
    auto it = answers->find(key);
    if (it == answers->end()) {
      if (!*stored) *stored = !db.get_metadata(std::string(kMetaNamesBuilt)).empty();
      it = answers->emplace(key, variants_of(db, key, **stored, cache.get())).first;
    }
    return it->second;
  };
}

std::vector<const NameAliases::Group*> NameAliases::groups_of(const std::vector<std::string>& words) const {
  std::vector<const Group*> out;
  for (const Group& g : groups) {
    if (std::find(g.names.begin(), g.names.end(), words) != g.names.end()) out.push_back(&g);
  }
  return out;
}

NameAliases parse_name_aliases(std::string_view text, const std::string& source,
                               const std::function<std::vector<std::string>(std::string_view)>& analyze) {
  NameAliases out;
  size_t line_no = 0;
  size_t b = 0;
  while (b <= text.size()) {
    size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(b, e - b);
    b = e + 1;
    ++line_no;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    std::string body = trim(line);
    if (body.empty()) {
      if (e == text.size()) break;
      continue;
    }
    NameAliases::Group g;
    g.line = line_no;
    if (body[0] == '=') {
      g.override_keys = true;
      body = trim(std::string_view(body).substr(1));
    }
    auto fail = [&](const std::string& why) {
      throw std::runtime_error(source + ":" + std::to_string(line_no) + ": " + why);
    };
    size_t p = 0;
    while (p <= body.size()) {
      size_t q = body.find_first_of(",|", p);
      if (q == std::string::npos) q = body.size();
      std::string name = trim(std::string_view(body).substr(p, q - p));
      p = q + 1;
      if (name.empty()) fail("empty name in the group (two separators in a row, or one at an end)");
      std::vector<std::string> words = analyze(name);
      if (words.empty()) fail("'" + name + "' has no words to match");
      if (std::find(g.names.begin(), g.names.end(), words) == g.names.end()) g.names.push_back(std::move(words));
      if (q == body.size()) break;
    }
    if (g.names.size() < 2 && !g.override_keys) {
      fail("a group needs two names or more (\"= NAME\" alone keeps one name from being expanded)");
    }
    out.groups.push_back(std::move(g));
    if (e == text.size()) break;
  }
  return out;
}

NameAliases read_name_aliases(const std::string& path,
                              const std::function<std::vector<std::string>(std::string_view)>& analyze) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the alias file");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw std::runtime_error(path + ": cannot read the alias file");
  return parse_name_aliases(s.str(), path, analyze);
}

}  // namespace dateline
