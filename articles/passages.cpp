/** @file
 *  @brief Article text to passages: paragraphs, boilerplate and caption filtering, a bound on passage size.
 */
#include "articles/passages.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "articles/data.h"
#include "articles/line_prefilter.h"
#include "articles/dates.h"
#include "articles/names.h"
#include "articles/people.h"
#include "base/ascii.h"
#include "base/utf8.h"

namespace dateline {
namespace {

constexpr size_t kMaxRegexLine = 400;    // boilerplate lines are short; never run regexes over paragraphs
constexpr size_t kMaxCaptionLine = 600;  // Newsweek-style captions run to a few sentences
constexpr size_t kMaxCreditLine = 150;
constexpr size_t kMinPassageBytes = 64;
constexpr size_t kWrappedLineBytes = 50;  // a line this long that stops mid-sentence is hard-wrapped

/// First code point of `s` (U+FFFD when invalid, -1 when empty).
UChar32 first_code_point(std::string_view s) {
  return s.empty() ? -1 : static_cast<UChar32>(utf8::decode(s, 0).code_point);
}


/// The combined boilerplate expression, compiled once from data/boilerplate.txt, behind a literal prefilter:
/// most lines are article text that no pattern can match, and ICU's matcher cost 40% of extraction. A line
/// the prefilter lets through is then tried on the patterns whose own condition it meets, each compiled
/// alone: the combined expression tried every alternative at the line's start, several hundred thousand
/// instructions a line, where a line usually meets the condition of one or two patterns. A line that
/// alternative matches whole is one that some pattern matches whole (each alternative is a group of its
/// own, and no pattern refers back to a group by number), so the answer is the same.
class BoilerplateMatcher {
 public:
  BoilerplateMatcher() : prefilter_(boilerplate_patterns()) {
    std::string_view data = data::boilerplate();
    icu::UnicodeString combined;
    std::vector<std::string> read;  // the patterns as read here, to compare with the prefilter's
    size_t pos = 0, line_no = 0;
    while (pos < data.size()) {
      size_t nl = data.find('\n', pos);
      if (nl == std::string_view::npos) nl = data.size();
      std::string_view line = data.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      icu::UnicodeString pattern =
          icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), static_cast<int32_t>(line.size())));
      // Compile each alone first so a bad line is named (a broken data file is a build defect).
      UErrorCode status = U_ZERO_ERROR;
      UParseError perr;
      std::unique_ptr<icu::RegexPattern> alone(
          icu::RegexPattern::compile(pattern, UREGEX_CASE_INSENSITIVE, perr, status));
      if (U_FAILURE(status))
        throw std::logic_error("articles/data/boilerplate.txt:" + std::to_string(line_no) +
                               ": bad pattern (" + u_errorName(status) + ")");
      patterns_.push_back(std::move(alone));
      read.emplace_back(line);
      if (!combined.isEmpty()) combined += u'|';
      combined += u"(?:";
      combined += pattern;
      combined += u')';
    }
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr;
    pattern_.reset(icu::RegexPattern::compile(combined, UREGEX_CASE_INSENSITIVE, perr, status));
    if (U_FAILURE(status)) throw std::logic_error("articles/data/boilerplate.txt: patterns do not combine");
    // The prefilter's conditions are numbered as boilerplate_patterns() lists the patterns; should that list
    // ever differ from the one read here, every line goes to the combined expression.
    one_by_one_ = read == boilerplate_patterns();
  }

  bool matches(std::string_view line) const {
    if (!prefilter_.may_match(line)) return false;  // tests/unit/line_prefilter_test.cpp checks it against ICU
    thread_local std::vector<size_t> candidates;
    if (one_by_one_) prefilter_.candidates(line, candidates);
    icu::UnicodeString text =
        icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), static_cast<int32_t>(line.size())));
    if (!one_by_one_ || candidates.size() == patterns_.size()) return run(*pattern_, text);
    for (size_t i : candidates) {
      if (run(*patterns_[i], text)) return true;
    }
    return false;
  }

 private:
  // Does `pattern` match the whole of `text`?
  static bool run(const icu::RegexPattern& pattern, const icu::UnicodeString& text) {
    // One matcher per pattern and thread: RegexPattern is shareable, RegexMatcher is not.
    thread_local std::unordered_map<const icu::RegexPattern*, std::unique_ptr<icu::RegexMatcher>> matchers;
    std::unique_ptr<icu::RegexMatcher>& matcher = matchers[&pattern];
    UErrorCode status = U_ZERO_ERROR;
    if (!matcher) {
      matcher.reset(pattern.matcher(status));
      if (U_FAILURE(status)) {
        matcher.reset();
        return false;
      }
      // Backtracking is bounded by the line length cap; the time limit is a second guard.
      matcher->setTimeLimit(1000, status);
    }
    matcher->reset(text);
    bool result = matcher->matches(status);
    matcher->reset(icu::UnicodeString());  // drop the reference to `text`
    return U_SUCCESS(status) && result;
  }

  LinePrefilter prefilter_;
  std::unique_ptr<icu::RegexPattern> pattern_;                 ///< every pattern, as alternatives
  std::vector<std::unique_ptr<icu::RegexPattern>> patterns_;  ///< each alone, in boilerplate_patterns() order
  bool one_by_one_ = false;
};

