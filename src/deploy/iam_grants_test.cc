#include "deploy/iam_grants.h"

#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"

namespace autoretrain::deploy {
namespace {

std::shared_ptr<const asl::StateMachine> Compile(std::string_view text) {
  asl::CompileResult result = asl::CompileText(text);
  auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&result);
  EXPECT_NE(machine, nullptr) << text;
  return machine != nullptr ? *machine : nullptr;
}

std::vector<IamGrant> Grants(std::string_view text, std::vector<std::string>* warnings = nullptr) {
  std::shared_ptr<const asl::StateMachine> machine = Compile(text);
  if (!machine) return {};
  return MergeGrants(GrantsForDefinition(*machine, "m", AccountContext{}, warnings));
}

std::string Task(std::string_view resource, std::string_view parameters) {
  return R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + std::string(resource) +
         R"(","Parameters":)" + std::string(parameters) + R"(,"End":true}}})";
}

constexpr const char* kLambda = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:";
constexpr const char* kStates = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:";

TEST(ArnTemplateTest, TheProjectsAccountBecomesPseudoParameters) {
  AccountContext account;
  EXPECT_EQ(ArnTemplate("arn:aws:states:us-east-1:123456789012:stateMachine:p", account),
            std::string(kStates) + "stateMachine:p");
  EXPECT_EQ(ArnTemplate("arn:aws:iam::123456789012:role/r", account),
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/r");
  // Another account or region stays literal.
  EXPECT_EQ(ArnTemplate("arn:aws:states:us-east-1:999999999999:stateMachine:p", account),
            "arn:aws:states:us-east-1:999999999999:stateMachine:p");
  EXPECT_EQ(ArnTemplate("arn:aws:sns:eu-west-1:123456789012:t", account),
            "arn:aws:sns:eu-west-1:123456789012:t");
  // Fn::Sub would read ${...}: it is escaped.
  EXPECT_EQ(ArnTemplate("arn:aws:sns:eu-west-1:1:${x}", account), "arn:aws:sns:eu-west-1:1:${!x}");
}

TEST(IamGrantsTest, TheSeedTriggerInvokesItsFunctionAndStartsItsPipeline) {
  std::vector<IamGrant> grants = Grants(R"({
    "StartAt": "Read",
    "States": {
      "Read": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
               "Parameters": {"FunctionName": "check_retraining_decision"}, "Next": "Start"},
      "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
                "Parameters": {"StateMachineArn":
                  "arn:aws:states:us-east-1:123456789012:stateMachine:creditcard-training-pipeline",
                  "Input": {"run": "all"}}, "End": true}}})");
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].actions, std::vector<std::string>{"lambda:InvokeFunction"});
  EXPECT_EQ(
      grants[0].resources,
      (std::vector<std::string>{std::string(kLambda) + "function:check_retraining_decision",
                                std::string(kLambda) + "function:check_retraining_decision:*"}));
  EXPECT_EQ(grants[1].actions, std::vector<std::string>{"states:StartExecution"});
  EXPECT_EQ(
      grants[1].resources,
      std::vector<std::string>{std::string(kStates) + "stateMachine:creditcard-training-pipeline"});
  EXPECT_NE(grants[0].reason.find("Read"), std::string::npos);
}

TEST(IamGrantsTest, SyncAddsWhatStepFunctionsNeedsToWatchTheExecution) {
  std::vector<IamGrant> grants =
      Grants(Task("arn:aws:states:::states:startExecution.sync:2",
                  R"({"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:p"})"));
  ASSERT_EQ(grants.size(), 3u);
  EXPECT_EQ(grants[1].actions,
            (std::vector<std::string>{"states:DescribeExecution", "states:StopExecution"}));
  EXPECT_EQ(grants[1].resources, std::vector<std::string>{std::string(kStates) + "execution:p:*"});
  EXPECT_EQ(grants[2].actions, (std::vector<std::string>{"events:PutTargets", "events:PutRule",
                                                         "events:DescribeRule"}));
  EXPECT_EQ(grants[2].resources[0],
            "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
            "StepFunctionsGetEventsForStepFunctionsExecutionRule");
}

