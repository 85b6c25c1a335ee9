// RedirectPage and browser_system.h on POSIX: mkdtemp and open(2) with O_NOFOLLOW for the page,
// posix_spawnp for the command.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "gateway/browser.h"
#include "gateway/browser_system.h"

extern char** environ;

namespace lava_mcp::gateway {

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

std::string RedirectPage::file_url() const { return "file://" + path_; }

Expected<void> start_browser(const std::vector<std::string>& argv) {
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
  return {};
}

Expected<void> open_with_system(const std::string&) {
  return fail(error_code::kInternalError, "this system opens URLs with a command (BROWSER)");
}

}  // namespace lava_mcp::gateway
