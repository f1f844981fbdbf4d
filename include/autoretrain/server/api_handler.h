// ApiHandler: the request pipeline of `autoretrain serve`'s HTTP API, behind HttpServer.
//
//   GET /healthz                       -> 200 {"status": "ok", ...}
//   GET /metrics                       -> (authenticate, or the metrics token) -> 200 Prometheus
//                                         text (metrics.h), when given Metrics
//   POST / with X-Amz-Target: P.Op     -> authenticate -> the JSON 1.0 service registered for
//                                         prefix P (AWSStepFunctions) -> its response
//   any method, path under a prefix    -> (authenticate, unless registered without) -> the
//                                         PathService registered for the longest such prefix
//
// Authentication is one step between parsing and dispatch: an Authenticator gets the whole
// request (method, path, query, headers, body) and returns the caller or an AWS-shaped error;
// without one every caller is anonymous (the server refuses non-loopback addresses then, see
// serve). Another protocol (REST JSON for EventBridge Scheduler) is another route beside the
// JSON 1.0 one, sharing the same authentication step.
//
// Thread-safety: register services before the server starts; Handle may then run on many
// threads at once (services must be thread-safe).
#ifndef AUTORETRAIN_SERVER_API_HANDLER_H_
#define AUTORETRAIN_SERVER_API_HANDLER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/server/http.h"
#include "autoretrain/server/metrics.h"

namespace autoretrain::server {

// Who made a request, as authentication established it.
struct Caller {
  std::string access_key_id;  // "" for an anonymous caller
  std::string account;        // the account the key belongs to ("" when anonymous)
  // The request's HttpRequest::client_gone: true once the client left (may be null).
  std::shared_ptr<const std::atomic<bool>> client_gone;
};

// Authenticates a request: the caller, or Error{type, message} with an AWS error type
// (e.g. "UnrecognizedClientException", "InvalidSignatureException"), answered as HTTP 400
// ("AccessDeniedException": 403) in the protocol's error shape.
using Authenticator = std::function<Result<Caller>(const HttpRequest&)>;

// A service spoken over AWS's JSON 1.0 protocol.
class JsonService {
 public:
  virtual ~JsonService() = default;
  // Called exactly once with the operation's output object or its error (Error::error the AWS
  // error type, Error::cause the message), now or later from any thread.
  using Done = std::function<void(Result<json::Value>)>;
  // Runs `operation` with the request object `input` for `caller`. An operation the service
  // does not have answers Error{"UnknownOperationException", ...}.
  virtual void Call(const Caller& caller, const std::string& operation, json::Object input,
                    Done done) = 0;
};

// A service reached by its path rather than by X-Amz-Target: a REST protocol (EventBridge
// Scheduler) or pages (the console).
class PathService {
 public:
  virtual ~PathService() = default;
  // Answers `request` from `caller` through `respond`, exactly once, now or later from any
  // thread.
  virtual void Handle(const Caller& caller, HttpRequest request, Responder respond) = 0;
};

class ApiHandler final : public HttpHandler {
 public:
  // `authenticate` empty: every request is from the anonymous caller. `health` (may be empty)
  // adds fields to the /healthz body (which needs no authentication, for load balancers: give
  // it nothing secret). `metrics` (may be null; must outlive the handler) counts every
  // request by operation and status and is served at GET /metrics, authenticated like the API
  // (it names state machines and shows the load) or with the metrics token.
  explicit ApiHandler(Authenticator authenticate = {}, std::function<json::Object()> health = {},
                      Metrics* metrics = nullptr);

  // Routes JSON 1.0 requests whose X-Amz-Target starts with "`target_prefix`." to `service`
  // (which must outlive the handler).
  void AddJsonService(const std::string& target_prefix, JsonService* service);

  // Routes every request whose path is `path_prefix` or starts with `path_prefix` + "/" to
  // `service` (which must outlive the handler); the longest matching prefix wins. With
  // `authenticate` false the service checks callers itself (the caller passed is anonymous).
  void AddPathService(const std::string& path_prefix, PathService* service,
                      bool authenticate = true);

  // With authentication on, GET /metrics is also served to requests carrying
  // "Authorization: Bearer `token`" (Prometheus's scrape setting; Prometheus cannot sign).
  void AcceptMetricsToken(std::string token);

  void Handle(HttpRequest request, Responder respond) override;
  HttpResponse Reject(int status, std::string_view type, std::string_view message) override;

 private:
  Authenticator authenticate_;
  std::function<json::Object()> health_;
  Metrics* metrics_;
  std::string metrics_token_;  // "" when none is accepted
  struct PathRoute {
    PathService* service;
    bool authenticate;
  };
  // The route for `path`, or null.
  const PathRoute* FindPathRoute(std::string_view path) const;
  // Sets `caller` to who sent `request` and returns nothing, or returns the AWS-shaped error
  // response to send instead.
  std::optional<HttpResponse> Authenticate(const HttpRequest& request, Caller& caller) const;
  // Whether `request` carries the metrics token (never when none is accepted).
  bool CarriesMetricsToken(const HttpRequest& request) const;

  std::map<std::string, JsonService*, std::less<>> services_;
  std::map<std::string, PathRoute, std::less<>> path_routes_;
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_API_HANDLER_H_
