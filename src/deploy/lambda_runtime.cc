#include "autoretrain/deploy/lambda_runtime.h"

#include <charconv>
#include <chrono>
#include <utility>

#include "autoretrain/aws/http_client.h"
#include "autoretrain/deploy/cloudformation.h"
#include "autoretrain/json/json.h"

namespace autoretrain::deploy {
namespace {

constexpr std::string_view kApiVersion = "/2018-06-01";

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string ErrorBody(const LambdaError& error) {
  return json::Serialize(json::Object{
      {"errorMessage", error.message}, {"errorType", error.type}, {"stackTrace", json::Array{}}});
}

class HttpRuntimeApi final : public RuntimeApi {
 public:
  explicit HttpRuntimeApi(std::string endpoint)
      : base_("http://" + std::move(endpoint) + std::string(kApiVersion)), http_(Options()) {}

  Result<Invocation> Next() override {
    aws::HttpRequest request;
    request.url = base_ + "/runtime/invocation/next";
    Result<aws::HttpResponse> response = Send(request);
    if (!response.ok()) return response.take_error();
    if (response->status != 200) return Unexpected("GET", request.url, *response);
    Invocation invocation;
    invocation.request_id = response->Header("Lambda-Runtime-Aws-Request-Id");
    if (invocation.request_id.empty()) {
      return Error{"RuntimeApiError", "GET " + request.url +
                                          " answered without a Lambda-Runtime-Aws-Request-Id "
                                          "header; the Runtime API is not Lambda's"};
    }
    invocation.deadline_ms = ParseInt(response->Header("Lambda-Runtime-Deadline-Ms"));
    invocation.function_arn = response->Header("Lambda-Runtime-Invoked-Function-Arn");
    invocation.trace_id = response->Header("Lambda-Runtime-Trace-Id");
    invocation.event = std::move(response->body);
    return invocation;
  }

  Status Respond(const std::string& request_id, const std::string& body) override {
    return Post(base_ + "/runtime/invocation/" + request_id + "/response", body, "");
  }

  Status Fail(const std::string& request_id, const LambdaError& error) override {
    return Post(base_ + "/runtime/invocation/" + request_id + "/error", ErrorBody(error),
                error.type);
  }

  Status InitError(const LambdaError& error) override {
    return Post(base_ + "/runtime/init/error", ErrorBody(error), error.type);
  }

 private:
  static aws::HttpClientOptions Options() {
    aws::HttpClientOptions options;
    // /next blocks until an invocation arrives and Lambda may freeze the process meanwhile:
    // AWS asks runtimes not to time it out. A day stands for "never".
    options.total_timeout = std::chrono::hours(24);
    options.connect_timeout = std::chrono::seconds(10);
    options.retry.max_attempts = 1;  // the Runtime API is local; a failure is final
    return options;
  }

  Result<aws::HttpResponse> Send(aws::HttpRequest request) {
    Result<aws::HttpResponse> response = http_.Send(request);
    if (!response.ok()) {
      return Error{"RuntimeApiError", request.method + " " + request.url +
                                          " failed: " + response.error().cause +
                                          " (is AWS_LAMBDA_RUNTIME_API right?)"};
    }
    return response;
  }

  static Error Unexpected(const std::string& method, const std::string& url,
                          const aws::HttpResponse& response) {
    return Error{"RuntimeApiError", method + " " + url + " answered HTTP " +
                                        std::to_string(response.status) + ": " +
                                        response.body.substr(0, 300)};
  }

  Status Post(const std::string& url, const std::string& body, const std::string& error_type) {
    aws::HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.body = body;
    request.headers.emplace_back("Content-Type", "application/json");
    if (!error_type.empty()) {
      request.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
    }
    Result<aws::HttpResponse> response = Send(request);
    if (!response.ok()) return response.take_error();
    if (response->status == 202) return OkStatus();
    if (response->status == 413) {
      return Error{"Function.ResponseSizeTooLarge", "POST " + url + " answered HTTP 413"};
    }
    return Unexpected("POST", url, *response);
  }

