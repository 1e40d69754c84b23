/** @file
 *  @brief The clipped query error message and the caret line under the query (see caret.h).
 */
#include "searcher/caret.h"

#include <unicode/uchar.h>

#include <algorithm>

#include "base/terminal.h"
#include "base/utf8.h"

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

namespace {

/// Terminal cells of a code point, as wcwidth() counts them: 2 for East Asian wide and fullwidth
/// characters, 0 for combining marks and format characters (but the soft hyphen), else 1.
size_t cells(char32_t c) {
  const auto cp = static_cast<UChar32>(c);
  const auto width = static_cast<UEastAsianWidth>(u_getIntPropertyValue(cp, UCHAR_EAST_ASIAN_WIDTH));
  if (width == U_EA_WIDE || width == U_EA_FULLWIDTH) return 2;
  const int8_t type = u_charType(cp);
  const bool mark = type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
  if (mark || (type == U_FORMAT_CHAR && c != 0xAD)) return 0;
  if (c >= 0x1160 && c <= 0x11FF) return 0;  // Hangul medial vowels and final consonants join the syllable
  return 1;
}

}  // namespace

std::string caret_lines(std::string_view query, size_t column) {
  if (column == 0) return "";
  // The parser's code points (base/utf8.h: an invalid byte is one U+FFFD): the column means the same here.
  const size_t points = utf8::length(query);
  column = std::min(column, points + 1);  // past the end: just after the last character
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
    const size_t n = utf8::decode(query, i).length;
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
        for (size_t k = 0; k < piece.size();) {
          const utf8::Decoded d = utf8::decode(piece, k);
          caret += cells(d.code_point);
          k += d.length;
        }
      }
      shown += piece;
    }
    i += n;
  }
  return "  " + shown + "\n  " + std::string(caret, ' ') + "^\n";
}

}  // namespace dateline
