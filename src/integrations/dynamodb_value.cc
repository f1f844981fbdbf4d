#include "integrations/dynamodb_value.h"

#include <algorithm>
#include <set>

#include "integrations/dynamodb_number.h"

namespace autoretrain::integrations::dynamo {
namespace {

Error Serialization(std::string message) {
  return Error{"SerializationException", std::move(message)};
}

constexpr std::string_view kTypes[] = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

// The message DynamoDB's Java front end gives for a JSON value where a string was expected.
Error NotAString(const json::Value& v) {
  if (v.is_bool()) {
    return Serialization(std::string(v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE") +
                         " cannot be converted to String");
  }
  if (v.is_number()) {
    return Serialization(std::string(v.is_double() ? "DECIMAL_VALUE" : "NUMBER_VALUE") +
                         " cannot be converted to String");
  }
  if (v.is_array()) return Serialization("Unrecognized collection type class java.lang.String");
  return Serialization("Start of structure or map found where not expected");
}

std::string ListText(const json::Array& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ", ";
    out += values[i].is_string() ? std::string(values[i].get_string()) : json::Serialize(values[i]);
  }
  return out + "]";
}

Status ValidateSet(std::string_view type, json::Array& values) {
  for (const json::Value& v : values) {
    if (!v.is_string()) return NotAString(v);
  }
  if (values.empty()) {
    if (type == "SS") {
      return Validation(
          "One or more parameter values were invalid: An string set  may not be empty");
    }
    if (type == "NS") {
      return Validation(
          "One or more parameter values were invalid: An number set  may not be empty");
    }
    return Validation("One or more parameter values were invalid: Binary sets should not be empty");
  }
  std::set<std::string> seen;
  bool duplicate = false;
  for (json::Value& v : values) {
    std::string text(v.get_string());
    if (type == "NS") {
      Result<Decimal> d = ParseNumber(text);
      if (!d.ok()) return d.take_error();
      text = FormatDecimal(*d);
      v = json::String(text);
    } else if (type == "BS" && !DecodeBase64(text)) {
      return Serialization("Invalid last non-pad Base64 character dectected");
    }
    if (!seen.insert(text).second) duplicate = true;
  }
  if (!duplicate) return OkStatus();
  if (type == "SS") {
    return Validation("One or more parameter values were invalid: Input collection " +
                      ListText(values) + " contains duplicates.");
  }
  if (type == "NS") return Validation("Input collection contains duplicates");
  return Validation("One or more parameter values were invalid: Input collection " +
                    ListText(values) + "of type BS contains duplicates.");
}

bool SetsEqual(const json::Array& a, const json::Array& b, bool numbers) {
  if (a.size() != b.size()) return false;
  auto key = [&](const json::Value& v) {
    std::string text(v.get_string());
    if (numbers) {
      if (Result<Decimal> d = ParseDecimal(text); d.ok()) return FormatDecimal(*d);
    }
    return text;
  };
  std::set<std::string> left;
  for (const json::Value& v : a) left.insert(key(v));
  for (const json::Value& v : b) {
    if (!left.count(key(v))) return false;
  }
  return true;
}

size_t ValueSize(const json::Value& value);

size_t StringBytes(const json::Value& v) { return v.is_string() ? v.get_string().size() : 0; }

size_t ValueSize(const json::Value& value) {
  const json::Object& o = value.get_object();
  if (o.empty()) return 0;
  const auto& [type, v] = *o.begin();
  if (type == "S") return StringBytes(v);
  if (type == "N") {
    Result<Decimal> d = ParseDecimal(v.get_string());
    return d.ok() ? NumberSize(*d) : v.get_string().size();
  }
  if (type == "B") {
    auto bytes = DecodeBase64(v.get_string());
    return bytes ? bytes->size() : 0;
  }
  if (type == "BOOL" || type == "NULL") return 1;
  size_t total = 0;
  if (type == "SS" || type == "NS" || type == "BS") {
    for (const json::Value& e : v.get_array()) {
      total += ValueSize(json::Object{{std::string_view(type.data(), 1), e}});
    }
    return total;
  }
  if (type == "L") {
    total = 3;
    for (const json::Value& e : v.get_array()) total += 1 + ValueSize(e);
    return total;
  }
  if (type == "M") {
    total = 3;
    for (const auto& [name, e] : v.get_object()) total += 1 + name.size() + ValueSize(e);
    return total;
  }
  return 0;
}

}  // namespace

Status ValidateValue(json::Value& value) {
  if (!value.is_object()) {
    if (value.is_array()) {
      return Serialization(
          "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    }
    return Serialization("Unexpected value type in payload");
  }
  json::Object& o = value.get_object();
  int types = 0;
  for (auto it = o.begin(); it != o.end();) {
    bool known = std::find(std::begin(kTypes), std::end(kTypes), it->key()) != std::end(kTypes);
    if (!known || it->value().is_null()) {
      it = o.erase(it);  // DynamoDB ignores unknown members (and nulls)
      continue;
    }
    ++types;
    ++it;
  }
  if (types == 0) {
    return Validation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  for (auto& [type, v] : o) {
    if (type == "S") {
      if (!v.is_string()) return NotAString(v);
    } else if (type == "N") {
      if (!v.is_string()) return NotAString(v);
      Result<Decimal> d = ParseNumber(v.get_string());
      if (!d.ok()) return d.take_error();
      v = json::String(FormatDecimal(*d));
    } else if (type == "B") {
      if (!v.is_string()) {
        return Serialization("only base-64-encoded strings are convertible to bytes");
      }
      if (v.get_string().size() % 4 != 0) {
        return Serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " +
                             std::to_string(v.get_string().size()));
      }
      if (!DecodeBase64(v.get_string())) {
        return Serialization("Invalid last non-pad Base64 character dectected");
      }
    } else if (type == "BOOL" || type == "NULL") {
      if (!v.is_bool()) {
        return Serialization(v.is_string() ? "Unexpected token received from parser"
                                           : "Start of structure or map found where not expected");
      }
      if (type == "NULL" && !v.get_bool()) {
        return Validation(
            "One or more parameter values were invalid: Null attribute value types must have the "
            "value of true");
      }
    } else if (type == "SS" || type == "NS" || type == "BS") {
      if (!v.is_array()) return Serialization("Unexpected field type");
      if (Status s = ValidateSet(type, v.get_array()); !s.ok()) return s;
    } else if (type == "L") {
      if (!v.is_array()) return Serialization("Unexpected field type");
      for (json::Value& e : v.get_array()) {
        if (Status s = ValidateValue(e); !s.ok()) return s;
      }
    } else if (type == "M") {
      if (!v.is_object()) return Serialization("Unexpected field type");
      for (auto& [name, e] : v.get_object()) {
        if (Status s = ValidateValue(e); !s.ok()) return s;
      }
    }
  }
  if (types > 1) {
    return Validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes");
  }
  return OkStatus();
}

Status ValidateItem(json::Value& item) {
  if (!item.is_object()) return Serialization("Unexpected field type");
  for (auto& [name, v] : item.get_object()) {
    if (Status s = ValidateValue(v); !s.ok()) return s;
  }
  return OkStatus();
}

std::string_view TypeOf(const json::Value& value) {
  const json::Object& o = value.get_object();
  if (o.empty()) return "";
  std::string_view key = o.begin()->key();
  return key;
}

bool ValuesEqual(const json::Value& a, const json::Value& b) {
  std::string_view ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb) return false;
  const json::Value& va = a.get_object().begin()->value();
  const json::Value& vb = b.get_object().begin()->value();
  if (ta == "N") return CompareValues(a, b) == 0;
  if (ta == "SS" || ta == "BS" || ta == "NS") {
    return SetsEqual(va.get_array(), vb.get_array(), ta == "NS");
  }
  if (ta == "L") {
    const json::Array &x = va.get_array(), &y = vb.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!ValuesEqual(x[i], y[i])) return false;
    }
    return true;
  }
  if (ta == "M") {
    const json::Object &x = va.get_object(), &y = vb.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& [name, v] : x) {
      const json::Value* other = y.if_contains(name);
      if (other == nullptr || !ValuesEqual(v, *other)) return false;
    }
    return true;
  }
  return va == vb;
}

