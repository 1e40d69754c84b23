/** @file
 *  @brief Name words for the people/outlet extractors: UTF-8 letter case, titles, lexicons, person names.
 */
#include "articles/names.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <set>
#include <unordered_set>

#include "articles/data.h"
#include "articles/outlets.h"
#include "base/ascii.h"
#include "base/utf8.h"

namespace dateline::names {
namespace {

// Decodes the code point at byte `i` of `s` and advances `i`; U+FFFD for invalid bytes.
// An invalid sequence is skipped as one maximal subpart (the U8_NEXT policy), not byte by byte.
char32_t next_cp(std::string_view s, size_t& i) {
  if (auto b = static_cast<unsigned char>(s[i]); b < 0x80) {
    ++i;
    return b;
  }
  utf8::Decoded d = utf8::decode(s, i);
  i += d.valid ? d.length : utf8::invalid_length(s, i);
  return d.code_point;
}

bool is_space_cp(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= U'\t' && c <= U'\r');  // White_Space in ASCII, without ICU
  return u_isUWhiteSpace(static_cast<UChar32>(c)) || c == U'\u00A0';
}

bool is_letter_cp(char32_t c) {
  return u_isalpha(static_cast<UChar32>(c)) != 0;
}

// One word of a lexicon phrase key: folded, trailing dots dropped. A phrase's key is its words' keys joined
// by single spaces.
std::string key_word(std::string_view word) {
  std::string w = fold(word);
  while (!w.empty() && w.back() == '.') w.pop_back();
  return w;
}

// A key word that keeps the key's words apart: not empty, no space. Keys made of such words start with the
// key of their first words only, which lets longest_at() stop at the first word no phrase starts with.
bool plain_key_word(std::string_view w) {
  return !w.empty() && w.find(' ') == std::string_view::npos;
}

struct PhraseSet {
  std::unordered_set<std::string> keys;
  std::unordered_set<std::string> heads;  // keys of the first 1..n-1 words of every phrase
  size_t max_words = 0;
  bool prunable = true;  // every phrase's key words are plain (see plain_key_word)

