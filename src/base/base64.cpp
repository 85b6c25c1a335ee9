#include "base/base64.h"

#include <openssl/evp.h>

namespace lava_mcp {
namespace {

bool is_base64_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Decodes `groups` (a multiple of four standard letters, no padding) onto the end of `out`.
void decode_groups(std::string_view groups, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + groups.size() / 4 * 3);
  // Cannot fail: every letter was checked and there is no padding to trim.
  EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data() + start),
                  reinterpret_cast<const unsigned char*>(groups.data()),
                  static_cast<int>(groups.size()));
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') {
    text.remove_suffix(1);
  }
  std::string letters(text);
  for (char& c : letters) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
    if (!is_base64_letter(c)) {
      return std::nullopt;
    }
  }
  const std::size_t whole = letters.size() / 4 * 4;
  std::string out;
  out.reserve(letters.size() / 4 * 3 + 2);
  decode_groups(std::string_view(letters).substr(0, whole), out);
  const std::size_t rest = letters.size() - whole;
  if (rest >= 2) {  // one letter alone holds 6 bits, less than a byte
    std::string last = letters.substr(whole);
    last.resize(4, 'A');
    decode_groups(last, out);
    out.resize(out.size() - 3 + (rest - 1));
  }
  return out;
}

}  // namespace lava_mcp
