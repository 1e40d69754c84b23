/** @file
 *  @brief Tests of the indexer's pieces: input expansion, language names, report rendering, run_index().
 */
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/schema.h"
#include "indexer/bulk.h"
#include "indexer/document_builder.h"
#include "indexer/indexer.h"
#include "indexer/inputs.h"
#include "indexer/report.h"
#include "indexer/word_hash.h"
#include "indexer/writer.h"
#include "tests/support/db_snapshot.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;

namespace dateline {
namespace {

void touch(const fs::path& p, const std::string& text = "x") {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// "file (root)" per item, paths relative to `base` for readability.
std::vector<std::string> describe(const ExpandedInputs& in, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& item : in.items) {
    if (item.is_stdin) {
      out.push_back("-");
      continue;
    }
    std::string s = item.file.lexically_relative(base).generic_string();
    if (!item.id_root.empty()) s += " (" + item.id_root.lexically_relative(base).generic_string() + ")";
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> describe(const std::vector<Diagnostic>& ds, const fs::path& base) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    out.push_back(fs::path(d.file).lexically_relative(base).generic_string() + ": " + d.reason);
  return out;
}

TEST(Inputs, DirectoriesAreWalkedSortedSkippingHiddenAndNonArticles) {
  test::TempDir dir;
  fs::path root = dir.path() / "news";
  touch(root / "b.txt");
  touch(root / "a.jsonl");
  touch(root / "sub" / "c.txt.gz");
  touch(root / "sub" / "c.txt.meta.json");  // a sidecar: read with its article, not on its own
  touch(root / "notes.md");
  touch(root / ".hidden" / "d.txt");
  touch(root / ".e.txt");
  auto in = expand_inputs({root.string()});
  EXPECT_EQ(describe(in, dir.path()), (std::vector<std::string>{"news/a.jsonl (news)", "news/b.txt (news)",
                                                                "news/sub/c.txt.gz (news)"}));
  EXPECT_TRUE(in.diagnostics.empty());
  EXPECT_EQ(in.total_bytes, 3u);
  ASSERT_EQ(in.roots.size(), 1u);
  EXPECT_EQ(in.roots[0], root.lexically_normal());
}

TEST(Inputs, FilesNamedDirectlyAreTakenWhateverTheirExtension) {
  test::TempDir dir;
  touch(dir.path() / "story");
  auto in = expand_inputs({(dir.path() / "." / "story").string(), "-", "-"});
  EXPECT_EQ(describe(in, dir.path()), (std::vector<std::string>{"story", "-"}));  // stdin once
  EXPECT_TRUE(in.items[0].id_root.empty());
  EXPECT_EQ(in.items[0].file, (dir.path() / "story").lexically_normal());
}

TEST(Inputs, ProblemsBecomeDiagnosticsNotExceptions) {
  test::TempDir dir;
  fs::path root = dir.path() / "news";
  touch(root / "a.txt");
  fs::create_symlink(root, root / "loop");
  fs::create_symlink(root / "nowhere.txt", root / "dangling.txt");
  fs::create_symlink(root / "nowhere.md", root / "dangling.md");  // not an article: not worth a word
  fs::create_symlink(root / "self.txt", root / "self.txt");
  auto in = expand_inputs({root.string(), (dir.path() / "missing").string(), ""});
  EXPECT_EQ(describe(in, dir.path()), (std::vector<std::string>{"news/a.txt (news)"}));
  std::vector<std::string> expected{
      "news/dangling.txt: broken symbolic link (No such file or directory)",
      "news/loop: symbolic link loop: leads back to a directory being indexed",
      "news/self.txt: symbolic link loop",
      "missing: No such file or directory",
  };
  auto got = describe(in.diagnostics, dir.path());
  ASSERT_EQ(got.size(), 5u);
  got.pop_back();  // the empty argument
  EXPECT_EQ(got, expected);
  EXPECT_EQ(in.diagnostics.back().reason, "empty file name");
  for (const auto& d : in.diagnostics) EXPECT_TRUE(d.skipped);
}

TEST(Inputs, AFileReachedTwiceIsReadOnce) {
  test::TempDir dir;
  fs::path root = dir.path() / "news";
  touch(root / "a.txt");
  fs::create_symlink(root / "a.txt", root / "b.txt");
  auto in = expand_inputs({root.string(), (root / "a.txt").string()});
  EXPECT_EQ(describe(in, dir.path()), (std::vector<std::string>{"news/a.txt (news)"}));
}

TEST(Inputs, PathUnder) {
  struct Case {
    const char* file;
    const char* root;
    bool under;
  };
  for (const Case& c : std::vector<Case>{{"/a/b/c.txt", "/a/b", true},
                                         {"/a/b/c.txt", "/a/b/", true},
                                         {"/a/b/c.txt", "/a/b/c.txt", true},
                                         {"/a/bc/d.txt", "/a/b", false},
                                         {"/a/b", "/a/b/c", false},
                                         {"/x/b/c.txt", "/a", false}}) {
    EXPECT_EQ(path_under(c.file, c.root), c.under) << c.file << " under " << c.root;
  }
}

TEST(Languages, NamesAndCodes) {
  struct Case {
    const char* given;
    const char* canonical;
  };
  for (const Case& c : std::vector<Case>{{"english", "english"},
                                         {"en", "english"},
                                         {"FR", "french"},
                                         {"German2", "german2"},
                                         {"none", "none"},
                                         {"ru", "russian"}}) {
    EXPECT_EQ(canonical_language(c.given), c.canonical) << c.given;
  }
  EXPECT_THROW(canonical_language("klingon"), UsageError);
  EXPECT_THROW(canonical_language(""), UsageError);
}

TEST(Report, DiagnosticsAndSummaries) {
  EXPECT_EQ(format_diagnostic(Diagnostic{"a.jsonl", 3, "malformed JSON", true}), "a.jsonl:3: malformed JSON");
  EXPECT_EQ(format_diagnostic(Diagnostic{"a.txt", 0, "binary file", true}), "a.txt: binary file");
  IndexReport r;
  r.added = 5;
  r.unchanged = 1;
  r.articles = 6;
  r.passages = 70;
  r.bytes = 41234;
  r.seconds = 0.5;
  r.db = "db";
  r.skipped.push_back(Diagnostic{"x.jsonl", 2, "bad", true});
  r.warnings.push_back(Diagnostic{"y.txt", 0, "re-encoded", false});
  EXPECT_EQ(report_text(r),
            "5 added, 0 updated, 1 unchanged, 0 deleted, 1 skipped; 6 articles, 70 passages, 41.2 kB in 0.50 "
            "s -> db");
  EXPECT_EQ(nlohmann::json::parse(report_json(r)),
            nlohmann::json::parse(R"({"added":5,"updated":0,"unchanged":1,"deleted":0,
              "skipped":[{"path":"x.jsonl","line":2,"reason":"bad"}],
              "warnings":[{"path":"y.txt","line":0,"reason":"re-encoded"}],
              "articles":6,"passages":70,"bytes":41234,"seconds":0.5,"db":"db"})"));
}

TEST(Report, ListingOfADryRunArticle) {
  Article a;
  a.id = "a.txt";
  a.path = "dir/a.txt";
  a.outlet = "The Outlet";
  a.passages.push_back(Passage{"First line\nsecond line", 5, 27, {"Jane Doe"}});
  EXPECT_EQ(article_listing(a),
            "a.txt\n"
            "  path:     dir/a.txt\n"
            "  title:    (unknown)\n"
            "  outlet:   The Outlet\n"
            "  date:     (unknown)\n"
            "  author:   (unknown)\n"
            "  speakers: Jane Doe\n"
            "  passages: 1\n"
            "  [1] bytes 5-27, speakers: Jane Doe\n"
            "      First line\n"
            "      second line\n"
            "\n");
}

// LineReporter: every event becomes one safe line on its sink, and a progress line is ended first.
TEST(Report, LineReporterSendsSafeLinesAndEndsTheProgressLineFirst) {
  std::vector<std::string> events;
  LineReporter::Sinks sinks;
  sinks.diagnostic = [&](const std::string& line) { events.push_back("warn " + line); };
  sinks.log = [&](Reporter::Level level, const std::string& line) {
    events.push_back(std::string(level == Reporter::Level::kInfo ? "info " : "debug ") + line);
  };
  sinks.out = [&](const std::string& text) { events.push_back("out " + text); };
  sinks.progress = [&](uint64_t articles, uint64_t bytes, uint64_t total) {
    events.push_back("progress " + std::to_string(articles) + " " + std::to_string(bytes) + "/" +
                     std::to_string(total));
  };
  sinks.end_progress = [&] { events.push_back("end"); };
  Article a;
  a.id = "a\x1b[2J.txt";
  a.passages.push_back(Passage{"Text.", 0, 5, {}});
  LineReporter text(false, sinks);
  text.progress(1, 10, 100);
  text.diagnostic(Diagnostic{"bad\nname.jsonl", 2, "malformed\x07 JSON", true});
  text.message(Reporter::Level::kInfo, "committed\n2 articles");
  text.message(Reporter::Level::kDebug, "opened");
  text.record(a);
  text.finish();
  EXPECT_EQ(events, (std::vector<std::string>{
                        "progress 1 10/100", "end", "warn bad\\x0aname.jsonl:2: malformed\\x07 JSON", "end",
                        "info committed\\x0a2 articles", "end", "debug opened", "end",
                        "out a\\x1b[2J.txt\n  path:     \n  title:    (unknown)\n  outlet:   (unknown)\n"
                        "  date:     (unknown)\n  author:   (unknown)\n  speakers: (none)\n  passages: 1\n"
                        "  [1] bytes 0-5\n      Text.\n\n",
                        "end"}));
  // --json: a record is its JSON line; a reporter without a progress bar needs no progress sinks.
  events.clear();
  sinks.progress = nullptr;
  sinks.end_progress = nullptr;
  LineReporter json(true, sinks);
  json.progress(1, 10, 100);
  json.record(a);
  json.finish();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], "out " + article_record_json(a) + "\n");
}

// A Reporter that records what it is told.
// A database at `path` with its one writer, and a builder on the writer's analyzer: for tests that build
// and write articles themselves.
struct OneWriter {
  explicit OneWriter(const std::string& db)
      : path(db), writer(options(db)), analyzer(writer.config()), builder(analyzer) {}
  static WriterOptions options(const std::string& db) {
    WriterOptions wo;
    wo.path = db;
    return wo;
  }
  std::string path;
  IndexWriter writer;
  Analyzer analyzer;
  DocumentBuilder builder;
};

class Recorder : public Reporter {
 public:
  void diagnostic(const Diagnostic& d) override {
    diagnostics.push_back(d.file + ":" + std::to_string(d.line));
  }
  void record(const Article& a) override { records.push_back(a.id); }
  std::vector<std::string> diagnostics;
  std::vector<std::string> records;
};

TEST(RunIndex, ValidatesOptions) {
  Recorder rec;
  IndexOptions o;
  o.db_path = "db";
  EXPECT_THROW(run_index(o, rec), UsageError);  // no input
  o.inputs = {"x"};
  o.threads = 0;
  EXPECT_THROW(run_index(o, rec), UsageError);
  o.threads = 1;
  o.dry_run = true;
  o.rebuild = true;
  EXPECT_THROW(run_index(o, rec), UsageError);
}

TEST(RunIndex, JsonLinesFromMemoryWithABadRecord) {
  test::TempDir dir;
  Recorder rec;
  IndexOptions o;
  o.db_path = (dir.path() / "db").string();
  o.inputs = {"-"};
  o.stdin_data =
      "{\"id\":\"one\",\"text\":\"Alpha beta.\"}\nnot json\n{\"id\":\"two\",\"text\":\"Gamma.\"}\n";
  IndexReport r = run_index(o, rec);
  EXPECT_EQ(r.added, 2u);
  EXPECT_EQ(r.passages, 2u);
  EXPECT_EQ(r.bytes, o.stdin_data.size());
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].file, "<stdin>");
  EXPECT_EQ(r.skipped[0].line, 2u);
  EXPECT_EQ(rec.diagnostics, (std::vector<std::string>{"<stdin>:2"}));
  Xapian::Database db(o.db_path);
  EXPECT_EQ(db.get_termfreq("KA"), 2u);
  EXPECT_EQ(db.get_termfreq("alpha"), 1u);  // the exact form
  EXPECT_EQ(db.get_termfreq("Walpha"), 1u);  // the ranking term

  // Dry run: records reported, nothing written.
  IndexOptions dry = o;
  dry.dry_run = true;
  dry.db_path = (dir.path() / "never").string();
  Recorder rec2;
  IndexReport d = run_index(dry, rec2);
  EXPECT_EQ(rec2.records, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(d.articles, 2u);
  EXPECT_FALSE(fs::exists(dry.db_path));
}

