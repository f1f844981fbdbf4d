// The compiled form of an Amazon States Language definition: every path, template and choice
// rule parsed once, every Next resolved to a state index. Produced only by asl::Compile
// (parser.h), which validates the definition first, so the engine can trust it.
//
// Thread-safety: immutable after compilation; one StateMachine may run many executions on many
// threads at once.
#ifndef AUTORETRAIN_ASL_STATE_MACHINE_H_
#define AUTORETRAIN_ASL_STATE_MACHINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "autoretrain/asl/jsonata_template.h"
#include "autoretrain/asl/payload_template.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"

namespace autoretrain::asl {

struct StateMachine;  // below; Parallel and Map states hold nested machines

enum class StateType { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };

// "Pass", "Task", ... as written in definitions.
const char* StateTypeName(StateType type);

// An optional path field that may also be JSON null: InputPath/OutputPath null means "{}" is
// passed on; ResultPath null means "discard the result, keep the input".
struct OptionalPath {
  enum class Kind { kDefault, kNull, kPath };
  Kind kind = Kind::kDefault;  // kDefault: the field was absent, which means "$"
  std::optional<json::Path> path;

  // Absent or `$`: the step passes its value through unchanged.
  bool is_identity() const {
    if (kind == Kind::kDefault) return true;
    return kind == Kind::kPath && path && path->is_root() && !path->is_context();
  }
};

// One comparison or boolean combination of a Choice state.
struct ChoiceRule {
  enum class Op {
    kAnd,
    kOr,
    kNot,
    kStringEquals,
    kStringLessThan,
    kStringGreaterThan,
    kStringLessThanEquals,
    kStringGreaterThanEquals,
    kStringMatches,
    kNumericEquals,
    kNumericLessThan,
    kNumericGreaterThan,
    kNumericLessThanEquals,
    kNumericGreaterThanEquals,
    kBooleanEquals,
    kTimestampEquals,
    kTimestampLessThan,
    kTimestampGreaterThan,
    kTimestampLessThanEquals,
    kTimestampGreaterThanEquals,
    kIsNull,
    kIsPresent,
    kIsNumeric,
    kIsString,
    kIsBoolean,
    kIsTimestamp,
  };
  Op op = Op::kAnd;
  // The operator as written ("StringEquals", "NumericLessThanPath", ...), for history/console.
  std::string op_name;
  // The Variable path (absent for And/Or/Not).
  std::optional<json::Path> variable;
  // The literal operand (for IsNull etc. the boolean; for StringMatches the pattern).
  json::Value operand;
  // Set for the *Path variants (StringEqualsPath...): the operand is read from this path.
  std::optional<json::Path> operand_path;
  // And/Or: the sub-rules; Not: exactly one.
  std::vector<ChoiceRule> children;
  // Top-level rules only: where to go when the rule matches, and the variables it assigns
  // then (instead of the state's own Assign).
  std::string next;
  int next_index = -1;
  std::optional<PayloadTemplate> assign;
  // JSONata states: the rule's Condition (a boolean, or an expression that must give one),
  // and the Assign and Output used when it matches (instead of the state's own).
  std::optional<JsonataTemplate> condition;
  std::optional<JsonataTemplate> jsonata_assign;
  std::optional<JsonataTemplate> output;
};

// Retry and Catch are parsed and validated here; the engine gives them their semantics.
struct Retrier {
  std::vector<std::string> error_equals;
  double interval_seconds = 1;
  int max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<int64_t> max_delay_seconds;
  std::string jitter_strategy = "NONE";
};

struct Catcher {
  std::vector<std::string> error_equals;
  std::string next;
  int next_index = -1;
  OptionalPath result_path;
  // Variables assigned when this catcher handles the error (`$` is {"Error","Cause"}), instead
  // of the state's own Assign.
  std::optional<PayloadTemplate> assign;
  // JSONata states: the catcher's Output and Assign ($states.errorOutput is the error).
  std::optional<JsonataTemplate> output;
  std::optional<JsonataTemplate> jsonata_assign;
};

// The fields of a state whose QueryLanguage is JSONata (absent fields stay empty). Each holds
// the field's value compiled once; TimeoutSeconds, Seconds... given as plain numbers are in
// the JSONPath fields of State (timeout_seconds, seconds, ...) as usual.
struct JsonataFields {
  std::optional<JsonataTemplate> arguments;          // Task: the handler's parameters
  std::optional<JsonataTemplate> output;             // the state output (default: result or input)
  std::optional<JsonataTemplate> assign;             // an object: variable name -> value
  std::optional<JsonataTemplate> timeout_seconds;    // Task, given as an expression
  std::optional<JsonataTemplate> heartbeat_seconds;  // Task, given as an expression
  std::optional<JsonataTemplate> seconds;            // Wait, given as an expression
  std::optional<JsonataTemplate> timestamp;          // Wait, given as an expression
  std::optional<JsonataTemplate> error;              // Fail, given as an expression
  std::optional<JsonataTemplate> cause;              // Fail, given as an expression
  std::optional<JsonataTemplate> items;              // Map: the array to iterate over
  std::optional<JsonataTemplate> item_selector;      // Map: each iteration's input
  std::optional<JsonataTemplate> max_concurrency;    // Map, given as an expression
};

// The fields every run of a state reads come first, so that they share a few cache lines:
// the states of a machine are visited one after another, and fields spread over the whole
// (1 KB) struct cost a cache miss each.
struct State {
  std::string name;
  StateType type = StateType::kPass;
  // QueryLanguage (the state's own, else the definition's): JSONata states use `jsonata_fields`
  // instead of the JSONPath fields (paths, templates, Variable-based choice rules).
  bool jsonata = false;
  // Transition: exactly one of next/end for Pass, Task, Wait (and Parallel, Map).
  bool end = false;
  // False when running the state provably never reads the context object ($$): no path,
  // template or choice rule refers to it and the state hands no context to a task handler.
  // The engine then skips reading the clock for State.EnteredTime. Set by the compiler;
  // hand-built states keep the safe default.
  bool reads_context = true;
  // True when running the state provably leaves its raw input as its output and does nothing
  // else: a JSONPath Pass or Succeed state with no InputPath, Parameters, Result, ResultPath,
  // OutputPath or Assign (or the paths at `$`). The engine then only counts its events. Set
  // by the compiler; hand-built states keep the safe default.
  bool passes_input_on = false;
  int next_index = -1;

