/** @file
 *  @brief The query language's back half: AST + flag filters -> Xapian::Query over the index schema.
 *
 *  Every text leaf goes through the database's Analyzer, so query terms are exactly index terms.
 *  Each node compiles to a Part: scored (contributes relevance), filter (boolean: fields, dates,
 *  negations; never changes scores) or nothing (text that analyses to no terms, like "&"). Filters
 *  join the scored part with OP_FILTER, as Xapian's QueryParser does for boolean prefixes.
 */
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "analyzers/schema.h"
#include "base/experiments.h"
#include "articles/outlets.h"
#include "searcher/query.h"
#include "searcher/query_ast.h"
#include "searcher/ranking.h"

namespace dateline {

namespace {

using Xapian::Query;

enum class PartKind { kNone, kScored, kFilter };

struct Part {
  Query query;
  PartKind kind = PartKind::kNone;
};

/// The weight a surname-only speaker: filter gives the articles of the surname's most quoted person.
constexpr double kMostQuotedSpeakerWeight = 0.001;

/// Other spellings of one query word at most (CompileOptions::name_variants, aliases).
constexpr size_t kMaxNameVariants = 32;

Query combine(Query::op op, const std::vector<Query>& queries) {
  if (queries.size() == 1) return queries.front();
  return Query(op, queries.begin(), queries.end());
}

// Query-time scale of title terms. The title's weight is already in its wdf (the document builder
// multiplies it by schema kFields "title" weight); ZS and Z terms have their own statistics, so the
// title term's BM25 weight is scaled only by ranking::kTitleQueryScale on top.
double title_weight() {
  return ranking_knob("tscale", ranking::kTitleQueryScale);
}

std::string prefixed(std::string_view prefix, std::string_view term) {
  std::string out(prefix);
  out += term;
  return out;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// A positive text operand, for `speaker:X word` (a passage quoting X that holds the word): the
/// positional terms it needs in one passage (NEAR operands), and its query over the title.
struct Leaf {
  std::vector<std::string> body;  ///< positional terms; empty: it has none (a wildcard), or rank_word
  Query title;                    ///< its match in the title, or empty
  /// A plain word that is not a stop word: its ranking term's word (stem, or itself), whose positions
  /// are those of its exact forms (CompileOptions::ranking_forms()).
  std::string rank_word;
};

class Compiler {
 public:
  Compiler(const Analyzer& analyzer, const CompileOptions& options, CompiledQuery& out)
      : analyzer_(analyzer),
        options_(options),
        out_(out),
        title_weight_(title_weight()),
        coordination_(ranking_knob("coord", ranking::kCoordinationBonus ? 1 : 0) != 0),
        drop_stop_words_(ranking_knob("stop", ranking::kDropStopWords ? 1 : 0) != 0),
        compound_parts_optional_(ranking_knob("compound", ranking::kCompoundPartsOptional ? 1 : 0) != 0),
        acronym_plurals_(ranking_knob("acro", ranking::kAcronymPlurals ? 1 : 0) != 0) {}

  Part compile(const QueryNode& node, bool positive) {
    switch (node.kind) {
      case NodeKind::kWord:
        return word(node, positive);
      case NodeKind::kPhrase:
        return phrase(node, positive);
      case NodeKind::kPrefix:
        return prefix(node, positive, schema::kBody);
      case NodeKind::kNear:
        return near(node, positive);
      case NodeKind::kField:
        return field(node, positive);
      case NodeKind::kDate:
        return {date_query(node), PartKind::kFilter};
      case NodeKind::kDefault:
        return group(node, positive, /*default_op=*/true);
      case NodeKind::kAnd:
        return group(node, positive, /*default_op=*/false);
      case NodeKind::kOr:
        return any_of(node, positive);
      case NodeKind::kNot:
        return negation(node);
      case NodeKind::kRequired:
        return compile(*node.children.front(), positive);
    }
    return {};
  }

  /// The first pass over the query: each wildcard's share of QueryBudget::max_wildcard_terms. Every
  /// wildcard compiled (identical siblings once, as group() and any_of() compile them) takes its share;
  /// shares go first to the wildcards that need fewest terms (the searcher counts them in its database),
  /// and the rest is split evenly among the others, which keep their most frequent terms.
  void plan_wildcards(const QueryNode& root) {
    std::map<std::string, size_t> uses;  // term prefix -> wildcards compiled with it
    size_t total = 0;
    const size_t budget = options_.budget.max_wildcard_terms;
    count_wildcards(root, uses, total);
    if (uses.empty()) return;
    struct Need {
      std::string term;
      size_t uses;
      size_t terms;  // index terms it would expand to, at most budget + 1
    };
    std::vector<Need> needs;
    for (const auto& [term, n] : uses) {
      const bool counted = static_cast<bool>(options_.count_terms);
      needs.push_back({term, n, counted ? options_.count_terms(term, budget + 1) : budget + 1});
    }
    std::stable_sort(needs.begin(), needs.end(),
                     [](const Need& a, const Need& b) { return a.terms < b.terms; });
    // total <= budget (count_wildcards() made sure), so every share is at least 1 (0 would be unlimited).
    size_t remaining = budget;
    size_t uses_left = total;
    for (const Need& need : needs) {
      const size_t share = remaining / uses_left;
      const size_t allowed = std::max<size_t>(1, std::min(need.terms, share));
      allowance_[need.term] = static_cast<Xapian::termcount>(allowed);
      if (options_.count_terms && need.terms > allowed) out_.wildcards_cut = true;
      remaining -= allowed * need.uses;
      uses_left -= need.uses;
    }
  }

  /// The boolean query of an outlet name as typed (field value or --outlet flag).
  Query outlet_query(std::string_view value, size_t column) {
    Query exact(schema::boolean_term(schema::kOutlet, canonical_outlet_or_self(value)));
    if (canonical_outlet(value).has_value()) return exact;
    // Unknown to the gazetteer: also accept the words of the name ("pravda" finds "Pravda.Ru").
    std::vector<Query> words = name_words(schema::kOutletWord, value, column);
    if (words.empty()) return exact;
    return Query(Query::OP_OR, exact, combine(Query::OP_AND, words));
  }

  /// AND of the name-word terms of `value` ("Alexander Lukashenko" -> XSWalexander AND XSWlukashenko).
  /// Each word also matches its name variants (variants_of()); a name that is a whole member of a user
  /// alias group also matches every other name of the group. `terms`: when given, receives each word's
  /// spellings' terms.
  Query name_query(std::string_view prefix, std::string_view what, std::string_view value, size_t column,
                   NameTerms* terms = nullptr) {
    std::vector<Query> words = name_words(prefix, value, column, terms);
    if (words.empty()) {
      throw QueryError(std::string(what) + " '" + std::string(value) + "' has no words to match", column);
    }
    Query all = combine(Query::OP_AND, words);
    if (options_.exact_names || !options_.aliases) return all;
    std::vector<std::string> typed;
    for (const Token& token : analyzer_.analyze(value)) typed.push_back(token.term);
    std::vector<Query> names{all};
    for (const NameAliases::Group* group : options_.aliases->groups_of(typed)) {
      for (const std::vector<std::string>& name : group->names) {
        if (name == typed) continue;
        std::vector<Query> alias;
        for (const std::string& w : name) {
          std::vector<Query> spellings{Query(schema::boolean_term(prefix, w))};
          for (const std::string& v : variants_of(w)) spellings.emplace_back(schema::boolean_term(prefix, v));
          alias.push_back(combine(Query::OP_OR, spellings));
        }
        names.push_back(combine(Query::OP_AND, alias));
      }
    }
    return combine(Query::OP_OR, names);
  }

  /// `speaker:X word` means a passage that quotes X and holds the word (or a title that holds it): the
  /// query's positive text operands each within one passage of the speaker's words (schema.h
  /// "Positions"). `speakers`: alternatives (OR), each the name words of one speaker filter with their
  /// spellings. Xapian's NEAR takes terms only, so each combination of spellings is one NEAR (at most
  /// kMaxSpellingCombinations, the commonest first: the first spelling of each word is the name as typed).
  /// Empty when the query has no text operand to pair with.
  Query same_passage(const std::vector<NameTerms>& speakers) const {
    if (leaves_.empty() || speakers.empty()) return {};
    constexpr size_t kMaxSpellingCombinations = 16;
    std::vector<std::vector<std::string>> combinations;
    for (const NameTerms& words : speakers) {
      std::vector<std::vector<std::string>> partial{{}};
      for (const auto& spellings : words) {
        std::vector<std::vector<std::string>> next;
        for (const auto& p : partial) {
          for (const auto& t : spellings) {
            if (next.size() >= kMaxSpellingCombinations) break;
            next.push_back(p);
            next.back().push_back(t);
          }
        }
        partial = std::move(next);
      }
      for (auto& p : partial) combinations.push_back(std::move(p));
    }
    std::vector<Query> alternatives;
    for (const auto& names : combinations) {
      std::vector<Query> either;
      for (const Leaf& leaf : leaves_) {
        if (!leaf.rank_word.empty()) {
          std::vector<std::string> terms;  // each once, as below
          for (const auto& t : names) {
            if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
          }
          std::vector<Query> near(terms.begin(), terms.end());
          near.push_back(rank_forms(leaf.rank_word));
          either.emplace_back(Query::OP_NEAR, near.begin(), near.end(), schema::kSpeakerWindow);
          if (!leaf.title.empty()) either.push_back(leaf.title);
          continue;
        }
        if (leaf.body.empty()) {
          if (leaf.title.empty()) return {};  // a wildcard: no positional form; the article-level filter holds
          either.push_back(leaf.title);
          continue;
        }
        // Each term once: NEAR needs a repeated term at as many distinct positions ("Corp ... Corp").
        std::vector<std::string> terms;
        for (const auto* list : {&names, &leaf.body}) {
          for (const auto& t : *list) {
            if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
          }
        }
        std::vector<Query> near;
        for (const auto& t : terms) near.emplace_back(t);
        either.emplace_back(Query::OP_NEAR, near.begin(), near.end(), schema::kSpeakerWindow);
        if (!leaf.title.empty()) either.push_back(leaf.title);
      }
      alternatives.push_back(combine(Query::OP_OR, either));
    }
    return combine(Query::OP_OR, alternatives);
  }

  /// The speaker fields of the query (positive, outside OR): each one's name-word terms.
  const std::vector<NameTerms>& speaker_fields() const { return speaker_fields_; }

 private:
  std::vector<Token> analyze(std::string_view text, size_t column) {
    std::vector<Token> tokens = analyzer_.analyze(text);
    terms_ += tokens.size();
    if (terms_ > options_.budget.max_terms) {
      throw QueryError("too many terms (at most " + std::to_string(options_.budget.max_terms) + ")", column,
                       true);
    }
    return tokens;
  }

  /// Counts the words of a phrase or NEAR group against QueryBudget::max_positional_words.
  void positional_words(size_t n, size_t column) {
    positional_ += n;
    if (positional_ > options_.budget.max_positional_words) {
      throw QueryError("phrases and NEAR groups have more than " +
                           std::to_string(options_.budget.max_positional_words) + " words in total",
                       column);
    }
  }

  /// A wildcard's text as its index terms begin: a prefix that is one index word keeps that word's form
  /// ("U.S.*" -> "u.s", as "U.S." is indexed); anything else is folded as typed.
  std::string folded_wildcard(const QueryNode& node) const {
    std::vector<Token> tokens = analyzer_.analyze(node.text);
    std::string folded = tokens.size() == 1 ? tokens.front().term : analyzer_.fold(node.text);
    if (code_points(folded) < 2) {
      throw QueryError("a wildcard needs at least 2 characters before '*'", node.column);
    }
    return folded;
  }

  /// For an operand compiled only once when a group repeats it, a key that is the same for identical
  /// ones: wildcards (`ma*`, `title:ma*`, `+ma*`, `-ma*`), phrases, NEAR and parenthesised groups. Empty
  /// for the others: a repeated plain word or field weighs again, as in Xapian and Lucene.
  std::string repeat_key(const QueryNode& node) const {
    switch (node.kind) {
      case NodeKind::kPrefix:
        return prefixed(schema::kBody, folded_wildcard(node));
      case NodeKind::kField:
        if (node.field != "title" || node.children.front()->kind != NodeKind::kPrefix) return {};
        return prefixed(schema::kTitle, folded_wildcard(*node.children.front()));
      case NodeKind::kPhrase:
      case NodeKind::kNear:
      case NodeKind::kDefault:
      case NodeKind::kAnd:
      case NodeKind::kOr:
        return node.describe();  // "(PHRASE ...", "(NEAR ...": never a term prefix
      case NodeKind::kRequired:
      case NodeKind::kNot: {
        std::string inner = repeat_key(*node.children.front());
        if (inner.empty()) return inner;
        std::string key(1, node.kind == NodeKind::kNot ? '-' : '+');
        key += inner;
        return key;
      }
      default:
        return {};
    }
  }

  /// True for an operand identical to an earlier one of the same group (`ma* ma*`, `(a b) (a b)`): it
  /// would match the same documents again at the cost of another expansion or position check, so it is
  /// compiled once (a hostile query repeating `ma*` 999 times costs what `ma*` costs).
  bool repeated_operand(const QueryNode& child, std::set<std::string>& seen) const {
    std::string key = repeat_key(child);
    return !key.empty() && !seen.insert(key).second;
  }

  /// plan_wildcards()'s walk: the term prefix of every wildcard compile() will expand.
  void count_wildcards(const QueryNode& node, std::map<std::string, size_t>& uses, size_t& total) const {
    std::string term;
    if (node.kind == NodeKind::kPrefix) term = prefixed(schema::kBody, folded_wildcard(node));
    if (node.kind == NodeKind::kField && node.field == "title" &&
        node.children.front()->kind == NodeKind::kPrefix) {
      term = prefixed(schema::kTitle, folded_wildcard(*node.children.front()));
    }
    if (!term.empty()) {
      ++uses[term];
      if (++total > options_.budget.max_wildcard_terms) {
        throw QueryError("wildcards expand to more than " +
                             std::to_string(options_.budget.max_wildcard_terms) + " terms in total",
                         node.column);
      }
      return;
    }
    const bool group =
        node.kind == NodeKind::kDefault || node.kind == NodeKind::kAnd || node.kind == NodeKind::kOr;
    std::set<std::string> seen;
    for (const auto& child : node.children) {
      if (group && repeated_operand(*child, seen)) continue;
      count_wildcards(*child, uses, total);
    }
  }

  std::vector<Query> name_words(std::string_view prefix, std::string_view value, size_t column,
                                NameTerms* terms = nullptr) {
    std::vector<Query> words;
    // schema::boolean_term() as the document builder makes these terms (same normalisation and cut).
    for (const Token& token : analyze(value, column)) {
      const std::string term = schema::boolean_term(prefix, token.term);
      std::vector<std::string> spelt{term};
      for (const std::string& v : variants_of(token.term)) spelt.push_back(schema::boolean_term(prefix, v));
      std::vector<Query> spellings(spelt.begin(), spelt.end());
      words.push_back(combine(Query::OP_OR, spellings));
      if (terms != nullptr) terms->push_back(std::move(spelt));
    }
    return words;
  }

  /// Notes a positive text operand for same_passage().
  void leaf(std::vector<std::string> body, Query title) {
    if (in_or_ > 0) return;
    leaves_.push_back({std::move(body), std::move(title), {}});
  }

  /// Notes a plain word for same_passage(): a stop word by its exact form (it has no ranking term), any
  /// other by its ranking term's word, whose positions are its forms' (rank_forms()).
  void word_leaf(const Token& token) {
    if (in_or_ > 0) return;
    if (analyzer_.is_stop_word(token.term)) {
      leaves_.push_back({{prefixed(schema::kBody, token.term)}, stemmed_title(token), {}});
    } else {
      leaves_.push_back({{}, stemmed_title(token), token.stem.empty() ? token.term : token.stem});
    }
  }

  /// A ranking term's positions as a NEAR operand: any of its exact forms (schema::ranking_forms()). With
  /// none (no form known, or no lookup) the ranking term itself, which has no positions: no passage matches.
  Query rank_forms(const std::string& rank_word) const {
    std::vector<std::string> forms;
    if (options_.ranking_forms) forms = options_.ranking_forms(rank_word);
    if (forms.empty()) return Query(prefixed(schema::kArticleText, rank_word));
    if (forms.size() == 1) return Query(forms.front());
    return Query(Query::OP_OR, forms.begin(), forms.end());
  }

  /// The other index words of `term` (names.h): its single-word user alias groups, and, unless a "="
  /// group holds it, the words sharing one of its name keys; at most kMaxNameVariants, none with
  /// --exact-names. Each expansion is noted once in CompiledQuery::name_expansions.
  const std::vector<std::string>& variants_of(const std::string& term) {
    static const std::vector<std::string> none;
    if (options_.exact_names) return none;
    auto cached = variants_.find(term);
    if (cached != variants_.end()) return cached->second;
    std::set<std::string> found;
    bool keys = static_cast<bool>(options_.name_variants);
    if (options_.aliases) {
      for (const NameAliases::Group* group : options_.aliases->groups_of({term})) {
        if (group->override_keys) keys = false;
        for (const std::vector<std::string>& name : group->names) {
          if (name.size() == 1) found.insert(name.front());
        }
      }
    }
    if (keys) {
      // The word's keys, and those of the words its alias groups add ("Minsk, Kyiv": Kyiv's spellings).
      std::set<std::string> spelt = found;
      spelt.insert(term);
      for (const std::string& w : spelt) {
        for (const std::string& key : name_keys(w)) {
          for (std::string& v : options_.name_variants(key)) found.insert(std::move(v));
        }
      }
    }
    found.erase(term);
    std::vector<std::string> out;
    for (const std::string& v : found) {
      if (out.size() == kMaxNameVariants) break;
      out.push_back(v);
    }
    if (!out.empty()) {
      std::string note = term + " ->";
      for (const std::string& v : out) note += " " + v;
      out_.name_expansions.push_back(std::move(note));
    }
    return variants_.emplace(term, std::move(out)).first->second;
  }

  void highlight_term(const std::string& term) {
    if (seen_terms_.insert(term).second) out_.highlight_terms.push_back(term);
  }
  void highlight_stem(const std::string& stem) {
    if (!stem.empty() && seen_stems_.insert(stem).second) out_.highlight_stems.push_back(stem);
  }

  /// For an acronym as typed, the stem of its other number, which the Snowball stemmer does not merge
  /// ("RNAs" -> "rna", "RXRs" -> "rxr", "NGO" -> "ngos"; "miRNAs" is stemmed to "mirna" already);
  /// empty for any other word. An acronym: at least two capital letters (digits may follow), plus a
  /// lower-case "s" for a plural.
  std::string acronym_other_number(std::string_view typed, const Token& token) const {
    // Only where the stemmer left the word as it is: "TROOPS" and "AIDS" are stemmed like words.
    if (!acronym_plurals_ || token.stem != token.term || typed.size() < 3) return {};
    auto capital = [](char c) { return c >= 'A' && c <= 'Z'; };
    std::string other;
    if (std::all_of(typed.begin(), typed.end(),
                    [&](char c) { return capital(c) || (c >= '0' && c <= '9'); }) &&
        capital(typed[0]) && capital(typed[1])) {
      other = analyzer_.stem(token.term + "s");  // "RNA" -> "rnas"
    } else if (typed.back() == 's' && capital(typed[typed.size() - 2]) && capital(typed[typed.size() - 3])) {
      other =
          analyzer_.stem(std::string_view(token.term).substr(0, token.term.size() - 1));  // "RNAs" -> "rna"
    }
    return other == token.stem ? std::string() : other;
  }

  /// One analysed word, stemmed: text stem OR (title stem, weighted like the title field). `also` is a
  /// second stem that is the same word (acronym_other_number()), or empty: both count as one term
  /// (OP_SYNONYM: one BM25 weight from their combined frequencies). A word without a stem (a number,
  /// "u.s") is its own ranking term. A stop word has no ranking term (schema.h): its exact form, which
  /// weighs nothing, stands in (`+the`, a query of stop words only).
  Query stemmed_word(const Token& token, const std::string& also = {}) {
    if (analyzer_.is_stop_word(token.term)) {
      return Query(Query::OP_OR, Query(prefixed(schema::kBody, token.term)),
                   Query(prefixed(schema::kTitle, token.term)));
    }
    const std::vector<std::string>& variants = variants_of(token.term);
    if (!variants.empty()) return spelled_word(token, also, variants);
    const std::string& word = token.stem.empty() ? token.term : token.stem;
    auto one = [&](std::string_view prefix) {
      if (also.empty()) return Query(prefixed(prefix, word));
      return Query(Query::OP_SYNONYM, Query(prefixed(prefix, word)), Query(prefixed(prefix, also)));
    };
    return Query(Query::OP_OR, one(schema::kArticleText),
                 Query(Query::OP_SCALE_WEIGHT, one(schema::kArticleTitle), title_weight_));
  }

  /// The ranking part of a positional match (phrase, NEAR, quoted word): its words' ranking terms, as
  /// plain words weigh them. Exact forms weigh nothing (wdf 0, schema.h).
  Query ranking_of(const std::vector<Token>& tokens) {
    std::vector<Query> words;
    std::set<std::string> seen;
    for (const Token& t : tokens) {
      if (analyzer_.is_stop_word(t.term) || !seen.insert(t.stem.empty() ? t.term : t.stem).second) continue;
      words.push_back(stemmed_word(t));
    }
    return words.empty() ? Query() : combine(Query::OP_OR, words);
  }

  /// A word and its other spellings (variants_of()) as one term: OP_SYNONYM of the ranking terms, OR the
  /// synonym of the title terms weighted like the title field. Each spelling is analysed as a query word.
  Query spelled_word(const Token& token, const std::string& also, const std::vector<std::string>& variants) {
    std::vector<Query> text;
    std::vector<Query> title;
    auto add = [&](const std::string& w) {
      text.emplace_back(prefixed(schema::kArticleText, w));
      title.emplace_back(prefixed(schema::kArticleTitle, w));
    };
    add(token.stem.empty() ? token.term : token.stem);
    if (!also.empty()) add(also);
    for (const std::string& v : variants) {
      std::vector<Token> tokens = analyzer_.analyze(v);
      if (tokens.size() == 1 && !analyzer_.is_stop_word(tokens.front().term))
        add(tokens.front().stem.empty() ? tokens.front().term : tokens.front().stem);
    }
    return Query(Query::OP_OR, Query(Query::OP_SYNONYM, text.begin(), text.end()),
                 Query(Query::OP_SCALE_WEIGHT, Query(Query::OP_SYNONYM, title.begin(), title.end()), title_weight_));
  }

  /// `match` (weightless exact forms) weighed by `tokens`' ranking terms.
  Query weighed(const Query& match, const std::vector<Token>& tokens) {
    Query rank = ranking_of(tokens);
    return rank.empty() ? match : Query(Query::OP_AND_MAYBE, match, rank);
  }

  /// One word in its exact (unstemmed) form, in body or title.
  Query exact_word(const Token& token) {
    leaf({prefixed(schema::kBody, token.term)}, Query(prefixed(schema::kTitle, token.term)));
    return weighed(
        Query(Query::OP_OR, Query(prefixed(schema::kBody, token.term)), Query(prefixed(schema::kTitle, token.term))),
        {token});
  }

  /// A phrase over one positional field's terms. The window spans the tokens' positions, so a gap the
  /// Analyzer leaves (if it ever drops a word) does not make the phrase unmatchable.
  static Query phrase_over(std::string_view prefix, const std::vector<Token>& tokens) {
    std::vector<Query> terms;
    terms.reserve(tokens.size());
    for (const Token& token : tokens) terms.emplace_back(prefixed(prefix, token.term));
    Xapian::termcount window = tokens.back().position - tokens.front().position + 1;
    window = std::max<Xapian::termcount>(window, static_cast<Xapian::termcount>(tokens.size()));
    return Query(Query::OP_PHRASE, terms.begin(), terms.end(), window);
  }

  /// Notes a positive phrase or NEAR group for the passage choice.
  void group(const std::vector<Token>& tokens, unsigned window, bool ordered) {
    if (in_or_ > 0) return;
    PositionalGroup g;
    for (const Token& t : tokens) g.terms.push_back(prefixed(schema::kBody, t.term));
    g.window = window;
    g.ordered = ordered;
    out_.groups.push_back(std::move(g));
  }

  Query body_or_title_phrase(const std::vector<Token>& tokens) {
    std::vector<std::string> body;
    for (const Token& t : tokens) body.push_back(prefixed(schema::kBody, t.term));
    leaf(std::move(body), phrase_over(schema::kTitle, tokens));
    return weighed(Query(Query::OP_OR, phrase_over(schema::kBody, tokens), phrase_over(schema::kTitle, tokens)),
                   tokens);
  }

  /// True when `text` analyses to English stop words only (and stop words are dropped at all).
  bool only_stop_words(std::string_view text) const {
    if (!drop_stop_words_) return false;
    std::vector<Token> tokens = analyzer_.analyze(text);
    return !tokens.empty() && std::all_of(tokens.begin(), tokens.end(),
                                          [&](const Token& t) { return analyzer_.is_stop_word(t.term); });
  }

  Part word(const QueryNode& node, bool positive) {
    std::vector<Token> tokens = analyze(node.text, node.column);
    if (tokens.empty()) return {};
    if (drop_stop_words_ && tokens.size() > 1) {
      // "state-of-the-art": the compound's stop words add nothing but cost; its other parts stay required.
      std::vector<Token> kept;
      for (Token& t : tokens) {
        if (!analyzer_.is_stop_word(t.term)) kept.push_back(std::move(t));
      }
      if (!kept.empty()) tokens = std::move(kept);
    }
    if (positive) {
      for (const Token& token : tokens) {
        highlight_term(token.term);
        highlight_stem(token.stem);
        word_leaf(token);
      }
    }
    auto stemmed = [&](const Token& t) {
      return stemmed_word(
          t, acronym_other_number(std::string_view(node.text).substr(t.begin, t.end - t.begin), t));
    };
    if (tokens.size() == 1) return {stemmed(tokens.front()), PartKind::kScored};
    // "Belarus-Ukraine", "IL-10", "PPAR-RXRs": one typed word, several index words, each stemmed. Not a
    // phrase: a phrase is matched on exact forms, so an unquoted compound in another form ("RXR") would
    // fail it. Quoting it ("Belarus-Ukraine") asks for the exact phrase. Among the optional words of a bag of words
    // (ranking::kCompoundPartsOptional) each part is a word of the bag, as Lucene's and Elasticsearch's
    // analyzers make them, so one part in another form ("RXR" for "RXRs") does not cost the others; a
    // required compound (+word, --match all, AND, alone) needs every part.
    std::vector<Query> parts;
    parts.reserve(tokens.size());
    for (const Token& token : tokens) parts.push_back(stemmed(token));
    const Query::op op = optional_word_ && compound_parts_optional_ ? Query::OP_OR : Query::OP_AND;
    return {Query(op, parts.begin(), parts.end()), PartKind::kScored};
  }

  Part phrase(const QueryNode& node, bool positive) {
    std::vector<Token> tokens = analyze(node.text, node.column);
    if (tokens.empty()) return {};
    if (positive) {
      for (const Token& token : tokens) highlight_term(token.term);
    }
    if (tokens.size() == 1) return {exact_word(tokens.front()), PartKind::kScored};
    positional_words(tokens.size(), node.column);
    if (positive) group(tokens, static_cast<unsigned>(tokens.size()), true);
    return {body_or_title_phrase(tokens), PartKind::kScored};
  }

  /// A wildcard matches exact word forms (which weigh nothing); the ranking terms that begin the same
  /// way weigh the match, within the same expansion limit.
  Part prefix(const QueryNode& node, bool positive, std::string_view field_prefix) {
    const std::string folded = folded_wildcard(node);
    ++terms_;
    if (positive && seen_prefixes_.insert(folded).second) out_.highlight_prefixes.push_back(folded);
    if (positive) leaf({}, {});
    // Its share of the query's wildcard budget (plan_wildcards()); the most frequent terms are kept.
    const std::string term = prefixed(field_prefix, folded);
    const Xapian::termcount limit = allowance_.at(term);
    const std::string_view rank_prefix = field_prefix == schema::kTitle ? schema::kArticleTitle : schema::kArticleText;
    const Query match(Query::OP_WILDCARD, term, limit, Query::WILDCARD_LIMIT_MOST_FREQUENT);
    const Query rank(Query::OP_WILDCARD, prefixed(rank_prefix, folded), limit, Query::WILDCARD_LIMIT_MOST_FREQUENT);
    return {Query(Query::OP_AND_MAYBE, match, rank), PartKind::kScored};
  }

  /// NEAR/N: every operand word within a window of N + (words - 1) positions, in any order (Xapian
  /// QueryParser's rule: two words at most N positions apart). A phrase operand contributes its words.
  Part near(const QueryNode& node, bool positive) {
    std::vector<Token> tokens;
    for (const auto& child : node.children) {
      std::vector<Token> part = analyze(child->text, child->column);
      tokens.insert(tokens.end(), part.begin(), part.end());
    }
    if (tokens.empty()) return {};
    if (positive) {
      for (const Token& token : tokens) highlight_term(token.term);
    }
    if (tokens.size() == 1) return {exact_word(tokens.front()), PartKind::kScored};
    positional_words(tokens.size(), node.column);
    auto near_over = [&](std::string_view prefix) {
      std::vector<Query> terms;
      for (const Token& token : tokens) terms.emplace_back(prefixed(prefix, token.term));
      auto window = static_cast<Xapian::termcount>(node.distance + tokens.size() - 1);
      return Query(Query::OP_NEAR, terms.begin(), terms.end(), window);
    };
    std::vector<std::string> body;
    for (const Token& t : tokens) body.push_back(prefixed(schema::kBody, t.term));
    leaf(std::move(body), near_over(schema::kTitle));
    if (positive) group(tokens, static_cast<unsigned>(node.distance + tokens.size() - 1), false);
    return {weighed(Query(Query::OP_OR, near_over(schema::kBody), near_over(schema::kTitle)), tokens),
            PartKind::kScored};
  }

  Part field(const QueryNode& node, bool positive) {
    if (node.field == "title") return title(*node.children.front(), positive);
    if (node.field == "outlet") return {outlet_query(node.text, node.column), PartKind::kFilter};
    if (node.field == "wire") {  // "wire:ap" -> the agency's canonical name, as the index stores it
      Query wire(schema::boolean_term(schema::kWire, canonical_outlet_or_self(node.text)));
      return {wire, PartKind::kFilter};
    }
    if (node.field == "author") {
      return {name_query(schema::kAuthorWord, "author:", node.text, node.column), PartKind::kFilter};
    }
    if (node.field == "speaker") {
      NameTerms terms;
      Query q = name_query(schema::kSpeakerWord, "speaker:", node.text, node.column, &terms);
      if (positive && in_or_ == 0) speaker_fields_.push_back(std::move(terms));
      if (options_.exact_names || !options_.speaker_people) return {q, PartKind::kFilter};
      // The index's person table: the person's other values match too ("Nigel Lawson": "Lawson" where
      // the archive resolved it), and a surname alone ranks its most quoted bearer's articles first.
      const CompileOptions::SpeakerPeople people = options_.speaker_people(node.text);
      auto values = [](const std::vector<std::string>& names) {
        std::vector<Query> alternatives;
        for (const std::string& n : names) alternatives.emplace_back(schema::boolean_term(schema::kSpeaker, n));
        return combine(Query::OP_OR, alternatives);
      };
      if (!people.same_person.empty()) q = Query(Query::OP_OR, q, values(people.same_person));
      if (!positive || people.most_quoted.empty()) return {q, PartKind::kFilter};
      // A tiny fixed weight: it orders a filter-only query and barely moves a scored one.
      Xapian::PostingSource* fixed = new Xapian::FixedWeightPostingSource(kMostQuotedSpeakerWeight);
      Query boost(Query::OP_FILTER, Query(fixed->release()), values(people.most_quoted));
      return {Query(Query::OP_AND_MAYBE, q, boost), PartKind::kScored};
    }
    // id:ID: the article with that id exactly (ids are case-sensitive), every document of it: the id's
    // value slot, which holds it byte for byte whatever its length.
    if (node.field == "id") {
      return {Query(Query::OP_VALUE_RANGE, schema::kSlotArticleId, node.text, node.text), PartKind::kFilter};
    }
    throw QueryError("unknown field '" + node.field + "'", node.column);
  }

  /// The title-only ranking query of a word (its stem, or itself).
  Query stemmed_title(const Token& token) const {
    return Query(prefixed(schema::kArticleTitle, token.stem.empty() ? token.term : token.stem));
  }

  /// title:word -> title stem; title:"a phrase" -> phrase over title terms; title:pre* -> title terms.
  Part title(const QueryNode& value, bool positive) {
    if (value.kind == NodeKind::kPrefix) return prefix(value, positive, schema::kTitle);
    std::vector<Token> tokens = analyze(value.text, value.column);
    if (tokens.empty()) {
      throw QueryError("title: '" + value.text + "' has no words to match", value.column);
    }
    if (positive) {
      for (const Token& token : tokens) highlight_term(token.term);
    }
    std::vector<Query> rank;
    for (const Token& t : tokens) {
      if (!analyzer_.is_stop_word(t.term)) rank.push_back(stemmed_title(t));
    }
    const Query weight = rank.empty() ? Query() : combine(Query::OP_OR, rank);
    auto with_weight = [&](const Query& match) {
      return weight.empty() ? match : Query(Query::OP_AND_MAYBE, match, weight);
    };
    if (tokens.size() > 1) {
      positional_words(tokens.size(), value.column);
      Query match = phrase_over(schema::kTitle, tokens);
      if (positive) leaf({}, match);
      return {with_weight(match), PartKind::kScored};
    }
    const Token& token = tokens.front();
    const Query exact(prefixed(schema::kTitle, token.term));
    if (value.kind == NodeKind::kPhrase || analyzer_.is_stop_word(token.term)) {
      if (positive) leaf({}, exact);
      return {with_weight(exact), PartKind::kScored};
    }
    if (positive) {
      highlight_stem(token.stem);
      leaf({}, stemmed_title(token));
    }
    return {stemmed_title(token), PartKind::kScored};
  }

  static Query date_query(const QueryNode& node) {
    if (!node.range) {
      const PartialDate& d = *node.from;
      if (d.month == 0) return Query(prefixed(schema::kYear, d.iso()));
      if (d.day == 0) return Query(prefixed(schema::kMonth, d.first_day().substr(0, 6)));
      return Query(prefixed(schema::kDay, d.first_day()));
    }
    if (node.from && node.to) {
      return Query(Query::OP_VALUE_RANGE, schema::kSlotDate, node.from->first_day(), node.to->last_day());
    }
    if (node.from) return Query(Query::OP_VALUE_GE, schema::kSlotDate, node.from->first_day());
    return Query(Query::OP_VALUE_LE, schema::kSlotDate, node.to->last_day());
  }

  /// `NOT x` on its own (a query, or an OR operand): everything except x.
  Part negation(const QueryNode& node) {
    Part inner = compile(*node.children.front(), false);
    if (inner.kind == PartKind::kNone) return {};
    return {Query(Query::OP_AND_NOT, Query::MatchAll, inner.query), PartKind::kFilter};
  }

  /// DEFAULT and AND groups: required, optional (DEFAULT only), filter and excluded members.
  Part group(const QueryNode& node, bool positive, bool default_op) {
    std::vector<Query> required;
    std::vector<Query> optional;
    std::vector<Query> filters;
    std::vector<Query> excluded;
    // Bag of words: optional words that are stop words only ("the", "of") are dropped when the group
    // has other words to rank by (Lucene's and Anserini's behaviour; ranking::kDropStopWords).
    std::vector<bool> stop(node.children.size(), false);
    bool has_content = false;
    if (default_op && drop_stop_words_) {
      for (size_t i = 0; i < node.children.size(); ++i) {
        const QueryNode& child = *node.children[i];
        if (child.kind == NodeKind::kWord && only_stop_words(child.text)) {
          stop[i] = true;
        } else if (child.kind != NodeKind::kNot && child.kind != NodeKind::kDate &&
                   !(child.kind == NodeKind::kField && child.field != "title")) {
          has_content = true;
        }
      }
    }
    std::set<std::string> repeated;
    for (size_t i = 0; i < node.children.size(); ++i) {
      const auto& child = node.children[i];
      if (stop[i] && has_content) continue;
      if (repeated_operand(*child, repeated)) continue;
      if (child->kind == NodeKind::kNot) {
        Part p = compile(*child->children.front(), false);
        if (p.kind != PartKind::kNone) excluded.push_back(p.query);
        continue;
      }
      bool is_required = !default_op || child->kind == NodeKind::kRequired;
      optional_word_ = !is_required && !options_.match_all && child->kind == NodeKind::kWord;
      Part p = compile(*child, positive);
      optional_word_ = false;
      if (p.kind == PartKind::kFilter) {
        filters.push_back(p.query);
      } else if (p.kind == PartKind::kScored) {
        (is_required || options_.match_all ? required : optional).push_back(p.query);
      }
    }
    Part out;
    if (!optional.empty()) {
      // Coordination: every passage with any word matches; those with all of them score higher.
      Query any = combine(Query::OP_OR, optional);
      out.query = optional.size() == 1 || !coordination_
                      ? any
                      : Query(Query::OP_AND_MAYBE, any, combine(Query::OP_AND, optional));
      out.kind = PartKind::kScored;
    }
    if (!required.empty()) {
      Query all = combine(Query::OP_AND, required);
      out.query = out.kind == PartKind::kScored ? Query(Query::OP_AND_MAYBE, all, out.query) : all;
      out.kind = PartKind::kScored;
    }
    if (!filters.empty()) {
      Query f = combine(Query::OP_AND, filters);
      if (out.kind == PartKind::kScored) {
        out.query = Query(Query::OP_FILTER, out.query, f);
      } else {
        out.query = f;
        out.kind = PartKind::kFilter;
      }
    }
    if (!excluded.empty()) {
      Query x = combine(Query::OP_OR, excluded);
      if (out.kind == PartKind::kNone) {
        out.query = Query(Query::OP_AND_NOT, Query::MatchAll, x);
        out.kind = PartKind::kFilter;
      } else {
        out.query = Query(Query::OP_AND_NOT, out.query, x);
      }
    }
    return out;
  }

  /// OR: filter operands keep weight 0 so `troops OR outlet:tass` does not rank TASS by a term weight.
  Part any_of(const QueryNode& node, bool positive) {
    std::vector<Part> parts;
    bool any_scored = false;
    std::set<std::string> repeated;
    ++in_or_;
    struct Leave {
      int& depth;
      ~Leave() { --depth; }
    } leave{in_or_};
    for (const auto& child : node.children) {
      if (repeated_operand(*child, repeated)) continue;
      Part p = compile(*child, positive);
      if (p.kind == PartKind::kNone) continue;
      any_scored = any_scored || p.kind == PartKind::kScored;
      parts.push_back(std::move(p));
    }
    if (parts.empty()) return {};
    std::vector<Query> queries;
    for (const Part& p : parts) {
      queries.push_back(
          any_scored && p.kind == PartKind::kFilter ? Query(Query::OP_SCALE_WEIGHT, p.query, 0.0) : p.query);
    }
    return {combine(Query::OP_OR, queries), any_scored ? PartKind::kScored : PartKind::kFilter};
  }

  const Analyzer& analyzer_;
  const CompileOptions& options_;
  CompiledQuery& out_;
  double title_weight_;
  bool coordination_;             // AND_MAYBE bonus for matching every optional word
  bool drop_stop_words_;          // ranking::kDropStopWords (and an English analyzer)
  bool compound_parts_optional_;  // ranking::kCompoundPartsOptional
  bool acronym_plurals_;          // ranking::kAcronymPlurals
  bool optional_word_ = false;    // compiling an optional word of a DEFAULT group
  size_t terms_ = 0;
  size_t positional_ = 0;                               // words in phrases and NEAR groups
  std::map<std::string, Xapian::termcount> allowance_;  // wildcard term prefix -> its expansion limit
  std::set<std::string> seen_terms_;
  std::set<std::string> seen_stems_;
  std::set<std::string> seen_prefixes_;
  int in_or_ = 0;                                        // inside an OR (its operands are alternatives)
  std::vector<Leaf> leaves_;                             // positive text operands outside OR
  std::vector<NameTerms> speaker_fields_;                // speaker: fields, positive, outside OR
  std::map<std::string, std::vector<std::string>> variants_;  // variants_of() per query word
};

/// A --since/--until value: "2022", "2022-02" or "2022-02-24".
PartialDate flag_date(std::string_view flag, const std::string& value) {
  std::optional<PartialDate> date = parse_partial_date(value);
  if (!date) {
    throw QueryError(std::string(flag) + ": bad date '" + value + "' (expected YYYY, YYYY-MM or YYYY-MM-DD)",
                     0);
  }
  return *date;
}

/// The flag filters: OR within a kind, AND between kinds. Empty when no flag is set. `speakers`
/// receives the --speaker alternatives' name-word terms.
std::vector<Query> flag_filters(const Filters& filters, Compiler& compiler,
                                std::vector<NameTerms>& speakers) {
  std::vector<Query> kinds;
  auto any_of = [&](const std::vector<std::string>& values, auto make) {
    if (values.empty()) return;
    std::vector<Query> alternatives;
    for (const std::string& value : values) alternatives.push_back(make(value));
    kinds.push_back(combine(Query::OP_OR, alternatives));
  };
  any_of(filters.outlets, [&](const std::string& v) { return compiler.outlet_query(v, 0); });
  any_of(filters.speakers, [&](const std::string& v) {
    speakers.emplace_back();
    return compiler.name_query(schema::kSpeakerWord, "--speaker", v, 0, &speakers.back());
  });
  any_of(filters.authors,
         [&](const std::string& v) { return compiler.name_query(schema::kAuthorWord, "--author", v, 0); });
  std::optional<PartialDate> since;
  std::optional<PartialDate> until;
  if (filters.since) since = flag_date("--since", *filters.since);
  if (filters.until) until = flag_date("--until", *filters.until);
  if (since && until) {
    if (since->first_day() > until->last_day()) {
      throw QueryError("--since " + since->iso() + " is after --until " + until->iso(), 0);
    }
    kinds.emplace_back(Query::OP_VALUE_RANGE, schema::kSlotDate, since->first_day(), until->last_day());
  } else if (since) {
    kinds.emplace_back(Query::OP_VALUE_GE, schema::kSlotDate, since->first_day());
  } else if (until) {
    kinds.emplace_back(Query::OP_VALUE_LE, schema::kSlotDate, until->last_day());
  }
  return kinds;
}

}  // namespace

CompiledQuery compile_query(const ParsedQuery& parsed, const Filters& filters, const Analyzer& analyzer,
                            const CompileOptions& options) {
  CompiledQuery out;
  Compiler compiler(analyzer, options, out);
  Part part;
  if (const QueryNode* root = parsed.root()) {
    compiler.plan_wildcards(*root);
    part = compiler.compile(*root, true);
    if (part.kind == PartKind::kNone) {
      throw QueryError("the query has no searchable words", root->column);
    }
  }
  std::vector<NameTerms> flag_speakers;
  std::vector<Query> kinds = flag_filters(filters, compiler, flag_speakers);
  // speaker:X and --speaker X pair with the query's words inside one passage (schema.h "Positions").
  for (const auto& field : compiler.speaker_fields()) {
    Query q = compiler.same_passage({field});
    if (!q.empty()) kinds.push_back(q);
  }
  if (!flag_speakers.empty()) {
    Query q = compiler.same_passage(flag_speakers);
    if (!q.empty()) kinds.push_back(q);
  }
  switch (part.kind) {
    case PartKind::kScored:
      out.query =
          kinds.empty() ? part.query : Query(Query::OP_FILTER, part.query, combine(Query::OP_AND, kinds));
      break;
    case PartKind::kFilter:
      // Only filters: every match weighs 0 (the searcher then orders by date or document).
      kinds.insert(kinds.begin(), part.query);
      out.query = Query(Query::OP_SCALE_WEIGHT, combine(Query::OP_AND, kinds), 0.0);
      out.scored = false;
      break;
    case PartKind::kNone:
      out.query =
          kinds.empty() ? Query::MatchAll : Query(Query::OP_SCALE_WEIGHT, combine(Query::OP_AND, kinds), 0.0);
      out.scored = false;
      break;
  }
  out.speakers = compiler.speaker_fields();
  out.speakers.insert(out.speakers.end(), flag_speakers.begin(), flag_speakers.end());
  return out;
}

// Experiment knobs (bench/relevance ablations only): DATELINE_RANKING="name=value,...", read in an
// experiments build only (base/experiments.h). The default ranking never depends on it; an unset variable
// or unknown name leaves the named constant in force.
double ranking_knob(const char* name, double fallback) {
  const std::optional<std::string> setting = experiment_setting("DATELINE_RANKING");
  if (!setting) return fallback;
  const std::string& spec = *setting;
  const std::string key = std::string(name) + "=";
  size_t at = 0;
  while ((at = spec.find(key, at)) != std::string::npos) {
    if (at == 0 || spec[at - 1] == ',') {
      try {
        return std::stod(spec.substr(at + key.size()));
      } catch (const std::exception&) {
        return fallback;
      }
    }
    at += key.size();
  }
  return fallback;
}

}  // namespace dateline
