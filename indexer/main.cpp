/** @file
 *  @brief dateline-index: flags -> IndexOptions -> run_index() -> summary and exit code.
 */
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "indexer/document_builder.h"
#include "indexer/fast_deflate.h"
#include "indexer/indexer.h"
#include "indexer/report.h"
#include "indexer/shards.h"

namespace {

constexpr const char* kProgram = "dateline-index";
const std::vector<std::string> kHelpGroups = {"", "Common", "Indexing"};

constexpr const char* kEpilogue = R"(
Inputs: plain-text articles (.txt, .text), JSON Lines (.jsonl, .ndjson, .json, one article per line),
optionally gzip-compressed (.gz); NAME.meta.json beside a file overrides its metadata. Directories are
read recursively (hidden entries skipped, symbolic links followed, loops reported). "-" reads standard
input. Article ids: the record's "id", else the file's real path relative to the database's archive
root (--root; default: the deepest folder holding every input of the run that creates it), however and
from wherever it is typed; ids are case-sensitive; a record's id with a control character or invalid
UTF-8 is refused, a file name's is escaped as \xNN; the same id twice in a run: the last in input
order is indexed.
Re-running on the same inputs changes nothing; changed articles are replaced.

Examples:
  dateline-index --db news-db articles/             index a folder (again: only what changed)
  dateline-index --db news-db --prune articles/     also drop articles whose file is gone
  zcat feed.jsonl.gz | dateline-index --db news-db -
  dateline-index --db news-db --delete 2022/kyiv.txt

Output: a summary on stderr; with --json one JSON object on stdout:
  {"added","updated","unchanged","deleted","skipped":[{"path","line","reason"}],"warnings":[...],
   "articles","passages","bytes","seconds","db"}
With --dry-run --json: one JSON object per article (JSON Lines) with its metadata and passages.

Exit status: 0 every input indexed; 1 some inputs or records skipped (each reported on stderr as
FILE:LINE: reason); 2 fatal error (bad flags, database missing, locked, damaged or of another version).
)";

/// Thrown by the reporter when stdout is a closed pipe: stop quietly, like `rg ... | head`.
struct ClosedPipe {};

void write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw ClosedPipe{};
    throw std::runtime_error("cannot write to standard output");
  }
}

/// The terminal side of the run's report (indexer/report.h's LineReporter makes the lines): diagnostics as
/// "dateline-index: FILE:LINE: reason" warnings, messages to the log, a progress bar when stderr is a
/// terminal, dry-run records on stdout.
class Terminal {
 public:
  explicit Terminal(bool show_progress)
      : show_(show_progress), progress_(0, show_progress && dateline::cli::is_terminal(2)) {
    // Diagnostics get their own pattern (no level word) so each reads "PROG: FILE:LINE: reason".
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    diag_ = std::make_shared<spdlog::logger>(kProgram, sink);
    diag_->set_pattern("%n: %v");
    diag_->set_level(spdlog::get_level());
  }

  dateline::LineReporter::Sinks sinks() {
    dateline::LineReporter::Sinks s;
    s.diagnostic = [this](const std::string& line) { diag_->warn(line); };
    s.log = [](dateline::Reporter::Level level, const std::string& line) {
      if (level == dateline::Reporter::Level::kInfo) {
        spdlog::info(line);
      } else {
        spdlog::debug(line);
      }
    };
    s.out = write_stdout;
    s.progress = [this](uint64_t articles, uint64_t bytes, uint64_t total_bytes) {
      if (total_bytes != total_) {
        total_ = total_bytes;
        progress_ = dateline::cli::Progress(total_bytes, dateline::cli::is_terminal(2) && show_);
      }
      progress_.update(articles, bytes);
    };
    s.end_progress = [this] { progress_.finish(); };
    return s;
  }

 private:
  bool show_;
  uint64_t total_ = 0;
  dateline::cli::Progress progress_;
  std::shared_ptr<spdlog::logger> diag_;
};

