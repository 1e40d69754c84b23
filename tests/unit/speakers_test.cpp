/** @file
 *  @brief Speaker attribution: quote patterns, speech verbs, pronouns, name resolution, non-speakers.
 *
 *  Each case is an invented article (one string per passage) and the speakers expected in each passage.
 */
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "articles/outlets.h"
#include "articles/people.h"

namespace dateline {
namespace {

using Names = std::vector<std::string>;

struct SpeakerCase {
  std::string name;
  std::vector<std::string> passages;
  std::vector<Names> expected;  ///< one list per passage
  Names not_people = {};
};

std::vector<Names> attribute(const SpeakerCase& c) {
  std::vector<Passage> passages;
  for (const std::string& text : c.passages) {
    Passage p;
    p.text = text;
    passages.push_back(p);
  }
  attribute_speakers(passages, c.not_people);
  std::vector<Names> out;
  for (const Passage& p : passages) out.push_back(p.speakers);
  return out;
}

void run(const std::vector<SpeakerCase>& cases) {
  for (const SpeakerCase& c : cases) {
    ASSERT_EQ(c.passages.size(), c.expected.size()) << c.name;
    EXPECT_EQ(attribute(c), c.expected) << c.name;
  }
}

TEST(Speakers, QuoteThenSubjectAndVerb) {
  run({
      {"curly quote, surname said",
       {"Belarusian President Alexander Lukashenko met generals.", "“We are ready,” Lukashenko said."},
       {{}, {"Alexander Lukashenko"}}},
      {"straight quotes", {"\"Negotiations must begin,\" Maria Ivanova said."}, {{"Maria Ivanova"}}},
      {"mixed straight and curly", {"\"We never discussed it,” Olga Petrova said."}, {{"Olga Petrova"}}},
      {"guillemets", {"« Nous sommes prêts », Emmanuel Macron said."}, {{"Emmanuel Macron"}}},
      {"low-high quotes", {"„Wir sind bereit“, Olaf Scholz told reporters."}, {{"Olaf Scholz"}}},
      {"title stripped", {"“It is over,” Lt. Col. Ivan Petrov said."}, {{"Ivan Petrov"}}},
      {"unknown place before a title",
       {"“It worked,” Kyiv Mayor Vitali Klitschko wrote on Telegram."},
       {{"Vitali Klitschko"}}},
      {"a surname that is a title word", {"“Yes,” John King said."}, {{"John King"}}},
      {"auxiliaries and adverbs", {"“No,” Anna Berg has also repeatedly insisted."}, {{"Anna Berg"}}},
  });
}

TEST(Speakers, InvertedSaidX) {
  run({
      {"said X, title",
       {"“The movement of troops is routine,” said Viktor Gulevich, chief of the General Staff."},
       {{"Viktor Gulevich"}}},
      {"said X after a comma, surname resolved",
       {"Valery Sakhashchyk is a retired colonel.",
        "“The work of the forces is the key factor” that stopped it, said Sakhashchyk, now in exile."},
       {{}, {"Valery Sakhashchyk"}}},
      {"time phrase before the verb", {"BEIJING - China's foreign ministry on Tuesday warned Taiwan."}, {{}}},
      {"said Thursday is no one", {"“We left,” said Thursday's statement."}, {{}}},
      {"said the generic noun", {"“We are ready,” said the ministry."}, {{}}},
  });
}

TEST(Speakers, SubjectVerbWithoutQuotes) {
  run({
      {"X said that",
       {"Belarusian Defense Minister Viktor Khrenin said the deployment was defensive."},
       {{"Viktor Khrenin"}}},
      {"X told journalists",
       {"Lukashenko told journalists in late February that he would help."},
       {{"Lukashenko"}}},
      {"speech verbs from the list",
       {"Hanna Maliar claimed the attack failed.", "Oleh Syniehubov warned residents.",
        "Kaja Kallas argued that sanctions work.", "Josep Borrell announced new aid."},
       {{"Hanna Maliar"}, {"Oleh Syniehubov"}, {"Kaja Kallas"}, {"Josep Borrell"}}},
      {"sentence-final believes",
       {"Ukraine will cease to exist otherwise, Alexander Lukashenko believes."},
       {{"Alexander Lukashenko"}}},
      {"phrasal verb",
       {"Artyom Shraibman, a political analyst, pointed out that Putin has leverage."},
       {{"Artyom Shraibman"}}},
      {"appositive with a relative clause",
       {"Andriy Zagorodnyuk, a former adviser who left in 2020, believes the troops are no threat."},
       {{"Andriy Zagorodnyuk"}}},
      {"the appositive is the name",
       {"The head of the security council, Alexander Volfovich, said Western nations spread propaganda."},
       {{"Alexander Volfovich"}}},
      {"prepositional chain back to the head",
       {"Mark Voyger of the Transatlantic Defense and Security Program at the Center for European Analysis "
        "told "
        "London's Daily Express that there is a concern."},
       {{"Mark Voyger"}}},
  });
}

TEST(Speakers, Organisations) {
  run({
      {"organisation and its acronym",
       {"The Institute for the Study of War said in its assessment that Minsk is cautious.",
        "“The risk remains low,” the ISW said.", "The ISW also noted new flights."},
       {{"Institute for the Study of War"},
        {"Institute for the Study of War"},
        {"Institute for the Study of War"}}},
      {"acronym defined in parentheses",
       {"The Organization for Security and Co-operation in Europe (OSCE) sent monitors.",
        "The OSCE said it saw shelling."},
       {{}, {"Organization for Security and Co-operation in Europe"}}},
      {"unknown acronym stays", {"NATO said the alliance stood united."}, {{"NATO"}}},
      {"acronym before a title",
       {"EU Commissioner Thierry Breton said the rules apply."},
       {{"Thierry Breton"}}},
      {"named project",
       {"In a tweet, the Hajun Project said that no launches were recorded."},
       {{"Hajun Project"}}},
      {"spokesperson for an organisation",
       {"A spokesperson for the Ministry of Defence said the report was false."},
       {{"Ministry of Defence"}}},
      {"single proper institution", {"The Kremlin said it was disappointed."}, {{"Kremlin"}}},
  });
}

TEST(Speakers, AccordingTo) {
  run({
      {"according to a person",
       {"Lukashenko Alexander is a name order we do not see.",
        "A survey found support, according to Ryhor Astapenia, who leads a program."},
       {{}, {"Ryhor Astapenia"}}},
      {"according to an outlet is no speaker",
       {"The tasks are defensive, according to The Moscow Times."},
       {{}}},
      {"according to a generic source",
       {"Lukashenko is trying to help, according to a U.S. think tank."},
       {{}}},
      {"according to an account",
       {"He spoke, according to an account in the official BelTA news agency."},
       {{}}},
      {"according to him",
       {"“This is nonsense,” Alexander Lukashenko said.", "According to him, the army will not help."},
       {{"Alexander Lukashenko"}, {"Alexander Lukashenko"}}},
  });
}

TEST(Speakers, PronounsCarryTheLastNamedPerson) {
  run({
      {"he said after a named speaker",
       {"“We are not involved,” Mr. Lukashenko said.", "“Nobody asked us,” he said."},
       {{"Lukashenko"}, {"Lukashenko"}}},
      {"she added",
       {"Health Minister Maria Lopez spoke first.", "“We need help,” she added."},
       {{"Maria Lopez"}, {"Maria Lopez"}}},
      {"he refers to the subject, not to a name in the same sentence",
       {"“I saw it,” Mr. Lukashenko said.", "Mr. Putin, he claimed, agreed to the suggestion."},
       {{"Lukashenko"}, {"Lukashenko"}}},
      {"he after a person named without speech",
       {"For now, Ihor Klymenko is cautious.", "Later he said the police were ready."},
       {{}, {"Ihor Klymenko"}}},
      {"no antecedent", {"“We wait,” he said."}, {{}}},
      {"they is no named speaker", {"“We wait,” they said."}, {{}}},
  });
}

TEST(Speakers, NameResolutionToFullestForm) {
  run({
      {"titles, honorifics and surname",
       {"Belarusian President Alexander Lukashenko met his generals on Thursday.",
        "Mr. Lukashenko said the troops stay.", "President Lukashenko insisted on it.",
        "Lukashenko added that Minsk is calm."},
       {{}, {"Alexander Lukashenko"}, {"Alexander Lukashenko"}, {"Alexander Lukashenko"}}},
      {"president of a country",
       {"President of Belarus Alexander Lukashenko gave an interview.", "Lukashenko said so."},
       {{}, {"Alexander Lukashenko"}}},
      {"middle initial is the fullest form",
       {"Jane Q. Public was there.", "Jane Public said hello."},
       {{}, {"Jane Q. Public"}}},
      {"two people share a surname: no guess",
       {"Joe Biden and Hunter Biden arrived.", "Biden said the trip went well."},
       {{}, {"Biden"}}},
      {"family name first",
       {"Taiwanese President Lai Ching-te spoke.", "Lai added that dialogue was possible."},
       {{"Lai Ching-te"}, {"Lai Ching-te"}}},
      {"a first name shared by two people: no guess",
       {"Alexander Volfovich met Alexander Lukashenko.", "Alexander said it was fine."},
       {{}, {"Alexander"}}},
      {"particles",
       {"Ursula von der Leyen arrived.", "Von der Leyen added that sanctions would follow."},
       {{}, {"Ursula von der Leyen"}}},
  });
}

TEST(Speakers, QuotesSpanningAndRelayed) {
  run({
      {"continued quote keeps its speaker",
       {"“We will fight on,” said Olena Kovalenko. “We have no choice.", "“And we will win.”"},
       {{"Olena Kovalenko"}, {"Olena Kovalenko"}}},
      {"closed quote does not carry to the next passage",
       {"“We will fight on,” said Olena Kovalenko.", "“It is a lie.”"},
       {{"Olena Kovalenko"}, {}}},
      {"relayed quote keeps the relaying speaker",
       {"\"He literally told me: \"Listen, we are allies. Cover me, please,\" Lukashenko said quoting "
        "Putin."},
       {{"Lukashenko"}}},
      {"words inside quotes attribute nothing", {"“That is what Putin said to me,” he wrote."}, {{}}},
  });
}

TEST(Speakers, NeverSpeakers) {
  run({
      {"generic plural subject", {"“By entering the war we lose,” the officers reportedly wrote."}, {{}}},
      {"generic capitalised plural", {"Experts said the plan was flawed."}, {{}}},
      {"generic singular", {"The Belarusian military has also said that it is beefing up troops."}, {{}}},
      {"coordinated places", {"Both Minsk and Moscow said the troops would go home."}, {{}}},
      {"two names together", {"Smith and Jones said they agreed."}, {{}}},
      {"countries", {"Russia said it shot down drones.", "Ukraine reports heavy losses."}, {{}, {}}},
      {"places by their use in the article",
       {"Troops massed in Minsk.", "Minsk said the drills were over."},
       {{}, {}}},
      {"outlets", {"Newsweek reported the letter.", "The Guardian said it had seen the letter."}, {{}, {}}},
      {"photo agencies", {"Getty Images said nothing."}, {{}}},
      {"author and outlet given as not_people",
       {"Jane Doe said the article was finished.", "Doe added a note."},
       {{}, {}},
       {"Jane Doe", "The Daily Planet"}},
      {"passive voice",
       {"He was told by officials that he would be fired.", "Lukashenko was cited as saying so."},
       {{}, {}}},
      {"negation", {"Biden has not said whether he will run.", "Putin did not reveal his plans."}, {{}, {}}},
      {"bare noun forms are not verbs",
       {"The Putin claim was false.", "A Reuters report said otherwise."},
       {{}, {}}},
      {"headline in title case", {"Belarus Insists Troop Deployment With Russia Is Purely Defensive"}, {{}}},
      {"possessive is not the speaker", {"Lukashenko's spokesman said the talks were useful."}, {{}}},
  });
}

}  // namespace
}  // namespace dateline

