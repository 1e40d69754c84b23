/** @file
 *  @brief Publication dates: parsing the forms news pages use, and finding the one in the header.
 */
#include "articles/dates.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "articles/data.h"
#include "articles/names.h"
#include "articles/passages.h"
#include "base/ascii.h"
#include "base/calendar.h"
#include "base/utf8.h"

namespace dateline {
namespace {

constexpr size_t kMaxDateExpression = 100;  // bytes: a date with weekday, time and zone fits easily
constexpr size_t kMaxDateLine = 160;        // bytes: "Outlet - Weekday, Month D, YYYY - Updated ..." fits
constexpr size_t kMaxHeaderLines = 12;      // non-blank lines looked at before giving up on the header

enum class Kind { kNum, kWord, kPunct };

struct Tok {
  Kind kind;
  std::string text;  // lowercased for words
  int value = 0;     // numbers
};

bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

/// The letter starting at s[i] (any script, lower-cased into `out`) and its length in bytes; 0 when
/// s[i] does not start a letter.
size_t letter_at(std::string_view s, size_t i, std::string* out) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    if (!is_ascii_alpha(s[i])) return 0;
    if (out) *out += ascii::lower(s[i]);
    return 1;
  }
  utf8::Decoded d = utf8::decode(s, i);
  auto cp = static_cast<UChar32>(d.code_point);
  if (!d.valid || !u_isalpha(cp)) return 0;
  if (out) {
    UChar32 low = u_tolower(cp);
    char buf[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, low);
    out->append(buf, static_cast<size_t>(n));
  }
  return d.length;
}

/// Splits into runs of letters (any script, lower-cased), runs of digits and single ASCII punctuation
/// characters. Other non-ASCII characters (no-break spaces, dashes) and whitespace separate tokens.
std::vector<Tok> tokenize(std::string_view s) {
  std::vector<Tok> toks;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (letter_at(s, i, nullptr) > 0) {
      size_t j = i;
      std::string w;
      while (j < s.size()) {
        size_t n = letter_at(s, j, &w);
        if (n == 0) break;
        j += n;
      }
      toks.push_back({Kind::kWord, std::move(w)});
      i = j;
    } else if (is_ascii_digit(c)) {
      size_t j = i;
      while (j < s.size() && is_ascii_digit(s[j])) ++j;
      std::string digits(s.substr(i, j - i));
      int value = digits.size() <= 6 ? std::stoi(digits) : -1;
      toks.push_back({Kind::kNum, std::move(digits), value});
      i = j;
    } else if (static_cast<unsigned char>(c) >= 0x80 || c == ' ' || (c >= '\t' && c <= '\r')) {
      ++i;
    } else {
      toks.push_back({Kind::kPunct, std::string(1, c)});
      ++i;
    }
  }
  return toks;
}

/// The vocabulary of data/date_words.txt, parsed once.
struct DateWords {
  std::unordered_map<std::string, int> months;  // other languages' month names and abbreviations
  std::unordered_set<std::string> weekdays, fillers;
  std::vector<std::pair<std::string, bool>> labels;  // label, is_update; longest first
};

