// Helpers shared by the jsonata layer's tests: evaluate an expression and see the result as text.
//
// Thread-safety: test-only free functions.
#ifndef AUTORETRAIN_SRC_JSONATA_JSONATA_TEST_UTIL_H_
#define AUTORETRAIN_SRC_JSONATA_JSONATA_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "autoretrain/jsonata/jsonata.h"

namespace autoretrain::jsonata::testing {

// Evaluates `expr` against `input` (JSON text; empty = undefined) and returns the result as
// compact JSON, "undefined", or "error CODE".
inline std::string Eval(std::string_view expr, std::string_view input = "", const Bindings& b = {},
                        const EvaluateOptions& options = {}) {
  Result<Expression> e = Compile(expr);
  if (!e.ok()) return "error " + e.error().error;
  json::Value in;
  if (!input.empty()) in = json::Parse(input).value();
  auto r = e->Evaluate(input.empty() ? nullptr : &in, b, options);
  if (!r.ok()) return "error " + r.error().error;
  if (!r->has_value()) return "undefined";
  return json::Serialize(**r);
}

}  // namespace autoretrain::jsonata::testing

#endif  // AUTORETRAIN_SRC_JSONATA_JSONATA_TEST_UTIL_H_
