/** @file
 *  @brief libFuzzer target: any bytes as a query must parse and compile, or throw QueryError; nothing else.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analyzers/analyzer.h"
#include "searcher/query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const dateline::Analyzer analyzer{dateline::AnalyzerConfig{}};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    dateline::ParsedQuery parsed = dateline::parse_query(text);
    (void)parsed.describe();
    dateline::CompiledQuery compiled = dateline::compile_query(parsed, dateline::Filters{}, analyzer);
    (void)compiled.query.get_description();
  } catch (const dateline::QueryError& e) {
    // A clear error is a correct answer; its column must lie within the query (or 0 for "whole query").
    if (e.column() > text.size() + 1) __builtin_trap();
  }
  return 0;
}
