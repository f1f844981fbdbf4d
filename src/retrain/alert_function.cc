// send_retraining_alert: the policy's verdict as a Slack message on every configured webhook.
#include "autoretrain/retrain/alert_function.h"

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::retrain {
namespace {

Error Invalid(const std::string& message) {
  return integrations::FunctionError("InvalidAlertRequest", message);
}

// The event's string fields, by name ("" when absent).
struct AlertEvent {
  std::string model, verdict, summary, decision, severity, execution_arn;
};

Result<AlertEvent> ReadEvent(const json::Value& event) {
  if (!event.is_object()) {
    return Invalid(
        "the event must be an object such as {\"model\": \"fraud\", \"verdict\": "
        "\"RETRAIN\"}, got " +
        std::string(json::TypeName(event)));
  }
  const json::Object& obj = event.get_object();
  AlertEvent out;
  for (auto [key, field] : {std::pair{"model", &out.model},
                            {"verdict", &out.verdict},
                            {"summary", &out.summary},
                            {"decision", &out.decision},
                            {"severity", &out.severity},
                            {"execution_arn", &out.execution_arn}}) {
    const json::Value* v = obj.if_contains(key);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_string()) {
      return Invalid(std::string(key) + " must be a string, got " +
                     std::string(json::TypeName(*v)));
    }
    *field = v->get_string();
  }
  if (out.model.empty()) return Invalid("model is required (the model the alert is about)");
  return out;
}

aws::AlertMessage Message(const AlertEvent& event, const std::string& console_url) {
  aws::AlertMessage message;
  message.title =
      "Retraining " + (event.verdict.empty() ? "decision" : event.verdict) + ": " + event.model;
  auto field = [&](const char* name, const std::string& value) {
    if (!value.empty()) message.fields.push_back({name, value});
  };
  field("Model", event.model);
  field("Decision", event.decision);
  field("Severity", event.severity);
  field("Verdict", event.verdict);
  field("Reason", event.summary);
  field("Execution", event.execution_arn);
  if (event.verdict == "NEEDS_APPROVAL") {  // the alert is what tells the approvers
    field("Answer with", "autoretrain approve " + event.model + " | autoretrain reject " +
                             event.model + " (or the console's retraining page)");
  }
  message.severity = event.severity;
  message.context = "autoretrain retraining policy";
  if (!console_url.empty() && !event.execution_arn.empty()) {
    message.link_text = "Open the execution";
    message.link_url = console_url + "/executions/" + aws::UriEncode(event.execution_arn, false);
  }
  return message;
}

class AlertFunction final : public integrations::Function {
 public:
  AlertFunction(AlertsConfig config, std::shared_ptr<const aws::Environment> env)
      : config_(std::move(config)), env_(std::move(env)), http_(aws::SlackHttpOptions()) {}

  Result<json::Value> Invoke(const json::Value& event) override {
    Result<AlertEvent> read = ReadEvent(event);
    if (!read.ok()) return read.take_error();
    const aws::AlertMessage message = Message(*read, config_.console_url);
    json::Array delivered, failed;
    for (const SlackAlertTarget& target : config_.slack) {
      std::optional<std::string> url = env_->Get(target.webhook_url_env);
      if (!url) {
        failed.push_back(json::Object{
            {"destination", "slack:$" + target.webhook_url_env},
            {"error", "SlackWebhookNotSet"},
            {"cause", "the environment variable " + target.webhook_url_env +
                          " that alerts.slack names is not set: set it to the webhook's URL"}});
        continue;
      }
      const std::string destination = "slack:" + aws::RedactedWebhook(*url);
      aws::SlackOptions options;
      options.max_attempts = target.max_attempts;
      Result<aws::SlackDelivery> sent = aws::PostSlack(*url, message, http_, options);
      if (sent.ok()) {
        delivered.push_back(
            json::Object{{"destination", destination}, {"attempts", sent->attempts}});
      } else {
        failed.push_back(json::Object{{"destination", destination},
                                      {"error", sent.error().error},
                                      {"cause", sent.error().cause}});
      }
    }
    return json::Value(
        json::Object{{"delivered", std::move(delivered)}, {"failed", std::move(failed)}});
  }

 private:
  const AlertsConfig config_;
  const std::shared_ptr<const aws::Environment> env_;
  aws::HttpClient http_;
};

}  // namespace

std::unique_ptr<integrations::Function> MakeAlertFunction(
    AlertsConfig config, std::shared_ptr<const aws::Environment> env) {
  return std::make_unique<AlertFunction>(std::move(config), std::move(env));
}

}  // namespace autoretrain::retrain
