// The stand-in browser of tests/windows/wine_gateway.py, a Windows program so that lava-mcp.exe
// starts it for real, through CreateProcessW (BROWSER): like tests/support/follow_url.sh it
// opens the file:// page it is given, takes the page's link (the login URL) and follows it
// with its redirect to the local callback, as a user who clicked through.
//   fake_browser.exe [words...] <file:///C:/…/login.html, or its path>
//   LAVA_TEST_BROWSER_RECORD  when set, a JSON file written there: {"argv": [...] (all but the
//                             program), "env": ["NAME=value", ...], "status": the callback's
//                             HTTP status, or -1 when it was not reached}
// Exit code 0 when the callback answered 200.
#include <windows.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <cwchar>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "gateway/win_http_client.h"
#include "platform/wide_text.h"

namespace {

using lava_mcp::platform::to_utf8;
using lava_mcp::platform::to_wide;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// file:///C:/dir/login.html → C:\dir\login.html, %XX decoded.
std::string path_of(const std::string& url) {
  const std::string prefix = "file:///";
  if (url.rfind(prefix, 0) != 0) return url;  // a path: the shell's "open" may hand one over
  std::string path;
  for (std::size_t i = prefix.size(); i < url.size(); ++i) {
    if (url[i] == '%' && i + 2 < url.size() && hex_value(url[i + 1]) >= 0 &&
        hex_value(url[i + 2]) >= 0) {
      path.push_back(static_cast<char>(hex_value(url[i + 1]) * 16 + hex_value(url[i + 2])));
      i += 2;
    } else {
      path.push_back(url[i] == '/' ? '\\' : url[i]);
    }
  }
  return path;
}

std::string read_file(const std::string& path) {
  std::string text;
  FILE* file = _wfopen(to_wide(path).c_str(), L"rb");
  if (file == nullptr) return text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  std::fclose(file);
  return text;
}

// The page's <a id="login" href="…">, its HTML escapes undone.
std::string login_link(const std::string& html) {
  const std::string start = "<a id=\"login\" href=\"";
  const auto at = html.find(start);
  if (at == std::string::npos) return "";
  const auto end = html.find('"', at + start.size());
  std::string href = html.substr(at + start.size(), end - at - start.size());
  std::string out;
  for (std::size_t i = 0; i < href.size(); ++i) {
    bool replaced = false;
    for (const auto& [entity, c] : {std::pair<const char*, char>{"&amp;", '&'},
                                    {"&quot;", '"'},
                                    {"&#39;", '\''},
                                    {"&lt;", '<'},
                                    {"&gt;", '>'}}) {
      if (href.compare(i, std::strlen(entity), entity) == 0) {
        out.push_back(c);
        i += std::strlen(entity) - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(href[i]);
  }
  return out;
}

void record(const nlohmann::json& what) {
  const wchar_t* target = _wgetenv(L"LAVA_TEST_BROWSER_RECORD");
  if (target == nullptr || *target == L'\0') return;
  const std::wstring temporary = std::wstring(target) + L".tmp";
  FILE* file = _wfopen(temporary.c_str(), L"wb");
  if (file == nullptr) return;
  const std::string text = what.dump();
  std::fwrite(text.data(), 1, text.size(), file);
  std::fclose(file);
  ::MoveFileExW(temporary.c_str(), target, MOVEFILE_REPLACE_EXISTING);
}

}  // namespace

int wmain(int argc, wchar_t** argv) {
  nlohmann::json seen = {
      {"argv", nlohmann::json::array()}, {"env", nlohmann::json::array()}, {"status", -1}};
  for (int i = 1; i < argc; ++i) seen["argv"].push_back(to_utf8(argv[i]));
  if (wchar_t* block = ::GetEnvironmentStringsW()) {
    for (const wchar_t* entry = block; *entry != L'\0'; entry += std::wcslen(entry) + 1) {
      seen["env"].push_back(to_utf8(entry));
    }
    ::FreeEnvironmentStringsW(block);
  }
  record(seen);
  if (argc < 2) return 2;
  const std::string link = login_link(read_file(path_of(to_utf8(argv[argc - 1]))));
  if (link.empty()) return 3;
  lava_mcp::gateway::WinHttpClient client;
  lava_mcp::gateway::HttpRequest request;
  request.url = link;
  request.max_redirects = 5;
  request.timeout = std::chrono::seconds(20);
  const auto response = client.send(request, {});
  seen["status"] = response ? response->status : -1;
  record(seen);
  return response && response->status == 200 ? 0 : 1;
}
