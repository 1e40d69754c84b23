/** @file
 *  @brief Character-level reading rules: UTF-8 repair with byte offsets, and per-word folding.
 *
 *  Internal to dateline_analyzers (the Analyzer is the public face). Both halves work on UTF-16
 *  because ICU's BreakIterator and Normalizer2 do; neither ever normalises a whole text, so every
 *  UTF-16 unit can be traced back to the bytes of the original input.
 */
#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::text {

/// Decodes UTF-8 into `out` (UTF-16), applying the reading rules that must hold before word
/// segmentation, all of which map one code point to one code point so offsets stay exact:
///  - invalid UTF-8 (stray continuation bytes, truncated or overlong sequences, encoded surrogates,
///    bytes 0xF5..0xFF, values above U+10FFFF) becomes U+FFFD, one per maximal ill-formed subpart
///    (the Unicode/W3C/ICU convention), never an error;
///  - NUL, C0 and C1 control characters and every Unicode space (U+00A0, U+2000..U+200A, U+202F,
///    U+205F, U+3000, ...) become U+0020, so they separate words;
///  - apostrophe look-alikes U+2018, U+2019, U+02BC, U+FF07 become U+0027.
/// `offsets` receives, for each UTF-16 unit k of `out`, the byte offset in `in` of the code point
/// (or ill-formed subpart) it came from, plus offsets[out.length()] == in.size(). Its size may be
/// larger than out.length() + 1 (the buffer is reused between calls; extra entries are stale).
/// Throws std::length_error when in.size() >= 2^31 - 1 (ICU indexes are int32_t; the Analyzer
/// feeds chunks of at most a few hundred KB, and offsets relative to the chunk fit 32 bits).
void decode_utf8(std::string_view in, icu::UnicodeString& out, std::vector<uint32_t>& offsets);

/// The one code-point mapping decode_utf8() applies (exposed for fold() of typed query words).
UChar32 map_code_point(UChar32 c);

/// Folds single words: NFKC + full case folding (NFKC_Casefold, which also drops default-ignorable
/// code points such as U+00AD SOFT HYPHEN), decimal digits of every script to ASCII, then
/// optionally accent folding. Keeps its ICU buffers
/// between calls, so one Folder per thread.
class Folder {
 public:
  /// Throws std::runtime_error when ICU's normalisation data cannot be loaded.
  explicit Folder(bool fold_accents);

  /// Folds the UTF-16 word `word[0, length)` (already mapped by decode_utf8()) into `out` as UTF-8
  /// (out is overwritten). Returns true when the folded word is one Snowball should stem: only
  /// letters, combining marks and apostrophes, at least one letter, and no Han or kana (so numbers,
  /// "u.s", "covid19", e-mail addresses and CJK words are not stemmed).
  bool fold(const char16_t* word, int32_t length, std::string& out);

 private:
  /// Replaces decimal digits of any script in buf_a_ by ASCII digits.
  void fold_digits();
  /// Strips accents from buf_a_ (NFKC_CF text); leaves the result in buf_a_.
  void strip_accents();

  bool fold_accents_;
  const icu::Normalizer2* nfkc_cf_;
  const icu::Normalizer2* nfd_;
  const icu::Normalizer2* nfc_;
  icu::UnicodeString source_;  ///< read-only alias of the caller's word (no copy)
  icu::UnicodeString buf_a_;
  icu::UnicodeString buf_b_;
};

}  // namespace dateline::text
