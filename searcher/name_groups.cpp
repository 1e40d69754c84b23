/** @file
 *  @brief Speaker facet rows merged per name (name_groups.h).
 */
#include "searcher/name_groups.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "analyzers/names.h"
#include "analyzers/schema.h"
#include "articles/names.h"
#include "base/ascii.h"
#include "base/edit_distance.h"

namespace dateline {
namespace {

std::vector<std::string> split_words(const std::string& s) { return ascii::split(s, ' '); }

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b <= s.size()) {
    size_t e = s.find('\n', b);
    if (e == std::string::npos) e = s.size();
    out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool all_caps_word(const std::string& w) {
  size_t letters = 0;
  for (char c : w) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++letters;
  }
  return letters >= 2;
}

// A capital inside a word, not after an apostrophe, a hyphen or "Mc"/"Mac": a company's or an acronym's
// spelling ("BAe", "GenCorp"), never a surname ("O'Sullivan", "Kilroy-Silk", "McDonald").
bool camel_case(const std::string& w) {
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i] < 'A' || w[i] > 'Z' || w[i - 1] == '\'' || w[i - 1] == '-') continue;
    if ((i == 2 && w.compare(0, 2, "Mc") == 0) || (i == 3 && w.compare(0, 3, "Mac") == 0)) continue;
    return true;
  }
  return false;
}

// The keys of a value's words, joined by spaces; a word without a key (a number, an abbreviation)
// stands as itself. Acronyms keep their letters as typed ("GM" is not "gm" of "Gm").
std::string value_key(const std::vector<std::string>& words) {
  std::string key;
  for (const std::string& w : words) {
    std::string k = all_caps_word(w) ? w : name_key(w);
    if (k.empty()) k = w;
    if (!key.empty()) key += ' ';
    key += k;
  }
  return key;
}

// A full name shaped as a person's: two or three words, each a capitalised name word or an initial
// ("John C. Emery"), none an organisation or function word ("Diamond Shamrock" passes: the count rule of
// group_names() is the other guard; "If Washington", "Bourdain of BankAmerica", "Ohio-based Gencorp",
// "RJR Nabisco" and "Japan Air Lines Boeing" do not).
bool person_shaped(const std::string& value) {
  std::vector<std::string> words = split_words(value);
  if (words.size() < 2 || words.size() > 3) return false;
  for (const std::string& w : words) {
    if (all_caps_word(w) && !(w.size() == 2 && w[1] == '.')) return false;
    if (w.find("-based") != std::string::npos || names::is_stopword(w) || names::is_org_word(w) ||
        names::is_connector(w) || !names::is_name_word(w) || names::title_length({w}, 0) != 0)
      return false;
  }
  return true;
}

struct Group {
  std::vector<FacetCount> rows;  // in input order: by count, then value
  uint64_t count = 0;
  size_t words = 0;  // words of the longest value
  std::string last;  // key of the last word
  std::vector<std::string> keys;  // word keys of the first value
  bool latin = true;              // its values are in ASCII letters (else another script)
};

bool all_ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string lower_ascii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A group's context: its values' added up.
SpeakerContext context_of(const Group& g, const SpeakerContexts& contexts) {
  SpeakerContext out;
  for (const FacetCount& r : g.rows) {
    auto it = contexts.find(r.value);
    if (it == contexts.end()) continue;
    out.articles += it->second.articles;
    out.as_organisation += it->second.as_organisation;
    out.in_organisation_name = out.in_organisation_name || it->second.in_organisation_name;
    for (const auto& [place, n] : it->second.places) out.places[place] += n;
  }
  return out;
}

bool organisation(const SpeakerContext& c) { return c.as_organisation * 2 > c.articles || c.in_organisation_name; }

// Same outlet, and years at most one apart or either unknown: "Reuters\t1987" and "Reuters\t1988".
bool same_outlet_and_period(const std::string& a, const std::string& b) {
  const size_t ta = a.find('\t');
  const size_t tb = b.find('\t');
  if (a.compare(0, ta, b, 0, tb) != 0) return false;
  const std::string ya = ta == std::string::npos ? std::string() : a.substr(ta + 1);
  const std::string yb = tb == std::string::npos ? std::string() : b.substr(tb + 1);
  if (ya.empty() || yb.empty()) return true;
  return std::abs(std::atoi(ya.c_str()) - std::atoi(yb.c_str())) <= 1;
}

