// The built-in function `send_retraining_alert`: tells people what the retraining policy
// decided, before the pipeline starts, on the Slack webhooks autoretrain.json's "alerts"
// names. A failed delivery never fails the function: it is reported in the result (and the
// state machine records the result in its history), so an alert can never block or lose a
// decision. SNS alerts need no function: the definition publishes with sns:publish, which runs
// unchanged on AWS. docs/retraining-policy.md#alerts.
//
// Event (strings; only "model" is required): {"model", "verdict", "summary", "decision",
// "severity", "execution_arn"}; pass the evaluate_retraining_policy result's fields and
// $$.Execution.Id.
// Result: {"delivered": [{"destination", "attempts"}], "failed": [{"destination", "error",
// "cause"}]}; a destination is "slack:<scheme>://<host>" (the webhook's path is a secret).
// Errors (function errors): InvalidAlertRequest when the event is not of that form.
//
// Thread-safety: Invoke may run concurrently (HttpClient allows concurrent use).
#ifndef AUTORETRAIN_RETRAIN_ALERT_FUNCTION_H_
#define AUTORETRAIN_RETRAIN_ALERT_FUNCTION_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/aws/environment.h"
#include "autoretrain/aws/slack.h"
#include "autoretrain/integrations/function.h"

namespace autoretrain::retrain {

// The name the function is registered under (by the project runtime).
inline constexpr std::string_view kAlertFunctionName = "send_retraining_alert";

// One Slack incoming webhook ("alerts.slack[]"). The URL is a secret: it is read from the
// environment variable `webhook_url_env` at each alert, never stored in the configuration.
struct SlackAlertTarget {
  std::string webhook_url_env;
  int max_attempts = 5;  // retries on 429, 5xx and refused connections (aws/slack.h)
};

struct AlertsConfig {
  std::vector<SlackAlertTarget> slack;
  // "console_url": where the execution link points: CONSOLE_URL/executions/EXECUTION_ARN.
  // Empty: the alert has no link.
  std::string console_url;
  // "sns_topic" (a topic of integrations.sns.topics, or an SNS topic ARN), as an ARN: not
  // used by the function; the policy trigger's input carries it as "alert_topic_arn" and
  // its PublishAlert state publishes there. Empty: no SNS alert.
  std::string sns_topic_arn;
};

// The function; `env` gives the webhook URLs (must not be null).
std::unique_ptr<integrations::Function> MakeAlertFunction(
    AlertsConfig config, std::shared_ptr<const aws::Environment> env);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_ALERT_FUNCTION_H_