const BoilerplateMatcher& boilerplate_matcher() {
  static const BoilerplateMatcher matcher;
  return matcher;
}

/// Photo agencies and credit words, lowercased, from data/photo_agencies.txt.
const std::vector<std::string>& agencies() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out;
    for (std::string_view name : names::photo_agency_names()) out.push_back(ascii::lower(name));
    // Credit words every caption uses, whatever the agency list holds.
    for (const char* w : {"getty images", "photo", "photos", "images", "pool", "handout", "file photo"})
      out.emplace_back(w);
    return out;
  }();
  return list;
}

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// Does `part` (lowercased) contain an agency or credit word as whole words?
bool names_agency(std::string_view part_lower) {
  for (const auto& a : agencies()) {
    size_t at = part_lower.find(a);
    while (at != std::string_view::npos) {
      bool left = at == 0 || !is_word_char(part_lower[at - 1]);
      size_t end = at + a.size();
      bool right = end == part_lower.size() || !is_word_char(part_lower[end]);
      if (left && right) return true;
      at = part_lower.find(a, at + 1);
    }
  }
  return false;
}

/// Splits a credit ("Mikhail Klimentyev/Sputnik/AFP via Getty Images") into its names.
std::vector<std::string_view> credit_parts(std::string_view s) {
  std::vector<std::string_view> parts;
  std::string lower = ascii::lower(s);
  size_t start = 0, i = 0;
  while (i <= s.size()) {
    size_t sep = 0;
    if (i == s.size())
      sep = 1;
    else if (s[i] == '/' || s[i] == ',' || s[i] == ';')
      sep = 1;
    else if (lower.compare(i, 5, " via ") == 0)
      sep = 5;
    if (sep > 0) {
      parts.push_back(trim_space(s.substr(start, i - start)));
      i += sep;
      start = i;
    } else {
      ++i;
    }
  }
  return parts;
}

bool ends_like_sentence(std::string_view s) {
  if (s.empty()) return false;
  char c = s.back();
  return c == '.' || c == '!' || c == '?' || c == ':';
}

/// Is `content` (text of a credit, without parentheses) a photo credit?
bool is_credit_text(std::string_view content) {
  content = trim_space(content);
  if (content.empty() || content.size() > 120) return false;
  std::string lower = ascii::lower(content);
  for (std::string_view label : {"photo:", "photo by ", "photos by ", "image:", "image by ",
                                 "picture:", "credit:", "courtesy of ", "courtesy ", "file photo"})
    if (lower.rfind(label, 0) == 0) return true;
  auto parts = credit_parts(content);
  bool agency = false, all_capitalised = true;
  for (auto p : parts) {
    if (p.empty() || count_words(p) > 5 || ends_like_sentence(p)) return false;
    // A credit is names: no brackets, no sentence inside it.
    if (p.find_first_of("()[]\"") != std::string_view::npos || p.find(". ") != std::string_view::npos)
      return false;
    bool names = names_agency(ascii::lower(p));
    agency = agency || names;
    // Every word of a name part is capitalised ("Ramil Sitdikov"), unless it names an agency ("dpa").
    size_t pos = 0;
    while (pos < p.size()) {
      size_t sp = p.find(' ', pos);
      if (sp == std::string_view::npos) sp = p.size();
      std::string_view w = p.substr(pos, sp - pos);
      pos = sp + 1;
      if (w.empty() || w == "via" || w == "and" || w == "de" || w == "van" || w == "von") continue;
      UChar32 c = first_code_point(w);
      if (!(u_isupper(c) || u_isdigit(c))) all_capitalised = false;
    }
    if (!names && !all_capitalised) return false;
  }
  if (agency) return true;
  bool separated = parts.size() >= 2 &&
                   (content.find('/') != std::string_view::npos || lower.find(" via ") != std::string::npos);
  return separated && all_capitalised;
}

