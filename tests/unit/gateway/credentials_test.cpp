#include "gateway/credentials.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "gateway/curl_http_client.h"
#include "gateway/login_flow.h"
#include "support/fake_lava.h"
#include "support/temp_dir.h"

namespace lava_mcp::gateway {
namespace {

using testing::TempDir;

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

mode_t mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777;
}

TEST_CASE("credentials: missing file is no credentials") {
  TempDir dir;
  auto loaded = load_credentials(dir.path() + "/home");
  REQUIRE(loaded);
  CHECK_FALSE(loaded->has_value());
}

TEST_CASE("credentials: saved with modes 0700/0600, read back, unknown fields kept") {
  TempDir dir;
  const std::string home = dir.path() + "/nested/home";
  Credentials c;
  c.secret_key = "aks_live_0123456789";
  c.merchant_id = "m_1";
  c.extra = {{"future_field", {1, 2}}};
  REQUIRE(save_credentials(home, c));
  CHECK(mode_of(home) == 0700);
  CHECK(mode_of(credentials_path(home)) == 0600);
  const auto json = nlohmann::json::parse(read_file(credentials_path(home)));
  CHECK(json == nlohmann::json{{"secret_key", "aks_live_0123456789"},
                               {"merchant_id", "m_1"},
                               {"future_field", {1, 2}}});
  auto loaded = load_credentials(home);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->secret_key == "aks_live_0123456789");
  CHECK((*loaded)->extra["future_field"] == nlohmann::json{1, 2});
  // Rewriting keeps the unknown field and leaves no temporary file behind (the lock file stays).
  (*loaded)->spend_key = "lava_sk_abcdefgh";
  REQUIRE(save_credentials(home, **loaded));
  CHECK(nlohmann::json::parse(read_file(credentials_path(home)))["future_field"] ==
        nlohmann::json{1, 2});
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(home)) {
    ++files;
  }
  CHECK(files == 2);
  CHECK(std::filesystem::is_regular_file(credentials_lock_path(home)));
}

TEST_CASE("credentials: a corrupt file is reported clearly and never deleted") {
  TempDir dir;
  const std::string home = dir.path();
  std::ofstream(credentials_path(home)) << "{not json";
  auto loaded = load_credentials(home);
  REQUIRE_FALSE(loaded);
  CHECK(loaded.error().message.find("corrupt") != std::string::npos);
  CHECK(loaded.error().message.find(credentials_path(home)) != std::string::npos);
  CHECK(read_file(credentials_path(home)) == "{not json");
}

TEST_CASE("credentials: a failed write keeps the previous file") {
  TempDir dir;
  const std::string home = dir.path() + "/h";
  Credentials first;
  first.secret_key = "aks_live_first_key";
  REQUIRE(save_credentials(home, first));
  ::chmod(home.c_str(), 0500);  // no new files can be created in the folder
  Credentials second;
  second.secret_key = "aks_live_second_key";
  const bool root = ::geteuid() == 0;  // root ignores the mode; the check below still holds
  const auto saved = save_credentials(home, second);
  if (!root) {
    CHECK_FALSE(saved);
    CHECK(nlohmann::json::parse(read_file(credentials_path(home)))["secret_key"] ==
          "aks_live_first_key");
  }
  ::chmod(home.c_str(), 0700);
}

TEST_CASE("credentials: delete") {
  TempDir dir;
  Credentials c;
  c.secret_key = "aks_live_0123456789";
  REQUIRE(save_credentials(dir.path(), c));
  CHECK(*delete_credentials(dir.path()) == true);
  CHECK(*delete_credentials(dir.path()) == false);
}

}  // namespace
}  // namespace lava_mcp::gateway

namespace lava_mcp::gateway {
namespace {

bool is_whole_file(const std::string& path) {
  std::ifstream file(path);
  const auto json = nlohmann::json::parse(file, nullptr, false);
  return json.is_object() && json.contains("secret_key") &&
         json["secret_key"].get<std::string>().rfind("aks_live_writer_", 0) == 0;
}

TEST_CASE("credentials under faults: concurrent writers never tear the file") {
  testing::TempDir dir;
  std::vector<std::thread> writers;
  std::atomic<bool> torn{false};
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      Credentials c;
      c.secret_key = "aks_live_writer_" + std::to_string(w) + std::string(2000, 'k');
      for (int i = 0; i < 50; ++i) {
        c.spend_key_id = std::to_string(i);
        CHECK(save_credentials(dir.path(), c));
        if (!is_whole_file(credentials_path(dir.path()))) {
          torn = true;
        }
      }
    });
  }
  for (auto& writer : writers) {
    writer.join();
  }
  CHECK_FALSE(torn);
  CHECK(is_whole_file(credentials_path(dir.path())));
}

