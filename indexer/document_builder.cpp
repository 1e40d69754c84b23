/** @file
 *  @brief Article -> its Xapian document following analyzers/schema.h: terms, positions, values, data.
 */
#include "indexer/document_builder.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
// Inlined: WordCollector hashes every word of an article, where a call into the library cost more than the
// hash of a short word. The same XXH3, so the same values.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "analyzers/schema.h"
#include "base/experiments.h"
#include "base/utf8.h"
#include "indexer/story_links.h"

namespace dateline {

namespace {

// Title and subtitle share the S prefix; a gap this wide keeps phrases and NEAR windows from
// spanning the two (Omega and TermGenerator::increase_termpos use 100 for the same reason).
constexpr uint32_t kFieldGap = 100;

std::string hex16(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t hash64(std::string_view s) {
  return XXH3_64bits(s.data(), s.size());
}

// prefix + id (+ suffix), with the long-id rule of article_id_term(). Ids are taken byte for byte, never
// case-folded: "Report.txt" and "report.txt" are two articles (file systems and record ids are
// case-sensitive).
std::string id_based_term(std::string_view prefix, std::string_view id, std::string_view suffix) {
  std::string norm(id);
  if (prefix.size() + norm.size() + suffix.size() <= kMaxIndexTermBytes) {
    return std::string(prefix) + norm + std::string(suffix);
  }
  // Built by appending: GCC 12 misreports `"~" + std::string` under -Wrestrict.
  std::string tail = "~";
  tail += hex16(hash64(norm));
  size_t room = kMaxIndexTermBytes - prefix.size() - suffix.size() - tail.size();
  return std::string(prefix) + std::string(utf8::truncate(norm, room)) + tail + std::string(suffix);
}

}  // namespace

bool is_spelling_word(std::string_view term) {
  if (term.empty()) return false;
  // ASCII words decide without ICU (called for every word indexed): letters only, or not a word.
  bool ascii = true;
  for (char ch : term) {
    const auto b = static_cast<unsigned char>(ch);
    if (b >= 0x80) {
      ascii = false;
      break;
    }
    if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))) return false;
  }
  if (ascii) return true;
  const auto* s = reinterpret_cast<const uint8_t*>(term.data());
  auto n = static_cast<int32_t>(term.size());
  int32_t i = 0;
  bool any_letter = false;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) return false;
    if (u_isalpha(c)) {
      any_letter = true;
      continue;
    }
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK) continue;
    return false;
  }
  return any_letter;
}

namespace {

std::vector<std::string> split_authors(const std::optional<std::string>& author) {
  std::vector<std::string> out;
  if (!author) return out;
  std::string_view rest = *author;
  // article.h: several authors are joined by ", ".
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out.push_back(sep);
    out += s;
  }
  return out;
}

// Speakers of the whole article in order of first appearance, without empty names.
std::vector<std::string> article_speakers(const Article& article) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& p : article.passages) {
    for (const auto& s : p.speakers) {
      if (!s.empty() && seen.insert(s).second) out.push_back(s);
    }
  }
  return out;
}

std::vector<std::string> non_empty(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& s : names) {
    if (!s.empty()) out.push_back(s);
  }
  return out;
}

