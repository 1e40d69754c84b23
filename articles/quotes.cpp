/** @file
 *  @brief Quotation spans and a word/punctuation tokenizer for speaker attribution.
 */
#include "articles/quotes.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_set>

#include "articles/names.h"
#include "base/utf8.h"

namespace dateline::quotes {
namespace {

struct Cp {
  char32_t c = 0;
  size_t begin = 0;
  size_t end = 0;
};

std::vector<Cp> decode(std::string_view s) {
  std::vector<Cp> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (auto b = static_cast<unsigned char>(s[i]); b < 0x80) {
      out.push_back({b, i, i + 1});
      ++i;
      continue;
    }
    utf8::Decoded d = utf8::decode(s, i);
    size_t end = i + (d.valid ? d.length : utf8::invalid_length(s, i));  // U8_NEXT's maximal subpart
    out.push_back({d.code_point, i, end});
    i = end;
  }
  return out;
}

// The code point at byte i (< s.size()) and the byte after it: one step of decode() above, made where the
// scans below stand, so that they need no array of every character (24 bytes each) built first.
struct At {
  char32_t c;
  size_t end;
};
inline At at(std::string_view s, size_t i) {
  if (auto b = static_cast<unsigned char>(s[i]); b < 0x80) return {b, i + 1};
  utf8::Decoded d = utf8::decode(s, i);
  return {d.code_point, i + (d.valid ? d.length : utf8::invalid_length(s, i))};
}

// Both answer ASCII without ICU (most characters): there White_Space is \t..\r and ' ', letters are A-Z and
// a-z, digits 0-9, and nothing is a mark.
bool is_space(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= U'\t' && c <= U'\r');
  return u_isUWhiteSpace(static_cast<UChar32>(c)) || c == U'\u00A0';
}
bool is_alnum(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9');
  auto u = static_cast<UChar32>(c);
  return u_isalpha(u) || u_isdigit(u) || u_charType(u) == U_NON_SPACING_MARK ||
         u_charType(u) == U_COMBINING_SPACING_MARK;
}

// Are the eight bytes at `p` ASCII without '"' (none of them can be or start a quotation mark)? The zero-byte
// test on w XOR eight '"' bytes says exactly whether one of them is '"'.
bool plain8(const char* p) {
  constexpr uint64_t kEveryByte = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  const uint64_t quote = w ^ (kEveryByte * '"');
  return (w & kHighBits) == 0 && ((quote - kEveryByte) & ~quote & kHighBits) == 0;
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

constexpr char32_t kStraight = U'"';
bool is_opening_mark(char32_t c) {
  return c == U'\u201C' || c == U'\u201E' || c == U'\u00AB' || c == U'\u201F';
}
bool is_closing_mark(char32_t c) {
  return c == U'\u201D' || c == U'\u00BB';
}

// Context of a straight quote: what stands before and after it.
bool opener_context(char32_t prev) {
  return prev == 0 || is_space(prev) || prev == U'(' || prev == U'[' || prev == U'{' || prev == U'\u2014' ||
         prev == U'\u2013' || prev == U'-' || prev == U':' || is_opening_mark(prev);
}
bool closer_context(char32_t next) {
  return next == 0 || is_space(next) || next == U',' || next == U'.' || next == U';' || next == U':' ||
         next == U'!' || next == U'?' || next == U')' || next == U']' || next == U'}' || next == U'\u2014' ||
         next == U'\u2013' || next == U'\u2026' || is_closing_mark(next);
}

// Abbreviations whose final dot is part of the word, not a full stop.
bool is_abbreviation(std::string_view w) {
  static const std::unordered_set<std::string_view> set = {
      "Mr",   "Mrs",  "Ms",   "Mx",     "Dr",   "Prof", "Lt",   "Col",  "Gen", "Sen",  "Rep",    "Gov",
      "St",   "Jr",   "Sr",   "Capt",   "Sgt",  "Maj",  "Adm",  "Cpl",  "Pvt", "Brig", "Rev",    "Cmdr",
      "Gens", "Sens", "Reps", "Messrs", "No",   "Nos",  "vs",   "etc",  "Inc", "Ltd",  "Co",     "Corp",
      "Jan",  "Feb",  "Mar",  "Apr",    "Aug",  "Sept", "Sep",  "Oct",  "Nov", "Dec",  "approx", "est",
      "Ft",   "Mt",   "Ave",  "Blvd",   "Dept", "Univ", "Assn", "Bros", "ed",  "Vol",  "Fig"};
  return set.count(w) != 0;
}

}  // namespace

