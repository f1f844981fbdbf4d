// The input/output processing chain of Step Functions, one step per function:
// InputPath -> Parameters -> [the state's work] -> ResultSelector -> ResultPath -> OutputPath.
// Each step moves JSON through instead of copying it where it can: a Payload borrows the raw
// input when a step leaves it unchanged, and the last steps work in place on the raw input,
// which becomes the state's output.
//
// Errors are returned without the "An error occurred while executing the state..." prefix;
// the state runner adds it (RunContext::StateError).
//
// Thread-safety: plain functions; the ContextObject passed in must not be shared.
#ifndef AUTORETRAIN_ENGINE_IO_PROCESSING_H_
#define AUTORETRAIN_ENGINE_IO_PROCESSING_H_

#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/asl/payload_template.h"
#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"
#include "autoretrain/jsonata/jsonata.h"
#include "engine/context_object.h"

namespace autoretrain::engine {

// A JSON value that is either borrowed from the caller (who keeps it alive) or owned.
class Payload {
 public:
  static Payload Borrow(const json::Value& value) { return Payload(&value, false); }
  // A value of the compiled definition, which outlives the execution: never to be moved from.
  static Payload BorrowConstant(const json::Value& value) { return Payload(&value, true); }
  explicit Payload(json::Value&& owned) : owned_(std::move(owned)) {}

  const json::Value& get() const { return borrowed_ != nullptr ? *borrowed_ : *owned_; }
  bool borrowed() const { return borrowed_ != nullptr; }
  bool constant() const { return constant_; }
  // The value itself: moved out when owned, copied when borrowed.
  json::Value Take() && {
    return borrowed_ != nullptr ? json::Value(*borrowed_) : std::move(*owned_);
  }

 private:
  Payload(const json::Value* borrowed, bool constant) : borrowed_(borrowed), constant_(constant) {}
  const json::Value* borrowed_ = nullptr;
  bool constant_ = false;
  // Empty when borrowed, so that passing a borrowed payload around constructs, moves and
  // destroys no JSON value (each an out-of-line call).
  std::optional<json::Value> owned_;
};

// Evaluates `path` against `input`, or against the context object for `$$` paths: the node
// itself (borrowed, no copy) when the path names one existing node, a new value for paths that
// build one (wildcards, filters...), nullopt when a definite path selects nothing. A borrowed
// result is valid while `input` (or the context object) is unchanged.
std::optional<Payload> LookupPath(const json::Path& path, const json::Value& input,
                                  ContextObject& context);

// Jayway's bracket notation of a path, as AWS prints it in "No results for path: $['a'][0]".
std::string BracketNotation(std::string_view path_text);

// The States.Runtime error for a path that selected nothing:
// "Invalid path '$.x' : No results for path: $['x']".
Error NoResultsError(const json::Path& path);

// InputPath: absent or `$` borrows `raw`; null gives {}; a path selecting nothing fails with
// States.Runtime.
Result<Payload> ApplyInputPath(const asl::OptionalPath& input_path, const json::Value& raw,
                               ContextObject& context);

// States.DataLimitExceeded when `value` is larger than Step Functions' payload limit
// (json::kMaxPayloadBytes) or nests deeper than json::kMaxDepth (a loop that wraps its input
// would otherwise grow it without bound); `what` names the state or task in the cause.
Status CheckPayloadSize(const json::Value& value, std::string_view what);

// The States.DataLimitExceeded error for `what` (e.g. "a result") of state `state_name` nested
// deeper than `limit` levels.
Error NestedTooDeeply(std::string_view state_name, std::string_view what, int limit);

// Replaces the raw input `raw` with the effective input: nothing to do when the effective input
// is `raw` itself; a node inside `raw` that `input_path` selected is moved up instead of
// copied.
void KeepEffective(Payload effective, json::Value& raw, const asl::OptionalPath& input_path);

// Parameters (or ResultSelector): without a template returns `effective` unchanged; otherwise
// the template evaluated on it (errors as PayloadTemplate::Evaluate reports them).
// `spent_raw`: the raw input, when nobody reads it after this step; if `effective` is that input
// itself, the template may move values out of it (PayloadTemplate::EvaluateConsuming).
Result<Payload> ApplyTemplate(const std::optional<asl::PayloadTemplate>& tmpl, Payload effective,
                              ContextObject& context, json::Value* spent_raw = nullptr);

// ResultPath, in place on the raw input `raw`: absent or `$` makes it `result`; null leaves it
// (the result is dropped); a path writes `result` into it, creating missing objects on the
// way. Fails with States.ResultPathMatchFailure, possibly with `raw` partly written.
Status ApplyResultPath(const asl::OptionalPath& result_path, json::Value& raw,
                       json::Value&& result);

// OutputPath, in place on `output`: absent or `$` leaves it; null makes it {}; a path makes it
// the selection. A path selecting nothing fails with States.Runtime, leaving `output` alone.
Status ApplyOutputPath(const asl::OptionalPath& output_path, json::Value& output,
                       ContextObject& context);

// ResultSelector -> Assign -> ResultPath -> OutputPath: what a Task, Parallel or Map state
// makes of its `result`, left in `raw` (the raw input) on success. When `consume_raw` is false
// (Retry or Catch may need the raw input again) a failure leaves `raw` as it was; otherwise
// the steps write into it directly. The state's Assign, evaluated on the selected result, goes
// to *assigned (EvaluateAssign). A JSONata state's Assign and Output are evaluated under
// `jsonata_options` instead.
Status ApplyResultFields(const asl::State& state, json::Value& raw, bool consume_raw,
                         json::Value&& result, ContextObject& context,
                         const jsonata::EvaluateOptions& jsonata_options,
                         std::optional<json::Object>* assigned);

// Evaluates `assign` (if any) with `$` = `value` into *assigned (names -> new values), which
// is reset first. The variables change only when the state ends (Variables::Apply), so every
// path of the state reads the values from before it.
Status EvaluateAssign(const std::optional<asl::PayloadTemplate>& assign, const json::Value& value,
                      ContextObject& context, std::optional<json::Object>* assigned);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_IO_PROCESSING_H_