bool quoted_near(const std::string& place, const SpeakerContext& c) {
  for (const auto& [p, n] : c.places) {
    if (same_outlet_and_period(place, p)) return true;
  }
  return false;
}

// Two full names, one in Latin letters and one in another script, that romanisation tells apart only by
// one letter in a first name ("Alexander"/"Александр" -> aleksander/aleksandr, "Volodymyr"/"Володимир",
// y and i taken as one): same number of words, same last key, every other key equal or (4 letters or
// more, same first letter) one edit apart.
bool transliterated_pair(const Group& a, const Group& b) {
  if (a.latin == b.latin || a.keys.size() != b.keys.size() || a.keys.size() < 2 || a.last != b.last) return false;
  auto iy = [](std::string k) {  // Ukrainian "y" (и) against Russian "i" ("Volodymyr"/"Volodimir")
    std::replace(k.begin(), k.end(), 'y', 'i');
    return k;
  };
  for (size_t i = 0; i + 1 < a.keys.size(); ++i) {
    const std::string x = iy(a.keys[i]);
    const std::string y = iy(b.keys[i]);
    if (x == y) continue;
    if (x.size() < 4 || y.size() < 4 || x[0] != y[0] || edit_distance(std::string_view(x), std::string_view(y)) > 1)
      return false;
  }
  return true;
}

}  // namespace

