#include "server/console_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <thread>

#include "autoretrain/integrations/local_dynamodb.h"
#include "autoretrain/retrain/retraining_history.h"
#include "autoretrain/server/step_functions_service.h"
#include "server/console_assets.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::kPass;
using testing::kRole;

constexpr char kWait[] =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000,"End":true}}})";
constexpr char kTable[] = "console-test-history";

// A runtime over an in-memory store, the Step Functions service over it, a local DynamoDB in
// the same store, and the console over all of them.
class ConsoleServiceTest : public ::testing::Test {
 protected:
  ConsoleServiceTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("console-service-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    retrain::HistorySink sink;
    sink.store = store::Store::OpenInMemory().value();
    sink.database = ":memory:";
    store_ = sink.store.get();
    runtime_ = std::make_unique<retrain::LocalRuntime>(AccountContext{}, dir_.string(),
                                                       dir_.string(), nullptr, std::move(sink));
    sfn_ = std::make_unique<StepFunctionsService>(*runtime_, std::set<std::string>{}, clock_);
    db_ = integrations::MakeLocalDynamoDb(*store_);
    project_.retraining.history_table = kTable;
    project_.retraining.models["creditcard"].policy.approval.required = true;
    retrain::ScheduleConfig nightly;
    nightly.expression = "rate(1 hour)";
    nightly.state_machine = "pass";
    project_.schedules["nightly"] = nightly;
  }
  ~ConsoleServiceTest() override {
    console_.reset();
    sfn_.reset();
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The console, with sign-in when `keys` is given.
  ConsoleService& Console(std::optional<std::vector<AccessKey>> keys = std::nullopt) {
    StepFunctionsService* sfn = sfn_.get();
    console_ = std::make_unique<ConsoleService>(
        ConsoleSources{.step_functions =
                           [sfn](const std::string& operation, const json::Object& input) {
                             return sfn->Invoke(operation, input);
                           },
                       .project = &project_,
                       .dynamodb = db_.get(),
                       .store = store_,
                       .arn_of = [this](std::string_view name) { return runtime_->ArnOf(name); }},
        std::move(keys), clock_);
    return *console_;
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "",
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    request.query = question == std::string::npos ? "" : target.substr(question + 1);
    request.body = body;
    request.headers = std::move(headers);
    std::optional<HttpResponse> answer;
    console_->Handle(Caller{}, request, [&answer](HttpResponse response) {
      EXPECT_FALSE(answer.has_value()) << "answered twice";
      answer = std::move(response);
    });
    EXPECT_TRUE(answer.has_value()) << "not answered";
    return answer.value_or(HttpResponse{});
  }
  // The JSON body of a response expected to have `status`.
  json::Value Json(const HttpResponse& response, int status = 200) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.content_type, "application/json");
    Result<json::Value> parsed = json::Parse(response.body);
    EXPECT_TRUE(parsed.ok()) << response.body;
    return parsed.ok() ? *parsed : json::Value();
  }
  std::string ErrorOf(const HttpResponse& response) {
    json::Value body = json::Parse(response.body).value();
    return std::string(body.at("error").as_string());
  }

  std::string Create(const std::string& name, const std::string& definition) {
    Result<json::Value> created =
        sfn_->Invoke("CreateStateMachine",
                     json::Object{{"name", name}, {"definition", definition}, {"roleArn", kRole}});
    EXPECT_TRUE(created.ok()) << created.error().cause;
    return created.ok() ? std::string(created->at("stateMachineArn").as_string()) : "";
  }
  std::string Start(const std::string& machine_arn, const std::string& name) {
    Result<json::Value> started = sfn_->Invoke(
        "StartExecution", json::Object{{"stateMachineArn", machine_arn}, {"name", name}});
    EXPECT_TRUE(started.ok()) << started.error().cause;
    return started.ok() ? std::string(started->at("executionArn").as_string()) : "";
  }
  // Waits until the store has the execution out of RUNNING (or, with `running`, in it).
  std::string WaitForStatus(const std::string& arn, bool running = false) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      Result<json::Value> described =
          sfn_->Invoke("DescribeExecution", json::Object{{"executionArn", arn}});
      if (described.ok()) {
        std::string status(described->at("status").as_string());
        if ((status == "RUNNING") == running || std::chrono::steady_clock::now() > deadline) {
          return status;
        }
      } else if (std::chrono::steady_clock::now() > deadline) {
        return described.error().error;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  store::Store* store_ = nullptr;
  std::unique_ptr<retrain::LocalRuntime> runtime_;
  std::unique_ptr<StepFunctionsService> sfn_;
  std::unique_ptr<integrations::DynamoDb> db_;
  retrain::ProjectConfig project_;
  std::unique_ptr<ConsoleService> console_;
};