// "2022-02-24" -> "20220224"; also "2022-02" and "2022". Empty when the date is not of that shape.
std::string compact_date(std::string_view date) {
  auto digits = [](std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (date.size() == 10 && date[4] == '-' && date[7] == '-' && digits(date.substr(0, 4)) &&
      digits(date.substr(5, 2)) && digits(date.substr(8, 2))) {
    return std::string(date.substr(0, 4)) + std::string(date.substr(5, 2)) + std::string(date.substr(8, 2));
  }
  if (date.size() == 7 && date[4] == '-' && digits(date.substr(0, 4)) && digits(date.substr(5, 2))) {
    return std::string(date.substr(0, 4)) + std::string(date.substr(5, 2));
  }
  if (date.size() == 4 && digits(date)) return std::string(date);
  return {};
}

// Eight bytes at a time, for the long texts JsonText writes (most of them ASCII with nothing to escape).
constexpr uint64_t kEveryByte = 0x0101010101010101ULL;
constexpr uint64_t kHighBits = 0x8080808080808080ULL;

uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Does any byte of `w` equal `b`? (The classic zero-byte test on w ^ b...b: exact as to whether one does.)
bool has_byte(uint64_t w, unsigned char b) {
  const uint64_t x = w ^ (kEveryByte * b);
  return ((x - kEveryByte) & ~x & kHighBits) != 0;
}

// Is `s` well-formed UTF-8 (utf8::sequence_length() at every character)? ASCII eight bytes at a time.
bool well_formed_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (s.size() - i >= 8 && (load8(s.data() + i) & kHighBits) == 0) {
      i += 8;
      continue;
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const size_t n = utf8::sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Compact JSON, byte for byte as nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes it (the
// form the document data and the --json records have always had), written straight into a string: both
// are written for every article, and building an nlohmann document first cost more than the writing.
class JsonText {
 public:
  JsonText& open_object() { return open('{'); }
  JsonText& close_object() { return close('}'); }
  JsonText& open_array() { return open('['); }
  JsonText& close_array() { return close(']'); }
  JsonText& key(std::string_view k) {
    separate();
    string(k);
    out_ += ':';
    comma_ = false;
    return *this;
  }
  JsonText& value(std::string_view v) {
    separate();
    string(v);
    comma_ = true;
    return *this;
  }
  JsonText& value(uint64_t n) {
    separate();
    out_ += std::to_string(n);
    comma_ = true;
    return *this;
  }
  JsonText& value(const std::vector<std::string>& items) {
    open_array();
    for (const auto& item : items) value(item);
    return close_array();
  }
  /// A value already written as JSON text.
  JsonText& raw(std::string_view json) {
    separate();
    out_ += json;
    comma_ = true;
    return *this;
  }
  /// The key and its value when there is one; nothing otherwise.
  JsonText& field(std::string_view k, const std::optional<std::string>& v) {
    if (v) key(k).value(*v);
    return *this;
  }
  std::string take() { return std::move(out_); }
  /// Room for `bytes` of JSON: an article's texts are most of it, known before it is written.
  void reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  JsonText& open(char c) {
    separate();
    out_ += c;
    comma_ = false;
    return *this;
  }
  JsonText& close(char c) {
    out_ += c;
    comma_ = true;
    return *this;
  }
  void separate() {
    if (comma_) out_ += ',';
  }
  void string(std::string_view s) {
    // Ill-formed UTF-8 (the reader repairs it, but a record from elsewhere may hold some) is left to
    // nlohmann, which replaces each bad sequence its own way; well-formed text gets its escapes here.
    if (!well_formed_utf8(s)) {
      out_ += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return;
    }
    out_ += '"';
    size_t run = 0;  // start of the bytes not yet copied
    for (size_t i = 0; i < s.size(); ++i) {
      // Eight bytes none of which is escaped (a control character, '"' or '\\') go as they are.
      while (s.size() - i >= 8) {
        const uint64_t w = load8(s.data() + i);
        const bool control = ((w - kEveryByte * 0x20) & ~w & kHighBits) != 0;  // a byte below 0x20
        if (control || has_byte(w, '"') || has_byte(w, '\\')) break;
        i += 8;
      }
      if (i >= s.size()) break;
      const auto b = static_cast<unsigned char>(s[i]);
      if (b >= 0x20 && b != '"' && b != '\\') continue;
      out_.append(s.substr(run, i - run));
      run = i + 1;
      switch (b) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\r':
          out_ += "\\r";
          break;
        default: {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(b));
          out_ += buf;
        }
      }
    }
    out_.append(s.substr(run));
    out_ += '"';
  }

  std::string out_;
  bool comma_ = false;  // a value was written: the next one needs a comma
};

// Room for an article's JSON texts besides the passages' text (metadata, keys and numbers): a guess that
// is enough for most articles, so the string grows once, not by doubling through the whole article.
constexpr size_t kJsonRoom = 1024;
constexpr size_t kJsonRoomPerPassage = 96;

size_t json_room(const Article& a) {
  size_t n = kJsonRoom;
  for (const auto& p : a.passages) n += p.text.size() + kJsonRoomPerPassage;
  return n;
}

// The fields every document of an article shares (schema.h "Document data"), into an open object.
void common_data(JsonText& j, const Article& a) {
  j.key("id").value(a.id);
  j.key("path").value(a.path);
  j.field("title", a.title);
  j.field("subtitle", a.subtitle);
  j.field("outlet", a.outlet);
  j.field("date", a.date);
  j.field("author", a.author);
  j.field("wire", a.wire);
  j.field("url", a.url);
}

// What add_text() found out about a word of the body at its first occurrence, for the next ones.
struct BodyWord {
  enum class Rank : uint8_t { kUnknown, kRanked, kUnranked };
  Rank rank = Rank::kUnknown;
  std::string stem;      ///< the word's stem then (a word's stem is a function of the word; checked anyway)
  uint32_t pending = 0;  ///< wdf of the later occurrences, not yet added to the word's ranking term
};

// Adds one analysed text to the article document: its ranking terms under `rank_prefix` (the stem or,
// for a word without one, the word itself), leaving out the language's stop words (as Lucene's
// EnglishAnalyzer does for BM25), without positions (schema 4); and, when `exact_prefix` is given, every
// word's exact form with its position + `offset`, weight 0. `stem_forms`, when given, receives (stem,
// word) for each word whose ranking term is another word: the exact forms' positions stand for the
// ranking term's (schema::kMetaFormsPrefix). Returns the wdf added to the document's length, counting
// what `body` keeps pending.
//
// `body`, given with `spelling` (the body's passages), holds by word (WordCollector index) what its first
// occurrence decided: a later occurrence of the word skips the stop-word test and the stem form already
// recorded, and only adds its wdf to the word's `pending`; add_pending() then gives each word's ranking term
// that wdf in one Document::add_term(). Document::add_term() is a walk of the document's std::map of terms
// (string compares) at every call.
template <class Doc>
uint64_t add_text(Doc& doc, const Analyzer& analyzer, const std::vector<Token>& tokens,
                  std::string_view rank_prefix, unsigned weight, uint32_t offset,
                  const std::string_view* exact_prefix, WordCollector* spelling,
                  std::vector<std::pair<std::string, std::string>>* stem_forms = nullptr,
                  std::vector<BodyWord>* body = nullptr) {
  std::string term(rank_prefix);
  std::string exact = exact_prefix != nullptr ? std::string(*exact_prefix) : std::string();
  const size_t exact_size = exact.size();
  uint64_t added = 0;
  for (const auto& tok : tokens) {
    if (tok.term.empty()) continue;
    const Xapian::termpos pos = offset + tok.position;
    BodyWord* known = nullptr;  // `body`'s entry for this word
    if (exact_prefix != nullptr && exact_size + tok.term.size() <= kMaxIndexTermBytes) {
      if (exact_size == 0) {
        doc.add_posting(tok.term, pos, 0);  // passage words: the term is the word, no copy to make
      } else {
        exact.erase(exact_size);
        exact += tok.term;
        doc.add_posting(exact, pos, 0);
      }
      if (spelling != nullptr) {
        const uint32_t w = spelling->add(tok.term);  // is_spelling_word() once per word, at the end
        if (body != nullptr) {
          if (w >= body->size()) body->resize(w + 1);
          known = &(*body)[w];
        }
      }
    }
    if (weight == 0) continue;
    if (known != nullptr && known->rank != BodyWord::Rank::kUnknown && known->stem == tok.stem) {
      if (known->rank == BodyWord::Rank::kRanked) {
        known->pending += weight;
        added += weight;
      }
      continue;
    }
    const std::string& word = tok.stem.empty() ? tok.term : tok.stem;
    const bool ranked = rank_prefix.size() + word.size() <= kMaxIndexTermBytes && !analyzer.is_stop_word(tok.term);
    if (known != nullptr) {
      if (known->pending != 0) {  // another stem than before (never seen): what the old one kept, first
        term.erase(rank_prefix.size());
        term += known->stem.empty() ? tok.term : known->stem;
        doc.add_term(term, known->pending);
      }
      known->rank = ranked ? BodyWord::Rank::kRanked : BodyWord::Rank::kUnranked;
      known->stem = tok.stem;
      known->pending = 0;
    }
    if (!ranked) continue;
    term.erase(rank_prefix.size());
    term += word;
    // No positions: a third of the postings' bytes and of the indexing CPU (bench/RESULTS.md "Schema 4").
    doc.add_term(term, weight);
    if (stem_forms != nullptr && !tok.stem.empty() && tok.stem != tok.term &&
        exact_size + tok.term.size() <= kMaxIndexTermBytes) {
      stem_forms->emplace_back(tok.stem, tok.term);
    }
    added += weight;
  }
  return added;
}

// The wdf add_text() kept pending in `body`, added to each word's ranking term under `rank_prefix`.
template <class Doc>
void add_pending(Doc& doc, const WordCollector& words, const std::vector<BodyWord>& body,
                 std::string_view rank_prefix) {
  std::string term(rank_prefix);
  for (uint32_t w = 0; w < body.size(); ++w) {
    const BodyWord& b = body[w];
    if (b.pending == 0) continue;
    term.erase(rank_prefix.size());
    if (b.stem.empty()) {
      term += words.word(w);
    } else {
      term += b.stem;
    }
    doc.add_term(term, b.pending);
  }
}

}  // namespace

