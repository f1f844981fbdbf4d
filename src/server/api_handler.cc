#include "autoretrain/server/api_handler.h"

#include <utility>

#include "server/json_protocol.h"

namespace autoretrain::server {

ApiHandler::ApiHandler(Authenticator authenticate, std::function<json::Object()> health)
    : authenticate_(std::move(authenticate)), health_(std::move(health)) {}

void ApiHandler::AddJsonService(const std::string& target_prefix, JsonService* service) {
  services_[target_prefix] = service;
}

HttpResponse ApiHandler::Reject(int status, std::string_view type, std::string_view message) {
  return JsonErrorResponse(Error{std::string(type), std::string(message)}, status);
}

void ApiHandler::Handle(HttpRequest request, Responder respond) {
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
  Caller caller;
  if (authenticate_) {
    Result<Caller> authenticated = authenticate_(request);
    if (!authenticated.ok()) {
      const Error& error = authenticated.error();
      return respond(JsonErrorResponse(error, error.error == "AccessDeniedException" ? 403 : 400));
    }
    caller = std::move(authenticated).value();
  }
  service->second->Call(caller, call->operation, std::move(call->input),
                        [respond = std::move(respond)](Result<json::Value> output) {
                          if (!output.ok()) return respond(JsonErrorResponse(output.error()));
                          respond(JsonResponse(*output));
                        });
}

}  // namespace autoretrain::server
