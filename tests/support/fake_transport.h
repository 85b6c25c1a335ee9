// An in-process Transport for server tests: records what the server sends and lets a test drive
// the server as a client would. Every wait has a deadline and fails rather than hangs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "transport/transport.h"

namespace lava_mcp::testing {

using Json = nlohmann::json;
using namespace std::chrono_literals;

class FakeTransport final : public transport::Transport {
 public:
  void send_result(const Json& id, const Json& result) override;
  void send_error(const Json& id, const Error& error) override;
  void send_notification(std::string_view method, const Json& params) override;
  void send_request(const Json& id, std::string_view method, const Json& params) override;

  // Sends a request to `handler` and returns its id (integers from 1 unless given).
  Json request(transport::MessageHandler& handler, const std::string& method,
               Json params = nullptr);
  Json request_with_id(transport::MessageHandler& handler, const Json& id,
                       const std::string& method, Json params = nullptr);

  // The response (the whole message) to `id`, or nullopt at the deadline.
  std::optional<Json> await_reply(const Json& id, std::chrono::milliseconds timeout = 5s);

  // The first outbound message matching `predicate`, waiting up to `timeout`.
  std::optional<Json> await(const std::function<bool(const Json&)>& predicate,
                            std::chrono::milliseconds timeout = 5s);

  std::vector<Json> messages() const;  // everything sent so far, in order
  std::vector<Json> notifications(const std::string& method) const;
  std::size_t count_replies_to(const Json& id) const;

  // Sends a well-formed initialize and returns its result.
  Json initialize(transport::MessageHandler& handler, const std::string& version = "2025-11-25",
                  Json capabilities = Json::object());

 private:
  void record(Json message);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Json> sent_;
  long long next_id_ = 1;
};

}  // namespace lava_mcp::testing