/// Is `line` a name and nothing else ("Naveen Athrappully", "David R. Sands")?
bool is_name_only(std::string_view line) {
  if (line.empty() || line.size() > 60) return false;
  size_t words = 0;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t sp = line.find(' ', pos);
    if (sp == std::string_view::npos) sp = line.size();
    std::string_view w = line.substr(pos, sp - pos);
    pos = sp + 1;
    if (w.empty()) continue;
    ++words;
    static const std::unordered_set<std::string_view> kParticles{"de",  "da",  "van", "von", "der", "den",
                                                                 "al",  "bin", "la",  "le",  "du",  "dos",
                                                                 "del", "di",  "and", "&"};
    if (kParticles.count(w) != 0) continue;
    if (!u_isupper(first_code_point(w))) return false;
    for (char c : w)
      if ((c >= '0' && c <= '9') || c == ':' || c == '!' || c == '?' || c == '"' || c == '(' || c == ')')
        return false;
  }
  if (words < 2 || words > 5) return false;
  // A period only after an initial or "Jr."
  if (line.back() == '.') {
    size_t sp = line.rfind(' ');
    std::string_view last = sp == std::string_view::npos ? line : line.substr(sp + 1);
    if (last.size() > 3) return false;
  }
  return true;
}

bool ends_paragraph(std::string_view line) {
  if (line.empty()) return true;
  static constexpr std::string_view kAsciiEnds = ".!?:;\"')]";
  if (kAsciiEnds.find(line.back()) != std::string_view::npos) return true;
  // ” ’ … » (UTF-8)
  for (std::string_view end : {"\xE2\x80\x9D", "\xE2\x80\x99", "\xE2\x80\xA6", "\xC2\xBB"})
    if (line.size() >= end.size() && line.substr(line.size() - end.size()) == end) return true;
  return false;
}

bool starts_lower(std::string_view line) {
  UChar32 c = first_code_point(line);
  return c >= 0 && u_islower(c);
}

/// Thread-local ICU iterators: creating one costs far more than using it.
icu::BreakIterator* sentence_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    // "ss=standard": ICU's sentence-break suppressions, so "Mr. Lukashenko" is one sentence.
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
    if (U_FAILURE(status)) {
      status = U_ZERO_ERROR;
      bi.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    }
    return U_SUCCESS(status) ? std::move(bi) : nullptr;
  }();
  return it.get();
}

icu::BreakIterator* word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> bi(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    return U_SUCCESS(status) ? std::move(bi) : nullptr;
  }();
  return it.get();
}

/// Points `it` at an empty text, so it never keeps a reference to a caller's buffer.
void detach(icu::BreakIterator* it) {
  UErrorCode status = U_ZERO_ERROR;
  UText* empty = utext_openUTF8(nullptr, "", 0, &status);
  if (U_SUCCESS(status)) it->setText(empty, status);
  utext_close(empty);
}

/// Adds [b, e) of `text`, trimmed, to `out` when non-empty.
void emit(std::string_view text, size_t b, size_t e, std::vector<Passage>& out) {
  std::string_view piece = text.substr(b, e - b);
  std::string_view trimmed = trim_space(piece);
  if (trimmed.empty()) return;
  size_t begin = b + static_cast<size_t>(trimmed.data() - piece.data());
  Passage p;
  p.text.assign(trimmed);
  p.begin = begin;
  p.end = begin + trimmed.size();
  out.push_back(std::move(p));
}