// Schema 4: the one-writer path lists each stem's body word forms in the metadata at every commit, joined
// with the forms earlier commits listed (a later batch adds to a stem's list, never replaces it).
TEST(IndexWriter, EachCommitAddsItsStemsFormsToTheMetadata) {
  test::TempDir dir;
  OneWriter one((dir.path() / "db").string());
  const std::string key = std::string(schema::kMetaFormsPrefix) + one.analyzer.stem("walking");
  int n = 0;
  for (const std::string text : {"Officials were walking to the harbour.", "The minister walked home."}) {
    Article a;
    a.id = "walk-" + std::to_string(++n);
    a.path = a.id + ".txt";
    a.passages.push_back(Passage{text, 0, text.size(), {}});
    BuiltArticle built = one.builder.build(a);
    ASSERT_EQ(one.writer.write(built), IndexWriter::Outcome::kAdded);
    one.writer.commit();
    const std::string listed = Xapian::Database(one.path).get_metadata(key);
    EXPECT_EQ(listed, n == 1 ? "walking" : "walked\nwalking") << n;
  }
}

// The writer keeps a batch's article documents until commit (writer.cpp flush_documents()): deleting an
// article written earlier in the same batch still removes all of it, and nothing comes back at commit.
TEST(IndexWriter, DeletingAnArticleOfTheCurrentBatchRemovesItWhole) {
  test::TempDir dir;
  OneWriter one((dir.path() / "db").string());
  Article a;
  a.id = "gone";
  a.path = "gone.txt";
  a.passages.push_back(Passage{"First paragraph.", 0, 16, {}});
  a.passages.push_back(Passage{"Second paragraph.", 17, 34, {}});
  BuiltArticle built = one.builder.build(a);
  EXPECT_EQ(one.writer.write(built), IndexWriter::Outcome::kAdded);
  EXPECT_TRUE(one.writer.remove("gone"));
  one.writer.commit();
  Xapian::Database db(one.path);
  EXPECT_EQ(db.get_doccount(), 0u);
  EXPECT_EQ(schema::read_lengths(db).articles, 0u);
  EXPECT_EQ(schema::read_lengths(db).passages, 0u);
}

