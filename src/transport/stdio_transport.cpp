#include "transport/stdio_transport.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "base/idle_memory.h"
#include "base/log.h"
#include "base/secrets.h"
#include "platform/stdio.h"
#include "transport/jsonrpc.h"

namespace lava_mcp::transport {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

Unexpected io_failure(const char* what, int error = errno) {
  return fail(error_code::kInternalError, std::string(what) + ": " + std::strerror(error));
}

}  // namespace

StdioTransport::StdioTransport(int in_fd, int out_fd, std::size_t max_line_bytes,
                               std::chrono::milliseconds reader_linger)
    : in_fd_(in_fd),
      out_fd_(out_fd),
      max_line_bytes_(max_line_bytes),
      reader_linger_(reader_linger),
      input_(in_fd),
      framer_(max_line_bytes),
      buffer_(kReadChunk, '\0') {}

StdioTransport::~StdioTransport() {
  {
    std::unique_lock lock(relay_mutex_);
    relay_changed_.wait(lock, [this] { return threads_ == 0; });
  }
  readers_.join_all();
}

void StdioTransport::stop() { input_.end(); }

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
    const long n = platform::write_output(out_fd_, rest.data(), rest.size());
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

void StdioTransport::dispatch(std::string_view line) {
  Incoming message = decode_message(line);
  if (auto* request = std::get_if<Request>(&message)) {
    handler_->on_request(request->id, request->method, std::move(request->params));
  } else if (auto* notification = std::get_if<Notification>(&message)) {
    handler_->on_notification(notification->method, std::move(notification->params));
  } else if (auto* response = std::get_if<Response>(&message)) {
    if (response->ok) {
      handler_->on_response(response->id, Expected<Json>(std::move(response->result)));
    } else {
      handler_->on_response(response->id, Expected<Json>(fail(std::move(response->error))));
    }
  } else {
    const auto& failure = std::get<DecodeFailure>(message);
    log::info("transport", "rejected a message: " + failure.error.message);
    send_error(failure.id, failure.error);
  }
}

Expected<void> StdioTransport::serve(MessageHandler& handler) {
  handler_ = &handler;
  if (!input_.shared()) {
    return serve_on_this_thread();
  }
  std::unique_lock lock(relay_mutex_);
  start_reading_thread();
  relay_changed_.wait(lock, [this] { return outcome_.has_value(); });
  return *outcome_;
}

std::size_t StdioTransport::reading_threads() {
  std::lock_guard lock(relay_mutex_);
  return threads_;
}

Expected<void> StdioTransport::serve_on_this_thread() {
  reader_ = std::this_thread::get_id();
  while (!input_ended_) {
    const auto wake = input_.wait(std::nullopt);
    if (!wake) {
      return fail(wake.error());
    }
    if (*wake == platform::InputWaiter::Wake::kEnd) {
      break;
    }
    if (auto read = read_chunk(); !read) {
      handler_->on_input_drained();
      end_reading(read);
      return read;
    }
    handler_->on_input_read();
    dispatch_frames();
    handler_->on_input_drained();  // a file or /dev/null: no client can be racing its own input
  }
  end_reading({});
  return {};
}

void StdioTransport::start_reading_thread() {
  readers_.start([this] { reading_thread(); });
  ++threads_;
}

void StdioTransport::reading_thread() {
  using Wake = platform::InputWaiter::Wake;
  std::unique_lock lock(relay_mutex_);
  for (;;) {
    ++waiting_;
    lock.unlock();
    auto wake = park();
    lock.lock();
    --waiting_;
    if (!wake || *wake == Wake::kEnd) {
      lock.unlock();
      // A no-op unless this thread is the first to see stop(), or waiting failed.
      end_reading(wake ? Expected<void>() : Expected<void>(fail(wake.error())));
      lock.lock();
      break;
    }
    if (*wake == Wake::kTimeout && waiting_ > 0) {
      break;  // parked for the linger time while another thread waits too: one thread fewer
    }
    if (*wake == Wake::kInput) {
      lock.unlock();
      take_input();
      lock.lock();
    }
  }
  --threads_;
  relay_changed_.notify_all();
}

