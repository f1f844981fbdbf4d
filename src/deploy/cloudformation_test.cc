#include "autoretrain/deploy/cloudformation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace autoretrain::deploy {
namespace {

namespace fs = std::filesystem;

class CloudFormationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("deploy-cfn-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "state_machines");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(dir_ / relative) << text;
  }

  // Exports the project whose autoretrain.json is `config`.
  Result<ExportedTemplate> Export(const std::string& config) {
    Result<retrain::ProjectConfig> project = retrain::ParseProjectConfig(config, dir_.string());
    EXPECT_TRUE(project.ok()) << (project.ok() ? "" : project.error().cause);
    if (!project.ok()) return project.error();
    return ExportCloudFormation(*project);
  }

  const json::Object& Resource(const ExportedTemplate& t, const std::string& id) {
    return t.body.at("Resources").at(id).get_object();
  }

  fs::path dir_;
};

constexpr const char* kTrigger = R"({
  "StartAt": "Read",
  "States": {
    "Read": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "check_retraining_decision"}, "Next": "Start"},
    "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
              "Parameters": {"StateMachineArn": "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE",
                             "Input": {"run": "all"}}, "Next": "Pipeline"},
    "Pipeline": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                 "Parameters": {"StateMachineArn":
                   "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline"}, "Next": "Record"},
    "Record": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
               "Parameters": {"TableName": "autoretrain-retraining-history", "Item": {}},
               "Next": "Alert"},
    "Alert": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
              "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts",
                             "Message": "retraining"}, "End": true}
  }
})";

constexpr const char* kPipeline = R"({"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}})";

constexpr const char* kConfig = R"cfg({
  "state_machines": {
    "trigger": {"definition": "state_machines/trigger.asl.json"},
    "pipeline": {"definition": "state_machines/pipeline.asl.json"}
  },
  "functions": {
    "check_retraining_decision": {"builtin": "check_retraining_decision",
      "bucket": "mlops-creditcard",
      "key": "monitoring_outputs/retraining_decision/retraining_decision.csv"}
  },
  "schedules": {
    "weekly": {"expression": "cron(0 3 ? * MON *)", "timezone": "Asia/Kolkata",
               "state_machine": "trigger", "input": {"a": 1},
               "flexible_time_window": {"mode": "FLEXIBLE", "maximum_window_minutes": 15},
               "retry_policy": {"maximum_retry_attempts": 3, "maximum_event_age_seconds": 600}}
  }
})cfg";

TEST_F(CloudFormationTest, DefinitionsAreKeptAsTheyAreWithTheirArnsSubstituted) {
  Write("state_machines/trigger.asl.json", kTrigger);
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(kConfig);
  ASSERT_TRUE(t.ok()) << t.error().cause;
  const json::Object& machine = Resource(*t, "TriggerStateMachine");
  EXPECT_EQ(machine.at("Type"), "AWS::StepFunctions::StateMachine");
  const json::Object& properties = machine.at("Properties").get_object();
  EXPECT_EQ(properties.at("StateMachineName"), "trigger");
  std::string definition(properties.at("DefinitionString").get_string());
  // Replacing each ${Key} back with the ARN it stands for gives the file byte for byte.
  std::string restored = definition;
  auto restore = [&](const std::string& key, const std::string& value) {
    for (size_t at; (at = restored.find("${" + key + "}")) != std::string::npos;) {
      restored.replace(at, key.size() + 3, value);
    }
  };
  restore("PipelineArn", "PASTE_YOUR_MAIN_PIPELINE_ARN_HERE");
  restore("StatesStateMachinePipelineArn",
          "arn:aws:states:us-east-1:123456789012:stateMachine:pipeline");
  restore("SnsAlertsArn", "arn:aws:sns:us-east-1:123456789012:alerts");
  EXPECT_EQ(restored, kTrigger);
  const json::Object& substitutions = properties.at("DefinitionSubstitutions").get_object();
  EXPECT_EQ(substitutions.at("PipelineArn"), (json::Object{{"Ref", "PipelineArn"}}));
  EXPECT_EQ(substitutions.at("StatesStateMachinePipelineArn"),
            (json::Object{{"Fn::Sub",
                           "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
                           "stateMachine:pipeline"}}));
  EXPECT_TRUE(t->body.at("Parameters").get_object().contains("PipelineArn"));
  // The pipeline's definition has nothing to substitute.
  EXPECT_FALSE(Resource(*t, "PipelineStateMachine")
                   .at("Properties")
                   .get_object()
                   .contains("DefinitionSubstitutions"));
}

