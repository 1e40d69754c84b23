# Tests of the searcher area (dateline_add_test lines).
dateline_add_test(snippets_test unit/snippets_test.cpp LIBS dateline::searcher)
dateline_add_test(printers_test unit/printers_test.cpp LIBS dateline::printers)
dateline_add_test(searcher_test unit/searcher_test.cpp LIBS dateline::searcher)
dateline_add_test(search_cli_test e2e/search_cli_test.cpp)
add_dependencies(search_cli_test dateline-index dateline-search)
dateline_add_test(weight_test unit/weight_test.cpp LIBS dateline::searcher)