TEST_CASE("credentials under faults: a writer killed mid-write leaves the old or the new file") {
  testing::TempDir dir;
  Credentials first;
  first.secret_key = "aks_live_writer_first";
  REQUIRE(save_credentials(dir.path(), first));
  for (int round = 0; round < 20; ++round) {
    const pid_t child = ::fork();
    if (child == 0) {
      Credentials c;
      c.secret_key = "aks_live_writer_child" + std::string(60000, 'x');  // under the 64 KiB cap
      for (;;) {
        (void)save_credentials(dir.path(), c);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(3 + round));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK_MESSAGE(is_whole_file(credentials_path(dir.path())), "round " << round);
  }
  // The killed writers' temporary files go with the next save; a live writer's file stays.
  const std::string live =
      credentials_path(dir.path()) + ".tmp-" + std::to_string(::getpid()) + "-7";
  std::ofstream(live) << "{";
  const pid_t gone = ::fork();
  if (gone == 0) {
    ::_exit(0);
  }
  ::waitpid(gone, nullptr, 0);
  std::ofstream(credentials_path(dir.path()) + ".tmp-" + std::to_string(gone) + "-1") << "{";
  const auto saved = save_credentials(dir.path(), first);
  REQUIRE_MESSAGE(saved, saved.error().message);
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    left.push_back(entry.path().filename().string());
  }
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"credentials.json", "credentials.json.lock",
                                         std::filesystem::path(live).filename().string()});
}

}  // namespace
}  // namespace lava_mcp::gateway

namespace lava_mcp::gateway {
namespace {

using namespace std::chrono_literals;

// What load_credentials answered in a child process, or what became of the child: a read that
// blocks, or aborts on memory, must fail the test, not hang or crash the test binary.
std::string load_in_child(const std::string& home) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    auto loaded = load_credentials(home);
    const std::string answer =
        loaded ? (loaded->has_value() ? "loaded" : "absent") : "error: " + loaded.error().message;
    [[maybe_unused]] const ssize_t n = ::write(pipe_fds[1], answer.data(), answer.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string answer;
  pollfd readable{pipe_fds[0], POLLIN, 0};
  char buffer[4096];
  while (::poll(&readable, 1, 10000) > 0) {
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL) {
    return "killed by signal " + std::to_string(WTERMSIG(status));
  }
  return answer.empty() ? "no answer within 10 s" : answer;
}

void check_refused(const std::string& home, const std::string& kind) {
  const std::string answer = load_in_child(home);
  CHECK_MESSAGE(answer.rfind("error: ", 0) == 0, answer);
  CHECK_MESSAGE(answer.find(credentials_path(home)) != std::string::npos, answer);
  CHECK_MESSAGE(answer.find(kind) != std::string::npos, answer);
}

TEST_CASE("credentials: anything but a small regular file is refused at once, with its name") {
  TempDir dir;
  const std::string path = credentials_path(dir.path());
  SUBCASE("a symlink to /dev/zero") {
    REQUIRE(::symlink("/dev/zero", path.c_str()) == 0);
    check_refused(dir.path(), "a character device");
  }
  SUBCASE("a FIFO without a writer") {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    check_refused(dir.path(), "a FIFO");
  }
  SUBCASE("a 1.5 GiB sparse file") {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, 3LL << 29) == 0);  // no disk is used: the file is all hole
    ::close(fd);
    check_refused(dir.path(), "larger than 64 KiB");
  }
  SUBCASE("a directory") {
    std::filesystem::create_directory(path);
    check_refused(dir.path(), "a directory");
  }
  // Writing refuses the same files and leaves them alone.
  Credentials c;
  c.secret_key = "aks_live_0123456789";
  if (!std::filesystem::is_symlink(path)) {
    const auto before = std::filesystem::status(path).type();
    CHECK_FALSE(save_credentials(dir.path(), c));
    CHECK(std::filesystem::status(path).type() == before);
  }
}

