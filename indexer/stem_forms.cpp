/** @file
 *  @brief The stems' body word forms in the metadata (stem_forms.h).
 */
#include "indexer/stem_forms.h"

#include <algorithm>

#include "analyzers/schema.h"

namespace dateline {

void StemForms::add(const BuiltArticle& article) {
  for (const auto& [stem, form] : article.stem_forms) {
    auto& forms = forms_[stem];
    // Most stems have a handful of forms: a scan beats a set per stem.
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
  }
}

void StemForms::write(Xapian::WritableDatabase& db, bool merge) const {
  std::string key(schema::kMetaFormsPrefix);
  const size_t prefix = key.size();
  for (const auto& [stem, forms] : forms_) {
    key.resize(prefix);
    key += stem;
    if (!merge) {
      db.set_metadata(key, schema::join_forms(forms));
      continue;
    }
    const std::string old = db.get_metadata(key);
    std::vector<std::string> all = schema::split_forms(old);
    all.insert(all.end(), forms.begin(), forms.end());
    std::string value = schema::join_forms(all);
    if (value != old) db.set_metadata(key, value);
  }
}

void add_stem_forms(Xapian::WritableDatabase& db, const BuiltArticle& article) {
  StemForms forms;
  forms.add(article);
  forms.write(db, true);
}

void write_stem_forms(const std::string& path, const StemForms& forms) {
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC | Xapian::DB_BACKEND_GLASS);
  forms.write(db, false);
  db.commit();
  db.close();
}

}  // namespace dateline
