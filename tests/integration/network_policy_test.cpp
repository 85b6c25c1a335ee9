// What the installed binary fetches on behalf of untrusted URLs (docs pages and their redirects)
// and how name resolution fits the budgets: loopback fakes, and private network namespaces with
// a loopback resolver that never answers or answers late.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/built_binaries.h"
#include "platform/socket.h"
#include "support/fake_upstream.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace lava_mcp {
namespace {

using Json = nlohmann::json;
using testing::FakeUpstream;
using testing::Subprocess;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Run {
  std::string out;
  std::string err;
  Clock::duration took{};
};

Run run_tool(const std::string& tool, const Json& args,
             const std::map<std::string, std::string>& env, std::vector<std::string> prefix = {}) {
  prefix.insert(prefix.end(), {testing::installed_binary(), "call", tool, "--args", args.dump()});
  const auto started = Clock::now();
  Subprocess process(prefix, env);
  process.close_stdin();
  Run result;
  while (auto line = process.read_line(30s)) {
    result.out += *line + "\n";
  }
  process.wait(10s);
  result.took = Clock::now() - started;
  result.err = process.stderr_text();
  return result;
}

// Lava's catalog names the docs page of provider "acme"; the docs site redirects as told; the
// target counts what reaches it.
struct DocsWorld {
  DocsWorld() {
    api.routes().Get(R"(/v1/services/providers/acme)", [this](const httplib::Request&,
                                                              httplib::Response& res) {
      res.set_content(Json{{"id", "acme"}, {"label", "Acme"}, {"api_reference", docs_url}}.dump(),
                      "application/json");
    });
    site.routes().Get("/page", [this](const httplib::Request&, httplib::Response& res) {
      ++page_hits;
      res.set_content("# Acme docs from the site\n", "text/markdown");
    });
    site.routes().Get("/to", [](const httplib::Request& req, httplib::Response& res) {
      res.set_redirect(req.get_param_value("u"));
    });
    target.routes().Get(".*", [this](const httplib::Request&, httplib::Response& res) {
      ++target_hits;
      res.set_content("# internal admin page\n", "text/markdown");
    });
  }
  Run docs(bool allow_loopback) {
    return run_tool("get_provider_docs", {{"provider", "acme"}},
                    {{"LAVA_API_URL", api.base_url()},
                     {"LAVA_MCP_HOME", home.path()},
                     {"LAVA_MCP_ALLOW_LOOPBACK_FETCH", allow_loopback ? "1" : "0"}});
  }
  std::string redirect_to(const std::string& location) const {
    return site.base_url() + "/to?u=" + httplib::detail::encode_query_param(location);
  }
  FakeUpstream api;
  FakeUpstream site;
  FakeUpstream target;
  std::string docs_url;
  std::atomic<int> page_hits{0};
  std::atomic<int> target_hits{0};
  testing::TempDir home;
};

TEST_CASE("network: get_provider_docs never requests a non-public or plain-http hop") {
  DocsWorld world;
  const std::string port = std::to_string(world.target.port());

  // Without the knob a loopback docs page is not fetched at all.
  world.docs_url = world.site.base_url() + "/page";
  const Run plain = world.docs(false);
  CHECK_MESSAGE(plain.out.find("offline summary") != std::string::npos, plain.out << plain.err);
  CHECK(world.page_hits == 0);

  // With it, the loopback page is fetched, but a redirect to 0.0.0.0 (this host, not loopback
  // by address) or to plain http elsewhere is refused before it is requested.
  for (const std::string& location :
       {"http://0.0.0.0:" + port + "/admin", "http://10.9.9.9:" + port + "/admin",
        "http://[::ffff:169.254.169.254]:" + port + "/admin"}) {
    CAPTURE(location);
    world.docs_url = world.redirect_to(location);
    const Run redirected = world.docs(true);
    CHECK_MESSAGE(redirected.out.find("offline summary") != std::string::npos, redirected.out);
    CHECK(redirected.out.find("internal admin page") == std::string::npos);
  }
  CHECK(world.target_hits == 0);

  world.docs_url = world.site.base_url() + "/page";
  const Run allowed = world.docs(true);
  CHECK_MESSAGE(allowed.out.find("Acme docs from the site") != std::string::npos,
                allowed.out << allowed.err);
  CHECK(world.page_hits == 1);
}

// A private network namespace whose /etc/resolv.conf names a resolver on its own loopback
// (`ip netns exec` binds /etc/netns/<name>/resolv.conf over it).
class ResolverNamespace {
 public:
  enum class Mode { kSilent, kLate };
  explicit ResolverNamespace(Mode mode) : name_("lava-mcp-dns-" + std::to_string(::getpid())) {
    std::system(("ip netns delete " + name_ + " >/dev/null 2>&1").c_str());
    ok_ = std::system(
              ("ip netns add " + name_ + " && ip -n " + name_ + " link set lo up").c_str()) == 0;
    if (!ok_) {
      return;
    }
    std::filesystem::create_directories("/etc/netns/" + name_);
    std::ofstream("/etc/netns/" + name_ + "/resolv.conf") << "nameserver 127.0.0.1\n";
    const int ns = ::open(("/run/netns/" + name_).c_str(), O_RDONLY | O_CLOEXEC);
    std::atomic<bool> bound{false};
    resolver_ = std::thread([this, ns, mode, &bound] { serve(ns, mode, bound); });
    while (!bound) {
      std::this_thread::sleep_for(5ms);
    }
  }
  ~ResolverNamespace() {
    stopping_ = true;
    if (resolver_.joinable()) {
      resolver_.join();
    }
    if (ok_) {
      std::system(("ip netns delete " + name_).c_str());
      std::filesystem::remove_all("/etc/netns/" + name_);
    }
  }
  bool ok() const { return ok_ && udp_ >= 0; }
  std::vector<std::string> prefix() const { return {"/usr/sbin/ip", "netns", "exec", name_}; }

