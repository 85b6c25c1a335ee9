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

// Every way of changing one item inside `value`, as JSON text in the document's own member order:
// removed, given twice (the same or another value after it), replaced by a value of another
// type or by a copy of a sibling member (a duplicate in its place), or changed so further down.
inline void each_mutant(const nlohmann::ordered_json& value,
                        const std::function<void(std::string)>& emit) {
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
    const std::string same = keys[at] + items[at];
    emit(with(at, {}));
    emit(with(at, {same, same}));
    for (const std::string& other : kOthers) {
      emit(with(at, {keys[at] + other}));
      emit(with(at, {same, keys[at] + other}));
    }
    for (std::size_t sibling = 0; sibling < items.size(); ++sibling) {
      if (sibling != at) {
        emit(with(at, {keys[sibling] + items[sibling]}));
      }
    }
    each_mutant(*children[at],
                [&](const std::string& inner) { emit(with(at, {keys[at] + inner})); });
  }
}

}  // namespace lava_mcp::testing
