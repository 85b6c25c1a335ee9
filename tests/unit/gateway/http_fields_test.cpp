#include "gateway/http_fields.h"

#include <doctest/doctest.h>

namespace lava_mcp::gateway {
namespace {

HttpRequest request_with(Headers headers) {
  HttpRequest request;
  request.url = "https://api.lava.so/v1/forward?u=https%3A%2F%2Fx.com%2F";
  request.headers = std::move(headers);
  return request;
}

std::string refusal(const HttpRequest& request) {
  const auto valid = validate(request);
  REQUIRE_FALSE(valid.has_value());
  CHECK(valid.error().code == error_code::kInvalidParams);
  return valid.error().message;
}

TEST_CASE("http fields: names and methods are RFC 9110 tokens") {
  for (const char* good :
       {"X-A", "content-type", "x_lava.1", "!#$%&'*+-.^_`|~", "GET", "M-SEARCH"}) {
    CHECK_MESSAGE(is_token(good), good);
    CHECK_FALSE(token_problem(good).has_value());
  }
  for (const char* bad :
       {"", "X A", "X:A", "X-A\r\nHost", "X\t", "(x)", "a/b", "\"q\"", "x@y", "é", "x\x7f"}) {
    CHECK_MESSAGE(!is_token(bad), bad);
  }
  CHECK(token_problem("") == "is empty");
  CHECK(token_problem("X A") == "holds a space (byte 2)");
  CHECK(token_problem("X:A") == "holds ':' (byte 2)");
  CHECK(token_problem("\xc3\xa9") == "holds the non-ASCII byte 0xC3 (byte 1)");
}

TEST_CASE("http fields: values hold no control character but tab") {
  for (const char* good :
       {"", "b", "a b\tc", "Bearer x==", "caf\xc3\xa9", "\"quoted\" (comment)"}) {
    CHECK_MESSAGE(is_field_value(good), good);
  }
  for (const std::string& bad :
       {std::string("b\r\nAuthorization: x"), std::string("a\nb"), std::string("a\0b", 3),
        std::string("\x7f"), std::string("\x1b[0m"), std::string("x\x0b")}) {
    CHECK_MESSAGE(!is_field_value(bad), bad);
  }
  CHECK(field_value_problem("b\r\nX: y") == "holds CR (byte 2)");
  CHECK(field_value_problem("ab\n") == "holds LF (byte 3)");
  CHECK(field_value_problem(std::string("\0", 1)) == "holds NUL (byte 1)");
  CHECK(field_value_problem("a\x7f") == "holds DEL (byte 2)");
  CHECK(field_value_problem("\x07") == "holds the control character 0x07 (byte 1)");
  CHECK(control_problem("a\tb") == "holds a tab (byte 2)");
  CHECK_FALSE(control_problem("a b").has_value());
}

TEST_CASE("http fields: printable_quoted shows a name without the bytes it is refused for") {
  CHECK(printable_quoted("X-A") == "\"X-A\"");
  CHECK(printable_quoted("X\r\nHost: evil") == "\"X\\r\\nHost: evil\"");
  CHECK(printable_quoted(std::string("a\0\x7f\"\\", 5)) == "\"a\\x00\\x7F\\\"\\\\\"");
}

TEST_CASE("http fields: validate names the offending header, method or URL") {
  CHECK(validate(request_with({{"Content-Type", "application/json"}, {"X-Tab", "a\tb"}}))
            .has_value());
  const std::string injected = refusal(request_with(
      {{"Accept", "*/*"}, {"X-A", "b\r\nAuthorization: Bearer attacker\r\nHost: evil.example"}}));
  CHECK(injected.find("header \"X-A\": the value holds CR (byte 2)") == 0);
  CHECK(injected.find("attacker") == std::string::npos);  // values are never shown
  CHECK(refusal(request_with({{"X-A\r\nHost", "v"}}))
            .find("header \"X-A\\r\\nHost\": the name holds CR") == 0);
  CHECK(refusal(request_with({{"", "v"}})).find("header \"\": the name is empty") == 0);
  HttpRequest method = request_with({});
  method.method = "GET /v1/spend_keys HTTP/1.1\r\n";
  CHECK(refusal(method).find("method \"GET /v1/spend_keys HTTP/1.1\\r\\n\": holds a space") == 0);
  const auto invalid = validate(method);
  CHECK(invalid.error().data["kind"] == "invalid_field");
}

TEST_CASE("http fields: the URL holds no space, control or dot segment") {
  CHECK_FALSE(
      url_problem("https://api.lava.so/v1/rewrite/openai/x.com/v1/a.b/..c/.d?q=../..").has_value());
  CHECK(url_problem("https://x/a b")->find("holds a space (byte 12)") == 0);
  CHECK(url_problem("https://x/a\r\nHost: y")->find("holds CR") == 0);
  CHECK(url_problem("https://x/\x7f")->find("holds DEL") == 0);
  CHECK(url_problem("ftp://x/")->find("is not an absolute") == 0);
  for (const char* dotted :
       {"https://x/v1/rewrite/openai/t/../../v1/spend_keys", "https://x/a/./b", "https://x/a/..",
        "https://x/%2e%2E/v1", "https://x/a/.%2e/b", "https://x/a/..\\b", "https://x/a/..%2fb",
        "https://x/a/%2E%5cb", "https://x/a/..%5C"}) {
    const auto problem = url_problem(dotted);
    REQUIRE_MESSAGE(problem.has_value(), dotted);
    CHECK(problem->find("segment in its path") != std::string::npos);
  }
  HttpRequest request = request_with({});
  request.url = "http://127.0.0.1:1/v1/rewrite/openai/t/../../../../v1/spend_keys";
  const auto valid = validate(request);
  REQUIRE_FALSE(valid.has_value());
  CHECK(valid.error().message.find("url: ") == 0);
  CHECK(valid.error().data["kind"] == "invalid_url");
}

}  // namespace
}  // namespace lava_mcp::gateway
