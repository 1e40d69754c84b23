/** @file
 *  @brief Collapsing copies after the match (searcher/collapse.h) against Xapian's collapser: on a database
 *  with copies (exact ones, which tie, and edited ones), every page, its folded copies and the totals must be
 *  what collapsing in the match gives.
 */
#include "searcher/collapse.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <random>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "indexer/document_builder.h"
#include "indexer/writer.h"
#include "searcher/searcher.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

using At = SearchOptions::CollapseAt;

// Words with a skewed frequency, so that queries match many articles and scores often tie.
std::vector<std::string> vocabulary() {
  std::vector<std::string> out;
  for (const char* w : {"harbour", "council", "budget", "strike", "ferry", "wheat", "river", "court", "school",
                        "bridge", "mayor", "storm", "market", "tunnel", "hospital", "rail", "election", "museum",
                        "farm", "airport", "factory", "police", "garden", "library", "festival", "bank"}) {
    out.emplace_back(w);
  }
  for (int i = 0; i < 400; ++i) out.push_back(std::to_string(i).insert(0, 1, 'w'));  // rarer: distinct stories
  return out;
}

std::string text(std::mt19937& rng, const std::vector<std::string>& words, size_t n) {
  std::geometric_distribution<size_t> common(0.25);
  std::uniform_int_distribution<size_t> rare(26, words.size() - 1);
  std::bernoulli_distribution pick_common(0.3);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    const size_t w = pick_common(rng) ? std::min<size_t>(common(rng), 25) : rare(rng);
    if (!out.empty()) out += ' ';
    out += words[w];
  }
  out += '.';
  return out;
}

class CollapseAfterMatch : public ::testing::Test {
 protected:
  void SetUp() override {
    const Analyzer analyzer{AnalyzerConfig{}};
    DocumentBuilder builder(analyzer);
    WriterOptions wo;
    wo.path = (dir_.path() / "db").string();
    IndexWriter writer(wo);
    std::mt19937 rng(7);
    const std::vector<std::string> words = vocabulary();
    const std::vector<std::string> outlets = {"Reuters", "BBC News", "The Guardian", "Daily Courier"};
    std::uniform_int_distribution<int> day(1, 28), outlet(0, 3), copies(1, 4), kind(0, 3);
    std::bernoulli_distribution has_copies(0.15), undated(0.1);
    size_t n = 0;
    auto add = [&](const std::string& id, const std::string& body) {
      Article a;
      a.id = id;
      a.title = "Report";
      a.title->append(" ").append(id);
      a.outlet = outlets[outlet(rng)];
      const int d = day(rng);
      if (!undated(rng)) a.date = std::string(d < 10 ? "2024-03-0" : "2024-03-").append(std::to_string(d));
      a.content_hash = id;
      a.passages.push_back(Passage{body, 0, body.size(), {}});
      BuiltArticle built = builder.build(a);
      writer.write(built);
      ++n;
    };
    for (int story = 0; story < 600; ++story) {
      std::string body = text(rng, words, 70);
      body.append("\n\n").append(text(rng, words, 40));
      std::string id = "s";  // built by appending: GCC 12's -Wrestrict misfires on "s" + std::to_string()
      id += std::to_string(story);
      add(id, body);
      if (!has_copies(rng)) continue;
      for (int c = copies(rng); c > 0; --c) {
        // Word for word (a tie), with an intro, or with a local paragraph at the end.
        const int k = kind(rng);
        std::string copy;
        if (k == 2) copy.append("Local desk. ").append(text(rng, words, 12)).append("\n\n");
        copy.append(body);
        if (k == 3) copy.append("\n\n").append(text(rng, words, 15));
        std::string copy_id = id;
        copy_id += "-c";
        copy_id += std::to_string(c);
        add(copy_id, copy);
      }
    }
    writer.commit();
    articles_ = n;
  }

  SearchResult run(SearchOptions o, At at) {
    o.collapse_at = at;
    return searcher_->search(o);
  }

  test::TempDir dir_;
  size_t articles_ = 0;
  std::unique_ptr<Searcher> searcher_;
};

std::string describe(const SearchResult& r) {
  std::string out;
  for (const Hit& h : r.hits) {
    out += std::to_string(h.rank) + " " + h.id + " " + std::to_string(h.score);
    for (const Hit::Copy& c : h.copies) out += " +" + c.id;
    out += "\n";
  }
  return out;
}

