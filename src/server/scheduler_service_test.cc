// SchedulerService: the EventBridge Scheduler REST operations over an in-memory store and a
// ScheduleRunner on a manual clock: the schedule lifecycle and its firing, validation and
// AWS's error shapes, schedule groups and their tags, the project's read-only schedules,
// ListSchedules' filters and pages, ClientToken retries, a restart, and ActionAfterCompletion
// DELETE.
#include "server/scheduler_service.h"

#include <gtest/gtest.h>

#include "retrain/schedule_test_util.h"
#include "server/scheduler_documents.h"

namespace autoretrain::server {
namespace {

using retrain::At;
using retrain::FakeLauncher;

constexpr char kTargetMachine[] = "arn:aws:states:us-east-1:123456789012:stateMachine:trigger";
constexpr char kSchedulerRole[] = "arn:aws:iam::123456789012:role/SchedulerRole";

std::string Body(const std::string& expression, const std::string& extra = "") {
  return R"({"ScheduleExpression":")" + expression +
         R"(","FlexibleTimeWindow":{"Mode":"OFF"},"Target":{"Arn":")" + kTargetMachine +
         R"(","RoleArn":")" + kSchedulerRole + R"(","Input":"{\"from\":\"api\"}"})" + extra + "}";
}

class SchedulerServiceTest : public ::testing::Test {
 protected:
  SchedulerServiceTest()
      : clock_(At("2026-11-26T08:29:41Z")),
        store_(store::Store::OpenInMemory().value()),
        runner_(clock_, launcher_) {
    retrain::ScheduleConfig weekly = retrain::Config("cron(0 3 ? * MON *)");
    service_ = std::make_unique<SchedulerService>(
        *store_, runner_, AccountContext{},
        std::vector<SchedulerService::ProjectSchedule>{{"weekly", weekly, kTargetMachine}}, clock_);
    Result<std::vector<std::string>> started = service_->Start();
    EXPECT_TRUE(started.ok()) << started.error().cause;
  }

  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.body = body;
    return service_->Invoke(request);
  }
  json::Object Ok(const std::string& method, const std::string& target,
                  const std::string& body = "") {
    HttpResponse response = Send(method, target, body);
    EXPECT_EQ(response.status, 200) << method << " " << target << ": " << response.body;
    Result<json::Value> parsed = json::Parse(response.body);
    if (!parsed.ok() || !parsed->is_object()) return {};
    return parsed->as_object();
  }
  // The error type (x-amzn-ErrorType) of a failed request; checks its status and that the
  // message contains `says`.
  void ExpectError(const HttpResponse& response, int status, const std::string& type,
                   const std::string& says) {
    EXPECT_EQ(response.status, status) << response.body;
    std::string header;
    for (const auto& [name, value] : response.headers) {
      if (name == "x-amzn-ErrorType") header = value;
    }
    EXPECT_EQ(header, type) << response.body;
    Result<json::Value> body = json::Parse(response.body);
    ASSERT_TRUE(body.ok() && body->is_object()) << response.body;
    const json::Value* message = body->as_object().if_contains("Message");
    ASSERT_TRUE(message != nullptr && message->is_string()) << response.body;
    EXPECT_NE(std::string(message->as_string()).find(says), std::string::npos) << response.body;
  }

  ManualClock clock_;
  FakeLauncher launcher_;
  std::unique_ptr<store::Store> store_;
  retrain::ScheduleRunner runner_;
  std::unique_ptr<SchedulerService> service_;
};

