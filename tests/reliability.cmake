# Reliability tests (issue 7): crash safety, concurrency, damaged databases, hostile inputs and queries.
dateline_add_test(reliability_test e2e/reliability_test.cpp LIBS PkgConfig::XAPIAN nlohmann_json::nlohmann_json)
add_dependencies(reliability_test dateline-index dateline-search)
