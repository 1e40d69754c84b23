/** @file
 *  @brief Pair precision and recall of the syndicated-copy detector on a labelled set (bench/stories/run).
 *
 *  stories_eval SET.jsonl [--grid]
 *      SET: one {"id", "label", "date", "text"} a line; articles with the same label are copies of one story.
 *      Links the set as one writer batch does (stories::Linker: LSH candidates, best match, date-then-id
 *      order) and prints one JSON line: pairs, true/false positives, precision, recall, signing time.
 *      --grid: one line per pair of thresholds (resemblance x containment), for the trade-off table.
 *      --errors: one line per wrong pair (FP or FN), with its estimated resemblance and containment.
 *  stories_eval --dump DB
 *      ID<TAB>STORY of every article of DB that has a story.
 *  stories_eval SET.jsonl --db DB
 *      The same figures for the stories a real dateline-index run stored in DB (kSlotStory of each
 *      article document of the set).
 */
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "analyzers/schema.h"
#include "indexer/stories.h"
#include "indexer/story_links.h"

namespace {

using dateline::stories::Thresholds;

struct Item {
  std::string id;
  std::string label;
  std::string date;
  std::string text;
};

struct Counts {
  uint64_t pairs = 0, positives = 0, tp = 0, fp = 0;
};

// Pairs over the whole set: predicted same story (same `story`) against labelled same story.
Counts score(const std::vector<Item>& items, const std::vector<std::string>& story) {
  Counts c;
  const size_t n = items.size();
  c.pairs = n * (n - 1) / 2;
  // Count by (story), by (label) and by (story, label): TP = sum C(n_sl, 2); predicted = sum C(n_s, 2).
  std::map<std::string, uint64_t> by_story, by_label;
  std::map<std::pair<std::string, std::string>, uint64_t> by_both;
  for (size_t i = 0; i < n; ++i) {
    ++by_story[story[i]];
    ++by_label[items[i].label];
    ++by_both[{story[i], items[i].label}];
  }
  auto pairs = [](uint64_t k) { return k * (k - 1) / 2; };
  uint64_t predicted = 0;
  for (const auto& [s, k] : by_story) predicted += pairs(k);
  for (const auto& [l, k] : by_label) c.positives += pairs(k);
  for (const auto& [sl, k] : by_both) c.tp += pairs(k);
  c.fp = predicted - c.tp;
  return c;
}

void print(const Counts& c, const Thresholds& t, double sign_seconds, size_t items) {
  nlohmann::ordered_json j;
  j["items"] = items;
  j["resemblance"] = t.resemblance;
  j["containment"] = t.containment;
  j["pairs"] = c.pairs;
  j["positive_pairs"] = c.positives;
  j["true_positives"] = c.tp;
  j["false_positives"] = c.fp;
  j["false_negatives"] = c.positives - c.tp;
  j["precision"] = c.tp + c.fp == 0 ? 1.0 : static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fp);
  j["recall"] = c.positives == 0 ? 1.0 : static_cast<double>(c.tp) / static_cast<double>(c.positives);
  if (sign_seconds >= 0) j["sign_seconds"] = sign_seconds;
  std::cout << j.dump() << '\n';
}

