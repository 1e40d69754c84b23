/** @file
 *  @brief Plain text of a whole news page -> Article: chrome lines, body start, headline, header date,
 *  byline, outlet and wire, with provenance (see layout.h).
 */
#include "articles/layout.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "articles/data.h"
#include "articles/dates.h"
#include "articles/names.h"
#include "articles/outlets.h"
#include "articles/passages.h"
#include "articles/people.h"
#include "base/ascii.h"
#include "base/utf8.h"

namespace dateline {
namespace {

constexpr size_t kTitleMaxBytes = 250;
constexpr size_t kTitleMaxWords = 30;
constexpr size_t kProseMinWords = 12;
constexpr size_t kLookBack = 40;      // non-blank lines searched back for the headline
constexpr size_t kHeaderAfter = 15;   // non-blank lines after the body start still searched for date/byline
constexpr size_t kHeaderBefore = 8;   // non-blank lines above the headline searched for a date

struct Vocabulary {
  std::unordered_set<std::string> words, neutral;
  std::vector<std::string> phrases, related, captions;
};

const Vocabulary& vocabulary() {
  static const Vocabulary v = [] {
    Vocabulary out;
    auto bars = [](std::string_view rest, std::vector<std::string>& into) {
      size_t pos = 0;
      while (pos <= rest.size()) {
        size_t bar = rest.find(" | ", pos);
        std::string_view item =
            names::trim(rest.substr(pos, bar == std::string_view::npos ? bar : bar - pos));
        if (!item.empty()) into.emplace_back(item);
        if (bar == std::string_view::npos) break;
        pos = bar + 3;
      }
    };
    for (std::string_view line : names::split_lines(data::chrome())) {
      if (line.empty() || line[0] == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      std::string_view kind = line.substr(0, tab), rest = line.substr(tab + 1);
      if (kind == "word") {
        for (auto& w : names::split_words(rest)) out.words.insert(w);
      } else if (kind == "neutral") {
        for (auto& w : names::split_words(rest)) out.neutral.insert(w);
      } else if (kind == "phrase") {
        bars(rest, out.phrases);
      } else if (kind == "related") {
        bars(rest, out.related);
      } else if (kind == "caption") {
        bars(rest, out.captions);
      }
    }
    return out;
  }();
  return v;
}

/// Lower-cased letter words of a line (runs of letters, apostrophes and hyphens inside).
std::vector<std::string> letter_words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    utf8::Decoded d = utf8::decode(s, i);
    i += d.length;
    auto c = static_cast<UChar32>(d.code_point);
    bool letter = d.valid && (u_isalpha(c) || ((c == '-' || c == '\'') && !cur.empty()));
    if (letter) {
      char buf[4];
      int32_t k = 0;
      U8_APPEND_UNSAFE(buf, k, u_tolower(c));
      cur.append(buf, static_cast<size_t>(k));
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

/// `s` with every `from` replaced by `to`.
std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t p = s.find(from, pos);
    if (p == std::string_view::npos) break;
    out.append(s.substr(pos, p - pos));
    out.append(to);
    pos = p + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

bool starts_with_bullet(std::string_view t) {
  static constexpr std::array<std::string_view, 14> kBullets{
      "\xE2\x80\xA2", "\xE2\x96\xA1", "\xE2\x98\x86", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x96\xA0",
      "\xE2\x96\xBA", "\xE2\x96\xB8", "\xE2\x97\x8B", "\xE2\x97\x8F", "\xC2\xB7",     "* ",
      "\xE2\x98\xB0", "\xE2\x80\xBA"};
  for (std::string_view b : kBullets)
    if (t.rfind(b, 0) == 0) return true;
  return t == "*" || t == "-";
}

/// `t` without its leading bullets and dashes.
std::string_view strip_bullet(std::string_view t) {
  for (bool again = true; again;) {
    again = false;
    for (std::string_view b : {"\xE2\x80\xA2", "\xE2\x96\xA1", "\xE2\x98\x86", "\xC2\xB7", "*", "-"}) {
      if (t.rfind(b, 0) == 0) {
        t = names::trim(t.substr(b.size()));
        again = true;
      }
    }
  }
  return t;
}

/// `t` with [bracketed] groups and {{templates}} removed.
std::string without_placeholders(std::string_view t) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '[' || (c == '{' && i + 1 < t.size() && t[i + 1] == '{')) {
      ++depth;
      continue;
    }
    if (depth > 0 && (c == ']' || (c == '}' && i + 1 < t.size() && t[i + 1] == '}'))) {
      --depth;
      if (c == '}') ++i;
      continue;
    }
    if (depth == 0) out += c;
  }
  return out;
}

bool is_related_label(std::string_view t) {
  if (t.size() > 60) return false;
  std::string low = names::fold(t);
  while (!low.empty() && (low.back() == ':' || low.back() == '.' || low.back() == '>' || low.back() == ' '))
    low.pop_back();
  for (const std::string& r : vocabulary().related)
    if (low == r) return true;
  return false;
}

size_t word_count(std::string_view t) {
  return names::split_words(t).size();
}

/// Ends a sentence: . ! ? … possibly followed by closing quotes.
bool ends_sentence(std::string_view t) {
  t = names::trim(t);
  while (!t.empty()) {
    std::string_view last3 = t.size() >= 3 ? t.substr(t.size() - 3) : std::string_view();
    if (last3 == "\xE2\x80\x9D" || last3 == "\xE2\x80\x99" || last3 == "\xC2\xBB\x20") {
      t.remove_suffix(3);
      continue;
    }
    if (t.size() >= 2 && t.substr(t.size() - 2) == "\xC2\xBB") {
      t.remove_suffix(2);
      continue;
    }
    if (t.back() == '"' || t.back() == '\'' || t.back() == ')') {
      t.remove_suffix(1);
      continue;
    }
    break;
  }
  if (t.empty()) return false;
  char c = t.back();
  return c == '.' || c == '!' || c == '?' || (t.size() >= 3 && t.substr(t.size() - 3) == "\xE2\x80\xA6");
}

/// A line that is one quotation and nothing else ("'The most important thing is ...'", "\"... awaiting
/// someone.”"): a pull quote, not a headline.
bool whole_quote(std::string_view t) {
  static constexpr std::array<std::string_view, 8> kOpen{"\"",           "'",           "\xE2\x80\x9C",
                                                         "\xE2\x80\x98", "\xC2\xAB",     "\xE2\x80\x9E",
                                                         "\xE2\x80\x9A", "\xE2\x80\xB9"};
  static constexpr std::array<std::string_view, 7> kClose{"\"", "'", "\xE2\x80\x9D", "\xE2\x80\x99",
                                                          "\xC2\xBB", "\xE2\x80\x9C", "\xE2\x80\xBA"};
  bool open = false, close = false;
  for (auto o : kOpen) open = open || t.rfind(o, 0) == 0;
  for (auto c : kClose) close = close || (t.size() > c.size() && t.substr(t.size() - c.size()) == c);
  if (!open || !close) return false;
  // No closing mark in the middle followed by more words (a quoted kicker then a headline).
  size_t inner_quotes = 0;
  for (auto c : kClose) {
    size_t p = 1;
    while ((p = t.find(c, p)) != std::string_view::npos && p + c.size() < t.size()) {
      ++inner_quotes;
      p += c.size();
    }
  }
  return inner_quotes == 0;
}

/// A line of person names only ("Anna Menin", "Ibtisam Mahdi, Ruwaida Kamal Amer", "A and B"), the names.
std::vector<std::string> names_line(std::string_view t) {
  std::vector<std::string> out;
  if (t.size() > 120) return out;
  std::string s(t);
  for (std::string_view sep : {" and ", " & ", " y ", " e ", " et ", " und ", " и "})
    s = replace_all(s, sep, ", ");
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t comma = s.find(',', pos);
    std::string_view piece =
        names::trim(std::string_view(s).substr(pos, comma == std::string::npos ? comma : comma - pos));
    if (!piece.empty()) {
      auto n = names::person_name(piece);
      if (!n) return {};
      out.push_back(*n);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

bool is_chrome_line(std::string_view line) {
  std::string_view t = names::trim(line);
  if (t.empty() || t.size() > 1000) return false;  // furniture is short
  if (starts_with_bullet(t)) return true;
  std::string bare = without_placeholders(t);
  std::vector<std::string> words = letter_words(bare);
  size_t long_words = 0;
  for (const auto& w : words)
    if (w.size() >= 2) ++long_words;
  if (long_words == 0) return true;  // "[logo]", "[     ][Search]", "0", "6366", "|"
  if (bare.size() + 4 < t.size() && long_words <= 2) return true;  // "Search []", "Name(required) [   ]"
  const Vocabulary& v = vocabulary();
  size_t vocab = 0, other = 0;
  for (const auto& w : words) {
    if (v.neutral.count(w) || w.size() == 1) continue;
    if (v.words.count(w))
      ++vocab;
    else
      ++other;
  }
  if (vocab > 0 && vocab + other <= 8 && vocab >= 2 * other) return true;
  if (words.size() <= 40) {
    std::string low = names::fold(t);
    for (const std::string& p : v.phrases)
      if (low.find(p) != std::string::npos) return true;
  }
  if (t.back() == '|' || t.front() == '|' || t.front() == '/') return true;  // "Politics |", "/ Noticias..."
  // A form field: "[     ]".
  if (t.find("[ ") != std::string_view::npos && t.find("  ]") != std::string_view::npos) return true;
  // A relative time ("20 hours ago", "9 Hrs Ago", "hace 2 horas", "vor 3 Stunden", "5 часов назад").
  if (words.size() <= 5 && t.find_first_of("0123456789") != std::string_view::npos && !words.empty() &&
      (words.back() == "ago" || words.back() == "назад" || words.front() == "hace" ||
       words.front() == "vor" ||
       (words.size() >= 3 && words[0] == "il" && words[1] == "y" && words[2] == "a")))
    return true;
  return false;
}

/// Is this line a photo caption or credit: is_caption_line(), a credit marker ("Photo:", "Bildquelle:"),
/// a sentence followed by a parenthesised credit ("... last week. (AP Photo/X)"), or a credit alone in
/// parentheses ("(Elizabeth Conley / Houston Chronicle)")?
bool is_figure_line(std::string_view t) {
  if (t.empty()) return false;
  if (is_caption_line(t) || is_credit_line(t)) return true;
  if (t.size() <= 600) {
    std::string low = names::fold(t);
    for (const std::string& c : vocabulary().captions)
      if (low.find(c) != std::string::npos) return true;
  }
  if (t.back() == ')') {
    size_t open = t.rfind('(');
    if (open == 0 && t.size() <= 120) return true;
    if (open != std::string_view::npos && open > 0) {
      std::string_view before = names::trim(t.substr(0, open));
      bool sentence = !before.empty() && (before.back() == '.' || ends_sentence(before));
      if (sentence && t.size() - open <= 80) return true;
    }
  }
  return false;
}

std::string guess_language(std::string_view utf8) {
  struct Lang {
    const char* code;
    std::array<const char*, 8> words;
  };
  static const std::array<Lang, 7> kLangs{{
      {"en", {"the", "and", "of", "to", "said", "that", "is", "was"}},
      {"fr", {"le", "les", "des", "est", "et", "une", "dans", "du"}},
      {"es", {"el", "los", "las", "del", "que", "por", "una", "con"}},
      {"pt", {"os", "das", "não", "uma", "com", "para", "do", "em"}},
      {"de", {"der", "die", "und", "den", "nicht", "ist", "mit", "das"}},
      {"it", {"il", "della", "che", "di", "per", "sono", "non", "gli"}},
      {"ru", {"и", "в", "не", "на", "что", "с", "по", "его"}},
  }};
  std::unordered_map<std::string, size_t> counts;
  std::vector<std::string> words = letter_words(utf8.substr(0, std::min<size_t>(utf8.size(), 200000)));
  for (const auto& w : words) ++counts[w];
  std::string best = "en";
  size_t best_score = 0;
  for (const auto& l : kLangs) {
    size_t score = 0;
    for (const char* w : l.words) {
      auto it = counts.find(w);
      if (it != counts.end()) score += it->second;
    }
    if (score > best_score) {
      best_score = score;
      best = l.code;
    }
  }
  return best;
}

namespace {

// ---- Bylines ----------------------------------------------------------------------------------------

bool is_name_particle_prefix(std::string_view head) {
  static constexpr std::array<std::string_view, 9> kPrefixes{"Mc", "Mac", "De", "Di", "Da",
                                                             "La", "Le",  "O'", "Fitz"};
  for (auto p : kPrefixes)
    if (head == p) return true;
  return false;
}

/// Cuts rendering glue and trailing furniture off a byline's name list: "Evan HalperStaff Writer" ->
/// "Evan Halper", "Lucas Nolan22 Dec 2016651" -> "Lucas Nolan", "Megan Rowe meganr@x.com(509) 459" ->
/// "Megan Rowe", "Julia Horowitz   @juliakhorowitz November 29" -> "Julia Horowitz".
std::string clean_byline_rest(std::string_view rest) {
  std::string s;
  // Cut at a date, a handle, an e-mail, a digit, and the separators bylines use before other furniture.
  if (auto d = find_date_in_line(rest, DateOptions{false, true})) rest = rest.substr(0, d->begin);
  std::string low = ascii::lower(rest);
  for (std::string_view cut : {"|", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", "(", " on ", " le ", " el ",
                               " em ", " am ", "\t", ";", " at ", " updated", " published", " posted"}) {
    if (size_t p = low.find(cut); p != std::string::npos && p < rest.size()) {
      rest = rest.substr(0, p);
      low.resize(p);
    }
  }
  // A handle or an e-mail address ends the names: cut before its word.
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    size_t sp = rest.find_last_of(" \t", at);
    rest = rest.substr(0, sp == std::string_view::npos ? 0 : sp);
  }
  // Word by word: stop at a digit; split camel glue ("HalperStaff") unless it is a name prefix ("McCoy").
  std::vector<std::string> words = names::split_words(rest);
  std::vector<std::string> kept;
  for (std::string w : words) {
    size_t digit = w.find_first_of("0123456789");
    bool stop = false;
    if (digit != std::string::npos) {
      w.resize(digit);
      stop = true;
    }
    for (size_t i = 1; i + 1 < w.size(); ++i) {
      bool lower = w[i] >= 'a' && w[i] <= 'z';
      bool upper = w[i + 1] >= 'A' && w[i + 1] <= 'Z';
      if (lower && upper && !is_name_particle_prefix(std::string_view(w).substr(0, i + 1))) {
        w.resize(i + 1);
        stop = true;
        break;
      }
    }
    if (!w.empty()) kept.push_back(w);
    if (stop) break;
  }
  s = names::join(kept);
  for (bool again = true; again && !s.empty();) {
    again = false;
    if (std::string_view(", -|:;/").find(s.back()) != std::string_view::npos) {
      s.pop_back();
      again = true;
    } else if (s.size() >= 3 && (s.compare(s.size() - 3, 3, "\xE2\x80\x93") == 0 ||
                                 s.compare(s.size() - 3, 3, "\xE2\x80\x94") == 0)) {
      s.resize(s.size() - 3);
      again = true;
    }
  }
  return s;
}

/// The names of a byline's name list; a desk byline ("Staff and news service reports", "Our Foreign
/// Staff", "Editorial Staff") kept literally when it is short and capitalised.
std::vector<std::string> names_of_list(std::string_view list, bool allow_desk) {
  std::string s = clean_byline_rest(list);
  if (s.empty()) return {};
  // Roles after a comma ("Jane Doe, Staff Writer") and outlets after the names are dropped.
  std::vector<std::string> found;
  std::string norm = s;
  for (std::string_view sep : {" and ", " & ", " y ", " e ", " et ", " und ", " и ", " AND "})
    norm = replace_all(norm, sep, ",");
  size_t pos = 0;
  bool all_names = true;
  while (pos <= norm.size()) {
    size_t comma = norm.find(',', pos);
    std::string_view piece =
        names::trim(std::string_view(norm).substr(pos, comma == std::string::npos ? comma : comma - pos));
    if (!piece.empty()) {
      auto n = names::person_name(piece);
      if (!n) {
        // "Tom Davies Associated Press": a name then an outlet.
        size_t start = 0;
        if (auto o = outlet_suffix(piece, &start); o && start > 0)
          n = names::person_name(piece.substr(0, start));
      }
      if (!n && !found.empty()) {
        // A byline's later names may hold words the name rules doubt ("Jan Lukas Meier": "Jan" is also a
        // month, "Minh Do"): 2-4 capitalised words without digits, not an outlet.
        std::vector<std::string> w = names::split_words(piece);
        bool ok = w.size() >= 2 && w.size() <= 4 && !canonical_outlet(piece);
        for (const auto& x : w) ok = ok && names::starts_upper(x) && !names::has_digit(x);
        if (ok) n = names::title_case_caps(piece);
      }
      if (!n) {
        all_names = false;
        break;
      }
      found.push_back(*n);
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (all_names && !found.empty()) return found;
  if (!found.empty()) return found;  // names, then a role or outlet
  if (allow_desk && word_count(s) <= 6 && names::starts_upper(s) && !is_chrome_line(s)) return {s};
  return {};
}

}  // namespace

std::vector<std::string> byline_authors(std::string_view line) {
  std::string_view t = strip_bullet(names::trim(line));
  if (t.size() > 200) return {};
  static constexpr std::array<std::string_view, 16> kLabels{
      "article by", "written by", "words by", "story by", "reported by", "reporting by",
      "text by",    "author:",    "authors:", "autor:",   "auteur :",    "auteur:",
      "texto:",     "автор:",     "by",       "von"};
  static constexpr std::array<std::string_view, 4> kBy{"par", "por", "di", "от"};
  std::string low = names::fold(t.substr(0, std::min<size_t>(t.size(), 24)));
  std::string_view rest;
  bool found = false;
  for (std::string_view l : kLabels) {
    if (low.rfind(l, 0) != 0) continue;
    std::string_view after = t.substr(l.size());
    if (!after.empty() && after[0] != ' ' && after[0] != ':' && l.back() != ':') continue;
    rest = names::trim(after);
    if (!rest.empty() && rest[0] == ':') rest = names::trim(rest.substr(1));
    found = true;
    break;
  }
  if (!found) {
    for (std::string_view l : kBy) {
      if (low.rfind(l, 0) == 0 && t.size() > l.size() && t[l.size()] == ' ') {
        rest = names::trim(t.substr(l.size()));
        // "Di" / "Por": only when names follow (Italian "Di" also starts sentences).
        if (!rest.empty() && names::starts_upper(rest)) found = true;
        break;
      }
    }
  }
  if (!found || rest.empty() || !names::starts_upper(rest)) return {};
  if (word_count(rest) > 18 || ends_sentence(rest)) {
    // A sentence ("By entering the war, ...") is no byline unless a date ends it.
    if (!find_date_in_line(rest, DateOptions{false, true})) return {};
  }
  return names_of_list(rest, true);
}

namespace {

// ---- Layout -----------------------------------------------------------------------------------------

std::vector<PageLine> split_page(std::string_view utf8) {
  std::vector<PageLine> lines;
  size_t pos = 0, number = 0;
  while (pos <= utf8.size()) {
    size_t nl = utf8.find('\n', pos);
    if (nl == std::string_view::npos) nl = utf8.size();
    std::string_view raw = utf8.substr(pos, nl - pos);
    std::string_view t = trim_space(raw);
    PageLine l;
    l.number = ++number;
    l.begin = t.empty() ? pos : static_cast<size_t>(t.data() - utf8.data());
    l.text = t;
    l.indented = !t.empty() && l.begin > pos;
    lines.push_back(l);
    if (nl == utf8.size()) break;
    pos = nl + 1;
  }
  return lines;
}

bool is_header_date(std::string_view t) {
  if (t.size() > 200 || word_count(t) > 20) return false;
  return find_date_in_line(t, DateOptions{false, true}).has_value();
}

bool is_prose(std::string_view t) {
  size_t words = word_count(t);
  if (words < kProseMinWords) return false;
  // A question is as often a headline as a paragraph, and a trailing ellipsis marks a teaser: only long
  // ones count.
  std::string_view tail = t.substr(t.size() - std::min<size_t>(t.size(), 4));
  bool teaser = tail.find('?') != std::string_view::npos || tail.find("...") != std::string_view::npos ||
                tail.find("\xE2\x80\xA6") != std::string_view::npos;
  return (ends_sentence(t) && !teaser) || t.size() >= 200;
}

/// A byline label alone on its line ("By", "Article by", "Author:", "Par"): the names are on the next line.
bool is_byline_label(std::string_view line) {
  std::string low = names::fold(strip_bullet(line));
  while (!low.empty() && (low.back() == ':' || low.back() == ' ')) low.pop_back();
  return low == "by" || low == "article by" || low == "author" || low == "authors" || low == "par" ||
         low == "por" || low == "von" || low == "autor" || low == "written by";
}

bool title_like(std::string_view t) {
  if (t.empty() || t.size() > kTitleMaxBytes) return false;
  size_t words = word_count(t);
  if (words < 2 || words > kTitleMaxWords) return false;
  {
    size_t start = 0;
    auto o = outlet_suffix(t, &start);
    if (o && start > 0 && !names_line(names::trim(t.substr(0, start))).empty())
      return false;  // "Kevin Johnson and Kevin McCoy USA TODAY"
    size_t used = 0;
    if (outlet_prefix(t, &used) && used + 1 >= words) return false;  // "BuzzFeed News Reporter"
  }
  // A wire dateline ("WASHINGTON — The Globe and Mail"): a place in capitals, then a dash.
  {
    std::vector<std::string> w = names::split_words(t);
    bool dash = w.size() >= 2 && (w[1] == "\xE2\x80\x94" || w[1] == "-" || w[1] == "\xE2\x80\x93");
    if (dash && names::is_all_caps(w[0])) return false;
  }
  // An attribution ("— David McKinley on Sunday, ...") or a numbered list item ("1. Birmingham News").
  if (t.rfind("\xE2\x80\x94", 0) == 0 || t.rfind("\xE2\x80\x93", 0) == 0 || t.rfind("- ", 0) == 0)
    return false;
  if (t[0] >= '0' && t[0] <= '9') {
    size_t d = t.find_first_not_of("0123456789");
    if (d != std::string_view::npos && d + 1 < t.size() && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ')
      return false;
  }
  if (names::starts_lower(t)) return false;
  char last = t.back();
  if (last == ',' || last == ';' || last == ':' || last == '|' || last == '-') return false;
  if (ends_sentence(t)) {
    // "U.S. Troops Head Home From the U.S." ends in an abbreviation; a question or an exclamation is fine.
    std::string_view w = t.substr(t.find_last_of(' ') + 1);
    bool abbreviation = std::count(w.begin(), w.end(), '.') >= 2 || w.size() <= 3;
    if (t.back() == '.' && !abbreviation) return false;
  }
  if (whole_quote(t)) return false;
  if (canonical_outlet(t)) return false;  // a masthead
  if (is_figure_line(t)) return false;
  if (!byline_authors(t).empty()) return false;
  if (is_header_date(t) && words <= 12) return false;
  // A short label in capitals ("RELATED STORIES", "JOIN THE CONVERSATION").
  if (words <= 4) {
    bool caps = true;
    for (const auto& w : names::split_words(t))
      if (names::has_letter(w) && !names::is_all_caps(w)) caps = false;
    if (caps) return false;
  }
  return true;
}

}  // namespace

PageLayout analyse_page(std::string_view utf8) {
  PageLayout page;
  page.lines = split_page(utf8);
  std::vector<PageLine>& L = page.lines;
  const size_t n = L.size();

  // Context-free classes.
  std::unordered_map<std::string_view, size_t> repeats;
  for (auto& l : L)
    if (!l.text.empty()) ++repeats[l.text];
  for (auto& l : L) {
    if (l.text.empty()) continue;
    bool dated = is_header_date(l.text);
    bool byline = !byline_authors(l.text).empty();
    bool credit_as_byline = false;
    if (!dated && !byline && is_figure_line(l.text)) l.figure = true;
    // "Tom Davies Associated Press" over a date line is a byline, not a photo credit.
    if (l.figure && word_count(l.text) <= 8 && l.number < L.size()) {
      size_t start = 0;
      auto o = outlet_suffix(l.text, &start);
      if (o && start > 0 && !names_line(names::trim(l.text.substr(0, start))).empty()) {
        for (size_t j = l.number; j < L.size(); ++j) {
          if (L[j].text.empty()) continue;
          if (is_header_date(L[j].text)) {
            l.figure = false;
            credit_as_byline = true;
          }
          break;
        }
      }
    }
    if (is_chrome_line(l.text)) l.chrome = true;
    bool metadata = dated || byline || credit_as_byline;
    if (!metadata && !l.figure && l.text.size() <= 400 && is_boilerplate_line(l.text)) l.chrome = true;
    if (repeats[l.text] >= 3 && word_count(l.text) < 30) l.repeated = true;
    if (!l.chrome && !l.repeated && !l.figure && !dated && is_prose(l.text)) l.prose = true;
  }
  // Figures: the lines of a block above its caption's credit line.
  for (size_t i = 0; i < n; ++i) {
    std::string_view t = L[i].text;
    bool credit_only =
        !t.empty() && (is_credit_line(t) || (t.front() == '(' && t.back() == ')' && t.size() <= 120));
    if (!credit_only) continue;
    for (size_t k = i; k-- > 0 && !L[k].text.empty() && k + 2 >= i;) {
      const std::string_view above = L[k].text;
      if (is_header_date(above) || !byline_authors(above).empty() || !names_line(above).empty()) break;
      L[k].figure = true;
      L[k].prose = false;
    }
  }
  // Menus: runs of three or more one- or two-word lines (names and date lines do not count).
  for (size_t i = 0; i < n;) {
    auto shortish = [&](size_t k) {
      const auto& t = L[k].text;
      return !t.empty() && word_count(t) <= 2 && !is_header_date(t) && names_line(t).empty();
    };
    if (!shortish(i)) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && shortish(j)) ++j;
    if (j - i >= 3)
      for (size_t k = i; k < j; ++k) L[k].chrome = true;
    i = j;
  }
  // Related-story lists: a label, then everything up to the next paragraph of prose.
  for (size_t i = 0; i < n; ++i) {
    if (L[i].text.empty() || !is_related_label(L[i].text)) continue;
    L[i].chrome = L[i].related = true;
    // The list: bullet items and indented lines (w3m indents a list item's lines), and entries of a
    // headline with its section label, byline, date and one-paragraph teaser. The story resumes at a line
    // that is neither.
    auto item = [&](size_t k) { return L[k].indented || starts_with_bullet(L[k].text); };
    // An entry starts at k: within six non-blank lines, no list item, an entry headline, then a teaser.
    auto entry_ahead = [&](size_t k) {
      bool headline = false;
      size_t seen = 0;
      for (size_t j = k; j < n && seen < 6; ++j) {
        if (L[j].text.empty()) continue;
        ++seen;
        if (item(j)) return false;
        if (L[j].prose) {
          // A teaser stands alone; a paragraph followed by more prose is the story itself.
          for (size_t m = j + 1; m < n; ++m) {
            if (L[m].text.empty() || L[m].chrome) continue;
            if (L[m].prose) return false;
            break;
          }
          return headline;
        }
        if (title_like(L[j].text) && word_count(L[j].text) >= 4) headline = true;
      }
      return false;
    };
    bool in_entry = false;
    size_t seen = 0;
    for (size_t k = i + 1; k < n && seen < 60; ++k) {
      if (L[k].text.empty()) continue;
      ++seen;
      if (!item(k)) {
        if (in_entry) {
          if (L[k].prose) in_entry = false;  // the teaser ends the entry
        } else if (entry_ahead(k)) {
          in_entry = !L[k].prose;
        } else {
          break;
        }
      }
      L[k].chrome = L[k].related = true;
      L[k].prose = false;
    }
  }

  // Body start.
  page.body = n;
  for (size_t i = 0; i < n && page.body == n; ++i) {
    if (!L[i].prose) continue;
    size_t seen = 0;
    for (size_t k = i + 1; k < n && seen < 6; ++k) {
      if (L[k].text.empty() || L[k].chrome) continue;
      ++seen;
      if (L[k].prose) {
        page.body = i;
        break;
      }
    }
  }
  if (page.body == n)
    for (size_t i = 0; i < n; ++i)
      if (L[i].prose) {
        page.body = i;
        break;
      }

  // Other stories' headlines after the body start (sidebars, "most read" strips): a block of headline-like
  // lines without a paragraph of prose or a sentence end ("Trump says he went through ‘very routine
  // physical’"). Short subheadings of the story go with them; they are not text to quote anyway.
  for (size_t i = page.body; i < n;) {
    if (L[i].text.empty()) {
      ++i;
      continue;
    }
    size_t j = i;
    bool headlines = true;
    while (j < n && !L[j].text.empty()) {
      const PageLine& l = L[j];
      if (l.prose || ends_sentence(l.text) || (!l.chrome && !l.figure && !title_like(l.text) && !l.indented))
        headlines = false;
      ++j;
    }
    for (size_t k = i; k < j; ++k) {
      // A headline line that reports speech in the present ("Newsom says yes", "Barr reportedly tells
      // people ..."), anywhere in a block.
      bool says = false;
      if (!L[k].prose && !ends_sentence(L[k].text) && title_like(L[k].text))
        for (const auto& w : letter_words(L[k].text)) says = says || is_present_speech_verb(w);
      // The story's own byline or contact line at its foot is not another story's.
      if (!byline_authors(L[k].text).empty() || extract_labelled_author(L[k].text)) continue;
      if (says || (headlines && (L[k].indented || j - i >= 2))) L[k].related = L[k].chrome = true;
    }
    i = j;
  }

  // A teaser: a paragraph glued under another story's headline (same block) and followed by more chrome.
  for (size_t k = page.body + 1; k + 1 < n; ++k) {
    if (!L[k].prose || L[k - 1].text.empty() || !L[k - 1].related) continue;
    size_t next = k + 1;
    while (next < n && L[next].text.empty()) ++next;
    if (next < n && (L[next].chrome || L[next].related)) {
      L[k].related = L[k].chrome = true;
      L[k].prose = false;
    }
  }

  // Headline: walk back from the first "By" byline above the body (or from the body).
  size_t anchor = page.body;
  {
    size_t seen = 0;
    for (size_t k = page.body; k-- > 0 && seen < kLookBack;) {
      if (L[k].text.empty()) continue;
      ++seen;
      if (!L[k].chrome && !byline_authors(L[k].text).empty() && names::fold(L[k].text.substr(0, 3)) == "by ")
        anchor = k;
    }
  }
  auto dates_or_bylines = [&](size_t j) {
    return is_header_date(L[j].text) || !byline_authors(L[j].text).empty();
  };
  auto near_date = [&](size_t k) {
    size_t seen = 0;
    for (size_t j = k + 1; j < n && seen < 2; ++j)
      if (!L[j].text.empty() && ++seen && dates_or_bylines(j)) return true;
    seen = 0;
    for (size_t j = k; j-- > 0 && seen < 2;)
      if (!L[j].text.empty() && ++seen && dates_or_bylines(j)) return true;
    return false;
  };
  // "Article by" / "Author:" alone on the line above: the line is the byline's name.
  auto after_byline_label = [&](size_t k) {
    for (size_t j = k; j-- > 0;) {
      if (L[j].text.empty()) continue;
      return is_byline_label(L[j].text);
    }
    return false;
  };
  std::optional<size_t> c1, two_words;
  {
    size_t seen = 0;
    for (size_t k = anchor; k-- > 0 && seen < kLookBack;) {
      const PageLine& l = L[k];
      if (l.text.empty()) continue;
      ++seen;
      if (l.chrome || l.figure || l.prose) continue;
      if (title_like(l.text)) {
        // Two words, or a person's name (a byline), are taken only when nothing better is found.
        if (word_count(l.text) < 3 || !names_line(l.text).empty()) {
          if (near_date(k)) continue;
          if (!two_words) two_words = k;  // "Article history": taken only when nothing longer is found
          continue;
        }
        c1 = k;
        break;
      }
    }
  }
  if (!c1) c1 = two_words;
  if (c1) {
    // A page that opens with its date line, straight above the candidate, states no headline.
    size_t first = 0;
    while (first < n && L[first].text.empty()) ++first;
    if (first < *c1 && is_header_date(L[first].text) && word_count(L[first].text) <= 12) {
      bool chrome_between = false;
      for (size_t k = first + 1; k < *c1; ++k) chrome_between = chrome_between || L[k].chrome;
      if (!chrome_between) c1.reset();
    }
  }
  if (c1) {
    size_t title = *c1;
    // A title-like line straight above (blank lines between) that is not longer: c1 is its deck.
    size_t k = *c1;
    while (k > 0 && L[k - 1].text.empty()) --k;
    if (k > 0 && k != *c1 && title_like(L[k - 1].text) && !L[k - 1].chrome && !L[k - 1].figure &&
        !(names_line(L[k - 1].text).size() > 0 && (near_date(k - 1) || after_byline_label(k - 1)))) {
      std::string_view above = L[k - 1].text;
      const auto npos = std::string_view::npos;
      bool breadcrumb = above.find(" / ") != npos || above.find('>') != npos || above.find(" | ") != npos ||
                        above.find("\xC2\xBB") != npos;
      if (above == L[*c1].text) {
        title = k - 1;
      } else if (!breadcrumb && word_count(above) <= word_count(L[*c1].text)) {
        title = k - 1;
        page.subtitle = *c1;
      }
    }
    page.title = title;
    std::string t = names::collapse_spaces(L[title].text);
    // "Headline | Outlet", "Headline - Outlet": the suffix names the outlet.
    for (std::string_view sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
      size_t at = t.rfind(sep);
      if (at == std::string::npos || at == 0) continue;
      std::string_view suffix = names::trim(std::string_view(t).substr(at + sep.size()));
      if (auto o = canonical_outlet(suffix)) {
        page.title_outlet = *o;
        t = names::collapse_spaces(std::string_view(t).substr(0, at));
        break;
      }
    }
    page.title_text = t;
  }
  return page;
}

namespace {

/// Index range of the header region: from the headline (or some lines above the body) to some lines past
/// the body start.
struct Region {
  size_t begin, end;
};

Region header_region(const PageLayout& page) {
  const auto& L = page.lines;
  size_t begin = page.title ? *page.title : page.body;
  if (!page.title) {
    size_t seen = 0;
    while (begin > 0 && seen < 15) {
      --begin;
      if (!L[begin].text.empty()) ++seen;
    }
  }
  size_t end = std::min(page.body, L.size());
  size_t seen = 0;
  while (end < L.size() && seen < kHeaderAfter) {
    if (!L[end].text.empty()) ++seen;
    ++end;
  }
  return {begin, end};
}

void set_source(Article& a, const char* field, const PageLine& l) {
  a.provenance[field] = FieldSource{l.number, std::string(l.text)};
}

/// The date of the header: the first publication date from the headline down (before the body any date
/// in a short line; after it only lines that are date lines), else the first update date, else a date in
/// the lines just above the headline.
void find_date(const PageLayout& page, const DateOptions& options, Article& a) {
  const auto& L = page.lines;
  Region r = header_region(page);
  std::optional<size_t> update_line;
  std::optional<std::string> update_iso;
  auto try_line = [&](size_t k, bool lenient) -> bool {
    const PageLine& l = L[k];
    if (l.text.empty() || l.prose || l.figure || l.related) return false;
    // An attribution ("— The New York Times (@nytimes) December 23, 2016") dates an embedded post.
    if (l.text.rfind("\xE2\x80\x94", 0) == 0 || l.text.rfind("\xE2\x80\x93", 0) == 0) return false;
    std::string_view t = strip_bullet(l.text);
    size_t words = word_count(t);
    if (words > (lenient ? 24 : 14) || (words >= 8 && ends_sentence(t))) return false;
    std::optional<FoundDate> d = find_date_in_line(t, options);
    if (!d) return false;
    // A label alone on the line above ("Updated:", "Original:") says what the date is.
    for (size_t j = k; j-- > 0;) {
      if (L[j].text.empty()) continue;
      if (auto update = date_label(strip_bullet(L[j].text))) d->updated = *update;
      break;
    }
    if (d->updated) {
      if (!update_iso) {
        update_iso = d->iso;
        update_line = k;
      }
      return false;
    }
    a.date = d->iso;
    set_source(a, "date", l);
    return true;
  };
  for (size_t k = r.begin; k < r.end; ++k)
    if (try_line(k, k < page.body)) return;
  if (page.title) {
    size_t seen = 0;
    for (size_t k = *page.title; k-- > 0 && seen < kHeaderBefore;) {
      if (L[k].text.empty()) continue;
      ++seen;
      if (L[k].chrome) continue;
      if (try_line(k, true)) return;
    }
  }
  if (update_iso) {
    a.date = update_iso;
    set_source(a, "date", L[*update_line]);
  }
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// The byline of the header: a "By"-style line, a label line ("Article by", "Author") over the names, or
/// lines of names next to the headline, deck or date. Desk and agency bylines are kept as printed.
void find_author(const PageLayout& page, Article& a) {
  const auto& L = page.lines;
  Region r = header_region(page);
  auto next_text = [&](size_t k) -> std::optional<size_t> {
    for (size_t j = k + 1; j < L.size() && j < k + 4; ++j)
      if (!L[j].text.empty()) return j;
    return std::nullopt;
  };
  // 1. Explicit bylines.
  for (size_t k = r.begin; k < r.end; ++k) {
    const PageLine& l = L[k];
    if (l.text.empty() || l.prose || l.figure || l.related) continue;
    std::vector<std::string> names = byline_authors(l.text);
    if (names.empty()) {
      // "By" / "Article by" / "Author:" alone: the names are on the next line.
      if (is_byline_label(l.text)) {
        if (auto j = next_text(k)) {
          std::string_view t = strip_bullet(L[*j].text);
          names = byline_authors(t);
          if (names.empty()) names = names_of_list(t, false);
          if (!names.empty()) {
            a.author = join_names(names);
            set_source(a, "author", L[*j]);
            return;
          }
        }
      }
      continue;
    }
    a.author = join_names(names);
    set_source(a, "author", l);
    return;
  }
  // 2. Lines of names (possibly with an outlet after them) between the headline and the body, beside a
  // date line, the headline or the deck; consecutive name lines are co-authors. An agency alone
  // ("PTI", "AFP 30 avril 2015") is a desk byline.
  if (!page.title) return;
  std::vector<std::string> found;
  std::optional<size_t> first;
  for (size_t k = *page.title + 1; k < r.end && k <= page.body + 8; ++k) {
    const PageLine& l = L[k];
    if (l.text.empty() || l.figure || l.related) continue;
    if (l.prose) {
      if (k >= page.body && !found.empty()) break;
      continue;
    }
    if (l.chrome && !names_line(l.text).empty() == false) continue;
    std::string_view t = l.text;
    std::vector<std::string> names = names_of_list(t, false);
    // A desk byline straight above the date line ("Redacción EC" / "07/05/2022 20H06"), repeats aside.
    if (names.empty() && found.empty() && word_count(t) <= 3 && names::starts_upper(t) && !l.chrome &&
        !title_like(t) && !is_header_date(t)) {
      for (size_t j = k + 1; j < L.size() && j < k + 4; ++j) {
        if (L[j].text.empty() || L[j].text == t) continue;
        if (is_header_date(L[j].text) && word_count(L[j].text) <= 12) {
          a.author = std::string(t);
          set_source(a, "author", l);
          return;
        }
        break;
      }
    }
    // A wire or agency alone, or before a date: the desk byline as printed.
    if (names.empty()) {
      std::string_view head = t;
      if (auto d = find_date_in_line(t, DateOptions{false, true})) head = names::trim(t.substr(0, d->begin));
      std::string_view h = head;
      while (!h.empty() && (h.back() == ',' || h.back() == '-')) h.remove_suffix(1);
      if (!h.empty() && is_wire(h) && word_count(h) <= 3 && found.empty()) {
        a.author = std::string(names::trim(h));
        set_source(a, "author", l);
        return;
      }
    }
    if (!names.empty() && word_count(t) <= 12 && !l.chrome) {
      bool near_date = false;
      for (size_t j = (k >= 3 ? k - 3 : 0); j < std::min(L.size(), k + 4); ++j)
        if (j != k && !L[j].text.empty() && is_header_date(L[j].text)) near_date = true;
      if (near_date || (found.empty() && k <= page.body)) {
        for (auto& nm : names)
          if (std::find(found.begin(), found.end(), nm) == found.end()) found.push_back(nm);
        if (!first) first = k;
        continue;
      }
    }
    if (!found.empty() && !names_line(t).empty()) continue;
    if (!found.empty() && (t.size() <= 3 || is_header_date(t))) continue;  // "LP", initials; the date line
    if (!found.empty()) break;
  }
  if (!found.empty()) {
    a.author = join_names(found);
    set_source(a, "author", L[*first]);
  }
}

/// Without a byline in the header: an author label or contact line anywhere ("Author's name X", "X can be
/// reached at ..."), outside the page chrome.
void find_labelled_author(const PageLayout& page, Article& a) {
  for (const PageLine& l : page.lines) {
    if (l.text.empty() || l.related || l.figure) continue;
    if (auto name = extract_labelled_author(l.text)) {
      a.author = name;
      set_source(a, "author", l);
      return;
    }
  }
}

/// Wire copy: an agency named in the byline region ("Tom Davies Associated Press", "AFP 30 avril 2015",
/// "PTI") or in the wire dateline that opens the body ("MOSCOW (AP) —", "KVELLER via JTA —").
void find_wire(const PageLayout& page, Article& a) {
  const auto& L = page.lines;
  Region r = header_region(page);
  auto take = [&](const std::string& w, const PageLine& l) {
    a.wire = w;
    set_source(a, "wire", l);
  };
  for (size_t k = r.begin; k < std::min(r.end, page.body + 1); ++k) {
    const PageLine& l = L[k];
    if (l.text.empty() || l.figure || l.related || l.chrome) continue;
    std::string_view t = l.text;
    if (k == page.body) {
      // Wire dateline: "CITY (AP) —" or "X via AGENCY —" in the first 80 bytes.
      std::string_view head = t.substr(0, std::min<size_t>(t.size(), 80));
      size_t open = head.find('(');
      size_t close = open == std::string_view::npos ? open : head.find(')', open);
      if (close != std::string_view::npos) {
        std::string_view inner = head.substr(open + 1, close - open - 1);
        if (auto c = canonical_outlet(inner); c && is_wire(*c)) return take(*c, l);
      }
      size_t via = head.find(" via ");
      if (via != std::string_view::npos) {
        std::string_view after = head.substr(via + 5);
        size_t dash = after.find_first_of("-\xE2");
        std::string_view agency = names::trim(after.substr(0, dash));
        if (auto c = canonical_outlet(agency); c && is_wire(*c)) return take(*c, l);
      }
      continue;
    }
    if (l.prose || word_count(t) > 24) continue;
    if (auto d = find_date_in_line(t, DateOptions{false, true})) t = names::trim(t.substr(0, d->begin));
    t = strip_bullet(t);
    if (t.empty() || word_count(t) > 8) continue;
    // "Tom Davies Associated Press", "By Jane Doe, Reuters": names, then the agency.
    size_t start = 0;
    if (auto o = outlet_suffix(t, &start); o && is_wire(*o)) {
      std::string_view names = names::trim(t.substr(0, start));
      while (!names.empty() && (names.back() == ',' || names.back() == '|')) names.remove_suffix(1);
      if (names.empty() || !byline_authors(names).empty() || !names_line(names).empty()) return take(*o, l);
    }
    // "AFP", "PTI, Washington,": the agency alone or before a place.
    std::vector<std::string> words = names::split_words(t);
    if (!words.empty() && words.size() <= 3) {
      std::string first = words[0];
      while (!first.empty() && (first.back() == ',' || first.back() == ':')) first.pop_back();
      if (auto c = canonical_outlet(first); c && is_wire(*c)) return take(*c, l);
    }
  }
}

/// A masthead: a line above the headline (or the body) that is a known outlet's name, or says "Welcome to
/// X" / "X News" / "X Logo"; list bullets (menu items name sections) and wires do not count.
std::optional<size_t> masthead_line(const PageLayout& page, std::string* outlet) {
  const auto& L = page.lines;
  size_t top = page.title ? *page.title : page.body;
  for (size_t k = 0; k < top && k < L.size(); ++k) {
    std::string_view t = L[k].text;
    if (t.empty() || t.size() > 120 || starts_with_bullet(t) || L[k].related) continue;
    std::string_view s = t;
    std::optional<std::string> o = canonical_outlet(s);
    std::string low = names::fold(s);
    if (!o && low.rfind("welcome to ", 0) == 0) {
      size_t used = 0;
      o = outlet_prefix(s.substr(11), &used);
    }
    if (!o) {
      // "St. Lucia Times News St. Lucia Times News", "tagesschau.de-Logo", "Opposing Views home".
      size_t used = 0;
      o = outlet_prefix(s, &used);
      size_t words = word_count(s);
      if (o && !(used + 1 >= words || words <= 3 || s.find(*o) != std::string_view::npos)) o.reset();
      if (o && word_count(*o) < 2 && words > used) o.reset();  // "Newsday on Facebook ...": one word is weak
    }
    if (o && !is_wire(*o)) {
      *outlet = *o;
      return k;
    }
  }
  return std::nullopt;
}

/// The outlet: the headline's "| Outlet" suffix, a masthead line above the headline, the publisher signals
/// of extract_outlet() (copyright line, staff e-mail, "Subscribe to X", ...), the hints' URL. A wire is
/// the outlet only when nothing names the site.
void find_outlet(const PageLayout& page, std::string_view utf8, const TextHints& hints, Article& a) {
  const auto& L = page.lines;
  if (page.title_outlet && !is_wire(*page.title_outlet)) {
    a.outlet = page.title_outlet;
    set_source(a, "outlet", L[*page.title]);
    return;
  }
  std::string masthead;
  if (auto k = masthead_line(page, &masthead)) {
    a.outlet = masthead;
    set_source(a, "outlet", L[*k]);
    return;
  }
  size_t line = 0;
  std::optional<std::string> scored = extract_outlet(utf8, &line);
  if (scored && !is_wire(*scored)) {
    a.outlet = scored;
    if (line > 0 && line <= L.size()) set_source(a, "outlet", L[line - 1]);
    return;
  }
  if (hints.url) {
    if (auto o = canonical_outlet(*hints.url)) {
      a.outlet = o;
      a.provenance["outlet"] = FieldSource{0, *hints.url};
      return;
    }
  }
  if (scored) {
    a.outlet = scored;
    if (line > 0 && line <= L.size()) set_source(a, "outlet", L[line - 1]);
    return;
  }
  // Last: a line that is nothing but a known outlet's name (a footer masthead), outside quotes and lists.
  for (const PageLine& l : L) {
    if (l.text.empty() || l.text.size() > 60 || starts_with_bullet(l.text) || l.indented || l.prose) continue;
    if (auto o = canonical_outlet(l.text); o && !is_wire(*o) && word_count(l.text) >= 2) {
      a.outlet = o;
      set_source(a, "outlet", l);
      return;
    }
  }
}

}  // namespace

Article extract_text_article(std::string_view utf8, const TextHints& hints, size_t max_passage_bytes) {
  Article a;
  PageLayout page = analyse_page(utf8);
  const auto& L = page.lines;
  std::string lang = hints.language ? *hints.language : guess_language(utf8);
  DateOptions options;
  options.day_first = lang != "en";
  options.two_digit_year = true;

  if (page.title) {
    a.title = page.title_text;
    set_source(a, "title", L[*page.title]);
  }
  if (page.subtitle) a.subtitle = names::collapse_spaces(L[*page.subtitle].text);
  find_date(page, options, a);
  find_author(page, a);
  if (!a.author) find_labelled_author(page, a);
  find_wire(page, a);
  find_outlet(page, utf8, hints, a);
  if (a.outlet && a.wire && *a.outlet == *a.wire) a.wire.reset();

  PassageOptions po;
  po.max_passage_bytes = max_passage_bytes;
  // Passages start under the headline (its deck), else at the body; chrome and captions are never text.
  // Without a headline every line may be text: a short first paragraph above the body start is kept (only
  // the chrome and header lines are skipped).
  size_t body_line = 0;
  if (page.title) body_line = (page.subtitle ? *page.subtitle : *page.title) + 1;
  po.body_begin = body_line < L.size() ? L[body_line].begin : utf8.size();
  // `furniture_too`: also skip the lines taken for page furniture. When that leaves no text at all (an
  // article of short or repeated paragraphs, which the chrome rules cannot tell from a menu or a headline),
  // the whole text is split again with only the headline and header lines skipped: an article is never lost
  // to the layout rules.
  auto skip_ranges = [&](bool furniture_too, size_t first_line) {
    SkipRanges skip;
    for (size_t k = first_line; k < L.size(); ++k) {
      const PageLine& l = L[k];
      bool title_again = page.title && l.text == L[*page.title].text;
      // The byline and date lines of the header are metadata, not text.
      bool header = k < page.body && (is_header_date(l.text) || !names_line(l.text).empty());
      bool source = false;
      for (const char* f : {"date", "author"}) {
        auto it = a.provenance.find(f);
        source = source || (it != a.provenance.end() && it->second.line == l.number);
      }
      bool furniture = furniture_too && (l.chrome || l.repeated || l.related || l.figure);
      if (l.text.empty() || !(furniture || title_again || header || source)) continue;
      size_t end = l.begin + l.text.size();
      if (!skip.empty() && skip.back().second >= l.begin) {
        skip.back().second = end;
      } else {
        skip.emplace_back(l.begin, end);
      }
    }
    return skip;
  };
  a.passages = split_passages(utf8, po, skip_ranges(true, body_line));
  if (a.passages.empty()) {
    po.body_begin = 0;
    a.passages = split_passages(utf8, po, skip_ranges(false, 0));
  }
  attribute_speakers(a.passages, excluded_speakers(a), &a.speaker_info);
  return a;
}

}  // namespace dateline
