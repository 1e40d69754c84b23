/** @file
 *  @brief Detection terms on article documents; story ids given by the writer (Linker) or after a bulk merge.
 */
#include "indexer/story_links.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <stdexcept>
#include <nlohmann/json.hpp>
#include <tuple>

#include <xxhash.h>

#include "analyzers/schema.h"

namespace dateline::stories {

namespace {

using Json = nlohmann::json;

// Appends the "text" of a document's data (one passage), or of its "passages" array, to `out`.
void append_data_text(const std::string& data, std::string& out) {
  const Json j = Json::parse(data, nullptr, false);
  if (!j.is_object()) return;
  auto add = [&](const Json& text) {
    if (!text.is_string()) return;
    if (!out.empty()) out += "\n\n";
    out += text.get_ref<const std::string&>();
  };
  if (auto it = j.find("text"); it != j.end()) add(*it);
  if (auto it = j.find("passages"); it != j.end() && it->is_array()) {
    for (const auto& p : *it) {
      if (p.is_object() && p.contains("text")) add(p["text"]);
    }
  }
}

std::string str(std::string_view s) { return std::string(s); }

// The detection terms of a signature: the fingerprint term first, then the band terms.
std::vector<std::string> detection_terms(const Signature& s) {
  std::vector<std::string> terms;
  if (s.empty()) return terms;
  terms.push_back(str(schema::kStoryExact) + exact_key(s));
  for (const auto& key : band_keys(s)) terms.push_back(str(schema::kStoryBand) + key);
  return terms;
}

// How many candidates are checked at most (those sharing the most terms first): a story copied
// thousands of times is found through any of its copies.
constexpr size_t kMaxCandidates = 64;
// Documents read from one detection term's posting list at most (a fingerprint shared by a huge story).
constexpr Xapian::doccount kMaxPostings = 256;

}  // namespace

std::string article_text(const BuiltArticle& article) {
  std::string text;
  append_data_text(article.deferred ? article.recipe.get_data() : article.document.get_data(), text);
  return text;
}

std::string stored_text(const Xapian::Document& article_doc) {
  // Schema 3: the passages are in the article's own data.
  std::string text;
  append_data_text(article_doc.get_data(), text);
  return text;
}

namespace {

template <class Doc>
std::vector<std::string> add_detection_to(Doc& doc, const Signature& signature) {
  std::vector<std::string> terms = detection_terms(signature);
  if (signature.empty()) return terms;
  for (const auto& term : terms) doc.add_boolean_term(term);
  doc.add_value(schema::kSlotStorySignature, serialise(signature));
  return terms;
}

}  // namespace

std::vector<std::string> add_detection(Xapian::Document& doc, const Signature& signature) {
  return add_detection_to(doc, signature);
}

std::vector<std::string> add_detection(DocRecipe& doc, const Signature& signature) {
  return add_detection_to(doc, signature);
}

std::string story_term(std::string_view story_id) {
  // The article's XID term with the story prefix: the same rule for ids too long for a term.
  return str(schema::kStory) + article_id_term(story_id).substr(schema::kArticleId.size());
}

void Linker::clear() {
  linked_.clear();
  term_heads_.clear();
  term_entries_.clear();
  stories_.clear();
  outlets_.clear();
  outlet_ids_.clear();
  more_.clear();
}

void Linker::remember(const std::string& term, uint32_t index) {
  uint32_t& head = term_heads_[XXH3_64bits(term.data(), term.size())];
  term_entries_.push_back(TermEntry{index, head});
  head = static_cast<uint32_t>(term_entries_.size());
}

bool Linker::story_taken(const Xapian::Database& db, const std::string& story) const {
  if (stories_.count(story) != 0) return true;
  const std::string term = story_term(story);
  if (!stale_) return db.term_exists(term);
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    if (!stale_(*p)) return true;
  }
  return false;
}

