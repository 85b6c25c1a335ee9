// The Windows build's browser login, until the loopback callback listener and the browser
// opener have Windows units (README "Windows", what is not done yet): login says so and how to
// sign in instead, and everything else of lava-mcp works. Built instead of browser.cpp and
// callback_listener.cpp (src/CMakeLists.txt).
#include "gateway/browser.h"
#include "gateway/callback_listener.h"

namespace lava_mcp::gateway {
namespace {

Unexpected unavailable() {
  return fail(error_code::kInternalError,
              "signing in through the browser is not available in the Windows build of lava-mcp "
              "yet: set LAVA_SECRET_KEY in the host's configuration (README, \"Windows\"), or "
              "log in with lava-mcp on Linux or macOS and copy credentials.json to "
              "%APPDATA%\\lava-mcp");
}

}  // namespace

struct CallbackListener::State {};

Expected<std::unique_ptr<CallbackListener>> CallbackListener::start(const std::string&,
                                                                    CallbackHandler,
                                                                    CallbackLimits) {
  return unavailable();
}

CallbackListener::CallbackListener(std::unique_ptr<State> state) : state_(std::move(state)) {}
CallbackListener::~CallbackListener() = default;
int CallbackListener::port() const { return 0; }
void CallbackListener::stop() {}

RedirectPage::~RedirectPage() = default;

Expected<std::unique_ptr<RedirectPage>> open_in_browser(const std::optional<std::string>&,
                                                        const std::string&) {
  return unavailable();
}

}  // namespace lava_mcp::gateway
