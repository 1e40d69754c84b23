/** @file
 *  @brief Xapian's deflate calls done by libdeflate, linked only into dateline-index.
 *
 *  Xapian 1.4 deflates the tags of its term list, document data and spelling tables (raw deflate, zlib's
 *  default level), one whole tag per call: `deflateReset()`, then one `deflate(Z_FINISH)` with the tag as
 *  input and an output buffer one byte shorter (`CompressionStream::compress()`; a tag that does not
 *  shrink is stored as it is). It has no setting for this, and zlib was 12% of an indexing run's CPU. So
 *  the binary defines zlib's `deflateInit2_`, `deflateReset`, `deflate`, `deflateEnd` and the functions that
 *  read or change a stream's settings, which the dynamic linker then binds Xapian's calls to (the executable comes first, as with
 *  malloc and jemalloc), and hands zlib's own functions (`dlsym(RTLD_NEXT)`) everything but that one case:
 *  a raw-deflate stream (32 KiB window) of the default strategy and a level above 0, with no dictionary, given its whole
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
#include <optional>
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

/// The streams the whole-buffer path may take (raw deflate with zlib's largest window, the default strategy,
/// a level above 0, no dictionary), with what zlib's own state of each does not show.
class Streams {
 public:
  struct State {
    bool owed_reset = false;  ///< deflateReset() was called and zlib's reset not done yet
    bool finished = false;    ///< libdeflate finished it: only a reset or the end may follow
  };
  void set(z_streamp s, bool eligible) {
    std::lock_guard lock(mutex_);
    if (eligible) {
      streams_[s] = State{};
    } else {
      streams_.erase(s);
    }
  }
  /// The stream's state, when it is eligible.
  std::optional<State> find(z_streamp s) {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(s);
    if (it == streams_.end()) return std::nullopt;
    return it->second;
  }
  /// For an eligible stream: true, and its zlib reset is owed from now on.
  bool owe_reset(z_streamp s) {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(s);
    if (it == streams_.end()) return false;
    it->second = State{true, false};
    return true;
  }
  void finish(z_streamp s) {
    std::lock_guard lock(mutex_);
    if (auto it = streams_.find(s); it != streams_.end()) it->second.finished = true;
  }
  /// Was a reset owed to `s`? It is not any more.
  bool take_owed_reset(z_streamp s) {
    std::lock_guard lock(mutex_);
    auto it = streams_.find(s);
    if (it == streams_.end() || !it->second.owed_reset) return false;
    it->second.owed_reset = false;
    return true;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<z_streamp, State> streams_;
};

Streams& streams() {
  static Streams* s = new Streams;  // never destroyed: streams may be ended during static destruction
  return *s;
}

// libdeflate looks back as far as raw deflate allows (32 KiB): a stream set up for a smaller window (whose
// inflater may keep only that much) stays zlib's.
bool eligible_settings(int level, int window_bits, int strategy) {
  return level != 0 && level >= Z_DEFAULT_COMPRESSION && level <= 9 && window_bits == -15 &&
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
  // First forgotten: a stream left without deflateEnd() may have had this address (zlib's set-up calls
  // deflateReset(), which must then be zlib's own).
  streams().set(strm, false);
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
  settle(strm);  // zlib's answer depends on where its stream was left
  streams().set(strm, false);
  return f(strm);
}

// zlib's other functions that read or change a stream's state: the state as zlib would have it first. A stream
// libdeflate finished is, to zlib, a stream at its start (nothing of it was kept): copied, it is copied so.
int deflateCopy(z_streamp dest, z_streamp source) {
  static const auto f = real<int (*)(z_streamp, z_streamp)>("deflateCopy");
  settle(source);
  streams().set(dest, false);
  return f(dest, source);
}

int deflatePrime(z_streamp strm, int bits, int value) {
  static const auto f = real<int (*)(z_streamp, int, int)>("deflatePrime");
  settle(strm);
  streams().set(strm, false);  // bits go before the data: zlib's to write
  return f(strm, bits, value);
}

int deflateTune(z_streamp strm, int good_length, int max_lazy, int nice_length, int max_chain) {
  static const auto f = real<int (*)(z_streamp, int, int, int, int)>("deflateTune");
  settle(strm);
  streams().set(strm, false);
  return f(strm, good_length, max_lazy, nice_length, max_chain);
}

int deflatePending(z_streamp strm, unsigned* pending, int* bits) {
  static const auto f = real<int (*)(z_streamp, unsigned*, int*)>("deflatePending");
  settle(strm);
  return f(strm, pending, bits);
}

int deflateGetDictionary(z_streamp strm, Bytef* dictionary, uInt* dictLength) {
  static const auto f = real<int (*)(z_streamp, Bytef*, uInt*)>("deflateGetDictionary");
  settle(strm);
  return f(strm, dictionary, dictLength);
}

int deflate(z_streamp strm, int flush) {
  static const auto f = real<int (*)(z_streamp, int)>("deflate");
  const std::optional<Streams::State> state = strm != nullptr ? streams().find(strm) : std::nullopt;
  if (state && state->finished) {
    // What zlib answers for a stream it finished: the end again for Z_FINISH without more input.
    if (flush != Z_FINISH || strm->next_out == nullptr) return Z_STREAM_ERROR;
    if (strm->avail_out == 0 || strm->avail_in != 0) return Z_BUF_ERROR;
    return Z_STREAM_END;
  }
  if (state && flush == Z_FINISH && strm->total_in == 0 && strm->total_out == 0 && strm->avail_in != 0 &&
      strm->next_in != nullptr && strm->next_out != nullptr) {
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
        // zlib's stream saw nothing and stays at its start; the stream is finished for its caller.
        streams().finish(strm);
        return Z_STREAM_END;
      }
    }
  }
  settle(strm);
  return f(strm, flush);
}
// NOLINTEND

}  // extern "C"
