// A text file compiled into the binary (see cmake/embed_files.cmake).
#pragma once

#include <span>
#include <string_view>

namespace lava_mcp {

struct EmbeddedFile {
  std::string_view name;  // file name without folders, e.g. "search.input.json"
  std::string_view text;
};

}  // namespace lava_mcp
