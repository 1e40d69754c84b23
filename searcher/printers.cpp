/** @file
 *  @brief Output backends: text, json, jsonl, tsv, ids, trec; plus --count and --info renderers.
 */
#include "searcher/printers.h"

#include <cstdio>
#include <set>

#include "analyzers/schema.h"
#include "articles/ids.h"
#include "base/terminal.h"
#include "base/utf8.h"
#include "searcher/name_groups.h"

namespace dateline {

namespace {

constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kMatch = "\x1b[1;31m";
constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kDot = " \xC2\xB7 ";  // " · "

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

template <typename T>
nlohmann::ordered_json opt(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json explain_json(const Explanation& ex) {
  nlohmann::ordered_json j;
  j["scoring"] = ex.scoring;
  j["weighting"] = ex.weighting;
  if (ex.scoring == "article") {
    j["article_score"] = ex.article_score;
    j["article_terms"] = ex.article_terms;
  }
  j["passage_score"] = ex.passage_score;
  j["passage_terms"] = ex.passage_terms;
  if (ex.scoring == "article") {
    j["proximity_bonus"] = ex.proximity_bonus;
    j["passage_query"] = ex.passage_query;
  }
  if (!ex.name_expansions.empty()) j["name_expansions"] = ex.name_expansions;
  j["query"] = ex.query;
  j["parsed"] = ex.parsed;
  return j;
}

nlohmann::ordered_json facets_json(const std::vector<FacetResult>& facets) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& f : facets) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    if (f.name == facet_name(FacetKind::kSpeaker)) {
      // One row per person (name_groups.h), its other spellings and forms as "variants".
      for (const NameRow& row : name_rows(f)) {
        nlohmann::ordered_json v = {{"value", row.value}, {"count", row.count}};
        if (!row.variants.empty()) v["variants"] = row.variants;
        values.push_back(std::move(v));
      }
    } else {
      for (const auto& v : f.values) values.push_back({{"value", v.value}, {"count", v.count}});
    }
    j[f.name] = std::move(values);
  }
  return j;
}

bool facets_exact(const std::vector<FacetResult>& facets) {
  for (const auto& f : facets) {
    if (!f.exact) return false;
  }
  return true;
}

// ---- text --------------------------------------------------------------------------------------

