/** @file
 *  @brief WARC reader on zlib: records, gzip members, HTTP chunking and content coding; HTML to articles.
 */
#include "articles/warc.h"

#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "articles/dates.h"
#include "articles/encoding.h"
#include "articles/html.h"
#include "base/ascii.h"

namespace dateline {
namespace {

constexpr size_t kInBytes = 256 * 1024;   // compressed input read at a time
constexpr size_t kOutBytes = 256 * 1024;  // inflated bytes held at a time
constexpr size_t kMaxHeaderLine = 64 * 1024;
constexpr size_t kMaxHeaders = 1000;
constexpr size_t kHttpHeadBytes = 64 * 1024;  // an HTTP response header must end within this
constexpr std::string_view kHashSalt = "dateline-warc-1";

using ascii::lower;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

/// The archive's bytes, inflated when they are gzip (members read one after another).
class Stream {
 public:
  explicit Stream(const ByteReader& read) : read_(read) {
    in_.resize(kInBytes);
    out_.resize(kOutBytes);
  }
  ~Stream() {
    if (zinit_) inflateEnd(&zs_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  const std::string& error() const { return error_; }
  uint64_t input_bytes() const { return input_bytes_; }

  /// Makes bytes available; false at the end or on an error.
  bool fill() {
    if (pos_ < len_) return true;
    pos_ = len_ = 0;
    while (len_ == 0) {
      if (!error_.empty() || done_) return false;
      if (!started_) start();
      if (!error_.empty() || done_) return false;
      if (gzip_)
        inflate_some();
      else
        copy_some();
    }
    return true;
  }
  std::string_view available() const { return std::string_view(out_.data() + pos_, len_ - pos_); }
  void consume(size_t n) { pos_ += n; }

  /// Appends up to `n` bytes to `dst`; returns how many (fewer at the end).
  size_t read(std::string& dst, size_t n) {
    size_t got = 0;
    while (got < n && fill()) {
      size_t k = std::min(n - got, len_ - pos_);
      dst.append(out_.data() + pos_, k);
      pos_ += k;
      got += k;
    }
    return got;
  }
  /// Skips up to `n` bytes; returns how many.
  uint64_t skip(uint64_t n) {
    uint64_t got = 0;
    while (got < n && fill()) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(n - got, len_ - pos_));
      pos_ += k;
      got += k;
    }
    return got;
  }
  /// Reads one line ('\n' dropped, a '\r' before it too). False at the end with nothing read, or when the
  /// line is longer than `max` (error() says so).
  bool line(std::string& out, size_t max) {
    out.clear();
    bool any = false;
    while (fill()) {
      any = true;
      std::string_view a = available();
      size_t nl = a.find('\n');
      size_t take = nl == std::string_view::npos ? a.size() : nl;
      if (out.size() + take > max) {
        error_ = "WARC header line longer than " + std::to_string(max) + " bytes";
        return false;
      }
      out.append(a.data(), take);
      if (nl != std::string_view::npos) {
        consume(nl + 1);
        if (!out.empty() && out.back() == '\r') out.pop_back();
        return true;
      }
      consume(a.size());
    }
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return any && error_.empty();
  }