long long number(const cxxopts::ParseResult& args, const char* name, long long min, long long max) {
  long long v = args[name].as<long long>();
  if (v < min || v > max) {
    throw dateline::UsageError("--" + std::string(name) + " must be between " + std::to_string(min) +
                               " and " + std::to_string(max));
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  dateline::cli::quiet_on_closed_pipe();
  cxxopts::Options options(kProgram, "Index news articles into a Dateline database.");
  try {
    dateline::cli::add_common_options(options, "Database to create or update");
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    options.add_options("Indexing")("threads", "Analysis threads (default: number of cores)",
                                    cxxopts::value<long long>(), "N")(
        "writers",
        "Writer threads for a database that starts empty: N > 1 builds N segments at once, merged at the end "
        "(an interrupted run then leaves it empty); 1 writes it directly; 0 = N threads, at most 4, when "
        "the inputs hold 16 MB or more, else 1. A database with documents has one writer",
        cxxopts::value<long long>()->default_value("0"), "N")(
        "json", "Print the summary as one JSON object on stdout (with --dry-run: records as JSON Lines)")(
        "dry-run", "Read and extract only: print the records, touch no database")(
        "root",
        "Archive root of a new database: a file's id is its path relative to it, however the path is typed "
        "(default: the deepest folder holding every input)",
        cxxopts::value<std::string>(), "DIR")(
        "prune", "Delete articles whose file, under the given inputs, no longer exists")(
        "delete", "Delete the article with this id (repeatable)", cxxopts::value<std::vector<std::string>>(),
        "ID")("rebuild",
              "Empty the database first, then index (keeps its language unless --language is given)")(
        "force", "With --rebuild: also empty a Xapian database that Dateline did not create")(
        "language",
        "Stemmer language of a new database: a Snowball name or ISO code, or none (default: english)",
        cxxopts::value<std::string>(),
        "LANG")("no-fold-accents", "New database: keep accents (\"café\" and \"cafe\" differ)")(
        "manifest", "JSON Lines file of metadata overrides, one object with \"path\" per article",
        cxxopts::value<std::string>(),
        "FILE")("batch-size", "Articles per commit (also committed every 64 MB of text)",
                cxxopts::value<long long>()->default_value("500"),
                "N")("max-passage-bytes", "Cut longer paragraphs at sentence boundaries",
                     cxxopts::value<long long>()->default_value("1200"), "N")(
        "inputs", "Files, directories or - for standard input", cxxopts::value<std::vector<std::string>>());
    options.add_options("Indexing")(
        "shards",
        "Make a new sharded database: N databases in the --db folder and a stub listing them, an article in "
        "the shard given by a hash of its id, written in parallel (later runs find the count in the stub)",
        cxxopts::value<long long>(), "N")(
        "compact",
        "Write the --db database (one, or the shards of a stub) as one new compacted database at DEST "
        "with Xapian's compactor, and exit",
        cxxopts::value<std::string>(), "DEST");
    options.parse_positional({"inputs"});
    options.positional_help("INPUT...");
    auto args = options.parse(argc, argv);
    if (args.count("help")) {
      std::printf("%s%s", options.help(kHelpGroups).c_str(), kEpilogue);
      return dateline::exit_code::kOk;
    }
    if (args.count("version")) {
      std::printf("%s\n", dateline::cli::version_string(kProgram).c_str());
      return dateline::exit_code::kOk;
    }
    dateline::cli::setup_logging(kProgram, args);

    dateline::IndexOptions io;
    io.dry_run = args.count("dry-run") > 0;
    const std::string db_flag = args.count("db") > 0 ? args["db"].as<std::string>() : "";
    io.db_path = io.dry_run ? db_flag : dateline::cli::resolve_db_path(db_flag);
    if (args.count("inputs")) io.inputs = args["inputs"].as<std::vector<std::string>>();
    io.threads = args.count("threads") > 0 ? static_cast<unsigned>(number(args, "threads", 1, 1024)) : cores;
    io.writers = static_cast<unsigned>(number(args, "writers", 0, 64));
    io.prune = args.count("prune") > 0;
    if (args.count("root")) io.root = args["root"].as<std::string>();
    if (args.count("delete")) io.delete_ids = args["delete"].as<std::vector<std::string>>();
    io.rebuild = args.count("rebuild") > 0;
    io.force = args.count("force") > 0;
    if (args.count("language"))
      io.language = dateline::canonical_language(args["language"].as<std::string>());
    if (args.count("no-fold-accents")) io.fold_accents = false;
    if (args.count("manifest")) io.manifest = args["manifest"].as<std::string>();
    io.batch_size = static_cast<size_t>(number(args, "batch-size", 1, 100'000'000));
    io.max_passage_bytes = static_cast<size_t>(number(args, "max-passage-bytes", 64, 100'000'000));
    bool json = args.count("json") > 0;
    bool quiet = args.count("quiet") > 0;

    bool wants_stdin = false;
    for (const auto& in : io.inputs) wants_stdin = wants_stdin || in == "-";
    if (wants_stdin) io.stdin_stream = stdin;  // streamed by a worker (JSON Lines record by record)

    Terminal terminal(!quiet);
    dateline::LineReporter reporter(json, terminal.sinks());
    if (args.count("compact")) {
      if (!io.inputs.empty() || !io.delete_ids.empty() || io.prune || io.rebuild || io.dry_run ||
          args.count("shards") > 0) {
        throw dateline::UsageError("--compact copies the --db database as it is: give no inputs, --delete, "
                                   "--prune, --rebuild, --dry-run or --shards with it");
      }
      const auto c = dateline::shards::compact(io.db_path, args["compact"].as<std::string>(), reporter);
      if (!quiet) {
        std::fprintf(stderr, "%s: %zu database(s) -> %s: %llu documents, %.1f MB -> %.1f MB in %.1f s\n",
                     kProgram, c.sources, dateline::cli::one_line(args["compact"].as<std::string>()).c_str(),
                     static_cast<unsigned long long>(c.documents), c.bytes_before / 1e6, c.bytes_after / 1e6,
                     c.seconds);
      }
      return dateline::exit_code::kOk;
    }
    unsigned shards = 0;  // --shards N, or 0: the count of an existing sharded database
    if (args.count("shards") > 0) {
      shards = static_cast<unsigned>(number(args, "shards", 1, dateline::shards::kMaxShards));
    }
    dateline::IndexReport report = shards > 0 || (!io.dry_run && dateline::shards::sharded_count(io.db_path))
                                       ? dateline::shards::run_sharded_index(io, shards, reporter)
                                       : dateline::run_index(io, reporter);
    reporter.finish();
    // With -vv: how many of Xapian's compressions libdeflate did (indexer/fast_deflate.h); 0 would mean the
    // program's zlib functions no longer take Xapian's calls (a test watches this line).
    spdlog::debug("{} Xapian tags deflated by libdeflate", dateline::fast_deflate::whole_buffer_calls());

    if (!quiet)
      std::fprintf(stderr, "%s: %s\n", kProgram,
                   dateline::cli::one_line(dateline::report_text(report)).c_str());
    if (json && !io.dry_run) write_stdout(dateline::report_json(report) + "\n");
    return report.skipped.empty() ? dateline::exit_code::kOk : dateline::exit_code::kSomeSkipped;
  } catch (const ClosedPipe&) {
    return dateline::exit_code::kOk;
  } catch (const cxxopts::exceptions::exception& e) {
    const std::string message =
        dateline::cli::option_error(kProgram, options, kHelpGroups, e.what(), argc, argv);
    dateline::cli::print_error(kProgram, message);
    return dateline::exit_code::kError;
  } catch (const std::exception& e) {
    dateline::cli::print_error(kProgram, e.what());
    return dateline::exit_code::kError;
  } catch (const Xapian::Error& e) {
    // The library maps Xapian errors to DatabaseError; this is the last guard against a stray one.
    dateline::cli::print_error(kProgram, e.get_description());
    return dateline::exit_code::kError;
  }
}