namespace {

// Every mark is a code point outside ASCII but '"': the other ASCII bytes (most of the text) are passed over
// one compare each, and only the code points from a '"' or a byte outside ASCII are decoded. The code point
// before a mark (`prev`) is its byte when that is ASCII, else the last code point decoded, which ends there.
std::vector<QuoteSpan> find_quotes_in(std::string_view text) {
  std::vector<QuoteSpan> spans;
  struct Open {
    size_t begin;
    char32_t mark;
  };
  std::vector<Open> stack;
  bool nested = false;        // the current outer quote held an inner one
  size_t last_close_end = 0;  // end of the last closing mark inside the current outer quote

  auto close_one = [&](size_t end) {
    if (stack.size() == 1) {
      spans.push_back({stack.front().begin, end, true});
      nested = false;
    } else {
      nested = true;
    }
    stack.pop_back();
    last_close_end = end;
  };

  const size_t n = text.size();
  char32_t decoded = 0;  // the last code point decoded below
  for (size_t i = 0; i < n;) {
    if (n - i >= 8 && plain8(text.data() + i)) {
      i += 8;
      continue;
    }
    if (const auto b = static_cast<unsigned char>(text[i]); b < 0x80 && b != '"') {
      ++i;
      continue;
    }
    const At cp = at(text, i);
    const char32_t c = cp.c;
    char32_t prev = 0;
    if (i > 0) {
      const auto before = static_cast<unsigned char>(text[i - 1]);
      prev = before < 0x80 ? before : decoded;
    }
    decoded = c;
    const char32_t next = cp.end < n ? at(text, cp.end).c : 0;
    if (c == U'\u201C' && !stack.empty() && stack.back().mark == U'\u201E') {
      close_one(cp.end);  // German „…“
    } else if (is_opening_mark(c)) {
      stack.push_back({i, c});
    } else if (is_closing_mark(c)) {
      if (!stack.empty()) close_one(cp.end);
    } else if (c == kStraight) {
      bool opener = opener_context(prev) && !is_space(next) && next != 0;
      bool closer = closer_context(next) && !is_space(prev) && prev != 0;
      if (opener && !closer) {
        stack.push_back({i, c});
      } else if (closer && !opener) {
        if (!stack.empty()) close_one(cp.end);
      } else if (!stack.empty()) {
        close_one(cp.end);
      } else {
        stack.push_back({i, c});
      }
    }
    i = cp.end;
  }
  if (!stack.empty()) {
    const size_t outer = stack.front().begin;
    if (nested && last_close_end > outer) {
      spans.push_back({outer, last_close_end, true});
    } else {
      spans.push_back({outer, text.size(), false});
    }
  }
  return spans;
}

}  // namespace

std::vector<QuoteSpan> find_quotes(std::string_view text) {
  return find_quotes_in(text);
}

