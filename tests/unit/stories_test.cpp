/** @file
 *  @brief Syndicated copies: normalisation, signatures, the same-story rule, and story ids in a database.
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <xxhash.h>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "base/utf8.h"
#include "indexer/document_builder.h"
#include "indexer/stories.h"
#include "indexer/story_links.h"
#include "indexer/writer.h"
#include "tests/support/test_support.h"

namespace dateline {
namespace {

using stories::compare;
using stories::sign;

// An invented wire story in five paragraphs, and another on the same topic (same names and words).
const std::vector<std::string> kWire = {
    "The central bank of Norland raised its main interest rate by half a point to 4.75 percent on Tuesday, "
    "its third increase this year, saying inflation had stayed above its target for too long.",
    "Governor Ana Veld told reporters in Stenby that the bank would keep raising rates until prices "
    "steadied, and that the krone's fall against the euro had made imports dearer for households.",
    "Economists polled last week had expected a quarter-point move. Bond yields rose sharply after the "
    "announcement and the krone gained nearly one percent against the dollar in afternoon trading.",
    "The finance ministry said it welcomed the decision but warned that higher borrowing costs would weigh "
    "on construction, where orders have fallen for six months in a row according to official figures.",
    "The bank's next policy meeting is set for March, when it will also publish new growth forecasts for "
    "the coming two years and its review of the mortgage market.",
};
const std::vector<std::string> kSameTopic = {
    "Norland's central bank left its main interest rate unchanged at 4.25 percent on Thursday, saying "
    "inflation was easing and that earlier increases needed time to work through the economy.",
    "Governor Ana Veld said in Stenby that the bank was ready to raise rates again if the krone weakened "
    "further, but that households were already feeling the strain of higher mortgage payments.",
    "Most economists had expected the pause. The krone slipped against the euro and bond yields fell "
    "after the decision, while shares of construction firms rose in afternoon trading.",
};

std::string join(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const auto& p : paragraphs) out += (out.empty() ? "" : "\n\n") + p;
  return out;
}

TEST(StoriesNormalise, FoldsCaseAndKeepsOnlyWords) {
  EXPECT_EQ(stories::normalise("The BANK's  rate -- 4.75%!"), "the bank s rate 4 75");
  EXPECT_EQ(stories::normalise("Ärger  ÜBER Straße"), "ärger über straße");
  EXPECT_EQ(stories::normalise(" ... "), "");
  EXPECT_EQ(stories::normalise("bad \xff byte"), "bad byte");
}

// normalise() reads ASCII without decoding it: the same words as decoding every character gives.
TEST(StoriesNormalise, AsciiAsEveryCharacterDecoded) {
  auto decoded = [](std::string_view text) {
    std::string out;
    bool in_word = false;
    for (size_t i = 0; i < text.size();) {
      const utf8::Decoded d = utf8::decode(text, i);
      i += d.length;
      const auto c = static_cast<UChar32>(d.code_point);
      if (d.valid && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0)) {
        if (!in_word && !out.empty()) out += ' ';
        in_word = true;
        const UChar32 f = u_foldCase(c, U_FOLD_CASE_DEFAULT);
        char buf[4];
        int32_t n = 0;
        U8_APPEND_UNSAFE(buf, n, f);
        out.append(buf, static_cast<size_t>(n));
      } else {
        in_word = false;
      }
    }
    return out;
  };
  for (const std::string text :
       {"The BANK's  rate -- 4.75%!", "Zz@[`{AZaz09/:", "  leading and trailing  ", "\xC3\x89T\xC3\x89 \xC3\xA9t\xC3\xA9-Ab",
        "caf\xC3\xA9\xE2\x80\x99s \xF0\x9F\x98\x80 x", "bad \xff byte\xC3", "\xCC\x81mark after space", "\x7F\x01tab\tend"}) {
    EXPECT_EQ(stories::normalise(text), decoded(text)) << text;
  }
}

TEST(StoriesSign, SameWordsSameFingerprintWhateverThePunctuation) {
  const auto a = sign("Rates rose, the bank said.");
  const auto b = sign("RATES ROSE -- the bank said!");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a.exact, b.exact);
  EXPECT_EQ(a.mins, b.mins);
  EXPECT_NE(a.exact, sign("Rates fell, the bank said.").exact);
  EXPECT_TRUE(sign("").empty());
  EXPECT_TRUE(sign("-- !").empty());
  EXPECT_EQ(sign("three words only").shingles, 1u);  // fewer words than a shingle: one shingle
}

// A shingle met again counts once: "alpha beta gamma delta" three times has 9 windows of 4 words, 4 distinct;
// and the minima are those of the distinct shingles (the text once more adds no new shingle).
TEST(StoriesSign, RepeatedShinglesCountOnce) {
  const std::string thrice = "alpha beta gamma delta alpha beta gamma delta alpha beta gamma delta";
  EXPECT_EQ(sign(thrice).shingles, 4u);
  EXPECT_EQ(sign(thrice + " alpha beta gamma delta").shingles, 4u);
  EXPECT_EQ(sign(thrice).mins, sign(thrice + " alpha beta gamma delta").mins);
  EXPECT_EQ(sign(thrice + " epsilon").shingles, 5u);
}

TEST(StoriesSign, IsDeterministic) {
  // Fixed seeds: the same text gives the same signature in every process (stored signatures stay valid).
  const auto s = sign(join(kWire));
  EXPECT_EQ(s.shingles, 156u);
  EXPECT_EQ(stories::exact_key(s), "ef5be0c80e1a2dca");
  EXPECT_EQ(stories::band_keys(s)[0], "007ef09f3098ea");
  EXPECT_EQ(s.mins[0], 52029877u);
  EXPECT_EQ(stories::exact_key(s), stories::exact_key(sign(join(kWire))));
  EXPECT_EQ(stories::exact_key(s).size(), 16u);
  const auto keys = stories::band_keys(s);
  ASSERT_EQ(keys.size(), stories::kBands);
  EXPECT_EQ(keys[0].substr(0, 2), "00");
  EXPECT_EQ(keys[11].substr(0, 2), "0b");
  EXPECT_EQ(keys[5].size(), 14u);
  EXPECT_TRUE(stories::band_keys(sign("")).empty());
}

TEST(StoriesCompare, EditedCopiesAreOneStory) {
  const auto original = sign(join(kWire));
  // A new intro paragraph.
  auto intro = kWire;
  intro.insert(intro.begin(), "STENBY (Daily Courier) - Borrowers in the capital face another rise.");
  // The tail cut: the first two paragraphs only.
  const std::vector<std::string> cut(kWire.begin(), kWire.begin() + 2);
  // A local paragraph inserted in the middle.
  auto local = kWire;
  local.insert(local.begin() + 3, "In Harwick, estate agents said first-time buyers had already pulled back "
                                  "from the market since the summer.");
  for (const auto& copy : {join(intro), join(cut), join(local)}) {
    const auto m = compare(original, sign(copy));
    EXPECT_TRUE(m.same) << copy;
    EXPECT_GT(m.score, 0.7);
    EXPECT_EQ(compare(sign(copy), original).same, true);  // symmetric
  }
  EXPECT_EQ(compare(original, sign(join(kWire))).score, 1.0);
}

TEST(StoriesCompare, SameTopicIsNotACopy) {
  const auto m = compare(sign(join(kWire)), sign(join(kSameTopic)));
  EXPECT_FALSE(m.same);
  EXPECT_LT(m.score, 0.2);
  // A short text inside a long one counts only from Thresholds::min_shingles and min_ratio on.
  EXPECT_FALSE(compare(sign(join(kWire)), sign("the bank would keep raising rates until prices")).same);
  EXPECT_FALSE(compare(sign(""), sign("")).same);
}

TEST(StoriesCompare, ShortTemplatesWithOtherFiguresAreNotOneStory) {
  // One template sentence, another company and other figures: not a copy; the same figures: a copy.
  const auto a = sign("The Federal Reserve entered the government securities market to arrange 1.5 billion "
                      "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said Fed funds "
                      "were trading at 6-1/8 pct when the Fed began its temporary and indirect supply of "
                      "reserves to the banking system.");
  const auto b = sign("The Federal Reserve entered the government securities market to arrange 2.5 billion "
                      "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said Fed funds "
                      "were trading at 5-7/8 pct when the Fed began its temporary and indirect supply of "
                      "reserves to the banking system.");
  const auto c = sign("The Federal Reserve entered the government securities market to arrange 1.5 billion "
                      "dlrs of customer repurchase agreements, a Fed spokesman said. Dealers said Fed funds "
                      "were trading at 6-1/8 pct when the Fed began its temporary supply of reserves.");
  EXPECT_LT(a.words, 60u);
  EXPECT_NE(a.numbers, 0u);
  EXPECT_GT(compare(a, b).score, 0.6);
  EXPECT_FALSE(compare(a, b).same);
  EXPECT_TRUE(compare(a, c).same);
  stories::Thresholds no_check;
  no_check.short_words = 0;
  EXPECT_TRUE(compare(a, b, no_check).same);
}

// band_keys() writes its hex by hand: what "%02x%012llx" of the band and the top 48 bits of its hash gives.
TEST(StoriesSignature, BandKeysAreTheBandAndFortyEightBitsInHex) {
  for (const std::string& text : {join(kWire), join(kSameTopic), std::string("one two"), std::string("x")}) {
    const auto s = sign(text);
    const std::vector<std::string> keys = stories::band_keys(s);
    ASSERT_EQ(keys.size(), stories::kBands);
    for (unsigned band = 0; band < stories::kBands; ++band) {
      const uint64_t h = XXH3_64bits(s.mins.data() + band * stories::kRows, stories::kRows * sizeof(uint32_t));
      char want[24];
      std::snprintf(want, sizeof want, "%02x%012llx", band, static_cast<unsigned long long>(h >> 16));
      EXPECT_EQ(keys[band], want) << text;
    }
  }
  EXPECT_TRUE(stories::band_keys(sign("")).empty());
}

TEST(StoriesSignature, SerialisesAndRefusesOtherBytes) {
  const auto s = sign(join(kWire));
  const auto back = stories::deserialise(stories::serialise(s));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->exact, s.exact);
  EXPECT_EQ(back->shingles, s.shingles);
  // The low 16 bits of each minimum are kept.
  for (unsigned i = 0; i < stories::kMinHashes; ++i) EXPECT_EQ(back->mins[i], s.mins[i] & 0xFFFF);
  EXPECT_EQ(stories::resemblance(*back, s), 1.0);
  EXPECT_TRUE(compare(*back, sign(join(kWire) + "\n\nA closing line.")).same);
  EXPECT_EQ(back->words, s.words);
  EXPECT_EQ(back->numbers, s.numbers);
  EXPECT_FALSE(stories::deserialise("").has_value());
  EXPECT_FALSE(stories::deserialise(std::string(stories::serialise(s).size(), 'x')).has_value());
  EXPECT_FALSE(stories::deserialise(stories::serialise(s).substr(1)).has_value());
}

// ---- Story ids in a database (the writer path) ----------------------------------------------------

class StoryIds : public ::testing::Test {
 protected:
  StoryIds() : analyzer_(AnalyzerConfig{}), builder_(analyzer_) {}

  BuiltArticle built(const std::string& id, const std::string& date, const std::vector<std::string>& text) {
    Article a;
    a.id = id;
    a.title = "Headline of " + id;
    a.outlet = "Outlet " + id;
    a.date = date;
    a.content_hash = id + join(text);
    for (const auto& p : text) a.passages.push_back(Passage{p, 0, p.size(), {}});
    return builder_.build(a);
  }

  // Writes articles in one batch.
  void write(std::vector<BuiltArticle> articles) {
    IndexWriter w(options());
    for (auto& a : articles) w.write(a);
    w.commit();
  }

  void remove(const std::string& id) {
    IndexWriter w(options());
    w.remove(id);
    w.commit();
  }

  std::string story(const std::string& id) {
    Xapian::Database db(db_path());
    const std::string q = unique_term(id, 0);
    auto p = db.postlist_begin(q);
    if (p == db.postlist_end(q)) return "(none)";
    const auto doc = db.get_document(*p);
    // The value and the term agree.
    EXPECT_TRUE(db.term_exists(stories::story_term(doc.get_value(schema::kSlotStory))));
    return doc.get_value(schema::kSlotStory);
  }

  Xapian::doccount copies(const std::string& story_id) {
    return Xapian::Database(db_path()).get_termfreq(stories::story_term(story_id));
  }

  std::string db_path() const { return (dir_.path() / "db").string(); }
  WriterOptions options() const {
    WriterOptions o;
    o.path = db_path();
    return o;
  }

  test::TempDir dir_;
  Analyzer analyzer_;
  DocumentBuilder builder_;
};

TEST_F(StoryIds, CopiesInOneBatchTakeTheEarliestArticlesId) {
  std::vector<std::string> cut(kWire.begin(), kWire.begin() + 3);
  std::vector<BuiltArticle> batch;
  batch.push_back(built("b-copy", "2024-01-03", kWire));
  batch.push_back(built("c-cut", "2024-01-04", cut));
  batch.push_back(built("a-first", "2024-01-02", kWire));
  batch.push_back(built("other", "2024-01-01", kSameTopic));
  write(std::move(batch));
  EXPECT_EQ(story("a-first"), "a-first");
  EXPECT_EQ(story("b-copy"), "a-first");
  EXPECT_EQ(story("c-cut"), "a-first");
  EXPECT_EQ(story("other"), "other");
  EXPECT_EQ(copies("a-first"), 3u);
  // Detection terms on the article document only.
  Xapian::Database db(db_path());
  EXPECT_EQ(db.get_termfreq(std::string(schema::kStoryExact) + stories::exact_key(sign(join(kWire)))), 2u);
}

TEST_F(StoryIds, LaterRunsJoinTheStoryAndDeletingTheFirstKeepsIt) {
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("first", "2024-01-02", kWire));
    return v;
  }());
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("second", "2024-01-03", kWire));
    return v;
  }());
  EXPECT_EQ(story("second"), "first");
  remove("first");
  EXPECT_EQ(story("second"), "first");
  // A copy indexed after the first article is gone still finds the story through the other copy.
  auto local = kWire;
  local.insert(local.begin() + 1, "Local traders in Harwick said the move came as no surprise to them.");
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("third", "2024-01-05", local));
    return v;
  }());
  EXPECT_EQ(story("third"), "first");
  EXPECT_EQ(copies("first"), 2u);
  // The first article back, rewritten into another story: the name "first" is taken by its old copies.
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("first", "2024-01-02", kSameTopic));
    return v;
  }());
  EXPECT_EQ(story("first"), "first#2");
  EXPECT_EQ(story("second"), "first");
}

TEST_F(StoryIds, LinkAllGivesAMergedDatabaseTheWritersStories) {
  // What a bulk build leaves: article documents without stories or detection terms.
  {
    Xapian::WritableDatabase db(db_path(), Xapian::DB_CREATE_OR_OPEN);
    for (auto a : {built("x2", "2024-01-03", kWire), built("x1", "2024-01-02", kWire),
                   built("y", "2024-01-01", kSameTopic)}) {
      db.add_document(a.document);
    }
    db.commit();
  }
  Xapian::WritableDatabase db(db_path(), Xapian::DB_OPEN);
  EXPECT_EQ(stories::link_all(db), 3u);
  EXPECT_EQ(stories::link_all(db), 0u);  // nothing left to link
  db.close();
  EXPECT_EQ(story("x1"), "x1");
  EXPECT_EQ(story("x2"), "x1");
  EXPECT_EQ(story("y"), "y");
}

TEST_F(StoryIds, AWriterLinksWhatAKilledBulkBuildLeftUnlinked) {
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("y", "2024-01-01", kSameTopic));
    return v;
  }());
  // Two copies added without stories, as a bulk build killed between its merge and its linking leaves them.
  {
    Xapian::WritableDatabase db(db_path(), Xapian::DB_OPEN);
    for (auto a : {built("x2", "2024-01-03", kWire), built("x1", "2024-01-02", kWire)}) {
      db.add_document(a.document);
    }
    db.commit();
  }
  EXPECT_EQ(Xapian::Database(db_path()).get_value_freq(schema::kSlotStory), 1u);
  IndexWriter w(options());  // opening for writing links them
  EXPECT_EQ(story("x1"), "x1");
  EXPECT_EQ(story("x2"), "x1");
  EXPECT_EQ(story("y"), "y");
}

// The detection terms the builder hands on (BuiltArticle::story_terms) are the ones on the document: a batch
// linked with them gets the stories it gets when the Linker reads them from the documents' terms.
TEST_F(StoryIds, LinkingWithTheBuildersTermsGivesTheSameStories) {
  std::vector<BuiltArticle> articles;
  articles.push_back(built("b", "2024-01-03", kWire));
  articles.push_back(built("a", "2024-01-02", {kWire[0], kWire[1], kWire[2]}));
  articles.push_back(built("c", "2024-01-02", kSameTopic));
  articles.push_back(built("d", "2024-01-04", kWire));
  articles.push_back(built("e", "", {}));  // no text: no signature, no terms
  Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
  std::vector<std::pair<Xapian::docid, Xapian::Document>> read, given;
  std::vector<std::vector<std::string>> terms;
  for (size_t i = 0; i < articles.size(); ++i) {
    const BuiltArticle& a = articles[i];
    std::vector<std::string> on_doc;
    for (auto t = a.document.termlist_begin(); t != a.document.termlist_end(); ++t) {
      if ((*t).starts_with(schema::kStoryExact) || (*t).starts_with(schema::kStoryBand)) on_doc.push_back(*t);
    }
    std::vector<std::string> mine = a.story_terms;
    std::sort(mine.begin(), mine.end());
    EXPECT_EQ(mine, on_doc) << a.id;
    EXPECT_EQ(a.story_terms.empty(), a.id == "e");
    read.emplace_back(i + 1, a.document);
    given.emplace_back(i + 1, a.document);
    terms.push_back(a.story_terms);
  }
  stories::Linker reading;
  reading.link(empty, read);
  stories::Linker told;
  told.link(empty, given, &terms);
  std::vector<std::string> expected = {"a", "a", "c", "a", "e"};
  for (size_t i = 0; i < articles.size(); ++i) {
    EXPECT_EQ(read[i].second.get_value(schema::kSlotStory), expected[i]) << articles[i].id;
    EXPECT_EQ(given[i].second.get_value(schema::kSlotStory), expected[i]) << articles[i].id;
  }
}

// Linker::ignore_stored (indexer/shards.h links a run's articles again across shards): documents whose
// stored story does not count are neither candidates nor holders of a story name.
TEST_F(StoryIds, IgnoredStoredDocumentsAreNeitherCandidatesNorNames) {
  write([&] {
    std::vector<BuiltArticle> v;
    v.push_back(built("first", "2024-01-02", kWire));
    v.push_back(built("second", "2024-01-03", kWire));
    return v;
  }());
  ASSERT_EQ(story("second"), "first");
  Xapian::Database db(db_path());
  std::vector<std::pair<Xapian::docid, Xapian::Document>> batch;
  const std::string q = unique_term("first", 0);
  const Xapian::docid first_did = *db.postlist_begin(q);
  // A copy linked with every stored document ignored: it starts a story of its own.
  BuiltArticle third = built("third", "2024-01-04", kWire);
  stories::add_detection(third.document, stories::sign(stories::article_text(third)));
  batch.emplace_back(db.get_lastdocid() + 1, third.document);
  stories::Linker all_stale;
  all_stale.ignore_stored([](Xapian::docid) { return true; });
  all_stale.link(db, batch);
  EXPECT_EQ(batch[0].second.get_value(schema::kSlotStory), "third");
  // "first" linked again with both stored copies ignored: no candidate, and the name "first" that their
  // story terms hold counts as free (a name check that counted them would give "first#2").
  Xapian::Document again = db.get_document(first_did);
  batch.clear();
  batch.emplace_back(first_did, again);
  stories::Linker copies_stale;
  copies_stale.ignore_stored([](Xapian::docid) { return true; });
  copies_stale.link(db, batch);
  EXPECT_EQ(batch[0].second.get_value(schema::kSlotStory), "first");
  // With only its own document ignored, it joins the story through the other copy.
  batch.clear();
  batch.emplace_back(first_did, db.get_document(first_did));
  stories::Linker own_stale;
  own_stale.ignore_stored([first_did](Xapian::docid d) { return d == first_did; });
  own_stale.link(db, batch);
  EXPECT_EQ(batch[0].second.get_value(schema::kSlotStory), "first");
  batch.clear();
  batch.emplace_back(first_did, db.get_document(first_did));
  stories::Linker none_stale;
  none_stale.link(db, batch);
  EXPECT_EQ(batch[0].second.get_value(schema::kSlotStory), "first");  // through "second" as well
}

}  // namespace
}  // namespace dateline

