/** @file
 *  @brief dateline-index: flags -> IndexOptions -> run_index() -> exit code.
 */
#include <cstdio>
#include <exception>

#include "cli/common.h"
#include "cli/exit_codes.h"

int main(int argc, char** argv) try {
  cxxopts::Options options("dateline-index", "Index news articles into a Dateline database.");
  dateline::cli::add_common_options(options, "Database to create or update");
  options.add_options()("inputs", "Files, directories or - for stdin", cxxopts::value<std::vector<std::string>>());
  options.parse_positional({"inputs"});
  options.positional_help("INPUT...");
  auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (args.count("version")) {
    std::printf("%s\n", dateline::cli::version_string("dateline-index").c_str());
    return 0;
  }
  dateline::cli::print_error("dateline-index", "indexing is not available in this build yet");
  return dateline::exit_code::kError;
} catch (const std::exception& e) {
  dateline::cli::print_error("dateline-index", e.what());
  return dateline::exit_code::kError;
}
