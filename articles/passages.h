/** @file
 *  @brief Article text to passages: paragraphs, boilerplate and caption filtering, a bound on passage size.
 */
#pragma once

#include <cstddef>
#include <string_view>
#include <string>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// How split_passages() works.
struct PassageOptions {
  /// Upper bound on Passage::text in bytes: longer paragraphs are cut at ICU sentence boundaries, a sentence
  /// longer than this at a word boundary (at a character boundary if a single "word" is longer).
  /// Values below 64 are raised to 64.
  size_t max_passage_bytes = 1200;
  /// Byte offset where the body starts: lines starting before it (the title and deck) are not passages.
  size_t body_begin = 0;
};

/// Byte ranges [begin, end) of page chrome (share bars, related lists, footers: layout.h), sorted and not
/// overlapping: a line whose content starts inside one is not a passage and ends the paragraph before it.
using SkipRanges = std::vector<std::pair<size_t, size_t>>;

/// Splits decoded UTF-8 article text into passages.
///
/// Paragraphs are separated by blank lines. Inside a block of consecutive lines, a line is its own
/// paragraph unless it looks hard-wrapped (it does not end a sentence, and the next line starts in lower
/// case or the line is at least 50 bytes long), in which case it joins the next. Boilerplate lines
/// (is_boilerplate_line()), photo captions (is_caption_line(), and a line directly above a credit-only
/// line), date lines and name-only lines in a block with a date line (header bylines) are dropped.
///
/// Invariants: each Passage has `text == utf8.substr(begin, end - begin)`, trimmed of whitespace,
/// non-empty, at most max_passage_bytes long, cut only at UTF-8 character boundaries; passages are in
/// text order and do not overlap. `speakers` are left empty. Linear in the text size.
std::vector<Passage> split_passages(std::string_view utf8, const PassageOptions& options = {},
                                    const SkipRanges& skip = {});

/// Is this line (one line, without its newline) page furniture rather than article text? Share and
/// comment prompts, copyright lines, "Source link", "Leave a Reply", subscription pleas, "Updated:",
/// timestamps, date lines, bylines ("By X", people.h is_byline_line()), photo captions and credits.
/// The patterns live in articles/data/boilerplate.txt. Lines longer than 400 bytes are never boilerplate.
bool is_boilerplate_line(std::string_view line);

/// The patterns of data/boilerplate.txt (ICU regular expressions), one per line, comments and blank lines
/// left out.
std::vector<std::string> boilerplate_patterns();

/// Is this line a photo caption or credit: a line ending in a parenthesised credit ("... (Sputnik/Ramil
/// Sitdikov/Kremlin via Reuters)", "(AP Photo/Evan Vucci)"), or a credit alone
/// ("Mikhail Klimentyev/Sputnik/AFP via Getty Images", "Photo: Reuters")?
bool is_caption_line(std::string_view line);

/// Is this line only a photo credit ("Mikhail Klimentyev/Sputnik/AFP via Getty Images", "Getty Images",
/// "Photo by Jane Doe/Reuters")? The line above such a credit is its caption.
bool is_credit_line(std::string_view line);

/// Is this a "By X" byline ("By David R. Sands", "By Jane Doe and John Roe | Reuters",
/// "BY JANE DOE, Staff Writer")? A sentence that starts with "By" ("By entering the war, ...") is not.
bool is_by_line(std::string_view line);

/// Byte spans [begin, end) of the sentences of `utf8` (ICU sentence rules, English abbreviations such as
/// "Mr." not ending a sentence), each including its trailing whitespace, covering the whole input.
std::vector<std::pair<size_t, size_t>> sentence_spans(std::string_view utf8);

/// `s` without leading and trailing whitespace (ASCII and U+00A0 no-break space).
std::string_view trim_space(std::string_view s);

/// Number of words in a line: runs of characters other than ASCII space and tab.
size_t count_words(std::string_view s);

}  // namespace dateline
