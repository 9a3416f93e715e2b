# lockgraph_add_facts(<target> [LOCKGRAPH <path>] [OUTPUT_DIR <dir>])
#
# Adds a target <target>-lockgraph_facts that runs `lockgraph facts` on every
# C++ source of <target> as an ordinary build action: one facts file per
# translation unit, rebuilt when the source changes (with Makefile
# generators also when a header it includes does), scheduled, distributed
# or cached by the build system like any compile. Link the results with
#   lockgraph graph <dir>     (or point it at several targets' directories)
#
# The compile command comes from the build's compile_commands.json, so
# CMAKE_EXPORT_COMPILE_COMMANDS must be ON. Facts land in
# ${CMAKE_CURRENT_BINARY_DIR}/lockgraph_facts/<target>/ by default.
#
# LOCKGRAPH defaults to the lockgraph of an installed package found with
# find_package(lockgraph), which also defines this function, else to the
# lockgraph on PATH.
#
# Example:
#   set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
#   include(/path/to/lockgraph/tool/cmake/LockgraphFacts.cmake)
#   add_library(storage db.cpp cache.cpp)
#   lockgraph_add_facts(storage)
#   # ninja storage-lockgraph_facts && lockgraph graph build/lockgraph_facts/storage

function(lockgraph_add_facts target)
  cmake_parse_arguments(ARG "" "LOCKGRAPH;OUTPUT_DIR" "" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "lockgraph_add_facts: '${target}' is not a target")
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(FATAL_ERROR "lockgraph_add_facts: set CMAKE_EXPORT_COMPILE_COMMANDS to ON; "
                        "lockgraph facts reads each file's command from compile_commands.json")
  endif()
  if(ARG_LOCKGRAPH)
    set(lockgraph ${ARG_LOCKGRAPH})
  elseif(TARGET lockgraph::lockgraph)
    # find_package(lockgraph) gives the installed command line.
    set(lockgraph $<TARGET_FILE:lockgraph::lockgraph>)
  else()
    find_program(lockgraph lockgraph REQUIRED)
  endif()
  if(ARG_OUTPUT_DIR)
    set(out_dir ${ARG_OUTPUT_DIR})
  else()
    set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/lockgraph_facts/${target})
  endif()

  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(outputs)
  foreach(src IN LISTS sources)
    if(NOT src MATCHES "\\.(cc|cpp|cxx|c\\+\\+|C)$")
      continue()
    endif()
    get_filename_component(abs ${src} ABSOLUTE BASE_DIR ${source_dir})
    file(RELATIVE_PATH rel ${source_dir} ${abs})
    string(REPLACE "/" "_" stem ${rel})
    set(out ${out_dir}/${stem}.facts.json)
    add_custom_command(
      OUTPUT ${out}
      COMMAND ${lockgraph} facts -p ${CMAKE_BINARY_DIR} ${abs} -o ${out}
      DEPENDS ${abs} ${lockgraph}
      IMPLICIT_DEPENDS CXX ${abs}
      COMMENT "lockgraph facts ${rel}"
      VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  add_custom_target(${target}-lockgraph_facts DEPENDS ${outputs})
endfunction()