class TextPrinter : public Printer {
 public:
  TextPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}

  void begin(const SearchResult& result, const std::optional<std::string>& qid) override {
    last_rank_ = 0;
    if (options_.batch) {
      out_ << "== " << one_line(qid.value_or("")) << ": " << one_line(result.query)
           << '\n';
    }
  }

  void hit(const Hit& hit) override {
    std::string heading = hit.title ? one_line(*hit.title) : escape_id_bytes(hit.id);
    if (hit.outlet) heading += std::string(kDot) + one_line(*hit.outlet);
    if (hit.date) heading += std::string(kDot) + one_line(*hit.date);
    // More passages of the article above (--per-article) go under its heading, not as new hits.
    const bool same_article = hit.rank == last_rank_ && hit.id == last_id_;
    last_rank_ = hit.rank;
    last_id_ = hit.id;
    if (!same_article) {
      out_ << hit.rank << ". ";
      if (options_.colour) {
        out_ << kBold << heading << kReset << '\n';
      } else {
        out_ << heading << '\n';
      }
    }
    if (!hit.speakers.empty()) {
      std::string s;
      for (const auto& sp : hit.speakers) s += (s.empty() ? "" : ", ") + sp;
      out_ << "   speakers: " << one_line(s) << '\n';
    }
    if (hit.snippet) out_ << "   " << snippet_text(*hit.snippet) << '\n';
    if (!hit.copies.empty() && !same_article) {
      // "also in: Reuters, BBC News (+3)": the first outlets that ran the story too, then how many more.
      constexpr size_t kNamed = 3;
      std::string also;
      for (size_t i = 0; i < hit.copies.size() && i < kNamed; ++i)
        also += (i == 0 ? "" : ", ") + hit.copies[i].outlet.value_or(hit.copies[i].id);
      if (hit.copies.size() > kNamed) also += " (+" + std::to_string(hit.copies.size() - kNamed) + ")";
      out_ << "   also in: " << one_line(also) << '\n';
    }
    if (hit.explain) print_explain(hit, *hit.explain);
    out_ << '\n';
  }

  void facets(const std::vector<FacetResult>& facets) override {
    for (const auto& f : facets) {
      out_ << "facet " << f.name << (f.exact ? "" : " (sampled)") << ":\n";
      if (f.values.empty()) out_ << "  (none)\n";
      if (f.name == facet_name(FacetKind::kSpeaker)) {
        for (const NameRow& row : name_rows(f)) {
          out_ << "  " << row.count << "  " << one_line(row.value);
          for (size_t i = 0; i < row.variants.size(); ++i)
            out_ << (i == 0 ? "  (also " : ", ") << one_line(row.variants[i]) << (i + 1 == row.variants.size() ? ")" : "");
          out_ << '\n';
        }
        continue;
      }
      for (const auto& v : f.values) {
        out_ << "  " << v.count << "  " << one_line(v.value) << '\n';
      }
    }
  }

  // A closing line, as Omega's "1-10 of about 4,145 matches": how many articles match, which hits are shown.
  // Nothing matched: nothing on stdout, as grep (exit status 1 says it).
  void end(const SearchResult& result) override {
    if (result.hits.empty() && result.total == 0) {
      out_.flush();
      return;
    }
    out_ << (result.total_exact ? "" : "about ") << result.total << " matching article"
         << (result.total == 1 && result.total_exact ? "" : "s");
    if (!result.hits.empty() && result.hits.front().rank == result.hits.back().rank) {
      out_ << "; hit " << result.hits.front().rank << " shown";
    } else if (!result.hits.empty()) {
      out_ << "; hits " << result.hits.front().rank << '-' << result.hits.back().rank << " shown";
    }
    out_ << '\n';
    out_.flush();
  }

 private:
  size_t last_rank_ = 0;
  std::string last_id_;

  std::string snippet_text(const Snippet& s) const {
    if (!options_.colour || s.highlights.empty()) return one_line(s.text);
    std::string out;
    size_t pos = 0;  // byte offset
    for (const Highlight& h : s.highlights) {
      size_t b = code_point_to_byte(s.text, h.begin);
      size_t e = code_point_to_byte(s.text, h.end);
      if (b < pos || e < b) continue;
      out += one_line(std::string_view(s.text).substr(pos, b - pos));
      out += kMatch;
      out += one_line(std::string_view(s.text).substr(b, e - b));
      out += kReset;
      pos = e;
    }
    out += one_line(std::string_view(s.text).substr(pos));
    return out;
  }

  void print_explain(const Hit& hit, const Explanation& ex) {
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& t : v) s += (s.empty() ? "" : " ") + t;
      return s.empty() ? std::string("(none)") : s;
    };
    out_ << "   explain: score " << fixed(hit.score, 4) << " = ";
    if (ex.scoring == "article") {
      out_ << "article " << ex.weighting << " " << fixed(ex.article_score, 4)
           << " [terms: " << one_line(join(ex.article_terms)) << "]\n";
      out_ << "   passage " << (hit.passage ? std::to_string(*hit.passage) : std::string("-"))
           << " chosen with " << fixed(ex.passage_score, 4) << " (proximity bonus "
           << fixed(ex.proximity_bonus, 4) << ") [terms: " << one_line(join(ex.passage_terms))
           << "]\n";
    } else {
      out_ << "passage " << ex.weighting << " " << fixed(ex.passage_score, 4)
           << " [terms: " << one_line(join(ex.passage_terms)) << "]\n";
    }
    for (const auto& e : ex.name_expansions) out_ << "   spelling: " << one_line(e) << '\n';
    out_ << "   parsed: " << one_line(ex.parsed) << '\n';
    out_ << "   query: " << one_line(ex.query) << '\n';
  }

  std::ostream& out_;
  PrintOptions options_;
};

// ---- json --------------------------------------------------------------------------------------

class JsonPrinter : public Printer {
 public:
  JsonPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}

  void begin(const SearchResult& result, const std::optional<std::string>& qid) override {
    doc_ = nlohmann::ordered_json::object();
    doc_["schema_version"] = kJsonSchemaVersion;
    if (qid) doc_["qid"] = *qid;
    doc_["query"] = result.query;
    doc_["total"] = {{"value", result.total}, {"exact", result.total_exact}};
    if (result.stories) doc_["total"]["stories"] = *result.stories;
    doc_["hits"] = nlohmann::ordered_json::array();
  }

  void hit(const Hit& hit) override { doc_["hits"].push_back(hit_json(hit)); }

  void facets(const std::vector<FacetResult>& facets) override {
    doc_["facets"] = facets_json(facets);
    if (!facets.empty()) doc_["facets_exact"] = facets_exact(facets);
  }

  void end(const SearchResult& result) override {
    if (result.suggestion) doc_["suggestion"] = *result.suggestion;
    if (result.partial()) {
      doc_["partial"] = true;  // the query budget cut the work (absent for a complete answer)
      doc_["warnings"] = result.warnings;
    }
    out_ << dump_json(doc_, options_.pretty) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  PrintOptions options_;
  nlohmann::ordered_json doc_;
};

