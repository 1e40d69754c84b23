/** @file
 *  @brief Bytes to lines (see stream.h): chunked sources, gunzip, UTF-8 repair and ICU conversion, lines.
 */
#include "articles/stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "articles/encoding.h"
#include "base/utf8.h"

namespace dateline::reading {

size_t FileSource::read(std::string& out, size_t n) {
  size_t at = out.size();
  out.resize(at + n);
  size_t got = std::fread(out.data() + at, 1, n, f_);
  out.resize(at + got);
  bytes_ += got;
  if (counter_ != nullptr) counter_->fetch_add(got, std::memory_order_relaxed);
  if (got == 0 && std::ferror(f_) && error_.empty())
    error_ = std::string("cannot read: ") + std::strerror(errno);
  return got;
}

size_t MemorySource::read(std::string& out, size_t n) {
  size_t got = std::min(n, bytes_.size());
  out.append(bytes_.data(), got);
  bytes_.remove_prefix(got);
  return got;
}

GunzipSource::GunzipSource(Source& in, std::string head) : in_(in), buf_(std::move(head)) {
  // 15 + 32: maximum window, and detect gzip or zlib headers automatically.
  if (inflateInit2(&zs_, 15 + 32) != Z_OK) {
    error_ = "corrupt gzip: cannot initialise zlib";
    return;
  }
  ready_ = true;
  zs_.next_in = reinterpret_cast<Bytef*>(buf_.data());
  zs_.avail_in = static_cast<uInt>(buf_.size());
}

GunzipSource::~GunzipSource() {
  if (ready_) inflateEnd(&zs_);
}

size_t GunzipSource::read(std::string& out, size_t n) {
  if (!ready_ || done_ || !error_.empty()) return 0;
  size_t at = out.size();
  out.resize(at + n);
  zs_.next_out = reinterpret_cast<Bytef*>(out.data() + at);
  zs_.avail_out = static_cast<uInt>(n);
  while (zs_.avail_out > 0 && error_.empty()) {
    if (zs_.avail_in == 0 && !in_eof_) refill();
    int rc = inflate(&zs_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      // Another member follows (cat a.gz b.gz > c.gz)? Trailing zero padding is ignored, like gzip(1).
      if (zs_.avail_in < 2 && !in_eof_) refill();
      if (!is_gzip(std::string_view(reinterpret_cast<const char*>(zs_.next_in), zs_.avail_in))) {
        done_ = true;
        break;
      }
      inflateReset(&zs_);
      continue;
    }
    if (rc == Z_OK) continue;
    if (rc == Z_BUF_ERROR && zs_.avail_in == 0 && in_eof_) {
      if (error_.empty()) error_ = "corrupt gzip: unexpected end of data (truncated file)";
      break;
    }
    if (rc == Z_BUF_ERROR) continue;  // no progress this round only because input or output ran out
    error_ = std::string("corrupt gzip: ") + (zs_.msg != nullptr ? zs_.msg : "invalid data");
  }
  size_t produced = n - zs_.avail_out;
  total_ += produced;
  if (error_.empty() && total_ > limit_)
    error_ = "corrupt gzip: decompressed size exceeds " + std::to_string(limit_) + " bytes";
  out.resize(error_.empty() ? at + produced : at);
  return error_.empty() ? produced : 0;
}

void GunzipSource::refill() {
  buf_.erase(0, buf_.size() - zs_.avail_in);
  if (in_.read(buf_, kChunkBytes) == 0) {
    in_eof_ = true;
    if (!in_.error().empty()) error_ = in_.error();
  }
  zs_.next_in = reinterpret_cast<Bytef*>(buf_.data());
  zs_.avail_in = static_cast<uInt>(buf_.size());
}

size_t incomplete_utf8_tail(std::string_view s) {
  for (size_t k = 1; k <= std::min<size_t>(3, s.size()); ++k) {
    char c = s[s.size() - k];
    if (utf8::is_continuation(c)) continue;  // look further back for its lead
    return k < utf8::lead_length(c) ? k : 0;
  }
  return 0;
}

void Utf8Decoder::decode(std::string_view raw, bool last, std::string& out) {
  std::string joined;
  if (!carry_.empty()) {
    joined = carry_;
    joined += raw;
    raw = joined;
  }
  size_t keep = last ? 0 : incomplete_utf8_tail(raw);
  std::string_view body = raw.substr(0, raw.size() - keep);
  if (is_valid_utf8(body)) {
    out += body;
  } else {
    size_t n = 0;
    out += repair_utf8(body, &n);
    replaced_ += n;
  }
  carry_.assign(raw.substr(raw.size() - keep));
}

std::string Utf8Decoder::note() const {
  if (replaced_ == 0) return "";
  DecodedText d;
  d.status = TextStatus::kRepaired;
  d.replaced = replaced_;
  return d.describe();
}

IcuDecoder::IcuDecoder(std::string charset, int confidence)
    : charset_(std::move(charset)), confidence_(confidence) {
  // ISO-8859-1 with bytes in 0x80-0x9F is read as windows-1252 (see decode_text()). The two agree on every
  // other byte, so converting as windows-1252 from the start gives the same text; the name reported
  // depends on whether such a byte turns up anywhere in the input.
  latin1_ = charset_ == "ISO-8859-1";
  UErrorCode status = U_ZERO_ERROR;
  from_.reset(ucnv_open(latin1_ ? "windows-1252" : charset_.c_str(), &status));
  if (U_FAILURE(status)) from_.reset();
  status = U_ZERO_ERROR;
  to_.reset(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) to_.reset();
}

void IcuDecoder::decode(std::string_view raw, bool last, std::string& out) {
  if (latin1_ && !c1_) {
    c1_ = std::any_of(raw.begin(), raw.end(), [](char ch) {
      auto c = static_cast<unsigned char>(ch);
      return c >= 0x80 && c <= 0x9F;
    });
  }
  const char* src = raw.data();
  const char* src_end = src + raw.size();
  char buf[16 * 1024];
  for (;;) {
    char* target = buf;
    UErrorCode status = U_ZERO_ERROR;
    // Undecodable bytes become U+FFFD (the converters' default substitution).
    ucnv_convertEx(to_.get(), from_.get(), &target, buf + sizeof buf, &src, src_end, pivot_, &pivot_source_,
                   &pivot_target_, pivot_ + kPivot, first_, last, &status);
    first_ = false;
    out.append(buf, static_cast<size_t>(target - buf));
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
  }
}

std::string IcuDecoder::note() const {
  DecodedText d;
  d.status = TextStatus::kConverted;
  d.charset = latin1_ && c1_ ? "windows-1252" : charset_;
  d.confidence = confidence_;
  return d.describe();
}

void BlankScanner::feed(std::string_view s) {
  for (char ch : s) {
    if (!blank_) return;
    auto c = static_cast<unsigned char>(ch);
    switch (state_) {
      case 0:
        if (c == 0xC2)
          state_ = 1;  // U+00A0 is C2 A0
        else if (c == 0xEF)
          state_ = 2;  // U+FEFF is EF BB BF
        else
          blank_ = c == ' ' || (c >= '\t' && c <= '\r');
        break;
      case 1:
        blank_ = c == 0xA0;
        state_ = 0;
        break;
      case 2:
        blank_ = c == 0xBB;
        state_ = 3;
        break;
      default:
        blank_ = c == 0xBF;
        state_ = 0;
        break;
    }
  }
}

void LineSplitter::feed(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view piece =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (nl != std::string_view::npos && pending_.empty() && !too_long_ && piece.size() <= max_ + 1) {
      on_line_(++line_no_, piece, false);  // a whole line in this chunk: no copy
    } else {
      add(piece);
      if (nl != std::string_view::npos) end_line();
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
}

void LineSplitter::finish() {
  if (!pending_.empty() || too_long_) end_line();
}

void LineSplitter::add(std::string_view piece) {
  if (!too_long_ && pending_.size() + piece.size() <= max_ + 1) {
    pending_ += piece;
    return;
  }
  if (!too_long_) {
    too_long_ = true;
    blank_ = BlankScanner();
    blank_.feed(pending_);
    std::string().swap(pending_);  // free it now: the line is never held whole
  }
  blank_.feed(piece);
}

void LineSplitter::end_line() {
  ++line_no_;
  if (too_long_) {
    if (!blank_.blank()) on_line_(line_no_, {}, true);
  } else {
    on_line_(line_no_, pending_, false);
  }
  if (pending_.capacity() > 16 * kChunkBytes)
    std::string().swap(pending_);  // a long record passed: do not keep its room
  else
    pending_.clear();
  too_long_ = false;
}

}  // namespace dateline::reading
