/** @file
 *  @brief Authors from bylines, and which lines are byline/contact boilerplate.
 */
#include "articles/people.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "articles/names.h"
#include "articles/quotes.h"

namespace dateline {
namespace {

struct AuthorCase {
  std::string name;
  std::string text;
  std::optional<std::string> expected;
};

TEST(PhotoAgencies, OneListReadOnceForNamesAndCaptions) {
  const std::vector<std::string_view>& names = dateline::names::photo_agency_names();
  EXPECT_EQ(&names, &dateline::names::photo_agency_names());
  EXPECT_NE(std::find(names.begin(), names.end(), "AFP via Getty Images"), names.end());
  for (std::string_view n : names) {
    EXPECT_FALSE(n.empty());
    EXPECT_NE(n.front(), '#');  // comments skipped
    EXPECT_EQ(n, dateline::names::trim(n));
  }
  EXPECT_TRUE(dateline::names::is_photo_agency("afp via  getty images"));
  EXPECT_FALSE(dateline::names::is_photo_agency("Jane Doe"));
}

// Connectors and particles are short words: a long word is answered by its length alone.
TEST(NameWords, ConnectorsAndParticles) {
  namespace names = dateline::names;
  for (const char* w : {"of", "for", "the", "and", "on", "&", "van", "della", "St.", "y"})
    EXPECT_TRUE(names::is_connector(w)) << w;
  for (const char* w : {"della", "von", "bin", "St."}) EXPECT_TRUE(names::is_particle(w)) << w;
  for (const char* w : {"", "o", "The", "dellas", "officials", "Institute", "organisation"})
    EXPECT_FALSE(names::is_connector(w)) << w;
  for (const char* w : {"of", "dellas", "Vonnegut"}) EXPECT_FALSE(names::is_particle(w)) << w;
}

TEST(ExtractAuthor, Bylines) {
  const std::vector<AuthorCase> cases = {
      {"by line", "Headline here\nBy Jane Doe\n\nBody text.\n", "Jane Doe"},
      {"by line with outlet", "Headline\nBy David R. Sands, The Washington Times\n\nBody.\n",
       "David R. Sands"},
      {"by line with two authors", "Headline\nBy Jane Doe and John Smith\nBody.\n", "Jane Doe, John Smith"},
      {"by line with three authors and a role",
       "Headline\nBy Jane Doe, John Smith and Ann Lee, Staff Writers\nBody.\n",
       "Jane Doe, John Smith, Ann Lee"},
      {"by line in capitals", "Headline\nBY JANE DOE\nBody.\n", "Jane Doe"},
      {"by line with date tail", "Headline\nBy Maria Garcia | March 3, 2022\nBody.\n", "Maria Garcia"},
      {"by line with particle", "Headline\nBy Ursula van der Berg\nBody.\n", "Ursula van der Berg"},
      {"by line with hyphen and apostrophe", "Headline\nBy Jean-Luc O'Brien\nBody.\n", "Jean-Luc O'Brien"},
      {"by line in Cyrillic",
       "\xD0\x97\xD0\xB0\xD0\xB3\xD0\xBE\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xBE\xD0\xBA\n"
       "By \xD0\x90\xD0\xBD\xD0\xBD\xD0\xB0 \xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0\n",
       "\xD0\x90\xD0\xBD\xD0\xBD\xD0\xB0 \xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0"},
      {"author's name", "Body.\n\nAuthor`s name Andrey Mihayloff\nEditor Dmitry Sudakov\n",
       "Andrey Mihayloff"},
      {"author's name curly", "Body.\nAuthor\xE2\x80\x99s name Olga Petrova\n", "Olga Petrova"},
      {"author label", "Body.\nAuthor: Tom Baker\n", "Tom Baker"},
      {"reporting by", "Body.\nReporting by Pavel Polityuk; Editing by Alex Richardson\n", "Pavel Polityuk"},
      {"can be reached", "Body.\n\xE2\x80\xA2 David R. Sands can be reached at dsands@washingtontimes.com.\n",
       "David R. Sands"},
      {"name above header date",
       "Title\n\nTitle\nCaption text (Reuters)\nNaveen Athrappully\n10/12/2022\nUpdated:\n",
       "Naveen Athrappully"},
      {"name below header date", "Title\nFebruary 24, 2022\nSophie Turner\n\nBody text.\n", "Sophie Turner"},
      // Not authors.
      {"editor only", "Body.\nEditor Dmitry Sudakov\n", std::nullopt},
      {"by in a sentence", "By entering the war, Belarus will be evicted from the community of states.\n",
       std::nullopt},
      {"by a lower-case phrase", "By now the troops had left.\n", std::nullopt},
      {"by an outlet", "Headline\nBy Reuters\nBody.\n", std::nullopt},
      {"name without a date", "Title\nNaveen Athrappully\nBody text goes here.\n", std::nullopt},
      {"outlet beside a date", "Newsweek\n10/12/2022\nBody.\n", std::nullopt},
      {"a place beside a date", "United Kingdom\n10/12/2022\nBody.\n", std::nullopt},
      {"no byline", "December 6, 2023\n\n\nAlexander Lukashenko owes a massive debt to the Kremlin.\n",
       std::nullopt},
      {"empty", "", std::nullopt},
  };
  for (const AuthorCase& c : cases) {
    EXPECT_EQ(extract_author(c.text), c.expected) << c.name;
  }
}

TEST(IsBylineLine, BylineAndContactLines) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"By Jane Doe", true},
      {"By David R. Sands, The Washington Times", true},
      {"Author`s name Andrey Mihayloff", true},
      {"Author's name Andrey Mihayloff", true},
      {"Editor Dmitry Sudakov", true},
      {"Edited by Dmitry Sudakov", true},
      {"David R. Sands can be reached at dsands@washingtontimes.com.", true},
      {"\xE2\x80\xA2 David R. Sands can be reached at dsands@washingtontimes.com.", true},
      {"Reporting by Pavel Polityuk; Editing by Alex Richardson", true},
      {"By entering the war against Ukraine, Belarus will be evicted.", false},
      {"Belarus Insists Troop Deployment With Russia Is \xE2\x80\x98Purely Defensive\xE2\x80\x99", false},
      {"Lukashenko can be reached only through his office, officials said, and he declined to comment.",
       false},
      {"The editor of the paper said nothing.", false},
      {"", false},
  };
  for (const auto& [line, expected] : cases) {
    EXPECT_EQ(is_byline_line(line), expected) << line;
  }
}

