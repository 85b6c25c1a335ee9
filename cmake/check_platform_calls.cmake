# Fails when a file of src/ outside src/platform/ names a system-specific API (the Linux-only
# calls and headers, the systems' macros): portable code reaches those through src/platform/
# (docs/portability.md). Run as: cmake -DSOURCE_DIR=<src> -P check_platform_calls.cmake
set(system_specific
    "epoll" "pipe2" "accept4" "/proc/" "prctl" "SOCK_CLOEXEC" "SOCK_NONBLOCK" "MSG_NOSIGNAL"
    "SO_NOSIGPIPE" "eventfd" "signalfd" "timerfd" "getrandom" "memfd" "inotify" "sendfile"
    "__linux__" "__APPLE__" "_NSGetExecutablePath" "sigaction" "std::signal" "xdg-open")
file(GLOB_RECURSE files ${SOURCE_DIR}/*.cpp ${SOURCE_DIR}/*.h)
list(JOIN system_specific "|" any_of)
set(found "")
foreach(file IN LISTS files)
  if(file MATCHES "/src/platform/")
    continue()
  endif()
  # Comments may name the APIs ("// /proc/<pid>/mem"): only code counts.
  file(STRINGS ${file} lines REGEX "${any_of}")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "//.*$" "" code "${line}")
    if(code MATCHES "${any_of}")
      file(RELATIVE_PATH shown ${SOURCE_DIR} ${file})
      string(APPEND found "\n  ${shown}: ${CMAKE_MATCH_0}: ${line}")
    endif()
  endforeach()
endforeach()
if(found)
  message(FATAL_ERROR "system-specific code outside src/platform/:${found}")
endif()
message(STATUS "no system-specific code outside src/platform/")
