/** @file
 *  @brief The query language: text -> AST (with columns for errors) -> Xapian::Query.
 *
 *  Every text leaf goes through the database's Analyzer, so query terms are exactly index terms.
 *  The grammar is documented in README.md ("Query syntax").
 */
#pragma once

#include <xapian.h>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/names.h"

namespace dateline {

/// A malformed query. `column` is 1-based, in Unicode code points of the query text, pointing at the
/// offending character (where the caret goes).
class QueryError : public std::runtime_error {
 public:
  QueryError(const std::string& message, size_t column, bool limit = false)
      : std::runtime_error(message), column_(column), limit_(limit) {}
  size_t column() const { return column_; }
  /// A QueryBudget limit (length, terms), not a syntax mistake: Syntax::kSimple does not read around it.
  bool limit() const { return limit_; }

 private:
  size_t column_;
  bool limit_;
};

/// How query text is read (--syntax).
enum class Syntax {
  kFull,    ///< the whole query language; malformed text is a QueryError
  kSimple,  ///< the operators that parse are honoured, the rest is read as words: never a syntax error
  kPlain,   ///< every character is text: no operators, fields, phrases, wildcards or signs
};

/// "full" | "simple" | "plain"; std::nullopt otherwise.
std::optional<Syntax> parse_syntax(std::string_view text);

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

/// The per-query budget: every bound on the work one query may ask for, in one place (docs/reliability.md
/// "Query budget"). Past a structural limit the query is a QueryError naming the limit; the wildcard
/// budget and the time limit cut the work instead and the answer is flagged partial.
struct QueryBudget {
  size_t max_bytes = 64 * 1024;  ///< query text, in bytes: error "query too long"
  /// Words, phrase words, wildcards and field values, counted as typed and again as analysed: error.
  size_t max_terms = 1000;
  size_t max_depth = 100;             ///< nested parentheses and stacked NOT/+/-: error
  unsigned max_near_distance = 1000;  ///< N of NEAR/N: error
  /// Words of all the phrases and NEAR groups of a query together, as analysed (each is checked
  /// position by position in every candidate passage): error.
  size_t max_positional_words = 100;
  /// Index terms that all the wildcards of a query expand to together (a wildcard repeated among its
  /// siblings counts once). Each keeps its most frequent terms; cutting any flags the answer partial.
  unsigned max_wildcard_terms = 1000;
  /// Seconds the matcher may spend counting matches (totals, facets) past the first page; then it
  /// stops counting and the totals and facets are estimates, flagged partial. 0: no limit.
  double time_limit = 5.0;
};

/// Parses query text. Throws QueryError on malformed input (unbalanced quote or parenthesis, unknown
/// field, bad date, operator with a missing operand, empty query, NEAR/x, bare `*`) and beyond the
/// structural limits of `budget` (query length, terms, nesting, NEAR window). Never crashes on any
/// bytes: invalid UTF-8 is read as U+FFFD, control characters separate terms.
/// The grammar and its precedence rules are documented at the top of query.cpp; the AST in query_ast.h.
/// Whitespace-only text is an error ("empty query"); a caller searching with flag filters only passes
/// a default-constructed ParsedQuery to compile_query() instead.
/// Syntax::kSimple reads each character a syntax error points at as text (an unmatched parenthesis or
/// quote, a lone `*` or a malformed field become separators, a misplaced operator a word) until the
/// text parses; Syntax::kPlain reads every run of non-space characters as a word. Both still throw for
/// the structural limits and for text with no words at all ("empty query").
ParsedQuery parse_query(std::string_view text, const QueryBudget& budget = {}, Syntax syntax = Syntax::kFull);

/// The query fields, schema::kFields' rows with a query value, in the table's order: "title, outlet, ...".
std::string query_field_names();

/// The query fields as --help shows them, "title:word outlet:NAME ...": lines of at most `width` columns,
/// each starting with `indent` and ending with '\n'.
std::string query_field_examples(size_t width, std::string_view indent);

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
  QueryBudget budget;      ///< terms (as analysed) and wildcard expansions
  /// How many index terms start with `term_prefix` (a prefixed term, e.g. "Bukrain"), counted up to
  /// `cap` at most: the searcher counts them in its database, so the wildcard budget goes where the terms
  /// are. Unset: every wildcard is taken to need its whole share (an equal share each, never flagged).
  std::function<size_t(const std::string& term_prefix, size_t cap)> count_terms;
  /// The index words that share a name variant key (analyzers/names.h name_keys()): plain words and the
  /// words of speaker:/author: names (and --speaker/--author) also match their other spellings and
  /// scripts ("Kiev" finds "Kyiv" and "Київ", speaker:Зеленский finds "Zelensky"). The searcher binds it
  /// to its database (name_variant_lookup()). Unset: no key expansion.
  std::function<std::vector<std::string>(const std::string& key)> name_variants;
  bool exact_names = false;  ///< --exact-names: no expansion at all (keys nor aliases)
  /// --aliases FILE: user groups, added to the key expansion ("=" groups replace it for their names).
  std::shared_ptr<const NameAliases> aliases;
  /// What the index's person table (searcher/name_groups.h) says of a speaker filter's value: the values
  /// of its person ("Nigel Lawson" -> "Lawson"), which the filter also matches, and for a surname alone the
  /// values of the person with that last name the archive quotes most, whose articles rank first
  /// (`speaker:blair`: Tony Blair before Bob Blair). Unset: neither.
  struct SpeakerPeople {
    std::vector<std::string> same_person;
    std::vector<std::string> most_quoted;
  };
  std::function<SpeakerPeople(const std::string& value)> speaker_people;
  /// The exact-form terms whose positions are those of the ranking term kArticleText + `rank_word` (a
  /// stem, or a word without one), which carries none in the index (schema 4, schema::ranking_forms()),
  /// for `speaker:X word`. The searcher binds it to its database. Unset: the ranking term itself, so the
  /// word matches a passage nowhere (only in the title).
  std::function<std::vector<std::string>(const std::string& rank_word)> ranking_forms;
};

