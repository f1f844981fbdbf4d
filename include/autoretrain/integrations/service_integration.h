// ServiceIntegration: a Task state integration that the TaskRouter delegates to, for the
// services that live outside the integrations layer or that a project configures (SNS,
// DynamoDB, the HTTP task, a remote Step Functions or Lambda endpoint). The router asks each
// registered integration in turn, before its built-in resources; the first that Handles a
// request runs it.
//
// An integration follows the TaskHandler contract (engine/task_handler.h): it returns the task
// result or the workflow error ("<Service>.<Exception>", States.Runtime, States.Timeout...),
// and work that goes on after Invoke returns (.sync) sets *check_again_at and is called again
// with `submitted` set.
//
// Thread-safety: Handles and Invoke may be called concurrently from different executions.
#ifndef AUTORETRAIN_INTEGRATIONS_SERVICE_INTEGRATION_H_
#define AUTORETRAIN_INTEGRATIONS_SERVICE_INTEGRATION_H_

#include "autoretrain/engine/task_handler.h"

namespace autoretrain::integrations {

class ServiceIntegration {
 public:
  virtual ~ServiceIntegration() = default;
  // Whether this integration runs `request` (decided from its resource and, for integrations
  // that select their targets, such as a remote Lambda, from its parameters).
  virtual bool Handles(const engine::TaskRequest& request) const = 0;
  // Runs a request that Handles accepted (see engine::TaskHandler::Invoke).
  virtual Result<json::Value> Invoke(const engine::TaskRequest& request) = 0;
};

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_SERVICE_INTEGRATION_H_
