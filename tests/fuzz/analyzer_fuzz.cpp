/** @file
 *  @brief libFuzzer target: the analyzer on any bytes yields tokens whose offsets lie inside the input, in
 * order.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzers/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const dateline::Analyzer analyzer{dateline::AnalyzerConfig{}};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t last_end = 0;
  uint32_t last_position = 0;
  for (const auto& t : analyzer.analyze(text)) {
    if (t.begin >= t.end || t.end > size || t.begin < last_end) __builtin_trap();
    if (t.position <= last_position || t.term.empty() || t.term.size() > 245) __builtin_trap();
    last_end = t.end;
    last_position = t.position;
  }
  return 0;
}
