#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/project_template.h"
#include "retrain/project_fields.h"

namespace autoretrain::retrain {
namespace {

namespace fs = std::filesystem;

class ProjectConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("autoretrain-project-" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "sm");
    std::ofstream(dir_ / "sm" / "a.asl.json") << "{}";
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<ProjectConfig> Parse(const std::string& text) {
    return ParseProjectConfig(text, dir_.string());
  }
  std::string Problems(const std::string& text) {
    Result<ProjectConfig> config = Parse(text);
    EXPECT_FALSE(config.ok());
    if (config.ok()) return "";
    EXPECT_EQ(config.error().error, "InvalidProjectConfig");
    return config.error().cause;
  }

  fs::path dir_;
};

TEST_F(ProjectConfigTest, EmptyObjectGivesDefaults) {
  Result<ProjectConfig> config = Parse("{}");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->account.region, "us-east-1");
  EXPECT_EQ(config->account.account, "123456789012");
  EXPECT_EQ(config->buckets_dir, (dir_ / "buckets").string());
  EXPECT_EQ(config->data_dir, (dir_ / "data").string());
  EXPECT_EQ(DatabasePath(*config), (dir_ / "data" / "autoretrain.db").string());
  EXPECT_TRUE(config->functions.empty());
  EXPECT_TRUE(config->check_state_machine.empty());
  EXPECT_EQ(config->retention_days, 90);  // AWS keeps closed executions 90 days
}

TEST_F(ProjectConfigTest, FullConfig) {
  Result<ProjectConfig> config = Parse(R"({
    "region": "eu-west-2", "account_id": "000011112222", "buckets_dir": "data/../store",
    "data_dir": "state/db", "retention_days": 7,
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "functions": {
      "decide": {"builtin": "check_retraining_decision", "bucket": "b1", "key": "k/d.csv",
                 "max_bytes": 10, "max_age_hours": 36},
      "train": {"command": ["python3", "functions/train.py"], "timeout_seconds": 60,
                "environment": {"MODE": "fast"}, "inherit_environment": ["AWS_PROFILE", "AWS_*"]}},
    "check": {"state_machine": "trigger", "input": {"x": 1}}})");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->account.region, "eu-west-2");
  EXPECT_EQ(config->account.account, "000011112222");
  EXPECT_EQ(config->buckets_dir, (dir_ / "store").string());
  EXPECT_EQ(config->data_dir, (dir_ / "state" / "db").string());
  EXPECT_EQ(config->retention_days, 7);
  EXPECT_EQ(config->state_machines.at("trigger"), (dir_ / "sm" / "a.asl.json").string());
  const FunctionConfig& decide = config->functions.at("decide");
  EXPECT_EQ(decide.kind, FunctionConfig::Kind::kBuiltin);
  EXPECT_EQ(decide.decision.bucket, "b1");
  EXPECT_EQ(decide.decision.key, "k/d.csv");
  EXPECT_EQ(decide.decision.max_bytes, 10u);
  EXPECT_EQ(decide.decision.max_age_hours, 36);
  const FunctionConfig& train = config->functions.at("train");
  EXPECT_EQ(train.kind, FunctionConfig::Kind::kCommand);
  EXPECT_EQ(train.command, (std::vector<std::string>{"python3", "functions/train.py"}));
  EXPECT_EQ(train.timeout_seconds, 60);
  ASSERT_EQ(train.environment.size(), 1u);
  EXPECT_EQ(train.environment[0].first, "MODE");
  EXPECT_EQ(train.inherit_environment, (std::vector<std::string>{"AWS_PROFILE", "AWS_*"}));
  EXPECT_EQ(config->check_state_machine, "trigger");
  EXPECT_EQ(json::Serialize(config->check_input), R"({"x":1})");
}

