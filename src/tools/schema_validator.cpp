#include "tools/schema_validator.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/utf8.h"

namespace lava_mcp::tools {
namespace {

using Result = std::optional<SchemaViolation>;

constexpr std::size_t kMaxEcho = 80;
constexpr std::size_t kMaxEnumListed = 20;
constexpr std::size_t kMaxRegexInput = std::size_t{1} << 20;
constexpr std::size_t kMaxCachedPatterns = 1024;

// The path lives on the stack as a linked list and is rendered only for a violation, so valid
// instances pay nothing for it. A null PathNode pointer is the root.
struct PathNode {
  const PathNode* parent;
  const std::string* key;  // nullptr: array element `index`
  std::size_t index;
};

// The keywords of one schema node, found in one pass over its members: a node has a handful of
// members, and looking each of the ~20 keywords up in its map cost more than the checks.
struct Keywords {
  const Json* type = nullptr;
  const Json* enum_values = nullptr;
  const Json* const_value = nullptr;
  const Json* minimum = nullptr;
  const Json* exclusive_minimum = nullptr;
  const Json* maximum = nullptr;
  const Json* exclusive_maximum = nullptr;
  const Json* min_length = nullptr;
  const Json* max_length = nullptr;
  const Json* pattern = nullptr;
  const Json* min_items = nullptr;
  const Json* max_items = nullptr;
  const Json* items = nullptr;
  const Json* properties = nullptr;
  const Json* additional_properties = nullptr;
  const Json* required = nullptr;
  const Json* any_of = nullptr;
  const Json* one_of = nullptr;
};

struct KeywordSlot {
  std::string_view name;
  const Json* Keywords::*slot;
};

constexpr KeywordSlot kKeywordSlots[] = {
    {"type", &Keywords::type},
    {"enum", &Keywords::enum_values},
    {"const", &Keywords::const_value},
    {"minimum", &Keywords::minimum},
    {"exclusiveMinimum", &Keywords::exclusive_minimum},
    {"maximum", &Keywords::maximum},
    {"exclusiveMaximum", &Keywords::exclusive_maximum},
    {"minLength", &Keywords::min_length},
    {"maxLength", &Keywords::max_length},
    {"pattern", &Keywords::pattern},
    {"minItems", &Keywords::min_items},
    {"maxItems", &Keywords::max_items},
    {"items", &Keywords::items},
    {"properties", &Keywords::properties},
    {"additionalProperties", &Keywords::additional_properties},
    {"required", &Keywords::required},
    {"anyOf", &Keywords::any_of},
    {"oneOf", &Keywords::one_of},
};

Keywords keywords_of(const Json& schema) {
  Keywords found;
  for (const auto& [name, value] : schema.get_ref<const Json::object_t&>()) {
    for (const KeywordSlot& keyword : kKeywordSlots) {
      if (name == keyword.name) {
        found.*keyword.slot = &value;
        break;
      }
    }
  }
  return found;
}

// Cuts at a code point boundary so the result stays valid UTF-8.
std::string truncate(std::string_view s, std::size_t cap = kMaxEcho) {
  if (s.size() <= cap) return std::string(s);
  return std::string(utf8_prefix(s, cap)) + "...";
}

std::string json_string(std::string_view s) {
  return Json(truncate(s)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A key that a dotted path would show ambiguously or not at all ("", "a.b", "x[0]", controls).
bool needs_brackets(std::string_view key) {
  const auto plain = [](unsigned char c) {
    return c >= 0x20 && c != '.' && c != '[' && c != ']' && c != '"';
  };
  return key.empty() || !std::all_of(key.begin(), key.end(), plain);
}

// Recurses once per schema level that added a node, never per instance level.
void append_path(const PathNode* node, std::string& out) {
  if (node == nullptr) return;
  append_path(node->parent, out);
  if (node->key == nullptr) {
    out += '[' + std::to_string(node->index) + ']';
  } else if (needs_brackets(*node->key)) {
    out += '[' + json_string(*node->key) + ']';
  } else {
    if (!out.empty()) out += '.';
    out += truncate(*node->key);
  }
}

Result fail(const PathNode* at, const char* rule, const std::string& what) {
  std::string path = at == nullptr ? "(root)" : "";
  append_path(at, path);
  return SchemaViolation{path, rule, path + ": " + what};
}

// Serializes at most about kMaxEcho characters; every level appends a bracket before descending,
// so the recursion depth is bounded by kMaxEcho, not by the instance.
void append_preview(const Json& v, std::string& out) {
  if (v.is_string()) {
    out += json_string(v.get_ref<const std::string&>());
  } else if (v.is_object() || v.is_array()) {
    const bool object = v.is_object();
    out += object ? '{' : '[';
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it != v.begin()) out += ',';
      if (out.size() >= kMaxEcho) {
        out += "...";
        break;
      }
      if (object) out += json_string(it.key()) + ':';
      append_preview(*it, out);
    }
    out += object ? '}' : ']';
  } else {
    out += v.dump();
  }
}

std::string preview(const Json& v) {
  std::string out;
  append_preview(v, out);
  return out;
}

const char* type_name(const Json& v) {
  if (v.is_number_integer()) return "integer";
  return v.is_number() ? "number" : v.type_name();
}

bool has_type(const Json& v, std::string_view type) {
  if (type == "number") return v.is_number();
  if (type != "integer" || !v.is_number_float()) return type == type_name(v);
  const double d = v.get<double>();
  return std::isfinite(d) && std::trunc(d) == d;
}

std::string with_article(std::string_view type) {
  if (type == "null") return "null";
  const bool vowel = !type.empty() && std::string_view("aeiou").find(type[0]) != type.npos;
  return (vowel ? "an " : "a ") + std::string(type);
}

Result validate(const Json& schema, const Json& v, const PathNode* at);

Result check_type(const Keywords& schema, const Json& v, const PathNode* at) {
  const Json* t = schema.type;
  if (t == nullptr) return std::nullopt;
  const auto allows = [&v](const Json& type) {
    return type.is_string() && has_type(v, type.get_ref<const std::string&>());
  };
  // The message is built only for a violation: valid instances are the common case.
  if (t->is_array() ? std::any_of(t->begin(), t->end(), allows) : allows(*t)) return std::nullopt;
  const Json types = t->is_array() ? *t : Json::array({*t});
  std::string expected;
  for (const Json& type : types) {
    if (!type.is_string()) continue;
    if (!expected.empty()) expected += &type == &types.back() ? " or " : ", ";
    expected += with_article(type.get_ref<const std::string&>());
  }
  if (expected.empty()) return std::nullopt;
  return fail(at, "type", "must be " + expected + " (got " + type_name(v) + ")");
}

Result check_enum(const Keywords& schema, const Json& v, const PathNode* at) {
  const Json* e = schema.enum_values;
  if (e == nullptr || !e->is_array() || e->empty()) return std::nullopt;
  if (std::find(e->begin(), e->end(), v) != e->end()) return std::nullopt;
  std::string listed;
  for (std::size_t i = 0; i < e->size(); ++i) {
    if (i == kMaxEnumListed) listed += ", ...";
    if (i >= kMaxEnumListed) continue;
    listed += (i > 0 ? ", " : "") + preview((*e)[i]);
  }
  return fail(
      at, "enum",
      (e->size() == 1 ? "must be " : "must be one of ") + listed + " (got " + preview(v) + ")");
}

Result check_const(const Keywords& schema, const Json& v, const PathNode* at) {
  const Json* c = schema.const_value;
  if (c == nullptr || *c == v) return std::nullopt;
  return fail(at, "const", "must be " + preview(*c) + " (got " + preview(v) + ")");
}

Result check_number(const Keywords& schema, const Json& v, const PathNode* at) {
  if (!v.is_number()) return std::nullopt;
  struct Bound {
    const char* keyword;
    const Json* Keywords::*slot;
    const char* op;
    bool (*ok)(long double, long double);
  };
  static constexpr Bound kBounds[] = {
      {"minimum", &Keywords::minimum, ">=", [](long double x, long double b) { return x >= b; }},
      {"exclusiveMinimum", &Keywords::exclusive_minimum, ">",
       [](long double x, long double b) { return x > b; }},
      {"maximum", &Keywords::maximum, "<=", [](long double x, long double b) { return x <= b; }},
      {"exclusiveMaximum", &Keywords::exclusive_maximum, "<",
       [](long double x, long double b) { return x < b; }},
  };
  // long double holds every int64, uint64 and double exactly on x86-64, so mixed comparisons are
  // exact there.
  const auto x = v.get<long double>();
  for (const Bound& bound : kBounds) {
    const Json* b = schema.*bound.slot;
    if (b == nullptr || !b->is_number() || bound.ok(x, b->get<long double>())) continue;
    return fail(at, bound.keyword,
                std::string("must be ") + bound.op + " " + b->dump() + " (got " + v.dump() + ")");
  }
  return std::nullopt;
}

// minLength/maxLength and minItems/maxItems: "must <verb> at least 1 <noun><tail> (got 0)".
struct CountLimits {
  const Json* min;
  const char* min_keyword;
  const Json* max;
  const char* max_keyword;
};

Result check_count(const CountLimits& limits, std::size_t count, const PathNode* at,
                   const char* verb, const char* noun, const char* tail) {
  for (const bool is_min : {true, false}) {
    const Json* limit = is_min ? limits.min : limits.max;
    if (limit == nullptr || !limit->is_number()) continue;
    const auto n = limit->get<long double>();
    const char* kw = is_min ? limits.min_keyword : limits.max_keyword;
    if (is_min ? count >= n : count <= n) continue;
    return fail(at, kw,
                std::string("must ") + verb + (is_min ? " at least " : " at most ") +
                    limit->dump() + " " + noun + (n == 1 ? "" : "s") + tail + " (got " +
                    std::to_string(count) + ")");
  }
  return std::nullopt;
}

std::shared_ptr<const std::regex> compile(const std::string& pattern, std::regex::flag_type flags) {
  try {
    return std::make_shared<const std::regex>(pattern, flags);
  } catch (const std::regex_error&) {
    return nullptr;
  }
}

// nullptr: the pattern does not compile (cached too, so it is not recompiled on every call).
std::shared_ptr<const std::regex> cached_regex(const std::string& pattern) {
  // Leaked on purpose: no destructor can run while a detached thread still validates.
  static auto* const mutex = new std::shared_mutex();
  static auto* const cache =
      new std::unordered_map<std::string, std::shared_ptr<const std::regex>>();
  {
    std::shared_lock lock(*mutex);
    if (const auto it = cache->find(pattern); it != cache->end()) return it->second;
  }
  // Compiling under the exclusive lock: it happens once per pattern, and concurrent compiles race
  // inside libstdc++ (ctype<char>::narrow's lazily filled cache, reported by TSan).
  std::unique_lock lock(*mutex);
  if (const auto it = cache->find(pattern); it != cache->end()) return it->second;
#ifdef __GLIBCXX__
  // libstdc++'s default backtracking matcher recurses once per input character and overflows an
  // 8 MiB stack on ~12 KB inputs for patterns like "^[a-z]+$". The polynomial (Thompson NFA)
  // matcher does not, but rejects back-references; those fall back to the default.
  auto regex = compile(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
  if (regex == nullptr) regex = compile(pattern, std::regex::ECMAScript);
#else
  auto regex = compile(pattern, std::regex::ECMAScript);
#endif
  if (cache->size() < kMaxCachedPatterns) cache->emplace(pattern, regex);
  return regex;
}

Result check_pattern(const Json& pattern, const std::string& s, const PathNode* at) {
  const auto& source = pattern.get_ref<const std::string&>();
  const std::string shown = "\"" + truncate(source) + "\"";
  if (s.size() > kMaxRegexInput) {
    return fail(at, "pattern",
                "is too long to be checked against the pattern " + shown + " (" +
                    std::to_string(s.size()) + " bytes; limit " + std::to_string(kMaxRegexInput) +
                    ")");
  }
  const auto regex = cached_regex(source);
  if (regex == nullptr) {
    return fail(at, "pattern", "cannot be checked: the schema pattern " + shown + " is invalid");
  }
  try {
    if (std::regex_search(s, *regex)) return std::nullopt;
  } catch (const std::exception&) {  // error_complexity / error_stack from the matcher
    return fail(at, "pattern", "could not be matched against the pattern " + shown);
  }
  return fail(at, "pattern", "must match the pattern " + shown + " (got " + json_string(s) + ")");
}

Result check_string(const Keywords& schema, const Json& v, const PathNode* at) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (schema.min_length != nullptr || schema.max_length != nullptr) {
    std::size_t code_points = 0;
    for (const char c : s) code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    const CountLimits limits{schema.min_length, "minLength", schema.max_length, "maxLength"};
    if (auto bad = check_count(limits, code_points, at, "be", "character", " long")) return bad;
  }
  const Json* pattern = schema.pattern;
  if (pattern == nullptr || !pattern->is_string()) return std::nullopt;
  return check_pattern(*pattern, s, at);
}

Result check_array(const Keywords& schema, const Json& v, const PathNode* at) {
  if (!v.is_array()) return std::nullopt;
  const CountLimits limits{schema.min_items, "minItems", schema.max_items, "maxItems"};
  if (auto bad = check_count(limits, v.size(), at, "have", "item", "")) return bad;
  const Json* items = schema.items;
  if (items == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const PathNode child{at, nullptr, i};
    if (auto bad = validate(*items, v[i], &child)) return bad;
  }
  return std::nullopt;
}

std::string unexpected(const std::string& name, const Json* props) {
  std::string out = "unexpected property " + json_string(name);
  if (props == nullptr || props->empty()) return out + "; no properties are allowed";
  out += "; allowed: ";
  for (auto it = props->begin(); it != props->end(); ++it) {
    out += (it == props->begin() ? "" : ", ") + json_string(it.key());
  }
  return out;
}

// Calls visit(key, member, property schema or nullptr) for each member of `object`, in key order.
// Both maps keep their keys in the same order, so one walk over the two finds every property
// schema without a lookup per member.
template <typename Visit>
Result walk_members(const Json::object_t& object, const Json::object_t& properties, Visit visit) {
  auto property = properties.begin();
  for (const auto& [key, member] : object) {
    while (property != properties.end() && property->first < key) ++property;
    const bool named = property != properties.end() && property->first == key;
    if (auto bad = visit(key, member, named ? &property->second : nullptr)) return bad;
  }
  return std::nullopt;
}

Result check_object(const Keywords& schema, const Json& v, const PathNode* at) {
  if (!v.is_object()) return std::nullopt;
  static const Json::object_t kNoProperties;
  const Json* props =
      schema.properties != nullptr && schema.properties->is_object() ? schema.properties : nullptr;
  const auto& members = v.get_ref<const Json::object_t&>();
  const auto& properties =
      props != nullptr ? props->get_ref<const Json::object_t&>() : kNoProperties;
  const Json* extra = schema.additional_properties;
  if (extra != nullptr && (extra->is_object() || *extra == false)) {
    auto bad =
        walk_members(members, properties,
                     [&](const std::string& key, const Json& member, const Json* named) -> Result {
                       if (named != nullptr) return std::nullopt;
                       if (*extra == false) {
                         return fail(at, "additionalProperties", unexpected(key, props));
                       }
                       const PathNode child{at, &key, 0};
                       return validate(*extra, member, &child);
                     });
    if (bad) return bad;
  }
  if (const Json* req = schema.required; req != nullptr && req->is_array()) {
    for (const Json& name : *req) {
      if (!name.is_string() || members.contains(name.get_ref<const std::string&>())) continue;
      const PathNode child{at, &name.get_ref<const std::string&>(), 0};
      return fail(&child, "required", "required property is missing");
    }
  }
  return walk_members(members, properties,
                      [&](const std::string& key, const Json& member, const Json* named) -> Result {
                        if (named == nullptr) return std::nullopt;
                        const PathNode child{at, &key, 0};
                        return validate(*named, member, &child);
                      });
}

// anyOf needs at least one matching subschema, oneOf exactly one.
Result check_combinator(const Json* subs, const Json& v, const PathNode* at, const char* kw) {
  if (subs == nullptr || !subs->is_array() || subs->empty()) return std::nullopt;
  const bool one_of = std::string_view(kw) == "oneOf";
  const std::string need =
      std::string(one_of ? "must match exactly one of " : "must match at least one of ") +
      std::to_string(subs->size()) + " schemas";
  std::string reasons;
  std::vector<std::size_t> matched;
  for (std::size_t i = 0; i < subs->size() && matched.size() < 2; ++i) {
    if (auto bad = validate((*subs)[i], v, at)) {
      reasons +=
          (i > 0 ? "; " : "") + std::string("#") + std::to_string(i + 1) + ": " + bad->message;
    } else if (!one_of) {
      return std::nullopt;
    } else {
      matched.push_back(i + 1);
    }
  }
  if (matched.size() == 1) return std::nullopt;
  if (matched.empty()) return fail(at, kw, need + " but matched none (" + reasons + ")");
  return fail(at, kw,
              need + " but matched more than one (#" + std::to_string(matched[0]) + " and #" +
                  std::to_string(matched[1]) + ")");
}

Result validate(const Json& schema, const Json& v, const PathNode* at) {
  if (schema.is_boolean()) {
    if (schema.get<bool>()) return std::nullopt;
    return fail(at, "false", "no value is allowed here");
  }
  if (!schema.is_object()) return std::nullopt;
  const Keywords keywords = keywords_of(schema);
  for (const auto check : {check_type, check_enum, check_const, check_number, check_string,
                           check_array, check_object}) {
    if (auto bad = check(keywords, v, at)) return bad;
  }
  if (auto bad = check_combinator(keywords.any_of, v, at, "anyOf")) return bad;
  return check_combinator(keywords.one_of, v, at, "oneOf");
}

}  // namespace

std::optional<SchemaViolation> validate_against_schema(const Json& schema, const Json& instance) {
  try {
    return validate(schema, instance, nullptr);
  } catch (...) {  // only std::bad_alloc is expected here
    return SchemaViolation{"(root)", "error", "(root): could not be validated (out of memory?)"};
  }
}

}  // namespace lava_mcp::tools
