/** @file
 *  @brief The query language's front half: lexer, recursive-descent parser and describe().
 *
 *  Grammar (loosest binding first):
 *
 *      query   := seq
 *      seq     := or_expr+                 terms side by side: the default operator (DEFAULT)
 *      or_expr := and_expr ("OR" and_expr)*
 *      and_expr:= unary ("AND" unary)*
 *      unary   := "NOT" unary | "+"unary | "-"unary | near
 *      near    := primary (("NEAR" | "NEAR/"N) primary)*      primaries must be words or phrases
 *      primary := "(" seq ")" | word | prefix* | "phrase" | field:value
 *
 *  So NOT binds tighter than AND, AND tighter than OR, and OR tighter than plain juxtaposition, as in
 *  web search engines and Lucene: `ukraine russia OR belarus` is ukraine + (russia OR belarus).
 *  Operators are recognised in upper case only; `and`, `or`, `not`, `near` are words. `+` and `-`
 *  mark a term only when glued to it (`-war`); a lone `-` is a separator ("Kyiv - Moscow").
 *
 *  Field rule (lenient colons): `name:value` is a field reference when `name` is ASCII letters only
 *  and the value is non-empty and does not start with '/' or ':'. Known names make a field; other
 *  such names are an error ("unknown field"). Anything else with a colon (`10:30`, `https://x.org`,
 *  `U.N.:`, `note:` with nothing after it) is ordinary text.
 */
#include "searcher/query.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

#include "analyzers/schema.h"
#include "base/calendar.h"
#include "base/utf8.h"
#include "searcher/query_ast.h"