  void add(std::string_view phrase) {
    std::vector<std::string> w = split_words(phrase);
    if (w.empty()) return;
    std::string key;
    for (size_t i = 0; i < w.size(); ++i) {
      std::string k = key_word(w[i]);
      prunable = prunable && plain_key_word(k);
      if (!key.empty()) key += ' ';
      key += k;
      if (i + 1 < w.size()) heads.insert(key);
    }
    keys.insert(std::move(key));
    max_words = std::max(max_words, w.size());
  }
  // The longest phrase at words[i], as the number of its words. The key grows a word at a time (each word
  // folded once); with plain words on both sides, a key that neither is a phrase nor begins one cannot
  // grow into one, so the search stops there.
  size_t longest_at(const std::vector<std::string>& words, size_t i) const {
    if (i >= words.size()) return 0;
    size_t n = std::min(max_words, words.size() - i);
    size_t best = 0;
    bool plain = prunable;
    std::string key;
    for (size_t len = 1; len <= n; ++len) {
      std::string w = key_word(words[i + len - 1]);
      plain = plain && plain_key_word(w);
      if (!key.empty()) key += ' ';
      key += w;
      if (keys.count(key) != 0) best = len;
      if (plain && heads.count(key) == 0) break;
    }
    return best;
  }
};

struct TitleLexicon {
  PhraseSet titles, modifiers, roles;
};

// data/titles.txt: KIND<TAB>PHRASE lines; '#' comments.
const TitleLexicon& title_lexicon() {
  static const TitleLexicon lex = [] {
    TitleLexicon l;
    for (std::string_view line : split_lines(data::titles())) {
      line = trim(line);
      if (line.empty() || line.front() == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      std::string_view kind = trim(line.substr(0, tab));
      std::string_view phrase = trim(line.substr(tab + 1));
      if (kind == "title")
        l.titles.add(phrase);
      else if (kind == "modifier")
        l.modifiers.add(phrase);
      else if (kind == "role")
        l.roles.add(phrase);
    }
    return l;
  }();
  return lex;
}

// English country names from ICU's locale data (not a hand list), without parenthetical parts
// ("Myanmar (Burma)" -> "Myanmar"), plus the short forms news copy uses.
const PhraseSet& countries() {
  static const PhraseSet set = [] {
    PhraseSet s;
    for (const char* const* code = icu::Locale::getISOCountries(); code != nullptr && *code != nullptr;
         ++code) {
      icu::UnicodeString display;
      icu::Locale("", *code).getDisplayCountry(icu::Locale::getEnglish(), display);
      std::string name;
      display.toUTF8String(name);
      if (size_t paren = name.find(" ("); paren != std::string::npos) name.resize(paren);
      if (name.find(" - ") != std::string::npos || name.find('&') != std::string::npos) continue;
      if (!name.empty() && name != *code) s.add(name);
    }
    for (const char* extra : {"U.S.", "US", "USA", "U.S.A.", "United States of America", "America", "Britain",
                              "Great Britain", "U.K.", "UK", "England", "Scotland", "Wales", "Turkey",
                              "Czech Republic", "Holland", "Soviet Union", "USSR", "Crimea"}) {
      s.add(extra);
    }
    return s;
  }();
  return set;
}

const std::unordered_set<std::string>& photo_agency_set() {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> s;
    for (std::string_view name : photo_agency_names()) s.insert(collapse_spaces(fold(name)));
    return s;
  }();
  return set;
}

const std::unordered_set<std::string_view>& stopword_set() {
  static const std::unordered_set<std::string_view> set = {"the",         "a",
                                                           "an",          "but",
                                                           "and",         "or",
                                                           "nor",         "however",
                                                           "meanwhile",   "on",
                                                           "in",          "at",
                                                           "by",          "for",
                                                           "from",        "to",
                                                           "of",          "with",
                                                           "as",          "after",
                                                           "before",      "since",
                                                           "when",        "while",
                                                           "if",          "because",
                                                           "although",    "though",
                                                           "despite",     "during",
                                                           "besides",     "unlike",
                                                           "also",        "then",
                                                           "later",       "earlier",
                                                           "now",         "still",
                                                           "yet",         "so",
                                                           "instead",     "separately",
                                                           "above",       "below",
                                                           "both",        "this",
                                                           "that",        "these",
                                                           "those",       "there",
                                                           "here",        "it",
                                                           "its",         "he",
                                                           "she",         "they",
                                                           "we",          "i",
                                                           "you",         "his",
                                                           "her",         "their",
                                                           "our",         "my",
                                                           "your",        "who",
                                                           "what",        "where",
                                                           "why",         "how",
                                                           "which",       "last",
                                                           "next",        "today",
                                                           "yesterday",   "tomorrow",
                                                           "tonight",     "monday",
                                                           "tuesday",     "wednesday",
                                                           "thursday",    "friday",
                                                           "saturday",    "sunday",
                                                           "january",     "february",
                                                           "march",       "april",
                                                           "may",         "june",
                                                           "july",        "august",
                                                           "september",   "october",
                                                           "november",    "december",
                                                           "jan",         "feb",
                                                           "mar",         "apr",
                                                           "jun",         "jul",
                                                           "aug",         "sep",
                                                           "sept",        "oct",
                                                           "nov",         "dec",
                                                           "asked",       "speaking",
                                                           "according",   "updated",
                                                           "published",   "source",
                                                           "photo",       "video",
                                                           "read",        "more",
                                                           "click",       "advertisement",
                                                           "related",     "note",
                                                           "not",         "no",
                                                           "yes",         "all",
                                                           "some",        "many",
                                                           "most",        "every",
                                                           "each",        "other",
                                                           "another",     "such",
                                                           "just",        "even",
                                                           "only",        "like",
                                                           "unlike",      "among",
                                                           "between",     "without",
                                                           "within",      "under",
                                                           "over",        "into",
                                                           "about",       "around",
                                                           "through",     "across",
                                                           "against",     "amid",
                                                           "per",         "via",
                                                           "following",   "including",
                                                           "please",      "thank",
                                                           "thanks",      "whether",
                                                           "again",       "already",
                                                           "once",        "first",
                                                           "finally",     "indeed",
                                                           "overall",     "moreover",
                                                           "furthermore", "therefore",
                                                           "thus",        "otherwise",
                                                           "anyway",      "still",
                                                           "perhaps",     "maybe",
                                                           "why",         "subscribe",
                                                           "share",       "comments",
                                                           "watch",       "listen",
                                                           "follow",      "sign",
                                                           "log",         "home",
                                                           "will",        "would",
                                                           "can",         "could",
                                                           "should",      "must",
                                                           "might",       "shall",
                                                           "is",          "are",
                                                           "was",         "were",
                                                           "be",          "has",
                                                           "have",        "had",
                                                           "do",          "does",
                                                           "did",         "let",
                                                           "one",         "two",
                                                           "three",       "several",
                                                           "few",         "any",
                                                           "none"};
  return set;
}

// Is fold(word) in `set`? Short ASCII words (most of them) are lowered on the stack: fold() of ASCII is
// ascii::lower(), so the answer is the same without a string per call.
bool has_folded(const std::unordered_set<std::string_view>& set, std::string_view word) {
  char buf[48];
  if (word.size() <= sizeof buf &&
      std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    for (size_t i = 0; i < word.size(); ++i) buf[i] = ascii::lower(word[i]);
    return set.count(std::string_view(buf, word.size())) != 0;
  }
  return set.count(fold(word)) != 0;
}

bool is_month_or_weekday(std::string_view folded) {
  static const std::unordered_set<std::string_view> set = {
      "monday",  "tuesday",   "wednesday", "thursday", "friday",  "saturday", "sunday",
      "january", "february",  "march",     "april",    "may",     "june",     "july",
      "august",  "september", "october",   "november", "december"};
  return set.count(folded) != 0;
}

}  // namespace