TEST_F(CollapseAfterMatch, GivesXapiansCollapsedPages) {
  searcher_ = std::make_unique<Searcher>((dir_.path() / "db").string());
  // The corpus has what the comparison needs: stories with copies, most articles alone.
  Xapian::Database db((dir_.path() / "db").string());
  const Xapian::doccount with_copies = db.get_value_freq(schema::kSlotStoryCopies);
  ASSERT_GT(with_copies, 100u);
  ASSERT_LT(with_copies, articles_ / 2);
  size_t folded = 0, after_exact = 0, compared = 0;
  for (const std::string q : {"harbour", "council budget", "strike ferry wheat", "\"harbour council\"", "riv*",
                              "market", "bank OR storm", "w17", "mayor NEAR/5 storm", ""}) {
    for (int variant = 0; variant < 9; ++variant) {
      SearchOptions o;
      o.query = q;
      if (q.empty()) o.filters.outlets = {"Reuters"};
      o.want_snippets = variant % 2 == 0;
      switch (variant) {
        case 1: o.limit = 100; break;
        case 2: o.offset = 7; o.limit = 5; break;
        case 3: o.limit = 0; break;
        case 4: o.facets = {FacetKind::kOutlet}; break;
        case 5: o.sort = SortOrder::kDate; o.offset = 3; break;
        case 6: o.sort = SortOrder::kDateDesc; o.limit = 40; break;
        case 7: o.exact_total_up_to = 30; o.limit = 20; break;           // past it: Xapian's estimates
        case 8: o.ids_only = true; o.exact_total_up_to = 0; o.limit = 60; break;  // trec: the page only
        default: break;
      }
      const SearchResult after = run(o, At::kAfterMatch);
      const SearchResult in_match = run(o, At::kInMatch);
      SearchOptions exact = o;
      exact.exact_total_up_to = kAllMatches;
      const SearchResult in_match_exact = run(exact, At::kInMatch);
      SCOPED_TRACE("query '" + q + "' variant " + std::to_string(variant));
      ++compared;
      // Exact when every match was seen (Xapian's collapsed bounds can leave that untold: its exact count
      // is the reference then); otherwise Xapian's collapsed estimates and copies, from a match run with its
      // collapser. An ids/trec page (nothing but the page printed) is the complete answer's page.
      const bool page_only = variant == 8;
      const SearchResult& want = after.total_exact || page_only ? in_match_exact : in_match;
      EXPECT_EQ(describe(after), describe(want));
      // Ranked by score, Xapian's pruning never hides a copy that ties: the same page as collapsing in the match.
      if (page_only && !q.empty()) {
        EXPECT_EQ(describe(after), describe(in_match));
      }
      if (!page_only || after.total_exact) {  // ids/trec print no total: no second match for it
        EXPECT_EQ(after.total, want.total);
        EXPECT_EQ(after.stories, want.stories);
        EXPECT_EQ(after.total_exact, want.total_exact);
      }
      ASSERT_EQ(after.facets.size(), want.facets.size());
      for (size_t f = 0; f < after.facets.size(); ++f) {
        ASSERT_EQ(after.facets[f].values.size(), want.facets[f].values.size());
        for (size_t v = 0; v < after.facets[f].values.size(); ++v) {
          EXPECT_EQ(after.facets[f].values[v].value, want.facets[f].values[v].value);
          EXPECT_EQ(after.facets[f].values[v].count, want.facets[f].values[v].count);
        }
      }
      after_exact += after.total_exact && !in_match.total_exact;
      for (const Hit& h : after.hits) folded += !h.copies.empty();
    }
  }
  EXPECT_EQ(compared, 90u);
  // The comparison saw folded copies, and totals that only collapsing after the match knows to be exact.
  EXPECT_GT(folded, 20u);
  EXPECT_GT(after_exact, 0u);
}

// Collapsing in the match, Xapian's bounds are loose, but a matcher that saw fewer matches than it was
// asked to check saw them all: the total and the stories are exact below the limit, and still estimates
// (flagged) above it.
TEST_F(CollapseAfterMatch, InTheMatchTotalsAreExactBelowTheLimit) {
  searcher_ = std::make_unique<Searcher>((dir_.path() / "db").string());
  size_t below_limit = 0, estimated = 0;
  for (const std::string q : {"w17", "w123 OR w250", "\"harbour council\"", "mayor NEAR/5 storm", "w3*", "w40 w41 w42"}) {
    SCOPED_TRACE("query '" + q + "'");
    SearchOptions o;
    o.query = q;
    o.exact_total_up_to = kAllMatches;
    const SearchResult all = run(o, At::kInMatch);
    ASSERT_TRUE(all.total_exact);
    if (all.total < 4 || all.total + 1 >= articles_) continue;
    o.exact_total_up_to = all.total + 1;
    const SearchResult below = run(o, At::kInMatch);
    EXPECT_TRUE(below.total_exact);
    EXPECT_EQ(below.total, all.total);
    EXPECT_EQ(below.stories, all.stories);
    EXPECT_EQ(describe(below), describe(all));
    ++below_limit;
    o.exact_total_up_to = all.total / 2;
    const SearchResult above = run(o, At::kInMatch);
    if (!above.total_exact) {
      ++estimated;
      // At least the matches the matcher had to check; no more than there are articles.
      EXPECT_GE(above.total, o.exact_total_up_to);
      EXPECT_LE(above.total, articles_);
    }
  }
  EXPECT_GE(below_limit, 4u);
  EXPECT_GT(estimated, 0u);  // above the limit, Xapian's estimates (flagged)
}

TEST(StoryNumbers, NumbersTheStoriesOfTheArticlesWithCopies) {
  test::TempDir dir;
  Xapian::WritableDatabase db((dir.path() / "db").string(), Xapian::DB_CREATE_OR_OVERWRITE);
  for (const char* story : {"", "a", "b", "a", "", "b", "c"}) {
    Xapian::Document doc;
    if (*story) doc.add_value(schema::kSlotStoryCopies, story);
    db.add_document(doc);
  }
  db.commit();
  const StoryNumbers numbers(db, schema::kSlotStoryCopies);
  EXPECT_EQ(numbers.stories(), 3u);
  EXPECT_EQ(numbers.of(1), 0u);
  EXPECT_NE(numbers.of(2), 0u);
  EXPECT_EQ(numbers.of(2), numbers.of(4));
  EXPECT_EQ(numbers.of(3), numbers.of(6));
  EXPECT_NE(numbers.of(2), numbers.of(3));
  EXPECT_EQ(numbers.of(5), 0u);
  EXPECT_EQ(numbers.of(99), 0u);
  NotedCopies noted{{1, 1, 1, 2, 3, 3}};
  EXPECT_EQ(noted.count(1), 3u);
  EXPECT_EQ(noted.count(4), 0u);
  EXPECT_EQ(noted.surplus(), 3u);  // six articles, three stories
}

}  // namespace
}  // namespace dateline