TEST_F(SchedulerServiceTest, CreateGetUpdateDeleteAndTheScheduleFires) {
  json::Object created = Ok("POST", "/schedules/hourly", Body("rate(1 hour)"));
  EXPECT_EQ(created["ScheduleArn"],
            "arn:aws:scheduler:us-east-1:123456789012:schedule/default/hourly");
  runner_.ApplyChanges();
  EXPECT_EQ(runner_.Names(), (std::vector<std::string>{"hourly"}));

  json::Object got = Ok("GET", "/schedules/hourly");
  EXPECT_EQ(got["Name"], "hourly");
  EXPECT_EQ(got["GroupName"], "default");
  EXPECT_EQ(got["State"], "ENABLED");
  EXPECT_EQ(got["ScheduleExpressionTimezone"], "UTC");
  EXPECT_EQ(got["ActionAfterCompletion"], "NONE");
  EXPECT_EQ(got["CreationDate"], got["LastModificationDate"]);
  EXPECT_EQ(got["Target"].as_object().at("RetryPolicy"),
            (json::Object{{"MaximumEventAgeInSeconds", 86400}, {"MaximumRetryAttempts", 185}}));
  EXPECT_EQ(got["Target"].as_object().at("Input"), "{\"from\":\"api\"}");

  clock_.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner_.FireDue();
  ASSERT_EQ(launcher_.starts.size(), 1u);
  EXPECT_EQ(launcher_.starts[0],
            std::string(kTargetMachine) + " hourly-20261126T090000Z {\"from\":\"api\"}");

  // Update replaces every field: now every 15 minutes in Berlin, disabled.
  clock_.SleepUntil(At("2026-11-26T09:01:00Z"));
  Ok("PUT", "/schedules/hourly",
     Body("rate(15 minutes)",
          R"(,"State":"DISABLED","ScheduleExpressionTimezone":"Europe/Berlin")"));
  runner_.ApplyChanges();
  EXPECT_TRUE(runner_.Names().empty());
  got = Ok("GET", "/schedules/hourly?groupName=default");
  EXPECT_EQ(got["State"], "DISABLED");
  EXPECT_EQ(got["ScheduleExpression"], "rate(15 minutes)");
  EXPECT_EQ(got["ScheduleExpressionTimezone"], "Europe/Berlin");
  EXPECT_NE(got["CreationDate"], got["LastModificationDate"]);
  Ok("PUT", "/schedules/hourly", Body("rate(15 minutes)"));
  runner_.ApplyChanges();
  EXPECT_EQ(runner_.Names(), (std::vector<std::string>{"hourly"}));

  EXPECT_TRUE(Ok("DELETE", "/schedules/hourly?clientToken=abc").empty());
  runner_.ApplyChanges();
  EXPECT_TRUE(runner_.Names().empty());
  ExpectError(Send("GET", "/schedules/hourly"), 404, "ResourceNotFoundException",
              "default/hourly does not exist");
  ExpectError(Send("DELETE", "/schedules/hourly"), 404, "ResourceNotFoundException",
              "does not exist");
}

TEST_F(SchedulerServiceTest, RequestsAreValidatedWithAwsErrors) {
  ExpectError(Send("POST", "/schedules/x", Body("rate(1 hours)")), 400, "ValidationException",
              "rate(1 hour)");
  ExpectError(Send("POST", "/schedules/x",
                   Body("rate(1 hour)", R"(,"ScheduleExpressionTimezone":"Mars/Base")")),
              400, "ValidationException", "Mars/Base");
  ExpectError(
      Send("POST", "/schedules/x",
           R"j({"ScheduleExpression":"rate(1 hour)","Target":{"Arn":")j" +
               std::string(kTargetMachine) + R"(","RoleArn":")" + kSchedulerRole + R"("}})"),
      400, "ValidationException", "FlexibleTimeWindow is required");
  ExpectError(
      Send("POST", "/schedules/x",
           R"j({"ScheduleExpression":"rate(1 hour)","FlexibleTimeWindow":{"Mode":"OFF"},)j"
           R"j("Target":{"Arn":"arn:aws:lambda:us-east-1:123456789012:function:f","RoleArn":")j" +
               std::string(kSchedulerRole) + R"("}})"),
      400, "ValidationException", "is not a state machine ARN");
  ExpectError(
      Send("POST", "/schedules/x",
           R"j({"ScheduleExpression":"rate(1 hour)","FlexibleTimeWindow":{"Mode":"FLEXIBLE"},)j"
           R"j("Target":{"Arn":")j" +
               std::string(kTargetMachine) + R"(","RoleArn":")" + kSchedulerRole + R"("}})"),
      400, "ValidationException", "MaximumWindowInMinutes (1-1440) is required");
  ExpectError(Send("POST", "/schedules/x",
                   Body("rate(1 hour)", R"(,"StartDate":1800000000,"EndDate":1700000000)")),
              400, "ValidationException", "must be after StartDate");
  ExpectError(Send("POST", "/schedules/bad%20name", Body("rate(1 hour)")), 400,
              "ValidationException", "'bad name' is not valid");
  ExpectError(Send("POST", "/schedules/x", "[1]"), 400, "ValidationException",
              "must be a JSON object");
  ExpectError(Send("PATCH", "/schedules/x"), 404, "UnknownOperationException", "PATCH");
  ExpectError(Send("GET", "/schedules/a/b"), 404, "UnknownOperationException", "/schedules/a/b");
  ExpectError(Send("GET", "/schedules?MaxResults=0"), 400, "ValidationException", "MaxResults");
  ExpectError(Send("GET", "/schedules?NextToken=zz"), 400, "ValidationException", "NextToken");
  ExpectError(Send("GET", "/schedules?State=ON"), 400, "ValidationException", "State 'ON'");
  // Nothing invalid was stored or handed to the runner.
  EXPECT_EQ(store_->ListSchedulerSchedules()->size(), 0u);
  EXPECT_EQ(runner_.ApplyChanges(), 0u);

  Ok("POST", "/schedules/x", Body("rate(1 hour)"));
  ExpectError(Send("POST", "/schedules/x", Body("rate(2 hours)")), 409, "ConflictException",
              "already exists");
  ExpectError(Send("PUT", "/schedules/nope", Body("rate(1 hour)")), 404,
              "ResourceNotFoundException", "default/nope does not exist");
  ExpectError(Send("POST", "/schedules/y", Body("rate(1 hour)", R"(,"GroupName":"nogroup")")), 404,
              "ResourceNotFoundException", "Schedule group nogroup does not exist");
}

