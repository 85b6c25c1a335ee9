#include "protocol/request_state.h"

#include <doctest/doctest.h>

namespace lava_mcp::protocol {
namespace {

using namespace std::chrono_literals;
using Clock = RequestStateKeeper::Clock;

const Json kUrlInput = {
    {"lava_login",
     {{"method", "elicitation/create"},
      {"params", {{"mode", "url"}, {"url", "http://127.0.0.1:1/x"}, {"message", "m"}}}}}};
const Json kArguments = {{"wait_seconds", 5}};

TEST_CASE("request state: a sealed state opens for its own call, with its data and expectations") {
  RequestStateKeeper keeper(1min);
  const std::string token = keeper.seal("login", kArguments, kUrlInput, {{"flow", "f1"}});
  auto opened = keeper.open(token, "login", kArguments);
  REQUIRE(opened);
  CHECK(opened->data == Json{{"flow", "f1"}});
  CHECK(opened->expects["lava_login"]["method"] == "elicitation/create");
  CHECK(opened->expects["lava_login"]["capability"] ==
        Json{{"elicitation", {{"url", Json::object()}}}});
  // Each seal has its own nonce.
  CHECK(keeper.seal("login", kArguments, kUrlInput, nullptr) !=
        keeper.seal("login", kArguments, kUrlInput, nullptr));
}

TEST_CASE("request state: altered, foreign and malformed states are refused with -32602") {
  RequestStateKeeper keeper(1min);
  const std::string token = keeper.seal("login", kArguments, kUrlInput, {{"flow", "f1"}});
  std::string payload_changed = token;
  payload_changed[3] = payload_changed[3] == 'A' ? 'B' : 'A';
  std::string tag_changed = token;
  tag_changed.back() = tag_changed.back() == '0' ? '1' : '0';
  RequestStateKeeper other_process(1min);
  const std::string foreign = other_process.seal("login", kArguments, kUrlInput, {{"flow", "f1"}});
  for (const std::string& bad :
       {payload_changed, tag_changed, foreign, std::string(), std::string("."),
        std::string("garbage"), token.substr(0, token.rfind('.')), token + "0"}) {
    CAPTURE(bad);
    auto opened = keeper.open(bad, "login", kArguments);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == -32602);
    CHECK(opened.error().message.find("not issued by this server") != std::string::npos);
  }
}

TEST_CASE("request state: bound to the tool and its arguments, and to its lifetime") {
  RequestStateKeeper keeper(1min);
  const auto now = Clock::now();
  const std::string token = keeper.seal("login", kArguments, kUrlInput, nullptr, now);
  for (const auto& [tool, arguments] : std::vector<std::pair<std::string, Json>>{
           {"call", kArguments}, {"login", Json{{"wait_seconds", 6}}}, {"login", Json::object()}}) {
    auto opened = keeper.open(token, tool, arguments, now);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().message.find("different call") != std::string::npos);
  }
  CHECK(keeper.open(token, "login", kArguments, now + 59s));
  auto late = keeper.open(token, "login", kArguments, now + 1min);
  REQUIRE_FALSE(late);
  CHECK(late.error().message.find("expired") != std::string::npos);
}

TEST_CASE("request state: accepted once, a replay is refused") {
  RequestStateKeeper keeper(1min);
  const std::string token = keeper.seal("login", kArguments, kUrlInput, nullptr);
  auto first = keeper.open(token, "login", kArguments);
  REQUIRE(first);
  CHECK(keeper.consume(*first));
  auto again = keeper.open(token, "login", kArguments);  // still authentic...
  REQUIRE(again);
  auto replay = keeper.consume(*again);  // ...but used
  REQUIRE_FALSE(replay);
  CHECK(replay.error().code == -32602);
  CHECK(replay.error().message.find("already used") != std::string::npos);
  // Another state of the same call is its own.
  auto fresh =
      keeper.open(keeper.seal("login", kArguments, kUrlInput, nullptr), "login", kArguments);
  REQUIRE(fresh);
  CHECK(keeper.consume(*fresh));
}

TEST_CASE("request state: input responses must answer every request, well formed and declared") {
  RequestStateKeeper keeper(1min);
  auto opened =
      keeper.open(keeper.seal("login", kArguments, kUrlInput, nullptr), "login", kArguments);
  REQUIRE(opened);
  const Json url_client = {{"elicitation", {{"url", Json::object()}}}};
  const Json accept = {{"lava_login", {{"action", "accept"}}}};
  CHECK(check_input_responses(opened->expects, accept, url_client));

  auto missing = check_input_responses(opened->expects, Json::object(), url_client);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == -32602);
  CHECK(missing.error().message.find("\"lava_login\"") != std::string::npos);
  CHECK_FALSE(
      check_input_responses(opened->expects, {{"other", {{"action", "accept"}}}}, url_client));

  for (const Json& bad : {Json("accept"), Json{{"action", "maybe"}}, Json::object(),
                          Json{{"action", "accept"}, {"content", "x"}}}) {
    auto refused = check_input_responses(opened->expects, {{"lava_login", bad}}, url_client);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == -32602);
  }

  for (const Json& caps : {Json::object(), Json{{"elicitation", Json::object()}},
                           Json{{"elicitation", {{"form", Json::object()}}}}}) {
    auto undeclared = check_input_responses(opened->expects, accept, caps);
    REQUIRE_FALSE(undeclared);
    CHECK(undeclared.error().code == -32021);
    CHECK(undeclared.error().data["requiredCapabilities"] ==
          Json{{"elicitation", {{"url", Json::object()}}}});
  }
}

TEST_CASE("request state: the capability each input request needs") {
  CHECK(capability_for_input({{"method", "elicitation/create"}, {"params", {{"mode", "form"}}}}) ==
        Json{{"elicitation", Json::object()}});
  CHECK(capability_for_input({{"method", "sampling/createMessage"}}) ==
        Json{{"sampling", Json::object()}});
  CHECK(capability_for_input({{"method", "roots/list"}}) == Json{{"roots", Json::object()}});
  CHECK(capability_for_input({{"method", "x/y"}}) == Json::object());
}

}  // namespace
}  // namespace lava_mcp::protocol
