// The login flow of the installed binary under attack from the same machine (issue 14, items 3,
// 4, 5 and 7): a flooding client and slow clients at the callback listener, a wrong state and
// HEAD, the browser's argv and environment, and a code exchange that never answers at shutdown.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "integration/built_binaries.h"
#include "platform/socket.h"
#include "support/fake_lava.h"
#include "support/loopback_socket.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeLava;
using testing::Subprocess;
using namespace std::chrono_literals;

struct Server {
  enum class Era { kLegacy, kModern };  // kModern: no initialize; each request carries its _meta
  Server(const FakeLava& lava, const std::string& home, std::map<std::string, std::string> extra,
         Era era = Era::kLegacy)
      : process({testing::installed_binary()}, environment(lava, home, std::move(extra))) {
    if (era == Era::kModern) {
      return;
    }
    request("initialize", {{"protocolVersion", "2025-11-25"},
                           {"capabilities", Json::object()},
                           {"clientInfo", {{"name", "t"}, {"version", "1"}}}});
  }
  static std::map<std::string, std::string> environment(const FakeLava& lava,
                                                        const std::string& home,
                                                        std::map<std::string, std::string> extra) {
    extra.emplace("LAVA_API_URL", lava.origin());
    extra.emplace("LAVA_APP_URL", lava.origin());
    extra.emplace("LAVA_MCP_HOME", home);
    return extra;
  }
  void send(const std::string& method, const Json& params) {
    process.write(
        Json{{"jsonrpc", "2.0"}, {"id", ++last_id}, {"method", method}, {"params", params}}.dump() +
        "\n");
  }
  Json request(const std::string& method, const Json& params) {
    send(method, params);
    for (;;) {
      const auto line = process.read_line(30s);
      REQUIRE_MESSAGE(line.has_value(), "stderr: " << process.stderr_text());
      const Json message = Json::parse(*line);
      if (message.value("id", Json()) == last_id) {
        return message;
      }
    }
  }
  Json login(const Json& arguments) {
    const Json reply = request("tools/call", {{"name", "login"}, {"arguments", arguments}});
    REQUIRE_MESSAGE(reply.contains("result"), reply.dump());
    return reply["result"];
  }
  Subprocess process;
  int last_id = 0;
};

struct PendingLogin {
  std::string url;
  std::string state;
  int port = 0;
};

PendingLogin pending_login(Server& server) {
  const Json result = server.login({{"wait_seconds", 0}});
  REQUIRE_MESSAGE(result["structuredContent"]["status"] == "pending", result.dump());
  PendingLogin login;
  login.url = result["structuredContent"]["login_url"];
  login.state = login.url.substr(login.url.find("state=") + 6, 32);
  login.port = std::stoi(login.url.substr(login.url.find("&port=") + 6));
  return login;
}

// Sends `head`, then up to `filler` bytes of 'a', until the listener stops taking them.
void flood(int port, const std::string& head, std::size_t filler) {
  const int fd = testing::connect_loopback(port);
  const std::string chunk(1 << 20, 'a');
  bool open = ::send(fd, head.data(), head.size(), platform::kSendFlags) > 0;
  for (std::size_t sent = 0; open && sent < filler; sent += chunk.size()) {
    open = ::send(fd, chunk.data(), chunk.size(), platform::kSendFlags) ==
           static_cast<ssize_t>(chunk.size());
  }
  ::close(fd);
}

// The peak resident set of a process, in KiB (VmHWM).
long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

// Follows the login URL through the fake app, which redirects to the callback with a fresh code:
// the user's browser. Status of the callback's answer, or -1 when none came within `patience`.
int click_through(const FakeLava& lava, const PendingLogin& login, std::chrono::seconds patience) {
  httplib::Client browser(lava.origin());
  browser.set_follow_location(true);
  browser.set_connection_timeout(patience);
  browser.set_read_timeout(patience);
  browser.set_write_timeout(patience);
  const auto answer = browser.Get(login.url.substr(lava.origin().size()));
  return answer ? answer->status : -1;
}

