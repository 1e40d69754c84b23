/** @file
 *  @brief Bytes to lines, one implementation: bytes read in chunks -> gunzip -> UTF-8 (repaired or converted
 *  from another charset) -> numbered lines. The whole-input functions of encoding.h (gunzip(), the charset
 *  conversion of decode_text()) run these same classes over a buffer; the reader streams inputs through them.
 */
#pragma once

#include <unicode/ucnv.h>
#include <zlib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace dateline::reading {

inline constexpr size_t kChunkBytes = 64 * 1024;            ///< one read(2)/inflate step
inline constexpr size_t kGunzipLimit = size_t{4} << 30;     ///< gunzip()'s default, for inputs read whole
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// A stream of bytes read in chunks.
class Source {
 public:
  virtual ~Source() = default;
  /// Appends up to `n` bytes to `out` and returns how many; 0 at the end or on an error (see error()).
  virtual size_t read(std::string& out, size_t n) = 0;
  /// Why reading stopped early, as a Diagnostic reason; empty when it did not.
  const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

/// An open C stream (a file, standard input). Not owned.
class FileSource : public Source {
 public:
  /// `counter`, when set, gets every byte read added to it as it is read.
  explicit FileSource(std::FILE* f, std::atomic<uint64_t>* counter = nullptr) : f_(f), counter_(counter) {}
  size_t read(std::string& out, size_t n) override;
  /// Bytes read from the file so far.
  uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* f_;
  std::atomic<uint64_t>* counter_;
  uint64_t bytes_ = 0;
};

/// Bytes already in memory (which must outlive it).
class MemorySource : public Source {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  size_t read(std::string& out, size_t n) override;

 private:
  std::string_view bytes_;
};

/// Gzip (or zlib) data from another Source, inflated chunk by chunk: concatenated members are one stream,
/// trailing bytes that are not another member are ignored (as gzip(1) does), and more than the limit of
/// output is an error. Errors (error()) read "corrupt gzip: REASON".
class GunzipSource : public Source {
 public:
  /// `head`: bytes already read from `in` (starting with the gzip magic number), possibly none.
  GunzipSource(Source& in, std::string head);
  ~GunzipSource() override;
  GunzipSource(const GunzipSource&) = delete;
  GunzipSource& operator=(const GunzipSource&) = delete;

  /// Output bytes allowed in all (default kGunzipLimit).
  void set_limit(size_t limit) { limit_ = limit; }
  size_t read(std::string& out, size_t n) override;

 private:
  /// Keeps the unconsumed input and appends the next chunk of `in_`.
  void refill();

  Source& in_;
  std::string buf_;  // input: zs_.next_in points into it
  z_stream zs_{};
  bool ready_ = false, in_eof_ = false, done_ = false;
  size_t total_ = 0;
  size_t limit_ = kGunzipLimit;
};

/// Turns an input's bytes (BOM already dropped) into UTF-8 text, chunk by chunk.
class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Appends the text of the next bytes `raw` to `out`; `last`: no bytes follow.
  virtual void decode(std::string_view raw, bool last, std::string& out) = 0;
  /// The input-wide warning decode_text() would give (DecodedText::describe()), once all is decoded; or "".
  virtual std::string note() const = 0;
};

/// Bytes at the end of `s` that start a UTF-8 sequence still waiting for continuation bytes (0 to 3).
size_t incomplete_utf8_tail(std::string_view s);

/// UTF-8, each invalid sequence replaced by U+FFFD as repair_utf8() does. A sequence cut by a chunk boundary
/// waits for the next chunk, so the text and the count are those of repairing the whole input at once.
class Utf8Decoder : public Decoder {
 public:
  void decode(std::string_view raw, bool last, std::string& out) override;
  std::string note() const override;

 private:
  std::string carry_;
  size_t replaced_ = 0;
};

/// Another charset, converted by ICU as a stream (stateful and multi-byte charsets included). Undecodable
/// bytes become U+FFFD. ISO-8859-1 is converted as windows-1252 (the two agree but on 0x80-0x9F, C1
/// controls in Latin-1 and curly quotes and dashes in the files that claim it); note() names windows-1252
/// when such a byte turned up.
class IcuDecoder : public Decoder {
 public:
  /// Opens the converters; ok() is false when ICU cannot (unknown charset, missing data).
  IcuDecoder(std::string charset, int confidence);
  bool ok() const { return from_ && to_; }
  void decode(std::string_view raw, bool last, std::string& out) override;
  std::string note() const override;

 private:
  static constexpr size_t kPivot = 1024;
  struct Close {
    void operator()(UConverter* c) const { ucnv_close(c); }
  };
  std::string charset_;
  int confidence_;
  bool latin1_ = false, c1_ = false, first_ = true;
  std::unique_ptr<UConverter, Close> from_, to_;
  UChar pivot_[kPivot];
  UChar* pivot_source_ = pivot_;
  UChar* pivot_target_ = pivot_;
};

/// Does a line hold nothing but white space (is_blank() in encoding.cpp, trim_space() empties it), fed byte
/// by byte? For lines too long to keep.
class BlankScanner {
 public:
  void feed(std::string_view s);
  bool blank() const { return blank_ && state_ == 0; }

 private:
  bool blank_ = true;
  int state_ = 0;
};

/// Cuts streamed UTF-8 text into lines numbered from 1 ('\n' not included; a '\r' before it is, as when the
/// whole text is cut). A line longer than `max_bytes` + 1 (a '\r' may still be dropped) is not kept: it is
/// handed on empty, flagged `too_long`, unless it is blank (then it is dropped, as blank lines are).
class LineSplitter {
 public:
  using OnLine = std::function<void(size_t line_no, std::string_view line, bool too_long)>;
  LineSplitter(size_t max_bytes, OnLine on_line) : max_(max_bytes), on_line_(std::move(on_line)) {}

  void feed(std::string_view text);
  /// The last line, when the text does not end with '\n'.
  void finish();

 private:
  void add(std::string_view piece);
  void end_line();

  size_t max_;
  OnLine on_line_;
  std::string pending_;  // the current line so far, when it spans chunks
  bool too_long_ = false;
  BlankScanner blank_;
  size_t line_no_ = 0;
};

}  // namespace dateline::reading