// Speaker attribution tokenizes each passage once and masks the quotations afterwards: that must give the
// very tokens tokenize() gives with masking.
TEST(Quotes, MaskingTokensEqualsTokenizingWithMasks) {
  const std::vector<std::string> texts = {
      "",
      "No quotation at all, said Jane Doe.",
      "\"We will win,\" said Viktor Gulevich, chief of staff.",
      "He said: \"Listen,\" X said. \"Then go\"",
      "\xE2\x80\x9CIt is over,\xE2\x80\x9D the minister\xE2\x80\x99s aide said.",
      "\xC2\xABNous gagnerons\xC2\xBB, a d\xC3\xA9\x63lar\xC3\xA9 M. Dupont.",
      "\xE2\x80\x9EWir schaffen das\xE2\x80\x9C, sagte Merkel.",
      "An open quote \xE2\x80\x9Cruns to the end of the passage",
      "Nested \xE2\x80\x9Couter \"inner\" still outer\xE2\x80\x9D after.",
      "Adjacent\"quotes\"here and \"\" empty and Jones\x27 \"possessive\" U.S.\"dotted\"",
      "Mr. \"R.\" Smith\xE2\x80\x99s \"O\xE2\x80\x99"
      "Brien\" - \"Jean-Luc\" & \"AT&T\".",
      "Ends on a mark \"",
      std::string("bad \xFF \"by\xC3\" te\x80s \xE2\x80\x9C\xED\xA0\x80\xE2\x80\x9D", 26),
  };
  auto same = [](const quotes::Token& a, const quotes::Token& b) {
    return a.kind == b.kind && a.text == b.text && a.begin == b.begin && a.end == b.end &&
           a.possessive == b.possessive && a.closed == b.closed && a.last == b.last;
  };
  for (const std::string& text : texts) {
    const std::vector<quotes::Token> want = quotes::tokenize(text, true);
    const std::vector<quotes::Token> got = quotes::mask_quotes(text, quotes::tokenize(text, false));
    ASSERT_EQ(got.size(), want.size()) << text;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_TRUE(same(got[i], want[i])) << text << " token " << i;
    // One decoding for both: the quotations found while tokenizing, then masked from the bytes alone.
    std::vector<quotes::QuoteSpan> spans;
    const std::vector<quotes::Token> unmasked = quotes::tokenize(text, &spans);
    const std::vector<quotes::QuoteSpan> found = quotes::find_quotes(text);
    ASSERT_EQ(spans.size(), found.size()) << text;
    for (size_t i = 0; i < found.size(); ++i) {
      EXPECT_EQ(spans[i].begin, found[i].begin) << text;
      EXPECT_EQ(spans[i].end, found[i].end) << text;
      EXPECT_EQ(spans[i].closed, found[i].closed) << text;
    }
    const std::vector<quotes::Token> plain = quotes::tokenize(text, false);
    ASSERT_EQ(unmasked.size(), plain.size()) << text;
    for (size_t i = 0; i < plain.size(); ++i)
      EXPECT_TRUE(same(unmasked[i], plain[i])) << text << " token " << i;
    const std::vector<quotes::Token> once = quotes::mask_quotes(text, unmasked, spans);
    ASSERT_EQ(once.size(), want.size()) << text;
    for (size_t i = 0; i < want.size(); ++i) EXPECT_TRUE(same(once[i], want[i])) << text << " token " << i;
  }
  // The texts hold quotations of each kind, so masking did something.
  EXPECT_EQ(quotes::tokenize(texts[2], true).front().kind, quotes::Kind::Quote);
  EXPECT_LT(quotes::tokenize(texts[2], true).size(), quotes::tokenize(texts[2], false).size());
}

}  // namespace
}  // namespace dateline
