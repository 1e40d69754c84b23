# Tests of the analyzers area (dateline_add_test lines).
dateline_add_test(analyzer_test unit/analyzer_test.cpp LIBS dateline::analyzers)
dateline_add_test(stemmer_test unit/stemmer_test.cpp LIBS dateline::analyzers)
dateline_add_test(database_test unit/database_test.cpp LIBS dateline::analyzers)
