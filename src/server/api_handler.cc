#include "autoretrain/server/api_handler.h"

#include <chrono>
#include <utility>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/aws/sigv4_verifier.h"
#include "server/console_sessions.h"
#include "server/json_protocol.h"

namespace autoretrain::server {

ApiHandler::ApiHandler(Authenticator authenticate, std::function<json::Object()> health,
                       Metrics* metrics)
    : authenticate_(std::move(authenticate)), health_(std::move(health)), metrics_(metrics) {}

void ApiHandler::AddJsonService(const std::string& target_prefix, JsonService* service) {
  services_[target_prefix] = service;
}

void ApiHandler::AddPathService(const std::string& path_prefix, PathService* service,
                                bool authenticate) {
  path_routes_[path_prefix] = PathRoute{service, authenticate};
}

const ApiHandler::PathRoute* ApiHandler::FindPathRoute(std::string_view path) const {
  // Try the path, then each shorter prefix ending before a '/', longest first.
  for (std::string_view prefix = path; !prefix.empty();) {
    auto route = path_routes_.find(prefix);
    if (route != path_routes_.end()) return &route->second;
    const size_t slash = prefix.rfind('/');
    if (slash == std::string_view::npos || slash == 0) break;
    prefix = prefix.substr(0, slash);
  }
  return nullptr;
}

std::optional<HttpResponse> ApiHandler::Authenticate(const HttpRequest& request,
                                                     Caller& caller) const {
  if (authenticate_) {
    Result<Caller> authenticated = authenticate_(request);
    if (!authenticated.ok()) {
      const Error& error = authenticated.error();
      return JsonErrorResponse(error, error.error == "AccessDeniedException"
                                          ? 403
                                          : aws::AuthErrorHttpStatus(error.error));
    }
    caller = std::move(authenticated).value();
  }
  caller.client_gone = request.client_gone;
  return std::nullopt;
}

HttpResponse ApiHandler::Reject(int status, std::string_view type, std::string_view message) {
  return JsonErrorResponse(Error{std::string(type), std::string(message)}, status);
}

void ApiHandler::AcceptMetricsToken(std::string token) { metrics_token_ = std::move(token); }

bool ApiHandler::CarriesMetricsToken(const HttpRequest& request) const {
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view authorization = request.Header("Authorization");
  return !metrics_token_.empty() && authorization.starts_with(kBearer) &&
         aws::ConstantTimeEquals(authorization.substr(kBearer.size()), metrics_token_);
}

void ApiHandler::Handle(HttpRequest request, Responder respond) {
  if (request.path == "/metrics" && metrics_ != nullptr) {
    if (request.method != "GET") {
      return respond(Reject(405, "MethodNotAllowedException",
                            "/metrics answers GET only, not " + request.method));
    }
    if (!CarriesMetricsToken(request)) {
      Caller caller;
      if (std::optional<HttpResponse> refused = Authenticate(request, caller)) {
        return respond(std::move(*refused));
      }
    }
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics_->Render();
    return respond(std::move(response));
  }
  if (metrics_ != nullptr && request.path != "/healthz") {
    // Count the request when it is answered: its operation, status and latency.
    const std::string_view target = request.Header("X-Amz-Target");
    const size_t dot = target.find('.');
    std::string operation(dot == std::string_view::npos ? "" : target.substr(dot + 1));
    if (operation.size() > 64) operation = "_invalid";
    respond = [respond = std::move(respond), metrics = metrics_, operation = std::move(operation),
               start = std::chrono::steady_clock::now()](HttpResponse response) {
      metrics->ApiRequest(operation, response.status, std::chrono::steady_clock::now() - start);
      respond(std::move(response));
    };
  }
  if (request.path == "/healthz") {
    if (request.method != "GET") {
      return respond(Reject(405, "MethodNotAllowedException",
                            "/healthz answers GET only, not " + request.method));
    }
    json::Object body{{"status", "ok"}};
    if (health_) {
      for (auto& [key, value] : health_()) body[key] = std::move(value);
    }
    HttpResponse response;
    response.body = json::Serialize(body);
    return respond(std::move(response));
  }
  if (const PathRoute* route = FindPathRoute(request.path)) {
    Caller caller;
    if (route->authenticate) {
      if (std::optional<HttpResponse> refused = Authenticate(request, caller)) {
        return respond(std::move(*refused));
      }
    }
    caller.client_gone = request.client_gone;
    return route->service->Handle(caller, std::move(request), std::move(respond));
  }
  if (request.path != "/") {
    return respond(Reject(404, kUnknownOperationException,
                          "no API at path '" + request.path +
                              "': the Step Functions API is POST / with an X-Amz-Target header, "
                              "and GET /healthz reports health"));
  }
  if (request.method != "POST") {
    return respond(Reject(405, "MethodNotAllowedException",
                          "the API takes POST /, not " + request.method +
                              " (use the AWS CLI or an AWS SDK with --endpoint-url)"));
  }
  // AWS authenticates before it looks at the operation or the body.
  Caller caller;
  if (std::optional<HttpResponse> refused = Authenticate(request, caller)) {
    return respond(std::move(*refused));
  }
  const std::string_view target = request.Header("X-Amz-Target");
  const size_t dot = target.find('.');
  auto service = services_.find(target.substr(0, dot == std::string_view::npos ? 0 : dot));
  if (service == services_.end()) {
    std::string known;
    for (const auto& [prefix, unused] : services_) known += (known.empty() ? "" : ", ") + prefix;
    return respond(JsonErrorResponse(Error{
        kUnknownOperationException,
        target.empty() ? "the request has no X-Amz-Target header: name the operation as "
                         "<Service>.<Operation>, e.g. AWSStepFunctions.ListStateMachines"
                       : "X-Amz-Target '" + std::string(target) +
                             "' names no service of this server (it serves: " + known + ")"}));
  }
  Result<JsonCall> call = ParseJsonCall(request, service->first);
  if (!call.ok()) return respond(JsonErrorResponse(call.error()));
  service->second->Call(caller, call->operation, std::move(call->input),
                        [respond = std::move(respond)](Result<json::Value> output) {
                          if (!output.ok()) return respond(JsonErrorResponse(output.error()));
                          respond(JsonResponse(*output));
                        });
}

}  // namespace autoretrain::server
