#include "docs/openapi_summary.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/bounded_json.h"
#include "base/hex.h"
#include "docs/text_util.h"

namespace lava_mcp::docs {
namespace {

// Insertion order keeps properties, responses and schemes in the order the document gives.
using Json = nlohmann::ordered_json;

constexpr std::size_t kMaxRefHops = 32;
constexpr std::size_t kMaxSchemasMerged = 64;
constexpr std::size_t kMaxFields = 50;
constexpr std::size_t kMaxEnumValues = 10;
constexpr std::size_t kDocumentDescription = 600;
constexpr std::size_t kOperationDescription = 400;
constexpr std::size_t kParameterDescription = 160;

const Json* member(const Json* object, std::string_view key) {
  if (object == nullptr || !object->is_object()) {
    return nullptr;
  }
  const auto it = object->find(std::string(key));
  return it == object->end() ? nullptr : &*it;
}

// A scalar as text ("1.0" for a number too); empty for anything else.
std::string scalar(const Json* value) {
  if (value == nullptr) {
    return {};
  }
  if (value->is_string()) {
    return value->get<std::string>();
  }
  if (value->is_number() || value->is_boolean()) {
    return value->dump();
  }
  return {};
}

std::string text_at(const Json* object, std::string_view key) {
  return scalar(member(object, key));
}

bool flag_at(const Json* object, std::string_view key) {
  const Json* value = member(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

// The first paragraph that is not a markdown heading, on one line, at most `max` bytes.
std::string short_text(std::string_view text, std::size_t max) {
  std::string paragraph;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = trim_space(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || (paragraph.empty() && atx_heading(line) > 0)) {
      if (!paragraph.empty()) {
        break;
      }
      continue;
    }
    if (!paragraph.empty()) {
      paragraph += ' ';
    }
    paragraph.append(line);
    if (paragraph.size() > max) {
      break;
    }
  }
  paragraph = collapse_whitespace(paragraph);
  if (paragraph.size() <= max) {
    return paragraph;
  }
  std::size_t cut = utf8_prefix(paragraph, max).size();
  const std::size_t space = paragraph.rfind(' ', cut);
  if (space != std::string::npos && space > max / 2) {
    cut = space;
  }
  return std::string(trim_space_end(std::string_view(paragraph).substr(0, cut))) + "\xE2\x80\xA6";
}

// A JSON pointer token with ~1, ~0 and %XX undone.
std::string unescape_token(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else if (token[i] == '%' && i + 2 < token.size() && hex_digit_value(token[i + 1]) >= 0 &&
               hex_digit_value(token[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit_value(token[i + 1]) * 16 + hex_digit_value(token[i + 2]));
      i += 2;
    } else {
      out += token[i];
    }
  }
  return out;
}

// "#/components/schemas/Pet" -> "Pet".
std::string last_segment(std::string_view ref) {
  const std::size_t slash = ref.rfind('/');
  return unescape_token(slash == std::string_view::npos ? ref : ref.substr(slash + 1));
}

class Summarizer {
 public:
  Summarizer(const Json& root, bool swagger) : root_(root), swagger_(swagger) {}

  std::string run() {
    document_header();
    servers();
    authentication();
    operations();
    return std::string(trim_space_end(out_));
  }

 private:
  // --- references --------------------------------------------------------------------------

  const Json* resolve_pointer(std::string_view ref) const {
    if (ref.empty() || ref[0] != '#') {
      return nullptr;  // only local references
    }
    ref.remove_prefix(1);
    const Json* current = &root_;
    if (ref.empty()) {
      return current;
    }
    if (ref[0] != '/') {
      return nullptr;
    }
    std::size_t pos = 1;
    while (current != nullptr) {
      const std::size_t slash = ref.find('/', pos);
      const std::string token = unescape_token(
          ref.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
      if (current->is_object()) {
        current = member(current, token);
      } else if (current->is_array() && !token.empty() &&
                 std::all_of(token.begin(), token.end(), is_ascii_digit) && token.size() < 10) {
        const std::size_t index = std::stoul(token);
        current = index < current->size() ? &(*current)[index] : nullptr;
      } else {
        current = nullptr;
      }
      if (slash == std::string_view::npos) {
        break;
      }
      pos = slash + 1;
    }
    return current;
  }

  // `node` with "$ref" chains followed; nullptr for dangling or cyclic references. The first
  // reference's last segment goes to *name when given.
  const Json* deref(const Json* node, std::string* name = nullptr) const {
    std::vector<const Json*> seen;
    while (node != nullptr && node->is_object()) {
      const Json* ref = member(node, "$ref");
      if (ref == nullptr || !ref->is_string()) {
        return node;
      }
      if (name != nullptr && name->empty()) {
        *name = last_segment(ref->get<std::string>());
      }
      if (seen.size() >= kMaxRefHops || std::find(seen.begin(), seen.end(), node) != seen.end()) {
        return nullptr;
      }
      seen.push_back(node);
      node = resolve_pointer(ref->get<std::string>());
    }
    return node;
  }

  // --- schemas -----------------------------------------------------------------------------

  // A schema's type in a few words, looking through at most one level (array items).
  std::string type_name(const Json* schema, bool look_inside = true) const {
    if (schema == nullptr || !schema->is_object()) {
      return {};
    }
    if (const Json* ref = member(schema, "$ref"); ref != nullptr && ref->is_string()) {
      return last_segment(ref->get<std::string>());
    }
    std::string type;
    if (const Json* t = member(schema, "type"); t != nullptr && t->is_array()) {
      for (const Json& item : *t) {
        if (item.is_string()) {
          type += (type.empty() ? "" : " | ") + item.get<std::string>();
        }
      }
    } else {
      type = text_at(schema, "type");
    }
    if (type == "array" && look_inside) {
      const std::string items = type_name(member(schema, "items"), false);
      type = items.empty() ? "array" : "array of " + items;
    }
    if (type.empty()) {
      for (std::string_view combinator : {"oneOf", "anyOf", "allOf"}) {
        const Json* options = member(schema, combinator);
        if (options == nullptr || !options->is_array() || !look_inside) {
          continue;
        }
        std::string joined;
        for (const Json& option : *options) {
          const std::string name = type_name(&option, false);
          if (!name.empty()) {
            joined += (joined.empty() ? "" : combinator == "allOf" ? " & " : " | ") + name;
          }
        }
        if (!joined.empty()) {
          type = joined;
          break;
        }
      }
    }
    if (type.empty()) {
      type = member(schema, "properties") != nullptr ? "object" : "";
    }
    if (const std::string format = text_at(schema, "format"); !format.empty() && !type.empty()) {
      type += " (" + format + ")";
    }
    if (const Json* values = member(schema, "enum"); values != nullptr && values->is_array()) {
      std::string list;
      std::size_t shown = 0;
      for (const Json& value : *values) {
        const std::string v = scalar(&value);
        if (v.empty() && !value.is_string()) {
          continue;
        }
        if (shown == kMaxEnumValues) {
          list += ", \xE2\x80\xA6";
          break;
        }
        list += (shown == 0 ? "" : ", ") + v;
        ++shown;
      }
      if (!list.empty()) {
        type += (type.empty() ? "one of " : ", one of ") + list;
      }
    }
    return type;
  }

  struct Fields {
    std::vector<std::pair<std::string, std::string>> names;  // name, type
    std::unordered_set<std::string> required;
    std::size_t more = 0;
  };

  // Top-level property names of `schema`, its $ref followed and allOf parts merged; each
  // schema object is visited once, so reference cycles end.
  Fields fields_of(const Json* schema) const {
    Fields fields;
    std::vector<const Json*> work{schema};
    std::unordered_set<const Json*> visited;
    std::unordered_set<std::string> seen_names;
    while (!work.empty() && visited.size() < kMaxSchemasMerged) {
      const Json* node = deref(work.back());
      work.pop_back();
      if (node == nullptr || !node->is_object() || !visited.insert(node).second) {
        continue;
      }
      if (const Json* required = member(node, "required"); required && required->is_array()) {
        for (const Json& name : *required) {
          if (name.is_string()) {
            fields.required.insert(name.get<std::string>());
          }
        }
      }
      if (const Json* properties = member(node, "properties");
          properties && properties->is_object()) {
        for (const auto& [name, property] : properties->items()) {
          if (!seen_names.insert(name).second) {
            continue;
          }
          if (fields.names.size() >= kMaxFields) {
            ++fields.more;
            continue;
          }
          fields.names.emplace_back(name, type_name(&property));
        }
      }
      if (const Json* parts = member(node, "allOf"); parts && parts->is_array()) {
        for (auto it = parts->rbegin(); it != parts->rend(); ++it) {
          work.push_back(&*it);
        }
      }
    }
    return fields;
  }

  void write_fields(const Fields& fields) {
    if (fields.names.empty()) {
      return;
    }
    std::string line = "Fields: ";
    for (std::size_t i = 0; i < fields.names.size(); ++i) {
      const auto& [name, type] = fields.names[i];
      std::string details = type;
      if (fields.required.count(name) > 0) {
        details += details.empty() ? "required" : ", required";
      }
      line += (i == 0 ? "" : ", ") + name + (details.empty() ? "" : " (" + details + ")");
    }
    if (fields.more > 0) {
      line += ", and " + std::to_string(fields.more) + " more";
    }
    out_ += line + "\n";
  }

  // A request body schema: "Schema: X" and its fields (array items' fields for arrays).
  void write_schema(const Json* schema) {
    if (schema == nullptr) {
      return;
    }
    const std::string type = type_name(schema);
    if (!type.empty()) {
      out_ += "Schema: " + type + "\n";
    }
    const Json* resolved = deref(schema);
    if (text_at(resolved, "type") == "array") {
      write_fields(fields_of(member(resolved, "items")));
    } else {
      write_fields(fields_of(schema));
    }
  }

  // --- document parts ----------------------------------------------------------------------

  void document_header() {
    const Json* info = member(&root_, "info");
    const std::string title = collapse_whitespace(text_at(info, "title"));
    out_ += "# " + (title.empty() ? std::string("API") : title) + "\n\n";
    const std::string version = text_at(info, "version");
    const std::string spec = swagger_ ? "Swagger " + text_at(&root_, "swagger")
                                      : "OpenAPI " + text_at(&root_, "openapi");
    out_ += (version.empty() ? "" : "Version: " + version + " ") + "(" + spec + ")\n\n";
    const std::string description = short_text(text_at(info, "description"), kDocumentDescription);
    if (!description.empty()) {
      out_ += description + "\n\n";
    }
  }

  void servers() {
    std::vector<std::string> lines;
    if (swagger_) {
      const std::string host = text_at(&root_, "host");
      const std::string base_path = text_at(&root_, "basePath");
      std::string scheme = "https";
      if (const Json* schemes = member(&root_, "schemes");
          schemes && schemes->is_array() && !schemes->empty()) {
        const std::string first = scalar(&schemes->front());
        scheme = first.empty() ? scheme : first;
      }
      if (!host.empty()) {
        lines.push_back("- " + scheme + "://" + host + base_path);
      } else if (!base_path.empty()) {
        lines.push_back("- " + base_path);
      }
    } else if (const Json* list = member(&root_, "servers"); list && list->is_array()) {
      for (const Json& server : *list) {
        const std::string url = text_at(&server, "url");
        if (url.empty()) {
          continue;
        }
        const std::string description = short_text(text_at(&server, "description"), 120);
        lines.push_back("- " + url + (description.empty() ? "" : " \xE2\x80\x94 " + description));
      }
    }
    if (lines.empty()) {
      return;
    }
    out_ += "## Servers\n\n";
    for (const std::string& line : lines) {
      out_ += line + "\n";
    }
    out_ += "\n";
  }

  std::string scheme_line(const std::string& name, const Json* scheme) const {
    std::string line = "- " + name + ": ";
    const std::string type = text_at(scheme, "type");
    line += type.empty() ? "unknown type" : type;
    if (type == "apiKey") {
      const std::string where = text_at(scheme, "in");
      const std::string key = text_at(scheme, "name");
      if (!where.empty() || !key.empty()) {
        line += ", " + (where.empty() ? std::string("header") : where) + " " + key;
      }
    } else if (type == "http") {
      const std::string http_scheme = text_at(scheme, "scheme");
      if (!http_scheme.empty()) {
        line += ", scheme " + http_scheme;
      }
      const std::string format = text_at(scheme, "bearerFormat");
      if (!format.empty()) {
        line += ", bearer format " + format;
      }
    } else if (type == "oauth2") {
      if (const Json* flows = member(scheme, "flows"); flows && flows->is_object()) {
        std::string names;
        for (const auto& [flow, value] : flows->items()) {
          names += (names.empty() ? "" : ", ") + flow;
          const std::string token_url = text_at(&value, "tokenUrl");
          if (!token_url.empty()) {
            names += " (token URL " + token_url + ")";
          }
        }
        if (!names.empty()) {
          line += ", flows " + names;
        }
      } else {
        const std::string flow = text_at(scheme, "flow");
        if (!flow.empty()) {
          line += ", flow " + flow;
        }
        const std::string token_url = text_at(scheme, "tokenUrl");
        if (!token_url.empty()) {
          line += ", token URL " + token_url;
        }
      }
    } else if (type == "openIdConnect") {
      const std::string url = text_at(scheme, "openIdConnectUrl");
      if (!url.empty()) {
        line += ", " + url;
      }
    }
    const std::string description = short_text(text_at(scheme, "description"), 160);
    if (!description.empty()) {
      line += " \xE2\x80\x94 " + description;
    }
    return line;
  }

  void authentication() {
    const Json* schemes = swagger_ ? member(&root_, "securityDefinitions")
                                   : member(member(&root_, "components"), "securitySchemes");
    std::string lines;
    if (schemes != nullptr && schemes->is_object()) {
      for (const auto& [name, scheme] : schemes->items()) {
        lines += scheme_line(name, deref(&scheme)) + "\n";
      }
    }
    std::string required;
    if (const Json* security = member(&root_, "security"); security && security->is_array()) {
      for (const Json& requirement : *security) {
        if (!requirement.is_object()) {
          continue;
        }
        std::string all;
        for (const auto& [name, scopes] : requirement.items()) {
          all += (all.empty() ? "" : " + ") + name;
        }
        if (!all.empty()) {
          required += (required.empty() ? "" : " or ") + all;
        }
      }
    }
    if (lines.empty() && required.empty()) {
      return;
    }
    out_ += "## Authentication\n\n" + lines;
    if (!required.empty()) {
      out_ += (lines.empty() ? "" : "\n") + std::string("Required by default: ") + required + "\n";
    }
    out_ += "\n";
  }

  struct Operation {
    std::string path;
    std::string method;
    const Json* item = nullptr;       // the path item
    const Json* operation = nullptr;  // the operation object
  };

  void operations() {
    const Json* paths = member(&root_, "paths");
    if (paths == nullptr || !paths->is_object()) {
      return;
    }
    std::vector<Operation> list;
    for (const auto& [path, item] : paths->items()) {
      if (path.rfind("x-", 0) == 0 || !item.is_object()) {
        continue;
      }
      for (const auto& [method, operation] : item.items()) {
        if (!is_method(method) || !operation.is_object()) {
          continue;
        }
        std::string upper = method;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
        list.push_back({path, upper, &item, &operation});
      }
    }
    std::stable_sort(list.begin(), list.end(), [](const Operation& a, const Operation& b) {
      return a.path != b.path ? a.path < b.path : a.method < b.method;
    });
    for (const Operation& op : list) {
      operation(op);
    }
  }

  static bool is_method(std::string_view name) {
    const std::string l = ascii_lower(name);
    for (std::string_view m :
         {"get", "put", "post", "delete", "options", "head", "patch", "trace"}) {
      if (l == m) {
        return true;
      }
    }
    return false;
  }

  void operation(const Operation& op) {
    out_ += "## " + op.method + " " + op.path + "\n\n";
    const std::string summary = short_text(text_at(op.operation, "summary"), kOperationDescription);
    const std::string description =
        short_text(text_at(op.operation, "description"), kOperationDescription);
    std::string paragraph = summary;
    if (!description.empty() && description != summary) {
      paragraph += (paragraph.empty() ? "" : " \xE2\x80\x94 ") + description;
    }
    if (!paragraph.empty()) {
      out_ += paragraph + "\n\n";
    }
    std::string facts;
    if (flag_at(op.operation, "deprecated")) {
      facts += "Deprecated.\n";
    }
    if (const std::string id = text_at(op.operation, "operationId"); !id.empty()) {
      facts += "Operation ID: " + id + "\n";
    }
    if (!facts.empty()) {
      out_ += facts + "\n";
    }
    parameters(op);
    request_body(op);
    responses(op);
  }

  // Path-level parameters merged with the operation's (the operation wins on name and place).
  std::vector<const Json*> merged_parameters(const Operation& op) const {
    std::vector<const Json*> merged;
    std::vector<std::pair<std::string, std::string>> keys;
    for (const Json* owner : {op.operation, op.item}) {
      const Json* list = member(owner, "parameters");
      if (list == nullptr || !list->is_array()) {
        continue;
      }
      for (const Json& entry : *list) {
        const Json* parameter = deref(&entry);
        if (parameter == nullptr || !parameter->is_object()) {
          continue;
        }
        std::pair<std::string, std::string> key{text_at(parameter, "name"),
                                                text_at(parameter, "in")};
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
          continue;
        }
        keys.push_back(std::move(key));
        merged.push_back(parameter);
      }
    }
    return merged;
  }

  void parameters(const Operation& op) {
    std::string lines;
    for (const Json* parameter : merged_parameters(op)) {
      const std::string where = text_at(parameter, "in");
      if (swagger_ && (where == "body" || where == "formData")) {
        continue;  // part of the request body
      }
      const std::string name = text_at(parameter, "name");
      const bool required = flag_at(parameter, "required") || where == "path";
      std::string type = member(parameter, "schema") != nullptr
                             ? type_name(member(parameter, "schema"))
                             : type_name(parameter);
      std::string line = "- " + (name.empty() ? std::string("(unnamed)") : name) + " (" +
                         (where.empty() ? std::string("?") : where) + ", " +
                         (required ? "required" : "optional") + ")";
      if (!type.empty()) {
        line += ": " + type;
      }
      const std::string description =
          short_text(text_at(parameter, "description"), kParameterDescription);
      if (!description.empty()) {
        line += " \xE2\x80\x94 " + description;
      }
      lines += line + "\n";
    }
    if (!lines.empty()) {
      out_ += "Parameters:\n" + lines + "\n";
    }
  }

  static std::string join_types(const Json* list) {
    std::string joined;
    if (list != nullptr && list->is_array()) {
      for (const Json& type : *list) {
        const std::string t = scalar(&type);
        if (!t.empty()) {
          joined += (joined.empty() ? "" : ", ") + t;
        }
      }
    }
    return joined;
  }

  void request_body(const Operation& op) {
    if (swagger_) {
      swagger_body(op);
      return;
    }
    const Json* body = deref(member(op.operation, "requestBody"));
    if (body == nullptr || !body->is_object()) {
      return;
    }
    std::string types;
    const Json* chosen = nullptr;
    const Json* content = member(body, "content");
    if (content != nullptr && content->is_object()) {
      for (const auto& [type, media] : content->items()) {
        types += (types.empty() ? "" : ", ") + type;
        const Json* schema = member(&media, "schema");
        if (schema != nullptr && (chosen == nullptr || type == "application/json")) {
          chosen = schema;
        }
      }
    }
    out_ += std::string("Request body") + (flag_at(body, "required") ? " (required)" : "") +
            (types.empty() ? "" : ": " + types) + "\n";
    const std::string description = short_text(text_at(body, "description"), kParameterDescription);
    if (!description.empty()) {
      out_ += description + "\n";
    }
    write_schema(chosen);
    out_ += "\n";
  }

  void swagger_body(const Operation& op) {
    const Json* body = nullptr;
    std::vector<const Json*> form;
    for (const Json* parameter : merged_parameters(op)) {
      const std::string where = text_at(parameter, "in");
      if (where == "body" && body == nullptr) {
        body = parameter;
      } else if (where == "formData") {
        form.push_back(parameter);
      }
    }
    if (body == nullptr && form.empty()) {
      return;
    }
    std::string types = join_types(member(op.operation, "consumes"));
    if (types.empty()) {
      types = join_types(member(&root_, "consumes"));
    }
    if (types.empty()) {
      types = body != nullptr ? "application/json" : "application/x-www-form-urlencoded";
    }
    const bool required = body != nullptr
                              ? flag_at(body, "required")
                              : std::any_of(form.begin(), form.end(),
                                            [](const Json* p) { return flag_at(p, "required"); });
    out_ += std::string("Request body") + (required ? " (required)" : "") + ": " + types + "\n";
    if (body != nullptr) {
      write_schema(member(body, "schema"));
    } else {
      Fields fields;
      for (const Json* parameter : form) {
        const std::string name = text_at(parameter, "name");
        fields.names.emplace_back(name, type_name(parameter));
        if (flag_at(parameter, "required")) {
          fields.required.insert(name);
        }
      }
      write_fields(fields);
    }
    out_ += "\n";
  }

  void responses(const Operation& op) {
    const Json* list = member(op.operation, "responses");
    if (list == nullptr || !list->is_object() || list->empty()) {
      return;
    }
    std::string lines;
    for (const auto& [status, entry] : list->items()) {
      if (status.rfind("x-", 0) == 0) {
        continue;
      }
      const Json* response = deref(&entry);
      const std::string description = short_text(text_at(response, "description"), 200);
      lines += "- " + status + (description.empty() ? "" : ": " + description) + "\n";
    }
    if (!lines.empty()) {
      out_ += "Responses:\n" + lines + "\n";
    }
  }

  const Json& root_;
  bool swagger_;
  std::string out_;
};

bool looks_like_yaml_openapi(std::string_view document) {
  const std::string_view start = trim_space(document.substr(0, 64 * 1024));
  if (start.empty() || start[0] == '{' || start[0] == '[') {
    return false;
  }
  std::size_t pos = 0;
  while (pos < start.size()) {
    const std::size_t end = std::min(start.find('\n', pos), start.size());
    const std::string_view line = start.substr(pos, end - pos);
    if (line.rfind("openapi:", 0) == 0 || line.rfind("swagger:", 0) == 0 ||
        line.rfind("\"openapi\":", 0) == 0 || line.rfind("'openapi':", 0) == 0) {
      return true;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace

Expected<std::string> openapi_summary(std::string_view document) {
  try {
    if (document.substr(0, 3) == "\xEF\xBB\xBF") {
      document.remove_prefix(3);
    }
    if (looks_like_yaml_openapi(document)) {
      return fail(error_code::kInvalidParams,
                  "OpenAPI YAML documents are not supported; only JSON can be summarised");
    }
    if (nests_deeper_than(document, kMaxJsonNesting)) {
      return fail(error_code::kInvalidParams, "OpenAPI document nests deeper than " +
                                                  std::to_string(kMaxJsonNesting) + " levels");
    }
    Json root;
    try {
      root = Json::parse(document);
    } catch (const Json::parse_error& e) {
      return fail(error_code::kInvalidParams,
                  "OpenAPI document is not valid JSON: " + clean_text(e.what()));
    }
    if (!root.is_object()) {
      return fail(error_code::kInvalidParams, "OpenAPI document: expected a JSON object");
    }
    const std::string openapi = text_at(&root, "openapi");
    const std::string swagger = text_at(&root, "swagger");
    if (openapi.empty() && swagger.empty()) {
      return fail(error_code::kInvalidParams,
                  "not an OpenAPI document: no \"openapi\" or \"swagger\" version");
    }
    if (!openapi.empty() && openapi.rfind("3", 0) != 0) {
      return fail(error_code::kInvalidParams, "openapi: unsupported version " + openapi);
    }
    if (openapi.empty() && swagger.rfind("2", 0) != 0) {
      return fail(error_code::kInvalidParams, "swagger: unsupported version " + swagger);
    }
    return clean_text(Summarizer(root, openapi.empty()).run());
  } catch (const std::exception& e) {
    return fail(error_code::kInternalError, "OpenAPI summary failed: " + clean_text(e.what()));
  }
}

}  // namespace lava_mcp::docs
