/** @file
 *  @brief Who published an article: publisher signals, told apart from outlets merely cited.
 *
 *  The gazetteer (data/outlets.tsv) maps names, aliases and domains to canonical outlet names. The
 *  publisher is found by scoring explicit publisher signals only; an outlet that is merely named
 *  ("according to X", "told X", "via X", photo credits) earns nothing, so it can never win.
 */
#include "articles/outlets.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "articles/data.h"
#include "articles/names.h"
#include "base/ascii.h"

namespace dateline {
namespace {

using names::fold;
using names::split_lines;
using names::trim;

struct Gazetteer {
  std::vector<std::vector<std::string>> entries;    // canonical name first, then aliases
  std::vector<bool> wire;                           // entry of the "Wires and agencies" section
  std::unordered_map<std::string, size_t> by_name;  // name key -> entry
  std::unordered_map<std::string, size_t> by_domain;
};

// Matching key of a name: case-folded, every run of non-alphanumeric bytes one space, a trailing
// possessive and a leading "the" dropped ("The Washington Times" == "washington times" == "Washington
// Times's"; "Pravda.Ru" == "Pravda Ru").
std::string name_key(std::string_view name) {
  std::string f = fold(trim(name));
  for (std::string_view poss : {"\xE2\x80\x99s", "'s"}) {  // ’s
    if (f.size() > poss.size() && f.compare(f.size() - poss.size(), poss.size(), poss) == 0) {
      f.resize(f.size() - poss.size());
    }
  }
  std::string key;
  bool space = false;
  for (unsigned char c : f) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (!alnum) {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += static_cast<char>(c);
  }
  if (key.rfind("the ", 0) == 0) key.erase(0, 4);
  return key;
}

const Gazetteer& gazetteer() {
  static const Gazetteer g = [] {
    Gazetteer gz;
    bool wires = false;
    for (std::string_view line : split_lines(data::outlets())) {
      if (!trim(line).empty() && trim(line).front() == '#') {
        // Section headers: "# Wires and agencies" starts the wires, the next header after entries ends it.
        if (trim(line).find("Wires and agencies") != std::string_view::npos)
          wires = true;
        else if (!gz.entries.empty())
          wires = false;
        continue;
      }
      if (trim(line).empty()) continue;
      std::vector<std::string_view> cols;
      size_t b = 0;
      while (true) {
        size_t t = line.find('\t', b);
        cols.push_back(line.substr(b, t == std::string_view::npos ? std::string_view::npos : t - b));
        if (t == std::string_view::npos) break;
        b = t + 1;
      }
      std::string canonical = names::collapse_spaces(cols[0]);
      if (canonical.empty()) continue;
      size_t id = gz.entries.size();
      gz.entries.push_back({canonical});
      gz.wire.push_back(wires);
      gz.by_name.emplace(name_key(canonical), id);  // first entry wins on a clash
      auto each = [](std::string_view list, auto&& fn) {
        size_t p = 0;
        while (p <= list.size()) {
          size_t bar = list.find('|', p);
          std::string_view item =
              trim(list.substr(p, bar == std::string_view::npos ? std::string_view::npos : bar - p));
          if (!item.empty()) fn(item);
          if (bar == std::string_view::npos) break;
          p = bar + 1;
        }
      };
      if (cols.size() > 1) {
        each(cols[1], [&](std::string_view alias) {
          gz.entries[id].push_back(names::collapse_spaces(alias));
          gz.by_name.emplace(name_key(alias), id);
        });
      }
      if (cols.size() > 2) {
        each(cols[2], [&](std::string_view domain) { gz.by_domain.emplace(fold(domain), id); });
      }
    }
    return gz;
  }();
  return g;
}

// "https://www.Example.com:443/a?b" -> "example.com"; "" when it is not domain-shaped.
std::string host_of(std::string_view s) {
  std::string h = fold(trim(s));
  if (size_t scheme = h.find("://"); scheme != std::string::npos) h.erase(0, scheme + 3);
  if (size_t at = h.find('@'); at != std::string::npos) h.erase(0, at + 1);
  if (size_t end = h.find_first_of("/?#:"); end != std::string::npos) h.resize(end);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (h.rfind("www.", 0) == 0) h.erase(0, 4);
  if (h.find('.') == std::string::npos || h.find(' ') != std::string::npos) return {};
  for (char c : h) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return {};
  }
  return h;
}

std::optional<size_t> lookup_domain(std::string_view s) {
  const Gazetteer& g = gazetteer();
  std::string host = host_of(s);
  // english.pravda.ru -> pravda.ru: a subdomain belongs to its site; stop before the bare TLD.
  while (!host.empty() && host.find('.') != std::string::npos) {
    if (auto it = g.by_domain.find(host); it != g.by_domain.end()) return it->second;
    host.erase(0, host.find('.') + 1);
  }
  return std::nullopt;
}

std::optional<size_t> lookup(std::string_view name_or_domain) {
  const Gazetteer& g = gazetteer();
  std::string_view t = trim(name_or_domain);
  if (t.empty()) return std::nullopt;
  const bool one_word = t.find_first_of(" \t") == std::string_view::npos;
  bool url_like = one_word && (t.find("://") != std::string_view::npos || t.rfind("www.", 0) == 0 ||
                               t.rfind("WWW.", 0) == 0);
  if (url_like) {
    if (auto d = lookup_domain(t)) return d;
  }
  if (auto it = g.by_name.find(name_key(t)); it != g.by_name.end()) return it->second;
  if (!url_like && one_word) return lookup_domain(t);
  return std::nullopt;
}

// ---- Publisher signals ----------------------------------------------------------------------------

// The longest run of leading words of `text` (at most 6) that the gazetteer knows, trailing punctuation
// ignored ("Pravda.Ru Telegram channel" -> Pravda.Ru; "The Washington Times, LLC" -> The Washington Times).
std::optional<size_t> known_prefix(std::string_view text) {
  std::vector<std::string> words = names::split_words(text);
  size_t n = std::min<size_t>(words.size(), 6);
  for (size_t len = n; len > 0; --len) {
    std::string phrase = names::join(words, 0, len);
    while (!phrase.empty() && (phrase.back() == ',' || phrase.back() == ';' || phrase.back() == ':' ||
                               phrase.back() == '!' || phrase.back() == '.')) {
      phrase.pop_back();
    }
    if (auto id = lookup(phrase)) return id;
  }
  return std::nullopt;
}

// The longest run of words that ends `text` and that the gazetteer knows ("... which Newsweek" -> Newsweek).
std::optional<size_t> known_suffix(std::string_view text) {
  std::vector<std::string> words = names::split_words(text);
  size_t n = std::min<size_t>(words.size(), 6);
  for (size_t len = n; len > 0; --len) {
    std::string phrase = names::join(words, words.size() - len);
    // Only capitalised phrases name an outlet here ("the agency reached out" does not).
    std::string_view first = words[words.size() - len];
    if (!names::starts_upper(first) && fold(first) != "the") continue;
    if (auto id = lookup(phrase)) return id;
  }
  return std::nullopt;
}

struct Scores {
  std::map<size_t, int> score;
  std::map<size_t, size_t> first_seen;  // tie-break: the earlier signal
  std::map<size_t, size_t> first_line;  // 1-based line of the first signal
  size_t order = 0;
  size_t line = 0;  // the line being read
  void add(size_t id, int points) {
    score[id] += points;
    first_seen.emplace(id, order++);
    first_line.emplace(id, line);
  }
};

// "Copyright © 2024 The Washington Times, LLC." / "© 2023 Reuters" / "(c) 2020 X": the holder.
void copyright_signal(std::string_view line, Scores& scores) {
  std::string low = ascii::lower(line);
  size_t pos = low.find("copyright");
  size_t skip = 9;
  if (pos == std::string::npos) {
    pos = low.find("\xC2\xA9");  // ©
    skip = 2;
  }
  if (pos == std::string::npos) {
    pos = low.find("(c) ");
    skip = 3;
  }
  if (pos == std::string::npos) return;
  std::string_view rest = line.substr(pos + skip);
  // Skip the symbol, years ("2022", "2020-2024") and separators before the holder's name.
  while (true) {
    rest = trim(rest);
    if (rest.rfind("\xC2\xA9", 0) == 0) {
      rest.remove_prefix(2);
    } else if (ascii::istarts_with(rest, "(c)")) {
      rest.remove_prefix(3);
    } else if (!rest.empty() && ((rest.front() >= '0' && rest.front() <= '9') || rest.front() == '-' ||
                                 rest.front() == ',' || rest.front() == '.' || rest.front() == ':')) {
      rest.remove_prefix(1);
    } else {
      break;
    }
  }
  if (auto id = known_prefix(rest)) {
    scores.add(*id, 10);
  }
}

// "Subscribe to X", "Sign up for X's newsletter", "Follow X on", "Download the X app".
void invitation_signal(std::string_view line, Scores& scores) {
  std::string low = ascii::lower(line);
  // The other languages' appeals ("Abbonati a La Stampa", "Abonnez-vous à X") and account prompts
  // ("Log in with Evening Standard") count as "Subscribe to X".
  for (std::string_view lead :
       {"subscribe to ", "sign up for ", "follow ", "download the ", "support ", "log in with ",
        "sign in with ", "abbonati a ", "abbonati al ", "abonnez-vous \xC3\xA0 ", "suscribete a ",
        "suscr\xC3\xAD" "bete a ", "assine o ", "assine a ", "abonnieren sie "}) {
    size_t pos = low.find(lead);
    if (pos == std::string::npos) continue;
    if (auto id = known_prefix(line.substr(pos + lead.size()))) {
      // "Subscribe to X" is the outlet's own appeal; "follow X" may also be prose, so it needs support.
      bool strong =
          lead != "sign up for " && lead != "follow " && lead != "download the " && lead != "support ";
      scores.add(*id, strong ? 8 : lead == "sign up for " ? 4 : 3);
    }
  }
}

// "X was not able to (independently) confirm", "X reached out", "X has contacted": the subject is the
// outlet writing. Phrases are matched in the folded line, the subject taken from the words before.
void newsroom_signal(std::string_view line, Scores& scores) {
  static const std::vector<std::string_view> phrases = {" was not able to",
                                                        " were not able to",
                                                        " was unable to",
                                                        " could not independently",
                                                        " could not immediately",
                                                        " has not been able to",
                                                        " has been unable to",
                                                        " was not immediately able",
                                                        " cannot independently",
                                                        " could not verify",
                                                        " could not confirm",
                                                        " has not independently",
                                                        " reached out",
                                                        " has contacted",
                                                        " contacted ",
                                                        " has asked ",
                                                        " has requested comment",
                                                        " has reached out",
                                                        " is not responsible",
                                                        " has approached",
                                                        " did not receive a response",
                                                        " has not received a response",
                                                        " has been unable"};
  std::string low = ascii::lower(line);  // same byte offsets as `line`
  for (std::string_view p : phrases) {
    size_t pos = 0;
    while ((pos = low.find(p, pos)) != std::string::npos) {
      if (auto id = known_suffix(line.substr(0, pos))) scores.add(*id, 7);
      pos += p.size();
    }
  }
  // "when contacted by X" / "in a statement to X" name the outlet asking.
  for (std::string_view p :
       {"contacted by ", "in response to questions from ", "in an email to ", "in a statement to "}) {
    size_t pos = low.find(p);
    if (pos != std::string::npos) {
      if (auto id = known_prefix(line.substr(pos + p.size()))) scores.add(*id, 5);
    }
  }
}

// A header line naming the outlet: "- The Washington Times - Thursday, February 24, 2022",
// "Reuters | March 3, 2022", or a line that is just the outlet's name.
void header_signal(std::string_view line, Scores& scores) {
  if (line.size() > 160) return;
  // A menu item ("• Metro", "• Nation") names a section, not the publisher.
  for (std::string_view bullet : {"\xE2\x80\xA2", "\xE2\x96\xA1", "* "})
    if (line.rfind(bullet, 0) == 0) return;
  std::string s(line);
  // Cut at separators set off by spaces (and at the line's leading dash or bullet).
  std::vector<std::string> segments;
  std::string cur;
  std::vector<std::string> words = names::split_words(s);
  for (const std::string& w : words) {
    bool sep = w == "-" || w == "|" || w == "\xE2\x80\x94" || w == "\xE2\x80\x93" || w == "\xE2\x80\xA2" ||
               w == "\xC2\xB7" || w == "/";
    if (sep) {
      if (!cur.empty()) segments.push_back(cur);
      cur.clear();
    } else {
      if (!cur.empty()) cur += ' ';
      cur += w;
    }
  }
  if (!cur.empty()) segments.push_back(cur);
  if (segments.size() == 1 && words.size() > 6) return;  // a sentence, not a header
  for (const std::string& seg : segments) {
    if (auto id = lookup(seg)) {
      scores.add(*id, 6);
      return;
    }
  }
}

// Wire dateline at the start of a paragraph: "KYIV, Ukraine (Reuters) -", "MOSCOW (AP) —".
void wire_dateline_signal(std::string_view line, Scores& scores) {
  size_t open = line.find('(');
  if (open == std::string_view::npos || open == 0 || open > 60) return;
  std::string_view place = trim(line.substr(0, open));
  // The place is written in capitals ("KYIV, Ukraine" allows a mixed-case country after the comma).
  std::string_view city = place.substr(0, place.find(','));
  if (!names::is_all_caps(city)) return;
  size_t close = line.find(')', open);
  if (close == std::string_view::npos) return;
  std::string_view after = trim(line.substr(close + 1));
  bool dash =
      after.rfind("-", 0) == 0 || after.rfind("\xE2\x80\x94", 0) == 0 || after.rfind("\xE2\x80\x93", 0) == 0;
  if (!dash) return;
  if (auto id = lookup(line.substr(open + 1, close - open - 1))) scores.add(*id, 8);
}

// E-mail addresses and URLs: a staff address (x@outlet.com) is strong, a bare link weak (it may be cited).
void domain_signals(std::string_view line, Scores& scores) {
  std::vector<std::string> words = names::split_words(line);
  const std::string low = ascii::lower(line);
  bool contact_line = low.find("reached at") != std::string::npos || low.find("contact") != std::string::npos;
  for (std::string w : words) {
    while (!w.empty() && std::string_view(".,;:)]>\"").find(w.back()) != std::string_view::npos) w.pop_back();
    while (!w.empty() && std::string_view("(<[\"").find(w.front()) != std::string_view::npos) w.erase(0, 1);
    if (size_t at = w.find('@'); at != std::string::npos && at > 0) {
      if (auto id = lookup_domain(w.substr(at + 1))) scores.add(*id, contact_line ? 8 : 5);
    } else if (w.find("://") != std::string::npos || w.rfind("www.", 0) == 0) {
      if (auto id = lookup_domain(w)) scores.add(*id, words.size() == 1 ? 4 : 2);
    }
  }
}

}  // namespace

