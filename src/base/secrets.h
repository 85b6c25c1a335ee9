// Secret hygiene: every key or token the process holds is registered here, and every byte that
// leaves the process (stdout lines, stderr log lines) passes through redact(). Tools need not
// remember to scrub: the choke points do it.
#pragma once

#include <string>
#include <string_view>

namespace lava_mcp::secrets {

// Remembers `value` (a key, token or password) so that redact() hides it. Values shorter than
// 8 characters are ignored: too short to be a key, too likely to hit ordinary text. Thread-safe.
void register_secret(std::string_view value);

// Remembers `prefix` as the common start of a family of secrets, such as the forward tokens of
// one secret key (each differs only in its tail): redact() hides the prefix together with the
// token characters that follow it. One entry serves the whole family, so the registry does not
// grow with every distinct token. Shorter than 8 characters: ignored. Thread-safe.
void register_secret_prefix(std::string_view prefix);

// `text` with every registered secret and secret family, every Lava-shaped key (aks_live_…,
// aks_test_…, lava_sk_…, lava_wk_…) and every "Bearer <token>" replaced by its hint. Thread-safe.
std::string redact(std::string_view text);

// Safe to show: the key's prefix up to its last '_' and its last 4 characters, "aks_live_…9f3c".
// Keys without a recognisable prefix show only the last 4: "…9f3c".
std::string hint(std::string_view key);

}  // namespace lava_mcp::secrets