uint32_t WordCollector::add(std::string_view w) {
  const uint64_t h = XXH3_64bits(w.data(), w.size());
  const size_t mask = slots_.size() - 1;
  size_t at = h & mask;
  for (; slots_[at] != 0; at = (at + 1) & mask) {
    const uint32_t i = slots_[at] - 1;
    if (hashes_[i] == h && word(i) == w) return i;  // met before
  }
  const auto index = static_cast<uint32_t>(spans_.size());
  spans_.emplace_back(bytes_.size(), w.size());
  bytes_ += w;
  hashes_.push_back(h);
  slots_[at] = index + 1;
  if (2 * spans_.size() > slots_.size()) grow();  // at most half full: short probes
  return index;
}

void WordCollector::grow() {
  slots_.assign(2 * slots_.size(), 0);
  const size_t mask = slots_.size() - 1;
  for (uint32_t i = 0; i < hashes_.size(); ++i) {
    size_t at = hashes_[i] & mask;
    while (slots_[at] != 0) at = (at + 1) & mask;
    slots_[at] = i + 1;
  }
}

std::vector<std::string> WordCollector::spelling_words() const {
  std::vector<std::string> words;
  words.reserve(spans_.size());
  for (uint32_t i = 0; i < spans_.size(); ++i) {
    if (is_spelling_word(word(i))) words.emplace_back(word(i));
  }
  return words;
}

