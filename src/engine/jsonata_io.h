// The data flow of states whose QueryLanguage is JSONata: the $states bindings (input, result,
// errorOutput, context), the workflow variables as $name, the functions Step Functions adds to
// JSONata ($partition, $range, $hash, $random, $uuid, $parse), and the evaluation of Output and
// Assign. Expressions were compiled with the definition (asl::JsonataTemplate); only evaluation
// happens here.
//
// Errors are returned without the state prefix; the state runner adds it (RunContext::StateError).
//
// Thread-safety: plain functions; the function bindings are built once and shared read-only.
#ifndef AUTORETRAIN_ENGINE_JSONATA_IO_H_
#define AUTORETRAIN_ENGINE_JSONATA_IO_H_

#include <optional>

#include "autoretrain/asl/jsonata_template.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/jsonata/jsonata.h"
#include "engine/context_object.h"

namespace autoretrain::engine {

// The bindings of one evaluation: $states = {input, context[, result][, errorOutput]}, every
// variable visible in the context's scope, and the Step Functions functions. `result` and
// `error_output` are bound only when given.
jsonata::Bindings StatesBindings(ContextObject& context, const json::Value& input,
                                 const json::Value* result = nullptr,
                                 const json::Value* error_output = nullptr);

// Only the Step Functions functions (what StatesBindings adds to the values).
const jsonata::Bindings& StepFunctionsFunctions();

// Each evaluation is bounded by `options` (RunContext::jsonata_options).

// Output: the template evaluated, or `fallback` (the state's default output) when absent.
Result<json::Value> EvaluateOutput(const std::optional<asl::JsonataTemplate>& output,
                                   const jsonata::Bindings& bindings,
                                   const jsonata::EvaluateOptions& options, json::Value&& fallback);

// Output in place: `input` (the state's raw input, which `bindings` may read) becomes the
// template's value; it stays as it is, the default output, when Output is absent or fails.
Status EvaluateOutputInPlace(const std::optional<asl::JsonataTemplate>& output,
                             const jsonata::Bindings& bindings,
                             const jsonata::EvaluateOptions& options, json::Value& input);

// Assign: the template evaluated (an object: name -> value) into *assigned, which is reset
// first; nothing when absent.
Status EvaluateJsonataAssign(const std::optional<asl::JsonataTemplate>& assign,
                             const jsonata::Bindings& bindings,
                             const jsonata::EvaluateOptions& options,
                             std::optional<json::Object>* assigned);

// A number of seconds given as an expression (`field` names it: "TimeoutSeconds", "Seconds"):
// the value must be an integer >= `min_value`; else States.QueryEvaluationError.
Result<int64_t> EvaluateSeconds(const asl::JsonataTemplate& tmpl, const jsonata::Bindings& bindings,
                                const jsonata::EvaluateOptions& options, const char* field,
                                int64_t min_value);

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_JSONATA_IO_H_
