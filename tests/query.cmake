# Tests of the query area (dateline_add_test lines).
