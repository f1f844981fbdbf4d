// A payload template: the JSON of Parameters, ResultSelector (and later ItemSelector) compiled
// once. Keys ending in ".$" take their value from a path (`$...` on the effective input,
// `$$...` on the context object) or from an intrinsic function call ("States.Format(...)",
// parsed once into a tree); other values are copied as they are, recursively through nested
// objects and arrays.
//
// Thread-safety: immutable after compilation; share freely.
#ifndef AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_
#define AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/diagnostic.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/json/jsonpath.h"

namespace autoretrain::asl {

class PayloadTemplate {
 public:
  // Compiles `tmpl`. `location` is the JSON pointer of the template in the definition, for
  // diagnostics (e.g. "/States/Read/Parameters"). Each problem (a ".$" value that is not a
  // string, a path or an intrinsic function call that does not compile) is appended to
  // *problems as "<location>/<key>: <message>"; returns nullopt when there were any.
  static std::optional<PayloadTemplate> Compile(const json::Value& tmpl,
                                                const std::string& location,
                                                std::vector<std::string>* problems);
  // The same, appending each problem as a SCHEMA_VALIDATION_FAILED Diagnostic located at
  // "<location>/<key>".
  static std::optional<PayloadTemplate> Compile(const json::Value& tmpl,
                                                const std::string& location,
                                                std::vector<Diagnostic>* problems);
  // A template that is one intrinsic function call `text` (the value of the field `field` at
  // `location`, e.g. a Fail state's "CausePath"): Evaluate returns the call's result. A
  // malformed call is appended to *problems (SCHEMA_VALIDATION_FAILED at `location`).
  static std::optional<PayloadTemplate> CompileIntrinsic(const std::string& text,
                                                         std::string_view field,
                                                         const std::string& location,
                                                         std::vector<Diagnostic>* problems);

  // Builds the payload from `input` (and `context` for "$$" paths). A definite path that selects
  // nothing fails with Error{"States.Runtime", "The JSONPath '<path>' specified for the field
  // '<key>' could not be found in the input '<input JSON>'"} as AWS's Step Functions Local 2.0
  // words it (<key> as written, with its ".$"); an indefinite path that matches nothing gives an
  // empty array. An intrinsic function call that cannot run fails with
  // States.IntrinsicFailure (a path argument that selects nothing with States.Runtime).
  // `$name` paths read `variables`; one that is not assigned fails with States.Runtime
  // (UnassignedVariableError).
  Result<json::Value> Evaluate(const json::Value& input, const json::Value& context,
                               const json::VariableSource* variables = nullptr) const;

  // The same for an `input` that nobody reads afterwards: when the template reads the input in
  // one place only, a path, and no intrinsic function call, the value found there is moved out
  // of `input` rather than copied (so `input` is left changed, even when evaluation fails).
  Result<json::Value> EvaluateConsuming(json::Value& input, const json::Value& context,
                                        const json::VariableSource* variables = nullptr) const;

  // True when a "$$" path in the template reads the context object.
  bool reads_context() const;

  // When the template has no paths, the value it always builds (valid as long as the
  // template); otherwise null.
  const json::Value* literal() const;

  PayloadTemplate(const PayloadTemplate&);
  PayloadTemplate& operator=(const PayloadTemplate&);
  PayloadTemplate(PayloadTemplate&&) noexcept;
  PayloadTemplate& operator=(PayloadTemplate&&) noexcept;
  ~PayloadTemplate();

  struct Node;  // compiled tree; defined in payload_template.cc

 private:
  explicit PayloadTemplate(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
  // The template reads the input in exactly one path and calls no intrinsic function: the
  // value that path finds may be moved out of an input nobody needs (EvaluateConsuming).
  bool input_read_once_ = false;
};

// States.Runtime: "The variable 'x' referenced by the JSONPath '$x.a' in <where> is not
// assigned" (`where`: "the field 'k.$'", "an argument of States.Format").
Error UnassignedVariableError(const json::Path& path, const std::string& where);

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_
