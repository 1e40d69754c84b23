/** @file
 *  @brief Glue both binaries share: --db default, logging, terminal safety, closed pipes.
 */
#include "cli/common.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unicode/uversion.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "base/edit_distance.h"
#include "cli/version.h"

namespace dateline::cli {

std::string resolve_db_path(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (const char* env = std::getenv("DATELINE_DB"); env != nullptr && *env != '\0') return env;
  return "dateline-db";
}

void add_common_options(cxxopts::Options& options, std::string_view db_help) {
  options.add_options("Common")("db", std::string(db_help) + " (default: $DATELINE_DB, else ./dateline-db)",
                                cxxopts::value<std::string>(), "PATH")(
      "v,verbose", "More log output on stderr (-v info, -vv debug)")("q,quiet", "Only errors on stderr")(
      "h,help", "Show this help and exit")("V,version", "Show the version and exit");
}

void setup_logging(std::string_view program, const cxxopts::ParseResult& args) {
  auto logger = spdlog::stderr_color_mt(std::string(program));
  logger->set_pattern("%n: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::level::level_enum level = spdlog::level::warn;
  size_t verbose = args.count("verbose");
  if (verbose == 1) level = spdlog::level::info;
  if (verbose >= 2) level = spdlog::level::debug;
  if (args.count("quiet") > 0) level = spdlog::level::err;
  spdlog::set_level(level);
}

std::string version_string(std::string_view program) {
  UVersionInfo icu;
  u_getVersion(icu);
  char icu_text[U_MAX_VERSION_STRING_LENGTH] = {};
  u_versionToString(icu, icu_text);
  return std::string(program) + " " + kVersion + " (git " + kGitDescribe + ")\nXapian " +
         Xapian::version_string() + "\nICU " + icu_text;
}

void print_error(std::string_view program, std::string_view message) {
  std::string line = std::string(program) + ": " + one_line(message);
  std::fprintf(stderr, "%s\n", line.c_str());
}

bool is_terminal(int fd) {
  return ::isatty(fd) == 1;
}

bool want_colour(int fd) {
  if (!is_terminal(fd)) return false;
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  const char* term = std::getenv("TERM");
  return !(term != nullptr && std::string_view(term) == "dumb");
}

std::string option_error(std::string_view program, cxxopts::Options& options,
                         const std::vector<std::string>& groups, std::string_view message, int argc,
                         const char* const* argv) {
  std::vector<std::string> longs;
  std::vector<std::string> with_value;  // flags whose value is the next argument
  std::string shorts;
  const std::vector<std::string> defined = options.groups();
  for (const auto& group : groups) {
    if (std::find(defined.begin(), defined.end(), group) == defined.end()) continue;  // group_help() throws
    for (const auto& o : options.group_help(group).options) {
      longs.insert(longs.end(), o.l.begin(), o.l.end());
      if (!o.is_boolean) with_value.insert(with_value.end(), o.l.begin(), o.l.end());
      shorts += o.s;
    }
  }
  const std::string try_help = " (try: " + std::string(program) + " --help)";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      const std::string_view name = arg.substr(2, arg.find('=') == std::string_view::npos ? arg.npos
                                                                                         : arg.find('=') - 2);
      if (std::find(longs.begin(), longs.end(), name) != longs.end()) {
        const bool value_next = arg.find('=') == std::string_view::npos &&
                                std::find(with_value.begin(), with_value.end(), name) != with_value.end();
        if (value_next) ++i;  // `--sort -date`: the value is not a flag
        continue;
      }
      std::string best;
      size_t best_distance = 3;  // at most 2 edits away
      for (const auto& known : longs) {
        size_t d = edit_distance(name, std::string_view(known));
        if (d < best_distance) best = known, best_distance = d;
      }
      const std::string hint = best.empty() ? "" : " (did you mean --" + best + "?)";
      return "unknown flag '--" + one_line(name) + "'" + hint + try_help;
    }
    if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
      const std::string_view cluster = arg.substr(1);
      bool all_short = std::all_of(cluster.begin(), cluster.end(), [&](char c) {
        return shorts.find(c) != std::string::npos;
      });
      if (all_short) continue;
      if (cluster.size() == 1) return "unknown flag '" + one_line(arg) + "'" + try_help;
      return "'" + one_line(arg) + "' is not a flag; put arguments that start with '-' after --, as in: " +
             std::string(program) + " -- " + one_line(arg);
    }
  }
  return std::string(message) + try_help;
}

void quiet_on_closed_pipe() {
  // With SIGPIPE ignored, a write to a closed pipe fails with EPIPE; the printers check the stream
  // and the binaries then exit 0 without a message, as `rg ... | head -1` does.
  std::signal(SIGPIPE, SIG_IGN);
}

}  // namespace dateline::cli
