// Opening the login URL: the BROWSER command of tools.md section 2, run without a shell; when
// BROWSER is unset, the system's opener (xdg-open, open; the shell's "open" on Windows).
// browser.cpp holds what every system shares; browser_posix.cpp and browser_windows.cpp how
// the page is written and the command started (gateway/browser_system.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/expected.h"
#include "platform/host_system.h"

namespace lava_mcp::gateway {

// A page in a fresh private folder (0700, the file 0600; on Windows a folder in %TEMP% whose ACL
// grants the user alone, platform/private_folder.h) that sends the browser on to a URL.
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
  // file:///tmp/… on POSIX; file:///C:/Users/… on Windows (slashes, bytes a URL path cannot
  // hold percent-encoded).
  std::string file_url() const;

 private:
  RedirectPage(std::string folder, std::string path)
      : folder_(std::move(folder)), path_(std::move(path)) {}
  std::string folder_;
  std::string path_;
};

// The argv to run: BROWSER split on whitespace (tools.md section 2), "%s" replaced by `address`
// (or `address` appended); the platform opener when unset; empty when BROWSER is "none", and on
// Windows when it is unset (the shell's "open" opens the address there, no command). On Windows
// only, double quotes also group a word with spaces and are dropped, as its programs' paths need
// (`"C:\Program Files\Firefox\firefox.exe" %s`); elsewhere a quote is an ordinary character,
// as the contract says.
std::vector<std::string> browser_command(
    const std::optional<std::string>& browser, const std::string& address,
    platform::HostSystem system = platform::this_host_system());

// The Windows command line for `argv` (CreateProcessW takes one string; the program splits it
// as CommandLineToArgvW and the C runtime do): a word with a space, a tab or a quote (or empty)
// is quoted, a quote inside is \", and the backslashes before a quote or the closing quote are
// doubled. Pure, so it is tested on every system.
std::string windows_command_line(const std::vector<std::string>& argv);

// The page's HTML: a script, a meta refresh and a link to `url`, each escaped for its context.
std::string redirect_html(const std::string& url);

// The environment for the browser: this process's, without any variable that may hold a key
// (a LAVA_ name with KEY, SECRET or TOKEN in it, or a value the redactor would change).
std::vector<std::string> browser_environment(char** environment);

// Writes a RedirectPage for `url` and starts the command on its file:// address, with stdin and
// stdout on /dev/null (stdout is the protocol stream) and the environment above; reaps it in the
// background. On Windows: CreateProcessW, no handle inherited, not waited for; with BROWSER
// unset, the shell's "open" on the address (rundll32 url.dll, in a process of its own). The page is
// returned to be kept until the login ends (nullptr when BROWSER is "none"). Error when the page
// cannot be written or the command cannot be started.
Expected<std::unique_ptr<RedirectPage>> open_in_browser(const std::optional<std::string>& browser,
                                                        const std::string& url);

}  // namespace lava_mcp::gateway
