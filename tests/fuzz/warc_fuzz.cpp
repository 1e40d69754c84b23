/** @file
 *  @brief libFuzzer target: any bytes as a web archive (plain or gzip) give HTML records, articles or
 *  diagnostics, never a crash; records are numbered in order and payloads respect the size bound.
 */
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "articles/warc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  size_t pos = 0;
  // Short reads (13 bytes at a time) exercise every buffer boundary of the streaming reader.
  dateline::ByteReader read = [&](char* buf, size_t n, std::string&) {
    size_t k = std::min({n, size_t{13}, bytes.size() - pos});
    std::memcpy(buf, bytes.data() + pos, k);
    pos += k;
    return k;
  };
  std::vector<dateline::Diagnostic> diagnostics;
  dateline::WarcOptions options;
  options.max_payload_bytes = 1 << 16;
  size_t last = 0;
  dateline::read_warc(read, "fuzz.warc", options, [&](dateline::WarcRecord&& r) {
    if (r.number <= last || r.payload.size() > options.max_payload_bytes) __builtin_trap();
    last = r.number;
  }, diagnostics);
  // The whole path to articles, on the same bytes.
  pos = 0;
  dateline::ReadOptions ro;
  ro.max_record_bytes = 1 << 16;
  ro.max_passage_bytes = 300;
  dateline::read_warc_articles(read, "fuzz.warc", ro, [](dateline::Article&& a) {
    for (const auto& p : a.passages)
      if (p.begin > p.end) __builtin_trap();
  }, diagnostics);
  return 0;
}
