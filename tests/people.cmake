# Tests of outlets, authors and speakers (dateline_add_test lines).
