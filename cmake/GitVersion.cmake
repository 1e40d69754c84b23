# Script mode (cmake -P), run at every build by the dateline_version target: writes cli/version.h from
# cli/version.h.in with the project version and `git describe` of the source tree now, so --version names
# the commit that was built, not the one CMake was configured at. configure_file() leaves the file alone
# when nothing changed, so an unchanged commit rebuilds nothing.
#   cmake -DSOURCE_DIR=... -DIN=version.h.in -DOUT=version.h -DPROJECT_VERSION=0.1.0 -P GitVersion.cmake
set(DATELINE_GIT_DESCRIBE "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE describe OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
  if(rc EQUAL 0 AND describe)
    set(DATELINE_GIT_DESCRIBE "${describe}")
  endif()
endif()
configure_file(${IN} ${OUT} @ONLY)
