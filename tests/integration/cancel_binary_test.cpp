// notifications/cancelled through the installed binary: calls cancelled while they wait for one
// of the 64 slots do not reach the upstream (but for the few whose cancel was not yet readable).
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "integration/built_binaries.h"
#include "support/fake_gateway.h"
#include "support/mcp_lines.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeGateway;
using testing::Subprocess;
using namespace std::chrono_literals;

constexpr int kSlots = 64;  // ServerOptions::max_concurrent_calls

// Holds every upstream request until released (or 20 s), so calls stay in flight and the rest
// stay queued for as long as the test needs.
class HeldUpstream {
 public:
  void hold(const testing::GatewayRequest&, httplib::Response& res) {
    std::unique_lock lock(mutex_);
    released_changed_.wait_for(lock, 20s, [this] { return released_; });
    res.set_content("{}", "application/json");
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_changed_;
  bool released_ = false;
};

std::string cancel_line(int id) {
  return Json{{"jsonrpc", "2.0"},
              {"method", "notifications/cancelled"},
              {"params", {{"requestId", id}, {"reason", "test"}}}}
             .dump() +
         "\n";
}

std::set<int> ids_seen(const FakeGateway& gateway) {
  std::set<int> ids;
  for (const auto& request : gateway.requests()) {
    const auto at = request.target.find("?i=");
    if (at != std::string::npos) {
      ids.insert(std::stoi(request.target.substr(at + 3)));
    }
  }
  return ids;
}

// Reads replies until the one to `id`; every other id it meets goes to `others`.
bool await_reply(Subprocess& server, const Json& id, std::set<int>& others) {
  for (;;) {
    auto line = server.read_line(30s);
    if (!line) {
      return false;
    }
    const Json message = Json::parse(*line);
    if (!message.contains("id")) {
      continue;
    }
    if (message["id"] == id) {
      return true;
    }
    if (message["id"].is_number_integer()) {
      others.insert(message["id"].get<int>());
    }
  }
}

TEST_CASE("cancel: slow calls cancelled in id order - the queued ones do not reach the upstream") {
  FakeGateway gateway;
  HeldUpstream upstream;
  gateway.on_upstream([&](const testing::GatewayRequest& request, httplib::Response& res) {
    upstream.hold(request, res);
  });
  testing::TempDir home;
  Subprocess server({testing::installed_binary()},
                    {{"LAVA_API_URL", gateway.origin()},
                     {"LAVA_SECRET_KEY", "aks_test_CANCELQUEUED0001"},
                     {"LAVA_MCP_HOME", home.path()}});
  server.write(testing::initialize_line("init"));
  REQUIRE(server.read_line(10s));
  constexpr int kCalls = 10000;  // as many as the review sent
  std::string calls;
  for (int i = 0; i < kCalls; ++i) {
    calls += testing::tool_call_line(
        i, "call", {{"url", "https://api.example.com/slow?i=" + std::to_string(i)}});
  }
  server.write(calls);
  for (int waited = 0; ids_seen(gateway).size() < kSlots && waited < 1000; ++waited) {
    std::this_thread::sleep_for(10ms);
  }
  const std::set<int> running = ids_seen(gateway);
  REQUIRE(running.size() == kSlots);
  // In id order: the running calls first, so each of their slots frees while the cancels of
  // the queued calls are still being read.
  std::string cancels;
  for (int i = 0; i < kCalls; ++i) {
    cancels += cancel_line(i);
  }
  server.write(cancels);
  server.write(R"({"jsonrpc":"2.0","id":"after-cancels","method":"ping"})"
               "\n");
  std::set<int> answered;
  REQUIRE(await_reply(server, "after-cancels", answered));
  upstream.release();
  // A fresh call queues behind anything still pending; its answer means the queue is drained.
  server.write(testing::tool_call_line("last", "call", {{"url", "https://api.example.com/last"}}));
  REQUIRE(await_reply(server, "last", answered));
  CHECK_MESSAGE(answered.empty(), answered.size() << " cancelled calls were answered");
  std::set<int> started_after_cancel;
  for (int id : ids_seen(gateway)) {
    if (running.count(id) == 0) {
      started_after_cancel.insert(id);
    }
  }
  // A cancel still in the client's pipe when a slot frees cannot stop that call: the server holds
  // the queue only while input it can read waits (a call whose cancel it has read never starts:
  // "server: a call cancelled while queued never starts and gets no reply"). Before the hold,
  // 2,632 of these 9,936 queued calls reached the upstream; with it, 0 in five runs and 62 in
  // one CI run, as the writer and the reader race at the pipe's 64 KiB boundaries.
  CHECK_MESSAGE(started_after_cancel.size() < (kCalls - kSlots) / 20,
                started_after_cancel.size()
                    << " calls cancelled while queued reached the upstream");
  server.close_stdin();
  CHECK(server.wait(5s) == 0);
}

}  // namespace
}  // namespace lava_mcp
