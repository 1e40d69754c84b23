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
std::optional<std::string> parse_date(std::string_view text);

/// Finds the publication date of a plain-text article in its header/byline region (the lines before the
/// body), never from captions or the story. std::nullopt when the header states none.
std::optional<std::string> extract_date(std::string_view utf8_text);

}  // namespace dateline
