/** @file
 *  @brief Outlet gazetteer (canonical names, aliases, domains) and publisher signals vs cited outlets.
 */
#include "articles/outlets.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dateline::data {
std::string_view outlets();
}  // namespace dateline::data

namespace dateline {
namespace {

struct CanonCase {
  std::string input;
  std::optional<std::string> expected;
};

TEST(CanonicalOutlet, NamesAliasesAndDomains) {
  const std::vector<CanonCase> cases = {
      {"The Washington Times", "The Washington Times"},
      {"Washington Times", "The Washington Times"},
      {"the washington times", "The Washington Times"},
      {"WASHINGTON TIMES", "The Washington Times"},
      {"  The   Washington\tTimes ", "The Washington Times"},
      {"Washington Times,", "The Washington Times"},
      {"WashTimes", "The Washington Times"},
      {"washingtontimes.com", "The Washington Times"},
      {"www.washingtontimes.com", "The Washington Times"},
      {"https://www.washingtontimes.com/news/2022/feb/24/belarus/", "The Washington Times"},
      {"http://WashingtonTimes.com:80/x?y=1#z", "The Washington Times"},
      {"Pravda.Ru", "Pravda.Ru"},
      {"Pravda Ru", "Pravda.Ru"},
      {"Pravda", "Pravda.Ru"},
      {"english.pravda.ru", "Pravda.Ru"},
      {"https://english.pravda.ru/world/150000-lukashenko/", "Pravda.Ru"},
      {"Newsweek", "Newsweek"},
      {"newsweek.com", "Newsweek"},
      {"Newsweek's", "Newsweek"},
      {"Newsweek\xE2\x80\x99s", "Newsweek"},
      {"BBC", "BBC News"},
      {"bbc.co.uk", "BBC News"},
      {"news.bbc.co.uk", "BBC News"},
      {"Thomson Reuters", "Reuters"},
      {"reuters.com", "Reuters"},
      {"The Moscow Times", "The Moscow Times"},
      {"Moscow Times", "The Moscow Times"},
      {"Daily Express", "Daily Express"},
      {"the Express", "Daily Express"},
      {"express.co.uk", "Daily Express"},
      {"The Guardian", "The Guardian"},
      {"AP", "Associated Press"},
      {"AFP", "Agence France-Presse"},
      {"BelTA", "BelTA"},
      {"Kyiv Independent", "Kyiv Independent"},
      {"Al Jazeera", "Al Jazeera"},
      {"Süddeutsche Zeitung", "Süddeutsche Zeitung"},
      // Not outlets: platforms, places, people, empty input, unknown domains.
      {"YouTube", std::nullopt},
      {"Telegram", std::nullopt},
      {"Facebook", std::nullopt},
      {"Belarus", std::nullopt},
      {"Alexander Lukashenko", std::nullopt},
      {"Kremlin", std::nullopt},
      {"", std::nullopt},
      {"   ", std::nullopt},
      {"example.com", std::nullopt},
      {"com", std::nullopt},
  };
  for (const CanonCase& c : cases) {
    EXPECT_EQ(canonical_outlet(c.input), c.expected) << "input: '" << c.input << "'";
  }
}

TEST(CanonicalOutlet, OrSelfTidiesUnknownNames) {
  EXPECT_EQ(canonical_outlet_or_self("  Some   Local\tGazette "), "Some Local Gazette");
  EXPECT_EQ(canonical_outlet_or_self("washington times"), "The Washington Times");
  EXPECT_EQ(canonical_outlet_or_self(""), "");
}

TEST(OutletAliases, ListsCanonicalThenAliases) {
  EXPECT_EQ(outlet_aliases("WaPo"),
            (std::vector<std::string>{"The Washington Post", "Washington Post", "WaPo"}));
  EXPECT_EQ(outlet_aliases("newsweek.com"), (std::vector<std::string>{"Newsweek"}));
  EXPECT_TRUE(outlet_aliases("Nobody's Gazette").empty());
}

// Every name, alias and domain in the gazetteer maps back to its own entry: no two outlets claim the
// same key, and the file keeps its three columns. Also the gazetteer is a real one (200+ outlets).
TEST(Gazetteer, EveryEntryRoundTrips) {
  std::string_view text = data::outlets();
  size_t entries = 0;
  size_t b = 0;
  while (b < text.size()) {
    size_t e = text.find('\n', b);
    if (e == std::string_view::npos) e = text.size();
    std::string_view line = text.substr(b, e - b);
    b = e + 1;
    if (line.empty() || line.front() == '#') continue;
    ++entries;
    std::vector<std::string> cols;
    size_t p = 0;
    while (true) {
      size_t t = line.find('\t', p);
      cols.emplace_back(line.substr(p, t == std::string_view::npos ? std::string_view::npos : t - p));
      if (t == std::string_view::npos) break;
      p = t + 1;
    }
    ASSERT_EQ(cols.size(), 3u) << "line: " << line;
    const std::string& canonical = cols[0];
    EXPECT_EQ(canonical_outlet(canonical), canonical);
    for (size_t col = 1; col < 3; ++col) {
      size_t q = 0;
      while (q < cols[col].size()) {
        size_t bar = cols[col].find('|', q);
        if (bar == std::string::npos) bar = cols[col].size();
        std::string item = cols[col].substr(q, bar - q);
        q = bar + 1;
        if (item.empty()) continue;
        EXPECT_EQ(canonical_outlet(item), canonical) << (col == 1 ? "alias " : "domain ") << item;
      }
    }
  }
  EXPECT_GE(entries, 200u);
}

struct OutletCase {
  std::string name;
  std::string text;
  std::optional<std::string> expected;
};

TEST(ExtractOutlet, PublisherSignalsWinCitedOutletsNever) {
  const std::vector<OutletCase> cases = {
      {"copyright line",
       "Story text here.\n\nCopyright \xC2\xA9 2024 The Washington Times, LLC. Click here.\n",
       "The Washington Times"},
      {"copyright symbol only", "Text.\n\n\xC2\xA9 2023 Reuters. All rights reserved.\n", "Reuters"},
      {"copyright with year range", "Text.\nCopyright 2019-2023 Kyiv Post\n", "Kyiv Post"},
      {"header line", "- The Washington Times - Thursday, February 24, 2022\n\nBody.\n",
       "The Washington Times"},
      {"header with pipe", "Al Jazeera | 3 March 2022\n\nBody text.\n", "Al Jazeera"},
      {"subscribe", "Body.\n\nSubscribe to Pravda.Ru Telegram channel, Facebook, RSS!\n", "Pravda.Ru"},
      {"not able to confirm", "Body.\nNewsweek was not able to independently confirm these restrictions.\n",
       "Newsweek"},
      {"reached out", "Body.\nThe Kyiv Independent reached out to the ministry for comment.\n",
       "Kyiv Independent"},
      {"has contacted", "Body.\nThe Guardian has contacted the embassy.\n", "The Guardian"},
      {"wire dateline", "KYIV, Ukraine (Reuters) - Ukraine said on Monday that talks would resume.\n",
       "Reuters"},
      {"wire dateline with em dash", "MOSCOW (AP) \xE2\x80\x94 Officials said nothing.\n",
       "Associated Press"},
      {"staff e-mail", "Body.\n\xE2\x80\xA2 David R. Sands can be reached at dsands@washingtontimes.com.\n",
       "The Washington Times"},
      {"strongest signal wins",
       "Body, according to Reuters.\nThe Guardian was unable to verify the claim.\nCopyright 2022 Newsweek\n",
       "Newsweek"},
      // Cited outlets are never the publisher.
      {"according to", "The troops were defensive, according to The Moscow Times.\n", std::nullopt},
      {"told outlet", "Mark Voyger told London's Daily Express that there is a concern.\n", std::nullopt},
      {"reported by", "In an open letter that was reported by the Express, officers argued.\n", std::nullopt},
      {"photo credit", "Caption.\nMikhail Klimentyev/Sputnik/AFP via Getty Images\n", std::nullopt},
      {"photo credit in parentheses", "Caption. (Sputnik/Ramil Sitdikov/Kremlin via Reuters)\n",
       std::nullopt},
      {"news agency", "according to an account in the official BelTA news agency.\n", std::nullopt},
      {"interview with", "In an interview with The Guardian, he said so.\n", std::nullopt},
      {"a bare link is too weak", "Read more: https://www.bbc.com/news/world-12345 about it.\n",
       std::nullopt},
      {"platforms are not outlets", "Subscribe to our YouTube channel and Telegram!\n", std::nullopt},
      {"lower-case subject", "The agency was not able to confirm it.\n", std::nullopt},
      {"nothing at all", "", std::nullopt},
  };
  for (const OutletCase& c : cases) {
    EXPECT_EQ(extract_outlet(c.text), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace dateline