// ---- jsonl -------------------------------------------------------------------------------------

class JsonlPrinter : public Printer {
 public:
  explicit JsonlPrinter(std::ostream& out) : out_(out) {}
  void begin(const SearchResult& /*result*/, const std::optional<std::string>& qid) override { qid_ = qid; }
  void hit(const Hit& hit) override {
    nlohmann::ordered_json j;
    j["type"] = "hit";
    if (qid_) j["qid"] = *qid_;
    const nlohmann::ordered_json fields = hit_json(hit);  // named: items() must not outlive a temporary
    for (const auto& [k, v] : fields.items()) j[k] = v;
    out_ << dump_json(j) << '\n';
  }
  void facets(const std::vector<FacetResult>& /*facets*/) override {}
  void end(const SearchResult& /*result*/) override { out_.flush(); }

 private:
  std::ostream& out_;
  std::optional<std::string> qid_;
};

// ---- tsv ---------------------------------------------------------------------------------------

class TsvPrinter : public Printer {
 public:
  TsvPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}
  void begin(const SearchResult& /*result*/, const std::optional<std::string>& qid) override {
    qid_ = qid;
    if (!header_done_) {
      out_ << (options_.batch ? "qid\t" : "") << "rank\tscore\tid\tdate\toutlet\ttitle\tpassage\tsnippet\n";
      header_done_ = true;
    }
  }
  void hit(const Hit& hit) override {
    if (options_.batch) out_ << escape_tsv(qid_.value_or("")) << '\t';
    out_ << hit.rank << '\t' << fixed(hit.score, 4) << '\t' << escape_tsv(hit.id) << '\t'
         << escape_tsv(hit.date.value_or("")) << '\t' << escape_tsv(hit.outlet.value_or("")) << '\t'
         << escape_tsv(hit.title.value_or("")) << '\t' << (hit.passage ? std::to_string(*hit.passage) : "")
         << '\t' << escape_tsv(hit.snippet ? hit.snippet->text : "") << '\n';
  }
  void facets(const std::vector<FacetResult>& /*facets*/) override {}
  void end(const SearchResult& /*result*/) override { out_.flush(); }

 private:
  std::ostream& out_;
  PrintOptions options_;
  std::optional<std::string> qid_;
  bool header_done_ = false;
};

// ---- ids ---------------------------------------------------------------------------------------

class IdsPrinter : public Printer {
 public:
  IdsPrinter(std::ostream& out, const PrintOptions& options) : out_(out), options_(options) {}
  void begin(const SearchResult& /*result*/, const std::optional<std::string>& qid) override {
    qid_ = qid;
    seen_.clear();
  }
  void hit(const Hit& hit) override {
    if (!seen_.insert(hit.id).second) return;  // an article once, even with several passages
    // Control characters and invalid UTF-8 (only in ids of databases from before the id rule,
    // articles/ids.h) as \xNN, the form --delete accepts: one id, one line.
    if (options_.batch) out_ << escape_id_bytes(qid_.value_or("")) << '\t';
    out_ << escape_id_bytes(hit.id) << '\n';
  }
  void facets(const std::vector<FacetResult>& /*facets*/) override {}
  void end(const SearchResult& /*result*/) override { out_.flush(); }

 private:
  std::ostream& out_;
  PrintOptions options_;
  std::optional<std::string> qid_;
  std::set<std::string> seen_;
};

// ---- trec --------------------------------------------------------------------------------------

class TrecPrinter : public Printer {
 public:
  explicit TrecPrinter(std::ostream& out) : out_(out) {}
  void begin(const SearchResult& /*result*/, const std::optional<std::string>& qid) override {
    qid_ = qid.value_or("1");
    seen_.clear();
  }
  void hit(const Hit& hit) override {
    // TREC runs list each document once per topic: the article's best passage stands for it.
    if (!seen_.insert(hit.id).second) return;
    out_ << no_space(escape_id_bytes(qid_)) << " Q0 " << no_space(escape_id_bytes(hit.id)) << ' '
         << seen_.size() << ' ' << fixed(hit.score, 6) << " dateline\n";
  }
  void facets(const std::vector<FacetResult>& /*facets*/) override {}
  void end(const SearchResult& /*result*/) override { out_.flush(); }

