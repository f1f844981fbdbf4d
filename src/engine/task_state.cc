// Task: InputPath -> Parameters -> the TaskHandler -> ResultSelector -> ResultPath ->
// OutputPath, with Retry (per-Retrier attempt counts, backoff, jitter) and Catch.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autoretrain/common/arn.h"
#include "engine/io_processing.h"
#include "engine/jsonata_io.h"
#include "engine/retry_policy.h"
#include "engine/run_context.h"
#include "engine/task_events.h"

namespace autoretrain::engine {
namespace {

// TimeoutSecondsPath/HeartbeatSecondsPath: a positive integer from the state input.
Result<int64_t> PositiveSecondsAt(const json::Path& path, const json::Value& input,
                                  ContextObject& context, const char* field) {
  std::optional<Payload> found = LookupPath(path, input, context);
  if (!found) return NoResultsError(path);
  const json::Value* v = &found->get();
  if (v->is_int64() && v->get_int64() > 0) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v->get_uint64(), INT64_MAX));
  return Error{"States.Runtime", std::string("The ") + field +
                                     " parameter does not reference a positive integer: " +
                                     path.text() + " == " + json::Serialize(*v)};
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Runs `request` through the handler; a handler that submitted work sets *check_at.
Result<json::Value> Call(RunContext& rc, TaskRequest& request, std::optional<TimePoint>* check_at) {
  check_at->reset();
  request.check_again_at = check_at;
  Result<json::Value> result = rc.handler.Invoke(request);
  if (!result.ok()) check_at->reset();
  return result;
}

// The earlier of a check time and the task's deadline.
TimePoint NextCheck(TimePoint check_at, const std::optional<TimePoint>& deadline) {
  return deadline && *deadline < check_at ? *deadline : check_at;
}

// The end of an attempt: the handler's result (or error) recorded, then ResultSelector,
// Assign, ResultPath and OutputPath, which leave the state output in `input`.
Status Complete(RunContext& rc, TaskEvents& events, json::Value& input, bool consume_raw,
                Result<json::Value> result) {
  const asl::State& s = *rc.state;
  rc.submitted.reset();
  if (result.ok()) {
    Status size = CheckPayloadSize(*result, s.name);
    if (!size.ok()) result = size.take_error();
  }
  if (!result.ok()) {
    events.Failed(result.error());
    return result.take_error();
  }
  events.Succeeded(*result);
  if (s.jsonata) {
    // Assign and Output (default: the result) with $states.result.
    const jsonata::Bindings bindings = StatesBindings(rc.context, input, &*result);
    Status assigned = EvaluateJsonataAssign(s.jsonata_fields.assign, bindings, rc.jsonata_options(),
                                            &rc.assigned);
    if (!assigned.ok()) return rc.StateError(assigned.take_error());
    Result<json::Value> out = EvaluateOutput(s.jsonata_fields.output, bindings,
                                             rc.jsonata_options(), std::move(result).value());
    if (!out.ok()) return rc.StateError(out.take_error());
    input = std::move(out).value();
    return OkStatus();
  }
  Status output = ApplyResultFields(s, input, consume_raw, std::move(result).value(), rc.context,
                                    rc.jsonata_options(), &rc.assigned);
  if (!output.ok()) return rc.StateError(output.take_error());
  return output;
}

// One attempt of the task, from the raw input to the state output (left in `input`). Errors
// raised by the engine carry the state prefix; errors from the handler are returned as the
// handler gave them. Sets *halted (and returns an error nobody sees) when the checkpoint before
// the invocation says the execution must stop, and *suspend_until when the handler submitted
// work that goes on (`input` is then unchanged).
Status Attempt(RunContext& rc, json::Value& input, bool consume_raw, bool* halted,
               std::optional<TimePoint>* suspend_until) {
  const asl::State& s = *rc.state;
  // A callback task's token must exist before Parameters, which pass it on ($$.Task.Token).
  // A resumed attempt keeps the token it had: the worker may already hold it.
  TaskEvents events(rc.history, s.resource, rc.account);
  if ((EndsWith(s.resource, ".waitForTaskToken") || events.activity()) && !rc.task_token_resumed) {
    rc.context.SetTaskToken(NewExecutionName());
  }
  rc.task_token_resumed = false;
  std::optional<int64_t> timeout = s.timeout_seconds;
  std::optional<int64_t> heartbeat = s.heartbeat_seconds;
  Result<Payload> effective = Payload::Borrow(input);
  if (s.jsonata) {
    // Arguments (default: the input), TimeoutSeconds and HeartbeatSeconds on $states.input.
    const asl::JsonataFields& f = s.jsonata_fields;
    const jsonata::Bindings bindings = StatesBindings(rc.context, input);
    if (f.arguments) {
      Result<json::Value> args = f.arguments->Evaluate(bindings, rc.jsonata_options());
      if (!args.ok()) return rc.StateError(args.take_error());
      effective = Payload(std::move(args).value());
    }
    if (f.timeout_seconds) {
      Result<int64_t> t =
          EvaluateSeconds(*f.timeout_seconds, bindings, rc.jsonata_options(), "TimeoutSeconds", 1);
      if (!t.ok()) return rc.StateError(t.take_error());
      timeout = *t;
    }
    if (f.heartbeat_seconds) {
      Result<int64_t> h = EvaluateSeconds(*f.heartbeat_seconds, bindings, rc.jsonata_options(),
                                          "HeartbeatSeconds", 1);
      if (!h.ok()) return rc.StateError(h.take_error());
      heartbeat = *h;
    }
  } else {
    effective = ApplyInputPath(s.input_path, input, rc.context);
    if (!effective.ok()) return rc.StateError(effective.take_error());
    effective = ApplyTemplate(s.parameters, std::move(effective).value(), rc.context);
    if (!effective.ok()) return rc.StateError(effective.take_error());
  }

  if (s.timeout_seconds_path) {
    Result<int64_t> t =
        PositiveSecondsAt(*s.timeout_seconds_path, input, rc.context, "TimeoutSecondsPath");
    if (!t.ok()) return rc.StateError(t.take_error());
    timeout = *t;
  }
  if (s.heartbeat_seconds_path) {
    Result<int64_t> h =
        PositiveSecondsAt(*s.heartbeat_seconds_path, input, rc.context, "HeartbeatSecondsPath");
    if (!h.ok()) return rc.StateError(h.take_error());
    heartbeat = *h;
  }
  events.Scheduled(effective->get(), timeout, heartbeat);
  events.Started();
  if (rc.checkpoint && !rc.checkpoint()) {
    *halted = true;
    return Error{"States.Aborted", "the execution was stopped"};
  }
  TaskRequest request{.resource = s.resource,
                      .parameters = &effective->get(),
                      .context = &rc.context.Get(),
                      .state_name = s.name,
                      .execution_arn = rc.execution_arn,
                      .timeout_seconds = timeout,
                      .heartbeat_seconds = heartbeat,
                      .state_entered_event_id = rc.entered_event_id,
                      .retry_count = rc.context.retry_count(),
                      .branch_path = rc.branch_path,
                      .branch_step = rc.branch_step};
  // TimeoutSeconds counts from the task's start, before the handler ran: work it submitted
  // (a child execution) goes on meanwhile, and a deadline read after the call would move with it.
  const TimePoint started = rc.clock.Now();
  std::optional<TimePoint> check_at;
  Result<json::Value> result = Call(rc, request, &check_at);
  if (!check_at && !result.ok() && events.activity()) {
    events.ScheduleFailed(result.error());
    return result.take_error();
  }
  if (!check_at) return Complete(rc, events, input, consume_raw, std::move(result));
  events.Submitted(*result);
  std::optional<TimePoint> deadline;
  if (timeout) deadline = started + std::chrono::seconds(*timeout);
  rc.submitted = std::make_unique<SubmittedTask>(
      SubmittedTask{std::move(result).value(), deadline, timeout, heartbeat});
  *suspend_until = NextCheck(*check_at, deadline);
  return OkStatus();
}

// A check of submitted work (rc.submitted): its result made the state output (in `input`), or
// *suspend_until for the next check. Past the task's TimeoutSeconds it fails with
// States.Timeout.
Status Check(RunContext& rc, json::Value& input, bool consume_raw,
             std::optional<TimePoint>* suspend_until) {
  const asl::State& s = *rc.state;
  TaskEvents events(rc.history, s.resource, rc.account);
  SubmittedTask& submitted = *rc.submitted;
  if (submitted.deadline && rc.clock.Now() >= *submitted.deadline) {
    return Complete(rc, events, input, consume_raw,
                    Error{"States.Timeout", "The task did not finish within its TimeoutSeconds (" +
                                                std::to_string(*submitted.timeout_seconds) + ")"});
  }
  static const json::Value kNoParameters = json::Object{};
  std::string worker_name;
  TaskRequest request{.resource = s.resource,
                      .parameters = &kNoParameters,
                      .context = &rc.context.Get(),
                      .state_name = s.name,
                      .execution_arn = rc.execution_arn,
                      .timeout_seconds = submitted.timeout_seconds,
                      .heartbeat_seconds = submitted.heartbeat_seconds,
                      .state_entered_event_id = rc.entered_event_id,
                      .retry_count = rc.context.retry_count(),
                      .branch_path = rc.branch_path,
                      .branch_step = rc.branch_step,
                      .submitted = &submitted.output,
                      .worker_name = &worker_name};
  std::optional<TimePoint> check_at;
  Result<json::Value> result = Call(rc, request, &check_at);
  if (!worker_name.empty() && !submitted.worker_reported) {
    events.WorkerStarted(worker_name);
    submitted.worker_reported = true;
  }
  if (!check_at) return Complete(rc, events, input, consume_raw, std::move(result));
  *suspend_until = NextCheck(*check_at, submitted.deadline);
  return OkStatus();
}

}  // namespace

// Each run of the state is one attempt; a retried error suspends the execution for the
// Retrier's delay, after which the state runs again for the next attempt (HandleStateError).
// A task whose handler submitted work (.sync) suspends the state until the handler's next
// check, then runs it again to check (Check) until the work ends.
StateOutcome RunTaskState(RunContext& rc, json::Value& input) {
  const asl::State& s = *rc.state;
  // Retry and Catch need the raw input again after a failed attempt; otherwise the attempt may
  // consume it (ResultPath then writes into it without a copy).
  const bool keep_raw = !s.retry.empty() || !s.catch_.empty();
  bool halted = false;
  std::optional<TimePoint> suspend_until;
  Status output = rc.woken && rc.submitted ? Check(rc, input, !keep_raw, &suspend_until)
                                           : Attempt(rc, input, !keep_raw, &halted, &suspend_until);
  if (halted) return StateOutcome::Halt();
  if (suspend_until) return StateOutcome::Suspend(*suspend_until);
  if (output.ok()) return StateOutcome::Transition(s);
  return HandleStateError(rc, input, output.take_error());
}

}  // namespace autoretrain::engine
