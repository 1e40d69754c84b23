/** @file
 *  @brief Glue both binaries share: the --db default, logging on stderr, terminal facts, errors at the edge.
 */
#pragma once

#include <cxxopts.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::cli {

/// The database path: --db if given, else $DATELINE_DB, else ./dateline-db.
std::string resolve_db_path(const std::string& flag_value);

/// Adds the flags every binary has: --db, -v/--verbose, -q/--quiet, -h/--help, -V/--version.
void add_common_options(cxxopts::Options& options, std::string_view db_help);

/// Sets spdlog's default logger to stderr with the program name, at the level -v/-q ask for
/// (default: warnings and errors; -v: info; -vv: debug; -q: errors only).
void setup_logging(std::string_view program, const cxxopts::ParseResult& args);

/// "PROG VERSION (git DESCRIBE)" for --version.
std::string version_string(std::string_view program);

/// Prints "PROG: message" on stderr (one line, control characters escaped), for errors at the edge.
void print_error(std::string_view program, std::string_view message);

/// Is this file descriptor a terminal?
bool is_terminal(int fd);

/// Should stdout get colour? A terminal, and NO_COLOR unset or empty, and TERM not "dumb".
bool want_colour(int fd);

/// Text safe for a terminal: C0/C1 control characters (ESC, BEL, ...) except '\n' and '\t' become
/// visible escapes (\x1b); invalid UTF-8 becomes U+FFFD.
std::string terminal_safe(std::string_view text);

/// terminal_safe() for text that must stay on one line (diagnostics, log lines, one-line fields): '\n',
/// '\r' and '\t' are escaped too (\x0a, \x0d, \x09).
std::string one_line(std::string_view text);

/// The one-line message for a command line cxxopts refused (`message` is its what()): an unknown
/// `--flag` gets "did you mean --FLAG?" when a flag of `groups` is close; a word starting with '-' that
/// is not a flag (`-troops`) gets the hint to put it after `--`; every message ends "(try: PROG --help)".
std::string option_error(std::string_view program, cxxopts::Options& options,
                         const std::vector<std::string>& groups, std::string_view message, int argc,
                         const char* const* argv);

/// Makes writes to a closed pipe end the program quietly (exit 0) instead of dying of SIGPIPE with noise.
void quiet_on_closed_pipe();

}  // namespace dateline::cli