std::optional<std::string> canonical_outlet(std::string_view name_or_domain) {
  if (auto id = lookup(name_or_domain)) return gazetteer().entries[*id].front();
  return std::nullopt;
}

std::string canonical_outlet_or_self(std::string_view name) {
  if (auto c = canonical_outlet(name)) return *c;
  return names::collapse_spaces(name);
}

std::vector<std::string> outlet_aliases(std::string_view name) {
  if (auto id = lookup(name)) return gazetteer().entries[*id];
  return {};
}

std::optional<std::string> extract_outlet(std::string_view utf8_text) {
  return extract_outlet(utf8_text, nullptr);
}

bool is_wire(std::string_view name_or_domain) {
  auto id = lookup(name_or_domain);
  return id && gazetteer().wire[*id];
}

std::optional<std::string> outlet_prefix(std::string_view text, size_t* words) {
  std::vector<std::string> w = names::split_words(text);
  size_t n = std::min<size_t>(w.size(), 6);
  for (size_t len = n; len > 0; --len) {
    std::string phrase = names::join(w, 0, len);
    while (!phrase.empty() && std::string_view(",;:!.").find(phrase.back()) != std::string_view::npos)
      phrase.pop_back();
    if (auto id = lookup(phrase)) {
      if (words) *words = len;
      return gazetteer().entries[*id].front();
    }
  }
  return std::nullopt;
}

