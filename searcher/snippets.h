/** @file
 *  @brief Snippets: the best window of a passage around the matched words, with highlight offsets.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analyzers/analyzer.h"

namespace dateline {

/// A highlighted span: [begin, end) in Unicode code points of Snippet::text.
struct Highlight {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const Highlight&) const = default;
};

/// A cut of a passage for display.
struct Snippet {
  std::string text;  ///< UTF-8; "…" (U+2026) where text was cut; runs of whitespace as one space
  std::vector<Highlight> highlights;  ///< matched words, in order, non-overlapping
  bool operator==(const Snippet&) const = default;
};

/// The words to highlight: a token matches when its term is in `terms`, its stem is in `stems`, or its
/// term starts with one of `prefixes`.
struct SnippetTerms {
  std::vector<std::string> terms;     ///< unstemmed, folded terms (Token::term)
  std::vector<std::string> stems;     ///< stems: every word with this stem matches
  std::vector<std::string> prefixes;  ///< folded wildcard prefixes: every term starting with one matches
};

/// Cuts the snippet of at most `max_chars` code points (ellipses included; values below 3 count as 3)
/// from `passage`.
/// The window holds the most distinct matched words (ties: the earliest window); it starts and ends at
/// word boundaries and never splits a UTF-8 sequence (a single word longer than the window is the only
/// case cut inside a word, at a code point boundary). The passage is analysed with `analyzer`, the
/// database's own, so a highlight is exactly a word the query matched.
Snippet make_snippet(std::string_view passage, const Analyzer& analyzer, const SnippetTerms& terms,
                     size_t max_chars);

/// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
size_t count_code_points(std::string_view utf8);

}  // namespace dateline
