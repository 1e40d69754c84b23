# Shipping (issue 22): man pages and completions agree with --help, install into a prefix, the .deb.
# tests/e2e/ship_test.py; label "install" (the prefix and .deb tests install and package the build).
set(ship_test ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/ship_test.py)
add_test(NAME ship.flags COMMAND ${ship_test} flags --bin ${CMAKE_BINARY_DIR}/bin --man ${CMAKE_BINARY_DIR}/man
                                 --source ${PROJECT_SOURCE_DIR})
add_test(NAME ship.bash_completion COMMAND ${ship_test} bash --bin ${CMAKE_BINARY_DIR}/bin
                                           --completions ${CMAKE_BINARY_DIR}/completions --source ${PROJECT_SOURCE_DIR})
add_test(NAME ship.zsh_completion COMMAND ${ship_test} zsh --bin ${CMAKE_BINARY_DIR}/bin
                                          --completions ${CMAKE_BINARY_DIR}/completions --source ${PROJECT_SOURCE_DIR})
set_tests_properties(ship.zsh_completion PROPERTIES SKIP_RETURN_CODE 77)
add_test(NAME ship.install_prefix COMMAND ${ship_test} prefix --build ${CMAKE_BINARY_DIR} --source ${PROJECT_SOURCE_DIR})
add_test(NAME ship.deb COMMAND ${ship_test} deb --build ${CMAKE_BINARY_DIR} --source ${PROJECT_SOURCE_DIR})
set_tests_properties(ship.install_prefix ship.deb PROPERTIES LABELS install)
