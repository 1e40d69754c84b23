/** @file
 *  @brief Who wrote an article (byline) and who is quoted in each passage (speakers).
 *
 *  Authors come from byline lines ("By X", "Author's name X", "X can be reached at", a name beside the
 *  header date). Speakers come from attribution patterns around speech verbs (data/speech_verbs.txt)
 *  read on tokens where each quotation is one token, so words inside quotes are never taken as
 *  attribution. Names are resolved within the article to their fullest form, titles stripped
 *  (data/titles.txt), and acronyms to the organisation the article spells out.
 */
#include "articles/people.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "articles/data.h"
#include "articles/names.h"
#include "articles/outlets.h"
#include "articles/quotes.h"
#include "base/ascii.h"

namespace dateline {
namespace {

using names::fold;
using names::trim;
using quotes::Kind;
using quotes::Token;

// fold(word) == folded, for an ASCII `folded`: an ASCII word compares without folding into a new string
// (fold() of ASCII is ascii::lower()); any other goes through fold().
bool folds_to(std::string_view word, std::string_view folded) {
  if (std::all_of(word.begin(), word.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
    return ascii::iequals(word, folded);
  return fold(word) == folded;
}

// ---- Bylines --------------------------------------------------------------------------------------

// Leading bullets and dashes of a line ("• David R. Sands can be reached at ...").
std::string_view strip_bullets(std::string_view line) {
  line = trim(line);
  for (bool again = true; again;) {
    again = false;
    for (std::string_view b :
         {"\xE2\x80\xA2", "\xC2\xB7", "-", "*", "\xE2\x80\x94", "\xE2\x80\x93", "|", ">"}) {
      if (line.rfind(b, 0) == 0) {
        line = trim(line.substr(b.size()));
        again = true;
      }
    }
  }
  return line;
}

// Splits a byline's name list ("Jane Doe and John Smith, Reuters") into person names, stopping at the
// first piece that is not a name (an outlet, a role, a date). Empty when the first piece is no name.
std::vector<std::string> byline_names(std::string_view list) {
  std::vector<std::string> out;
  // Cut at ";" and "|" ("Reporting by X; Editing by Y", "By X | March 3"), and before " - " tails.
  for (std::string_view cut : {";", "|", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " (", "\t"}) {
    if (size_t p = list.find(cut); p != std::string_view::npos) list = list.substr(0, p);
  }
  std::string s = names::collapse_spaces(list);
  // Separators between names: ",", " and ", " & ".
  std::vector<std::string> pieces;
  size_t b = 0;
  while (b <= s.size()) {
    size_t best = std::string::npos;
    size_t len = 0;
    for (std::string_view sep : {std::string_view(","), std::string_view(" and "), std::string_view(" & ")}) {
      size_t p = s.find(sep, b);
      if (p != std::string::npos && p < best) {
        best = p;
        len = sep.size();
      }
    }
    pieces.emplace_back(
        trim(std::string_view(s).substr(b, best == std::string::npos ? std::string::npos : best - b)));
    if (best == std::string::npos) break;
    b = best + len;
  }
  for (const std::string& piece : pieces) {
    if (piece.empty()) continue;
    auto name = names::person_name(piece);
    if (!name) break;
    out.push_back(*name);
  }
  return out;
}

// "By X", "BY X", "By X and Y, Outlet": the names, or empty when the line is not a byline.
std::vector<std::string> by_line(std::string_view line) {
  line = strip_bullets(line);
  if (line.size() > 160 || !ascii::istarts_with(line, "by ")) return {};
  std::string_view rest = trim(line.substr(3));
  if (rest.empty() || !names::starts_upper(rest)) return {};
  std::vector<std::string> found = byline_names(rest);
  if (found.empty()) return {};
  // The rest of the line may name the outlet, a role or a date, but not run on as a sentence.
  std::vector<std::string> words = names::split_words(rest);
  if (words.size() > 16) return {};
  return found;
}

// "Author's name X", "Author: X", "Written by X", "Reporting by X": the names, else empty.
std::vector<std::string> author_label_line(std::string_view line) {
  line = strip_bullets(line);
  if (line.size() > 160) return {};
  static const std::vector<std::string_view> labels = {
      "author's name", "author`s name", "author\xE2\x80\x99s name",
      "author name",   "authors:",      "author:",
      "written by",    "words by",      "reporting by",
      "reported by",   "story by",      "text by"};
  for (std::string_view label : labels) {
    if (ascii::istarts_with(line, label)) {
      std::string_view rest = trim(line.substr(label.size()));
      if (!rest.empty() && rest.front() == ':') rest = trim(rest.substr(1));
      return byline_names(rest);
    }
  }
  return {};
}

// "X can be reached at ...", "X can be contacted at ...": the name, else empty.
std::optional<std::string> contact_line(std::string_view line) {
  // Every phrase below holds " be " (any case): most lines have none, and are not lowered and searched.
  bool be = false;
  for (size_t i = 0; i + 4 <= line.size() && !be; ++i)
    be = line[i] == ' ' && ascii::lower(line[i + 1]) == 'b' && ascii::lower(line[i + 2]) == 'e' &&
         line[i + 3] == ' ';
  if (!be) return std::nullopt;
  line = strip_bullets(line);
  if (line.size() > 240) return std::nullopt;
  std::string low = ascii::lower(line);  // same byte offsets as `line`
  for (std::string_view phrase :
       {" can be reached", " can be contacted", " may be reached", " can be emailed"}) {
    size_t p = low.find(phrase);
    if (p == std::string::npos) continue;
    return names::person_name(line.substr(0, p));
  }
  return std::nullopt;
}

// "Editor X", "Edited by X", "Editing by X": an editor, never the author.
bool editor_line(std::string_view line) {
  line = strip_bullets(line);
  if (line.size() > 160) return false;
  for (std::string_view label :
       {"editor:", "editor ", "edited by", "editing by", "translated by", "translator:"}) {
    if (ascii::istarts_with(line, label)) return !byline_names(trim(line.substr(label.size()))).empty();
  }
  return false;
}

// A short line stating a date: "10/12/2022", "Thursday, February 24, 2022", "Updated: 10/12/2022",
// "Feb. 24, 2022 5:00 pm ET". Only its shape matters here (the dates module parses dates).
bool date_line(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > 60) return false;
  std::string low = fold(line);
  bool digit = std::any_of(low.begin(), low.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digit) return false;
  // d/d/dddd or dddd-dd-dd
  for (size_t i = 0; i < low.size(); ++i) {
    if (low[i] == '/' || low[i] == '-' || low[i] == '.') {
      bool before = i > 0 && low[i - 1] >= '0' && low[i - 1] <= '9';
      bool after = i + 1 < low.size() && low[i + 1] >= '0' && low[i + 1] <= '9';
      if (before && after) return true;
    }
  }
  static const std::array<std::string_view, 12> months = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
  for (const std::string& w : names::split_words(low)) {
    for (std::string_view m : months) {
      if (w.rfind(m, 0) == 0) return true;
    }
  }
  return false;
}

// ---- Speech verbs ---------------------------------------------------------------------------------

struct VerbForm {
  std::vector<std::string> particles;  ///< required next word ("out" for "point out"); empty: none
  bool participle = false;             ///< a past participle ("said", "told", "warned"): passive after "was"
};

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

const std::unordered_map<std::string, VerbForm>& verb_forms() {
  static const std::unordered_map<std::string, VerbForm> forms = [] {
    std::unordered_map<std::string, VerbForm> m;
    for (std::string_view line : names::split_lines(data::speech_verbs())) {
      line = trim(line);
      if (line.empty() || line.front() == '#') continue;
      std::vector<std::string> words = names::split_words(line);
      // Phrasal entries: "point out", "call on": the particle is the second word, not a form.
      std::string particle;
      std::vector<std::string> irregular;
      const std::string& base = words[0];
      if (words.size() == 2 && words[1].size() <= 4 && words[1].find_first_of("aeiou") != std::string::npos &&
          (words[1] == "out" || words[1] == "on" || words[1] == "for" || words[1] == "up" ||
           words[1] == "back")) {
        particle = words[1];
      } else {
        irregular.assign(words.begin() + 1, words.end());
      }
      std::vector<std::pair<std::string, bool>> generated;  // form, is participle
      const char last = base.back();
      const bool cons_y = last == 'y' && base.size() > 1 && !is_vowel(base[base.size() - 2]);
      // third person
      if (cons_y)
        generated.emplace_back(base.substr(0, base.size() - 1) + "ies", false);
      else if (last == 's' || last == 'x' || last == 'z' || last == 'o' || base.ends_with("sh") ||
               base.ends_with("ch"))
        generated.emplace_back(base + "es", false);
      else
        generated.emplace_back(base + "s", false);
      // past / participle
      if (last == 'e')
        generated.emplace_back(base + "d", true);
      else if (cons_y)
        generated.emplace_back(base.substr(0, base.size() - 1) + "ied", true);
      else
        generated.emplace_back(base + "ed", true);
      // -ing
      if (last == 'e' && !base.ends_with("ee") && !base.ends_with("ye") && !base.ends_with("oe"))
        generated.emplace_back(base.substr(0, base.size() - 1) + "ing", false);
      else
        generated.emplace_back(base + "ing", false);
      for (const std::string& f : irregular) {
        bool participle = !(f.ends_with("s") || f.ends_with("ing"));
        generated.emplace_back(f, participle);
      }
      for (const auto& [form, participle] : generated) {
        VerbForm& v = m[form];
        v.participle = v.participle || participle;
        if (!particle.empty())
          v.particles.push_back(particle);
        else
          v.particles.push_back("");
      }
    }
    // Other languages: every form listed, "*" marking past participles.
    for (std::string_view line : names::split_lines(data::speech_verbs_other())) {
      line = trim(line);
      if (line.empty() || line.front() == '#') continue;
      for (std::string form : names::split_words(line)) {
        bool participle = !form.empty() && form.back() == '*';
        if (participle) form.pop_back();
        if (form.empty() || form == "ha") continue;
        VerbForm& v = m[form];
        v.participle = v.participle || participle;
        if (std::find(v.particles.begin(), v.particles.end(), "") == v.particles.end())
          v.particles.push_back("");
      }
    }
    return m;
  }();
  return forms;
}

// A word's length, first and last byte in 16 bits: verb_forms() holds no word whose key's bit is unset in
// might_be_verb_form(), so most words (asked for every word of every sentence) skip the hash look-up.
uint16_t verb_key(std::string_view w) {
  return static_cast<uint16_t>((w.size() & 0xF) << 12 | (static_cast<unsigned char>(w.front()) & 0x3F) << 6 |
                               (static_cast<unsigned char>(w.back()) & 0x3F));
}
bool might_be_verb_form(std::string_view w) {
  static const std::vector<bool> keys = [] {
    std::vector<bool> bits(size_t{1} << 16);
    for (const auto& [form, _] : verb_forms()) {
      if (!form.empty()) bits[verb_key(form)] = true;
    }
    return bits;
  }();
  return !w.empty() && keys[verb_key(w)];
}

// The speech verb at tokens[i] (lower case), honouring phrasal particles; else nullptr.
const VerbForm* speech_verb_at(const std::vector<Token>& toks, size_t i, size_t end, size_t* particle_len) {
  const Token& t = toks[i];
  if (t.kind != Kind::Word || !might_be_verb_form(t.text) || !names::starts_lower(t.text)) return nullptr;
  auto it = verb_forms().find(t.text);
  if (it == verb_forms().end()) return nullptr;
  for (const std::string& p : it->second.particles) {
    if (p.empty()) {
      *particle_len = 0;
      return &it->second;
    }
    if (i + 1 < end && toks[i + 1].kind == Kind::Word && toks[i + 1].text == p) {
      *particle_len = 1;
      return &it->second;
    }
  }
  return nullptr;
}

// 'f' or 'm' when the first word of `name` is a first name given to one sex only (data/first_names.txt),
// else 0.
char sex_of_first_name(const std::string& name) {
  static const std::unordered_map<std::string, char> table = [] {
    std::unordered_map<std::string, char> m;
    for (std::string_view line : names::split_lines(data::first_names())) {
      if (line.empty() || line.front() == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      char sex = line.substr(0, tab) == "female" ? 'f' : 'm';
      for (const std::string& w : names::split_words(line.substr(tab + 1))) m.emplace(w, sex);
    }
    return m;
  }();
  std::vector<std::string> words = names::split_words(name);
  if (words.size() < 2) return 0;
  auto it = table.find(fold(words.front()));
  return it == table.end() ? 0 : it->second;
}

// Words that may stand between a subject and its verb ("X has also said", "X reportedly wrote").
bool aux_or_adverb(std::string_view w) {
  static const std::unordered_set<std::string_view> set = {
      "has",        "have",      "had",          "also",       "then",       "later",     "previously",
      "repeatedly", "once",      "again",        "already",    "further",    "recently",  "earlier",
      "first",      "publicly",  "privately",    "reportedly", "allegedly",  "literally", "is",
      "was",        "are",       "were",         "been",       "being",      "will",      "would",
      "could",      "may",       "might",        "can",        "just",       "still",     "even",
      "now",        "too",       "not",          "never",      "always",     "often",     "subsequently",
      "separately", "similarly", "additionally", "openly",     "explicitly", "flatly",    "bluntly",
      "firmly",     "had",       "did",          "does",
      // Auxiliaries and adverbs of the other languages ("X a déclaré", "X ha dicho", "X hat gesagt").
      "a", "ha", "han", "hanno", "hat", "hatte", "haben", "ont", "avait", "había", "tem", "havia", "aussi",
      "también", "também", "auch", "anche", "ainda", "encore", "noch"};
  if (set.count(w) != 0) return true;
  if (w.size() > 4 && w.ends_with("ly") && names::starts_lower(w)) return true;
  return w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
}

// Kinds of publication that stand before a publication's name ("the journal Nature", "the newspaper X").
bool publication_noun(std::string_view w) {
  static const std::unordered_set<std::string_view> set = {
      "journal", "newspaper", "magazine", "website", "outlet", "paper", "tabloid", "daily", "weekly",
      "broadcaster", "network", "channel", "blog", "publication", "periodical", "review"};
  return set.count(w) != 0;
}

bool be_form(std::string_view w) {
  return w == "is" || w == "was" || w == "are" || w == "were" || w == "been" || w == "being" || w == "be";
}
bool negation(std::string_view w) {
  return w == "not" || w == "never" || w.ends_with("n't") || w.ends_with("n\xE2\x80\x99t");
}

// Nouns for someone speaking on an organisation's behalf.
bool voice_noun(std::string_view w) {
  return w == "spokesperson" || w == "spokesman" || w == "spokeswoman" || w == "representative" ||
         w == "statement" || w == "spokespeople" || w == "spokesmen";
}

bool is_preposition(std::string_view w) {
  static const std::unordered_set<std::string_view> set = {
      "of",   "at",     "for",    "from",  "with",   "in",    "on",      "to",    "by",
      "near", "inside", "within", "under", "behind", "about", "against", "among", "like"};
  return set.count(w) != 0;
}

// ---- Name phrases on tokens -------------------------------------------------------------------------

bool name_token(const Token& t) {
  // No name word runs past 40 bytes ("Wolfeschlegelsteinhausenbergerdorff" is 35); longer is noise.
  // The case tests first: they stop at the first letter of the many lower-case words. A word whose first
  // byte is an ASCII lower-case letter (most words) fails both; it is answered here, without the calls.
  if (t.kind != Kind::Word || t.text.empty() || (t.text[0] >= 'a' && t.text[0] <= 'z')) return false;
  return t.text.size() <= 40 &&
         (names::starts_upper(t.text) || names::is_all_caps(t.text)) && !names::has_digit(t.text);
}

bool connector_token(const Token& t) {
  return t.kind == Kind::Word && (names::is_connector(t.text) || t.text == "&");
}

struct Phrase {
  std::vector<std::string> words;
  size_t begin = 0;  ///< first token
  size_t end = 0;    ///< one past the last token
  bool possessive = false;
};

// The capitalised phrase starting at tokens[i] (after an optional determiner "the"), with connectors
// between capitalised words ("Institute for the Study of War"). Stops after a possessive word.
Phrase phrase_forward(const std::vector<Token>& toks, size_t i, size_t end) {
  Phrase p;
  p.begin = i;
  if (i < end && toks[i].kind == Kind::Word && folds_to(toks[i].text, "the") && i + 1 < end &&
      name_token(toks[i + 1]))
    ++i;
  while (i < end) {
    if (name_token(toks[i])) {
      p.words.push_back(toks[i].text);
      ++i;
      if (toks[i - 1].possessive) {
        p.possessive = true;
        break;
      }
      continue;
    }
    // Up to two connectors ("of the") when a capitalised word follows them.
    size_t j = i;
    while (j < end && j < i + 2 && connector_token(toks[j]) && !name_token(toks[j])) ++j;
    if (j > i && j < end && name_token(toks[j]) && !p.words.empty()) {
      for (size_t k = i; k < j; ++k) p.words.push_back(toks[k].text);
      i = j;
      continue;
    }
    break;
  }
  p.end = i;
  return p;
}

// The capitalised phrase ending at tokens[last] (which must be a name token), read backwards.
Phrase phrase_backward(const std::vector<Token>& toks, size_t last, size_t begin) {
  Phrase p;
  p.end = last + 1;
  size_t i = last + 1;  // one past the current first token
  while (i > begin) {
    const Token& t = toks[i - 1];
    if (name_token(t) && (i - 1 == last || !t.possessive)) {
      p.words.insert(p.words.begin(), t.text);
      --i;
      continue;
    }
    size_t j = i;  // connectors run [j, i)
    while (j > begin && j + 2 > i && connector_token(toks[j - 1]) && !name_token(toks[j - 1])) --j;
    if (j < i && j > begin && name_token(toks[j - 1]) && !toks[j - 1].possessive && !p.words.empty()) {
      for (size_t k = i; k > j; --k) p.words.insert(p.words.begin(), toks[k - 1].text);
      i = j;
      continue;
    }
    break;
  }
  p.begin = i;
  return p;
}

// A phrase's words as one string, each word length-prefixed (no two phrases share a key).
std::string phrase_key(const std::vector<std::string>& words) {
  std::string key;
  for (const std::string& w : words) {
    key += std::to_string(w.size());
    key += ':';
    key += w;
  }
  return key;
}

// names::strip_titles() of the phrases, each computed once. The learning pass and the attribution read
// the same phrases again and again (every mention of a name, a phrase's head and then the phrase), and so
// do the next articles; strip_titles() is a pure function of the words, so a repeated phrase costs one
// lookup. One memo per thread, kept from article to article.
class TitleMemo {
 public:
  /// The memo of this thread, for a new article. The answers it hands out are references into it, valid
  /// until the next article: only here, between articles, is it emptied when it grew past its bound.
  static TitleMemo& for_new_article() {
    thread_local TitleMemo memo;
    if (memo.memo_.size() > 4096) memo.memo_.clear();
    return memo;
  }

  struct Stripped {
    std::vector<std::string> words;
    bool plural = false;  ///< the phrase began with "Both"
  };
  const Stripped& strip(const std::vector<std::string>& words) { return strip(words, phrase_key(words)); }
  /// The same, with `key` == phrase_key(words) already made by the caller.
  const Stripped& strip(const std::vector<std::string>& words, const std::string& key) {
    auto [it, fresh] = memo_.try_emplace(key);
    if (fresh) it->second.words = names::strip_titles(words, &it->second.plural);
    return it->second;
  }

 private:
  std::unordered_map<std::string, Stripped> memo_;
};

// "Mark Voyger of the Transatlantic Program" -> "Mark Voyger": a person's name followed by "of"/"for"/
// "at" and an organisation is that person. "Institute for the Study of War" stays whole.
// The head's length in words: the whole phrase's when it has no head of its own.
size_t head_length(const std::vector<std::string>& words, TitleMemo& titles) {
  for (size_t i = 1; i < words.size(); ++i) {
    if (words[i] != "of" && words[i] != "for" && words[i] != "on") continue;
    const std::vector<std::string>& left =
        titles.strip(std::vector<std::string>(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(i)))
            .words;
    if (left.size() >= 2 && !names::is_org_name(left)) return i;
    if (names::is_org_name(left) || left.size() <= 1)
      return words.size();  // "University of ...", "Secretary of State"
  }
  return words.size();
}

// Initials of an organisation's name, two ways: capitalised words only ("Institute for the Study of
// War" -> ISW) and every word but articles and prepositions ("Airborne Warning and Control System" ->
// AWACS).
std::vector<std::string> acronyms_of(const std::vector<std::string>& words) {
  std::string caps, most;
  for (const std::string& w : words) {
    char32_t c = names::first_code_point(w);
    if (c >= 0x80 || c == 0) return {};  // ASCII acronyms only
    auto up = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    if (names::starts_upper(w)) caps += up;
    if (w != "the" && w != "of" && w != "for" && w != "a" && w != "an" && w != "on" && w != "in" && w != "to")
      most += up;
  }
  std::vector<std::string> out;
  if (caps.size() >= 2) out.push_back(caps);
  if (most.size() >= 2 && most != caps) out.push_back(most);
  return out;
}

// ---- Article-wide name knowledge --------------------------------------------------------------------

struct Resolved {
  std::string name;
  bool person = false;
  std::string role;  ///< the title or role words the phrase gave before the name ("Chancellor of the Exchequer")
};

// Nouns for unnamed groups ("officials", "sources", "Tory MPs"): data/generic_speakers.txt, folded.
bool is_generic_group(const std::string& word) {
  static const std::unordered_set<std::string> set = [] {
    std::unordered_set<std::string> out;
    for (std::string_view line : names::split_lines(data::generic_speakers())) {
      line = trim(line);
      if (!line.empty() && line.front() != '#') out.insert(fold(line));
    }
    return out;
  }();
  return set.count(fold(names::strip_punct(word))) != 0;
}

// A company's legal form at the end of its name ("Inc", "Corp", "Co", "Ltd", "Plc"): not part of the name
// the archive counts ("Chrysler Corp" and "Chrysler" are one speaker).
bool legal_suffix(const std::string& word) {
  static const std::unordered_set<std::string_view> set = {"inc", "corp", "co", "ltd", "plc", "llc",
                                                           "ag",  "sa",   "nv", "gmbh", "spa", "bv"};
  std::string f = fold(names::strip_punct(word));
  if (!f.empty() && f.back() == '.') f.pop_back();
  return set.count(f) != 0;
}

// The words strip_titles() took off the front of a phrase, as the speaker's role ("Belarusian President",
// "Chancellor of the Exchequer"); leading stopwords ("The", "But") are not part of it. Empty when the
// name is not the tail of the phrase.
std::string role_of(const std::vector<std::string>& phrase, const std::vector<std::string>& name) {
  if (name.empty() || name.size() >= phrase.size() ||
      !std::equal(name.begin(), name.end(), phrase.end() - static_cast<std::ptrdiff_t>(name.size())))
    return {};
  size_t b = 0;
  const size_t e = phrase.size() - name.size();
  while (b < e && names::is_stopword(phrase[b])) ++b;
  return b < e ? names::join(phrase, b, e) : std::string();
}

class NameBook {
 public:
  // `words`: each passage's tokens, quotations not masked (the book learns from the words quoted too).
  NameBook(const std::vector<Passage>& passages, const std::vector<std::vector<Token>>& words,
           const std::vector<std::string>& not_people) {
    for (const std::string& n : not_people) {
      std::string key = fold(names::collapse_spaces(n));
      if (key.empty()) continue;
      not_people_.insert(key);
      std::vector<std::string> w = names::split_words(key);
      if (w.size() >= 2) not_people_last_.insert(w.back());
    }
    for (size_t i = 0; i < words.size(); ++i) learn(words[i], passages[i].text);
  }

  // Canonical speaker for a capitalised phrase, or nothing when it is not a named speaker. What it reads
  // is complete once every passage was learnt (the constructor), so each phrase is resolved once: the
  // attribution asks again for every mention of a name.
  std::optional<Resolved> resolve(const std::vector<std::string>& words) const {
    auto [it, fresh] = resolved_.try_emplace(phrase_key(words));
    if (fresh) it->second = resolve_once(words, it->first);
    return it->second;
  }

 private:
  // `key`: phrase_key(words).
  std::optional<Resolved> resolve_once(std::vector<std::string> words, const std::string& key) const {
    if (words.empty()) return std::nullopt;
    const size_t whole = words.size();
    words.resize(head_length(words, titles_));
    const std::vector<std::string> phrase = words;
    // The head is the phrase or a cut of its tail: the same size is the same phrase.
    const TitleMemo::Stripped& stripped =
        phrase.size() == whole ? titles_.strip(phrase, key) : titles_.strip(phrase);
    if (stripped.plural || stripped.words.empty()) return std::nullopt;
    words = stripped.words;
    if (is_plural(words)) return std::nullopt;
    if (is_generic_group(words.back())) return std::nullopt;  // "Officials", "Western diplomats", "Tory MPs"
    Resolved r;
    r.role = role_of(phrase, words);
    if (words.size() == 1) {
      const std::string& w = words[0];
      std::string f = fold(w);
      if (names::is_all_caps(w)) {
        if (w.size() > 12) return std::nullopt;  // a shouted word, not an acronym
        auto it = acronyms_.find(w);
        r.name = it != acronyms_.end() ? it->second : w;
        r.person = false;
      } else if (auto full = fullest(words)) {
        r.name = *full;
        r.person = true;
      } else if (auto by_first = by_first_word(f)) {
        r.name = *by_first;  // "Lai" for "Lai Ching-te": family name first
        r.person = true;
      } else {
        // An unresolved single word: a name only if the article never uses it as a common word or a place,
        // and it is no bare institution noun ("Police said", "Government said").
        if (names::is_stopword(w) || lowercase_word(f) || places_.count(f) != 0) return std::nullopt;
        if (names::is_org_word(w) && !proper_institution(f)) return std::nullopt;
        r.name = w;
        r.person = !names::is_org_word(w);
      }
    } else if (names::is_org_name(words)) {
      if (words.size() >= 2 && legal_suffix(words.back())) words.pop_back();  // "General Motors Corp"
      r.name = names::join(words);
      r.person = false;
    } else {
      r.name = fullest(words).value_or(names::join(words));
      r.person = true;
    }
    if (!allowed(r.name)) return std::nullopt;
    return r;
  }

 public:
  // A person named in the article by this phrase (for pronoun antecedents): multi-word names, or single
  // words that resolve to a fuller name or were already seen as speakers.
  std::optional<std::string> person_mention(const std::vector<std::string>& words) const {
    auto r = resolve(words);
    if (!r || !r->person) return std::nullopt;
    bool multi = r->name.find(' ') != std::string::npos;
    if (!multi && speakers_seen_.count(r->name) == 0) return std::nullopt;
    return r->name;
  }

  void saw_speaker(const std::string& name) { speakers_seen_.insert(name); }

  /// Is this word the last word of a person's name the article gives ("Reagan's press office")?
  bool known_person_word(const std::string& word) const { return by_last_.count(fold(word)) != 0; }

  /// A sentence-initial capitalised plural ("Experts said", "Officials warned") is a generic subject
  /// unless the article names someone by it.
  bool generic_plural(const std::vector<std::string>& words) const {
    if (words.size() != 1 || names::is_all_caps(words[0])) return false;
    const std::string& w = words[0];
    return w.size() > 3 && w.back() == 's' && !fullest(words) && speakers_seen_.count(w) == 0;
  }

 private:
  // Institutions known by one proper noun: these speak for themselves ("the Kremlin said").
  static bool proper_institution(std::string_view folded) {
    return folded == "kremlin" || folded == "pentagon" || folded == "duma" || folded == "rada" ||
           folded == "knesset" || folded == "bundestag" || folded == "vatican";
  }

  // "Minsk and Moscow", "Smith and Jones": two subjects, not one named speaker. An organisation's
  // name may hold "and" ("Russia and Eurasia Program").
  static bool is_plural(const std::vector<std::string>& words) {
    auto and_it = std::find(words.begin(), words.end(), "and");
    if (and_it == words.end()) and_it = std::find(words.begin(), words.end(), "&");
    if (and_it == words.end()) return false;
    if (names::is_org_word(words.back())) return false;
    return std::none_of(words.begin(), words.end(),
                        [](const std::string& w) { return w == "of" || w == "for"; });
  }

  bool allowed(const std::string& name) const {
    std::string key = fold(name);
    if (not_people_.count(key) != 0) return false;
    if (name.find(' ') == std::string::npos && not_people_last_.count(key) != 0) return false;
    return !lexicon_name(name) && !title_words(name);
  }

  // Pure look-ups in the embedded lexicons, asked again for every phrase that resolves to the same name,
  // in this article and in the next ones (the people and organisations in the news recur): the answers
  // are kept per thread for the names seen last (the cache is emptied when it fills, to bound its memory).
  struct LexiconAnswers {
    signed char lexicon = -1;      ///< lexicon_name(): -1 not asked yet
    signed char title_words = -1;  ///< title_words(): -1 not asked yet
  };
  static LexiconAnswers& lexicon_answers(const std::string& name) {
    thread_local std::unordered_map<std::string, LexiconAnswers> cache;
    if (cache.size() >= 4096 && cache.find(name) == cache.end()) cache.clear();
    return cache[name];
  }

  // An outlet, a photo agency or a country.
  static bool lexicon_name(const std::string& name) {
    LexiconAnswers& a = lexicon_answers(name);
    if (a.lexicon < 0)
      a.lexicon = canonical_outlet(name) || names::is_photo_agency(name) || names::is_country(name);
    return a.lexicon != 0;
  }

  // Only title, modifier or role words ("Defense Minister", "Former", "Staff Writer").
  static bool title_words(const std::string& name) {
    LexiconAnswers& a = lexicon_answers(name);
    if (a.title_words < 0) {
      std::vector<std::string> w = names::split_words(name);
      a.title_words = names::title_length(w, 0) == w.size() || names::modifier_length(w, 0) == w.size() ||
                      names::role_length(w, 0) == w.size();
    }
    return a.title_words != 0;
  }

  // The fullest form of a person's name the article gives: the longest registered name with the same
  // last word that contains all of `words` in order, when every such name fits inside it.
  std::optional<std::string> fullest(const std::vector<std::string>& words) const {
    auto it = by_last_.find(fold(words.back()));
    if (it == by_last_.end()) return std::nullopt;
    std::vector<std::string> query;
    for (const std::string& w : words) query.push_back(fold(w));
    const std::vector<std::string>* best = nullptr;
    for (const auto& cand : it->second) {
      if (!best || cand.size() > best->size()) best = &cand;
    }
    auto subseq = [](const std::vector<std::string>& small, const std::vector<std::string>& big) {
      size_t j = 0;
      for (const std::string& w : big) {
        if (j < small.size() && fold(w) == small[j]) ++j;
      }
      return j == small.size();
    };
    if (best == nullptr || !subseq(query, *best)) return std::nullopt;
    for (const auto& cand : it->second) {
      std::vector<std::string> c;
      for (const std::string& w : cand) c.push_back(fold(w));
      if (!subseq(c, *best)) return std::nullopt;  // two different people share the surname
    }
    return names::join(*best);
  }

  // The one registered person whose name starts with this word, when no one ends with it.
  std::optional<std::string> by_first_word(const std::string& folded) const {
    auto it = by_first_.find(folded);
    if (it == by_first_.end() || it->second.size() != 1) return std::nullopt;
    return *it->second.begin();
  }

  void add_name(const std::vector<std::string>& phrase) {
    // strip_titles() never adds a word, so a single word ends here whatever it is. A phrase the article
    // repeats adds nothing new (every step below only adds what is not there), so it is read once: names
    // recur through an article and strip_titles() is the costly part.
    if (phrase.size() < 2) return;
    auto [key, fresh] = added_.insert(phrase_key(phrase));
    if (!fresh) return;
    const std::vector<std::string>& words = titles_.strip(phrase, *key).words;  // stays in titles_
    if (words.size() < 2 || is_plural(words)) return;
    std::string joined = names::join(words);
    if (lexicon_name(joined)) return;
    if (names::is_org_name(words)) {
      for (const std::string& a : acronyms_of(words)) acronyms_.emplace(a, joined);
      return;
    }
    if (words.size() > 4) return;
    if (std::any_of(words.begin(), words.end(), [](const std::string& w) { return names::is_stopword(w); }))
      return;
    auto& list = by_last_[fold(words.back())];
    if (std::find(list.begin(), list.end(), words) == list.end()) list.push_back(words);
    by_first_[fold(words.front())].insert(names::join(words));
  }

  // "Organization for Security and Co-operation in Europe (OSCE)": the article defines an acronym. The
  // name is the shortest run of words before the parenthesis whose initials spell it.
  void define_acronym(const std::vector<Token>& toks, size_t open) {
    if (open + 2 >= toks.size() || toks[open + 2].text != ")" || !names::is_all_caps(toks[open + 1].text))
      return;
    const std::string& acr = toks[open + 1].text;
    std::vector<std::string> words;
    for (size_t k = open; k > 0 && open - k < 12; --k) {
      const Token& t = toks[k - 1];
      if (t.kind != Kind::Word) break;
      words.insert(words.begin(), t.text);
      if (!names::starts_upper(t.text)) continue;
      std::vector<std::string> spelled = acronyms_of(words);
      if (std::find(spelled.begin(), spelled.end(), acr) != spelled.end()) {
        const std::vector<std::string>& name = titles_.strip(words).words;
        if (name.size() >= 2) acronyms_[acr] = names::join(name);
        return;
      }
    }
  }

  void learn(const std::vector<Token>& toks, std::string_view text) {
    // Prepositions of place. Every word is checked: by its length first, not a search of a set, then its
    // bytes against each word of that length (a memcmp of a known size, made inline, where the string_view
    // comparison was a call per candidate).
    auto locative = [](std::string_view w) {
      auto is = [&w](const char* word) { return std::memcmp(w.data(), word, w.size()) == 0; };
      switch (w.size()) {
        case 2:
          return is("in");
        case 4:
          return is("into") || is("from") || is("near") || is("over");
        case 6:
          return is("across") || is("inside") || is("toward");
        case 7:
          return is("towards");
        case 10:
          return is("throughout");
        default:
          return false;
      }
    };
    size_t covered = 0;  // tokens before this belong to a phrase already read
    for (size_t i = 0; i < toks.size(); ++i) {
      const Token& t = toks[i];
      if (t.kind == Kind::Punct && t.text == "(") define_acronym(toks, i);
      if (t.kind != Kind::Word) continue;
      // A first byte a-z starts a lower-case word (starts_lower()'s first answer), without the call.
      const bool lower = !t.text.empty() && t.text[0] >= 'a' && t.text[0] <= 'z';
      if (lower || names::starts_lower(t.text)) note_lowercase(t, text);
      if (locative(t.text) && i + 1 < toks.size() && name_token(toks[i + 1]) && !toks[i + 1].possessive &&
          !(i + 2 < toks.size() && name_token(toks[i + 2]))) {
        add_folded(places_, toks[i + 1].text);
      }
      if (!name_token(t) || i < covered) continue;
      Phrase p = phrase_forward(toks, i, toks.size());
      covered = p.end;
      // A single word adds no name (add_name), is its own head and holds no "and": most phrases end here.
      if (p.words.size() < 2) continue;
      // Whole phrase, its head ("Mark Voyger" of "... of the Program") and its "and"-separated parts.
      add_name(p.words);
      const size_t head = head_length(p.words, titles_);
      if (head != p.words.size()) {
        add_name(
            std::vector<std::string>(p.words.begin(), p.words.begin() + static_cast<std::ptrdiff_t>(head)));
        add_name(std::vector<std::string>(p.words.begin() + static_cast<std::ptrdiff_t>(head) + 1,
                                          p.words.end()));
      }
      if (std::none_of(p.words.begin(), p.words.end(),
                       [](const std::string& w) { return w == "and" || w == "&"; }))
        continue;  // the parts are the whole phrase, already added
      std::vector<std::string> part;
      for (const std::string& w : p.words) {
        if (w == "and" || w == "&") {
          add_name(part);
          part.clear();
        } else {
          part.push_back(w);
        }
      }
      if (part.size() != p.words.size()) add_name(part);
    }
  }

  std::unordered_set<std::string> not_people_, not_people_last_;
  // Sets of folded words, looked up by string_view too (no string made for a word already in).
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view w) const { return std::hash<std::string_view>{}(w); }
  };
  using WordSet = std::unordered_set<std::string, WordHash, std::equal_to<>>;

  // Inserts fold(word). A word of ASCII without capitals is its own fold (most words): no string is made
  // for it unless it is new.
  static void add_folded(WordSet& set, std::string_view word) {
    const bool folded = std::all_of(word.begin(), word.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
    });
    if (!folded) {
      set.insert(fold(word));
    } else if (set.find(word) == set.end()) {
      set.emplace(word);
    }
  }

