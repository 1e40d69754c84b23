/** @file
 *  @brief Syndicated copies at search time: the copies of an article's story (`--story`) and articles about
 *  the same thing that are not copies (`--like`).
 *
 *  Reads what the indexer's stories (indexer/story_links.h) put on article documents: the story id in
 *  schema::kSlotStory and a schema::kStory term. A database made before has neither: each article is then
 *  a story of its own.
 */
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::stories {

/// One article of a story, or one `--like` hit.
struct StoryArticle {
  std::string id;
  std::string outlet;  ///< canonical outlet name; empty when unknown
  std::string date;    ///< YYYY-MM-DD (or YYYY-MM, YYYY as stored); empty when unknown
  std::string title;   ///< empty when none
  double score = 0;    ///< `--like`: relevance; 0 for copies
};

/// The copies of an article's story.
struct Story {
  std::string article;  ///< the article asked about
  std::string story;    ///< its story id (the article's own id when the database holds no stories)
  /// Every copy (the article too), by date, unknown dates last, then by id: who ran it first.
  std::vector<StoryArticle> copies;
};

/// The kStory term of story `story` on article document `doc` (ids too long for a term end in a hash);
/// "" when the document has none.
std::string story_term(const Xapian::Document& doc, std::string_view story);

/// The article document of article `id`; std::nullopt when the database has no such article.
std::optional<Xapian::docid> find_article(const Xapian::Database& db, std::string_view id);

/// The story of article `id`; std::nullopt when there is no such article. Xapian errors propagate.
std::optional<Story> story_of(const Xapian::Database& db, std::string_view id);

/// The other copies of the story of article document `doc` of `db` (a search hit), as story_of() orders them,
/// without their titles (a search lists them under each hit that folded copies). With `lists` (every
/// database of `db` keeps schema::kSlotStoryCopyList) they are the document's own list, no other read;
/// otherwise, or for a story too large for a list, id, outlet and date are read from the copies' value
/// slots, never their data, by `read` when given (documents of `db` by docid, in order: over remote shards,
/// several at once). Empty when it is alone in its story.
using DocumentsRead = std::function<std::vector<Xapian::Document>(const std::vector<Xapian::docid>&)>;
std::vector<StoryArticle> other_copies(const Xapian::Database& db, const Xapian::Document& doc, bool lists,
                                       const DocumentsRead& read = {});

/// Up to `limit` articles about what article `id` is about that are not copies of it: Xapian's
/// relevance-feedback expansion (Enquire::get_eset, BM25 term selection over an RSet of the article) gives
/// its kLikeTerms most telling article-text terms, which are searched (OR) among the other stories' articles,
/// one hit per story (collapse on kSlotStory). std::nullopt when there is no such article.
std::optional<std::vector<StoryArticle>> like(const Xapian::Database& db, std::string_view id, size_t limit);

/// Expansion terms `like()` searches with.
inline constexpr Xapian::termcount kLikeTerms = 25;

}  // namespace dateline::stories
