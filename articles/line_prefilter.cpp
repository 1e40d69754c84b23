/** @file
 *  @brief A cheap necessary condition for whole-line, case-insensitive ICU regex matches: literal prefixes
 *         and required substrings read from the patterns themselves.
 */
#include "articles/line_prefilter.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <optional>
#include <set>
#include <stdexcept>

#include "base/ascii.h"
#include "base/utf8.h"

namespace dateline {
namespace {

using Strings = std::set<std::string>;

// Sets larger than this are given up (a product of alternations grows fast); giving up only weakens a
// condition, never makes it wrong.
constexpr size_t kMaxSet = 256;

/// What is known about the strings one piece of a pattern matches (lowercased, as UTF-8).
struct Info {
  std::optional<Strings> exact;     // every string it matches, when few
  std::optional<Strings> prefixes;  // every match starts with one of these (none empty)
  std::optional<Strings> required;  // every match contains one of these (none empty)
  bool nullable = false;            // can match the empty string
};

bool has_empty(const Strings& s) { return s.count(std::string()) != 0; }

std::optional<Strings> without_empty_or_none(const Strings& s) {
  if (s.empty() || has_empty(s)) return std::nullopt;
  return s;
}

std::optional<Strings> product(const Strings& a, const Strings& b) {
  if (a.size() * b.size() > kMaxSet) return std::nullopt;
  Strings out;
  for (const auto& x : a)
    for (const auto& y : b) out.insert(x + y);
  return out;
}

/// How much a set of required strings narrows: its shortest member's length (longer is rarer in text).
size_t strength(const std::optional<Strings>& s) {
  if (!s || s->empty()) return 0;
  size_t shortest = SIZE_MAX;
  for (const auto& x : *s) shortest = std::min(shortest, x.size());
  return shortest;
}

void keep_stronger(std::optional<Strings>& best, const std::optional<Strings>& candidate) {
  if (!candidate || has_empty(*candidate)) return;
  if (strength(candidate) > strength(best) ||
      (strength(candidate) == strength(best) && best && candidate->size() < best->size()))
    best = candidate;
}

/// An info fully described by its exact strings.
Info from_exact(Strings exact) {
  Info info;
  info.nullable = has_empty(exact);
  info.prefixes = without_empty_or_none(exact);
  info.required = info.prefixes;
  info.exact = std::move(exact);
  return info;
}

Info any_char() { return Info{}; }  // one character we do not pin down: nothing known, not nullable

/// ICU case-insensitive matching folds case fully: a literal that changes under folding may match other
/// spellings, so it is read as an unknown character.
bool folds(char32_t c) { return c >= 0x80 && u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_CHANGES_WHEN_CASEFOLDED); }

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

struct Unsupported : std::runtime_error {
  Unsupported() : std::runtime_error("unsupported") {}
};

/// Recursive descent over the subset of ICU regex syntax that condition-reading understands.
class Reader {
 public:
  explicit Reader(std::string_view p) : p_(p) {}

  Info read() {
    Info info = alternation();
    if (i_ != p_.size()) throw Unsupported();
    return info;
  }

 private:
  Info alternation() {
    std::vector<Info> branches{sequence()};
    while (i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      branches.push_back(sequence());
    }
    if (branches.size() == 1) return branches[0];
    Info out;
    Strings exact, prefixes, required;
    bool all_exact = true, all_prefixes = true, all_required = true;
    for (const auto& b : branches) {
      out.nullable = out.nullable || b.nullable;
      if (b.exact)
        exact.insert(b.exact->begin(), b.exact->end());
      else
        all_exact = false;
      if (b.prefixes)
        prefixes.insert(b.prefixes->begin(), b.prefixes->end());
      else
        all_prefixes = false;
      if (b.required)
        required.insert(b.required->begin(), b.required->end());
      else
        all_required = false;
    }
    if (all_exact && exact.size() <= kMaxSet) return from_exact(std::move(exact));
    if (all_prefixes && prefixes.size() <= kMaxSet) out.prefixes = std::move(prefixes);
    if (all_required && required.size() <= kMaxSet) out.required = std::move(required);
    return out;
  }