std::string HeaderOf(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (HeaderNameEquals(key, name)) return value;
  }
  return "";
}

TEST_F(ConsoleServiceTest, ServesTheEmbeddedPageWithEverythingInline) {
  Console();
  HttpResponse redirect = Send("GET", "/console");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(HeaderOf(redirect, "Location"), "/console/");

  HttpResponse page = Send("GET", "/console/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.body.find("PRELOADED_ANSWERS"), std::string::npos) << "answers written in";
  EXPECT_EQ(Send("GET", "/console/index.html").body, page.body);
  EXPECT_EQ(HeaderOf(page, "X-Content-Type-Options"), "nosniff");
  // One inline module and one inline stylesheet; nothing else to fetch before the first page.
  EXPECT_NE(page.body.find("<script type=\"module\">\n"), std::string::npos);
  EXPECT_NE(page.body.find("<style>\n"), std::string::npos);
  EXPECT_EQ(page.body.find(" src="), std::string::npos);
  EXPECT_EQ(page.body.find("rel=\"stylesheet\""), std::string::npos);
  // Every import was resolved at build time (cmake/console_page.cmake).
  EXPECT_EQ(page.body.find("\nimport "), std::string::npos);
  EXPECT_EQ(page.body.find("import("), std::string::npos);
  EXPECT_EQ(page.body.find("\nexport "), std::string::npos);
  EXPECT_NE(page.body.find("const module_js_app_js = (() => {"), std::string::npos);

  HttpResponse missing = Send("GET", "/console/js/app.js");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorOf(missing), "NotFound");
  EXPECT_EQ(Send("POST", "/console/").status, 405);
}