// The set linked in memory as one writer batch: an empty database, every article in the Linker's batch.
std::vector<std::string> link(const std::vector<Item>& items,
                              const std::vector<dateline::stories::Signature>& sigs, const Thresholds& t) {
  std::vector<std::pair<Xapian::docid, Xapian::Document>> batch;
  for (size_t i = 0; i < items.size(); ++i) {
    Xapian::Document doc;
    doc.add_value(dateline::schema::kSlotArticleId, items[i].id);
    std::string compact;
    for (char ch : items[i].date) {
      if (ch != '-') compact += ch;
    }
    doc.add_value(dateline::schema::kSlotDate, compact);
    dateline::stories::add_detection(doc, sigs[i]);
    batch.emplace_back(static_cast<Xapian::docid>(i + 1), std::move(doc));
  }
  Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
  dateline::stories::Linker linker(t);
  linker.link(empty, batch);
  std::vector<std::string> story(items.size());
  for (const auto& [did, doc] : batch) story[did - 1] = doc.get_value(dateline::schema::kSlotStory);
  return story;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: stories_eval SET.jsonl [--grid | --errors | --db DB] | stories_eval --dump DB\n";
    return 2;
  }
  if (std::string(argv[1]) == "--dump" && argc > 2) {
    // ID<TAB>STORY of every article document of DB that has a story.
    Xapian::Database db(argv[2]);
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
      const Xapian::Document doc = db.get_document(*p);
      const std::string story = doc.get_value(dateline::schema::kSlotStory);
      if (story.empty()) continue;
      std::cout << doc.get_value(dateline::schema::kSlotArticleId) << '\t' << story << '\n';
    }
    return 0;
  }
  std::vector<Item> items;
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "stories_eval: cannot read " << argv[1] << '\n';
    return 2;
  }
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("id") || !j.contains("label") || !j.contains("text")) {
      std::cerr << "stories_eval: " << argv[1] << ":" << number << ": not a {id, label, text} object\n";
      return 2;
    }
    const bool dated = j.contains("date") && j["date"].is_string();
    std::string date = dated ? j["date"].get<std::string>() : std::string();
    items.push_back(Item{j["id"], j["label"], std::move(date), j["text"]});
  }
  const std::string mode = argc > 2 ? argv[2] : "";
  if (mode == "--db" && argc > 3) {
    Xapian::Database db(argv[3]);
    std::unordered_map<std::string, std::string> stored;
    for (auto p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
      const Xapian::Document doc = db.get_document(*p);
      const std::string story = doc.get_value(dateline::schema::kSlotStory);
      if (!story.empty()) stored[doc.get_value(dateline::schema::kSlotArticleId)] = story;
    }
    std::vector<std::string> story;
    for (const auto& it : items) {
      auto s = stored.find(it.id);
      story.push_back(s == stored.end() ? "(missing) " + it.id : s->second);
    }
    print(score(items, story), Thresholds{}, -1, items.size());
    return 0;
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<dateline::stories::Signature> sigs;
  sigs.reserve(items.size());
  for (const auto& it : items) sigs.push_back(dateline::stories::sign(it.text));
  const std::chrono::duration<double> signing = std::chrono::steady_clock::now() - started;
  const double sign_seconds = signing.count();
  if (mode == "--errors") {
    // Every wrong pair (FP: one story, two labels; FN: one label, two stories) with its scores.
    const auto story = link(items, sigs, Thresholds{});
    for (size_t i = 0; i < items.size(); ++i) {
      for (size_t k = i + 1; k < items.size(); ++k) {
        const bool same_label = items[i].label == items[k].label;
        if (same_label == (story[i] == story[k])) continue;
        nlohmann::ordered_json j{{"error", same_label ? "FN" : "FP"}, {"a", items[i].id}, {"b", items[k].id},
                                 {"label_a", items[i].label}, {"label_b", items[k].label},
                                 {"resemblance", dateline::stories::resemblance(sigs[i], sigs[k])},
                                 {"containment", dateline::stories::containment(sigs[i], sigs[k])},
                                 {"shingles_a", sigs[i].shingles}, {"shingles_b", sigs[k].shingles}};
        std::cout << j.dump() << '\n';
      }
    }
    return 0;
  }
  if (mode == "--grid") {
    for (double r : {0.4, 0.5, 0.6, 0.7, 0.8}) {
      for (double c : {0.6, 0.7, 0.8, 0.85, 0.9, 1.01}) {  // 1.01: containment off
        Thresholds t;
        t.resemblance = r;
        t.containment = c;
        print(score(items, link(items, sigs, t)), t, -1, items.size());
      }
    }
    return 0;
  }
  print(score(items, link(items, sigs, Thresholds{})), Thresholds{}, sign_seconds, items.size());
  return 0;
}
