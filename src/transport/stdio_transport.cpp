#include "transport/stdio_transport.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "log.h"
#include "secrets.h"
#include "transport/jsonrpc.h"
#include "transport/line_framer.h"

namespace lava_mcp::transport {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

}  // namespace

StdioTransport::StdioTransport(int in_fd, int out_fd, std::size_t max_line_bytes)
    : in_fd_(in_fd), out_fd_(out_fd), max_line_bytes_(max_line_bytes) {
  if (::pipe2(wake_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) {
    wake_pipe_[0] = wake_pipe_[1] = -1;
  }
}

StdioTransport::~StdioTransport() {
  for (int fd : wake_pipe_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void StdioTransport::stop() {
  if (wake_pipe_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_pipe_[1], &byte, 1);
  }
}

void StdioTransport::send_result(const Json& id, const Json& result) {
  write_line(encode_result(id, result));
}

void StdioTransport::send_error(const Json& id, const Error& error) {
  write_line(encode_error(id, error));
}

void StdioTransport::send_notification(std::string_view method, const Json& params) {
  write_line(encode_notification(method, params));
}

void StdioTransport::send_request(const Json& id, std::string_view method, const Json& params) {
  write_line(encode_request(id, method, params));
}

void StdioTransport::write_line(std::string line) {
  // The one place every protocol byte passes: no key can reach the host, whatever a tool did.
  line = secrets::redact(line);
  line.push_back('\n');
  std::lock_guard lock(write_mutex_);
  if (output_broken_) {
    return;
  }
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t n = ::write(out_fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      // The host went away (EPIPE with SIGPIPE ignored); keep running until stdin closes.
      output_broken_ = true;
      log::warn("transport", std::string("stdout write failed: ") + std::strerror(errno));
      return;
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

void StdioTransport::dispatch(std::string_view line, MessageHandler& handler) {
  Incoming message = decode_message(line);
  if (auto* request = std::get_if<Request>(&message)) {
    handler.on_request(request->id, request->method, std::move(request->params));
  } else if (auto* notification = std::get_if<Notification>(&message)) {
    handler.on_notification(notification->method, std::move(notification->params));
  } else if (auto* response = std::get_if<Response>(&message)) {
    if (response->ok) {
      handler.on_response(response->id, Expected<Json>(std::move(response->result)));
    } else {
      handler.on_response(response->id, Expected<Json>(fail(std::move(response->error))));
    }
  } else {
    const auto& failure = std::get<DecodeFailure>(message);
    log::info("transport", "rejected a message: " + failure.error.message);
    send_error(failure.id, failure.error);
  }
}

Expected<void> StdioTransport::serve(MessageHandler& handler) {
  LineFramer framer(max_line_bytes_);
  std::vector<Frame> frames;
  std::string buffer(kReadChunk, '\0');
  pollfd fds[2] = {{in_fd_, POLLIN, 0}, {wake_pipe_[0], POLLIN, 0}};
  const nfds_t nfds = wake_pipe_[0] >= 0 ? 2 : 1;
  for (;;) {
    if (::poll(fds, nfds, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(error_code::kInternalError, std::string("poll: ") + std::strerror(errno));
    }
    if (nfds == 2 && (fds[1].revents & POLLIN) != 0) {
      return {};
    }
    if (fds[0].revents == 0) {
      continue;
    }
    const ssize_t n = ::read(in_fd_, buffer.data(), buffer.size());
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      continue;
    }
    if (n < 0) {
      return fail(error_code::kInternalError, std::string("read: ") + std::strerror(errno));
    }
    if (n == 0) {
      framer.finish(frames);
    } else {
      framer.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)), frames);
    }
    for (Frame& frame : frames) {
      if (frame.kind == Frame::Kind::kOversized) {
        send_error(nullptr, Error{error_code::kInvalidRequest,
                                  "Invalid Request: message exceeds the " +
                                      std::to_string(max_line_bytes_) + " byte line limit"});
      } else {
        dispatch(frame.text, handler);
      }
    }
    frames.clear();
    if (n == 0) {
      return {};
    }
  }
}

}  // namespace lava_mcp::transport
