// The benchmark's baseline: the direct gateway round trip. It POSTs one already-translated
// request to the fake gateway `count` times with `concurrency` keep-alive connections
// (cpp-httplib, TCP_NODELAY, one thread per connection) and prints every latency in
// microseconds as JSON: {"wall_us": W, "lat": [...]}. Warm-up requests are not recorded.
// A C++ client, so the baseline is as cheap as a client can be and every server's overhead is
// measured against the same floor. Built by bench/run.sh; loopback only.
//
//   direct_client PORT PATH BODY_FILE COUNT CONCURRENCY WARMUP [NAME: VALUE]...
#include <httplib.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr
        << "usage: direct_client PORT PATH BODY_FILE COUNT CONCURRENCY WARMUP [NAME: VALUE]...\n";
    return 2;
  }
  const int port = std::atoi(argv[1]);
  const std::string path = argv[2];
  std::ifstream file(argv[3], std::ios::binary);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string body = buffer.str();
  const int count = std::atoi(argv[4]);
  const int concurrency = std::max(1, std::atoi(argv[5]));
  const int warmup = std::atoi(argv[6]);
  httplib::Headers headers;
  for (int i = 7; i < argc; ++i) {
    const std::string h = argv[i];
    const auto colon = h.find(':');
    if (colon == std::string::npos) continue;
    const auto value = h.find_first_not_of(' ', colon + 1);
    headers.emplace(h.substr(0, colon), value == std::string::npos ? "" : h.substr(value));
  }

  // Each thread keeps one connection for the warm-up and the measured requests; a barrier
  // separates the two phases so the measured ones all start warm.
  std::atomic<int> next_warm{0};
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(count));
  std::barrier sync(concurrency + 1);
  const auto worker = [&] {
    httplib::Client client("127.0.0.1", port);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_read_timeout(30, 0);
    const auto post = [&]() -> bool {
      auto res = client.Post(path, headers, body, "application/json");
      if (res && res->status == 200) return true;
      std::cerr << "direct_client: "
                << (res ? "HTTP " + std::to_string(res->status) + " " + res->body
                        : httplib::to_string(res.error()))
                << "\n";
      failed = true;
      return false;
    };
    while (!failed && next_warm.fetch_add(1) < warmup) post();
    sync.arrive_and_wait();  // warm-up done everywhere
    sync.arrive_and_wait();  // the clock has started
    std::vector<double> mine;
    while (!failed && next.fetch_add(1) < count) {
      const auto t0 = std::chrono::steady_clock::now();
      if (!post()) break;
      mine.push_back(
          std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
    std::lock_guard lock(mutex);
    latencies.insert(latencies.end(), mine.begin(), mine.end());
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < concurrency; ++i) threads.emplace_back(worker);
  sync.arrive_and_wait();
  const auto start = std::chrono::steady_clock::now();
  sync.arrive_and_wait();
  for (auto& t : threads) t.join();
  const double wall =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  if (failed) return 1;
  std::printf("{\"wall_us\":%.1f,\"lat\":[", wall);
  for (std::size_t i = 0; i < latencies.size(); ++i)
    std::printf(i ? ",%.1f" : "%.1f", latencies[i]);
  std::printf("]}\n");
  return 0;
}
