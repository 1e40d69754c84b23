/** @file
 *  @brief The query AST: what parse_query() builds and compile_query() walks.
 *
 *  Nodes are immutable once built and shared through ParsedQuery. Text is kept exactly as typed
 *  (minus quotes and operators); the Analyzer runs in the compiler, not here, so the parser needs no
 *  database and its tests need no stemmer.
 */
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

/// What a node is. The describe() form of each is given next to it.
enum class NodeKind {
  kWord,      ///< `troops` -> (WORD troops); a word that analyses to several tokens becomes a phrase
  kPhrase,    ///< `"special military operation"` -> (PHRASE "special military operation")
  kPrefix,    ///< `ukrain*` -> (PREFIX ukrain): OP_WILDCARD over unstemmed body terms
  kNear,      ///< `a NEAR/5 b` -> (NEAR 5 (WORD a) (WORD b)); children are words or phrases
  kField,     ///< `speaker:lukashenko` -> (FIELD speaker "lukashenko"); title: has one child instead
  kDate,      ///< `date:2022-02..2022-06` -> (DATE 2022-02..2022-06)
  kDefault,   ///< terms side by side: (DEFAULT a b); the default operator (OR with coordination, or AND)
  kAnd,       ///< `a AND b` -> (AND a b)
  kOr,        ///< `a OR b` -> (OR a b)
  kNot,       ///< `NOT a`, `-a` -> (NOT a)
  kRequired,  ///< `+a` -> (REQUIRED a): required within its DEFAULT group
};

/// A calendar date as typed: a whole year (month == 0), a whole month (day == 0), or one day.
struct PartialDate {
  int year = 0;   ///< 1..9999
  int month = 0;  ///< 1..12, or 0 for the whole year
  int day = 0;    ///< 1..31 (valid for the month), or 0 for the whole month/year

  /// "2022", "2022-02" or "2022-02-24".
  std::string iso() const;
  /// First day covered, "YYYYMMDD" (the form of schema::kSlotDate).
  std::string first_day() const;
  /// Last day covered, "YYYYMMDD" (leap years included).
  std::string last_day() const;
};

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (month and day with two digits, validated against the
/// calendar). std::nullopt when malformed or impossible ("2022-13-45", "2023-02-29").
std::optional<PartialDate> parse_partial_date(std::string_view text);

/// One node of the AST.
struct QueryNode {
  NodeKind kind = NodeKind::kWord;
  size_t column = 0;  ///< 1-based code-point column of the node's first character in the query

  /// kWord: the word as typed; kPhrase: the text between the quotes; kPrefix: the text before '*';
  /// kField (boolean fields): the value, quotes removed.
  std::string text;
  /// kField: the field name in lower case ("outlet", "author", "speaker", "title").
  std::string field;
  /// kNear: the maximum distance N of NEAR/N (plain NEAR is 10): operands at most N positions apart.
  unsigned distance = 0;
  /// kDate: the bounds. A single date sets both to the same value with `range` false; an open range
  /// leaves one side empty.
  std::optional<PartialDate> from;
  std::optional<PartialDate> to;
  bool range = false;

  /// Operands (kNear, kDefault, kAnd, kOr: two or more; kNot, kRequired, title kField: one).
  std::vector<std::shared_ptr<const QueryNode>> children;

  /// Canonical S-expression, e.g. `(AND (WORD troop) (PHRASE "a b") (FIELD speaker "lukashenko"))`.
  std::string describe() const;
};

/// Default window of a plain `NEAR` (as in Xapian's QueryParser).
inline constexpr unsigned kDefaultNearDistance = 10;
/// The other limits (query length, terms, nesting, NEAR window, wildcard expansion) are QueryBudget's,
/// in query.h.

}  // namespace dateline
