/** @file
 *  @brief ASCII-only text helpers: lower case, whitespace trim, case-blind comparison. Bytes >= 0x80 pass
 *  through unchanged, so UTF-8 stays intact.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::ascii {

/// 'A'..'Z' to 'a'..'z'; every other byte unchanged.
constexpr char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// `s` with 'A'..'Z' lowered.
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

/// ' ', '\t', '\n', '\v', '\f', '\r'.
constexpr bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/// `s` without ASCII whitespace (is_space) at either end.
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Equal when 'A'..'Z' and 'a'..'z' are taken as the same.
constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// Does `s` start with `prefix`, ASCII case aside?
constexpr bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

/// The non-empty pieces of `s` between `sep` bytes ("a  b" by ' ': "a", "b").
inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t from = 0;
  while (from < s.size()) {
    size_t end = s.find(sep, from);
    if (end == std::string_view::npos) end = s.size();
    if (end > from) out.emplace_back(s.substr(from, end - from));
    from = end + 1;
  }
  return out;
}

}  // namespace dateline::ascii
