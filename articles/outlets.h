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

}  // namespace dateline