// The flow may be reported to this call (authenticated) or already be stored (already_...).
void signed_in(Server& server, const FakeLava& lava, const std::string& home) {
  const Json done = server.login({{"wait_seconds", 20}});
  const std::string status = done["structuredContent"].value("status", "");
  CHECK_MESSAGE((status == "authenticated" || status == "already_authenticated"), done.dump());
  CHECK(lava.exchanges == 1);
  CHECK(std::filesystem::exists(home + "/credentials.json"));
}

TEST_CASE(
    "login binary: floods and slow clients at the callback listener - memory stays small, "
    "the real callback is answered at once") {
  FakeLava lava;
  testing::TempDir home;
  Server server(lava, home.path(), {{"BROWSER", "none"}});
  const PendingLogin login = pending_login(server);
  const long before = peak_rss_kib(server.process.pid());
  REQUIRE(before > 0);

  constexpr std::size_t kFlood = 128u << 20;
  flood(login.port, "GET /callback?state=", kFlood);  // request line
  flood(login.port, "GET /callback HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ", kFlood);  // headers
  flood(login.port, "POST /callback HTTP/1.1\r\nContent-Length: 134217728\r\n\r\n",
        kFlood);  // body
  const long after = peak_rss_kib(server.process.pid());
  MESSAGE("peak RSS before the floods " << before << " KiB, after " << after << " KiB");
  CHECK(after - before < 32 * 1024);

  // 20 connections that send nothing and 20 that drip a byte every 100 ms.
  std::vector<int> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(testing::connect_loopback(login.port));
  }
  std::atomic<bool> dripping{true};
  std::vector<std::thread> drips;
  for (int i = 0; i < 20; ++i) {
    drips.emplace_back([&dripping, port = login.port] {
      const int fd = testing::connect_loopback(port);
      for (const char* byte = "GET /callback?state=0"; dripping && *byte != '\0'; ++byte) {
        ::send(fd, byte, 1, platform::kSendFlags);
        std::this_thread::sleep_for(100ms);
      }
      ::close(fd);
    });
  }
  std::this_thread::sleep_for(200ms);
  CHECK(click_through(lava, login, 3s) == 200);  // httplib's Server: 25 s behind the slow ones
  dripping = false;
  for (auto& drip : drips) {
    drip.join();
  }
  for (const int fd : idle) {
    ::close(fd);
  }
  signed_in(server, lava, home.path());
}

