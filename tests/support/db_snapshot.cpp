/** @file
 *  @brief Snapshots of a Dateline database for tests.
 */
#include "tests/support/db_snapshot.h"

#include <xapian.h>

#include <sstream>

#include "analyzers/schema.h"

namespace dateline::test {

std::map<std::string, std::string> snapshot(const std::filesystem::path& db) {
  Xapian::Database d(db.string());
  std::map<std::string, std::string> out;
  for (auto p = d.postlist_begin(""); p != d.postlist_end(""); ++p) {
    Xapian::Document doc = d.get_document(*p);
    std::ostringstream s;
    std::string key;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      std::string term = *t;
      if (term.rfind(schema::kArticleId, 0) == 0) {
        key = term;
      }
      s << term << ':' << t.get_wdf() << '[';
      for (auto pos = t.positionlist_begin(); pos != t.positionlist_end(); ++pos) s << *pos << ',';
      s << "] ";
    }
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) s << v.get_valueno() << '=' << *v << ' ';
    s << doc.get_data();
    out[key] = s.str();
  }
  return out;
}

std::map<std::string, unsigned> spellings(const std::filesystem::path& db) {
  Xapian::Database d(db.string());
  std::map<std::string, unsigned> out;
  for (auto w = d.spellings_begin(); w != d.spellings_end(); ++w) out[*w] = w.get_termfreq();
  return out;
}

std::map<std::string, std::string> metadata(const std::filesystem::path& db) {
  Xapian::Database d(db.string());
  std::map<std::string, std::string> out;
  for (auto k = d.metadata_keys_begin(); k != d.metadata_keys_end(); ++k) out[*k] = d.get_metadata(*k);
  return out;
}

std::vector<unsigned> docids(const std::filesystem::path& db, const std::string& term) {
  Xapian::Database d(db.string());
  return {d.postlist_begin(term), d.postlist_end(term)};
}

}  // namespace dateline::test
