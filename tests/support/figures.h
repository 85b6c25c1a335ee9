// Figures for docs/reliability.md. When LAVA_MCP_FIGURES names a file, tests append
// "name<TAB>value<TAB>unit" lines to it; scripts/reliability_report.sh renders them. Without the
// variable nothing is written: figures are reported, never asserted on timing.
#pragma once

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>

namespace lava_mcp::testing {

inline void record_figure(const std::string& name, double value, const std::string& unit) {
  const char* path = std::getenv("LAVA_MCP_FIGURES");
  if (path == nullptr || *path == '\0') {
    return;
  }
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  std::ofstream(path, std::ios::app) << name << '\t' << value << '\t' << unit << '\n';
}

inline double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace lava_mcp::testing
