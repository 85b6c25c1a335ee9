// Requests and a body-stream collector for the HTTP clients' tests: CurlHttpClient's and, in
// the Windows test executable, WinHttpClient's, which run the same cases.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/http_client.h"

namespace lava_mcp::testing {

inline gateway::HttpRequest get(const std::string& url,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  gateway::HttpRequest request;
  request.url = url;
  request.timeout = timeout;
  return request;
}

inline gateway::HttpRequest stream_get(const std::string& url, const gateway::BodyStream& stream) {
  gateway::HttpRequest request = get(url, std::chrono::seconds(20));
  request.stream = &stream;
  return request;
}

// What a streamed response handed over: the heads seen (a 200 is read on), the chunks.
struct StreamCollector {
  int heads = 0;
  int status = 0;
  std::string content_type;
  std::vector<std::string> chunks;

  gateway::BodyStream stream() {
    return gateway::BodyStream{[this](const gateway::HttpResponse& head) {
                                 ++heads;
                                 status = head.status;
                                 content_type = head.header("content-type");
                                 return head.status == 200;
                               },
                               [this](std::string_view chunk) {
                                 chunks.emplace_back(chunk);
                                 return true;
                               }};
  }
  std::string joined() const {
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    return all;
  }
};

}  // namespace lava_mcp::testing
