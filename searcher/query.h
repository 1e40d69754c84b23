/** @file
 *  @brief The query language: text -> AST (with columns for errors) -> Xapian::Query.
 *
 *  Every text leaf goes through the database's Analyzer, so query terms are exactly index terms.
 *  The grammar is documented in README.md ("Query syntax").
 */
#pragma once

#include <xapian.h>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace dateline {

/// A malformed query. `column` is 1-based, in Unicode code points of the query text, pointing at the
/// offending character (where the caret goes).
class QueryError : public std::runtime_error {
 public:
  QueryError(const std::string& message, size_t column) : std::runtime_error(message), column_(column) {}
  size_t column() const { return column_; }

 private:
  size_t column_;
};

struct QueryNode;  // defined in query.cpp's companion header query_ast.h

/// A parsed query. describe() gives a canonical, stable text form (for tests, --explain, debug logs).
class ParsedQuery {
 public:
  ParsedQuery();
  explicit ParsedQuery(std::shared_ptr<const QueryNode> root);
  ~ParsedQuery();
  std::string describe() const;
  bool empty() const;
  const QueryNode* root() const { return root_.get(); }

 private:
  std::shared_ptr<const QueryNode> root_;
};

/// Parses query text. Throws QueryError on malformed input (unbalanced quote or parenthesis, unknown
/// field, bad date, operator with a missing operand, empty query, NEAR/x, bare `*`) and beyond the
/// hostile-input limits (64 KiB of text, 1000 terms, 100 levels of nesting). Never crashes on any
/// bytes: invalid UTF-8 is read as U+FFFD, control characters separate terms.
/// The grammar and its precedence rules are documented at the top of query.cpp; the AST in query_ast.h.
/// Whitespace-only text is an error ("empty query"); a caller searching with flag filters only passes
/// a default-constructed ParsedQuery to compile_query() instead.
ParsedQuery parse_query(std::string_view text);

/// Filters given as flags (not in the query text). All lists: OR within a list, AND between lists.
struct Filters {
  std::vector<std::string> outlets;   ///< matched case-insensitively and through outlet aliases
  std::vector<std::string> speakers;  ///< a name or part of one ("lukashenko")
  std::vector<std::string> authors;
  std::optional<std::string> since;  ///< ISO date, inclusive ("2022", "2022-02", "2022-02-24" allowed)
  std::optional<std::string> until;  ///< ISO date, inclusive
};

struct CompileOptions {
  bool match_all = false;  ///< --match all: every plain word is required
};

/// What the searcher needs from a query.
struct CompiledQuery {
  Xapian::Query query;  ///< over passage documents (no kind filter applied)
  /// The same query over article documents (their kArticleText/kArticleTitle terms); empty when
  /// needs_passages (no kind filter applied).
  Xapian::Query article_query;
  std::vector<std::string> highlight_terms;  ///< unstemmed terms (Token::term) to highlight in snippets
  std::vector<std::string> highlight_stems;  ///< stems whose every form is highlighted
  std::vector<std::string> highlight_prefixes;  ///< folded wildcard prefixes (`ukrain*` -> "ukrain")
  /// Holds a phrase, NEAR, an exact word form ("troops") or a wildcard: only passage documents, with
  /// their positions and unstemmed words, can answer it.
  bool needs_passages = false;
  bool scored =
      true;  ///< false when nothing in the query weighs (only filters, or a pure NOT): all weights 0
};

/// Experiment knob for the relevance benchmarks only: the value of `name` in $DATELINE_RANKING
/// ("k1=0.9,b=0.4,tscale=0.25,coord=1"), else `fallback`. The default ranking never depends on it.
double ranking_knob(const char* name, double fallback);

/// Builds the Xapian query for a parsed query plus flag filters. Throws QueryError (column 0 for
/// problems in flag values, e.g. a bad --since date). An empty ParsedQuery with no filters gives
/// Query::MatchAll; a query whose words all analyse to nothing ("&") is a QueryError.
CompiledQuery compile_query(const ParsedQuery& parsed, const Filters& filters, const Analyzer& analyzer,
                            const CompileOptions& options = {});

}  // namespace dateline
