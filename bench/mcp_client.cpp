// The benchmark's MCP client: spawns one stdio MCP server and times `tools/call` round trips
// from a native client, so that a prompt call and the direct gateway round trip
// (direct_client.cpp) are measured from the same kind of client: the difference is the server,
// not Node's own stdio and JSON costs. The driver (driver.mjs) sends it commands, one JSON
// object per line on stdin, and reads one JSON answer per line on stdout:
//
//   {"op":"initialize"}                                   -> {"pid":P}  (the server's)
//   {"op":"calls","args":{..},"count":N,"concurrency":C,"warmup":W}
//        -> {"lat":[us..],"wall_us":W,"cpu_us":C}   (cpu_us: the server's CPU time, measured phase)
//   {"op":"ping","count":N}                               -> {"lat":[us..]}
//   {"op":"failover","args":{..},"script":{..},"runs":N}
//        -> {"gap":[us..],"whole":[us..],"plain":[us..]}
//   {"op":"first_progress","args":{..},"origin":O,"script":{..},"runs":N,"text_event":K}
//        -> {"first":[us..],"whole":[us..],"notifications":[n..]}
//
// first_progress POSTs `script` (a streamed answer) to O/__script before each call, sends the
// call with a progressToken, and times the first notifications/progress from the instant the
// fake wrote the stream's event K (the first that carries text), as O/__stream_times reports it
// on the same clock (steady_clock is CLOCK_MONOTONIC on Linux, one clock for every process);
// `whole` is the call from that event to its answer.
//
// failover needs --proxy-to ORIGIN: the server is then started with LAVA_API_URL pointing at a
// pass-through proxy in this process that records the instant it has handed a failure (a 5xx,
// or a connection cut mid-body) to the server; `gap` is from that instant to the MCP answer,
// `whole` the whole call, `plain` an unscripted call through the proxy. Before each scripted
// call `script` is POSTed to ORIGIN/__script (the fake gateway's scripting).
//
//   mcp_client [--proxy-to http://127.0.0.1:PORT] -- COMMAND [ARG]...
// Built by bench/run.sh; loopback only. Any failure ends the process with a message on stderr.
#include <fcntl.h>
#include <httplib.h>
#include <spawn.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message) {
  std::cerr << "mcp_client: " << message << "\n";
  std::exit(1);
}

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// The server process and its two pipes; lines in, lines out.
class Server {
 public:
  Server(const std::vector<std::string>& command, const std::vector<std::string>& extra_env) {
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) die("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    std::vector<std::string> env_strings(extra_env);
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);  // extras win
    std::vector<char*> env;
    for (auto& s : env_strings) env.push_back(s.data());
    env.push_back(nullptr);
    std::vector<std::string> args_strings(command);
    std::vector<char*> args;
    for (auto& s : args_strings) args.push_back(s.data());
    args.push_back(nullptr);
    if (posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), env.data()) != 0) {
      die("cannot start " + command[0]);
    }
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~Server() {
    ::close(to_);  // EOF: the server exits
    int status = 0;
    ::waitpid(pid_, &status, 0);
    ::close(from_);
  }

  void send(const std::string& line) {
    std::string_view rest = line;
    while (!rest.empty()) {
      const ssize_t n = ::write(to_, rest.data(), rest.size());
      if (n <= 0) die("the server closed its stdin");
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Blocks for the next chunk; returns its complete lines and the instant it arrived.
  Clock::time_point read_lines(std::vector<std::string>& lines) {
    lines.clear();
    while (lines.empty()) {
      char chunk[65536];
      const ssize_t n = ::read(from_, chunk, sizeof chunk);
      const auto at = Clock::now();  // before any parsing
      if (n <= 0) die("the server closed its stdout");
      buffer_.append(chunk, static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
        lines.emplace_back(buffer_, start, nl - start);
      }
      buffer_.erase(0, start);
      if (!lines.empty()) return at;
    }
    return Clock::now();
  }

  pid_t pid() const { return pid_; }

  // User + system CPU time of the server so far, in microseconds.
  double cpu_us() const {
    std::ifstream file("/proc/" + std::to_string(pid_) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 0; i < 13 && fields >> field; ++i) {
      if (i >= 11) ticks += std::stod(field);  // utime, stime
    }
    return ticks * 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }

 private:
  pid_t pid_ = 0;
  int to_ = -1;
  int from_ = -1;
  std::string buffer_;
};

std::string request(long id, std::string_view method, const Json& params) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump() + "\n";
}

