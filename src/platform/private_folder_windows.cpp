#include <windows.h>
// windows.h first: aclapi.h needs its types.
#include <aclapi.h>

#include <cerrno>
#include <filesystem>
#include <thread>
#include <utility>

#include "platform/private_folder.h"
#include "platform/wide_text.h"

namespace lava_mcp::platform {
namespace {

constexpr auto kLockRetry = std::chrono::milliseconds(5);

// errno for the last Windows error, so that callers word failures as on POSIX.
int errno_of_last_error() {
  switch (::GetLastError()) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
      return ENOENT;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
      return EACCES;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
      return EEXIST;
    case ERROR_LOCK_VIOLATION:
      return EWOULDBLOCK;
    default:
      return EIO;
  }
}

class Handle {
 public:
  explicit Handle(HANDLE handle = INVALID_HANDLE_VALUE) : handle_(handle) {}
  ~Handle() {
    if (valid()) {
      ::CloseHandle(handle_);
    }
  }
  Handle(Handle&& other) noexcept : handle_(std::exchange(other.handle_, INVALID_HANDLE_VALUE)) {}
  Handle& operator=(Handle&&) = delete;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  bool valid() const { return handle_ != INVALID_HANDLE_VALUE && handle_ != nullptr; }
  HANDLE get() const { return handle_; }

 private:
  HANDLE handle_;
};

// LockFileEx locks belong to the handle: two threads of one process, each with its own handle,
// exclude each other as with flock.
class LockedFile final : public FileLock {
 public:
  explicit LockedFile(Handle handle) : handle_(std::move(handle)) {}

 private:
  Handle handle_;  // closing it releases the lock
};

// The SID of the user this process runs as, in `buffer`.
PSID current_user(std::string& buffer) {
  HANDLE token = nullptr;
  if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &token)) {
    return nullptr;
  }
  DWORD size = 0;
  ::GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  buffer.assign(size, '\0');
  const bool got = ::GetTokenInformation(token, TokenUser, buffer.data(), size, &size) != 0;
  ::CloseHandle(token);
  return got ? reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid : nullptr;
}

// The analogue of chmod 0700: one ACE, full control for the user, inherited by every file and
// folder created below, and the DACL protected, so nothing the parent (%APPDATA%) grants
// reaches in. Administrators and SYSTEM keep the access they have to any file anyway.
bool make_private(const std::wstring& path) {
  std::string sid_buffer;
  PSID user = current_user(sid_buffer);
  if (user == nullptr) {
    return false;
  }
  EXPLICIT_ACCESSW access{};
  access.grfAccessPermissions = GENERIC_ALL;
  access.grfAccessMode = SET_ACCESS;
  access.grfInheritance = OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE;
  access.Trustee.TrusteeForm = TRUSTEE_IS_SID;
  access.Trustee.TrusteeType = TRUSTEE_IS_USER;
  access.Trustee.ptstrName = static_cast<LPWSTR>(user);
  PACL acl = nullptr;
  if (::SetEntriesInAclW(1, &access, nullptr, &acl) != ERROR_SUCCESS) {
    return false;
  }
  const DWORD result =
      ::SetNamedSecurityInfoW(const_cast<LPWSTR>(path.c_str()), SE_FILE_OBJECT,
                              DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                              nullptr, nullptr, acl, nullptr);
  ::LocalFree(acl);
  if (result != ERROR_SUCCESS) {
    ::SetLastError(result);
    return false;
  }
  return true;
}

Unexpected folder_error(const std::string& what, const std::string& path) {
  errno = errno_of_last_error();
  return fail(error_code::kInternalError,
              what + " " + path + ": Windows error " + std::to_string(::GetLastError()));
}

FileRead failed() {
  FileRead read;
  read.error = errno_of_last_error();
  read.status = read.error == ENOENT ? FileRead::Status::kAbsent : FileRead::Status::kFailed;
  return read;
}

