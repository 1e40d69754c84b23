/** @file
 *  @brief Syndicated copies: normalisation, MinHash signatures, LSH band keys and the same-story test.
 */
#include "indexer/stories.h"

#include <unicode/uchar.h>
// Inlined: sign() hashes every word and every shingle of an article, a library call each.
// The same XXH3, so the same values.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

#include "base/utf8.h"

namespace dateline::stories {

namespace {

// Appends code point `c` as UTF-8.
void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return u_isalnum(static_cast<UChar32>(c)) || (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}

// The multipliers and offsets of the kMinHashes hash functions h_i(x) = high 32 bits of (a_i x + b_i) mod
// 2^64 (multiply-shift, Dietzfelbinger et al. 1997), a_i odd: drawn once from splitmix64 with a fixed seed.
struct Permutations {
  std::array<uint64_t, kMinHashes> a{};
  std::array<uint64_t, kMinHashes> b{};
  Permutations() {
    uint64_t state = 0x44617465'6C696E65ULL;  // "Dateline"
    auto next = [&] {
      uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      return z ^ (z >> 31);
    };
    for (unsigned i = 0; i < kMinHashes; ++i) {
      a[i] = next() | 1;
      b[i] = next();
    }
  }
};

const Permutations& permutations() {
  static const Permutations p;
  return p;
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}
uint64_t get_le(std::string_view s, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t{static_cast<unsigned char>(s[at + i])} << (8 * i);
  return v;
}

// The low `digits` hex digits of `v`, lower case, zero-padded, into out[at, at + digits) (as printf's "%0Nx").
void put_hex(std::string& out, size_t at, unsigned digits, uint64_t v) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned i = digits; i-- > 0; v >>= 4) out[at + i] = kHex[v & 0xF];
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The figures of a text, one bit each: runs of ASCII digits with the '.', ',' or '/' inside them
// ("1.5", "6-1/8" gives "6" and "1/8", "109,000").
uint64_t number_bits(std::string_view text) {
  uint64_t bits = 0;
  for (size_t i = 0; i < text.size();) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() &&
           (is_digit(text[end]) || ((text[end] == '.' || text[end] == ',' || text[end] == '/') &&
                                    end + 1 < text.size() && is_digit(text[end + 1])))) {
      ++end;
    }
    bits |= uint64_t{1} << (XXH3_64bits(text.data() + i, end - i) & 63);
    i = end;
  }
  return bits;
}

// Folds the shingles into the kMinHashes minima (each mins[i] starts at UINT32_MAX). The minima are taken
// on the 32 bits kept, which is the same as taking them on 64 and keeping 32 (every value is below 2^32),
// and lets the loop run on 32-bit lanes. It is most of sign()'s time (kMinHashes multiplies a shingle),
// so x86-64 builds carry AVX2 and AVX-512 versions too (64-bit lane multiplies), picked at load time; all
// give the same minima.
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#endif
#endif
void fold_minima(const std::vector<uint64_t>& shingles, const Permutations& p, std::array<uint32_t, kMinHashes>& mins) {
  for (uint64_t x : shingles) {
    for (unsigned i = 0; i < kMinHashes; ++i)
      mins[i] = std::min(mins[i], static_cast<uint32_t>((p.a[i] * x + p.b[i]) >> 32));
  }
}

// The distinct values of `values`, in the order first met: an open-addressing set at most half full (the values
// are hashes: their low bits place them). std::sort + std::unique did the same at n log n compares, the most
// of a signature's time after the minima.
std::vector<uint64_t> distinct(const std::vector<uint64_t>& values) {
  std::vector<uint64_t> out;
  out.reserve(values.size());
  size_t slots = 16;
  while (slots < 2 * values.size()) slots *= 2;
  std::vector<uint64_t> table(slots, 0);  // 0: an empty slot (the value 0 is kept aside)
  const size_t mask = slots - 1;
  bool zero = false;
  for (const uint64_t x : values) {
    if (x == 0) {
      if (!zero) out.push_back(0);
      zero = true;
      continue;
    }
    size_t at = x & mask;
    while (table[at] != 0 && table[at] != x) at = (at + 1) & mask;
    if (table[at] == 0) {
      table[at] = x;
      out.push_back(x);
    }
  }
  return out;
}

constexpr char kSignatureTag = 'M';  // first byte of a serialised signature: its layout
constexpr size_t kSerialisedSize = 1 + 4 + 4 + 8 + 8 + 2 * kMinHashes;

}  // namespace

std::string normalise(std::string_view text) {
  // Written through an index into a buffer sized ahead, not appended character by character (this reads every
  // byte of every article). An ASCII byte writes at most one character, the space before a word standing for
  // the separator consumed before it, so the room left never falls below the bytes left to read plus the
  // slack; only a case-folded character outside ASCII can write more bytes than it read, and room is made
  // after each.
  constexpr size_t kSlack = 8;
  std::string out(text.size() + kSlack, '\0');
  size_t o = 0;
  bool in_word = false;
  for (size_t i = 0; i < text.size();) {
    // ASCII (most of the text) without decoding: what the general case below does with it.
    if (const auto b = static_cast<unsigned char>(text[i]); b < 0x80) {
      ++i;
      const bool lower = b >= 'a' && b <= 'z';
      const bool upper = b >= 'A' && b <= 'Z';
      if (lower || upper || (b >= '0' && b <= '9')) {
        if (!in_word && o != 0) out[o++] = ' ';
        in_word = true;
        out[o++] = static_cast<char>(upper ? b + ('a' - 'A') : b);
      } else {
        in_word = false;
      }
      continue;
    }
    const utf8::Decoded d = utf8::decode(text, i);
    i += d.length;
    if (d.valid && is_word_char(d.code_point)) {
      std::string folded;
      if (!in_word && o != 0) folded += ' ';
      in_word = true;
      const char32_t c = d.code_point;
      if (c < 0x80) {
        folded += static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      } else {
        append_utf8(folded, static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT)));
      }
      if (out.size() < o + folded.size() + (text.size() - i) + kSlack) {
        out.resize(o + folded.size() + (text.size() - i) + kSlack);
      }
      out.replace(o, folded.size(), folded);
      o += folded.size();
    } else {
      in_word = false;
    }
  }
  out.resize(o);
  return out;
}

