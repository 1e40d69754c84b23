/** @file
 *  @brief Reads input files (plain text, JSON Lines, .gz of either, sidecar/manifest metadata) into Articles.
 */
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "articles/article.h"

namespace dateline {

/// Metadata overrides for one article, from a sidecar NAME.meta.json or a manifest: field -> value
/// for any of id, title, subtitle, outlet, date, author, url, language.
using MetadataOverrides = std::map<std::string, std::string>;

/// A manifest: JSON Lines file, one object per article with "path" (relative to the manifest's folder,
/// or absolute) and override fields. Keyed by the path as written, made absolute/lexically normal.
struct Manifest {
  std::map<std::string, MetadataOverrides> by_path;
};

struct ReadOptions {
  std::filesystem::path id_root;       ///< ids of plain-text files are their path relative to this
  const Manifest* manifest = nullptr;  ///< optional overrides
  size_t max_passage_bytes = 1200;     ///< longer paragraphs are cut at sentence boundaries
};

using ArticleSink = std::function<void(Article&&)>;

/// Reads one file; calls `sink` for each article it holds (one for .txt, one per line for .jsonl).
/// Problems go to `diagnostics` (file, line, reason); reading goes on past a bad record.
/// Never throws for bad content; a file that cannot be opened is a Diagnostic too.
void read_file(const std::filesystem::path& file, const ReadOptions& options, const ArticleSink& sink,
               std::vector<Diagnostic>& diagnostics);

/// Same for bytes already in memory (standard input): `name` is used for ids and messages,
/// the format is sniffed from the content (JSON Lines when the first non-blank byte is '{').
void read_buffer(std::string_view bytes, std::string_view name, const ReadOptions& options,
                 const ArticleSink& sink, std::vector<Diagnostic>& diagnostics);

/// Extracts an article from the decoded UTF-8 text of a plain-text news page: title, subtitle, date,
/// outlet, author, passages with speakers. Fields the text does not state stay absent.
Article parse_text_article(std::string_view utf8, std::string id, std::string path,
                           size_t max_passage_bytes = 1200);

/// Reads a manifest file; throws std::runtime_error("FILE:LINE: reason") on a malformed one.
Manifest read_manifest(const std::filesystem::path& file);

/// Is this path an input the reader understands (.txt, .text, .jsonl, .json, .ndjson, optionally .gz)?
/// Sidecars (*.meta.json) and other files are not.
bool is_article_file(const std::filesystem::path& file);

}  // namespace dateline
