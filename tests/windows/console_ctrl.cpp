// console_ctrl.exe DELAY_MS COUNT PROGRAM: runs PROGRAM (lava-mcp.exe) on a console of its own
// with this process's stdin, stdout and stderr, sends it Ctrl-C after DELAY_MS with
// GenerateConsoleCtrlEvent (COUNT times, 300 ms apart), and exits with its exit code; 99 when
// it was still running 10 s after the first event. How tests/windows/run_wine.sh checks the
// Ctrl-C shutdown: a console event reaches only the processes on the sender's console, so this
// process makes a fresh one (the one Wine starts it with refuses the event) for itself and the
// program. Ctrl-Break is not sent: Wine 8 refuses it for the console's whole group.
#include <windows.h>

#include <cstdio>
#include <cwchar>
#include <string>

namespace {

BOOL WINAPI keep_running(DWORD) { return TRUE; }  // the event is for the child, not for us

}  // namespace

int wmain(int argc, wchar_t** argv) {
  if (argc != 4) {
    std::fputs("usage: console_ctrl DELAY_MS COUNT PROGRAM\n", stderr);
    return 2;
  }
  const DWORD delay = static_cast<DWORD>(std::wcstoul(argv[1], nullptr, 10));
  const unsigned long count = std::wcstoul(argv[2], nullptr, 10);
  // The standard handles are the test's pipes; AllocConsole leaves them as they are.
  HANDLE in = ::GetStdHandle(STD_INPUT_HANDLE);
  HANDLE out = ::GetStdHandle(STD_OUTPUT_HANDLE);
  HANDLE err = ::GetStdHandle(STD_ERROR_HANDLE);
  ::FreeConsole();
  if (!::AllocConsole()) {
    std::fprintf(stderr, "console_ctrl: AllocConsole failed (%lu)\n", ::GetLastError());
    return 3;
  }
  ::SetConsoleCtrlHandler(keep_running, TRUE);
  for (HANDLE handle : {in, out, err}) {
    ::SetHandleInformation(handle, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
  }
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = in;
  startup.hStdOutput = out;
  startup.hStdError = err;
  PROCESS_INFORMATION child{};
  std::wstring command = L"\"" + std::wstring(argv[3]) + L"\"";
  if (!::CreateProcessW(argv[3], command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                        &startup, &child)) {
    std::fprintf(stderr, "console_ctrl: CreateProcessW failed (%lu)\n", ::GetLastError());
    return 4;
  }
  ::CloseHandle(child.hThread);
  if (::WaitForSingleObject(child.hProcess, delay) != WAIT_TIMEOUT) {
    std::fputs("console_ctrl: the program ended before the event\n", stderr);
    return 5;
  }
  const ULONGLONG sent = ::GetTickCount64();
  for (unsigned long i = 0; i < count; ++i) {
    if (i > 0 && ::WaitForSingleObject(child.hProcess, 300) != WAIT_TIMEOUT) {
      break;  // the program ended before the next event
    }
    if (!::GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0)) {  // 0: every process on this console
      std::fprintf(stderr, "console_ctrl: GenerateConsoleCtrlEvent failed (%lu)\n",
                   ::GetLastError());
      ::TerminateProcess(child.hProcess, 98);
      return 6;
    }
  }
  if (::WaitForSingleObject(child.hProcess, 10000) == WAIT_TIMEOUT) {
    ::TerminateProcess(child.hProcess, 99);
    ::WaitForSingleObject(child.hProcess, INFINITE);
  }
  DWORD code = 0;
  ::GetExitCodeProcess(child.hProcess, &code);
  std::fprintf(stderr, "console_ctrl: exit %lu, %llu ms after the first event\n", code,
               ::GetTickCount64() - sent);
  return static_cast<int>(code);
}
