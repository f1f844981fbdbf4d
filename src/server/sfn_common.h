// Helpers the Step Functions operations share: ARN checks with AWS's InvalidArn errors, and the
// service model's limits.
//
// Thread-safety: pure functions.
#ifndef AUTORETRAIN_SERVER_SFN_COMMON_H_
#define AUTORETRAIN_SERVER_SFN_COMMON_H_

#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/server/aws_shapes.h"

namespace autoretrain::server {

// An operation's successful output.
inline Result<json::Value> Ok(json::Object output) { return json::Value(std::move(output)); }

// The service model's limits.
inline constexpr size_t kMaxNameLength = 80;
inline constexpr size_t kMaxArnLength = 256;
inline constexpr size_t kMaxDefinitionLength = 1024 * 1024;
inline constexpr size_t kMaxInputLength = 256 * 1024;
inline constexpr size_t kMaxPageTokenLength = 1024;
inline constexpr size_t kMaxListExecutionsTokenLength = 3096;
inline constexpr size_t kMaxErrorLength = 256;
inline constexpr size_t kMaxCauseLength = 32768;
inline constexpr size_t kMaxTraceHeaderLength = 256;
inline constexpr int64_t kMaxPageSize = 1000;

// Dates in the JSON 1.0 protocol's responses: epoch seconds, as AWS's SDKs expect.
inline constexpr DateFormat kDates = DateFormat::kEpochSeconds;

// Error{"InvalidArn", "Invalid Arn: 'ARN' is not EXPECTED"}.
Error InvalidArn(std::string_view arn, std::string_view expected);
// `text` in single quotes, as AWS's messages quote names and values.
std::string Quoted(std::string_view text);

// The state machine name of `arn` (arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME), or
// Error{"InvalidArn", ...} saying what is wrong.
Result<std::string> StateMachineNameOfArn(std::string_view arn);
// Checks that `arn` is an execution ARN
// (arn:PARTITION:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME); InvalidArn otherwise.
Status CheckExecutionArn(std::string_view arn);
// Checks that `arn` is an IAM role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME); InvalidArn
// otherwise.
Status CheckRoleArn(std::string_view arn);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_SFN_COMMON_H_
