# Tests of the articles area (dateline_add_test lines).
dateline_add_test(dates_test unit/dates_test.cpp LIBS dateline::articles)