Signature sign(std::string_view text) {
  Signature s;
  const std::string norm = normalise(text);
  if (norm.empty()) return s;
  s.exact = XXH3_64bits(norm.data(), norm.size());
  if (s.exact == 0) s.exact = 1;  // 0 means "no words"
  std::vector<uint64_t> words;
  for (size_t start = 0; start <= norm.size();) {
    size_t end = norm.find(' ', start);
    if (end == std::string::npos) end = norm.size();
    words.push_back(XXH3_64bits(norm.data() + start, end - start));
    start = end + 1;
  }
  s.words = static_cast<uint32_t>(std::min<size_t>(words.size(), UINT32_MAX));
  s.numbers = number_bits(text);
  // Shingles: hashes of kShingleWords consecutive word hashes (one shingle of every word when fewer).
  const size_t k = std::min<size_t>(kShingleWords, words.size());
  std::vector<uint64_t> shingles;
  shingles.reserve(words.size() - k + 1);
  for (size_t i = 0; i + k <= words.size(); ++i) {
    shingles.push_back(XXH3_64bits(words.data() + i, k * sizeof(uint64_t)));
  }
  // Each once (the count is the signature's size; the minima are the same either way).
  shingles = distinct(shingles);
  s.shingles = static_cast<uint32_t>(std::min<size_t>(shingles.size(), UINT32_MAX));
  s.mins.fill(UINT32_MAX);
  fold_minima(shingles, permutations(), s.mins);
  return s;
}

double resemblance(const Signature& a, const Signature& b) {
  if (a.empty() || b.empty()) return 0;
  unsigned equal = 0;
  // On the low 16 bits, as stored (b-bit MinHash, Li & Koenig 2010: a chance collision adds (1 - J) / 65536).
  for (unsigned i = 0; i < kMinHashes; ++i) equal += (a.mins[i] & 0xFFFF) == (b.mins[i] & 0xFFFF) ? 1 : 0;
  return static_cast<double>(equal) / kMinHashes;
}

double containment(const Signature& a, const Signature& b) {
  if (a.empty() || b.empty()) return 0;
  const double j = resemblance(a, b);
  const double both = j / (1 + j) * (static_cast<double>(a.shingles) + b.shingles);
  return std::min(1.0, both / std::min(a.shingles, b.shingles));
}

Match compare(const Signature& a, const Signature& b, const Thresholds& t) {
  Match m;
  if (a.empty() || b.empty()) return m;
  if (a.exact == b.exact) return Match{true, 1.0};
  const double j = resemblance(a, b);
  m.score = j;
  m.same = j >= t.resemblance;
  const uint32_t small = std::min(a.shingles, b.shingles);
  const uint32_t large = std::max(a.shingles, b.shingles);
  if (small >= t.min_shingles && small >= t.min_ratio * large) {
    const double c = containment(a, b);
    m.score = std::max(m.score, c);
    m.same = m.same || c >= t.containment;
  }
  if (m.same && std::min(a.words, b.words) < t.short_words && a.numbers != 0 && b.numbers != 0) {
    const uint64_t smaller = a.words <= b.words ? a.numbers : b.numbers;
    const uint64_t larger = a.words <= b.words ? b.numbers : a.numbers;
    m.same = 2 * std::popcount(smaller & larger) >= std::popcount(smaller);
  }
  return m;
}

std::vector<std::string> band_keys(const Signature& s) {
  std::vector<std::string> keys;
  if (s.empty()) return keys;
  keys.reserve(kBands);
  for (unsigned band = 0; band < kBands; ++band) {
    const uint64_t h = XXH3_64bits(s.mins.data() + band * kRows, kRows * sizeof(uint32_t));
    // "%02x%012llx" of the band and h >> 16, written by hand: snprintf was most of the cost of a signature's
    // terms, on every article.
    std::string key(14, '0');
    put_hex(key, 0, 2, band);
    put_hex(key, 2, 12, h >> 16);
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string exact_key(const Signature& s) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(s.exact));
  return buf;
}

std::string serialise(const Signature& s) {
  std::string out;
  out.reserve(kSerialisedSize);
  out += kSignatureTag;
  put_u32(out, s.shingles);
  put_u32(out, s.words);
  put_u64(out, s.exact);
  put_u64(out, s.numbers);
  for (uint32_t m : s.mins) {
    out += static_cast<char>(m & 0xFF);
    out += static_cast<char>((m >> 8) & 0xFF);
  }
  return out;
}

std::optional<Signature> deserialise(std::string_view bytes) {
  if (bytes.size() != kSerialisedSize || bytes[0] != kSignatureTag) return std::nullopt;
  Signature s;
  s.shingles = static_cast<uint32_t>(get_le(bytes, 1, 4));
  s.words = static_cast<uint32_t>(get_le(bytes, 5, 4));
  s.exact = get_le(bytes, 9, 8);
  s.numbers = get_le(bytes, 17, 8);
  for (unsigned i = 0; i < kMinHashes; ++i) s.mins[i] = static_cast<uint32_t>(get_le(bytes, 25 + 2 * i, 2));
  return s;
}

}  // namespace dateline::stories
