// A RequestContext for running a tool directly in a test: no client, optional stop source.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tools/tool.h"

namespace lava_mcp::testing {

class NullContext final : public tools::RequestContext {
 public:
  explicit NullContext(std::string version = "2025-11-25") : version_(std::move(version)) {}
  const std::string& protocol_version() const override { return version_; }
  const tools::Json& client_capabilities() const override { return caps_; }
  const std::string& client_name() const override { return client_name_; }
  std::stop_token stop_token() const override { return stop_.get_token(); }
  void progress(double value, std::optional<double> total, std::string message) override {
    ++progress_count;
    progress_sent.push_back({value, total, std::move(message)});
  }
  bool wants_progress() const override { return wants_progress_flag; }
  void log(tools::McpLogLevel, std::string_view, const tools::Json&) override {}
  void notify_client(std::string_view method, const tools::Json&) override {
    notifications.emplace_back(method);
  }
  Expected<tools::Json> request_client(std::string_view method, tools::Json params,
                                       std::chrono::milliseconds) override {
    if (on_request) {
      return on_request(method, params);
    }
    return fail(error_code::kMethodNotFound, "no client");
  }
  void set_capabilities(tools::Json capabilities) { caps_ = std::move(capabilities); }
  void set_client_name(std::string name) { client_name_ = std::move(name); }
  std::function<Expected<tools::Json>(std::string_view, const tools::Json&)> on_request;
  std::stop_source& stop_source() { return stop_; }
  int progress_count = 0;
  bool wants_progress_flag = true;
  struct Progress {
    double value;
    std::optional<double> total;
    std::string message;
  };
  std::vector<Progress> progress_sent;
  std::vector<std::string> notifications;

 private:
  std::string version_;
  tools::Json caps_ = tools::Json::object();
  std::string client_name_;
  std::stop_source stop_;
};

}  // namespace lava_mcp::testing