namespace {

// The Quote token of span `q` whose text (marks left out) lies in bytes [inner_b, inner_e).
Token quote_with_inner(std::string_view text, const QuoteSpan& q, size_t inner_b, size_t inner_e) {
  Token t;
  t.kind = Kind::Quote;
  t.begin = q.begin;
  t.end = q.end;
  t.closed = q.closed;
  if (inner_e < inner_b) inner_e = inner_b;
  t.text = std::string(names::trim(text.substr(inner_b, inner_e - inner_b)));
  // The last character: an ASCII last byte is one (no invalid sequence takes in an ASCII byte).
  if (t.text.empty()) {
    t.last = 0;
  } else if (static_cast<unsigned char>(t.text.back()) < 0x80) {
    t.last = static_cast<unsigned char>(t.text.back());
  } else {
    t.last = decode(t.text).back().c;
  }
  return t;
}

// The Quote token of span `q` from the bytes alone (what quote_token() above makes of the code points). A
// span begins with its opening mark and, when closed, ends with its closing mark; each is a quotation mark
// whose length its bytes tell: '"' (1 byte), « » (C2 AB, C2 BB), “ ” „ ‟ (E2 80 9C..9F).
Token quote_token(std::string_view text, const QuoteSpan& q) {
  const auto open = static_cast<unsigned char>(text[q.begin]);
  size_t inner_b = q.begin + (open == '"' ? 1 : open == 0xC2 ? 2 : 3);
  size_t inner_e = q.end;
  if (q.closed) {
    const auto close = static_cast<unsigned char>(text[q.end - 1]);
    inner_e = q.end - (close == '"' ? 1 : close == 0xBB ? 2 : 3);
  }
  return quote_with_inner(text, q, inner_b, inner_e);
}

}  // namespace

std::vector<Token> mask_quotes(std::string_view text, std::vector<Token> tokens) {
  return mask_quotes(text, std::move(tokens), find_quotes(text));
}

std::vector<Token> mask_quotes(std::string_view text, std::vector<Token> tokens,
                               const std::vector<QuoteSpan>& spans) {
  if (spans.empty()) return tokens;
  // Quotations begin and end at quotation marks, which are tokens of their own and never part of a word:
  // every token lies wholly inside a quotation or wholly outside, and those outside are what tokenize()
  // makes of them with masking too.
  std::vector<Token> out;
  out.reserve(tokens.size());
  auto quote = [&](const QuoteSpan& q) { out.push_back(quote_token(text, q)); };
  size_t span_i = 0;
  for (size_t i = 0; i < tokens.size();) {
    if (span_i < spans.size() && tokens[i].begin >= spans[span_i].begin) {
      const QuoteSpan& q = spans[span_i++];
      quote(q);
      while (i < tokens.size() && tokens[i].begin < q.end) ++i;
      continue;
    }
    out.push_back(std::move(tokens[i++]));
  }
  for (; span_i < spans.size(); ++span_i) quote(spans[span_i]);  // none: each opening mark is a token
  return out;
}

