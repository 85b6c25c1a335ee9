// credentials.json under the lava-mcp home: read leniently (a regular file of at most 64 KiB),
// written atomically with mode 0600, every read-modify-write under an advisory lock
// (credentials.json.lock beside it) so processes sharing a home never lose each other's fields.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/expected.h"

namespace lava_mcp::gateway {

struct Credentials {
  std::string secret_key;
  std::string secret_key_id;
  std::string wallet_id;
  std::string merchant_id;
  std::string account_id;
  std::string spend_key;
  std::string spend_key_id;
  std::string spend_key_preview;
  std::string api_url;
  std::string created_at;
  nlohmann::json extra = nlohmann::json::object();  // unknown fields, kept on rewrite
};

inline constexpr std::size_t kMaxCredentialsBytes = 64 * 1024;

// The file inside `home`, and the lock file beside it.
std::string credentials_path(const std::string& home);
std::string credentials_lock_path(const std::string& home);

// nullopt when there is no file. A file that is not a JSON object, not a regular file (a
// directory, FIFO or device, also behind a symlink) or larger than kMaxCredentialsBytes is an
// error naming the path and telling the user what to do, returned without blocking or reading
// more than that; the file itself is never touched. A symlink to a regular file is read.
Expected<std::optional<Credentials>> load_credentials(const std::string& home);

// A read-modify-write of the file: under the lock, `change` gets what the file holds now
// (empty when there is none) and edits it; the result is written (see save_credentials) and
// returned. An error from `change` is returned with nothing written.
using CredentialsChange = std::function<Expected<void>(Credentials& current)>;
Expected<Credentials> update_credentials(const std::string& home, const CredentialsChange& change);

// Replaces every known field with `credentials`' (empty ones are removed) and keeps the file's
// unknown fields (those of `credentials.extra` win), under the lock. Writing creates `home`
// (0700) if needed, never through a symlink (a symlinked home is refused with a message), then
// replaces the file atomically: a temporary file in the same folder (0600), fsync, rename,
// fsync of the folder. On failure the old file is intact. Absent (empty) fields are omitted.
// Every key is registered with the redactor.
Expected<void> save_credentials(const std::string& home, const Credentials& credentials);

// Creates `home` if needed and proves a file can be created in it (a temporary, removed at
// once). Checked before anything is created at Lava that only the file would remember.
Expected<void> check_home_writable(const std::string& home);

// Deletes the file; true if there was one.
Expected<bool> delete_credentials(const std::string& home);

nlohmann::json credentials_to_json(const Credentials& credentials);
Credentials credentials_from_json(const nlohmann::json& object);

}  // namespace lava_mcp::gateway