 private:
  // Silent: reads queries and drops them. Late: answers each, 8 s after it came, "no such name".
  // Both outlast every budget by seconds, so the bounds below leave room for a loaded machine.
  void serve(int ns, Mode mode, std::atomic<bool>& bound) {
    if (ns >= 0 && ::setns(ns, CLONE_NEWNET) == 0) {  // this thread only
      udp_ = platform::open_socket(AF_INET, SOCK_DGRAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(53);
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      if (::bind(udp_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(udp_);
        udp_ = -1;
      }
    }
    if (ns >= 0) {
      ::close(ns);
    }
    bound = true;
    struct Pending {
      Clock::time_point due;
      std::string packet;
      sockaddr_in from;
    };
    std::deque<Pending> pending;
    while (!stopping_ && udp_ >= 0) {
      pollfd fd{udp_, POLLIN, 0};
      if (::poll(&fd, 1, 20) > 0) {
        char buffer[512];
        sockaddr_in from{};
        socklen_t length = sizeof from;
        const auto n =
            ::recvfrom(udp_, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &length);
        if (n >= 12 && mode == Mode::kLate) {
          std::string reply(buffer, static_cast<std::size_t>(n));
          reply[2] = static_cast<char>(0x81);  // a response, recursion desired
          reply[3] = static_cast<char>(0x83);  // recursion available, NXDOMAIN
          pending.push_back({Clock::now() + 8s, reply, from});
        }
      }
      while (!pending.empty() && pending.front().due <= Clock::now()) {
        const Pending& due = pending.front();
        ::sendto(udp_, due.packet.data(), due.packet.size(), 0,
                 reinterpret_cast<const sockaddr*>(&due.from), sizeof due.from);
        pending.pop_front();
      }
    }
    if (udp_ >= 0) {
      ::close(udp_);
    }
  }

  std::string name_;
  bool ok_ = false;
  int udp_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread resolver_;
};

TEST_CASE("network: a resolver that never answers or answers after 8 s stays inside every budget") {
  if (::geteuid() != 0 || std::system("ip netns list >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: network namespaces need root and iproute2");
    return;
  }
  for (const auto mode : {ResolverNamespace::Mode::kSilent, ResolverNamespace::Mode::kLate}) {
    const std::string resolver = mode == ResolverNamespace::Mode::kSilent ? "silent" : "late";
    CAPTURE(resolver);
    ResolverNamespace ns(mode);
    REQUIRE(ns.ok());
    testing::TempDir home;
    const std::map<std::string, std::string> env = {
        {"LAVA_API_URL", "http://api.lava-mcp-test.internal:8080"},
        {"LAVA_SPEND_KEY", "lava_sk_dns0123456789abcdef"},
        {"LAVA_MCP_HOME", home.path()}};
    // search: the live catalog's 3 s budget includes the lookup; then the embedded catalog.
    const Run search = run_tool("search", {{"query", "web search"}}, env, ns.prefix());
    CHECK_MESSAGE(search.out.find("serper") != std::string::npos, search.out << search.err);
    CHECK(search.took < 6s);  // 3 s budget; the resolver alone takes 8 s or more
    // prompt: the attempt's timeout_ms (its idle limit) bounds the lookup too.
    const Run prompt = run_tool("prompt",
                                {{"model", "gpt-4o-mini"},
                                 {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                 {"timeout_ms", 2000}},
                                env, ns.prefix());
    CHECK_MESSAGE(prompt.out.find("within 2000 ms") != std::string::npos, prompt.out << prompt.err);
    CHECK(prompt.took < 6s);  // 2 s timeout_ms; likewise
  }
}

}  // namespace
}  // namespace lava_mcp
