// Fuzz target: intrinsic functions. Input: the call on the first line ("States.Format('{}',
// $.a)"), the effective input as JSON after it (a fixed one when the rest is not JSON). Parses
// the call and runs what parses; a call that cannot run must fail with one of the two errors
// Step Functions names (States.IntrinsicFailure, States.Runtime).
#include "asl/intrinsic_functions.h"
#include "asl/intrinsic_parser.h"
#include "fuzz_util.h"

namespace asl = autoretrain::asl;
namespace json = autoretrain::json;
using autoretrain::Result;
using autoretrain::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const json::Value fallback = *json::Parse(
      R"({"a":"text","n":3,"f":1.5,"list":[1,2,2,"x",{"k":"v"}],"o":{"x":1,"y":[true,null]},)"
      R"("json":"{\"p\":[1,2]}","b64":"aGVsbG8=","csv":"a,b;c"})");
  static const json::Value context = *json::Parse(
      R"({"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:m:e",)"
      R"("Input":{"k":1},"Name":"e"},"State":{"Name":"S","EnteredTime":"2026-01-01T00:00:00Z"}})");
  auto [call_text, rest] = autoretrain::fuzz::SplitFirstLine(autoretrain::fuzz::AsText(data, size));
  Result<asl::Intrinsic> call = asl::ParseIntrinsic(call_text);
  if (!call.ok()) {
    Check(!call.error().cause.empty(), "a parse error says what is wrong");
    return 0;
  }
  Result<json::Value> parsed_input = json::Parse(rest);
  const json::Value& input = parsed_input.ok() ? *parsed_input : fallback;
  Result<json::Value> result = asl::EvaluateIntrinsic(*call, json::PathRoots{input, context});
  if (!result.ok()) {
    Check(result.error().error == "States.IntrinsicFailure" ||
              result.error().error == "States.Runtime",
          "a failed call is States.IntrinsicFailure or States.Runtime");
  }
  return 0;
}
