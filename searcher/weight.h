/** @file
 *  @brief BM25 over one kind of document: article documents ranked among articles, passages among passages.
 *
 *  A Dateline database holds two kinds of documents (analyzers/schema.h). Their text terms are distinct,
 *  so a term's frequency already counts one kind only, but Xapian's collection size and average document
 *  length are over both kinds together: an article would be weighed against a "collection" of
 *  6 documents per article and an average length of about a passage's. KindBM25Weight is Xapian's BM25
 *  formula (BM25Weight, k2 = 0) with those two statistics taken from the kind being ranked: the count of
 *  its KA or KP documents and the total length the indexer keeps in the metadata (schema::Lengths).
 */
#pragma once

#include <xapian.h>

#include <string>

namespace dateline {

/// The collection statistics of one kind of document.
struct KindStats {
  double documents = 0;       ///< how many documents of the kind
  double average_length = 0;  ///< their average length (sum of wdf); 0 when unknown
};

/// The statistics of article documents (`passages` false) or passage documents in `db`. Falls back to
/// Xapian's average over every document when the stored length is missing.
KindStats kind_stats(const Xapian::Database& db, bool passages);

/// BM25 with the collection size and average length of one kind of document (see the file comment).
/// Term weights, within-query frequency (k3), the length clamp (min_normlen) and the upper bounds used
/// for pruning are computed exactly as Xapian's BM25Weight computes them.
class KindBM25Weight : public Xapian::Weight {
 public:
  KindBM25Weight(double k1, double k3, double b, double min_normlen, KindStats stats);

  std::string name() const override;
  std::string serialise() const override;
  KindBM25Weight* unserialise(const std::string& serialised) const override;
  KindBM25Weight* clone() const override;
  void init(double factor) override;
  double get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen,
                     Xapian::termcount uniqterms) const override;
  double get_maxpart() const override;
  double get_sumextra(Xapian::termcount doclen, Xapian::termcount uniqterms) const override;
  double get_maxextra() const override;

 private:
  double k1_, k3_, b_, min_normlen_;
  KindStats stats_;
  double termweight_ = 0;  ///< idf * (k1 + 1) * wqf factor * the query's scale factor
  double len_factor_ = 0;  ///< 1 / average length (0: lengths play no part)
};

}  // namespace dateline