TEST_F(ProjectConfigTest, ReportsEveryProblemWithItsPath) {
  std::string cause = Problems(R"({
    "regoin": "x", "account_id": "12",
    "state_machines": {"bad name": {"definition": "sm/a.asl.json"},
                       "gone": {"definition": "sm/missing.json"}},
    "functions": {"f": {"command": []}, "g": {"builtin": "nope"},
                  "h": {"command": ["x"], "timeout_seconds": 0, "enviroment": {}},
                  "i": {}, "j": {"command": ["x"], "inherit_environment": ["A=B", "*X", 3]},
                  "k": {"command": ["x"], "inherit_environment": "AWS_*"}},
    "check": {"state_machine": "trigger"}})");
  for (const char* expected : {
           "autoretrain.json: regoin: unknown field (did you mean 'region'?)",
           "autoretrain.json: account_id: expected a 12-digit AWS account id",
           "state_machines.bad name: invalid state machine name",
           "state_machines.gone.definition: file 'sm/missing.json' does not exist",
           "functions.f.command: expected a non-empty array of strings",
           "functions.g.builtin: unknown built-in function 'nope'",
           "functions.h.timeout_seconds: expected an integer from 1 to 604800, got 0",
           "functions.h.enviroment: unknown field (did you mean 'environment'?)",
           "functions.i: expected \"builtin\" or \"command\"",
           "functions.j.inherit_environment[0]: expected a variable name",
           "functions.j.inherit_environment[1]: expected a variable name",
           "functions.j.inherit_environment[2]: expected a variable name",
           "functions.k.inherit_environment: expected an array of variable names",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
}

TEST_F(ProjectConfigTest, CheckMustNameAConfiguredStateMachine) {
  std::string cause = Problems(
      R"({"state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
          "check": {"state_machine": "triger"}})");
  EXPECT_NE(cause.find("check.state_machine: 'triger' is not one of the configured "
                       "state_machines (did you mean 'trigger'?)"),
            std::string::npos)
      << cause;
}

TEST_F(ProjectConfigTest, WrongTypes) {
  EXPECT_NE(Problems("[]").find("autoretrain.json: expected an object, got array"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"region": 5})").find("region: expected a string, got number"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"functions": {"f": {"command": ["a", 1]}}})")
                .find("functions.f.command[1]: expected a string, got number"),
            std::string::npos);
  EXPECT_NE(Problems("{oops").find("autoretrain.json: not valid JSON"), std::string::npos);
  EXPECT_NE(Problems(R"({"data_dir": ""})")
                .find("data_dir: expected a directory path, got an empty string"),
            std::string::npos);
  EXPECT_NE(Problems(R"({"data_dir": 3})").find("data_dir: expected a string, got number"),
            std::string::npos);
  EXPECT_NE(
      Problems(R"({"datadir": "d"})").find("datadir: unknown field (did you mean 'data_dir'?)"),
      std::string::npos);
}

TEST_F(ProjectConfigTest, RetentionDaysIsAPositiveInteger) {
  EXPECT_EQ(Parse(R"({"retention_days": 1})")->retention_days, 1);
  EXPECT_EQ(Parse(R"({"retention_days": 36500})")->retention_days, 36500);
  for (const char* bad : {"0", "-3", "36501", "1.5", "\"30\"", "true", "null"}) {
    std::string cause = Problems(std::string(R"({"retention_days": )") + bad + "}");
    EXPECT_NE(cause.find("autoretrain.json: retention_days: expected an integer from 1 to "
                         "36500, got "),
              std::string::npos)
        << bad << ": " << cause;
  }
  EXPECT_NE(Problems(R"({"retention_day": 30})")
                .find("retention_day: unknown field (did you mean 'retention_days'?)"),
            std::string::npos);
}

TEST_F(ProjectConfigTest, NoProjectMeansNoStore) {
  ProjectConfig config = DefaultProject(dir_.string());
  EXPECT_TRUE(config.data_dir.empty());
  EXPECT_EQ(DatabasePath(config), "");
  EXPECT_FALSE(OpenProjectStore(config).ok());
  EXPECT_EQ(OpenHistorySink(config, {}).store, nullptr);
}

TEST_F(ProjectConfigTest, LoadProjectWithoutConfig) {
  Result<ProjectConfig> config = LoadProject(dir_.string());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().error, "ProjectNotFound");
  EXPECT_NE(config.error().cause.find("autoretrain init"), std::string::npos);
}

