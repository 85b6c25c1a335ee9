#include "translators/common.h"

#include <cstdint>
#include <limits>

namespace lava_mcp::translators::detail {

const json* member(const json& value, std::string_view key) {
  if (!value.is_object()) {
    return nullptr;
  }
  const auto it = value.find(key);
  return it == value.end() ? nullptr : &*it;
}

const std::string* string_member(const json& value, std::string_view key) {
  const json* found = member(value, key);
  return found != nullptr && found->is_string() ? found->get_ptr<const std::string*>() : nullptr;
}

const json* object_member(const json& value, std::string_view key) {
  const json* found = member(value, key);
  return found != nullptr && found->is_object() ? found : nullptr;
}

const json* array_member(const json& value, std::string_view key) {
  const json* found = member(value, key);
  return found != nullptr && found->is_array() ? found : nullptr;
}

long long count_member(const json& value, std::string_view key) {
  const json* found = member(value, key);
  if (found == nullptr || !found->is_number_integer()) {
    return 0;
  }
  if (found->is_number_unsigned()) {
    const auto count = found->get<unsigned long long>();
    return count > kMaxCount ? kMaxCount : static_cast<long long>(count);
  }
  const long long count = found->get<long long>();
  return count < 0 ? 0 : count;
}

long long add_counts(long long a, long long b) {
  long long sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return a < 0 ? std::numeric_limits<long long>::min() : kMaxCount;
  }
  return sum;
}

bool absent(const json& value, std::string_view key) {
  const json* found = member(value, key);
  return found == nullptr || found->is_null();
}

std::string at(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string dot(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

json request_error(const std::string& param, const std::string& message, const json& code) {
  return {{"message", param.empty() ? message : param + ": " + message},
          {"type", "invalid_request_error"},
          {"param", param.empty() ? json(nullptr) : json(param)},
          {"code", code}};
}

RequestFailure local_invalid(const std::string& param, const std::string& message) {
  return {RequestFailure::Kind::kLocalInvalid, request_error(param, message, nullptr)};
}

RequestFailure unsupported(std::string_view code, const std::string& param,
                           const std::string& message) {
  return {RequestFailure::Kind::kUnsupported, request_error(param, message, std::string(code))};
}

Error invalid_response(const std::string& param, const std::string& message) {
  const std::string text =
      "untranslatable response: " + (param.empty() ? message : param + ": " + message);
  json error = {
      {"message", text}, {"type", "invalid_response_error"}, {"param", nullptr}, {"code", nullptr}};
  return Error{error_code::kInternalError, text, json{{"error", std::move(error)}}};
}

std::optional<DataUrl> parse_data_url(std::string_view url) {
  if (!url.starts_with("data:")) {
    return std::nullopt;
  }
  const std::size_t comma = url.find(',');
  if (comma == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view header = url.substr(5, comma - 5);
  if (header.size() < 7 || header.substr(header.size() - 7) != ";base64") {
    return std::nullopt;
  }
  const std::string_view mime = header.substr(0, header.find(';'));
  if (mime.empty() || comma + 1 == url.size()) {
    return std::nullopt;
  }
  std::string lowered(mime);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return DataUrl{lowered, std::string(url.substr(comma + 1))};
}

std::string derived_token(std::string_view seed, std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uint64_t state = 14695981039346656037ULL;  // FNV-1a offset basis
  for (const char c : seed) {
    state = (state ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    // splitmix64 spreads the hash over each output character.
    state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    out.push_back(kAlphabet[z % 62]);
  }
  return out;
}

}  // namespace lava_mcp::translators::detail
