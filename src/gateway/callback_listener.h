// The login callback listener: a small HTTP/1.1 server on 127.0.0.1 that answers only
// `GET /callback?state=…&code=…`. Its own, not cpp-httplib's Server, because the callback faces
// whatever else runs on the machine: every connection is held to a few KiB and a few seconds,
// request bodies are never read, and one thread serves all connections at once with poll(2), so
// neither a flood nor slow clients can keep the real callback from being answered. The same code
// on Windows: its sockets are platform/server_socket.h, WSAPoll there.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "base/expected.h"

namespace lava_mcp::gateway {

struct CallbackReply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// Called on the listener's thread for each `GET /callback`, with the first `state` and `code`
// query parameters, percent-decoded ("" when absent).
using CallbackHandler =
    std::function<CallbackReply(const std::string& state, const std::string& code)>;

struct CallbackLimits {
  std::size_t max_request_line = 8 * 1024;  // longer: 414, nothing more is kept
  std::size_t max_discarded = 64 * 1024;  // header and body bytes read and thrown away, then close
  std::chrono::milliseconds connection_deadline{5000};  // from accept to close, whatever happens
  std::size_t max_connections = 64;  // more: the oldest connection is closed to make room
};

class CallbackListener {
 public:
  // Binds `host` (an IPv4 address), port 0, and starts serving. Error when it cannot bind.
  static Expected<std::unique_ptr<CallbackListener>> start(const std::string& host,
                                                           CallbackHandler handler,
                                                           CallbackLimits limits = {});
  ~CallbackListener();  // stops and joins
  CallbackListener(const CallbackListener&) = delete;
  CallbackListener& operator=(const CallbackListener&) = delete;

  int port() const;
  // Closes the port and every connection (replies already made are sent first). Idempotent.
  void stop();

 private:
  struct State;
  explicit CallbackListener(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace lava_mcp::gateway