  // Lower-case words: one of ASCII without capitals (nearly all) is its own fold, and is kept as a view of
  // its passage's text (no string, no hashing: an article asks about few words, lowercase_word() scans
  // them); any other goes into lowercase_ folded.
  void note_lowercase(const Token& t, std::string_view text) {
    const std::string& w = t.text;
    const bool folded = std::all_of(w.begin(), w.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x80 && !(c >= 'A' && c <= 'Z');
    });
    // A word's text is the passage's text at its offset (a possessive cut off its end): checked all the same.
    if (folded && t.begin + w.size() <= text.size() &&
        std::memcmp(text.data() + t.begin, w.data(), w.size()) == 0) {
      lower_views_.push_back(text.substr(t.begin, w.size()));
    } else {
      lowercase_.insert(fold(w));
    }
  }
  bool lowercase_word(const std::string& folded) const {
    return lowercase_.count(folded) != 0 || std::find(lower_views_.begin(), lower_views_.end(),
                                                      std::string_view(folded)) != lower_views_.end();
  }

  WordSet lowercase_, places_;
  std::vector<std::string_view> lower_views_;  // views of the passages, which outlive the book
  std::unordered_set<std::string> added_;      // phrase_key() of the add_name() inputs already read
  TitleMemo& titles_ = TitleMemo::for_new_article();  // filled by the learning pass, read by resolve()
  mutable std::unordered_map<std::string, std::optional<Resolved>> resolved_;  // by phrase_key()
  std::map<std::string, std::vector<std::vector<std::string>>> by_last_;
  std::map<std::string, std::set<std::string>> by_first_;
  std::map<std::string, std::string> acronyms_;
  std::set<std::string> speakers_seen_;
};

