#include "gateway/credentials.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <atomic>
#include <fstream>
#include <thread>

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
  CHECK(json == nlohmann::json{{"secret_key", "aks_live_0123456789"}, {"merchant_id", "m_1"},
                               {"future_field", {1, 2}}});
  auto loaded = load_credentials(home);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->secret_key == "aks_live_0123456789");
  CHECK((*loaded)->extra["future_field"] == nlohmann::json{1, 2});
  // Rewriting keeps the unknown field and leaves no temporary file behind.
  (*loaded)->spend_key = "lava_sk_abcdefgh";
  REQUIRE(save_credentials(home, **loaded));
  CHECK(nlohmann::json::parse(read_file(credentials_path(home)))["future_field"] ==
        nlohmann::json{1, 2});
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(home)) {
    ++files;
  }
  CHECK(files == 1);
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
    CHECK(nlohmann::json::parse(read_file(credentials_path(home)))["secret_key"] == "aks_live_first_key");
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
      c.secret_key = "aks_live_writer_child" + std::string(100000, 'x');
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
  const std::string live = credentials_path(dir.path()) + ".tmp-" + std::to_string(::getpid()) + "-7";
  std::ofstream(live) << "{";
  const pid_t gone = ::fork();
  if (gone == 0) {
    ::_exit(0);
  }
  ::waitpid(gone, nullptr, 0);
  std::ofstream(credentials_path(dir.path()) + ".tmp-" + std::to_string(gone) + "-1") << "{";
  REQUIRE(save_credentials(dir.path(), first));
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    left.push_back(entry.path().filename().string());
  }
  std::sort(left.begin(), left.end());
  CHECK(left == std::vector<std::string>{"credentials.json", std::filesystem::path(live).filename().string()});
}

}  // namespace
}  // namespace lava_mcp::gateway
