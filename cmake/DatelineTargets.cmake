# Helpers shared by every folder: warnings on our targets only, sanitizers, tests, version.

# Warnings (and -Werror) apply to Dateline's own targets, never to dependencies.
function(dateline_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wimplicit-fallthrough)
  if(DATELINE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(DATELINE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false -Wmaybe-uninitialized inside libstdc++ (std::regex's std::function) once ASan
    # instruments the code; with -Werror that broke the sanitizer build of indexer/document_builder.cpp.
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()

# dateline_add_library(name SOURCES...): a static library dateline_<name>, alias dateline::<name>.
function(dateline_add_library name)
  add_library(dateline_${name} STATIC ${ARGN})
  add_library(dateline::${name} ALIAS dateline_${name})
  target_include_directories(dateline_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_features(dateline_${name} PUBLIC cxx_std_20)
  dateline_target_warnings(dateline_${name})
endfunction()

# dateline_add_test(name SOURCES... [LIBS lib...]): one GoogleTest binary, discovered by ctest.
function(dateline_add_test name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} dateline_test_support GTest::gtest GTest::gtest_main)
  dateline_target_warnings(${name})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60)
endfunction()

# dateline_embed_files(target VAR out.cpp files...): compiles data files into the binary, so the
# installed programs never look for data on disk. Gives `std::string_view dateline::data::<VAR>_<stem>()`.
function(dateline_embed_files target namespace)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp)
  set(deps)
  foreach(f ${ARGN})
    list(APPEND deps ${CMAKE_CURRENT_SOURCE_DIR}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${deps}")
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${namespace} -DFILES=${files_arg} -P ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
