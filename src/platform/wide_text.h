// UTF-8 inside lava-mcp, UTF-16 at the Windows API boundary (the W functions). Windows only.
#pragma once

#include <string>
#include <string_view>

namespace lava_mcp::platform {

// Invalid sequences become U+FFFD either way (what MultiByteToWideChar and WideCharToMultiByte
// do without MB_ERR_INVALID_CHARS): a path or message is shown, never refused for its bytes.
std::wstring to_wide(std::string_view utf8);
std::string to_utf8(std::wstring_view wide);

}  // namespace lava_mcp::platform
