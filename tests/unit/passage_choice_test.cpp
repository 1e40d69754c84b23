/** @file
 *  @brief Oracle test: choosing passages from the stored passage texts (TextPositions, used for remote
 *  shards) gives exactly what the position lists give (DocumentPositions), on the fixture articles and on
 *  the news corpus's first kNewsArticles records when the corpus is on the machine.
 *
 *  The queries are made from the articles themselves: single words, word pairs, phrases, NEAR groups,
 *  wildcards and speaker filters with a word of the quoted passage. Every candidate passage of every hit
 *  is compared (per_article 0), with its score, the terms it matched, its proximity bonus and snippet.
 */
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzers/schema.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace {

constexpr int kNewsArticles = 600;
constexpr size_t kMaxQueries = 400;

using dateline::test::news_corpus;

void index_into(const fs::path& db, const std::string& input) {
  dateline::IndexOptions o;
  o.db_path = db.string();
  o.inputs = {input};
  dateline::Reporter quiet;  // the base reports nothing
  const dateline::IndexReport report = dateline::run_index(o, quiet);
  ASSERT_GT(report.added, 0u);
}

bool plain_word(const std::string& w) {
  if (w.size() < 3) return false;
  for (char c : w) {
    if (!(c >= 'a' && c <= 'z')) return false;
  }
  return true;
}

// Queries made from the database's own passages (every `step`-th article), at most kMaxQueries.
std::vector<std::string> queries_from(const fs::path& db_path, unsigned step) {
  Xapian::Database db(db_path.string(), Xapian::DB_BACKEND_GLASS);
  dateline::Analyzer analyzer;
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& q) {
    if (out.size() < kMaxQueries && seen.insert(q).second) out.push_back(q);
  };
  unsigned n = 0;
  for (auto d = db.postlist_begin(""); d != db.postlist_end("") && out.size() < kMaxQueries; ++d) {
    if (n++ % step != 0) continue;
    const auto data = nlohmann::json::parse(db.get_document(*d).get_data(), nullptr, false);
    if (!data.is_object() || !data.contains("passages")) continue;
    for (const auto& p : data["passages"]) {
      std::vector<std::string> words;
      for (const auto& t : analyzer.analyze(p.value("text", ""))) words.push_back(t.term);
      if (words.size() < 6) continue;
      const size_t i = words.size() / 3;
      if (plain_word(words[i])) add(words[i]);
      if (plain_word(words[i]) && plain_word(words[i + 3])) add(words[i] + " " + words[i + 3]);
      add("\"" + words[i] + " " + words[i + 1] + "\"");
      add("\"" + words[i + 1] + " " + words[i + 2] + " " + words[i + 3] + "\" " + words[0]);
      add(words[i] + " NEAR/4 " + words[i + 4]);
      if (plain_word(words[i + 2])) add(words[i + 2].substr(0, 4) + "*");
      if (plain_word(words[i + 2])) add(words[i + 2].substr(0, 3) + "* " + words[i]);
      for (const auto& s : p.value("speakers", std::vector<std::string>{})) {
        add("speaker:\"" + s + "\" " + words[i]);
        add("speaker:\"" + s + "\"");
        break;
      }
      break;  // one passage per article: more articles instead
    }
  }
  return out;
}

// Everything the passage choice decides, one line per hit.
std::string describe(const dateline::SearchResult& r) {
  std::ostringstream o;
  o.precision(17);
  o << "total " << r.total << "\n";
  for (const auto& h : r.hits) {
    o << h.rank << " " << h.id << " p" << h.passage.value_or(0) << " " << h.score;
    if (h.snippet) o << " [" << h.snippet->text << "]";
    if (h.explain) {
      o << " ps " << h.explain->passage_score << " prox " << h.explain->proximity_bonus << " terms";
      for (const auto& t : h.explain->passage_terms) o << " " << t;
      o << " | " << h.explain->passage_query;
    }
    o << "\n";
  }
  return o.str();
}

struct Coverage {
  size_t queries = 0, hits = 0, proximity = 0, speaker = 0, second_passage = 0;
};

Coverage compare_sources(const fs::path& db, unsigned step) {
  Coverage c;
  dateline::Searcher searcher(db.string());
  for (const std::string& q : queries_from(db, step)) {
    dateline::SearchOptions o;
    o.query = q;
    o.limit = 10;
    o.per_article = 0;
    o.explain = true;
    o.passage_source = dateline::PassageSource::kPositions;
    const dateline::SearchResult by_positions = searcher.search(o);
    o.passage_source = dateline::PassageSource::kText;
    const dateline::SearchResult by_text = searcher.search(o);
    EXPECT_EQ(describe(by_text), describe(by_positions)) << "query: " << q;
    ++c.queries;
    for (const auto& h : by_positions.hits) {
      ++c.hits;
      if (h.explain && h.explain->proximity_bonus > 0) ++c.proximity;
      if (h.explain && h.explain->passage_query.find("quotes the speaker") != std::string::npos) ++c.speaker;
      if (h.passage.value_or(0) > 1) ++c.second_passage;
    }
  }
  return c;
}

// The comparison covered more than `floor` of each: queries, hits, and hits whose choice took proximity, a
// quoted speaker or a later passage into account.
void expect_more_than(const Coverage& c, const Coverage& floor) {
  EXPECT_GT(c.queries, floor.queries);
  EXPECT_GT(c.hits, floor.hits);
  EXPECT_GT(c.proximity, floor.proximity);
  EXPECT_GT(c.speaker, floor.speaker);
  EXPECT_GT(c.second_passage, floor.second_passage);
}

TEST(PassageChoice, StoredTextsChooseAsPositionListsOnFixtures) {
  dateline::test::TempDir dir;
  index_into(dir.path() / "db", (dateline::test::fixtures_dir() / "articles").string());
  expect_more_than(compare_sources(dir.path() / "db", 1), Coverage{30, 100, 0, 0, 0});
}

TEST(PassageChoice, StoredTextsChooseAsPositionListsOnNews) {
  const auto corpus = news_corpus();
  if (!corpus) GTEST_SKIP() << "the news corpus (../shared/corpora/news/news.jsonl) is not on this machine";
  dateline::test::TempDir dir;
  const fs::path sample = dir.path() / "news.jsonl";
  {
    std::ifstream in(*corpus, std::ios::binary);
    std::ofstream out(sample, std::ios::binary);
    std::string line;
    for (int i = 0; i < kNewsArticles && std::getline(in, line); ++i) out << line << "\n";
  }
  index_into(dir.path() / "db", sample.string());
  expect_more_than(compare_sources(dir.path() / "db", 3), Coverage{200, 1000, 50, 10, 100});
}

}  // namespace
