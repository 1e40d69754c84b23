/** @file
 *  @brief Who published an article: publisher signals, told apart from outlets merely cited.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

/// Canonical name for an outlet name, alias or domain ("Washington Times", "washingtontimes.com",
/// "www.washingtontimes.com" -> "The Washington Times"), from data/outlets.tsv; matching ignores case,
/// a leading "The" and punctuation. std::nullopt when the gazetteer does not know it.
std::optional<std::string> canonical_outlet(std::string_view name_or_domain);

/// canonical_outlet(), or the name itself tidied (trimmed, spaces collapsed) when unknown. For
/// metadata that states an outlet we do not know.
std::string canonical_outlet_or_self(std::string_view name);

/// Every alias the gazetteer lists for the canonical outlet of `name` (including the canonical name).
std::vector<std::string> outlet_aliases(std::string_view name);

/// The publisher of a plain-text article, from publisher signals only (copyright line, "Subscribe to X",
/// "X was not able to confirm", "X reached out", a header line naming it, e-mail/URL domains). Cited
/// outlets ("according to X", "via X", "told X", photo credits) are not publishers. Absent when unsure.
std::optional<std::string> extract_outlet(std::string_view utf8_text);

/// extract_outlet(), also giving the 1-based line of the winning outlet's first signal in `*line`.
std::optional<std::string> extract_outlet(std::string_view utf8_text, size_t* line);

/// Is this (a name, alias or domain of) a news agency whose copy other sites republish: an entry of the
/// gazetteer's "Wires and agencies" section ("AP", "Reuters", "AFP", "PTI", "Jiji")?
bool is_wire(std::string_view name_or_domain);

/// Canonical outlet named by the longest run (up to 6 words) of the leading words of `text`
/// ("The Washington Times, LLC" -> The Washington Times); `*words` gets the run's length.
std::optional<std::string> outlet_prefix(std::string_view text, size_t* words);

/// Canonical outlet named by the longest run of capitalised words ending `text` ("Tom Davies Associated
/// Press" -> Associated Press); `*begin` gets the byte offset in `text` where that run starts.
std::optional<std::string> outlet_suffix(std::string_view text, size_t* begin);

}  // namespace dateline
