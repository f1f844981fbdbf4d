#include "retrain/validation_alerts.h"

#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/slack.h"

namespace autoretrain::retrain {
namespace {

// Whether `url` answers at all: any HTTP status counts (a webhook refuses a HEAD with 4xx, yet
// is there); only getting no answer fails. Nothing is posted.
std::optional<Error> Unreachable(aws::HttpClient& http, const std::string& url) {
  aws::HttpRequest request;
  request.method = "HEAD";
  request.url = url;
  Result<aws::HttpResponse> answer = http.Send(request);
  if (answer.ok()) return std::nullopt;
  return answer.error();
}

// `what` at `shown` (a redacted URL): passes when it answers.
ValidationCheck Reachability(aws::HttpClient& http, const std::string& name, const std::string& url,
                             const std::string& shown, const std::string& fix) {
  ValidationCheck check{name, true, "", ""};
  if (std::optional<Error> error = Unreachable(http, url)) {
    check.passed = false;
    check.detail = shown + " did not answer: " + error->error;
    check.fix = fix;
  } else {
    check.detail = shown + " answers (checked with HEAD; nothing was sent)";
  }
  return check;
}

}  // namespace

void CheckAlertDestinations(const ProjectConfig& config, const aws::Environment& env,
                            ValidationReport& report) {
  aws::HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(3000);
  options.total_timeout = std::chrono::milliseconds(5000);
  options.retry.max_attempts = 1;
  aws::HttpClient http(options);
  for (const SlackAlertTarget& slack : config.alerts.slack) {
    const std::string name = "alert destination (Slack webhook in $" + slack.webhook_url_env + ")";
    std::optional<std::string> url = env.Get(slack.webhook_url_env);
    if (!url) {
      report.checks.push_back({name, false,
                               "the environment variable " + slack.webhook_url_env + " is not set",
                               "export " + slack.webhook_url_env +
                                   "=<the webhook's URL> where autoretrain runs (alerts.slack)"});
      continue;
    }
    report.checks.push_back(
        Reachability(http, name, *url, aws::RedactedWebhook(*url),
                     "check the webhook URL in $" + slack.webhook_url_env +
                         " and that this machine can reach it (proxy, firewall)"));
  }
  if (config.integrations.sns.remote.all) return;  // the topics are Amazon SNS's
  for (const aws::LocalSnsTopic& topic : config.integrations.sns_topics) {
    for (const aws::LocalSnsSubscription& subscription : topic.subscriptions) {
      report.checks.push_back(Reachability(
          http, "alert destination (SNS topic " + topic.name + ", " + subscription.protocol + ")",
          subscription.endpoint, aws::RedactedWebhook(subscription.endpoint),
          "start the subscriber or correct its endpoint in integrations.sns.topics"));
    }
  }
}

}  // namespace autoretrain::retrain