/// A name's words, each with the terms of its spellings (the first: as typed).
using NameTerms = std::vector<std::vector<std::string>>;

/// A phrase or NEAR group of the query (positive, outside OR), for choosing a passage that holds it.
struct PositionalGroup {
  std::vector<std::string> terms;  ///< exact-form terms, in query order
  unsigned window = 0;             ///< every term within this many positions
  bool ordered = false;            ///< a phrase: the terms in order, one after another
};

/// What the searcher needs from a query.
struct CompiledQuery {
  Xapian::Query query;  ///< over article documents (analyzers/schema.h)
  std::vector<std::string> highlight_terms;  ///< unstemmed terms (Token::term) to highlight in snippets
  std::vector<std::string> highlight_stems;  ///< stems whose every form is highlighted
  std::vector<std::string> highlight_prefixes;  ///< folded wildcard prefixes (`ukrain*` -> "ukrain")
  /// The speaker filters (speaker: fields outside OR, and --speaker values): each one's name words
  /// (schema::kSpeakerWord terms, with their spellings), for choosing a passage that quotes the speaker.
  std::vector<NameTerms> speakers;
  std::vector<PositionalGroup> groups;  ///< the phrases and NEAR groups a passage should hold
  bool scored =
      true;  ///< false when nothing in the query weighs (only filters, or a pure NOT): all weights 0
  /// A wildcard lost terms to QueryBudget::max_wildcard_terms (only known with count_terms): articles
  /// holding only its rarer expansions are not found.
  bool wildcards_cut = false;
  /// Each query word or name the name expansion widened, as "kiev -> kyiv київ" (--explain).
  std::vector<std::string> name_expansions;
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
