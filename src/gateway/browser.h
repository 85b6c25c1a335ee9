// Opening the login URL: the BROWSER command of tools.md section 2, run without a shell.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"

namespace lava_mcp::gateway {

// A page in a fresh private folder (0700, the file 0600) that sends the browser on to a URL.
// The browser is given the page's file:// address instead of the URL, so the URL, and the login
// state in it, never appears in the browser's argv, which every local user can read
// (/proc/<pid>/cmdline, ps).
class RedirectPage {
 public:
  static Expected<std::unique_ptr<RedirectPage>> create(const std::string& url);
  ~RedirectPage();  // removes the file and the folder
  RedirectPage(const RedirectPage&) = delete;
  RedirectPage& operator=(const RedirectPage&) = delete;

  const std::string& path() const { return path_; }
  std::string file_url() const { return "file://" + path_; }

 private:
  RedirectPage(std::string folder, std::string path)
      : folder_(std::move(folder)), path_(std::move(path)) {}
  std::string folder_;
  std::string path_;
};

// The argv to run: BROWSER split on whitespace, "%s" replaced by `address` (or `address`
// appended); the platform opener when unset; empty when BROWSER is "none".
std::vector<std::string> browser_command(const std::optional<std::string>& browser,
                                         const std::string& address);

// The environment for the browser: this process's, without any variable that may hold a key
// (a LAVA_ name with KEY, SECRET or TOKEN in it, or a value the redactor would change).
std::vector<std::string> browser_environment(char** environment);

// Writes a RedirectPage for `url` and starts the command on its file:// address, with stdin and
// stdout on /dev/null (stdout is the protocol stream) and the environment above; reaps it in the
// background. The page is returned to be kept until the login ends (nullptr when BROWSER is
// "none"). Error when the page cannot be written or the command cannot be started.
Expected<std::unique_ptr<RedirectPage>> open_in_browser(const std::optional<std::string>& browser,
                                                        const std::string& url);

}  // namespace lava_mcp::gateway