  Info sequence() {
    // `whole` describes the sequence so far; `run` the exact strings of its trailing run of exact pieces.
    Info whole = from_exact({std::string()});
    std::optional<Strings> run = Strings{std::string()};
    std::optional<Strings> required;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Info x = quantified();
      keep_stronger(required, x.required);
      // The run of exact pieces is a required substring of its own ("... can be reached at ...").
      if (x.exact) {
        auto longer = product(*run, *x.exact);
        if (!longer) {
          keep_stronger(required, run);
          longer = x.exact;
        }
        run = longer;
      } else {
        keep_stronger(required, run);
        run = Strings{std::string()};
      }
      // Prefixes: only while everything before is exact do later pieces add to them.
      if (whole.exact) {
        std::optional<Strings> exact;
        if (x.exact) exact = product(*whole.exact, *x.exact);
        if (exact) {
          whole = from_exact(std::move(*exact));
          continue;
        }
        Strings tails{std::string()};
        if (x.prefixes && !x.nullable) tails = *x.prefixes;
        auto heads = product(*whole.exact, tails);
        whole.prefixes = without_empty_or_none(heads ? *heads : *whole.exact);
        whole.exact.reset();
        whole.nullable = whole.nullable && x.nullable;
      } else {
        whole.nullable = whole.nullable && x.nullable;
      }
    }
    keep_stronger(required, run);
    if (!whole.exact) {
      keep_stronger(required, whole.prefixes);
      whole.required = required;
    }
    return whole;
  }

  Info quantified() {
    Info x = atom();
    while (i_ < p_.size()) {
      size_t min = 0, max = 0;
      const size_t kInf = SIZE_MAX;
      char c = p_[i_];
      if (c == '?') {
        min = 0, max = 1, ++i_;
      } else if (c == '*') {
        min = 0, max = kInf, ++i_;
      } else if (c == '+') {
        min = 1, max = kInf, ++i_;
      } else if (c == '{') {
        size_t close = p_.find('}', i_);
        if (close == std::string_view::npos) throw Unsupported();
        std::string_view body = p_.substr(i_ + 1, close - i_ - 1);
        size_t comma = body.find(',');
        auto number = [](std::string_view s) {
          if (s.empty() || s.size() > 6) throw Unsupported();
          size_t n = 0;
          for (char d : s) {
            if (d < '0' || d > '9') throw Unsupported();
            n = n * 10 + static_cast<size_t>(d - '0');
          }
          return n;
        };
        min = number(comma == std::string_view::npos ? body : body.substr(0, comma));
        max = comma == std::string_view::npos ? min
              : comma + 1 == body.size()      ? kInf
                                              : number(body.substr(comma + 1));
        i_ = close + 1;
      } else {
        break;
      }
      // Lazy and possessive forms match no string the greedy form cannot.
      if (i_ < p_.size() && (p_[i_] == '?' || p_[i_] == '+')) ++i_;
      x = repeat(x, min, max);
    }
    return x;
  }

  static Info repeat(const Info& x, size_t min, size_t max) {
    if (x.exact && max != SIZE_MAX && max <= 8) {
      Strings all;
      Strings power{std::string()};
      bool fits = true;
      for (size_t k = 0; k <= max && fits; ++k) {
        if (k >= min) all.insert(power.begin(), power.end());
        if (all.size() > kMaxSet) fits = false;
        if (k < max) {
          auto next = product(power, *x.exact);
          if (next)
            power = std::move(*next);
          else
            fits = false;
        }
      }
      if (fits) return from_exact(std::move(all));
    }
    Info out;
    if (min == 0) {
      out.nullable = true;
      return out;
    }
    out.nullable = x.nullable;
    out.prefixes = x.prefixes;
    out.required = x.required;
    return out;
  }

  char32_t next_code_point() {
    auto d = utf8::decode(p_, i_);
    if (!d.valid) throw Unsupported();
    i_ += d.length;
    return d.code_point;
  }

