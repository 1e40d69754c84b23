/** @file
 *  @brief Syndicated copies: exact fingerprint, MinHash signature with banded LSH, and the same-story test.
 *
 *  A wire story runs on many sites word for word or lightly edited (a new headline, an intro added, the tail
 *  cut, a local paragraph inserted). Each article's text (headline left out: outlets rewrite it) is
 *  normalised to its words (case-folded letters and digits), and gives
 *   - an exact fingerprint: XXH3-64 of the normalised words, so byte-identical or re-punctuated texts match;
 *   - a MinHash signature (Broder 1997) of its word 4-shingles: kMinHashes minima of seeded 64-bit hashes,
 *     with the number of distinct shingles, so that both the resemblance (Jaccard) and the containment of
 *     the smaller text in the larger can be estimated from two signatures alone;
 *   - LSH band keys (Indyk & Motwani; Leskovec et al., MMDS ch. 3): the signature's first kBands x kRows
 *     minima in bands of kRows, one key per band. Two texts with resemblance J share a band with probability
 *     1 - (1 - J^kRows)^kBands, so copies (J >= 0.3 even for a copy cut to a third) meet as candidates and
 *     unrelated texts rarely do; each candidate is then checked with same_story().
 *  Everything is deterministic: fixed seeds, no randomness, no dependence on the order of calls.
 */
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::stories {

inline constexpr unsigned kShingleWords = 4;  ///< words per shingle
inline constexpr unsigned kMinHashes = 128;   ///< minima in a signature
inline constexpr unsigned kBands = 12;       ///< LSH bands (their keys are index terms)
inline constexpr unsigned kRows = 1;         ///< minima per band
static_assert(kBands * kRows <= kMinHashes);

/// What the detector keeps of one text.
struct Signature {
  uint64_t exact = 0;                        ///< XXH3-64 of the normalised words (0: no words)
  uint32_t shingles = 0;                     ///< distinct shingles (0: no words)
  uint32_t words = 0;                        ///< words of the normalised text
  uint64_t numbers = 0;                      ///< its figures ("1.5", "109,000"), one bit each (hash mod 64)
  std::array<uint32_t, kMinHashes> mins{};   ///< low 32 bits of each minimum
  bool empty() const { return shingles == 0; }
};

/// The same-story rule's thresholds (defaults: bench/stories, README "Syndicated copies").
struct Thresholds {
  double resemblance = 0.6;   ///< estimated Jaccard at or above which two texts are one story
  double containment = 0.8;   ///< estimated share of the smaller text's shingles found in the larger
  double min_ratio = 0.2;     ///< containment counts only when the smaller has this share of the larger
  uint32_t min_shingles = 8;  ///< containment counts only when the smaller has this many shingles
  /// Short texts are often one template sentence with another company's name and figures ("Fed adds
  /// reserves via customer repurchases", "... sets quarterly payout"), while a copy keeps its figures:
  /// below this many words, two texts that both hold numbers are one story only when at least half the
  /// smaller text's numbers are in the larger.
  uint32_t short_words = 60;
};

/// The text's words (letters, marks and digits; ICU simple case folding), joined by one space.
std::string normalise(std::string_view text);

/// The signature of a text (see the file comment). A text without words gives an empty signature.
Signature sign(std::string_view text);

/// Estimated resemblance (Jaccard of the shingle sets): the share of minima whose low 16 bits are equal.
double resemblance(const Signature& a, const Signature& b);

/// Estimated containment of the smaller shingle set in the larger: |A n B| / min(|A|, |B|), with
/// |A n B| = J / (1 + J) * (|A| + |B|) from the estimated resemblance J.
double containment(const Signature& a, const Signature& b);

/// How alike two texts are for the same-story rule: 1 for equal fingerprints, else the larger of the
/// resemblance and the containment when the containment counts (Thresholds); 0 for empty signatures.
/// `same`: a score at its threshold and, for short texts, their numbers agree (Thresholds::short_words).
/// A writer joins a new article to its best-scoring candidate.
struct Match {
  bool same = false;
  double score = 0;
};
Match compare(const Signature& a, const Signature& b, const Thresholds& t = {});

/// The LSH band keys of a signature: kBands strings "BB" + 12 hex digits (band number, then 48 bits of XXH3
/// of the band's minima), to be put after a term prefix. Empty for an empty signature.
std::vector<std::string> band_keys(const Signature& s);

/// 16 lower-case hex digits of the exact fingerprint.
std::string exact_key(const Signature& s);

/// The signature as bytes for a value slot (little-endian: shingles, words, exact, numbers, then the low 16
/// bits of each minimum, all that resemblance() compares), and back (band_keys() of a signature read back
/// are not those of the text: the terms on its document are); std::nullopt
/// when the bytes are not a signature of this layout.
std::string serialise(const Signature& s);
std::optional<Signature> deserialise(std::string_view bytes);

}  // namespace dateline::stories
