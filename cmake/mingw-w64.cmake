# Cross-compiles lava-mcp.exe for Windows x86-64 with Debian's MinGW-w64 (posix threads: the
# code uses std::thread, std::mutex and std::condition_variable, which the win32 thread model of
# GCC 12's libstdc++ lacks). scripts/build_windows.sh uses it; see README "Windows".
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# No DLL beside the exe: libstdc++, libgcc and winpthread linked in (their licences allow it:
# the GCC runtime library exception, and winpthread's MIT/BSD terms).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
# Tests run the exe under Wine (tests/windows/).
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/lib/wine/wine64)