TEST_F(SchedulerServiceTest, TheProjectsSchedulesAreListedButReadOnly) {
  json::Object weekly = Ok("GET", "/schedules/weekly");
  EXPECT_EQ(weekly["ScheduleExpression"], "cron(0 3 ? * MON *)");
  EXPECT_EQ(weekly["Target"].as_object().at("Arn"), kTargetMachine);
  ExpectError(Send("PUT", "/schedules/weekly", Body("rate(1 hour)")), 400, "ValidationException",
              "edit autoretrain.json");
  ExpectError(Send("DELETE", "/schedules/weekly"), 400, "ValidationException",
              "edit autoretrain.json");
  ExpectError(Send("POST", "/schedules/weekly", Body("rate(1 hour)")), 409, "ConflictException",
              "autoretrain.json defines it");
  // The same name in another group is another schedule.
  Ok("POST", "/schedule-groups/team");
  Ok("POST", "/schedules/weekly", Body("rate(1 hour)", R"(,"GroupName":"team")"));
  runner_.ApplyChanges();
  EXPECT_EQ(runner_.Names(), (std::vector<std::string>{"weekly@team"}));
}

TEST_F(SchedulerServiceTest, GroupsAndDeletingAGroupDeletesItsSchedules) {
  json::Object groups = Ok("GET", "/schedule-groups");
  ASSERT_EQ(groups["ScheduleGroups"].as_array().size(), 1u);
  EXPECT_EQ(groups["ScheduleGroups"].as_array()[0].as_object().at("Name"), "default");
  EXPECT_EQ(Ok("POST", "/schedule-groups/team",
               R"({"Tags":[{"Key":"k","Value":"v"}]})")["ScheduleGroupArn"],
            "arn:aws:scheduler:us-east-1:123456789012:schedule-group/team");
  ExpectError(Send("POST", "/schedule-groups/team"), 409, "ConflictException", "already exists");
  ExpectError(Send("POST", "/schedule-groups/default"), 409, "ConflictException", "default");
  json::Object team = Ok("GET", "/schedule-groups/team");
  EXPECT_EQ(team["State"], "ACTIVE");
  EXPECT_FALSE(team.contains("Tags"));
  Ok("POST", "/schedules/a", Body("rate(1 hour)", R"(,"GroupName":"team")"));
  Ok("POST", "/schedules/b", Body("rate(1 hour)", R"(,"GroupName":"team")"));
  Ok("POST", "/schedules/a", Body("rate(1 hour)"));
  runner_.ApplyChanges();
  EXPECT_EQ(runner_.Names(), (std::vector<std::string>{"a", "a@team", "b@team"}));

  ExpectError(Send("DELETE", "/schedule-groups/default"), 400, "ValidationException",
              "default schedule group cannot be deleted");
  Ok("DELETE", "/schedule-groups/team");
  runner_.ApplyChanges();
  EXPECT_EQ(runner_.Names(), (std::vector<std::string>{"a"}));
  ExpectError(Send("GET", "/schedule-groups/team"), 404, "ResourceNotFoundException", "team");
  ExpectError(Send("GET", "/schedules/a?groupName=team"), 404, "ResourceNotFoundException", "team");
  ExpectError(Send("DELETE", "/schedule-groups/team"), 404, "ResourceNotFoundException", "team");
  EXPECT_EQ(store_->ListSchedulerSchedules()->size(), 1u);
}

