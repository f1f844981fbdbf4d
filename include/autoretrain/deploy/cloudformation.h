// Exporting a project as an AWS CloudFormation template (`autoretrain export cloudformation`):
// the same definitions, schedules, history table and alerts, deployed to AWS Step Functions
// unchanged (docs/deploy.md).
//
// The template holds:
//   - one AWS::StepFunctions::StateMachine per project state machine: DefinitionString is the
//     definition file's text as-is, except that each ARN in the project's own account (and the
//     seed's PASTE_YOUR_MAIN_PIPELINE_ARN_HERE placeholder) is replaced by a ${Key} that
//     DefinitionSubstitutions maps to the deployed account's ARN (or the PipelineArn
//     parameter); names (functions, tables, topics) stay as they are, because the stack
//     creates its resources under the same names;
//   - its IAM role, granting exactly what its Task states call (iam_grants.h);
//   - one AWS::Lambda::Function per built-in decision function (provided.al2023, Handler
//     bootstrap, code from the LambdaCodeBucket/LambdaCodeKey parameters; `autoretrain lambda
//     package` builds the zip) with the seed's role: AWSLambdaBasicExecutionRole plus the
//     inline policy s3:GetObject on the decision file's prefix;
//   - one AWS::Scheduler::Schedule per schedule (expression, time zone, flexible window, state,
//     start/end dates, retry policy, a dead-letter SQS queue) with a role that may only start
//     its target state machine and send to its queue;
//   - the retraining history table (AWS::DynamoDB::Table, retraining_history.h's key schema)
//     when models are configured or a definition uses it, and each integrations.dynamodb table;
//   - an AWS::SNS::Topic per topic a definition publishes to (or integrations.sns configures),
//     with an optional e-mail subscription (AlertEmail parameter).
//
// Thread-safety: plain functions over values.
#ifndef AUTORETRAIN_DEPLOY_CLOUDFORMATION_H_
#define AUTORETRAIN_DEPLOY_CLOUDFORMATION_H_

#include <string>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"

namespace autoretrain::deploy {

// One IAM policy statement's worth of permission: Allow `actions` on `resources` (each an
// Fn::Sub template string), and why (the state that needs it).
struct IamGrant {
  std::vector<std::string> actions;    // "lambda:InvokeFunction", ...
  std::vector<std::string> resources;  // "arn:${AWS::Partition}:lambda:...:function:NAME"
  std::string reason;                  // "ReadRetrainingDecision (lambda:invoke)"
};

// The parameter the seed's placeholder ARN becomes.
inline constexpr const char* kPipelineArnParameter = "PipelineArn";
// The parameters naming the Lambda code zip.
inline constexpr const char* kCodeBucketParameter = "LambdaCodeBucket";
inline constexpr const char* kCodeKeyParameter = "LambdaCodeKey";
inline constexpr const char* kDefaultCodeKey = "autoretrain-lambda.zip";
// The parameter of the alert topics' e-mail subscription ("" : none).
inline constexpr const char* kAlertEmailParameter = "AlertEmail";
// The environment variables the Lambda function's `autoretrain lambda` reads its decision file
// location from (lambda_runtime.h).
inline constexpr const char* kFunctionEnv = "AUTORETRAIN_FUNCTION";
inline constexpr const char* kDecisionBucketEnv = "AUTORETRAIN_DECISION_BUCKET";
inline constexpr const char* kDecisionKeyEnv = "AUTORETRAIN_DECISION_KEY";
inline constexpr const char* kDecisionMaxBytesEnv = "AUTORETRAIN_DECISION_MAX_BYTES";
inline constexpr const char* kDecisionMaxAgeEnv = "AUTORETRAIN_DECISION_MAX_AGE_HOURS";

struct ExportedTemplate {
  json::Value body;                   // the template
  std::vector<std::string> warnings;  // what the user should know (dynamic targets, ...)
};

// The template of `config`'s project. Fails with Error{"InvalidDefinition", "<file>: ..."}
// (LoadDefinition's) when a definition does not compile, or Error{"DefinitionNotReadable", ...}
// when it cannot be read; the cause names the file.
Result<ExportedTemplate> ExportCloudFormation(const retrain::ProjectConfig& config);

// `value` as YAML 1.2 block style (mappings and sequences indented two spaces, every scalar
// written as its JSON form, which YAML reads back identically; long-form intrinsic functions
// such as "Fn::Sub" stay keys). Never fails.
std::string ToYaml(const json::Value& value);

}  // namespace autoretrain::deploy

#endif  // AUTORETRAIN_DEPLOY_CLOUDFORMATION_H_