TEST_CASE(
    "credentials: a symlink to a regular file is read, and a save replaces the link, not its "
    "target") {
  TempDir dir;
  const std::string target = dir.path() + "/elsewhere.json";
  std::ofstream(target) << R"({"secret_key":"aks_live_LINKED0123456"})";
  const std::string home = dir.path() + "/home";
  std::filesystem::create_directory(home);
  REQUIRE(::symlink(target.c_str(), credentials_path(home).c_str()) == 0);
  auto loaded = load_credentials(home);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->secret_key == "aks_live_LINKED0123456");
  (*loaded)->merchant_id = "m_1";
  REQUIRE(save_credentials(home, **loaded));
  CHECK_FALSE(std::filesystem::is_symlink(credentials_path(home)));
  CHECK(nlohmann::json::parse(read_file(credentials_path(home)))["merchant_id"] == "m_1");
  CHECK(read_file(target) == R"({"secret_key":"aks_live_LINKED0123456"})");
}

TEST_CASE("credentials: a symlinked home is refused, and its target's mode is not changed") {
  TempDir dir;
  const std::string target = dir.path() + "/shared";
  std::filesystem::create_directory(target);
  REQUIRE(::chmod(target.c_str(), 0755) == 0);
  const std::string home = dir.path() + "/home";
  REQUIRE(::symlink(target.c_str(), home.c_str()) == 0);
  Credentials c;
  c.secret_key = "aks_live_0123456789";
  const auto saved = save_credentials(home, c);
  REQUIRE_FALSE(saved);
  CHECK(saved.error().message.find("symbolic link") != std::string::npos);
  CHECK(saved.error().message.find("LAVA_MCP_HOME") != std::string::npos);
  CHECK(mode_of(target) == 0755);
  CHECK_FALSE(std::filesystem::exists(target + "/credentials.json"));
  CHECK_FALSE(check_home_writable(home));
  CHECK(mode_of(target) == 0755);
}

TEST_CASE("credentials: a save keeps the unknown fields already in the file") {
  TempDir dir;
  std::ofstream(credentials_path(dir.path()))
      << R"({"secret_key":"aks_live_OLD0123456789","team":"blue","limits":{"daily":5}})";
  Credentials fresh;  // as a login builds them: known fields only
  fresh.secret_key = "aks_live_NEW0123456789";
  fresh.merchant_id = "m_2";
  REQUIRE(save_credentials(dir.path(), fresh));
  CHECK(nlohmann::json::parse(read_file(credentials_path(dir.path()))) ==
        nlohmann::json{{"secret_key", "aks_live_NEW0123456789"},
                       {"merchant_id", "m_2"},
                       {"team", "blue"},
                       {"limits", {{"daily", 5}}}});
}