// Three writers, a commit per article, blocks of 2 article and 7 passage docids: many segments, each
// rolled over mid-run, merged into what one writer makes.
TEST(RunIndex, BulkBuildOfManySegmentsEqualsTheSingleWriter) {
  test::TempDir dir;
  Recorder rec;
  IndexOptions one;
  one.db_path = (dir.path() / "one").string();
  one.inputs = {(test::fixtures_dir() / "articles").string(),
                (test::source_dir() / "tests" / "data" / "news-mini.jsonl").string()};
  one.writers = 1;
  IndexReport r1 = run_index(one, rec);
  IndexOptions bulk = one;
  bulk.db_path = (dir.path() / "bulk").string();
  bulk.writers = 3;
  bulk.threads = 2;
  bulk.batch_size = 1;
  bulk.bulk_article_block = 2;
  IndexReport r2 = run_index(bulk, rec);
  ASSERT_GT(r1.added, 6u);
  EXPECT_EQ(r2.added, r1.added);
  EXPECT_EQ(r2.passages, r1.passages);
  EXPECT_EQ(test::snapshot(bulk.db_path), test::snapshot(one.db_path));
  EXPECT_EQ(test::spellings(bulk.db_path), test::spellings(one.db_path));
  Xapian::Database a(one.db_path), b(bulk.db_path);
  EXPECT_EQ(schema::read_lengths(b).articles, schema::read_lengths(a).articles);
  EXPECT_EQ(schema::read_lengths(b).passages, schema::read_lengths(a).passages);
  EXPECT_EQ(schema::read_stamp(b)->analyzer, schema::read_stamp(a)->analyzer);
  // The name and person tables too, made from the many segments while they are merged (bulk.cpp
  // MergeTables): every metadata key but the last article docid, which the blocks set.
  auto metadata = test::metadata(bulk.db_path);
  auto expected = test::metadata(one.db_path);
  EXPECT_EQ(metadata.erase(std::string(schema::kMetaLastArticleDocid)), 1u);
  expected.erase(std::string(schema::kMetaLastArticleDocid));
  EXPECT_NE(expected.count("dateline.people"), 0u);
  EXPECT_NE(expected.count("dateline.names"), 0u);
  EXPECT_EQ(metadata, expected);
  // The articles are spread over blocks of two docids, the last one given is the highest.
  const std::vector<unsigned> articles = test::docids(bulk.db_path, "KA");
  EXPECT_EQ(schema::read_metadata_number(b, schema::kMetaLastArticleDocid), articles.back());
  EXPECT_LT(articles.back(), schema::kFirstPassageDocid);
  EXPECT_EQ(test::docids(bulk.db_path, "KA").size(), Xapian::Database(bulk.db_path).get_doccount());
  // A later run updates it as any database: an article again is unchanged.
  IndexOptions again = bulk;
  IndexReport r3 = run_index(again, rec);
  EXPECT_EQ(r3.unchanged, r1.added);
  EXPECT_EQ(r3.added, 0u);
}

