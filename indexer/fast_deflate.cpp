/** @file
 *  @brief Xapian's deflate calls done by libdeflate, linked only into dateline-index.
 *
 *  Xapian 1.4 deflates every term list, document data and spelling entry it writes (raw deflate, zlib's
 *  default level), one whole tag per call: `deflateReset()`, then one `deflate(Z_FINISH)` with the tag as
 *  input and an output buffer one byte shorter (`CompressionStream::compress()`; a tag that does not
 *  shrink is stored as it is). It has no setting for this, and zlib was 12% of an indexing run's CPU. So
 *  the binary defines zlib's `deflateInit2_`, `deflateReset`, `deflateParams`, `deflateSetDictionary`,
 *  `deflateEnd` and `deflate`, which the dynamic linker then binds Xapian's calls to (the executable comes first, as with
 *  malloc and jemalloc), and hands zlib's own functions (`dlsym(RTLD_NEXT)`) everything but that one case:
 *  a raw-deflate stream of the default strategy and a level above 0, with no dictionary, given its whole
 *  input with `Z_FINISH` on its first call since the last reset, is compressed in one call to
 *  libdeflate, whose output is the same format (RFC 1951: any inflater reads it, every Xapian included).
 *  When libdeflate's output does not fit, the stream, untouched, goes to zlib, which does what it always did
 *  (first the reset it was owed: deflateReset() below).
 *
 *  On the 58,806 tags of news.jsonl's build (bench/RESULTS.md, "Xapian's deflate on libdeflate"): zlib level 6
 *  1.19 s and 37.06 MB; libdeflate level 1 0.41 s and 37.35 MB. Level 1 is used whatever level the caller asked
 *  for (Xapian asks for zlib's default): it compresses these short tags as well as zlib's default to within 1%.
 */

#include "fast_deflate.h"

#include <dlfcn.h>
#include <libdeflate.h>
#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace {

constexpr int kLibdeflateLevel = 1;

std::atomic<unsigned long long> whole_calls{0};

/// zlib's own function `name`, found past this executable.
template <typename F>
F real(const char* name) {
  void* f = dlsym(RTLD_NEXT, name);
  if (f == nullptr) {
    // Without zlib's function nothing can be deflated: no database could be written.
    std::fprintf(stderr, "dateline-index: cannot find zlib's %s: %s\n", name, dlerror());
    std::abort();
  }
  return reinterpret_cast<F>(f);
}

/// The streams the whole-buffer path may take (raw deflate, default strategy, a level above 0, no dictionary),
/// and of those, the ones whose reset zlib has not done yet.
class Streams {
 public:
  void set(z_streamp s, bool eligible) {
    std::lock_guard lock(mutex_);
    if (eligible) {
      streams_[s] = false;
    } else {
      streams_.erase(s);
    }
  }
  bool eligible(z_streamp s) {
    std::lock_guard lock(mutex_);
    return streams_.count(s) != 0;
  }
  /// For an eligible stream: true, and its zlib reset is owed from now on.
  bool owe_reset(z_streamp s) {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(s);
    if (it == streams_.end()) return false;
    it->second = true;
    return true;
  }
  /// Was a reset owed to `s`? It is not any more.
  bool take_owed_reset(z_streamp s) {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(s);
    if (it == streams_.end() || !it->second) return false;
    it->second = false;
    return true;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<z_streamp, bool> streams_;  ///< eligible stream -> its zlib reset is owed
};

Streams& streams() {
  static Streams* s = new Streams;  // never destroyed: streams may be ended during static destruction
  return *s;
}

bool eligible_settings(int level, int window_bits, int strategy) {
  return level != 0 && level >= Z_DEFAULT_COMPRESSION && level <= 9 && window_bits >= -15 && window_bits <= -8 &&
         strategy == Z_DEFAULT_STRATEGY;
}

struct CompressorFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

libdeflate_compressor* compressor() {
  thread_local std::unique_ptr<libdeflate_compressor, CompressorFree> c(
      libdeflate_alloc_compressor(kLibdeflateLevel));
  return c.get();
}

// Pays a reset owed to `strm` (deflateReset() below) before zlib gets the stream.
void settle(z_streamp strm) {
  static const auto f = real<int (*)(z_streamp)>("deflateReset");
  if (strm != nullptr && streams().take_owed_reset(strm)) f(strm);
}

}  // namespace