std::string article_id_term(std::string_view id) {
  return id_based_term(schema::kArticleId, id, "");
}

std::string unique_term(std::string_view id, uint64_t passage) {
  std::string suffix = "#";
  suffix += std::to_string(passage);
  return id_based_term(schema::kUnique, id, suffix);
}

namespace {

// The passages' texts as JSON strings (quotes and escapes included): the record that article_hash() reads
// and the document's data both hold them, and escaping each text once serves both.
std::vector<std::string> json_texts(const Article& article) {
  std::vector<std::string> out;
  out.reserve(article.passages.size());
  for (const auto& p : article.passages) {
    JsonText j;
    j.reserve(p.text.size() + 2);
    out.push_back(j.value(p.text).take());
  }
  return out;
}

// article_record_json(), with the passages' texts already written as JSON (json_texts()) when given.
std::string record_json(const Article& article, const std::vector<std::string>* texts) {
  JsonText j;
  j.reserve(json_room(article));
  j.open_object();
  j.key("type").value("article");
  common_data(j, article);
  j.field("language", article.language);
  if (!article.sources.empty()) {
    j.key("sources").open_object();
    for (const auto& [field, source] : article.sources) j.key(field).value(source);
    j.close_object();
  }
  j.key("speakers").value(article_speakers(article));
  if (!article.provenance.empty()) {
    j.key("provenance").open_object();
    for (const char* field : {"title", "date", "outlet", "wire", "author"}) {
      auto it = article.provenance.find(field);
      if (it == article.provenance.end()) continue;
      j.key(field).open_object();
      j.key("line").value(it->second.line).key("text").value(it->second.text);
      j.close_object();
    }
    j.close_object();
  }
  j.key("passages").open_array();
  uint64_t n = 0;
  for (const auto& p : article.passages) {
    j.open_object();
    j.key("passage").value(n + 1);
    if (texts != nullptr) {
      j.key("text").raw((*texts)[n]);
    } else {
      j.key("text").value(p.text);
    }
    ++n;
    j.key("start").value(p.begin);
    j.key("end").value(p.end);
    j.key("speakers").value(non_empty(p.speakers));
    j.close_object();
  }
  j.close_array();
  j.close_object();
  return j.take();
}

// article_hash(), `texts` as for record_json().
std::string hash_of(const Article& article, const std::vector<std::string>* texts) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  XXH3_64bits_update(state, article.content_hash.data(), article.content_hash.size());
  XXH3_64bits_update(state, "\n", 1);
  std::string record = record_json(article, texts);
  XXH3_64bits_update(state, record.data(), record.size());
  // The layout version is part of the hash: a new schema re-indexes everything it reads.
  std::string version = "\nschema=" + std::to_string(schema::kVersion);
  XXH3_64bits_update(state, version.data(), version.size());
  uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return hex16(h);
}

}  // namespace

