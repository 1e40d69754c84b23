/** @file
 *  @brief WARC reading speed: parses and decompresses an archive (read_warc(): records, gzip members,
 *  chunking and content coding) without extracting articles, and prints records, MB/s and peak RSS.
 *
 *  warc_scan FILE.warc[.gz]        (bench/warc-throughput builds an archive and runs it)
 */
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "articles/warc.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: warc_scan FILE\n");
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  std::vector<dateline::Diagnostic> diagnostics;
  uint64_t payload = 0;
  auto start = std::chrono::steady_clock::now();
  dateline::WarcStats s = dateline::read_warc(
      [f](char* buf, size_t n, std::string&) { return std::fread(buf, 1, n, f); }, argv[1], {},
      [&](dateline::WarcRecord&& r) { payload += r.payload.size(); }, diagnostics);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fclose(f);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  double mb = static_cast<double>(s.input_bytes) / 1e6;
  // MB per CPU second is the per-core figure; wall-clock MB/s also counts time the process waited for a core.
  std::printf("{\"records\": %llu, \"html\": %llu, \"input_mb\": %.1f, \"payload_mb\": %.1f, \"seconds\": %.3f, "
              "\"cpu_seconds\": %.3f, \"mb_per_s\": %.1f, \"mb_per_cpu_s\": %.1f, \"peak_rss_mb\": %.1f, "
              "\"diagnostics\": %zu}\n",
              static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.html), mb,
              static_cast<double>(payload) / 1e6, secs, cpu, mb / secs, mb / cpu,
              static_cast<double>(ru.ru_maxrss) / 1024.0, diagnostics.size());
  return 0;
}