// ---- Attribution ----------------------------------------------------------------------------------

// Headlines and section heads in title case ("Belarus Insists Troop Deployment Is Defensive").
bool title_case(const std::vector<Token>& toks, size_t b, size_t e) {
  size_t words = 0, upper = 0;
  for (size_t i = b; i < e; ++i) {
    if (toks[i].kind != Kind::Word || !names::has_letter(toks[i].text)) continue;
    ++words;
    if (names::starts_upper(toks[i].text)) ++upper;
  }
  if (words < 4 || upper * 4 < words * 3) return false;
  // A sentence ending in a full stop is prose ("President Joe Biden said."), not a headline.
  const Token& last = toks[e - 1];
  bool terminal = last.kind == Kind::Punct && (last.text == "." || last.text == "!" || last.text == "?");
  return !terminal || upper == words;
}

class Attributor {
 public:
  explicit Attributor(NameBook& book) : book_(book) {}

  // Speakers of one passage (its tokens, each quotation masked), in order of first attribution.
  std::vector<std::string> passage(std::vector<Token> toks, bool* starts_with_quote, bool* ends_in_quote) {
    toks_ = std::move(toks);
    found_.clear();
    *starts_with_quote = !toks_.empty() && toks_.front().kind == Kind::Quote;
    *ends_in_quote = !toks_.empty() && toks_.back().kind == Kind::Quote && !toks_.back().closed;
    for (auto [b, e] : quotes::sentences(toks_)) sentence(b, e);
    return found_;
  }

