# Tests of the searcher area (dateline_add_test lines).