TEST_F(ConsoleServiceTest, ThePolicyAllowsThePagesOwnScriptAndStyleOnly) {
  Console();
  const std::string policy = HeaderOf(Send("GET", "/console/"), "Content-Security-Policy");
  EXPECT_EQ(policy, ConsoleContentSecurityPolicy());
  EXPECT_EQ(policy, HeaderOf(Send("GET", "/console/api/session"), "Content-Security-Policy"));
  EXPECT_NE(policy.find("default-src 'self';"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe"), std::string::npos);
  // One hash for the page's one script, one for its one stylesheet: 44 base64 characters each.
  for (const std::string_view directive : {"script-src 'sha256-", "style-src 'sha256-"}) {
    const size_t at = policy.find(directive);
    ASSERT_NE(at, std::string::npos) << policy;
    const size_t end = policy.find('\'', at + directive.size());
    EXPECT_EQ(end - at - directive.size(), 44u) << policy;
    EXPECT_EQ(policy[end + 1], ';') << policy;
  }
}

// The answers the page carries (the JSON in its #preloaded element).
json::Value PreloadedIn(const HttpResponse& page) {
  const std::string open = "<script type=\"application/json\" id=\"preloaded\">";
  const size_t start = page.body.find(open);
  EXPECT_NE(start, std::string::npos);
  if (start == std::string::npos) return json::Value();
  const size_t end = page.body.find("</script>", start);
  Result<json::Value> parsed = json::Parse(
      std::string_view(page.body).substr(start + open.size(), end - start - open.size()));
  EXPECT_TRUE(parsed.ok()) << page.body.substr(start, end - start);
  return parsed.ok() ? *parsed : json::Value();
}

TEST_F(ConsoleServiceTest, ThePageCarriesTheAnswersToItsFirstCalls) {
  Console();
  WaitForStatus(Start(Create("pass", kPass), "first"));
  HttpResponse page = Send("GET", "/console/");
  EXPECT_EQ(HeaderOf(page, "Cache-Control"), "no-store");
  const json::Value answers = PreloadedIn(page);
  ASSERT_TRUE(answers.is_object());
  EXPECT_EQ(answers.as_object().size(), 2u);
  // The same answers as the API's, which the page then does not ask for.
  for (const char* route : {"session", "executions"}) {
    HttpResponse api = Send("GET", std::string("/console/api/") + route);
    EXPECT_EQ(answers.at(route).at("status"), json::Value(api.status)) << route;
    EXPECT_EQ(answers.at(route).at("body"), json::Parse(api.body).value()) << route;
  }
  EXPECT_EQ(answers.at("executions").at("body").at("executions").as_array().size(), 1u);
  // The page's own query is not the list's filter.
  EXPECT_EQ(PreloadedIn(Send("GET", "/console/?status=FAILED")), answers);
}

TEST_F(ConsoleServiceTest, ThePagesAnswersAreTheSessionsOwn) {
  Console(std::vector<AccessKey>{AccessKey{"AKIDCONSOLE", "the-secret", "", "default"}});
  const json::Value outside = PreloadedIn(Send("GET", "/console/"));
  EXPECT_EQ(outside.at("session").at("body").at("signedIn"), json::Value(false));
  EXPECT_EQ(outside.at("executions").at("status"), json::Value(401));
  EXPECT_EQ(outside.at("executions").at("body").at("error"), json::Value("SignInRequired"));

  HttpResponse signed_in = Send("POST", "/console/api/sign-in",
                                R"({"accessKeyId":"AKIDCONSOLE","secretAccessKey":"the-secret"})");
  const std::string set_cookie = HeaderOf(signed_in, "Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const json::Value inside = PreloadedIn(Send("GET", "/console/", "", {{"Cookie", cookie}}));
  EXPECT_EQ(inside.at("session").at("body").at("csrf"), Json(signed_in).at("csrf"));
  EXPECT_EQ(inside.at("executions").at("status"), json::Value(200));
}

TEST(ConsolePageTest, NothingInTheAnswersCanEndTheirElement) {
  const std::string page = ConsolePageWith(R"({"a":"</script><!--<script>"})");
  EXPECT_NE(page.find(R"({"a":"\u003c/script>\u003c!--\u003cscript>"})"), std::string::npos);
  EXPECT_EQ(page.find("PRELOADED_ANSWERS"), std::string::npos);
  const auto count = [](std::string_view text, std::string_view what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  };
  EXPECT_EQ(count(page, "</script"), count(ConsolePage(), "</script"));
  EXPECT_EQ(count(page, "<!--"), count(ConsolePage(), "<!--"));
}

TEST_F(ConsoleServiceTest, NoAssetReferencesAnExternalUrl) {
  ASSERT_FALSE(ConsoleAssetFiles().empty());
  for (const retrain::EmbeddedFile& file : ConsoleAssetFiles()) {
    // SVG's XML namespace is an identifier, not something loaded.
    std::string text(file.contents);
    for (size_t at = text.find("http://www.w3.org/2000/svg"); at != std::string::npos;
         at = text.find("http://www.w3.org/2000/svg")) {
      text.erase(at, 26);
    }
    EXPECT_EQ(text.find("http://"), std::string::npos) << file.path;
    EXPECT_EQ(text.find("https://"), std::string::npos) << file.path;
    EXPECT_EQ(text.find("//cdn"), std::string::npos) << file.path;
    EXPECT_EQ(text.find("@import"), std::string::npos) << file.path;
    EXPECT_EQ(text.find("@font-face"), std::string::npos) << file.path;
  }
}

TEST_F(ConsoleServiceTest, WithKeysEveryApiCallNeedsASignedInSession) {
  Console(std::vector<AccessKey>{AccessKey{"AKIDCONSOLE", "the-secret", "", "default"}});
  json::Value session = Json(Send("GET", "/console/api/session"));
  EXPECT_EQ(session.at("authRequired"), json::Value(true));
  EXPECT_EQ(session.at("signedIn"), json::Value(false));
  EXPECT_EQ(session.as_object().if_contains("csrf"), nullptr);

  for (const char* route : {"executions", "state-machines", "schedules", "retraining"}) {
    HttpResponse refused = Send("GET", std::string("/console/api/") + route);
    EXPECT_EQ(refused.status, 401) << route;
    EXPECT_EQ(ErrorOf(refused), "SignInRequired");
  }
  HttpResponse wrong = Send("POST", "/console/api/sign-in",
                            R"({"accessKeyId":"AKIDCONSOLE","secretAccessKey":"nope"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ErrorOf(wrong), "InvalidCredentials");
  EXPECT_EQ(HeaderOf(wrong, "Set-Cookie"), "");
  EXPECT_EQ(wrong.body.find("nope"), std::string::npos);
  EXPECT_EQ(Send("POST", "/console/api/sign-in", "not json").status, 400);
  EXPECT_EQ(Send("GET", "/console/api/sign-in").status, 405);

  HttpResponse signed_in = Send("POST", "/console/api/sign-in",
                                R"({"accessKeyId":"AKIDCONSOLE","secretAccessKey":"the-secret"})");
  json::Value answer = Json(signed_in);
  const std::string csrf(answer.at("csrf").as_string());
  const std::string set_cookie = HeaderOf(signed_in, "Set-Cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(set_cookie.find("Max-Age=43200"), std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  EXPECT_EQ(cookie.size(), std::string("autoretrain_console=").size() + 64);

  json::Value now = Json(Send("GET", "/console/api/session", "", {{"Cookie", cookie}}));
  EXPECT_EQ(now.at("signedIn"), json::Value(true));
  EXPECT_EQ(now.at("csrf").as_string(), csrf);
  EXPECT_EQ(now.at("accessKeyId").as_string(), "AKIDCONSOLE");
  Json(Send("GET", "/console/api/executions", "", {{"Cookie", cookie}}));

  // Changes need the CSRF token besides the cookie.
  const std::string stop =
      R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:x:y"})";
  HttpResponse no_csrf = Send("POST", "/console/api/stop", stop, {{"Cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(ErrorOf(no_csrf), "CsrfTokenMismatch");
  HttpResponse bad_csrf = Send("POST", "/console/api/stop", stop,
                               {{"Cookie", cookie}, {"X-Console-Csrf", std::string(64, 'a')}});
  EXPECT_EQ(bad_csrf.status, 403);
  HttpResponse with_csrf =
      Send("POST", "/console/api/stop", stop, {{"Cookie", cookie}, {"X-Console-Csrf", csrf}});
  EXPECT_EQ(with_csrf.status, 404);  // past the checks: the execution does not exist
  EXPECT_EQ(ErrorOf(with_csrf), "ExecutionDoesNotExist");

  // Signing out ends the session and deletes the cookie.
  HttpResponse out =
      Send("POST", "/console/api/sign-out", "{}", {{"Cookie", cookie}, {"X-Console-Csrf", csrf}});
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(HeaderOf(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Send("GET", "/console/api/executions", "", {{"Cookie", cookie}}).status, 401);
}

TEST_F(ConsoleServiceTest, WithoutKeysNoSignInButChangesStillNeedTheCsrfToken) {
  Console();
  json::Value session = Json(Send("GET", "/console/api/session"));
  EXPECT_EQ(session.at("authRequired"), json::Value(false));
  EXPECT_EQ(session.at("signedIn"), json::Value(true));
  const std::string csrf(session.at("csrf").as_string());
  Json(Send("GET", "/console/api/state-machines"));
  const std::string stop =
      R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:x:y"})";
  EXPECT_EQ(Send("POST", "/console/api/stop", stop).status, 403);
  EXPECT_EQ(Send("POST", "/console/api/stop", stop, {{"X-Console-Csrf", csrf}}).status, 404);
  EXPECT_EQ(
      Send("POST", "/console/api/sign-in", R"({"accessKeyId":"a","secretAccessKey":"b"})").status,
      400);
  EXPECT_EQ(Send("GET", "/console/api/nothing").status, 404);
  EXPECT_EQ(Send("POST", "/console/api/nothing", "{}", {{"X-Console-Csrf", csrf}}).status, 404);
  EXPECT_EQ(Send("DELETE", "/console/api/executions").status, 405);
}

TEST_F(ConsoleServiceTest, ListsStateMachinesAndExecutionsWithFilters) {
  Console();
  const std::string pass = Create("pass", kPass);
  const std::string wait = Create("waiting", kWait);
  const std::string done = Start(pass, "nightly-20261127T000000Z");
  const std::string other = Start(pass, "by-hand");
  const std::string running = Start(wait, "long-one");
  ASSERT_EQ(WaitForStatus(done), "SUCCEEDED");
  ASSERT_EQ(WaitForStatus(other), "SUCCEEDED");
  ASSERT_EQ(WaitForStatus(running, /*running=*/true), "RUNNING");

  json::Value machines = Json(Send("GET", "/console/api/state-machines"));
  ASSERT_EQ(machines.at("stateMachines").as_array().size(), 2u);
  json::Value described = Json(Send("GET", "/console/api/state-machine?arn=" + pass));
  EXPECT_EQ(described.at("definition").as_string(), kPass);
  EXPECT_EQ(Send("GET", "/console/api/state-machine").status, 400);
  EXPECT_EQ(Send("GET", "/console/api/state-machine?arn=" + pass + "x").status, 404);

  json::Value all = Json(Send("GET", "/console/api/executions"));
  EXPECT_EQ(all.at("executions").as_array().size(), 3u);
  json::Value succeeded = Json(Send("GET", "/console/api/executions?status=SUCCEEDED"));
  EXPECT_EQ(succeeded.at("executions").as_array().size(), 2u);
  json::Value by_name = Json(Send("GET", "/console/api/executions?name=HAND"));
  ASSERT_EQ(by_name.at("executions").as_array().size(), 1u);
  EXPECT_EQ(by_name.at("executions").as_array()[0].at("executionArn").as_string(), other);
  json::Value of_machine =
      Json(Send("GET", "/console/api/executions?stateMachineArn=" + wait + "&status=RUNNING"));
  ASSERT_EQ(of_machine.at("executions").as_array().size(), 1u);
  EXPECT_EQ(Send("GET", "/console/api/executions?status=BOGUS").status, 400);

  // The detail: the execution, its definition and every event.
  json::Value detail = Json(Send("GET", "/console/api/execution?arn=" + done));
  EXPECT_EQ(detail.at("execution").at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(detail.at("stateMachine").at("definition").as_string(), kPass);
  const json::Array& events = detail.at("events").as_array();
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.front().at("type").as_string(), "ExecutionStarted");
  EXPECT_EQ(events.back().at("type").as_string(), "ExecutionSucceeded");
  EXPECT_EQ(Send("GET", "/console/api/execution").status, 400);

  // Stop the running one.
  const std::string csrf(Json(Send("GET", "/console/api/session")).at("csrf").as_string());
  json::Value stopped = Json(Send("POST", "/console/api/stop",
                                  json::Serialize(json::Object{{"executionArn", running}}),
                                  {{"X-Console-Csrf", csrf}}));
  EXPECT_TRUE(stopped.as_object().contains("stopDate"));
  EXPECT_EQ(WaitForStatus(running), "ABORTED");
  EXPECT_EQ(Send("POST", "/console/api/stop", "{}", {{"X-Console-Csrf", csrf}}).status, 400);
}

TEST_F(ConsoleServiceTest, SchedulesShowNextFireTimesAndTheirExecutions) {
  Console();
  const std::string pass = Create("pass", kPass);
  const std::string fired = Start(pass, "nightly-20261127T000000Z");
  Start(pass, "by-hand");
  ASSERT_EQ(WaitForStatus(fired), "SUCCEEDED");
  json::Value body = Json(Send("GET", "/console/api/schedules"));
  const json::Array& schedules = body.at("schedules").as_array();
  ASSERT_EQ(schedules.size(), 1u);
  const json::Value& nightly = schedules[0];
  EXPECT_EQ(nightly.at("name").as_string(), "nightly");
  EXPECT_EQ(nightly.at("expression").as_string(), "rate(1 hour)");
  EXPECT_EQ(nightly.at("timezone").as_string(), "UTC");
  EXPECT_EQ(nightly.at("stateMachineArn").as_string(), pass);
  const json::Array& next = nightly.at("next").as_array();
  ASSERT_EQ(next.size(), 5u);
  TimePoint first, second;
  ASSERT_TRUE(ParseIso8601(std::string(next[0].as_string()), &first));
  ASSERT_TRUE(ParseIso8601(std::string(next[1].as_string()), &second));
  EXPECT_GT(first, clock_.Now());
  EXPECT_EQ(second - first, std::chrono::hours(1));
  const json::Array& last = nightly.at("last").as_array();
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].at("executionArn").as_string(), fired);
}

TEST_F(ConsoleServiceTest, RetrainingTimelineAndApprovingAPendingRetraining) {
  Console();
  ASSERT_TRUE(db_->Call("CreateTable", retrain::HistoryTableDefinition(kTable)).ok());
  // An execution waiting at the approval gate, its task token registered as the gate does.
  const std::string wait = Create("gate", kWait);
  const std::string execution = Start(wait, "check-2");
  ASSERT_EQ(WaitForStatus(execution, /*running=*/true), "RUNNING");
  const std::string token = "console-test-token";
  ASSERT_TRUE(store_->RegisterTaskToken(token, execution, "W", clock_.Now()).ok());

  const TimePoint now = clock_.Now();
  retrain::RetrainingRecord done;
  done.model = "creditcard";
  done.evaluated_at = now - std::chrono::hours(48);
  done.evaluation_id = "check-1";
  done.decision = "YES";
  done.fields.severity = "HIGH";
  done.verdict.verdict = retrain::Verdict::kRetrain;
  done.verdict.summary = "retrain: every rule passed";
  done.version = 1;
  done.status = retrain::RetrainingStatus::kSucceeded;
  done.started_at = done.evaluated_at + std::chrono::seconds(1);
  done.finished_at = *done.started_at + std::chrono::seconds(90);
  done.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:pipeline:v1";
  retrain::RetrainingRecord pending;
  pending.model = "creditcard";
  pending.evaluated_at = now - std::chrono::minutes(5);
  pending.evaluation_id = "check-2";
  pending.decision = "YES";
  pending.fields.severity = "CRITICAL";
  pending.verdict.verdict = retrain::Verdict::kNeedsApproval;
  pending.verdict.summary = "approval: the policy requires approval";
  pending.status = retrain::RetrainingStatus::kPendingApproval;
  for (const retrain::RetrainingRecord* record : {&done, &pending}) {
    json::Object item = retrain::RecordToItem(*record);
    if (record == &pending) item["approval_token"] = json::Object{{"S", token}};
    ASSERT_TRUE(
        db_->Call("PutItem", json::Object{{"TableName", kTable}, {"Item", std::move(item)}}).ok());
  }

  json::Value body = Json(Send("GET", "/console/api/retraining"));
  const json::Array& models = body.at("models").as_array();
  ASSERT_EQ(models.size(), 1u);
  const json::Value& model = models[0];
  EXPECT_EQ(model.at("model").as_string(), "creditcard");
  EXPECT_EQ(model.at("approvalRequired"), json::Value(true));
  const json::Array& records = model.at("records").as_array();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].at("evaluationId").as_string(), "check-2");  // latest first
  EXPECT_EQ(records[0].at("verdict").as_string(), "NEEDS_APPROVAL");
  EXPECT_EQ(records[1].at("version").as_int64(), 1);
  EXPECT_EQ(records[1].at("status").as_string(), "SUCCEEDED");
  EXPECT_EQ(records[1].at("severity").as_string(), "HIGH");
  EXPECT_DOUBLE_EQ(records[1].at("durationSeconds").to_number<double>(), 90.0);
  ASSERT_TRUE(model.at("pending").is_object());
  EXPECT_EQ(model.at("pending").at("evaluationId").as_string(), "check-2");

  const std::string csrf(Json(Send("GET", "/console/api/session")).at("csrf").as_string());
  // A page showing an older pending evaluation is told to reload.
  HttpResponse stale =
      Send("POST", "/console/api/approve", R"({"model":"creditcard","evaluationId":"check-0"})",
           {{"X-Console-Csrf", csrf}});
  EXPECT_EQ(stale.status, 400);
  EXPECT_EQ(Send("POST", "/console/api/approve", R"({})", {{"X-Console-Csrf", csrf}}).status, 400);
  EXPECT_EQ(Send("POST", "/console/api/approve", R"({"model":"creditcard"})").status, 403);

  json::Value approved = Json(Send("POST", "/console/api/approve",
                                   R"({"model":"creditcard","evaluationId":"check-2",)"
                                   R"("reason":"looks right"})",
                                   {{"X-Console-Csrf", csrf}}));
  EXPECT_EQ(approved.at("answer").as_string(), "APPROVED");
  EXPECT_EQ(approved.as_object().if_contains("warning"), nullptr);
  // The waiting task got the answer, as `autoretrain approve` gives it.
  Result<store::TaskTokenRecord> answered = store_->GetTaskToken(token);
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->status, store::TaskTokenRecord::Status::kSucceeded);
  json::Value output = json::Parse(answered->output.value_or("null")).value();
  EXPECT_EQ(output.at("approved"), json::Value(true));
  EXPECT_EQ(output.at("by").as_string(), "console");
  EXPECT_EQ(output.at("reason").as_string(), "looks right");
  // Nothing waits any more.
  json::Value after = Json(Send("GET", "/console/api/retraining"));
  EXPECT_TRUE(after.at("models").as_array()[0].at("pending").is_null());
  HttpResponse again =
      Send("POST", "/console/api/reject", R"({"model":"creditcard"})", {{"X-Console-Csrf", csrf}});
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(ErrorOf(again), "NoPendingApproval");
  // The stand-in for the gate waits in a Wait state: end it.
  Json(Send("POST", "/console/api/stop", json::Serialize(json::Object{{"executionArn", execution}}),
            {{"X-Console-Csrf", csrf}}));
  EXPECT_EQ(WaitForStatus(execution), "ABORTED");
}

TEST_F(ConsoleServiceTest, ARetrainingWithoutStartTimeTakesItsPipelinesTimes) {
  Console();
  ASSERT_TRUE(db_->Call("CreateTable", retrain::HistoryTableDefinition(kTable)).ok());
  const std::string pipeline = Start(Create("pipeline", kPass), "v1");
  ASSERT_EQ(WaitForStatus(pipeline), "SUCCEEDED");
  json::Value described =
      sfn_->Invoke("DescribeExecution", json::Object{{"executionArn", pipeline}}).value();
  // An approved retraining as policy triggers recorded it before they wrote started_at.
  retrain::RetrainingRecord approved;
  approved.model = "creditcard";
  approved.evaluated_at = clock_.Now() - std::chrono::hours(1);
  approved.evaluation_id = "check-1";
  approved.decision = "YES";
  approved.verdict.verdict = retrain::Verdict::kNeedsApproval;
  approved.version = 1;
  approved.status = retrain::RetrainingStatus::kSucceeded;
  approved.execution_arn = pipeline;
  retrain::RetrainingRecord unknown = approved;
  unknown.evaluation_id = "check-0";
  unknown.evaluated_at -= std::chrono::hours(1);
  unknown.execution_arn = "arn:aws:states:us-east-1:123456789012:execution:pipeline:purged";
  for (const retrain::RetrainingRecord* record : {&approved, &unknown}) {
    ASSERT_TRUE(db_->Call("PutItem", json::Object{{"TableName", kTable},
                                                  {"Item", retrain::RecordToItem(*record)}})
                    .ok());
  }

  json::Value body = Json(Send("GET", "/console/api/retraining"));
  const json::Array& records = body.at("models").as_array()[0].at("records").as_array();
  ASSERT_EQ(records.size(), 2u);
  TimePoint started, finished;
  ASSERT_TRUE(ParseIso8601(std::string(records[0].at("startedAt").as_string()), &started));
  ASSERT_TRUE(ParseIso8601(std::string(records[0].at("finishedAt").as_string()), &finished));
  EXPECT_EQ(started.time_since_epoch().count(),
            std::llround(described.at("startDate").to_number<double>() * 1000));
  EXPECT_EQ(finished.time_since_epoch().count(),
            std::llround(described.at("stopDate").to_number<double>() * 1000));
  EXPECT_DOUBLE_EQ(records[0].at("durationSeconds").to_number<double>(),
                   std::chrono::duration<double>(finished - started).count());
  // An execution the service does not know leaves the record as it is.
  EXPECT_TRUE(records[1].at("startedAt").is_null());
  EXPECT_TRUE(records[1].at("durationSeconds").is_null());
}

TEST(ConsoleQueryTest, DecodesParameters) {
  auto query = ParseConsoleQuery("a=1&name=x%20y+z&arn=arn%3Aaws%3Astates&flag&a=2&bad=%zz");
  EXPECT_EQ(query["a"], "1");
  EXPECT_EQ(query["name"], "x y z");
  EXPECT_EQ(query["arn"], "arn:aws:states");
  EXPECT_EQ(query["flag"], "");
  EXPECT_EQ(query["bad"], "%zz");
  EXPECT_TRUE(ParseConsoleQuery("").empty());
}

}  // namespace
}  // namespace autoretrain::server
