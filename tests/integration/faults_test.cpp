// Network faults from the gateway, through the installed binary: each one is a clear error (or a
// marked truncation) within the timeout, and the server keeps serving, other calls included.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/built_binaries.h"
#include "support/faulty_gateway.h"
#include "support/figures.h"
#include "support/mcp_lines.h"
#include "support/self_signed_cert.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FaultyGateway;
using testing::Subprocess;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr long long kTimeoutMs = 2000;

struct Session {
  explicit Session(const std::string& api_url, std::vector<std::string> prefix = {})
      : process(with_binary(std::move(prefix)), {{"LAVA_API_URL", api_url},
                                                 {"LAVA_SECRET_KEY", "aks_live_faults0123456789"},
                                                 {"LAVA_MCP_HOME", home.path()}}) {
    process.write(testing::initialize_line("init"));
    const auto line = process.read_line(10s);
    REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
  }
  static std::vector<std::string> with_binary(std::vector<std::string> prefix) {
    prefix.push_back(testing::installed_binary());
    return prefix;
  }
  void send_call(int id, const std::string& url) {
    process.write(testing::tool_call_line(id, "call", {{"url", url}, {"timeout_ms", kTimeoutMs}}));
  }
  // Replies by id, each with the time it arrived.
  std::map<int, std::pair<Json, Clock::time_point>> read_replies(std::size_t count) {
    std::map<int, std::pair<Json, Clock::time_point>> replies;
    while (replies.size() < count) {
      const auto line = process.read_line(20s);
      REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
      const Json reply = Json::parse(*line);
      if (reply.contains("id")) {
        replies[reply["id"].get<int>()] = {reply, Clock::now()};
      }
    }
    return replies;
  }
  static std::string text_of(const Json& reply) { return reply["result"]["content"][0]["text"]; }
  static bool is_error(const Json& reply) { return reply["result"].value("isError", false); }

  testing::TempDir home;
  Subprocess process;
};

TEST_CASE("faults: trickle, endless body, reset, broken chunking, 10 MiB error, all at once") {
  FaultyGateway gateway;
  Session session(gateway.origin());
  const std::vector<std::string> faults = {"trickle", "endless", "reset", "broken-chunked",
                                           "big-error"};
  const auto started = Clock::now();
  for (std::size_t i = 0; i < faults.size(); ++i) {
    session.send_call(static_cast<int>(i) + 1, FaultyGateway::url_of(faults[i]));
  }
  session.send_call(100, FaultyGateway::url_of("ok"));  // must not wait for the slow faults
  auto replies = session.read_replies(faults.size() + 1);

  const auto within = [&](int id) { return replies[id].second - started; };
  for (std::size_t i = 0; i < faults.size(); ++i) {
    testing::record_figure(
        "faults: answer to \"" + faults[i] + "\" (timeout 2000 ms)",
        std::chrono::duration<double, std::milli>(within(static_cast<int>(i) + 1)).count(), "ms");
  }
  testing::record_figure("faults: a good call sent after the five faults",
                         std::chrono::duration<double, std::milli>(within(100)).count(), "ms");
  const auto [ok, ok_at] = replies[100];
  CHECK_FALSE(Session::is_error(ok));
  CHECK(ok["result"]["structuredContent"]["body"]["ok"] == true);
  CHECK(ok_at - started < 1500ms);

  // Trickling bytes: the whole-request deadline, not a per-read timeout that each byte renews.
  const Json& trickle = replies[1].first;
  CHECK(Session::is_error(trickle));
  CHECK(Session::text_of(trickle).find("within 2000 ms") != std::string::npos);
  CHECK(within(1) >= 1900ms);
  CHECK(within(1) < 4s);

  // A body that never ends stops at the response cap (1 MiB by default), marked as truncated.
  const Json& endless = replies[2].first;
  CHECK(endless["result"]["structuredContent"]["truncated"] == true);
  CHECK(endless["result"]["structuredContent"]["bytes"] == 1 << 20);
  CHECK(within(2) < 4s);

  // A reset mid-body and a broken chunk size: network errors that say what happened.
  for (const int id : {3, 4}) {
    const Json& reply = replies[id].first;
    CHECK(Session::is_error(reply));
    CHECK_MESSAGE(Session::text_of(reply).find("faults.test") != std::string::npos, reply.dump());
    CHECK(within(id) < 4s);
  }

  // A 10 MiB error body: the status and a bounded excerpt (100 KB of text, 100 KB of body), fast.
  const Json& big = replies[5].first;
  CHECK(Session::is_error(big));
  CHECK(big["result"]["structuredContent"]["status"] == 500);
  CHECK(big["result"]["structuredContent"]["truncated"] == true);
  CHECK(big.dump().size() < 256 * 1024);
  CHECK(within(5) < 4s);

  // Still serving afterwards.
  session.send_call(200, FaultyGateway::url_of("ok"));
  CHECK_FALSE(Session::is_error(session.read_replies(1)[200].first));
}

TEST_CASE("faults: a self-signed certificate on loopback is a clear TLS error") {
  testing::TempDir folder;
  const auto files = testing::write_self_signed_certificate(folder.path());
  httplib::SSLServer server(files.certificate.c_str(), files.private_key.c_str());
  REQUIRE(server.is_valid());
  server.Post("/v1/forward", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"ok":true})", "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) {
    std::this_thread::sleep_for(1ms);
  }

  Session session("https://127.0.0.1:" + std::to_string(port));
  session.send_call(1, FaultyGateway::url_of("ok"));
  const Json reply = session.read_replies(1)[1].first;
  server.stop();
  thread.join();
  CHECK(Session::is_error(reply));
  const std::string text = Session::text_of(reply);
  CHECK_MESSAGE(text.find("TLS") != std::string::npos, text);
  CHECK_MESSAGE(text.find("certificate") != std::string::npos, text);
}

TEST_CASE("faults: an unresolvable host is a clear DNS error") {
  // `unshare --net` runs the binary in an empty network namespace: no DNS packet can leave.
  if (std::system("/usr/bin/unshare --net true >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: creating a network namespace needs root");
    return;
  }
  Session session("https://api.nonexistent-host.invalid", {"/usr/bin/unshare", "--net"});
  session.send_call(1, FaultyGateway::url_of("ok"));
  const Json reply = session.read_replies(1)[1].first;
  CHECK(Session::is_error(reply));
  const std::string text = Session::text_of(reply);
  CHECK_MESSAGE(
      text.find("could not resolve host api.nonexistent-host.invalid") != std::string::npos, text);
}

}  // namespace
}  // namespace lava_mcp
