# Tests of the articles area (dateline_add_test lines).
