// Scheduler API documents (scheduler_documents.h).
#include "server/scheduler_documents.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <regex>

#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"

namespace autoretrain::server::scheduler_api {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxDescription = 512;
constexpr size_t kMaxExpression = 256;
constexpr size_t kMaxTimezone = 50;
constexpr size_t kMaxTargetArn = 1600;
constexpr int kDefaultRetryAttempts = 185;
constexpr int kDefaultEventAge = 86400;

bool AllOf(std::string_view value, std::string_view extra) {
  for (char c : value) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && extra.find(c) == std::string_view::npos) return false;
  }
  return true;
}

json::Value Date(TimePoint t) {
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  if (ms % 1000 == 0) return json::Value(ms / 1000);
  return json::Value(static_cast<double>(ms) / 1000.0);
}

// A timestamp member: epoch seconds (what the SDKs send) or an ISO 8601 string.
Result<TimePoint> ReadDate(const json::Value& value, std::string_view field) {
  if (value.is_number()) {
    const double seconds = json::AsDouble(value);
    if (std::isfinite(seconds) && seconds >= 0 && seconds < 7258118400.0) {  // before 2200
      return TimePoint(
          std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000))));
    }
  } else if (value.is_string()) {
    TimePoint t;
    if (ParseIso8601(std::string(value.as_string()), &t)) return t;
  }
  return Invalid(std::string(field) +
                 " must be a timestamp: epoch seconds, or an ISO 8601 date and time such as "
                 "2026-12-01T03:00:00Z, between 1970 and 2199");
}

Result<std::string> ReadString(const json::Object& object, std::string_view field,
                               std::string_view where, size_t min, size_t max) {
  const json::Value* value = object.if_contains(field);
  const std::string name = std::string(where) + std::string(field);
  if (value == nullptr || !value->is_string()) {
    return Invalid(name + " must be a string");
  }
  std::string text(value->as_string());
  if (text.size() < min || text.size() > max) {
    return Invalid(name + " must be " + std::to_string(min) + " to " + std::to_string(max) +
                   " characters long; it has " + std::to_string(text.size()));
  }
  return text;
}

Result<int64_t> ReadInt(const json::Object& object, std::string_view field, std::string_view where,
                        int64_t min, int64_t max) {
  const json::Value* value = object.if_contains(field);
  const std::string name = std::string(where) + std::string(field);
  if (value == nullptr || !(value->is_int64() || value->is_uint64())) {
    return Invalid(name + " must be a whole number from " + std::to_string(min) + " to " +
                   std::to_string(max));
  }
  const int64_t n =
      value->is_int64() ? value->as_int64() : static_cast<int64_t>(value->as_uint64());
  if (n < min || n > max) {
    return Invalid(name + " is " + std::to_string(n) + "; it must be from " + std::to_string(min) +
                   " to " + std::to_string(max));
  }
  return n;
}

// Fails naming the first member of `object` not in `allowed`.
Status OnlyMembers(const json::Object& object, std::initializer_list<std::string_view> allowed,
                   std::string_view where, std::string_view hint = "") {
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (known) continue;
    std::string list;
    for (std::string_view name : allowed) list += (list.empty() ? "" : ", ") + std::string(name);
    return Invalid(std::string(where) + std::string(member.key()) + " is not supported here" +
                   std::string(hint) + "; the members are " + list);
  }
  return OkStatus();
}

Result<json::Object> ReadFlexibleTimeWindow(const json::Object& body) {
  const json::Value* value = body.if_contains("FlexibleTimeWindow");
  if (value == nullptr || !value->is_object()) {
    return Invalid(
        "FlexibleTimeWindow is required: {\"Mode\": \"OFF\"}, or {\"Mode\": \"FLEXIBLE\", "
        "\"MaximumWindowInMinutes\": 1-1440}");
  }
  const json::Object& window = value->as_object();
  if (Status ok = OnlyMembers(window, {"Mode", "MaximumWindowInMinutes"}, "FlexibleTimeWindow.");
      !ok.ok()) {
    return ok.take_error();
  }
  const json::Value* mode = window.if_contains("Mode");
  if (mode == nullptr || !mode->is_string() ||
      (mode->as_string() != "OFF" && mode->as_string() != "FLEXIBLE")) {
    return Invalid("FlexibleTimeWindow.Mode must be OFF or FLEXIBLE");
  }
  json::Object out{{"Mode", *mode}};
  const bool has_window = window.contains("MaximumWindowInMinutes");
  if (mode->as_string() == "OFF") {
    if (has_window) {
      return Invalid(
          "FlexibleTimeWindow.MaximumWindowInMinutes is only allowed with Mode FLEXIBLE; remove "
          "it, or set Mode to FLEXIBLE");
    }
    return out;
  }
  if (!has_window) {
    return Invalid(
        "FlexibleTimeWindow.MaximumWindowInMinutes (1-1440) is required with Mode FLEXIBLE");
  }
  Result<int64_t> minutes =
      ReadInt(window, "MaximumWindowInMinutes", "FlexibleTimeWindow.", 1, 1440);
  if (!minutes.ok()) return minutes.take_error();
  out["MaximumWindowInMinutes"] = *minutes;
  return out;
}

