// The HttpClient the product uses on this system: libcurl on POSIX, WinHTTP on Windows.
#pragma once

#ifdef _WIN32
#include "gateway/win_http_client.h"
#else
#include "gateway/curl_http_client.h"
#endif

namespace lava_mcp::gateway {
#ifdef _WIN32
using SystemHttpClient = WinHttpClient;
#else
using SystemHttpClient = CurlHttpClient;
#endif
}  // namespace lava_mcp::gateway
