#include "gateway/browser.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <thread>

extern char** environ;

namespace lava_mcp::gateway {

std::vector<std::string> browser_command(const std::optional<std::string>& browser,
                                         const std::string& url) {
#ifdef __APPLE__
  const std::string fallback = "open";
#else
  const std::string fallback = "xdg-open";
#endif
  const std::string spec = browser.value_or(fallback);
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
    for (auto at = arg.find("%s"); at != std::string::npos; at = arg.find("%s", at + url.size())) {
      arg.replace(at, 2, url);
      substituted = true;
    }
  }
  if (!substituted) {
    argv.push_back(url);
  }
  return argv;
}

Expected<void> open_in_browser(const std::optional<std::string>& browser, const std::string& url) {
  const auto argv = browser_command(browser, url);
  if (argv.empty()) {
    return {};
  }
  std::vector<char*> c_argv;
  for (const auto& arg : argv) {
    c_argv.push_back(const_cast<char*>(arg.c_str()));
  }
  c_argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return fail(error_code::kInternalError, "could not start the browser command \"" + argv[0] +
                                                "\": " + std::strerror(rc));
  }
  std::thread([pid] {
    int status = 0;
    ::waitpid(pid, &status, 0);
  }).detach();
  return {};
}

}  // namespace lava_mcp::gateway
