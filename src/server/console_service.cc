// ConsoleService (console_service.h): routing, static files, sign-in and the checks every
// API call passes (session, CSRF).
#include "server/console_service.h"

#include <utility>

#include "autoretrain/aws/sigv4.h"
#include "server/console_assets.h"

namespace autoretrain::server {
namespace {

constexpr std::string_view kApiPrefix = "/console/api/";
// The calls the first page makes (api.js's loadSession, pages/executions.js unfiltered),
// answered in the page itself.
constexpr std::string_view kPreloadedRoutes[] = {"session", "executions"};
// No console response is kept by browsers: the page carries the session's answer.
constexpr std::string_view kCacheNever = "no-store";

// Every console response forbids framing, sniffing and keeping, and allows only the page's
// own script and style: nothing else can run or be loaded even if it slipped into a page.
void AddSecurityHeaders(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", ConsoleContentSecurityPolicy());
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("Cache-Control", kCacheNever);
}

HttpResponse JsonOk(const json::Value& body) {
  HttpResponse response;
  response.body = json::Serialize(body);
  return response;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
               HexDigit(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The HTTP status an error of the Step Functions service or the history maps to.
int StatusOf(const Error& error) {
  const std::string& type = error.error;
  if (type.ends_with("DoesNotExist") || type == "NoPendingApproval" ||
      type == "ResourceNotFoundException") {
    return 404;
  }
  if (type == "InvalidArn" || type == "ValidationException" || type == "InvalidRequest" ||
      type == "InvalidToken" || type == "TaskTimedOut") {
    return 400;
  }
  if (type == "ConsoleUnavailable") return 503;
  return 500;
}

}  // namespace

std::map<std::string, std::string, std::less<>> ParseConsoleQuery(std::string_view query) {
  std::map<std::string, std::string, std::less<>> parameters;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t equals = pair.find('=');
    std::string name = Decode(pair.substr(0, equals));
    std::string value = equals == std::string_view::npos ? "" : Decode(pair.substr(equals + 1));
    parameters.emplace(std::move(name), std::move(value));
  }
  return parameters;
}

HttpResponse ConsoleError(int status, std::string_view error, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = json::Serialize(json::Object{{"error", error}, {"message", message}});
  return response;
}

ConsoleService::ConsoleService(ConsoleSources sources, std::optional<std::vector<AccessKey>> keys,
                               Clock& clock)
    : sources_(std::move(sources)), clock_(clock), sessions_(std::move(keys), clock) {}

void ConsoleService::Handle(const Caller& /*caller*/, HttpRequest request, Responder respond) {
  HttpResponse response =
      request.path.starts_with(kApiPrefix)
          ? Api(request, std::string_view(request.path).substr(kApiPrefix.size()))
          : Asset(request);
  AddSecurityHeaders(response);
  respond(std::move(response));
}

HttpResponse ConsoleService::Asset(const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return ConsoleError(405, "MethodNotAllowed",
                        "the console's pages answer GET only, not " + request.method);
  }
  if (request.path == kConsolePath) {
    HttpResponse response;
    response.status = 301;
    response.content_type = "text/plain; charset=utf-8";
    response.headers.emplace_back("Location", "/console/");
    response.body = "the console is at /console/\n";
    return response;
  }
  if (request.path != "/console/" && request.path != "/console/index.html") {
    return ConsoleError(404, "NotFound",
                        "the console has no page '" + request.path +
                            "': open /console/ (its pages are addressed after '#')");
  }
  return Page(request);
}

HttpResponse ConsoleService::Page(const HttpRequest& request) {
  HttpRequest call = request;  // with the page's cookie, as the page would ask
  call.method = "GET";
  call.query.clear();
  std::string answers = "{";
  for (const std::string_view route : kPreloadedRoutes) {
    const HttpResponse answer = Api(call, route);
    if (answers.size() > 1) answers.push_back(',');
    answers.append(json::Serialize(json::Value(route)))
        .append(":{\"status\":")
        .append(std::to_string(answer.status))
        .append(",\"body\":")
        .append(answer.body)
        .append("}");
  }
  answers.push_back('}');
  HttpResponse response;
  response.content_type = "text/html; charset=utf-8";
  response.body = ConsolePageWith(answers);
  return response;
}

HttpResponse ConsoleService::SignIn(const HttpRequest& request) {
  Result<json::Value> body = json::Parse(request.body);
  const json::Object* fields = body.ok() ? body->if_object() : nullptr;
  const json::Value* id = fields != nullptr ? fields->if_contains("accessKeyId") : nullptr;
  const json::Value* secret = fields != nullptr ? fields->if_contains("secretAccessKey") : nullptr;
  if (id == nullptr || secret == nullptr || !id->is_string() || !secret->is_string()) {
    return ConsoleError(400, "InvalidRequest",
                        "sign-in takes a JSON body {\"accessKeyId\": \"...\", "
                        "\"secretAccessKey\": \"...\"}");
  }
  Result<ConsoleSession> session = sessions_.SignIn(id->as_string(), secret->as_string());
  if (!session.ok()) {
    return ConsoleError(session.error().error == "SignInNotNeeded" ? 400 : 401,
                        session.error().error, session.error().cause);
  }
  HttpResponse response = JsonOk(json::Object{{"authRequired", true},
                                              {"signedIn", true},
                                              {"csrf", session->csrf},
                                              {"accessKeyId", session->access_key_id}});
  response.headers.emplace_back("Set-Cookie", ConsoleSessions::SetCookie(*session, clock_.Now()));
  return response;
}

HttpResponse ConsoleService::Api(const HttpRequest& request, std::string_view route) {
  const bool post = request.method == "POST";
  if (!post && request.method != "GET") {
    return ConsoleError(405, "MethodNotAllowed",
                        "the console API answers GET and POST, not " + request.method);
  }
  if (route == "sign-in") {
    if (!post) return ConsoleError(405, "MethodNotAllowed", "sign-in is POST /console/api/sign-in");
    return SignIn(request);
  }
  const std::string_view cookie = request.Header("Cookie");
  std::optional<ConsoleSession> session = sessions_.Find(cookie);
  if (route == "session") {
    json::Object body{{"authRequired", sessions_.auth_required()},
                      {"signedIn", session.has_value()}};
    if (session) {
      body["csrf"] = session->csrf;
      body["accessKeyId"] = session->access_key_id;
    }
    return JsonOk(body);
  }
  if (!session) {
    return ConsoleError(401, "SignInRequired",
                        "no console session (never signed in, signed out, expired after 12 hours "
                        "or the server restarted): sign in at /console/ with an access key of "
                        "the server's --credentials-file");
  }
  if (post) {
    const std::string_view csrf = request.Header("X-Console-Csrf");
    if (!aws::ConstantTimeEquals(csrf, session->csrf)) {
      return ConsoleError(403, "CsrfTokenMismatch",
                          "a console call that changes something needs the X-Console-Csrf header "
                          "the session gave: reload /console/ and try again");
    }
  }
  if (route == "sign-out") {
    if (!post) return ConsoleError(405, "MethodNotAllowed", "sign-out is POST");
    sessions_.SignOut(cookie);
    HttpResponse response = JsonOk(json::Object{{"signedIn", false}});
    response.headers.emplace_back("Set-Cookie",
                                  ConsoleSessions::SetCookie(ConsoleSession{}, clock_.Now()));
    return response;
  }
  Result<json::Value> result = Error{"", ""};
  if (post) {
    Result<json::Value> parsed = json::Parse(request.body.empty() ? "{}" : request.body);
    if (!parsed.ok() || !parsed->is_object()) {
      return ConsoleError(400, "InvalidRequest",
                          "POST /console/api/" + std::string(route) + " takes a JSON object body");
    }
    const json::Object& body = parsed->as_object();
    const std::string by =
        session->access_key_id.empty() ? "console" : "console:" + session->access_key_id;
    if (route == "stop") {
      result = Stop(body);
    } else if (route == "approve" || route == "reject") {
      result = Answer(body, route == "approve", by);
    } else {
      return ConsoleError(404, "NotFound",
                          "no console call POST /console/api/" + std::string(route) +
                              " (there are stop, approve, reject, sign-in, sign-out)");
    }
  } else {
    const Query query = ParseConsoleQuery(request.query);
    if (route == "state-machines") {
      result = StateMachines();
    } else if (route == "state-machine") {
      result = StateMachine(query);
    } else if (route == "executions") {
      result = Executions(query);
    } else if (route == "execution") {
      result = ExecutionDetail(query);
    } else if (route == "schedules") {
      result = Schedules();
    } else if (route == "retraining") {
      result = Retraining();
    } else {
      return ConsoleError(404, "NotFound",
                          "no console call GET /console/api/" + std::string(route) +
                              " (there are session, state-machines, state-machine, executions, "
                              "execution, schedules, retraining)");
    }
  }
  if (!result.ok()) {
    return ConsoleError(StatusOf(result.error()), result.error().error, result.error().cause);
  }
  return JsonOk(*result);
}

}  // namespace autoretrain::server
