// Step Functions activity operations: CreateActivity, DescribeActivity, ListActivities,
// DeleteActivity, and GetActivityTask's long poll (parked in an ActivityPoller so that a
// waiting worker holds no I/O thread).
#include <optional>

#include "autoretrain/common/arn.h"
#include "autoretrain/server/aws_shapes.h"
#include "autoretrain/server/step_functions_service.h"
#include "integrations/execution_name.h"
#include "server/activity_poller.h"
#include "server/json_protocol.h"
#include "server/request_reader.h"
#include "server/sfn_common.h"
#include "server/sfn_tags.h"

namespace autoretrain::server {
namespace {

// AWS's InvalidArn for a parameter that must be an activity ARN
// (arn:PARTITION:states:REGION:ACCOUNT:activity:NAME).
Status CheckActivityArn(std::string_view arn) {
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (!parsed || parsed->service != "states" || !parsed->resource.starts_with("activity:") ||
      parsed->resource.size() == std::string_view("activity:").size()) {
    return Error{"InvalidArn", "Invalid Arn: '" + std::string(arn) +
                                   "' is not an activity ARN "
                                   "(arn:aws:states:REGION:ACCOUNT:activity:NAME)"};
  }
  return OkStatus();
}

json::Value ActivityJson(const store::ActivityRecord& activity) {
  return json::Object{{"activityArn", activity.arn},
                      {"name", activity.name},
                      {"creationDate", DateJson(activity.creation_date, kDates)}};
}

json::Value TaskJson(const std::optional<store::ActivityTask>& task) {
  if (!task) return json::Object{};  // AWS's answer when the poll ends without a task
  return json::Object{{"taskToken", task->token}, {"input", task->input}};
}

}  // namespace

Result<json::Value> StepFunctionsService::CreateActivity(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> name = reader.String("name", true, 1, kMaxNameLength);
  std::vector<store::ResourceTag> tags = ReadTags(reader, false);
  if (const json::Value* encryption = reader.Raw("encryptionConfiguration")) {
    const json::Value* type =
        encryption->is_object() ? encryption->as_object().if_contains("type") : nullptr;
    if (type == nullptr || !type->is_string() || type->as_string() != "AWS_OWNED_KEY") {
      reader.Violation("encryptionConfiguration", "{...}",
                       "autoretrain keeps activity data in the project's store: only "
                       "{\"type\": \"AWS_OWNED_KEY\"} (the default) is accepted");
    }
  }
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (std::optional<std::string> problem = integrations::ExecutionNameProblem(*name)) {
    return Error{"InvalidName", "Invalid Name: '" + *name + "': " + *problem};
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  const std::string arn = ActivityArn(runtime_.account(), *name);
  if (Status count = CheckNewResourceTags(arn, tags); !count.ok()) return count.take_error();
  // AWS's CreateActivity is idempotent by name and ignores the tags of a repeated create: tags
  // are stored only when the activity is new.
  Result<store::ActivityRecord> existing = (*store)->DescribeActivity(arn);
  if (!existing.ok() && existing.error().error != "ActivityDoesNotExist") {
    return existing.take_error();
  }
  Result<store::ActivityRecord> created = (*store)->CreateActivity(arn, *name, clock_.Now());
  if (!created.ok()) return created.take_error();
  if (!existing.ok()) {
    // A new activity starts with exactly the given tags (none left from an earlier one).
    Status tagged = (*store)->DeleteResourceTags(created->arn);
    if (tagged.ok()) tagged = (*store)->TagResource(created->arn, tags);
    if (!tagged.ok()) {
      (void)(*store)->DeleteActivity(created->arn);  // all or nothing
      return tagged.take_error();
    }
  }
  return Ok(json::Object{{"activityArn", created->arn},
                         {"creationDate", DateJson(created->creation_date, kDates)}});
}

Result<json::Value> StepFunctionsService::DescribeActivity(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("activityArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckActivityArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::ActivityRecord> activity = (*store)->DescribeActivity(*arn);
  if (!activity.ok()) return activity.take_error();
  return ActivityJson(*activity);
}

Result<json::Value> StepFunctionsService::ListActivities(const json::Object& input) {
  RequestReader reader(input);
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, kMaxPageSize);
  std::optional<std::string> next_token = reader.String("nextToken", false, 1, kMaxPageTokenLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  store::PageRequest request;
  request.max_results = static_cast<int>(max_results.value_or(0));
  request.next_token = next_token.value_or("");
  Result<store::Page<store::ActivityRecord>> page = (*store)->ListActivities(request);
  if (!page.ok()) return page.take_error();
  json::Array activities;
  for (const store::ActivityRecord& activity : page->items) {
    activities.push_back(ActivityJson(activity));
  }
  json::Object output{{"activities", std::move(activities)}};
  if (!page->next_token.empty()) output["nextToken"] = page->next_token;
  return Ok(std::move(output));
}

Result<json::Value> StepFunctionsService::DeleteActivity(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("activityArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (Status checked = CheckActivityArn(*arn); !checked.ok()) return checked.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status deleted = (*store)->DeleteActivity(*arn); !deleted.ok()) return deleted.take_error();
  if (Status untagged = (*store)->DeleteResourceTags(*arn); !untagged.ok()) {
    return untagged.take_error();
  }
  return Ok(json::Object{});
}

void StepFunctionsService::GetActivityTask(const Caller& caller, const json::Object& input,
                                           Done done) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("activityArn", true, 1, kMaxArnLength);
  std::optional<std::string> worker = reader.String("workerName", false, 1, kMaxNameLength);
  if (Status valid = reader.Finish(); !valid.ok()) return done(valid.take_error());
  if (Status checked = CheckActivityArn(*arn); !checked.ok()) return done(checked.take_error());
  Result<store::Store*> store = Store();
  if (!store.ok()) return done(store.take_error());
  // A task ready now is handed out at once (also the ActivityDoesNotExist check).
  Result<std::optional<store::ActivityTask>> task =
      (*store)->GetActivityTask(*arn, worker.value_or(""), clock_.Now());
  if (!task.ok()) return done(task.take_error());
  if (task->has_value() || activity_poll_timeout_.count() <= 0) return done(TaskJson(*task));
  std::call_once(poller_once_, [this, store = *store] {
    poller_ = std::make_unique<ActivityPoller>(*store, clock_, activity_poll_interval_);
  });
  auto shared_done = std::make_shared<Done>(std::move(done));
  Status parked = poller_->Wait(
      *arn, worker.value_or(""), std::chrono::steady_clock::now() + activity_poll_timeout_,
      caller.client_gone, [shared_done](Result<std::optional<store::ActivityTask>> answer) {
        if (!answer.ok()) return (*shared_done)(answer.take_error());
        (*shared_done)(TaskJson(*answer));
      });
  if (!parked.ok()) (*shared_done)(parked.take_error());
}

}  // namespace autoretrain::server