 private:
  void sentence(size_t b, size_t e) {
    if (title_case(toks_, b, e)) return;
    b_ = b;
    e_ = e;
    sentence_speaker_.reset();
    std::optional<std::string> named_person;
    for (size_t i = b; i < e; ++i) {
      const Token& t = toks_[i];
      if (t.kind != Kind::Word) continue;
      if (folds_to(t.text, "according") && i + 2 < e && toks_[i + 1].text == "to") {
        according_to(i + 2);
        continue;
      }
      size_t particle = 0;
      if (const VerbForm* v = speech_verb_at(toks_, i, e, &particle)) verb(i, *v, particle);
    }
    // The pronoun antecedent for the next sentences: this sentence's named speaker, else the first
    // person it names outside quotes.
    if (sentence_speaker_) {
      topic_ = sentence_speaker_;
      return;
    }
    for (size_t i = b; i < e; ++i) {
      if (!name_token(toks_[i]) || (i > b && name_token(toks_[i - 1]))) continue;
      Phrase p = phrase_forward(toks_, i, e);
      if (auto person = book_.person_mention(p.words)) {
        topic_ = person;
        return;
      }
      i = std::max(i, p.end);
    }
  }

  void add(const std::string& name, bool person) {
    if (std::find(found_.begin(), found_.end(), name) == found_.end()) found_.push_back(name);
    book_.saw_speaker(name);
    organisation_.emplace(name, !person);
    if (person) sentence_speaker_ = name;
  }

