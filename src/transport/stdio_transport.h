// Newline-delimited JSON-RPC over a pair of file descriptors (stdin/stdout in production,
// pipes in tests).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/thread_group.h"
#include "platform/input_waiter.h"
#include "transport/line_framer.h"
#include "transport/transport.h"

namespace lava_mcp::transport {

inline constexpr std::size_t kMaxLineBytes = 16u << 20;  // 16 MiB

// Reading moves between threads (leader/followers). Idle reading threads wait on the input
// (platform::InputWaiter), which wakes exactly one of them per arrival; that one reads and
// dispatches in order. A handler that wants to keep its thread for long work calls
// hand_off_reading(): the input is re-armed and the next arrival wakes another waiting thread.
// The work starts at once on a thread that is already running, and no thread is woken to take
// over (docs/decisions.md, "Reading threads").
// An input the waiter cannot share (a regular file, /dev/null) is read by one thread, without
// hand-offs.
class StdioTransport final : public Transport {
 public:
  // Does not take ownership of in_fd/out_fd.
  StdioTransport(int in_fd, int out_fd, std::size_t max_line_bytes = kMaxLineBytes,
                 std::chrono::milliseconds reader_linger = std::chrono::seconds(30));
  ~StdioTransport() override;  // waits for the reading threads to end
  StdioTransport(const StdioTransport&) = delete;
  StdioTransport& operator=(const StdioTransport&) = delete;

  void send_result(const Json& id, const Json& result) override;
  void send_error(const Json& id, const Error& error) override;
  void send_notification(std::string_view method, const Json& params) override;
  void send_request(const Json& id, std::string_view method, const Json& params) override;
  bool hand_off_reading() override;

  // Call once. Reads until end of input, a read error, or stop(), dispatching every message to
  // `handler`, and returns then (handlers that were handed off may still be running).
  // Malformed lines are answered here with -32700/-32600.
  Expected<void> serve(MessageHandler& handler);

  // Makes serve() return soon. Async-signal-safe (one write() to a pipe).
  void stop();

  // Reading threads alive: parked, reading, or running handed-off work (for tests).
  std::size_t reading_threads();

 private:
  Expected<void> serve_on_this_thread();
  void start_reading_thread();  // relay_mutex_ held
  void reading_thread();
  // Waits for input for the linger time; gives the thread's free memory back after kIdleAfter
  // of it (base/idle_memory.h).
  Expected<platform::InputWaiter::Wake> park();
  void take_input();
  Expected<void> read_chunk();  // one read() into the framer
  bool dispatch_frames();       // false when a handler handed reading off
  // Releases the reading state; the next arrival is then another thread's, or reading ends
  // (end of input, or the failed `read`).
  void pass_reading_on(Expected<void> read);
  bool input_waiting() const;  // more of stdin can be read at once
  void dispatch(std::string_view line);
  void rearm_input();
  void end_reading(Expected<void> outcome);
  void write_line(std::string line);

  int in_fd_;
  int out_fd_;
  std::size_t max_line_bytes_;
  std::chrono::milliseconds reader_linger_;
  platform::InputWaiter input_;  // ends on stop() and at the end of input
  std::mutex write_mutex_;
  bool output_broken_ = false;  // guarded by write_mutex_

  // The reading state, owned by the thread in reader_ (read_mutex_ held from the input's
  // arrival until that thread is done with it or hands it off).
  std::mutex read_mutex_;
  std::atomic<std::thread::id> reader_{};
  MessageHandler* handler_ = nullptr;
  LineFramer framer_;
  std::vector<Frame> frames_;  // read, not yet dispatched from next_frame_ on
  std::size_t next_frame_ = 0;
  std::string buffer_;
  bool input_ended_ = false;

  std::mutex relay_mutex_;
  std::condition_variable relay_changed_;  // reading ended, or a reading thread ended
  std::size_t threads_ = 0;                // reading threads alive
  std::size_t waiting_ = 0;                // of which parked in input_.wait()
  std::optional<Expected<void>> outcome_;  // set once reading has ended
  ThreadGroup readers_;  // last: joined before the members the reading threads use go
};

}  // namespace lava_mcp::transport
