// A JSONata field value of a state (Arguments, Output, Assign, a Choice rule's Condition, Wait
// Seconds, ...), compiled once with the definition: a JSON value in which every string that is
// exactly "{% <expression> %}" is a JSONata expression, evaluated when the state runs, and
// everything else (other strings, numbers, nested objects and arrays) is copied as it is.
//
// Thread-safety: immutable after compilation; Evaluate is const and safe to call concurrently.
#ifndef AUTORETRAIN_ASL_JSONATA_TEMPLATE_H_
#define AUTORETRAIN_ASL_JSONATA_TEMPLATE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/diagnostic.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/jsonata/jsonata.h"

namespace autoretrain::asl {

// The error name of a JSONata expression that fails or returns nothing at run time.
inline constexpr char kQueryEvaluationError[] = "States.QueryEvaluationError";

// The expression inside "{% ... %}" when `text` is one (it starts with "{%" and ends with
// "%}"), else nullopt.
std::optional<std::string_view> JsonataExpressionText(std::string_view text);

class JsonataTemplate {
 public:
  // Compiles `value`, the field named `field` as AWS names it in messages ("Output",
  // "Assign/x", "Choices[0]/Condition") found at the JSON pointer `location`. Each expression
  // that does not compile is appended to *problems (SCHEMA_VALIDATION_FAILED at its JSON
  // pointer, with JSONata's error code and position); returns nullopt when there were any.
  static std::optional<JsonataTemplate> Compile(const json::Value& value, const std::string& field,
                                                const std::string& location,
                                                std::vector<Diagnostic>* problems);

  // Builds the value with `bindings` ($states, variables, functions). An expression that fails
  // gives Error{States.QueryEvaluationError, "The JSONata expression '<text>' specified for the
  // field '<field>' threw an error during evaluation. <JSONata's code and message>"}; one that
  // returns nothing (undefined) gives "... returned nothing (undefined)." (AWS's wording).
  // `options` bounds each evaluation (depth, time): the engine's limits, never none.
  Result<json::Value> Evaluate(const jsonata::Bindings& bindings,
                               const jsonata::EvaluateOptions& options) const;

  // True when the value contains no expression (Evaluate always returns the same value).
  bool is_literal() const;

  struct Node;  // compiled tree; defined in jsonata_template.cc

 private:
  explicit JsonataTemplate(std::shared_ptr<const Node> root) : root_(std::move(root)) {}
  std::shared_ptr<const Node> root_;
};

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_JSONATA_TEMPLATE_H_