TEST_F(ProjectConfigTest, InitWritesALoadableProjectAndRefusesToOverwrite) {
  fs::path project = dir_ / "p";
  Result<std::vector<std::string>> written = InitProject(project.string(), false);
  ASSERT_TRUE(written.ok()) << written.error().cause;
  EXPECT_EQ(written->size(), ProjectTemplateFiles().size());
  Result<ProjectConfig> config = LoadProject(project.string());
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->check_state_machine, "creditcard-auto-retraining-trigger");
  ASSERT_EQ(config->schedules.count("weekly-retraining-check"), 1u);
  EXPECT_EQ(config->schedules.at("weekly-retraining-check").expression, "cron(0 3 ? * MON *)");
  EXPECT_EQ(config->schedules.at("weekly-retraining-check").state_machine,
            "creditcard-auto-retraining-trigger");
  for (const auto& [name, path] : config->state_machines) {
    Result<std::shared_ptr<const asl::StateMachine>> machine = LoadDefinition(path);
    EXPECT_TRUE(machine.ok()) << name << ": " << machine.error().cause;
  }

  Result<std::string> trigger =
      ReadFileLimited((project / "state_machines/retraining_trigger.asl.json").string(), 1 << 20);
  ASSERT_TRUE(trigger.ok());
  EXPECT_EQ(trigger->find(kPipelineArnPlaceholder), std::string::npos);
  EXPECT_NE(trigger->find("arn:aws:states:us-east-1:123456789012:stateMachine:"
                          "creditcard-training-pipeline"),
            std::string::npos);

  Result<std::vector<std::string>> again = InitProject(project.string(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "FileExists");
  EXPECT_TRUE(InitProject(project.string(), true).ok());
}

TEST_F(ProjectConfigTest, ThePolicyTemplateRunsThePolicyTrigger) {
  fs::path project = dir_ / "p";
  ASSERT_TRUE(InitProject(project.string(), false, StarterTemplate::kPolicy).ok());
  Result<ProjectConfig> config = LoadProject(project.string());
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->check_state_machine, kPolicyTriggerName);
  EXPECT_EQ(config->schedules.at("weekly-retraining-check").state_machine, kPolicyTriggerName);
  EXPECT_EQ(config->state_machines.count(std::string(kSeedTriggerName)), 1u);
  ASSERT_EQ(config->retraining.models.count("creditcard"), 1u);
  EXPECT_EQ(config->retraining.models.at("creditcard").policy.cooldown_hours, 24);
}

TEST_F(ProjectConfigTest, Schedules) {
  const std::string text = R"json({
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "weekly": {"expression": "cron(0 3 ? * MON *)", "state_machine": "trigger"},
      "hourly": {"expression": "rate(1 hour)", "timezone": "Europe/Paris",
                 "state_machine": "trigger", "input": {"k": 1}, "state": "DISABLED"}
    }
  })json";
  Result<ProjectConfig> config = Parse(text);
  ASSERT_TRUE(config.ok()) << config.error().cause;
  ASSERT_EQ(config->schedules.size(), 2u);
  const ScheduleConfig& weekly = config->schedules.at("weekly");
  EXPECT_EQ(weekly.expression, "cron(0 3 ? * MON *)");
  EXPECT_EQ(weekly.timezone, "UTC");
  EXPECT_EQ(weekly.state_machine, "trigger");
  EXPECT_EQ(json::Serialize(weekly.input), "{}");
  EXPECT_TRUE(weekly.enabled);
  const ScheduleConfig& hourly = config->schedules.at("hourly");
  EXPECT_EQ(hourly.timezone, "Europe/Paris");
  EXPECT_EQ(json::Serialize(hourly.input), "{\"k\":1}");
  EXPECT_FALSE(hourly.enabled);
  EXPECT_TRUE(Parse("{}")->schedules.empty());
}

