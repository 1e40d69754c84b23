/** @file
 *  @brief `--story` (the copies of an article's story) and `--like` (relevance feedback, other stories only).
 */
#include "searcher/stories.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analyzers/schema.h"
#include "base/utf8.h"

namespace dateline::stories {

namespace {

std::string str(std::string_view s) { return std::string(s); }

// The longest term the indexer writes (indexer/document_builder.h kMaxIndexTermBytes); longer ids are
// cut there and end in "~" + 16 hex digits of their hash.
constexpr size_t kMaxTermBytes = 240;
constexpr size_t kLongIdTail = 17;


// "YYYYMMDD" (or a head of it) as "YYYY-MM-DD".
std::string iso_date(const std::string& compact) {
  if (compact.size() < 4) return compact;
  // Built by appending: GCC 12 misreports `"-" + std::string` under -Wrestrict.
  std::string out = compact.substr(0, 4);
  for (size_t at : {size_t{4}, size_t{6}}) {
    if (compact.size() < at + 2) break;
    out += '-';
    out.append(compact, at, 2);
  }
  return out;
}

// Id, outlet and date: the values only.
StoryArticle describe_values(const Xapian::Document& doc) {
  StoryArticle a;
  a.id = doc.get_value(schema::kSlotArticleId);
  a.outlet = doc.get_value(schema::kSlotOutlet);
  a.date = iso_date(doc.get_value(schema::kSlotDate));
  return a;
}

// Who ran it first: by date, unknown dates last, then by id.
void sort_copies(std::vector<StoryArticle>& copies) {
  std::sort(copies.begin(), copies.end(), [](const StoryArticle& a, const StoryArticle& b) {
    return schema::tie_key(a.date, a.id) < schema::tie_key(b.date, b.id);
  });
}

StoryArticle describe(const Xapian::Document& doc) {
  StoryArticle a = describe_values(doc);
  const auto data = nlohmann::json::parse(doc.get_data(), nullptr, false);
  if (data.is_object() && data.contains("title") && data["title"].is_string()) a.title = data["title"];
  return a;
}

// The document's term of `id` (an article or story id) under `prefix`: prefix + id, or for an id too long
// for a term, the one that starts with its head (indexer: id_based_term()); "" when the document has none.
std::string id_term(const Xapian::Document& doc, std::string_view prefix, std::string_view id) {
  std::string term = str(prefix) + str(id);
  const bool whole = term.size() <= kMaxTermBytes;
  if (!whole) term = str(prefix) + str(utf8::truncate(id, kMaxTermBytes - prefix.size() - kLongIdTail));
  auto t = doc.termlist_begin();
  t.skip_to(term);
  if (t == doc.termlist_end() || (whole ? *t != term : (*t).rfind(term, 0) != 0)) return "";
  return *t;
}

// Only the article text terms (schema::kArticleText followed by the word, not kArticleTitle or another
// prefix that starts with it) that some article outside its own story holds: a word only the story's
// copies have cannot find another story (more of them than the story has copies: one is elsewhere).
class ArticleTextTerms : public Xapian::ExpandDecider {
 public:
  ArticleTextTerms(const Xapian::Database& db, Xapian::doccount story_size) : db_(db), story_size_(story_size) {}
  bool operator()(const std::string& term) const override {
    const auto& p = schema::kArticleText;
    return term.size() > p.size() && term.compare(0, p.size(), p) == 0 &&
           !(term[p.size()] >= 'A' && term[p.size()] <= 'Z') && db_.get_termfreq(term) > story_size_;
  }

 private:
  const Xapian::Database& db_;
  Xapian::doccount story_size_;
};

}  // namespace

std::string story_term(const Xapian::Document& doc, std::string_view story) {
  return id_term(doc, schema::kStory, story);
}

std::optional<Xapian::docid> find_article(const Xapian::Database& db, std::string_view id) {
  auto check = [&](const std::string& term) -> std::optional<Xapian::docid> {
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
      const Xapian::Document doc = db.get_document(*p);
      if (doc.get_value(schema::kSlotArticleId) == id) return *p;
    }
    return std::nullopt;
  };
  const std::string term = str(schema::kArticleId) + str(id);
  if (term.size() <= kMaxTermBytes) return check(term);
  // A long id: its term keeps a head of it, then the hash; the value tells which one it is.
  const size_t room = kMaxTermBytes - schema::kArticleId.size() - kLongIdTail;
  const std::string head = str(schema::kArticleId) + str(utf8::truncate(id, room));
  for (auto t = db.allterms_begin(head); t != db.allterms_end(head); ++t) {
    if (auto did = check(*t)) return did;
  }
  return std::nullopt;
}

