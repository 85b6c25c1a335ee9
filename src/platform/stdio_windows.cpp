#include <fcntl.h>
#include <io.h>
#include <windows.h>

#include <cerrno>

#include "platform/stdio.h"

namespace lava_mcp::platform {

void use_binary_stdio() {
  ::_setmode(0, _O_BINARY);
  ::_setmode(1, _O_BINARY);
  ::_setmode(2, _O_BINARY);
}

long read_input(int fd, char* data, std::size_t size) {
  const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
  DWORD n = 0;
  if (::ReadFile(handle, data, static_cast<DWORD>(size), &n, nullptr)) {
    return static_cast<long>(n);
  }
  switch (::GetLastError()) {
    case ERROR_BROKEN_PIPE:        // the writer closed its end: the pipe's EOF
    case ERROR_OPERATION_ABORTED:  // InputWaiter::end() cancelled the read
    case ERROR_HANDLE_EOF:
      return 0;
    default:
      errno = EIO;
      return -1;
  }
}

long write_output(int fd, const char* data, std::size_t size) {
  const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
  DWORD n = 0;
  if (::WriteFile(handle, data, static_cast<DWORD>(size), &n, nullptr)) {
    return static_cast<long>(n);
  }
  errno = ::GetLastError() == ERROR_NO_DATA || ::GetLastError() == ERROR_BROKEN_PIPE ? EPIPE : EIO;
  return -1;
}

bool input_pending(int fd) {
  const auto handle = reinterpret_cast<HANDLE>(::_get_osfhandle(fd));
  DWORD available = 0;
  if (::GetFileType(handle) != FILE_TYPE_PIPE) {
    return false;
  }
  // A pipe whose writer left is "pending" too: the next read returns its end at once.
  return !::PeekNamedPipe(handle, nullptr, 0, nullptr, &available, nullptr) || available > 0;
}

bool is_terminal(int fd) { return ::_isatty(fd) != 0; }

}  // namespace lava_mcp::platform
