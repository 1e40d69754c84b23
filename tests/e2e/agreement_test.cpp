/** @file
 *  @brief Index-time and query-time analysis agree: every word and phrase of each fixture passage, typed as a
 *  query, finds that passage.
 *
 *  The fixtures are read by the real reader, turned into documents by the real document builder and searched
 * with queries from the real parser and compiler; only the Analyzer is shared between the two sides. If the
 * two ever made different terms from the same text, a passage would stop finding itself.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <set>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "articles/reader.h"
#include "indexer/document_builder.h"
#include "indexer/stem_forms.h"
#include "searcher/query.h"
#include "tests/support/test_support.h"

namespace {

using dateline::Analyzer;
using dateline::AnalyzerConfig;

struct IndexedPassage {
  std::string article_id;
  uint64_t number;
  std::string text;
};

class Agreement : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Xapian::WritableDatabase(std::string(), Xapian::DB_BACKEND_INMEMORY);
    dateline::DocumentBuilder builder(analyzer_);
    std::vector<std::filesystem::path> files;
    for (const auto& entry :
         std::filesystem::directory_iterator(dateline::test::fixtures_dir() / "articles")) {
      files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // passages_.front() is then seed 000's first passage
    for (const auto& file : files) {
      std::vector<dateline::Diagnostic> diagnostics;
      dateline::ReadOptions options;
      options.id_root = file.parent_path();
      dateline::read_file(
          file, options,
          [&](dateline::Article&& article) {
            auto built = builder.build(article);
            db_.add_document(built.document);
            dateline::add_stem_forms(db_, built);  // the in-memory backend keeps them too (metadata)
            uint64_t n = 0;
            for (const auto& p : article.passages) passages_.push_back({article.id, ++n, p.text});
          },
          diagnostics);
      for (const auto& d : diagnostics) EXPECT_FALSE(d.skipped) << d.file << ": " << d.reason;
    }
    db_.commit();
    ASSERT_GT(passages_.size(), 50u);
  }

  // Does `query_text`, parsed and compiled, match p's article, and do its words lie in passage `p`'s
  // position range (schema.h "Positions"), in a row when `phrase`? An article is one document: the
  // passage is where its words are.
  bool finds(const std::string& query_text, const IndexedPassage& p, bool phrase = false) {
    auto compiled = dateline::compile_query(dateline::parse_query(query_text), {}, analyzer_);
    const Xapian::Query article(dateline::article_id_term(p.article_id));
    if (!matches(Xapian::Query(Xapian::Query::OP_FILTER, compiled.query, article))) return false;
    Xapian::Enquire enquire(db_);
    enquire.set_query(article);
    const Xapian::docid did = *enquire.get_mset(0, 1).begin();
    const auto data = nlohmann::json::parse(db_.get_document(did).get_data());
    const uint32_t start = data["passages"][p.number - 1]["pos"].get<uint32_t>();
    const uint32_t end = start + dateline::schema::kPassageStride;
    std::string text = query_text;
    std::erase(text, '"');
    const auto tokens = analyzer_.analyze(text);
    auto positions = [&](const std::string& term) {
      std::set<Xapian::termpos> out;
      try {
        for (auto it = db_.positionlist_begin(did, term); it != db_.positionlist_end(did, term); ++it) {
          if (*it > start && *it < end) out.insert(*it);
        }
      } catch (const Xapian::Error&) {
      }
      return out;
    };
    if (tokens.empty()) return false;
    if (!phrase) {
      // Each word in the passage, in its exact form or by its ranking term, whose positions are those of
      // its exact forms (schema 4: the metadata lists them).
      for (const auto& t : tokens) {
        auto exact = positions(t.term);
        const std::string word = t.stem.empty() ? t.term : t.stem;
        const bool own = dateline::schema::owns_ranking_term(word, analyzer_.stem(word), analyzer_.is_stop_word(word));
        std::set<Xapian::termpos> ranked;
        if (!analyzer_.is_stop_word(t.term)) {
          const std::string stored = db_.get_metadata(std::string(dateline::schema::kMetaFormsPrefix) + word);
          for (const auto& form : dateline::schema::ranking_forms(word, own, {stored})) ranked.merge(positions(form));
        }
        if (exact.empty() && ranked.empty()) return false;
      }
      return true;
    }
    for (Xapian::termpos first : positions(tokens.front().term)) {
      bool all = true;
      for (size_t k = 1; k < tokens.size() && all; ++k) {
        all = positions(tokens[k].term).count(first + (tokens[k].position - tokens.front().position)) > 0;
      }
      if (all) return true;
    }
    return false;
  }

  bool matches(const Xapian::Query& q) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(q);
    return enquire.get_mset(0, 1).size() == 1;
  }

  Analyzer analyzer_{AnalyzerConfig{}};
  Xapian::WritableDatabase db_;
  std::vector<IndexedPassage> passages_;
};

// The raw words of a passage, as a user would copy them out of the text.
std::vector<std::string> raw_words(const Analyzer& analyzer, const std::string& text) {
  std::vector<std::string> words;
  for (const auto& t : analyzer.analyze(text)) words.push_back(text.substr(t.begin, t.end - t.begin));
  return words;
}

TEST_F(Agreement, EveryWordFindsItsPassage) {
  size_t checked = 0;
  for (const auto& p : passages_) {
    for (const auto& w : raw_words(analyzer_, p.text)) {
      // Quoted: the exact form (also keeps words such as AND or NOT from being read as operators).
      EXPECT_TRUE(finds("\"" + w + "\"", p, true))
          << "word \"" << w << "\" of " << p.article_id << " #" << p.number;
      if (w != "AND" && w != "OR" && w != "NOT" && w != "NEAR") {
        EXPECT_TRUE(finds(w, p)) << "word " << w << " of " << p.article_id << " #" << p.number;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 2000u);
  // The harness can say no: a word in no passage, and a passage's word looked up in another passage.
  EXPECT_FALSE(finds("qqzyabrovkaqq", passages_.front()));
  EXPECT_FALSE(finds("\"Zyabrovka airfield\"", passages_.front(), true));
}

TEST_F(Agreement, EveryPhraseOfTwoToFourWordsFindsItsPassage) {
  size_t checked = 0;
  for (const auto& p : passages_) {
    auto words = raw_words(analyzer_, p.text);
    for (size_t len = 2; len <= 4; ++len) {
      for (size_t i = 0; i + len <= words.size(); ++i) {
        std::string phrase;
        for (size_t k = i; k < i + len; ++k) phrase += (k == i ? "" : " ") + words[k];
        EXPECT_TRUE(finds("\"" + phrase + "\"", p, true)) << "phrase \"" << phrase << "\" of " << p.article_id;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 5000u);
}

// The seed's no-break space (000: "special \u00a0military") and curly apostrophes agree on both sides.
TEST_F(Agreement, SpacesAndApostrophesOfTheSeedsAgree) {
  bool found_nbsp = false;
  for (const auto& p : passages_) {
    if (p.text.find("special \u00a0military") != std::string::npos) {
      found_nbsp = true;
      EXPECT_TRUE(finds("\"special military operation\"", p, true));
    }
    if (p.text.find("Belarus\u2019 decision") != std::string::npos) {
      EXPECT_TRUE(finds("\"Belarus' decision\"", p, true));
      EXPECT_TRUE(finds("\"Belarus\u2019 decision\"", p, true));
    }
  }
  EXPECT_TRUE(found_nbsp) << "fixture 000 should hold a no-break space inside the phrase";
}

}  // namespace