  bool add_phrase(const std::vector<std::string>& words) {
    auto r = book_.resolve(words);
    if (!r) return false;
    add(r->name, r->person);
    if (!r->role.empty()) roles_.emplace(r->name, r->role);  // the first role the article gives
    return true;
  }

 public:
  /// Every speaker's kind and the first role the article gives it (after every passage was read).
  bool organisation(const std::string& name) const {
    auto it = organisation_.find(name);
    return it != organisation_.end() && it->second;
  }
  std::string role(const std::string& name) const {
    auto it = roles_.find(name);
    return it == roles_.end() ? std::string() : it->second;
  }

 private:

  // "he said": the person this sentence already named as speaker, else the running topic, else the
  // first person named earlier in this sentence.
  void pronoun(size_t at) {
    // "he said" never goes to a woman's name, "she said" never to a man's (data/first_names.txt): a
    // contradiction attributes nothing rather than the wrong person.
    std::string pron = fold(toks_[at].text);
    char sex = (pron == "he" || pron == "him") ? 'm' : (pron == "she" || pron == "her") ? 'f' : 0;
    auto fits = [&](const std::string& name) {
      char known = sex_of_first_name(name);
      return sex == 0 || known == 0 || known == sex;
    };
    if (sentence_speaker_) {
      if (fits(*sentence_speaker_)) add(*sentence_speaker_, true);
      return;
    }
    if (topic_) {
      if (fits(*topic_)) add(*topic_, true);
      return;
    }
    for (size_t i = b_; i < at; ++i) {
      if (!name_token(toks_[i]) || (i > b_ && name_token(toks_[i - 1]))) continue;
      Phrase p = phrase_forward(toks_, i, at);
      if (auto person = book_.person_mention(p.words)) {
        if (fits(*person)) add(*person, true);
        return;
      }
    }
  }

