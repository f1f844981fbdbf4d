#include "server/sfn_common.h"

#include <optional>

#include "autoretrain/common/arn.h"

namespace autoretrain::server {

Error InvalidArn(std::string_view arn, std::string_view expected) {
  return Error{"InvalidArn",
               "Invalid Arn: '" + std::string(arn) + "' is not " + std::string(expected)};
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

Result<std::string> StateMachineNameOfArn(std::string_view arn) {
  constexpr std::string_view kExpected =
      "a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)";
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (!parsed || parsed->service != "states" || !parsed->resource.starts_with("stateMachine:")) {
    return InvalidArn(arn, kExpected);
  }
  std::string name = parsed->resource.substr(std::string_view("stateMachine:").size());
  if (name.empty()) return InvalidArn(arn, kExpected);
  if (name.find(':') != std::string::npos) {
    return InvalidArn(arn, std::string(kExpected) +
                               ": this operation takes the state machine's own ARN, "
                               "not a version or alias ARN");
  }
  return name;
}

Status CheckExecutionArn(std::string_view arn) {
  constexpr std::string_view kExpected =
      "an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME)";
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (!parsed || parsed->service != "states" || !parsed->resource.starts_with("execution:")) {
    return InvalidArn(arn, kExpected);
  }
  const std::string_view rest = std::string_view(parsed->resource).substr(10);
  const size_t colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return InvalidArn(arn, kExpected);
  }
  return OkStatus();
}

Status CheckRoleArn(std::string_view arn) {
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (!parsed || parsed->service != "iam" || !parsed->resource.starts_with("role/")) {
    return InvalidArn(arn, "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
  }
  return OkStatus();
}

}  // namespace autoretrain::server
