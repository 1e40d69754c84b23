/** @file
 *  @brief Replays fuzz inputs without libFuzzer: a main() that feeds every file given (or found under a
 * directory given) to the harness's LLVMFuzzerTestOneInput, in name order. Built with the normal compiler
 * (g++), so ctest replays the committed corpus and regression inputs in every build, and under ASan + UBSan
 * in the sanitizer build.
 *
 *   fuzz_replay_TARGET PATH...
 *
 * Exit status: 0 when every input ran (a crash, a trap or a sanitizer report ends the process instead); 2
 * when a path is missing, unreadable, or a directory holds no input, so a replay that runs nothing never
 * passes.
 */
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

/// The regular files at or under @p path, sorted; false (with a message) when there is none.
bool collect(const fs::path& path, std::vector<fs::path>& out) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    std::fprintf(stderr, "fuzz replay: %s: %s\n", path.c_str(),
                 ec ? ec.message().c_str() : "no such file or directory");
    return false;
  }
  if (fs::is_regular_file(status)) {
    out.push_back(path);
    return true;
  }
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec)) found.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "fuzz replay: %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  if (found.empty()) {
    std::fprintf(stderr, "fuzz replay: %s: no input files\n", path.c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

bool read_file(const fs::path& path, std::string& bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> inputs;
  bool ok = true;
  for (int i = 1; i < argc; ++i) ok = collect(argv[i], inputs) && ok;
  if (!ok) return 2;

  std::string bytes;
  size_t total_bytes = 0;
  for (const auto& path : inputs) {
    if (!read_file(path, bytes)) {
      std::fprintf(stderr, "fuzz replay: %s: cannot read\n", path.c_str());
      return 2;
    }
    // Named before it runs, so a crash report is preceded by the input that caused it.
    std::printf("running %s (%zu bytes)\n", path.c_str(), bytes.size());
    std::fflush(stdout);
    // A buffer of exactly the input's size, as libFuzzer passes it, so ASan sees a read past the end.
    auto copy = std::make_unique<uint8_t[]>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), copy.get());
    LLVMFuzzerTestOneInput(copy.get(), bytes.size());
    total_bytes += bytes.size();
  }
  std::printf("fuzz replay: ran %zu inputs (%zu bytes), no crash\n", inputs.size(), total_bytes);
  return 0;
}
