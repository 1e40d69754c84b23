/** @file
 *  @brief Opening databases safely: a glass directory by explicit backend, or a stub file Dateline parses.
 *
 *  Xapian::Database(path) auto-detects what `path` is, and a stub (a plain file, or a folder holding
 *  XAPIANDB) may say `remote :PROGRAM`, which starts PROGRAM. So Dateline never lets Xapian pick: a
 *  database directory is opened with Xapian::DB_BACKEND_GLASS, and a stub is read and checked here,
 *  line by line, before each of its shards is opened the same way. Accepted stub lines:
 *    `auto PATH`, `glass PATH`   a local glass database (relative paths from the stub's folder);
 *    `remote HOST:PORT`          a TCP shard (xapian-tcpsrv), only when the caller allows remote shards;
 *    blank lines and `#` comments.
 *  Refused: `remote :PROGRAM` (always), `inmemory`, other backends (chert, honey...), any other line, a
 *  shard that is itself a stub (no nesting, so no loops), more than kMaxStubBytes or kMaxStubShards.
 */
#pragma once

#include <xapian.h>

#include "analyzers/schema.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::database {

inline constexpr size_t kMaxStubBytes = 64 * 1024;  ///< a larger "stub" is refused unread
inline constexpr size_t kMaxStubShards = 256;       ///< shards one stub may list
inline constexpr std::string_view kStubName = "XAPIANDB";  ///< the stub file of a stub directory

/// A stub file (or a shard it names) that Dateline refuses. what() is one line naming the stub file and,
/// for a line's fault, its line number: "dateline-db/XAPIANDB:1: ...".
class StubError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One database a stub file lists.
struct Shard {
  enum class Kind { kGlass, kRemote };
  Kind kind = Kind::kGlass;
  std::string path;  ///< kGlass: the path, resolved against the stub's folder when relative
  std::string host;  ///< kRemote
  unsigned port = 0;
  size_t line = 0;  ///< line number in the stub file (from 1)
};

/// Parses a stub file's text; `stub_path` names it in messages and its folder anchors relative paths.
/// Throws StubError for the first line refused (remote shards refused unless `allow_remote`), or when
/// the text is too large, holds a NUL byte, or lists no shard.
std::vector<Shard> parse_stub(std::string_view text, const std::string& stub_path, bool allow_remote);

/// What a database path holds.
enum class Layout {
  kMissing,   ///< nothing there
  kGlass,     ///< a directory with iamglass
  kStubDir,   ///< a directory with XAPIANDB and no iamglass
  kStubFile,  ///< a regular file (Xapian would read it as a stub)
  kOther,     ///< a directory that is neither, or something else (device, fifo)
};
Layout layout(const std::string& path);

/// The stub file a path stands for (PATH/XAPIANDB for kStubDir, PATH for kStubFile).
std::string stub_file(const std::string& path, Layout l);

/// Reads a stub file (at most kMaxStubBytes) and parses it. Throws StubError.
std::vector<Shard> read_stub(const std::string& stub_path, bool allow_remote);

/// How open_for_reading() treats stubs.
struct OpenOptions {
  bool allow_remote = false;              ///< accept `remote HOST:PORT` shards
  unsigned remote_timeout_ms = 10'000;    ///< per remote operation, and for connecting
  /// A shard that cannot be opened (a server down, a folder missing) is left out and named in
  /// OpenedDatabase::missing instead of failing the whole open; at least one shard must open.
  bool allow_partial = false;
};

/// Opens `path` for reading: a glass directory, or the shards of a stub (file or directory) that
/// parse_stub() accepts, each opened as glass (or over TCP). Throws StubError for a refused stub or
/// shard, Xapian::DatabaseNotFoundError when `path` holds no database, other Xapian errors as they come.
Xapian::Database open_for_reading(const std::string& path, const OpenOptions& options = {});

/// One shard of a stub (or the one database of a glass directory), opened on its own.
struct OpenedShard {
  Shard shard;
  std::string name;  ///< "HOST:PORT" of a remote shard, else its path
  std::string where; ///< "STUB:LINE: " for a stub's shard, "" for a glass directory
  std::optional<Xapian::Database> db;  ///< unset when it could not be opened
  std::string error;                   ///< why not: one line, without `where`
};

/// Opens `path` shard by shard: a glass directory gives one entry, a stub one per line. A shard that
/// cannot be opened (no database there, a remote server down or slower than the timeout) gets its
/// error, the others are still opened. Throws StubError only for a refused stub (as parse_stub()),
/// Xapian::DatabaseNotFoundError when `path` holds no database.
std::vector<OpenedShard> open_shards(const std::string& path, const OpenOptions& options = {});

/// Refuses shards that a search cannot treat as one database: a shard without Dateline's stamp, or two
/// shards whose schema version or analyzer settings differ (their terms would not match one query).
/// Throws StubError naming both shards ("STUB:LINE: shard ... has ..., but shard ... has ..."). Shards
/// not opened are skipped.
void check_shards_agree(const std::vector<OpenedShard>& shards);

/// A database opened from its shards, with the shards left out (OpenOptions::allow_partial).
struct OpenedDatabase {
  Xapian::Database db;
  std::vector<OpenedShard> shards;   ///< every shard, in stub order
  std::vector<std::string> missing;  ///< names of the shards left out ("HOST:PORT" or path)
};

/// open_shards(), check_shards_agree(), then the opened shards as one Xapian::Database. A shard that
/// failed is thrown as StubError ("STUB:LINE: remote shard 127.0.0.1:4000: cannot connect (...)")
/// unless options.allow_partial, when it is named in `missing` (StubError when every shard failed).
OpenedDatabase open_database(const std::string& path, const OpenOptions& options = {});

/// Schema 2's per-kind length totals (schema::Lengths) summed over the opened shards. Xapian gives the
/// metadata of a database of several shards from the first shard alone, so schema::read_lengths() of
/// the combined database reads one shard's totals while the document counts are everyone's: a scorer
/// that weighs by them (searcher/weight.h, KindBM25Weight) must take these instead.
schema::Lengths summed_lengths(const std::vector<OpenedShard>& shards);

/// One shard as `dateline-search --info` shows it.
struct ShardInfo {
  std::string name;     ///< "HOST:PORT" or path (as the stub says it, resolved)
  std::string kind;     ///< "glass" or "remote"
  bool open = false;    ///< false: `error` says why
  std::string error;
  uint64_t documents = 0;  ///< Xapian documents
  uint64_t articles = 0;   ///< article documents (documents holding schema::kKindArticle)
  int schema_version = 0;
  std::string analyzer;
};

/// --info of each shard of `path` (a stub: one per line; a glass directory: one). Never throws for a
/// shard that cannot be opened (ShardInfo::open false); throws as open_shards() for a refused stub.
std::vector<ShardInfo> shard_info(const std::string& path, const OpenOptions& options = {});

/// What identifies the database at `path` now (device, inode and change time of the directory and of
/// its version file): a different value later means it was replaced (a bulk build's swap) in between.
std::string generation(const std::string& path);

/// Throws StubError when `path` is a stub (file or directory): writers open glass directories only. The
/// message names the refused line when the stub itself is refused, else says the path is a stub.
void refuse_stub_for_writing(const std::string& path);

/// Xapian::WritableDatabase(path, flags | DB_BACKEND_GLASS) after refuse_stub_for_writing(path).
Xapian::WritableDatabase open_for_writing(const std::string& path, int flags);

}  // namespace dateline::database
