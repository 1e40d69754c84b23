/** @file
 *  @brief libFuzzer target: any bytes as a plain-text or JSON Lines input give articles or diagnostics, never
 * a crash.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "articles/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<dateline::Diagnostic> diagnostics;
  dateline::ReadOptions options;
  options.max_passage_bytes = 300;
  size_t decoded_size = 0;
  auto sink = [&](dateline::Article&& article) {
    for (const auto& p : article.passages) {
      // Offsets point into the decoded text: ordered and non-empty.
      if (p.begin > p.end) __builtin_trap();
      decoded_size = std::max(decoded_size, p.end);
    }
  };
  dateline::read_buffer(bytes, "fuzz-input", options, sink, diagnostics);
  return 0;
}
