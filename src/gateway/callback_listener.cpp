#include "gateway/callback_listener.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "base/hex.h"
#include "platform/server_socket.h"

namespace lava_mcp::gateway {
namespace {

using Clock = std::chrono::steady_clock;
using platform::kNoSocket;
using platform::Socket;
using platform::SocketFailure;

// The first value of `key` in a query string ("" when absent).
std::string query_param(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (form_decode(pair.substr(0, eq)) == key) {
      return eq == std::string_view::npos ? "" : form_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return "";
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 414:
      return "URI Too Long";
    default:
      return "Error";
  }
}

std::string http_response(const CallbackReply& reply) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) +
                    "\r\nContent-Type: " + reply.content_type +
                    "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n";
  if (reply.status == 405) {
    out += "Allow: GET\r\n";
  }
  out += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
  return out + reply.body;
}

CallbackReply plain(int status, std::string body) {
  return CallbackReply{status, "text/plain; charset=utf-8", std::move(body)};
}

struct Connection {
  Socket fd = kNoSocket;
  Clock::time_point deadline;
  std::string request_line;  // up to the cap; the rest of the request is read and dropped
  bool answered = false;     // the reply is made (out holds it)
  std::string out;
  std::size_t sent = 0;
  bool write_closed = false;  // the reply is sent and our side shut down
  std::size_t discarded = 0;
  bool peer_closed = false;  // EOF seen: only the pending reply is left to send
  bool wants_output() const { return answered && !write_closed; }
};

}  // namespace

struct CallbackListener::State {
  CallbackHandler handler;
  CallbackLimits limits;
  Socket listen_fd = kNoSocket;
  std::optional<platform::PollWaker> waker;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::deque<Connection> connections;  // oldest first
  std::thread thread;

  ~State() { platform::close_socket(listen_fd); }

  // Lava SDK's rules, in its order: method, then path; the handler judges state and code.
  CallbackReply answer(std::string_view line) const {
    const auto first_space = line.find(' ');
    const auto second_space =
        line.find(' ', first_space == std::string_view::npos ? 0 : first_space + 1);
    if (first_space == std::string_view::npos || second_space == std::string_view::npos ||
        line.substr(second_space + 1).rfind("HTTP/1.", 0) != 0) {
      return plain(400, "Bad request");
    }
    if (line.substr(0, first_space) != "GET") {
      return plain(405, "Method not allowed");
    }
    const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
    const auto question = target.find('?');
    if (target.substr(0, question) != "/callback") {
      return plain(404, "Not found");
    }
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    return handler(query_param(query, "state"), query_param(query, "code"));
  }

  void make_reply(Connection& c, const CallbackReply& reply) {
    c.answered = true;
    c.out = http_response(reply);
  }

  // Reads what is there; false when the connection is to be closed.
  bool on_readable(Connection& c) {
    char chunk[4096];
    const long got = platform::receive_some(c.fd, chunk, sizeof chunk);
    if (got == 0) {
      c.peer_closed = true;
      return c.wants_output();  // the peer is done sending; a pending reply still goes out
    }
    if (got < 0) {
      return platform::last_socket_failure() == SocketFailure::kRetry;
    }
    std::string_view bytes(chunk, static_cast<std::size_t>(got));
    if (!c.answered) {
      const auto newline = bytes.find('\n');
      const std::string_view head = bytes.substr(0, newline);
      if (c.request_line.size() + head.size() > limits.max_request_line) {
        make_reply(c, plain(414, "Request line too long"));
        return flush(c);
      }
      c.request_line.append(head);
      if (newline == std::string_view::npos) {
        return true;
      }
      if (!c.request_line.empty() && c.request_line.back() == '\r') {
        c.request_line.pop_back();
      }
      make_reply(c, answer(c.request_line));
      bytes.remove_prefix(newline + 1);
    }
    c.discarded += bytes.size();  // headers and body: never parsed, never kept
    if (c.discarded > limits.max_discarded) {
      if (c.wants_output()) {
        flush(c);  // one last try before closing
      }
      return false;
    }
    return !c.wants_output() || flush(c);
  }

  // Sends what the socket takes; shuts our side down once the reply is out.
  bool flush(Connection& c) {
    while (c.sent < c.out.size()) {
      const long put = platform::send_some(c.fd, c.out.data() + c.sent, c.out.size() - c.sent);
      if (put < 0) {
        return platform::last_socket_failure() == SocketFailure::kRetry;
      }
      c.sent += static_cast<std::size_t>(put);
    }
    platform::shutdown_sending(c.fd);
    c.write_closed = true;
    return true;
  }

