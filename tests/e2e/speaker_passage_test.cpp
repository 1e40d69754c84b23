/** @file
 *  @brief `speaker:X word` in schemas 3 and 4 (one document per article, passages as position ranges; in 4 the
 *  ranking terms have no positions and their exact forms' stand in) finds exactly the articles schema 2's
 *  passage documents found: a passage that quotes X and holds the word, or an article
 *  quoting X whose title holds it.
 *
 *  The articles are read by the real reader and indexed by the real document builder; the answer of the
 *  searcher is compared with a brute-force walk over the Article structs, for every speaker of the
 *  fixtures and words from their passages and from other passages. With $DATELINE_SPEAKER_CORPUS set to a
 *  JSON Lines file (e.g. ../shared/corpora/news/news.jsonl) its first $DATELINE_SPEAKER_ARTICLES articles
 *  (default 3,000) are checked too: bench/RESULTS.md gives that run's figures.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analyzers/schema.h"
#include "articles/reader.h"
#include "indexer/document_builder.h"
#include "indexer/stem_forms.h"
#include "searcher/searcher.h"
#include "tests/support/test_support.h"

namespace {

using dateline::Analyzer;
using dateline::Article;

class SpeakerInPassage : public ::testing::Test {
 protected:
  void index(const std::vector<std::filesystem::path>& files, size_t max_articles) {
    const std::string path = (dir_.path() / "db").string();
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
    dateline::schema::write_stamp(db, analyzer_.config().serialise());
    dateline::DocumentBuilder builder(analyzer_);
    dateline::schema::Lengths lengths;
    for (const auto& file : files) {
      std::vector<dateline::Diagnostic> diagnostics;
      dateline::ReadOptions options;
      options.id_root = file.parent_path();
      dateline::read_file(
          file, options,
          [&](Article&& article) {
            if (articles_.size() >= max_articles) return;
            auto built = builder.build(article);
            db.replace_document(built.id_term, built.document);
            dateline::add_stem_forms(db, built);  // as the writers do (schema 4)
            lengths.articles += built.length;
            lengths.passages += built.passages;
            articles_.push_back(std::move(article));
          },
          diagnostics);
    }
    dateline::schema::write_lengths(db, lengths);
    db.commit();
    path_ = path;
  }

  std::set<std::string> words_of(const std::string& text) const {
    std::set<std::string> out;
    for (const auto& t : analyzer_.analyze(text)) out.insert(t.term);
    return out;
  }

  std::set<std::string> stems_of(const std::string& text) const {
    std::set<std::string> out;
    for (const auto& t : analyzer_.analyze(text)) {
      if (!analyzer_.is_stop_word(t.term)) out.insert(t.stem.empty() ? t.term : t.stem);
    }
    return out;
  }

  // Schema 2's answer: a passage quoting the speaker (all the query's name words among its speakers'
  // words) that holds the word's stem, or the title holding it in an article quoting the speaker.
  std::set<std::string> expected(const std::string& name, const std::string& word) const {
    const std::set<std::string> need = words_of(name);
    const std::string stem = *stems_of(word).begin();
    std::set<std::string> out;
    for (const Article& a : articles_) {
      bool quoted = false;
      bool found = false;
      for (const auto& p : a.passages) {
        std::set<std::string> have;
        for (const auto& s : p.speakers) {
          for (const auto& w : words_of(s)) have.insert(w);
        }
        if (!std::includes(have.begin(), have.end(), need.begin(), need.end())) continue;
        quoted = true;
        if (stems_of(p.text).count(stem) > 0) found = true;
      }
      const std::string title = a.title.value_or("") + " " + a.subtitle.value_or("");
      if (quoted && stems_of(title).count(stem) > 0) found = true;
      if (found) out.insert(a.id);
    }
    return out;
  }

  std::set<std::string> searched(const std::string& name, const std::string& word) {
    dateline::Searcher searcher(path_);
    dateline::SearchOptions o;
    o.query = "speaker:\"" + name + "\" " + word;
    o.compile.exact_names = true;  // schema 2 knew no other spellings (README "Names")
    o.limit = articles_.size();
    o.want_snippets = false;
    o.ids_only = true;
    std::set<std::string> out;
    for (const auto& h : searcher.search(o).hits) out.insert(h.id);
    return out;
  }

  // Every speaker, with words from its own passages (should match) and from passages of other speakers
  // (mostly should not): the two answers must be equal. Returns the pairs checked.
  size_t check_all(size_t max_speakers, size_t words_per_speaker) {
    std::map<std::string, std::vector<std::string>> own;  // speaker -> words of its passages
    std::vector<std::string> other;                        // words of passages of nobody
    for (const Article& a : articles_) {
      for (const auto& p : a.passages) {
        for (const auto& t : analyzer_.analyze(p.text)) {
          if (analyzer_.is_stop_word(t.term) || t.term.size() < 4) continue;
          const std::string raw = p.text.substr(t.begin, t.end - t.begin);
          if (raw.find_first_of("\"()*:+-'") != std::string::npos) continue;
          if (p.speakers.empty()) {
            if (other.size() < 5000) other.push_back(raw);
          } else {
            for (const auto& s : p.speakers) own[s].push_back(raw);
          }
        }
      }
    }
    size_t checked = 0;
    size_t speakers = 0;
    for (const auto& [speaker, words] : own) {
      if (speakers++ >= max_speakers) break;
      if (words_of(speaker).empty()) continue;
      for (size_t k = 0; k < words_per_speaker; ++k) {
        const std::string& word =
            k % 2 == 0 ? words[(k * 7919) % words.size()] : other[(k * 104729 + speakers) % std::max<size_t>(other.size(), 1)];
        if (stems_of(word).size() != 1 || words_of(word).size() != 1) continue;
        SCOPED_TRACE("speaker:\"" + speaker + "\" " + word);
        const auto want = expected(speaker, word);
        EXPECT_EQ(searched(speaker, word), want);
        ++checked;
      }
    }
    return checked;
  }

  dateline::test::TempDir dir_;
  Analyzer analyzer_;
  std::vector<Article> articles_;
  std::string path_;
};

TEST_F(SpeakerInPassage, FixturesGiveSchemaTwosAnswers) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dateline::test::fixtures_dir() / "articles"))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());
  index(files, 1000);
  ASSERT_FALSE(articles_.empty());
  EXPECT_GT(check_all(1000, 10), 100u);
  // The harness can tell: a word only outside the speaker's passages and title is not found.
  EXPECT_TRUE(searched("lukashenko", "qqzyabrovkaqq").empty());
}

TEST_F(SpeakerInPassage, CorpusGivesSchemaTwosAnswers) {
  const char* corpus = std::getenv("DATELINE_SPEAKER_CORPUS");
  if (corpus == nullptr || *corpus == '\0') GTEST_SKIP() << "set DATELINE_SPEAKER_CORPUS to a JSON Lines file";
  const char* n = std::getenv("DATELINE_SPEAKER_ARTICLES");
  index({corpus}, n != nullptr ? std::strtoul(n, nullptr, 10) : 3000);
  const size_t checked = check_all(300, 6);
  std::printf("checked %zu speaker/word pairs on %zu articles\n", checked, articles_.size());
  EXPECT_GT(checked, 100u);
}

}  // namespace
