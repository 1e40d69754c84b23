/** @file
 *  @brief A one-line progress bar on stderr: articles, MB, rate, ETA.
 */
#include "cli/progress.h"

#include <cstdio>

#include "cli/common.h"

namespace dateline::cli {

Progress::Progress(uint64_t total_bytes, bool enabled)
    : total_(total_bytes),
      enabled_(enabled && is_terminal(2)),  // "\r" and ESC[K only on a terminal, never in a log file
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  finish();
}

void Progress::update(uint64_t articles, uint64_t bytes) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double mb = static_cast<double>(bytes) / 1e6;
  // Rates and the ETA need some time behind them: none in the first half second.
  const bool timed = secs >= 0.5;
  double rate = timed ? static_cast<double>(articles) / secs : 0.0;
  double mb_rate = timed ? mb / secs : 0.0;
  char line[160];
  if (total_ > 0 && bytes > 0 && bytes <= total_) {
    double frac = static_cast<double>(bytes) / static_cast<double>(total_);
    double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
    int filled = static_cast<int>(frac * 20);
    char timing[64] = "";
    if (timed) std::snprintf(timing, sizeof timing, ", %.0f/s, ETA %.0fs", rate, eta);
    std::snprintf(line, sizeof line, "\r[%-20.*s] %3.0f%% %llu articles, %.1f of %.1f MB%s   ", filled,
                  "####################", frac * 100, static_cast<unsigned long long>(articles), mb,
                  static_cast<double>(total_) / 1e6, timing);
  } else {
    // Size unknown (a pipe, standard input): bytes read and the rates, no percentage or ETA.
    char timing[64] = "";
    if (timed) std::snprintf(timing, sizeof timing, ", %.0f/s, %.1f MB/s", rate, mb_rate);
    std::snprintf(line, sizeof line, "\r%llu articles, %.1f MB read%s   ",
                  static_cast<unsigned long long>(articles), mb, timing);
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\x1b[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace dateline::cli