 private:
  // TREC columns are whitespace-separated: a space inside an id would shift them, an empty one drop out.
  static std::string no_space(std::string s) {
    if (s.empty()) return "_";
    for (char& c : s) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '_';
    }
    return s;
  }
  std::ostream& out_;
  std::string qid_ = "1";
  std::set<std::string> seen_;
};

}  // namespace

void Printer::print(const SearchResult& result, const std::optional<std::string>& qid) {
  begin(result, qid);
  for (const Hit& h : result.hits) hit(h);
  facets(result.facets);
  end(result);
}

std::optional<Format> parse_format(std::string_view name) {
  if (name == "text") return Format::kText;
  if (name == "json") return Format::kJson;
  if (name == "jsonl") return Format::kJsonl;
  if (name == "tsv") return Format::kTsv;
  if (name == "ids") return Format::kIds;
  if (name == "trec") return Format::kTrec;
  return std::nullopt;
}

std::unique_ptr<Printer> make_printer(Format format, std::ostream& out, const PrintOptions& options) {
  switch (format) {
    case Format::kText:
      return std::make_unique<TextPrinter>(out, options);
    case Format::kJson:
      return std::make_unique<JsonPrinter>(out, options);
    case Format::kJsonl:
      return std::make_unique<JsonlPrinter>(out);
    case Format::kTsv:
      return std::make_unique<TsvPrinter>(out, options);
    case Format::kIds:
      return std::make_unique<IdsPrinter>(out, options);
    case Format::kTrec:
      return std::make_unique<TrecPrinter>(out);
  }
  return std::make_unique<TextPrinter>(out, options);
}

nlohmann::ordered_json hit_json(const Hit& hit) {
  nlohmann::ordered_json j;
  j["rank"] = hit.rank;
  j["score"] = hit.score;
  j["id"] = hit.id;
  j["path"] = opt(hit.path);
  j["title"] = opt(hit.title);
  j["outlet"] = opt(hit.outlet);
  j["date"] = opt(hit.date);
  j["author"] = opt(hit.author);
  if (hit.wire) j["wire"] = *hit.wire;  // only for wire copy: other hits' output is unchanged
  j["passage"] = opt(hit.passage);
  j["speakers"] = hit.speakers;
  j["text"] = opt(hit.text);
  if (hit.snippet) {
    j["snippet"] = hit.snippet->text;
    nlohmann::ordered_json hl = nlohmann::ordered_json::array();
    for (const auto& h : hit.snippet->highlights) hl.push_back({h.begin, h.end});
    j["highlights"] = std::move(hl);
  } else {
    j["snippet"] = nullptr;
    j["highlights"] = nlohmann::ordered_json::array();
  }
  if (!hit.copies.empty()) {
    nlohmann::ordered_json copies = nlohmann::ordered_json::array();
    for (const auto& c : hit.copies) copies.push_back({{"id", c.id}, {"outlet", opt(c.outlet)}, {"date", opt(c.date)}});
    j["copies"] = std::move(copies);
  }
  if (hit.explain) j["explain"] = explain_json(*hit.explain);
  return j;
}

std::string dump_json(const nlohmann::ordered_json& j, bool pretty) {
  return j.dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string escape_tsv(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 && utf8::sequence_length(field, i) == 0) {
      // A byte of invalid UTF-8 (0x9B alone is CSI on some terminals): \xNN, as in ids.
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", b);
      out += buf;
      continue;
    }
    if (b >= 0xC2 && !(b == 0xC2 && static_cast<unsigned char>(field[i + 1]) < 0xA0)) {
      size_t n = utf8::sequence_length(field, i);  // a whole valid character other than C1: as it is
      out.append(field.substr(i, n));
      i += n - 1;
      continue;
    }
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        // Other controls (ESC, BEL, DEL, C1 U+0080..U+009F) as backslash escapes too: TSV often ends on a
        // terminal, where raw ESC sequences from an article could retitle or recolour it.
        if (b < 0x20 || b == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", b);
          out += buf;
        } else if (b == 0xC2 && i + 1 < field.size() && static_cast<unsigned char>(field[i + 1]) < 0xA0 &&
                   static_cast<unsigned char>(field[i + 1]) >= 0x80) {
          char buf[12];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(field[i + 1]));
          out += buf;
          ++i;
        } else {
          out += c;
        }
    }
  }
  return out;
}