TEST_CASE("credentials: writers racing read-modify-writes lose no field (threads and processes)") {
  TempDir dir;
  constexpr int kRounds = 40;
  const auto writer = [&dir](const std::string& field) {
    for (int i = 1; i <= kRounds; ++i) {
      auto updated = update_credentials(dir.path(), [&](Credentials& current) -> Expected<void> {
        current.extra[field] = i;
        return {};
      });
      if (!updated) {
        return false;
      }
    }
    return true;
  };
  std::vector<pid_t> children;
  for (const std::string field : {"process_a", "process_b"}) {
    const pid_t child = ::fork();
    if (child == 0) {
      ::_exit(writer(field) ? 0 : 1);
    }
    children.push_back(child);
  }
  std::atomic<bool> threads_ok{true};
  std::vector<std::thread> threads;
  for (const std::string field : {"thread_a", "thread_b"}) {
    threads.emplace_back([&, field] { threads_ok = writer(field) && threads_ok; });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const pid_t child : children) {
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  CHECK(threads_ok);
  const auto stored = nlohmann::json::parse(read_file(credentials_path(dir.path())));
  for (const char* field : {"process_a", "process_b", "thread_a", "thread_b"}) {
    CHECK_MESSAGE(stored.value(field, 0) == kRounds, field << " in " << stored.dump());
  }
}

Config config_for(const testing::FakeLava& lava, const std::string& home) {
  Config config;
  config.api_origin = lava.origin();
  config.home = home;
  config.secret_key = testing::FakeLava::kSecretKey;
  config.timeout = 5s;
  auto stored = load_credentials(home);
  REQUIRE(stored);
  config.stored = *stored;
  return config;
}

TEST_CASE("credentials: provisioning a spend key writes it into the file as it is now") {
  testing::FakeLava lava;
  CurlHttpClient http;
  TempDir dir;
  Credentials before;
  before.secret_key = testing::FakeLava::kSecretKey;
  before.merchant_id = "m_old";
  REQUIRE(save_credentials(dir.path(), before));
  const Config config = config_for(lava, dir.path());
  // Another process changes the file after this one read it.
  REQUIRE(update_credentials(dir.path(), [](Credentials& current) -> Expected<void> {
    current.merchant_id = "m_new";
    current.extra["note"] = "kept";
    return {};
  }));
  auto provisioned = provision_spend_key(http, config, *config.stored, {});
  REQUIRE(provisioned);
  const auto stored = nlohmann::json::parse(read_file(credentials_path(dir.path())));
  CHECK(stored.value("merchant_id", "") == "m_new");
  CHECK(stored.value("note", "") == "kept");
  CHECK(stored.value("spend_key", "") == testing::FakeLava::kSpendKey);
  CHECK(provisioned->merchant_id == "m_new");

  // A login to another account meanwhile: the new key is not this file's, so it stays out.
  REQUIRE(update_credentials(dir.path(), [](Credentials& current) -> Expected<void> {
    current = Credentials{};
    current.secret_key = "aks_live_ANOTHERACCOUNT01";
    return {};
  }));
  auto refused = provision_spend_key(http, config, *config.stored, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("changed") != std::string::npos);
  CHECK_FALSE(nlohmann::json::parse(read_file(credentials_path(dir.path()))).contains("spend_key"));
}

// Makes `folder` refuse new files even to root (tests run as root, where modes do not): the
// immutable attribute, as `chattr +i` sets it. False where the file system cannot.
class ReadOnlyFolder {
 public:
  explicit ReadOnlyFolder(const std::string& folder)
      : fd_(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    int flags = 0;
    if (fd_ >= 0 && ::ioctl(fd_, FS_IOC_GETFLAGS, &flags) == 0) {
      flags |= FS_IMMUTABLE_FL;
      applied_ = ::ioctl(fd_, FS_IOC_SETFLAGS, &flags) == 0;
    }
    if (!applied_ && ::geteuid() != 0) {
      applied_ = ::chmod(folder.c_str(), 0500) == 0;
      by_mode_ = applied_;
    }
    folder_ = folder;
  }
  ~ReadOnlyFolder() {
    int flags = 0;
    if (applied_ && !by_mode_ && ::ioctl(fd_, FS_IOC_GETFLAGS, &flags) == 0) {
      flags &= ~FS_IMMUTABLE_FL;
      ::ioctl(fd_, FS_IOC_SETFLAGS, &flags);
    }
    if (by_mode_) {
      ::chmod(folder_.c_str(), 0700);
    }
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  bool applied() const { return applied_; }

 private:
  int fd_;
  bool applied_ = false;
  bool by_mode_ = false;
  std::string folder_;
};

TEST_CASE("credentials: a read-only home is found before Lava creates a spend key") {
  testing::FakeLava lava;
  CurlHttpClient http;
  TempDir dir;
  const std::string home = dir.path() + "/home";
  std::filesystem::create_directory(home);
  REQUIRE(::chmod(home.c_str(), 0700) == 0);
  const Config config = config_for(lava, home);
  ReadOnlyFolder read_only(home);
  if (!read_only.applied()) {
    MESSAGE("skipped: this file system cannot make a folder read-only for root");
    return;
  }
  const auto writable = check_home_writable(home);
  REQUIRE_FALSE(writable);
  CHECK(writable.error().message.find(home) != std::string::npos);
  CHECK(writable.error().message.find("not writable") != std::string::npos);
  auto provisioned = provision_spend_key(http, config, Credentials{}, {});
  REQUIRE_FALSE(provisioned);
  CHECK(provisioned.error().message.find("not writable") != std::string::npos);
  CHECK(lava.spend_keys_created == 0);  // nothing created upstream that no file remembers
}

}  // namespace
}  // namespace lava_mcp::gateway