 private:
  bool refill_input() {
    if (in_eof_) return false;
    std::string err;
    size_t n = read_(in_.data(), in_.size(), err);
    input_bytes_ += n;
    if (!err.empty()) {
      error_ = err;
      return false;
    }
    if (n == 0) {
      in_eof_ = true;
      return false;
    }
    in_pos_ = 0;
    in_len_ = n;
    return true;
  }
  void start() {
    started_ = true;
    if (in_pos_ == in_len_ && !refill_input()) {
      done_ = true;
      return;
    }
    // Two bytes decide (the gzip magic number); a read may have returned a single byte.
    if (in_len_ - in_pos_ < 2) {
      char first = in_[in_pos_];
      std::string err;
      size_t n = read_(in_.data() + 1, in_.size() - 1, err);
      input_bytes_ += n;
      if (!err.empty()) {
        error_ = err;
        return;
      }
      in_[0] = first;
      in_pos_ = 0;
      in_len_ = 1 + n;
      if (n == 0) in_eof_ = true;
    }
    gzip_ = in_len_ - in_pos_ >= 2 && static_cast<unsigned char>(in_[in_pos_]) == 0x1f &&
            static_cast<unsigned char>(in_[in_pos_ + 1]) == 0x8b;
    if (gzip_) {
      if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
        error_ = "corrupt gzip: cannot initialise zlib";
        return;
      }
      zinit_ = true;
    }
  }
  void copy_some() {
    if (in_pos_ == in_len_ && !refill_input()) {
      done_ = true;
      return;
    }
    size_t k = std::min(out_.size(), in_len_ - in_pos_);
    std::memcpy(out_.data(), in_.data() + in_pos_, k);
    in_pos_ += k;
    len_ = k;
  }
  void inflate_some() {
    zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
    zs_.avail_out = static_cast<uInt>(out_.size());
    while (zs_.avail_out == out_.size() && error_.empty()) {
      if (in_pos_ == in_len_) {
        if (!refill_input()) {
          if (error_.empty()) {
            if (member_bytes_ > 0 || mid_member_) error_ = "corrupt gzip: unexpected end of data (truncated file)";
            done_ = true;
          }
          break;
        }
      }
      if (!mid_member_) {
        // Between members: another member, or padding zeros (ignored, as gzip(1) does), or the end.
        if (static_cast<unsigned char>(in_[in_pos_]) == 0) {
          ++in_pos_;
          continue;
        }
        if (static_cast<unsigned char>(in_[in_pos_]) != 0x1f) {
          error_ = "corrupt gzip: data after a gzip member is not gzip";
          break;
        }
        mid_member_ = true;
        member_bytes_ = 0;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(in_.data() + in_pos_);
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      size_t used = (in_len_ - in_pos_) - zs_.avail_in;
      in_pos_ += used;
      member_bytes_ += used;
      if (rc == Z_STREAM_END) {
        inflateReset(&zs_);
        mid_member_ = false;
        member_bytes_ = 0;
        continue;
      }
      if (rc == Z_OK || rc == Z_BUF_ERROR) continue;
      error_ = std::string("corrupt gzip: ") + (zs_.msg != nullptr ? zs_.msg : "invalid data");
    }
    len_ = out_.size() - zs_.avail_out;
  }

  const ByteReader& read_;
  std::string in_, out_;
  size_t in_pos_ = 0, in_len_ = 0;
  size_t pos_ = 0, len_ = 0;
  bool in_eof_ = false, started_ = false, gzip_ = false, zinit_ = false, done_ = false, mid_member_ = false;
  uint64_t member_bytes_ = 0;
  uint64_t input_bytes_ = 0;
  z_stream zs_{};
  std::string error_;
};

/// "Name: value" header lines to a map of lowercased names (the first of a repeated name wins).
/// Folded continuation lines (starting with a space or tab) extend the previous value.
void add_header(std::map<std::string, std::string>& headers, std::string_view line, std::string& last) {
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!last.empty()) {
      headers[last] += ' ';
      headers[last] += trim(line);
    }
    return;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string name = lower(trim(line.substr(0, colon)));
  last = name;
  headers.emplace(name, std::string(trim(line.substr(colon + 1))));
}

std::string header(const std::map<std::string, std::string>& h, const char* name) {
  auto it = h.find(name);
  return it == h.end() ? std::string() : it->second;
}

bool is_html_type(std::string_view content_type) {
  std::string t = lower(trim(content_type.substr(0, content_type.find(';'))));
  return t == "text/html" || t == "application/xhtml+xml";
}

/// HTTP chunked transfer coding undone; std::nullopt when malformed.
std::optional<std::string> dechunk(std::string_view body) {
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) return std::nullopt;
    std::string_view size_line = trim(body.substr(pos, nl - pos));
    size_line = size_line.substr(0, size_line.find(';'));  // chunk extensions
    if (size_line.empty() || size_line.size() > 15) return std::nullopt;
    uint64_t size = 0;
    for (char c : size_line) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::nullopt;
      size = size * 16 + static_cast<uint64_t>(d);
    }
    pos = nl + 1;
    if (size == 0) return out;  // trailers ignored
    if (size > body.size() - pos) return std::nullopt;
    out.append(body.substr(pos, size));
    pos += size;
    if (body.compare(pos, 2, "\r\n") == 0)
      pos += 2;
    else if (body.compare(pos, 1, "\n") == 0)
      pos += 1;
  }
}

