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

Expected<CurlLibrary> load(const std::string& file) {
  // RTLD_LOCAL: libcurl's symbols stay out of the global scope, where nothing else wants them.
  void* library = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = ::dlerror();
    return unavailable(file, why != nullptr ? why : "not found");
  }
  CurlLibrary curl{};
  decltype(&::curl_global_init) global_init = nullptr;
  const bool complete = find(library, "curl_global_init", global_init) &&
                        find(library, "curl_easy_init", curl.easy_init) &&
                        find(library, "curl_easy_cleanup", curl.easy_cleanup) &&
                        find(library, "curl_easy_reset", curl.easy_reset) &&
                        find(library, "curl_easy_setopt", curl.easy_setopt) &&
                        find(library, "curl_easy_getinfo", curl.easy_getinfo) &&
                        find(library, "curl_easy_strerror", curl.easy_strerror) &&
                        find(library, "curl_multi_init", curl.multi_init) &&
                        find(library, "curl_multi_cleanup", curl.multi_cleanup) &&
                        find(library, "curl_multi_add_handle", curl.multi_add_handle) &&
                        find(library, "curl_multi_remove_handle", curl.multi_remove_handle) &&
                        find(library, "curl_multi_perform", curl.multi_perform) &&
                        find(library, "curl_multi_poll", curl.multi_poll) &&
                        find(library, "curl_multi_wakeup", curl.multi_wakeup) &&
                        find(library, "curl_multi_info_read", curl.multi_info_read) &&
                        find(library, "curl_share_init", curl.share_init) &&
                        find(library, "curl_share_cleanup", curl.share_cleanup) &&
                        find(library, "curl_share_setopt", curl.share_setopt) &&
                        find(library, "curl_slist_append", curl.slist_append) &&
                        find(library, "curl_slist_free_all", curl.slist_free_all);
  if (!complete) {
    return unavailable(file, "an entry point is missing");  // kept loaded: dlclose is not safe
  }
  if (const CURLcode initialised = global_init(CURL_GLOBAL_DEFAULT); initialised != CURLE_OK) {
    return unavailable(file, curl.easy_strerror(initialised));
  }
  return curl;
}

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
