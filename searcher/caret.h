/** @file
 *  @brief A query error for a person: the message clipped, and the query with a caret under the column.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dateline {

/// `message` cut to 300 bytes (at a UTF-8 boundary) with "...": errors may quote the query, and a 1 MB
/// query must not come back as a 1 MB message. Shorter messages come back unchanged.
std::string clip_message(std::string message);

/// The two lines printed under "query error: ..." when the error has a column (1-based, in code points of
/// `query`, as QueryError::column()): "  QUERY\n  ^\n" with the caret under that code point. The query is
/// shown kCaretContext code points each side of the column ("..." marks what was cut), made terminal-safe
/// (base/terminal.h: controls escaped, invalid UTF-8 as U+FFFD; the caret stays under the same character),
/// tabs and newlines as spaces. A column past the end puts the caret just after the last character.
/// The caret is indented by the terminal cells of what precedes it (wcwidth's rule: two for a wide East
/// Asian character, none for a combining mark), so it stands under the character in a terminal.
/// Empty for column 0.
std::string caret_lines(std::string_view query, size_t column);

/// Code points of the query shown each side of the caret.
inline constexpr size_t kCaretContext = 40;

}  // namespace dateline