std::vector<NameRow> group_names(const std::vector<FacetCount>& rows, size_t limit, const SpeakerContexts* context,
                                 const std::function<bool(const std::string&)>& common_word) {
  // 1. Same keys word by word: one name in several spellings or scripts.
  std::map<std::string, Group> groups;
  std::vector<std::string> order;
  for (const FacetCount& row : rows) {
    std::vector<std::string> words = split_words(row.value);
    if (words.empty()) continue;
    const std::string word_keys = value_key(words);
    std::string key = word_keys;
    // One word in Latin letters: its spelling up to case, as keys would take a typo or another company
    // for it ("Centuri" / "Century"); spellings of one person still meet in the full name (step 2).
    if (words.size() == 1 && all_ascii(row.value) && !all_caps_word(row.value)) key += '\x01' + lower_ascii(row.value);
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) order.push_back(key);
    Group& g = it->second;
    g.rows.push_back(row);
    g.count += row.count;
    g.words = std::max(g.words, words.size());
    std::vector<std::string> keys = split_words(word_keys);
    g.last = keys.back();
    if (g.rows.size() == 1) {
      g.keys = keys;
      g.latin = all_ascii(row.value);
    }
  }
  // 1b. A full name in another script joins its romanised twin ("Александр Лукашенко" -> "Alexander
  // Lukashenko"), the larger group taking the smaller.
  for (const std::string& a : order) {
    Group& ga = groups[a];
    if (ga.rows.empty() || ga.latin) continue;  // a pair is one Latin and one other script
    for (const std::string& b : order) {
      Group& gb = groups[b];
      if (a == b || gb.rows.empty() || !transliterated_pair(ga, gb)) continue;
      Group& big = ga.count >= gb.count ? ga : gb;
      Group& small = ga.count >= gb.count ? gb : ga;
      big.rows.insert(big.rows.end(), small.rows.begin(), small.rows.end());
      big.count += small.count;
      small.rows.clear();
      small.count = 0;
      if (ga.rows.empty()) break;
    }
  }
  for (auto it = order.begin(); it != order.end();) {
    if (groups[*it].rows.empty()) {
      groups.erase(*it);
      it = order.erase(it);
    } else {
      ++it;
    }
  }
  // 2. A one-word name into the one full name ending with it.
  std::map<std::string, std::set<std::string>> full_by_last;  // last word key -> full name group keys
  for (const auto& [key, g] : groups) {
    if (g.words >= 2) full_by_last[g.last].insert(key);  // every full name counts against ambiguity
  }
  // The last words of every value, lower-cased: "Democrats" is the plural of the "Democrat" of "Maryland
  // Democrat", a group and no surname.
  std::set<std::string> last_words;
  for (const FacetCount& row : rows) {
    const std::vector<std::string> words = split_words(row.value);
    if (!words.empty()) last_words.insert(lower_ascii(words.back()));
  }
  auto plural_of_a_speaker_word = [&](const std::string& w) {
    const std::string lower = lower_ascii(w);
    return lower.size() > 3 && lower.back() == 's' && last_words.count(lower.substr(0, lower.size() - 1)) != 0;
  };
  std::vector<NameRow> out;
  std::map<std::string, std::string> merged_into;  // one-word group key -> full group key
  for (const std::string& key : order) {
    const Group& g = groups[key];
    const std::string& one = g.rows.front().value;
    // Acronyms, nationality words and countries ("Arab", "African") are nobody's surname.
    if (g.words != 1 || all_caps_word(one) || camel_case(one) || names::modifier_length({one}, 0) != 0 ||
        names::is_country(one))
      continue;
    auto it = full_by_last.find(g.last);
    if (it == full_by_last.end()) continue;
    // The full name must look like a person's and be quoted in full in two articles at least: a one-off
    // full form ("Shearson Lehman Treasury" once, against "Treasury" 70 times) is no evidence.
    auto candidate = [&](const std::string& full_key) {
      const Group& full = groups[full_key];
      return full.count >= 2 && person_shaped(full.rows.front().value) && !names::is_country(full.rows.front().value);
    };
    if (context == nullptr) {
      if (it->second.size() != 1 || !candidate(*it->second.begin())) continue;
      merged_into[key] = *it->second.begin();
      continue;
    }
    // With the archive's context: persons only, and every place (outlet, period) that quotes the word
    // alone quotes exactly one of the full names, the same one everywhere.
    const SpeakerContext mine = context_of(g, *context);
    if (organisation(mine) || plural_of_a_speaker_word(one)) continue;
    std::vector<std::pair<std::string, SpeakerContext>> fulls;
    for (const std::string& full_key : it->second) {
      if (!candidate(full_key)) continue;
      SpeakerContext c = context_of(groups[full_key], *context);
      if (!organisation(c)) fulls.emplace_back(full_key, std::move(c));
    }
    std::string target;
    bool unambiguous = !fulls.empty() && !mine.places.empty();
    for (const auto& [place, n] : mine.places) {
      std::string only;
      size_t found = 0;
      for (const auto& [full_key, c] : fulls) {
        if (quoted_near(place, c)) {
          ++found;
          only = full_key;
        }
      }
      if (found != 1 || (!target.empty() && target != only)) {
        unambiguous = false;
        break;
      }
      target = only;
    }
    // Last, as it reads articles: a word the archive writes in lower case is a common noun ("Coast",
    // "Electric"), not a surname.
    if (unambiguous && common_word && common_word(one)) unambiguous = false;
    if (unambiguous) merged_into[key] = target;
  }
  for (const auto& [from, to] : merged_into) {
    Group& target = groups[to];
    for (const FacetCount& r : groups[from].rows) target.rows.push_back(r);
    target.count += groups[from].count;
  }
  for (const std::string& key : order) {
    if (merged_into.count(key) != 0) continue;
    Group& g = groups[key];
    std::stable_sort(g.rows.begin(), g.rows.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    // The label: the most frequent value of two words or more, else the most frequent.
    const FacetCount* label = &g.rows.front();
    for (const FacetCount& r : g.rows) {
      if (split_words(r.value).size() >= 2) {
        label = &r;
        break;
      }
    }
    NameRow row;
    row.value = label->value;
    row.count = g.count;
    for (const FacetCount& r : g.rows) {
      if (&r != label) row.variants.push_back(r.value);
    }
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const NameRow& a, const NameRow& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (limit != 0 && out.size() > limit) out.resize(limit);
  return out;
}

std::vector<FacetCount> top_name_rows(const std::vector<FacetCount>& rows, size_t limit) {
  if (limit == 0) return rows;
  std::set<std::string> keep;
  for (const NameRow& row : group_names(rows, limit)) {
    keep.insert(row.value);
    keep.insert(row.variants.begin(), row.variants.end());
  }
  std::vector<FacetCount> out;
  for (const FacetCount& r : rows) {
    if (keep.count(r.value) != 0) out.push_back(r);
  }
  return out;
}

std::map<std::string, std::string> name_labels(const std::vector<FacetCount>& rows) {
  std::map<std::string, std::string> out;
  for (const NameRow& row : group_names(rows, 0)) {
    out[row.value] = row.value;
    for (const std::string& v : row.variants) out[v] = row.value;
  }
  return out;
}

std::vector<NameRow> name_rows(const FacetResult& f) {
  if (!f.grouped) return group_names(f.values);
  std::vector<NameRow> out;
  for (const FacetCount& v : f.values) {
    NameRow row{v.value, v.count, {}};
    if (auto it = f.variants.find(v.value); it != f.variants.end()) row.variants = it->second;
    out.push_back(std::move(row));
  }
  return out;
}

SpeakerContexts speaker_contexts(const Xapian::Database& db) {
  std::unordered_map<Xapian::docid, std::string> outlet;
  std::unordered_map<Xapian::docid, std::string> year;
  for (auto it = db.valuestream_begin(schema::kSlotOutlet); it != db.valuestream_end(schema::kSlotOutlet); ++it)
    outlet[it.get_docid()] = *it;
  for (auto it = db.valuestream_begin(schema::kSlotDate); it != db.valuestream_end(schema::kSlotDate); ++it)
    year[it.get_docid()] = (*it).substr(0, 4);
  auto place_of = [&](Xapian::docid id) {
    std::string place = outlet.count(id) != 0 ? outlet[id] : std::string();
    place += '\t';
    if (year.count(id) != 0) place += year[id];
    return place;
  };
  SpeakerContexts out;
  const unsigned slot = schema::kSlotSpeakers;
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
    const std::string place = place_of(it.get_docid());
    std::set<std::string> once;
    std::string joined = *it;
    for (std::string& v : split_lines(joined)) {
      if (v.empty() || !once.insert(v).second) continue;
      SpeakerContext& c = out[v];
      ++c.articles;
      ++c.places[place];
    }
  }
  // The leading words of every organisation's name quoted ("morgan stanley" of "morgan stanley group"),
  // folded as the terms are.
  // And where organisations of several words are quoted, by first word ("honda" -> the places of "honda
  // motor").
  std::set<std::string> org_heads;
  std::map<std::string, std::map<std::string, uint64_t>> org_first_word;
  const std::string org_prefix(schema::kSpeakerOrganisation);
  for (auto it = db.allterms_begin(org_prefix); it != db.allterms_end(org_prefix); ++it) {
    const std::vector<std::string> words = split_words((*it).substr(org_prefix.size()));
    if (words.size() >= 2) {
      auto& places = org_first_word[words.front()];
      for (auto p = db.postlist_begin(*it); p != db.postlist_end(*it); ++p) ++places[place_of(*p)];
    }
    std::string head;
    for (size_t i = 0; i < words.size(); ++i) {
      head += (i == 0 ? "" : " ") + words[i];
      if (i + 1 < words.size()) org_heads.insert(head);
    }
  }
  // The organisation terms are folded (schema::normalise_boolean()): values differing by case share them.
  for (auto& [value, c] : out) {
    c.as_organisation =
        std::min<uint64_t>(c.articles, db.get_termfreq(schema::boolean_term(schema::kSpeakerOrganisation, value)));
    const std::string folded = schema::normalise_boolean(value);
    if (folded.find(' ') != std::string::npos) {
      c.in_organisation_name = org_heads.count(folded) != 0;
      continue;
    }
    // A word alone: named as an organisation by one article at least ("Salomon" of the bank), or the first
    // word of organisations quoted, in its outlets and periods, in half as many articles as it is alone
    // ("Honda" beside "Honda Motor"; not "Reagan", 96 articles, beside one "Reagan administration").
    uint64_t near = 0;
    if (auto f = org_first_word.find(folded); f != org_first_word.end()) {
      for (const auto& [place, n] : f->second) {
        if (quoted_near(place, c)) near += n;
      }
    }
    c.in_organisation_name = c.as_organisation > 0 || 2 * near >= c.articles;
  }
  return out;
}