namespace dateline {
namespace {

// Bad input never crashes and never invents a speaker, author or outlet.
TEST(Hostile, MalformedTextYieldsNothing) {
  const std::vector<std::string> texts = {
      std::string("\xff\xfe\xC3 said \x80\x80, \"", 14),
      std::string("\0\0\0 he said \0", 14),
      "\"\"\"\"\"\xE2\x80\x9C\xE2\x80\x9D\xE2\x80\x9D\xE2\x80\x9C said",
      "( ( ( ) ) ) , , , said said said according to according to",
      std::string(20000, 'A') + " said.",
      "By \xff\xfe",
      "Copyright \xC2\xA9 \xff",
      "\xC2\xA9",
      "",
  };
  for (const std::string& t : texts) {
    std::vector<Passage> passages(1);
    passages[0].text = t;
    attribute_speakers(passages);
    EXPECT_TRUE(passages[0].speakers.empty()) << t.substr(0, 40);
    EXPECT_EQ(extract_author(t), std::nullopt) << t.substr(0, 40);
    EXPECT_EQ(extract_outlet(t), std::nullopt) << t.substr(0, 40);
    EXPECT_FALSE(is_byline_line(t)) << t.substr(0, 40);
  }
  std::vector<Passage> none;
  attribute_speakers(none);  // no passages: nothing to do
  EXPECT_TRUE(none.empty());
}


TEST(CleanNames, TitlesRolesLegalFormsAndGroupsAreNotNames) {
  run({
      {"a title with an institution we do not know",
       {"Chancellor of the Exchequer Nigel Lawson said the pound was stable. \"We are calm,\" Lawson said.",
        "Secretary of State George Shultz said talks would go on."},
       {{"Nigel Lawson"}, {"George Shultz"}}},
      {"a complement ending in an organisation word names no person: the phrase stays whole",
       {"Head of the Main Directorate said nothing."},
       {{"Head of the Main Directorate"}}},
      {"possessive organisations and legal forms",
       {"Moody's Investors Service Inc said it cut the rating. General Motors Corp said sales fell.",
        "Russia's Defence Ministry said the drills ended. Standard and Poor's Corp said it agreed.",
        "American Motors Corp said sales fell."},
       {{"Moody's Investors Service", "General Motors"}, {"Defence Ministry", "Standard and Poor's"},
        {"American Motors"}}},
      {"unnamed groups",
       {"The Tories said it was a disgrace. Tory MPs said so. \"No,\" officials said.",
        "Western diplomats said talks had stalled, and senior bank officials said nothing."},
       {{}, {}}},
  });
}

TEST(CleanNames, RussianAndUkrainianTitlesDashesAndVerbs) {
  run({
      {"a title with a genitive complement",
       {"Президент Белоруссии Александр Лукашенко заявил в понедельник, что Минск готов.",
        "«Мы обеспечим безопасность», — сказал Лукашенко журналистам."},
       {{"Александр Лукашенко"}, {"Александр Лукашенко"}}},
      {"Ukrainian verbs",
       {"Мер Києва Віталій Кличко повідомив, що у місті діє комендантська година.",
        "«Київ стоїть», — сказав Кличко."},
       {{"Віталій Кличко"}, {"Віталій Кличко"}}},
  });
}

TEST(CleanNames, KindAndRoleOfEachSpeaker) {
  std::vector<Passage> passages(2);
  passages[0].text = "Chancellor of the Exchequer Nigel Lawson said the pound was stable.";
  passages[1].text = "\"We are calm,\" Lawson said. Moody's Investors Service Inc said it cut the rating.";
  std::map<std::string, SpeakerInfo> info;
  attribute_speakers(passages, {}, &info);
  EXPECT_EQ(passages[1].speakers, (Names{"Nigel Lawson", "Moody's Investors Service"}));
  ASSERT_EQ(info.size(), 2U);
  EXPECT_EQ(info["Nigel Lawson"], (SpeakerInfo{false, "Chancellor of the Exchequer"}));
  EXPECT_EQ(info["Moody's Investors Service"], (SpeakerInfo{true, ""}));
}

}  // namespace
}  // namespace dateline
