/** @file
 *  @brief The one text pipeline: normalise -> ICU words with offsets -> fold -> stem.
 *
 *  The indexer (document builder), the query compiler and the snippeter all call this, and nothing
 *  else turns text into terms, so index-time and query-time terms cannot drift.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dateline {

/// Settings that decide which terms text becomes. Stored in the database metadata by the indexer;
/// the searcher builds its Analyzer from what the database says, never from its own flags.
struct AnalyzerConfig {
  std::string language = "english";  ///< Snowball stemmer name as Xapian::Stem knows it, or "none"
  bool fold_accents = true;          ///< "café" and "cafe" give the same term
  /// English only: the possessive "'s" (any apostrophe) is cut, as Lucene's EnglishPossessiveFilter does:
  /// "Belarus's" and "Belarus’" both give "belarus". Stored as "possessives=1"; a stamp without it (a
  /// database made before this setting) reads as false, so its terms stay as they were indexed.
  bool possessives = true;

  /// "language=english;fold_accents=1;possessives=1" (stable, human-readable, what goes in the metadata;
  /// possessives=0 is left out, so older databases' strings read back unchanged).
  std::string serialise() const;
  /// Inverse of serialise(); throws std::invalid_argument naming the bad part.
  static AnalyzerConfig parse(std::string_view text);
  bool operator==(const AnalyzerConfig&) const = default;
};

/// Longest term kept, in bytes of UTF-8 after folding. Longer "words" are junk (base64, hashes,
/// runs of digits) and Xapian refuses terms over 245 bytes with their prefixes; they are dropped, but
/// their position is still used so phrase distances around them stay true.
inline constexpr size_t kMaxTermBytes = 64;

/// One word of the input.
struct Token {
  std::string term;   ///< normalised, case- (and accent-) folded word: the unstemmed index term
  std::string stem;   ///< Snowball stem of `term`; empty when the word is not stemmed (numbers, CJK...)
  uint32_t position;  ///< 1-based word position; words only, punctuation does not count
  size_t begin;       ///< byte offset of the word's first byte in the input given to analyze()
  size_t end;         ///< byte offset one past the word's last byte in that input
};

/// The analyzer. Not thread-safe (it owns ICU break iterators and a stem cache): give each
/// thread its own.
///
/// What a word is (this decides what can be found):
///  - ICU word boundaries, root locale (UAX #29 plus dictionaries for CJK, Thai, Lao, Khmer,
///    Burmese); spans ICU marks UBRK_WORD_NONE (spaces, punctuation, symbols, emoji) are skipped.
///  - Before segmentation: ’ ‘ ʼ ＇ read as ', every Unicode space and control character
///    (NUL included) reads as a space, invalid UTF-8 reads as U+FFFD (a separator).
///    So "Belarus’s" = "Belarus's" -> "belarus's" (stem "belarus"), "Belarus’" -> "belarus",
///    "Belarus-Ukraine" -> "belarus" "ukraine", "70,000" and "3.5" stay whole, "U.S." -> "u.s",
///    e-mail addresses and host names stay whole.
///  - Each word: NFKC_Casefold ("ﬁ" -> "fi", "Straße" -> "strasse", soft hyphens vanish), decimal
///    digits of any script -> ASCII, then with fold_accents nonspacing marks stripped after Latin,
///    Greek, Cyrillic (except the breve of й/ў), Arabic and Hebrew letters, and ł ø đ ħ ı ŧ æ œ
///    spelled out in ASCII.
///  - Stop words are kept (phrases need them; is_stop_word() tells them); terms over kMaxTermBytes
///    are dropped.
class Analyzer {
 public:
  /// Throws std::invalid_argument for an unknown language, std::runtime_error when ICU's data
  /// cannot be loaded.
  explicit Analyzer(AnalyzerConfig config = {});
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;

  const AnalyzerConfig& config() const;

  /// Splits UTF-8 text into words. Invalid UTF-8 is read as U+FFFD, never rejected; offsets always
  /// point into `text` as given (never into a normalised copy). Positions start at `first_position`.
  std::vector<Token> analyze(std::string_view text, uint32_t first_position = 1) const;

  /// As analyze(), appending to `out` (not cleared) so a caller can reuse one vector. Returns the
  /// position after the last word (first_position + words seen, dropped long words included), to
  /// continue numbering in the next field or passage.
  uint32_t analyze_into(std::string_view text, std::vector<Token>& out, uint32_t first_position = 1) const;

  /// Stems one already-folded term (as in Token::term); empty when the term is not stemmed: stemming
  /// is "none", or the term is not made of letters (and apostrophes/marks) only, or it is CJK.
  /// For any token t of analyze(), stem(t.term) == t.stem.
  std::string stem(std::string_view term) const;

  /// Is this folded term (as in Token::term) a stop word of the analyzer's language? For English,
  /// Lucene's 33 (EnglishAnalyzer's list, which Anserini and most BM25 baselines use); no other language
  /// has a list, so nothing else is a stop word. Article documents leave stop words out of their ranking
  /// terms and bag-of-words queries drop them; passage documents keep every word (phrases need them).
  bool is_stop_word(std::string_view term) const;

  /// Folds one word as analyze() would (for prefix* wildcards and field values typed by users):
  /// the same character mapping, NFKC_Casefold and accent folding, applied to the whole string
  /// without segmenting it (so "U.S." gives "u.s." while analyze("U.S.") gives "u.s").
  std::string fold(std::string_view word) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Compact form for tests and debug logs: "belarus's[1] 70,000[2] strong[3]" (term[position]).
std::string describe(const std::vector<Token>& tokens);

/// Snowball languages this build can stem (Xapian::Stem::get_available_languages()), space-separated.
std::string available_languages();

}  // namespace dateline