/// Inflates a deflate (zlib-wrapped or raw) body; std::nullopt on corrupt data or more than `max` bytes.
std::optional<std::string> inflate_deflate(std::string_view body, size_t max, std::string& error) {
  for (int bits : {15, -15}) {
    z_stream zs{};
    if (inflateInit2(&zs, bits) != Z_OK) break;
    std::string out;
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    zs.avail_in = static_cast<uInt>(body.size());
    char buf[64 * 1024];
    int rc = Z_OK;
    while (rc == Z_OK) {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      rc = inflate(&zs, Z_NO_FLUSH);
      out.append(buf, sizeof buf - zs.avail_out);
      if (out.size() > max) {
        inflateEnd(&zs);
        error = "decompressed size exceeds " + std::to_string(max) + " bytes";
        return std::nullopt;
      }
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;
    }
    inflateEnd(&zs);
    if (rc == Z_STREAM_END) return out;
  }
  error = "corrupt deflate data";
  return std::nullopt;
}

}  // namespace

bool is_warc_file_name(std::string_view file_name) {
  std::string n = lower(file_name);
  auto ends = [&](std::string_view s) { return n.size() >= s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0; };
  return ends(".warc") || ends(".warc.gz");
}

WarcStats read_warc(const ByteReader& read, std::string_view name, const WarcOptions& options,
                    const std::function<void(WarcRecord&&)>& on_html, std::vector<Diagnostic>& diagnostics) {
  WarcStats stats;
  Stream in(read);
  std::string file(name);
  auto problem = [&](size_t record, std::string reason) {
    diagnostics.push_back({file, record, std::move(reason), true});
  };
  std::string line, block;
  size_t number = 0;
  for (;;) {
    if (!in.line(line, kMaxHeaderLine)) break;
    if (trim(line).empty()) continue;  // the CRLF CRLF after a block
    ++number;
    if (line.compare(0, 5, "WARC/") != 0) {
      problem(number, "not a WARC record header (\"" + line.substr(0, 40) + "\"); rest of the file not read");
      stats.input_bytes = in.input_bytes();
      return stats;
    }
    std::map<std::string, std::string> h;
    std::string last;
    bool ended = false;
    for (size_t k = 0; k < kMaxHeaders; ++k) {
      if (!in.line(line, kMaxHeaderLine)) break;
      if (line.empty()) {
        ended = true;
        break;
      }
      add_header(h, line, last);
    }
    if (!ended) {
      problem(number, in.error().empty() ? "truncated WARC header; rest of the file not read"
                                         : in.error() + "; rest of the file not read");
      break;
    }
    ++stats.records;
    std::string len_text = header(h, "content-length");
    uint64_t length = 0;
    bool len_ok = !len_text.empty() && len_text.size() <= 15;
    for (char c : len_text) {
      if (c < '0' || c > '9') len_ok = false;
      else length = length * 10 + static_cast<uint64_t>(c - '0');
    }
    if (!len_ok) {
      problem(number, "WARC record without a valid Content-Length; rest of the file not read");
      break;
    }
    std::string type = lower(header(h, "warc-type"));
    auto skip_rest = [&](uint64_t n) {
      if (in.skip(n) < n) {
        problem(number, in.error().empty() ? "truncated WARC record" : in.error());
        return false;
      }
      return true;
    };
    if (type == "revisit") ++stats.revisits;
    if (type != "response" && type != "resource") {
      if (!skip_rest(length)) break;
      continue;
    }
    // The first part of the block: the HTTP response header (response) or the start of the page.
    block.clear();
    size_t head_want = static_cast<size_t>(std::min<uint64_t>(length, kHttpHeadBytes));
    if (in.read(block, head_want) < head_want) {
      problem(number, in.error().empty() ? "truncated WARC record" : in.error());
      break;
    }
    uint64_t rest = length - head_want;
    WarcRecord r;
    r.number = number;
    r.type = type;
    r.target_uri = std::string(trim(header(h, "warc-target-uri")));
    if (r.target_uri.size() >= 2 && r.target_uri.front() == '<' && r.target_uri.back() == '>')
      r.target_uri = r.target_uri.substr(1, r.target_uri.size() - 2);
    r.date = header(h, "warc-date");
    size_t body_at = 0;
    std::string transfer, coding;
    if (type == "response") {
      size_t end = block.find("\r\n\r\n");
      size_t sep = 4;
      if (end == std::string::npos) {
        end = block.find("\n\n");
        sep = 2;
      }
      if (end == std::string::npos || block.compare(0, 5, "HTTP/") != 0) {
        std::string wtype = lower(header(h, "content-type"));
        if (wtype.find("application/http") == std::string::npos && !wtype.empty()) {
          // A response record of another kind (dns:, ftp): not a web page.
          ++stats.not_html;
          ++stats.skipped_types[wtype.substr(0, 60)];
        } else {
          problem(number, "response record without a readable HTTP header; skipped");
        }
        if (!skip_rest(rest)) break;
        continue;
      }
      std::map<std::string, std::string> http;
      std::string hl;
      std::string_view head(block.data(), end);
      size_t first_nl = head.find('\n');
      std::string_view status_line = head.substr(0, first_nl);
      size_t sp = status_line.find(' ');
      int status = 0;
      if (sp != std::string_view::npos)
        for (size_t k = sp + 1; k < status_line.size() && k < sp + 4; ++k)
          status = status * 10 + (status_line[k] >= '0' && status_line[k] <= '9' ? status_line[k] - '0' : 0);
      size_t p = first_nl == std::string_view::npos ? head.size() : first_nl + 1;
      while (p < head.size()) {
        size_t nl = head.find('\n', p);
        if (nl == std::string_view::npos) nl = head.size();
        std::string_view l = head.substr(p, nl - p);
        if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
        add_header(http, l, hl);
        p = nl + 1;
      }
      body_at = end + sep;
      r.content_type = header(http, "content-type");
      transfer = lower(header(http, "transfer-encoding"));
      coding = lower(trim(header(http, "content-encoding")));
      if (status < 200 || status > 299) {
        ++stats.not_ok;
        if (!skip_rest(rest)) break;
        continue;
      }
    } else {
      r.content_type = header(h, "content-type");
    }
    bool html = is_html_type(r.content_type) ||
                (trim(r.content_type).empty() && coding.empty() && transfer.empty() &&
                 looks_like_html(std::string_view(block).substr(body_at)));
    if (!html) {
      ++stats.not_html;
      std::string t = lower(trim(r.content_type.substr(0, r.content_type.find(';'))));
      ++stats.skipped_types[t.empty() ? "(none)" : t.substr(0, 60)];
      if (!skip_rest(rest)) break;
      continue;
    }
    if (length - body_at > options.max_payload_bytes) {
      ++stats.oversized;
      problem(number, "page larger than " + std::to_string(options.max_payload_bytes) + " bytes; skipped");
      if (!skip_rest(rest)) break;
      continue;
    }
    if (in.read(block, static_cast<size_t>(rest)) < rest) {
      problem(number, in.error().empty() ? "truncated WARC record" : in.error());
      break;
    }
    std::string body = block.substr(body_at);
    if (transfer.find("chunked") != std::string::npos) {
      auto d = dechunk(body);
      if (!d) {
        problem(number, "malformed HTTP chunked encoding; skipped");
        continue;
      }
      body = std::move(*d);
    }
    if (coding == "gzip" || coding == "x-gzip") {
      std::string error;
      auto d = gunzip(body, error, options.max_payload_bytes);
      if (!d) {
        problem(number, "HTTP content coding gzip: " + error + "; skipped");
        continue;
      }
      body = std::move(*d);
    } else if (coding == "deflate") {
      std::string error;
      auto d = inflate_deflate(body, options.max_payload_bytes, error);
      if (!d) {
        problem(number, "HTTP content coding deflate: " + error + "; skipped");
        continue;
      }
      body = std::move(*d);
    } else if (!coding.empty() && coding != "identity") {
      problem(number, "HTTP content coding \"" + coding.substr(0, 40) + "\" not supported; skipped");
      continue;
    }
    r.payload = std::move(body);
    ++stats.html;
    on_html(std::move(r));
  }
  if (!in.error().empty() && (diagnostics.empty() || diagnostics.back().file != file ||
                              diagnostics.back().reason.find(in.error()) == std::string::npos))
    problem(number, in.error() + "; rest of the file not read");
  stats.input_bytes = in.input_bytes();
  return stats;
}

