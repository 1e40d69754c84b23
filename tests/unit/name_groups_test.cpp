/** @file
 *  @brief Speaker facet rows merged per person (searcher/name_groups.h) and their JSON/text output.
 */
#include "searcher/name_groups.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "searcher/printers.h"

namespace dateline {
namespace {

using Rows = std::vector<FacetCount>;

TEST(GroupNames, SpellingsScriptsAndSurnamesOfOnePersonAreOneRow) {
  Rows rows = {{"Reagan", 95},          {"Nigel Lawson", 37},  {"Lawson", 30},       {"Ronald Reagan", 11},
               {"Volodymyr Zelensky", 9}, {"Zelenskyy", 4},    {"Зеленский", 3},     {"Volodymyr Zelenskyy", 2},
               {"Zelensky", 1}};
  std::vector<NameRow> got = group_names(rows);
  std::vector<NameRow> want = {
      {"Ronald Reagan", 106, {"Reagan"}},
      {"Nigel Lawson", 67, {"Lawson"}},
      {"Volodymyr Zelensky", 19, {"Zelenskyy", "Зеленский", "Volodymyr Zelenskyy", "Zelensky"}},
  };
  EXPECT_EQ(got, want);
}

TEST(GroupNames, AFullNameInAnotherScriptJoinsItsRomanisedTwin) {
  Rows rows = {{"Alexander Lukashenko", 40}, {"Александр Лукашенко", 3}, {"Volodymyr Zelensky", 9},
               {"Володимир Зеленський", 2}, {"Mark Brett", 2}, {"Mary Brett", 1}};
  std::vector<NameRow> want = {{"Alexander Lukashenko", 43, {"Александр Лукашенко"}},
                               {"Volodymyr Zelensky", 11, {"Володимир Зеленський"}},
                               {"Mark Brett", 2, {}},
                               {"Mary Brett", 1, {}}};  // both Latin: one letter apart is another person
  EXPECT_EQ(group_names(rows), want);
}

TEST(GroupNames, DifferentPeopleStayApart) {
  Rows rows = {{"Tony Blair", 71}, {"Blair", 20}, {"Bob Blair", 3}, {"Alexander Lukashenko", 40},
               {"Alexander Volfovich", 5}, {"Alexander", 2}, {"GM", 23}, {"Gm", 1}};
  std::vector<NameRow> got = group_names(rows);
  std::vector<NameRow> want = {{"Tony Blair", 71, {}},         {"Alexander Lukashenko", 40, {}}, {"GM", 23, {}},
                               {"Blair", 20, {}},              {"Alexander Volfovich", 5, {}},   {"Bob Blair", 3, {}},
                               {"Alexander", 2, {}},           {"Gm", 1, {}}};
  EXPECT_EQ(got, want);
}

TEST(GroupNames, ArchiveContextKeepsOrganisationsAndOtherOutletsApart) {
  Rows rows = {{"Salomon", 13}, {"Century", 12}, {"Centuri", 12}, {"Barber", 4}, {"Robert Salomon", 4},
               {"Brendan Barber", 3}, {"Lawson", 3}, {"Nigel Lawson", 2}};
  SpeakerContexts context;
  context["Salomon"] = {13, 2, false, {{"Reuters\t1987", 13}}};
  context["Salomon"].in_organisation_name = true;  // named as an organisation by two articles
  context["Robert Salomon"] = {4, 0, false, {{"Reuters\t1987", 4}}};
  context["Barber"] = {4, 0, false, {{"Reuters\t1987", 1}, {"BBC News\t", 3}}};
  context["Brendan Barber"] = {3, 0, false, {{"BBC News\t", 3}}};
  context["Lawson"] = {3, 0, false, {{"Reuters\t1987", 3}}};
  context["Nigel Lawson"] = {2, 0, false, {{"Reuters\t1988", 2}}};
  const std::vector<NameRow> got = group_names(rows, 0, &context);
  const std::vector<NameRow> want = {{"Salomon", 13, {}},       {"Centuri", 12, {}},       {"Century", 12, {}},
                                     {"Nigel Lawson", 5, {"Lawson"}}, {"Barber", 4, {}},  {"Robert Salomon", 4, {}},
                                     {"Brendan Barber", 3, {}}};
  EXPECT_EQ(got, want);
  // Without the context only the one full name counts: "Barber" joins "Brendan Barber".
  EXPECT_EQ(name_labels(rows)["Barber"], "Brendan Barber");
}

TEST(GroupNames, LimitTopRowsAndLabels) {
  Rows rows = {{"Reagan", 95}, {"Treasury", 70}, {"Ronald Reagan", 11}, {"Fed", 33}};
  EXPECT_EQ(group_names(rows, 1), (std::vector<NameRow>{{"Ronald Reagan", 106, {"Reagan"}}}));
  EXPECT_EQ(top_name_rows(rows, 1), (Rows{{"Reagan", 95}, {"Ronald Reagan", 11}}));
  EXPECT_EQ(top_name_rows(rows, 0), rows);
  auto labels = name_labels(rows);
  EXPECT_EQ(labels["Reagan"], "Ronald Reagan");
  EXPECT_EQ(labels["Ronald Reagan"], "Ronald Reagan");
  EXPECT_EQ(labels["Fed"], "Fed");
  EXPECT_TRUE(group_names({}).empty());
  EXPECT_TRUE(group_names({{"", 3}, {"  ", 1}}).empty());
}

TEST(GroupNames, PrintersShowVariants) {
  SearchResult r;
  r.query = "x";
  r.total = 2;
  r.facets.push_back({"speaker", {{"Reagan", 5}, {"Ronald Reagan", 2}, {"Fed", 1}}, true});
  r.facets.push_back({"outlet", {{"Reuters", 2}}, true});
  std::ostringstream json;
  make_printer(Format::kJson, json, {})->print(r);
  EXPECT_NE(json.str().find(R"("facets":{"speaker":[{"value":"Ronald Reagan","count":7,"variants":["Reagan"]},)"
                            R"({"value":"Fed","count":1}],"outlet":[{"value":"Reuters","count":2}]})"),
            std::string::npos)
      << json.str();
  std::ostringstream text;
  make_printer(Format::kText, text, {})->print(r);
  EXPECT_NE(text.str().find("facet speaker:\n  7  Ronald Reagan  (also Reagan)\n  1  Fed\n"), std::string::npos)
      << text.str();
}

}  // namespace
}  // namespace dateline
