/** @file
 *  @brief What the reader's parts share (see read_support.h).
 */
#include "articles/read_support.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

#include "articles/passages.h"

namespace dateline::reading {

namespace {

constexpr std::string_view kHashSalt = "dateline-reader-1";  // bump when extraction changes what is indexed

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

std::string size_label(size_t n) {
  if (n >= (size_t{1} << 20) && n % (size_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

std::string content_hash(std::string_view bytes, const MetadataOverrides& overrides,
                         size_t max_passage_bytes) {
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
  if (!state) return hex64(XXH3_64bits(bytes.data(), bytes.size()));
  XXH3_64bits_reset(state.get());
  XXH3_64bits_update(state.get(), bytes.data(), bytes.size());
  std::string meta(kHashSalt);
  meta += '\0';
  meta += std::to_string(max_passage_bytes);
  for (const auto& [k, v] : overrides) {
    meta += '\0';
    meta += k;
    meta += '=';
    meta += v;
  }
  XXH3_64bits_update(state.get(), meta.data(), meta.size());
  return hex64(XXH3_64bits_digest(state.get()));
}

namespace {

// Does any byte of `w` equal `b`? (The classic zero-byte test on w ^ b...b: exact as to whether one does.)
bool has_byte(uint64_t w, unsigned char b) {
  constexpr uint64_t kEveryByte = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  const uint64_t x = w ^ (kEveryByte * b);
  return ((x - kEveryByte) & ~x & kHighBits) != 0;
}

}  // namespace

size_t json_depth(std::string_view s, size_t limit) {
  size_t depth = 0, deepest = 0;
  JsonStringState str;
  const size_t n = s.size();
  for (size_t i = 0; i < n; ++i) {
    // Inside a string (a record's bytes are mostly its texts), eight bytes at a time while none of them is a
    // quote or a backslash: the only bytes that change the state there.
    if (str.in_string && !str.escape) {
      while (n - i >= 8) {
        uint64_t w;
        std::memcpy(&w, s.data() + i, sizeof w);
        if (has_byte(w, '"') || has_byte(w, '\\')) break;
        i += 8;
      }
      if (i == n) break;
    }
    const char c = s[i];
    if (str.inside(c)) continue;
    if (c == '"')
      str.in_string = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string json_error(const std::exception& e) {
  std::string what = e.what();
  if (what.rfind("[json.exception.", 0) == 0) {
    size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
  }
  // Records are one line: "at line 1, column 70" says less than "at column 70".
  if (size_t at = what.find("at line 1, column "); at != std::string::npos) what.erase(at + 3, 8);
  return what;
}

std::string tidy(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim_space(s)) {
    bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool FirstValueScan::not_one_value(std::string_view text) {
  for (; pos_ < text.size(); ++pos_) {
    char c = text[pos_];
    if (!closed_) {
      if (depth_ == 0) {
        if (c == '{') depth_ = 1;  // only white space comes before it (the format was sniffed so)
        continue;
      }
      if (str_.inside(c)) {
        if (c == '\n') return true;  // JSON strings hold no raw newline
        continue;
      }
      if (c == '"')
        str_.in_string = true;
      else if (c == '{' || c == '[')
        ++depth_;
      else if ((c == '}' || c == ']') && --depth_ == 0)
        closed_ = true;
      continue;
    }
    // After the first value only what trim_space() cuts from the end may follow: ASCII space, U+00A0.
    if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
    if (c == '\xC2' && pos_ + 1 == text.size()) return false;  // half a U+00A0: wait for the rest
    if (c == '\xC2' && text[pos_ + 1] == '\xA0') {
      ++pos_;
      continue;
    }
    return true;
  }
  return false;
}

}  // namespace dateline::reading
