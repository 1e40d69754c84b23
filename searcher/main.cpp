/** @file
 *  @brief dateline-search: flags -> IndexOptions -> run_index() -> exit code.
 */
#include <cstdio>
#include <exception>

#include "cli/common.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) try {
  cxxopts::Options options("dateline-search", "Search a Dateline database of news articles.");
  dateline::cli::add_common_options(options, "Database to search");
  options.add_options()("query", "Query words", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"query"});
  options.positional_help("QUERY...");
  auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (args.count("version")) {
    std::printf("%s\n", dateline::cli::version_string("dateline-search").c_str());
    return 0;
  }
  dateline::cli::print_error("dateline-search", "searching is not available in this build yet");
  return dateline::exit_code::kError;
} catch (const std::exception& e) {
  dateline::cli::print_error("dateline-search", e.what());
  return dateline::exit_code::kError;
}