  void accept_all() {
    for (;;) {
      const Socket fd = platform::accept_pending(listen_fd);
      if (fd == kNoSocket) {
        if (platform::last_socket_failure() == SocketFailure::kNoDescriptors &&
            !connections.empty()) {
          platform::close_socket(connections.front().fd);  // the oldest makes room
          connections.pop_front();
          continue;
        }
        return;  // EAGAIN: none left; anything else: try again on the next wake-up
      }
      if (connections.size() >= limits.max_connections) {
        platform::close_socket(connections.front().fd);  // the oldest has had the most time
        connections.pop_front();
      }
      Connection c;
      c.fd = fd;
      c.deadline = Clock::now() + limits.connection_deadline;
      connections.push_back(std::move(c));
    }
  }

  int poll_timeout_ms() const {
    if (connections.empty()) {
      return -1;
    }
    Clock::time_point soonest = connections.front().deadline;
    for (const auto& c : connections) {
      soonest = std::min(soonest, c.deadline);
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now());
    return static_cast<int>(std::max<long long>(0, left.count() + 1));
  }

  void serve() {
    using platform::kPollError;
    using platform::kPollHangup;
    using platform::kPollIn;
    using platform::kPollOut;
    std::vector<platform::SocketPoll> fds;
    while (!stopping) {
      fds.clear();
      fds.push_back({waker->ready(), kPollIn, 0});
      fds.push_back({listen_fd, kPollIn, 0});
      for (const auto& c : connections) {
        const short events =
            static_cast<short>((c.peer_closed ? 0 : kPollIn) | (c.wants_output() ? kPollOut : 0));
        fds.push_back({c.fd, events, 0});
      }
      if (platform::poll_sockets(fds, poll_timeout_ms()) < 0) {
        break;
      }
      if (stopping) {
        break;
      }
      const auto now = Clock::now();
      std::deque<Connection> kept;
      for (std::size_t i = 0; i < connections.size(); ++i) {
        Connection& c = connections[i];
        const short events = fds[i + 2].revents;
        bool keep = now < c.deadline;
        if (keep && (events & kPollError) && c.peer_closed) {
          keep = false;
        }
        if (keep && (events & kPollOut)) {
          keep = flush(c);
        }
        if (keep && !c.peer_closed && (events & (kPollIn | kPollHangup | kPollError))) {
          keep = on_readable(c);
        }
        if (keep) {
          kept.push_back(std::move(c));
        } else {
          platform::close_socket(c.fd);
        }
      }
      connections = std::move(kept);
      if (fds[1].revents & kPollIn) {
        accept_all();
      }
    }
    for (auto& c : connections) {
      if (c.wants_output()) {
        flush(c);  // a reply already made (the success page) still reaches the browser
      }
      platform::close_socket(c.fd);
    }
    connections.clear();
    platform::close_socket(listen_fd);
    listen_fd = kNoSocket;
  }
};

CallbackListener::CallbackListener(std::unique_ptr<State> state) : state_(std::move(state)) {}

Expected<std::unique_ptr<CallbackListener>> CallbackListener::start(const std::string& host,
                                                                    CallbackHandler handler,
                                                                    CallbackLimits limits) {
  auto state = std::make_unique<State>();
  state->handler = std::move(handler);
  state->limits = limits;
  const auto cannot = [&host](const std::string& why) {
    return fail(error_code::kInternalError,
                "cannot listen on " + host + " for the login callback: " + why);
  };
  std::string why;
  const auto listening = platform::listen_ipv4(host, why);
  if (!listening) {
    return cannot(why);
  }
  state->listen_fd = listening->socket;
  state->port = listening->port;
  auto waker = platform::PollWaker::open();
  if (!waker) {
    return cannot(platform::last_socket_error_text());
  }
  state->waker.emplace(std::move(*waker));
  State* serving = state.get();
  state->thread = std::thread([serving] { serving->serve(); });
  return std::unique_ptr<CallbackListener>(new CallbackListener(std::move(state)));
}

CallbackListener::~CallbackListener() {
  stop();
  if (state_->thread.joinable()) {
    state_->thread.join();
  }
}

int CallbackListener::port() const { return state_->port; }

void CallbackListener::stop() {
  if (!state_->stopping.exchange(true)) {
    state_->waker->wake();
  }
}

}  // namespace lava_mcp::gateway
