// Scheduler API documents: the EventBridge Scheduler request bodies of CreateSchedule and
// UpdateSchedule, validated as the EventBridge Scheduler API Reference (and botocore's service
// model) defines them, turned into the GetSchedule shape that the store keeps and GetSchedule
// answers; the ScheduleRunner configuration a stored schedule fires with; the shapes of a
// project's own schedules (autoretrain.json); names and ARNs.
//
// Thread-safety: pure functions.
#ifndef AUTORETRAIN_SERVER_SCHEDULER_DOCUMENTS_H_
#define AUTORETRAIN_SERVER_SCHEDULER_DOCUMENTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/store/store.h"

namespace autoretrain::server::scheduler_api {

// A ValidationException (HTTP 400) saying `message`: the Scheduler API's error for a request
// that breaks its rules.
inline Error Invalid(std::string message) {
  return Error{"ValidationException", std::move(message)};
}

// The group every account has; it cannot be deleted.
inline constexpr char kDefaultGroup[] = "default";
// A stored document's field for the ClientToken it was created with (never answered).
inline constexpr char kClientTokenField[] = "ClientToken";

// Why `value` is not a valid schedule or group name (1-64 characters of 0-9 a-z A-Z - _ .),
// naming it as `what` ("Name", "GroupName"); nullopt when valid.
std::optional<std::string> NameProblem(std::string_view what, std::string_view value);
// Why `value` is not a valid ClientToken (1-64 of a-z A-Z 0-9 - _); nullopt when valid.
std::optional<std::string> ClientTokenProblem(std::string_view value);

// arn:aws:scheduler:REGION:ACCOUNT:schedule/GROUP/NAME and .../schedule-group/NAME.
std::string ScheduleArn(const AccountContext& account, std::string_view group,
                        std::string_view name);
std::string GroupArn(const AccountContext& account, std::string_view group);

// The tags of CreateScheduleGroup's and TagResource's "Tags": a list of at most 200
// {"Key": 1-128 characters, "Value": 1-256 characters} objects. ValidationException otherwise,
// naming the first wrong one.
Result<std::vector<store::ResourceTag>> ReadSchedulerTags(const json::Value& tags);

// The name the ScheduleRunner knows a schedule by, which its executions are named after:
// NAME in the default group (as a project's schedules are named), NAME@GROUP in another.
std::string RunnerName(std::string_view group, std::string_view name);
// {group, name} for a RunnerName.
std::pair<std::string, std::string> FromRunnerName(std::string_view runner_name);

// Validates the body of CreateSchedule or UpdateSchedule for schedule `name` of `group` and
// returns its GetSchedule document: Arn, Name, GroupName, ScheduleExpression,
// ScheduleExpressionTimezone (default UTC), State (default ENABLED), Description, StartDate,
// EndDate, FlexibleTimeWindow, Target (with RetryPolicy, AWS's defaults filled in), KmsKeyArn,
// ActionAfterCompletion (default NONE), CreationDate (`created`), LastModificationDate (`now`),
// and the ClientToken when one was sent. Dates are epoch seconds. Fails with
// Error{"ValidationException", message naming the field, what is wrong and what is allowed}.
Result<json::Object> ScheduleDocument(const json::Object& body, const std::string& group,
                                      const std::string& name, const AccountContext& account,
                                      TimePoint created, TimePoint now);

// What a stored document fires with: the runner's configuration and the state machine ARN.
// Fails with ValidationException for a document ScheduleDocument did not write.
struct RunnerSchedule {
  retrain::ScheduleConfig config;
  std::string state_machine_arn;
};
Result<RunnerSchedule> RunnerScheduleOf(const json::Object& document);

// The GetSchedule document of a project's schedule `name` (group default), targeting
// `state_machine_arn`; its Description says it is defined in autoretrain.json.
json::Object ProjectScheduleDocument(const std::string& name, const retrain::ScheduleConfig& config,
                                     const std::string& state_machine_arn,
                                     const AccountContext& account);

// ListSchedules' ScheduleSummary of a document: Arn, Name, GroupName, State, Target {Arn},
// CreationDate and LastModificationDate (when the document has them).
json::Object ScheduleSummary(const json::Object& document);

// The document without the fields kept for the server only (the ClientToken).
json::Object PublicDocument(json::Object document);

}  // namespace autoretrain::server::scheduler_api

#endif  // AUTORETRAIN_SERVER_SCHEDULER_DOCUMENTS_H_
