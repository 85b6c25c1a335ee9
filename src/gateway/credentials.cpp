#include "gateway/credentials.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>

#include "base/bounded_json.h"
#include "base/secrets.h"
#include "gateway/atomic_file.h"

namespace lava_mcp::gateway {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<const char*, std::string Credentials::*>, 10> kFields = {{
    {"secret_key", &Credentials::secret_key},
    {"secret_key_id", &Credentials::secret_key_id},
    {"wallet_id", &Credentials::wallet_id},
    {"merchant_id", &Credentials::merchant_id},
    {"account_id", &Credentials::account_id},
    {"spend_key", &Credentials::spend_key},
    {"spend_key_id", &Credentials::spend_key_id},
    {"spend_key_preview", &Credentials::spend_key_preview},
    {"api_url", &Credentials::api_url},
    {"created_at", &Credentials::created_at},
}};

Unexpected io_error(const std::string& what, const std::string& path) {
  return fail(error_code::kInternalError, what + " " + path + ": " + std::strerror(errno));
}

constexpr const char* kFileName = "credentials.json";
constexpr const char* kLockName = "credentials.json.lock";
// A writer's temporary file is the file name, this suffix, its pid, "-" and a number.
constexpr const char* kTemporarySuffix = ".tmp-";
// Holders keep the lock for one read, write and fsync; a holder stopped for longer is reported.
constexpr auto kLockWait = std::chrono::seconds(10);
constexpr auto kLockRetry = std::chrono::milliseconds(5);

// A file descriptor closed when it goes out of scope (which also releases a flock on it).
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&&) = delete;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

Unexpected not_a_credentials_file(const std::string& path, const std::string& problem) {
  return fail(error_code::kInternalError,
              "the credentials file " + path + " is " + problem +
                  ", so it was not read and was left as it is: remove it (`lava-mcp logout`) "
                  "and call login again, or set LAVA_MCP_HOME to another folder");
}

// The file's bytes, or nullopt when there is none. Opened without blocking (a FIFO with no
// writer would wait forever) and checked on the opened descriptor, so nothing but a regular
// file of at most kMaxCredentialsBytes is read, however it was reached.
Expected<std::optional<std::string>> read_credentials_text(int folder_fd, const char* name,
                                                           const std::string& path) {
  struct stat info {};
  if (::fstatat(folder_fd, name, &info, 0) != 0) {
    if (errno == ENOENT) {
      return std::optional<std::string>();
    }
    return io_error("cannot read", path);
  }
  if (!S_ISREG(info.st_mode)) {  // a device is never even opened
    return not_a_credentials_file(path, kind_of(info.st_mode));
  }
  const Fd fd(::openat(folder_fd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) {
      return std::optional<std::string>();
    }
    return io_error("cannot read", path);
  }
  if (::fstat(fd.get(), &info) != 0) {  // what was opened: the name may have changed since
    return io_error("cannot read", path);
  }
  if (!S_ISREG(info.st_mode)) {
    return not_a_credentials_file(path, kind_of(info.st_mode));
  }
  const std::string too_large = "larger than " + std::to_string(kMaxCredentialsBytes / 1024) +
                                " KiB (a credentials file is well under 1 KiB)";
  if (static_cast<std::uintmax_t>(info.st_size) > kMaxCredentialsBytes) {
    return not_a_credentials_file(path, too_large);
  }
  std::string text(kMaxCredentialsBytes + 1, '\0');  // one more: a file that grew is seen
  std::size_t size = 0;
  while (size < text.size()) {
    const ssize_t n = ::read(fd.get(), text.data() + size, text.size() - size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return io_error("cannot read", path);
    }
    if (n == 0) {
      break;
    }
    size += static_cast<std::size_t>(n);
  }
  if (size > kMaxCredentialsBytes) {
    return not_a_credentials_file(path, too_large);
  }
  text.resize(size);
  return std::optional<std::string>(std::move(text));
}

Expected<std::optional<Credentials>> parse_credentials(const std::optional<std::string>& text,
                                                       const std::string& path) {
  if (!text) {
    return std::optional<Credentials>();
  }
  const Json parsed = parse_bounded_json(*text);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(error_code::kInternalError,
                "the credentials file " + path +
                    " is corrupt (not a JSON object); it was left as it is: fix it, or remove it "
                    "with `lava-mcp logout` and call login again");
  }
  return std::optional<Credentials>(credentials_from_json(parsed));
}