// Keeps `concurrency` requests in flight until `count` have been answered; each latency runs
// from writing the request to the arrival of the chunk holding its answer.
struct Load {
  std::vector<double> lat;
  Clock::time_point last_at;  // when the last answer arrived
  Json last_result;
};
Load run_load(Server& server, long& next_id, std::string_view method, const Json& params, int count,
              int concurrency) {
  std::map<long, Clock::time_point> in_flight;
  Load load;
  load.lat.reserve(static_cast<std::size_t>(count));
  int issued = 0;
  const auto issue = [&] {
    const long id = ++next_id;
    const std::string line = request(id, method, params);
    in_flight[id] = Clock::now();
    server.send(line);
    ++issued;
  };
  while (issued < std::min(count, concurrency)) issue();
  std::vector<std::string> lines;
  while (!in_flight.empty()) {
    const auto at = server.read_lines(lines);
    for (const auto& line : lines) {
      Json msg = Json::parse(line, nullptr, false);
      if (!msg.is_object() || !msg.contains("id") || !msg["id"].is_number_integer())
        continue;  // notifications
      const auto found = in_flight.find(msg["id"].get<long>());
      if (found == in_flight.end()) continue;
      if (!msg.contains("result") || msg["result"].value("isError", false)) {
        die(std::string(method) + " failed: " + line.substr(0, 600));
      }
      load.lat.push_back(micros(at - found->second));
      load.last_at = at;
      load.last_result = std::move(msg["result"]);
      in_flight.erase(found);
      if (issued < count) issue();
    }
  }
  return load;
}

bool named(const std::string& name, std::initializer_list<const char*> names) {  // HTTP: any case
  for (const char* candidate : names) {
    if (::strcasecmp(name.c_str(), candidate) == 0) return true;
  }
  return false;
}

Json call_params(const Json& args) { return {{"name", "prompt"}, {"arguments", args}}; }

// One prompt call with a progress token: when its first progress and its answer arrived, and
// how many notifications came.
struct ProgressCall {
  Clock::time_point first_progress{};
  Clock::time_point answered{};
  int notifications = 0;
};
ProgressCall call_with_progress(Server& server, long& next_id, const Json& args) {
  const long id = ++next_id;
  Json params = call_params(args);
  params["_meta"] = {{"progressToken", "bench-" + std::to_string(id)}};
  server.send(request(id, "tools/call", params));
  ProgressCall call;
  std::vector<std::string> lines;
  while (call.answered == Clock::time_point{}) {
    const auto at = server.read_lines(lines);
    for (const auto& line : lines) {
      const Json msg = Json::parse(line, nullptr, false);
      if (msg.value("method", "") == "notifications/progress") {
        if (call.notifications++ == 0) call.first_progress = at;
      } else if (msg.value("id", Json()) == id) {
        if (!msg.contains("result") || msg["result"].value("isError", false)) {
          die("prompt failed: " + line.substr(0, 600));
        }
        call.answered = at;
      }
    }
  }
  if (call.notifications == 0) die("no progress notification for a streamed answer");
  return call;
}

Json first_progress(Server& server, long& next_id, const Json& cmd) {
  httplib::Client fake(cmd.value("origin", ""));
  const std::size_t text_event = cmd.value("text_event", 0);
  Json first = Json::array();
  Json whole = Json::array();
  Json notifications = Json::array();
  for (int run = 0; run < cmd.value("runs", 0); ++run) {
    auto scripted = fake.Post("/__script", cmd["script"].dump(), "application/json");
    if (!scripted || scripted->status != 200) die("POST /__script failed");
    const ProgressCall call = call_with_progress(server, next_id, cmd["args"]);
    auto times = fake.Get("/__stream_times");
    if (!times || times->status != 200) die("GET /__stream_times failed");
    const Json event_ns = Json::parse(times->body)["event_ns"];
    if (event_ns.size() <= text_event) die("the stream had no event " + std::to_string(text_event));
    const Clock::time_point written{
        std::chrono::nanoseconds(event_ns[text_event].get<long long>())};
    first.push_back(micros(call.first_progress - written));
    whole.push_back(micros(call.answered - written));
    notifications.push_back(call.notifications);
  }
  return {{"first", first}, {"whole", whole}, {"notifications", notifications}};
}

