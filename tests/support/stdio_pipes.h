// A transport's input and output as two pipes, for tests that serve on them.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <initializer_list>
#include <string>

namespace lava_mcp::testing {

struct StdioPipes {
  StdioPipes() {
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
  }
  ~StdioPipes() {
    for (int fd : {in[0], in[1], out[0], out[1]}) {
      if (fd >= 0) ::close(fd);
    }
  }
  void write_in(const std::string& bytes) {
    REQUIRE(::write(in[1], bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  void close_in() {
    ::close(in[1]);
    in[1] = -1;
  }
  std::string read_out() {
    ::close(out[1]);
    out[1] = -1;
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    return text;
  }
  int in[2];
  int out[2];
};

}  // namespace lava_mcp::testing
