# Tests of the query area (dateline_add_test lines).
dateline_add_test(query_parser_test unit/query_parser_test.cpp LIBS dateline::query)
dateline_add_test(query_compiler_test unit/query_compiler_test.cpp LIBS dateline::query)