TEST(IamGrantsTest, DynamoDbSnsAndS3AreScopedToTheirTargets) {
  EXPECT_EQ(Grants(Task("arn:aws:states:::dynamodb:updateItem", R"({"TableName":"h"})"))[0].actions,
            std::vector<std::string>{"dynamodb:UpdateItem"});
  EXPECT_EQ(Grants(Task("arn:aws:states:::dynamodb:putItem", R"({"TableName":"h"})"))[0].resources,
            std::vector<std::string>{
                "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/h"});
  std::vector<IamGrant> query =
      Grants(Task("arn:aws:states:::aws-sdk:dynamodb:query", R"({"TableName":"h"})"));
  EXPECT_EQ(query[0].actions, std::vector<std::string>{"dynamodb:Query"});
  EXPECT_EQ(query[0].resources.size(), 2u);  // the table and its indexes
  std::vector<IamGrant> sns =
      Grants(Task("arn:aws:states:::sns:publish",
                  R"({"TopicArn":"arn:aws:sns:us-east-1:123456789012:alerts","Message":"m"})"));
  EXPECT_EQ(sns[0].actions, std::vector<std::string>{"sns:Publish"});
  EXPECT_EQ(sns[0].resources,
            std::vector<std::string>{
                "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts"});
  std::vector<IamGrant> s3 =
      Grants(Task("arn:aws:states:::aws-sdk:s3:getObject", R"({"Bucket":"b","Key.$":"$.key"})"));
  EXPECT_EQ(s3[0].actions, std::vector<std::string>{"s3:GetObject"});
  EXPECT_EQ(s3[0].resources, std::vector<std::string>{"arn:${AWS::Partition}:s3:::b/*"});
}

TEST(IamGrantsTest, ATargetChosenAtRunTimeIsGrantedBroadlyWithAWarning) {
  std::vector<std::string> warnings;
  std::vector<IamGrant> grants =
      Grants(Task("arn:aws:states:::lambda:invoke", R"({"FunctionName.$":"$.f"})"), &warnings);
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].resources, std::vector<std::string>{std::string(kLambda) + "function:*"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("m: state T: FunctionName is chosen at run time"), std::string::npos);
}

TEST(IamGrantsTest, NestedBranchesAndMapProcessorsAreWalked) {
  std::vector<IamGrant> grants = Grants(R"({"StartAt":"P","States":{"P":{"Type":"Parallel",
    "Branches":[{"StartAt":"A","States":{"A":{"Type":"Task",
      "Resource":"arn:aws:lambda:us-east-1:123456789012:function:a","End":true}}}],
    "Next":"M"},
    "M":{"Type":"Map","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"b:live"},
      "End":true}}},"End":true}}})");
  ASSERT_EQ(grants.size(), 1u);  // merged: one action
  EXPECT_EQ(grants[0].resources,
            (std::vector<std::string>{std::string(kLambda) + "function:a",
                                      std::string(kLambda) + "function:a:*",
                                      std::string(kLambda) + "function:b:live"}));
}

TEST(IamGrantsTest, UnknownResourcesGrantNothingAndSaySo) {
  std::vector<std::string> warnings;
  EXPECT_TRUE(
      Grants(Task("arn:aws:states:::glue:startJobRun", R"({"JobName":"j"})"), &warnings).empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("add the permission to the role by hand"), std::string::npos);
  // Activities need nothing from the state machine's role.
  warnings.clear();
  EXPECT_TRUE(Grants(R"({"StartAt":"A","States":{"A":{"Type":"Task",
    "Resource":"arn:aws:states:us-east-1:123456789012:activity:x","End":true}}})",
                     &warnings)
                  .empty());
  EXPECT_TRUE(warnings.empty());
}

}  // namespace
}  // namespace autoretrain::deploy