TEST_CASE(
    "login binary: a wrong state and HEAD with the right state do not end the flow, and the "
    "right GET completes it") {
  FakeLava lava;
  testing::TempDir home;
  Server server(lava, home.path(), {{"BROWSER", "none"}});
  const PendingLogin login = pending_login(server);
  httplib::Client attacker("127.0.0.1", login.port);
  attacker.set_read_timeout(5s);
  const auto wrong = attacker.Get("/callback?state=" + std::string(32, '0') + "&code=code-77");
  REQUIRE(wrong);
  CHECK(wrong->status == 400);
  const auto head = attacker.Head("/callback?state=" + login.state + "&code=code-78");
  REQUIRE(head);
  CHECK(head->status == 405);
  CHECK(lava.exchanges == 0);
  const Json still = server.login({{"wait_seconds", 0}});
  CHECK_MESSAGE(still["structuredContent"]["status"] == "pending", still.dump());
  CHECK(still["structuredContent"]["login_url"] == login.url);  // the same flow, joined

  CHECK(click_through(lava, login, 5s) == 200);
  signed_in(server, lava, home.path());
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST_CASE("login binary: the browser's argv holds no state and its environment no key") {
  FakeLava lava;
  testing::TempDir home;
  testing::TempDir work;
  const std::string record = work.path() + "/browser";
  // Records what the browser process is given (its /proc cmdline, environment, the page's and
  // folder's modes, and whether another user can read the page), then clicks through.
  std::ofstream(work.path() + "/browser.sh")
      << "tr '\\0' '\\n' </proc/$$/cmdline >\"$LAVA_TEST_RECORD.argv\"\n"
         "env >\"$LAVA_TEST_RECORD.env\"\n"
         "page=\"${1#file://}\"\n"
         "stat -c %a \"$page\" \"$(dirname \"$page\")\" >\"$LAVA_TEST_RECORD.modes\"\n"
         "if [ \"$(id -u)\" = 0 ] && command -v setpriv >/dev/null; then\n"
         "  setpriv --reuid=nobody --regid=nogroup --clear-groups cat \"$page\" >/dev/null 2>&1\n"
         "  echo $? >\"$LAVA_TEST_RECORD.other_uid\"\n"
         "fi\n"
         "echo \"$page\" >\"$LAVA_TEST_RECORD.page\"\n"
         "exec /bin/sh '" LAVA_MCP_FOLLOW_URL "' \"$1\"\n";
  Server server(lava, home.path(),
                {{"BROWSER", "/bin/sh " + work.path() + "/browser.sh"},
                 {"LAVA_TEST_RECORD", record},
                 {"LAVA_SECRET_KEY", "aks_test_ENVIRONMENTSECRET0042"},
                 {"LAVA_SPEND_KEY", "lava_sk_ENVIRONMENTSPEND0043"}});
  const Json done = server.login({{"force", true}, {"wait_seconds", 20}});
  REQUIRE_MESSAGE(!done.value("isError", false), done.dump());

  const std::string argv = read_text(record + ".argv");
  MESSAGE("browser argv: " << argv);
  CHECK(argv.find("file://") != std::string::npos);
  CHECK(argv.find("state=") == std::string::npos);
  CHECK(argv.find("/auth/connect") == std::string::npos);
  const std::string env = read_text(record + ".env");
  CHECK(env.find("LAVA_SECRET_KEY") == std::string::npos);
  CHECK(env.find("LAVA_SPEND_KEY") == std::string::npos);
  CHECK(env.find("ENVIRONMENTSECRET") == std::string::npos);
  CHECK(env.find("ENVIRONMENTSPEND") == std::string::npos);
  CHECK(env.find("LAVA_TEST_RECORD=") != std::string::npos);  // the rest is passed on
  CHECK(read_text(record + ".modes") == "600\n700\n");
  if (std::filesystem::exists(record + ".other_uid")) {
    CHECK(read_text(record + ".other_uid") != "0\n");  // nobody cannot read the page
  } else {
    MESSAGE("not root or no setpriv: the second-uid check was skipped");
  }
  std::string page = read_text(record + ".page");
  page.pop_back();
  CHECK_FALSE(std::filesystem::exists(page));  // removed with the flow
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(page).parent_path()));
}

// A modern tools/call of login (spec/mcp.md 12): `capabilities` in its _meta, `retry` merged into
// its params (inputResponses, requestState). The whole reply.
Json modern_login(Server& server, const Json& arguments, const Json& capabilities,
                  const Json& retry = Json::object()) {
  Json params = {{"name", "login"},
                 {"arguments", arguments},
                 {"_meta",
                  {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                   {"io.modelcontextprotocol/clientCapabilities", capabilities}}}};
  params.update(retry);
  return server.request("tools/call", params);
}

PendingLogin login_of(const std::string& url) {
  PendingLogin login;
  login.url = url;
  login.state = url.substr(url.find("state=") + 6, 32);
  login.port = std::stoi(url.substr(url.find("&port=") + 6));
  return login;
}

