#include "platform/private_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

namespace lava_mcp::platform {
namespace {

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

class FlockLock final : public FileLock {
 public:
  explicit FlockLock(Fd fd) : fd_(std::move(fd)) {}

 private:
  Fd fd_;
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

FileRead failed() {
  FileRead read;
  read.status = errno == ENOENT ? FileRead::Status::kAbsent : FileRead::Status::kFailed;
  read.error = errno;
  return read;
}

FileRead not_regular(mode_t mode) {
  FileRead read;
  read.status = FileRead::Status::kNotRegular;
  read.kind = kind_of(mode);
  return read;
}

// Opened without blocking (a FIFO with no writer would wait forever) and checked on the opened
// descriptor, so nothing but a regular file of at most max_bytes is read, however it was reached.
FileRead read_at(int folder_fd, const char* name, std::size_t max_bytes) {
  struct stat info {};
  if (::fstatat(folder_fd, name, &info, 0) != 0) {
    return failed();
  }
  if (!S_ISREG(info.st_mode)) {  // a device is never even opened
    return not_regular(info.st_mode);
  }
  const Fd fd(::openat(folder_fd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0 || ::fstat(fd.get(), &info) != 0) {  // what was opened: the name may change
    return failed();
  }
  if (!S_ISREG(info.st_mode)) {
    return not_regular(info.st_mode);
  }
  FileRead read;
  read.status = FileRead::Status::kTooLarge;
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    return read;
  }
  read.text.assign(max_bytes + 1, '\0');  // one more: a file that grew is seen
  std::size_t size = 0;
  while (size < read.text.size()) {
    const ssize_t n = ::read(fd.get(), read.text.data() + size, read.text.size() - size);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return failed();
    }
    if (n == 0) {
      break;
    }
    size += static_cast<std::size_t>(n);
  }
  if (size > max_bytes) {
    read.text.clear();
    return read;
  }
  read.text.resize(size);
  read.status = FileRead::Status::kRead;
  return read;
}

bool write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

Unexpected folder_error(const std::string& what, const std::string& path) {
  return fail(error_code::kInternalError, what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

struct PrivateFolder::Handle {
  Fd fd;
};

PrivateFolder::PrivateFolder(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
PrivateFolder::~PrivateFolder() = default;
PrivateFolder::PrivateFolder(PrivateFolder&& other) noexcept = default;

// Opened itself, never through a symlink: its mode is set on the opened descriptor.
Expected<PrivateFolder> PrivateFolder::open(const std::string& path) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    std::error_code ec;
    const auto target = std::filesystem::canonical(path, ec);
    return fail(error_code::kInternalError,
                "the lava-mcp home " + path + " is a symbolic link" +
                    (ec ? std::string() : " to " + target.string()) +
                    "; credentials are not written through it (nor its mode changed): set "
                    "LAVA_MCP_HOME to the folder itself");
  }
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return fail(error_code::kInternalError, "cannot create " + path + ": " + ec.message());
  }
  Fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    return folder_error("cannot open the lava-mcp home", path);
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    return folder_error("cannot open the lava-mcp home", path);
  }
  if ((info.st_mode & 0777) != 0700 && ::fchmod(fd.get(), 0700) != 0) {
    return folder_error("cannot set mode 0700 on", path);
  }
  return PrivateFolder(std::make_unique<Handle>(Handle{std::move(fd)}));
}

Replaced PrivateFolder::replace(const std::string& name, const std::string& temporary,
                                std::string_view bytes) const {
  const int dir_fd = handle_->fd.get();
  const int fd = ::openat(dir_fd, temporary.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Replaced::kCannotCreate;
  }
  bool done = write_all(fd, bytes) && ::fsync(fd) == 0;
  int saved_errno = errno;
  ::close(fd);
  if (done && ::renameat(dir_fd, temporary.c_str(), dir_fd, name.c_str()) != 0) {
    done = false;
    saved_errno = errno;
  }
  if (!done) {
    ::unlinkat(dir_fd, temporary.c_str(), 0);
    errno = saved_errno;
    return Replaced::kCannotWrite;
  }
  ::fsync(dir_fd);
  return Replaced::kDone;
}

FileRead PrivateFolder::read(const std::string& name, std::size_t max_bytes) const {
  return read_at(handle_->fd.get(), name.c_str(), max_bytes);
}

// flock, not fcntl: fcntl locks belong to the process, so two threads of one process would
// not exclude each other.
std::unique_ptr<FileLock> PrivateFolder::lock(const std::string& name,
                                              std::chrono::milliseconds wait) const {
  Fd fd(::openat(handle_->fd.get(), name.c_str(),
                 O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    return nullptr;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    errno = ENOTSUP;
    return nullptr;
  }
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return nullptr;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      errno = EWOULDBLOCK;
      return nullptr;
    }
    std::this_thread::sleep_for(kLockRetry);
  }
  return std::make_unique<FlockLock>(std::move(fd));
}

bool PrivateFolder::can_create(const std::string& name) const {
  const int fd = ::openat(handle_->fd.get(), name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  ::unlinkat(handle_->fd.get(), name.c_str(), 0);
  return true;
}

FileRead read_regular_file(const std::string& path, std::size_t max_bytes) {
  return read_at(AT_FDCWD, path.c_str(), max_bytes);
}

std::optional<std::string> file_signature(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
           std::to_string(info.st_size) + ":" + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec);
  }
  if (errno == ENOENT) {
    return "absent";
  }
  return std::nullopt;
}

bool remove_file(const std::string& path) { return ::unlink(path.c_str()) == 0; }

long process_id() { return static_cast<long>(::getpid()); }

bool process_gone(long pid) {
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) {
    return "";
  }
  return name;
}

}  // namespace lava_mcp::platform
