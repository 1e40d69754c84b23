/** @file
 *  @brief libFuzzer target: the stub file parser (analyzers/database.h) on any bytes either refuses with one
 *  line naming the stub, or returns at most kMaxStubShards shards, never a program and never a remote shard
 *  unless allowed. Only the parser is fuzzed: no file is read or created, no connection made.
 */
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/database.h"

namespace database = dateline::database;

namespace {

// The shards, or std::nullopt-like "refused" (an empty vector: an accepted stub has at least one shard).
std::vector<database::Shard> parse(std::string_view text, bool allow_remote) {
  try {
    return database::parse_stub(text, "db/XAPIANDB", allow_remote);
  } catch (const database::StubError& e) {
    const std::string_view what = e.what();
    if (what.rfind("db/XAPIANDB", 0) != 0 || what.find('\n') != std::string_view::npos) __builtin_trap();
    return {};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto local = parse(text, false);
  const auto any = parse(text, true);
  // What is accepted without remote shards is accepted, the same, with them.
  if (!local.empty() && local.size() != any.size()) __builtin_trap();
  if (any.size() > database::kMaxStubShards) __builtin_trap();
  for (const auto& s : local) {
    if (s.kind != database::Shard::Kind::kGlass) __builtin_trap();
  }
  for (const auto& s : any) {
    if (s.line == 0) __builtin_trap();
    if (s.kind == database::Shard::Kind::kGlass && s.path.empty()) __builtin_trap();
    if (s.kind == database::Shard::Kind::kRemote) {
      // A program is never a remote shard: a host, and a port from 1 to 65535.
      if (s.host.empty() || s.host.front() == ':' || s.port < 1 || s.port > 65535) __builtin_trap();
    }
  }
  return 0;
}
