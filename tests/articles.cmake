# Tests of the articles area (dateline_add_test lines).
dateline_add_test(dates_test unit/dates_test.cpp LIBS dateline::articles)
dateline_add_test(encoding_test unit/encoding_test.cpp LIBS dateline::articles)
dateline_add_test(gold_articles_test unit/gold_articles_test.cpp LIBS dateline::articles)
dateline_add_test(passages_test unit/passages_test.cpp LIBS dateline::articles)
dateline_add_test(reader_test unit/reader_test.cpp LIBS dateline::articles)
dateline_add_test(reader_stream_test unit/reader_stream_test.cpp LIBS dateline::articles)
dateline_add_test(layout_test unit/layout_test.cpp LIBS dateline::articles)
