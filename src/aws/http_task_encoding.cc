// The URL_ENCODED transform of the HTTP task's RequestBody.
#include "autoretrain/aws/http_task.h"

namespace autoretrain::aws {
namespace {

std::string Scalar(const json::Value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_null()) return "";
  return json::Serialize(value);
}

void Append(std::string* out, std::string_view key, std::string_view encoded_value) {
  if (!out->empty()) *out += '&';
  *out += UriEncode(key, false);
  *out += '=';
  *out += encoded_value;
}

void Encode(std::string* out, const std::string& key, const json::Value& value,
            ArrayFormat format) {
  if (value.is_object()) {
    for (const auto& [sub, v] : value.get_object()) {
      Encode(out, key + "[" + std::string(sub) + "]", v, format);
    }
    return;
  }
  if (!value.is_array()) {
    Append(out, key, UriEncode(Scalar(value), false));
    return;
  }
  const json::Array& items = value.get_array();
  if (format == ArrayFormat::kCommas) {
    std::string joined;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) joined += ',';
      joined +=
          UriEncode(items[i].is_structured() ? json::Serialize(items[i]) : Scalar(items[i]), false);
    }
    Append(out, key, joined);
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    std::string item_key = format == ArrayFormat::kIndices    ? key + "[" + std::to_string(i) + "]"
                           : format == ArrayFormat::kBrackets ? key + "[]"
                                                              : key;
    Encode(out, item_key, items[i], format);
  }
}

}  // namespace

std::string UrlEncodeBody(const json::Object& body, ArrayFormat format) {
  std::string out;
  for (const auto& [key, value] : body) Encode(&out, std::string(key), value, format);
  return out;
}

}  // namespace autoretrain::aws
