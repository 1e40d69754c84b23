# Smoke runs of the bench/ scripts on tiny data, so they cannot rot (figures come from the real runs).
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME bench_trec_eval_selftest COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/lib/trec_eval.py --selftest)
  add_test(NAME bench_relevance_smoke
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/relevance --bin ${CMAKE_BINARY_DIR}/bin
                   --data ${PROJECT_SOURCE_DIR}/tests/data/beir-mini --json)
  # The three queries each have one relevant document that shares their rare words: a working engine puts it first.
  set_tests_properties(bench_relevance_smoke PROPERTIES PASS_REGULAR_EXPRESSION "\"ndcg@10\": 1.0,")
endif()