  std::string base_;
  aws::HttpClient http_;
};

Error TimedOut(const Invocation& invocation, int64_t now_ms, std::string_view when) {
  return integrations::FunctionError(
      "Sandbox.Timedout", "Task timed out: the invocation's deadline (Lambda-Runtime-Deadline-Ms " +
                              std::to_string(*invocation.deadline_ms) + ") passed " +
                              std::string(when) + " (" +
                              std::to_string(now_ms - *invocation.deadline_ms) +
                              " ms late); raise the function's Timeout");
}

}  // namespace

std::unique_ptr<RuntimeApi> MakeRuntimeApiClient(std::string endpoint) {
  return std::make_unique<HttpRuntimeApi>(std::move(endpoint));
}

LambdaError ToLambdaError(const Error& error) {
  Result<json::Value> cause = json::Parse(error.cause);
  if (cause.ok() && cause->is_object()) {
    const json::Object& obj = cause->get_object();
    auto type = obj.find("errorType");
    auto message = obj.find("errorMessage");
    if (type != obj.end() && type->value().is_string() && message != obj.end() &&
        message->value().is_string()) {
      return LambdaError{std::string(type->value().get_string()),
                         std::string(message->value().get_string())};
    }
  }
  return LambdaError{error.error.empty() ? "Runtime.Unknown" : error.error, error.cause};
}

Result<std::string> HandleInvocation(const Invocation& invocation, integrations::Function& function,
                                     const std::function<int64_t()>& now_ms) {
  if (invocation.deadline_ms && now_ms() >= *invocation.deadline_ms) {
    return TimedOut(invocation, now_ms(), "before the function started");
  }
  Result<json::Value> event = json::Parse(invocation.event);
  if (!event.ok()) {
    return integrations::FunctionError("Runtime.UnmarshalError",
                                       "The event is not valid JSON (" + event.error().cause +
                                           "); invoke the function with a JSON payload, e.g. {}");
  }
  std::optional<int64_t> remaining_seconds;
  if (invocation.deadline_ms) {
    remaining_seconds = std::max<int64_t>(1, (*invocation.deadline_ms - now_ms() + 999) / 1000);
  }
  Result<json::Value> result = function.InvokeWithin(*event, remaining_seconds);
  if (!result.ok()) return result.take_error();
  if (invocation.deadline_ms && now_ms() > *invocation.deadline_ms) {
    return TimedOut(invocation, now_ms(), "before the function returned");
  }
  std::string body = json::Serialize(*result);
  if (body.size() > kMaxLambdaResponseBytes) {
    return integrations::FunctionError("Function.ResponseSizeTooLarge",
                                       "The response is " + std::to_string(body.size()) +
                                           " bytes; Lambda accepts at most " +
                                           std::to_string(kMaxLambdaResponseBytes));
  }
  return body;
}

Status RunRuntimeLoop(RuntimeApi& api, integrations::Function& function,
                      const RuntimeLoopOptions& options) {
  std::function<int64_t()> now_ms = options.now_ms ? options.now_ms : SystemNowMs;
  for (int64_t done = 0; options.max_invocations == 0 || done < options.max_invocations; ++done) {
    Result<Invocation> invocation = api.Next();
    if (!invocation.ok()) return invocation.take_error();
    auto started = std::chrono::steady_clock::now();
    InvocationReport report;
    report.request_id = invocation->request_id;
    Result<std::string> outcome = HandleInvocation(*invocation, function, now_ms);
    Status posted = OkStatus();
    if (outcome.ok()) {
      posted = api.Respond(invocation->request_id, *outcome);
      if (!posted.ok() && posted.error().error == "Function.ResponseSizeTooLarge") {
        report.error = LambdaError{posted.error().error, posted.error().cause};
        posted = api.Fail(invocation->request_id, *report.error);
      }
    } else {
      report.error = ToLambdaError(outcome.error());
      posted = api.Fail(invocation->request_id, *report.error);
    }
    if (!posted.ok()) return posted;
    report.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    if (options.on_invocation) options.on_invocation(report);
  }
  return OkStatus();
}

Result<retrain::DecisionConfig> DecisionConfigFromEnvironment(const aws::Environment& env) {
  retrain::DecisionConfig config;
  if (std::optional<std::string> bucket = env.Get(kDecisionBucketEnv)) config.bucket = *bucket;
  if (std::optional<std::string> key = env.Get(kDecisionKeyEnv)) config.key = *key;
  if (std::optional<std::string> text = env.Get(kDecisionMaxBytesEnv)) {
    std::optional<int64_t> value = ParseInt(*text);
    if (!value || *value <= 0) {
      return Error{"InvalidEnvironment", std::string(kDecisionMaxBytesEnv) + "=" + *text +
                                             ": expected a positive number of bytes"};
    }
    config.max_bytes = static_cast<size_t>(*value);
  }
  if (std::optional<std::string> text = env.Get(kDecisionMaxAgeEnv)) {
    std::optional<int64_t> value = ParseInt(*text);
    if (!value || *value <= 0) {
      return Error{"InvalidEnvironment", std::string(kDecisionMaxAgeEnv) + "=" + *text +
                                             ": expected a positive number of hours"};
    }
    config.max_age_hours = *value;
  }
  return config;
}

}  // namespace autoretrain::deploy