namespace dateline::fast_deflate {

unsigned long long whole_buffer_calls() { return whole_calls.load(std::memory_order_relaxed); }

}  // namespace dateline::fast_deflate

extern "C" {

// NOLINTBEGIN: the names and signatures are zlib's.
int deflateInit2_(z_streamp strm, int level, int method, int windowBits, int memLevel, int strategy,
                  const char* version, int stream_size) {
  static const auto f = real<int (*)(z_streamp, int, int, int, int, int, const char*, int)>("deflateInit2_");
  const int err = f(strm, level, method, windowBits, memLevel, strategy, version, stream_size);
  if (err == Z_OK) streams().set(strm, method == Z_DEFLATED && eligible_settings(level, windowBits, strategy));
  return err;
}

// zlib's reset clears the stream's hash table (128 KiB at Xapian's memLevel 9) before every tag: ~0.1 CPU s of
// news.jsonl's build for a table the whole-buffer path never reads. For an eligible stream the reset is only
// noted (the fields a caller reads are reset here) and done when zlib next gets the stream.
int deflateReset(z_streamp strm) {
  static const auto f = real<int (*)(z_streamp)>("deflateReset");
  if (strm == nullptr || strm->state == nullptr || !streams().owe_reset(strm)) return f(strm);
  strm->total_in = 0;
  strm->total_out = 0;
  strm->msg = nullptr;
  strm->data_type = Z_UNKNOWN;
  strm->adler = 1;  // adler32 of nothing, as zlib's reset of a raw stream leaves it
  return Z_OK;
}

int deflateParams(z_streamp strm, int level, int strategy) {
  static const auto f = real<int (*)(z_streamp, int, int)>("deflateParams");
  settle(strm);
  // Whatever the window was, new parameters send the stream to zlib from now on.
  streams().set(strm, false);
  return f(strm, level, strategy);
}

int deflateSetDictionary(z_streamp strm, const Bytef* dictionary, uInt dictLength) {
  static const auto f = real<int (*)(z_streamp, const Bytef*, uInt)>("deflateSetDictionary");
  settle(strm);
  streams().set(strm, false);
  return f(strm, dictionary, dictLength);
}

int deflateEnd(z_streamp strm) {
  static const auto f = real<int (*)(z_streamp)>("deflateEnd");
  streams().set(strm, false);
  return f(strm);
}

int deflate(z_streamp strm, int flush) {
  static const auto f = real<int (*)(z_streamp, int)>("deflate");
  if (flush == Z_FINISH && strm != nullptr && strm->total_in == 0 && strm->total_out == 0 && strm->avail_in != 0 &&
      strm->next_in != nullptr && strm->next_out != nullptr && streams().eligible(strm)) {
    libdeflate_compressor* c = compressor();
    if (c != nullptr) {
      const size_t n = libdeflate_deflate_compress(c, strm->next_in, strm->avail_in, strm->next_out, strm->avail_out);
      if (n != 0) {
        whole_calls.fetch_add(1, std::memory_order_relaxed);
        strm->total_in += strm->avail_in;
        strm->next_in += strm->avail_in;
        strm->avail_in = 0;
        strm->total_out += n;
        strm->next_out += n;
        strm->avail_out -= static_cast<uInt>(n);
        // zlib's stream saw nothing and stays at its start; a finished stream may only be reset or ended.
        return Z_STREAM_END;
      }
    }
  }
  settle(strm);
  return f(strm, flush);
}
// NOLINTEND

}  // extern "C"