const DateWords& date_words() {
  static const DateWords words = [] {
    DateWords w;
    for (std::string_view line : names::split_lines(data::date_words())) {
      if (line.empty() || line[0] == '#') continue;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      std::string kind(line.substr(0, tab));
      std::string_view rest = line.substr(tab + 1);
      if (kind == "published" || kind == "updated") {
        size_t pos = 0;
        while (pos <= rest.size()) {
          size_t bar = rest.find(" | ", pos);
          std::string_view label =
              names::trim(rest.substr(pos, bar == std::string_view::npos ? bar : bar - pos));
          if (!label.empty()) w.labels.emplace_back(std::string(label), kind == "updated");
          if (bar == std::string_view::npos) break;
          pos = bar + 3;
        }
        continue;
      }
      for (const std::string& word : names::split_words(rest)) {
        if (kind == "weekday") {
          w.weekdays.insert(word);
        } else if (kind == "filler") {
          w.fillers.insert(word);
        } else {
          int m = std::atoi(kind.c_str());
          if (m >= 1 && m <= 12) w.months.emplace(word, m);
        }
      }
    }
    std::stable_sort(w.labels.begin(), w.labels.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return w;
  }();
  return words;
}

int english_month(std::string_view w);

int month_of(std::string_view w) {
  if (int m = english_month(w)) return m;
  auto it = date_words().months.find(std::string(w));
  return it == date_words().months.end() ? 0 : it->second;
}

int english_month(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kFull{"january",   "february", "march",    "april",
                                                          "may",       "june",     "july",     "august",
                                                          "september", "october",  "november", "december"};
  for (size_t m = 0; m < kFull.size(); ++m) {
    if (w == kFull[m]) return static_cast<int>(m) + 1;
    if (w.size() >= 3 && w.size() < kFull[m].size() && kFull[m].substr(0, w.size()) == w) {
      // Abbreviations: "feb", "sept", "sep"; "ma" is neither March nor May.
      if (w.size() == 3 || (w == "sept") || (w == "febr")) return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

bool is_weekday(std::string_view w) {
  if (date_words().weekdays.count(std::string(w)) != 0) return true;
  static constexpr std::array<std::string_view, 7> kDays{"monday", "tuesday",  "wednesday", "thursday",
                                                         "friday", "saturday", "sunday"};
  for (auto d : kDays) {
    if (w == d) return true;
    if (w.size() >= 3 && w.size() < d.size() && d.substr(0, w.size()) == w &&
        (w.size() == 3 || w == "tues" || w == "thur" || w == "thurs" || w == "weds"))
      return true;
  }
  return false;
}

bool is_zone(std::string_view w) {
  static constexpr std::array<std::string_view, 27> kZones{
      "z",   "utc", "gmt", "et",   "est", "edt",  "ct",  "cst", "cdt", "mt",   "mst",  "mdt", "pt", "pst",
      "pdt", "bst", "cet", "cest", "eet", "eest", "msk", "ist", "jst", "aest", "aedt", "wib", "hkt"};
  return std::find(kZones.begin(), kZones.end(), w) != kZones.end();
}

bool punct(const std::vector<Tok>& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Kind::kPunct && t[i].text[0] == c;
}
bool num(const std::vector<Tok>& t, size_t i) {
  return i < t.size() && t[i].kind == Kind::kNum;
}
bool word(const std::vector<Tok>& t, size_t i, std::string_view w) {
  return i < t.size() && t[i].kind == Kind::kWord && t[i].text == w;
}

/// Length of an "am"/"pm"/"a.m."/"p.m." marker at t[i], or 0.
size_t ampm_length(const std::vector<Tok>& t, size_t i) {
  if (word(t, i, "am") || word(t, i, "pm")) return punct(t, i + 1, '.') ? 2 : 1;
  if ((word(t, i, "a") || word(t, i, "p")) && punct(t, i + 1, '.') && word(t, i + 2, "m"))
    return punct(t, i + 3, '.') ? 4 : 3;
  return 0;
}

/// Removes times of day ("10:42", "10:42:07.123", "5 p.m.", "T10:00:00Z", "+02:00", "ET") and weekdays.
std::vector<Tok> strip_time_and_weekday(std::vector<Tok> t) {
  // A year with the time glued on by rendering: "20163:33 PM" is "2016 3:33 PM".
  for (size_t i = 0; i + 2 < t.size(); ++i) {
    if (num(t, i) && (t[i].text.size() == 5 || t[i].text.size() == 6) && punct(t, i + 1, ':') &&
        num(t, i + 2) && t[i + 2].text.size() == 2) {
      std::string year = t[i].text.substr(0, 4), hour = t[i].text.substr(4);
      t[i] = Tok{Kind::kNum, year, std::atoi(year.c_str())};
      Tok hour_tok{Kind::kNum, hour, std::atoi(hour.c_str())};
      t.insert(t.begin() + static_cast<std::ptrdiff_t>(i) + 1, hour_tok);
    }
  }
  std::vector<Tok> out;
  size_t i = 0;
  while (i < t.size()) {
    // "20H06", "20h06", "18 h 30": a time of day in the French/Spanish style.
    bool h_time = num(t, i) && t[i].text.size() <= 2 && word(t, i + 1, "h") && num(t, i + 2);
    if (h_time && t[i + 2].text.size() == 2) {
      i += 3;
      continue;
    }
    bool colon_time = num(t, i) && punct(t, i + 1, ':') && num(t, i + 2) && t[i].text.size() <= 2;
    bool bare_ampm = num(t, i) && t[i].text.size() <= 2 && ampm_length(t, i + 1) > 0;
    if (colon_time || bare_ampm) {
      // "T" glued before an ISO time, or "at" before a spoken one.
      if (!out.empty() && out.back().kind == Kind::kWord &&
          (out.back().text == "t" || out.back().text == "at"))
        out.pop_back();
      size_t j = i + 1;
      if (colon_time) {
        j = i + 3;
        if (punct(t, j, ':') && num(t, j + 1)) j += 2;
        if (punct(t, j, '.') && num(t, j + 1) && !num(t, j + 2)) j += 2;  // fractional seconds
      }
      j += ampm_length(t, j);
      // Zone: "Z", "+02:00", "-0500", "ET", "(EST)".
      if (word(t, j, "z")) ++j;
      if ((punct(t, j, '+') || punct(t, j, '-')) && num(t, j + 1) && t[j + 1].text.size() <= 4) {
        j += 2;
        if (punct(t, j, ':') && num(t, j + 1)) j += 2;
      }
      if (punct(t, j, '(') && j + 1 < t.size() && t[j + 1].kind == Kind::kWord && is_zone(t[j + 1].text) &&
          punct(t, j + 2, ')'))
        j += 3;
      if (j < t.size() && t[j].kind == Kind::kWord && is_zone(t[j].text)) ++j;
      if (word(t, j, "uhr") || word(t, j, "h") || word(t, j, "hs") || word(t, j, "hrs")) ++j;
      i = j;
      continue;
    }
    if (t[i].kind == Kind::kWord && is_weekday(t[i].text)) {
      ++i;
      if (punct(t, i, '.')) ++i;
      continue;
    }
    out.push_back(t[i]);
    ++i;
  }
  return out;
}

std::optional<std::string> make_date(int y, int m, int d) {
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (d > calendar::days_in_month(y, m)) return std::nullopt;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return std::string(buf);
}

bool is_year(const Tok& t) {
  return t.kind == Kind::kNum && t.text.size() == 4;
}
bool is_small(const Tok& t) {
  return t.kind == Kind::kNum && t.text.size() <= 2;
}

std::string_view trim(std::string_view s) {
  auto space_at_front = [&](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v[0]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (v.substr(0, 2) == "\xC2\xA0") return 2;
    return 0;
  };
  auto space_at_back = [&](std::string_view v) -> size_t {
    if (v.empty()) return 0;
    unsigned char c = static_cast<unsigned char>(v.back());
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (v.size() >= 2 && v.substr(v.size() - 2) == "\xC2\xA0") return 2;
    return 0;
  };
  while (size_t n = space_at_front(s)) s.remove_prefix(n);
  while (size_t n = space_at_back(s)) s.remove_suffix(n);
  return s;
}

enum class Label { kNone, kPublished, kUpdated };

/// Strips a leading "Published:", "Updated on", "Last modified:", ... from `s`; says which it was.
Label strip_label(std::string_view& s) {
  struct Entry {
    std::string_view text;
    Label label;
  };
  static constexpr std::array<Entry, 12> kLabels{{{"originally published", Label::kPublished},
                                                  {"first published", Label::kPublished},
                                                  {"published", Label::kPublished},
                                                  {"posted", Label::kPublished},
                                                  {"dated", Label::kPublished},
                                                  {"date", Label::kPublished},
                                                  {"last updated", Label::kUpdated},
                                                  {"last modified", Label::kUpdated},
                                                  {"last update", Label::kUpdated},
                                                  {"updated", Label::kUpdated},
                                                  {"modified", Label::kUpdated},
                                                  {"update", Label::kUpdated}}};
  for (const auto& e : kLabels) {
    if (!ascii::istarts_with(s, e.text)) continue;
    std::string_view rest = s.substr(e.text.size());
    if (!rest.empty() && (is_ascii_alpha(rest[0]) || is_ascii_digit(rest[0])))
      continue;  // "dateline", "posted2"
    rest = trim(rest);
    if (!rest.empty() && rest[0] == ':') rest = trim(rest.substr(1));
    if (ascii::istarts_with(rest, "on ")) rest = trim(rest.substr(3));
    if (ascii::istarts_with(rest, "at ")) rest = trim(rest.substr(3));
    s = rest;
    return e.label;
  }
  // The other languages' labels (data/date_words.txt): "Publié le", "Actualizado a", "Stand:".
  std::string low = names::fold(s.substr(0, std::min<size_t>(s.size(), 40)));
  for (const auto& [label, update] : date_words().labels) {
    if (low.compare(0, label.size(), label) != 0 || label.size() > s.size()) continue;
    std::string_view rest = s.substr(label.size());
    if (!rest.empty() && (is_ascii_alpha(rest[0]) || static_cast<unsigned char>(rest[0]) >= 0x80)) continue;
    rest = trim(rest);
    if (!rest.empty() && rest[0] == ':') rest = trim(rest.substr(1));
    s = rest;
    return update ? Label::kUpdated : Label::kPublished;
  }
  return Label::kNone;
}

/// Splits a header line at the separators pages put between byline, outlet and date.
std::vector<std::string_view> segments(std::string_view line) {
  static constexpr std::array<std::string_view, 9> kSeps{
      " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", "|", " \xC2\xB7 ", "\xE2\x80\xA2", " / ", " -- ", "\t"};
  std::vector<std::string_view> out;
  size_t start = 0;
  size_t i = 0;
  while (i < line.size()) {
    // Every separator starts with one of these bytes; the others are skipped without comparing. Those that
    // start with a space go on with '-', '/' or a byte outside ASCII: a space before anything else (between
    // two words, most spaces) is skipped too.
    const char c = line[i];
    if (c != ' ' && c != '|' && c != '\xE2' && c != '\t') {
      ++i;
      continue;
    }
    if (c == ' ' && i + 1 < line.size() && line[i + 1] != '-' && line[i + 1] != '/' &&
        static_cast<unsigned char>(line[i + 1]) < 0x80) {
      ++i;
      continue;
    }
    size_t matched = 0;
    for (auto sep : kSeps) {
      if (line.compare(i, sep.size(), sep) == 0) {
        matched = sep.size();
        break;
      }
    }
    if (matched > 0) {
      out.push_back(line.substr(start, i - start));
      i += matched;
      start = i;
    } else {
      ++i;
    }
  }
  out.push_back(line.substr(start));
  return out;
}

/// A label alone on its line ("Updated:", "Published"), which labels the next line's date.
Label bare_label(std::string_view line) {
  std::string_view s = trim(line);
  Label label = strip_label(s);
  return s.empty() ? label : Label::kNone;
}

bool ends_sentence(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  char c = s.back();
  if (c == '.' || c == '!' || c == '?') return true;
  // A closing quote after the period: ." or .” (E2 80 9D) or .’
  if (s.size() >= 4 &&
      (s.substr(s.size() - 3) == "\xE2\x80\x9D" || s.substr(s.size() - 3) == "\xE2\x80\x99")) {
    char p = s[s.size() - 4];
    return p == '.' || p == '!' || p == '?';
  }
  if ((c == '"' || c == '\'') && s.size() >= 2) {
    char p = s[s.size() - 2];
    return p == '.' || p == '!' || p == '?';
  }
  return false;
}

bool is_capitalised_word(std::string_view w) {
  unsigned char c = static_cast<unsigned char>(w.front());
  return (c >= 'A' && c <= 'Z') || c >= 0x80;  // non-ASCII initials (Ž, Ł) count as capitals
}

/// "By Jane Doe, Staff Writer, March 3, 2021", "Posted by Jane Doe on March 3, 2021": a byline head (By...,
/// or capitalised words only) followed by ", " or " on " and a date. The date, or std::nullopt.
std::optional<std::string> byline_then_date(std::string_view seg) {
  size_t tries = 0;
  for (size_t i = 0; i < seg.size() && tries < 6; ++i) {
    size_t skip = 0;
    if (seg.compare(i, 2, ", ") == 0)
      skip = 2;
    else if (seg.compare(i, 4, " on ") == 0)
      skip = 4;
    if (skip == 0) continue;
    ++tries;
    std::string_view head = trim(seg.substr(0, i));
    auto iso = parse_date(seg.substr(i + skip));
    if (!iso || head.empty() || count_words(head) > 8) continue;
    std::string_view names = head;
    for (std::string_view by : {"posted by ", "published by ", "written by ", "by "}) {
      if (ascii::istarts_with(names, by)) {
        names = names.substr(by.size());
        break;
      }
    }
    if (names.size() == head.size() && !is_capitalised_word(head)) continue;
    bool capitalised = true;
    size_t pos = 0;
    while (pos < names.size()) {
      size_t sp = names.find(' ', pos);
      if (sp == std::string_view::npos) sp = names.size();
      std::string_view w = names.substr(pos, sp - pos);
      pos = sp + 1;
      if (w.empty() || w == "and" || w == "&" || w == "de" || w == "van" || w == "von") continue;
      if (!is_capitalised_word(w)) capitalised = false;
    }
    if (capitalised) return iso;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_date(std::string_view text) {
  return parse_date(text, DateOptions{});
}

std::optional<std::string> parse_date(std::string_view text, const DateOptions& options) {
  text = trim(text);
  if (text.empty() || text.size() > kMaxDateExpression) return std::nullopt;
  // Both forms below need a number token (a year, or N sep N sep N), and only ASCII digits make one.
  if (std::none_of(text.begin(), text.end(), is_ascii_digit)) return std::nullopt;
  std::vector<Tok> toks = strip_time_and_weekday(tokenize(text));
  // Drop separators that carry no meaning around name forms, and ordinal suffixes.
  int month_words = 0;
  for (const auto& t : toks)
    if (t.kind == Kind::kWord && month_of(t.text) != 0) ++month_words;

  if (month_words == 1) {
    std::vector<Tok> core;
    for (size_t i = 0; i < toks.size(); ++i) {
      const Tok& t = toks[i];
      if (t.kind == Kind::kPunct) {
        if (t.text == "," || t.text == "." || t.text == "-" || t.text == "/") continue;
        return std::nullopt;
      }
      if (t.kind == Kind::kWord) {
        bool ordinal = (t.text == "st" || t.text == "nd" || t.text == "rd" || t.text == "th") && i > 0 &&
                       toks[i - 1].kind == Kind::kNum;
        if (ordinal || date_words().fillers.count(t.text) != 0) continue;
        if (month_of(t.text) == 0) return std::nullopt;
      }
      core.push_back(t);
    }
    if (core.size() != 3) return std::nullopt;  // no year, or extra numbers
    const Tok &a = core[0], &b = core[1], &c = core[2];
    if (a.kind == Kind::kWord && is_small(b) && is_year(c))
      return make_date(c.value, month_of(a.text), b.value);
    if (is_small(a) && b.kind == Kind::kWord && is_year(c))
      return make_date(c.value, month_of(b.text), a.value);
    if (is_year(a) && b.kind == Kind::kWord && is_small(c))
      return make_date(a.value, month_of(b.text), c.value);
    return std::nullopt;
  }
  if (month_words > 1) return std::nullopt;

  // Numeric forms: exactly N sep N sep N, with one separator kind.
  std::vector<Tok> core;
  for (const auto& t : toks)
    if (!(t.kind == Kind::kPunct && t.text == ",")) core.push_back(t);
  if (core.size() != 5 || core[1].kind != Kind::kPunct || core[3].kind != Kind::kPunct ||
      core[1].text != core[3].text)
    return std::nullopt;
  const Tok &a = core[0], &b = core[2], &c = core[4];
  char sep = core[1].text[0];
  if (sep != '-' && sep != '/' && sep != '.') return std::nullopt;
  if (is_year(a) && is_small(b) && is_small(c)) return make_date(a.value, b.value, c.value);
  bool short_year = options.two_digit_year && sep == '/' && c.kind == Kind::kNum && c.text.size() == 2;
  if (is_small(a) && is_small(b) && (is_year(c) || short_year)) {
    int first = a.value, second = b.value;
    int year = short_year ? 2000 + c.value : c.value;
    // Dotted dates are day first (24.02.2022), and so are slashed ones where the page's language says so.
    if (sep == '.' || (options.day_first && !short_year)) std::swap(first, second);
    // first = month, second = day; only when that is impossible is the other order meant.
    if (first > 12 && second <= 12) std::swap(first, second);
    return make_date(year, first, second);
  }
  return std::nullopt;
}

std::optional<LineDate> date_of_line(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.size() > kMaxDateLine) return std::nullopt;
  // Every date parse_date() reads holds an ASCII number (see there): a line without a digit has none, and
  // most lines are prose (this runs on every short line of every article).
  if (std::none_of(line.begin(), line.end(), is_ascii_digit)) return std::nullopt;
  // A leading dash or bullet: "- The Washington Times - Thursday, February 24, 2022".
  if (line.substr(0, 2) == "- ") line = trim(line.substr(2));
  std::optional<LineDate> published, updated;
  Label line_label = Label::kNone;
  size_t date_segments = 0;
  for (std::string_view seg : segments(line)) {
    seg = trim(seg);
    if (seg.empty()) continue;
    Label label = strip_label(seg);
    if (label == Label::kNone) label = line_label;
    if (label != Label::kNone) line_label = label;  // "Updated: 10/12/2022 | 10:00" keeps the label
    if (seg.empty()) continue;
    std::optional<std::string> iso = parse_date(seg);
    if (!iso) iso = byline_then_date(seg);
    if (iso) {
      ++date_segments;
      LineDate d{*iso, label == Label::kUpdated};
      if (d.updated) {
        if (!updated) updated = d;
      } else if (!published) {
        published = d;
      }
      continue;
    }
    // Other segments must be short furniture (outlet, byline, section), not a sentence.
    if (count_words(seg) > 6 || ends_sentence(seg)) return std::nullopt;
  }
  if (date_segments == 0) return std::nullopt;
  return published ? published : updated;
}

namespace {

/// A whitespace-separated word of a line, with its byte range.
struct LineWord {
  size_t begin, end;
};

/// Words of `line` at white space, after cutting rendering glue: a lower-case letter followed by a capital
/// ("PressDecember") or by a digit ("Nolan22"), and a digit followed by a letter other than a time or
/// ordinal suffix, start new words.
std::vector<LineWord> glued_words(std::string_view line) {
  std::vector<LineWord> out;
  size_t i = 0;
  auto is_space = [&](size_t k) {
    unsigned char c = static_cast<unsigned char>(line[k]);
    return c == ' ' || c == '\t' || (c == 0xC2 && k + 1 < line.size() && line[k + 1] == '\xA0');
  };
  while (i < line.size()) {
    while (i < line.size() && is_space(i)) i += (line[i] == ' ' || line[i] == '\t') ? 1 : 2;
    if (i >= line.size()) break;
    size_t b = i;
    while (i < line.size() && !is_space(i)) {
      char c = line[i];
      char n = i + 1 < line.size() ? line[i + 1] : ' ';
      bool lower_then_upper = (c >= 'a' && c <= 'z') && (n >= 'A' && n <= 'Z');
      bool lower_then_digit = (c >= 'a' && c <= 'z') && (n >= '0' && n <= '9') && i > b;
      ++i;
      if (lower_then_upper || lower_then_digit) break;
    }
    out.push_back({b, i});
  }
  return out;
}

/// The update/publication label closest before `end` in `text` (folded), if any: true = update.
std::optional<bool> label_before(std::string_view text) {
  std::string low = names::fold(text);
  std::optional<bool> found;
  size_t best = 0;
  auto consider = [&](std::string_view label, bool update) {
    size_t at = low.rfind(label);
    if (at == std::string::npos) return;
    bool start_ok = at == 0 || !is_ascii_alpha(low[at - 1]);
    size_t after = at + label.size();
    bool end_ok = after >= low.size() || !is_ascii_alpha(low[after]);
    if (!start_ok || !end_ok) return;
    if (!found || after > best) {
      best = after;
      found = update;
    }
  };
  for (const auto& [label, update] : date_words().labels) consider(label, update);
  return found;
}

}  // namespace

std::optional<FoundDate> find_date_in_line(std::string_view line, const DateOptions& options) {
  if (line.size() > 200) return std::nullopt;
  std::vector<LineWord> words = glued_words(line);
  std::optional<FoundDate> first_update;
  size_t prev_end = 0;
  size_t s = 0;
  while (s < words.size()) {
    bool found = false;
    for (size_t e = std::min(words.size(), s + 8); e > s; --e) {
      std::string text;
      for (size_t k = s; k < e; ++k) {
        if (!text.empty()) text += ' ';
        text += line.substr(words[k].begin, words[k].end - words[k].begin);
      }
      while (!text.empty() && (text.back() == ':' || text.back() == ',' || text.back() == ';' ||
                               text.back() == '|' || text.back() == '-' || text.back() == '/'))
        text.pop_back();
      auto iso = parse_date(text, options);
      if (!iso) continue;
      FoundDate d{*iso, false, words[s].begin, words[e - 1].end};
      d.updated = label_before(line.substr(prev_end, words[s].begin - prev_end)).value_or(false);
      if (!d.updated) return d;
      if (!first_update) first_update = d;
      prev_end = d.end;
      s = e;
      found = true;
      break;
    }
    if (!found) ++s;
  }
  return first_update;
}

std::optional<bool> date_label(std::string_view line) {
  Label l = bare_label(line);
  if (l == Label::kNone) return std::nullopt;
  return l == Label::kUpdated;
}

bool is_date_line(std::string_view line) {
  return date_of_line(line).has_value();
}

std::optional<std::string> extract_date(std::string_view utf8_text) {
  std::optional<std::string> header_date, labelled_published, updated;
  bool in_header = true;
  size_t header_lines = 0;
  Label pending = Label::kNone;
  size_t pos = 0;
  while (pos <= utf8_text.size()) {
    size_t nl = utf8_text.find('\n', pos);
    if (nl == std::string_view::npos) nl = utf8_text.size();
    std::string_view line = trim(utf8_text.substr(pos, nl - pos));
    pos = nl + 1;
    if (line.empty()) continue;

    if (Label bare = bare_label(line); bare != Label::kNone) {
      pending = bare;
      continue;
    }
    Label label_here = pending;
    pending = Label::kNone;

    bool consider = in_header;
    if (!consider) {
      // Outside the header only lines that say what their date is count.
      std::string_view probe = line;
      if (probe.substr(0, 2) == "- ") probe = trim(probe.substr(2));
      consider = strip_label(probe) != Label::kNone;
    }
    if (consider) {
      if (auto d = date_of_line(line)) {
        bool is_update = d->updated || label_here == Label::kUpdated;
        if (is_update) {
          if (!updated) updated = d->iso;
        } else if (in_header) {
          if (!header_date) header_date = d->iso;
        } else if (!labelled_published) {
          labelled_published = d->iso;
        }
      }
    }
    if (header_date) break;  // the first publication date of the header wins

    if (in_header) {
      ++header_lines;
      // The body starts at the first real paragraph; captions above it are still header furniture.
      bool paragraph =
          !is_caption_line(line) && (line.size() >= 250 || (count_words(line) >= 20 && ends_sentence(line)));
      if (paragraph || header_lines >= kMaxHeaderLines) in_header = false;
    }
  }
  if (header_date) return header_date;
  if (labelled_published) return labelled_published;
  return updated;
}

}  // namespace dateline