TEST_F(CloudFormationTest, TheTriggerRoleGrantsWhatItsTasksCall) {
  Write("state_machines/trigger.asl.json", kTrigger);
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(kConfig);
  ASSERT_TRUE(t.ok()) << t.error().cause;
  const json::Value& role = Resource(*t, "TriggerStateMachineRole").at("Properties");
  const json::Array& statements =
      role.at("Policies").at(0).at("PolicyDocument").at("Statement").get_array();
  std::vector<std::string> actions;
  for (const json::Value& s : statements) {
    for (const json::Value& a : s.at("Action").get_array()) actions.emplace_back(a.get_string());
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"lambda:InvokeFunction", "states:StartExecution",
                                      "states:DescribeExecution", "states:StopExecution",
                                      "events:PutTargets", "events:PutRule", "events:DescribeRule",
                                      "dynamodb:PutItem", "sns:Publish"}));
  EXPECT_EQ(Resource(*t, "TriggerStateMachine").at("Properties").at("RoleArn"),
            (json::Object{{"Fn::GetAtt", json::Array{"TriggerStateMachineRole", "Arn"}}}));
  // The pipeline calls nothing: its role has no policy.
  EXPECT_FALSE(
      Resource(*t, "PipelineStateMachineRole").at("Properties").get_object().contains("Policies"));
}

TEST_F(CloudFormationTest, TheDecisionFunctionGetsTheSeedsInlinePolicy) {
  Write("state_machines/trigger.asl.json", kTrigger);
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(kConfig);
  ASSERT_TRUE(t.ok()) << t.error().cause;
  const json::Object& function =
      Resource(*t, "CheckRetrainingDecisionFunction").at("Properties").get_object();
  EXPECT_EQ(function.at("FunctionName"), "check_retraining_decision");
  EXPECT_EQ(function.at("Runtime"), "provided.al2023");
  EXPECT_EQ(function.at("Handler"), "bootstrap");
  const json::Value& role = Resource(*t, "CheckRetrainingDecisionFunctionRole").at("Properties");
  EXPECT_EQ(role.at("Policies").at(0).at("PolicyDocument"),
            (json::Object{
                {"Version", "2012-10-17"},
                {"Statement",
                 json::Array{json::Object{
                     {"Effect", "Allow"},
                     {"Action", "s3:GetObject"},
                     {"Resource",
                      json::Object{{"Fn::Sub",
                                    "arn:${AWS::Partition}:s3:::${CheckRetrainingDecisionBucket}/"
                                    "monitoring_outputs/retraining_decision/*"}}}}}}}));
  EXPECT_EQ(t->body.at("Parameters").at("CheckRetrainingDecisionBucket").at("Default"),
            "mlops-creditcard");
}

