#include "autoretrain/aws/slack.h"

#include <thread>

namespace autoretrain::aws {
namespace {

constexpr size_t kHeaderMax = 150;
constexpr size_t kFieldMax = 2000;
constexpr size_t kButtonMax = 75;
constexpr size_t kFieldsPerSection = 10;

// `text` cut to at most `max` bytes on a UTF-8 boundary, with "..." when cut.
std::string Cut(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max - 3;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::string EscapeMrkdwn(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string_view SeverityEmoji(std::string_view severity) {
  if (severity == "CRITICAL") return ":rotating_light:";
  if (severity == "HIGH") return ":red_circle:";
  if (severity == "MEDIUM") return ":large_orange_circle:";
  if (severity == "LOW") return ":large_yellow_circle:";
  return ":white_circle:";
}

json::Object PlainText(std::string_view text, size_t max) {
  return json::Object{{"type", "plain_text"}, {"text", Cut(text, max)}, {"emoji", true}};
}

json::Object Mrkdwn(std::string_view text) {
  return json::Object{{"type", "mrkdwn"}, {"text", Cut(text, kFieldMax)}};
}

// Retry-After in whole seconds (Slack sends seconds); nullopt when absent or not a number.
std::optional<std::chrono::milliseconds> RetryAfter(const HttpResponse& response) {
  std::string value = response.Header("Retry-After");
  if (value.empty()) return std::nullopt;
  char* end = nullptr;
  long seconds = std::strtol(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(seconds * 1000);
}

std::string Hint(std::string_view body) {
  if (body == "no_service" || body == "invalid_token") {
    return "the webhook was revoked or the URL is wrong: create a new incoming webhook in the "
           "Slack app and update the secret";
  }
  if (body == "channel_not_found" || body == "channel_is_archived") {
    return "the webhook's channel is gone or archived: point the webhook at a live channel";
  }
  if (body == "action_prohibited" || body == "posting_to_general_channel_denied") {
    return "the workspace does not allow this webhook to post there: ask a Slack admin";
  }
  if (body == "invalid_payload" || body == "no_text") {
    return "Slack could not read the message; this is a bug in autoretrain's payload, please "
           "report it";
  }
  return "check the webhook in the Slack app's Incoming Webhooks page";
}

// `text` with every occurrence of the webhook (and its path) replaced by its redacted form.
std::string Scrub(std::string text, std::string_view url) {
  std::string redacted = RedactedWebhook(url);
  std::optional<UrlParts> parts = SplitUrl(url);
  for (std::string_view secret : {url, parts ? std::string_view(parts->path) : url}) {
    if (secret.size() < 2) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), secret == url ? redacted : "/REDACTED");
    }
  }
  return text;
}

}  // namespace

HttpClientOptions SlackHttpOptions() {
  HttpClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(3000);
  options.total_timeout = std::chrono::milliseconds(10000);
  options.retry.max_attempts = 1;
  return options;
}

std::string RedactedWebhook(std::string_view webhook_url) {
  std::optional<UrlParts> parts = SplitUrl(webhook_url);
  if (!parts) return "(an invalid webhook URL)";
  return parts->scheme + "://" + parts->host_header + "/REDACTED";
}

json::Value SlackPayload(const AlertMessage& message) {
  json::Array blocks;
  std::string title = message.title.empty() ? "autoretrain alert" : message.title;
  blocks.push_back(json::Object{{"type", "header"}, {"text", PlainText(title, kHeaderMax)}});
  for (size_t start = 0; start < message.fields.size(); start += kFieldsPerSection) {
    json::Array fields;
    for (size_t i = start; i < std::min(message.fields.size(), start + kFieldsPerSection); ++i) {
      const AlertField& f = message.fields[i];
      fields.push_back(Mrkdwn("*" + EscapeMrkdwn(f.name) + "*\n" + EscapeMrkdwn(f.value)));
    }
    blocks.push_back(json::Object{{"type", "section"}, {"fields", std::move(fields)}});
  }
  json::Array context;
  if (!message.severity.empty()) {
    context.push_back(Mrkdwn(std::string(SeverityEmoji(message.severity)) + " *Severity:* " +
                             EscapeMrkdwn(message.severity)));
  }
  if (!message.context.empty()) context.push_back(Mrkdwn(EscapeMrkdwn(message.context)));
  if (!context.empty()) {
    blocks.push_back(json::Object{{"type", "context"}, {"elements", std::move(context)}});
  }
  if (!message.link_url.empty()) {
    std::string text = message.link_text.empty() ? "Open" : message.link_text;
    json::Object button{
        {"type", "button"}, {"text", PlainText(text, kButtonMax)}, {"url", message.link_url}};
    if (message.severity == "CRITICAL" || message.severity == "HIGH") button["style"] = "danger";
    blocks.push_back(json::Object{{"type", "actions"}, {"elements", json::Array{button}}});
  }
  std::string fallback = title;
  if (!message.severity.empty()) fallback += " [" + message.severity + "]";
  return json::Object{{"text", Cut(fallback, 3000)}, {"blocks", std::move(blocks)}};
}

Result<SlackDelivery> PostSlack(std::string_view webhook_url, const AlertMessage& message,
                                HttpClient& http, const SlackOptions& options) {
  std::optional<UrlParts> parts = SplitUrl(webhook_url);
  if (!parts || (parts->scheme != "https" && parts->scheme != "http")) {
    return Error{std::string(kSlackInvalidWebhook),
                 "the Slack webhook URL is not an http(s) URL; copy it again from the Slack "
                 "app's Incoming Webhooks page"};
  }
  const std::string where = "Slack webhook " + RedactedWebhook(webhook_url);
  HttpRequest request;
  request.method = "POST";
  request.url = webhook_url;
  request.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  request.body = json::Serialize(SlackPayload(message));
  auto sleep = options.sleep ? options.sleep
                             : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  const int max_attempts = std::max(1, options.max_attempts);
  std::string last;
  std::string_view last_name;
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> response = http.Send(request);
    std::optional<std::chrono::milliseconds> wait;
    if (!response.ok()) {
      const Error& error = response.error();
      bool unsent = error.error == kHttpConnectionRefused || error.error == kHttpConnectionFailed;
      if (!unsent || attempt >= max_attempts) {
        return Error{error.error, Scrub(where + ": " + error.cause, webhook_url) + " (after " +
                                      std::to_string(attempt) + " attempt" +
                                      (attempt == 1 ? "" : "s") + ")"};
      }
    } else if (response->status >= 200 && response->status < 300) {
      return SlackDelivery{attempt};
    } else if (response->status == 429) {
      last_name = kSlackRateLimited;
      last = "rate limited (HTTP 429)";
      wait = RetryAfter(*response);
    } else if (response->status >= 500) {
      last_name = kSlackUnavailable;
      last = "HTTP " + std::to_string(response->status) + " (Slack is having trouble)";
    } else {
      std::string body = Cut(response->body, 200);
      return Error{std::string(kSlackRejected),
                   Scrub(where + " refused the message: HTTP " + std::to_string(response->status) +
                             " " + body + "; " + Hint(body),
                         webhook_url)};
    }
    if (attempt >= max_attempts) {
      return Error{std::string(last_name.empty() ? kHttpConnectionRefused : last_name),
                   where + " kept failing: " + last + " on all " + std::to_string(attempt) +
                       " attempts; the alert was not delivered (raise SlackOptions.max_attempts "
                       "or check https://status.slack.com)"};
    }
    std::chrono::milliseconds backoff = options.base_delay * (1LL << std::min(attempt - 1, 20));
    sleep(std::min(wait.value_or(backoff), options.max_delay));
  }
}

}  // namespace autoretrain::aws
