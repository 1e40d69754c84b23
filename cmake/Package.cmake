# Shipping: man pages and shell completions generated from the binaries' own --help (cmake/docgen.py, so
# they cannot drift from it), install rules (`cmake --install build --prefix PREFIX`) and the .deb (cpack).
include(GNUInstallDirs)
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(DATELINE_DOCGEN ${PROJECT_SOURCE_DIR}/cmake/docgen.py)
# The binaries run at build time; a sanitizer build must not fail on LeakSanitizer's exit report.
set(DATELINE_RUN_DOCGEN ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0 ${Python3_EXECUTABLE} ${DATELINE_DOCGEN})
set(dateline_generated)
foreach(prog dateline-index dateline-search)
  set(include ${PROJECT_SOURCE_DIR}/docs/man/${prog}.h2m)
  set(man ${CMAKE_BINARY_DIR}/man/${prog}.1)
  set(bash ${CMAKE_BINARY_DIR}/completions/bash/${prog})
  set(zsh ${CMAKE_BINARY_DIR}/completions/zsh/_${prog})
  add_custom_command(OUTPUT ${man}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND ${DATELINE_RUN_DOCGEN} man $<TARGET_FILE:${prog}> ${include} ${man} --version ${PROJECT_VERSION}
            --include-name docs/man/${prog}.h2m
    DEPENDS ${prog} ${DATELINE_DOCGEN} ${include} VERBATIM)
  add_custom_command(OUTPUT ${bash} ${zsh}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/completions/bash ${CMAKE_BINARY_DIR}/completions/zsh
    COMMAND ${DATELINE_RUN_DOCGEN} completion $<TARGET_FILE:${prog}> ${PROJECT_SOURCE_DIR}/completions/${prog}.bash.in ${bash}
    COMMAND ${DATELINE_RUN_DOCGEN} completion $<TARGET_FILE:${prog}> ${PROJECT_SOURCE_DIR}/completions/_${prog}.in ${zsh}
    DEPENDS ${prog} ${DATELINE_DOCGEN} ${PROJECT_SOURCE_DIR}/completions/${prog}.bash.in
            ${PROJECT_SOURCE_DIR}/completions/_${prog}.in VERBATIM)
  list(APPEND dateline_generated ${man} ${bash} ${zsh})
  install(FILES ${man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${bash} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
  install(FILES ${zsh} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
endforeach()
add_custom_target(dateline_docs ALL DEPENDS ${dateline_generated})

install(TARGETS dateline-index dateline-search RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/dateline)

# The .deb: `cpack -G DEB` in the build directory. Depends are computed by dpkg-shlibdeps from the
# libraries the binaries link (libxapian30, libicu72, libspdlog, libfmt, zlib, libxxhash, libc, libstdc++).
# cpack packages what is built (build first), without rebuilding the whole tree (tests included) first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_PACKAGE_NAME dateline)
set(CPACK_PACKAGE_VENDOR "Dateline")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Dateline maintainers <maintainers@users.noreply.h-seed-d6bfef19.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search for news archives")
set(CPACK_PACKAGE_DESCRIPTION
    "dateline-index reads news articles (plain text, JSON Lines, gzip), extracts outlet, date, author and
the people quoted in each passage, and writes a Xapian database; dateline-search answers keyword,
phrase, proximity and field queries with ranked, highlighted snippets and facet counts, for people at a
terminal and for scripts (JSON, JSON Lines, TSV, TREC).")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION text)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, jq")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