namespace {

// Whether `word` is written in lower case ("coast") in two of the first articles holding it (its body
// term's first 50 postings): their stored text (document data) is searched, as the terms are folded.
bool lower_case_word(const Xapian::Database& db, const std::string& word) {
  const std::string lower = lower_ascii(word);
  if (lower.empty() || lower == word) return false;
  size_t read = 0;
  size_t found = 0;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  for (auto it = db.postlist_begin(lower); it != db.postlist_end(lower) && read < 50; ++it, ++read) {
    const std::string data = db.get_document(*it).get_data();
    for (size_t at = data.find(lower); at != std::string::npos; at = data.find(lower, at + 1)) {
      const size_t end = at + lower.size();
      if ((at == 0 || !letter(data[at - 1])) && (end >= data.size() || !letter(data[end]))) {
        if (++found >= 2) return true;
        break;  // once per article
      }
    }
  }
  return false;
}

}  // namespace

PersonTableData person_table_data(const Xapian::Database& db) {
  const SpeakerContexts contexts = speaker_contexts(db);
  std::vector<FacetCount> rows;
  rows.reserve(contexts.size());
  for (const auto& [value, c] : contexts) rows.push_back({value, c.articles});
  std::sort(rows.begin(), rows.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  PersonTableData out;
  for (const NameRow& row : group_names(rows, 0, &contexts, [&db](const std::string& w) { return lower_case_word(db, w); })) {
    if (!row.variants.empty()) {
      out.table += row.value;
      for (const std::string& v : row.variants) out.table += '\t' + v;
      out.table += '\n';
      ++out.persons;
    }
    const std::vector<std::string> words = split_words(row.value);
    auto c = contexts.find(row.value);
    if (words.size() < 2 || !person_shaped(row.value) || (c != contexts.end() && organisation(c->second))) continue;
    const std::string last = name_key(words.back());
    if (last.empty() || kMetaPeopleByLast.size() + last.size() > 200) continue;
    out.by_last[last] += row.value + '\t' + std::to_string(row.count) + '\n';  // rows come most quoted first
  }
  return out;
}

void write_person_table(Xapian::WritableDatabase& db, const PersonTableData& data) {
  const std::string prefix(kMetaPeopleByLast);
  std::vector<std::string> stale;
  for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
    if (data.by_last.count((*it).substr(prefix.size())) == 0) stale.push_back(*it);
  }
  for (const std::string& k : stale) db.set_metadata(k, "");
  for (const auto& [last, lines] : data.by_last) db.set_metadata(prefix + last, lines);
  // Set even when empty: a built table with no group is not a database from before the table.
  db.set_metadata(std::string(kMetaPeople), data.table.empty() ? std::string("\n") : data.table);
  db.commit();
}

