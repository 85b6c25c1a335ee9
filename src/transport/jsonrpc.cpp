#include "transport/jsonrpc.h"

#include "base/bounded_json.h"
#include "base/json_reader.h"
#include "base/json_writer.h"

namespace lava_mcp::transport {
namespace {

bool is_valid_id(const Json& id) { return id.is_string() || id.is_number_integer(); }

DecodeFailure invalid(Json id, std::string message) {
  return DecodeFailure{std::move(id), Error{error_code::kInvalidRequest, std::move(message)}};
}

// The message is the caller's to give up: its parts are moved out, not copied.
Incoming decode_response(Json& message, Json id) {
  const auto result = message.find("result");
  const auto error = message.find("error");
  if ((result == message.end()) == (error == message.end())) {
    return invalid(std::move(id),
                   "Invalid Request: a response needs exactly one of result or error");
  }
  Response response{std::move(id), result != message.end(), {}, {}};
  if (response.ok) {
    response.result = std::move(*result);
    return response;
  }
  if (!error->is_object()) {
    return invalid(std::move(response.id), "Invalid Request: error must be an object");
  }
  const auto code = error->find("code");
  const auto text = error->find("message");
  response.error.code = (code != error->end() && code->is_number_integer())
                            ? code->get<int>()
                            : error_code::kInternalError;
  response.error.message =
      (text != error->end() && text->is_string()) ? text->get<std::string>() : "";
  if (const auto data = error->find("data"); data != error->end()) {
    response.error.data = std::move(*data);
  }
  return response;
}

Incoming decode_object(Json& message) {
  Json id = nullptr;
  const auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  if (has_id && is_valid_id(*id_it)) {
    id = *id_it;
  }
  const auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    return invalid(std::move(id), "Invalid Request: \"jsonrpc\" must be \"2.0\"");
  }
  const auto method = message.find("method");
  if (method == message.end()) {
    if (!has_id || !is_valid_id(*id_it)) {
      return invalid(nullptr, "Invalid Request: missing \"method\"");
    }
    return decode_response(message, std::move(id));
  }
  if (!method->is_string()) {
    return invalid(std::move(id), "Invalid Request: \"method\" must be a string");
  }
  Json params = nullptr;
  if (const auto p = message.find("params"); p != message.end()) {
    if (!p->is_object() && !p->is_array()) {
      return invalid(std::move(id), "Invalid Request: \"params\" must be an object");
    }
    params = std::move(*p);
  }
  if (!has_id) {
    return Notification{method->get<std::string>(), std::move(params)};
  }
  if (!is_valid_id(*id_it)) {
    return invalid(nullptr, "Invalid Request: \"id\" must be a string or an integer");
  }
  return Request{std::move(id), method->get<std::string>(), std::move(params)};
}

Json envelope(const Json& id) {
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["id"] = id;
  return message;
}

// Why read_json refused `line`: scanned only then, so valid lines pay one pass, not three.
Error refusal(std::string_view line) {
  // JSON has no raw NUL anywhere; the message says so rather than "not valid JSON".
  if (line.find('\0') != std::string_view::npos) {
    return Error{error_code::kParseError, "Parse error: NUL byte in message"};
  }
  if (nests_deeper_than(line, kMaxJsonNesting)) {
    return Error{error_code::kInvalidRequest, "Invalid Request: JSON nested deeper than " +
                                                  std::to_string(kMaxJsonNesting) + " levels"};
  }
  return Error{error_code::kParseError, "Parse error: not valid JSON"};
}

}  // namespace

Incoming decode_message(std::string_view line) {
  Json message = read_json(line, kMaxJsonNesting);
  if (message.is_discarded()) {
    return DecodeFailure{nullptr, refusal(line)};
  }
  if (message.is_array()) {
    return invalid(nullptr, "Invalid Request: JSON-RPC batches are not supported");
  }
  if (!message.is_object()) {
    return invalid(nullptr, "Invalid Request: a message must be a JSON object");
  }
  return decode_object(message);
}

std::string encode_result(const Json& id, const Json& result) {
  // Same bytes as dumping envelope(id) + "result" (keys in std::map order: id, jsonrpc,
  // result), without deep-copying the result into a temporary envelope first.
  std::string out = "{\"id\":";
  append_compact_json(out, id);
  out += ",\"jsonrpc\":\"2.0\",\"result\":";
  append_compact_json(out, result);
  out += '}';
  return out;
}

std::string encode_error(const Json& id, const Error& error) {
  Json message = envelope(id);
  Json body = {{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) {
    body["data"] = error.data;
  }
  message["error"] = std::move(body);
  return compact_json(message);
}

std::string encode_notification(std::string_view method, const Json& params) {
  Json message = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) {
    message["params"] = params;
  }
  return compact_json(message);
}

std::string encode_request(const Json& id, std::string_view method, const Json& params) {
  Json message = envelope(id);
  message["method"] = method;
  if (!params.is_null()) {
    message["params"] = params;
  }
  return compact_json(message);
}

}  // namespace lava_mcp::transport
