// A payload template: the JSON of Parameters, ResultSelector (and later ItemSelector) compiled
// once. Keys ending in ".$" take their value from a path (`$...` on the effective input,
// `$$...` on the context object); other values are copied as they are, recursively through
// nested objects and arrays.
//
// Thread-safety: immutable after compilation; share freely.
#ifndef AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_
#define AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_

#include <memory>
#include <optional>
#include <string>
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
  // string, a path that does not compile, an intrinsic function that is not supported yet) is
  // appended to *problems as "<location>/<key>: <message>"; returns nullopt when there were any.
  static std::optional<PayloadTemplate> Compile(const json::Value& tmpl,
                                                const std::string& location,
                                                std::vector<std::string>* problems);
  // The same, appending each problem as a Diagnostic (SCHEMA_VALIDATION_FAILED, or
  // UNSUPPORTED_FEATURE for intrinsic functions) located at "<location>/<key>".
  static std::optional<PayloadTemplate> Compile(const json::Value& tmpl,
                                                const std::string& location,
                                                std::vector<Diagnostic>* problems);

  // Builds the payload from `input` (and `context` for "$$" paths). A definite path that selects
  // nothing fails with Error{"States.Runtime", "The JSONPath '<path>' specified for the field
  // '<key>' could not be found in the input '<input JSON>'"} as AWS's Step Functions Local 2.0
  // words it (<key> as written, with its ".$"); an indefinite path that matches nothing gives an
  // empty array.
  Result<json::Value> Evaluate(const json::Value& input, const json::Value& context) const;

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
};

}  // namespace autoretrain::asl

#endif  // AUTORETRAIN_ASL_PAYLOAD_TEMPLATE_H_