TEST_F(CloudFormationTest, SchedulesTablesAndTopics) {
  Write("state_machines/trigger.asl.json", kTrigger);
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(kConfig);
  ASSERT_TRUE(t.ok()) << t.error().cause;
  const json::Object& schedule = Resource(*t, "WeeklySchedule").at("Properties").get_object();
  EXPECT_EQ(schedule.at("ScheduleExpression"), "cron(0 3 ? * MON *)");
  EXPECT_EQ(schedule.at("ScheduleExpressionTimezone"), "Asia/Kolkata");
  EXPECT_EQ(schedule.at("FlexibleTimeWindow"),
            (json::Object{{"Mode", "FLEXIBLE"}, {"MaximumWindowInMinutes", 15}}));
  const json::Object& target = schedule.at("Target").get_object();
  EXPECT_EQ(target.at("Input"), R"({"a":1})");
  EXPECT_EQ(target.at("RetryPolicy"),
            (json::Object{{"MaximumRetryAttempts", 3}, {"MaximumEventAgeInSeconds", 600}}));
  EXPECT_EQ(target.at("DeadLetterConfig").at("Arn"),
            (json::Object{{"Fn::GetAtt", json::Array{"WeeklyScheduleDeadLetterQueue", "Arn"}}}));
  // The history table, used by the Record state, with the ledger's key schema.
  const json::Object& table =
      Resource(*t, "AutoretrainRetrainingHistoryTable").at("Properties").get_object();
  EXPECT_EQ(table.at("TableName"), "autoretrain-retraining-history");
  EXPECT_EQ(table.at("KeySchema").at(0).at("AttributeName"), "model");
  EXPECT_EQ(table.at("KeySchema").at(1).at("KeyType"), "RANGE");
  EXPECT_EQ(Resource(*t, "AlertsTopic").at("Properties").at("TopicName"), "alerts");
  EXPECT_EQ(Resource(*t, "AlertsTopicEmailSubscription").at("Condition"), "HasAlertEmail");
}

TEST_F(CloudFormationTest, AnInvalidDefinitionNamesItsFile) {
  Write("state_machines/trigger.asl.json", R"({"StartAt":"Nowhere","States":{}})");
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(kConfig);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().error, "InvalidDefinition");
  EXPECT_NE(t.error().cause.find("trigger.asl.json"), std::string::npos) << t.error().cause;
}

TEST_F(CloudFormationTest, FunctionsTheStackDoesNotCreateAreWarnedAbout) {
  Write("state_machines/trigger.asl.json",
        R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"train_model"},"End":true}}})");
  Write("state_machines/pipeline.asl.json", kPipeline);
  Result<ExportedTemplate> t = Export(R"({"state_machines": {
    "trigger": {"definition": "state_machines/trigger.asl.json"}}})");
  ASSERT_TRUE(t.ok()) << t.error().cause;
  ASSERT_EQ(t->warnings.size(), 1u);
  EXPECT_NE(t->warnings[0].find("function train_model is invoked"), std::string::npos);
}

TEST(YamlTest, BlockStyleWithJsonScalars) {
  json::Value value = json::Object{
      {"A", 1},
      {"Fn::Sub", "x"},
      {"List", json::Array{"a", json::Object{{"K", true}, {"L", nullptr}}, json::Array{}}},
      {"Empty", json::Object{}},
      {"Text", "line 1\n  line 2\n"}};
  EXPECT_EQ(ToYaml(value),
            "A: 1\n"
            "\"Fn::Sub\": \"x\"\n"
            "List:\n"
            "  - \"a\"\n"
            "  - K: true\n"
            "    L: null\n"
            "  - []\n"
            "Empty: {}\n"
            "Text: |\n"
            "  line 1\n"
            "    line 2\n");
}

TEST(YamlTest, StringsALiteralBlockCannotKeepStayQuoted) {
  EXPECT_EQ(ToYaml(json::Object{{"T", "  indented\nx"}}), "T: \"  indented\\nx\"\n");
  EXPECT_EQ(ToYaml(json::Object{{"T", "a\n   \nb"}}), "T: \"a\\n   \\nb\"\n");
  EXPECT_EQ(ToYaml(json::Object{{"T", "a\r\nb"}}), "T: \"a\\r\\nb\"\n");
  EXPECT_EQ(ToYaml(json::Object{{"T", "a\nb"}}), "T: |-\n  a\n  b\n");
  EXPECT_EQ(ToYaml(json::Object{{"On", 1}, {"No", 2}}), "\"On\": 1\n\"No\": 2\n");
  EXPECT_EQ(ToYaml(json::Object{{"T", "a\n\n"}}), "T: |+\n  a\n\n");
}

}  // namespace
}  // namespace autoretrain::deploy