namespace dateline {

// ---- PartialDate ------------------------------------------------------------------------------

namespace {

std::string ymd(int year, int month, int day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
  return buf;
}

/// Reads exactly `n` ASCII digits at `pos`; -1 when they are not all digits.
int read_digits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string PartialDate::iso() const {
  char buf[16];
  if (month == 0) {
    std::snprintf(buf, sizeof buf, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

std::string PartialDate::first_day() const {
  return ymd(year, month == 0 ? 1 : month, day == 0 ? 1 : day);
}

std::string PartialDate::last_day() const {
  int m = month == 0 ? 12 : month;
  return ymd(year, m, day == 0 ? calendar::days_in_month(year, m) : day);
}

std::optional<PartialDate> parse_partial_date(std::string_view text) {
  PartialDate date;
  if (text.size() != 4 && text.size() != 7 && text.size() != 10) return std::nullopt;
  date.year = read_digits(text, 0, 4);
  if (date.year < 1) return std::nullopt;
  if (text.size() >= 7) {
    if (text[4] != '-') return std::nullopt;
    date.month = read_digits(text, 5, 2);
    if (date.month < 1 || date.month > 12) return std::nullopt;
  }
  if (text.size() == 10) {
    if (text[7] != '-') return std::nullopt;
    date.day = read_digits(text, 8, 2);
    if (date.day < 1 || date.day > calendar::days_in_month(date.year, date.month)) return std::nullopt;
  }
  return date;
}

// ---- describe() -------------------------------------------------------------------------------

namespace {

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

/// A word is written bare unless that would make the S-expression ambiguous.
std::string bare_or_quoted(std::string_view text) {
  bool safe = !text.empty();
  for (char c : text) {
    if (c == ' ' || c == '(' || c == ')' || c == '"' || c == '\\') safe = false;
  }
  return safe ? std::string(text) : quote(text);
}

const char* kind_name(NodeKind kind) {
  switch (kind) {
    case NodeKind::kWord:
      return "WORD";
    case NodeKind::kPhrase:
      return "PHRASE";
    case NodeKind::kPrefix:
      return "PREFIX";
    case NodeKind::kNear:
      return "NEAR";
    case NodeKind::kField:
      return "FIELD";
    case NodeKind::kDate:
      return "DATE";
    case NodeKind::kDefault:
      return "DEFAULT";
    case NodeKind::kAnd:
      return "AND";
    case NodeKind::kOr:
      return "OR";
    case NodeKind::kNot:
      return "NOT";
    case NodeKind::kRequired:
      return "REQUIRED";
  }
  return "?";
}

}  // namespace

std::string QueryNode::describe() const {
  std::string out = "(";
  out += kind_name(kind);
  switch (kind) {
    case NodeKind::kWord:
    case NodeKind::kPrefix:
      out += ' ';
      out += bare_or_quoted(text);
      break;
    case NodeKind::kPhrase:
      out += ' ';
      out += quote(text);
      break;
    case NodeKind::kNear:
      out += ' ';
      out += std::to_string(distance);
      break;
    case NodeKind::kField:
      out += ' ';
      out += field;
      if (children.empty()) {
        out += ' ';
        out += quote(text);
      }
      break;
    case NodeKind::kDate:
      out += ' ';
      if (from) out += from->iso();
      if (range) out += "..";
      if (range && to) out += to->iso();
      break;
    case NodeKind::kDefault:
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kNot:
    case NodeKind::kRequired:
      break;
  }
  for (const auto& child : children) {
    out += ' ';
    out += child->describe();
  }
  out += ')';
  return out;
}

// ---- ParsedQuery --------------------------------------------------------------------------------

ParsedQuery::ParsedQuery() = default;
ParsedQuery::ParsedQuery(std::shared_ptr<const QueryNode> root) : root_(std::move(root)) {}
ParsedQuery::~ParsedQuery() = default;

std::string ParsedQuery::describe() const {
  return root_ ? root_->describe() : "(EMPTY)";
}

bool ParsedQuery::empty() const {
  return root_ == nullptr;
}

// ---- Lexer --------------------------------------------------------------------------------------

namespace {

using NodePtr = std::shared_ptr<QueryNode>;

struct CodePoint {
  char32_t cp;
  size_t begin;  ///< byte offset
  size_t end;    ///< byte offset one past
};

/// UTF-8 -> code points with byte offsets. Invalid sequences become U+FFFD one byte at a time, so a
/// column always advances and never skips text.
std::vector<CodePoint> decode(std::string_view s) {
  std::vector<CodePoint> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const utf8::Decoded d = utf8::decode(s, i);
    out.push_back({d.code_point, i, i + d.length});
    i += d.length;
  }
  return out;
}

/// Control characters and Unicode white space separate terms (NUL, tabs, NBSP, U+3000...).
bool is_separator(char32_t c) {
  if (c == ' ' || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0xFEFF) return true;
  return u_isUWhiteSpace(static_cast<UChar32>(c)) != 0;
}

/// Straight and typographic double quotes all open and close phrases (text pasted from articles).
bool is_quote(char32_t c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x201F || c == 0x00AB || c == 0x00BB ||
         c == 0xFF02;
}

bool is_paren(char32_t c) {
  return c == '(' || c == ')';
}

bool ends_word(char32_t c) {
  return is_separator(c) || is_paren(c) || is_quote(c);
}

enum class Tok {
  kWord,
  kPrefix,
  kPhrase,
  kField,
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,
  kNear,
  kPlus,
  kMinus,
  kEnd
};

struct LexToken {
  Tok type = Tok::kEnd;
  size_t column = 0;        ///< 1-based code-point column of the token's first character
  std::string text;         ///< word, prefix (without '*'), phrase or field value
  std::string field;        ///< kField: lower-case name
  bool quoted = false;      ///< kField: value was in quotes
  size_t value_column = 0;  ///< kField: column of the value's first character (inside the quotes)
  unsigned distance = 0;    ///< kNear
};

/// A query field: a row of schema::kFields with a query value.
bool is_known_field(std::string_view name) {
  const schema::Field* f = schema::find_field(name);
  return f != nullptr && !f->query_value.empty();
}

class Lexer {
 public:
  Lexer(std::string_view text, const QueryBudget& budget, bool plain = false)
      : text_(text), cps_(decode(text)), budget_(budget), plain_(plain) {}

  std::vector<LexToken> run() {
    std::vector<LexToken> out;
    bool force_term = false;  // after a glued sign, operators are read as words: `-NOT`, `+OR`
    size_t i = 0;
    while (true) {
      while (i < cps_.size() && is_separator(cps_[i].cp)) ++i;
      if (i >= cps_.size()) break;
      char32_t c = cps_[i].cp;
      LexToken tok;
      tok.column = i + 1;
      if (plain_) {
        // Syntax::kPlain: parentheses and quotes separate words; everything else is a word as typed.
        if (is_paren(c) || is_quote(c)) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j < cps_.size() && !ends_word(cps_[j].cp)) ++j;
        tok.type = Tok::kWord;
        tok.text = std::string(slice(i, j));
        count_term(tok.column);
        i = j;
        out.push_back(std::move(tok));
        continue;
      }
      if (c == '(' || c == ')') {
        tok.type = c == '(' ? Tok::kLParen : Tok::kRParen;
        ++i;
        force_term = false;
        out.push_back(std::move(tok));
        continue;
      }
      if ((c == '+' || c == '-') && i + 1 < cps_.size() && !is_separator(cps_[i + 1].cp) &&
          cps_[i + 1].cp != ')') {
        tok.type = c == '+' ? Tok::kPlus : Tok::kMinus;
        ++i;
        force_term = true;
        out.push_back(std::move(tok));
        continue;
      }
      if ((c == '+' || c == '-') &&
          (i + 1 >= cps_.size() || is_separator(cps_[i + 1].cp) || cps_[i + 1].cp == ')')) {
        // "(+)" / "(-)" as in "alpha (+)-thalassemia" or "(-)-epicatechin" is notation, not an empty group.
        if (!out.empty() && out.back().type == Tok::kLParen && i + 1 < cps_.size() && cps_[i + 1].cp == ')') {
          out.pop_back();
          i += 2;
          continue;
        }
        ++i;  // a lone sign is punctuation between terms
        continue;
      }
      if (is_quote(c)) {
        tok.type = Tok::kPhrase;
        tok.text = read_quoted(i);
        count_term(tok.column, tok.text);
      } else {
        size_t j = i;
        while (j < cps_.size() && !ends_word(cps_[j].cp)) ++j;
        std::string word(slice(i, j));
        size_t start = i;
        i = j;
        classify(word, start, force_term, tok, i);
      }
      force_term = false;
      out.push_back(std::move(tok));
    }
    LexToken end;
    end.type = Tok::kEnd;
    end.column = cps_.size() + 1;
    out.push_back(std::move(end));
    return out;
  }

 private:
  std::string_view slice(size_t from_cp, size_t to_cp) const {
    size_t b = from_cp < cps_.size() ? cps_[from_cp].begin : text_.size();
    size_t e = to_cp < cps_.size() ? cps_[to_cp].begin : text_.size();
    return text_.substr(b, e - b);
  }

  /// Reads a quoted run starting at the opening quote `i`; leaves `i` after the closing quote.
  /// Separators inside collapse to one space (they are separators to the Analyzer anyway).
  std::string read_quoted(size_t& i) {
    size_t open = i;
    size_t j = i + 1;
    while (j < cps_.size() && !is_quote(cps_[j].cp)) ++j;
    if (j >= cps_.size()) throw QueryError("unbalanced quote", open + 1);
    std::string out;
    bool pending_space = false;
    for (size_t k = open + 1; k < j; ++k) {
      if (is_separator(cps_[k].cp)) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out += text_.substr(cps_[k].begin, cps_[k].end - cps_[k].begin);
    }
    i = j + 1;
    return out;
  }

  void count_term(size_t column, std::string_view phrase = {}) {
    size_t n = 1;
    for (char c : phrase) n += c == ' ' ? 1 : 0;
    terms_ += n;
    if (terms_ > budget_.max_terms) {
      throw QueryError("too many terms (at most " + std::to_string(budget_.max_terms) + ")", column, true);
    }
  }

  /// Sorts a bare run of word characters into operator, field, wildcard prefix or word. `next` is the
  /// code-point index after the run and moves past a quoted field value.
  void classify(const std::string& word, size_t start, bool force_term, LexToken& tok, size_t& next) {
    size_t column = start + 1;
    if (!force_term) {
      if (word == "AND" || word == "OR" || word == "NOT") {
        tok.type = word == "AND" ? Tok::kAnd : word == "OR" ? Tok::kOr : Tok::kNot;
        return;
      }
      if (word == "NEAR") {
        tok.type = Tok::kNear;
        tok.distance = kDefaultNearDistance;
        return;
      }
      if (word.rfind("NEAR/", 0) == 0) {
        tok.type = Tok::kNear;
        std::string_view n = std::string_view(word).substr(5);
        size_t n_column = column + 5;
        bool digits = !n.empty() && n.size() <= 6 &&
                      std::all_of(n.begin(), n.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        unsigned value = digits ? static_cast<unsigned>(std::stoul(std::string(n))) : 0;
        if (!digits || value < 1 || value > budget_.max_near_distance) {
          throw QueryError("NEAR/ needs a number of words from 1 to " +
                               std::to_string(budget_.max_near_distance) + " (as in NEAR/5)",
                           n_column);
        }
        tok.distance = value;
        return;
      }
    }
    size_t colon = word.find(':');
    if (colon != std::string::npos && colon > 0) {
      std::string name = word.substr(0, colon);
      bool letters = std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
      });
      if (letters) {
        for (char& ch : name) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        std::string value = word.substr(colon + 1);
        bool quoted_value = value.empty() && next < cps_.size() && is_quote(cps_[next].cp);
        bool field_like = quoted_value || (!value.empty() && value[0] != '/' && value[0] != ':');
        if (field_like) {
          if (!is_known_field(name)) {
            throw QueryError("unknown field '" + name + "' (fields: " + query_field_names() + ")", column);
          }
          tok.type = Tok::kField;
          tok.field = name;
          // The colon is ASCII, so the value starts `colon + 1` code points after the name... only
          // when the name is ASCII, which `letters` guarantees.
          tok.value_column = column + colon + 1;
          if (quoted_value) {
            tok.quoted = true;
            tok.value_column = next + 2;
            tok.text = read_quoted(next);
            count_term(column, tok.text);
          } else {
            tok.text = value;
            count_term(column);
          }
          return;
        }
        if (value.empty() && is_known_field(name)) {
          throw QueryError(
              "field '" + name + "' needs a value (as in " + name + ":word or " + name + ":\"some words\")",
              column);
        }
      }
    }
    size_t stars = 0;
    while (stars < word.size() && word[word.size() - 1 - stars] == '*') ++stars;
    if (stars > 0) {
      std::string prefix = word.substr(0, word.size() - stars);
      if (prefix.empty())
        throw QueryError("'*' needs at least 2 characters before it (as in ukrain*)", column);
      if (decode(prefix).size() < 2) {
        throw QueryError("a wildcard needs at least 2 characters before '*'", column);
      }
      tok.type = Tok::kPrefix;
      tok.text = std::move(prefix);
      count_term(column);
      return;
    }
    tok.type = Tok::kWord;
    tok.text = word;
    count_term(column);
  }

  std::string_view text_;
  std::vector<CodePoint> cps_;
  const QueryBudget& budget_;
  bool plain_;
  size_t terms_ = 0;
};

// ---- Parser -------------------------------------------------------------------------------------

const char* token_name(Tok type) {
  switch (type) {
    case Tok::kAnd:
      return "AND";
    case Tok::kOr:
      return "OR";
    case Tok::kNot:
      return "NOT";
    case Tok::kNear:
      return "NEAR";
    case Tok::kPlus:
      return "+";
    case Tok::kMinus:
      return "-";
    case Tok::kLParen:
      return "(";
    case Tok::kRParen:
      return ")";
    default:
      return "term";
  }
}

bool starts_operand(Tok type) {
  switch (type) {
    case Tok::kWord:
    case Tok::kPrefix:
    case Tok::kPhrase:
    case Tok::kField:
    case Tok::kLParen:
    case Tok::kNot:
    case Tok::kPlus:
    case Tok::kMinus:
      return true;
    default:
      return false;
  }
}

size_t code_points(std::string_view s) {
  return decode(s).size();
}

class Parser {
 public:
  Parser(std::vector<LexToken> tokens, const QueryBudget& budget)
      : toks_(std::move(tokens)), budget_(budget) {}

  NodePtr run() {
    if (peek().type == Tok::kEnd) throw QueryError("empty query", 1);
    NodePtr root = parse_seq(false);
    return root;
  }

 private:
  const LexToken& peek() const { return toks_[pos_]; }
  const LexToken& next() {
    const LexToken& t = toks_[pos_];
    if (t.type != Tok::kEnd) ++pos_;
    return t;
  }

  /// Bounds recursion (parentheses and stacked NOT/+/-) so hostile input cannot exhaust the stack.
  struct DepthGuard {
    DepthGuard(size_t& depth, size_t max_depth, size_t column) : depth_(depth) {
      if (++depth_ > max_depth) {
        throw QueryError("query nested too deeply (at most " + std::to_string(max_depth) + " levels)",
                         column);
      }
    }
    ~DepthGuard() { --depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    size_t& depth_;
  };

  static NodePtr make(NodeKind kind, size_t column) {
    auto node = std::make_shared<QueryNode>();
    node->kind = kind;
    node->column = column;
    return node;
  }

  NodePtr parse_seq(bool in_parens) {
    std::vector<NodePtr> items;
    while (true) {
      const LexToken& t = peek();
      if (t.type == Tok::kEnd) break;
      if (t.type == Tok::kRParen) {
        if (in_parens) break;
        throw QueryError("unbalanced parenthesis: ')' has no matching '('", t.column);
      }
      if (t.type == Tok::kAnd || t.type == Tok::kOr || t.type == Tok::kNear) {
        throw QueryError(std::string("'") + token_name(t.type) + "' is missing its left operand", t.column);
      }
      items.push_back(parse_or());
    }
    if (items.size() == 1) return items.front();
    NodePtr node = make(NodeKind::kDefault, items.front()->column);
    node->children.assign(items.begin(), items.end());
    return node;
  }

  NodePtr parse_binary(Tok op, NodeKind kind, NodePtr (Parser::*operand)()) {
    NodePtr left = (this->*operand)();
    if (peek().type != op) return left;
    NodePtr node = make(kind, left->column);
    node->children.push_back(left);
    while (peek().type == op) {
      const LexToken& t = next();
      if (!starts_operand(peek().type)) {
        throw QueryError(std::string("'") + token_name(op) + "' is missing its right operand", t.column);
      }
      node->children.push_back((this->*operand)());
    }
    return node;
  }

  NodePtr parse_or() { return parse_binary(Tok::kOr, NodeKind::kOr, &Parser::parse_and); }
  NodePtr parse_and() { return parse_binary(Tok::kAnd, NodeKind::kAnd, &Parser::parse_unary); }

  NodePtr parse_unary() {
    const LexToken& t = peek();
    if (t.type != Tok::kNot && t.type != Tok::kPlus && t.type != Tok::kMinus) return parse_near();
    next();
    DepthGuard guard(depth_, budget_.max_depth, t.column);
    if (!starts_operand(peek().type)) {
      throw QueryError(std::string("'") + token_name(t.type) + "' is missing its operand", t.column);
    }
    NodePtr node = make(t.type == Tok::kPlus ? NodeKind::kRequired : NodeKind::kNot, t.column);
    node->children.push_back(parse_unary());
    return node;
  }

  NodePtr parse_near() {
    NodePtr first = parse_primary();
    if (peek().type != Tok::kNear) return first;
    auto near_operand = [](const NodePtr& n) {
      return n->kind == NodeKind::kWord || n->kind == NodeKind::kPhrase;
    };
    if (!near_operand(first)) {
      throw QueryError("NEAR joins words and phrases only", first->column);
    }
    NodePtr node = make(NodeKind::kNear, first->column);
    node->children.push_back(first);
    while (peek().type == Tok::kNear) {
      const LexToken& op = next();
      // Several NEARs make one proximity group; its window is the widest one asked for.
      node->distance = std::max(node->distance, op.distance);
      const LexToken& t = peek();
      if (!starts_operand(t.type)) throw QueryError("'NEAR' is missing its right operand", op.column);
      if (t.type != Tok::kWord && t.type != Tok::kPhrase) {
        throw QueryError("NEAR joins words and phrases only", t.column);
      }
      node->children.push_back(parse_primary());
    }
    return node;
  }

  NodePtr parse_primary() {
    const LexToken& t = next();
    switch (t.type) {
      case Tok::kLParen: {
        DepthGuard guard(depth_, budget_.max_depth, t.column);
        if (peek().type == Tok::kRParen) throw QueryError("empty parentheses", t.column);
        if (peek().type == Tok::kEnd)
          throw QueryError("unbalanced parenthesis: '(' is never closed", t.column);
        NodePtr inner = parse_seq(true);
        if (peek().type != Tok::kRParen) {
          throw QueryError("unbalanced parenthesis: '(' is never closed", t.column);
        }
        next();
        return inner;
      }
      case Tok::kWord: {
        NodePtr node = make(NodeKind::kWord, t.column);
        node->text = t.text;
        return node;
      }
      case Tok::kPrefix: {
        NodePtr node = make(NodeKind::kPrefix, t.column);
        node->text = t.text;
        return node;
      }
      case Tok::kPhrase: {
        NodePtr node = make(NodeKind::kPhrase, t.column);
        node->text = t.text;
        return node;
      }
      case Tok::kField:
        return field_node(t);
      case Tok::kRParen:
        throw QueryError("unbalanced parenthesis: ')' has no matching '('", t.column);
      default:
        throw QueryError(std::string("unexpected '") + token_name(t.type) + "'", t.column);
    }
  }

  static NodePtr field_node(const LexToken& t) {
    if (t.field == "date" || t.field == "year" || t.field == "month") return date_node(t);
    NodePtr node = make(NodeKind::kField, t.column);
    node->field = t.field;
    if (t.field != "title") {
      node->text = t.text;
      return node;
    }
    // title: takes what a bare term takes: a word, a wildcard prefix or a quoted phrase.
    NodePtr child = make(NodeKind::kWord, t.value_column);
    child->text = t.text;
    if (t.quoted) {
      child->kind = NodeKind::kPhrase;
      child->column = t.value_column - 1;  // a phrase is found at its opening quote
    } else if (!t.text.empty() && t.text.back() == '*') {
      std::string prefix = t.text;
      while (!prefix.empty() && prefix.back() == '*') prefix.pop_back();
      if (code_points(prefix) < 2) {
        throw QueryError("a wildcard needs at least 2 characters before '*'", t.value_column);
      }
      child->kind = NodeKind::kPrefix;
      child->text = prefix;
    }
    node->children.push_back(child);
    return node;
  }

  /// date:/year:/month: values: one date, or a range A..B with either side left open.
  static NodePtr date_node(const LexToken& t) {
    NodePtr node = make(NodeKind::kDate, t.column);
    std::string_view value = t.text;
    size_t dots = value.find("..");
    auto bound = [&](std::string_view part, size_t offset) {
      size_t column = t.value_column + code_points(value.substr(0, offset));
      std::optional<PartialDate> date = parse_partial_date(part);
      std::string expected = t.field == "year"    ? "YYYY"
                             : t.field == "month" ? "YYYY-MM"
                                                  : "YYYY, YYYY-MM or YYYY-MM-DD";
      bool right_shape = date && (t.field == "date" || (t.field == "year" && date->month == 0) ||
                                  (t.field == "month" && date->month != 0 && date->day == 0));
      if (!right_shape) {
        throw QueryError("bad " + t.field + " '" + std::string(part) + "' (expected " + expected + ")",
                         column);
      }
      return *date;
    };
    if (dots == std::string_view::npos) {
      node->from = bound(value, 0);
      node->to = node->from;
      return node;
    }
    node->range = true;
    std::string_view left = value.substr(0, dots);
    std::string_view right = value.substr(dots + 2);
    if (left.empty() && right.empty()) {
      throw QueryError("a " + t.field + " range needs at least one end (as in 2022-02..2022-06)",
                       t.value_column);
    }
    if (!left.empty()) node->from = bound(left, 0);
    if (!right.empty()) node->to = bound(right, dots + 2);
    if (node->from && node->to && node->from->first_day() > node->to->last_day()) {
      throw QueryError("the " + t.field + " range ends before it starts", t.value_column);
    }
    return node;
  }

  std::vector<LexToken> toks_;
  const QueryBudget& budget_;
  size_t pos_ = 0;
  size_t depth_ = 0;
};

/// Syntax::kSimple: makes the character a syntax error points at (1-based code-point `column`) plain
/// text. A parenthesis, quote, sign or `*` becomes a space; in a word, a field colon becomes a space,
/// wildcard stars become spaces, or an operator (`AND`, `NEAR/0`) is lower-cased into a word. False
/// when there is nothing to change there.
bool read_as_text(std::string& text, size_t column) {
  const std::vector<CodePoint> cps = decode(text);
  if (column == 0 || column > cps.size() + 1) return false;
  size_t at = column - 1;
  if (at == cps.size() || is_separator(cps[at].cp)) {  // just past a word (`NEAR/` with no number)
    if (at == 0 || ends_word(cps[at - 1].cp)) return false;
    --at;
  }
  const char32_t c = cps[at].cp;
  auto blank = [&](size_t k) { text.replace(cps[k].begin, cps[k].end - cps[k].begin, " "); };
  if (is_paren(c) || is_quote(c) || c == '+' || c == '-' || c == '*') {
    blank(at);
    return true;
  }
  size_t first = at;
  while (first > 0 && !ends_word(cps[first - 1].cp)) --first;
  size_t last = at;
  while (last < cps.size() && !ends_word(cps[last].cp)) ++last;
  for (size_t k = first; k < last; ++k) {
    if (cps[k].cp == ':') {
      blank(k);
      return true;
    }
  }
  bool changed = false;
  for (size_t k = last; k-- > first;) {  // from the end: blank() keeps the earlier offsets valid
    if (cps[k].cp == '*') {
      blank(k);
      changed = true;
    }
  }
  if (changed) return true;
  for (size_t k = first; k < last; ++k) {
    char& ch = text[cps[k].begin];
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch - 'A' + 'a');
      changed = true;
    }
  }
  return changed;
}

}  // namespace

std::optional<Syntax> parse_syntax(std::string_view text) {
  if (text == "full") return Syntax::kFull;
  if (text == "simple") return Syntax::kSimple;
  if (text == "plain") return Syntax::kPlain;
  return std::nullopt;
}

ParsedQuery parse_query(std::string_view text, const QueryBudget& budget, Syntax syntax) {
  if (text.size() > budget.max_bytes) {
    // Point at the first character past the limit.
    std::vector<CodePoint> cps = decode(text.substr(0, budget.max_bytes));
    throw QueryError("query too long (" + std::to_string(text.size()) + " bytes; at most " +
                         std::to_string(budget.max_bytes) + ")",
                     cps.size() + 1, true);
  }
  if (syntax != Syntax::kSimple) {
    Lexer lexer(text, budget, syntax == Syntax::kPlain);
    Parser parser(lexer.run(), budget);
    return ParsedQuery(parser.run());
  }
  // Each repair makes one more character text; past kMaxRepairs (hostile input) all of it is.
  constexpr int kMaxRepairs = 200;
  std::string current(text);
  for (int repairs = 0;; ++repairs) {
    try {
      Lexer lexer(current, budget);
      Parser parser(lexer.run(), budget);
      return ParsedQuery(parser.run());
    } catch (const QueryError& e) {
      if (e.limit()) throw;
      if (repairs >= kMaxRepairs || !read_as_text(current, e.column())) {
        return parse_query(current, budget, Syntax::kPlain);
      }
    }
  }
}

std::string query_field_names() {
  std::string out;
  for (const schema::Field& f : schema::kFields) {
    if (f.query_value.empty()) continue;
    if (!out.empty()) out += ", ";
    out += f.name;
  }
  return out;
}

std::string query_field_examples(size_t width, std::string_view indent) {
  std::string out;
  std::string line(indent);
  for (const schema::Field& f : schema::kFields) {
    if (f.query_value.empty()) continue;
    std::string example = std::string(f.name) + ":" + std::string(f.query_value);
    if (line.size() > indent.size() && line.size() + 1 + example.size() > width) {
      out += line + "\n";
      line = indent;
    }
    line += (line.size() > indent.size() ? " " : "") + example;
  }
  if (line.size() > indent.size()) out += line + "\n";
  return out;
}

}  // namespace dateline
