#include "gateway/curl_library.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

#include "gateway/http_client.h"

namespace lava_mcp::gateway {
namespace {

Unexpected unavailable(const std::string& file, const std::string& why) {
  return fail(error_code::kInternalError,
              "libcurl could not be loaded from " + file + " (" + why +
                  "): lava-mcp needs libcurl 7.87 or later for every request (on Debian and "
                  "Ubuntu, the libcurl4 package)",
              {{"kind", failure_kind::kNoHttpLibrary}});
}

template <typename Function>
bool find(void* library, const char* name, Function& out) {
  out = reinterpret_cast<Function>(::dlsym(library, name));
  return out != nullptr;
}

// Each entry point by its member's own name, so that no member is filled from the symbol of
// another with the same signature (easy_cleanup and easy_reset, multi_cleanup and multi_wakeup).
#define LAVA_MCP_FIND_CURL(member) find(library, "curl_" #member, curl.member)

Expected<CurlLibrary> load(const std::string& file) {
  // RTLD_LOCAL: libcurl's symbols stay out of the global scope, where nothing else wants them.
  void* library = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return unavailable(file, why != nullptr ? why : "not found");
  }
  CurlLibrary curl{};
  decltype(&::curl_global_init) global_init = nullptr;
  const bool complete =
      find(library, "curl_global_init", global_init) && LAVA_MCP_FIND_CURL(easy_init) &&
      LAVA_MCP_FIND_CURL(easy_cleanup) && LAVA_MCP_FIND_CURL(easy_reset) &&
      LAVA_MCP_FIND_CURL(easy_setopt) && LAVA_MCP_FIND_CURL(easy_getinfo) &&
      LAVA_MCP_FIND_CURL(easy_strerror) && LAVA_MCP_FIND_CURL(multi_init) &&
      LAVA_MCP_FIND_CURL(multi_cleanup) && LAVA_MCP_FIND_CURL(multi_add_handle) &&
      LAVA_MCP_FIND_CURL(multi_remove_handle) && LAVA_MCP_FIND_CURL(multi_perform) &&
      LAVA_MCP_FIND_CURL(multi_poll) && LAVA_MCP_FIND_CURL(multi_wakeup) &&
      LAVA_MCP_FIND_CURL(multi_info_read) && LAVA_MCP_FIND_CURL(share_init) &&
      LAVA_MCP_FIND_CURL(share_cleanup) && LAVA_MCP_FIND_CURL(share_setopt) &&
      LAVA_MCP_FIND_CURL(slist_append) && LAVA_MCP_FIND_CURL(slist_free_all);
  if (!complete) {
    return unavailable(file, "an entry point is missing");  // kept loaded: dlclose is not safe
  }
  if (const CURLcode initialised = global_init(CURL_GLOBAL_DEFAULT); initialised != CURLE_OK) {
    return unavailable(file, curl.easy_strerror(initialised));
  }
  return curl;
}

#undef LAVA_MCP_FIND_CURL

}  // namespace

Expected<const CurlLibrary*> load_curl_library(const std::string& file) {
  static std::mutex mutex;
  // Never destroyed, like the libraries: pool workers still running at exit may use them.
  static auto* const loaded = new std::map<std::string, Expected<CurlLibrary>>();
  std::lock_guard lock(mutex);
  auto found = loaded->find(file);
  if (found == loaded->end()) {
    found = loaded->emplace(file, load(file)).first;
  }
  if (!found->second) {
    return fail(found->second.error());
  }
  return &*found->second;
}

}  // namespace lava_mcp::gateway