std::optional<int> CompareValues(const json::Value& a, const json::Value& b) {
  std::string_view ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb || (ta != "S" && ta != "N" && ta != "B")) return std::nullopt;
  std::string_view x = a.get_object().begin()->value().get_string();
  std::string_view y = b.get_object().begin()->value().get_string();
  if (ta == "N") {
    Result<Decimal> dx = ParseDecimal(x), dy = ParseDecimal(y);
    if (!dx.ok() || !dy.ok()) return std::nullopt;
    return CompareDecimal(*dx, *dy);
  }
  std::string bx, by;
  if (ta == "B") {
    bx = DecodeBase64(x).value_or("");
    by = DecodeBase64(y).value_or("");
    x = bx;
    y = by;
  }
  int c = x.compare(y);  // std::string_view compares as unsigned char
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string KeyBytes(const json::Value& value) {
  std::string_view type = TypeOf(value);
  std::string_view text = value.get_object().begin()->value().get_string();
  if (type == "N") {
    Result<Decimal> d = ParseDecimal(text);
    return d.ok() ? SortableBytes(*d) : std::string(text);
  }
  if (type == "B") return DecodeBase64(text).value_or("");
  return std::string(text);
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[k] = sextet(c);
      if (v[k] < 0) return std::nullopt;
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(static_cast<char>(n >> 16));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

size_t ItemSize(const json::Object& item) {
  size_t total = 0;
  for (const auto& [name, v] : item) total += name.size() + ValueSize(v);
  return total;
}

json::Value NumberValue(std::string text) { return json::Object{{"N", std::move(text)}}; }

}  // namespace autoretrain::integrations::dynamo
