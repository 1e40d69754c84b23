/** @file
 *  @brief Reads input files (plain text, JSON Lines, .gz of either, sidecar/manifest metadata) into Articles.
 */
#include "articles/reader.h"

#include <unicode/ucnv.h>
#include <xxhash.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <system_error>

#include "articles/dates.h"
#include "articles/encoding.h"
#include "articles/html.h"
#include "articles/ids.h"
#include "articles/layout.h"
#include "articles/outlets.h"
#include "articles/passages.h"
#include "articles/people.h"
#include "articles/warc.h"
#include "base/ascii.h"
#include "base/languages.h"
#include "base/utf8.h"

namespace dateline {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kMaxJsonDepth = 64;  // nlohmann parses recursively: refuse deeper records first
constexpr std::string_view kHashSalt = "dateline-reader-1";  // bump when extraction changes what is indexed

const std::set<std::string, std::less<>> kOverrideFields{"id",   "title",  "subtitle", "outlet",
                                                         "date", "author", "url",      "language"};

enum class Format { kText, kJsonLines, kJson, kSniff, kHtml };

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// The file name without a trailing ".gz", lowercased.
std::string base_name_lower(const fs::path& file) {
  std::string name = ascii::lower(file.filename().string());
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  return name;
}

Format format_of(const fs::path& file) {
  std::string name = base_name_lower(file);
  if (ends_with(name, ".txt") || ends_with(name, ".text")) return Format::kText;
  if (ends_with(name, ".jsonl") || ends_with(name, ".ndjson")) return Format::kJsonLines;
  if (ends_with(name, ".json")) return Format::kJson;
  if (ends_with(name, ".html") || ends_with(name, ".htm") || ends_with(name, ".xhtml")) return Format::kHtml;
  return Format::kSniff;
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

/// A byte count for messages: "32 MiB", "1 KiB" when it is a whole number of them, else "1000 bytes".
std::string size_label(size_t n) {
  if (n >= (size_t{1} << 20) && n % (size_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= 1024 && n % 1024 == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

/// XXH3-64 of the record bytes, the overrides (sorted: std::map) and the passage bound.
std::string content_hash(std::string_view bytes, const MetadataOverrides& overrides,
                         size_t max_passage_bytes) {
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
  if (!state) return hex64(XXH3_64bits(bytes.data(), bytes.size()));
  XXH3_64bits_reset(state.get());
  XXH3_64bits_update(state.get(), bytes.data(), bytes.size());
  std::string meta(kHashSalt);
  meta += '\0';
  meta += std::to_string(max_passage_bytes);
  for (const auto& [k, v] : overrides) {
    meta += '\0';
    meta += k;
    meta += '=';
    meta += v;
  }
  XXH3_64bits_update(state.get(), meta.data(), meta.size());
  return hex64(XXH3_64bits_digest(state.get()));
}

/// Where a byte-by-byte scan of JSON text stands with respect to string literals (escapes included).
struct JsonStringState {
  bool in_string = false;
  bool escape = false;

  /// True when `c` belongs to a string literal already open (its closing quote included): the caller
  /// skips it. A '"' outside a string is the caller's to see; it then sets in_string.
  bool inside(char c) {
    if (!in_string) return false;
    if (escape)
      escape = false;
    else if (c == '\\')
      escape = true;
    else if (c == '"')
      in_string = false;
    return true;
  }
};

/// Deepest nesting of `[`/`{` in JSON text (strings skipped); stops counting once past `limit`.
size_t json_depth(std::string_view s, size_t limit) {
  size_t depth = 0, deepest = 0;
  JsonStringState str;
  for (char c : s) {
    if (str.inside(c)) continue;
    if (c == '"')
      str.in_string = true;
    else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > limit) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string json_error(const std::exception& e) {
  std::string what = e.what();
  if (what.rfind("[json.exception.", 0) == 0) {
    size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
  }
  // Records are one line: "at line 1, column 70" says less than "at column 70".
  if (size_t at = what.find("at line 1, column "); at != std::string::npos) what.erase(at + 3, 8);
  return what;
}

/// Collapses runs of whitespace to one space and trims.
std::string tidy(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : trim_space(s)) {
    bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string civil_date(int64_t seconds) {
  // Howard Hinnant's days-from-civil inverse: no time zone, no locale, no std::gmtime thread issues.
  int64_t z = (seconds >= 0 ? seconds : seconds - 86399) / 86400 + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                static_cast<long long>(d));
  return buf;
}

/// ISO 639-1 code for a language field: "en", "en-US", "EN_gb", "English", "eng" -> "en". Empty when unknown.
std::string language_code(std::string_view value) {
  std::string v = ascii::lower(trim_space(value));
  size_t cut = v.find_first_of("-_");
  std::string primary = v.substr(0, cut);
  if (primary.size() == 2 &&
      std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return primary;
  if (std::string_view code = languages::code_of(v); !code.empty()) return std::string(code);
  static const std::map<std::string, std::string, std::less<>> kIso639_2{
      {"eng", "en"}, {"fra", "fr"}, {"fre", "fr"}, {"deu", "de"}, {"ger", "de"}, {"spa", "es"}, {"rus", "ru"},
      {"ita", "it"}, {"por", "pt"}, {"nld", "nl"}, {"dut", "nl"}, {"ukr", "uk"}};
  auto it = kIso639_2.find(v);
  return it != kIso639_2.end() ? it->second : std::string();
}

/// Problems of one input past the first `limit`: counted, not listed (an input of ten million bad lines
/// would otherwise hold ten million Diagnostics).
struct Overflow {
  size_t limit = SIZE_MAX;
  size_t listed = 0;
  size_t skipped = 0;   // skips not listed
  size_t warnings = 0;  // warnings not listed
};

/// Collects per-input problems with the file name filled in.
class Problems {
 public:
  Problems(std::string file, std::vector<Diagnostic>& out, Overflow* overflow = nullptr)
      : file_(std::move(file)), out_(out), overflow_(overflow) {}
  void skip(size_t line, std::string reason) {
    if (over()) {
      ++overflow_->skipped;
      return;
    }
    out_.push_back({file_, line, std::move(reason), true});
  }
  void warn(size_t line, std::string reason) {
    if (over()) {
      ++overflow_->warnings;
      return;
    }
    out_.push_back({file_, line, std::move(reason), false});
  }
  const std::string& file() const { return file_; }

 private:
  bool over() { return overflow_ != nullptr && overflow_->listed++ >= overflow_->limit; }

  std::string file_;
  std::vector<Diagnostic>& out_;
  Overflow* overflow_;
};

/// Sets one metadata field of `a` from a trusted value (record field or override). `line` for messages.
void set_field(Article& a, const std::string& field, const std::string& raw, Problems& problems, size_t line,
               std::string_view origin) {
  std::string value = tidy(raw);
  a.provenance.erase(field);  // the value is now the record's or the override's, not read from a line
  auto clear_or = [&](std::optional<std::string>& slot, std::string v) {
    if (v.empty())
      slot.reset();
    else
      slot = std::move(v);
  };
  if (field == "title")
    clear_or(a.title, value);
  else if (field == "subtitle")
    clear_or(a.subtitle, value);
  else if (field == "author")
    clear_or(a.author, value);
  else if (field == "url")
    clear_or(a.url, value);
  else if (field == "outlet")
    clear_or(a.outlet, value.empty() ? value : canonical_outlet_or_self(value));
  else if (field == "date") {
    if (value.empty()) {
      a.date.reset();
    } else if (auto iso = parse_date(value)) {
      a.date = *iso;
    } else {
      a.date.reset();
      problems.warn(line, std::string(origin) + " date \"" + value.substr(0, 80) +
                              "\" is not a date I can read; date left unknown");
    }
  } else if (field == "language") {
    if (value.empty()) {
      a.language.reset();
    } else if (std::string code = language_code(value); !code.empty()) {
      a.language = code;
    } else {
      a.language.reset();
      problems.warn(line, std::string(origin) + " language \"" + value.substr(0, 40) +
                              "\" is not a language code; ignored");
    }
  } else if (field == "id") {
    if (value.empty())
      problems.warn(line, std::string(origin) + " id is empty; kept \"" + a.id + "\"");
    else
      a.id = value;
  }
}

void apply_overrides(Article& a, const MetadataOverrides& overrides, Problems& problems, size_t line,
                     std::string_view origin, bool allow_id) {
  for (const auto& [field, value] : overrides) {
    if (field == "id" && !allow_id) continue;
    set_field(a, field, value, problems, line, origin);
  }
}

/// A JSON value as an override string: strings as is, numbers printed, null -> "" (clear), arrays of
/// strings joined by ", ". std::nullopt for anything else.
std::optional<std::string> override_value(const json& v) {
  if (v.is_null()) return std::string();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_array()) {
    std::string joined;
    for (const auto& e : v) {
      if (!e.is_string()) return std::nullopt;
      if (!joined.empty()) joined += ", ";
      joined += e.get<std::string>();
    }
    return joined;
  }
  if (v.is_object() && v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
  return std::nullopt;
}

/// Records in Article::sources that `overrides` set these fields (`origin`: "sidecar", "manifest").
void mark_sources(Article& a, const MetadataOverrides& overrides, const char* origin) {
  for (const auto& [field, value] : overrides)
    if (field != "id") {
      if (value.empty())
        a.sources.erase(field);
      else
        a.sources[field] = origin;
    }
}

/// Reads a sidecar NAME.meta.json beside a plain-text file, if there is one. Its problems count towards
/// the file's `overflow` (a 1 MiB sidecar of unknown fields is 100,000 warnings).
MetadataOverrides read_sidecar(const fs::path& file, std::vector<Diagnostic>& diagnostics,
                               Overflow& overflow) {
  MetadataOverrides out;
  std::string name = file.filename().string();
  std::string lower = ascii::lower(name);
  std::string stem = name;
  if (ends_with(lower, ".gz")) stem.resize(stem.size() - 3);
  std::string with_ext = stem;
  size_t dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  for (const std::string& candidate : {stem + ".meta.json", with_ext + ".meta.json"}) {
    fs::path side = file.parent_path() / candidate;
    std::error_code ec;
    if (!fs::is_regular_file(side, ec)) continue;
    Problems problems(side.string(), diagnostics, &overflow);
    std::ifstream in(side, std::ios::binary);
    // One byte past the limit tells an oversized sidecar; the rest of it is never read.
    std::string text(kMaxSidecarBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (!in.is_open() || in.bad()) {
      problems.warn(0, "cannot read sidecar metadata; overrides not applied");
      return out;
    }
    if (text.size() > kMaxSidecarBytes) {
      problems.warn(0, "sidecar metadata larger than " + size_label(kMaxSidecarBytes) +
                           "; overrides not applied");
      return out;
    }
    if (json_depth(text, kMaxJsonDepth) > kMaxJsonDepth) {
      problems.warn(0, "sidecar metadata nested too deeply; overrides not applied");
      return out;
    }
    json j;
    try {
      j = json::parse(text);
    } catch (const std::exception& e) {
      problems.warn(0, "malformed JSON: " + json_error(e) + "; sidecar overrides not applied");
      return out;
    }
    if (!j.is_object()) {
      problems.warn(0, "sidecar metadata is not a JSON object; overrides not applied");
      return out;
    }
    for (const auto& [key, value] : j.items()) {
      if (kOverrideFields.count(key) == 0) {
        problems.warn(0, "unknown field \"" + key + "\" ignored");
        continue;
      }
      if (auto v = override_value(value))
        out[key] = *v;
      else
        problems.warn(0, "field \"" + key + "\" has an unusable type; ignored");
    }
    return out;  // the first sidecar found is the one
  }
  return out;
}

fs::path manifest_key(const fs::path& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

// ---- Streaming: bytes in chunks -> gunzip -> UTF-8 -> lines ----------------------------------------------

constexpr size_t kChunkBytes = 64 * 1024;  // one read(2)/inflate step
// The charset of a streamed input is decided on its first 64 KiB: decode_text()'s own sample size, so an
// input that ends within it is decoded exactly as read_buffer() does (it is handed to the same code, whole).
constexpr size_t kProbeBytes = 64 * 1024;
constexpr size_t kGunzipLimit = size_t{4} << 30;  // gunzip()'s default, for inputs read whole
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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
  explicit FileSource(std::FILE* f, std::atomic<uint64_t>* counter = nullptr) : f_(f), counter_(counter) {}
  size_t read(std::string& out, size_t n) override {
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
  /// Bytes read from the file so far.
  uint64_t bytes() const { return bytes_; }

 private:
  std::FILE* f_;
  std::atomic<uint64_t>* counter_;
  uint64_t bytes_ = 0;
};

/// Gzip data from another Source, inflated chunk by chunk. Behaves as gunzip() (encoding.h) does on the
/// whole input, with the same messages: concatenated members are one stream, trailing bytes that are not
/// another member are ignored, and more than `limit` bytes of output is an error.
class GunzipSource : public Source {
 public:
  /// `head`: bytes already read from `in` (starting with the gzip magic number).
  GunzipSource(Source& in, std::string head) : in_(in), buf_(std::move(head)) {
    // 15 + 32: maximum window, and detect gzip or zlib headers automatically (as gunzip()).
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) {
      error_ = "corrupt gzip: cannot initialise zlib";
      return;
    }
    ready_ = true;
    zs_.next_in = reinterpret_cast<Bytef*>(buf_.data());
    zs_.avail_in = static_cast<uInt>(buf_.size());
  }
  ~GunzipSource() override {
    if (ready_) inflateEnd(&zs_);
  }
  GunzipSource(const GunzipSource&) = delete;
  GunzipSource& operator=(const GunzipSource&) = delete;

  void set_limit(size_t limit) { limit_ = limit; }

  size_t read(std::string& out, size_t n) override {
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

 private:
  /// Keeps the unconsumed input and appends the next chunk of `in_`.
  void refill() {
    buf_.erase(0, buf_.size() - zs_.avail_in);
    if (in_.read(buf_, kChunkBytes) == 0) {
      in_eof_ = true;
      if (!in_.error().empty()) error_ = in_.error();
    }
    zs_.next_in = reinterpret_cast<Bytef*>(buf_.data());
    zs_.avail_in = static_cast<uInt>(buf_.size());
  }

  Source& in_;
  std::string buf_;  // input: zs_.next_in points into it
  z_stream zs_{};
  bool ready_ = false, in_eof_ = false, done_ = false;
  size_t total_ = 0;
  size_t limit_ = kGunzipLimit;
};

/// Turns a streamed input's bytes (BOM already dropped) into UTF-8 text, chunk by chunk.
class Decoder {
 public:
  virtual ~Decoder() = default;
  /// Appends the text of the next bytes `raw` to `out`; `last`: no bytes follow.
  virtual void decode(std::string_view raw, bool last, std::string& out) = 0;
  /// The input-wide warning decode_text() would give (DecodedText::describe()), once all is decoded; or "".
  virtual std::string note() const = 0;
};

/// Bytes at the end of `s` that start a UTF-8 sequence still waiting for continuation bytes (0 to 3).
size_t incomplete_utf8_tail(std::string_view s) {
  for (size_t k = 1; k <= std::min<size_t>(3, s.size()); ++k) {
    char c = s[s.size() - k];
    if (utf8::is_continuation(c)) continue;  // look further back for its lead
    return k < utf8::lead_length(c) ? k : 0;
  }
  return 0;
}

/// UTF-8, each invalid sequence replaced by U+FFFD as repair_utf8() does. A sequence cut by a chunk boundary
/// waits for the next chunk, so the text and the count are those of repairing the whole input at once.
class Utf8Decoder : public Decoder {
 public:
  void decode(std::string_view raw, bool last, std::string& out) override {
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
  std::string note() const override {
    if (replaced_ == 0) return "";
    DecodedText d;
    d.status = TextStatus::kRepaired;
    d.replaced = replaced_;
    return d.describe();
  }

 private:
  std::string carry_;
  size_t replaced_ = 0;
};

/// Another charset, converted by ICU as a stream (stateful and multi-byte charsets included).
class IcuDecoder : public Decoder {
 public:
  /// Opens the converters; ok() is false when ICU cannot (unknown charset, missing data).
  IcuDecoder(std::string charset, int confidence) : charset_(std::move(charset)), confidence_(confidence) {
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
  bool ok() const { return from_ && to_; }

  void decode(std::string_view raw, bool last, std::string& out) override {
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
      // Undecodable bytes become U+FFFD (the converters' default substitution), as in decode_text().
      ucnv_convertEx(to_.get(), from_.get(), &target, buf + sizeof buf, &src, src_end, pivot_, &pivot_source_,
                     &pivot_target_, pivot_ + kPivot, first_, last, &status);
      first_ = false;
      out.append(buf, static_cast<size_t>(target - buf));
      if (status != U_BUFFER_OVERFLOW_ERROR) break;
    }
  }
  std::string note() const override {
    DecodedText d;
    d.status = TextStatus::kConverted;
    d.charset = latin1_ && c1_ ? "windows-1252" : charset_;
    d.confidence = confidence_;
    return d.describe();
  }

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

/// Does `line` hold nothing but white space (is_blank() in encoding.cpp, trim_space() empties it), fed byte
/// by byte? For lines too long to keep.
class BlankScanner {
 public:
  void feed(std::string_view s) {
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

  void feed(std::string_view text) {
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
  /// The last line, when the text does not end with '\n'.
  void finish() {
    if (!pending_.empty() || too_long_) end_line();
  }

 private:
  void add(std::string_view piece) {
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
  void end_line() {
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

  size_t max_;
  OnLine on_line_;
  std::string pending_;  // the current line so far, when it spans chunks
  bool too_long_ = false;
  BlankScanner blank_;
  size_t line_no_ = 0;
};

/// A .json file that starts with '{' is one record object (possibly pretty-printed) or JSON Lines:
/// read_json() tells them apart with json::accept() on the whole text. This scan says early that the text
/// cannot be one object: a raw newline inside a string, or anything but white space after the first
/// value. Until then the text is held (one object: bounded by the record limit).
class FirstValueScan {
 public:
  /// Scans `text` (the whole decoded text so far; it only grows) from where the last call stopped.
  /// True when the text is certainly not one JSON value, so it is JSON Lines.
  bool not_one_value(std::string_view text) {
    for (; pos_ < text.size(); ++pos_) {
      char c = text[pos_];
      if (!closed_) {
        if (depth_ == 0) {
          if (c == '{') depth_ = 1;  // only white space comes before it (the format was sniffed so)
          continue;
        }
        if (str_.inside(c)) {
          if (c == '\n') return true;  // JSON strings hold no raw newline
          continue;
        }
        if (c == '"')
          str_.in_string = true;
        else if (c == '{' || c == '[')
          ++depth_;
        else if ((c == '}' || c == ']') && --depth_ == 0)
          closed_ = true;
        continue;
      }
      // After the first value only what trim_space() cuts from the end may follow: ASCII space, U+00A0.
      if (c == ' ' || (c >= '\t' && c <= '\r')) continue;
      if (c == '\xC2' && pos_ + 1 == text.size()) return false;  // half a U+00A0: wait for the rest
      if (c == '\xC2' && text[pos_ + 1] == '\xA0') {
        ++pos_;
        continue;
      }
      return true;
    }
    return false;
  }

 private:
  size_t pos_ = 0;
  size_t depth_ = 0;
  bool closed_ = false;
  JsonStringState str_;
};

/// The format of an input once its first non-blank character is known: text, JSON Lines or a JSON document.
/// std::nullopt while `text` (decoded, possibly only a first part) is all white space and more may follow.
std::optional<Format> resolved_format(Format by_name, std::string_view text, bool complete) {
  if (by_name == Format::kText || by_name == Format::kJsonLines || by_name == Format::kHtml) return by_name;
  std::string_view t = trim_space(text);
  if (t.empty() && !complete) return std::nullopt;
  char first = t.empty() ? '\0' : t.front();
  if (first == '[') return Format::kJson;
  if (first == '{') return by_name == Format::kJson ? Format::kJson : Format::kJsonLines;
  if (by_name == Format::kJson) return Format::kJsonLines;  // let the line reader report it
  return Format::kText;
}

/// Everything needed to turn one input's bytes into articles.
struct Input {
  std::string display;  // path as given, for Article::path and diagnostics
  std::string record_path;  // Article::path when not `display` (archive root: the real absolute path)
  std::string id;       // the file's id (relative path)
  Format format = Format::kSniff;
  MetadataOverrides sidecar;  // plain text only
  fs::path sidecar_of;        // streamed: read `sidecar` for this file once its first bytes are read
  const MetadataOverrides* manifest = nullptr;
};

class Reader {
 public:
  Reader(const ReadOptions& options, const ArticleSink& sink, std::vector<Diagnostic>& diagnostics)
      : options_(options), sink_(sink), diagnostics_(diagnostics) {}

  /// The whole-buffer path: all of the input's bytes in memory.
  void read(std::string_view bytes, const Input& input) {
    read_whole_buffer(bytes, input);
    report_overflow(input.display);
  }

  void read_stream(Source& raw, Input input) {
    std::string display = input.display;
    read_streamed(raw, std::move(input));
    report_overflow(display);
  }

 private:
  void read_whole_buffer(std::string_view bytes, const Input& input) {
    Problems problems(input.display, diagnostics_, &overflow_);
    std::string inflated;
    if (is_gzip(bytes)) {
      std::string error;
      auto out = gunzip(bytes, error);
      if (!out) {
        problems.skip(0, error);
        return;
      }
      inflated = std::move(*out);
      bytes = inflated;
    } else if (ends_with(ascii::lower(input.display), ".gz")) {
      problems.skip(0, "corrupt gzip: not in gzip format");
      return;
    }
    read_plain(bytes, input, problems);
  }

  /// The streaming path: JSON Lines are cut into records as they arrive, holding one chunk and one line
  /// (at most max_record_bytes + 1) at a time; anything else is read whole and handed to read_plain(), as
  /// read() does. What it gives equals read()'s on the same bytes, except (reader.h) that the charset is
  /// decided on the first 64 KiB, that an error after the first 64 KiB (corrupt gzip, read error) comes
  /// after the records before it, and that a JSON document read whole has a size limit.
  void read_streamed(Source& raw, Input input) {
    Problems problems(input.display, diagnostics_, &overflow_);
    std::string bytes;  // the input's first bytes, decompressed: kept until the format is known
    while (bytes.size() < 2 && raw.read(bytes, kChunkBytes) > 0) {
    }
    if (!raw.error().empty()) {
      problems.skip(0, raw.error());
      return;
    }
    // The sidecar is read once the file proved readable, before its content is looked at (as read_file()
    // always did).
    if (!input.sidecar_of.empty()) input.sidecar = read_sidecar(input.sidecar_of, diagnostics_, overflow_);
    std::unique_ptr<GunzipSource> gz;
    Source* src = &raw;
    if (is_gzip(bytes)) {
      gz = std::make_unique<GunzipSource>(raw, std::move(bytes));
      bytes.clear();
      src = gz.get();
    } else if (ends_with(ascii::lower(input.display), ".gz")) {
      problems.skip(0, "corrupt gzip: not in gzip format");
      return;
    }
    bool eof = false;
    auto more = [&](std::string& into) {
      size_t n = src->read(into, kChunkBytes);
      eof = n == 0;
      return n;
    };
    auto failed = [&] {
      if (src->error().empty()) return false;
      problems.skip(0, src->error());
      return true;
    };
    // An input that ends within the probe window is read whole: exactly read()'s result.
    while (!eof && bytes.size() < kUtf8Bom.size() + kProbeBytes) more(bytes);
    if (failed()) return;
    if (input.format == Format::kHtml) {  // read whole, up to the per-article bound
      while (!eof && bytes.size() <= options_.max_record_bytes) more(bytes);
      if (!failed()) read_plain(bytes, input, problems);
      return;
    }
    size_t first_diagnostic = diagnostics_.size();
    // Plain text (`text`) or a JSON array, read whole: at most `limit` bytes. Past it reading stops (a .gz
    // is inflated no further) and the input is skipped.
    auto read_whole = [&](size_t limit, bool text) {
      while (!eof && bytes.size() <= limit) more(bytes);
      if (failed()) return;
      if (bytes.size() <= limit) {
        read_plain(bytes, input, problems);
      } else if (text) {
        problems.skip(0, is_binary_head(bytes) ? "binary file" : article_too_large());
      } else {
        problems.skip(0, "JSON document larger than " + std::to_string(options_.max_json_document_bytes) +
                             " bytes: not read (JSON Lines of any size are read record by record)");
      }
    };
    if (eof) {
      read_plain(bytes, input, problems);
      return;
    }
    if (input.format == Format::kText) {
      read_whole(options_.max_record_bytes, true);
      return;
    }
    if (gz) gz->set_limit(SIZE_MAX);  // streamed: no size limit (but not when read whole)

    size_t skip = 0;  // byte order marks
    std::unique_ptr<Decoder> decoder = make_decoder(bytes, problems, skip);
    if (!decoder) return;
    std::string text;  // decoded, not yet cut into lines
    decoder->decode(std::string_view(bytes).substr(skip), false, text);
    size_t decoded = bytes.size();
    auto decode_more = [&] {
      if (more(bytes) == 0) return false;
      decoder->decode(std::string_view(bytes).substr(decoded), false, text);
      decoded = bytes.size();
      return true;
    };
    std::optional<Format> format;
    // Only white space so far: past the article limit it is decided as if the input ended there (text, or
    // JSON Lines for a .json), so an endless blank input is not held.
    while (!(format = resolved_format(input.format, text, eof)) && text.size() <= options_.max_record_bytes &&
           decode_more()) {
    }
    if (failed()) return;
    if (!format) format = resolved_format(input.format, text, true);
    std::string_view t = trim_space(text);
    bool array = *format == Format::kJson && !t.empty() && t.front() == '[';
    if (*format == Format::kText || array) {
      if (gz) gz->set_limit(kGunzipLimit);
      if (array)
        read_whole(options_.max_json_document_bytes, false);
      else
        read_whole(options_.max_record_bytes, true);
      return;
    }
    if (*format == Format::kJson) {
      // .json starting with '{': one object (read whole, as read() does) unless the text proves otherwise.
      FirstValueScan scan;
      while (!scan.not_one_value(text) && text.size() <= options_.max_record_bytes + kProbeBytes &&
             decode_more()) {
      }
      if (failed()) return;
      if (eof && !scan.not_one_value(text)) {
        read_plain(bytes, input, problems);
        return;
      }
    }
    std::string().swap(bytes);  // JSON Lines from here on: the raw bytes are no longer needed

    bool blank = true;
    LineSplitter lines(options_.max_record_bytes, [&](size_t line_no, std::string_view line, bool too_long) {
      if (too_long) {
        blank = false;
        problems.skip(line_no, record_too_long());
        return;
      }
      if (trim_space(line).empty()) return;
      blank = false;
      parse_record(line, line_no, input, problems);
    });
    lines.feed(text);
    std::string().swap(text);  // it may have held a first record of a .json; chunks are smaller
    std::string chunk;
    while (!eof) {
      chunk.clear();
      text.clear();
      if (more(chunk) == 0) break;
      decoder->decode(chunk, false, text);
      lines.feed(text);
    }
    if (failed()) {
      // Records before the error were handed on; the line it cut short is dropped.
    } else {
      text.clear();
      decoder->decode({}, true, text);
      lines.feed(text);
      lines.finish();
      if (blank) {
        problems.skip(0, "empty");
        return;
      }
    }
    if (std::string note = decoder->note(); !note.empty() && !blank) {
      // read() says it before the records' problems: the same place, now that it is known (unless the
      // caller took Diagnostics out of the vector meanwhile).
      first_diagnostic = std::min(first_diagnostic, diagnostics_.size());
      diagnostics_.insert(diagnostics_.begin() + static_cast<std::ptrdiff_t>(first_diagnostic),
                          Diagnostic{input.display, 0, std::move(note), false});
      // It is the first one listed there: past ReadOptions::max_diagnostics, the last one listed makes room.
      if (overflow_.listed++ >= overflow_.limit) {
        ++(diagnostics_.back().skipped ? overflow_.skipped : overflow_.warnings);
        diagnostics_.pop_back();
      }
    }
  }

 private:
  static bool is_utf16_bom(std::string_view b) {
    return b.size() >= 2 && ((b[0] == '\xFF' && b[1] == '\xFE') || (b[0] == '\xFE' && b[1] == '\xFF'));
  }

  /// How a streamed input is decoded, decided on its first bytes (`head`, at least the probe window) as
  /// decode_text() decides on the whole input. Null (and a Diagnostic) for a binary input.
  /// `skip` is set to the length of the byte order mark(s) the decoder is not to see.
  std::unique_ptr<Decoder> make_decoder(std::string_view head, Problems& problems, size_t& skip) const {
    size_t bom = head.compare(0, kUtf8Bom.size(), kUtf8Bom) == 0 ? kUtf8Bom.size() : 0;
    skip = bom;
    std::string_view after = head.substr(bom);
    if (is_utf16_bom(after)) {
      auto d = std::make_unique<IcuDecoder>(after[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE", 100);
      if (d->ok()) {
        skip += 2;
        return d;
      }
    }
    // decode_text() on the window: the same sample it takes from a whole input (binary check, ucsdet).
    DecodedText probe = decode_text(head.substr(0, bom + kProbeBytes));
    if (probe.status == TextStatus::kBinary) {
      problems.skip(0, "binary file");
      return nullptr;
    }
    if (probe.status == TextStatus::kConverted) {
      // A UTF-8 sequence cut by the window's end is not evidence of another charset.
      std::string_view window = head.substr(0, bom + kProbeBytes);
      size_t cut = incomplete_utf8_tail(window);
      if (cut > 0 && decode_text(window.substr(0, window.size() - cut)).status != TextStatus::kConverted)
        return std::make_unique<Utf8Decoder>();
      auto d = std::make_unique<IcuDecoder>(probe.charset, probe.confidence);
      if (d->ok()) return d;
    }
    return std::make_unique<Utf8Decoder>();
  }

  std::string record_too_long() const {
    return "record longer than " + std::to_string(options_.max_record_bytes) + " bytes; not read";
  }

  std::string article_too_large() const {
    return "article larger than " + size_label(options_.max_record_bytes) + " (skipped)";
  }

  std::string too_many_passages() const {
    return "article cut into more than " + std::to_string(options_.max_passages) + " passages (skipped)";
  }

  /// Would decode_text() call an input starting with `head` binary? It decides on the first bytes only.
  static bool is_binary_head(std::string_view head) {
    std::string_view window = head.substr(0, kUtf8Bom.size() + kProbeBytes);
    std::string_view after = window.substr(window.compare(0, kUtf8Bom.size(), kUtf8Bom) == 0 ? 3 : 0);
    if (is_utf16_bom(after)) return false;  // UTF-16 text is full of NUL bytes
    return decode_text(window).status == TextStatus::kBinary;
  }

  /// Decoded bytes (gzip already inflated) to articles: text, JSON Lines or a JSON document.
  void read_plain(std::string_view bytes, const Input& input, Problems& problems) {
    if (input.format == Format::kHtml || (input.format == Format::kSniff && looks_like_html(bytes))) {
      read_html(bytes, input, problems);
      return;
    }
    DecodedText decoded = decode_text(bytes);
    if (decoded.status == TextStatus::kBinary) {
      problems.skip(0, "binary file");
      return;
    }
    Format format = *resolved_format(input.format, decoded.text, true);
    if (format == Format::kText && bytes.size() > options_.max_record_bytes) {
      problems.skip(0, article_too_large());  // as the streaming path, which stops reading there
      return;
    }
    switch (decoded.status) {
      case TextStatus::kBinary:
        return;
      case TextStatus::kEmpty:
        problems.skip(0, "empty");
        return;
      case TextStatus::kRepaired:
      case TextStatus::kConverted:
        problems.warn(0, decoded.describe());
        break;
      case TextStatus::kUtf8:
        break;
    }
    switch (format) {
      case Format::kText:
        read_text(bytes, decoded.text, input, problems);
        break;
      case Format::kJsonLines:
        read_json_lines(decoded.text, input, problems);
        break;
      case Format::kJson:
        read_json(decoded.text, input, problems);
        break;
      case Format::kSniff:
      case Format::kHtml:  // (read_html() above)
        break;
    }
  }

  MetadataOverrides merged(const Input& input) const {
    MetadataOverrides all = input.sidecar;
    if (input.manifest != nullptr)
      for (const auto& [k, v] : *input.manifest) all[k] = v;
    return all;
  }

  void read_text(std::string_view raw, const std::string& text, const Input& input, Problems& problems) {
    Article a = parse_text_article(text, input.id,
                                   input.record_path.empty() ? input.display : input.record_path,
                                   options_.max_passage_bytes);
    MetadataOverrides overrides = merged(input);
    apply_overrides(a, input.sidecar, problems, 0, "sidecar", true);
    if (input.manifest != nullptr) apply_overrides(a, *input.manifest, problems, 0, "manifest", true);
    if (a.passages.empty()) {
      problems.skip(0, "no article text (only a title, captions or page furniture)");
      return;
    }
    if (a.passages.size() > options_.max_passages) {
      problems.skip(0, too_many_passages());
      return;
    }
    a.content_hash = content_hash(raw, overrides, options_.max_passage_bytes);
    sink_(std::move(a));
  }

  /// A saved web page (raw bytes: html.h decides the charset): metadata by trust, then main content.
  void read_html(std::string_view raw, const Input& input, Problems& problems) {
    if (raw.size() > options_.max_record_bytes) {
      problems.skip(0, "HTML document larger than " + std::to_string(options_.max_record_bytes) +
                           " bytes; not read");
      return;
    }
    HtmlPage page = parse_html(raw);
    if (!page.charset_note.empty()) problems.warn(0, page.charset_note);
    Article a = html_article(page, {}, input.id, input.display, options_.max_passage_bytes);
    apply_overrides(a, input.sidecar, problems, 0, "sidecar", true);
    if (input.manifest != nullptr) apply_overrides(a, *input.manifest, problems, 0, "manifest", true);
    mark_sources(a, input.sidecar, "sidecar");
    if (input.manifest != nullptr) mark_sources(a, *input.manifest, "manifest");
    if (a.passages.empty()) {
      problems.skip(0, "no article text (only a title, captions or page furniture)");
      return;
    }
    a.content_hash = content_hash(raw, merged(input), options_.max_passage_bytes);
    sink_(std::move(a));
  }

  void read_json_lines(std::string_view text, const Input& input, Problems& problems) {
    size_t line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (trim_space(line).empty()) continue;
      parse_record(line, line_no, input, problems);
    }
  }

  void read_json(std::string_view text, const Input& input, Problems& problems) {
    std::string_view t = trim_space(text);
    if (!t.empty() && t.front() == '{') {
      // One record object (possibly pretty-printed over many lines), else JSON Lines.
      if (json_depth(t, kMaxJsonDepth) <= kMaxJsonDepth && json::accept(t)) {
        parse_record(t, 1 + static_cast<size_t>(std::count(text.data(), t.data(), '\n')), input, problems);
      } else {
        read_json_lines(text, input, problems);
      }
      return;
    }
    // A top-level array: find each element's bytes without parsing, so one bad or deep record is reported
    // with its line and the others are still read.
    size_t start = static_cast<size_t>(t.data() - text.data());
    size_t line_no = 1 + static_cast<size_t>(std::count(text.data(), text.data() + start, '\n'));
    size_t depth = 0;
    JsonStringState str;
    bool closed = false;
    size_t elem_begin = std::string_view::npos, elem_line = line_no;
    auto finish = [&](size_t end) {
      if (elem_begin == std::string_view::npos) return;
      std::string_view elem = trim_space(text.substr(elem_begin, end - elem_begin));
      if (!elem.empty()) parse_record(elem, elem_line, input, problems);
      elem_begin = std::string_view::npos;
    };
    for (size_t i = start; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n') ++line_no;
      if (str.inside(c)) continue;
      bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      if (depth == 1 && elem_begin == std::string_view::npos && !space && c != ',' && c != ']') {
        elem_begin = i;
        elem_line = line_no;
      }
      if (c == '"') {
        str.in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (depth == 0) break;
        if (--depth == 0) {
          finish(i);
          closed = true;
          std::string_view rest = trim_space(text.substr(i + 1));
          if (!rest.empty()) problems.skip(line_no, "malformed JSON: unexpected data after the closing ']'");
          break;
        }
      } else if (c == ',' && depth == 1) {
        finish(i);
      }
    }
    if (!closed) {
      finish(text.size());  // the last element gets its own error message
      problems.skip(line_no, "malformed JSON: unterminated array (missing ']')");
    }
  }

  /// One JSON record (a JSON Lines line or an array element) to an Article.
  void parse_record(std::string_view bytes, size_t line_no, const Input& input, Problems& problems) {
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    if (bytes.size() > options_.max_record_bytes) {
      problems.skip(line_no, record_too_long());
      return;
    }
    if (json_depth(bytes, kMaxJsonDepth) > kMaxJsonDepth) {
      problems.skip(line_no,
                    "malformed JSON: nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
      return;
    }
    json j;
    try {
      j = json::parse(bytes);
    } catch (const std::exception& e) {
      problems.skip(line_no, "malformed JSON: " + json_error(e));
      return;
    }
    if (!j.is_object()) {
      problems.skip(line_no, std::string("not a JSON object (") + j.type_name() + ")");
      return;
    }
    auto field = [&](std::initializer_list<const char*> names) -> const json* {
      for (const char* n : names) {
        auto it = j.find(n);
        if (it != j.end() && !it->is_null()) return &*it;
      }
      return nullptr;
    };
    auto string_field = [&](std::initializer_list<const char*> names,
                            const char* label) -> std::optional<std::string> {
      const json* v = field(names);
      if (v == nullptr) return std::nullopt;
      if (auto s = override_value(*v)) return s;
      problems.warn(line_no, std::string("field \"") + label + "\" has an unusable type (" + v->type_name() +
                                 "); ignored");
      return std::nullopt;
    };

    // Text: a string, or an array of paragraph strings; or a saved page in "html" (or HTML in "text").
    std::string text;
    const json* tv = field({"text", "body", "content"});
    const json* hv = field({"html", "raw_html"});
    if (hv != nullptr && hv->is_string() && (tv == nullptr || !tv->is_string() || tv->get<std::string>().empty()))
      tv = hv;
    std::optional<Article> from_html;
    if (tv != nullptr && tv->is_string() && (tv == hv || looks_like_html(tv->get_ref<const std::string&>()))) {
      HtmlPage page = parse_html(tv->get_ref<const std::string&>(), {"UTF-8", "", ""});
      from_html = html_article(page, {}, "", "", options_.max_passage_bytes);
    }
    if (tv == nullptr) {
      problems.skip(line_no, "record has no text (no \"text\" or \"body\" field)");
      return;
    }
    if (from_html) {
      // Passages and metadata from the page; the record's own fields below win over the page's.
    } else if (tv->is_string()) {
      text = tv->get<std::string>();
    } else if (tv->is_array() &&
               std::all_of(tv->begin(), tv->end(), [](const json& e) { return e.is_string(); })) {
      for (const auto& e : *tv) {
        if (!text.empty()) text += "\n\n";
        text += e.get<std::string>();
      }
    } else {
      problems.skip(line_no, std::string("field \"text\" is not a string (") + tv->type_name() + ")");
      return;
    }

    Article a;
    if (from_html) a = std::move(*from_html);
    const Article page_fields = a;  // what the page said, before the record's fields
    a.path = (input.record_path.empty() ? input.display : input.record_path) + ":" + std::to_string(line_no);
    const json* idv = field({"id", "_id"});
    if (idv != nullptr && idv->is_string() && !trim_space(idv->get<std::string>()).empty()) {
      a.id = std::string(trim_space(idv->get<std::string>()));
    } else if (idv != nullptr && (idv->is_number_integer() || idv->is_number_unsigned())) {
      a.id = idv->dump();
    } else {
      if (idv != nullptr)
        problems.warn(line_no, "field \"id\" is not a string or integer; id made from the line");
      a.id = input.id + ":" + std::to_string(line_no);
    }
    if (options_.skip_record && options_.skip_record(a.id)) return;  // another shard's record
    if (auto v = string_field({"title", "headline"}, "title"))
      set_field(a, "title", *v, problems, line_no, "record");
    if (auto v = string_field({"subtitle", "deck"}, "subtitle"))
      set_field(a, "subtitle", *v, problems, line_no, "record");
    if (auto v = string_field({"outlet", "source", "publisher"}, "outlet"))
      set_field(a, "outlet", *v, problems, line_no, "record");
    if (auto v = string_field({"author", "authors", "byline"}, "author"))
      set_field(a, "author", *v, problems, line_no, "record");
    if (auto v = string_field({"url", "link"}, "url")) set_field(a, "url", *v, problems, line_no, "record");
    if (auto v = string_field({"language", "lang"}, "language"))
      set_field(a, "language", *v, problems, line_no, "record");
    if (const json* dv = field({"date", "published", "published_at", "pubdate"})) {
      if (dv->is_string()) {
        set_field(a, "date", dv->get<std::string>(), problems, line_no, "record");
      } else if (dv->is_number_integer() || dv->is_number_unsigned()) {
        // Unix time: seconds, or milliseconds when it is too large to be seconds of this era.
        auto t = dv->get<int64_t>();
        if (t > 100'000'000'000LL || t < -100'000'000'000LL) t /= 1000;
        std::string iso = civil_date(t);
        if (auto ok = parse_date(iso))
          a.date = *ok;
        else
          problems.warn(line_no, "record date " + dv->dump() + " is out of range; date left unknown");
      } else {
        problems.warn(line_no,
                      std::string("field \"date\" has an unusable type (") + dv->type_name() + "); ignored");
      }
    }

    if (!from_html) a.passages = split_passages(text, PassageOptions{options_.max_passage_bytes, 0});
    if (a.passages.size() > options_.max_passages) {
      problems.skip(line_no, too_many_passages());
      return;
    }
    if (input.manifest != nullptr) {
      bool has_id = input.manifest->count("id") != 0;
      if (has_id && !warned_manifest_id_) {
        problems.warn(0, "manifest \"id\" ignored for a file of many records");
        warned_manifest_id_ = true;
      }
      apply_overrides(a, *input.manifest, problems, line_no, "manifest", false);
    }
    if (a.passages.empty()) {
      problems.skip(line_no, "record has no article text");
      return;
    }
    if (from_html) {
      // The record's own fields win over the page's markup.
      auto mark = [&](const char* f, const std::optional<std::string>& before, const std::optional<std::string>& now) {
        if (before != now) a.sources[f] = "record";
      };
      mark("title", page_fields.title, a.title);
      mark("subtitle", page_fields.subtitle, a.subtitle);
      mark("outlet", page_fields.outlet, a.outlet);
      mark("date", page_fields.date, a.date);
      mark("author", page_fields.author, a.author);
      mark("url", page_fields.url, a.url);
      mark("language", page_fields.language, a.language);
    } else {
      attribute_speakers(a.passages, excluded_speakers(a));  // (a page's speakers are attributed by html_article())
    }
    a.content_hash = content_hash(bytes, input.manifest != nullptr ? *input.manifest : MetadataOverrides{},
                                  options_.max_passage_bytes);
    sink_(std::move(a));
  }

  /// One Diagnostic for the problems past ReadOptions::max_diagnostics, if any (a skip if any was one).
  void report_overflow(const std::string& display) {
    size_t more = overflow_.skipped + overflow_.warnings;
    if (more == 0) return;
    diagnostics_.push_back(Diagnostic{display, 0,
                                      std::to_string(more) + " more problems not listed (" +
                                          std::to_string(overflow_.skipped) + " of them skipped records)",
                                      overflow_.skipped > 0});
  }

  const ReadOptions& options_;
  const ArticleSink& sink_;
  std::vector<Diagnostic>& diagnostics_;
  Overflow overflow_{options_.max_diagnostics};
  bool warned_manifest_id_ = false;
};

std::string file_id(const fs::path& file, const fs::path& root, bool archive_root) {
  // Control characters and invalid UTF-8 in a file name are escaped as \xNN (articles/ids.h).
  if (archive_root) {
    // Not how or from where the path was typed: the real path, relative to the archive root.
    std::error_code ec;
    fs::path real = fs::weakly_canonical(fs::absolute(file, ec), ec);
    if (ec) real = manifest_key(file);
    const std::string rel = real.lexically_relative(root).generic_string();
    if (rel.empty() || rel == "." || rel.rfind("..", 0) == 0) return escape_id_bytes(real.generic_string());
    return escape_id_bytes(rel);
  }
  if (root.empty()) return escape_id_bytes(file.generic_string());
  fs::path rel = manifest_key(file).lexically_relative(manifest_key(root));
  std::string s = rel.generic_string();
  if (s.empty() || s == "." || s.rfind("..", 0) == 0) return escape_id_bytes(file.generic_string());
  return escape_id_bytes(s);
}

}  // namespace

Headline extract_headline(std::string_view utf8) {
  Headline h;
  PageLayout page = analyse_page(utf8);
  if (!page.title) return h;
  h.title = page.title_text;
  size_t last = page.subtitle ? *page.subtitle : *page.title;
  if (page.subtitle) h.subtitle = tidy(page.lines[*page.subtitle].text);
  h.body_begin = page.lines[last].begin + page.lines[last].text.size();
  return h;
}

Article parse_text_article(std::string_view utf8, std::string id, std::string path,
                           size_t max_passage_bytes) {
  Article a = extract_text_article(utf8, TextHints{}, max_passage_bytes);
  a.id = std::move(id);
  a.path = std::move(path);
  a.content_hash = content_hash(utf8, {}, max_passage_bytes);
  return a;
}

void read_buffer(std::string_view bytes, std::string_view name, const ReadOptions& options,
                 const ArticleSink& sink, std::vector<Diagnostic>& diagnostics) {
  Input input;
  input.display = std::string(name);
  input.id = std::string(name);
  input.format = Format::kSniff;
  Reader(options, sink, diagnostics).read(bytes, input);
}

uint64_t read_stream(std::FILE* in, std::string_view name, const ReadOptions& options,
                     const ArticleSink& sink, std::vector<Diagnostic>& diagnostics) {
  Input input;
  input.display = std::string(name);
  input.id = std::string(name);
  input.format = Format::kSniff;
  FileSource source(in, options.bytes_read);
  Reader(options, sink, diagnostics).read_stream(source, std::move(input));
  return source.bytes();
}

void read_file(const fs::path& file, const ReadOptions& options, const ArticleSink& sink,
               std::vector<Diagnostic>& diagnostics) {
  Problems problems(file.string(), diagnostics);
  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    problems.skip(0, "is a directory");
    return;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!f) {
    problems.skip(0, std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  if (is_warc_file_name(file.filename().string())) {
    std::FILE* fp = f.get();
    read_warc_articles(
        [fp](char* buf, size_t n, std::string& error) {
          size_t got = std::fread(buf, 1, n, fp);
          if (got == 0 && std::ferror(fp)) error = std::string("cannot read: ") + std::strerror(errno);
          return got;
        },
        file.string(), options, sink, diagnostics);
    return;
  }
  Input input;
  input.display = file.string();
  input.id = file_id(file, options.id_root, options.archive_root);
  if (options.archive_root) {
    // The stored path (part of the article's hash) must not depend on how the path was typed either.
    std::error_code real_ec;
    fs::path real = fs::weakly_canonical(fs::absolute(file, real_ec), real_ec);
    if (!real_ec) input.record_path = real.string();
  }
  input.format = format_of(file);
  if (input.format == Format::kText || input.format == Format::kSniff || input.format == Format::kHtml)
    input.sidecar_of = file;
  if (options.manifest != nullptr) {
    auto it = options.manifest->by_path.find(manifest_key(file).string());
    if (it != options.manifest->by_path.end()) input.manifest = &it->second;
  }
  FileSource source(f.get(), options.bytes_read);
  Reader(options, sink, diagnostics).read_stream(source, std::move(input));
}

Manifest read_manifest(const fs::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), std::fclose);
  if (!f) throw std::runtime_error(file.string() + ":0: cannot open manifest: " + std::strerror(errno));
  Manifest m;
  fs::path base = file.parent_path();
  size_t line_no = 0;
  auto fail = [&](const std::string& reason) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line_no) + ": " + reason);
  };
  auto parse_line = [&](std::string& line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (trim_space(line).empty()) return;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (json_depth(line, kMaxJsonDepth) > kMaxJsonDepth) fail("malformed JSON: nested too deeply");
    json j;
    try {
      j = json::parse(line);
    } catch (const std::exception& e) {
      fail("malformed JSON: " + json_error(e));
    }
    if (!j.is_object()) fail("not a JSON object");
    auto p = j.find("path");
    if (p == j.end() || !p->is_string() || p->get<std::string>().empty()) fail("missing \"path\"");
    fs::path target = p->get<std::string>();
    if (target.is_relative()) target = base / target;
    std::string key = manifest_key(target).string();
    if (m.by_path.count(key) != 0) fail("duplicate path \"" + p->get<std::string>() + "\"");
    MetadataOverrides overrides;
    for (const auto& [k, v] : j.items()) {
      if (k == "path") continue;
      if (kOverrideFields.count(k) == 0) fail("unknown field \"" + k + "\"");
      auto value = override_value(v);
      if (!value) fail("field \"" + k + "\" must be a string, number, null or array of strings");
      overrides[k] = *value;
    }
    m.by_path[key] = std::move(overrides);
  };
  // Read in chunks, line by line: neither an endless line (/dev/zero) nor an endless file is held.
  FileSource source(f.get());
  std::string chunk, line;
  uint64_t total = 0;
  while (source.read(chunk, kChunkBytes) > 0) {
    total += chunk.size();
    if (total > kMaxManifestBytes)
      fail("manifest larger than " + size_label(kMaxManifestBytes) +
           "; not read (split it, or use sidecars)");
    size_t pos = 0;
    while (pos < chunk.size()) {
      size_t nl = chunk.find('\n', pos);
      size_t end = nl == std::string::npos ? chunk.size() : nl;
      if (line.size() + (end - pos) > kMaxManifestLineBytes + 1) {  // + 1: a '\r' before the '\n'
        ++line_no;
        fail("line longer than " + size_label(kMaxManifestLineBytes) +
             "; not a manifest line (one article's path and metadata)");
      }
      line.append(chunk, pos, end - pos);
      if (nl == std::string::npos) break;
      ++line_no;
      parse_line(line);
      line.clear();
      pos = nl + 1;
    }
    chunk.clear();
  }
  if (!source.error().empty()) fail(source.error());
  if (!line.empty()) {
    ++line_no;
    parse_line(line);
  }
  return m;
}

bool is_article_file(const fs::path& file) {
  std::string name = base_name_lower(file);
  if (ends_with(name, ".meta.json")) return false;
  return ends_with(name, ".txt") || ends_with(name, ".text") || ends_with(name, ".jsonl") ||
         ends_with(name, ".ndjson") || ends_with(name, ".json") || ends_with(name, ".html") ||
         ends_with(name, ".htm") || ends_with(name, ".xhtml") || ends_with(name, ".warc");
}

}  // namespace dateline
