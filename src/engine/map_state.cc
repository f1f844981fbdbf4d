// Map (inline): InputPath -> ItemsPath selects the array -> each item, through ItemSelector
// (with $$.Map.Item.Index/Value), runs the ItemProcessor -> the array of results (in item
// order) -> ResultSelector -> ResultPath -> OutputPath, with Retry and Catch. A failing
// iteration fails the state with its own error and cause. Events as AWS records them:
// MapStateStarted {length} at each attempt, MapIterationStarted/Succeeded/Failed {index, name}
// around each iteration's events, then MapStateSucceeded, or MapStateFailed once no Retrier
// retries.
//
// Iterations run on the execution's thread in index order: the next one starts when the
// running ones have finished or are waiting, and at most MaxConcurrency are in progress (0:
// no limit). With MaxConcurrency 1 the history is strictly sequential, as on AWS.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/branch_run.h"
#include "engine/branch_set.h"
#include "engine/jsonata_io.h"
#include "engine/retry_policy.h"

namespace autoretrain::engine {
namespace {

struct MapFrame final : StateFrame {
  struct Iteration {
    size_t index;
    std::unique_ptr<BranchRun> run;
  };
  // The state's effective input (`$` in ItemSelector) and the items array within it: borrowed
  // from the state's raw input where possible, which stays unchanged while the state runs.
  std::optional<Payload> effective;
  std::optional<Payload> items_payload;
  const json::Array* items = nullptr;
  json::Array results;
  size_t next = 0;  // the next item to start
  int64_t max_concurrency = 0;
  std::vector<Iteration> running;
};

json::Value IterationDetails(const asl::State& s, size_t index) {
  return json::Object{{"index", static_cast<int64_t>(index)}, {"name", s.name}};
}

// MaxConcurrencyPath: a non-negative integer in the raw input.
Result<int64_t> MaxConcurrencyAt(const json::Path& path, const json::Value& input,
                                 ContextObject& context) {
  std::optional<Payload> found = LookupPath(path, input, context);
  if (!found) return NoResultsError(path);
  const json::Value& v = found->get();
  if (v.is_int64() && v.get_int64() >= 0) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v.get_uint64(), INT64_MAX));
  return Error{"States.Runtime", "The MaxConcurrencyPath field refers to value " +
                                     json::Serialize(v) +
                                     " which is not a valid non-negative integer: " + path.text()};
}

// StartAttempt for a JSONata Map: Items (default: the input) and MaxConcurrency on
// $states.input; the effective input (what ItemSelector sees as $states.input) is the input.
Result<std::unique_ptr<MapFrame>> StartJsonataAttempt(RunContext& rc, const json::Value& input,
                                                      std::unique_ptr<MapFrame> frame) {
  const asl::JsonataFields& f = rc.state->jsonata_fields;
  const jsonata::Bindings bindings = StatesBindings(rc.context, input);
  if (f.max_concurrency) {
    Result<int64_t> limit =
        EvaluateSeconds(*f.max_concurrency, bindings, rc.jsonata_options(), "MaxConcurrency", 0);
    if (!limit.ok()) return rc.StateError(limit.take_error());
    frame->max_concurrency = *limit;
  }
  frame->effective = Payload::Borrow(input);
  const json::Value* items = &input;
  if (f.items) {
    Result<json::Value> value = f.items->Evaluate(bindings, rc.jsonata_options());
    if (!value.ok()) return rc.StateError(value.take_error());
    frame->items_payload = Payload(std::move(value).value());
    items = &frame->items_payload->get();
  }
  if (!items->is_array()) {
    return rc.StateError(Error{asl::kQueryEvaluationError,
                               "The value of the field 'Items' must be a JSON array, but it is " +
                                   json::Serialize(*items)});
  }
  frame->items = &items->get_array();
  frame->results.resize(frame->items->size());
  return frame;
}

// Builds the frame of a new attempt: the items, the effective input, the concurrency limit.
Result<std::unique_ptr<MapFrame>> StartAttempt(RunContext& rc, const json::Value& input) {
  const asl::State& s = *rc.state;
  auto frame = std::make_unique<MapFrame>();
  frame->max_concurrency = s.max_concurrency;
  if (s.jsonata) return StartJsonataAttempt(rc, input, std::move(frame));
  if (s.max_concurrency_path) {
    Result<int64_t> limit = MaxConcurrencyAt(*s.max_concurrency_path, input, rc.context);
    if (!limit.ok()) return rc.StateError(limit.take_error());
    frame->max_concurrency = *limit;
  }
  Result<Payload> effective = ApplyInputPath(s.input_path, input, rc.context);
  if (!effective.ok()) return rc.StateError(effective.take_error());
  // Owned payloads are moved into the frame before anything points into them.
  frame->effective = std::move(effective).value();
  const json::Value* items = &frame->effective->get();
  if (s.items_path) {
    std::optional<Payload> selected = LookupPath(*s.items_path, *items, rc.context);
    if (!selected) return rc.StateError(NoResultsError(*s.items_path));
    // A node of the context object may change as states run: keep a copy of it.
    if (s.items_path->is_context()) selected = Payload(std::move(*selected).Take());
    frame->items_payload = std::move(selected);
    items = &frame->items_payload->get();
  }
  if (!items->is_array()) {
    return rc.StateError(
        Error{"States.Runtime", "The items of a Map state must be a JSON array, but ItemsPath '" +
                                    (s.items_path ? s.items_path->text() : std::string("$")) +
                                    "' selected " + json::Serialize(*items)});
  }
  frame->items = &items->get_array();
  frame->results.resize(frame->items->size());
  return frame;
}

class MapRunner {
 public:
  MapRunner(RunContext& rc, json::Value& input, MapFrame& frame)
      : rc_(rc), s_(*rc.state), input_(input), frame_(frame) {}