/// Largest UTF-8 character boundary <= `pos` in `text` (and > `floor` when possible).
size_t char_boundary_at_or_before(std::string_view text, size_t pos, size_t floor) {
  return pos < text.size() ? utf8::previous_boundary(text, pos, floor) : pos;
}

/// Cuts [b, e) of `text`, a sentence longer than `max`, at word boundaries.
void cut_at_words(std::string_view text, size_t b, size_t e, size_t max, std::vector<Passage>& out) {
  icu::BreakIterator* words = word_iterator();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = nullptr;
  if (words != nullptr && e - b < static_cast<size_t>(INT32_MAX) - 1) {
    ut = utext_openUTF8(nullptr, text.data() + b, static_cast<int64_t>(e - b), &status);
    if (U_SUCCESS(status)) words->setText(ut, status);
    if (U_FAILURE(status)) words = nullptr;
  } else {
    words = nullptr;
  }
  size_t pos = b;
  while (pos < e) {
    // Leading whitespace is not part of the piece: skip it before measuring.
    while (pos < e && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r'))
      ++pos;
    if (e - pos <= max) {
      emit(text, pos, e, out);
      break;
    }
    size_t limit = pos + max;
    size_t cut = 0;
    if (words != nullptr) {
      int32_t r = words->preceding(static_cast<int32_t>(limit - b + 1));
      if (r != icu::BreakIterator::DONE && static_cast<size_t>(r) + b > pos) cut = static_cast<size_t>(r) + b;
    }
    if (cut == 0) cut = char_boundary_at_or_before(text, limit, pos);
    if (cut <= pos) cut = limit;  // cannot happen with valid UTF-8; guarantees progress
    emit(text, pos, cut, out);
    pos = cut;
  }
  if (words != nullptr) detach(words);
  if (ut != nullptr) utext_close(ut);
}

/// Emits paragraph [b, e): whole when it fits, else packed sentences, else word pieces.
void emit_paragraph(std::string_view text, size_t b, size_t e, size_t max, std::vector<Passage>& out) {
  std::string_view para = trim_space(text.substr(b, e - b));
  if (para.empty()) return;
  b = static_cast<size_t>(para.data() - text.data());
  e = b + para.size();
  if (e - b <= max) {
    emit(text, b, e, out);
    return;
  }
  auto sentences = sentence_spans(para);
  size_t cur = b;     // start of the passage being built
  size_t fitted = b;  // end of the last sentence that fits in it
  for (const auto& [sb0, se0] : sentences) {
    const size_t sb = sb0 + b, se = se0 + b;
    // Measure without the trailing whitespace that emit() trims anyway.
    std::string_view sentence = trim_space(text.substr(sb, se - sb));
    if (sentence.empty()) continue;
    const size_t se_trim =
        sentence.empty() ? sb : static_cast<size_t>(sentence.data() - text.data()) + sentence.size();
    if (se_trim - cur <= max) {
      fitted = se;
      continue;
    }
    if (fitted > cur) {
      emit(text, cur, fitted, out);
      cur = fitted;
      while (cur < se && (text[cur] == ' ' || text[cur] == '\n' || text[cur] == '\t' || text[cur] == '\r'))
        ++cur;
    }
    if (se_trim - cur <= max) {
      fitted = se;
      continue;
    }
    cut_at_words(text, cur, se, max, out);  // one sentence longer than the bound
    cur = se;
    fitted = se;
  }
  if (fitted > cur) emit(text, cur, fitted, out);
}

struct Line {
  size_t begin;  // trimmed content
  size_t end;
};

/// is_boilerplate_line() of a line trim_space() leaves as it is; `date_line`, when given, is its
/// is_date_line() already known.
bool is_boilerplate_trimmed(std::string_view line, const bool* date_line) {
  if (line.empty() || line.size() > kMaxCaptionLine) return false;
  if (is_caption_line(line)) return true;
  if (line.size() > kMaxRegexLine) return false;
  return boilerplate_matcher().matches(line) || (date_line != nullptr ? *date_line : is_date_line(line)) ||
         is_by_line(line) || is_byline_line(line);
}

void process_block(std::string_view text, const std::vector<Line>& block, size_t max,
                   std::vector<Passage>& out) {
  const size_t n = block.size();
  auto line_at = [&](size_t i) { return text.substr(block[i].begin, block[i].end - block[i].begin); };
  std::vector<bool> drop(n, false);
  bool has_date = false;
  for (size_t i = 0; i < n; ++i) {
    std::string_view l = line_at(i);
    // Block lines are trimmed; each test runs once (a caption is boilerplate already).
    const bool date_line = is_date_line(l);
    if (date_line) has_date = true;
    drop[i] = is_boilerplate_trimmed(l, &date_line);
    // The line just above a credit is the photo's caption.
    if (i > 0 && is_credit_line(l) && line_at(i - 1).size() <= kMaxCaptionLine) drop[i - 1] = true;
  }
  // A name alone beside a date line is the byline of a header block ("Naveen Athrappully\n10/12/2022").
  if (has_date)
    for (size_t i = 0; i < n; ++i)
      if (!drop[i] && is_name_only(line_at(i))) drop[i] = true;

  size_t i = 0;
  while (i < n) {
    if (drop[i]) {
      ++i;
      continue;
    }
    size_t j = i;
    // Join hard-wrapped lines: the line stops mid-sentence and the next one carries on.
    while (j + 1 < n && !drop[j + 1] && !ends_paragraph(line_at(j)) &&
           (starts_lower(line_at(j + 1)) || line_at(j).size() >= kWrappedLineBytes))
      ++j;
    emit_paragraph(text, block[i].begin, block[j].end, max, out);
    i = j + 1;
  }
}

}  // namespace

