# Reliability tests (issue 7): crash safety, concurrency, damaged databases, hostile inputs and queries.
dateline_add_test(reliability_test e2e/reliability_test.cpp LIBS PkgConfig::XAPIAN nlohmann_json::nlohmann_json)
add_dependencies(reliability_test dateline-index dateline-search)
dateline_add_test(database_paths_test e2e/database_paths_test.cpp LIBS dateline::indexer PkgConfig::XAPIAN)
add_dependencies(database_paths_test dateline-index dateline-search)
# Memory bounds per input kind (issue 17): gzip bombs, endless standard input, huge sidecars, devices,
# --manifest /dev/zero, each under a 1 GiB address-space limit.
dateline_add_test(bounds_test e2e/bounds_test.cpp LIBS nlohmann_json::nlohmann_json ZLIB::ZLIB)
add_dependencies(bounds_test dateline-index)
