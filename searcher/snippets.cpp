/** @file
 *  @brief Snippets: the best window of a passage around the matched words, with highlight offsets.
 *
 *  Works on "units": one valid UTF-8 sequence, or one invalid byte (written out as U+FFFD). Windows are
 *  measured in units, i.e. code points of the output, so the JSON offsets are what Python's or
 *  JavaScript's code-point indexing expects.
 */
#include "searcher/snippets.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "base/utf8.h"

namespace dateline {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
constexpr size_t kMinChars = 3;                         // two ellipses and one character

struct Unit {
  size_t begin;  // byte offset
  size_t size;   // bytes; 1 with valid == false for an invalid byte
  bool valid;
};

std::vector<Unit> split_units(std::string_view s) {
  std::vector<Unit> units;
  units.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8::sequence_length(s, i);
    units.push_back({i, n == 0 ? 1 : n, n != 0});
    i += n == 0 ? 1 : n;
  }
  return units;
}

bool is_space(std::string_view s, const Unit& u) {
  if (!u.valid) return false;
  if (u.size == 1) {
    char c = s[u.begin];
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  }
  // U+00A0 NO-BREAK SPACE and U+2028/U+2029 line/paragraph separators also end up as one space.
  std::string_view seq = s.substr(u.begin, u.size);
  return seq == "\xC2\xA0" || seq == "\xE2\x80\xA8" || seq == "\xE2\x80\xA9";
}

// Index of the unit starting at byte `offset` (or the first one after it).
size_t unit_at(const std::vector<Unit>& units, size_t offset) {
  auto it = std::lower_bound(units.begin(), units.end(), offset,
                             [](const Unit& u, size_t off) { return u.begin < off; });
  return static_cast<size_t>(it - units.begin());
}

struct Word {
  size_t begin_unit;
  size_t end_unit;  // one past
  bool matched;
  std::string key;  // what counts as "the same matched word" (its stem, else its term)
};

}  // namespace

size_t count_code_points(std::string_view utf8) {
  return split_units(utf8).size();
}

Snippet make_snippet(std::string_view passage, const Analyzer& analyzer, const SnippetTerms& terms,
                     size_t max_chars) {
  max_chars = std::max<size_t>(max_chars, kMinChars);
  const std::vector<Unit> units = split_units(passage);
  const std::unordered_set<std::string> term_set(terms.terms.begin(), terms.terms.end());
  const std::unordered_set<std::string> stem_set(terms.stems.begin(), terms.stems.end());

  std::vector<Word> words;
  for (const Token& t : analyzer.analyze(passage)) {
    if (t.begin >= t.end || t.end > passage.size()) continue;
    bool matched = term_set.count(t.term) > 0 || (!t.stem.empty() && stem_set.count(t.stem) > 0) ||
                   std::any_of(terms.prefixes.begin(), terms.prefixes.end(),
                               [&t](const std::string& p) { return !p.empty() && t.term.rfind(p, 0) == 0; });
    words.push_back(
        {unit_at(units, t.begin), unit_at(units, t.end), matched, t.stem.empty() ? t.term : t.stem});
  }

  // Choose the window [first, last) in units.
  size_t first = 0;
  size_t last = units.size();
  if (units.size() > max_chars) {
    // Room for an ellipsis at each end, so the result never exceeds max_chars.
    const size_t budget = max_chars - 2;
    size_t best_word = 0;
    size_t best_count = 0;
    size_t best_end_word = 0;                           // one past the last whole word of the best window
    std::unordered_map<std::string, size_t> in_window;  // matched key -> occurrences in window
    size_t j = 0;                                       // one past the last word in the window of word i
    for (size_t i = 0; i < words.size(); ++i) {
      const size_t start = i == 0 ? 0 : words[i].begin_unit;
      if (j < i) j = i;
      while (j < words.size() && words[j].end_unit - start <= budget) {
        if (words[j].matched) ++in_window[words[j].key];
        ++j;
      }
      // Strictly more matched words wins, so ties keep the earliest window; a window holding at least
      // one whole word beats one that would have to cut its only word (equal counts).
      const bool better = in_window.size() > best_count ||
                          (in_window.size() == best_count && best_end_word == best_word && j > i);
      if (i == 0 || better) {
        best_word = i;
        best_count = in_window.size();
        best_end_word = j;
      }
      // Slide: word i leaves the window.
      if (j > i && words[i].matched) {
        auto it = in_window.find(words[i].key);
        if (it != in_window.end() && --it->second == 0) in_window.erase(it);
      }
    }
    if (words.empty()) {
      first = 0;
      last = budget;
    } else {
      first = best_word == 0 ? 0 : words[best_word].begin_unit;
      if (best_end_word > best_word) {
        last = words[best_end_word - 1].end_unit;
        // Keep punctuation that clings to the last word ("operation.", "said,\"") while it fits.
        while (last < units.size() && last - first < budget && !is_space(passage, units[last]) &&
               (best_end_word >= words.size() || last < words[best_end_word].begin_unit)) {
          ++last;
        }
      } else {
        // A single word longer than the whole window: the only cut inside a word, at a code point.
        last = std::min(units.size(), first + budget);
      }
    }
  }

  // Is there visible text before `first` / after `last`?
  auto visible = [&](size_t from, size_t to) {
    for (size_t u = from; u < to; ++u) {
      if (!is_space(passage, units[u])) return true;
    }
    return false;
  };
  const bool cut_before = visible(0, first);
  const bool cut_after = visible(last, units.size());

  // Highlight boundaries, as unit indices inside the window.
  std::vector<std::pair<size_t, size_t>> marks;
  for (const Word& w : words) {
    if (w.matched && w.begin_unit >= first && w.end_unit <= last)
      marks.emplace_back(w.begin_unit, w.end_unit);
  }

  Snippet out;
  size_t out_cp = 0;
  if (cut_before) {
    out.text += kEllipsis;
    ++out_cp;
  }
  bool pending_space = false;
  size_t mark = 0;
  bool in_mark = false;
  for (size_t u = first; u < last; ++u) {
    if (is_space(passage, units[u])) {
      pending_space = true;
      continue;
    }
    if (pending_space && out_cp > (cut_before ? 1u : 0u)) {
      out.text += ' ';
      ++out_cp;
    }
    pending_space = false;
    while (!in_mark && mark < marks.size() && marks[mark].first < u) ++mark;  // never stall on a skipped mark
    if (!in_mark && mark < marks.size() && marks[mark].first == u) {
      out.highlights.push_back({out_cp, out_cp});
      in_mark = true;
    }
    if (units[u].valid) {
      out.text.append(passage.substr(units[u].begin, units[u].size));
    } else {
      out.text += utf8::kReplacementBytes;
    }
    ++out_cp;
    if (in_mark && marks[mark].second == u + 1) {
      out.highlights.back().end = out_cp;
      in_mark = false;
      ++mark;
    }
  }
  if (in_mark) out.highlights.back().end = out_cp;  // defensive: a word cut at the window's end
  if (cut_after) {
    out.text += kEllipsis;
  }
  return out;
}

}  // namespace dateline