std::optional<std::string> outlet_suffix(std::string_view text, size_t* begin) {
  std::vector<std::string> w = names::split_words(text);
  size_t n = std::min<size_t>(w.size(), 6);
  for (size_t len = n; len > 0; --len) {
    std::string_view first = w[w.size() - len];
    if (!names::starts_upper(first) && fold(first) != "the") continue;
    if (auto id = lookup(names::join(w, w.size() - len))) {
      if (begin) {
        // Byte offset of the run's first word: the len-th word from the end.
        size_t pos = text.size(), seen = 0;
        while (pos > 0 && seen < len) {
          while (pos > 0 && (text[pos - 1] == ' ' || text[pos - 1] == '\t')) --pos;
          size_t e = pos;
          while (pos > 0 && text[pos - 1] != ' ' && text[pos - 1] != '\t') --pos;
          if (e > pos) ++seen;
        }
        *begin = pos;
      }
      return gazetteer().entries[*id].front();
    }
  }
  return std::nullopt;
}

std::optional<std::string> extract_outlet(std::string_view utf8_text, size_t* line_out) {
  Scores scores;
  std::vector<std::string_view> lines = split_lines(utf8_text);
  size_t nonblank = 0;
  for (std::string_view raw : lines) {
    ++scores.line;
    std::string_view line = trim(raw);
    if (line.empty()) continue;
    ++nonblank;
    if (nonblank <= 6) header_signal(line, scores);
    copyright_signal(line, scores);
    invitation_signal(line, scores);
    newsroom_signal(line, scores);
    wire_dateline_signal(line, scores);
    domain_signals(line, scores);
  }
  if (scores.score.empty()) return std::nullopt;
  auto best = std::max_element(scores.score.begin(), scores.score.end(), [&](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second < b.second;
    return scores.first_seen[a.first] > scores.first_seen[b.first];  // earlier wins the tie
  });
  // One weak signal (a bare link) is not enough to name a publisher.
  if (best->second < 4) return std::nullopt;
  if (line_out) *line_out = scores.first_line[best->first];
  return gazetteer().entries[best->first].front();
}

}  // namespace dateline