  static std::string lowered(char32_t c) {
    std::string s;
    if (c < 0x80) {
      s.push_back(ascii::lower(static_cast<char>(c)));
    } else if (c < 0x800) {
      s.push_back(static_cast<char>(0xC0 | (c >> 6)));
      s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      s.push_back(static_cast<char>(0xE0 | (c >> 12)));
      s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      s.push_back(static_cast<char>(0xF0 | (c >> 18)));
      s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
    return s;
  }

  static Info literal(char32_t c) {
    if (folds(c)) return any_char();
    return from_exact({lowered(c)});
  }

  /// After a backslash: a class escape (one unknown character), a zero-width assertion, or a quoted
  /// punctuation character.
  Info escape() {
    if (i_ >= p_.size()) throw Unsupported();
    char c = p_[i_];
    if (c == 'p' || c == 'P') {
      size_t close = p_.find('}', i_);
      if (i_ + 1 >= p_.size() || p_[i_ + 1] != '{' || close == std::string_view::npos) throw Unsupported();
      i_ = close + 1;
      return any_char();
    }
    ++i_;
    switch (c) {
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W': case 'h': case 'H': case 'v': case 'V':
      case 'n': case 't': case 'r': case 'f': case 'e': case 'a': case 'X': case 'R':
        return any_char();
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':
        return from_exact({std::string()});
      default:
        break;
    }
    // Backslash before a non-alphanumeric character quotes it; anything else (\1, \k, \Q, \x, \u, \N, ...)
    // is left unread.
    if (static_cast<unsigned char>(c) < 0x80 && !is_alnum(c)) return literal(static_cast<char32_t>(c));
    throw Unsupported();
  }

  /// A bracket set: exact when it lists a few plain characters, else one unknown character.
  Info bracket() {
    Strings members;
    bool plain = true;
    if (i_ < p_.size() && p_[i_] == '^') {
      plain = false;
      ++i_;
    }
    bool first = true;
    while (true) {
      if (i_ >= p_.size()) throw Unsupported();
      char c = p_[i_];
      if (c == ']') {
        if (first) throw Unsupported();  // "[]...]" reads differently across engines
        ++i_;
        break;
      }
      // Nested sets, set operations, strings ("{ab}") and variables ("$x") of ICU's set syntax are not read.
      if (c == '[' || c == '{' || c == '$' || (c == '&' && i_ + 1 < p_.size() && p_[i_ + 1] == '&'))
        throw Unsupported();
      if (c == ':' && first) {
        // "[:name:]" is a property; "[:.]" lists a colon and a period.
        size_t close = p_.find(']', i_);
        if (close == std::string_view::npos || p_[close - 1] == ':') throw Unsupported();
      }
      first = false;
      if (c == '\\') {
        ++i_;
        if (i_ >= p_.size()) throw Unsupported();
        char e = p_[i_];
        if (e == 'p' || e == 'P') {
          size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) throw Unsupported();
          i_ = close + 1;
          plain = false;
          continue;
        }
        if (static_cast<unsigned char>(e) < 0x80 && is_alnum(e)) {
          ++i_;
          plain = false;  // \d, \s, \w, \n, ...
          continue;
        }
        ++i_;
        members.insert(lowered(static_cast<char32_t>(e)));
        if (folds(static_cast<char32_t>(e))) plain = false;
        continue;
      }
      char32_t cp = next_code_point();
      if (i_ < p_.size() && p_[i_] == '-' && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        // A range: read its end and give up on listing it.
        ++i_;
        if (p_[i_] == '\\') ++i_;
        next_code_point();
        plain = false;
        continue;
      }
      if (folds(cp)) plain = false;
      members.insert(lowered(cp));
    }
    if (!plain || members.empty() || members.size() > 16) return any_char();
    return from_exact(std::move(members));
  }

  Info atom() {
    char c = p_[i_];
    switch (c) {
      case '(': {
        ++i_;
        if (i_ < p_.size() && p_[i_] == '?') {
          // Only the non-capturing group is read; lookaround, flags and named groups are not.
          if (i_ + 1 < p_.size() && p_[i_ + 1] == ':')
            i_ += 2;
          else
            throw Unsupported();
        }
        Info inner = alternation();
        if (i_ >= p_.size() || p_[i_] != ')') throw Unsupported();
        ++i_;
        return inner;
      }
      case '[':
        ++i_;
        return bracket();
      case '.':
        ++i_;
        return any_char();
      case '^':
      case '$':
        ++i_;
        return from_exact({std::string()});
      case '\\':
        ++i_;
        return escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
      case '|':
        throw Unsupported();
      default:
        return literal(next_code_point());
    }
  }

  std::string_view p_;
  size_t i_ = 0;
};

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

/// `s` without members that another member starts (prefixes) or contains (required): same condition,
/// fewer comparisons.
std::vector<std::string> minimal(const Strings& s, bool as_prefix) {
  std::vector<std::string> out;
  for (const auto& x : s) {
    bool covered = false;
    for (const auto& y : s)
      if (&x != &y && y.size() < x.size() &&
          (as_prefix ? x.compare(0, y.size(), y) == 0 : x.find(y) != std::string::npos))
        covered = true;
    if (!covered) out.push_back(x);
  }
  return out;
}

}  // namespace