std::string Linker::link_one(const Xapian::Database& db, Xapian::docid did, const Signature& signature,
                             const std::string& article_id, const std::vector<std::string>& terms) {
  std::string best_story;
  double best_score = -1;
  auto consider = [&](const Signature& other, const std::string& story) {
    if (story.empty()) return;
    const Match m = compare(signature, other, thresholds_);
    if (!m.same) return;
    if (m.score > best_score || (m.score == best_score && story < best_story)) {
      best_score = m.score;
      best_story = story;
    }
  };
  // Candidates in the database: documents sharing a detection term, most shared terms first.
  std::map<Xapian::docid, unsigned> shared;
  for (const auto& term : terms) {
    Xapian::doccount read = 0;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && read < kMaxPostings; ++p, ++read) {
      if (*p != did && !(stale_ && stale_(*p))) ++shared[*p];
    }
  }
  std::vector<std::pair<unsigned, Xapian::docid>> order;
  for (const auto& [d, n] : shared) order.emplace_back(n, d);
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (order.size() > kMaxCandidates) order.resize(kMaxCandidates);
  for (const auto& [n, d] : order) {
    const Xapian::Document candidate = db.get_document(d, Xapian::DOC_ASSUME_VALID);
    if (auto other = deserialise(candidate.get_value(schema::kSlotStorySignature))) {
      consider(*other, candidate.get_value(schema::kSlotStory));
    }
  }
  // Candidates linked earlier in this batch.
  std::map<size_t, unsigned> batch_shared;
  for (const auto& term : terms) {
    if (auto it = term_heads_.find(XXH3_64bits(term.data(), term.size())); it != term_heads_.end()) {
      for (uint32_t e = it->second; e != 0; e = term_entries_[e - 1].next) {
        ++batch_shared[term_entries_[e - 1].article];
      }
    }
  }
  for (const auto& [i, n] : batch_shared) consider(linked_[i].signature, linked_[i].story);

  std::string story = best_story;
  if (story.empty()) {
    // A new story, named by this article; if copies of an earlier version of it still hold that name
    // (this version is no longer a copy of theirs), by the first free "ID#N".
    story = article_id;
    for (unsigned n = 2; story_taken(db, story); ++n) story = article_id + "#" + std::to_string(n);
  }
  const auto index = static_cast<uint32_t>(linked_.size());
  linked_.push_back(Linked{signature, story});
  for (const auto& term : terms) remember(term, index);
  stories_.try_emplace(story);
  return story;
}

std::vector<std::string> detection_terms_of(const Xapian::Document& doc) {
  std::vector<std::string> on_doc;
  for (const auto prefix : {schema::kStoryExact, schema::kStoryBand}) {
    auto t = doc.termlist_begin();
    for (t.skip_to(str(prefix)); t != doc.termlist_end() && (*t).rfind(prefix, 0) == 0; ++t) {
      on_doc.push_back(*t);
    }
  }
  return on_doc;
}

namespace {

std::vector<std::string> detection_terms_of(const DocRecipe&) {
  // Never called: recipes are linked with their terms given (link() below).
  throw std::logic_error("Linker: a recipe linked without its detection terms");
}

}  // namespace

void Linker::link(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, Xapian::Document>>& batch,
                  const std::vector<std::vector<std::string>>* terms) {
  link_batch(db, batch, terms);
}

void Linker::link(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, DocRecipe>>& batch,
                  const std::vector<std::vector<std::string>>& terms) {
  link_batch(db, batch, &terms);
}

template <class Doc>
void Linker::link_batch(const Xapian::Database& db, std::vector<std::pair<Xapian::docid, Doc>>& batch,
                        const std::vector<std::vector<std::string>>* terms) {
  std::vector<std::tuple<std::string, std::string, size_t>> order;  // date, id, index
  order.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    const Doc& doc = batch[i].second;
    std::string date = doc.get_value(schema::kSlotDate);
    if (date.empty()) date = "~";  // unknown dates after known ones
    order.emplace_back(std::move(date), doc.get_value(schema::kSlotArticleId), i);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [date, id, i] : order) {
    auto& [did, doc] = batch[i];
    std::string story = id;
    if (auto signature = deserialise(doc.get_value(schema::kSlotStorySignature))) {
      if (terms != nullptr && !(*terms)[i].empty()) {
        story = link_one(db, did, *signature, id, (*terms)[i]);
      } else {
        story = link_one(db, did, *signature, id, detection_terms_of(doc));
      }
    } else {
      for (unsigned n = 2; story_taken(db, story); ++n) story = id + "#" + std::to_string(n);
      stories_.try_emplace(story);
    }
    if (count_copies_) count(story, doc);
    doc.add_value(schema::kSlotStory, story);
    doc.add_boolean_term(story_term(story));
  }
}

