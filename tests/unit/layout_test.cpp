/** @file
 *  @brief Page layout of copied news pages (articles/layout.h): chrome lines, headline by structure, bylines,
 *  header dates in many formats and languages, wire copy, provenance, and non-English speech verbs.
 *
 *  The pages here are invented, shaped like a browser's select-all copy of a news page (menus, share bars,
 *  captions, related lists around the story).
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "articles/dates.h"
#include "articles/layout.h"
#include "articles/people.h"

namespace dateline {
namespace {

TEST(ChromeLine, ClassifiedByGeneralFeatures) {
  struct Case {
    const char* line;
    bool chrome;
  };
  for (const Case& c : {
           Case{"  • Home", true},                          // a menu bullet
           Case{"□ Facebook Messenger", true},              // a sub-menu bullet
           Case{"[logo-compa]", true},                                 // an image placeholder
           Case{"[                    ][Search]", true},               // a form field
           Case{"Search []", true},                                    // a label with its field
           Case{"Facebook Twitter LinkedIn", true},                    // share bar
           Case{"Share via Email", true},                              // share vocabulary
           Case{"Sign In Subscribe", true},                            // account prompts
           Case{"Partager sur Facebook", true},                        // French
           Case{"Compartir en Twitter", true},                         // Spanish
           Case{"Abonnieren Sie unseren Newsletter", true},            // German, notice vocabulary
           Case{"We use cookies to improve your experience on our site.", true},
           Case{"Politics |", true},                                   // a section label with its separator
           Case{"20 hours ago", true},                                 // a relative time
           Case{"6366", true},                                         // a share count
           Case{"Two More Gunned Down", false},                        // a headline
           Case{"Home Depot sales miss, shares plunge", false},        // a headline with one chrome word
           Case{"Twitter shares fall after earnings", false},          // chrome words as the story's subject
           Case{"The minister said the talks would resume on Monday in Geneva.", false},
       }) {
    EXPECT_EQ(is_chrome_line(c.line), c.chrome) << c.line;
  }
}

struct HeadlineCase {
  const char* name;
  std::string page;
  const char* title;  ///< nullptr: none
};

TEST(Headline, NearestTitleLikeLineBeforeTheByline) {
  const std::string body =
      "\n\nThe city council voted on Tuesday to close the old bridge for repairs after inspectors found "
      "cracks.\n\n"
      "Work will start next month and is expected to last until the spring, officials said on Wednesday.\n";
  for (const HeadlineCase& c : std::vector<HeadlineCase>{
           {"menus and share bars above", "Skip to main content\n\n  • Home\n  • News\n\n"
                                          "Facebook Twitter LinkedIn\n\nSearch form\n\n"
                                          "Bridge closed for repairs "
                                          "after cracks found\n\nBy Jane Doe - 11/18/19 11:04 PM EST" + body,
            "Bridge closed for repairs after cracks found"},
           {"promo headline above the date, real one under it",
            "Is there still a pulse in city politics?\n\nWednesday 20 November 2019 9:22 am\n\n"
            "Bridge closed for repairs after cracks found\n\nJane Doe" + body,
            "Bridge closed for repairs after cracks found"},
           {"caption block between headline and byline",
            "Politics\n\nBridge closed for repairs after cracks found\n\nElection 2020 Bridge\n"
            "The old bridge seen from the river last week.\n(Jane Roe / City Paper)\n\n"
            "By Jane DoeStaff Writer\nFeb. 19, 2020" + body,
            "Bridge closed for repairs after cracks found"},
           {"breadcrumb above the headline", "News > City\n\nBridge closed for repairs after cracks found\n\n"
                                             "UPDATED: Tue., Nov. 19, 2019" + body,
            "Bridge closed for repairs after cracks found"},
           {"pull quote above the headline", "'The bridge is not safe'\n\nBridge closed for repairs after "
                                             "cracks found\n\nBy Jane Doe 8 January 2020, 3:51 pm" + body,
            "Bridge closed for repairs after cracks found"},
           {"headline | outlet",
            "Bridge closed for repairs after cracks found | Reuters\n\nBy Jane Doe" + body,
            "Bridge closed for repairs after cracks found"},
           {"page opens with its date line", "December 6, 2023\n" + body, nullptr},
           {"French page", "  • Accueil\n  • Monde\n\nLe pont fermé pour travaux\n\n"
                           "Par Jean Dupont 30 avril 2015 à 07:19" + body,
            "Le pont fermé pour travaux"},
       }) {
    PageLayout page = analyse_page(c.page);
    EXPECT_EQ(page.title_text.value_or("<none>"), c.title ? c.title : "<none>") << c.name;
  }
}

TEST(Headline, OutletSuffixGoesToTheOutlet) {
  Article a = extract_text_article(
      "Bridge closed for repairs after cracks found | Reuters\n\nBy Jane Doe\n\nThe city council voted on "
      "Tuesday to close the old bridge for repairs after inspectors found cracks.\n\nWork will start next "
      "month and is expected to last until the spring, officials said on Wednesday.\n");
  EXPECT_EQ(a.title.value_or(""), "Bridge closed for repairs after cracks found");
  EXPECT_EQ(a.outlet.value_or("<none>"), "Reuters");  // a wire named as the site: nothing else names one
}

TEST(Byline, FormsOfSeveralLanguages) {
  struct Case {
    const char* line;
    std::vector<std::string> names;
  };
  for (const Case& c : {
           Case{"By Lia Eustachewich and Yaron Steinbuch", {"Lia Eustachewich", "Yaron Steinbuch"}},
           Case{"By A. Jane Doe, John Roe and Mary Major", {"A. Jane Doe", "John Roe", "Mary Major"}},
           Case{"BY EARYEL BOWLEG", {"Earyel Bowleg"}},
           Case{"By Evan HalperStaff Writer", {"Evan Halper"}},
           Case{"By Jonathan GarberFOXBusiness", {"Jonathan Garber"}},
           Case{"by Lucas Nolan22 Dec 2016651", {"Lucas Nolan"}},
           Case{"By Justine Coleman - 11/18/19 11:04 PM EST", {"Justine Coleman"}},
           Case{"By Kashmira Gander On 11/13/19 at 4:00 PM EST", {"Kashmira Gander"}},
           Case{"By Megan Rowe meganr@spokesman.com(509) 459-5382", {"Megan Rowe"}},
           Case{"Par Jean Dupont et Marie Martin", {"Jean Dupont", "Marie Martin"}},
           Case{"Por Ana García y Luis Pérez", {"Ana García", "Luis Pérez"}},
           Case{"Von Anna Schmidt, Jan Lukas Meier und Paul Weber, NDR",
                {"Anna Schmidt", "Jan Lukas Meier", "Paul Weber"}},
           Case{"Di Marco Rossi", {"Marco Rossi"}},
           Case{"Article by Barry Alleyne", {"Barry Alleyne"}},
           Case{"By Staff and news service reports", {"Staff and news service reports"}},  // a desk byline
           Case{"By Our Foreign Staff", {"Our Foreign Staff"}},
           Case{"By entering the war, the country changed its course for good.", {}},
           Case{"Email the author", {}},
           Case{"Social sharing", {}},
       }) {
    EXPECT_EQ(byline_authors(c.line), c.names) << c.line;
  }
}

TEST(HeaderDate, FormatsRealPagesUse) {
  struct Case {
    const char* line;
    const char* iso;  ///< nullptr: no date
    bool day_first;
  };
  for (const Case& c : {
           Case{"Nov. 20, 2019 5:52 AM EST", "2019-11-20", false},
           Case{"20 Nov 2019 08:00 GMT", "2019-11-20", false},
           Case{"NOVEMBER 20, 2019", "2019-11-20", false},
           Case{"November 20th, 2019", "2019-11-20", false},
           Case{"December 15, 20163:33 PM ET", "2016-12-15", false},
           Case{"Associated PressDecember 2, 2016", "2016-12-02", false},
           Case{"2019-11-20T05:52:00Z", "2019-11-20", false},
           Case{"By Justine Coleman - 11/18/19 11:04 PM EST", "2019-11-18", false},
           Case{"20/11/2019", "2019-11-20", false},                  // only day first is possible
           Case{"07/05/2022 20H06 - ACTUALIZADO A 07/05/2022 20H17", "2022-05-07", true},
           Case{"07/05/2022", "2022-07-05", false},                  // English: month first
           Case{"Stand: 28.04.2020 18:00 Uhr", "2020-04-28", true},
           Case{"AFP 30 avril 2015 à 07:19 (Mis à jour : 30 avril 2015 à 07:38)", "2015-04-30", true},
           Case{"postado em 04/05/2022 05:49 / atualizado em 04/05/2022 05:50", "2022-05-04", true},
           Case{"Pubblicato il 19 Febbraio 2020 Ultima modifica 19 Febbraio 2020 12:02", "2020-02-19", true},
           Case{"15 августа 2016, 13:43", "2016-08-15", true},
           Case{"15 de mayo de 2022", "2022-05-15", true},
           Case{"22 Dec, 2016 22 Dec, 2016", "2016-12-22", false},
           Case{"Updated November 19, 2019 | Published November 18, 2019", "2019-11-18", false},
           Case{"Updated 6 hours ago", nullptr, false},
           Case{"November 19", nullptr, false},  // no year
       }) {
    auto d = find_date_in_line(c.line, DateOptions{c.day_first, true});
    EXPECT_EQ(d ? d->iso : "<none>", c.iso ? c.iso : "<none>") << c.line;
  }
}

TEST(HeaderDate, PublishedPreferredAndCaptionsIgnored) {
  // The caption's and the related list's dates are not the article's; an update date is taken only
  // when no publication date is stated; a label alone on its line labels the next one.
  Article a = extract_text_article(
      "Bridge closed for repairs after cracks found\n\n  • Updated:\n    Mar 6, 2018\n"
      "    Original:\n    Dec 21, 2016\n\nThe old bridge on May 23, 2014. (AP Photo/Jane Roe)\n\n"
      "The city council voted on Tuesday to close the old bridge for repairs after inspectors found "
      "cracks.\n\n"
      "Work will start next month and is expected to last until the spring, officials said on Wednesday.\n");
  EXPECT_EQ(a.date.value_or("<none>"), "2016-12-21");
  ASSERT_EQ(a.provenance.count("date"), 1u);
  EXPECT_EQ(a.provenance["date"].line, 6u);
  EXPECT_EQ(a.provenance["date"].text, "Dec 21, 2016");
}

TEST(Extract, WireCopyAndProvenance) {
  Article a = extract_text_article(
      "Welcome to The Detroit News\n\n[logo]\n\nThousands of teachers pack Statehouse for protest\n\n"
      "Tom Davies Associated Press\nPublished 11:34 PM EST Nov 19, 2019\n\n"
      "Indianapolis – Several thousand teachers wearing red surrounded the Statehouse on Tuesday "
      "to call for better pay.\n\n“We are here for our students,” said Angela Cooper, a "
      "teacher from Indianapolis.\n");
  EXPECT_EQ(a.title.value_or(""), "Thousands of teachers pack Statehouse for protest");
  EXPECT_EQ(a.author.value_or("<none>"), "Tom Davies");
  EXPECT_EQ(a.outlet.value_or("<none>"), "The Detroit News");
  EXPECT_EQ(a.wire.value_or("<none>"), "Associated Press");
  EXPECT_EQ(a.date.value_or("<none>"), "2019-11-19");
  EXPECT_EQ(a.provenance["title"].line, 5u);
  EXPECT_EQ(a.provenance["author"].line, 7u);
  EXPECT_EQ(a.provenance["wire"].line, 7u);
  EXPECT_EQ(a.provenance["date"].line, 8u);
  EXPECT_EQ(a.provenance["outlet"].line, 1u);
  // Neither the byline nor the date line is a passage; the speaker is found, the author is not one.
  ASSERT_EQ(a.passages.size(), 2u);
  EXPECT_EQ(a.passages[1].speakers, (std::vector<std::string>{"Angela Cooper"}));
}

TEST(Extract, ChromeIsNeverAPassageOrASpeaker) {
  Article a = extract_text_article(
      "Bridge closed for repairs after cracks found\n\nBy Jane Doe\n\n"
      "The city council voted on Tuesday to close the old bridge for repairs after inspectors found "
      "cracks.\n\n"
      "Related Stories\n\n  • “We will win,” says Mayor John Roe\n"
      "  • Council approves budget\n\n"
      "Work will start next month and is expected to last until the spring, officials said on Wednesday.\n\n"
      "Facebook Twitter Email\n");
  ASSERT_EQ(a.passages.size(), 2u);
  for (const Passage& p : a.passages) EXPECT_TRUE(p.speakers.empty()) << p.text;
  EXPECT_EQ(a.author.value_or("<none>"), "Jane Doe");
}

TEST(Extract, WithoutAHeadlineNoTextIsLost) {
  // No headline: a short first paragraph above the body start is still a passage; the date line is not.
  Article a = extract_text_article(
      "March 3, 2021\n\nExplosions rocked the capital.\n\nThe city council voted on Tuesday to close the old "
      "bridge for repairs after inspectors found cracks.\n\nWork will start next month and is expected to "
      "last until the spring, officials said on Wednesday.\n");
  EXPECT_FALSE(a.title.has_value());
  EXPECT_EQ(a.date.value_or("<none>"), "2021-03-03");
  ASSERT_EQ(a.passages.size(), 3u);
  EXPECT_EQ(a.passages[0].text, "Explosions rocked the capital.");
}

TEST(Extract, ShortOrRepeatedParagraphsAreNeverAllDropped) {
  // No line is long enough to pass for prose, or every line repeats: the chrome rules cannot tell such an
  // article from a menu, so its whole text is kept rather than the article lost (a regression of the
  // layout rules: both used to give no passage at all).
  std::string short_lines = "Harbour Reopens After Repairs\n\n";
  for (int i = 0; i < 60; ++i) short_lines += "The harbour reopened on day " + std::to_string(i) + ".\n\n";
  Article a = extract_text_article(short_lines);
  EXPECT_GE(a.passages.size(), 59u);
  std::string repeated = "Harbour Reopens After Repairs\n\n";
  for (int i = 0; i < 50; ++i) repeated += "The harbour reopened on Monday after repairs, officials said.\n\n";
  EXPECT_GE(extract_text_article(repeated).passages.size(), 1u);
}

TEST(Language, GuessedFromFunctionWords) {
  EXPECT_EQ(guess_language("The minister said that the talks were over and the team was going home."), "en");
  EXPECT_EQ(guess_language("Le ministre a dit que les discussions étaient terminées et que "
                           "des accords sont dans une impasse."),
            "fr");
  EXPECT_EQ(guess_language("Der Minister sagte, die Gespräche seien nicht beendet und die Arbeit mit "
                           "den Partnern gehe weiter."),
            "de");
  EXPECT_EQ(guess_language("El ministro dijo que las conversaciones con los socios del gobierno por una "
                           "salida siguen."),
            "es");
}

TEST(Speakers, ReportingVerbsOfOtherLanguages) {
  struct Case {
    const char* text;
    const char* speaker;
  };
  for (const Case& c : {
           Case{"« Nous restons mobilisés », a déclaré Laurent Fabius jeudi.",
                "Laurent Fabius"},
           Case{"\"Seguiremos trabajando\", dijo Ana García.", "Ana García"},
           Case{"\"Vamos manter o diálogo\", afirmou Rodrigo Pacheco.", "Rodrigo Pacheco"},
           Case{"\"Das ist besorgniserregend\", sagte Tobias Lindner.", "Tobias Lindner"},
           // A description with its article before the name: the name is the speaker.
           Case{"Der Hamburger Datenschutzbeauftragte Johannes Caspar erklärt, dass Unternehmen eine Frist "
                "haben. \"Die Meldung muss innerhalb von 72 Stunden kommen.\"",
                "Johannes Caspar"},
           Case{"\"Continueremo a lavorare\", ha dichiarato Marco Rossi.", "Marco Rossi"},
           Case{"«Мы победим», "
                "заявил Иван "
                "Петров.",
                "Иван Петров"},
       }) {
    std::vector<Passage> passages(1);
    passages[0].text = c.text;
    attribute_speakers(passages);
    EXPECT_EQ(passages[0].speakers, (std::vector<std::string>{c.speaker})) << c.text;
  }
}

TEST(Speakers, PronounNeverContradictsAFirstName) {
  auto run = [](const char* second) {
    std::vector<Passage> passages(2);
    passages[0].text = "The committee will be led by the deputy, Mary Jones, and will report in July.";
    passages[1].text = second;
    attribute_speakers(passages);
    return passages[1].speakers;
  };
  EXPECT_EQ(run("“We will report in July,” she said."), (std::vector<std::string>{"Mary Jones"}));
  EXPECT_TRUE(run("“I apologise to these colleagues,” he said.").empty());  // not Mary Jones
}

}  // namespace
}  // namespace dateline
