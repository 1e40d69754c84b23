/** @file
 *  @brief What a Dateline database holds, in forms tests can compare whatever the docids.
 */
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace dateline::test {

/// Every document, keyed by "<XID term>#<passage number>" (0: the article document): its sorted terms with
/// wdf and positions, its values and its data. Two databases holding the same articles compare equal
/// whatever docids their documents got.
std::map<std::string, std::string> snapshot(const std::filesystem::path& db);

/// The spelling dictionary: word -> frequency.
std::map<std::string, unsigned> spellings(const std::filesystem::path& db);

/// Every metadata key and value.
std::map<std::string, std::string> metadata(const std::filesystem::path& db);

/// The docids of the documents holding `term` (e.g. "KA", "KP"), ascending.
std::vector<unsigned> docids(const std::filesystem::path& db, const std::string& term);

}  // namespace dateline::test
