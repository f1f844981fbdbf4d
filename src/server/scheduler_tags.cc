// SchedulerService (scheduler_service.h): TagResource, UntagResource and ListTagsForResource,
// for schedule groups (the only EventBridge Scheduler resources that take tags). The tags live
// in the store's resource tags, under the group's ARN, and go with the group when it is deleted.
#include <regex>

#include "server/scheduler_documents.h"
#include "server/scheduler_service.h"

namespace autoretrain::server {

using namespace scheduler_api;  // NOLINT: the documents' helpers, in this file only

namespace {

json::Object TagsOutput(const std::vector<store::ResourceTag>& tags) {
  json::Array out;
  for (const store::ResourceTag& tag : tags) {
    out.push_back(json::Object{{"Key", tag.key}, {"Value", tag.value}});
  }
  return json::Object{{"Tags", std::move(out)}};
}

}  // namespace

Result<std::string> SchedulerService::TaggableGroup(const std::string& arn) {
  // The ResourceArn pattern of the EventBridge Scheduler API Reference.
  static const std::regex kGroupArn(
      R"(arn:aws(-[a-z]+)?:scheduler:[a-z0-9\-]+:\d{12}:schedule-group/([0-9a-zA-Z\-_.]+))");
  std::smatch match;
  if (arn.size() > 1011 || !std::regex_match(arn, match, kGroupArn)) {
    return Invalid("ResourceArn '" + arn +
                   "' is not a schedule group ARN (arn:aws:scheduler:REGION:ACCOUNT:"
                   "schedule-group/NAME): only schedule groups take tags");
  }
  const std::string name = match[2];
  if (arn != GroupArn(account_, name)) {
    return Error{"ResourceNotFoundException",
                 "Schedule group " + arn + " does not exist: this server's groups are " +
                     GroupArn(account_, "NAME") + " (its account and region)."};
  }
  if (Status exists = GroupExists(name); !exists.ok()) return exists.take_error();
  return name;
}

Result<json::Object> SchedulerService::TagResource(const Call& call) {
  for (const auto& member : call.body) {
    if (member.key() != "Tags") {
      return Invalid(std::string(member.key()) + " is not a member of TagResource (it takes Tags)");
    }
  }
  const json::Value* given = call.body.if_contains("Tags");
  if (given == nullptr) return Invalid("Tags is required: the list of tags to add");
  Result<std::vector<store::ResourceTag>> tags = ReadSchedulerTags(*given);
  if (!tags.ok()) return tags.take_error();
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::string> group = TaggableGroup(call.name);
  if (!group.ok()) return group.take_error();
  Status tagged = store_.TagResource(call.name, *tags);
  if (!tagged.ok() && tagged.error().error == "TooManyTags") return Invalid(tagged.error().cause);
  if (!tagged.ok()) return tagged.take_error();
  return json::Object{};
}

Result<json::Object> SchedulerService::UntagResource(const Call& call) {
  std::vector<std::string> keys;
  for (auto [it, end] = call.query.equal_range("TagKeys"); it != end; ++it) {
    if (it->second.empty() || it->second.size() > 128) {
      return Invalid("TagKeys '" + it->second + "' is not valid: a key of 1 to 128 characters");
    }
    keys.push_back(it->second);
  }
  if (keys.empty() || keys.size() > 200) {
    return Invalid(
        "TagKeys is required: 1 to 200 keys to remove, each as a query parameter "
        "(?TagKeys=K1&TagKeys=K2)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::string> group = TaggableGroup(call.name);
  if (!group.ok()) return group.take_error();
  if (Status untagged = store_.UntagResource(call.name, keys); !untagged.ok()) {
    return untagged.take_error();
  }
  return json::Object{};
}

Result<json::Object> SchedulerService::ListTagsForResource(const Call& call) {
  Result<std::string> group = TaggableGroup(call.name);
  if (!group.ok()) return group.take_error();
  Result<std::vector<store::ResourceTag>> tags = store_.ListResourceTags(call.name);
  if (!tags.ok()) return tags.take_error();
  return TagsOutput(*tags);
}

}  // namespace autoretrain::server
