// Slack incoming-webhook messages: an alert (title, fields, context, a link button, a
// severity) as Block Kit JSON, POSTed to the webhook URL with retries on 429 (honouring
// Retry-After, capped) and 5xx (exponential backoff). The webhook URL is a secret: it never
// appears in an error, a log line or a result (only its scheme and host do).
//
// Thread-safety: plain functions; PostSlack is as thread-safe as the HttpClient it is given
// (HttpClient allows concurrent use).
#ifndef AUTORETRAIN_AWS_SLACK_H_
#define AUTORETRAIN_AWS_SLACK_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/aws/http_client.h"
#include "autoretrain/json/json.h"

namespace autoretrain::aws {

struct AlertField {
  std::string name, value;
};

struct AlertMessage {
  std::string title;                // the header (plain text, at most 150 characters shown)
  std::vector<AlertField> fields;   // name/value pairs, ten to a section
  std::string context;              // small print under the fields; may be empty
  std::string link_text, link_url;  // a button opening link_url; none when link_url is empty
  std::string severity;             // "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL" or empty
};

// Error names (Error::error) of a message that was not delivered.
inline constexpr std::string_view kSlackRateLimited = "SlackRateLimited";  // 429 to the end
inline constexpr std::string_view kSlackUnavailable = "SlackUnavailable";  // 5xx to the end
// Slack refused the message (4xx other than 429: revoked webhook, archived channel, bad
// payload); retrying cannot help.
inline constexpr std::string_view kSlackRejected = "SlackRejected";
inline constexpr std::string_view kSlackInvalidWebhook = "SlackInvalidWebhook";  // not a URL

struct SlackOptions {
  int max_attempts = 5;  // in all, the first included
  // Waits before retry i: min(base_delay * 2^(i-1), max_delay); a 429's Retry-After (seconds)
  // replaces it, also capped at max_delay.
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{30000};
  std::function<void(std::chrono::milliseconds)> sleep;  // empty: really sleep
};

struct SlackDelivery {
  int attempts = 0;
};

// The HttpClient options PostSlack expects: one attempt per Send (PostSlack retries itself,
// honouring Retry-After), 3 s to connect, 10 s per attempt.
HttpClientOptions SlackHttpOptions();

// The webhook payload: {"text": fallback for notifications, "blocks": [header, section(s) of
// fields, context (severity and `context`), actions with a button]}. Text is cut to Slack's
// limits; mrkdwn text has &, < and > escaped.
json::Value SlackPayload(const AlertMessage& message);

// Posts `message` to `webhook_url`. On success (HTTP 2xx) returns how many attempts it took.
// Retries 429 and 5xx answers and refused or failed connections (nothing reached Slack), up
// to max_attempts; a timeout or a malformed answer is not retried, since Slack may have
// posted the message. Fails with kSlackRateLimited, kSlackUnavailable, kSlackRejected (cause:
// the status, Slack's error text and what to fix), kSlackInvalidWebhook, or the HttpClient's
// transport error names; causes name the webhook by scheme and host only.
Result<SlackDelivery> PostSlack(std::string_view webhook_url, const AlertMessage& message,
                                HttpClient& http, const SlackOptions& options = {});

// "https://hooks.slack.com/REDACTED" for a webhook URL: what messages may show of it.
std::string RedactedWebhook(std::string_view webhook_url);

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SLACK_H_
