// Step Functions resource tags: TagResource, UntagResource, ListTagsForResource (of state
// machines and activities, kept in the project's store), and the tag checks CreateStateMachine
// and CreateActivity share (sfn_tags.h).
#include "server/sfn_tags.h"

#include <cctype>
#include <optional>
#include <set>

#include "autoretrain/common/arn.h"
#include "autoretrain/server/step_functions_service.h"
#include "server/json_protocol.h"
#include "server/sfn_common.h"

namespace autoretrain::server {
namespace {

constexpr size_t kMaxTagKeyLength = 128;
constexpr size_t kMaxTagValueLength = 256;
constexpr char kReservedPrefix[] = "aws:";
constexpr char kTagPattern[] =
    "Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$ "
    "(Unicode letters, digits, white space and _ . : / = + - @ only)";

// Whether `text` holds only what AWS allows in tags. Every ASCII character is checked; a
// non-ASCII (multi-byte UTF-8) character is accepted as the letter it almost always is.
bool TagCharactersAllowed(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) continue;
    if (std::isalnum(c) || std::isspace(c)) continue;
    if (std::string_view("_.:/=+-@").find(static_cast<char>(c)) != std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

// Checks one key (of tags or tagKeys) at `member`; true when valid.
bool CheckKey(RequestReader& reader, const std::string& member, const std::string& key) {
  const size_t length = CharacterCount(key);
  if (length < 1 || length > kMaxTagKeyLength) {
    reader.Violation(member, Quoted(key),
                     "Member must have length between 1 and " + std::to_string(kMaxTagKeyLength));
    return false;
  }
  if (!TagCharactersAllowed(key)) {
    reader.Violation(member, Quoted(key), kTagPattern);
    return false;
  }
  std::string lower = key.substr(0, std::string_view(kReservedPrefix).size());
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == kReservedPrefix) {
    reader.Violation(member, Quoted(key),
                     "Member must not start with 'aws:', which AWS reserves: choose another key");
    return false;
  }
  return true;
}

// The ARN of a state machine or activity in the store: OK, InvalidArn for any other ARN, or
// ResourceNotFound when there is no such resource.
Status CheckResource(store::Store& store, const std::string& arn) {
  std::optional<ParsedArn> parsed = ParseArn(arn);
  Status found = OkStatus();
  if (parsed && parsed->service == "states" && parsed->resource.starts_with("stateMachine:")) {
    if (Result<std::string> name = StateMachineNameOfArn(arn); !name.ok()) {
      return name.take_error();
    }
    Result<store::StateMachineRecord> machine = store.GetStateMachine(arn);
    if (!machine.ok()) found = machine.take_error();
  } else if (parsed && parsed->service == "states" && parsed->resource.starts_with("activity:") &&
             parsed->resource.size() > std::string_view("activity:").size()) {
    Result<store::ActivityRecord> activity = store.DescribeActivity(arn);
    if (!activity.ok()) found = activity.take_error();
  } else {
    return Error{"InvalidArn", "Invalid Arn: '" + arn +
                                   "' is neither a state machine ARN "
                                   "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME) nor an "
                                   "activity ARN (arn:aws:states:REGION:ACCOUNT:activity:NAME)"};
  }
  if (found.ok()) return found;
  const std::string& error = found.error().error;
  if (error == "StateMachineDoesNotExist" || error == "ActivityDoesNotExist") {
    return Error{"ResourceNotFound", "Resource not found: '" + arn +
                                         "' (create the state machine or activity first, or "
                                         "check the ARN's region, account and name)"};
  }
  return found;
}

}  // namespace

std::vector<store::ResourceTag> ReadTags(RequestReader& reader, bool required) {
  std::vector<store::ResourceTag> tags;
  const json::Value* list = reader.Raw("tags");
  if (list == nullptr) {
    if (required) reader.Violation("tags", "null", "Member must not be null");
    return tags;
  }
  if (!list->is_array()) {
    reader.WrongType("tags", "a list of {key, value}");
    return tags;
  }
  int index = 0;
  for (const json::Value& item : list->as_array()) {
    const std::string member = "tags." + std::to_string(++index) + ".member";
    const json::Value* key = item.is_object() ? item.as_object().if_contains("key") : nullptr;
    const json::Value* value = item.is_object() ? item.as_object().if_contains("value") : nullptr;
    if (!item.is_object() || (key && !key->is_string() && !key->is_null()) ||
        (value && !value->is_string() && !value->is_null())) {
      reader.WrongType("tags", "a list of {\"key\": string, \"value\": string}");
      return {};
    }
    if (key == nullptr || key->is_null()) {
      reader.Violation(member + ".key", "null", "Member must not be null");
      continue;
    }
    store::ResourceTag tag{std::string(key->as_string()), ""};
    bool valid = CheckKey(reader, member + ".key", tag.key);
    if (value != nullptr && !value->is_null()) {
      tag.value = std::string(value->as_string());
      if (CharacterCount(tag.value) > kMaxTagValueLength) {
        reader.Violation(
            member + ".value", Quoted(tag.value),
            "Member must have length less than or equal to " + std::to_string(kMaxTagValueLength));
        valid = false;
      } else if (!TagCharactersAllowed(tag.value)) {
        reader.Violation(member + ".value", Quoted(tag.value), kTagPattern);
        valid = false;
      }
    }
    if (valid) tags.push_back(std::move(tag));
  }
  return tags;
}

Status CheckNewResourceTags(const std::string& resource,
                            const std::vector<store::ResourceTag>& tags) {
  std::set<std::string> keys;
  for (const store::ResourceTag& tag : tags) keys.insert(tag.key);
  if (keys.size() <= store::kMaxTagsPerResource) return OkStatus();
  return Error{"TooManyTags", "Too many tags: " + std::to_string(keys.size()) + " given for '" +
                                  resource + "'; the limit is " +
                                  std::to_string(store::kMaxTagsPerResource) +
                                  " per resource. Give fewer tags"};
}

Result<json::Value> StepFunctionsService::TagResource(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("resourceArn", true, 1, kMaxArnLength);
  std::vector<store::ResourceTag> tags = ReadTags(reader, true);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status found = CheckResource(**store, *arn); !found.ok()) return found.take_error();
  if (Status tagged = (*store)->TagResource(*arn, tags); !tagged.ok()) return tagged.take_error();
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::UntagResource(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("resourceArn", true, 1, kMaxArnLength);
  std::vector<std::string> keys;
  const json::Value* list = reader.Raw("tagKeys");
  if (list == nullptr) {
    reader.Violation("tagKeys", "null", "Member must not be null");
  } else if (!list->is_array()) {
    reader.WrongType("tagKeys", "a list of strings");
  } else {
    int index = 0;
    for (const json::Value& key : list->as_array()) {
      ++index;
      if (!key.is_string()) {
        reader.WrongType("tagKeys", "a list of strings");
        break;
      }
      std::string text(key.as_string());
      if (CheckKey(reader, "tagKeys." + std::to_string(index) + ".member", text)) {
        keys.push_back(std::move(text));
      }
    }
  }
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status found = CheckResource(**store, *arn); !found.ok()) return found.take_error();
  if (Status untagged = (*store)->UntagResource(*arn, keys); !untagged.ok()) {
    return untagged.take_error();
  }
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::ListTagsForResource(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("resourceArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status found = CheckResource(**store, *arn); !found.ok()) return found.take_error();
  Result<std::vector<store::ResourceTag>> tags = (*store)->ListResourceTags(*arn);
  if (!tags.ok()) return tags.take_error();
  json::Array list;
  for (const store::ResourceTag& tag : *tags) {
    list.push_back(json::Object{{"key", tag.key}, {"value", tag.value}});
  }
  return Ok(json::Object{{"tags", std::move(list)}});
}

}  // namespace autoretrain::server
