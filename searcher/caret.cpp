/** @file
 *  @brief The clipped query error message and the caret line under the query (see caret.h).
 */
#include "searcher/caret.h"

#include <algorithm>

#include "base/terminal.h"

namespace dateline {

std::string clip_message(std::string message) {
  constexpr size_t kMaxMessage = 300;
  if (message.size() > kMaxMessage) {
    size_t cut = kMaxMessage;
    while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    message = message.substr(0, cut) + "...";
  }
  return message;
}

std::string caret_lines(std::string_view query, size_t column) {
  if (column == 0) return "";
  // Code point by code point, so the caret stays under column after escaping controls.
  std::string shown;
  size_t caret = 0;
  size_t point = 0;
  size_t first = column > kCaretContext + 1 ? column - 1 - kCaretContext : 0;
  if (first > 0) {
    shown = "...";
    caret = 3;
  }
  for (size_t i = 0; i < query.size(); ++point) {
    size_t n = 1;
    auto b = static_cast<unsigned char>(query[i]);
    if (b >= 0xC0) n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    n = std::min(n, query.size() - i);
    if (point > column - 1 + kCaretContext) {
      shown += "...";
      break;
    }
    if (point >= first) {
      std::string piece = terminal_safe(query.substr(i, n));
      for (char& c : piece) {
        if (c == '\n' || c == '\t') c = ' ';
      }
      if (point < column - 1) {
        for (char c : piece) caret += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }
      shown += piece;
    }
    i += n;
  }
  return "  " + shown + "\n  " + std::string(caret, ' ') + "^\n";
}

}  // namespace dateline