TEST_F(ProjectConfigTest, ScheduleProblems) {
  const std::string text = R"json({
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "a": {"expresion": "rate(1 hour)", "state_machine": "trigger"},
      "b": {"expression": "cron(0 3 * * MON *)", "state_machine": "triger"},
      "c": {"expression": "rate(1 hour)", "timezone": "Mars/Olympus",
            "state_machine": "trigger", "state": "ON"},
      "d": {"expression": 5, "state_machine": "trigger"},
      "bad name!": {},
      "e": 7
    }
  })json";
  std::string cause = Problems(text);
  for (const char* expected : {
           "schedules.a.expresion: unknown field (did you mean 'expression'?)",
           "schedules.a.expression: missing (expected a string)",
           "schedules.b.expression: cron(0 3 * * MON *): day-of-month and day-of-week",
           "schedules.b.state_machine: 'triger' is not one of the configured state_machines "
           "(did you mean 'trigger'?)",
           "schedules.c.timezone: ",
           "Mars/Olympus",
           "schedules.c.state: expected \"ENABLED\" or \"DISABLED\", got 'ON'",
           "schedules.d.expression: expected a string, got number",
           "schedules.bad name!: invalid schedule name",
           "schedules.e: expected {",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
  EXPECT_NE(Problems("{\"schedules\": 1}").find("schedules: expected an object of names"),
            std::string::npos);
  EXPECT_NE(
      Problems("{\"schedule\": 1}").find("schedule: unknown field (did you mean 'schedules'?)"),
      std::string::npos);
  EXPECT_NE(Problems("{\"schedules\": {\"x\": {\"expression\": \"rate(1 hour)\"}}}")
                .find("schedules.x.state_machine: missing (expected a string)"),
            std::string::npos);
}

TEST_F(ProjectConfigTest, ScheduleOptions) {
  const std::string text = R"json({
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "all": {"expression": "rate(1 hour)", "state_machine": "trigger",
              "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_minutes": 15},
              "start_date": "2026-12-01T00:00:00Z", "end_date": "2027-01-01T05:30:00+05:30",
              "retry_policy": {"maximum_retry_attempts": 0, "maximum_event_age_seconds": 60},
              "action_after_completion": "DELETE"},
      "defaults": {"expression": "rate(1 hour)", "state_machine": "trigger",
                   "flexible_time_window": {"mode": "OFF"}, "retry_policy": {},
                   "action_after_completion": "NONE"}
    }
  })json";
  Result<ProjectConfig> config = Parse(text);
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const ScheduleConfig& all = config->schedules.at("all");
  EXPECT_EQ(all.flexible_window_minutes, 15);
  EXPECT_EQ(FormatIso8601(*all.start_date), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(*all.end_date), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(all.maximum_retry_attempts, 0);
  EXPECT_EQ(all.maximum_event_age_seconds, 60);
  EXPECT_TRUE(all.delete_after_completion);
  const ScheduleConfig& d = config->schedules.at("defaults");  // AWS's defaults
  EXPECT_EQ(d.flexible_window_minutes, 0);
  EXPECT_FALSE(d.start_date);
  EXPECT_FALSE(d.end_date);
  EXPECT_EQ(d.maximum_retry_attempts, 185);
  EXPECT_EQ(d.maximum_event_age_seconds, 86400);
  EXPECT_FALSE(d.delete_after_completion);
}