// Syndicated copies spread over writers, link batches and segments (three writers, blocks of two docids,
// most segments closed long before the end): the bulk build counts each story's copies as it queues them
// and every writer marks its own segments (bulk.cpp run_writer()). Each article must get the values the
// single writer gives: kSlotStoryCopies, the tie key and the copy list (by date, unknown dates last, then
// id), and no list for a story past kMaxListedCopies.
TEST(RunIndex, BulkBuildMarksTheCopiesOfStoriesAcrossWritersAndSegments) {
  test::TempDir dir;
  Recorder rec;
  const fs::path in = dir.path() / "in.jsonl";
  constexpr int kStories = 30;
  constexpr int kBig = static_cast<int>(schema::kMaxListedCopies) + 2;  // copies of the one story too big to list
  {
    static const char* const kOutlets[] = {"Reuters", "BBC News", "The Guardian"};
    auto body = [](int story) {
      std::string text;
      for (int w = 0; w < 60; ++w) {
        text += 'w';
        text += std::to_string((story * 131 + w * 17 + w * w * (story + 3)) % 997);
        text += w % 10 == 9 ? ". " : " ";
      }
      return text;
    };
    // Built by appending: GCC 12 misreports `"a" + std::string` under -Wrestrict.
    auto name = [](const char* head, int n, const char* mid = nullptr, int m = 0) {
      std::string s = head;
      s += std::to_string(n);
      if (mid != nullptr) {
        s += mid;
        s += std::to_string(m);
      }
      return s;
    };
    auto record = [](const std::string& id, const std::string& outlet, const std::string& date,
                     const std::string& text) {
      nlohmann::json j{{"id", id}, {"outlet", outlet}, {"date", nullptr}, {"title", "Story"}, {"text", text}};
      if (!date.empty()) j["date"] = date;
      return j.dump() + "\n";
    };
    std::ofstream out(in);
    // Copy k of every story, then copy k+1: a story's copies are kStories articles apart. The latest copy
    // comes first, two copies share a date (the id decides), and one has none.
    for (int k = 0; k < 3; ++k) {
      for (int i = 0; i < kStories; ++i) {
        const std::string date = k == 2 && i % 4 == 0 ? std::string() : name("2024-03-", k == 0 ? 12 : 11);
        out << record(name("s", i, "-c", k), kOutlets[k], date, body(i));
      }
    }
    for (int k = 0; k < kBig; ++k) {
      out << record(name("big-", k), kOutlets[k % 3], name("2024-04-", 10 + k % 9), body(kStories));
    }
  }
  IndexOptions one;
  one.db_path = (dir.path() / "one").string();
  one.inputs = {in.string()};
  one.writers = 1;
  one.batch_size = 4;  // a story's copies linked in different batches (the first linked names it)
  IndexReport r1 = run_index(one, rec);
  ASSERT_EQ(r1.added, static_cast<uint64_t>(3 * kStories + kBig));
  IndexOptions bulk = one;
  bulk.db_path = (dir.path() / "bulk").string();
  bulk.writers = 3;
  bulk.threads = 2;
  bulk.bulk_article_block = 2;
  IndexReport r2 = run_index(bulk, rec);
  ASSERT_TRUE(r2.bulk);
  EXPECT_EQ(r2.added, r1.added);
  EXPECT_EQ(test::snapshot(bulk.db_path), test::snapshot(one.db_path));
  // Not vacuous: every article is a copy of its story, in blocks (segments) other than its copies', and
  // carries the copies value; the list names every copy, except the big story's, which has none.
  Xapian::Database db(bulk.db_path);
  std::map<std::string, std::set<Xapian::docid>> blocks;  // story -> its articles' blocks
  size_t listed = 0;
  for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
    const Xapian::Document doc = db.get_document(*p);
    const std::string story = doc.get_value(schema::kSlotStory);
    const std::string id = doc.get_value(schema::kSlotArticleId);
    blocks[story].insert((*p - 1) / bulk.bulk_article_block);
    EXPECT_EQ(doc.get_value(schema::kSlotStoryCopies), story) << id;
    const auto list = schema::decode_copy_list(doc.get_value(schema::kSlotStoryCopyList));
    ASSERT_TRUE(list.has_value()) << id;
    if (id.rfind("big-", 0) == 0) {
      EXPECT_TRUE(list->empty()) << id;
      continue;
    }
    ASSERT_EQ(list->size(), 3u) << id;
    ++listed;
  }
  EXPECT_EQ(listed, static_cast<size_t>(3 * kStories));
  ASSERT_EQ(blocks.size(), static_cast<size_t>(kStories + 1));
  for (const auto& [story, in_blocks] : blocks) EXPECT_GT(in_blocks.size(), 1u) << story;
}

