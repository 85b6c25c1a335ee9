# The dependencies of the Windows build (cmake/mingw-w64.cmake). Debian has no MinGW builds of
# nlohmann-json or CLI11, but both are header-only: their Debian headers are used as they are,
# from a folder that holds only them (adding /usr/include itself would put glibc's headers in
# front of MinGW's). No OpenSSL, curl or httplib: HTTPS is WinHTTP (README "Windows"), hashing
# and random bytes are CNG (bcrypt.dll), both part of Windows.
set(LAVA_MCP_WINDOWS_HEADERS ${CMAKE_BINARY_DIR}/debian-headers)
foreach(header IN ITEMS nlohmann CLI doctest)
  if(NOT EXISTS /usr/include/${header})
    message(FATAL_ERROR "/usr/include/${header} missing: run scripts/build_windows.sh")
  endif()
  file(MAKE_DIRECTORY ${LAVA_MCP_WINDOWS_HEADERS})
  file(CREATE_LINK /usr/include/${header} ${LAVA_MCP_WINDOWS_HEADERS}/${header} SYMBOLIC)
endforeach()

add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${LAVA_MCP_WINDOWS_HEADERS})
add_library(CLI11::CLI11 INTERFACE IMPORTED)
target_include_directories(CLI11::CLI11 SYSTEM INTERFACE ${LAVA_MCP_WINDOWS_HEADERS})
add_library(doctest::doctest INTERFACE IMPORTED)
target_include_directories(doctest::doctest SYSTEM INTERFACE ${LAVA_MCP_WINDOWS_HEADERS})
# Every Windows build is for Windows 10 and later, in UTF-16 at the API boundary.
# _POSIX_THREAD_SAFE_FUNCTIONS: MinGW's gmtime_r and localtime_r, as POSIX has them.
add_compile_definitions(_WIN32_WINNT=0x0A00 WINVER=0x0A00 UNICODE _UNICODE WIN32_LEAN_AND_MEAN
                        _POSIX_THREAD_SAFE_FUNCTIONS=200112L
                        NOMINMAX)
