/** @file
 *  @brief One facet row per person: speaker facet values that are one name in several spellings,
 *  scripts or lengths ("Zelensky", "Zelenskyy", "Зеленский"; "Lawson" and "Nigel Lawson") merged.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "searcher/facets.h"

namespace dateline {

/// A facet row standing for one name: its label, its count and the other values merged into it.
struct NameRow {
  std::string value;                  ///< the most frequent full (several-word) form, else the most frequent
  uint64_t count = 0;                 ///< the merged rows' counts added up
  std::vector<std::string> variants;  ///< the other values merged, most frequent first (empty: none)
  bool operator==(const NameRow&) const = default;
};

/// What the archive says of one speaker value: how many articles quote it, how many of them name it as
/// an organisation (Article::speaker_info), and where and when: "outlet\tyear" -> articles ("" year:
/// undated).
struct SpeakerContext {
  uint64_t articles = 0;
  uint64_t as_organisation = 0;
  /// Taken for an organisation whatever the count: a word named as an organisation by one article at
  /// least ("Salomon" the bank), a full name that is the first words of an organisation's name the
  /// archive quotes ("Morgan Stanley" of "Morgan Stanley Group").
  bool in_organisation_name = false;
  std::map<std::string, uint64_t> places;
};
using SpeakerContexts = std::map<std::string, SpeakerContext>;

/// Merges the rows of one name: values whose words have the same name keys (analyzers/names.h:
/// "Volodymyr Zelensky" / "Volodymyr Zelenskyy", "Zelensky" / "Зеленский"), a full name in another script
/// and its romanised twin one letter apart in a first name ("Александр Лукашенко" / "Alexander
/// Lukashenko"), then a one-word value into
/// the one full name that ends with it ("Lawson" -> "Nigel Lawson") when no other full name among the
/// rows does ("Blair" stays itself beside "Tony Blair" and "Bob Blair"). Full names are never merged on
/// their first name ("Alexander Lukashenko" and "Alexander Volfovich" stay two). All-caps one-word values
/// (acronyms) are merged on their exact key only, one-word values in Latin letters on their spelling up to
/// case ("Centuri" is not "Century"; each may still join a full name). With `context` (the whole
/// archive's, at index time) a one-word value joins a full name only when both are persons (named as an
/// organisation in fewer than half of their articles, a word never, a full name not the first words of an
/// organisation's name: not "Salomon" the bank into "Robert Salomon"; no camel-case word such as "BAe") and
/// every article quoting it has exactly one full name with that last word quoted in the same outlet and
/// period (same outlet, years at most one apart or undated): "Barber" stays when one of its articles
/// is a Reuters one of 1987 and "Brendan Barber" is quoted by the BBC only; nor when it is the plural of
/// another value's last word ("Democrats", "Maryland Democrat"); nor when `common_word` (set
/// at index time: the archive writes the word in lower case) says it is a common noun ("Coast"). Rows sorted by count (descending) then value; the first
/// `limit` are kept (0: all). An article that quotes two merged forms counts twice in `count`: the
/// searcher counts exactly when it maps each article's values through name_labels() before counting.
std::vector<NameRow> group_names(const std::vector<FacetCount>& rows, size_t limit = 0,
                                 const SpeakerContexts* context = nullptr,
                                 const std::function<bool(const std::string&)>& common_word = {});

/// The rows of the first `limit` groups of group_names(rows) (0: all rows), in the order given: what a
/// searcher that counted every value keeps so that grouping the kept rows gives `limit` full groups.
std::vector<FacetCount> top_name_rows(const std::vector<FacetCount>& rows, size_t limit);

/// Each value of `rows` -> the label of its group (a label maps to itself).
std::map<std::string, std::string> name_labels(const std::vector<FacetCount>& rows);

/// The rows of a speaker facet as printed: the rows as counted with their variants when the searcher
/// grouped them with the index's person table (FacetResult::variants), else group_names(f.values).
std::vector<NameRow> name_rows(const FacetResult& f);

// ---- Grouping at index time: one person table for the whole archive --------------------------------

/// Metadata key of the person table: one line per person quoted under two values or more,
/// "label\tvariant\tvariant..." (variants most quoted first). Set (possibly empty) once built.
inline constexpr std::string_view kMetaPeople = "dateline.people";
/// Metadata key prefix: + the name key of a last word -> the persons (full names shaped as a person's, not
/// organisations) with that last word, "label\tarticles" lines, most quoted first.
inline constexpr std::string_view kMetaPeopleByLast = "dateline.people.last.";

/// Every speaker value of the archive with its context, read from the speaker, outlet and date slots and
/// the organisation-speaker terms (schema::kSpeakerOrganisation).
SpeakerContexts speaker_contexts(const Xapian::Database& db);

/// Groups every speaker value of `db` with group_names() and the archive's context, and writes the
/// person table (kMetaPeople, kMetaPeopleByLast) in place of the older one, then commits. Called at the
/// end of every indexing run that changed an article, so a group follows the archive as it grows or
/// shrinks. Returns the number of persons with two values or more.
size_t store_person_groups(Xapian::WritableDatabase& db);

/// The person table's metadata values computed from `db` (one database, or every shard of a sharded one
/// opened together), and written into a database (each shard gets the whole archive's table, so a search
/// over the shards groups as one database does).
struct PersonTableData {
  std::string table;                          ///< kMetaPeople
  std::map<std::string, std::string> by_last;  ///< key -> kMetaPeopleByLast + key
  size_t persons = 0;
};
PersonTableData person_table_data(const Xapian::Database& db);
void write_person_table(Xapian::WritableDatabase& db, const PersonTableData& data);

/// The person table as read back: each grouped value -> its label, each label -> its values in order.
struct PersonTable {
  bool built = false;  ///< false: the database predates the table (the searcher groups at query time)
  std::map<std::string, std::string> label;
  std::map<std::string, std::string> folded;  ///< the same, keyed by schema::normalise_boolean() of the value
  std::map<std::string, std::vector<std::string>> values;  ///< label first, then its variants
};
PersonTable load_person_table(const Xapian::Database& db);

/// Counts a speaker facet per person with the table: map() turns one document's values into their
/// persons' labels, each once (FacetCounter::results()), finish() marks the facet grouped, lists each
/// row's other values that the match holds (in the table's order) and keeps `limit` rows (0: all).
class PersonCounter {
 public:
  explicit PersonCounter(const PersonTable& table) : table_(table) {}
  std::vector<std::string> map(const std::vector<std::string>& values);
  void finish(FacetResult& f, size_t limit) const;

 private:
  const PersonTable& table_;
  std::map<std::string, std::set<std::string>> seen_;  // label -> its values met in the match
};

/// The persons quoted under full names ending with the word `surname` (its name key), most quoted first:
/// label and articles.
std::vector<FacetCount> people_with_surname(const Xapian::Database& db, const std::string& surname);

}  // namespace dateline