size_t store_person_groups(Xapian::WritableDatabase& db) {
  const PersonTableData data = person_table_data(db);
  write_person_table(db, data);
  return data.persons;
}

PersonTable load_person_table(const Xapian::Database& db) {
  PersonTable out;
  const std::string table = db.get_metadata(std::string(kMetaPeople));
  if (table.empty()) return out;
  out.built = true;
  size_t b = 0;
  while (b < table.size()) {
    size_t e = table.find('\n', b);
    if (e == std::string::npos) e = table.size();
    std::vector<std::string> values;
    size_t f = b;
    while (f < e) {
      size_t t = table.find('\t', f);
      if (t == std::string::npos || t > e) t = e;
      values.push_back(table.substr(f, t - f));
      f = t + 1;
    }
    if (!values.empty()) {
      for (const std::string& v : values) {
        out.label[v] = values.front();
        out.folded[schema::normalise_boolean(v)] = values.front();
      }
      out.values[values.front()] = std::move(values);
    }
    b = e + 1;
  }
  return out;
}

std::vector<std::string> PersonCounter::map(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    auto it = table_.label.find(v);
    const std::string& label = it == table_.label.end() ? v : it->second;
    if (it != table_.label.end()) seen_[label].insert(v);
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
  }
  return out;
}

void PersonCounter::finish(FacetResult& f, size_t limit) const {
  f.grouped = true;
  if (limit != 0 && f.values.size() > limit) f.values.resize(limit);
  for (const FacetCount& row : f.values) {
    auto seen = seen_.find(row.value);
    auto all = table_.values.find(row.value);
    if (seen == seen_.end() || all == table_.values.end()) continue;
    std::vector<std::string> variants;
    for (const std::string& v : all->second) {
      if (v != row.value && seen->second.count(v) != 0) variants.push_back(v);
    }
    if (!variants.empty()) f.variants[row.value] = std::move(variants);
  }
}

std::vector<FacetCount> people_with_surname(const Xapian::Database& db, const std::string& surname) {
  std::vector<FacetCount> out;
  const std::string key = name_key(surname);
  if (key.empty()) return out;
  const std::string lines = db.get_metadata(std::string(kMetaPeopleByLast) + key);
  size_t b = 0;
  while (b < lines.size()) {
    size_t e = lines.find('\n', b);
    if (e == std::string::npos) e = lines.size();
    const size_t t = lines.find('\t', b);
    if (t != std::string::npos && t < e) out.push_back({lines.substr(b, t - b), std::stoull(lines.substr(t + 1, e - t - 1))});
    b = e + 1;
  }
  return out;
}

}  // namespace dateline