// ---- UTF-8 text helpers -------------------------------------------------------------------------

std::string fold(std::string_view utf8) {
  bool ascii =
      std::all_of(utf8.begin(), utf8.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return ascii::lower(utf8);  // fast path: most of the text
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  u.foldCase();
  std::string out;
  u.toUTF8String(out);
  return out;
}

char32_t first_code_point(std::string_view s) {
  if (s.empty()) return 0;
  size_t i = 0;
  return next_cp(s, i);
}

bool starts_upper(std::string_view word) {
  for (size_t i = 0; i < word.size();) {
    // ASCII without ICU: only A-Z and a-z are letters there, and no ASCII letter is title case.
    if (auto b = static_cast<unsigned char>(word[i]); b < 0x80) {
      if (b >= 'A' && b <= 'Z') return true;
      if (b >= 'a' && b <= 'z') return false;
      ++i;
      continue;
    }
    char32_t c = next_cp(word, i);
    if (is_letter_cp(c)) return u_isupper(static_cast<UChar32>(c)) || u_istitle(static_cast<UChar32>(c));
  }
  return false;
}

bool starts_lower(std::string_view word) {
  for (size_t i = 0; i < word.size();) {
    if (auto b = static_cast<unsigned char>(word[i]); b < 0x80) {
      if (b >= 'a' && b <= 'z') return true;
      if (b >= 'A' && b <= 'Z') return false;
      ++i;
      continue;
    }
    char32_t c = next_cp(word, i);
    if (is_letter_cp(c)) return u_islower(static_cast<UChar32>(c)) != 0;
  }
  return false;
}

bool is_all_caps(std::string_view word) {
  size_t letters = 0;
  for (size_t i = 0; i < word.size();) {
    if (auto b = static_cast<unsigned char>(word[i]); b < 0x80) {
      if (b >= 'a' && b <= 'z') return false;
      if (b >= 'A' && b <= 'Z') ++letters;
      ++i;
      continue;
    }
    char32_t c = next_cp(word, i);
    if (!is_letter_cp(c)) continue;
    if (u_islower(static_cast<UChar32>(c))) return false;
    ++letters;
  }
  return letters >= 2;
}

bool has_letter(std::string_view word) {
  for (size_t i = 0; i < word.size();) {
    if (auto b = static_cast<unsigned char>(word[i]); b < 0x80) {
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) return true;
      ++i;
      continue;
    }
    if (is_letter_cp(next_cp(word, i))) return true;
  }
  return false;
}

