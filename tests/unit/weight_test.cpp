/** @file
 *  @brief KindBM25Weight: Xapian's BM25 when the kind is the whole collection; its own statistics otherwise.
 */
#include "searcher/weight.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/schema.h"

namespace {

using dateline::KindBM25Weight;
using dateline::KindStats;

// Documents of words (every word a term, wdf = its count), all of one kind ("KA").
Xapian::WritableDatabase corpus(const std::vector<std::string>& docs) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  for (const auto& text : docs) {
    Xapian::Document d;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) d.add_term(text.substr(start, end - start));
      start = end + 1;
    }
    d.add_boolean_term(std::string(dateline::schema::kKindArticle));
    db.add_document(d);
  }
  return db;
}

std::vector<std::pair<Xapian::docid, double>> ranked(const Xapian::Database& db, const Xapian::Query& q,
                                                     const Xapian::Weight& w) {
  Xapian::Enquire e(db);
  e.set_query(q);
  e.set_weighting_scheme(w);
  std::vector<std::pair<Xapian::docid, double>> out;
  Xapian::MSet m = e.get_mset(0, 100);
  for (auto it = m.begin(); it != m.end(); ++it) out.emplace_back(*it, it.get_weight());
  return out;
}

TEST(KindBM25Weight, EqualsXapianBM25OverACollectionOfOneKind) {
  auto db =
      corpus({"alpha beta beta", "alpha gamma", "beta gamma gamma gamma delta", "delta", "alpha alpha beta"});
  const double k1 = 0.9, b = 0.4;
  KindStats stats{static_cast<double>(db.get_doccount()), db.get_avlength()};
  const std::vector<Xapian::Query> parts{
      Xapian::Query("alpha"), Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query("beta"), 0.5),
      Xapian::Query("gamma"), Xapian::Query("gamma")};
  const Xapian::Query q(Xapian::Query::OP_OR, parts.begin(), parts.end());
  auto want = ranked(db, q, Xapian::BM25Weight(k1, 0, 1, b, 0.5));
  auto got = ranked(db, q, KindBM25Weight(k1, 1, b, 0.5, stats));
  ASSERT_EQ(got.size(), want.size());
  ASSERT_FALSE(got.empty());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first);
    EXPECT_DOUBLE_EQ(got[i].second, want[i].second);
  }
}

TEST(KindBM25Weight, UsesTheKindsStatisticsNotTheDatabases) {
  auto db = corpus({"alpha beta", "beta gamma"});
  const Xapian::Query q("alpha");
  // alpha in 1 document of 2 (Xapian's low-idf guard: 1 + 0.5 * 1.5/1.5 = 1.5), length 2 = average.
  const double k1 = 1.2, b = 0.75;
  const double two_docs = ranked(db, q, KindBM25Weight(k1, 1, b, 0.5, {2, 2}))[0].second;
  EXPECT_NEAR(two_docs, std::log(1.5) * (k1 + 1) * (1 / (k1 + 1)), 1e-12);
  // The same document among 100 of its kind, average length 4: rarer, and shorter than average.
  const double hundred = ranked(db, q, KindBM25Weight(k1, 1, b, 0.5, {100, 4}))[0].second;
  const double normlen = 2.0 / 4.0;
  EXPECT_NEAR(hundred, std::log(99.5 / 1.5) * (k1 + 1) * (1 / (k1 * (normlen * b + 1 - b) + 1)), 1e-12);
}

TEST(KindBM25Weight, SerialisesItsParameters) {
  KindBM25Weight w(0.9, 1, 0.4, 0.5, {12345, 67.25});
  std::unique_ptr<Xapian::Weight> back(w.unserialise(w.serialise()));
  EXPECT_EQ(back->serialise(), w.serialise());
  EXPECT_EQ(back->name(), "dateline.KindBM25");
  EXPECT_THROW(std::unique_ptr<Xapian::Weight>(w.unserialise("\x05xy")), Xapian::SerialisationError);
}

TEST(KindStats, ReadsTheStoredLengthsAndFallsBackToXapians) {
  auto db = corpus({"alpha beta", "beta gamma delta"});
  KindStats fallback = dateline::kind_stats(db, false);
  EXPECT_EQ(fallback.documents, 2);
  EXPECT_DOUBLE_EQ(fallback.average_length, 2.5);
  dateline::schema::write_lengths(db, {10, 0});
  KindStats stored = dateline::kind_stats(db, false);
  EXPECT_DOUBLE_EQ(stored.average_length, 5.0);
}

}  // namespace