TEST_F(SchedulerServiceTest, ScheduleGroupsAreTaggedUntaggedAndListedByArn) {
  const std::string team = "arn:aws:scheduler:us-east-1:123456789012:schedule-group/team";
  const std::string encoded =
      "/tags/arn%3Aaws%3Ascheduler%3Aus-east-1%3A123456789012%3A"
      "schedule-group%2Fteam";
  Ok("POST", "/schedule-groups/team", R"({"Tags":[{"Key":"owner","Value":"ml"}]})");
  EXPECT_EQ(json::Serialize(Ok("GET", encoded)), R"({"Tags":[{"Key":"owner","Value":"ml"}]})");
  Ok("POST", encoded, R"({"Tags":[{"Key":"cost","Value":"7"},{"Key":"owner","Value":"mlops"}]})");
  EXPECT_EQ(json::Serialize(Ok("GET", "/tags/" + team)),  // an ARN sent without %-encoding
            R"({"Tags":[{"Key":"cost","Value":"7"},{"Key":"owner","Value":"mlops"}]})");
  Ok("DELETE", encoded + "?TagKeys=owner&TagKeys=absent");
  EXPECT_EQ(json::Serialize(Ok("GET", encoded)), R"({"Tags":[{"Key":"cost","Value":"7"}]})");
  EXPECT_EQ(json::Serialize(Ok("GET",
                               "/tags/arn%3Aaws%3Ascheduler%3Aus-east-1%3A123456789012%3A"
                               "schedule-group%2Fdefault")),
            R"({"Tags":[]})");

  // What AWS refuses.
  ExpectError(Send("POST", encoded, R"({"Tags":[{"Key":"k","Value":""}]})"), 400,
              "ValidationException", "1-256 characters");
  ExpectError(Send("POST", encoded, "{}"), 400, "ValidationException", "Tags is required");
  ExpectError(Send("DELETE", encoded), 400, "ValidationException", "TagKeys is required");
  ExpectError(Send("GET",
                   "/tags/arn%3Aaws%3Ascheduler%3Aus-east-1%3A123456789012%3A"
                   "schedule%2Fdefault%2Fweekly"),
              400, "ValidationException", "only schedule groups take tags");
  ExpectError(Send("GET",
                   "/tags/arn%3Aaws%3Ascheduler%3Aus-east-1%3A123456789012%3A"
                   "schedule-group%2Fnone"),
              404, "ResourceNotFoundException", "none");
  ExpectError(Send("GET",
                   "/tags/arn%3Aaws%3Ascheduler%3Aeu-west-1%3A123456789012%3A"
                   "schedule-group%2Fteam"),
              404, "ResourceNotFoundException", "its account and region");
  std::string many = R"({"Tags":[)";
  for (int i = 0; i < 50; ++i) {
    many +=
        std::string(i > 0 ? "," : "") + R"({"Key":"k)" + std::to_string(i) + R"(","Value":"v"})";
  }
  ExpectError(Send("POST", encoded, many + "]}"), 400, "ValidationException", "limit is 50");
  EXPECT_EQ(json::Serialize(Ok("GET", encoded)), R"({"Tags":[{"Key":"cost","Value":"7"}]})");

  // The tags go with the group: a new group of the same name starts without them.
  Ok("DELETE", "/schedule-groups/team");
  ExpectError(Send("GET", encoded), 404, "ResourceNotFoundException", "team");
  Ok("POST", "/schedule-groups/team");
  EXPECT_EQ(json::Serialize(Ok("GET", encoded)), R"({"Tags":[]})");
}