Result<json::Object> ReadTarget(const json::Object& body) {
  const json::Value* value = body.if_contains("Target");
  if (value == nullptr || !value->is_object()) {
    return Invalid(
        "Target is required: {\"Arn\": a state machine ARN, \"RoleArn\": an IAM role ARN, "
        "\"Input\": JSON text}");
  }
  const json::Object& target = value->as_object();
  if (Status ok = OnlyMembers(
          target, {"Arn", "RoleArn", "Input", "RetryPolicy", "DeadLetterConfig"}, "Target.",
          " (autoretrain's schedules start Step Functions executions: the "
          "parameters of other target types do not apply)");
      !ok.ok()) {
    return ok.take_error();
  }
  Result<std::string> arn = ReadString(target, "Arn", "Target.", 1, kMaxTargetArn);
  if (!arn.ok()) return arn.take_error();
  std::optional<ParsedArn> parsed = ParseArn(*arn);
  if (!parsed || parsed->service != "states" || !parsed->resource.starts_with("stateMachine:") ||
      parsed->resource.size() == std::string_view("stateMachine:").size()) {
    return Invalid("Target.Arn '" + *arn +
                   "' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:"
                   "NAME): autoretrain's schedules start executions of its state machines "
                   "(the universal StartExecution target)");
  }
  Result<std::string> role = ReadString(target, "RoleArn", "Target.", 1, kMaxTargetArn);
  if (!role.ok()) return role.take_error();
  static const std::regex kRole(
      R"(arn:aws(-[a-z]+)?:iam::\d{12}:role/(service-role/)?[a-zA-Z0-9+=,.@\-_]+)");
  if (!std::regex_match(*role, kRole)) {
    return Invalid("Target.RoleArn '" + *role +
                   "' is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
  }
  json::Object out{{"Arn", *arn}, {"RoleArn", *role}};
  if (target.contains("Input")) {
    Result<std::string> input = ReadString(target, "Input", "Target.", 1, 256 * 1024);
    if (!input.ok()) return input.take_error();
    Result<json::Value> parsed_input = json::Parse(*input);
    if (!parsed_input.ok()) {
      return Invalid("Target.Input must be JSON text (the execution's input): " +
                     parsed_input.error().cause);
    }
    out["Input"] = *input;
  }
  json::Object retry{{"MaximumEventAgeInSeconds", kDefaultEventAge},
                     {"MaximumRetryAttempts", kDefaultRetryAttempts}};
  if (const json::Value* policy = target.if_contains("RetryPolicy")) {
    if (!policy->is_object()) {
      return Invalid(
          "Target.RetryPolicy must be an object {\"MaximumEventAgeInSeconds\": 60-86400, "
          "\"MaximumRetryAttempts\": 0-185}");
    }
    const json::Object& given = policy->as_object();
    if (Status ok = OnlyMembers(given, {"MaximumEventAgeInSeconds", "MaximumRetryAttempts"},
                                "Target.RetryPolicy.");
        !ok.ok()) {
      return ok.take_error();
    }
    if (given.contains("MaximumEventAgeInSeconds")) {
      Result<int64_t> age =
          ReadInt(given, "MaximumEventAgeInSeconds", "Target.RetryPolicy.", 60, 86400);
      if (!age.ok()) return age.take_error();
      retry["MaximumEventAgeInSeconds"] = *age;
    }
    if (given.contains("MaximumRetryAttempts")) {
      Result<int64_t> attempts =
          ReadInt(given, "MaximumRetryAttempts", "Target.RetryPolicy.", 0, 185);
      if (!attempts.ok()) return attempts.take_error();
      retry["MaximumRetryAttempts"] = *attempts;
    }
  }
  out["RetryPolicy"] = std::move(retry);
  if (const json::Value* dlq = target.if_contains("DeadLetterConfig")) {
    if (!dlq->is_object()) return Invalid("Target.DeadLetterConfig must be an object {\"Arn\"}");
    const json::Object& config = dlq->as_object();
    if (Status ok = OnlyMembers(config, {"Arn"}, "Target.DeadLetterConfig."); !ok.ok()) {
      return ok.take_error();
    }
    json::Object kept;
    if (config.contains("Arn")) {
      Result<std::string> queue = ReadString(config, "Arn", "Target.DeadLetterConfig.", 1, 1600);
      if (!queue.ok()) return queue.take_error();
      static const std::regex kQueue(R"(arn:aws(-[a-z]+)?:sqs:[a-z0-9\-]+:\d{12}:[a-zA-Z0-9\-_]+)");
      if (!std::regex_match(*queue, kQueue)) {
        return Invalid("Target.DeadLetterConfig.Arn '" + *queue +
                       "' is not an SQS queue ARN (arn:aws:sqs:REGION:ACCOUNT:QUEUE)");
      }
      kept["Arn"] = *queue;
    }
    out["DeadLetterConfig"] = std::move(kept);
  }
  return out;
}

}  // namespace