// finish() marks the copies in the segments on several threads, then makes the name tables on its thread
// while the merge threads compact the segments: a failure of any is reported as the build's, nothing waits
// for the failed side, the database stays empty and the segments are removed.
TEST(BulkBuilder, AFailureBesideTheMergeIsReportedAndLeavesTheDatabaseEmpty) {
  for (const std::string step : {"copies", "tables", "compact"}) {
    test::TempDir dir;
    OneWriter one((dir.path() / "db").string());
    BulkOptions bo;
    bo.db_path = one.path;
    bo.config = one.writer.config();
    bo.writers = 2;
    bo.batch_size = 2;
    bo.fault = [&](std::string_view at) {
      if (at == step) throw Xapian::DatabaseError("injected at " + std::string(at));
    };
    std::string error;
    {
      BulkBuilder bulk(bo);
      for (int i = 0; i < 8; ++i) {
        Article a;
        a.id = "story-" + std::to_string(i);
        a.path = a.id + ".txt";
        // Two copies of each text, in different batches: stories whose copies are marked.
        const std::string text = "Minister Olena Petrenko spoke in Kyiv on day " + std::to_string(i % 4) + ".";
        a.passages.push_back(Passage{text, 0, text.size(), {}});
        bulk.add(one.builder.build(a));
      }
      try {
        bulk.finish(true);
      } catch (const DatabaseError& e) {
        error = e.what();
      }
    }
    EXPECT_NE(error.find("injected at " + step), std::string::npos) << error;
    const char* const what = step == "copies"   ? "cannot mark the copies"
                             : step == "tables" ? "cannot make the name and person tables"
                                                : "cannot merge the segments";
    EXPECT_NE(error.find(what), std::string::npos) << error;
    EXPECT_EQ(Xapian::Database(one.path).get_doccount(), 0u) << step;
    EXPECT_FALSE(fs::exists(BulkBuilder::work_dir(one.path))) << step;
  }
}

