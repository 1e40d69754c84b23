/** @file
 *  @brief Reads input files (plain text, JSON Lines, .gz of either, sidecar/manifest metadata) into Articles:
 *  what format an input is and which path it takes (whole, or streamed), plain-text and HTML articles. The
 *  parts: stream.h (bytes -> gunzip -> UTF-8 -> lines), metadata.h (sidecars, manifests, override fields),
 *  records.h (JSON records), read_support.h (what they share).
 */
#include "articles/reader.h"

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

#include "articles/encoding.h"
#include "articles/html.h"
#include "articles/ids.h"
#include "articles/layout.h"
#include "articles/metadata.h"
#include "articles/passages.h"
#include "articles/read_support.h"
#include "articles/records.h"
#include "articles/stream.h"
#include "articles/warc.h"
#include "base/ascii.h"

namespace dateline {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using namespace reading;  // NOLINT: the reader's parts (stream.h, metadata.h, records.h, read_support.h)

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

// The charset of a streamed input is decided on its first 64 KiB: decode_text()'s own sample size, so an
// input that ends within it is decoded exactly as read_buffer() does (it is handed to the same code, whole).
constexpr size_t kProbeBytes = 64 * 1024;

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
    JsonRecords records(options_, sink_, record_input(input), problems);
    LineSplitter lines(options_.max_record_bytes, [&](size_t line_no, std::string_view line, bool too_long) {
      if (too_long) {
        blank = false;
        problems.skip(line_no, record_too_long(options_));
        return;
      }
      if (trim_space(line).empty()) return;
      blank = false;
      records.record(line, line_no);
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

  std::string article_too_large() const {
    return "article larger than " + size_label(options_.max_record_bytes) + " (skipped)";
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
        JsonRecords(options_, sink_, record_input(input), problems).lines(decoded.text);
        break;
      case Format::kJson:
        JsonRecords(options_, sink_, record_input(input), problems).document(decoded.text);
        break;
      case Format::kSniff:
      case Format::kHtml:  // (read_html() above)
        break;
    }
  }

  static RecordInput record_input(const Input& input) {
    const std::string& path = input.record_path.empty() ? input.display : input.record_path;
    return RecordInput{path, input.id, input.manifest};
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
      problems.skip(0, too_many_passages(options_));
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

bool is_article_file(const fs::path& file) {
  std::string name = base_name_lower(file);
  if (ends_with(name, ".meta.json")) return false;
  return ends_with(name, ".txt") || ends_with(name, ".text") || ends_with(name, ".jsonl") ||
         ends_with(name, ".ndjson") || ends_with(name, ".json") || ends_with(name, ".html") ||
         ends_with(name, ".htm") || ends_with(name, ".xhtml") || ends_with(name, ".warc");
}

}  // namespace dateline
