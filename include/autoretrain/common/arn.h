// ARNs of the resources autoretrain runs, in the exact formats AWS uses, so that definitions
// written for AWS run unchanged and their outputs look like AWS's.
//
// Thread-safety: plain functions and values.
#ifndef AUTORETRAIN_COMMON_ARN_H_
#define AUTORETRAIN_COMMON_ARN_H_

#include <optional>
#include <string>
#include <string_view>

namespace autoretrain {

// Where local resources claim to live. Defaults match Step Functions Local's.
struct AccountContext {
  std::string partition = "aws";
  std::string region = "us-east-1";
  std::string account = "123456789012";
};

// arn:aws:states:REGION:ACCOUNT:stateMachine:NAME
std::string StateMachineArn(const AccountContext& ctx, std::string_view name);
// arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE_NAME:EXECUTION_NAME
std::string ExecutionArn(const AccountContext& ctx, std::string_view state_machine_name,
                         std::string_view execution_name);
// arn:aws:states:REGION:ACCOUNT:activity:NAME
std::string ActivityArn(const AccountContext& ctx, std::string_view name);
// arn:aws:lambda:REGION:ACCOUNT:function:NAME
std::string LambdaFunctionArn(const AccountContext& ctx, std::string_view name);
// arn:aws:sns:REGION:ACCOUNT:NAME
std::string SnsTopicArn(const AccountContext& ctx, std::string_view name);

// The parts of an ARN: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (RESOURCE keeps its own
// colons). Returns nullopt when `text` does not have the six colon-separated parts.
struct ParsedArn {
  std::string partition, service, region, account, resource;
};
std::optional<ParsedArn> ParseArn(std::string_view text);

// The ARN execution `execution_name` of the state machine `state_machine_arn` has
// (arn:...:stateMachine:NAME becomes arn:...:execution:NAME:EXECUTION_NAME); nullopt when
// `state_machine_arn` is not a state machine's ARN.
std::optional<std::string> ExecutionArnOf(std::string_view state_machine_arn,
                                          std::string_view execution_name);

// A new random execution name in the form AWS generates (a lowercase UUID v4).
std::string NewExecutionName();

// A name in the same UUID format, but always the same for the same `seed` (version nibble 8,
// "custom", so it never collides with a random v4 name). Used for child executions, so that
// starting the same child again (after a crash, say) names the same execution.
std::string DeterministicExecutionName(std::string_view seed);

}  // namespace autoretrain

#endif  // AUTORETRAIN_COMMON_ARN_H_
