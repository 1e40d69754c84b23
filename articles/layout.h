/** @file
 *  @brief Plain text of a whole news page -> Article: page chrome, where the body starts, headline, header
 *  date, byline, outlet and wire, each with the line it came from.
 *
 *  The text is what a browser's select-all copy (or a text rendering of the HTML) gives: menus, share bars,
 *  captions, related-story lists and footers around the story. The rules are general features of such pages
 *  (articles/data/chrome.txt holds their vocabulary), never rules for an outlet or a page.
 */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// What the caller may know about a page besides its text (an HTML reader: the document's language,
/// its URL). Everything is optional; the text alone is enough.
struct TextHints {
  std::optional<std::string> language;  ///< ISO 639-1 ("fr"); guessed from the text when absent
  std::optional<std::string> url;       ///< the page's address: its domain is an outlet signal
};

/// The text-extraction entry point: reads title, subtitle, date, outlet, wire, author, passages (with
/// speakers) and the provenance of each metadata field from the decoded UTF-8 text of a news page.
/// Fields the text does not state stay absent. Leaves Article::id, path and content_hash empty.
Article extract_text_article(std::string_view utf8, const TextHints& hints = {},
                             size_t max_passage_bytes = 1200);

/// One line of a page as the layout analysis sees it.
struct PageLine {
  size_t number = 0;      ///< 1-based line number in the text
  size_t begin = 0;       ///< byte offset of the trimmed content
  std::string_view text;  ///< trimmed content (empty for a blank line)
  bool indented = false;  ///< starts with white space (a list item's or a quoted post's lines)
  bool chrome = false;    ///< page furniture: menus, share bars, placeholders, related lists, notices
  bool repeated = false;  ///< printed three times or more on the page (chrome, unless it is the headline)
  bool related = false;   ///< part of a related-story list (its dates and headlines are other stories')
  bool figure = false;    ///< a photo caption or credit, or a line of a figure block above its credit
  bool prose = false;     ///< a paragraph of running text (at least 12 words ending a sentence, or long)
};

/// The layout of a page: its lines, where the body starts, which line is the headline.
struct PageLayout {
  std::vector<PageLine> lines;            ///< every line, blank ones included (index = number - 1)
  size_t body = 0;                        ///< index of the first body line (lines.size() when none)
  std::optional<size_t> title;            ///< index of the headline line
  std::optional<size_t> subtitle;         ///< index of the deck line under it
  std::optional<std::string> title_text;  ///< the headline, a "Headline | Outlet" suffix cut off
  std::optional<std::string> title_outlet;  ///< canonical outlet of that suffix
};

/// Classifies the lines of a page and finds its body and headline.
///
/// Chrome: lines starting with a list bullet (•, □, ☆, ...), image placeholders and form fields alone
/// (`[logo]`, `[    ][Search]`), short lines made mostly of chrome words (share, follow, subscribe, sign in,
/// menu, ... in several languages), notices (cookies, newsletter, privacy policy, all rights reserved),
/// furniture recognised by is_boilerplate_line(), runs of three or more one- or two-word lines (menus),
/// lines printed three times or more, and related-story lists (a "Related", "Lire aussi", "Mehr zum Thema"
/// label and what follows it up to the next paragraph of prose).
///
/// Body: the first paragraph of prose followed, within six non-chrome lines, by another one (or itself
/// longer than 300 bytes). Headline: the title-like line nearest before the first "By" byline of the
/// header or, without one, before the body; date lines, bylines, names, captions, decks and section labels
/// in between are passed over. A title-like line directly above it (blank lines between) that is not
/// longer makes it the deck: that line is the headline.
PageLayout analyse_page(std::string_view utf8);

/// Context-free part of the chrome test, for one trimmed line (see analyse_page()).
bool is_chrome_line(std::string_view line);

/// ISO 639-1 code of the language of `utf8` among en, fr, es, pt, de, it and ru, from the frequency of
/// their commonest function words; "en" when nothing stands out.
std::string guess_language(std::string_view utf8);

/// Author names of a byline line in any of the supported languages: "By A, B and C", "BY A B" (names
/// title-cased), "Par A et B", "Por A y B", "Von A, B und C", "Di A e B", "Article by A", "Author: A", a
/// date, role, handle or e-mail glued on cut off ("By Evan HalperStaff Writer" -> "Evan Halper"). A desk
/// byline ("By Staff and news service reports") is kept as printed. Empty when the line is no byline.
std::vector<std::string> byline_authors(std::string_view line);

}  // namespace dateline
