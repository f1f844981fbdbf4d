#include "engine/task_events.h"

#include <utility>

namespace autoretrain::engine {

ResourceNames ClassifyResource(std::string_view resource) {
  ResourceNames names;
  std::optional<ParsedArn> arn = ParseArn(resource);
  if (arn && arn->service == "lambda" && arn->resource.rfind("function:", 0) == 0) {
    names.lambda_function = true;
    return names;
  }
  if (arn && arn->service == "states" && arn->resource.rfind("activity:", 0) == 0) {
    names.activity = true;
    return names;
  }
  // Integrations are "arn:aws:states:::SERVICE:ACTION"; the resource part keeps its colons.
  std::string_view rest = arn ? std::string_view(arn->resource) : resource;
  size_t last = rest.rfind(':');
  if (last == std::string_view::npos) {
    names.resource = std::string(rest);
  } else {
    names.resource_type = std::string(rest.substr(0, last));
    names.resource = std::string(rest.substr(last + 1));
  }
  return names;
}

TaskEvents::TaskEvents(History& history, std::string_view resource, const AccountContext& account)
    : history_(history), resource_arn_(resource), account_(account) {
  if (history_.observed()) names_ = ClassifyResource(resource);
  is_activity_ = history_.observed() ? names_.activity : ClassifyResource(resource).activity;
}

void TaskEvents::Scheduled(const json::Value& parameters, std::optional<int64_t> timeout_seconds,
                           std::optional<int64_t> heartbeat_seconds) {
  if (names_.activity) {
    history_.Record("ActivityScheduled", "activityScheduledEventDetails", [&] {
      json::Object d;
      d["resource"] = resource_arn_;
      d["input"] = json::Serialize(parameters);
      d["inputDetails"] = NotTruncated();
      if (timeout_seconds) d["timeoutInSeconds"] = *timeout_seconds;
      if (heartbeat_seconds) d["heartbeatInSeconds"] = *heartbeat_seconds;
      return json::Value(std::move(d));
    });
    return;
  }
  if (names_.lambda_function) {
    history_.Record("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", [&] {
      json::Object d;
      d["resource"] = resource_arn_;
      d["input"] = json::Serialize(parameters);
      d["inputDetails"] = NotTruncated();
      if (timeout_seconds) d["timeoutInSeconds"] = *timeout_seconds;
      return json::Value(std::move(d));
    });
    return;
  }
  history_.Record("TaskScheduled", "taskScheduledEventDetails", [&] {
    json::Object d;
    d["resourceType"] = names_.resource_type;
    d["resource"] = names_.resource;
    d["region"] = account_.region;
    d["parameters"] = json::Serialize(parameters);
    if (timeout_seconds) d["timeoutInSeconds"] = *timeout_seconds;
    if (heartbeat_seconds) d["heartbeatInSeconds"] = *heartbeat_seconds;
    return json::Value(std::move(d));
  });
}

void TaskEvents::Started() {
  if (names_.activity) return;
  if (names_.lambda_function) {
    history_.Record("LambdaFunctionStarted", "", [] { return json::Value(); });
    return;
  }
  history_.Record("TaskStarted", "taskStartedEventDetails", [&] {
    return json::Value(
        json::Object{{"resourceType", names_.resource_type}, {"resource", names_.resource}});
  });
}

void TaskEvents::WorkerStarted(const std::string& worker_name) {
  history_.Record("ActivityStarted", "activityStartedEventDetails", [&] {
    return json::Value(json::Object{{"workerName", worker_name}});
  });
}

void TaskEvents::ScheduleFailed(const Error& error) {
  history_.Record("ActivityScheduleFailed", "activityScheduleFailedEventDetails", [&] {
    return json::Value(json::Object{{"error", error.error}, {"cause", error.cause}});
  });
}

void TaskEvents::Submitted(const json::Value& output) {
  if (names_.activity) return;  // AWS records no TaskSubmitted for activities
  history_.Record("TaskSubmitted", "taskSubmittedEventDetails", [&] {
    return json::Value(json::Object{{"resourceType", names_.resource_type},
                                    {"resource", names_.resource},
                                    {"output", json::Serialize(output)},
                                    {"outputDetails", NotTruncated()}});
  });
}

void TaskEvents::Succeeded(const json::Value& output) {
  if (names_.activity) {
    history_.Record("ActivitySucceeded", "activitySucceededEventDetails", [&] {
      return json::Value(
          json::Object{{"output", json::Serialize(output)}, {"outputDetails", NotTruncated()}});
    });
    return;
  }
  if (names_.lambda_function) {
    history_.Record("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", [&] {
      return json::Value(
          json::Object{{"output", json::Serialize(output)}, {"outputDetails", NotTruncated()}});
    });
    return;
  }
  history_.Record("TaskSucceeded", "taskSucceededEventDetails", [&] {
    return json::Value(json::Object{{"resourceType", names_.resource_type},
                                    {"resource", names_.resource},
                                    {"output", json::Serialize(output)},
                                    {"outputDetails", NotTruncated()}});
  });
}

void TaskEvents::Failed(const Error& error) {
  const bool timed_out =
      error.error == "States.Timeout" || error.error == "States.HeartbeatTimeout";
  if (names_.activity) {
    history_.Record(
        timed_out ? "ActivityTimedOut" : "ActivityFailed",
        timed_out ? "activityTimedOutEventDetails" : "activityFailedEventDetails", [&] {
          return json::Value(json::Object{{"error", error.error}, {"cause", error.cause}});
        });
    return;
  }
  if (names_.lambda_function) {
    history_.Record(
        timed_out ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
        timed_out ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails", [&] {
          return json::Value(json::Object{{"error", error.error}, {"cause", error.cause}});
        });
    return;
  }
  history_.Record(timed_out ? "TaskTimedOut" : "TaskFailed",
                  timed_out ? "taskTimedOutEventDetails" : "taskFailedEventDetails", [&] {
                    return json::Value(json::Object{{"resourceType", names_.resource_type},
                                                    {"resource", names_.resource},
                                                    {"error", error.error},
                                                    {"cause", error.cause}});
                  });
}

}  // namespace autoretrain::engine
