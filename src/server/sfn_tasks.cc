// Step Functions callback task operations: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat
// (the checks and the store writes are task_answers.h's, shared with `autoretrain task`).
#include "autoretrain/server/step_functions_service.h"
#include "autoretrain/server/task_answers.h"
#include "server/request_reader.h"
#include "server/sfn_common.h"

namespace autoretrain::server {

Result<json::Value> StepFunctionsService::SendTaskSuccess(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> token = reader.String("taskToken", true, 1, kMaxTaskTokenLength);
  std::optional<std::string> output = reader.String("output", true, 0, kMaxInputLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Status sent = server::SendTaskSuccess(**store, *token, *output, clock_.Now());
  if (!sent.ok()) return sent.take_error();
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::SendTaskFailure(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> token = reader.String("taskToken", true, 1, kMaxTaskTokenLength);
  std::optional<std::string> error = reader.String("error", false, 0, kMaxErrorLength);
  std::optional<std::string> cause = reader.String("cause", false, 0, kMaxCauseLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Status sent = server::SendTaskFailure(**store, *token, error, cause, clock_.Now());
  if (!sent.ok()) return sent.take_error();
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::SendTaskHeartbeat(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> token = reader.String("taskToken", true, 1, kMaxTaskTokenLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Status sent = server::SendTaskHeartbeat(**store, *token, clock_.Now());
  if (!sent.ok()) return sent.take_error();
  return Ok(json::Object{});
}

}  // namespace autoretrain::server