template <class Doc>
void Linker::count(const std::string& story, const Doc& doc) {
  Story& s = stories_[story];
  if (++s.count > schema::kMaxListedCopies) {
    if (s.count == schema::kMaxListedCopies + 1) more_.erase(story);  // no list: too many copies
    return;
  }
  std::string id = doc.get_value(schema::kSlotArticleId);
  std::string outlet = doc.get_value(schema::kSlotOutlet);
  std::string date = doc.get_value(schema::kSlotDate);
  if (s.count == 1 && id == story && date.size() <= sizeof s.date && date.find('\0') == std::string::npos) {
    auto [it, added] = outlet_ids_.try_emplace(std::move(outlet), static_cast<uint32_t>(outlets_.size()));
    if (added) outlets_.push_back(it->first);
    s.outlet = it->second;
    std::memcpy(&s.date, date.data(), date.size());
    return;
  }
  more_[story] += schema::encode_copy_list({{std::move(id), std::move(outlet), std::move(date)}});
}

std::vector<StoryCopies> Linker::copies() const {
  std::vector<StoryCopies> out;
  for (const auto& [story, s] : stories_) {
    if (s.count < 2) continue;  // alone: never collapsed, so no value
    StoryCopies c;
    c.story = story;
    c.term = story_term(story);
    c.count = s.count;
    if (s.count <= schema::kMaxListedCopies) {
      std::vector<schema::ListedCopy> listed;
      if (auto it = more_.find(story); it != more_.end()) listed = schema::decode_copy_list(it->second).value();
      if (s.outlet != kNoEntry) {
        char date[sizeof s.date];
        std::memcpy(date, &s.date, sizeof date);
        listed.push_back({story, outlets_[s.outlet], std::string(date, strnlen(date, sizeof date))});
      }
      // The order copy_list() gives (a bulk build's ids are unique, so the order is total).
      std::sort(listed.begin(), listed.end(), [](const schema::ListedCopy& a, const schema::ListedCopy& b) {
        return schema::tie_key(a.date, a.id) < schema::tie_key(b.date, b.id);
      });
      c.list = schema::encode_copy_list(listed);
    }
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const StoryCopies& a, const StoryCopies& b) { return a.term < b.term; });
  return out;
}

namespace {

// The kSlotStoryCopyList value of a story's `n` articles in `all`: none past kMaxListedCopies.
std::optional<std::string> copy_list(const Xapian::Database& all, const std::string& term, Xapian::doccount n) {
  if (n > schema::kMaxListedCopies) return std::nullopt;
  std::vector<schema::ListedCopy> copies;
  for (auto p = all.postlist_begin(term); p != all.postlist_end(term); ++p) {
    // Lazy: three values, never the document's data or terms.
    const Xapian::Document doc = all.get_document(*p, Xapian::DOC_ASSUME_VALID);
    copies.push_back({doc.get_value(schema::kSlotArticleId), doc.get_value(schema::kSlotOutlet),
                      doc.get_value(schema::kSlotDate)});
  }
  // Who ran it first: by date, unknown dates last, then by id (the order --story prints).
  std::sort(copies.begin(), copies.end(), [](const schema::ListedCopy& a, const schema::ListedCopy& b) {
    return schema::tie_key(a.date, a.id) < schema::tie_key(b.date, b.id);
  });
  return schema::encode_copy_list(copies);
}

}  // namespace

std::vector<StoryCopies> read_copies(const Xapian::Database& all, const std::vector<std::string>& stories,
                                     bool alone_too) {
  std::vector<StoryCopies> out;
  std::set<std::string> done;
  for (const std::string& story : stories) {
    if (story.empty() || !done.insert(story).second) continue;
    StoryCopies c;
    c.story = story;
    c.term = story_term(story);
    c.count = all.get_termfreq(c.term);
    if (c.count == 0 || (c.count < 2 && !alone_too)) continue;  // alone: never collapsed, so no value
    c.list = copy_list(all, c.term, c.count);
    out.push_back(std::move(c));
  }
  return out;
}

