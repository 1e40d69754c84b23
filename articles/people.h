/** @file
 *  @brief Who wrote an article (byline) and who is quoted in each passage (speakers).
 */
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// Author from bylines: "By X", a name line beside the date in the header, "Author's name X",
/// "X can be reached at ...". Several authors joined by ", ". Absent when the text names none.
std::optional<std::string> extract_author(std::string_view utf8_text);

/// The author named anywhere in the text by an author label ("Author's name X", "Author: X", "Written by
/// X") or a contact line ("X can be reached at ..."), not by a "By X" line (those can belong to other
/// stories on a page). For pages whose header gives no byline.
std::optional<std::string> extract_labelled_author(std::string_view utf8_text);

/// Is `word` (lower case) the third-person present of an English speech verb ("says", "tells", "warns"),
/// the tense of headlines ("Newsom says yes")?
bool is_present_speech_verb(std::string_view word);

/// Fills Passage::speakers for each passage: quote attribution ("...," X said; said X, title;
/// X told/insisted/added/warned/recalled/wrote; according to X; he said -> last named speaker;
/// organisations such as "the ISW said"). Names are resolved within the article to their fullest form
/// ("Mr. Lukashenko" -> "Alexander Lukashenko"), titles stripped. `not_people` are names never to be
/// taken as speakers (the author, the outlet). Titles and roles are never part of a name ("Chancellor of
/// the Exchequer Nigel Lawson" -> "Nigel Lawson"), nor a company's legal form ("General Motors Corp" ->
/// "General Motors"); unnamed groups ("officials", "sources", "Tory MPs": data/generic_speakers.txt) are
/// no speakers. `info`, when given, receives each speaker's kind and first role (Article::speaker_info).
void attribute_speakers(std::vector<Passage>& passages, const std::vector<std::string>& not_people = {},
                        std::map<std::string, SpeakerInfo>* info = nullptr);

/// The names an article's speakers must never be: each of its authors (Article::author joins them with
/// ", "), its outlet and its wire.
std::vector<std::string> excluded_speakers(const Article& a);

/// Is this line byline/contact boilerplate ("By X", "Author's name X", "X can be reached at ...",
/// "Editor X")? The passage splitter drops such lines.
bool is_byline_line(std::string_view line);

}  // namespace dateline
