#include "transport/line_framer.h"

#include <doctest/doctest.h>

namespace lava_mcp::transport {
namespace {

std::vector<Frame> feed_all(LineFramer& framer, std::initializer_list<std::string_view> chunks,
                            bool finish = false) {
  std::vector<Frame> out;
  for (auto chunk : chunks) {
    framer.feed(chunk, out);
  }
  if (finish) {
    framer.finish(out);
  }
  return out;
}

TEST_CASE("framer: several messages in one read, CRLF and blank lines") {
  LineFramer framer(1024);
  auto frames = feed_all(framer, {"{\"a\":1}\n\r\n\n{\"b\":2}\r\n   \n{\"c\":3}\n"});
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].text == "{\"a\":1}");
  CHECK(frames[1].text == "{\"b\":2}");
  CHECK(frames[2].text == "{\"c\":3}");
}

TEST_CASE("framer: a message split across reads, byte by byte") {
  LineFramer framer(1024);
  std::vector<Frame> out;
  const std::string message = "{\"jsonrpc\":\"2.0\",\"id\":1}\r\n";
  for (char c : message) {
    framer.feed(std::string_view(&c, 1), out);
  }
  REQUIRE(out.size() == 1);
  CHECK(out[0].text == "{\"jsonrpc\":\"2.0\",\"id\":1}");
}

TEST_CASE("framer: an unterminated last line counts at end of input") {
  LineFramer framer(1024);
  auto frames = feed_all(framer, {"{\"a\":1}\n{\"b\"", ":2}"}, true);
  REQUIRE(frames.size() == 2);
  CHECK(frames[1].text == "{\"b\":2}");
}

TEST_CASE("framer: an oversized line becomes one error frame and the next line survives") {
  LineFramer framer(8);
  auto frames = feed_all(framer, {"0123456", "789abcdef", "ghij\n{\"ok\":1}\n"});
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].kind == Frame::Kind::kOversized);
  CHECK(frames[1].kind == Frame::Kind::kLine);
  CHECK(frames[1].text == "{\"ok\":1}");
}

TEST_CASE("framer: a line of exactly the cap is accepted, with or without CR") {
  LineFramer framer(8);
  auto frames = feed_all(framer, {"12345678\n12345678\r\n123456789\n"});
  REQUIRE(frames.size() == 3);
  CHECK(frames[0].text == "12345678");
  CHECK(frames[1].text == "12345678");
  CHECK(frames[2].kind == Frame::Kind::kOversized);
}

TEST_CASE("framer: an oversized line is never buffered whole") {
  LineFramer framer(16);
  std::vector<Frame> out;
  const std::string chunk(1 << 20, 'x');
  for (int i = 0; i < 64; ++i) {  // 64 MiB streamed without a newline
    framer.feed(chunk, out);
  }
  CHECK(out.empty());
  framer.feed("\n", out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].kind == Frame::Kind::kOversized);
}

}  // namespace
}  // namespace lava_mcp::transport
