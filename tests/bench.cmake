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

# bench/index and bench/search on a 12-article invented corpus (tests/data/news-mini.jsonl): the scripts run end to
# end and print a row per run / per query class and format.
if(Python3_FOUND)
  add_test(NAME bench_index_smoke
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/index --bin ${CMAKE_BINARY_DIR}/bin
                   --corpus ${PROJECT_SOURCE_DIR}/tests/data/news-mini.jsonl --copies 2 --threads 1 --json)
  set_tests_properties(bench_index_smoke PROPERTIES
                       PASS_REGULAR_EXPRESSION "\"corpus\": \"x2\",[^}]*\"articles\": 24,[^}]*\"passages\": [1-9]")
  add_test(NAME bench_search_smoke
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/search --bin ${CMAKE_BINARY_DIR}/bin
                   --corpus ${PROJECT_SOURCE_DIR}/tests/data/news-mini.jsonl --min-df 2 --per-class 2 --passes 1 --json)
  set_tests_properties(bench_search_smoke PROPERTIES
                       PASS_REGULAR_EXPRESSION "\"format\": \"json\",[^}]*\"class\": \"facet\",[^}]*\"queries\": 2,")
endif()

# bench/extraction on three real pages (tests/data/pages-mini, from ../shared/pages): the script runs end to end
# and the extractor gets their title, date, outlet, wire and author right.
if(Python3_FOUND)
  add_test(NAME bench_extraction_smoke
           COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/extraction --bin ${CMAKE_BINARY_DIR}/bin
                   --pages ${PROJECT_SOURCE_DIR}/tests/data/pages-mini/text --json --quiet)
  set_tests_properties(bench_extraction_smoke PROPERTIES PASS_REGULAR_EXPRESSION
                       "\"pages\": 3, \"title\": {\"accuracy\": 1.0,[^}]*}, \"date\": {\"accuracy\": 1.0,[^}]*}, \"outlet\": {\"accuracy\": 1.0,")
endif()
