/** @file
 *  @brief The exit-code contract of both binaries (mirrored in README.md and each --help).
 */
#pragma once

namespace dateline::exit_code {

// dateline-search, like grep: 0 some hit, 1 no hit, 2 error (usage, query syntax, database).
inline constexpr int kHits = 0;
inline constexpr int kNoHits = 1;
// dateline-index: 0 every input indexed, 1 some inputs skipped (each reported), 2 fatal.
inline constexpr int kOk = 0;
inline constexpr int kSomeSkipped = 1;
// Both: a fatal error (bad flags, bad query, database missing, locked, damaged or of another version).
inline constexpr int kError = 2;

}  // namespace dateline::exit_code