Expected<platform::InputWaiter::Wake> StdioTransport::park() {
  const auto first = std::min(reader_linger_, kIdleAfter);
  auto wake = input_.wait(first);
  if (!wake || *wake != platform::InputWaiter::Wake::kTimeout || first == reader_linger_) {
    return wake;
  }
  release_idle_memory();
  return input_.wait(reader_linger_ - first);
}

void StdioTransport::take_input() {
  read_mutex_.lock();
  reader_ = std::this_thread::get_id();
  auto read = read_chunk();
  if (read) {
    handler_->on_input_read();
  }
  if (read && !dispatch_frames()) {
    return;  // handed off: hand_off_reading passed the reading state on
  }
  pass_reading_on(std::move(read));
}

void StdioTransport::pass_reading_on(Expected<void> read) {
  frames_.clear();
  next_frame_ = 0;
  const bool ended = input_ended_;
  // Still under read_mutex_, so this cannot overtake the next reader's on_input_read().
  if (!read || ended || !input_waiting()) {
    handler_->on_input_drained();
  }
  reader_ = std::thread::id();
  read_mutex_.unlock();
  if (!read) {
    end_reading(std::move(read));
  } else if (ended) {
    end_reading({});
  } else {
    rearm_input();
  }
}

Expected<void> StdioTransport::read_chunk() {
  for (;;) {
    const long n = platform::read_input(in_fd_, buffer_.data(), buffer_.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {
      return {};  // nothing after all; the caller re-arms
    }
    if (n < 0) {
      return io_failure("read");
    }
    if (n == 0) {
      framer_.finish(frames_);
      input_ended_ = true;
    } else {
      framer_.feed(std::string_view(buffer_.data(), static_cast<std::size_t>(n)), frames_);
    }
    return {};
  }
}

bool StdioTransport::dispatch_frames() {
  const auto me = std::this_thread::get_id();
  while (next_frame_ < frames_.size()) {
    const Frame& frame = frames_[next_frame_++];
    if (frame.kind == Frame::Kind::kOversized) {
      send_error(nullptr, Error{error_code::kInvalidRequest,
                                "Invalid Request: message exceeds the " +
                                    std::to_string(max_line_bytes_) + " byte line limit"});
    } else {
      dispatch(frame.text);
    }
    if (reader_.load() != me) {
      return false;  // the handler handed reading off: nothing here is this thread's any more
    }
  }
  frames_.clear();
  next_frame_ = 0;
  return true;
}

bool StdioTransport::hand_off_reading() {
  if (!input_.shared() || reader_.load() != std::this_thread::get_id() ||
      next_frame_ < frames_.size()) {
    // Frames already read would wait for the next arrival to be dispatched: the caller keeps
    // reading and gives its work to a worker instead.
    return false;
  }
  {
    std::lock_guard lock(relay_mutex_);
    if (waiting_ == 0) {
      try {
        start_reading_thread();
      } catch (const std::system_error& error) {
        log::warn("transport", std::string("no thread to read on: ") + error.what());
        return false;
      }
    }
  }
  pass_reading_on({});
  return true;
}

bool StdioTransport::input_waiting() const { return platform::input_pending(in_fd_); }

void StdioTransport::rearm_input() {
  if (auto rearmed = input_.rearm(); !rearmed) {
    end_reading(std::move(rearmed));
  }
}

void StdioTransport::end_reading(Expected<void> outcome) {
  {
    std::lock_guard lock(relay_mutex_);
    if (outcome_) {
      return;
    }
    outcome_ = std::move(outcome);
    relay_changed_.notify_all();
  }
  stop();  // every parked reading thread wakes to the pipe, and ends
}

}  // namespace lava_mcp::transport