// A pass-through proxy to the fake gateway that notes when it has handed the server a failure.
class FailureProxy {
 public:
  explicit FailureProxy(std::string upstream) : upstream_(std::move(upstream)) {
    server_.set_tcp_nodelay(true);
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server_.Post(
        ".*", [this](const httplib::Request& req, httplib::Response& res) { forward(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FailureProxy() {
    server_.stop();
    thread_.join();
  }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void reset() { failed_at_ = Clock::time_point{}; }
  std::optional<Clock::time_point> failed_at() const {
    const auto at = failed_at_.load();
    return at == Clock::time_point{} ? std::nullopt : std::optional(at);
  }

 private:
  void forward(const httplib::Request& req, httplib::Response& res) {
    thread_local httplib::Client client(upstream_);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    httplib::Headers headers;
    for (const auto& [name, value] : req.headers) {
      // httplib adds REMOTE_* and LOCAL_* pseudo-headers to what it received; and its client
      // would inflate a compressed answer behind the server's back, so ask for none.
      if (!named(name, {"host", "content-length", "content-type", "accept-encoding"}) &&
          name.find('_') == std::string::npos) {
        headers.emplace(name, value);
      }
    }
    auto up = client.Post(req.target, headers, req.body, req.get_header_value("Content-Type"));
    if (!up) {  // the fake cut the connection: cut ours the same way, mid-body
      res.set_content_provider(
          1000, "application/json", [this](std::size_t, std::size_t, httplib::DataSink&) {
            failed_at_ = Clock::now();  // the connection closes as this returns
            return false;
          });
      return;
    }
    res.status = up->status;
    for (const auto& [name, value] : up->headers) {
      if (!named(name, {"content-length", "content-type", "transfer-encoding", "connection",
                        "keep-alive"})) {
        res.headers.emplace(name, value);
      }
    }
    if (up->status < 500) {
      res.set_content(up->body, up->get_header_value("Content-Type"));
      return;
    }
    // Through a provider so the instant is taken after the last byte was written.
    auto body = std::make_shared<std::string>(std::move(up->body));
    res.set_content_provider(
        body->size(), up->get_header_value("Content-Type"),
        [this, body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          sink.write(body->data() + offset, length);
          if (offset + length >= body->size()) failed_at_ = Clock::now();
          return true;
        });
  }

  std::string upstream_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<Clock::time_point> failed_at_{};
};

}  // namespace

int main(int argc, char** argv) {
  std::string proxy_to;
  int i = 1;
  for (; i < argc && std::strcmp(argv[i], "--") != 0; ++i) {
    if (std::strcmp(argv[i], "--proxy-to") == 0 && i + 1 < argc) proxy_to = argv[++i];
  }
  if (i + 1 >= argc) die("usage: mcp_client [--proxy-to ORIGIN] -- COMMAND [ARG]...");
  const std::vector<std::string> command(argv + i + 1, argv + argc);

  std::optional<FailureProxy> proxy;
  std::vector<std::string> extra_env;
  if (!proxy_to.empty()) {
    proxy.emplace(proxy_to);
    extra_env.push_back("LAVA_API_URL=" + proxy->origin());
  }
  Server server(command, extra_env);
  long next_id = 0;
  std::string line;
  while (std::getline(std::cin, line)) {
    const Json cmd = Json::parse(line, nullptr, false);
    const std::string op = cmd.is_object() ? cmd.value("op", "") : "";
    Json answer;
    if (op == "initialize") {
      run_load(server, next_id, "initialize",
               {{"protocolVersion", "2025-06-18"},
                {"capabilities", Json::object()},
                {"clientInfo", {{"name", "lava-bench"}, {"version", "1"}}}},
               1, 1);
      server.send(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}.dump() + "\n");
      answer = {{"pid", server.pid()}};
    } else if (op == "calls") {
      const Json params = call_params(cmd["args"]);
      const int concurrency = cmd.value("concurrency", 1);
      run_load(server, next_id, "tools/call", params, cmd.value("warmup", 0), concurrency);
      const double cpu0 = server.cpu_us();
      const auto t0 = Clock::now();
      const auto load =
          run_load(server, next_id, "tools/call", params, cmd.value("count", 0), concurrency);
      answer = {{"lat", load.lat},
                {"wall_us", micros(Clock::now() - t0)},
                {"cpu_us", server.cpu_us() - cpu0}};
    } else if (op == "ping") {
      answer = {
          {"lat", run_load(server, next_id, "ping", Json::object(), cmd.value("count", 0), 1).lat}};
    } else if (op == "first_progress") {
      answer = first_progress(server, next_id, cmd);
    } else if (op == "failover" && proxy) {
      const Json params = call_params(cmd["args"]);
      httplib::Client fake(proxy_to);
      std::vector<double> gap;
      std::vector<double> whole;
      const int runs = cmd.value("runs", 0);
      const auto plain = run_load(server, next_id, "tools/call", params, runs, 1).lat;
      for (int run = 0; run < runs; ++run) {
        auto scripted = fake.Post("/__script", cmd["script"].dump(), "application/json");
        if (!scripted || scripted->status != 200) die("POST /__script failed");
        proxy->reset();
        const auto t0 = Clock::now();
        const auto load = run_load(server, next_id, "tools/call", params, 1, 1);
        const auto failed = proxy->failed_at();
        if (!failed) die("the proxy saw no failure");
        const Json served = load.last_result.value("structuredContent", Json::object())
                                .value("routing", Json::object())
                                .value("served_by", Json::object());
        if (served.value("attempt", 0) != 2)
          die("not served by the fallback: " + load.last_result.dump());
        gap.push_back(micros(load.last_at - *failed));
        whole.push_back(micros(load.last_at - t0));
      }
      answer = {{"gap", gap}, {"whole", whole}, {"plain", plain}};
    } else {
      die("unknown command: " + line);
    }
    std::cout << answer.dump() << std::endl;
  }
  return 0;
}
