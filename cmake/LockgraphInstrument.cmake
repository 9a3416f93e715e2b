# Which builds of a program compile lockgraph's instrumentation in.
#
# lockgraph_instrument_definition(<out-var>) sets <out-var> to the compile
# definition that <lockgraph/mutex.h> reads, from two variables of the
# project that links lockgraph::runtime:
#
#   LOCKGRAPH_INSTRUMENT          OFF: never instrument (every lockgraph::
#                                 type is its std namesake). Default ON.
#   LOCKGRAPH_INSTRUMENT_CONFIGS  configurations that instrument, e.g.
#                                 "Debug" or "Debug;RelWithDebInfo"; the
#                                 others compile the instrumentation out.
#                                 Empty (the default): every configuration.
#
# The result is a generator expression evaluated for the configuration of
# the target that links lockgraph::runtime, so single-config generators
# (CMAKE_BUILD_TYPE) and multi-config ones (Ninja Multi-Config, --config)
# both work. Used by the build tree (runtime/CMakeLists.txt) and by the
# installed package (lockgraphConfig.cmake), so both read the same switch.
function(lockgraph_instrument_definition out)
  if(DEFINED LOCKGRAPH_INSTRUMENT AND NOT LOCKGRAPH_INSTRUMENT)
    set(value 0)
  elseif(LOCKGRAPH_INSTRUMENT_CONFIGS)
    list(JOIN LOCKGRAPH_INSTRUMENT_CONFIGS "," configs)
    set(value "$<IF:$<CONFIG:${configs}>,1,0>")
  else()
    set(value 1)
  endif()
  set(${out} "LOCKGRAPH_INSTRUMENT=${value}" PARENT_SCOPE)
endfunction()