  void according_to(size_t i) {
    if (i >= e_) return;
    const Token& t = toks_[i];
    if (t.kind == Kind::Word && (t.text == "him" || t.text == "her")) {
      pronoun(i);
      return;
    }
    if (!name_token(t) &&
        !(t.kind == Kind::Word && folds_to(t.text, "the") && i + 1 < e_ && name_token(toks_[i + 1])))
      return;
    Phrase p = phrase_forward(toks_, i, e_);
    if (p.possessive) return;  // "according to Russia's defence ministry": someone else's words
    add_phrase(p.words);
  }

  // The subject whose phrase ends at token `last`, following a prepositional chain back to its head:
  // "Mark Voyger of the X Program at the Center for Y told" -> "Mark Voyger".
  std::optional<std::vector<std::string>> subject_ending_at(size_t last) {
    Phrase p = phrase_backward(toks_, last, b_);
    if (p.words.empty()) return std::nullopt;
    // "Moody's Investors Service Inc said": an organisation whose name holds a possessive is one name; a
    // country's or a person's possessive before an organisation ("Russia's Defence Ministry") is not.
    if (p.begin > b_ && name_token(toks_[p.begin - 1]) && toks_[p.begin - 1].possessive &&
        !names::is_country(toks_[p.begin - 1].text) && names::is_org_name(p.words) &&
        names::is_org_word(p.words.back()) && !names::is_stopword(toks_[p.begin - 1].text) &&
        !book_.known_person_word(toks_[p.begin - 1].text)) {
      // The whole name before the possessive: "Standard and Poor's Corp".
      Phrase owner = phrase_backward(toks_, p.begin - 1, b_);
      owner.words.back() += "'s";
      p.words.insert(p.words.begin(), owner.words.begin(), owner.words.end());
      p.begin = owner.begin;
    }
    size_t j = p.begin;
    if (j > b_ && toks_[j - 1].kind == Kind::Word && folds_to(toks_[j - 1].text, "the")) --j;
    // "published in the journal JAMA Psychiatry argued": a publication named after its kind is the
    // object of what comes before, never the subject.
    if (j > b_ && toks_[j - 1].kind == Kind::Word && publication_noun(toks_[j - 1].text)) {
      --j;
      bool article = j > b_ && toks_[j - 1].kind == Kind::Word &&
                     (folds_to(toks_[j - 1].text, "the") || toks_[j - 1].text == "a");
      if (article) --j;
    }
    if (j > b_ && toks_[j - 1].kind == Kind::Word && is_preposition(toks_[j - 1].text)) {
      // Object of a preposition: the subject is the head of the clause.
      size_t h = j - 1;
      while (h > b_) {
        const Token& t = toks_[h - 1];
        if (t.kind == Kind::Quote) break;
        if (t.kind == Kind::Punct &&
            (t.text == "," || t.text == ";" || t.text == ":" || t.text == "(" || t.text == "-" ||
             t.text == "\xE2\x80\x94" || t.text == "\xE2\x80\x93")) {
          break;
        }
        --h;
      }
      if (last - h > 30) return std::nullopt;
      while (h < last && toks_[h].kind == Kind::Word && names::is_stopword(toks_[h].text) &&
             !folds_to(toks_[h].text, "the"))
        ++h;
      if (!name_token(toks_[h]) &&
          !(folds_to(toks_[h].text, "the") && h + 1 <= last && name_token(toks_[h + 1]))) {
        // "A spokesperson for the Ministry of Defence said": the organisation speaks through its voice;
        // any other generic head ("a source close to X") is nobody we can name.
        for (size_t v = h; v < j; ++v) {
          if (toks_[v].kind == Kind::Word && voice_noun(toks_[v].text) && toks_[j - 1].kind == Kind::Word &&
              (toks_[j - 1].text == "for" || toks_[j - 1].text == "of") && names::is_org_name(p.words)) {
            return p.words;
          }
        }
        return std::nullopt;
      }
      Phrase head = phrase_forward(toks_, h, last + 1);
      if (head.words.empty() || head.possessive) return std::nullopt;
      return head.words;
    }
    return p.words;
  }

