/** @file
 *  @brief Publication dates: parsing the forms news pages use, and finding the one in the header.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dateline {

/// Parses one date expression to ISO 8601 "YYYY-MM-DD": "Thursday, February 24, 2022", "10/12/2022"
/// (month first), "December 6, 2023", "2022-02-24", "2022-02-24T10:00:00Z", "24 Feb 2022", "Feb. 24, 2022".
/// Without a year there is no date (std::nullopt). Invalid dates (Feb 30) are std::nullopt.
///
/// The whole input must be the date: a weekday, a time of day ("10:42 a.m. ET", "T10:00:00+02:00") and
/// ordinals ("24th") are allowed around it, other words are not. Slashed and dashed numeric dates are
/// month first ("10/12/2022" is October 12) unless only day first is possible ("24/02/2022"); dotted ones
/// are day first ("24.02.2022"). Two-digit years are refused (no guessing the century); years 1800-2199.
std::optional<std::string> parse_date(std::string_view text);

/// How parse_date() reads the numeric forms whose order the text alone does not settle.
struct DateOptions {
  /// Slashed numeric dates are day first ("20/11/2019"), as pages in French, Spanish, Portuguese, German,
  /// Italian and Russian write them; month first is still taken when day first is impossible.
  bool day_first = false;
  /// Accept a two-digit year in a slashed month-first date ("11/18/19" -> 2019-11-18, years 2000-2099).
  /// Only for the byline/date lines of a page header, where nothing else could be meant.
  bool two_digit_year = false;
};

/// parse_date() with options. Month names and weekdays of English, French, Spanish, Portuguese, German,
/// Italian and Russian are read (data/date_words.txt), with the words those languages put between the
/// parts ("30 avril 2015 à 07:19", "15 августа 2016 г."), "20H06" times and a year with the time glued on
/// ("December 15, 20163:33 PM ET").
std::optional<std::string> parse_date(std::string_view text, const DateOptions& options);

/// A date found inside one short header line, where it may stand among other words: a byline
/// ("By Emily Burack 8 January 2020, 3:51 pm 11 Edit"), a label ("Pubblicato il 19 Febbraio 2020"), glued
/// to a name by rendering ("Associated PressDecember 2, 2016"), or repeated ("22 Dec, 2016 22 Dec, 2016").
/// The first publication date of the line is returned (labelled published or unlabelled), else its first
/// update date; `begin`/`end` are byte offsets of the date's words in `line`. Lines over 200 bytes and
/// lines without a year give std::nullopt.
struct FoundDate {
  std::string iso;
  bool updated = false;
  size_t begin = 0, end = 0;
};
std::optional<FoundDate> find_date_in_line(std::string_view line, const DateOptions& options = {});

/// A date read from one line of a page header.
struct LineDate {
  std::string iso;       ///< "YYYY-MM-DD"
  bool updated = false;  ///< the line labels it an update ("Updated:", "Last modified"), not publication
};

/// The date a header line states, when the line is a date line: the date alone, or with a label
/// ("Published: ...", "Updated ..."), or beside short segments separated by " - ", "|", "•"
/// ("- The Washington Times - Thursday, February 24, 2022", "By Jane Doe | Feb. 24, 2022").
/// A sentence that merely contains a date is not a date line (std::nullopt). When a line gives both a
/// publication and an update date, the publication date is returned.
std::optional<LineDate> date_of_line(std::string_view line);

/// Is this line a date label alone ("Updated:", "Published", "Original:", "Mis à jour :")? true for an
/// update label, false for a publication label, std::nullopt when the line is not a bare label.
std::optional<bool> date_label(std::string_view line);

/// Is this line a date line (date_of_line() finds a date)? Such lines are header furniture, not text.
bool is_date_line(std::string_view line);

/// Finds the publication date of a plain-text article in its header/byline region (the lines before the
/// body), never from captions or the story. std::nullopt when the header states none.
///
/// Order of preference: the first publication date line of the header (the non-blank lines before the
/// first body paragraph, at most 12); then a "Published"/"Posted" line anywhere; then, only when no
/// publication date is given, an "Updated" date. A label alone on its line ("Updated:") labels the next line.
std::optional<std::string> extract_date(std::string_view utf8_text);

}  // namespace dateline
