// Markdown and plain-text documentation (llms.txt, README-style pages) tidied for a result.
#pragma once

#include <string>
#include <string_view>

namespace lava_mcp::docs {

// Valid UTF-8 (invalid bytes become U+FFFD) with LF line ends; a leading YAML ("---") or TOML
// ("+++") front matter block is dropped when it is closed; HTML comments outside fenced code
// blocks and code spans are dropped when they are closed; runs of blank lines outside fenced
// code become one blank line; leading blank lines and trailing whitespace go. Plain text goes
// through the same steps. Never throws; linear time.
std::string markdown_passthrough(std::string_view text);

}  // namespace lava_mcp::docs
