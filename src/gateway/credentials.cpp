#include "gateway/credentials.h"

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
#include "platform/private_folder.h"

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
// Holders keep the lock for one read, write and flush; a holder stopped for longer is reported.
constexpr auto kLockWait = std::chrono::seconds(10);

Unexpected not_a_credentials_file(const std::string& path, const std::string& problem) {
  return fail(error_code::kInternalError,
              "the credentials file " + path + " is " + problem +
                  ", so it was not read and was left as it is: remove it (`lava-mcp logout`) "
                  "and call login again, or set LAVA_MCP_HOME to another folder");
}

// The file's bytes, or nullopt when there is none: a regular file of at most
// kMaxCredentialsBytes, nothing else (platform::FileRead).
Expected<std::optional<std::string>> credentials_text(platform::FileRead read,
                                                      const std::string& path) {
  using Status = platform::FileRead::Status;
  switch (read.status) {
    case Status::kRead:
      return std::optional<std::string>(std::move(read.text));
    case Status::kAbsent:
      return std::optional<std::string>();
    case Status::kNotRegular:
      return not_a_credentials_file(path, read.kind);
    case Status::kTooLarge:
      return not_a_credentials_file(path, "larger than " +
                                              std::to_string(kMaxCredentialsBytes / 1024) +
                                              " KiB (a credentials file is well under 1 KiB)");
    case Status::kFailed:
      break;
  }
  errno = read.error;
  return io_error("cannot read", path);
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

// The lock file is created once and kept: removing it would let two writers lock two
// different files.
Expected<std::unique_ptr<platform::FileLock>> lock_credentials(const platform::PrivateFolder& home,
                                                               const std::string& home_path) {
  const std::string path = credentials_lock_path(home_path);
  auto lock = home.lock(kLockName, kLockWait);
  if (lock) {
    return lock;
  }
  if (errno == ENOTSUP) {
    return fail(error_code::kInternalError,
                "the lock file " + path + " is not a regular file: remove it and try again");
  }
  if (errno == EWOULDBLOCK) {
    return fail(error_code::kInternalError,
                "another process has held " + path +
                    " for over 10 s; nothing was written: "
                    "end it (or remove the lock file if none is running) and try again");
  }
  return io_error("cannot lock", path);
}

std::string temporary_name() {
  std::random_device random;
  return std::string(kFileName) + kTemporarySuffix + std::to_string(platform::process_id()) + "-" +
         std::to_string(random());
}

// Replaces the file atomically (caller holds the lock).
Expected<void> write_credentials(const platform::PrivateFolder& home, const std::string& home_path,
                                 const Credentials& credentials) {
  secrets::register_secret(credentials.secret_key);
  secrets::register_secret(credentials.spend_key);
  const std::string path = credentials_path(home_path);
  const std::string temporary = temporary_name();
  const std::string text = credentials_to_json(credentials).dump(2) + "\n";
  switch (home.replace(kFileName, temporary, text)) {
    case platform::Replaced::kDone:
      return {};
    case platform::Replaced::kCannotCreate:
      return io_error("cannot create", home_path + "/" + temporary);
    case platform::Replaced::kCannotWrite:
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
    if (platform::process_gone(std::strtol(name.c_str() + prefix.size(), nullptr, 10))) {
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
  auto text = credentials_text(platform::read_regular_file(path, kMaxCredentialsBytes), path);
  if (!text) {
    return fail(text.error());
  }
  return parse_credentials(*text, path);
}

Expected<Credentials> update_credentials(const std::string& home, const CredentialsChange& change) {
  auto folder = platform::PrivateFolder::open(home);
  if (!folder) {
    return fail(folder.error());
  }
  auto lock = lock_credentials(*folder, home);
  if (!lock) {
    return fail(lock.error());
  }
  const std::string path = credentials_path(home);
  auto text = credentials_text(folder->read(kFileName, kMaxCredentialsBytes), path);
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
  if (auto written = write_credentials(*folder, home, current); !written) {
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
  auto folder = platform::PrivateFolder::open(home);
  if (!folder) {
    return fail(folder.error());
  }
  if (!folder->can_create(temporary_name())) {
    return fail(error_code::kInternalError,
                "the lava-mcp home " + home + " is not writable (" + std::strerror(errno) +
                    "), so credentials could not be stored there: make it writable or set "
                    "LAVA_MCP_HOME to a writable folder");
  }
  return {};
}

Expected<bool> delete_credentials(const std::string& home) {
  const std::string path = credentials_path(home);
  if (platform::remove_file(path)) {
    return true;
  }
  if (errno == ENOENT) {
    return false;
  }
  return io_error("cannot delete", path);
}

}  // namespace lava_mcp::gateway