  // "said Viktor Gulevich, chief of ...": the phrase after the verb. With `need_boundary`, the phrase
  // must end the clause (a comma, or the sentence's end).
  bool inverted(size_t i, bool need_boundary) {
    if (i >= e_) return false;
    const Token& t = toks_[i];
    bool the = t.kind == Kind::Word && folds_to(t.text, "the");
    if (!name_token(t) && !the) return false;
    Phrase p = phrase_forward(toks_, i, e_);
    if (p.words.empty() || p.possessive) return false;
    if (need_boundary && p.end < e_) {
      const Token& n = toks_[p.end];
      bool boundary =
          n.kind == Kind::Punct && (n.text == "," || n.text == "." || n.text == ";" || n.text == "(");
      if (!boundary) return false;
    }
    return add_phrase(p.words);
  }

  // "X, a retired colonel, said": the name before the appositive (up to three commas back), or the
  // appositive itself when it is the name ("The head of the council, Alexander Volfovich, said").
  bool appositive(size_t comma) {
    size_t k = comma;
    for (int hops = 0; hops < 3; ++hops) {
      size_t m = k;
      while (m > b_) {
        --m;
        const Token& t = toks_[m];
        if (t.kind == Kind::Quote) return false;
        if (t.kind == Kind::Punct && t.text == ",") break;
        if (k - m > 40) return false;
      }
      if (toks_[m].kind != Kind::Punct || toks_[m].text != ",") return false;
      if (m > b_ && name_token(toks_[m - 1]) && !toks_[m - 1].possessive) {
        if (auto s = subject_ending_at(m - 1)) return add_phrase(*s);
        return false;
      }
      if (name_token(toks_[m + 1]) || folds_to(toks_[m + 1].text, "the")) {
        Phrase p = phrase_forward(toks_, m + 1, k);
        if (p.end == k && !p.words.empty()) return add_phrase(p.words);
      }
      k = m;
    }
    return false;
  }