TEST_F(SchedulerServiceTest, ListSchedulesFiltersAndPages) {
  Ok("POST", "/schedule-groups/team");
  Ok("POST", "/schedules/alpha", Body("rate(1 hour)"));
  Ok("POST", "/schedules/beta", Body("rate(1 hour)", R"(,"State":"DISABLED")"));
  Ok("POST", "/schedules/alpha2", Body("rate(1 hour)", R"(,"GroupName":"team")"));
  auto names = [](const json::Object& page) {
    std::vector<std::string> out;
    for (const json::Value& s : page.at("Schedules").as_array()) {
      out.push_back(std::string(s.as_object().at("GroupName").as_string()) + "/" +
                    std::string(s.as_object().at("Name").as_string()));
    }
    return out;
  };
  json::Object all = Ok("GET", "/schedules");
  EXPECT_EQ(names(all), (std::vector<std::string>{"default/alpha", "default/beta", "default/weekly",
                                                  "team/alpha2"}));
  EXPECT_FALSE(all.contains("NextToken"));
  EXPECT_EQ(all["Schedules"].as_array()[0].as_object().at("Target"),
            (json::Object{{"Arn", kTargetMachine}}));
  EXPECT_EQ(names(Ok("GET", "/schedules?NamePrefix=alpha")),
            (std::vector<std::string>{"default/alpha", "team/alpha2"}));
  EXPECT_EQ(names(Ok("GET", "/schedules?State=DISABLED")),
            (std::vector<std::string>{"default/beta"}));
  EXPECT_EQ(names(Ok("GET", "/schedules?ScheduleGroup=team")),
            (std::vector<std::string>{"team/alpha2"}));
  ExpectError(Send("GET", "/schedules?ScheduleGroup=nope"), 404, "ResourceNotFoundException",
              "nope");

  std::vector<std::string> paged;
  std::string token;
  int pages = 0;
  do {
    json::Object page =
        Ok("GET", "/schedules?MaxResults=3" + (token.empty() ? "" : "&NextToken=" + token));
    for (const std::string& name : names(page)) paged.push_back(name);
    token = page.contains("NextToken") ? std::string(page["NextToken"].as_string()) : "";
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(paged, names(all));

  json::Object groups = Ok("GET", "/schedule-groups?MaxResults=1");
  ASSERT_TRUE(groups.contains("NextToken"));
  json::Object rest =
      Ok("GET", "/schedule-groups?NextToken=" + std::string(groups["NextToken"].as_string()));
  ASSERT_EQ(rest["ScheduleGroups"].as_array().size(), 1u);
  EXPECT_EQ(rest["ScheduleGroups"].as_array()[0].as_object().at("Name"), "team");

  // AWS's page sizes: 1 to 100.
  Ok("GET", "/schedules?MaxResults=100");
  ExpectError(Send("GET", "/schedules?MaxResults=101"), 400, "ValidationException", "MaxResults");
  ExpectError(Send("GET", "/schedule-groups?MaxResults=0"), 400, "ValidationException",
              "MaxResults");
}

TEST_F(SchedulerServiceTest, AClientTokenRetryGetsTheSameAnswer) {
  const std::string body = Body("rate(1 hour)", R"(,"ClientToken":"token-1")");
  json::Object first = Ok("POST", "/schedules/x", body);
  json::Object again = Ok("POST", "/schedules/x", body);
  EXPECT_EQ(first, again);
  ExpectError(Send("POST", "/schedules/x", Body("rate(1 hour)", R"(,"ClientToken":"token-2")")),
              409, "ConflictException", "already exists");
  EXPECT_FALSE(Ok("GET", "/schedules/x").contains("ClientToken"));
  ExpectError(Send("POST", "/schedules/y", Body("rate(1 hour)", R"(,"ClientToken":"a b")")), 400,
              "ValidationException", "ClientToken");
}

TEST_F(SchedulerServiceTest, ARestartFiresTheStoredSchedules) {
  Ok("POST", "/schedule-groups/team");
  Ok("POST", "/schedules/a", Body("rate(1 hour)", R"(,"GroupName":"team")"));
  Ok("POST", "/schedules/off", Body("rate(1 hour)", R"(,"State":"DISABLED")"));
  FakeLauncher launcher;
  retrain::ScheduleRunner runner(clock_, launcher);
  SchedulerService restarted(*store_, runner, AccountContext{}, {}, clock_);
  Result<std::vector<std::string>> problems = restarted.Start();
  ASSERT_TRUE(problems.ok()) << problems.error().cause;
  EXPECT_TRUE(problems->empty());
  EXPECT_EQ(runner.Names(), (std::vector<std::string>{"a@team"}));
  clock_.SleepUntil(At("2026-11-26T09:00:00Z"));
  runner.FireDue();
  ASSERT_EQ(launcher.starts.size(), 1u);
  EXPECT_EQ(launcher.starts[0],
            std::string(kTargetMachine) + " a@team-20261126T090000Z {\"from\":\"api\"}");
}

TEST_F(SchedulerServiceTest, ActionAfterCompletionDeleteRemovesTheStoredSchedule) {
  Ok("POST", "/schedules/once",
     Body("at(2026-11-26T08:30:00)", R"(,"ActionAfterCompletion":"DELETE")"));
  runner_.ApplyChanges();
  std::vector<retrain::FiredSlot> fired;
  retrain::ScheduleRunner runner(clock_, launcher_, [&](const retrain::FiredSlot& slot) {
    service_->OnFired(slot);
    fired.push_back(slot);
  });
  SchedulerService restarted(*store_, runner, AccountContext{}, {}, clock_);
  ASSERT_TRUE(restarted.Start().ok());
  clock_.SleepUntil(At("2026-11-26T08:30:00Z"));
  runner.FireDue();
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_TRUE(fired[0].deleted);
  ExpectError(Send("GET", "/schedules/once"), 404, "ResourceNotFoundException", "once");
}

}  // namespace
}  // namespace autoretrain::server