size_t count_words(std::string_view s) {
  size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

std::string_view trim_space(std::string_view s) {
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.front());
    if (c == ' ' || (c >= '\t' && c <= '\r'))
      s.remove_prefix(1);
    else if (s.substr(0, 2) == "\xC2\xA0")
      s.remove_prefix(2);
    else if (s.substr(0, 3) == "\xEF\xBB\xBF")
      s.remove_prefix(3);  // U+FEFF left inside text
    else
      break;
  }
  while (!s.empty()) {
    unsigned char c = static_cast<unsigned char>(s.back());
    if (c == ' ' || (c >= '\t' && c <= '\r'))
      s.remove_suffix(1);
    else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0")
      s.remove_suffix(2);
    else
      break;
  }
  return s;
}

std::vector<std::pair<size_t, size_t>> sentence_spans(std::string_view utf8) {
  std::vector<std::pair<size_t, size_t>> spans;
  if (utf8.empty()) return spans;
  // ICU iterators index with int32_t: beyond 2 GiB there is no sentence splitting (words still cut it).
  if (utf8.size() > static_cast<size_t>(INT32_MAX) - 1) {
    spans.emplace_back(0, utf8.size());
    return spans;
  }
  icu::BreakIterator* it = sentence_iterator();
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = it != nullptr ? utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status)
                            : nullptr;
  if (it == nullptr || U_FAILURE(status)) {
    if (ut != nullptr) utext_close(ut);
    spans.emplace_back(0, utf8.size());
    return spans;
  }
  it->setText(ut, status);
  size_t prev = 0;
  // Native indexes of a UTF-8 UText are byte offsets, so boundaries need no conversion.
  for (int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    auto cut = static_cast<size_t>(b);
    if (cut > prev) spans.emplace_back(prev, cut);
    prev = cut;
  }
  if (prev < utf8.size()) spans.emplace_back(prev, utf8.size());
  detach(it);
  utext_close(ut);
  return spans;
}

bool is_credit_line(std::string_view line) {
  line = trim_space(line);
  if (line.empty() || line.size() > kMaxCreditLine) return false;
  if (line.front() == '(' && line.back() == ')') line = line.substr(1, line.size() - 2);
  if (ends_like_sentence(line)) return false;
  return is_credit_text(line);
}

