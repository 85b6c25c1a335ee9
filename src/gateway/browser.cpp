#include "gateway/browser.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>

#include "base/hex.h"
#include "base/secrets.h"
#include "platform/host_system.h"

extern char** environ;

namespace lava_mcp::gateway {
namespace {

std::string html_attribute(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A JavaScript string literal: every ASCII character but letters and digits escaped, so nothing
// in the URL can end the string or the script element.
std::string js_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || byte >= 0x80) {
      out.push_back(c);
    } else {
      out += "\\u00";
      append_hex_byte(out, byte);
    }
  }
  return out + "\"";
}

// A script that replaces the page at once (headless Chromium's --dump-dom does not wait for a
// meta refresh), a meta refresh for a browser without script, and a link for the rest.
std::string redirect_html(const std::string& url) {
  const std::string href = html_attribute(url);
  return "<!doctype html><html><head><meta charset=\"utf-8\">"
         "<script>location.replace(" +
         js_string(url) +
         ")</script>"
         "<meta http-equiv=\"refresh\" content=\"0; url=" +
         href +
         "\">"
         "<title>Lava: sign in</title></head><body style=\"font-family:sans-serif\">"
         "<p><a id=\"login\" href=\"" +
         href +
         "\">Continue to sign in to Lava</a></p>"
         "</body></html>\n";
}

bool names_a_key(std::string_view name) {
  if (name.rfind("LAVA_", 0) != 0) {
    return false;
  }
  for (const std::string_view word : {"KEY", "SECRET", "TOKEN"}) {
    if (name.find(word) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

Expected<std::unique_ptr<RedirectPage>> RedirectPage::create(const std::string& url) {
  const char* tmp = std::getenv("TMPDIR");
  std::string folder =
      std::string(tmp != nullptr && tmp[0] != '\0' ? tmp : "/tmp") + "/lava-mcp-login-XXXXXX";
  if (::mkdtemp(folder.data()) == nullptr) {  // mode 0700
    return fail(error_code::kInternalError,
                "could not create a private folder for the login page (" + folder +
                    "): " + std::strerror(errno));
  }
  std::string path = folder + "/login.html";
  std::unique_ptr<RedirectPage> page(new RedirectPage(folder, path));
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(error_code::kInternalError,
                "could not write the login page " + path + ": " + std::strerror(errno));
  }
  const std::string html = redirect_html(url);
  const bool written = ::write(fd, html.data(), html.size()) == static_cast<ssize_t>(html.size());
  const bool closed = ::close(fd) == 0;
  if (!written || !closed) {
    return fail(error_code::kInternalError, "could not write the login page " + path);
  }
  return page;
}

RedirectPage::~RedirectPage() {
  ::unlink(path_.c_str());
  ::rmdir(folder_.c_str());
}

std::vector<std::string> browser_command(const std::optional<std::string>& browser,
                                         const std::string& address) {
  const std::string spec =
      browser.value_or(platform::default_browser_command(platform::this_host_system()));
  std::vector<std::string> argv;
  std::istringstream words(spec);
  for (std::string word; words >> word;) {
    argv.push_back(word);
  }
  if (argv.empty() || (argv.size() == 1 && argv[0] == "none")) {
    return {};
  }
  bool substituted = false;
  for (auto& arg : argv) {
    for (auto at = arg.find("%s"); at != std::string::npos;
         at = arg.find("%s", at + address.size())) {
      arg.replace(at, 2, address);
      substituted = true;
    }
  }
  if (!substituted) {
    argv.push_back(address);
  }
  return argv;
}

std::vector<std::string> browser_environment(char** environment) {
  std::vector<std::string> kept;
  for (char** entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const auto equals = variable.find('=');
    const std::string_view name = variable.substr(0, equals);
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : variable.substr(equals + 1);
    if (!names_a_key(name) && secrets::redact(value) == value) {
      kept.emplace_back(variable);
    }
  }
  return kept;
}

Expected<std::unique_ptr<RedirectPage>> open_in_browser(const std::optional<std::string>& browser,
                                                        const std::string& url) {
  if (browser_command(browser, url).empty()) {
    return std::unique_ptr<RedirectPage>();
  }
  auto page = RedirectPage::create(url);
  if (!page) {
    return page;
  }
  const auto argv = browser_command(browser, (*page)->file_url());
  std::vector<char*> c_argv;
  for (const auto& arg : argv) {
    c_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  c_argv.push_back(nullptr);
  std::vector<std::string> environment = browser_environment(environ);
  std::vector<char*> c_environment;
  for (auto& variable : environment) {
    c_environment.push_back(variable.data());
  }
  c_environment.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc =
      posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_environment.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return fail(error_code::kInternalError,
                "could not start the browser command \"" + argv[0] + "\": " + std::strerror(rc));
  }
  std::thread([pid] {
    int status = 0;
    ::waitpid(pid, &status, 0);
  }).detach();
  return page;
}

}  // namespace lava_mcp::gateway