LinePrefilter::LinePrefilter(const std::vector<std::string>& patterns) {
  for (const auto& pattern : patterns) {
    Info info;
    try {
      info = Reader(pattern).read();
    } catch (const Unsupported&) {
      info = Info{};
    }
    Condition cond;
    auto prefixes = info.exact ? without_empty_or_none(*info.exact) : info.prefixes;
    if (prefixes) {
      cond.has_prefixes = true;
      cond.prefixes = minimal(*prefixes, true);
    }
    if (info.required && strength(info.required) > 0) {
      cond.has_required = true;
      cond.required = minimal(*info.required, false);
    }
    if (!cond.has_prefixes && !cond.has_required) ++unconditional_;
    const auto index = conditions_.size();
    if (cond.has_prefixes) {
      for (const auto& p : cond.prefixes) {
        auto& buckets = by_first_byte_[static_cast<unsigned char>(p[0])];
        if (buckets.empty() || buckets.back().condition != index) buckets.push_back(Bucket{index, {}});
        buckets.back().prefixes.push_back(p);
      }
    } else {
      without_prefixes_.push_back(index);
    }
    conditions_.push_back(std::move(cond));
  }
  for (size_t index : without_prefixes_) {
    for (const std::string& r : conditions_[index].required) {
      if (r.size() == 1) {
        single_byte_[static_cast<unsigned char>(r[0])] = true;
        continue;
      }
      const auto pair =
          static_cast<uint16_t>(static_cast<unsigned char>(r[0]) << 8 | static_cast<unsigned char>(r[1]));
      pair_bits_[pair / 64] |= uint64_t{1} << (pair % 64);
      by_pair_.emplace_back(pair, r);
    }
  }
  std::sort(by_pair_.begin(), by_pair_.end());
}

bool LinePrefilter::has_any_unprefixed(std::string_view lower) const {
  const size_t n = lower.size();
  for (size_t i = 0; i < n; ++i) {
    const auto b = static_cast<unsigned char>(lower[i]);
    if (single_byte_[b]) return true;
    if (i + 1 == n) break;
    const auto pair = static_cast<uint16_t>(b << 8 | static_cast<unsigned char>(lower[i + 1]));
    if ((pair_bits_[pair / 64] >> (pair % 64) & 1) == 0) continue;
    auto it = std::lower_bound(by_pair_.begin(), by_pair_.end(), pair,
                               [](const auto& entry, uint16_t p) { return entry.first < p; });
    for (; it != by_pair_.end() && it->first == pair; ++it)
      if (lower.compare(i, it->second.size(), it->second) == 0) return true;
  }
  return false;
}

bool LinePrefilter::has_required(const Condition& cond, std::string_view lower) {
  return !cond.has_required ||
         std::any_of(cond.required.begin(), cond.required.end(),
                     [&](const std::string& r) { return lower.find(r) != std::string_view::npos; });
}

bool LinePrefilter::lower_line(std::string_view line, std::string& lower) {
  lower.assign(line);
  for (size_t i = 0; i < lower.size();) {
    unsigned char b = static_cast<unsigned char>(lower[i]);
    if (b < 0x80) {
      lower[i] = ascii::lower(static_cast<char>(b));
      ++i;
      continue;
    }
    auto d = utf8::decode(line, i);
    if (!d.valid || folds(d.code_point)) return false;
    i += d.length;
  }
  return true;
}

bool LinePrefilter::may_match(std::string_view line) const {
  if (unconditional_ > 0) return true;
  // Lowered in a reused buffer; a non-ASCII character that folds, or a byte that is not UTF-8, sends the
  // line to the regex.
  thread_local std::string lower;
  if (!lower_line(line, lower)) return true;
  std::string_view l = lower;
  // Each condition without prefixes has required strings (else it is unconditional, answered above): the
  // line passes when it holds any of them.
  if (has_any_unprefixed(l)) return true;
  if (l.empty()) return false;
  // Only the prefixes that begin with the line's first byte can be its start.
  for (const Bucket& bucket : by_first_byte_[static_cast<unsigned char>(l[0])])
    if (std::any_of(bucket.prefixes.begin(), bucket.prefixes.end(),
                    [&](const std::string& p) { return starts_with(l, p); }) &&
        has_required(conditions_[bucket.condition], l))
      return true;
  return false;
}

void LinePrefilter::candidates(std::string_view line, std::vector<size_t>& out) const {
  out.clear();
  thread_local std::string lower;
  const bool readable = unconditional_ == 0 && lower_line(line, lower);
  for (size_t i = 0; i < conditions_.size(); ++i) {
    const Condition& cond = conditions_[i];
    // may_match()'s test, one condition at a time.
    const bool may = !readable ||
                     ((!cond.has_prefixes || std::any_of(cond.prefixes.begin(), cond.prefixes.end(),
                                                         [&](const std::string& p) { return starts_with(lower, p); })) &&
                      has_required(cond, lower));
    if (may) out.push_back(i);
  }
}

}  // namespace dateline
