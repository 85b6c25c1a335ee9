// The Windows platform units (src/platform/*_windows.cpp), run under Wine.
#include <windows.h>
// windows.h first: aclapi.h needs its types.
#include <aclapi.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "base/hex.h"
#include "gateway/credentials.h"
#include "platform/crypto.h"
#include "platform/executable_path.h"
#include "platform/host_system.h"
#include "platform/private_folder.h"
#include "platform/wide_text.h"

namespace platform = lava_mcp::platform;
namespace gateway = lava_mcp::gateway;

namespace {

std::string fresh_folder(const char* name) {
  wchar_t temp[MAX_PATH];
  ::GetTempPathW(MAX_PATH, temp);
  const std::filesystem::path path =
      std::filesystem::path(temp) /
      (std::string("lava-mcp-test-") + name + "-" + std::to_string(::GetCurrentProcessId()));
  std::filesystem::remove_all(path);
  return platform::to_utf8(path.wstring());
}

// Wine (8.0, Debian's) accepts SetNamedSecurityInfoW but reads back a DACL made from the Unix
// mode (three ACEs, not protected), so the ACL itself is checked on real Windows only.
bool under_wine() {
  return ::GetProcAddress(::GetModuleHandleW(L"ntdll.dll"), "wine_get_version") != nullptr;
}

// The DACL of `path`: protected (nothing inherited from above), one ACE, allowing this user.
void check_owner_only(const std::string& path) {
  if (under_wine()) {
    MESSAGE("under Wine: the owner-only ACL of " << path << " is not checked");
    return;
  }
  PACL dacl = nullptr;
  PSECURITY_DESCRIPTOR descriptor = nullptr;
  REQUIRE(::GetNamedSecurityInfoW(platform::to_wide(path).c_str(), SE_FILE_OBJECT,
                                  DACL_SECURITY_INFORMATION, nullptr, nullptr, &dacl, nullptr,
                                  &descriptor) == ERROR_SUCCESS);
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  ::GetSecurityDescriptorControl(descriptor, &control, &revision);
  CHECK((control & SE_DACL_PROTECTED) != 0);
  REQUIRE(dacl != nullptr);
  CHECK(dacl->AceCount == 1);
  void* ace = nullptr;
  REQUIRE(::GetAce(dacl, 0, &ace));
  auto* allowed = static_cast<ACCESS_ALLOWED_ACE*>(ace);
  CHECK(allowed->Header.AceType == ACCESS_ALLOWED_ACE_TYPE);
  HANDLE token = nullptr;
  REQUIRE(::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token));
  char buffer[256];
  DWORD size = sizeof buffer;
  REQUIRE(::GetTokenInformation(token, TokenUser, buffer, size, &size));
  ::CloseHandle(token);
  CHECK(::EqualSid(reinterpret_cast<PSID>(&allowed->SidStart),
                   reinterpret_cast<TOKEN_USER*>(buffer)->User.Sid));
  ::LocalFree(descriptor);
}

}  // namespace