bool has_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view trim(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    size_t j = b;
    if (!is_space_cp(next_cp(s, j))) break;
    b = j;
  }
  size_t e = s.size();
  while (e > b) {
    // Step back to the start of the previous code point.
    size_t k = utf8::previous_boundary(s, e - 1, b);
    size_t j = k;
    if (!is_space_cp(next_cp(s, j))) break;
    e = k;
  }
  return s.substr(b, e - b);
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool pending_space = false;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t c = next_cp(s, i);
    if (is_space_cp(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out.append(s.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> split_words(std::string_view s) { return ascii::split(collapse_spaces(s), ' '); }

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t b = 0;
  while (b <= text.size()) {
    size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(b, e - b);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (e == text.size()) break;
    b = e + 1;
  }
  return lines;
}

std::string join(const std::vector<std::string>& words, size_t begin, size_t end) {
  std::string out;
  end = std::min(end, words.size());
  for (size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

std::string title_case_caps(std::string_view name) {
  std::string out;
  for (const std::string& w : split_words(name)) {
    if (!out.empty()) out += ' ';
    if (!is_all_caps(w) || w.size() <= 2 || (w.size() == 2 && w[1] == '.')) {
      out += w;
      continue;
    }
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(w.data(), static_cast<int32_t>(w.size())));
    u.toLower();
    // Upper-case the first letter and every letter after a hyphen or apostrophe ("JEAN-LUC" -> "Jean-Luc").
    bool next_upper = true;
    for (int32_t k = 0; k < u.length(); ++k) {
      UChar c = u.charAt(k);
      if (next_upper && u_isalpha(c)) {
        u.setCharAt(k, static_cast<UChar>(u_toupper(c)));
        next_upper = false;
      } else if (c == u'-' || c == u'\'' || c == u'\u2019') {
        next_upper = true;
      }
    }
    std::string s;
    u.toUTF8String(s);
    out += s;
  }
  return out;
}

std::string_view strip_punct(std::string_view word) {
  auto is_strip = [](char c) {
    return c == ',' || c == ';' || c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == '"' ||
           c == '!' || c == '?' || c == '*' || c == '|';
  };
  while (!word.empty() && is_strip(word.front())) word.remove_prefix(1);
  while (!word.empty() && is_strip(word.back())) word.remove_suffix(1);
  // A final "." stays on an initial ("R.") or an abbreviation with inner dots ("U.S."); else it goes.
  if (word.size() > 2 && word.back() == '.' &&
      word.substr(0, word.size() - 1).find('.') == std::string_view::npos) {
    word.remove_suffix(1);
  }
  return word;
}

// ---- Lexicons -----------------------------------------------------------------------------------

size_t title_length(const std::vector<std::string>& words, size_t i) {
  return title_lexicon().titles.longest_at(words, i);
}

size_t role_length(const std::vector<std::string>& words, size_t i) {
  return title_lexicon().roles.longest_at(words, i);
}

size_t modifier_length(const std::vector<std::string>& words, size_t i) {
  return title_lexicon().modifiers.longest_at(words, i);
}

size_t country_length(const std::vector<std::string>& words, size_t i) {
  return countries().longest_at(words, i);
}

bool is_country(std::string_view name) {
  std::vector<std::string> w = split_words(name);
  return !w.empty() && country_length(w, 0) == w.size();
}

const std::vector<std::string_view>& photo_agency_names() {
  static const std::vector<std::string_view> list = [] {
    std::vector<std::string_view> out;
    for (std::string_view line : split_lines(data::photo_agencies())) {
      line = trim(line);
      if (!line.empty() && line.front() != '#') out.push_back(line);
    }
    return out;
  }();
  return list;
}

bool is_photo_agency(std::string_view name) {
  return photo_agency_set().count(collapse_spaces(fold(name))) != 0;
}

bool is_stopword(std::string_view word) {
  return has_folded(stopword_set(), word);
}

// No particle or connector is longer than this ("della"): a longer word (most words a phrase scan asks
// about) is answered by its length, without hashing it into both sets.
constexpr size_t kLongestConnector = 5;

bool is_particle(std::string_view word) {
  static const std::unordered_set<std::string_view> set = {
      "van", "von", "de", "der", "den", "da",  "di",  "du",  "del", "della", "dos", "das", "la",
      "le",  "al",  "el", "bin", "ibn", "ben", "ter", "ten", "y",   "zu",    "af",  "St."};
  return word.size() <= kLongestConnector && set.count(word) != 0;
}

bool is_connector(std::string_view word) {
  static const std::unordered_set<std::string_view> set = {"of", "for", "the", "and", "on", "&"};
  if (word.size() > kLongestConnector) return false;
  return set.count(word) != 0 || is_particle(word);
}

bool is_org_word(std::string_view word) {
  static const std::unordered_set<std::string_view> set = {
      "institute",      "project",     "council",      "ministry",      "department",
      "agency",         "program",     "programme",    "center",        "centre",
      "committee",      "party",       "army",         "forces",        "force",
      "group",          "bank",        "university",   "college",       "foundation",
      "office",         "service",     "services",     "command",       "staff",
      "republic",       "oblast",      "region",       "union",         "organization",
      "organisation",   "association", "commission",   "court",         "parliament",
      "government",     "police",      "corporation",  "company",       "network",
      "endowment",      "fund",        "society",      "federation",    "coalition",
      "alliance",       "movement",    "front",        "guard",         "navy",
      "administration", "authority",   "board",        "bureau",        "assembly",
      "congress",       "senate",      "house",        "cabinet",       "directorate",
      "embassy",        "mission",     "watch",        "international", "inc",
      "inc.",           "ltd",         "ltd.",         "llc",           "corp",
      "corp.",          "club",        "church",       "initiative",    "institution",
      "laboratory",     "lab",         "team",         "unit",          "brigade",
      "battalion",      "regiment",    "division",     "corps",         "fleet",
      "secretariat",    "trust",       "platform",     "observatory",   "monitor",
      "kremlin",        "pentagon",    "ministry",     "duma",          "rada",
      "school",         "academy",     "hospital",     "tribunal",      "office",
      "prosecutors",    "police",      "commissariat", "conference",    "forum",
      "consortium",     "industries",  "group",        "systems",       "labs",
      "media",          "press",       "news",         "times",         "post",
      "journal",        "daily",       "herald",       "tribune",       "gazette",
      "radio",          "tv",          "television",   "channel",       "magazine",
      "review",         "motors",      "airlines",     "airways",       "holdings",
      "securities",     "exchange",    "partners",     "petroleum",     "bancorp"};
  return has_folded(set, strip_punct(word));
}

bool is_person_pronoun(std::string_view word) {
  return word == "he" || word == "she" || word == "He" || word == "She";
}

// ---- Names --------------------------------------------------------------------------------------

bool is_name_word(std::string_view word) {
  if (word.empty() || has_digit(word)) return false;
  return starts_upper(word);
}

bool is_org_name(const std::vector<std::string>& words) {
  if (words.size() == 1) return is_all_caps(words[0]) || is_org_word(words[0]);
  for (const std::string& w : words) {
    if (w == "of" || w == "for" || w == "the" || w == "and" || w == "on" || w == "&") return true;
    if (is_org_word(w)) return true;
  }
  return false;
}

std::vector<std::string> strip_titles(std::vector<std::string> words, bool* plural) {
  // "Der Hamburger Datenschutzbeauftragte Johannes Caspar": in languages that capitalise nouns or put an
  // article before a description, a phrase opening with a determiner and running to four words or more
  // describes the person named by its last two words.
  static const std::set<std::string> kDeterminers = {"der", "die", "das", "des", "dem", "den", "ein", "eine",
                                                     "le",  "la",  "les", "un",  "une", "el",  "los", "las",
                                                     "una", "il",  "lo",  "gli", "os",  "as"};
  if (words.size() >= 4 && kDeterminers.count(fold(words[0])) != 0 && names::starts_upper(words[0]) &&
      is_name_word(words[words.size() - 2]) && is_name_word(words.back()) &&
      !is_stopword(words[words.size() - 2]) && !is_org_name(words)) {  // "Las Vegas Police Department"
    return {words[words.size() - 2], words.back()};
  }
  size_t i = 0;
  while (i < words.size() && is_stopword(words[i])) {
    if (fold(words[i]) == "both" && plural != nullptr) *plural = true;
    ++i;
  }
  bool changed = true;
  while (changed && i < words.size()) {
    changed = false;
    if (size_t m = modifier_length(words, i); m != 0 && i + m < words.size()) {
      // "American Motors (Corp)", "British Airways", "Russian Army": a modifier before an organisation word
      // is part of the organisation's name ("Belarusian Defense Ministry" still loses its "Belarusian").
      if (is_org_word(words[i + m])) break;
      i += m;
      changed = true;
      continue;
    }
    size_t place = country_length(words, i);
    if (place == 0 && is_all_caps(words[i])) place = 1;  // "EU Commissioner Thierry Breton", "UN Envoy ..."
    if (place != 0 && i + place < words.size() && title_length(words, i + place) != 0) {
      i += place;  // "Belarus President Lukashenko": the country stands for a nationality adjective
      changed = true;
      continue;
    }
    if (size_t t = title_length(words, i); t != 0 && i + t < words.size()) {
      size_t j = i + t;
      // Russian and Ukrainian put the complement in the genitive, without "of" ("Президент Белоруссии
      // Александр Лукашенко"): read as "of" when three Cyrillic name words or more follow the title.
      const bool genitive = words[j] != "of" && words.size() - j >= 3 && first_code_point(words[j]) >= 0x400 &&
                            first_code_point(words[j]) <= 0x4FF;
      if (words[j] == "of" || genitive) {  // "President of Belarus Alexander Lukashenko"
        size_t k = genitive ? j : j + 1;
        if (k < words.size() && fold(words[k]) == "the") ++k;
        size_t c = country_length(words, k);
        if (c == 0) {
          // "Chancellor of the Exchequer Nigel Lawson", "Secretary of State George Shultz": a complement we
          // do not know, then a person's name, read as its last two words (three with a middle initial)
          // when one complement word at least stands before them. "Head of the Main Directorate" (an
          // organisation word) and "Minister of Foreign Affairs" (no complement left) name nobody.
          const size_t n = words.size();
          const std::string& middle = words[n >= 2 ? n - 2 : 0];
          const size_t len = n >= 3 && middle.size() == 2 && middle[1] == '.' ? 3 : 2;
          if (n < k + len + 1) break;
          bool name = true;
          for (size_t q = n - len; q < n; ++q) {
            name = name && is_name_word(words[q]) && !is_stopword(words[q]) && !is_org_word(words[q]) &&
                   !is_connector(words[q]) && title_length(words, q) == 0;
          }
          for (size_t q = k; q < n - len; ++q) name = name && (is_name_word(words[q]) || is_connector(words[q]));
          if (!name || is_connector(words[n - len - 1])) break;
          return {words.end() - static_cast<std::ptrdiff_t>(len), words.end()};
        }
        j = k + c;
      }
      if (j < words.size()) {
        std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(j), words.end());
        // "General Staff", "President Lukashenko Foundation": an organisation keeps its title word.
        if (!is_org_name(rest) || (rest.size() == 1 && is_all_caps(rest[0]))) {
          i = j;
          changed = true;
        }
      }
    }
  }
  // "Kyiv Mayor Vitali Klitschko", "Gomel Region Governor Ivan Krupko": a place we do not know, then a
  // title, then a name. Strip through the title when one or two capitalised words precede it.
  // Also an organisation's name before the title ("Indiana State Teachers Association President Keith
  // Gambill"): up to six capitalised words; the last title followed by a person's name wins.
  // An organisation's name may hold a connector ("Bank of Japan Governor Satoshi Sumita"): crossed only when
  // the words before the title make an organisation's name.
  size_t cut = i;
  bool crossed = false;
  for (size_t j = i + 1; j < words.size() && j <= i + 6; ++j) {
    if (is_connector(words[j - 1]) && j - 1 > i) {
      crossed = true;
      continue;
    }
    if (is_connector(words[j - 1]) || !is_name_word(words[j - 1])) break;
    size_t t = title_length(words, j);
    if (t == 0 || j + t >= words.size()) continue;
    if (crossed && !is_org_name(std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(i),
                                                         words.begin() + static_cast<std::ptrdiff_t>(j)))) {
      continue;
    }
    std::vector<std::string> rest(words.begin() + static_cast<std::ptrdiff_t>(j + t), words.end());
    if (!is_org_name(rest) && is_name_word(rest.front()) && (j <= i + 2 || rest.size() >= 2)) cut = j + t;
  }
  i = cut;
  words.erase(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i));
  // Trailing stopwords ("Lukashenko Thursday") are not part of the name either.
  while (!words.empty() && is_stopword(words.back()) && is_month_or_weekday(fold(words.back())))
    words.pop_back();
  return words;
}

