// CurlHttpClient's streaming read (HttpRequest::stream): chunks as they arrive, the idle limit,
// the reader stopping the transfer, cancellation inside a stream, and the byte cap.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "gateway/curl_http_client.h"
#include "support/fake_upstream.h"
#include "support/http_requests.h"

namespace lava_mcp::gateway {
namespace {

using testing::FakeUpstream;
using testing::stream_get;
using testing::StreamCollector;
using namespace std::chrono_literals;

// A chunked body of `events` pieces, `gap` apart; `written` counts the pieces the peer took.
void serve_trickle(FakeUpstream& upstream, int events, std::chrono::milliseconds gap,
                   std::atomic<int>& written, const std::string& type = "text/event-stream") {
  upstream.routes().Get(
      "/stream", [events, gap, &written, type](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider(
            type, [events, gap, &written](std::size_t, httplib::DataSink& sink) {
              for (int i = 0; i < events; ++i) {
                const std::string piece = "data: " + std::to_string(i) + "\n\n";
                if (!sink.write(piece.data(), piece.size())) {
                  return false;
                }
                ++written;
                std::this_thread::sleep_for(gap);
              }
              sink.done();
              return true;
            });
      });
}

TEST_CASE("http stream: chunks arrive one by one, not in HttpResponse::body") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 5, 30ms, written);
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  CurlHttpClient client;
  auto response = client.send(stream_get(upstream.base_url() + "/stream", stream), {});
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->body.empty());
  CHECK(collected.heads == 1);
  CHECK(collected.content_type == "text/event-stream");
  CHECK(collected.chunks.size() >= 2);  // the pieces came 30 ms apart, not as one body
  CHECK(collected.joined() == "data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n");
}

TEST_CASE("http stream: a body the reader declines is collected whole as before") {
  FakeUpstream upstream;
  upstream.routes().Get("/stream", [](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_content(R"({"error":"busy"})", "application/json");
  });
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  CurlHttpClient client;
  auto response = client.send(stream_get(upstream.base_url() + "/stream", stream), {});
  REQUIRE(response);
  CHECK(collected.heads == 1);
  CHECK(collected.status == 503);
  CHECK(collected.chunks.empty());
  CHECK(response->body == R"({"error":"busy"})");
}

TEST_CASE("http stream: a peer silent past the idle limit is a timeout naming the stall") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 3, 3s, written);  // one event, then 3 s of silence
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(upstream.base_url() + "/stream", stream);
  request.idle_timeout = 300ms;
  CurlHttpClient client;
  auto response = client.send(request, {});
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "timeout");
  CHECK(response.error().message.find("stalled: nothing more for 300 ms") != std::string::npos);
  CHECK(collected.joined() == "data: 0\n\n");
}

TEST_CASE("http stream: a trickle that never pauses for the idle limit is not idle") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 6, 50ms, written);
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(upstream.base_url() + "/stream", stream);
  request.idle_timeout = 2s;
  CurlHttpClient client;
  auto response = client.send(request, {});
  REQUIRE(response);
  CHECK(collected.joined().size() == 6 * 9);
}

TEST_CASE("http stream: the reader stops the transfer and nothing more is read") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 200, 10ms, written);
  int seen = 0;
  const BodyStream stream{[](const HttpResponse&) { return true; },
                          [&seen](std::string_view) { return ++seen < 2; }};
  CurlHttpClient client;
  auto response = client.send(stream_get(upstream.base_url() + "/stream", stream), {});
  REQUIRE(response);
  CHECK(response->stopped_by_reader);
  CHECK(seen == 2);
  CHECK(written.load() < 200);  // the connection closed; the peer's writes failed
}

TEST_CASE("http stream: cancellation inside a stream aborts it and reads no more") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 1000, 20ms, written);
  std::stop_source stop;
  int after_stop = 0;
  const BodyStream stream{[](const HttpResponse&) { return true; },
                          [&](std::string_view) {
                            after_stop += stop.stop_requested() ? 1 : 0;
                            return true;
                          }};
  std::thread canceller([&] {
    std::this_thread::sleep_for(150ms);
    stop.request_stop();
  });
  CurlHttpClient client;
  auto response =
      client.send(stream_get(upstream.base_url() + "/stream", stream), stop.get_token());
  canceller.join();
  REQUIRE_FALSE(response);
  CHECK(failure_kind_of(response.error()) == "cancelled");
  CHECK(after_stop == 0);
  CHECK(written.load() < 1000);
}

TEST_CASE("http stream: the bytes handed over are capped by max_response_bytes") {
  FakeUpstream upstream;
  std::atomic<int> written{0};
  serve_trickle(upstream, 100, 1ms, written);
  StreamCollector collected;
  const BodyStream stream = collected.stream();
  HttpRequest request = stream_get(upstream.base_url() + "/stream", stream);
  request.max_response_bytes = 100;
  CurlHttpClient client;
  auto response = client.send(request, {});
  REQUIRE(response);
  CHECK(response->truncated);
  CHECK(collected.joined().size() <= 100);
}

}  // namespace
}  // namespace lava_mcp::gateway
