# A pure layer (translators, docs text) is a static library that links only the base library,
# and whose files include only the standard library (without its I/O, threading and filesystem
# headers), nlohmann/json, the base headers that do no I/O, and the layer's own headers. The
# check runs on every build that touches a file of the layer, so an #include of httplib, OpenSSL,
# curl, a socket header or a gateway header fails the build, not a review.
set(LAVA_MCP_PURE_CHECK ${CMAKE_CURRENT_LIST_DIR}/check_pure_layer.cmake)

function(lava_mcp_pure_library name folder)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${folder}/*.cpp)
  file(GLOB headers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${folder}/*.h)
  set(stamp ${CMAKE_CURRENT_BINARY_DIR}/${name}.pure)
  set(file_list ${CMAKE_CURRENT_BINARY_DIR}/${name}.files)
  file(WRITE ${file_list} "${sources};${headers}")
  add_custom_command(OUTPUT ${stamp}
                     COMMAND ${CMAKE_COMMAND} -DLAYER=${folder} -DFILE_LIST=${file_list}
                             -DSTAMP=${stamp} -P ${LAVA_MCP_PURE_CHECK}
                     DEPENDS ${sources} ${headers} ${LAVA_MCP_PURE_CHECK}
                     COMMENT "Checking that ${folder}/ includes nothing impure")
  add_custom_target(${name}_purity DEPENDS ${stamp})
  add_library(${name} STATIC ${sources})
  add_dependencies(${name} ${name}_purity)
  target_link_libraries(${name} PUBLIC lava_mcp_base PRIVATE lava_mcp_warnings)
endfunction()
