/** @file
 *  @brief A one-line progress bar on stderr, only when stderr is a terminal.
 */
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace dateline::cli {

class Progress {
 public:
  /// `total_bytes` may be 0 when unknown (no ETA is shown then). Draws nothing unless `enabled` and stderr
  /// is a terminal.
  explicit Progress(uint64_t total_bytes, bool enabled);
  ~Progress();
  /// Records progress; redraws at most 10 times a second.
  void update(uint64_t articles, uint64_t bytes);
  /// Clears the line.
  void finish();

 private:
  uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace dateline::cli
