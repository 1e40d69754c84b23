/** @file
 *  @brief Terminal-safe text (base/terminal.h).
 */
#include "base/terminal.h"

#include <cstdio>

#include "base/utf8.h"

namespace dateline {

namespace {

std::string safe(std::string_view text, bool keep_newline_and_tab) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8::sequence_length(text, i);
    if (n == 0) {
      out += utf8::kReplacementBytes;
      ++i;
      continue;
    }
    auto b = static_cast<unsigned char>(text[i]);
    if (n == 1 && ((b < 0x20 && !(keep_newline_and_tab && (b == '\n' || b == '\t'))) || b == 0x7F)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", b);
      out += buf;
    } else if (n == 2 && b == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      // C1 controls U+0080..U+009F (CSI U+009B starts escape sequences on some terminals).
      char buf[12];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(text[i + 1]));
      out += buf;
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  return safe(text, true);
}

std::string one_line(std::string_view text) {
  return safe(text, false);
}

}  // namespace dateline