void print_count(std::ostream& out, Format format, const std::string& query, uint64_t count, bool exact,
                 const std::optional<std::string>& qid, bool batch) {
  if (format == Format::kJson || format == Format::kJsonl) {
    nlohmann::ordered_json j;
    if (format == Format::kJsonl) j["type"] = "count";
    j["schema_version"] = kJsonSchemaVersion;
    if (qid) j["qid"] = *qid;
    j["query"] = query;
    j["total"] = {{"value", count}, {"exact", exact}};
    out << dump_json(j) << '\n';
  } else {
    if (batch) out << escape_id_bytes(qid.value_or("")) << '\t';
    out << count << '\n';
  }
  out.flush();
}

void print_list(std::ostream& out, Format format, const std::vector<FacetCount>& values) {
  if (format == Format::kJson || format == Format::kJsonl) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& v : values) {
      nlohmann::ordered_json j{{"value", v.value}, {"count", v.count}};
      if (format == Format::kJsonl) {
        out << dump_json(j) << '\n';
      } else {
        all.push_back(std::move(j));
      }
    }
    if (format == Format::kJson) out << dump_json(all) << '\n';
    out.flush();
    return;
  }
  if (format == Format::kTsv) out << "value\tcount\n";
  for (const auto& v : values) {
    out << escape_tsv(v.value);
    if (format != Format::kIds) out << '\t' << v.count;
    out << '\n';
  }
  out.flush();
}

namespace {

nlohmann::ordered_json or_null(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

// The article's fields added to `j` (after what it holds).
nlohmann::ordered_json story_article_json(const stories::StoryArticle& a, bool score,
                                          nlohmann::ordered_json j = nlohmann::ordered_json::object()) {
  j["id"] = a.id;
  j["outlet"] = or_null(a.outlet);
  j["date"] = or_null(a.date);
  j["title"] = or_null(a.title);
  if (score) j["score"] = a.score;
  return j;
}

// "DATE  OUTLET  ID  TITLE" (and the score first when given), each field escaped as in TSV.
void story_article_line(std::ostream& out, const stories::StoryArticle& a, bool score) {
  if (score) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%7.3f  ", a.score);
    out << buf;
  }
  out << (a.date.empty() ? std::string("(no date)") : escape_tsv(a.date)) << "  "
      << (a.outlet.empty() ? std::string("(no outlet)") : escape_tsv(a.outlet)) << "  " << escape_tsv(a.id);
  if (!a.title.empty()) out << "  " << escape_tsv(a.title);
  out << '\n';
}

void story_article_tsv(std::ostream& out, const stories::StoryArticle& a, bool score) {
  out << escape_tsv(a.id);
  if (score) out << '\t' << a.score;
  out << '\t' << escape_tsv(a.outlet) << '\t' << escape_tsv(a.date) << '\t' << escape_tsv(a.title) << '\n';
}

}  // namespace

void print_story(std::ostream& out, Format format, const stories::Story& story) {
  if (format == Format::kJson) {
    nlohmann::ordered_json copies = nlohmann::ordered_json::array();
    for (const auto& c : story.copies) copies.push_back(story_article_json(c, false));
    nlohmann::ordered_json j{{"schema_version", kJsonSchemaVersion}, {"article", story.article},
                             {"story", story.story}, {"copies", std::move(copies)}};
    out << dump_json(j) << '\n';
  } else if (format == Format::kJsonl) {
    for (const auto& c : story.copies) {
      out << dump_json(story_article_json(c, false, {{"type", "copy"}, {"story", story.story}})) << '\n';
    }
  } else if (format == Format::kTsv) {
    out << "id\toutlet\tdate\ttitle\n";
    for (const auto& c : story.copies) story_article_tsv(out, c, false);
  } else if (format == Format::kIds) {
    for (const auto& c : story.copies) out << escape_tsv(c.id) << '\n';
  } else {
    out << "story " << escape_tsv(story.story) << ": " << story.copies.size()
        << (story.copies.size() == 1 ? " copy" : " copies") << '\n';
    for (const auto& c : story.copies) story_article_line(out, c, false);
  }
  out.flush();
}

