// Fuzz target: JSONata. Input: the expression on the first line, the input document as JSON
// after it (no input when the rest is not JSON). Compiles it and evaluates it with a time limit
// and a fixed clock; every failure must carry a JSONata error code.
#include <chrono>

#include "autoretrain/jsonata/jsonata.h"
#include "fuzz_util.h"

namespace json = autoretrain::json;
namespace jsonata = autoretrain::jsonata;
using autoretrain::Result;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [text, rest] = autoretrain::fuzz::SplitFirstLine(autoretrain::fuzz::AsText(data, size));
  Result<jsonata::Expression> expression = jsonata::Compile(text);
  if (!expression.ok()) {
    Check(!expression.error().error.empty(), "a compile error has a code");
    return 0;
  }
  Result<json::Value> input = json::Parse(rest);
  jsonata::EvaluateOptions options;
  // Below libFuzzer's -timeout, so that a slow expression is a U1001 error, not a hang report.
  options.time_limit = std::chrono::milliseconds(2000);
  options.now_millis = autoretrain::fuzz::kNow.count();
  Result<std::optional<json::Value>> result =
      expression->Evaluate(input.ok() ? &*input : nullptr, {}, options);
  if (!result.ok()) Check(!result.error().error.empty(), "an evaluation error has a code");
  return 0;
}
