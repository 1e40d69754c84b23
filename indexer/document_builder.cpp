/** @file
 *  @brief Article -> Xapian documents following analyzers/schema.h: terms, positions, values, data.
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
#include "base/utf8.h"

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

// Adds one analysed text to a passage document: unstemmed positional terms and Z-prefixed stems, and
// collects its spelling words.
class TermAdder {
 public:
  TermAdder(Xapian::Document& doc, std::set<std::string>& spelling) : doc_(doc), spelling_(spelling) {}

  /// Returns the wdf added (the document's length grows by it).
  uint64_t add(const std::vector<Token>& tokens, std::string_view prefix, unsigned weight) {
    std::string stem_prefix = std::string(schema::kStemmed) + std::string(prefix);
    uint64_t added = 0;
    for (const auto& tok : tokens) {
      if (tok.term.empty() || prefix.size() + tok.term.size() > kMaxIndexTermBytes) continue;
      doc_.add_posting(std::string(prefix) + tok.term, tok.position, weight);
      added += weight;
      if (!tok.stem.empty() && stem_prefix.size() + tok.stem.size() <= kMaxIndexTermBytes) {
        doc_.add_term(stem_prefix + tok.stem, weight);
        added += weight;
      }
      if (is_spelling_word(tok.term)) spelling_.insert(tok.term);
    }
    return added;
  }

 private:
  Xapian::Document& doc_;
  std::set<std::string>& spelling_;
};

// Adds one analysed text to an article document: one term per word under `prefix`, the stem or, for a
// word without one, the word itself (schema::kArticleText), leaving out the language's stop words (as
// Lucene's EnglishAnalyzer does for BM25). No positions and no spelling words: passage documents carry
// both. Returns the wdf added (the document's length grows by it).
uint64_t add_article_terms(Xapian::Document& doc, const Analyzer& analyzer, const std::vector<Token>& tokens,
                           std::string_view prefix, unsigned weight) {
  std::string term(prefix);
  uint64_t added = 0;
  for (const auto& tok : tokens) {
    const std::string& word = tok.stem.empty() ? tok.term : tok.stem;
    if (word.empty() || prefix.size() + word.size() > kMaxIndexTermBytes) continue;
    if (analyzer.is_stop_word(tok.term)) continue;
    term.resize(prefix.size());
    term += word;
    doc.add_term(term, weight);
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

DocumentBuilder::DocumentBuilder(const Analyzer& analyzer)
    : analyzer_(analyzer) {}

BuiltArticle DocumentBuilder::build(const Article& article, std::string_view source_file) const {
  BuiltArticle out;
  out.id = article.id;
  out.hash = article_hash(article);
  out.id_term = article_id_term(article.id);
  out.source_file = std::string(source_file);

  // DATELINE_TITLE_WDF: relevance ablations only (bench/relevance); the schema's weight otherwise.
  static const unsigned kTitleWeight = [] {
    const char* env = std::getenv("DATELINE_TITLE_WDF");  // NOLINT(concurrency-mt-unsafe): read-only
    const unsigned schema_weight = schema::find_field("title")->weight;
    if (env == nullptr || *env < '1' || *env > '9') return schema_weight;
    return static_cast<unsigned>(std::strtoul(env, nullptr, 10));
  }();
  static const unsigned kBodyWeight = schema::find_field("text")->weight;
  // wdf of a title word among the article document's body terms (see below). DATELINE_TITLE_BODY_WDF
  // (0-9) overrides it for relevance ablations only.
  static const unsigned kTitleBodyWeight = [] {
    const char* env = std::getenv("DATELINE_TITLE_BODY_WDF");  // NOLINT(concurrency-mt-unsafe): read-only
    if (env == nullptr || *env < '0' || *env > '9') return schema::kTitleBodyWeight;
    return static_cast<unsigned>(std::strtoul(env, nullptr, 10));
  }();

  // Analyse the shared parts once.
  std::vector<Token> title_tokens =
      article.title ? analyzer_.analyze(*article.title, 1) : std::vector<Token>{};
  uint32_t subtitle_first = 1;
  if (!title_tokens.empty()) subtitle_first = title_tokens.back().position + kFieldGap;
  std::vector<Token> subtitle_tokens =
      article.subtitle ? analyzer_.analyze(*article.subtitle, subtitle_first) : std::vector<Token>{};

  auto name_words = [&](const std::vector<std::string>& names) {
    std::set<std::string> words;
    for (const auto& name : names) {
      for (const auto& tok : analyzer_.analyze(name)) {
        if (!tok.term.empty()) words.insert(tok.term);
      }
    }
    return words;
  };

  std::vector<std::string> authors = split_authors(article.author);
  std::vector<std::string> all_speakers = article_speakers(article);
  std::set<std::string> all_speaker_words = name_words(all_speakers);
  std::set<std::string> author_words = name_words(authors);
  std::set<std::string> outlet_words =
      article.outlet ? name_words({*article.outlet}) : std::set<std::string>{};

  std::string date_compact = article.date ? compact_date(*article.date) : std::string();
  if (article.date && date_compact.empty()) {
    out.warnings.push_back("date \"" + *article.date + "\" is not YYYY-MM-DD; left out of the date terms");
  }

  // Terms and values every document of the article carries.
  auto add_shared = [&](BuiltDocument& bd, const std::vector<std::string>& speakers,
                        const std::set<std::string>& speaker_words) {
    Xapian::Document& doc = bd.document;
    doc.add_boolean_term(out.id_term);
    if (article.outlet && !article.outlet->empty()) {
      doc.add_boolean_term(schema::boolean_term(schema::kOutlet, *article.outlet));
      doc.add_value(schema::kSlotOutlet, *article.outlet);
    }
    for (const auto& w : outlet_words) doc.add_boolean_term(schema::boolean_term(schema::kOutletWord, w));
    if (article.wire && !article.wire->empty())
      doc.add_boolean_term(schema::boolean_term(schema::kWire, *article.wire));
    for (const auto& a : authors) doc.add_boolean_term(schema::boolean_term(schema::kAuthor, a));
    for (const auto& w : author_words) doc.add_boolean_term(schema::boolean_term(schema::kAuthorWord, w));
    if (!authors.empty()) doc.add_value(schema::kSlotAuthor, join(authors, '\n'));
    for (const auto& s : speakers) doc.add_boolean_term(schema::boolean_term(schema::kSpeaker, s));
    for (const auto& w : speaker_words) doc.add_boolean_term(schema::boolean_term(schema::kSpeakerWord, w));
    if (!speakers.empty()) doc.add_value(schema::kSlotSpeakers, join(speakers, '\n'));
    if (!date_compact.empty()) {
      doc.add_boolean_term(std::string(schema::kYear) + date_compact.substr(0, 4));
      if (date_compact.size() >= 6)
        doc.add_boolean_term(std::string(schema::kMonth) + date_compact.substr(0, 6));
      if (date_compact.size() == 8) doc.add_boolean_term(std::string(schema::kDay) + date_compact);
      doc.add_value(schema::kSlotDate, date_compact);
    }
    doc.add_value(schema::kSlotArticleId, article.id);
  };

  // The article document first: its own ranking terms (schema::kArticleText, kArticleTitle), no positions.
  out.documents.emplace_back();
  {
    BuiltDocument& bd = out.documents.back();
    add_shared(bd, all_speakers, all_speaker_words);
    Xapian::Document& doc = bd.document;
    bd.length += add_article_terms(doc, analyzer_, title_tokens, schema::kArticleTitle, kTitleWeight);
    bd.length += add_article_terms(doc, analyzer_, subtitle_tokens, schema::kArticleTitle, kTitleWeight);
    doc.add_boolean_term(std::string(schema::kKindArticle));
    doc.add_boolean_term(unique_term(article.id, 0));
    doc.add_value(schema::kSlotPassage, Xapian::sortable_serialise(0));
    doc.add_value(schema::kSlotHash, out.hash);
    Json data = common_data(article);
    data["passage"] = 0;
    data["passages"] = article.passages.size();
    data["speakers"] = all_speakers;
    if (!out.source_file.empty()) data["file"] = out.source_file;
    doc.set_data(dump(data));
    // Title and subtitle words also count as article text (one BM25 field, as Anserini and Omega
    // index title + body): scored queries rank articles on article text, whose statistics a title-only
    // field (few, short) would distort. The kArticleTitle terms above are the headline bonus.
    bd.length += add_article_terms(doc, analyzer_, title_tokens, schema::kArticleText, kTitleBodyWeight);
    bd.length += add_article_terms(doc, analyzer_, subtitle_tokens, schema::kArticleText, kTitleBodyWeight);
  }

  uint64_t n = 0;
  for (const auto& passage : article.passages) {
    ++n;
    std::vector<Token> tokens = analyzer_.analyze(passage.text, 1);
    std::vector<std::string> speakers = non_empty(passage.speakers);
    std::set<std::string> speaker_words = name_words(speakers);

    BuiltDocument bd;
    add_shared(bd, speakers, speaker_words);
    Xapian::Document& doc = bd.document;
    TermAdder adder(doc, bd.spelling);
    bd.length += adder.add(title_tokens, schema::kTitle, kTitleWeight);
    bd.length += adder.add(subtitle_tokens, schema::kTitle, kTitleWeight);
    bd.length += adder.add(tokens, schema::kBody, kBodyWeight);
    doc.add_boolean_term(std::string(schema::kKindPassage));
    doc.add_value(schema::kSlotPassage, Xapian::sortable_serialise(static_cast<double>(n)));
    Json data = common_data(article);
    data["passage"] = n;
    data["text"] = passage.text;
    data["start"] = passage.begin;
    data["end"] = passage.end;
    data["speakers"] = speakers;
    doc.set_data(dump(data));

    // The same words as article text on the article document.
    BuiltDocument& article_doc = out.documents.front();
    article_doc.length +=
        add_article_terms(article_doc.document, analyzer_, tokens, schema::kArticleText, kBodyWeight);

    out.text_bytes += passage.text.size();
    out.documents.push_back(std::move(bd));
  }
  out.passages = n;
  return out;
}

}  // namespace dateline
