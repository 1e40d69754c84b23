# Tests of the searcher area (dateline_add_test lines).
dateline_add_test(snippets_test unit/snippets_test.cpp LIBS dateline::searcher)
dateline_add_test(printers_test unit/printers_test.cpp LIBS dateline::searcher)
dateline_add_test(searcher_test unit/searcher_test.cpp LIBS dateline::searcher)
