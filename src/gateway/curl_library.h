// libcurl's entry points, looked up in the library loaded on the first request (dlopen) rather
// than linked. Linked, the dynamic loader mapped and relocated libcurl and the 35 libraries it
// needs, and ran their constructors (GnuTLS's, p11-kit's), in every start of lava-mcp: about
// 3 ms and 500 page faults, half of the start-up, in sessions that may never reach the network
// (bench/README.md, round 7). The package names libcurl4 itself (cmake/packaging.cmake), since
// dpkg-shlibdeps no longer sees it.
#pragma once

#include <curl/curl.h>

#include <string>

#include "base/expected.h"

namespace lava_mcp::gateway {

struct CurlLibrary {
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_wakeup) multi_wakeup;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_share_init) share_init;
  decltype(&::curl_share_cleanup) share_cleanup;
  decltype(&::curl_share_setopt) share_setopt;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// libcurl from `file` (platform::libcurl_file names the system's), loaded and initialised
// (curl_global_init) by the first call for that file and kept for the life of the process; every
// later call gives the same answer. An error names the file and the loader's reason: a missing
// library, or one without an entry point this client needs (older than 7.87).
Expected<const CurlLibrary*> load_curl_library(const std::string& file);

}  // namespace lava_mcp::gateway
