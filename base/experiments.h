/** @file
 *  @brief Relevance experiments: settings read from the environment only in a build made for them.
 *
 *  The ranking and the index never depend on the environment in a normal build. A build configured with
 *  `-DDATELINE_EXPERIMENTS=ON` (bench/RESULTS.md, "Relevance ablations") reads DATELINE_RANKING (search-time
 *  knobs) and DATELINE_TITLE_WDF / DATELINE_TITLE_BODY_WDF (index-time weights, which the indexer stamps
 *  into the database it creates).
 */
#pragma once

#include <optional>
#include <string>

namespace dateline {

/// True in a build configured with DATELINE_EXPERIMENTS.
bool experiments_enabled();

/// The value of environment variable `name` in an experiments build; std::nullopt otherwise (always in a
/// normal build) and when it is unset.
std::optional<std::string> experiment_setting(const char* name);

}  // namespace dateline
