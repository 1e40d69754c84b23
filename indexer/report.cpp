/** @file
 *  @brief Renders an IndexReport as text or JSON, diagnostics as FILE:LINE lines, dry-run listings;
 *  LineReporter.
 */
#include "indexer/report.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "base/terminal.h"
#include "indexer/document_builder.h"

namespace dateline {

namespace {

using Json = nlohmann::ordered_json;

Json diagnostics_json(const std::vector<Diagnostic>& list) {
  Json out = Json::array();
  for (const auto& d : list) {
    Json j;
    j["path"] = d.file;
    j["line"] = d.line;
    j["reason"] = d.reason;
    out.push_back(std::move(j));
  }
  return out;
}

std::string human_bytes(uint64_t bytes) {
  char buf[32];
  if (bytes < 1000) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  } else if (bytes < 1000ull * 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GB", static_cast<double>(bytes) / 1e9);
  }
  return buf;
}

}  // namespace

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = d.file.empty() ? std::string("<unnamed>") : d.file;
  if (d.line > 0) {
    out += ':';
    out += std::to_string(d.line);
  }
  out += ": ";
  out += d.reason;
  return out;
}

std::string report_text(const IndexReport& r) {
  char secs[32];
  std::snprintf(secs, sizeof secs, "%.2f s", r.seconds);
  std::string out;
  if (r.dry_run) {
    out = "dry run: " + std::to_string(r.articles) + " articles, " + std::to_string(r.passages) +
          " passages, " + human_bytes(r.bytes) + " read in " + secs + ", " +
          std::to_string(r.skipped.size()) + " skipped; no database touched";
    return out;
  }
  out = std::to_string(r.added) + " added, " + std::to_string(r.updated) + " updated, " +
        std::to_string(r.unchanged) + " unchanged, " + std::to_string(r.deleted) + " deleted, " +
        std::to_string(r.skipped.size()) + " skipped; " + std::to_string(r.articles) + " articles, " +
        std::to_string(r.passages) + " passages, " + human_bytes(r.bytes) + " in " + secs + " -> " + r.db;
  return out;
}

std::string report_json(const IndexReport& r) {
  Json j;
  j["added"] = r.added;
  j["updated"] = r.updated;
  j["unchanged"] = r.unchanged;
  j["deleted"] = r.deleted;
  j["skipped"] = diagnostics_json(r.skipped);
  j["warnings"] = diagnostics_json(r.warnings);
  j["articles"] = r.articles;
  j["passages"] = r.passages;
  j["bytes"] = r.bytes;
  j["seconds"] = r.seconds;
  j["db"] = r.db;
  if (r.dry_run) j["dry_run"] = true;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string article_listing(const Article& a) {
  std::string out = a.id + "\n";
  auto field = [&out](const char* name, const std::optional<std::string>& value) {
    out += "  ";
    out += name;
    out += std::string(10 - std::string_view(name).size(), ' ');
    out += value ? *value : "(unknown)";
    out += "\n";
  };
  field("path:", a.path);
  field("title:", a.title);
  if (a.subtitle) field("subtitle:", a.subtitle);
  field("outlet:", a.outlet);
  field("date:", a.date);
  field("author:", a.author);
  if (a.url) field("url:", a.url);
  if (a.language) field("language:", a.language);
  std::vector<std::string> speakers;
  std::set<std::string> seen;
  for (const auto& p : a.passages) {
    for (const auto& s : p.speakers) {
      if (!s.empty() && seen.insert(s).second) speakers.push_back(s);
    }
  }
  std::string joined;
  for (const auto& s : speakers) joined += (joined.empty() ? "" : ", ") + s;
  field("speakers:",
        speakers.empty() ? std::optional<std::string>("(none)") : std::optional<std::string>(joined));
  out += "  passages: " + std::to_string(a.passages.size()) + "\n";
  size_t n = 0;
  for (const auto& p : a.passages) {
    out += "  [" + std::to_string(++n) + "] bytes " + std::to_string(p.begin) + "-" + std::to_string(p.end);
    if (!p.speakers.empty()) {
      out += ", speakers: ";
      for (size_t i = 0; i < p.speakers.size(); ++i) out += (i ? ", " : "") + p.speakers[i];
    }
    out += "\n      ";
    for (char c : p.text) {
      out += c;
      if (c == '\n') out += "      ";  // keep a multi-line passage indented under its header
    }
    out += "\n";
  }
  out += "\n";
  return out;
}

void LineReporter::finish() {
  if (sinks_.end_progress) sinks_.end_progress();
}

void LineReporter::diagnostic(const Diagnostic& d) {
  finish();
  sinks_.diagnostic(one_line(format_diagnostic(d)));  // one diagnostic, one line
}

void LineReporter::message(Level level, std::string_view text) {
  finish();
  sinks_.log(level, one_line(text));
}

void LineReporter::progress(uint64_t articles, uint64_t bytes, uint64_t total_bytes) {
  if (sinks_.progress) sinks_.progress(articles, bytes, total_bytes);
}

void LineReporter::record(const Article& article) {
  finish();
  sinks_.out(json_ ? article_record_json(article) + "\n" : terminal_safe(article_listing(article)));
}

}  // namespace dateline
