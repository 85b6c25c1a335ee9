// What may reach an HTTP/1.1 request line or header field, so that no input can split a request
// or add one (request smuggling). RFC 9110: field names and methods are tokens (5.1, 9.1), field
// values hold no control character but tab (5.5; DEL is one); the request target holds no space
// or control character (RFC 9112 3.2) and, here, no dot segment in its path, which a server
// would resolve into another path (RFC 3986 5.2.4). Pure; every HttpClient checks requests with
// validate() before a byte is written, and the tools check their inputs with the same rules
// first, to give a precise input error.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/expected.h"
#include "gateway/http_client.h"
#include "gateway/url.h"

namespace lava_mcp::gateway {

namespace failure_kind {
inline constexpr std::string_view kInvalidField = "invalid_field";  // a method or header
}  // namespace failure_kind

// 1*tchar: letters, digits and !#$%&'*+-.^_`|~ (RFC 9110 5.6.2).
bool is_token(std::string_view text);

// No control character (0x00-0x1F, 0x7F) but tab; other bytes (UTF-8 included) are allowed.
bool is_field_value(std::string_view text);

// What is wrong with `text` as a token, a field value, or text without any control character
// (tab included) such as a URL ("holds CR (byte 3)"), or nullopt.
std::optional<std::string> token_problem(std::string_view text);
std::optional<std::string> field_value_problem(std::string_view text);
std::optional<std::string> control_problem(std::string_view text);

// `text` in double quotes, every byte outside printable ASCII as \xNN (CR as \r, LF as \n): a
// name as an error message can show it without carrying the bytes it is refused for.
std::string printable_quoted(std::string_view text);

// What is wrong with `url` as the URL of a request, or nullopt: it must parse (parse_url), hold
// no space or control character, and its path no dot segment.
std::optional<std::string> url_problem(std::string_view url);

// The method, URL and every header of `request` against the rules above. The error is an input
// error (kInvalidParams, data.kind "invalid_field" or "invalid_url") that names the field:
// `header "X-A": the value holds CR (byte 2) ...`. Never prints a value: it may be a secret.
Expected<void> validate(const HttpRequest& request);

// One hop of `request` (its URL, or a redirect's) refused when the policy does not allow it,
// before anything is resolved or sent: the rule every HttpClient applies. The error's data.kind
// is invalid_url or blocked_url.
Expected<ParsedUrl> check_hop(const HttpRequest& request, const std::string& url);

// Sends one hop (its URL checked by check_hop, given parsed and as text) and returns its answer.
using HopSender =
    std::function<Expected<HttpResponse>(const ParsedUrl& parsed, const std::string& url)>;

// `request` validated, then sent hop by hop through `send_hop`: each hop checked before it is
// sent, a redirect followed up to request.max_redirects (more: a failure of kind redirects).
// The rule every HttpClient's send applies; only the sending is the client's own.
Expected<HttpResponse> send_following_redirects(const HttpRequest& request,
                                                const HopSender& send_hop);

}  // namespace lava_mcp::gateway