std::string article_record_json(const Article& article) {
  return record_json(article, nullptr);
}

std::string article_hash(const Article& article) {
  return hash_of(article, nullptr);
}

const IndexWeights& index_weights() {
  static const IndexWeights weights = [] {
    IndexWeights w;
    w.title = schema::find_field("title")->weight;
    w.body = schema::find_field("text")->weight;
    w.title_body = schema::kTitleBodyWeight;
    // Relevance ablations (base/experiments.h): a digit each, in an experiments build only.
    auto digit = [](const char* name, unsigned& weight, char lowest) {
      const std::optional<std::string> v = experiment_setting(name);
      if (v && v->size() == 1 && (*v)[0] >= lowest && (*v)[0] <= '9') weight = static_cast<unsigned>((*v)[0] - '0');
    };
    digit("DATELINE_TITLE_WDF", w.title, '1');
    digit("DATELINE_TITLE_BODY_WDF", w.title_body, '0');
    return w;
  }();
  return weights;
}

std::string IndexWeights::describe() const {
  const IndexWeights defaults{schema::find_field("title")->weight, schema::find_field("text")->weight,
                              schema::kTitleBodyWeight};
  if (title == defaults.title && body == defaults.body && title_body == defaults.title_body) return {};
  return "title_wdf=" + std::to_string(title) + ";title_body_wdf=" + std::to_string(title_body);
}

DocumentBuilder::DocumentBuilder(const Analyzer& analyzer, bool deferred)
    : analyzer_(analyzer), deferred_(deferred) {}

void materialize(BuiltArticle& article) {
  if (!article.deferred) return;
  article.document = article.recipe.make();
  article.recipe = DocRecipe();
  article.deferred = false;
}

