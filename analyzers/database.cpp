/** @file
 *  @brief Opening databases safely: glass by explicit backend, stubs parsed and checked here (database.h).
 */
#include "analyzers/database.h"

#include <sys/stat.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "analyzers/schema.h"
#include "base/ascii.h"

namespace fs = std::filesystem;

namespace dateline::database {

namespace {

using ascii::is_space;  // lines hold no '\n'
using ascii::trim;

// A word of the stub quoted for a message: at most 40 bytes (the caller's printer escapes control bytes).
std::string quoted(std::string_view s) {
  if (s.size() > 40) return "'" + std::string(s.substr(0, 40)) + "...'";
  return "'" + std::string(s) + "'";
}

bool file_exists(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// "HOST:PORT" -> shard; false when it is not that.
bool parse_host_port(std::string_view text, Shard& shard) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  for (char c : host) {
    if (is_space(c)) return false;
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535) return false;
  shard.host = std::string(host);
  shard.port = value;
  return true;
}

}  // namespace

std::vector<Shard> parse_stub(std::string_view text, const std::string& stub_path, bool allow_remote) {
  if (text.size() > kMaxStubBytes) {
    throw StubError(stub_path + ": larger than " + std::to_string(kMaxStubBytes) +
                    " bytes; not a stub file Dateline reads");
  }
  if (text.find('\0') != std::string_view::npos) {
    throw StubError(stub_path + ": holds a NUL byte; not a stub file Dateline reads");
  }
  const fs::path folder = fs::path(stub_path).parent_path();
  std::vector<Shard> shards;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t eol = text.find('\n');
    std::string_view line = trim(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty() || line.front() == '#') continue;

    const std::string where = stub_path + ":" + std::to_string(line_no) + ": ";
    size_t space = 0;
    while (space < line.size() && !is_space(line[space])) ++space;
    const std::string_view kind = line.substr(0, space);
    const std::string_view rest = trim(line.substr(space));

    Shard shard;
    shard.line = line_no;
    if (kind == "auto" || kind == "glass") {
      if (rest.empty()) throw StubError(where + "'" + std::string(kind) + "' needs a database path");
      fs::path p{std::string(rest)};
      if (p.is_relative() && !folder.empty()) p = folder / p;
      shard.kind = Shard::Kind::kGlass;
      shard.path = p.string();
    } else if (kind == "remote") {
      if (!rest.empty() && rest.front() == ':') {
        throw StubError(where + "'remote :PROGRAM' starts a program; Dateline never runs one");
      }
      if (!parse_host_port(rest, shard)) {
        throw StubError(where + "'remote' needs HOST:PORT with a port from 1 to 65535, got " + quoted(rest));
      }
      if (!allow_remote) {
        throw StubError(where + "remote shard " + quoted(rest) +
                        " refused (dateline-search --allow-remote enables TCP shards)");
      }
      shard.kind = Shard::Kind::kRemote;
    } else if (kind == "inmemory") {
      throw StubError(where + "'inmemory' databases are not supported");
    } else {
      throw StubError(where + "unsupported stub line " + quoted(kind) +
                      " (Dateline reads auto PATH, glass PATH and remote HOST:PORT lines)");
    }
    if (shards.size() == kMaxStubShards) {
      throw StubError(where + "more than " + std::to_string(kMaxStubShards) + " shards");
    }
    shards.push_back(std::move(shard));
  }
  if (shards.empty()) throw StubError(stub_path + ": a stub file that lists no database");
  return shards;
}

Layout layout(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return errno == ENOENT || errno == ENOTDIR ? Layout::kMissing : Layout::kOther;
  }
  if (S_ISREG(st.st_mode)) return Layout::kStubFile;
  if (!S_ISDIR(st.st_mode)) return Layout::kOther;
  // The same order as Xapian's own detection: a glass database wins over a stub beside it.
  if (file_exists(fs::path(path) / "iamglass")) return Layout::kGlass;
  if (file_exists(fs::path(path) / std::string(kStubName))) return Layout::kStubDir;
  return Layout::kOther;
}

