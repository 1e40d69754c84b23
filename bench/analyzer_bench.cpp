/** @file
 *  @brief Analyzer throughput (MB/s) against a bare ICU word BreakIterator pass over news text.
 *
 *  Corpus: JSON lines with "title" and "text" ($DATELINE_NEWS_CORPUS, else
 *  <source>/../shared/corpora/news/news.jsonl), capped at 8 MB so a run takes seconds.
 *  Run: BUILD/bin/analyzer_bench (Release build; compare the bytes_per_second columns).
 */
#include <benchmark/benchmark.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"

namespace {

constexpr size_t kCapBytes = size_t{8} << 20;

struct Corpus {
  std::vector<std::string> docs;  ///< title + "\n\n" + text, one per JSON line
  size_t bytes = 0;
  std::string error;  ///< why the corpus is unusable (empty when it loaded)
};

const Corpus& corpus() {
  static const Corpus loaded = [] {
    Corpus c;
    const char* env = std::getenv("DATELINE_NEWS_CORPUS");
    const std::string path = env != nullptr && *env != '\0'
                                 ? std::string(env)
                                 : std::string(DATELINE_SOURCE_DIR) + "/../shared/corpora/news/news.jsonl";
    std::ifstream in(path);
    if (!in) {
      c.error = "news corpus not found: " + path + " (set DATELINE_NEWS_CORPUS)";
      return c;
    }
    std::string line;
    while (c.bytes < kCapBytes && std::getline(in, line)) {
      const auto doc = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!doc.is_object()) continue;  // skip malformed lines rather than abort the benchmark
      std::string text;
      if (auto t = doc.find("title"); t != doc.end() && t->is_string()) text = t->get<std::string>() + "\n\n";
      if (auto t = doc.find("text"); t != doc.end() && t->is_string()) text += t->get<std::string>();
      if (text.empty()) continue;
      c.bytes += text.size();
      c.docs.push_back(std::move(text));
    }
    if (c.docs.empty()) c.error = "news corpus has no usable lines: " + path;
    return c;
  }();
  return loaded;
}

// Words per second. Every benchmark sets it: the CSV/JSON reporters need the same counters in
// every run (and the bare pass's word count checks the analyzer loses none).
void set_words_counter(benchmark::State& state, size_t words) {
  state.counters["words"] = benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsRate);
}

// The floor: what ICU alone costs, UTF-8 -> UnicodeString -> every word boundary and its status.
void BM_BareBreakIterator(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> words(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) {
    state.SkipWithError("ICU word break iterator unavailable");
    return;
  }
  icu::UnicodeString buffer;
  size_t count = 0;
  for (auto _ : state) {
    for (const std::string& doc : c.docs) {
      buffer = icu::UnicodeString::fromUTF8(doc);
      words->setText(buffer);
      words->first();
      for (int32_t b = words->next(); b != icu::BreakIterator::DONE; b = words->next()) {
        if (words->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) ++count;
      }
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(c.bytes));
  set_words_counter(state, count);
}

void run_analyzer(benchmark::State& state, const dateline::AnalyzerConfig& config) {
  const Corpus& c = corpus();
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  const dateline::Analyzer analyzer(config);
  std::vector<dateline::Token> tokens;
  size_t count = 0;
  for (auto _ : state) {
    for (const std::string& doc : c.docs) {
      tokens.clear();
      analyzer.analyze_into(doc, tokens);
      count += tokens.size();
    }
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(c.bytes));
  set_words_counter(state, count);
}

// What the indexer pays per passage: analyze() returning a fresh vector each time.
void BM_AnalyzeStemmed(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.error.empty()) {
    state.SkipWithError(c.error.c_str());
    return;
  }
  const dateline::Analyzer analyzer;
  size_t count = 0;
  for (auto _ : state) {
    for (const std::string& doc : c.docs) count += analyzer.analyze(doc).size();
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(c.bytes));
  set_words_counter(state, count);
}

void BM_AnalyzeIntoStemmed(benchmark::State& state) {
  run_analyzer(state, dateline::AnalyzerConfig{});
}
void BM_AnalyzeIntoUnstemmed(benchmark::State& state) {
  run_analyzer(state, dateline::AnalyzerConfig{"none", true});
}

}  // namespace

BENCHMARK(BM_BareBreakIterator)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeStemmed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeIntoStemmed)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeIntoUnstemmed)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