TEST_CASE("windows: sha256 and random bytes come from CNG") {
  const auto digest = platform::sha256("abc");
  CHECK(lava_mcp::hex_encode(digest.data(), digest.size()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto mac = platform::hmac_sha256("Jefe", "what do ya want for nothing?");  // RFC 4231 2
  CHECK(lava_mcp::hex_encode(mac.data(), mac.size()) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  unsigned char a[16] = {};
  unsigned char b[16] = {};
  REQUIRE(platform::random_bytes(a, sizeof a));
  REQUIRE(platform::random_bytes(b, sizeof b));
  CHECK(std::string(a, a + 16) != std::string(b, b + 16));
}

TEST_CASE("windows: UTF-8 paths cross the wide API boundary unchanged") {
  const std::string text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91";  // café € (key emoji)
  CHECK(platform::to_wide(text).size() == 9);  // the emoji is a surrogate pair
  CHECK(platform::to_utf8(platform::to_wide(text)) == text);
  const std::string folder = fresh_folder("caf\xc3\xa9");
  auto opened = platform::PrivateFolder::open(folder);
  REQUIRE(opened.has_value());
  CHECK(std::filesystem::exists(std::filesystem::path(platform::to_wide(folder))));
  std::filesystem::remove_all(std::filesystem::path(platform::to_wide(folder)));
}

TEST_CASE("windows: the executable path is absolute and names the test executable") {
  const auto path = platform::executable_path();
  REQUIRE(path.has_value());
  CHECK(path->find("windows_unit_tests.exe") != std::string::npos);
  CHECK(std::filesystem::path(platform::to_wide(*path)).is_absolute());
}

TEST_CASE("windows: Claude Desktop's configuration is under %APPDATA%\\Claude") {
  CHECK(platform::this_host_system() == platform::HostSystem::kWindows);
  CHECK(platform::claude_desktop_config_file(
            platform::HostSystem::kWindows, std::string("C:\\Users\\a\\AppData\\Roaming"),
            std::nullopt) == "C:\\Users\\a\\AppData\\Roaming\\Claude\\claude_desktop_config.json");
  CHECK(!platform::claude_desktop_config_file(platform::HostSystem::kWindows, std::nullopt,
                                              std::nullopt));
}

TEST_CASE("windows: credentials are written atomically into a folder only the user can read") {
  const std::string home = fresh_folder("credentials");
  gateway::Credentials credentials;
  credentials.secret_key = "aks_test_windows_secret";
  credentials.wallet_id = "wallet-1";
  REQUIRE(gateway::save_credentials(home, credentials).has_value());
  check_owner_only(home);
  check_owner_only(gateway::credentials_path(home));  // inherited by the file

  credentials.wallet_id = "wallet-2";  // replaced over an existing file (MoveFileExW)
  REQUIRE(gateway::save_credentials(home, credentials).has_value());
  const auto loaded = gateway::load_credentials(home);
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->wallet_id == "wallet-2");
  CHECK((*loaded)->secret_key == "aks_test_windows_secret");
  int temporaries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(home)) {
    temporaries += entry.path().filename().string().find(".tmp-") != std::string::npos;
  }
  CHECK(temporaries == 0);

  const auto deleted = gateway::delete_credentials(home);
  REQUIRE(deleted.has_value());
  CHECK(*deleted);
  CHECK(gateway::load_credentials(home).has_value());
  CHECK(!gateway::load_credentials(home)->has_value());
  std::filesystem::remove_all(home);
}

TEST_CASE("windows: the credentials lock excludes a second holder, even in the same process") {
  const std::string home = fresh_folder("lock");
  auto folder = platform::PrivateFolder::open(home);
  REQUIRE(folder.has_value());
  auto first = folder->lock("x.lock", std::chrono::milliseconds(0));
  REQUIRE(first != nullptr);
  auto second = folder->lock("x.lock", std::chrono::milliseconds(20));
  CHECK(second == nullptr);
  CHECK(errno == EWOULDBLOCK);
  first.reset();
  CHECK(folder->lock("x.lock", std::chrono::milliseconds(0)) != nullptr);
  std::filesystem::remove_all(home);
}

TEST_CASE("windows: a file larger than the cap, or a folder, is not read as credentials") {
  const std::string home = fresh_folder("read");
  auto folder = platform::PrivateFolder::open(home);
  REQUIRE(folder.has_value());
  REQUIRE(folder->replace("big", "big.tmp", std::string(100, 'x')) == platform::Replaced::kDone);
  CHECK(folder->read("big", 99).status == platform::FileRead::Status::kTooLarge);
  CHECK(folder->read("big", 100).text == std::string(100, 'x'));
  std::filesystem::create_directory(std::filesystem::path(platform::to_wide(home + "\\sub")));
  const auto sub = folder->read("sub", 100);
  CHECK(sub.status == platform::FileRead::Status::kNotRegular);
  CHECK(std::string(sub.kind) == "a directory");
  CHECK(folder->read("none", 100).status == platform::FileRead::Status::kAbsent);
  std::filesystem::remove_all(std::filesystem::path(platform::to_wide(home)));
}

TEST_CASE("windows: this process is alive and the machine has a name") {
  CHECK(!platform::process_gone(platform::process_id()));
  CHECK(!platform::host_name().empty());
}