std::set<std::string> DocumentBuilder::name_words(const std::vector<std::string>& names) const {
  std::set<std::string> words;
  for (const auto& name : names) {
    for (const auto& tok : analyzer_.analyze(name)) {
      if (!tok.term.empty()) words.insert(tok.term);
    }
  }
  return words;
}

template <class Doc>
void DocumentBuilder::add_metadata(const Article& article, BuiltArticle& out, Doc& doc) const {
  const std::vector<std::string> authors = split_authors(article.author);
  const std::vector<std::string> speakers = article_speakers(article);
  doc.add_boolean_term(out.id_term);
  doc.add_boolean_term(std::string(schema::kKindArticle));
  doc.add_boolean_term(unique_term(article.id, 0));
  if (article.outlet && !article.outlet->empty()) {
    doc.add_boolean_term(schema::boolean_term(schema::kOutlet, *article.outlet));
    doc.add_value(schema::kSlotOutlet, *article.outlet);
    for (const auto& w : name_words({*article.outlet}))
      doc.add_boolean_term(schema::boolean_term(schema::kOutletWord, w));
  }
  if (article.wire && !article.wire->empty())
    doc.add_boolean_term(schema::boolean_term(schema::kWire, *article.wire));
  for (const auto& a : authors) doc.add_boolean_term(schema::boolean_term(schema::kAuthor, a));
  for (const auto& w : name_words(authors)) doc.add_boolean_term(schema::boolean_term(schema::kAuthorWord, w));
  if (!authors.empty()) doc.add_value(schema::kSlotAuthor, join(authors, '\n'));
  for (const auto& s : speakers) {
    doc.add_boolean_term(schema::boolean_term(schema::kSpeaker, s));
    auto info = article.speaker_info.find(s);
    if (info != article.speaker_info.end() && info->second.organisation)
      doc.add_boolean_term(schema::boolean_term(schema::kSpeakerOrganisation, s));
  }
  for (const auto& w : name_words(speakers)) doc.add_boolean_term(schema::boolean_term(schema::kSpeakerWord, w));
  if (!speakers.empty()) doc.add_value(schema::kSlotSpeakers, join(speakers, '\n'));
  const std::string date = article.date ? compact_date(*article.date) : std::string();
  if (article.date && date.empty()) {
    out.warnings.push_back("date \"" + *article.date + "\" is not YYYY-MM-DD; left out of the date terms");
  }
  if (!date.empty()) {
    doc.add_boolean_term(std::string(schema::kYear) + date.substr(0, 4));
    if (date.size() >= 6) doc.add_boolean_term(std::string(schema::kMonth) + date.substr(0, 6));
    if (date.size() == 8) doc.add_boolean_term(std::string(schema::kDay) + date);
    doc.add_value(schema::kSlotDate, date);
  }
  doc.add_value(schema::kSlotArticleId, article.id);
  doc.add_value(schema::kSlotHash, out.hash);
}

template <class Doc>
void DocumentBuilder::add_title(const Article& article, BuiltArticle& out, WordCollector& words, Doc& doc) const {
  // Title and subtitle: exact forms at their positions (S; the subtitle after a gap), ranking terms
  // without positions (WS, with the title's weight; and W: title words also count as article text, one
  // BM25 field as Anserini and Omega index title + body, whose statistics a title-only field would
  // distort).
  const IndexWeights& weights = index_weights();
  static constexpr std::string_view kTitlePrefix = schema::kTitle;
  std::vector<Token> title = article.title ? analyzer_.analyze(*article.title, 1) : std::vector<Token>{};
  const uint32_t subtitle_first = title.empty() ? 1 : title.back().position + kFieldGap;
  std::vector<Token> subtitle =
      article.subtitle ? analyzer_.analyze(*article.subtitle, subtitle_first) : std::vector<Token>{};
  for (const auto* tokens : {&title, &subtitle}) {
    out.length += add_text(doc, analyzer_, *tokens, schema::kArticleTitle, weights.title, 0, &kTitlePrefix, &words);
    out.length += add_text(doc, analyzer_, *tokens, schema::kArticleText, weights.title_body, 0, nullptr, nullptr);
  }
}

