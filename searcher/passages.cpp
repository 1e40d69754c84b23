/** @file
 *  @brief Best passages of an article from the positions of the query's words (passages.h).
 */
#include "searcher/passages.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "analyzers/schema.h"
#include "searcher/ranking.h"

namespace dateline {

namespace {

// The passage (0-based) a position lies in, or -1 (title, or between passages).
int passage_of(const std::vector<PassageSpan>& passages, Xapian::termpos pos) {
  auto it = std::upper_bound(passages.begin(), passages.end(), pos,
                             [](Xapian::termpos p, const PassageSpan& s) { return p < s.start; });
  if (it == passages.begin()) return -1;
  return static_cast<int>(it - passages.begin()) - 1;
}

// The indexer leaves out terms longer than this, prefix included (indexer/document_builder.h
// kMaxIndexTermBytes; the searcher does not link the indexer). The analyzer drops words over 64 bytes,
// so no word reaches it today.
constexpr size_t kMaxIndexTermBytes = 240;

// Lucene's BM25 idf: always positive, so a word in most articles still counts a little.
double idf(double articles, double freq) {
  return std::log(1.0 + (articles - freq + 0.5) / (freq + 0.5));
}

}  // namespace

std::vector<Xapian::termpos> DocumentPositions::positions(const std::string& term) const {
  if (query_ != nullptr) {
    if (const auto it = query_->forms.find(term); it != query_->forms.end()) {
      std::vector<Xapian::termpos> out;
      for (const std::string& form : it->second) {
        if (const auto docs = query_->form_docs.find(form);
            docs != query_->form_docs.end() && !std::binary_search(docs->second.begin(), docs->second.end(), did_)) {
          continue;  // a rare form this document does not hold
        }
        const std::vector<Xapian::termpos>& more = read(form);
        out.insert(out.end(), more.begin(), more.end());
      }
      std::sort(out.begin(), out.end());  // the forms' positions never coincide (one word per position)
      return out;
    }
  }
  return read(term);
}

const std::vector<Xapian::termpos>& DocumentPositions::read(const std::string& term) const {
  auto [it, added] = read_.try_emplace(term);
  if (!added) return it->second;  // the word's exact form is one of its ranking term's forms too
  try {
    for (auto p = db_.positionlist_begin(did_, term); p != db_.positionlist_end(did_, term); ++p) it->second.push_back(*p);
  } catch (const Xapian::RangeError&) {
    // Not in this document.
  }
  return it->second;
}

TextPositions::TextPositions(const std::vector<PassageText>& passages, const Analyzer& analyzer,
                             const PassageQuery& query) {
  // Only the query's terms are kept: an empty list marks a term wanted.
  for (const auto& terms : query.words) {
    for (const auto& t : terms) positions_[t];
  }
  for (const auto& alternative : query.speakers) {
    for (const auto& spellings : alternative) {
      for (const auto& t : spellings) positions_[t];
    }
  }
  for (const auto& g : query.groups) {
    for (const auto& t : g.terms) positions_[t];
  }
  if (positions_.empty()) return;
  const std::string body(schema::kBody);
  const std::string rank(schema::kArticleText);
  auto note = [this](const std::string& term, Xapian::termpos pos) {
    auto it = positions_.find(term);
    if (it != positions_.end()) it->second.push_back(pos);
  };
  std::string term;
  std::vector<Token> tokens;
  for (const PassageText& p : passages) {
    // As DocumentBuilder::add_passages() and add_text().
    tokens.clear();
    analyzer.analyze_into(p.text, tokens, 1);
    for (const Token& tok : tokens) {
      if (tok.term.empty()) continue;
      const Xapian::termpos pos = p.start + tok.position;
      if (body.size() + tok.term.size() <= kMaxIndexTermBytes) {
        term = body;
        term += tok.term;
        note(term, pos);
      }
      const std::string& word = tok.stem.empty() ? tok.term : tok.stem;
      if (rank.size() + word.size() > kMaxIndexTermBytes || analyzer.is_stop_word(tok.term)) continue;
      term = rank;
      term += word;
      note(term, pos);
    }
    // The speakers' name words, one position each just before the passage, in term order (DocumentBuilder::name_words()).
    if (p.speakers.empty()) continue;
    std::set<std::string> words;
    for (const auto& name : p.speakers) {
      for (const Token& tok : analyzer.analyze(name)) {
        if (!tok.term.empty()) words.insert(tok.term);
      }
    }
    Xapian::termpos at = p.start;
    for (const auto& w : words) {
      if (p.start - at >= schema::kMaxSpeakerWords) break;
      note(schema::boolean_term(schema::kSpeakerWord, w), --at);
    }
  }
  for (auto& [t, list] : positions_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

std::vector<Xapian::termpos> TextPositions::positions(const std::string& term) const {
  auto it = positions_.find(term);
  return it == positions_.end() ? std::vector<Xapian::termpos>{} : it->second;
}

std::vector<PassageScore> choose_passages(const Xapian::Database& db, Xapian::docid did,
                                          const std::vector<PassageSpan>& passages, const PassageQuery& query,
                                          const PassageStats& stats, size_t limit) {
  const DocumentPositions source(db, did, &query);
  return choose_passages(source, passages, query, stats,
                         [&db](const std::string& t) { return static_cast<double>(db.get_termfreq(t)); }, limit);
}

std::vector<PassageScore> choose_passages(const PositionSource& source, const std::vector<PassageSpan>& passages,
                                          const PassageQuery& query, const PassageStats& stats,
                                          const TermFreq& termfreq, size_t limit) {
  std::vector<PassageScore> out;
  if (passages.empty()) return out;
  const size_t n = passages.size();
  std::vector<PassageScore> scored(n);
  for (size_t k = 0; k < n; ++k) scored[k].passage = static_cast<uint32_t>(k + 1);
  std::vector<bool> has_word(n, false);

  // Each query word: its positions in the article, and its weight.
  struct Word {
    std::vector<Xapian::termpos> positions;
    double idf = 0;
  };
  std::vector<Word> words;
  for (size_t wi = 0; wi < query.words.size(); ++wi) {
    const auto& terms = query.words[wi];
    Word w;
    double freq = 0;
    const bool idf_given = wi < query.idf_terms.size() && !query.idf_terms[wi].empty();
    for (const auto& t : idf_given ? query.idf_terms[wi] : terms) freq = std::max(freq, termfreq(t));
    std::vector<std::pair<Xapian::termpos, const std::string*>> found;
    for (const auto& t : terms) {
      for (Xapian::termpos p : source.positions(t)) found.emplace_back(p, &t);
    }
    std::sort(found.begin(), found.end());
    for (size_t i = 0; i < found.size(); ++i) {
      if (i > 0 && found[i].first == found[i - 1].first) continue;  // the ranking term and the exact form
      w.positions.push_back(found[i].first);
    }
    w.idf = idf(std::max(stats.articles, freq), freq);
    // Per passage: the terms it holds (for --explain), and the word's frequency (a position held by
    // both the ranking term and the exact form counts once).
    for (const auto& [p, t] : found) {
      const int k = passage_of(passages, p);
      if (k < 0) continue;
      auto& held = scored[static_cast<size_t>(k)].terms;
      if (std::find(held.begin(), held.end(), *t) == held.end()) held.push_back(*t);
    }
    std::map<int, double> tf;
    for (Xapian::termpos p : w.positions) {
      const int k = passage_of(passages, p);
      if (k >= 0) tf[k] += 1;
    }
    for (const auto& [k, f] : tf) {
      const double len = static_cast<double>(passages[static_cast<size_t>(k)].length);
      const double norm = stats.average_length > 0
                              ? 1 - ranking::kBm25B + ranking::kBm25B * len / stats.average_length
                              : 1.0;
      scored[static_cast<size_t>(k)].score +=
          w.idf * f * (ranking::kBm25K1 + 1) / (f + ranking::kBm25K1 * norm);
      has_word[static_cast<size_t>(k)] = true;
    }
    words.push_back(std::move(w));
  }

  // Consecutive query words close together (ranking::kProximityWindow) and adjacent in order.
  constexpr size_t kMaxPairWords = 8;
  for (size_t i = 0; i + 1 < words.size() && i + 1 < kMaxPairWords; ++i) {
    const auto& a = words[i].positions;
    const auto& b = words[i + 1].positions;
    if (a.empty() || b.empty() || query.words[i] == query.words[i + 1]) continue;
    const double pair_weight = words[i].idf + words[i + 1].idf;
    std::vector<int> close(n, 0);  // 1: close, 2: adjacent in order
    for (Xapian::termpos p : a) {
      auto lo = std::lower_bound(b.begin(), b.end(), p > ranking::kProximityWindow ? p - ranking::kProximityWindow : 0);
      for (auto q = lo; q != b.end() && *q <= p + ranking::kProximityWindow; ++q) {
        if (*q == p) continue;
        const int k = passage_of(passages, p);
        if (k < 0 || passage_of(passages, *q) != k) continue;
        close[static_cast<size_t>(k)] = std::max(close[static_cast<size_t>(k)], *q == p + 1 ? 2 : 1);
      }
    }
    for (size_t k = 0; k < n; ++k) {
      if (close[k] == 0) continue;
      double bonus = ranking::kProximityBonus * pair_weight;
      if (close[k] == 2) bonus += ranking::kPhraseBonus * pair_weight;
      scored[k].score += bonus;
      scored[k].proximity += bonus;
    }
  }

  // Passages quoting a filtered speaker: every name word of one alternative among the positions just
  // before the passage (schema.h "Positions").
  bool any_speaker = false;
  for (const auto& names : query.speakers) {
    std::vector<int> count(n, 0);
    for (const auto& spellings : names) {
      std::vector<bool> here(n, false);
      for (const auto& t : spellings) {
        for (Xapian::termpos p : source.positions(t)) {
          const int k = passage_of(passages, p + schema::kMaxSpeakerWords);
          if (k >= 0 && p < passages[static_cast<size_t>(k)].start) here[static_cast<size_t>(k)] = true;
        }
      }
      for (size_t k = 0; k < n; ++k) count[k] += here[k] ? 1 : 0;
    }
    for (size_t k = 0; k < n; ++k) {
      if (!names.empty() && count[k] == static_cast<int>(names.size())) {
        scored[k].quotes_speaker = true;
        any_speaker = true;
      }
    }
  }

  // Phrases and NEAR groups: every term within the window, in one passage (a phrase: in a row).
  for (size_t k = 0; k < n; ++k) scored[k].holds_groups = true;
  for (const auto& g : query.groups) {
    std::vector<std::vector<Xapian::termpos>> at;
    for (const auto& t : g.terms) at.push_back(source.positions(t));
    std::vector<bool> held(n, false);
    if (g.ordered) {
      for (Xapian::termpos first : at.front()) {
        bool all = true;
        for (size_t i = 1; i < at.size() && all; ++i) all = std::binary_search(at[i].begin(), at[i].end(), first + i);
        const int k = passage_of(passages, first);
        if (all && k >= 0) held[static_cast<size_t>(k)] = true;
      }
    } else {
      // A window starting at each position of any term: does it hold every term?
      for (const auto& starts : at) {
        for (Xapian::termpos first : starts) {
          bool all = true;
          for (size_t i = 0; i < at.size() && all; ++i) {
            auto it = std::lower_bound(at[i].begin(), at[i].end(), first);
            all = it != at[i].end() && *it < first + g.window;
          }
          const int k = passage_of(passages, first);
          if (all && k >= 0) held[static_cast<size_t>(k)] = true;
        }
      }
    }
    for (size_t k = 0; k < n; ++k) scored[k].holds_groups = scored[k].holds_groups && held[k];
  }

  // The best tier: speaker, then groups, then a query word (see passages.h).
  auto tier = [&](const PassageScore& p) {
    return (any_speaker && p.quotes_speaker ? 4 : 0) + (!query.groups.empty() && p.holds_groups ? 2 : 0) +
           (has_word[p.passage - 1] ? 1 : 0);
  };
  int best = 0;
  for (const PassageScore& p : scored) best = std::max(best, tier(p));
  if (best == 0) {
    out.push_back(scored.front());
  } else {
    for (const PassageScore& p : scored) {
      if (tier(p) == best) out.push_back(p);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PassageScore& a, const PassageScore& b) { return a.score > b.score; });
  if (limit > 0 && out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace dateline