TEST_F(ProjectConfigTest, MissedSlotsAndOverlap) {
  const std::string text = R"json({
    "retention_days": 2,
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "a": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "missed_slots": {"policy": "ALL", "window_minutes": 2880}, "overlap": "BUFFER_ONE"},
      "b": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "missed_slots": {"policy": "LATEST"}, "overlap": "SKIP"},
      "c": {"expression": "rate(1 hour)", "state_machine": "trigger"}
    }
  })json";
  Result<ProjectConfig> config = Parse(text);
  ASSERT_TRUE(config.ok()) << config.error().cause;
  using Missed = ScheduleConfig::MissedSlots;
  using Overlap = ScheduleConfig::Overlap;
  EXPECT_EQ(config->schedules.at("a").missed_slots, Missed::kAll);
  EXPECT_EQ(config->schedules.at("a").catch_up_window_minutes, 2880);
  EXPECT_EQ(config->schedules.at("a").overlap, Overlap::kBufferOne);
  EXPECT_EQ(config->schedules.at("b").missed_slots, Missed::kLatest);
  EXPECT_EQ(config->schedules.at("b").catch_up_window_minutes, 1440);
  EXPECT_EQ(config->schedules.at("b").overlap, Overlap::kSkip);
  EXPECT_EQ(config->schedules.at("c").missed_slots, Missed::kSkip);  // as AWS
  EXPECT_EQ(config->schedules.at("c").overlap, Overlap::kAllow);

  std::string cause = Problems(R"json({
    "retention_days": 1,
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "a": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "missed_slots": {"policy": "EVERY", "window_minutes": 1441}, "overlap": "QUEUE"},
      "b": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "missed_slots": {"window": 5}},
      "c": {"expression": "rate(1 hour)", "state_machine": "trigger", "missed_slots": "ALL"}
    }
  })json");
  for (const char* expected : {
           "schedules.a.missed_slots.policy: expected \"SKIP\", \"LATEST\" or \"ALL\", got 'EVERY'",
           "schedules.a.missed_slots.window_minutes: expected an integer from 1 to 1440, got 1441",
           "schedules.a.overlap: expected \"ALLOW\", \"SKIP\" or \"BUFFER_ONE\", got 'QUEUE'",
           "schedules.b.missed_slots.policy: missing",
           "schedules.b.missed_slots.window: unknown field",
           "schedules.c.missed_slots: expected {",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
}

TEST_F(ProjectConfigTest, ScheduleOptionProblems) {
  const std::string text = R"json({
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "schedules": {
      "a": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_minutes": 0}},
      "b": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "flexible_time_window": {"mode": "FLEXIBLE"}},
      "c": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "flexible_time_window": {"mode": "ON", "maximum_windows_minutes": 5}},
      "d": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "flexible_time_window": {"mode": "OFF", "maximum_window_minutes": 5}},
      "e": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "start_date": "2026-12-01", "end_date": 5},
      "f": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "start_date": "2026-12-01T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
      "g": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "retry_policy": {"maximum_retry_attempts": 186, "maximum_event_age_seconds": 59}},
      "h": {"expression": "rate(1 hour)", "state_machine": "trigger",
            "retry_policy": 3, "action_after_completion": "delete",
            "flexible_time_window": "OFF"}
    }
  })json";
  std::string cause = Problems(text);
  for (const char* expected : {
           "autoretrain.json: schedules.a.flexible_time_window.maximum_window_minutes: expected "
           "an integer from 1 to 1440, got 0",
           "schedules.b.flexible_time_window.maximum_window_minutes: missing (mode FLEXIBLE "
           "needs an integer from 1 to 1440)",
           "schedules.c.flexible_time_window.mode: expected \"OFF\" or \"FLEXIBLE\", got 'ON'",
           "schedules.c.flexible_time_window.maximum_windows_minutes: unknown field (did you "
           "mean 'maximum_window_minutes'?)",
           "schedules.d.flexible_time_window.maximum_window_minutes: only allowed with mode "
           "\"FLEXIBLE\"",
           "schedules.e.start_date: expected an ISO 8601 date and time with a zone "
           "(\"2026-12-01T00:00:00Z\"), got '2026-12-01'",
           "schedules.e.end_date: expected a string, got number",
           "schedules.f.end_date: must be after start_date",
           "schedules.g.retry_policy.maximum_retry_attempts: expected an integer from 0 to 185, "
           "got 186",
           "schedules.g.retry_policy.maximum_event_age_seconds: expected an integer from 60 to "
           "86400, got 59",
           "schedules.h.retry_policy: expected {",
           "schedules.h.action_after_completion: expected \"NONE\" or \"DELETE\", got 'delete'",
           "schedules.h.flexible_time_window: expected {",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
}

TEST_F(ProjectConfigTest, Integrations) {
  Result<ProjectConfig> config = Parse(R"json({
    "integrations": {
      "states": {"backend": "remote", "region": "eu-west-1",
                 "endpoint_url": "http://127.0.0.1:8083/"},
      "lambda": {"remote_resources": ["arn:aws:lambda:us-east-1:123456789012:function:train",
                                      "arn:aws:lambda:eu-west-1:123456789012:function:*"]}
    }
  })json");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const IntegrationsConfig& integrations = config->integrations;
  EXPECT_TRUE(integrations.states.remote.all);
  EXPECT_EQ(integrations.states.region, "eu-west-1");
  EXPECT_EQ(integrations.states.endpoint_url, "http://127.0.0.1:8083");
  const ServiceBackendConfig& lambda = integrations.lambda;
  EXPECT_FALSE(lambda.remote.all);
  EXPECT_TRUE(lambda.AnyRemote());
  EXPECT_EQ(lambda.remote.patterns,
            (std::vector<std::string>{"arn:aws:lambda:us-east-1:123456789012:function:train",
                                      "arn:aws:lambda:eu-west-1:123456789012:function:*"}));
  // Untouched services stay local.
  EXPECT_FALSE(integrations.sns.AnyRemote());
  EXPECT_FALSE(integrations.dynamodb.AnyRemote());
}

