# Tests of the indexer area (dateline_add_test lines).
dateline_add_test(document_builder_test unit/document_builder_test.cpp LIBS dateline::indexer_documents)
dateline_add_test(indexer_test unit/indexer_test.cpp LIBS dateline::indexer dateline_test_db)
dateline_add_test(index_cli_test e2e/index_cli_test.cpp LIBS dateline::indexer_documents dateline_test_db)
add_dependencies(index_cli_test dateline-index)
# A wget --warc-file crawl of pages served on 127.0.0.1, indexed and searched (issue 20).
dateline_add_test(warc_cli_test e2e/warc_cli_test.cpp)
add_dependencies(warc_cli_test dateline-index dateline-search)