std::optional<std::string> person_name(std::string_view text) {
  std::vector<std::string> words = split_words(text);
  if (words.empty()) return std::nullopt;
  // A trailing comma or full stop belongs to the sentence, not the name ("Sands," / "Sands.").
  std::string& last = words.back();
  while (!last.empty() && (last.back() == ',' || last.back() == ';' || last.back() == ':')) last.pop_back();
  if (last.size() > 2 && last.back() == '.' && last.find('.') == last.size() - 1) last.pop_back();
  if (words.size() < 2 || words.size() > 5) return std::nullopt;

  size_t name_words = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    bool edge = i == 0 || i + 1 == words.size();
    if (is_particle(w) && !edge) continue;
    bool initial = w.size() <= 4 && w.back() == '.' && starts_upper(w) && w.find('.') == w.size() - 1;
    if (initial && i + 1 < words.size()) {  // "R.", "Wm.": not the last word
      ++name_words;
      continue;
    }
    if (!is_name_word(w)) return std::nullopt;
    for (size_t k = 0; k < w.size();) {
      char32_t c = next_cp(w, k);
      if (!is_letter_cp(c) && c != U'-' && c != U'\'' && c != U'\u2019' && c != U'.' &&
          u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) {
        return std::nullopt;
      }
    }
    if (is_stopword(w)) {  // months that are also names ("Theresa May") may follow a first name
      std::string f = fold(w);
      bool name_month = f == "may" || f == "june" || f == "april" || f == "august";
      if (i == 0 || !name_month) return std::nullopt;
    }
    ++name_words;
  }
  if (name_words < 2 || name_words > 4) return std::nullopt;
  if (title_length(words, 0) != 0 || role_length(words, 0) != 0 || modifier_length(words, 0) != 0)
    return std::nullopt;
  for (size_t i = 0; i < words.size(); ++i) {
    if (role_length(words, i) != 0) return std::nullopt;  // "Jane Doe Correspondent"
  }
  if (is_org_name(words)) return std::nullopt;
  std::string joined = join(words);
  if (is_country(joined) || is_photo_agency(joined) || canonical_outlet(joined)) return std::nullopt;
  return title_case_caps(joined);
}

}  // namespace dateline::names