namespace {

// tokenize() with each of `spans` made one Quote token, read on the bytes: each code point is decoded where
// the scan stands (an ASCII byte is its own), instead of from an array of every character built first.
std::vector<Token> tokenize_in(std::string_view text, const std::vector<QuoteSpan>& spans) {
  std::vector<Token> tokens;
  // Prose has about one token for every five or six characters: room for all of them at once, so the
  // tokens are not moved again and again while the vector grows.
  tokens.reserve(text.size() / 4 + 4);
  const size_t n = text.size();
  size_t span_i = 0;
  size_t i = 0;  // the current code point's first byte
  while (i < n) {
    if (span_i < spans.size() && i >= spans[span_i].begin) {
      // A span begins at its opening mark and ends at its closing mark or the text's end, both code point
      // boundaries: the scan goes on at its end.
      const QuoteSpan& q = spans[span_i++];
      tokens.push_back(quote_token(text, q));
      i = q.end;
      continue;
    }
    const At cp = at(text, i);
    if (is_space(cp.c)) {
      i = cp.end;
      continue;
    }
    // Each token is made in place in the vector (its text is not built aside and moved in twice).
    if (!is_alnum(cp.c)) {
      Token& t = tokens.emplace_back();
      t.kind = Kind::Punct;
      t.text.assign(text.data() + i, cp.end - i);
      t.begin = i;
      t.end = cp.end;
      i = cp.end;
      continue;
    }
    // A word: letters/digits, joined across . - ' ’ & when a letter or digit follows.
    const size_t wb = i;
    size_t taken = 0;  // code points in the word
    size_t we = i;     // one past the word's last byte
    At cur = cp;
    while (true) {
      if (is_alnum(cur.c)) {
        ++taken;
        i = cur.end;
        // The ASCII letters and digits after it (most of a word) are taken without decoding each.
        while (i < n && is_ascii_alnum(text[i])) {
          ++i;
          ++taken;
        }
        we = i;
        if (i >= n) break;
        cur = at(text, i);
        continue;
      }
      const char32_t c = cur.c;
      bool joiner = c == U'.' || c == U'-' || c == U'\'' || c == U'\u2019' || c == U'&' || c == U'\u2010' ||
                    c == U'\u2011';
      if (joiner && cur.end < n && !(span_i < spans.size() && cur.end >= spans[span_i].begin)) {
        const At after = at(text, cur.end);
        if (is_alnum(after.c)) {
          ++taken;
          we = i = cur.end;
          cur = after;
          continue;
        }
      }
      break;
    }
    // Here i == we: the first byte not taken.
    Token& t = tokens.emplace_back();
    std::string& word = t.text;
    word.assign(text.data() + wb, we - wb);
    // Keep the final dot of initials ("R."), abbreviations ("Mr.") and dotted forms ("U.S.").
    if (i < n && text[i] == '.') {
      bool initial = taken == 1 && names::starts_upper(word);
      if (initial || is_abbreviation(word) || word.find('.') != std::string::npos) {
        we = ++i;
        word += '.';
      }
    }
    t.begin = wb;
    t.end = we;
    // Possessives: "Lukashenko’s" / "Lukashenko's", and "Belarus’" / "Belarus'" after a final s. Both
    // suffixes end in 's': a word that does not is compared with neither.
    for (std::string_view poss : {std::string_view("\xE2\x80\x99s"), std::string_view("'s")}) {
      if (t.text.empty() || t.text.back() != 's') break;
      if (t.text.size() > poss.size() &&
          t.text.compare(t.text.size() - poss.size(), poss.size(), poss) == 0) {
        t.text.resize(t.text.size() - poss.size());
        t.possessive = true;
        break;
      }
    }
    if (!t.possessive && i < n && !t.text.empty() && (t.text.back() == 's' || t.text.back() == 'S')) {
      const At mark = at(text, i);
      if ((mark.c == U'\u2019' || mark.c == U'\'') && (mark.end >= n || !is_alnum(at(text, mark.end).c))) {
        t.possessive = true;
        t.end = mark.end;
        i = mark.end;
      }
    }
  }
  return tokens;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, bool mask_quotes) {
  return tokenize_in(text, mask_quotes ? find_quotes_in(text) : std::vector<QuoteSpan>{});
}

std::vector<Token> tokenize(std::string_view text, std::vector<QuoteSpan>* quotes) {
  *quotes = find_quotes_in(text);
  return tokenize_in(text, {});
}

std::vector<std::pair<size_t, size_t>> sentences(const std::vector<Token>& tokens) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t begin = 0;
  auto ends_sentence = [](char32_t c) { return c == U'.' || c == U'!' || c == U'?' || c == U'\u2026'; };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    bool boundary = false;
    const Token* next = i + 1 < tokens.size() ? &tokens[i + 1] : nullptr;
    if (t.kind == Kind::Punct &&
        (t.text == "." || t.text == "!" || t.text == "?" || t.text == "\xE2\x80\xA6")) {
      // "... 5 p.m. local time" never gets here (the dots stay in the word); a full stop before a
      // lower-case word is an abbreviation we did not know, not a sentence end.
      boundary = next == nullptr || !(next->kind == Kind::Word && names::starts_lower(next->text));
    } else if (t.kind == Kind::Quote && ends_sentence(t.last) && next != nullptr) {
      boundary = next->kind == Kind::Quote || (next->kind == Kind::Word && names::starts_upper(next->text));
    }
    if (boundary) {
      out.emplace_back(begin, i + 1);
      begin = i + 1;
    }
  }
  if (begin < tokens.size()) out.emplace_back(begin, tokens.size());
  return out;
}

}  // namespace dateline::quotes