  void verb(size_t i, const VerbForm& v, size_t particle) {
    // Walk back over auxiliaries and adverbs; passive ("was told") and negated ("has not said") forms
    // attribute nothing.
    size_t k = i;
    int steps = 0;
    while (k > b_ && steps < 4 && toks_[k - 1].kind == Kind::Word && aux_or_adverb(toks_[k - 1].text)) {
      const std::string& w = toks_[k - 1].text;
      if (negation(w)) return;
      if (be_form(w) && v.participle) return;
      --k;
      ++steps;
    }
    if (k == b_) return;
    // "The North Atlantic Treaty Organization (NATO) said": step over a parenthesis after the subject.
    if (toks_[k - 1].kind == Kind::Punct && toks_[k - 1].text == ")") {
      size_t open = k - 1;
      while (open > b_ && !(toks_[open].kind == Kind::Punct && toks_[open].text == "(") && k - open < 12)
        --open;
      if (toks_[open].kind == Kind::Punct && toks_[open].text == "(" && open > b_) k = open;
    }
    // "China's foreign ministry on Tuesday warned": step over a time phrase between subject and verb.
    if (k >= b_ + 2 && toks_[k - 1].kind == Kind::Word && names::is_stopword(toks_[k - 1].text) &&
        names::starts_upper(toks_[k - 1].text) && toks_[k - 2].kind == Kind::Word &&
        (toks_[k - 2].text == "on" || toks_[k - 2].text == "in" || toks_[k - 2].text == "last")) {
      k -= 2;
      if (k == b_) return;
    }
    // "«…», — сказал Лукашенко": a dash between the quotation and the verb.
    if (k - 1 > b_ && toks_[k - 1].kind == Kind::Punct &&
        (toks_[k - 1].text == "\xE2\x80\x94" || toks_[k - 1].text == "\xE2\x80\x93") &&
        (toks_[k - 2].kind == Kind::Quote || (toks_[k - 2].kind == Kind::Punct && toks_[k - 2].text == ",")))
      --k;
    const Token& t = toks_[k - 1];
    const size_t after = i + 1 + particle;
    if (t.kind == Kind::Word && names::is_person_pronoun(t.text)) {
      pronoun(k - 1);
    } else if (name_token(t) && !t.possessive) {
      if (auto s = subject_ending_at(k - 1)) {
        bool sentence_start = k - 1 == b_ || (k - 2 == b_ && toks_[b_].kind == Kind::Quote);
        if (!(sentence_start && book_.generic_plural(*s))) add_phrase(*s);
      }
    } else if (t.kind == Kind::Quote ||
               (t.kind == Kind::Punct && t.text == "," && k - 1 > b_ && toks_[k - 2].kind == Kind::Quote)) {
      // `“…,” said Viktor Gulevich`; `«…», a déclaré X`, `"…", ha dichiarato X`: one auxiliary of a
      // compound past may stand between the quote and the participle.
      bool compound = steps == 1 && v.participle &&
                      (toks_[k].text == "a" || toks_[k].text == "ha" || toks_[k].text == "hat" ||
                       toks_[k].text == "ont" || toks_[k].text == "han" || toks_[k].text == "tem");
      if (steps == 0 || compound) inverted(after, false);
    } else if (t.kind == Kind::Punct && t.text == ",") {
      if (!appositive(k - 1) && steps == 0) inverted(after, true);  // `…, said Sakhashchyk, now living …`
    }
  }

  NameBook& book_;
  std::vector<Token> toks_;
  std::vector<std::string> found_;
  size_t b_ = 0, e_ = 0;
  std::optional<std::string> topic_;
  std::optional<std::string> sentence_speaker_;
  std::map<std::string, bool> organisation_;  // speaker -> is an organisation
  std::map<std::string, std::string> roles_;  // speaker -> first role given
};

}  // namespace

namespace {
/// The names of the first byline (when `bylines`) or author label among `lines`, joined with ", "; else
/// the name of the first contact line.
std::optional<std::string> labelled_author(const std::vector<std::string_view>& lines, bool bylines) {
  for (std::string_view line : lines) {
    std::vector<std::string> found;
    if (bylines) found = by_line(line);
    if (found.empty()) found = author_label_line(line);
    if (!found.empty()) {
      std::string joined;
      for (const std::string& n : found) joined += (joined.empty() ? "" : ", ") + n;
      return joined;
    }
  }
  for (std::string_view line : lines) {
    if (auto name = contact_line(line)) return name;
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::string> extract_author(std::string_view utf8_text) {
  std::vector<std::string_view> lines = names::split_lines(utf8_text);
  // Strongest first: an explicit byline or author label, then a contact line, then a bare name beside
  // the header date.
  if (auto name = labelled_author(lines, true)) return name;
  // Header: the first dozen non-blank lines; a line that is only a person's name next to a date line.
  std::vector<std::string_view> header;
  for (std::string_view line : lines) {
    if (!trim(line).empty()) header.push_back(trim(line));
    if (header.size() >= 12) break;
  }
  for (size_t i = 0; i < header.size(); ++i) {
    if (editor_line(header[i])) continue;
    auto name = names::person_name(header[i]);
    if (!name) continue;
    bool date_before = i > 0 && date_line(header[i - 1]);
    bool date_after = i + 1 < header.size() && date_line(header[i + 1]);
    if (date_before || date_after) return name;
  }
  return std::nullopt;
}

bool is_present_speech_verb(std::string_view word) {
  if (word.size() < 4 || word.back() != 's') return false;
  auto it = verb_forms().find(std::string(word));
  return it != verb_forms().end() && !it->second.participle;
}

std::optional<std::string> extract_labelled_author(std::string_view utf8_text) {
  return labelled_author(names::split_lines(utf8_text), false);
}

bool is_byline_line(std::string_view line) {
  return !by_line(line).empty() || !author_label_line(line).empty() || contact_line(line).has_value() ||
         editor_line(line);
}

std::vector<std::string> excluded_speakers(const Article& a) {
  std::vector<std::string> out;
  if (a.author) {
    size_t pos = 0;
    while (pos <= a.author->size()) {
      size_t comma = a.author->find(", ", pos);
      std::string name = a.author->substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (!name.empty()) out.push_back(name);
      if (comma == std::string::npos) break;
      pos = comma + 2;
    }
  }
  if (a.outlet) out.push_back(*a.outlet);
  if (a.wire) out.push_back(*a.wire);
  return out;
}

void attribute_speakers(std::vector<Passage>& passages, const std::vector<std::string>& not_people,
                        std::map<std::string, SpeakerInfo>* info) {
  // Each passage is tokenized once: the name book reads every word, the attribution the same tokens with
  // each quotation made one token.
  std::vector<std::vector<Token>> words;
  std::vector<std::vector<quotes::QuoteSpan>> spans(passages.size());  // found while tokenizing
  words.reserve(passages.size());
  for (size_t i = 0; i < passages.size(); ++i) words.push_back(quotes::tokenize(passages[i].text, &spans[i]));
  NameBook book(passages, words, not_people);
  Attributor attributor(book);
  bool prev_open = false;
  std::optional<std::string> prev_last;
  for (size_t i = 0; i < passages.size(); ++i) {
    Passage& p = passages[i];
    bool starts_quote = false;
    bool ends_quote = false;
    p.speakers = attributor.passage(quotes::mask_quotes(p.text, std::move(words[i]), spans[i]), &starts_quote,
                                    &ends_quote);
    // A quotation running on from the previous passage (left open there, reopened here) keeps its speaker.
    if (p.speakers.empty() && starts_quote && prev_open && prev_last) p.speakers.push_back(*prev_last);
    prev_open = ends_quote;
    prev_last = p.speakers.empty() ? std::nullopt : std::optional<std::string>(p.speakers.back());
  }
  if (info == nullptr) return;
  info->clear();
  for (const Passage& p : passages) {
    for (const std::string& s : p.speakers) info->emplace(s, SpeakerInfo{attributor.organisation(s), attributor.role(s)});
  }
}

}  // namespace dateline