// One JSON Lines file and four threads: one reads, three build its articles (indexer.cpp BuildHelpers). The
// writer must get the articles in reading order, so that the database is the one a single thread makes, down
// to each article's docid, and the skipped record is reported at its line.
TEST(RunIndex, BuildHelpersKeepTheReadingOrder) {
  test::TempDir dir;
  std::ifstream mini(test::source_dir() / "tests" / "data" / "news-mini.jsonl");
  std::vector<nlohmann::json> records;
  for (std::string line; std::getline(mini, line);) {
    if (!line.empty()) records.push_back(nlohmann::json::parse(line));
  }
  ASSERT_GE(records.size(), 10u);
  std::string text;
  for (int copy = 0; copy < 8; ++copy) {
    for (size_t i = 0; i < records.size(); ++i) {
      nlohmann::json r = records[i];
      r["id"] = r["id"].get<std::string>() + "-" + std::to_string(copy);
      // Articles of very different lengths, so that the helpers finish them out of order.
      std::string body = r["text"].get<std::string>();
      for (size_t k = (i * 7 + copy) % 6 * 10; k > 0; --k) body += "\n\n" + r["text"].get<std::string>();
      r["text"] = body;
      text += r.dump() + "\n";
    }
    if (copy == 3) text += "not json\n";
  }
  const fs::path input = dir.path() / "all.jsonl";
  touch(input, text);
  auto index = [&](const std::string& name, unsigned threads) {
    Recorder rec;
    IndexOptions o;
    o.db_path = (dir.path() / name).string();
    o.inputs = {input.string()};
    o.threads = threads;
    o.writers = 1;
    o.batch_size = 7;
    IndexReport r = run_index(o, rec);
    EXPECT_EQ(r.added, 8 * records.size());
    EXPECT_EQ(r.skipped.size(), 1u) << "threads " << threads;
    if (!r.skipped.empty()) {
      EXPECT_EQ(r.skipped[0].file, input.string());
      EXPECT_EQ(r.skipped[0].line, 4 * records.size() + 1);
      EXPECT_EQ(r.skipped[0].reason.rfind("malformed JSON", 0), 0u) << r.skipped[0].reason;
    }
    return o.db_path;
  };
  const std::string one = index("one", 1);
  const std::string four = index("four", 4);
  EXPECT_EQ(test::snapshot(four), test::snapshot(one));
  EXPECT_EQ(test::spellings(four), test::spellings(one));
  // Docid by article: the order the writer got them in.
  auto docid_of_id = [](const std::string& path) {
    Xapian::Database db(path);
    std::map<std::string, Xapian::docid> out;
    for (auto it = db.postlist_begin("KA"); it != db.postlist_end("KA"); ++it) {
      auto t = db.termlist_begin(*it);
      t.skip_to("XID");
      if (t != db.termlist_end(*it) && (*t).rfind("XID", 0) == 0) out[*t] = *it;
    }
    return out;
  };
  const auto order = docid_of_id(one);
  EXPECT_EQ(order.size(), 8 * records.size());
  EXPECT_EQ(docid_of_id(four), order);
}


