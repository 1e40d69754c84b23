/** @file
 *  @brief The stem cache against the oracle (Xapian::Stem called directly) and language validation.
 */
#include "analyzers/stemmer.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace dateline::text {
namespace {

// Many more distinct words than the cache holds, some longer than its inline limit, each looked up
// several times in a shuffled-ish order: every answer must equal an uncached Xapian::Stem call.
TEST(Stemmer, CacheAgreesWithXapianStem) {
  const std::vector<std::string> roots = {"troop",   "run",   "border",  "sanction", "nation",
                                          "general", "happy", "country", "relate",   "conditional"};
  const std::vector<std::string> suffixes = {"", "s", "ing", "ed", "ies", "ational", "ness", "'s"};
  std::vector<std::string> words;
  for (int n = 0; n < 6000; ++n) {
    for (const auto& root : roots) {
      const std::string& suffix = suffixes[static_cast<size_t>(n) % suffixes.size()];
      // A letters-only counter keeps words distinct ("troopbaing") and some beyond 13 bytes.
      std::string tag;
      for (int v = n; v > 0; v /= 26) tag += static_cast<char>('a' + v % 26);
      words.push_back(root + tag + suffix);
    }
  }
  Stemmer cached("english");
  const Xapian::Stem oracle("english");
  size_t checked = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t i = 0; i < words.size(); ++i) {
      // Interleave a hot word between cold ones, as real text does.
      const std::string& word =
          (i % 3 == 0) ? roots[i % roots.size()] + "s" : words[(i * 7919 + pass) % words.size()];
      ASSERT_EQ(std::string(cached.stem(word)), oracle(word)) << word;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3 * words.size());
  EXPECT_EQ(cached.stem(""), "");
}

// prefetch() hands back the hash stem() files a term under, and changes no answer: stems looked up a word late
// (as the analyzer does, prefetching the next word's set first) equal the oracle's.
TEST(Stemmer, PrefetchReturnsTheHashAndChangesNoStem) {
  Stemmer cached("english");
  const Xapian::Stem oracle("english");
  const std::vector<std::string> words = {"troops", "running", "troops", "nations", "a", "relational",
                                          "internationalisation", "happiness", "running", "borders"};
  std::string previous;
  uint64_t previous_hash = 0;
  for (const std::string& word : words) {
    const uint64_t hash = cached.prefetch(word);
    EXPECT_EQ(hash, Stemmer::hash(word)) << word;
    if (!previous.empty()) {
      EXPECT_EQ(std::string(cached.stem(previous, previous_hash)), oracle(previous)) << previous;
    }
    previous = word;
    previous_hash = hash;
  }
  EXPECT_EQ(std::string(cached.stem(previous, previous_hash)), oracle(previous));
  Stemmer none("none");
  none.prefetch("troops");  // stemming off: nothing to load, and still no stem
  EXPECT_EQ(none.stem("troops"), "");
}

TEST(Stemmer, LanguagesAreValidatedAndCanonical) {
  struct Case {
    std::string input;
    std::string canonical;
  };
  for (const Case& c : std::vector<Case>{{"english", "english"},
                                         {"en", "english"},
                                         {"ru", "russian"},
                                         {"none", "none"},
                                         {"porter", "porter"}}) {
    EXPECT_EQ(canonical_language(c.input), c.canonical) << c.input;
  }
  for (const std::string bad : {"", "EN", "klingon", "english "}) {
    EXPECT_THROW((void)canonical_language(bad), std::invalid_argument) << bad;
  }
  Stemmer none("none");
  EXPECT_FALSE(none.enabled());
  EXPECT_EQ(none.stem("troops"), "");
}

}  // namespace
}  // namespace dateline::text
