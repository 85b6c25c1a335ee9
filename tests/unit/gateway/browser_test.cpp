#include "gateway/browser.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/secrets.h"

namespace lava_mcp::gateway {
namespace {

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
    CHECK((*page)->file_url() == "file://" + path);
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(::stat(std::filesystem::path(path).parent_path().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    std::ifstream in(path);
    std::ostringstream html;
    html << in.rdbuf();
    CHECK(html.str().find("&amp;port=1&quot;&lt;script&gt;") != std::string::npos);
    CHECK(html.str().find("\"<script>") == std::string::npos);  // nothing ends a string or tag
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(path).parent_path()));
}

TEST_CASE("browser: BROWSER's %s is the page address, or the address is appended") {
  CHECK(browser_command(std::string("firefox --new-tab %s"), "file:///p") ==
        std::vector<std::string>{"firefox", "--new-tab", "file:///p"});
  CHECK(browser_command(std::string("/bin/sh run.sh"), "file:///p") ==
        std::vector<std::string>{"/bin/sh", "run.sh", "file:///p"});
  CHECK(browser_command(std::string("none"), "file:///p").empty());
}

}  // namespace
}  // namespace lava_mcp::gateway
