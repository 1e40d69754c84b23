/** @file
 *  @brief Quotation spans and a word/punctuation tokenizer for speaker attribution.
 *
 *  Internal to dateline_articles (used by people.cpp). Quotes are double quotation marks of any style:
 *  “…”, „…“, «…», and straight "…" (opening or closing told apart by the characters around them).
 *  Single quotes are never quotation marks here: ’ is far more often an apostrophe.
 */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dateline::quotes {

/// One quotation: byte range [begin, end) in the text, marks included.
struct QuoteSpan {
  size_t begin = 0;
  size_t end = 0;      ///< one past the closing mark, or the text's end when unclosed
  bool closed = true;  ///< false: the quote runs to the end of the text (continues in the next passage)
};

/// Outermost quotations of `text`, in order. Nested quotes are inside their outer span. When a nested
/// quote leaves the outer one unclosed at the end (`"He told me: "Listen," X said.` with one mark doing
/// double duty), the outer quote is taken to end at the last closing mark.
std::vector<QuoteSpan> find_quotes(std::string_view text);

enum class Kind { Word, Punct, Quote };

/// A token of a passage. Words keep inner dots, hyphens and apostrophes ("U.S.", "Jean-Luc", "O’Brien"),
/// a final dot on initials and abbreviations ("R.", "Mr."); a possessive "’s" or "s’" is cut off and
/// flagged. With quote masking, a whole quotation is one Quote token.
struct Token {
  Kind kind = Kind::Word;
  std::string text;  ///< the word, the punctuation character, or the quotation's inner text
  size_t begin = 0;  ///< byte offsets in the tokenized text
  size_t end = 0;
  bool possessive = false;  ///< Word: "Lukashenko’s" -> text "Lukashenko", possessive
  bool closed = true;       ///< Quote: has its closing mark
  char32_t last = 0;        ///< Quote: last non-space character inside (',' in `“…,” he said`)
};

/// Tokenizes `text`. With `mask_quotes`, each quotation becomes one Quote token; without, quotation
/// marks are Punct tokens and the quoted words are tokens like any other.
std::vector<Token> tokenize(std::string_view text, bool mask_quotes = true);

/// tokenize(text, false), with find_quotes(text) in `*quotes`: the text is decoded once for both.
std::vector<Token> tokenize(std::string_view text, std::vector<QuoteSpan>* quotes);

/// tokenize(text, true) made from tokenize(text, false): the tokens of each quotation become its Quote
/// token, the others are kept. Cheaper than tokenizing twice when both are wanted.
std::vector<Token> mask_quotes(std::string_view text, std::vector<Token> unmasked);

/// The same with `quotes` == find_quotes(text) already known (from tokenize(text, &quotes)).
std::vector<Token> mask_quotes(std::string_view text, std::vector<Token> unmasked,
                               const std::vector<QuoteSpan>& quotes);

/// Sentences of a token list as [begin, end) index ranges: a sentence ends at ". ! ? …" (outside
/// quotes), or after a quotation ending in one of those when a capitalised word or a new quotation
/// follows.
std::vector<std::pair<size_t, size_t>> sentences(const std::vector<Token>& tokens);

}  // namespace dateline::quotes
