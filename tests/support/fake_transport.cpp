#include "support/fake_transport.h"

#include <doctest/doctest.h>

namespace lava_mcp::testing {

void FakeTransport::record(Json message) {
  std::lock_guard lock(mutex_);
  sent_.push_back(std::move(message));
  changed_.notify_all();
}

void FakeTransport::send_result(const Json& id, const Json& result) {
  record({{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

void FakeTransport::send_error(const Json& id, const Error& error) {
  Json body = {{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) {
    body["data"] = error.data;
  }
  record({{"jsonrpc", "2.0"}, {"id", id}, {"error", body}});
}

void FakeTransport::send_notification(std::string_view method, const Json& params) {
  record({{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

void FakeTransport::send_request(const Json& id, std::string_view method, const Json& params) {
  record({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

Json FakeTransport::request(transport::MessageHandler& handler, const std::string& method,
                            Json params) {
  Json id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
  }
  return request_with_id(handler, id, method, std::move(params));
}

Json FakeTransport::request_with_id(transport::MessageHandler& handler, const Json& id,
                                    const std::string& method, Json params) {
  handler.on_request(id, method, std::move(params));
  return id;
}

std::optional<Json> FakeTransport::await(const std::function<bool(const Json&)>& predicate,
                                         std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::optional<Json> found;
  changed_.wait_for(lock, timeout, [&] {
    for (const auto& message : sent_) {
      if (predicate(message)) {
        found = message;
        return true;
      }
    }
    return false;
  });
  return found;
}

std::optional<Json> FakeTransport::await_reply(const Json& id, std::chrono::milliseconds timeout) {
  return await(
      [&](const Json& m) {
        return !m.contains("method") && m.contains("id") && m["id"] == id &&
               m["id"].type() == id.type();
      },
      timeout);
}

std::vector<Json> FakeTransport::messages() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

std::vector<Json> FakeTransport::notifications(const std::string& method) const {
  std::vector<Json> out;
  for (const auto& m : messages()) {
    if (!m.contains("id") && m.value("method", "") == method) {
      out.push_back(m);
    }
  }
  return out;
}

std::size_t FakeTransport::count_replies_to(const Json& id) const {
  std::size_t n = 0;
  for (const auto& m : messages()) {
    n += (!m.contains("method") && m.contains("id") && m["id"] == id) ? 1 : 0;
  }
  return n;
}

Json FakeTransport::initialize(transport::MessageHandler& handler, const std::string& version,
                               Json capabilities) {
  const Json id = request(handler, "initialize",
                          {{"protocolVersion", version},
                           {"capabilities", std::move(capabilities)},
                           {"clientInfo", {{"name", "fake"}, {"version", "1"}}}});
  const auto reply = await_reply(id);
  REQUIRE(reply.has_value());
  REQUIRE(reply->contains("result"));
  handler.on_notification("notifications/initialized", Json::object());
  return (*reply)["result"];
}

}  // namespace lava_mcp::testing