TEST_F(ProjectConfigTest, NotificationIntegrations) {
  Result<ProjectConfig> config = Parse(R"json({
    "integrations": {
      "sns": {"topics": [{"name": "alerts.fifo", "content_based_deduplication": true,
                          "subscriptions": [{"protocol": "https", "endpoint": "https://h/x",
                                             "raw_message_delivery": true}]}]},
      "http": {"allow_plain_http": false, "connections": [
        {"arn": "arn:aws:events:us-east-1:123456789012:connection/ops/1",
         "authorization_type": "OAUTH_CLIENT_CREDENTIALS",
         "authorization_endpoint": "https://auth/token", "client_id": "id",
         "client_secret_env": "SECRET", "oauth_body": [{"key": "scope", "value": "ops"}],
         "headers": [{"key": "x-team", "value_env": "TEAM"}]}]}
    }
  })json");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const IntegrationsConfig& integrations = config->integrations;
  ASSERT_EQ(integrations.sns_topics.size(), 1u);
  const aws::LocalSnsTopic& topic = integrations.sns_topics[0];
  EXPECT_EQ(topic.name, "alerts.fifo");
  EXPECT_TRUE(topic.content_based_deduplication);
  ASSERT_EQ(topic.subscriptions.size(), 1u);
  EXPECT_EQ(topic.subscriptions[0].endpoint, "https://h/x");
  EXPECT_TRUE(topic.subscriptions[0].raw_message_delivery);
  EXPECT_FALSE(integrations.http_allow_plain_http);
  ASSERT_EQ(integrations.http_connections.size(), 1u);
  const aws::HttpConnection& connection = integrations.http_connections[0];
  EXPECT_EQ(connection.auth, aws::ConnectionAuth::kOAuthClientCredentials);
  EXPECT_EQ(connection.client_secret_env, "SECRET");
  ASSERT_EQ(connection.oauth_body.size(), 1u);
  EXPECT_EQ(connection.oauth_body[0].value, "ops");
  ASSERT_EQ(connection.headers.size(), 1u);
  EXPECT_EQ(connection.headers[0].value_env, "TEAM");
}

