# Tests of outlets, authors and speakers (dateline_add_test lines).
dateline_add_test(outlets_test unit/outlets_test.cpp LIBS dateline::articles)
dateline_add_test(people_test unit/people_test.cpp LIBS dateline::articles)
dateline_add_test(speakers_test unit/speakers_test.cpp LIBS dateline::articles)
dateline_add_test(gold_people_test unit/gold_people_test.cpp LIBS dateline::articles nlohmann_json::nlohmann_json)
