/** @file
 *  @brief The article id rule: control characters and invalid UTF-8 found, escaped as \xNN and back.
 */
#include "articles/ids.h"

#include <cstdio>

#include "base/utf8.h"

namespace dateline {

namespace {

/// Is the valid sequence of length n at s[i] a control character (C0, DEL, C1)?
bool is_control(std::string_view s, size_t i, size_t n) {
  auto b = static_cast<unsigned char>(s[i]);
  if (n == 1) return b < 0x20 || b == 0x7F;
  return n == 2 && b == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
}

void append_hex(std::string& out, unsigned char b) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", b);
  out += buf;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> id_problem(std::string_view id) {
  for (size_t i = 0; i < id.size();) {
    size_t n = utf8::sequence_length(id, i);
    if (n == 0) {
      std::string where;
      append_hex(where, static_cast<unsigned char>(id[i]));
      return "holds invalid UTF-8 (" + where + ")";
    }
    if (is_control(id, i, n)) {
      std::string where;
      for (size_t k = 0; k < n; ++k) append_hex(where, static_cast<unsigned char>(id[i + k]));
      return "holds a control character (" + where + ")";
    }
    i += n;
  }
  return std::nullopt;
}

std::string escape_id_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8::sequence_length(text, i);
    if (n == 0) {
      append_hex(out, static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (is_control(text, i, n)) {
      for (size_t k = 0; k < n; ++k) append_hex(out, static_cast<unsigned char>(text[i + k]));
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string unescape_id_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' && hex_value(text[i + 2]) >= 0 &&
        hex_value(text[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 2]) * 16 + hex_value(text[i + 3]));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace dateline
