/** @file
 *  @brief KindBM25Weight: Xapian's BM25 with the collection size and average length of one kind of document.
 */
#include "searcher/weight.h"

#include <algorithm>
#include <cmath>

#include "analyzers/schema.h"

namespace dateline {

KindStats kind_stats(const Xapian::Database& db, bool passages) {
  KindStats stats;
  stats.documents = static_cast<double>(
      db.get_termfreq(std::string(passages ? schema::kKindPassage : schema::kKindArticle)));
  const schema::Lengths lengths = schema::read_lengths(db);
  const double total = static_cast<double>(passages ? lengths.passages : lengths.articles);
  if (stats.documents > 0 && total > 0) {
    stats.average_length = total / stats.documents;
  } else {
    stats.average_length = db.get_avlength();
  }
  return stats;
}

KindBM25Weight::KindBM25Weight(double k1, double k3, double b, double min_normlen, KindStats stats)
    : k1_(std::max(k1, 0.0)),
      k3_(std::max(k3, 0.0)),
      b_(std::clamp(b, 0.0, 1.0)),
      min_normlen_(min_normlen),
      stats_(stats) {
  need_stat(TERMFREQ);
  need_stat(WDF);
  need_stat(WDF_MAX);
  need_stat(WQF);
  if (k1_ != 0 && b_ != 0) {
    need_stat(DOC_LENGTH);
    need_stat(DOC_LENGTH_MIN);
  }
}

std::string KindBM25Weight::name() const {
  return "dateline.KindBM25";
}

std::string KindBM25Weight::serialise() const {
  std::string out;
  for (double v : {k1_, k3_, b_, min_normlen_, stats_.documents, stats_.average_length}) {
    const std::string s = Xapian::sortable_serialise(v);
    out += static_cast<char>(s.size());
    out += s;
  }
  return out;
}

KindBM25Weight* KindBM25Weight::unserialise(const std::string& serialised) const {
  double v[6] = {};
  size_t at = 0;
  for (double& x : v) {
    if (at >= serialised.size()) throw Xapian::SerialisationError("bad dateline.KindBM25 parameters");
    const auto n = static_cast<unsigned char>(serialised[at++]);
    if (at + n > serialised.size()) throw Xapian::SerialisationError("bad dateline.KindBM25 parameters");
    x = Xapian::sortable_unserialise(serialised.substr(at, n));
    at += n;
  }
  return new KindBM25Weight(v[0], v[1], v[2], v[3], KindStats{v[4], v[5]});
}

KindBM25Weight* KindBM25Weight::clone() const {
  return new KindBM25Weight(k1_, k3_, b_, min_normlen_, stats_);
}

void KindBM25Weight::init(double factor) {
  // BM25Weight::init without a relevance set, over this kind's documents.
  const double tf = static_cast<double>(get_termfreq());
  const double n = std::max(stats_.documents, tf);
  double tw = (n - tf + 0.5) / (tf + 0.5);
  // Xapian's guard against the negative weight of a term in over half the documents.
  if (tw < 2) tw = tw * 0.5 + 1;
  termweight_ = std::log(tw) * factor;
  if (k3_ != 0) {
    const double wqf = get_wqf();
    termweight_ *= (k3_ + 1) * wqf / (k3_ + wqf);
  }
  termweight_ *= (k1_ + 1);
  len_factor_ = (k1_ != 0 && b_ != 0 && stats_.average_length > 0) ? 1 / stats_.average_length : 0;
}

double KindBM25Weight::get_sumpart(Xapian::termcount wdf, Xapian::termcount doclen, Xapian::termcount) const {
  const double normlen = std::max(doclen * len_factor_, min_normlen_);
  const double w = wdf;
  const double denom = k1_ * (normlen * b_ + (1 - b_)) + w;
  return denom > 0 ? termweight_ * (w / denom) : 0;
}

double KindBM25Weight::get_maxpart() const {
  // As BM25Weight: the bound at doclen = max(wdf_max, the shortest document) (Macdonald et al. 2011).
  const double wdf_max = get_wdf_upper_bound();
  double denom = k1_;
  if (k1_ != 0 && b_ != 0) {
    const double normlen_lb =
        std::max(std::max<double>(wdf_max, get_doclength_lower_bound()) * len_factor_, min_normlen_);
    denom *= normlen_lb * b_ + (1 - b_);
  }
  denom += wdf_max;
  return denom > 0 ? termweight_ * (wdf_max / denom) : 0;
}

double KindBM25Weight::get_sumextra(Xapian::termcount, Xapian::termcount) const {
  return 0;
}

double KindBM25Weight::get_maxextra() const {
  return 0;
}

}  // namespace dateline