void write_copies(Xapian::WritableDatabase& db, const std::vector<StoryCopies>& copies) {
  for (const StoryCopies& c : copies) {
    std::vector<Xapian::docid> holders;
    for (auto p = db.postlist_begin(c.term); p != db.postlist_end(c.term); ++p) holders.push_back(*p);
    for (Xapian::docid did : holders) {
      Xapian::Document doc = db.get_document(did);
      const std::string key = doc.get_value(schema::kSlotStoryCopies);
      if (c.count < 2 && key.empty()) continue;  // alone, and never had copies: no values
      bool changed = false;
      if (c.count >= 2 && key != c.story) {
        doc.add_value(schema::kSlotStoryCopies, c.story);
        changed = true;
      }
      const std::string tie = schema::tie_key(doc.get_value(schema::kSlotDate), doc.get_value(schema::kSlotArticleId));
      if (doc.get_value(schema::kSlotStoryTieKey) != tie) {
        doc.add_value(schema::kSlotStoryTieKey, tie);
        changed = true;
      }
      const std::string want = c.list.value_or(std::string());
      if (doc.get_value(schema::kSlotStoryCopyList) != want) {
        if (want.empty()) {
          doc.remove_value(schema::kSlotStoryCopyList);
        } else {
          doc.add_value(schema::kSlotStoryCopyList, want);
        }
        changed = true;
      }
      if (changed) db.replace_document(did, doc);
    }
  }
}

void refresh_copies(Xapian::WritableDatabase& db, const Xapian::Database& all,
                    const std::vector<std::string>& stories, bool alone_too) {
  write_copies(db, read_copies(all, stories, alone_too));
}

void mark_copies(Xapian::WritableDatabase& db, const std::vector<std::string>& stories) {
  refresh_copies(db, db, stories);
}

std::vector<std::string> multi_copy_stories(const Xapian::Database& db) {
  std::vector<std::string> stories;
  const std::string prefix(schema::kStory);
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    if (t.get_termfreq() < 2) continue;
    // The story id is the slot value of its documents (the term of a long id is cut).
    auto p = db.postlist_begin(*t);
    if (p != db.postlist_end(*t)) stories.push_back(db.get_document(*p).get_value(schema::kSlotStory));
  }
  return stories;
}

void mark_all_copies(Xapian::WritableDatabase& db) {
  mark_copies(db, multi_copy_stories(db));
  db.set_metadata(std::string(schema::kMetaStoryCopies), "1");
  db.set_metadata(std::string(schema::kMetaStoryCopyList), "1");
}

size_t link_all(Xapian::WritableDatabase& db, Thresholds thresholds) {
  // The article documents without a story, in date-then-id order; the others (linked by an earlier run)
  // are candidates as stored.
  std::vector<std::tuple<std::string, std::string, Xapian::docid>> order;
  const std::string kind(schema::kKindArticle);
  const std::string all = db.term_exists(kind) ? kind : std::string();  // one document per article: all
  for (auto p = db.postlist_begin(all); p != db.postlist_end(all); ++p) {
    const Xapian::Document doc = db.get_document(*p);
    if (!doc.get_value(schema::kSlotStory).empty()) continue;
    std::string date = doc.get_value(schema::kSlotDate);
    if (date.empty()) date = "~";  // unknown dates after known ones, as Linker::link()
    order.emplace_back(std::move(date), doc.get_value(schema::kSlotArticleId), *p);
  }
  std::sort(order.begin(), order.end());
  // In chunks: each chunk is written back before the next is linked, so the database shows it (a
  // WritableDatabase reads its own uncommitted changes) and the Linker's memory stays small.
  constexpr size_t kChunk = 1000;
  Linker linker(thresholds);
  for (size_t first = 0; first < order.size(); first += kChunk) {
    std::vector<std::pair<Xapian::docid, Xapian::Document>> chunk;
    for (size_t i = first; i < std::min(order.size(), first + kChunk); ++i) {
      const Xapian::docid did = std::get<2>(order[i]);
      Xapian::Document doc = db.get_document(did);
      if (doc.get_value(schema::kSlotStorySignature).empty()) add_detection(doc, sign(stored_text(doc)));
      chunk.emplace_back(did, std::move(doc));
    }
    linker.link(db, chunk);
    std::sort(chunk.begin(), chunk.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> stories;
    for (const auto& [did, doc] : chunk) {
      db.replace_document(did, doc);
      stories.push_back(doc.get_value(schema::kSlotStory));
    }
    mark_copies(db, stories);
    linker.clear();
  }
  db.commit();
  return order.size();
}

}  // namespace dateline::stories