bool is_caption_line(std::string_view line) {
  line = trim_space(line);
  if (line.empty() || line.size() > kMaxCaptionLine) return false;
  if (is_credit_line(line)) return true;
  if (line.back() != ')') return false;
  // The parenthesised group at the very end: "... on May 23, 2022. (Sputnik/Ramil Sitdikov/Kremlin via
  // Reuters)"
  int depth = 0;
  size_t open = std::string_view::npos;
  for (size_t i = line.size(); i-- > 0;) {
    if (line[i] == ')')
      ++depth;
    else if (line[i] == '(' && --depth == 0) {
      open = i;
      break;
    }
  }
  if (open == std::string_view::npos || open == 0) return false;
  return is_credit_text(line.substr(open + 1, line.size() - open - 2));
}

bool is_by_line(std::string_view line) {
  line = trim_space(line);
  if (line.size() < 4 || line.size() > 160) return false;
  if (!(line.substr(0, 3) == "By " || line.substr(0, 3) == "BY " || line.substr(0, 3) == "by ")) return false;
  std::string_view rest = trim_space(line.substr(3));
  if (rest.empty() || count_words(rest) > 16) return false;
  // "By entering the war, ..." is a sentence: a byline does not end like one (initials aside).
  if (rest.back() == '!' || rest.back() == '?') return false;
  if (rest.back() == '.') {
    size_t sp = rest.find_last_of(" .", rest.size() - 2);
    std::string_view last = sp == std::string_view::npos ? rest : rest.substr(sp + 1);
    if (last.size() > 4) return false;
  }
  // Segments: names, then optional outlet/role/date after ',', '|' or ' - '.
  size_t segment = 0;
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t cut = rest.find_first_of(",|", pos);
    size_t dash = rest.find(" - ", pos);
    size_t next = std::min(cut, dash);
    std::string_view seg =
        trim_space(rest.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
    pos = next == std::string_view::npos ? rest.size() + 1 : next + (next == dash ? 3 : 1);
    if (seg.empty()) continue;
    if (segment++ > 0 && is_date_line(seg)) continue;
    size_t words = 0;
    size_t p = 0;
    while (p < seg.size()) {
      size_t sp = seg.find(' ', p);
      if (sp == std::string_view::npos) sp = seg.size();
      std::string_view w = seg.substr(p, sp - p);
      p = sp + 1;
      if (w.empty()) continue;
      ++words;
      if (w == "and" || w == "&" || w == "de" || w == "van" || w == "von" || w == "al" || w == "and,")
        continue;
      UChar32 c = first_code_point(w);
      if (!u_isupper(c) && !u_isdigit(c)) return false;
    }
    if (words > 6) return false;
  }
  return segment > 0;
}

std::vector<std::string> boilerplate_patterns() {
  std::vector<std::string> out;
  for (std::string_view line : names::split_lines(data::boilerplate())) {
    if (!line.empty() && line[0] != '#') out.emplace_back(line);
  }
  return out;
}

bool is_boilerplate_line(std::string_view line) {
  line = trim_space(line);
  return is_boilerplate_trimmed(line, nullptr);
}

std::vector<Passage> split_passages(std::string_view utf8, const PassageOptions& options,
                                    const SkipRanges& skip) {
  const size_t max = std::max(options.max_passage_bytes, kMinPassageBytes);
  std::vector<Passage> out;
  std::vector<Line> block;
  size_t pos = 0;
  size_t next_skip = 0;
  while (pos <= utf8.size()) {
    size_t nl = utf8.find('\n', pos);
    if (nl == std::string_view::npos) nl = utf8.size();
    std::string_view raw = utf8.substr(pos, nl - pos);
    std::string_view content = trim_space(raw);
    size_t begin = pos + static_cast<size_t>(content.data() - raw.data());
    bool before_body = pos < options.body_begin;
    while (next_skip < skip.size() && skip[next_skip].second <= begin) ++next_skip;
    bool skipped = !content.empty() && next_skip < skip.size() && skip[next_skip].first <= begin;
    pos = nl + 1;
    if (content.empty() || before_body || skipped) {
      if (!block.empty()) process_block(utf8, block, max, out);
      block.clear();
      continue;
    }
    block.push_back({begin, begin + content.size()});
  }
  if (!block.empty()) process_block(utf8, block, max, out);
  return out;
}

}  // namespace dateline
