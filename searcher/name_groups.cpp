/** @file
 *  @brief Speaker facet rows merged per name (name_groups.h).
 */
#include "searcher/name_groups.h"

#include <algorithm>
#include <map>
#include <set>

#include "analyzers/names.h"
#include "articles/names.h"
#include "base/edit_distance.h"

namespace dateline {
namespace {

std::vector<std::string> split_words(const std::string& s) {
  std::vector<std::string> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find(' ', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
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

bool ascii(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
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

std::vector<NameRow> group_names(const std::vector<FacetCount>& rows, size_t limit) {
  // 1. Same keys word by word: one name in several spellings or scripts.
  std::map<std::string, Group> groups;
  std::vector<std::string> order;
  for (const FacetCount& row : rows) {
    std::vector<std::string> words = split_words(row.value);
    if (words.empty()) continue;
    std::string key = value_key(words);
    auto [it, fresh] = groups.try_emplace(key);
    if (fresh) order.push_back(key);
    Group& g = it->second;
    g.rows.push_back(row);
    g.count += row.count;
    g.words = std::max(g.words, words.size());
    std::vector<std::string> keys = split_words(key);
    g.last = keys.back();
    if (g.rows.size() == 1) {
      g.keys = keys;
      g.latin = ascii(row.value);
    }
  }
  // 1b. A full name in another script joins its romanised twin ("Александр Лукашенко" -> "Alexander
  // Lukashenko"), the larger group taking the smaller.
  for (const std::string& a : order) {
    Group& ga = groups[a];
    if (ga.rows.empty()) continue;
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
  std::vector<NameRow> out;
  std::map<std::string, std::string> merged_into;  // one-word group key -> full group key
  for (const std::string& key : order) {
    const Group& g = groups[key];
    const std::string& one = g.rows.front().value;
    // Acronyms, nationality words and countries ("Arab", "African") are nobody's surname.
    if (g.words != 1 || all_caps_word(one) || names::modifier_length({one}, 0) != 0 || names::is_country(one))
      continue;
    auto it = full_by_last.find(g.last);
    if (it == full_by_last.end() || it->second.size() != 1) continue;
    // The full name must look like a person's and be quoted in full in two articles at least: a one-off
    // full form ("Shearson Lehman Treasury" once, against "Treasury" 70 times) is no evidence.
    const Group& full = groups[*it->second.begin()];
    if (full.count < 2 || !person_shaped(full.rows.front().value)) continue;
    merged_into[key] = *it->second.begin();
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

}  // namespace dateline