WarcStats read_warc_articles(const ByteReader& read, std::string_view name, const ReadOptions& options,
                             const ArticleSink& sink, std::vector<Diagnostic>& diagnostics) {
  WarcOptions wo;
  wo.max_payload_bytes = options.max_record_bytes;
  std::string file(name);
  WarcStats stats = read_warc(read, name, wo, [&](WarcRecord&& r) {
    HtmlContext context;
    context.transport_charset = content_type_charset(r.content_type);
    context.url = r.target_uri;
    if (r.date.size() >= 10) {
      if (auto d = parse_date(std::string_view(r.date).substr(0, 10))) context.crawl_date = *d;
    }
    HtmlPage page = parse_html(r.payload, context);
    if (!page.charset_note.empty()) diagnostics.push_back({file, r.number, page.charset_note, false});
    std::string id = r.target_uri.empty() ? file + ":" + std::to_string(r.number) : r.target_uri;
    Article a = html_article(page, context, id, file + ":" + std::to_string(r.number), options.max_passage_bytes);
    if (a.passages.empty()) {
      diagnostics.push_back({file, r.number, "no article text in " + (r.target_uri.empty() ? "the page" : r.target_uri), true});
      return;
    }
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    XXH3_64bits_update(state, r.payload.data(), r.payload.size());
    std::string meta(kHashSalt);
    meta += '\0';
    meta += std::to_string(options.max_passage_bytes);
    meta += '\0';
    meta += r.target_uri;
    XXH3_64bits_update(state, meta.data(), meta.size());
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH3_64bits_digest(state)));
    XXH3_freeState(state);
    a.content_hash = hex;
    sink(std::move(a));
  }, diagnostics);
  uint64_t skipped = stats.not_html + stats.revisits + stats.not_ok;
  if (skipped > 0) {
    std::string why;
    auto add = [&](uint64_t n, const std::string& what) {
      if (n == 0) return;
      why += (why.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    };
    std::string types;
    for (const auto& [t, n] : stats.skipped_types) types += (types.empty() ? "" : ", ") + t + " " + std::to_string(n);
    add(stats.not_html, "not HTML (" + types + ")");
    add(stats.revisits, "revisit");
    add(stats.not_ok, "not HTTP 2xx");
    diagnostics.push_back({file, 0,
                           std::to_string(stats.html) + " HTML pages read; " + std::to_string(skipped) +
                               " records skipped: " + why,
                           false});
  }
  return stats;
}

}  // namespace dateline
