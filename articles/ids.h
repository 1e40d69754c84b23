/** @file
 *  @brief The article id rule: which bytes an id may hold, and the \xNN escape for the others.
 *
 *  An id may not hold control characters (C0 U+0000..U+001F, DEL U+007F, C1 U+0080..U+009F) or invalid
 *  UTF-8: they would forge lines and terminal escapes in `ids`, `trec`, `tsv` and in diagnostics. Ids
 *  made from file names escape such bytes (each as \xNN, lower-case hex); ids given by a record, a
 *  sidecar or a manifest holding them are refused at index time. Printers escape such bytes the same
 *  way in ids read from older databases, and --delete accepts that escaped form (docs/index-format.md).
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dateline {

/// Why `id` breaks the id rule ("holds a control character (\x0a)", "holds invalid UTF-8 (\xff)"), or
/// std::nullopt when it is clean.
std::optional<std::string> id_problem(std::string_view id);

/// `text` with each control character (C0, DEL, C1: every byte of it) and each byte of invalid UTF-8
/// written as \xNN; other bytes, backslashes included, unchanged. Clean text is returned as it is.
std::string escape_id_bytes(std::string_view text);

/// Undoes escape_id_bytes(): every \xNN (two hex digits) becomes the byte NN. Other text is unchanged.
std::string unescape_id_bytes(std::string_view text);

}  // namespace dateline
