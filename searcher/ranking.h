/** @file
 *  @brief The ranking constants: every number the ranking uses, named (BM25, title weight, query rewrites,
 *  passage choice). Read by the query compiler and the searcher; bench/RESULTS.md has the measurements.
 */
#pragma once

namespace dateline {

/// Named ranking constants: every number the ranking uses lives here.
namespace ranking {
inline constexpr double kBm25K1 = 0.9;  ///< term-frequency saturation (Anserini's default)
inline constexpr double kBm25K3 = 1.0;  ///< within-query frequency
inline constexpr double kBm25B = 0.4;   ///< document-length normalisation (Anserini's default)
inline constexpr double kBm25MinNormLen = 0.5;
/// Title weight: applied at index time as a wdf multiplier (schema::kFields "title" weight), so a
/// title word counts this many body occurrences; quoted here for --explain.
inline constexpr unsigned kTitleWeight = 3;
/// Query-time scale of a title (ZS/S) term's BM25 weight, on top of the wdf multiplier above. The
/// title words are also article text (schema::kTitleBodyWeight), so this is a small extra bonus for a
/// word in the headline, not the title's whole say (larger scales lose nDCG@10: bench/RESULTS.md, section 1).
inline constexpr double kTitleQueryScale = 0.25;
/// Plain words (default OR): documents holding every word get the AND's weight again (OP_AND_MAYBE).
inline constexpr bool kCoordinationBonus = true;
/// Plain (bag-of-words) query words that are English stop words ("the", "of": Lucene's 33) are dropped
/// when the query has other words; phrases, NEAR and `+the` keep them, and so does the index. They
/// weigh almost nothing in BM25 but match nearly every article (cost: exact totals count them all).
inline constexpr bool kDropStopWords = true;
/// An unquoted compound ("PPAR-RXRs", "Belarus-Ukraine") among the optional words of a query: each
/// part is one more optional word (false: the parts are all required, as for a required compound).
inline constexpr bool kCompoundPartsOptional = true;
/// An acronym typed in capitals also matches its other number, which Snowball does not merge:
/// "RNAs" finds "RNA", "NGO" finds "NGOs" (one term for BM25, OP_SYNONYM).
inline constexpr bool kAcronymPlurals = true;
/// Passage choice within an article: a pair of query words within this many positions earns a bonus.
inline constexpr unsigned kProximityWindow = 8;
/// Weight of each close pair relative to one BM25 term match in the passage-selection query.
inline constexpr double kProximityBonus = 0.5;
/// An adjacent pair (in query order) earns this much more than a merely close one.
inline constexpr double kPhraseBonus = 1.0;
/// The hit score in article scoring: article BM25 + kPassageMix * best passage score. 0 keeps the
/// article order and the article's BM25 as the reported score; the passage only chooses the text.
inline constexpr double kPassageMix = 0.0;
}  // namespace ranking

}  // namespace dateline