std::string stub_file(const std::string& path, Layout l) {
  return l == Layout::kStubDir ? (fs::path(path) / std::string(kStubName)).string() : path;
}

std::vector<Shard> read_stub(const std::string& stub_path, bool allow_remote) {
  std::ifstream in(stub_path, std::ios::binary);
  if (!in) throw StubError(stub_path + ": cannot read the stub file (" + std::strerror(errno) + ")");
  std::string text(kMaxStubBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) throw StubError(stub_path + ": cannot read the stub file");
  text.resize(static_cast<size_t>(in.gcount()));
  return parse_stub(text, stub_path, allow_remote);
}

std::vector<OpenedShard> open_shards(const std::string& path, const OpenOptions& options) {
  const Layout l = layout(path);
  switch (l) {
    case Layout::kGlass: {
      OpenedShard one;
      one.shard.path = path;
      one.name = path;
      one.db = Xapian::Database(path, Xapian::DB_BACKEND_GLASS);  // a fault here is the caller's to see
      return {std::move(one)};
    }
    case Layout::kMissing:
      throw Xapian::DatabaseNotFoundError("No database at '" + path + "'");
    case Layout::kOther:
      throw Xapian::DatabaseNotFoundError("Couldn't detect type of database");
    case Layout::kStubDir:
    case Layout::kStubFile:
      break;
  }
  const std::string stub = stub_file(path, l);
  std::vector<OpenedShard> out;
  for (Shard& shard : read_stub(stub, options.allow_remote)) {
    OpenedShard o;
    o.where = stub + ":" + std::to_string(shard.line) + ": ";
    o.name = shard.kind == Shard::Kind::kRemote ? shard.host + ":" + std::to_string(shard.port) : shard.path;
    o.shard = std::move(shard);
    try {
      if (o.shard.kind == Shard::Kind::kRemote) {
        o.db = Xapian::Remote::open(o.shard.host, o.shard.port, options.remote_timeout_ms,
                                    options.remote_timeout_ms);
      } else {
        switch (layout(o.shard.path)) {
          case Layout::kGlass:
            o.db = Xapian::Database(o.shard.path, Xapian::DB_BACKEND_GLASS);
            break;
          case Layout::kStubDir:
          case Layout::kStubFile:
            // Never followed, not even with allow_partial: the stub itself is wrong.
            throw StubError(o.where + o.shard.path +
                            " is itself a stub; stubs inside stubs are not followed");
          case Layout::kMissing:
            o.error = "no database at " + o.shard.path;
            break;
          case Layout::kOther:
            o.error = o.shard.path + " is not a glass database directory";
            break;
        }
      }
    } catch (const Xapian::NetworkError& e) {
      std::string why = e.get_msg();
      const char* sys = e.get_error_string();
      if (sys != nullptr && *sys != '\0' && why.find(sys) == std::string::npos) {
        why += " (" + std::string(sys) + ")";
      }
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", options.remote_timeout_ms / 1000.0);
      o.error = "remote shard " + o.name + " (timeout " + limit + " s): " + why;
    } catch (const Xapian::Error& e) {
      o.error = (o.shard.kind == Shard::Kind::kRemote ? "remote shard " : "shard ") + o.name +
                ": cannot open it: " + e.get_description();
    }
    for (char& c : o.error) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    out.push_back(std::move(o));
  }
  return out;
}

