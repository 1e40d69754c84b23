# Shared CLI glue, schema, and the binaries' --help/--version contract.
dateline_add_test(cli_test unit/cli_test.cpp LIBS dateline::cli)
dateline_add_test(base_test unit/base_test.cpp LIBS dateline::base)
dateline_add_test(schema_test unit/schema_test.cpp LIBS dateline::analyzers)
dateline_add_test(binaries_test e2e/binaries_test.cpp)
add_dependencies(binaries_test dateline-index dateline-search)
# Index-time and query-time analysis agree on every fixture word and phrase (issue 3).
dateline_add_test(agreement_test e2e/agreement_test.cpp LIBS dateline::indexer_documents dateline::articles dateline::searcher)
