// credentials.json under the lava-mcp home: read leniently, written atomically with mode 0600.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "expected.h"

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

// The file inside `home`.
std::string credentials_path(const std::string& home);

// nullopt when there is no file. A file that is not a JSON object is an error naming the path
// and telling the user what to do; the file itself is never touched.
Expected<std::optional<Credentials>> load_credentials(const std::string& home);

// Creates `home` (0700) if needed, then replaces the file atomically: a temporary file in the
// same folder (0600), fsync, rename, fsync of the folder. On failure the old file is intact.
// Absent (empty) fields are omitted. Every key is registered with the redactor.
Expected<void> save_credentials(const std::string& home, const Credentials& credentials);

// Deletes the file; true if there was one.
Expected<bool> delete_credentials(const std::string& home);

nlohmann::json credentials_to_json(const Credentials& credentials);
Credentials credentials_from_json(const nlohmann::json& object);

}  // namespace lava_mcp::gateway
