/** @file
 *  @brief libFuzzer target: every output printer on a search result made of any bytes keeps one record per
 *  line (ids, trec, tsv, jsonl), no raw control bytes but the '\n' and '\t' a format needs, valid JSON, and
 *  the id escape (articles/ids.h) round-trips.
 *
 *  Input: a flags byte (bit 0 batch, bit 1 second hit, bit 2 title, bit 3 speaker, bit 4 facet value,
 *  bit 5 snippet, bit 6 qid), then length-prefixed fields (one length byte, then that many bytes; missing
 *  bytes read as empty): query, qid, id, title, outlet, date, author, speaker, snippet, facet value, id2.
 */
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "articles/ids.h"
#include "searcher/printers.h"

namespace {

std::vector<std::string> split_lines(const std::string& out) {
  std::vector<std::string> lines;
  size_t b = 0;
  for (size_t e; (e = out.find('\n', b)) != std::string::npos; b = e + 1) {
    lines.push_back(out.substr(b, e - b));
  }
  if (b != out.size()) __builtin_trap();  // every format ends its output with a newline
  return lines;
}

/// No raw C0 control, DEL or C1 control; '\t' only where `tabs_allowed`. ('\n' was split off.)
void check_no_controls(std::string_view line, bool tabs_allowed) {
  for (size_t i = 0; i < line.size(); ++i) {
    auto b = static_cast<unsigned char>(line[i]);
    if (b == '\t' && tabs_allowed) continue;
    if (b < 0x20 || b == 0x7F) __builtin_trap();
    if (b == 0xC2 && i + 1 < line.size() && static_cast<unsigned char>(line[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(line[i + 1]) < 0xA0)
      __builtin_trap();
  }
}

size_t count(std::string_view s, char c) {
  size_t n = 0;
  for (char x : s) n += x == c;
  return n;
}

std::string render(dateline::Format format, const dateline::SearchResult& r, const dateline::PrintOptions& o,
                   const std::optional<std::string>& qid) {
  std::ostringstream out;
  dateline::make_printer(format, out, o)->print(r, qid);
  return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const unsigned flags = in.empty() ? 0 : static_cast<unsigned char>(in[0]);
  size_t pos = in.empty() ? 0 : 1;
  auto next = [&]() {
    if (pos >= in.size()) return std::string();
    const size_t want = static_cast<unsigned char>(in[pos]);
    ++pos;
    size_t n = std::min<size_t>(want, in.size() - pos);
    std::string s(in.substr(pos, n));
    pos += n;
    return s;
  };
  const std::string query = next(), qid_text = next(), id = next(), title = next(), outlet = next(),
                    date = next(), author = next(), speaker = next(), snippet = next(), facet = next(),
                    id2 = next();

  // The id escape: always clean, always reversible.
  for (const std::string* s : {&id, &id2, &qid_text, &title}) {
    std::string e = dateline::escape_id_bytes(*s);
    if (dateline::id_problem(e)) __builtin_trap();
    // Only text holding a literal "\x" may not come back (docs/index-format.md).
    if (dateline::unescape_id_bytes(e) != *s && s->find("\\x") == std::string::npos) __builtin_trap();
    if (dateline::id_problem(*s) == std::nullopt && e != *s) __builtin_trap();  // clean text unchanged
    std::string t = dateline::escape_tsv(*s);
    check_no_controls(t, false);
  }

  dateline::SearchResult r;
  r.query = query;
  r.total = 1;
  dateline::Hit h;
  h.rank = 1;
  h.score = 1.5;
  h.id = id;
  if (flags & 4) h.title = title;
  h.outlet = outlet;
  h.date = date;
  h.author = author;
  h.passage = 1;
  if (flags & 8) h.speakers = {speaker};
  if (flags & 32) h.snippet = dateline::Snippet{snippet, {}};
  r.hits.push_back(h);
  if (flags & 2) {
    dateline::Hit h2 = h;
    h2.rank = 2;
    h2.id = id2;
    r.hits.push_back(h2);
    r.total = 2;
  }
  if (flags & 16) r.facets = {{"outlet", {{facet, 1}}, true}};
  std::set<std::string> distinct;
  for (const auto& hit : r.hits) distinct.insert(hit.id);

  dateline::PrintOptions o;
  o.batch = (flags & 1) != 0;
  std::optional<std::string> qid;
  if ((flags & 64) || o.batch) qid = qid_text;

  // ids: one line per distinct article; batch lines are "QID\tID".
  for (const std::string& line : split_lines(render(dateline::Format::kIds, r, o, qid))) {
    check_no_controls(line, o.batch);
    if (count(line, '\t') != (o.batch ? 1u : 0u)) __builtin_trap();
  }
  if (split_lines(render(dateline::Format::kIds, r, o, qid)).size() != distinct.size()) __builtin_trap();

  // trec: one line of six space-separated columns per distinct article.
  auto trec = split_lines(render(dateline::Format::kTrec, r, o, qid));
  if (trec.size() != distinct.size()) __builtin_trap();
  for (const std::string& line : trec) {
    check_no_controls(line, false);
    if (count(line, ' ') != 5 || line.front() == ' ' || line.find("  ") != std::string::npos) {
      __builtin_trap();  // six non-empty columns
    }
  }

  // tsv: a header, then one line of 8 columns (9 in batch) per hit.
  auto tsv = split_lines(render(dateline::Format::kTsv, r, o, qid));
  if (tsv.size() != 1 + r.hits.size()) __builtin_trap();
  for (const std::string& line : tsv) {
    check_no_controls(line, true);
    if (count(line, '\t') != (o.batch ? 8u : 7u)) __builtin_trap();
  }

  // text: each field on its line, so the line count follows from the result.
  auto text = split_lines(render(dateline::Format::kText, r, o, qid));
  size_t expected = o.batch ? 1 : 0;
  for (const auto& hit : r.hits) expected += 2 + (hit.speakers.empty() ? 0 : 1) + (hit.snippet ? 1 : 0);
  for (const auto& f : r.facets) expected += 1 + std::max<size_t>(1, f.values.size());
  expected += 1;  // "N matching articles; ..."
  if (text.size() != expected) __builtin_trap();
  for (const std::string& line : text) check_no_controls(line, false);

  // json: one line; jsonl: one line per hit; each valid JSON.
  auto json = split_lines(render(dateline::Format::kJson, r, o, qid));
  if (json.size() != 1) __builtin_trap();
  auto jsonl = split_lines(render(dateline::Format::kJsonl, r, o, qid));
  if (jsonl.size() != r.hits.size()) __builtin_trap();
  json.insert(json.end(), jsonl.begin(), jsonl.end());
  for (const std::string& line : json) {
    // JSON escapes C0 controls; DEL and C1 controls are valid in JSON strings and kept (docs/json-schema.md).
    for (char ch : line) {
      if (static_cast<unsigned char>(ch) < 0x20) __builtin_trap();
    }
    if (nlohmann::json::parse(line, nullptr, false).is_discarded()) __builtin_trap();
  }

  // --count in a batch: "QID\tN" on one line.
  std::ostringstream c;
  dateline::print_count(c, dateline::Format::kTsv, query, 3, true, qid, o.batch);
  auto counted = split_lines(c.str());
  if (counted.size() != 1) __builtin_trap();
  check_no_controls(counted[0], o.batch);
  return 0;
}
