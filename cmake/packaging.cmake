# The Debian package: `cpack -G DEB` in a build folder writes lava-mcp_<version>_amd64.deb with
# /usr/bin/lava-mcp, its man page, copyright and changelog; the runtime dependencies come from
# dpkg-shlibdeps, and libcurl4 from below. tests/package/package_test.sh builds, checks (lintian) and installs it.

# The maintainer: the project's developers at the address every commit of the repository carries
# (docs/packaging.md); whoever publishes the package elsewhere sets theirs.
set(LAVA_MCP_PACKAGE_MAINTAINER
    "lava-mcp developers <maintainers@users.noreply.r-seed-cd9ccebd.example>"
    CACHE STRING "Maintainer of the Debian package (name <email>)")

# Compressed as Debian policy asks (gzip -9, no name or time stamp: the same bytes every build).
function(lava_mcp_gzip_file input output)
  add_custom_command(OUTPUT ${output} COMMAND sh -c "gzip -9nc \"$0\" > \"$1\"" ${input} ${output}
                     DEPENDS ${input} VERBATIM)
endfunction()

set(doc_dir ${CMAKE_BINARY_DIR}/packaging)
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${doc_dir}/changelog @ONLY)
lava_mcp_gzip_file(${doc_dir}/changelog ${doc_dir}/changelog.gz)
lava_mcp_gzip_file(${PROJECT_SOURCE_DIR}/packaging/lava-mcp.1 ${doc_dir}/lava-mcp.1.gz)
add_custom_target(lava_mcp_package_docs ALL DEPENDS ${doc_dir}/changelog.gz
                                                    ${doc_dir}/lava-mcp.1.gz)

include(GNUInstallDirs)
install(FILES ${doc_dir}/lava-mcp.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${doc_dir}/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lava-mcp)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${LAVA_MCP_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "MCP server for Lava's AI gateway")
set(CPACK_PACKAGE_DESCRIPTION
    "An MCP server that gives AI agents any model and any API through Lava's
AI gateway (lava.so). It speaks JSON-RPC 2.0 over stdio and offers five tools:
login, search, prompt, call and get_provider_docs. It starts in milliseconds,
runs every tool call concurrently, and never writes a key into a result or a
log.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
    GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # lava-mcp_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libcurl is loaded on the first request, not linked (gateway/curl_library.h), so
# dpkg-shlibdeps cannot see it: named here, with the version the client needs.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4 (>= 7.87.0)")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
