#include "transport/jsonrpc.h"

#include <doctest/doctest.h>

namespace lava_mcp::transport {
namespace {

DecodeFailure failure_of(std::string_view line) {
  auto message = decode_message(line);
  REQUIRE(std::holds_alternative<DecodeFailure>(message));
  return std::get<DecodeFailure>(message);
}

TEST_CASE("jsonrpc: a request keeps its id's type and value") {
  for (const char* id : {"\"abc\"", "7", "0", "-3", "9007199254740991", "\"7\""}) {
    auto message =
        decode_message(std::string("{\"jsonrpc\":\"2.0\",\"id\":") + id + ",\"method\":\"ping\"}");
    REQUIRE(std::holds_alternative<Request>(message));
    const auto& request = std::get<Request>(message);
    CHECK(request.id.dump() == id);
    CHECK(request.method == "ping");
    CHECK(encode_result(request.id, Json::object()) ==
          std::string("{\"id\":") + id + ",\"jsonrpc\":\"2.0\",\"result\":{}}");
  }
}

TEST_CASE("jsonrpc: notifications and responses") {
  auto note = decode_message(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  REQUIRE(std::holds_alternative<Notification>(note));
  auto ok = decode_message(R"({"jsonrpc":"2.0","id":"lava-1","result":{"action":"accept"}})");
  REQUIRE(std::holds_alternative<Response>(ok));
  CHECK(std::get<Response>(ok).ok);
  CHECK(std::get<Response>(ok).result["action"] == "accept");
  auto bad = decode_message(R"({"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"no"}})");
  REQUIRE(std::holds_alternative<Response>(bad));
  CHECK_FALSE(std::get<Response>(bad).ok);
  CHECK(std::get<Response>(bad).error.code == -1);
}

TEST_CASE("jsonrpc: parse errors answer -32700 with a null id") {
  for (const char* line : {"{", "nope", "{\"jsonrpc\":\"2.0\",\"id\":1,", "\xff\xfe"}) {
    auto failure = failure_of(line);
    CHECK(failure.error.code == error_code::kParseError);
    CHECK(failure.id.is_null());
  }
}

TEST_CASE("jsonrpc: a NUL byte anywhere makes the line a parse error") {
  static constexpr char kTrailing[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\0garbage";
  static constexpr char kInside[] = "{\"jsonrpc\":\"2.0\",\0\"id\":1}";
  // Every byte of the literals but their terminating NUL (sizes counted by the compiler).
  CHECK(failure_of(std::string(kTrailing, sizeof kTrailing - 1)).error.code ==
        error_code::kParseError);
  CHECK(failure_of(std::string(kInside, sizeof kInside - 1)).error.code == error_code::kParseError);
}

TEST_CASE("jsonrpc: invalid requests answer -32600, echoing a usable id") {
  auto wrong_version = failure_of(R"({"jsonrpc":"1.0","id":5,"method":"ping"})");
  CHECK(wrong_version.error.code == error_code::kInvalidRequest);
  CHECK(wrong_version.id == 5);
  auto no_method = failure_of(R"({"jsonrpc":"2.0"})");
  CHECK(no_method.error.code == error_code::kInvalidRequest);
  CHECK(no_method.id.is_null());
  auto method_type = failure_of(R"({"jsonrpc":"2.0","id":"x","method":3})");
  CHECK(method_type.id == "x");
  auto null_id = failure_of(R"({"jsonrpc":"2.0","id":null,"method":"ping"})");
  CHECK(null_id.id.is_null());
  auto float_id = failure_of(R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})");
  CHECK(float_id.id.is_null());
  auto bad_params = failure_of(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":"x"})");
  CHECK(bad_params.id == 1);
  CHECK(failure_of("[]").error.code == error_code::kInvalidRequest);
  CHECK(failure_of(R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])").id.is_null());
  CHECK(failure_of("42").error.code == error_code::kInvalidRequest);
  CHECK(failure_of(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})").error.code ==
        error_code::kInvalidRequest);
}

TEST_CASE("jsonrpc: encoding never throws on invalid UTF-8 and stays on one line") {
  const Json result = {{"text", std::string("bad \xff\xfe bytes\nnewline")}};
  const std::string line = encode_result(1, result);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(Json::parse(line, nullptr, false).is_object());
  const std::string error = encode_error(nullptr, Error{-32600, "x", {{"k", "v"}}});
  CHECK(error ==
        R"({"error":{"code":-32600,"data":{"k":"v"},"message":"x"},"id":null,"jsonrpc":"2.0"})");
}

TEST_CASE("jsonrpc: nesting beyond 512 levels is refused before parsing, never a crash") {
  const auto nested = [](int depth) {
    return std::string(R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)") +
           std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + "}}";
  };
  CHECK(std::holds_alternative<Request>(decode_message(nested(500))));
  CHECK(failure_of(nested(600)).error.code == error_code::kInvalidRequest);
  CHECK(failure_of(nested(200000)).error.code == error_code::kInvalidRequest);  // 400 KB line
  // Brackets inside strings do not count.
  const std::string in_string = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":")" +
                                std::string(5000, '[') + R"(\"]"}})";
  CHECK(std::holds_alternative<Request>(decode_message(in_string)));
}

}  // namespace
}  // namespace lava_mcp::transport
