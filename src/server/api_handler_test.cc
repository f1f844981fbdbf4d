#include "autoretrain/server/api_handler.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace autoretrain::server {
namespace {

// Records the path and caller it was called with and answers 200 with its name.
class RecordingService : public PathService {
 public:
  explicit RecordingService(std::string name) : name_(std::move(name)) {}
  void Handle(const Caller& caller, HttpRequest request, Responder respond) override {
    seen_path = request.path;
    seen_key = caller.access_key_id;
    HttpResponse response;
    response.body = name_;
    respond(std::move(response));
  }
  std::optional<std::string> seen_path;
  std::string seen_key;

 private:
  std::string name_;
};

HttpResponse Send(ApiHandler& handler, const std::string& method, const std::string& path,
                  const std::string& authorization = "") {
  HttpRequest request;
  request.method = method;
  request.path = path;
  request.target = path;
  if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
  HttpResponse answer;
  handler.Handle(std::move(request), [&answer](HttpResponse response) { answer = response; });
  return answer;
}

Result<Caller> OnlyKeyA(const HttpRequest&) {
  Caller caller;
  caller.access_key_id = "KEYA";
  return caller;
}

TEST(ApiHandlerPathServicesTest, TheLongestRegisteredPrefixOnASlashBoundaryWins) {
  ApiHandler handler;
  RecordingService schedules("schedules"), groups("groups");
  handler.AddPathService("/schedules", &schedules);
  handler.AddPathService("/schedules/nested", &groups);
  EXPECT_EQ(Send(handler, "GET", "/schedules").body, "schedules");
  EXPECT_EQ(Send(handler, "GET", "/schedules/daily").body, "schedules");
  EXPECT_EQ(Send(handler, "GET", "/schedules/nested/x").body, "groups");
  // Not a prefix on a '/' boundary: falls through to the JSON 1.0 route, which refuses it.
  EXPECT_EQ(Send(handler, "GET", "/schedulesX").status, 404);
  EXPECT_FALSE(schedules.seen_path == "/schedulesX");
}

TEST(ApiHandlerPathServicesTest, AuthenticatesUnlessRegisteredWithout) {
  ApiHandler refusing([](const HttpRequest&) -> Result<Caller> {
    return Error{"UnrecognizedClientException", "no such key"};
  });
  RecordingService api("api"), pages("pages");
  refusing.AddPathService("/schedules", &api);
  refusing.AddPathService("/console", &pages, /*authenticate=*/false);
  EXPECT_EQ(Send(refusing, "GET", "/schedules/a").status, 400);
  EXPECT_FALSE(api.seen_path.has_value());
  EXPECT_EQ(Send(refusing, "GET", "/console/index.html").body, "pages");

  ApiHandler accepting(OnlyKeyA);
  RecordingService authenticated("ok");
  accepting.AddPathService("/schedules", &authenticated);
  EXPECT_EQ(Send(accepting, "GET", "/schedules").status, 200);
  EXPECT_EQ(authenticated.seen_key, "KEYA");
}

Result<Caller> RefuseEveryone(const HttpRequest&) {
  return Error{"MissingAuthenticationTokenException", "Missing Authentication Token"};
}

TEST(ApiHandlerMetricsTest, MetricsAreAuthenticatedLikeTheApiHealthIsNot) {
  Metrics metrics;
  ApiHandler handler(RefuseEveryone, {}, &metrics);
  HttpResponse refused = Send(handler, "GET", "/metrics");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("MissingAuthenticationToken"), std::string::npos);
  EXPECT_EQ(Send(handler, "GET", "/healthz").status, 200);

  ApiHandler accepting(OnlyKeyA, {}, &metrics);
  HttpResponse served = Send(accepting, "GET", "/metrics");
  EXPECT_EQ(served.status, 200);
  EXPECT_NE(served.body.find("autoretrain_api_requests_total"), std::string::npos);
}

TEST(ApiHandlerMetricsTest, TheMetricsTokenStandsInForASignatureThereOnly) {
  const std::string token = "0123456789abcdef0123";
  Metrics metrics;
  ApiHandler handler(RefuseEveryone, {}, &metrics);
  EXPECT_EQ(Send(handler, "GET", "/metrics", "Bearer " + token).status, 403);  // none accepted
  handler.AcceptMetricsToken(token);
  EXPECT_EQ(Send(handler, "GET", "/metrics", "Bearer " + token).status, 200);
  const std::vector<std::string> wrong_answers = {
      "Bearer " + token + "0", "Bearer " + token.substr(1), "Bearer", "bearer " + token, token};
  for (const std::string& wrong : wrong_answers) {
    EXPECT_EQ(Send(handler, "GET", "/metrics", wrong).status, 403) << wrong;
  }
  RecordingService api("api");
  handler.AddPathService("/schedules", &api);
  EXPECT_EQ(Send(handler, "GET", "/schedules", "Bearer " + token).status, 403);
  EXPECT_FALSE(api.seen_path.has_value());
}

}  // namespace
}  // namespace autoretrain::server
