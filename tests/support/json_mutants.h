// One-item changes of a JSON document, for the structured tests that check code reading outside
// JSON against every near miss of a recorded document (tests/golden): what a fuzzer finds by
// luck, tried exhaustively around the shapes real providers send.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lava_mcp::testing {

// Who reads the changes: code that reads the text itself sees members given twice; code that
// gets them parsed by nlohmann sees only the last, so those changes would repeat others.
enum class ReadAs { kText, kParsed };

// The sanitizer build (about 50 times slower here on this JSON-heavy work) tries every fifth
// change, which is enough to catch a memory fault on the paths they reach; the optimised and
// forced-portable runs of the same tests try every one.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr std::size_t kNearMissStride = 5;
#else
inline constexpr std::size_t kNearMissStride = 1;
#endif

namespace detail {

// Every way of changing one item inside `value`, as JSON text in the document's own member order:
// removed, replaced by a value of another type, changed so further down, and for kText given
// twice (the same or another value after it) or replaced by a copy of a sibling member.
inline void each_change(const nlohmann::ordered_json& value,
                        const std::function<void(std::string)>& emit, ReadAs read_as) {
  static const std::vector<std::string> kOthers = {"null",  "0",      "-1", "1.5", "true",
                                                   R"("")", R"("x")", "{}", "[]"};
  const bool object = value.is_object();
  std::vector<std::string> keys;  // `"key":` of each member, "" for elements
  std::vector<std::string> items;
  std::vector<const nlohmann::ordered_json*> children;
  for (auto it = value.begin(); it != value.end() && value.is_structured(); ++it) {
    keys.push_back(object ? nlohmann::json(it.key()).dump() + ":" : "");
    items.push_back(it->dump());
    children.push_back(&*it);
  }
  // The container with item `at` written as `slot`: none, one or two whole items.
  const auto with = [&](std::size_t at, const std::vector<std::string>& slot) {
    std::string text(1, object ? '{' : '[');
    for (std::size_t i = 0; i < items.size(); ++i) {
      for (const std::string& item :
           i == at ? slot : std::vector<std::string>{keys[i] + items[i]}) {
        text += (text.size() > 1 ? "," : "") + item;
      }
    }
    return text + (object ? '}' : ']');
  };
  for (std::size_t at = 0; at < items.size(); ++at) {
    emit(with(at, {}));
    for (const std::string& other : kOthers) {
      emit(with(at, {keys[at] + other}));
    }
    each_change(
        *children[at], [&](const std::string& inner) { emit(with(at, {keys[at] + inner})); },
        read_as);
    if (read_as == ReadAs::kParsed) {
      continue;
    }
    const std::string same = keys[at] + items[at];
    emit(with(at, {same, same}));
    for (const std::string& other : kOthers) {
      emit(with(at, {same, keys[at] + other}));
    }
    for (std::size_t sibling = 0; sibling < items.size(); ++sibling) {
      if (sibling != at) {
        emit(with(at, {keys[sibling] + items[sibling]}));
      }
    }
  }
}

}  // namespace detail

// The changes of `value` (every kNearMissStride-th one): detail::each_change.
inline void each_mutant(const nlohmann::ordered_json& value,
                        const std::function<void(std::string)>& emit,
                        ReadAs read_as = ReadAs::kText) {
  std::size_t seen = 0;
  detail::each_change(
      value,
      [&](std::string change) {
        if (seen++ % kNearMissStride == 0) {
          emit(std::move(change));
        }
      },
      read_as);
}

}  // namespace lava_mcp::testing
