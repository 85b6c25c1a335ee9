// Newline-delimited JSON-RPC over a pair of file descriptors (stdin/stdout in production,
// pipes in tests).
#pragma once

#include <cstddef>
#include <mutex>

#include "transport/transport.h"

namespace lava_mcp::transport {

inline constexpr std::size_t kMaxLineBytes = 16u << 20;  // 16 MiB

class StdioTransport final : public Transport {
 public:
  // Does not take ownership of in_fd/out_fd.
  StdioTransport(int in_fd, int out_fd, std::size_t max_line_bytes = kMaxLineBytes);
  ~StdioTransport() override;
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  void send_result(const Json& id, const Json& result) override;
  void send_error(const Json& id, const Error& error) override;
  void send_notification(std::string_view method, const Json& params) override;
  void send_request(const Json& id, std::string_view method, const Json& params) override;

  // Reads until end of input, a read error, or stop(); dispatches every message to `handler`.
  // Malformed lines are answered here with -32700/-32600 and reading goes on.
  Expected<void> serve(MessageHandler& handler);

  // Makes serve() return soon. Async-signal-safe (one write() to a pipe).
  void stop();

 private:
  void write_line(std::string line);
  void dispatch(std::string_view line, MessageHandler& handler);

  int in_fd_;
  int out_fd_;
  std::size_t max_line_bytes_;
  int wake_pipe_[2] = {-1, -1};
  std::mutex write_mutex_;
  bool output_broken_ = false;  // guarded by write_mutex_
};

}  // namespace lava_mcp::transport