// Duplicate ids in one run: the last record in input order (input, then line) is indexed, whatever the
// threads' timing; the others are reported with their file and line, naming the winner.
TEST(RunIndex, DuplicateIdsLastInInputOrderWinsWithAnyThreadsOrWriters) {
  test::TempDir dir;
  const std::vector<std::string> words = {"alpha", "gamma", "delta", "kappa", "sigma", "omega"};
  fs::path in = dir.path() / "in";
  auto file_of = [&](size_t i) {
    std::string name = "f";  // built with +=: GCC 12's -Wrestrict misfires on "f" + std::to_string(i)
    name += std::to_string(i);
    name += ".jsonl";
    return (in / name).string();
  };
  for (size_t i = 0; i < words.size(); ++i) {
    // Big files first, so that the later (small) ones tend to be read before them on other threads.
    std::string text = "{\"id\":\"other";
    text += std::to_string(i);
    text += "\",\"text\":\"";
    for (size_t k = 0; k < (words.size() - i) * 200; ++k) text += "Filler sentence. ";
    text += "\"}\n{\"id\":\"same\",\"text\":\"The ";
    text += words[i];
    text += " one.\"}\n";
    touch(file_of(i), text);
  }
  touch(in / "g.jsonl",
        "{\"id\":\"twice\",\"text\":\"First beta.\"}\n{\"id\":\"twice\",\"text\":\"Then zeta.\"}\n");
  int run = 0;
  for (unsigned writers : {1u, 2u}) {
    for (unsigned threads : {1u, 4u}) {
      for (int repeat = 0; repeat < 3; ++repeat) {
        Recorder rec;
        IndexOptions o;
        o.db_path = (dir.path() / ("db" + std::to_string(run++))).string();
        o.inputs = {in.string()};
        o.threads = threads;
        o.writers = writers;
        IndexReport r = run_index(o, rec);
        SCOPED_TRACE("writers " + std::to_string(writers) + ", threads " + std::to_string(threads));
        EXPECT_EQ(r.added, words.size() + 2);  // other0..5, same, twice
        EXPECT_EQ(r.articles, words.size() + 2);
        ASSERT_EQ(r.skipped.size(), words.size());
        const std::string last = file_of(words.size() - 1);
        for (size_t i = 0; i + 1 < words.size(); ++i) {
          EXPECT_EQ(r.skipped[i].file, file_of(i));
          EXPECT_EQ(r.skipped[i].line, 2u);
          EXPECT_EQ(r.skipped[i].reason, "duplicate article id \"same\": the record at " + last +
                                             ":2, later in the input, is indexed instead of this one")
              << i;
        }
        EXPECT_EQ(r.skipped.back().file, (in / "g.jsonl").string());
        EXPECT_EQ(r.skipped.back().line, 1u);
        Xapian::Database db(o.db_path);
        EXPECT_EQ(db.get_termfreq("KA"), words.size() + 2);
        EXPECT_EQ(db.get_termfreq("W" + words.back()), 1u);
        for (size_t i = 0; i + 1 < words.size(); ++i) {
          EXPECT_EQ(db.get_termfreq("W" + words[i]), 0u) << words[i];
        }
        EXPECT_EQ(db.get_termfreq("Wzeta"), 1u);
        EXPECT_EQ(db.get_termfreq("Wbeta"), 0u);
      }
    }
  }
}

