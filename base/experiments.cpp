/** @file
 *  @brief Relevance experiments (experiments.h): the environment is read only when built for them.
 */
#include "base/experiments.h"

#include <cstdlib>

namespace dateline {

bool experiments_enabled() {
#ifdef DATELINE_EXPERIMENTS
  return true;
#else
  return false;
#endif
}

std::optional<std::string> experiment_setting(const char* name) {
#ifdef DATELINE_EXPERIMENTS
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only
  if (value != nullptr) return std::string(value);
#else
  (void)name;
#endif
  return std::nullopt;
}

}  // namespace dateline