template <class Doc>
std::string DocumentBuilder::add_passages(const Article& article, BuiltArticle& out, WordCollector& words,
                                          const std::vector<std::string>& texts, Doc& doc) const {
  static constexpr std::string_view kBodyPrefix = schema::kBody;
  JsonText passages;
  passages.reserve(json_room(article));
  passages.open_array();
  uint32_t start = 0;
  uint32_t last_offset = 0;
  // One vector for every passage: analyze() reserved room for each passage's words anew (a sixth of its
  // bytes, in tokens of a few dozen bytes), which cost more than the analysis of a short passage's words.
  std::vector<Token> tokens;
  std::vector<BodyWord> body;  // add_text()'s, for every passage
  for (const auto& passage : article.passages) {
    start = schema::next_passage_start(start, last_offset);
    tokens.clear();
    analyzer_.analyze_into(passage.text, tokens, 1);
    last_offset = tokens.empty() ? 0 : tokens.back().position;
    const uint64_t length = add_text(doc, analyzer_, tokens, schema::kArticleText, index_weights().body, start,
                                     &kBodyPrefix, &words, &out.stem_forms, &body);
    out.length += length;
    // The passage's speaker words just before it, one position each (schema.h "Positions").
    std::vector<std::string> speakers = non_empty(passage.speakers);
    Xapian::termpos at = start;
    for (const auto& w : name_words(speakers)) {
      if (start - at >= schema::kMaxSpeakerWords) break;
      doc.add_posting(schema::boolean_term(schema::kSpeakerWord, w), --at, 0);
    }
    passages.open_object();
    passages.key("text").raw(texts[out.passages]);  // out.passages: this passage's index until the loop's end
    passages.key("start").value(passage.begin);
    passages.key("end").value(passage.end);
    passages.key("speakers").value(speakers);
    passages.key("pos").value(start);
    passages.key("len").value(length);
    passages.close_object();
    out.text_bytes += passage.text.size();
    ++out.passages;
  }
  add_pending(doc, words, body, schema::kArticleText);
  std::sort(out.stem_forms.begin(), out.stem_forms.end());
  out.stem_forms.erase(std::unique(out.stem_forms.begin(), out.stem_forms.end()), out.stem_forms.end());
  return passages.close_array().take();
}

BuiltArticle DocumentBuilder::build(const Article& article, std::string_view source_file) const {
  BuiltArticle out;
  out.id = article.id;
  const std::vector<std::string> texts = json_texts(article);
  out.hash = hash_of(article, &texts);
  out.id_term = article_id_term(article.id);
  out.source_file = std::string(source_file);
  out.deferred = deferred_;
  if (deferred_) {
    fill(article, texts, out, out.recipe);
  } else {
    fill(article, texts, out, out.document);
  }
  return out;
}

template <class Doc>
void DocumentBuilder::fill(const Article& article, const std::vector<std::string>& texts, BuiltArticle& out,
                           Doc& doc) const {
  add_metadata(article, out, doc);
  WordCollector words;
  add_title(article, out, words, doc);
  const std::string passages = add_passages(article, out, words, texts, doc);
  out.spelling = words.spelling_words();
  JsonText data;
  data.reserve(passages.size() + kJsonRoom);
  data.open_object();
  common_data(data, article);
  data.key("speakers").value(article_speakers(article));
  if (!out.source_file.empty()) data.key("file").value(out.source_file);
  data.key("passages").raw(passages);
  doc.set_data(data.close_object().take());
  // Syndicated copies: the detection terms and signature, here in the reader threads (story_links.h);
  // the writer gives the story id.
  std::string text;
  text.reserve(out.text_bytes + 2 * article.passages.size());
  for (const auto& passage : article.passages) {
    if (!text.empty()) text += "\n\n";
    text += passage.text;
  }
  out.story_terms = stories::add_detection(doc, stories::sign(text));
}

}  // namespace dateline
