/** @file
 *  @brief Article -> its Xapian document following analyzers/schema.h: terms, positions, values, data.
 */
#include "indexer/document_builder.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "analyzers/schema.h"
#include "base/experiments.h"
#include "base/utf8.h"
#include "indexer/story_links.h"

namespace dateline {

namespace {

using Json = nlohmann::ordered_json;

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

void put(Json& j, const char* key, const std::optional<std::string>& value) {
  if (value) j[key] = *value;
}

std::string dump(const Json& j) {
  // The reader repairs UTF-8, but a record from elsewhere must never make the dump throw.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The fields every document of an article shares (schema.h "Document data").
Json common_data(const Article& a) {
  Json j;
  j["id"] = a.id;
  j["path"] = a.path;
  put(j, "title", a.title);
  put(j, "subtitle", a.subtitle);
  put(j, "outlet", a.outlet);
  put(j, "date", a.date);
  put(j, "author", a.author);
  put(j, "wire", a.wire);
  put(j, "url", a.url);
  return j;
}

// Adds one analysed text to the article document: its ranking terms under `rank_prefix` (the stem or,
// for a word without one, the word itself), leaving out the language's stop words (as Lucene's
// EnglishAnalyzer does for BM25), with the token's position + `offset` when `offset` is not 0; and,
// when `exact_prefix` is given, every word's exact form with its position + `offset`, weight 0.
// Returns the wdf added (the document's length grows by it).
uint64_t add_text(Xapian::Document& doc, const Analyzer& analyzer, const std::vector<Token>& tokens,
                  std::string_view rank_prefix, unsigned weight, uint32_t offset,
                  const std::string_view* exact_prefix, std::set<std::string>* spelling) {
  std::string term(rank_prefix);
  std::string exact = exact_prefix != nullptr ? std::string(*exact_prefix) : std::string();
  const size_t exact_size = exact.size();
  uint64_t added = 0;
  for (const auto& tok : tokens) {
    if (tok.term.empty()) continue;
    const Xapian::termpos pos = offset + tok.position;
    if (exact_prefix != nullptr && exact_size + tok.term.size() <= kMaxIndexTermBytes) {
      exact.resize(exact_size);
      exact += tok.term;
      doc.add_posting(exact, pos, 0);
      if (spelling != nullptr && is_spelling_word(tok.term)) spelling->insert(tok.term);
    }
    if (weight == 0) continue;
    const std::string& word = tok.stem.empty() ? tok.term : tok.stem;
    if (rank_prefix.size() + word.size() > kMaxIndexTermBytes) continue;
    if (analyzer.is_stop_word(tok.term)) continue;
    term.resize(rank_prefix.size());
    term += word;
    if (offset != 0) {
      doc.add_posting(term, pos, weight);
    } else {
      doc.add_term(term, weight);
    }
    added += weight;
  }
  return added;
}

}  // namespace

std::string article_id_term(std::string_view id) {
  return id_based_term(schema::kArticleId, id, "");
}

std::string unique_term(std::string_view id, uint64_t passage) {
  std::string suffix = "#";
  suffix += std::to_string(passage);
  return id_based_term(schema::kUnique, id, suffix);
}

std::string article_record_json(const Article& article) {
  Json j;
  j["type"] = "article";
  Json common = common_data(article);
  for (auto& [k, v] : common.items()) j[k] = v;
  put(j, "language", article.language);
  if (!article.sources.empty()) {
    Json sources = Json::object();
    for (const auto& [field, source] : article.sources) sources[field] = source;
    j["sources"] = std::move(sources);
  }
  j["speakers"] = article_speakers(article);
  if (!article.provenance.empty()) {
    Json prov = Json::object();
    for (const char* field : {"title", "date", "outlet", "wire", "author"}) {
      auto it = article.provenance.find(field);
      if (it == article.provenance.end()) continue;
      prov[field] = Json{{"line", it->second.line}, {"text", it->second.text}};
    }
    j["provenance"] = std::move(prov);
  }
  Json passages = Json::array();
  uint64_t n = 0;
  for (const auto& p : article.passages) {
    Json pj;
    pj["passage"] = ++n;
    pj["text"] = p.text;
    pj["start"] = p.begin;
    pj["end"] = p.end;
    pj["speakers"] = non_empty(p.speakers);
    passages.push_back(std::move(pj));
  }
  j["passages"] = std::move(passages);
  return dump(j);
}

std::string article_hash(const Article& article) {
  XXH3_state_t* state = XXH3_createState();
  XXH3_64bits_reset(state);
  XXH3_64bits_update(state, article.content_hash.data(), article.content_hash.size());
  XXH3_64bits_update(state, "\n", 1);
  std::string record = article_record_json(article);
  XXH3_64bits_update(state, record.data(), record.size());
  // The layout version is part of the hash: a new schema re-indexes everything it reads.
  std::string version = "\nschema=" + std::to_string(schema::kVersion);
  XXH3_64bits_update(state, version.data(), version.size());
  uint64_t h = XXH3_64bits_digest(state);
  XXH3_freeState(state);
  return hex16(h);
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

DocumentBuilder::DocumentBuilder(const Analyzer& analyzer)
    : analyzer_(analyzer) {}

std::set<std::string> DocumentBuilder::name_words(const std::vector<std::string>& names) const {
  std::set<std::string> words;
  for (const auto& name : names) {
    for (const auto& tok : analyzer_.analyze(name)) {
      if (!tok.term.empty()) words.insert(tok.term);
    }
  }
  return words;
}

void DocumentBuilder::add_metadata(const Article& article, BuiltArticle& out) const {
  Xapian::Document& doc = out.document;
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

void DocumentBuilder::add_title(const Article& article, BuiltArticle& out) const {
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
    out.length += add_text(out.document, analyzer_, *tokens, schema::kArticleTitle, weights.title, 0,
                           &kTitlePrefix, &out.spelling);
    out.length +=
        add_text(out.document, analyzer_, *tokens, schema::kArticleText, weights.title_body, 0, nullptr, nullptr);
  }
}

nlohmann::ordered_json DocumentBuilder::add_passages(const Article& article, BuiltArticle& out) const {
  static constexpr std::string_view kBodyPrefix = schema::kBody;
  Xapian::Document& doc = out.document;
  Json passages = Json::array();
  uint32_t start = 0;
  uint32_t last_offset = 0;
  for (const auto& passage : article.passages) {
    start = schema::next_passage_start(start, last_offset);
    std::vector<Token> tokens = analyzer_.analyze(passage.text, 1);
    last_offset = tokens.empty() ? 0 : tokens.back().position;
    const uint64_t length = add_text(doc, analyzer_, tokens, schema::kArticleText, index_weights().body, start,
                                     &kBodyPrefix, &out.spelling);
    out.length += length;
    // The passage's speaker words just before it, one position each (schema.h "Positions").
    std::vector<std::string> speakers = non_empty(passage.speakers);
    Xapian::termpos at = start;
    for (const auto& w : name_words(speakers)) {
      if (start - at >= schema::kMaxSpeakerWords) break;
      doc.add_posting(schema::boolean_term(schema::kSpeakerWord, w), --at, 0);
    }
    Json pj;
    pj["text"] = passage.text;
    pj["start"] = passage.begin;
    pj["end"] = passage.end;
    pj["speakers"] = speakers;
    pj["pos"] = start;
    pj["len"] = length;
    passages.push_back(std::move(pj));
    out.text_bytes += passage.text.size();
    ++out.passages;
  }
  return passages;
}

BuiltArticle DocumentBuilder::build(const Article& article, std::string_view source_file) const {
  BuiltArticle out;
  out.id = article.id;
  out.hash = article_hash(article);
  out.id_term = article_id_term(article.id);
  out.source_file = std::string(source_file);
  add_metadata(article, out);
  add_title(article, out);
  Json data = common_data(article);
  data["speakers"] = article_speakers(article);
  if (!out.source_file.empty()) data["file"] = out.source_file;
  data["passages"] = add_passages(article, out);
  out.document.set_data(dump(data));
  // Syndicated copies: the detection terms and signature, here in the reader threads (story_links.h);
  // the writer gives the story id.
  std::string text;
  for (const auto& passage : article.passages) {
    if (!text.empty()) text += "\n\n";
    text += passage.text;
  }
  stories::add_detection(out.document, stories::sign(text));
  return out;
}

}  // namespace dateline