void check_shards_agree(const std::vector<OpenedShard>& shards) {
  std::vector<std::pair<const OpenedShard*, std::optional<schema::Stamp>>> stamps;
  bool any = false;
  for (const OpenedShard& s : shards) {
    if (!s.db) continue;
    try {
      stamps.emplace_back(&s, schema::read_stamp(*s.db));
    } catch (const Xapian::Error& e) {
      throw StubError(s.where + "shard " + s.name + ": cannot read its metadata: " + e.get_description());
    }
    any = any || stamps.back().second.has_value();
  }
  // No stamp at all: not Dateline's shards, which the caller says as it says it of one database.
  if (!any) return;
  auto describe = [](const OpenedShard& o, const schema::Stamp& st) {
    return "shard " + o.name + " has schema version " + std::to_string(st.version) + " and analyzer '" +
           st.analyzer + "'";
  };
  const std::pair<const OpenedShard*, std::optional<schema::Stamp>>* first = nullptr;
  for (const auto& entry : stamps) {
    const auto& [s, stamp] = entry;
    if (!stamp) {
      throw StubError(s->where + "shard " + s->name + " is not a Dateline database (no " +
                      std::string(schema::kMetaVersion) + " stamp), unlike the other shards");
    }
    if (!first) {
      first = &entry;
      continue;
    }
    const schema::Stamp& want = *first->second;
    if (stamp->version != want.version || stamp->analyzer != want.analyzer) {
      throw StubError(s->where + describe(*s, *stamp) + ", but " + describe(*first->first, want) +
                      " (line " + std::to_string(first->first->shard.line) +
                      "): shards searched together must be indexed alike");
    }
  }
}

OpenedDatabase open_database(const std::string& path, const OpenOptions& options) {
  OpenedDatabase out;
  out.shards = open_shards(path, options);
  const OpenedShard* failed = nullptr;
  for (const OpenedShard& s : out.shards) {
    if (s.db) continue;
    if (!options.allow_partial) throw StubError(s.where + s.error);
    if (!failed) failed = &s;
    out.missing.push_back(s.name);
  }
  if (failed && out.missing.size() == out.shards.size()) {
    throw StubError(failed->where + failed->error +
                    (out.shards.size() > 1 ? " (and every other shard failed)" : ""));
  }
  check_shards_agree(out.shards);
  for (const OpenedShard& s : out.shards) {
    if (s.db) out.db.add_database(*s.db);
  }
  return out;
}

Xapian::Database open_for_reading(const std::string& path, const OpenOptions& options) {
  OpenOptions strict = options;
  strict.allow_partial = false;
  return open_database(path, strict).db;
}

schema::Lengths summed_lengths(const std::vector<OpenedShard>& shards) {
  schema::Lengths sum;
  for (const OpenedShard& s : shards) {
    if (!s.db) continue;
    const schema::Lengths l = schema::read_lengths(*s.db);
    sum.articles += l.articles;
    sum.passages += l.passages;
  }
  return sum;
}

std::vector<ShardInfo> shard_info(const std::string& path, const OpenOptions& options) {
  std::vector<ShardInfo> out;
  for (const OpenedShard& s : open_shards(path, options)) {
    ShardInfo info;
    info.name = s.name;
    info.kind = s.shard.kind == Shard::Kind::kRemote ? "remote" : "glass";
    info.error = s.error;
    if (s.db) {
      try {
        info.documents = s.db->get_doccount();
        info.articles = s.db->get_termfreq(std::string(schema::kKindArticle));
        if (auto stamp = schema::read_stamp(*s.db)) {
          info.schema_version = stamp->version;
          info.analyzer = stamp->analyzer;
        }
        info.open = true;
      } catch (const Xapian::Error& e) {
        info.error = "cannot read it: " + e.get_description();
      }
    }
    out.push_back(std::move(info));
  }
  return out;
}

std::string generation(const std::string& path) {
  std::string g;
  for (const std::string& p : {path, (fs::path(path) / "iamglass").string()}) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      g += "-;";
      continue;
    }
    g += std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" +
         std::to_string(st.st_ctim.tv_sec) + "." + std::to_string(st.st_ctim.tv_nsec) + ";";
  }
  return g;
}

void refuse_stub_for_writing(const std::string& path) {
  const Layout l = layout(path);
  if (l != Layout::kStubDir && l != Layout::kStubFile) return;
  const std::string stub = stub_file(path, l);
  read_stub(stub, false);  // a refused line is the better message
  throw StubError(stub +
                  ": a stub file (a list of databases); dateline-index writes only a database directory");
}

Xapian::WritableDatabase open_for_writing(const std::string& path, int flags) {
  refuse_stub_for_writing(path);
  return Xapian::WritableDatabase(path, flags | Xapian::DB_BACKEND_GLASS);
}

}  // namespace dateline::database