std::optional<std::string> NameProblem(std::string_view what, std::string_view value) {
  if (value.empty() || value.size() > kMaxName || !AllOf(value, "-_.")) {
    return std::string(what) + " '" + std::string(value) +
           "' is not valid: use 1 to 64 characters of 0-9, a-z, A-Z, '-', '_' and '.'";
  }
  return std::nullopt;
}

std::optional<std::string> ClientTokenProblem(std::string_view value) {
  if (value.empty() || value.size() > kMaxName || !AllOf(value, "-_")) {
    return "ClientToken '" + std::string(value) +
           "' is not valid: use 1 to 64 characters of a-z, A-Z, 0-9, '-' and '_'";
  }
  return std::nullopt;
}

std::string ScheduleArn(const AccountContext& account, std::string_view group,
                        std::string_view name) {
  return "arn:" + account.partition + ":scheduler:" + account.region + ":" + account.account +
         ":schedule/" + std::string(group) + "/" + std::string(name);
}

std::string GroupArn(const AccountContext& account, std::string_view group) {
  return "arn:" + account.partition + ":scheduler:" + account.region + ":" + account.account +
         ":schedule-group/" + std::string(group);
}

Result<std::vector<store::ResourceTag>> ReadSchedulerTags(const json::Value& tags) {
  constexpr size_t kMaxTagsPerRequest = 200;
  if (!tags.is_array() || tags.as_array().size() > kMaxTagsPerRequest) {
    return Error{"ValidationException",
                 "Tags must be a list of at most 200 {\"Key\", \"Value\"} objects"};
  }
  std::vector<store::ResourceTag> read;
  for (const json::Value& tag : tags.as_array()) {
    const json::Object* object = tag.if_object();
    const json::Value* key = object != nullptr ? object->if_contains("Key") : nullptr;
    const json::Value* value = object != nullptr ? object->if_contains("Value") : nullptr;
    const bool valid = key != nullptr && value != nullptr && object->size() == 2 &&
                       key->is_string() && value->is_string() && !key->as_string().empty() &&
                       key->as_string().size() <= 128 && !value->as_string().empty() &&
                       value->as_string().size() <= 256;
    if (!valid) {
      return Error{"ValidationException",
                   "each tag must be {\"Key\": 1-128 characters, \"Value\": 1-256 characters}; "
                   "found " +
                       json::Serialize(tag)};
    }
    read.push_back({std::string(key->as_string()), std::string(value->as_string())});
  }
  return read;
}

std::string RunnerName(std::string_view group, std::string_view name) {
  if (group == kDefaultGroup) return std::string(name);
  return std::string(name) + "@" + std::string(group);
}

std::pair<std::string, std::string> FromRunnerName(std::string_view runner_name) {
  const size_t at = runner_name.find('@');
  if (at == std::string_view::npos) return {kDefaultGroup, std::string(runner_name)};
  return {std::string(runner_name.substr(at + 1)), std::string(runner_name.substr(0, at))};
}