TEST_CASE("login binary: modern era - MRTR URL elicitation, the BROWSER path and pending") {
  FakeLava lava;
  testing::TempDir home;
  Server server(lava, home.path(), {{"BROWSER", LAVA_MCP_FOLLOW_URL}}, Server::Era::kModern);
  const Json url_client = {{"elicitation", {{"url", Json::object()}}}};
  const Json quick = {{"wait_seconds", 0}};

  // A client with URL elicitation gets input_required carrying the URL; the browser stays shut.
  const Json asked = modern_login(server, quick, url_client)["result"];
  REQUIRE_MESSAGE(asked["resultType"] == "input_required", asked.dump());
  const Json request = asked["inputRequests"]["lava_login"];
  CHECK(request["method"] == "elicitation/create");
  CHECK(request["params"]["mode"] == "url");
  CHECK(request["params"]["url"].get<std::string>().find("state=") != std::string::npos);
  const std::string state = asked["requestState"];
  const Json accepted = {{"lava_login", {{"action", "accept"}}}};

  // Tampered, missing responses, undeclared capability: JSON-RPC errors that spend nothing.
  std::string tampered = state;
  tampered[2] = tampered[2] == 'a' ? 'b' : 'a';
  CHECK(modern_login(server, quick, url_client,
                     {{"inputResponses", accepted}, {"requestState", tampered}})["error"]["code"] ==
        -32602);
  CHECK(modern_login(server, quick, url_client, {{"requestState", state}})["error"]["code"] ==
        -32602);
  const Json undeclared = modern_login(server, quick, Json::object(),
                                       {{"inputResponses", accepted}, {"requestState", state}});
  CHECK(undeclared["error"]["code"] == -32021);
  CHECK(undeclared["error"]["data"]["requiredCapabilities"] == url_client);

  // Accepted but not finished within wait_seconds: pending; a later call joins the same flow.
  const Json retry = {{"inputResponses", accepted}, {"requestState", state}};
  const Json pending = modern_login(server, quick, url_client, retry)["result"];
  REQUIRE_MESSAGE(pending["structuredContent"]["status"] == "pending", pending.dump());
  CHECK(pending["structuredContent"]["login_url"] == request["params"]["url"]);
  CHECK(modern_login(server, quick, url_client, retry)["error"]["code"] == -32602);  // replay
  CHECK(click_through(lava, login_of(request["params"]["url"]), 10s) == 200);
  const Json joined = modern_login(server, {{"wait_seconds", 20}}, url_client)["result"];
  const std::string joined_status = joined["structuredContent"].value("status", "");
  CHECK_MESSAGE((joined_status == "authenticated" || joined_status == "already_authenticated"),
                joined.dump());
  CHECK(lava.exchanges == 1);

  // Without URL elicitation the browser opens (BROWSER) and the same call reports the login.
  const Json by_browser =
      modern_login(server, {{"force", true}, {"wait_seconds", 20}}, Json::object());
  REQUIRE_MESSAGE(by_browser.contains("result"), by_browser.dump());
  CHECK(by_browser["result"]["resultType"] == "complete");
  CHECK(by_browser["result"]["structuredContent"]["status"] == "authenticated");
  CHECK(lava.exchanges == 2);

  // The user signs in before the client retries: the retry reports that flow as authenticated.
  const Json forced = {{"force", true}, {"wait_seconds", 20}};
  const Json again = modern_login(server, forced, url_client)["result"];
  REQUIRE(again["resultType"] == "input_required");
  CHECK(click_through(lava, login_of(again["inputRequests"]["lava_login"]["params"]["url"]), 10s) ==
        200);
  const Json done =
      modern_login(server, forced, url_client,
                   {{"inputResponses", accepted}, {"requestState", again["requestState"]}});
  REQUIRE_MESSAGE(done.contains("result"), done.dump());
  CHECK(done["result"]["resultType"] == "complete");
  CHECK(done["result"]["structuredContent"]["status"] == "authenticated");
  CHECK(lava.exchanges == 3);

  // Declined in the client: the flow ends and nothing is stored by it.
  const Json ask_declined = modern_login(server, {{"force", true}}, url_client)["result"];
  const Json declined = modern_login(server, {{"force", true}}, url_client,
                                     {{"inputResponses", {{"lava_login", {{"action", "decline"}}}}},
                                      {"requestState", ask_declined["requestState"]}})["result"];
  CHECK(declined["isError"] == true);
  CHECK(declined["content"][0]["text"].get<std::string>().find("declined") != std::string::npos);
  CHECK(lava.exchanges == 3);
}

// At stdin EOF the login call is a call in flight like any other: it runs to its own end (tools.md
// 4), so only the signals are shutdown here.
TEST_CASE("login binary: a code exchange that never answers is cancelled at shutdown") {
  for (const int signal : {SIGTERM, SIGINT}) {
    CAPTURE(signal);
    FakeLava lava;
    lava.exchange_hangs = true;
    testing::TempDir home;
    Server server(lava, home.path(), {{"BROWSER", LAVA_MCP_FOLLOW_URL}});
    server.send("tools/call", {{"name", "login"}, {"arguments", {{"wait_seconds", 60}}}});
    for (int i = 0; i < 400 && lava.exchanges == 0; ++i) {
      std::this_thread::sleep_for(50ms);
    }
    REQUIRE(lava.exchanges == 1);  // the exchange is in flight and will not be answered
    server.process.signal(signal);
    CHECK(server.process.wait(2s) == 0);  // before: the exchange's 30 s timeout
  }
}

}  // namespace
}  // namespace lava_mcp
