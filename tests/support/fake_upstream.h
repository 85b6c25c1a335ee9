// Real HTTP servers on 127.0.0.1 with kernel-chosen ports, for tests: FakeUpstream wraps an
// httplib::Server; RawTcpServer answers with exact bytes (garbage, drops, trickles).
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace lava_mcp::testing {

class FakeUpstream {
 public:
  FakeUpstream();   // binds 127.0.0.1:0 and serves on a thread; ready when constructed
  ~FakeUpstream();  // stops and joins
  httplib::Server& routes() { return server_; }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// Accepts connections and hands each socket to `on_connection` (on the accept thread).
class RawTcpServer {
 public:
  explicit RawTcpServer(std::function<void(int socket)> on_connection);
  ~RawTcpServer();
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::function<void(int)> on_connection_;
  std::thread thread_;
};

// A port on 127.0.0.1 that refuses connections (bound, never listened on, then closed).
int refused_port();

}  // namespace lava_mcp::testing
