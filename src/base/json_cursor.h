// A forward-only reader of one JSON text in place, for the few hot shapes of a stream's events
// (a text delta), so that they are read without building a document. Each step reads what the
// caller expects or fails; on any failure the caller reads the text whole with read_json
// instead, so the cursor never needs to accept more than the shapes it is used for. Strings are
// read by read_json's own code; numbers only as plain integers.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace lava_mcp {

class JsonCursor {
 public:
  explicit JsonCursor(std::string_view text) : text_(text) {}

  bool open_object();  // '{'
  bool open_array();   // '['
  // Before each member of the innermost open object: its key; false at the object's end (or
  // when the text is not a member there: then failed()).
  bool next_key(std::string& key);
  // Before each element of the innermost open array; false at its end (or, failed, on bad text).
  bool next_element();
  bool string(std::string& out);  // appends to `out`
  bool null();
  bool integer(long long& out);  // -?(0|[1-9][0-9]*), not the start of a fraction or exponent
  char peek();                   // the next character after white space, or '\0' at the end
  bool at_end();                 // nothing but white space is left

  // Where a value's text lies: [begin, end), quotes included for a string.
  struct Token {
    std::size_t begin = 0;
    std::size_t end = 0;
  };
  bool string(std::string& out, Token& token);

  // The object that opens here, each member's value read by `read(key)`: false on bad text, on
  // a value `read` refuses, and on a key that comes twice (the full parse lets the last one win,
  // which the callers leave to it).
  template <typename Read>
  bool each_member_once(Read read) {
    if (!open_object()) {
      return false;
    }
    std::string key;
    std::string seen;
    while (next_key(key)) {
      if (seen.find("|" + key + "|") != std::string::npos) {
        return false;
      }
      seen += "|" + key + "|";
      if (!read(key)) {
        return false;
      }
    }
    return !failed();
  }
  bool failed() const { return failed_; }

 private:
  bool take(char expected);
  bool open(char bracket);
  bool next(char close);
  void skip_space();
  bool fail();

  std::string_view text_;
  std::size_t at_ = 0;
  std::array<bool, 8> first_{};  // per open container: nothing of it read yet
  std::size_t depth_ = 0;
  bool failed_ = false;
};

}  // namespace lava_mcp
