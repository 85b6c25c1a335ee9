#include "gateway/credentials.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "bounded_json.h"
#include "secrets.h"

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

bool write_all(int fd, const std::string& bytes) {
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

Expected<void> ensure_home(const std::string& home) {
  std::error_code ec;
  std::filesystem::create_directories(home, ec);
  if (ec) {
    return fail(error_code::kInternalError, "cannot create " + home + ": " + ec.message());
  }
  if (::chmod(home.c_str(), 0700) != 0) {
    return io_error("cannot set mode 0700 on", home);
  }
  return {};
}

void fsync_folder(const std::string& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// A writer's temporary file is the credentials path, this suffix, its pid, "-" and a number.
constexpr const char* kTemporarySuffix = ".tmp-";

// Temporary files of writers that were killed before their rename (never read). A live
// writer's file is left alone: its pid still exists.
void remove_stale_temporaries(const std::string& home) {
  const std::string prefix =
      std::filesystem::path(credentials_path(home)).filename().string() + kTemporarySuffix;
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

std::string credentials_path(const std::string& home) { return home + "/credentials.json"; }

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
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return std::optional<Credentials>();
  }
  std::ifstream file(path);
  if (!file) {
    return io_error("cannot read", path);
  }
  std::stringstream text;
  text << file.rdbuf();
  const Json parsed = parse_bounded_json(text.str());
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(error_code::kInternalError,
                "the credentials file " + path +
                    " is corrupt (not a JSON object); it was left as it is: fix it, or remove it "
                    "with `lava-mcp logout` and call login again");
  }
  return std::optional<Credentials>(credentials_from_json(parsed));
}

Expected<void> save_credentials(const std::string& home, const Credentials& credentials) {
  if (auto ready = ensure_home(home); !ready) {
    return ready;
  }
  secrets::register_secret(credentials.secret_key);
  secrets::register_secret(credentials.spend_key);
  const std::string path = credentials_path(home);
  std::random_device random;
  const std::string temporary =
      path + kTemporarySuffix + std::to_string(::getpid()) + "-" + std::to_string(random());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return io_error("cannot create", temporary);
  }
  const std::string text = credentials_to_json(credentials).dump(2) + "\n";
  const bool written = write_all(fd, text) && ::fsync(fd) == 0;
  const int saved_errno = errno;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    errno = written ? errno : saved_errno;
    auto error = io_error("cannot write", path);
    ::unlink(temporary.c_str());
    return error;
  }
  fsync_folder(home);
  remove_stale_temporaries(home);
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
