// The browser opener's shared parts (the page, BROWSER's words, the environment, the Windows
// command line), on every system; built into the Windows unit executable too
// (tests/windows/CMakeLists.txt), where the page is written by browser_windows.cpp.
#include "gateway/browser.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#ifndef _WIN32
#include <sys/stat.h>
#endif

#include "base/secrets.h"

namespace lava_mcp::gateway {
namespace {

using Words = std::vector<std::string>;

// A UTF-8 path as std::filesystem takes it on every system (on Windows a plain std::string
// would be read in the ANSI code page).
std::filesystem::path fs_path(const std::string& utf8) {
  return std::filesystem::path(std::u8string(utf8.begin(), utf8.end()));
}

TEST_CASE("browser: the environment loses LAVA_ key variables and any value holding a key") {
  secrets::register_secret("aks_test_BROWSERENVSECRET0099");
  std::string vars[] = {"PATH=/usr/bin",
                        "LAVA_SECRET_KEY=aks_test_x",
                        "LAVA_SPEND_KEY=lava_sk_y",
                        "LAVA_SOME_TOKEN=t",
                        "OTHER=aks_test_BROWSERENVSECRET0099",
                        "LAVA_APP_URL=https://www.lava.so",
                        "DISPLAY=:0"};
  std::vector<char*> environment;
  for (auto& var : vars) {
    environment.push_back(var.data());
  }
  environment.push_back(nullptr);
  CHECK(
      browser_environment(environment.data()) ==
      std::vector<std::string>{"PATH=/usr/bin", "LAVA_APP_URL=https://www.lava.so", "DISPLAY=:0"});
}

TEST_CASE("browser: the redirect page is private, escapes the URL and goes with its owner") {
  const std::string url = "https://app.example/auth/connect?state=abc&port=1\"<script>";
  std::string path;
  {
    auto page = RedirectPage::create(url);
    REQUIRE(page);
    path = (*page)->path();
#ifdef _WIN32
    // file:///C:/users/…/Temp/lava-mcp-login-…/login.html: slashes only, nothing a URL can't hold
    const std::string address = (*page)->file_url();
    CHECK(address.rfind("file:///", 0) == 0);
    CHECK(address.find('\\') == std::string::npos);
    CHECK(address.find(' ') == std::string::npos);
    CHECK(address.substr(address.size() - 11) == "/login.html");
#else
    CHECK((*page)->file_url() == "file://" + path);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat(fs_path(path).parent_path().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
#endif
    std::ifstream in(fs_path(path));
    std::ostringstream html;
    html << in.rdbuf();
    CHECK(html.str() == redirect_html(url));
    CHECK(html.str().find("&amp;port=1&quot;&lt;script&gt;") != std::string::npos);
    CHECK(html.str().find("\"<script>") == std::string::npos);  // nothing ends a string or tag
  }
  CHECK_FALSE(std::filesystem::exists(fs_path(path)));
  CHECK_FALSE(std::filesystem::exists(fs_path(path).parent_path()));
}

TEST_CASE("browser: BROWSER's %s is the page address, or the address is appended") {
  CHECK(browser_command(std::string("firefox --new-tab %s"), "file:///p") ==
        Words{"firefox", "--new-tab", "file:///p"});
  CHECK(browser_command(std::string("/bin/sh run.sh"), "file:///p") ==
        Words{"/bin/sh", "run.sh", "file:///p"});
  CHECK(browser_command(std::string("none"), "file:///p").empty());
  CHECK(browser_command(std::string("  none  "), "file:///p").empty());
}

TEST_CASE("browser: on Windows, double quotes in BROWSER group a word with spaces") {
  using platform::HostSystem;
  const auto windows = [](const std::string& browser, const std::string& address) {
    return browser_command(browser, address, HostSystem::kWindows);
  };
  CHECK(windows(R"("C:\Program Files\Fox\fox.exe" -url %s)", "file:///p") ==
        Words{R"(C:\Program Files\Fox\fox.exe)", "-url", "file:///p"});
  CHECK(windows(R"(run --title="a b"x "" %s)", "u") == Words{"run", "--title=a bx", "", "u"});
  CHECK(windows("\"none\"", "u").empty());
  // Elsewhere the contract's rule: whitespace alone splits, a quote is a character.
  for (const HostSystem posix : {HostSystem::kLinux, HostSystem::kMacOS}) {
    CHECK(browser_command(std::string(R"(run --title="a b" %s)"), "u", posix) ==
          Words{"run", "--title=\"a", "b\"", "u"});
  }
}

TEST_CASE("browser: the Windows command line quotes as CommandLineToArgvW splits") {
  CHECK(windows_command_line({"fox.exe", "file:///C:/p/login.html"}) ==
        "fox.exe file:///C:/p/login.html");
  CHECK(windows_command_line({R"(C:\Program Files\Fox\fox.exe)", "a b"}) ==
        R"("C:\Program Files\Fox\fox.exe" "a b")");
  CHECK(windows_command_line({"x", ""}) == R"(x "")");
  CHECK(windows_command_line({"x", "tab\there"}) == "x \"tab\there\"");
  // Backslashes are literal unless a quote follows them.
  CHECK(windows_command_line({"x", R"(C:\dir\)"}) == R"(x C:\dir\)");
  CHECK(windows_command_line({"x", R"(C:\my dir\)"}) == R"(x "C:\my dir\\")");
  CHECK(windows_command_line({"x", R"(say "hi")"}) == R"(x "say \"hi\"")");
  CHECK(windows_command_line({"x", R"(a\"b)"}) == R"(x "a\\\"b")");
  CHECK(windows_command_line({"x", R"(a\\b c)"}) == R"(x "a\\b c")");
}

TEST_CASE("browser: a command that cannot start is an error naming it, and none opens nothing") {
  auto none = open_in_browser(std::string("none"), "https://app.example/auth/connect?state=s");
  REQUIRE(none);
  CHECK(*none == nullptr);
  auto missing =
      open_in_browser(std::string("lava-mcp-no-such-browser-7f3a %s"), "https://app.example/");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("could not start the browser command "
                                     "\"lava-mcp-no-such-browser-7f3a\"") != std::string::npos);
}

}  // namespace
}  // namespace lava_mcp::gateway