FileRead read_path(const std::wstring& path, std::size_t max_bytes) {
  // FILE_FLAG_OPEN_REPARSE_POINT: a symbolic link or junction is opened itself, and refused
  // below as not a regular file, instead of followed.
  Handle file(::CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, nullptr,
                            OPEN_EXISTING,
                            FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  if (!file.valid()) {
    return failed();
  }
  BY_HANDLE_FILE_INFORMATION info{};
  if (!::GetFileInformationByHandle(file.get(), &info)) {
    return failed();
  }
  FileRead read;
  if (::GetFileType(file.get()) != FILE_TYPE_DISK ||
      (info.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) != 0) {
    read.status = FileRead::Status::kNotRegular;
    read.kind = (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0 ? "a directory"
                : (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0
                    ? "a symbolic link or junction"
                    : "not a regular file";
    return read;
  }
  read.status = FileRead::Status::kTooLarge;
  const auto size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  if (size > max_bytes) {
    return read;
  }
  read.text.assign(max_bytes + 1, '\0');  // one more: a file that grew is seen
  std::size_t done = 0;
  while (done < read.text.size()) {
    DWORD n = 0;
    if (!::ReadFile(file.get(), read.text.data() + done,
                    static_cast<DWORD>(read.text.size() - done), &n, nullptr)) {
      return failed();
    }
    if (n == 0) {
      break;
    }
    done += n;
  }
  if (done > max_bytes) {
    read.text.clear();
    return read;
  }
  read.text.resize(done);
  read.status = FileRead::Status::kRead;
  return read;
}

bool write_all(HANDLE file, std::string_view bytes) {
  while (!bytes.empty()) {
    DWORD n = 0;
    if (!::WriteFile(file, bytes.data(), static_cast<DWORD>(bytes.size()), &n, nullptr) || n == 0) {
      return false;
    }
    bytes.remove_prefix(n);
  }
  return true;
}

}  // namespace

struct PrivateFolder::Handle {
  std::wstring path;  // ends without a separator
  std::wstring file(const std::string& name) const { return path + L"\\" + to_wide(name); }
};

PrivateFolder::PrivateFolder(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
PrivateFolder::~PrivateFolder() = default;
PrivateFolder::PrivateFolder(PrivateFolder&& other) noexcept = default;

Expected<PrivateFolder> PrivateFolder::open(const std::string& path) {
  const std::wstring wide = to_wide(path);
  const DWORD attributes = ::GetFileAttributesW(wide.c_str());
  if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
    return fail(error_code::kInternalError,
                "the lava-mcp home " + path +
                    " is a symbolic link or junction; credentials are not written through it "
                    "(nor its access changed): set LAVA_MCP_HOME to the folder itself");
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(wide), ec);
  if (ec) {
    return fail(error_code::kInternalError, "cannot create " + path + ": " + ec.message());
  }
  if (!make_private(wide)) {
    return folder_error("cannot make private (an ACL for this user alone) the folder", path);
  }
  return PrivateFolder(std::make_unique<Handle>(Handle{wide}));
}

// The temporary inherits the folder's private ACL; MoveFileExW replaces the old file in one
// step (a reader opens the old file or the new one) and returns once it is on disk.
Replaced PrivateFolder::replace(const std::string& name, const std::string& temporary,
                                std::string_view bytes) const {
  const std::wstring temporary_path = handle_->file(temporary);
  bool done = false;
  {
    platform::Handle file(::CreateFileW(temporary_path.c_str(), GENERIC_WRITE, 0, nullptr,
                                        CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
    if (!file.valid()) {
      errno = errno_of_last_error();
      return Replaced::kCannotCreate;
    }
    done = write_all(file.get(), bytes) && ::FlushFileBuffers(file.get());
  }
  if (done) {
    done = ::MoveFileExW(temporary_path.c_str(), handle_->file(name).c_str(),
                         MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0;
  }
  if (!done) {
    const int error = errno_of_last_error();
    ::DeleteFileW(temporary_path.c_str());
    errno = error;
    return Replaced::kCannotWrite;
  }
  return Replaced::kDone;
}

FileRead PrivateFolder::read(const std::string& name, std::size_t max_bytes) const {
  return read_path(handle_->file(name), max_bytes);
}

std::unique_ptr<FileLock> PrivateFolder::lock(const std::string& name,
                                              std::chrono::milliseconds wait) const {
  platform::Handle file(::CreateFileW(
      handle_->file(name).c_str(), GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
      nullptr, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, nullptr));
  if (!file.valid()) {
    errno = errno_of_last_error();
    return nullptr;
  }
  if (::GetFileType(file.get()) != FILE_TYPE_DISK) {
    errno = ENOTSUP;
    return nullptr;
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    OVERLAPPED whole{};
    if (::LockFileEx(file.get(), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, MAXDWORD,
                     MAXDWORD, &whole)) {
      return std::make_unique<LockedFile>(std::move(file));
    }
    if (::GetLastError() != ERROR_LOCK_VIOLATION) {
      errno = errno_of_last_error();
      return nullptr;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      errno = EWOULDBLOCK;
      return nullptr;
    }
    std::this_thread::sleep_for(kLockRetry);
  }
}

bool PrivateFolder::can_create(const std::string& name) const {
  platform::Handle file(::CreateFileW(handle_->file(name).c_str(), GENERIC_WRITE, 0, nullptr,
                                      CREATE_NEW, FILE_FLAG_DELETE_ON_CLOSE, nullptr));
  if (!file.valid()) {
    errno = errno_of_last_error();
    return false;
  }
  return true;
}

FileRead read_regular_file(const std::string& path, std::size_t max_bytes) {
  return read_path(to_wide(path), max_bytes);
}

std::optional<std::string> file_signature(const std::string& path) {
  platform::Handle file(::CreateFileW(to_wide(path).c_str(), 0,
                                      FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                      nullptr, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  BY_HANDLE_FILE_INFORMATION info{};
  if (!file.valid() || !::GetFileInformationByHandle(file.get(), &info)) {
    errno = errno_of_last_error();
    return errno == ENOENT ? std::optional<std::string>("absent") : std::nullopt;
  }
  auto pair = [](DWORD high, DWORD low) {
    return std::to_string((static_cast<std::uint64_t>(high) << 32) | low);
  };
  return std::to_string(info.dwVolumeSerialNumber) + ":" +
         pair(info.nFileIndexHigh, info.nFileIndexLow) + ":" +
         pair(info.nFileSizeHigh, info.nFileSizeLow) + ":" +
         pair(info.ftLastWriteTime.dwHighDateTime, info.ftLastWriteTime.dwLowDateTime);
}

bool remove_file(const std::string& path) {
  if (::DeleteFileW(to_wide(path).c_str())) {
    return true;
  }
  errno = errno_of_last_error();
  return false;
}

long process_id() { return static_cast<long>(::GetCurrentProcessId()); }

bool process_gone(long pid) {
  if (pid <= 0) {
    return false;
  }
  HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid));
  if (process != nullptr) {
    DWORD code = 0;
    const bool exited = ::GetExitCodeProcess(process, &code) && code != STILL_ACTIVE;
    ::CloseHandle(process);
    return exited;
  }
  return ::GetLastError() == ERROR_INVALID_PARAMETER;  // no process has this id
}

std::string host_name() {
  wchar_t name[256];
  DWORD size = 256;
  if (!::GetComputerNameExW(ComputerNameDnsHostname, name, &size)) {
    return "";
  }
  return to_utf8(std::wstring_view(name, size));
}

}  // namespace lava_mcp::platform
