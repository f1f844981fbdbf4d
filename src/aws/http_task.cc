// The HTTP task (arn:aws:states:::http:invoke): parameter checks, the request a connection
// and the Parameters make, and the result or States.Http.* error of the answer.
#include "autoretrain/aws/http_task.h"

#include <map>

#include "autoretrain/aws/redact.h"
#include "aws/canonical.h"
#include "aws/http_task_auth.h"

namespace autoretrain::aws {
namespace {

constexpr std::string_view kResource = "arn:aws:states:::http:invoke";

Error Runtime(const engine::TaskRequest& request, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(request.state_name) + "'. " +
                                     std::string(message)};
}

using internal::Lower;

// Headers a definition may not set: the ones AWS's HTTP task refuses, and the ones the task
// or the connection owns (Authorization, Content-Length, User-Agent, ...).
bool ForbiddenHeader(std::string_view name) {
  static constexpr std::string_view kNames[] = {"a-im",
                                                "accept-charset",
                                                "accept-datetime",
                                                "accept-encoding",
                                                "authorization",
                                                "cache-control",
                                                "connection",
                                                "content-encoding",
                                                "content-length",
                                                "content-md5",
                                                "cookie",
                                                "date",
                                                "expect",
                                                "forwarded",
                                                "from",
                                                "host",
                                                "http2-settings",
                                                "if-match",
                                                "if-modified-since",
                                                "if-none-match",
                                                "if-range",
                                                "if-unmodified-since",
                                                "max-forwards",
                                                "origin",
                                                "pragma",
                                                "proxy-authorization",
                                                "range",
                                                "referer",
                                                "server",
                                                "te",
                                                "trailer",
                                                "transfer-encoding",
                                                "upgrade",
                                                "user-agent",
                                                "via",
                                                "warning"};
  std::string lower = Lower(name);
  for (std::string_view n : kNames) {
    if (lower == n) return true;
  }
  for (std::string_view prefix : {"x-forwarded", "x-amz-", "x-amzn-"}) {
    if (lower.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string_view ReasonPhrase(int status) {
  static const std::map<int, std::string_view> kPhrases = {
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {203, "Non-Authoritative Information"},
      {204, "No Content"},
      {205, "Reset Content"},
      {206, "Partial Content"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Found"},
      {303, "See Other"},
      {304, "Not Modified"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {408, "Request Timeout"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Payload Too Large"},
      {414, "URI Too Long"},
      {415, "Unsupported Media Type"},
      {422, "Unprocessable Entity"},
      {425, "Too Early"},
      {428, "Precondition Required"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  auto it = kPhrases.find(status);
  return it == kPhrases.end() ? std::string_view() : it->second;
}

// A scalar parameter value as text (strings as they are, numbers and booleans as JSON).
std::optional<std::string> ScalarText(const json::Value& value) {
  if (value.is_string()) return std::string(value.get_string());
  if (value.is_number() || value.is_bool()) return json::Serialize(value);
  return std::nullopt;
}

struct Call {
  std::string endpoint, method, connection_arn;
  std::vector<std::pair<std::string, std::string>> headers, query;
  const json::Value* body = nullptr;
  bool url_encoded = false;
  ArrayFormat array_format = ArrayFormat::kIndices;
};

Result<std::vector<std::pair<std::string, std::string>>> StringMap(
    const engine::TaskRequest& request, const json::Object& params, std::string_view field) {
  std::vector<std::pair<std::string, std::string>> out;
  const json::Value* value = params.if_contains(field);
  if (value == nullptr) return out;
  if (!value->is_object()) {
    return Runtime(request, "The field '" + std::string(field) +
                                "' of http:invoke must be an object of names to values, got " +
                                std::string(json::TypeName(*value)) + ".");
  }
  for (const auto& [key, v] : value->get_object()) {
    std::optional<std::string> text = ScalarText(v);
    if (!text) {
      return Runtime(request, "The value of " + std::string(field) + "." + std::string(key) +
                                  " must be a string, number or boolean, got " +
                                  std::string(json::TypeName(v)) + ".");
    }
    out.emplace_back(std::string(key), std::move(*text));
  }
  return out;
}

Result<Call> ParseCall(const engine::TaskRequest& request, bool allow_plain_http) {
  if (request.parameters == nullptr || !request.parameters->is_object()) {
    return Runtime(request,
                   "http:invoke needs Parameters with ApiEndpoint, Method and "
                   "Authentication.ConnectionArn.");
  }
  const json::Object& params = request.parameters->get_object();
  for (const auto& [key, value] : params) {
    static constexpr std::string_view kKnown[] = {
        "ApiEndpoint",     "Method",      "Authentication", "Headers",
        "QueryParameters", "RequestBody", "Transform"};
    bool known = false;
    for (std::string_view k : kKnown) known = known || key == k;
    if (!known) {
      return Runtime(request, "The field '" + std::string(key) +
                                  "' is not supported by http:invoke. Supported fields: "
                                  "ApiEndpoint, Method, Authentication, Headers, "
                                  "QueryParameters, RequestBody, Transform.");
    }
  }
  Call call;
  const json::Value* endpoint = params.if_contains("ApiEndpoint");
  if (endpoint == nullptr || !endpoint->is_string()) {
    return Runtime(request,
                   "The field 'ApiEndpoint' is required by http:invoke and must be a "
                   "URL string.");
  }
  call.endpoint = endpoint->get_string();
  std::optional<UrlParts> url = SplitUrl(call.endpoint);
  if (!url || (url->scheme != "https" && !(allow_plain_http && url->scheme == "http"))) {
    return Runtime(request, "The ApiEndpoint '" + RedactSecrets(call.endpoint) +
                                "' is not a valid URL: it must start with https://" +
                                (allow_plain_http ? " (or http://)" : "") + " and name a host.");
  }
  const json::Value* method = params.if_contains("Method");
  static constexpr std::string_view kMethods[] = {"GET",   "POST", "PUT",    "DELETE",
                                                  "PATCH", "HEAD", "OPTIONS"};
  bool valid_method = false;
  if (method != nullptr && method->is_string()) {
    for (std::string_view m : kMethods) valid_method = valid_method || method->get_string() == m;
  }
  if (!valid_method) {
    return Runtime(request,
                   "The field 'Method' of http:invoke must be one of GET, POST, PUT, "
                   "DELETE, PATCH, HEAD, OPTIONS.");
  }
  call.method = method->get_string();
  const json::Value* auth = params.if_contains("Authentication");
  const json::Value* arn = auth != nullptr && auth->is_object()
                               ? auth->get_object().if_contains("ConnectionArn")
                               : nullptr;
  if (arn == nullptr || !arn->is_string()) {
    return Runtime(request,
                   "The field 'Authentication.ConnectionArn' is required by "
                   "http:invoke: name one of the connections the project declares "
                   "(integrations.http.connections).");
  }
  call.connection_arn = arn->get_string();
  Result<std::vector<std::pair<std::string, std::string>>> headers =
      StringMap(request, params, "Headers");
  if (!headers.ok()) return headers.take_error();
  call.headers = std::move(headers).value();
  for (const auto& [name, value] : call.headers) {
    if (ForbiddenHeader(name)) {
      return Runtime(request, "The header '" + name +
                                  "' is not allowed in an HTTP task's Headers (authorization "
                                  "belongs in the connection; hop-by-hop, x-amz-* and "
                                  "x-forwarded-* headers are set by the task).");
    }
  }
  Result<std::vector<std::pair<std::string, std::string>>> query =
      StringMap(request, params, "QueryParameters");
  if (!query.ok()) return query.take_error();
  call.query = std::move(query).value();
  call.body = params.if_contains("RequestBody");
  if (const json::Value* transform = params.if_contains("Transform")) {
    const json::Object* t = transform->if_object();
    const json::Value* encoding = t ? t->if_contains("RequestBodyEncoding") : nullptr;
    if (t == nullptr || (encoding && !encoding->is_string())) {
      return Runtime(request,
                     "Transform must be an object with RequestBodyEncoding (NONE or "
                     "URL_ENCODED) and, optionally, RequestEncodingOptions.");
    }
    std::string_view mode = encoding ? std::string_view(encoding->get_string()) : "NONE";
    if (mode != "NONE" && mode != "URL_ENCODED") {
      return Runtime(request, "Transform.RequestBodyEncoding must be NONE or URL_ENCODED, got '" +
                                  std::string(mode) + "'.");
    }
    call.url_encoded = mode == "URL_ENCODED";
    if (const json::Value* options = t->if_contains("RequestEncodingOptions")) {
      const json::Value* format =
          options->is_object() ? options->get_object().if_contains("ArrayFormat") : nullptr;
      std::string_view name = format && format->is_string() ? std::string_view(format->get_string())
                                                            : std::string_view();
      if (name == "INDICES")
        call.array_format = ArrayFormat::kIndices;
      else if (name == "REPEAT")
        call.array_format = ArrayFormat::kRepeat;
      else if (name == "COMMAS")
        call.array_format = ArrayFormat::kCommas;
      else if (name == "BRACKETS")
        call.array_format = ArrayFormat::kBrackets;
      else {
        return Runtime(request,
                       "Transform.RequestEncodingOptions.ArrayFormat must be INDICES, "
                       "REPEAT, COMMAS or BRACKETS.");
      }
    }
    if (call.url_encoded && call.body && !call.body->is_object()) {
      return Runtime(request,
                     "RequestBody must be an object when Transform.RequestBodyEncoding "
                     "is URL_ENCODED, got " +
                         std::string(json::TypeName(*call.body)) + ".");
    }
  }
  return call;
}

bool IsJsonContentType(std::string_view type) {
  std::string lower = Lower(type);
  size_t semicolon = lower.find(';');
  std::string media = lower.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.pop_back();
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

class HttpTaskIntegration final : public integrations::ServiceIntegration {
 public:
  explicit HttpTaskIntegration(HttpTaskOptions options)
      : options_(std::move(options)), http_(options_.http), authorizer_(options_.env, &http_) {
    for (const HttpConnection& c : options_.connections) connections_[c.arn] = &c;
  }

  bool Handles(const engine::TaskRequest& request) const override {
    return request.resource.substr(0, kResource.size()) == kResource &&
           (request.resource.size() == kResource.size() ||
            request.resource[kResource.size()] == '.');
  }

  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    if (request.resource.size() != kResource.size()) {
      return Runtime(request, "The resource '" + std::string(request.resource) +
                                  "' is not supported: the HTTP task runs as a request-response "
                                  "task only.");
    }
    Result<Call> call = ParseCall(request, options_.allow_plain_http);
    if (!call.ok()) return call.take_error();
    auto found = connections_.find(call->connection_arn);
    if (found == connections_.end()) {
      std::string known;
      for (const auto& [arn, c] : connections_) known += (known.empty() ? "" : ", ") + arn;
      return Runtime(request, "The connection '" + call->connection_arn +
                                  "' is not declared in the project (integrations.http."
                                  "connections); declared: " +
                                  (known.empty() ? std::string("none") : known) + ".");
    }
    // A state TimeoutSeconds shorter than the client's limit bounds the call: it gets a client
    // of its own with that limit (no connection reuse for it), and running out is
    // States.Timeout, as the state's timeout is on AWS.
    std::unique_ptr<HttpClient> bounded;
    HttpClient* http = &http_;
    const bool state_bound =
        request.timeout_seconds &&
        std::chrono::seconds(*request.timeout_seconds) < options_.http.total_timeout;
    if (state_bound) {
      HttpClientOptions limited = options_.http;
      limited.total_timeout = std::chrono::seconds(*request.timeout_seconds);
      limited.connect_timeout = std::min(limited.connect_timeout, limited.total_timeout);
      bounded = std::make_unique<HttpClient>(limited);
      http = bounded.get();
    }
    Result<HttpResponse> response = Send(*http, *call, *found->second, false);
    if (response.ok() && response->status == 401 &&
        found->second->auth == ConnectionAuth::kOAuthClientCredentials) {
      response = Send(*http, *call, *found->second, true);  // the token may have been revoked
    }
    if (!response.ok()) {
      Error error = response.take_error();
      if (error.error == "States.Runtime") return error;
      if (state_bound && error.error == kHttpTimeout) {
        return Error{"States.Timeout",
                     "The HTTP call took longer than the state's TimeoutSeconds (" +
                         std::to_string(*request.timeout_seconds) + " s): " + error.cause};
      }
      return Error{"States.Http.Socket", error.error + ": " + error.cause};
    }
    json::Object headers;
    for (const auto& [name, value] : response->headers) {
      json::Value& values = headers[Lower(name)];
      if (!values.is_array()) values = json::Array{};
      values.get_array().push_back(json::Value(value));
    }
    json::Value body;
    if (IsJsonContentType(response->Header("Content-Type")) && !response->body.empty()) {
      Result<json::Value> parsed = json::Parse(response->body);
      body = parsed.ok() ? std::move(parsed).value() : json::Value(response->body);
    } else {
      body = json::Value(response->body);
    }
    json::Object result;
    result["Headers"] = std::move(headers);
    result["ResponseBody"] = std::move(body);
    result["StatusCode"] = response->status;
    result["StatusText"] = ReasonPhrase(response->status);
    if (response->status >= 200 && response->status < 300) return json::Value(std::move(result));
    return Error{"States.Http.StatusCode." + std::to_string(response->status),
                 json::Serialize(json::Value(std::move(result)))};
  }

 private:
  Result<HttpResponse> Send(HttpClient& http, const Call& call, const HttpConnection& connection,
                            bool refresh) {
    Result<ConnectionAdditions> additions = authorizer_.Authorize(connection, refresh);
    if (!additions.ok()) return additions.take_error();
    HttpRequest request;
    request.method = call.method;
    // Query: the task's, then the connection's (which win on a clash).
    std::vector<std::pair<std::string, std::string>> query;
    for (const auto& [k, v] : call.query) {
      bool overridden = false;
      for (const auto& [ck, cv] : additions->query) overridden = overridden || ck == k;
      if (!overridden) query.emplace_back(k, v);
    }
    for (const auto& kv : additions->query) query.push_back(kv);
    request.url = call.endpoint;
    for (size_t i = 0; i < query.size(); ++i) {
      bool first = i == 0 && call.endpoint.find('?') == std::string::npos;
      request.url += (first ? "?" : "&") + UriEncode(query[i].first, false) + "=" +
                     UriEncode(query[i].second, false);
    }
    // Headers: the task's, unless the connection sets the same name.
    for (const auto& [k, v] : call.headers) {
      bool overridden = false;
      for (const auto& [ck, cv] : additions->headers)
        overridden = overridden || Lower(ck) == Lower(k);
      if (!overridden) request.headers.emplace_back(k, v);
    }
    for (const auto& kv : additions->headers) request.headers.push_back(kv);
    request.headers.emplace_back("User-Agent",
                                 "Amazon|StepFunctions|HttpInvoke|" + options_.account.region);
    // Body: the connection's body parameters merge into an object body.
    std::optional<json::Value> body;
    if (call.body) body = *call.body;
    if (!additions->body.empty()) {
      if (!body) body = json::Object{};
      if (body->is_object()) {
        for (const auto& [k, v] : additions->body) body->get_object()[k] = v;
      }
    }
    bool has_content_type = false;
    for (const auto& [k, v] : request.headers)
      has_content_type = has_content_type || Lower(k) == "content-type";
    if (body) {
      if (call.url_encoded) {
        request.body = UrlEncodeBody(body->get_object(), call.array_format);
        if (!has_content_type) {
          request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        }
      } else {
        request.body = body->is_string() ? std::string(body->get_string()) : json::Serialize(*body);
        if (!has_content_type) request.headers.emplace_back("Content-Type", "application/json");
      }
    }
    Result<HttpResponse> response = http.Send(request);
    if (!response.ok()) {
      Error error = response.take_error();
      error.cause = ScrubQuery(std::move(error.cause), request.url);
      return error;
    }
    return response;
  }

  HttpTaskOptions options_;
  HttpClient http_;
  ConnectionAuthorizer authorizer_;
  std::map<std::string, const HttpConnection*> connections_;
};

}  // namespace

Result<std::unique_ptr<integrations::ServiceIntegration>> MakeHttpTaskIntegration(
    HttpTaskOptions options) {
  if (options.env == nullptr) {
    return Error{"ConfigError", "integrations.http: no environment to read secrets from"};
  }
  std::map<std::string, bool> seen;
  for (size_t i = 0; i < options.connections.size(); ++i) {
    const HttpConnection& c = options.connections[i];
    std::string where = "integrations.http.connections[" + std::to_string(i) + "]";
    std::optional<ParsedArn> arn = ParseArn(c.arn);
    if (!arn || arn->service != "events" || arn->resource.rfind("connection/", 0) != 0 ||
        arn->resource.size() <= 11) {
      return Error{"ConfigError",
                   where + ": '" + c.arn +
                       "' is not a connection ARN (arn:aws:events:REGION:ACCOUNT:connection/"
                       "NAME[/ID])"};
    }
    if (seen[c.arn]) return Error{"ConfigError", where + ": '" + c.arn + "' is declared twice"};
    seen[c.arn] = true;
    auto need = [&](const std::string& value, std::string_view field) -> Status {
      if (!value.empty()) return OkStatus();
      return Error{"ConfigError", where + " ('" + c.arn + "'): '" + std::string(field) +
                                      "' is required for this authorization type"};
    };
    std::vector<std::pair<const std::string*, std::string_view>> required;
    switch (c.auth) {
      case ConnectionAuth::kApiKey:
        required = {{&c.api_key_name, "api_key_name"}, {&c.api_key_value_env, "api_key_value_env"}};
        break;
      case ConnectionAuth::kBasic:
        required = {{&c.username, "username"}, {&c.password_env, "password_env"}};
        break;
      case ConnectionAuth::kOAuthClientCredentials:
        required = {{&c.authorization_endpoint, "authorization_endpoint"},
                    {&c.client_id, "client_id"},
                    {&c.client_secret_env, "client_secret_env"}};
        break;
    }
    for (const auto& [value, field] : required) {
      if (Status ok = need(*value, field); !ok.ok()) return ok.take_error();
    }
    if (c.auth == ConnectionAuth::kOAuthClientCredentials) {
      std::optional<UrlParts> url = SplitUrl(c.authorization_endpoint);
      if (!url || (url->scheme != "https" && url->scheme != "http")) {
        return Error{"ConfigError",
                     where + " ('" + c.arn + "'): authorization_endpoint must be an http(s) URL"};
      }
    }
    for (const auto* list :
         {&c.headers, &c.query, &c.body, &c.oauth_headers, &c.oauth_query, &c.oauth_body}) {
      for (const ConnectionParameter& p : *list) {
        if (p.key.empty() || (!p.value.empty() && !p.value_env.empty())) {
          return Error{"ConfigError", where + " ('" + c.arn + "'): parameter '" + p.key +
                                          "' needs a key and at most one of value and "
                                          "value_env"};
        }
      }
    }
  }
  return std::unique_ptr<integrations::ServiceIntegration>(
      std::make_unique<HttpTaskIntegration>(std::move(options)));
}

}  // namespace autoretrain::aws
