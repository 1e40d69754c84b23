/** @file
 *  @brief Web archives (WARC 1.0/1.1, plain or gzip, one member per record) to HTML records and articles.
 *
 *  Streamed: the reader holds one read chunk, one inflate window and at most one record's payload (bounded
 *  by WarcOptions::max_payload_bytes) at a time, whatever the size of the archive.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"
#include "articles/reader.h"

namespace dateline {

/// One HTML page stored in an archive: a `response` (HTTP status 2xx, transfer and content coding undone)
/// or a `resource` record whose content type is HTML (or, when none is given, whose bytes look like HTML).
struct WarcRecord {
  size_t number = 0;         ///< 1-based position of the record in the archive
  std::string type;          ///< "response" or "resource"
  std::string target_uri;    ///< WARC-Target-URI (angle brackets removed)
  std::string date;          ///< WARC-Date as written ("2019-11-19T12:34:56Z")
  std::string content_type;  ///< the payload's Content-Type (HTTP header, else the WARC header)
  std::string payload;       ///< the page's bytes
};

/// What a pass over an archive found, beside the HTML records handed on.
struct WarcStats {
  uint64_t records = 0;       ///< WARC records read (all types)
  uint64_t html = 0;          ///< HTML records handed on
  uint64_t revisits = 0;      ///< `revisit` records (no payload of their own): skipped
  uint64_t not_html = 0;      ///< responses/resources of other content types: skipped
  uint64_t not_ok = 0;        ///< responses with a status other than 2xx (redirects, errors): skipped
  uint64_t oversized = 0;     ///< payloads over the size bound: skipped with a Diagnostic
  uint64_t input_bytes = 0;   ///< bytes read from the source (compressed size for .warc.gz)
  std::map<std::string, uint64_t> skipped_types;  ///< content type -> records skipped as not HTML
};

struct WarcOptions {
  size_t max_payload_bytes = size_t{32} << 20;  ///< larger pages are skipped (a Diagnostic each)
};

/// Reads up to `n` bytes into `buf`; returns how many, 0 at the end. Sets `error` (one line) on a read error.
using ByteReader = std::function<size_t(char* buf, size_t n, std::string& error)>;

/// Reads an archive from `read` (gzip recognised by its magic number; a .warc.gz holds one gzip member per
/// record, any number of members are read in turn), calling `on_html` for each HTML record. Problems go to
/// `diagnostics` with `name` and the record number as the line: a malformed header, a truncated record or
/// corrupt gzip end the reading (records before were handed on); an undecodable payload (unknown content
/// coding, bad chunking, corrupt gzip body) skips its record only. Never throws for bad content.
WarcStats read_warc(const ByteReader& read, std::string_view name, const WarcOptions& options,
                    const std::function<void(WarcRecord&&)>& on_html, std::vector<Diagnostic>& diagnostics);

/// read_warc() turning each HTML record into an Article (html.h): id and URL are the WARC-Target-URI (stable
/// across re-runs), path is "NAME:RECORD", WARC-Date bounds the publication date, the HTTP charset comes
/// before the page's own. Records without article text are skipped with a Diagnostic. When records were
/// skipped for their type or status, one warning (line 0) counts them.
WarcStats read_warc_articles(const ByteReader& read, std::string_view name, const ReadOptions& options,
                             const ArticleSink& sink, std::vector<Diagnostic>& diagnostics);

/// Does the file name say WARC (.warc, .warc.gz, case ignored)?
bool is_warc_file_name(std::string_view file_name);

}  // namespace dateline
