// RedirectPage and browser_system.h on Windows: the page in a private folder under %TEMP%
// (platform/private_folder.h), the BROWSER command through CreateProcessW, and the default
// browser through the shell's "open" in a process of its own (rundll32 url.dll).
#include <windows.h>

#include <cstdint>
#include <cwchar>

#include "base/hex.h"
#include "gateway/browser.h"
#include "gateway/browser_system.h"
#include "platform/crypto.h"
#include "platform/private_folder.h"
#include "platform/wide_text.h"

namespace lava_mcp::gateway {
namespace {

Unexpected windows_error(const std::string& what, DWORD error) {
  return fail(error_code::kInternalError, what + ": Windows error " + std::to_string(error));
}

// A URL path byte: kept when unreserved or a separator, percent-encoded otherwise.
bool kept_in_url(unsigned char byte) {
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
         (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~' ||
         byte == '/' || byte == ':';
}

// This process's environment as UTF-8 "NAME=value" strings.
std::vector<std::string> process_environment() {
  std::vector<std::string> variables;
  wchar_t* block = ::GetEnvironmentStringsW();
  if (block == nullptr) {
    return variables;
  }
  for (const wchar_t* entry = block; *entry != L'\0'; entry += std::wcslen(entry) + 1) {
    variables.push_back(platform::to_utf8(entry));
  }
  ::FreeEnvironmentStringsW(block);
  return variables;
}

// The browser environment (browser.h) as CreateProcessW's Unicode block: "A=1\0B=2\0\0".
std::wstring environment_block() {
  std::vector<std::string> variables = process_environment();
  std::vector<char*> pointers;
  for (auto& variable : variables) {
    pointers.push_back(variable.data());
  }
  pointers.push_back(nullptr);
  std::wstring block;
  for (const auto& variable : browser_environment(pointers.data())) {
    block += platform::to_wide(variable);
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  return block;
}

}  // namespace

Expected<std::unique_ptr<RedirectPage>> RedirectPage::create(const std::string& url) {
  wchar_t temp[MAX_PATH + 1];
  const DWORD length = ::GetTempPathW(MAX_PATH + 1, temp);
  if (length == 0 || length > MAX_PATH) {
    return windows_error("could not find the temporary folder for the login page",
                         ::GetLastError());
  }
  unsigned char random[8];
  if (!platform::random_bytes(random, sizeof random)) {
    return fail(error_code::kInternalError, "could not name a folder for the login page");
  }
  std::string folder = platform::to_utf8(std::wstring_view(temp, length)) + "lava-mcp-login-";
  for (const unsigned char byte : random) {
    append_hex_byte(folder, byte);
  }
  // Created here, exclusively (a folder already there is not ours), then made private.
  if (!::CreateDirectoryW(platform::to_wide(folder).c_str(), nullptr)) {
    return windows_error("could not create a private folder for the login page (" + folder + ")",
                         ::GetLastError());
  }
  std::unique_ptr<RedirectPage> page(new RedirectPage(folder, folder + "\\login.html"));
  auto opened = platform::PrivateFolder::open(folder);
  if (!opened) {
    return fail(opened.error());
  }
  if (opened->replace("login.html", "login.html.tmp", redirect_html(url)) !=
      platform::Replaced::kDone) {
    return fail(error_code::kInternalError, "could not write the login page " + page->path());
  }
  return page;
}

RedirectPage::~RedirectPage() {
  ::DeleteFileW(platform::to_wide(path_).c_str());
  ::RemoveDirectoryW(platform::to_wide(folder_).c_str());
}

std::string RedirectPage::file_url() const {
  std::string url = "file:///";
  for (const char c : path_) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      url.push_back('/');
    } else if (kept_in_url(byte)) {
      url.push_back(c);
    } else {
      url.push_back('%');
      append_hex_byte(url, byte);
    }
  }
  return url;
}

// No handle inherited (bInheritHandles FALSE: not stdout, which is the protocol stream, nor any
// socket); a console program gets a console of its own, without a window, instead of ours. The
// process is not waited for: its handles are closed at once, and Windows keeps no zombie.
Expected<void> start_browser(const std::vector<std::string>& argv) {
  std::wstring command_line = platform::to_wide(windows_command_line(argv));
  std::wstring environment = environment_block();
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process{};
  if (!::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, FALSE,
                        CREATE_UNICODE_ENVIRONMENT | CREATE_NO_WINDOW, environment.data(), nullptr,
                        &startup, &process)) {
    return windows_error("could not start the browser command \"" + argv[0] + "\"",
                         ::GetLastError());
  }
  ::CloseHandle(process.hThread);
  ::CloseHandle(process.hProcess);
  return {};
}

// The default browser through the shell's "open", in a process of its own: rundll32 runs
// url.dll's FileProtocolHandler (ShellExecute on the address) with the filtered environment.
// Called here, ShellExecuteW would give a browser it starts (when none runs yet) this process's
// environment, keys and all: it takes no environment of its own. The price: whether the shell
// found a browser is not known here (the address is also sent as a notification, login.cpp).
// rundll32 by its full path, so that no rundll32.exe in the current folder is run instead.
Expected<void> open_with_system(const std::string& address) {
  wchar_t system[MAX_PATH + 1];
  const UINT length = ::GetSystemDirectoryW(system, MAX_PATH + 1);
  if (length == 0 || length > MAX_PATH) {
    return windows_error("could not find the system folder to open the login page",
                         ::GetLastError());
  }
  const std::string rundll32 =
      platform::to_utf8(std::wstring_view(system, length)) + "\\rundll32.exe";
  return start_browser({rundll32, "url.dll,FileProtocolHandler", address});
}

}  // namespace lava_mcp::gateway
