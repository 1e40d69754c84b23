/** @file
 *  @brief Glue both binaries share: the --db default, logging on stderr, terminal facts, errors at the edge.
 */
#pragma once

#include <cxxopts.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/terminal.h"

namespace dateline::cli {

/// The database path: --db if given, else $DATELINE_DB, else ./dateline-db.
std::string resolve_db_path(const std::string& flag_value);

/// Adds the flags every binary has: --db, -v/--verbose, -q/--quiet, -h/--help, -V/--version.
void add_common_options(cxxopts::Options& options, std::string_view db_help);

/// Sets spdlog's default logger to stderr with the program name, at the level -v/-q ask for
/// (default: warnings and errors; -v: info; -vv: debug; -q: errors only).
void setup_logging(std::string_view program, const cxxopts::ParseResult& args);

/// --version: "PROG VERSION (git DESCRIBE)", then the libraries it runs with, one per line:
/// "Xapian 1.4.22" (Xapian::version_string()) and "ICU 72.1" (u_getVersion()). No trailing newline.
std::string version_string(std::string_view program);

/// Prints "PROG: message" on stderr (one line, control characters escaped), for errors at the edge.
void print_error(std::string_view program, std::string_view message);

/// Is this file descriptor a terminal?
bool is_terminal(int fd);

/// Should stdout get colour? A terminal, and NO_COLOR unset or empty, and TERM not "dumb".
bool want_colour(int fd);

/// Terminal-safe text (base/terminal.h), also under cli:: for the binaries.
using dateline::one_line;
using dateline::terminal_safe;

/// The one-line message for a command line cxxopts refused (`message` is its what()): an unknown
/// `--flag` gets "did you mean --FLAG?" when a flag of `groups` is close; a word starting with '-' that
/// is not a flag (`-troops`) gets the hint to put it after `--`; every message ends "(try: PROG --help)".
std::string option_error(std::string_view program, cxxopts::Options& options,
                         const std::vector<std::string>& groups, std::string_view message, int argc,
                         const char* const* argv);

/// Makes writes to a closed pipe end the program quietly (exit 0) instead of dying of SIGPIPE with noise.
void quiet_on_closed_pipe();

}  // namespace dateline::cli
