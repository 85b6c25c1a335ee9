#include "translators/gemini_schema.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "translators/common.h"

namespace lava_mcp::translators::detail {
namespace {

constexpr int kMaxDepth = 64;

// Keywords of Gemini's Schema object that JSON Schema spells the same way.
constexpr std::string_view kKept[] = {
    "format",   "title",    "description",   "nullable",      "required",
    "minItems", "maxItems", "minLength",     "maxLength",     "pattern",
    "minimum",  "maximum",  "minProperties", "maxProperties", "propertyOrdering"};

class Converter {
 public:
  explicit Converter(const json& root) : root_(root) {}

  json convert(const json& node, int depth) {
    if (!error_.empty()) {
      return nullptr;
    }
    if (depth > kMaxDepth) {
      error_ = "schema nested too deeply";
      return nullptr;
    }
    if (!node.is_object()) {
      error_ = "expected a schema object";
      return nullptr;
    }
    if (const std::string* ref = string_member(node, "$ref")) {
      return convert_ref(node, *ref, depth);
    }
    json out = json::object();
    for (const auto& [key, value] : node.items()) {
      convert_keyword(key, value, out, depth);
    }
    return out;
  }

  GeminiSchema result(json schema) {
    return {error_.empty() ? std::move(schema) : json(nullptr), std::move(dropped_), error_};
  }

 private:
  json convert_ref(const json& node, const std::string& ref, int depth) {
    const json* target = resolve(ref);
    if (target == nullptr || !target->is_object()) {
      error_ = "unresolvable $ref '" + ref + "'";
      return nullptr;
    }
    if (std::find(refs_.begin(), refs_.end(), ref) != refs_.end()) {
      error_ = "recursive $ref '" + ref + "' cannot be inlined";
      return nullptr;
    }
    json merged = *target;
    for (const auto& [key, value] : node.items()) {
      if (key != "$ref") {
        merged[key] = value;  // siblings of $ref (e.g. description) refine the target
      }
    }
    refs_.push_back(ref);
    json out = convert(merged, depth + 1);
    refs_.pop_back();
    return out;
  }

  // "#/$defs/Name" and "#/definitions/Name" style pointers into the root schema.
  const json* resolve(const std::string& ref) const {
    if (ref.rfind("#", 0) != 0) {
      return nullptr;
    }
    const json* node = &root_;
    std::size_t pos = 1;
    while (pos < ref.size() && node != nullptr) {
      if (ref[pos] != '/') {
        return nullptr;
      }
      const std::size_t next = std::min(ref.find('/', pos + 1), ref.size());
      std::string token = ref.substr(pos + 1, next - pos - 1);
      for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
        token.replace(i, 2, i + 1 < token.size() && token[i + 1] == '1' ? "/" : "~");
      }
      node = member(*node, token);
      pos = next;
    }
    return node;
  }

  void convert_type(const json& value, json& out) {
    if (value.is_string()) {
      if (value == "null") {
        out["nullable"] = true;
      } else {
        out["type"] = value;
      }
      return;
    }
    std::vector<json> types;
    for (const json& type : value.is_array() ? value : json::array()) {
      if (type == "null") {
        out["nullable"] = true;
      } else if (type.is_string()) {
        types.push_back(type);
      }
    }
    if (types.size() == 1) {
      out["type"] = types.front();
    } else if (types.size() > 1) {
      json any_of = json::array();
      for (const json& type : types) {
        any_of.push_back({{"type", type}});
      }
      out["anyOf"] = std::move(any_of);
    }
  }

  void convert_any_of(const json& value, json& out, int depth) {
    json any_of = json::array();
    for (const json& option : value.is_array() ? value : json::array()) {
      if (option.is_object() && member(option, "type") != nullptr && option.at("type") == "null") {
        out["nullable"] = true;
      } else {
        any_of.push_back(convert(option, depth + 1));
      }
    }
    if (any_of.size() == 1 && any_of.front().is_object()) {
      for (const auto& [key, item] : any_of.front().items()) {
        out[key] = item;
      }
    } else if (!any_of.empty()) {
      out["anyOf"] = std::move(any_of);
    }
  }

  void convert_keyword(const std::string& key, const json& value, json& out, int depth) {
    if (key == "type") {
      convert_type(value, out);
    } else if (key == "const") {
      out["enum"] = json::array({value});
    } else if (key == "enum" && value.is_array()) {
      json values = json::array();  // Gemini enums hold no null: nullable says it
      for (const json& item : value) {
        if (item.is_null()) {
          out["nullable"] = true;
        } else {
          values.push_back(item);
        }
      }
      out["enum"] = std::move(values);
    } else if (key == "properties" && value.is_object()) {
      json properties = json::object();
      for (const auto& [name, property] : value.items()) {
        properties[name] = convert(property, depth + 1);
      }
      out["properties"] = std::move(properties);
    } else if (key == "items" && value.is_object()) {
      out["items"] = convert(value, depth + 1);
    } else if (key == "anyOf" || key == "oneOf") {
      convert_any_of(value, out, depth);
    } else if (key == "allOf" && value.is_array() && value.size() == 1) {
      convert_any_of(value, out, depth);
    } else if (key == "$defs" || key == "definitions") {
      // inlined where referenced
    } else if (std::find(std::begin(kKept), std::end(kKept), key) != std::end(kKept)) {
      out[key] = value;
    } else {
      dropped_.insert(key);
    }
  }

  const json& root_;
  std::vector<std::string> refs_;
  std::set<std::string> dropped_;
  std::string error_;
};

}  // namespace

GeminiSchema to_gemini_schema(const json& schema) {
  Converter converter(schema);
  json converted = converter.convert(schema, 0);
  return converter.result(std::move(converted));
}

bool is_no_argument_schema(const json& schema) {
  if (schema.is_null()) {
    return true;
  }
  if (!schema.is_object()) {
    return false;
  }
  const json* type = member(schema, "type");
  const json* properties = member(schema, "properties");
  const bool object_type = type == nullptr || *type == "object";
  const bool no_properties =
      properties == nullptr || (properties->is_object() && properties->empty());
  const bool composite = member(schema, "anyOf") != nullptr || member(schema, "oneOf") != nullptr ||
                         member(schema, "allOf") != nullptr || member(schema, "$ref") != nullptr;
  return object_type && no_properties && !composite;
}

}  // namespace lava_mcp::translators::detail