std::optional<Story> story_of(const Xapian::Database& db, std::string_view id) {
  const auto did = find_article(db, id);
  if (!did) return std::nullopt;
  const Xapian::Document doc = db.get_document(*did);
  Story s;
  s.article = str(id);
  s.story = doc.get_value(schema::kSlotStory);
  const std::string term = s.story.empty() ? std::string() : id_term(doc, schema::kStory, s.story);
  if (term.empty()) {
    s.story = s.article;
    s.copies.push_back(describe(doc));
    return s;
  }
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    const Xapian::Document copy = db.get_document(*p);
    s.copies.push_back(describe(copy));
  }
  sort_copies(s.copies);
  return s;
}

std::vector<StoryArticle> other_copies(const Xapian::Database& db, const Xapian::Document& doc, bool lists,
                                       const DocumentsRead& read) {
  std::vector<StoryArticle> out;
  const std::string story = doc.get_value(schema::kSlotStory);
  if (story.empty()) return out;
  const std::string own = doc.get_value(schema::kSlotArticleId);
  if (lists) {
    const std::string value = doc.get_value(schema::kSlotStoryCopyList);
    if (auto copies = value.empty() ? std::nullopt : schema::decode_copy_list(value)) {
      // Kept in story_of()'s order by the indexer (indexer/story_links.h).
      bool own_seen = false;
      for (auto& c : *copies) {
        if (!own_seen && c.id == own) {
          own_seen = true;
          continue;
        }
        StoryArticle a;
        a.id = std::move(c.id);
        a.outlet = std::move(c.outlet);
        a.date = iso_date(c.date);
        out.push_back(std::move(a));
      }
      return out;
    }
  }
  // The linker writes the story value and its term together: the term of a short id needs no look at the
  // document's term list (a long one, cut, does).
  std::string term = str(schema::kStory) + story;
  if (term.size() > kMaxTermBytes) term = id_term(doc, schema::kStory, story);
  if (term.empty()) return out;
  if (read) {
    std::vector<Xapian::docid> dids;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) dids.push_back(*p);
    for (const Xapian::Document& copy : read(dids)) {
      StoryArticle a = describe_values(copy);
      if (a.id != own) out.push_back(std::move(a));
    }
    sort_copies(out);
    return out;
  }
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    // Lazy: the values are read one by one, the document's data and terms never.
    StoryArticle a = describe_values(db.get_document(*p, Xapian::DOC_ASSUME_VALID));
    if (a.id != own) out.push_back(std::move(a));
  }
  sort_copies(out);
  return out;
}

std::optional<std::vector<StoryArticle>> like(const Xapian::Database& db, std::string_view id, size_t limit) {
  const auto did = find_article(db, id);
  if (!did) return std::nullopt;
  std::vector<StoryArticle> out;
  if (limit == 0) return out;
  const Xapian::Document doc = db.get_document(*did);
  Xapian::Enquire enquire(db);
  Xapian::RSet rset;
  rset.add_document(*did);
  const std::string own_story = doc.get_value(schema::kSlotStory);
  const std::string own_term = own_story.empty() ? std::string() : id_term(doc, schema::kStory, own_story);
  ArticleTextTerms decider(db, own_term.empty() ? 1 : std::max<Xapian::doccount>(1, db.get_termfreq(own_term)));
  const Xapian::ESet eset = enquire.get_eset(kLikeTerms, rset, &decider);
  if (eset.empty()) return out;
  std::vector<Xapian::Query> terms;
  for (auto t = eset.begin(); t != eset.end(); ++t) terms.emplace_back(*t);
  Xapian::Query query(Xapian::Query::OP_OR, terms.begin(), terms.end());
  // Not this story's copies.
  const std::string story = doc.get_value(schema::kSlotStory);
  std::string own = story.empty() ? std::string() : id_term(doc, schema::kStory, story);
  if (own.empty()) own = id_term(doc, schema::kArticleId, id);
  query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(own));
  enquire.set_query(query);
  enquire.set_collapse_key(schema::kSlotStory);  // one per story (no story value: never collapsed)
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
  for (auto m = mset.begin(); m != mset.end(); ++m) {
    StoryArticle a = describe(m.get_document());
    a.score = m.get_weight();
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace dateline::stories