TEST_F(ProjectConfigTest, ModelsAndRetraining) {
  Result<ProjectConfig> defaults = Parse("{}");
  ASSERT_TRUE(defaults.ok()) << defaults.error().cause;
  EXPECT_EQ(defaults->retraining.history_table, "autoretrain-retraining-history");
  EXPECT_TRUE(defaults->retraining.models.empty());
  EXPECT_FALSE(defaults->retraining.reject_unknown_models);
  Result<ProjectConfig> config = Parse(R"json({
    "models": {"fraud": {"policy": {"cooldown_hours": 6, "min_severity": "HIGH"}},
               "churn": {}},
    "retraining": {"history_table": "ml.history", "unknown_models": "reject"}
  })json");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const RetrainingConfig& retraining = config->retraining;
  EXPECT_EQ(retraining.history_table, "ml.history");
  EXPECT_TRUE(retraining.reject_unknown_models);
  ASSERT_EQ(retraining.models.size(), 2u);
  EXPECT_EQ(retraining.models.at("fraud").policy.cooldown_hours, 6);
  EXPECT_EQ(retraining.models.at("fraud").policy.min_severity, Severity::kHigh);
  EXPECT_EQ(retraining.models.at("churn").policy.cooldown_hours, ModelPolicy{}.cooldown_hours);
  std::string cause = Problems(R"json({
    "models": {"fraud": {"policy": {"cooldown_hours": -1}, "schedule": "x"}, "m": 3},
    "retraining": {"history_table": "ab", "unknown_models": "fail", "table": "x"}
  })json");
  for (const char* expected : {
           "models.fraud.policy.cooldown_hours: expected an integer",
           "models.fraud.schedule: unknown field",
           "models.m: expected {\"policy\": {...}, \"decision\": {...}, \"pipeline\": NAME}",
           "retraining.history_table: expected a DynamoDB table name",
           "retraining.unknown_models: expected \"default\" or \"reject\", got 'fail'",
           "retraining.table: unknown field",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
}

TEST_F(ProjectConfigTest, Alerts) {
  Result<ProjectConfig> config = Parse(R"json({"alerts": {
    "console_url": "http://127.0.0.1:8083/",
    "slack": [{"webhook_url_env": "SLACK_URL"}, {"webhook_url_env": "OPS", "max_attempts": 2}]
  }})json");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->alerts.console_url, "http://127.0.0.1:8083");
  ASSERT_EQ(config->alerts.slack.size(), 2u);
  EXPECT_EQ(config->alerts.slack[0].webhook_url_env, "SLACK_URL");
  EXPECT_EQ(config->alerts.slack[0].max_attempts, 5);
  EXPECT_EQ(config->alerts.slack[1].max_attempts, 2);
  std::string cause = Problems(R"json({"alerts": {
    "slack": [{"webhook_url": "https://hooks.slack.com/x"}, {"webhook_url_env": "A",
              "max_attempts": 0}], "console_url": "console", "sns": []}})json");
  for (const char* expected : {
           "alerts.slack[0].webhook_url: unknown field",
           "alerts.slack[0].webhook_url_env: ",
           "alerts.slack[1].max_attempts: expected an integer from 1 to 10",
           "alerts.console_url: expected an http(s) URL",
           "alerts.sns: unknown field",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
  // The URL itself never reaches the configuration's messages.
  EXPECT_EQ(cause.find("hooks.slack.com"), std::string::npos) << cause;
}

TEST_F(ProjectConfigTest, IntegrationProblems) {
  std::string cause = Problems(R"json({
    "integrations": {
      "states": {"backend": "aws", "remote_resources": "arn:aws:states:::x"},
      "lambda": {"remote_resources": ["arn:aws:states:us-east-1:1:stateMachine:x", 3],
                 "endpoint": "http://x"},
      "sns": {"region": "Europe", "endpoint_url": "ftp://x",
              "topics": [{"name": 1, "subscriptions": {}}]},
      "http": {"connections": [{"authorization_type": "TOKEN",
                                "headers": [{"key": "k", "value": "v", "value_env": "V"}]}]},
      "sqs": {}
    }
  })json");
  for (const char* expected : {
           "integrations.states.backend: expected \"local\" or \"remote\", got 'aws'",
           "integrations.states.remote_resources: expected an array of ARNs, got string",
           "integrations.lambda.remote_resources[0]: expected an ARN of the lambda service",
           "integrations.lambda.remote_resources[1]: expected an ARN of the lambda service",
           "integrations.lambda.endpoint: unknown field",
           "integrations.sns.region: expected an AWS region",
           "integrations.sns.endpoint_url: expected an http(s) URL",
           "integrations.sqs: unknown field",
           "integrations.sns.topics[0].name: expected a string",
           "integrations.sns.topics[0].subscriptions: expected an array",
           "integrations.http.connections[0].arn: ",
           "integrations.http.connections[0].authorization_type: expected \"API_KEY\"",
           "integrations.http.connections[0].headers[0]: expected exactly one of",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
}

TEST(DidYouMeanTest, SuggestsOnlyCloseNames) {
  EXPECT_EQ(DidYouMean("regoin", {"region", "account_id"}), " (did you mean 'region'?)");
  EXPECT_EQ(DidYouMean("Region", {"region"}), " (did you mean 'region'?)");
  EXPECT_EQ(DidYouMean("zzzzzz", {"region", "account_id"}), "");
}

// A chain of Pass states S0 -> S1 -> ... ending in a Succeed, as many as fit in `bytes`
// (padded with spaces to exactly that size).
std::string PassChainOfSize(size_t bytes) {
  std::string states;
  int count = 0;
  for (;;) {
    const std::string n = std::to_string(count);
    const std::string next = std::to_string(count + 1);
    const std::string state = R"("S)" + n + R"(":{"Type":"Pass","Next":"S)" + next + R"("},)";
    if (states.size() + state.size() + 100 > bytes) break;
    states += state;
    ++count;
  }
  std::string text = R"({"StartAt":"S0","States":{)" + states + R"("S)" + std::to_string(count) +
                     R"(":{"Type":"Succeed"}}})";
  return text + std::string(bytes - text.size(), ' ');
}

