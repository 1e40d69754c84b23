# Tests of the analyzers area (dateline_add_test lines).