  StateOutcome Run() {
    // Iterations already in progress were waiting: advance each once.
    size_t kept = 0;
    for (size_t r = 0; r < frame_.running.size(); ++r) {
      if (std::optional<StateOutcome> end = Step(frame_.running[r])) return std::move(*end);
      if (frame_.running[r].run) frame_.running[kept++] = std::move(frame_.running[r]);
    }
    frame_.running.resize(kept);
    // Then start new ones while the limit allows; each runs until it ends or waits.
    while (frame_.next < frame_.items->size() &&
           (frame_.max_concurrency == 0 ||
            static_cast<int64_t>(frame_.running.size()) < frame_.max_concurrency)) {
      Result<MapFrame::Iteration> started = Start(frame_.next++);
      if (!started.ok()) {
        rc_.frame.reset();
        return HandleStateError(rc_, input_, started.take_error());
      }
      frame_.running.push_back(std::move(started).value());
      if (std::optional<StateOutcome> end = Step(frame_.running.back())) return std::move(*end);
      if (!frame_.running.back().run) frame_.running.pop_back();
    }
    if (!frame_.running.empty()) {
      TimePoint wake = frame_.running.front().run->wake_at();
      for (const MapFrame::Iteration& it : frame_.running) wake = std::min(wake, it.run->wake_at());
      return StateOutcome::Suspend(wake);
    }
    return Succeed();
  }

 private:
  Result<MapFrame::Iteration> Start(size_t index) {
    const json::Value& item = (*frame_.items)[index];
    json::Value iteration_input;
    if (s_.jsonata && s_.jsonata_fields.item_selector) {
      // $states.context.Map.Item.{Index,Value} are set while ItemSelector is evaluated.
      rc_.context.SetMapItem(static_cast<int64_t>(index), item);
      Result<json::Value> selected = s_.jsonata_fields.item_selector->Evaluate(
          StatesBindings(rc_.context, frame_.effective->get()), rc_.jsonata_options());
      rc_.context.ClearMapItem();
      if (!selected.ok()) return rc_.StateError(selected.take_error());
      iteration_input = std::move(selected).value();
    } else if (s_.item_selector) {
      rc_.context.SetMapItem(static_cast<int64_t>(index), item);
      Result<Payload> selected =
          ApplyTemplate(s_.item_selector, Payload::Borrow(frame_.effective->get()), rc_.context);
      rc_.context.ClearMapItem();
      if (!selected.ok()) return rc_.StateError(selected.take_error());
      iteration_input = std::move(selected).value().Take();
    } else {
      iteration_input = item;
    }
    rc_.history.Record("MapIterationStarted", "mapIterationStartedEventDetails",
                       [&] { return IterationDetails(s_, index); });
    return MapFrame::Iteration{
        index, std::make_unique<BranchRun>(rc_, s_.branches[0], std::move(iteration_input),
                                           BranchPath(rc_, index))};
  }

  // Advances one iteration. Releases its run when it succeeded; returns the state's outcome
  // when the state ends (or must suspend at once) because of it.
  std::optional<StateOutcome> Step(MapFrame::Iteration& it) {
    const BranchRun::Progress progress = it.run->Advance();
    switch (progress) {
      case BranchRun::Progress::kSucceeded:
        rc_.history.Record("MapIterationSucceeded", "mapIterationSucceededEventDetails",
                           [&] { return IterationDetails(s_, it.index); });
        frame_.results[it.index] = std::move(it.run->output());
        it.run.reset();
        return std::nullopt;
      case BranchRun::Progress::kSuspended:
        return std::nullopt;
      case BranchRun::Progress::kFailed: {
        rc_.history.Record("MapIterationFailed", "mapIterationFailedEventDetails",
                           [&] { return IterationDetails(s_, it.index); });
        Error error = std::move(it.run->error());
        rc_.frame.reset();  // `it` and the frame are gone from here on
        if (std::optional<StateOutcome> retry = RetryOutcome(rc_, error)) return retry;
        rc_.history.Record("MapStateFailed", "", [] { return json::Value(); });
        return CatchOutcome(rc_, input_, std::move(error));
      }
      case BranchRun::Progress::kHalted:
      case BranchRun::Progress::kTimedOut:
      case BranchRun::Progress::kAborted:
        return ExecutionStopOutcome(progress, rc_);
    }
    return std::nullopt;
  }

  StateOutcome Succeed() {
    rc_.history.Record("MapStateSucceeded", "", [] { return json::Value(); });
    json::Value results(std::move(frame_.results));
    rc_.frame.reset();
    Status output = ApplyResultFields(s_, input_, /*consume_raw=*/false, std::move(results),
                                      rc_.context, rc_.jsonata_options(), &rc_.assigned);
    if (!output.ok()) return HandleStateError(rc_, input_, rc_.StateError(output.take_error()));
    return StateOutcome::Transition(s_);
  }

  RunContext& rc_;
  const asl::State& s_;
  json::Value& input_;
  MapFrame& frame_;
};

}  // namespace

StateOutcome RunMapState(RunContext& rc, json::Value& input) {
  if (rc.frame == nullptr) {
    Result<std::unique_ptr<MapFrame>> started = StartAttempt(rc, input);
    if (!started.ok()) return HandleStateError(rc, input, started.take_error());
    const int64_t length = static_cast<int64_t>((*started)->items->size());
    rc.history.Record("MapStateStarted", "mapStateStartedEventDetails", [&] {
      return json::Value(json::Object{{"length", length}});
    });
    rc.frame = std::move(started).value();
  }
  return MapRunner(rc, input, static_cast<MapFrame&>(*rc.frame)).Run();
}

}  // namespace autoretrain::engine
