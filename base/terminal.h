/** @file
 *  @brief Text made safe to print: control characters escaped, invalid UTF-8 replaced. Used by the printers
 *  and by both binaries' diagnostics.
 */
#pragma once

#include <string>
#include <string_view>

namespace dateline {

/// Text safe for a terminal: C0/C1 control characters (ESC, BEL, ...) except '\n' and '\t' become
/// visible escapes (\x1b, \u009b); invalid UTF-8 (base/utf8.h) becomes U+FFFD.
std::string terminal_safe(std::string_view text);

/// terminal_safe() for text that must stay on one line (diagnostics, log lines, one-line fields): '\n',
/// '\r' and '\t' are escaped too (\x0a, \x0d, \x09).
std::string one_line(std::string_view text);

}  // namespace dateline