TEST_F(ProjectConfigTest, DefinitionFilesAreLimitedToOneMebibyteWhateverTheirStateCount) {
  // As many states as AWS's 1 MiB definition quota holds compile; that size bounds the count.
  const fs::path path = dir_ / "sm" / "big.asl.json";
  std::ofstream(path) << PassChainOfSize(kMaxDefinitionBytes);
  Result<std::shared_ptr<const asl::StateMachine>> machine = LoadDefinition(path.string());
  ASSERT_TRUE(machine.ok()) << machine.error().cause;
  EXPECT_GT((*machine)->states.size(), 25000u);
  // One byte more is refused before it is parsed.
  std::ofstream(path, std::ios::app) << ' ';
  machine = LoadDefinition(path.string());
  ASSERT_FALSE(machine.ok());
  EXPECT_EQ(machine.error().error, "DefinitionNotReadable");
  EXPECT_NE(machine.error().cause.find("is larger than 1048576 bytes"), std::string::npos)
      << machine.error().cause;
}

TEST(ReadFileLimitedTest, StopsAtTheLimit) {
  Result<std::string> zero = ReadFileLimited("/dev/zero", 16);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().error, "FileTooLarge");
  Result<std::string> missing = ReadFileLimited("/nonexistent/file", 16);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "FileNotReadable");
}

TEST_F(ProjectConfigTest, ModelsNameTheirDecisionPipelineAndScheduleTheTrigger) {
  Result<ProjectConfig> config = Parse(R"json({
    "state_machines": {"creditcard-policy-retraining-trigger": {"definition": "sm/a.asl.json"},
                       "fraud-pipeline": {"definition": "sm/a.asl.json"}},
    "functions": {"check_retraining_decision": {"builtin": "check_retraining_decision",
                                                "bucket": "monitoring", "key": "default.csv"}},
    "models": {
      "fraud": {"decision": {"bucket": "ml", "key": "fraud/decision.csv"},
                "pipeline": "fraud-pipeline"},
      "churn": {"pipeline": "arn:aws:states:eu-west-1:999999999999:stateMachine:churn"}},
    "check": {"model": "fraud"},
    "schedules": {"churn-daily": {"expression": "rate(1 day)", "model": "churn"}}
  })json");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const std::string trigger(kPolicyTriggerName);
  EXPECT_EQ(config->check_state_machine, trigger);
  EXPECT_EQ(
      json::Serialize(config->check_input),
      R"({"model":"fraud","decision_location":{"bucket":"ml","key":"fraud/decision.csv"},)"
      R"("pipeline_arn":"arn:aws:states:us-east-1:123456789012:stateMachine:fraud-pipeline"})");
  const ScheduleConfig& daily = config->schedules.at("churn-daily");
  EXPECT_EQ(daily.state_machine, trigger);
  EXPECT_EQ(daily.model, "churn");
  // Without its own location, the decision function's configured one.
  EXPECT_EQ(json::Serialize(daily.input),
            R"({"model":"churn","decision_location":{"bucket":"monitoring","key":"default.csv"},)"
            R"("pipeline_arn":"arn:aws:states:eu-west-1:999999999999:stateMachine:churn"})");
}

TEST_F(ProjectConfigTest, ModelTargetsReportWhatIsMissing) {
  std::string cause = Problems(R"json({
    "state_machines": {"trigger": {"definition": "sm/a.asl.json"}},
    "models": {"fraud": {}, "churn": {"pipeline": "trainer", "decision": {"bucket": ""}}},
    "retraining": {"trigger": "trigger"},
    "check": {"model": "fraud", "input": {}},
    "schedules": {"a": {"expression": "rate(1 day)", "model": "fraud"},
                  "b": {"expression": "rate(1 day)", "model": "frau"}}
  })json");
  for (const char* expected : {
           "check: give either \"model\" or \"state_machine\" (and \"input\")",
           "schedules.a.model: models.fraud.pipeline: not set",
           "schedules.b.model: models: no model named 'frau'",
           "(did you mean 'fraud'?)",
           "models.churn.pipeline: 'trainer' is neither one of the configured state_machines",
           "models.churn.decision.bucket: expected a bucket name",
           "models.churn.decision.key: missing",
       }) {
    EXPECT_NE(cause.find(expected), std::string::npos) << expected << "\nin:\n" << cause;
  }
  // The trigger must be a project state machine.
  EXPECT_NE(
      Problems(R"json({"models": {"m": {}}, "check": {"model": "m"}})json")
          .find("check.model: the retraining trigger 'creditcard-policy-retraining-trigger' is "
                "not one of the configured state_machines"),
      std::string::npos);
}

}  // namespace
}  // namespace autoretrain::retrain