// The home folder, created (0700) if needed and opened itself, never through a symlink: its
// mode is set on the opened descriptor, and every file below is reached from it.
Expected<Fd> open_home(const std::string& home) {
  struct stat link {};
  if (::lstat(home.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code ec;
    const auto target = std::filesystem::canonical(home, ec);
    return fail(error_code::kInternalError,
                "the lava-mcp home " + home + " is a symbolic link" +
                    (ec ? std::string() : " to " + target.string()) +
                    "; credentials are not written through it (nor its mode changed): set "
                    "LAVA_MCP_HOME to the folder itself");
  }
  std::error_code ec;
  std::filesystem::create_directories(home, ec);
  if (ec) {
    return fail(error_code::kInternalError, "cannot create " + home + ": " + ec.message());
  }
  Fd fd(::open(home.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    return io_error("cannot open the lava-mcp home", home);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    return io_error("cannot open the lava-mcp home", home);
  }
  if ((info.st_mode & 0777) != 0700 && ::fchmod(fd.get(), 0700) != 0) {
    return io_error("cannot set mode 0700 on", home);
  }
  return fd;
}

// Exclusive flock on the lock file (created 0600 once and kept: removing it would let two
// writers lock two different files). flock, not fcntl: fcntl locks belong to the process, so
// two threads of one process would not exclude each other.
Expected<Fd> lock_credentials(int home_fd, const std::string& home) {
  const std::string path = credentials_lock_path(home);
  Fd fd(::openat(home_fd, kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return io_error("cannot open the lock file", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    return fail(error_code::kInternalError,
                "the lock file " + path + " is not a regular file: remove it and try again");
  }
  const auto deadline = std::chrono::steady_clock::now() + kLockWait;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return io_error("cannot lock", path);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fail(error_code::kInternalError,
                  "another process has held " + path +
                      " for over 10 s; nothing was written: "
                      "end it (or remove the lock file if none is running) and try again");
    }
    std::this_thread::sleep_for(kLockRetry);
  }
  return fd;
}

std::string temporary_name() {
  std::random_device random;
  return std::string(kFileName) + kTemporarySuffix + std::to_string(::getpid()) + "-" +
         std::to_string(random());
}

// Replaces the file atomically (caller holds the lock): temporary, fsync, rename, fsync folder.
Expected<void> write_credentials(int home_fd, const std::string& home,
                                 const Credentials& credentials) {
  secrets::register_secret(credentials.secret_key);
  secrets::register_secret(credentials.spend_key);
  const std::string path = credentials_path(home);
  const std::string temporary = temporary_name();
  const std::string text = credentials_to_json(credentials).dump(2) + "\n";
  switch (replace_file_atomically(home_fd, kFileName, temporary, text)) {
    case Replaced::kDone:
      return {};
    case Replaced::kCannotCreate:
      return io_error("cannot create", home + "/" + temporary);
    case Replaced::kCannotWrite:
      break;
  }
  return io_error("cannot write", path);
}

// Temporary files of writers that were killed before their rename (never read). A live
// writer's file is left alone: its pid still exists.
void remove_stale_temporaries(const std::string& home) {
  const std::string prefix = std::string(kFileName) + kTemporarySuffix;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(home, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) {
      continue;
    }
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::filesystem::remove(entry.path(), ec);
    }
  }
}

}  // namespace

std::string credentials_path(const std::string& home) { return home + "/" + kFileName; }

std::string credentials_lock_path(const std::string& home) { return home + "/" + kLockName; }

Json credentials_to_json(const Credentials& credentials) {
  Json out = credentials.extra.is_object() ? credentials.extra : Json::object();
  for (const auto& [key, member] : kFields) {
    if (!(credentials.*member).empty()) {
      out[key] = credentials.*member;
    } else {
      out.erase(key);
    }
  }
  return out;
}

Credentials credentials_from_json(const Json& object) {
  Credentials credentials;
  for (const auto& [key, value] : object.items()) {
    const auto field = std::find_if(kFields.begin(), kFields.end(),
                                    [&key = key](const auto& f) { return key == f.first; });
    if (field == kFields.end()) {
      credentials.extra[key] = value;
    } else if (value.is_string()) {
      credentials.*(field->second) = value.get<std::string>();
    }
  }
  secrets::register_secret(credentials.secret_key);
  secrets::register_secret(credentials.spend_key);
  return credentials;
}

Expected<std::optional<Credentials>> load_credentials(const std::string& home) {
  const std::string path = credentials_path(home);
  auto text = read_credentials_text(AT_FDCWD, path.c_str(), path);
  if (!text) {
    return fail(text.error());
  }
  return parse_credentials(*text, path);
}

Expected<Credentials> update_credentials(const std::string& home, const CredentialsChange& change) {
  auto home_fd = open_home(home);
  if (!home_fd) {
    return fail(home_fd.error());
  }
  auto lock = lock_credentials(home_fd->get(), home);
  if (!lock) {
    return fail(lock.error());
  }
  const std::string path = credentials_path(home);
  auto text = read_credentials_text(home_fd->get(), kFileName, path);
  if (!text) {
    return fail(text.error());
  }
  auto stored = parse_credentials(*text, path);
  if (!stored) {
    return fail(stored.error());
  }
  Credentials current = stored->value_or(Credentials{});
  if (auto changed = change(current); !changed) {
    return fail(changed.error());
  }
  if (auto written = write_credentials(home_fd->get(), home, current); !written) {
    return fail(written.error());
  }
  remove_stale_temporaries(home);
  return current;
}

Expected<void> save_credentials(const std::string& home, const Credentials& credentials) {
  auto saved = update_credentials(home, [&credentials](Credentials& current) -> Expected<void> {
    Json extra = current.extra.is_object() ? current.extra : Json::object();
    if (credentials.extra.is_object()) {
      extra.update(credentials.extra);
    }
    current = credentials;
    current.extra = std::move(extra);
    return {};
  });
  if (!saved) {
    return fail(saved.error());
  }
  return {};
}

Expected<void> check_home_writable(const std::string& home) {
  auto home_fd = open_home(home);
  if (!home_fd) {
    return fail(home_fd.error());
  }
  const std::string probe = temporary_name();
  const int fd = ::openat(home_fd->get(), probe.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(error_code::kInternalError,
                "the lava-mcp home " + home + " is not writable (" + std::strerror(errno) +
                    "), so credentials could not be stored there: make it writable or set "
                    "LAVA_MCP_HOME to a writable folder");
  }
  ::close(fd);
  ::unlinkat(home_fd->get(), probe.c_str(), 0);
  return {};
}

Expected<bool> delete_credentials(const std::string& home) {
  const std::string path = credentials_path(home);
  if (::unlink(path.c_str()) == 0) {
    return true;
  }
  if (errno == ENOENT) {
    return false;
  }
  return io_error("cannot delete", path);
}

}  // namespace lava_mcp::gateway
