#include "server/request_reader.h"

#include <algorithm>

#include "server/json_protocol.h"

namespace autoretrain::server {
namespace {

// AWS shows at most this much of a value in a validation message.
constexpr size_t kShownCharacters = 256;

std::string QuotedValue(std::string_view value) {
  if (value.size() > kShownCharacters) {
    return "'" + std::string(value.substr(0, kShownCharacters)) + "...'";
  }
  return "'" + std::string(value) + "'";
}

}  // namespace

size_t CharacterCount(std::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

const json::Value* RequestReader::Raw(std::string_view member) const {
  const json::Value* value = input_.if_contains(member);
  return value == nullptr || value->is_null() ? nullptr : value;
}

void RequestReader::Violation(std::string_view member, std::string_view shown,
                              std::string_view constraint) {
  violations_.push_back("Value " + std::string(shown) + " at '" + std::string(member) +
                        "' failed to satisfy constraint: " + std::string(constraint));
}

void RequestReader::WrongType(std::string_view member, std::string_view expected) {
  if (wrong_type_) return;
  const json::Value* value = input_.if_contains(member);
  wrong_type_ = Error{kSerializationException,
                      "'" + std::string(member) + "' must be " + std::string(expected) +
                          ", not a JSON " + std::string(value ? json::TypeName(*value) : "value")};
}

std::optional<std::string> RequestReader::String(std::string_view member, bool required, size_t min,
                                                 size_t max) {
  const json::Value* value = Raw(member);
  if (value == nullptr) {
    if (required) Violation(member, "null", "Member must not be null");
    return std::nullopt;
  }
  if (!value->is_string()) {
    WrongType(member, "a string");
    return std::nullopt;
  }
  std::string text(value->as_string());
  const size_t length = CharacterCount(text);
  if (length < min) {
    Violation(member, QuotedValue(text),
              "Member must have length greater than or equal to " + std::to_string(min));
    return std::nullopt;
  }
  if (length > max) {
    Violation(member, QuotedValue(text),
              "Member must have length less than or equal to " + std::to_string(max));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> RequestReader::Enum(std::string_view member, bool required,
                                               const std::vector<std::string_view>& allowed) {
  std::optional<std::string> text = String(member, required, 0, SIZE_MAX);
  if (!text) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
    std::string set;
    for (std::string_view item : allowed) set += (set.empty() ? "" : ", ") + std::string(item);
    Violation(member, QuotedValue(*text), "Member must satisfy enum value set: [" + set + "]");
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> RequestReader::Integer(std::string_view member, int64_t min, int64_t max) {
  const json::Value* value = Raw(member);
  if (value == nullptr) return std::nullopt;
  if (!value->is_int64() && !value->is_uint64()) {
    WrongType(member, "an integer");
    return std::nullopt;
  }
  if (value->is_uint64() && !value->is_int64()) {
    Violation(member, std::to_string(value->as_uint64()),
              "Member must have value less than or equal to " + std::to_string(max));
    return std::nullopt;
  }
  const int64_t number = value->as_int64();
  if (number < min) {
    Violation(member, std::to_string(number),
              "Member must have value greater than or equal to " + std::to_string(min));
    return std::nullopt;
  }
  if (number > max) {
    Violation(member, std::to_string(number),
              "Member must have value less than or equal to " + std::to_string(max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> RequestReader::Boolean(std::string_view member) {
  const json::Value* value = Raw(member);
  if (value == nullptr) return std::nullopt;
  if (!value->is_bool()) {
    WrongType(member, "a boolean");
    return std::nullopt;
  }
  return value->as_bool();
}

Status RequestReader::Finish() const {
  if (wrong_type_) return *wrong_type_;
  if (violations_.empty()) return OkStatus();
  std::string message = std::to_string(violations_.size()) +
                        (violations_.size() == 1 ? " validation error" : " validation errors") +
                        " detected: ";
  for (size_t i = 0; i < violations_.size(); ++i) {
    if (i > 0) message += "; ";
    message += violations_[i];
  }
  return Error{kValidationException, std::move(message)};
}

}  // namespace autoretrain::server