Result<json::Object> ScheduleDocument(const json::Object& body, const std::string& group,
                                      const std::string& name, const AccountContext& account,
                                      TimePoint created, TimePoint now) {
  if (Status ok =
          OnlyMembers(body,
                      {"ActionAfterCompletion", "ClientToken", "Description", "EndDate",
                       "FlexibleTimeWindow", "GroupName", "KmsKeyArn", "Name", "ScheduleExpression",
                       "ScheduleExpressionTimezone", "StartDate", "State", "Target"},
                      "");
      !ok.ok()) {
    return ok.take_error();
  }
  json::Object doc;
  doc["Arn"] = ScheduleArn(account, group, name);
  doc["Name"] = name;
  doc["GroupName"] = group;

  Result<std::string> expression = ReadString(body, "ScheduleExpression", "", 1, kMaxExpression);
  if (!expression.ok()) {
    return Invalid(expression.error().cause +
                   " (required: cron(...), rate(...) or at(yyyy-mm-ddThh:mm:ss))");
  }
  Result<scheduler::ScheduleExpression> parsed = scheduler::ParseScheduleExpression(*expression);
  if (!parsed.ok()) return Invalid("ScheduleExpression: " + parsed.error().cause);
  doc["ScheduleExpression"] = *expression;

  std::string zone = "UTC";
  if (body.contains("ScheduleExpressionTimezone")) {
    Result<std::string> given = ReadString(body, "ScheduleExpressionTimezone", "", 1, kMaxTimezone);
    if (!given.ok()) return given.take_error();
    zone = *given;
  }
  if (Result<scheduler::TimeZone> loaded = scheduler::TimeZone::Load(zone); !loaded.ok()) {
    return Invalid("ScheduleExpressionTimezone: " + loaded.error().cause +
                   " (use an IANA name such as Europe/Berlin or UTC)");
  }
  doc["ScheduleExpressionTimezone"] = zone;

  std::string state = "ENABLED";
  if (const json::Value* given = body.if_contains("State")) {
    if (!given->is_string() ||
        (given->as_string() != "ENABLED" && given->as_string() != "DISABLED")) {
      return Invalid("State must be ENABLED or DISABLED");
    }
    state = std::string(given->as_string());
  }
  doc["State"] = state;

  if (body.contains("Description")) {
    Result<std::string> description = ReadString(body, "Description", "", 0, kMaxDescription);
    if (!description.ok()) return description.take_error();
    doc["Description"] = *description;
  }
  std::optional<TimePoint> start, end;
  if (const json::Value* given = body.if_contains("StartDate")) {
    Result<TimePoint> t = ReadDate(*given, "StartDate");
    if (!t.ok()) return t.take_error();
    start = *t;
    doc["StartDate"] = Date(*t);
  }
  if (const json::Value* given = body.if_contains("EndDate")) {
    Result<TimePoint> t = ReadDate(*given, "EndDate");
    if (!t.ok()) return t.take_error();
    end = *t;
    doc["EndDate"] = Date(*t);
  }
  if (start && end && *end <= *start) {
    return Invalid("EndDate (" + FormatIso8601(*end) + ") must be after StartDate (" +
                   FormatIso8601(*start) + ")");
  }

  Result<json::Object> window = ReadFlexibleTimeWindow(body);
  if (!window.ok()) return window.take_error();
  doc["FlexibleTimeWindow"] = std::move(window).value();
  Result<json::Object> target = ReadTarget(body);
  if (!target.ok()) return target.take_error();
  doc["Target"] = std::move(target).value();

  if (body.contains("KmsKeyArn")) {
    Result<std::string> key = ReadString(body, "KmsKeyArn", "", 1, 2048);
    if (!key.ok()) return key.take_error();
    static const std::regex kKey(
        R"(arn:aws(-[a-z]+)?:kms:[a-z0-9\-]+:\d{12}:(key|alias)/[0-9a-zA-Z-_]*)");
    if (!std::regex_match(*key, kKey)) {
      return Invalid("KmsKeyArn '" + *key +
                     "' is not a KMS key or alias ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)");
    }
    doc["KmsKeyArn"] = *key;
  }
  std::string action = "NONE";
  if (const json::Value* given = body.if_contains("ActionAfterCompletion")) {
    if (!given->is_string() || (given->as_string() != "NONE" && given->as_string() != "DELETE")) {
      return Invalid("ActionAfterCompletion must be NONE or DELETE");
    }
    action = std::string(given->as_string());
  }
  doc["ActionAfterCompletion"] = action;
  if (const json::Value* token = body.if_contains(kClientTokenField)) {
    if (!token->is_string()) return Invalid("ClientToken must be a string");
    if (auto problem = ClientTokenProblem(token->as_string())) return Invalid(*problem);
    doc[kClientTokenField] = *token;
  }
  doc["CreationDate"] = Date(created);
  doc["LastModificationDate"] = Date(now);
  return doc;
}