void print_like(std::ostream& out, Format format, std::string_view article,
                const std::vector<stories::StoryArticle>& hits) {
  if (format == Format::kJson) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const auto& h : hits) all.push_back(story_article_json(h, true));
    nlohmann::ordered_json j{{"schema_version", kJsonSchemaVersion}, {"article", std::string(article)},
                             {"hits", std::move(all)}};
    out << dump_json(j) << '\n';
  } else if (format == Format::kJsonl) {
    for (const auto& h : hits) {
      out << dump_json(story_article_json(h, true, {{"type", "hit"}, {"article", std::string(article)}}))
          << '\n';
    }
  } else if (format == Format::kTsv) {
    out << "id\tscore\toutlet\tdate\ttitle\n";
    for (const auto& h : hits) story_article_tsv(out, h, true);
  } else if (format == Format::kIds) {
    for (const auto& h : hits) out << escape_tsv(h.id) << '\n';
  } else {
    for (const auto& h : hits) story_article_line(out, h, true);
  }
  out.flush();
}

void print_info(std::ostream& out, Format format, const DatabaseInfo& info) {
  if (format == Format::kJson || format == Format::kJsonl) {
    nlohmann::ordered_json j;
    if (format == Format::kJsonl) j["type"] = "info";
    j["schema_version"] = kJsonSchemaVersion;
    j["path"] = info.path;
    j["index_schema_version"] = info.schema_version;
    j["analyzer"] = info.analyzer;
    j["documents"] = info.documents;
    j["articles"] = info.articles;
    j["passages"] = info.passages;
    nlohmann::ordered_json outlets = nlohmann::ordered_json::array();
    for (const auto& o : info.outlets) outlets.push_back({{"value", o.value}, {"count", o.count}});
    j["outlets"] = std::move(outlets);
    j["speakers"] = info.speakers;
    j["authors"] = info.authors;
    j["first_date"] = opt(info.first_date);
    j["last_date"] = opt(info.last_date);
    j["undated"] = info.undated;
    if (!info.shards.empty()) {
      nlohmann::ordered_json shards = nlohmann::ordered_json::array();
      for (const auto& s : info.shards) {
        nlohmann::ordered_json one{{"name", s.name}, {"kind", s.kind}, {"open", s.open}};
        if (s.open) {
          one["articles"] = s.articles;
          one["documents"] = s.documents;
          one["index_schema_version"] = s.schema_version;
          one["analyzer"] = s.analyzer;
        } else {
          one["error"] = s.error;
        }
        shards.push_back(std::move(one));
      }
      j["shards"] = std::move(shards);
    }
    out << dump_json(j) << '\n';
    out.flush();
    return;
  }
  out << "database: " << one_line(info.path) << '\n';
  out << "schema version: " << info.schema_version << '\n';
  out << "analyzer: " << one_line(info.analyzer) << '\n';
  out << "articles: " << info.articles << '\n';
  out << "passages: " << info.passages << '\n';
  out << "dates: ";
  if (info.first_date) {
    out << *info.first_date << " .. " << info.last_date.value_or("?");
  } else {
    out << "none";
  }
  out << " (" << info.undated << " undated)\n";
  out << "speakers: " << info.speakers << " distinct\n";
  out << "authors: " << info.authors << " distinct\n";
  out << "outlets: " << info.outlets.size() << '\n';
  for (const auto& o : info.outlets) out << "  " << o.count << "  " << one_line(o.value) << '\n';
  if (!info.shards.empty()) out << "shards: " << info.shards.size() << '\n';
  for (const auto& s : info.shards) {
    out << "  " << one_line(s.name) << " (" << s.kind << "): ";
    if (s.open) {
      out << s.articles << " articles, " << s.documents << " documents, schema " << s.schema_version << '\n';
    } else {
      out << "cannot open: " << one_line(s.error) << '\n';
    }
  }
  out.flush();
}

std::string error_json(size_t line, const std::optional<std::string>& qid, const std::string& message,
                       std::optional<size_t> column) {
  nlohmann::ordered_json j;
  j["type"] = "error";
  j["line"] = line;
  j["qid"] = opt(qid);
  j["message"] = message;
  j["column"] = opt(column);
  return dump_json(j);
}

size_t code_point_to_byte(std::string_view text, size_t cp) {
  return utf8::offset_of(text, cp);
}

}  // namespace dateline