// An existing article replaced by one read from another file (dA/story.txt, then dB/story.txt: the same
// relative id) is a warning naming the file it came from; an id breaking the id rule is refused.
TEST(RunIndex, ReplacedFromAnotherFileIsWarnedAndBadIdsRefused) {
  test::TempDir dir;
  touch(dir.path() / "dA" / "story.txt", "Headline A\n\nThe alpha story.\n");
  touch(dir.path() / "dB" / "story.txt", "Headline B\n\nThe gamma story.\n");
  IndexOptions o;
  o.db_path = (dir.path() / "db").string();
  o.root = dir.path().string();  // ids: paths relative to the archive root
  o.inputs = {(dir.path() / "dA").string()};
  Recorder rec;
  IndexReport a = run_index(o, rec);
  EXPECT_EQ(a.added, 1u);
  EXPECT_TRUE(a.warnings.empty());
  // Another folder's story.txt is another article (dB/story.txt), whatever folder was named.
  o.inputs = {(dir.path() / "dB").string()};
  IndexReport b = run_index(o, rec);
  EXPECT_EQ(b.added, 1u);
  EXPECT_TRUE(b.warnings.empty());

  // A record with a file's id replaces it: a warning names the file it replaced.
  o.inputs = {"-"};
  o.stdin_data = "{\"id\":\"dB/story.txt\",\"text\":\"The delta story.\"}\n";
  IndexReport from_stdin = run_index(o, rec);
  ASSERT_EQ(from_stdin.warnings.size(), 1u);
  EXPECT_EQ(from_stdin.warnings[0].file, "<stdin>");
  EXPECT_EQ(from_stdin.warnings[0].line, 1u);
  EXPECT_EQ(from_stdin.warnings[0].reason, "article id \"dB/story.txt\" was indexed from " +
                                               (dir.path() / "dB" / "story.txt").string() +
                                               "; replaced by this record");
  // The same record again: unchanged, nothing to say.
  EXPECT_TRUE(run_index(o, rec).warnings.empty());

  o.stdin_data =
      "{\"id\":\"j\\n1\\tfake\\u001b[31m\",\"text\":\"Forged.\"}\n{\"id\":\"ok\",\"text\":\"Fine.\"}\n";
  IndexReport c = run_index(o, rec);
  EXPECT_EQ(c.added, 1u);
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_EQ(c.skipped[0].file, "<stdin>");
  EXPECT_EQ(c.skipped[0].line, 1u);
  EXPECT_EQ(c.skipped[0].reason,
            "id \"j\\x0a1\\x09fake\\x1b[31m\" holds a control character (\\x0a); not indexed");
}

// A database written before the id rule may hold an id with control characters: --delete takes it as
// printed (\xNN, articles/ids.h) as well as raw.
TEST(RunIndex, DeleteAcceptsTheEscapedFormOfAnOldId) {
  test::TempDir dir;
  const std::string db_path = (dir.path() / "db").string();
  {
    OneWriter one(db_path);
    for (const std::string id : {"old\nid\x1b[31m", "old2\t\xff"}) {
      Article a;
      a.id = id;
      a.path = "x.txt";
      a.passages.push_back(Passage{"Some text.", 0, 10, {}});
      BuiltArticle built = one.builder.build(a);
      ASSERT_EQ(one.writer.write(built), IndexWriter::Outcome::kAdded);
    }
    one.writer.commit();
  }
  Recorder rec;
  IndexOptions o;
  o.db_path = db_path;
  o.delete_ids = {"old\\x0aid\\x1b[31m", "old2\t\xff", "old\\x0aid\\x1b[31m"};
  IndexReport r = run_index(o, rec);
  EXPECT_EQ(r.deleted, 2u);
  ASSERT_EQ(r.skipped.size(), 1u);  // the third is gone already
  EXPECT_EQ(Xapian::Database(db_path).get_doccount(), 0u);
}

// The spelling and stems' forms tables hash with WordHash: a word hashes the same as a string or a view, and
// words that differ (by a byte, by case, by length) get different hashes.
TEST(WordHash, SameBytesSameHashDifferentWordsApart) {
  const WordHash hash;
  const std::string word = "troops";
  EXPECT_EQ(hash(word), hash(std::string_view("troops")));
  EXPECT_EQ(hash(std::string("caf\xC3\xA9")), hash(std::string_view("caf\xC3\xA9")));
  std::set<size_t> seen;
  const std::vector<std::string> words = {"",      "a",      "b",       "troop",  "troops", "Troops",
                                          "troopS", "troops ", "spokesperson", std::string(40, 'x'),
                                          std::string(41, 'x'), std::string("a\0b", 3), std::string("a\0c", 3)};
  for (const std::string& w : words) seen.insert(hash(w));
  EXPECT_EQ(seen.size(), words.size());
  // A table keyed by it counts as the default one does.
  std::unordered_map<std::string, int, WordHash> counts;
  for (const char* w : {"said", "told", "said", "said", "told", "warned"}) ++counts[w];
  EXPECT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts["said"], 3);
  EXPECT_EQ(counts["told"], 2);
  EXPECT_EQ(counts["warned"], 1);
}

}  // namespace
}  // namespace dateline
