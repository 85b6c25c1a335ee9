// Helpers shared by the translators: defensive JSON access (never operator[] on const input,
// never get<> without a type check), request failures with paths, data URLs, derived ids.
#pragma once

#include <cstddef>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "translators/translators.h"

namespace lava_mcp::translators::detail {

using nlohmann::json;

// The member `key` of `value`, or nullptr when `value` is not an object or has no such member.
const json* member(const json& value, std::string_view key);
// The member when it has the given type, else nullptr.
const std::string* string_member(const json& value, std::string_view key);
const json* object_member(const json& value, std::string_view key);
const json* array_member(const json& value, std::string_view key);
// An integer member (non-negative counts in usage blocks); absent or another type -> 0.
long long count_member(const json& value, std::string_view key);
inline constexpr long long kMaxCount = std::numeric_limits<long long>::max();
// a + b, saturating: the counts come from a provider's body, which may say anything.
long long add_counts(long long a, long long b);
// True when the member is absent or null (OpenAI treats explicit nulls as "not given").
bool absent(const json& value, std::string_view key);

// "messages" + 2 -> "messages[2]"; "messages[2]" + "content" -> "messages[2].content".
std::string at(std::string_view path, std::size_t index);
std::string dot(std::string_view path, std::string_view key);

inline constexpr std::string_view kUnsupportedParameter = "unsupported_parameter";
inline constexpr std::string_view kUnsupportedContent = "unsupported_content";

// The OpenAI error object; `message` is prefixed with the path when there is one.
json request_error(const std::string& param, const std::string& message, const json& code);
// A request OpenAI itself would reject (local 400).
RequestFailure local_invalid(const std::string& param, const std::string& message);
// A request this target cannot express (skip the attempt).
RequestFailure unsupported(std::string_view code, const std::string& param,
                           const std::string& message);

// A 2xx body that does not translate: Error whose data is {"error": {... invalid_response_error}}.
Error invalid_response(const std::string& param, const std::string& message);

// data:<media type>[;params];base64,<data>. Only base64 data URLs are accepted.
struct DataUrl {
  std::string mime_type;
  std::string data;
};
std::optional<DataUrl> parse_data_url(std::string_view url);

// `length` alphanumerics derived deterministically from `seed` (translators take no randomness:
// ids the upstream did not provide are derived from the body and the arrival time instead).
std::string derived_token(std::string_view seed, std::size_t length);

}  // namespace lava_mcp::translators::detail
