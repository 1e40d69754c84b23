# Tests of the indexer area (dateline_add_test lines).
