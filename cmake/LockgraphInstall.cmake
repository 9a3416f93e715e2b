# `cmake --install <build> [--prefix P]`: what lockgraph puts where.
#
#   bin/            lockgraph (with the static half), lockgraph-run
#   include/        lockgraph/mutex.h, lockgraph/hooks.h
#   lib/            liblockgraph-runtime.a, liblockgraph-preload.so,
#                   libLockgraphTidyPlugin.so
#   lib/cmake/lockgraph/   the CMake package: find_package(lockgraph CONFIG)
#   lib/pkgconfig/  lockgraph-runtime.pc
#   share/doc/lockgraph/   README.md and docs/
#
# Directories follow GNUInstallDirs (CMAKE_INSTALL_LIBDIR etc.). Everything
# installed refers to the rest by relative paths, so the tree can be moved.
# See docs/install.md.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(LOCKGRAPH_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/lockgraph CACHE STRING
    "Where the lockgraph CMake package is installed, relative to the prefix")

if(TARGET lockgraph_runtime)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/lockgraph
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(TARGETS lockgraph_runtime EXPORT lockgraphTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  # The preload library and the driver that finds it (tool/run): its import
  # target lockgraph::preload gives CMake users its path.
  set_target_properties(lockgraph-preload PROPERTIES EXPORT_NAME preload)
  set_target_properties(lockgraph-run PROPERTIES EXPORT_NAME run)
  install(TARGETS lockgraph-preload lockgraph-run EXPORT lockgraphTargets
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

  # pkg-config: paths relative to the .pc file (${pcfiledir}), as the
  # install prefix is only known when `cmake --install --prefix` runs.
  set(pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
  if(IS_ABSOLUTE ${pc_dir})
    set(LOCKGRAPH_PC_PREFIX_FROM_PCDIR ${CMAKE_INSTALL_PREFIX})
  else()
    file(RELATIVE_PATH LOCKGRAPH_PC_PREFIX_FROM_PCDIR /${pc_dir} /)
    string(REGEX REPLACE "/$" "" LOCKGRAPH_PC_PREFIX_FROM_PCDIR ${LOCKGRAPH_PC_PREFIX_FROM_PCDIR})
  endif()
  foreach(dir INCLUDEDIR LIBDIR)
    if(IS_ABSOLUTE ${CMAKE_INSTALL_${dir}})
      set(LOCKGRAPH_PC_${dir} ${CMAKE_INSTALL_${dir}})
    else()
      set(LOCKGRAPH_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
  endforeach()
  list(TRANSFORM CMAKE_DL_LIBS PREPEND -l OUTPUT_VARIABLE dl_flags)
  list(JOIN dl_flags " " LOCKGRAPH_PC_DL_LIBS)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/lockgraph-runtime.pc.in
                 ${PROJECT_BINARY_DIR}/lockgraph-runtime.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/lockgraph-runtime.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

if(TARGET lockgraph)
  # libclang-cpp and libLLVM live in LLVM's own lib directory; keep the
  # run path the build used to find them.
  set_target_properties(lockgraph PROPERTIES EXPORT_NAME lockgraph
                        INSTALL_RPATH_USE_LINK_PATH ON)
  set_target_properties(lockgraph-tidy-plugin PROPERTIES EXPORT_NAME tidy_plugin)
  install(TARGETS lockgraph lockgraph-tidy-plugin EXPORT lockgraphTargets
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

install(EXPORT lockgraphTargets NAMESPACE lockgraph::
        DESTINATION ${LOCKGRAPH_INSTALL_CMAKEDIR})
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/lockgraphConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lockgraphConfig.cmake
  INSTALL_DESTINATION ${LOCKGRAPH_INSTALL_CMAKEDIR})
# 0.x: a minor release may change what the package offers.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/lockgraphConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/lockgraphConfig.cmake
  ${PROJECT_BINARY_DIR}/lockgraphConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/LockgraphInstrument.cmake
  ${PROJECT_SOURCE_DIR}/tool/cmake/LockgraphFacts.cmake
  DESTINATION ${LOCKGRAPH_INSTALL_CMAKEDIR})

install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
