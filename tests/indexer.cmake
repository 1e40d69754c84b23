# Tests of the indexer area (dateline_add_test lines).
dateline_add_test(document_builder_test unit/document_builder_test.cpp LIBS dateline::indexer_documents)