Result<RunnerSchedule> RunnerScheduleOf(const json::Object& document) {
  auto string_of = [&](const json::Object& object, std::string_view key) -> std::string {
    const json::Value* value = object.if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
  };
  auto date_of = [&](std::string_view key) -> std::optional<TimePoint> {
    const json::Value* value = document.if_contains(key);
    if (value == nullptr) return std::nullopt;
    Result<TimePoint> t = ReadDate(*value, key);
    if (!t.ok()) return std::nullopt;
    return *t;
  };
  const json::Value* target = document.if_contains("Target");
  const json::Value* window = document.if_contains("FlexibleTimeWindow");
  if (target == nullptr || !target->is_object() || window == nullptr || !window->is_object()) {
    return Invalid("the stored schedule '" + string_of(document, "Arn") +
                   "' lacks its Target or FlexibleTimeWindow");
  }
  RunnerSchedule out;
  retrain::ScheduleConfig& config = out.config;
  config.expression = string_of(document, "ScheduleExpression");
  config.timezone = string_of(document, "ScheduleExpressionTimezone");
  if (config.timezone.empty()) config.timezone = "UTC";
  config.enabled = string_of(document, "State") != "DISABLED";
  config.start_date = date_of("StartDate");
  config.end_date = date_of("EndDate");
  config.delete_after_completion = string_of(document, "ActionAfterCompletion") == "DELETE";
  if (const json::Value* minutes = window->as_object().if_contains("MaximumWindowInMinutes")) {
    if (minutes->is_int64()) config.flexible_window_minutes = static_cast<int>(minutes->as_int64());
  }
  const json::Object& t = target->as_object();
  out.state_machine_arn = string_of(t, "Arn");
  config.input = json::Object{};
  if (t.contains("Input")) {
    Result<json::Value> input = json::Parse(string_of(t, "Input"));
    if (!input.ok()) {
      return Invalid("the stored schedule '" + string_of(document, "Arn") +
                     "' has a Target.Input that is not JSON: " + input.error().cause);
    }
    config.input = std::move(input).value();
  }
  if (const json::Value* retry = t.if_contains("RetryPolicy"); retry && retry->is_object()) {
    const json::Object& policy = retry->as_object();
    if (const json::Value* n = policy.if_contains("MaximumRetryAttempts"); n && n->is_int64()) {
      config.maximum_retry_attempts = static_cast<int>(n->as_int64());
    }
    if (const json::Value* n = policy.if_contains("MaximumEventAgeInSeconds"); n && n->is_int64()) {
      config.maximum_event_age_seconds = static_cast<int>(n->as_int64());
    }
  }
  return out;
}

json::Object ProjectScheduleDocument(const std::string& name, const retrain::ScheduleConfig& config,
                                     const std::string& state_machine_arn,
                                     const AccountContext& account) {
  json::Object doc;
  doc["Arn"] = ScheduleArn(account, kDefaultGroup, name);
  doc["Name"] = name;
  doc["GroupName"] = kDefaultGroup;
  doc["Description"] =
      "Defined in autoretrain.json (schedules." + name + "); edit that file to change it";
  doc["ScheduleExpression"] = config.expression;
  doc["ScheduleExpressionTimezone"] = config.timezone;
  doc["State"] = config.enabled ? "ENABLED" : "DISABLED";
  if (config.start_date) doc["StartDate"] = Date(*config.start_date);
  if (config.end_date) doc["EndDate"] = Date(*config.end_date);
  json::Object window{{"Mode", config.flexible_window_minutes > 0 ? "FLEXIBLE" : "OFF"}};
  if (config.flexible_window_minutes > 0) {
    window["MaximumWindowInMinutes"] = config.flexible_window_minutes;
  }
  doc["FlexibleTimeWindow"] = std::move(window);
  doc["Target"] = json::Object{
      {"Arn", state_machine_arn},
      {"Input", json::Serialize(config.input)},
      {"RetryPolicy", json::Object{{"MaximumEventAgeInSeconds", config.maximum_event_age_seconds},
                                   {"MaximumRetryAttempts", config.maximum_retry_attempts}}}};
  doc["ActionAfterCompletion"] = config.delete_after_completion ? "DELETE" : "NONE";
  return doc;
}

json::Object ScheduleSummary(const json::Object& document) {
  json::Object summary;
  for (std::string_view key :
       {"Arn", "Name", "GroupName", "State", "CreationDate", "LastModificationDate"}) {
    if (const json::Value* value = document.if_contains(key)) summary[key] = *value;
  }
  if (const json::Value* target = document.if_contains("Target"); target && target->is_object()) {
    if (const json::Value* arn = target->as_object().if_contains("Arn")) {
      summary["Target"] = json::Object{{"Arn", *arn}};
    }
  }
  return summary;
}

json::Object PublicDocument(json::Object document) {
  document.erase(kClientTokenField);
  return document;
}

}  // namespace autoretrain::server::scheduler_api
