// ConsoleService: the web console of `autoretrain serve` (docs/console.md), a PathService for
// everything under /console:
//
//   GET  /console               -> 301 to /console/
//   GET  /console/              -> the embedded page, its styles and scripts inline
//                                  (console_assets.h), with the answers to its first calls
//   GET  /console/api/session   -> {"authRequired", "signedIn", "csrf"?, "accessKeyId"?}
//   POST /console/api/sign-in   -> checks {"accessKeyId", "secretAccessKey"}, sets the cookie
//   POST /console/api/sign-out  -> ends the session
//   GET  /console/api/...       -> JSON for the pages (console_api.cc); needs a session
//   POST /console/api/stop|approve|reject -> changes; need a session and X-Console-Csrf
//
// It is registered without the API's SigV4 step (a browser cannot sign) and checks its own
// sessions (console_sessions.h) against the same access keys. Its data comes from the objects
// the Step Functions API uses: the StepFunctionsService's operations (so executions, histories
// and definitions are exactly what the API answers), the project's configuration (models,
// schedules), the retraining history table and the store (to answer an approval, as
// `autoretrain approve|reject` does). Errors are JSON {"error", "message"} with an HTTP status.
//
// Thread-safety: Handle may run on many threads at once.
#ifndef AUTORETRAIN_SERVER_CONSOLE_SERVICE_H_
#define AUTORETRAIN_SERVER_CONSOLE_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/retraining_history.h"
#include "autoretrain/server/api_handler.h"
#include "autoretrain/server/authentication.h"
#include "autoretrain/store/store.h"
#include "server/console_sessions.h"

namespace autoretrain::server {

// The path the console is served under.
inline constexpr char kConsolePath[] = "/console";

// What the console reads and changes. Pointers must outlive the service.
struct ConsoleSources {
  // Runs a Step Functions operation synchronously (StepFunctionsService::Invoke).
  std::function<Result<json::Value>(const std::string& operation, const json::Object& input)>
      step_functions;
  const retrain::ProjectConfig* project = nullptr;  // models, schedules, history table
  integrations::DynamoDb* dynamodb = nullptr;       // the retraining history (null: none)
  store::Store* store = nullptr;                    // where approvals' task tokens are answered
  // The ARN of a state machine of the project by name (LocalRuntime::ArnOf).
  std::function<std::string(std::string_view name)> arn_of;
};

class ConsoleService final : public PathService {
 public:
  // `keys` nullopt: no sign-in (the server listens on loopback only). `clock` must outlive it.
  ConsoleService(ConsoleSources sources, std::optional<std::vector<AccessKey>> keys, Clock& clock);

  void Handle(const Caller& caller, HttpRequest request, Responder respond) override;

 private:
  // The page (anything else under /console/ but the API: a redirect or an error).
  HttpResponse Asset(const HttpRequest& request);
  // The page with the answers to its first calls (kPreloadedRoutes), as `request` would get
  // them from the API.
  HttpResponse Page(const HttpRequest& request);
  // /console/api/...: `route` is the part after "/console/api/".
  HttpResponse Api(const HttpRequest& request, std::string_view route);
  HttpResponse SignIn(const HttpRequest& request);

  // The JSON endpoints (console_api.cc). `query` is the decoded query string.
  using Query = std::map<std::string, std::string, std::less<>>;
  Result<json::Value> StateMachines();
  Result<json::Value> StateMachine(const Query& query);
  Result<json::Value> Executions(const Query& query);
  Result<json::Value> ExecutionDetail(const Query& query);
  Result<json::Value> Schedules();
  Result<json::Value> Retraining();
  // Gives `record` its pipeline's start (and end, if missing) from the pipeline execution it
  // names when the ledger has no start time: ledgers of policy triggers that did not record
  // one when an approved retraining started. Leaves it unchanged when the execution is unknown.
  void AddPipelineTimes(retrain::RetrainingRecord& record);
  Result<json::Value> Stop(const json::Object& body);
  Result<json::Value> Answer(const json::Object& body, bool approve, const std::string& by);
  // A Step Functions operation, or an error when the console has none.
  Result<json::Value> Sfn(const std::string& operation, const json::Object& input);

  ConsoleSources sources_;
  Clock& clock_;
  ConsoleSessions sessions_;
};

// The parameters of a query string ("a=1&b=x%20y"), percent- and '+'-decoded; the first of
// a repeated name wins.
std::map<std::string, std::string, std::less<>> ParseConsoleQuery(std::string_view query);

// A JSON response {"error": `error`, "message": `message`} with `status`.
HttpResponse ConsoleError(int status, std::string_view error, std::string_view message);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_CONSOLE_SERVICE_H_