  // Input/output processing (where the state type allows it).
  OptionalPath input_path;
  OptionalPath output_path;
  OptionalPath result_path;
  std::optional<PayloadTemplate> parameters;
  std::optional<PayloadTemplate> result_selector;
  // Assign: variables set when the state ends (name -> value template).
  std::optional<PayloadTemplate> assign;

  // Pass
  std::optional<json::Value> result;

  // Choice
  std::vector<ChoiceRule> choices;
  int default_index = -1;
  std::string default_next;

  std::string next;  // the name next_index was resolved from
  std::string comment;
  JsonataFields jsonata_fields;

  // Task
  std::string resource;
  std::optional<int64_t> timeout_seconds;
  std::optional<json::Path> timeout_seconds_path;
  std::optional<int64_t> heartbeat_seconds;
  std::optional<json::Path> heartbeat_seconds_path;
  std::vector<Retrier> retry;
  std::vector<Catcher> catch_;

  // Parallel: one machine per branch, in order. Map: exactly one, the ItemProcessor (or the
  // older Iterator) that runs each item.
  std::vector<StateMachine> branches;

  // Map (inline). ItemsPath picks the array (absent: the effective input itself).
  std::optional<json::Path> items_path;
  // ItemSelector (or the older Parameters): each iteration's input, evaluated with
  // $$.Map.Item.Index/Value; absent: the item itself.
  std::optional<PayloadTemplate> item_selector;
  int64_t max_concurrency = 0;  // 0: no limit
  std::optional<json::Path> max_concurrency_path;

  // Wait: exactly one of these.
  std::optional<int64_t> seconds;
  std::optional<std::string> timestamp;  // validated RFC 3339 text
  std::optional<json::Path> seconds_path;
  std::optional<json::Path> timestamp_path;

  // Fail: each of error/cause is a literal or a path (or absent).
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<json::Path> error_path;
  std::optional<json::Path> cause_path;
  // ErrorPath/CausePath given as an intrinsic function call: a one-call template.
  std::optional<PayloadTemplate> error_intrinsic;
  std::optional<PayloadTemplate> cause_intrinsic;
};

struct StateMachine {
  std::string comment;
  std::string start_at;
  int start_index = 0;
  std::optional<int64_t> timeout_seconds;
  std::vector<State> states;  // in definition order
  std::unordered_map<std::string, int> index_by_name;
  json::Value definition;  // the definition as parsed, for Describe*
};

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_STATE_MACHINE_H_
