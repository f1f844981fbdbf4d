#include "autoretrain/common/arn.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

namespace autoretrain {
namespace {

TEST(ArnTest, BuildersUseTheDefaultAccount) {
  AccountContext ctx;
  EXPECT_EQ(StateMachineArn(ctx, "Trigger"),
            "arn:aws:states:us-east-1:123456789012:stateMachine:Trigger");
  EXPECT_EQ(ExecutionArn(ctx, "Trigger", "run-1"),
            "arn:aws:states:us-east-1:123456789012:execution:Trigger:run-1");
  EXPECT_EQ(LambdaFunctionArn(ctx, "check_retraining_decision"),
            "arn:aws:lambda:us-east-1:123456789012:function:check_retraining_decision");
}

TEST(ArnTest, BuildersUseTheGivenPartitionRegionAndAccount) {
  AccountContext ctx{"aws-cn", "cn-north-1", "000000000000"};
  EXPECT_EQ(StateMachineArn(ctx, "m"), "arn:aws-cn:states:cn-north-1:000000000000:stateMachine:m");
  EXPECT_EQ(ExecutionArn(ctx, "m", "e"), "arn:aws-cn:states:cn-north-1:000000000000:execution:m:e");
  EXPECT_EQ(LambdaFunctionArn(ctx, "f"), "arn:aws-cn:lambda:cn-north-1:000000000000:function:f");
}

TEST(ParseArnTest, SplitsTheFiveFixedPartsAndKeepsResourceColons) {
  auto arn = ParseArn("arn:aws:states:us-east-1:123456789012:execution:Trigger:run-1");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->service, "states");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account, "123456789012");
  EXPECT_EQ(arn->resource, "execution:Trigger:run-1");
}

TEST(ParseArnTest, ServiceIntegrationArnsHaveEmptyRegionAndAccount) {
  auto arn = ParseArn("arn:aws:states:::lambda:invoke");
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->service, "states");
  EXPECT_EQ(arn->region, "");
  EXPECT_EQ(arn->account, "");
  EXPECT_EQ(arn->resource, "lambda:invoke");
}

TEST(ParseArnTest, RoundTripsTheBuilders) {
  AccountContext ctx;
  auto arn = ParseArn(LambdaFunctionArn(ctx, "fn"));
  ASSERT_TRUE(arn.has_value());
  EXPECT_EQ(arn->service, "lambda");
  EXPECT_EQ(arn->resource, "function:fn");
}

TEST(ParseArnTest, RejectsTextThatIsNotAnArn) {
  for (const char* bad : {"", "arn", "arn:aws:states:us-east-1", "arn:aws:states:us-east-1:1",
                          "urn:aws:states:us-east-1:123456789012:stateMachine:x",
                          "check_retraining_decision", "ARN:aws:s3:::b"}) {
    EXPECT_FALSE(ParseArn(bad).has_value()) << bad;
  }
  // Five colons with an empty resource is still the six-part shape.
  EXPECT_TRUE(ParseArn("arn:aws:s3:::").has_value());
}

// True for xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx, x lowercase hex and Y one of 8, 9, a, b.
bool IsLowercaseUuidV4(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    bool hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f');
    if (dash ? s[i] != '-' : !hex) return false;
  }
  return s[14] == '4' && std::string("89ab").find(s[19]) != std::string::npos;
}

TEST(ExecutionArnOfTest, TurnsTheStateMachineArnIntoItsExecutionsArn) {
  AccountContext ctx;
  EXPECT_EQ(ExecutionArnOf(StateMachineArn(ctx, "trigger"), "run-1"),
            ExecutionArn(ctx, "trigger", "run-1"));
  EXPECT_EQ(ExecutionArnOf("arn:aws-cn:states:cn-north-1:1:stateMachine:m", "e"),
            "arn:aws-cn:states:cn-north-1:1:execution:m:e");
  EXPECT_EQ(ExecutionArnOf("arn:aws:lambda:us-east-1:1:function:f", "e"), std::nullopt);
  EXPECT_EQ(ExecutionArnOf("arn:aws:states:us-east-1:1:execution:m:x", "e"), std::nullopt);
  EXPECT_EQ(ExecutionArnOf("stateMachine:m", "e"), std::nullopt);
}

TEST(NewExecutionNameTest, IsALowercaseUuidV4) {
  EXPECT_TRUE(IsLowercaseUuidV4("0f8fad5b-d9cb-469f-a165-70867728950e"));
  EXPECT_FALSE(IsLowercaseUuidV4("0F8FAD5B-D9CB-469F-A165-70867728950E"));
  EXPECT_FALSE(IsLowercaseUuidV4("0f8fad5b-d9cb-369f-a165-70867728950e"));
  EXPECT_FALSE(IsLowercaseUuidV4("0f8fad5b-d9cb-469f-c165-70867728950e"));
  for (int i = 0; i < 200; ++i) {
    std::string name = NewExecutionName();
    EXPECT_TRUE(IsLowercaseUuidV4(name)) << name;
  }
}

TEST(NewExecutionNameTest, NamesAreUnique) {
  std::set<std::string> names;
  for (int i = 0; i < 10000; ++i) names.insert(NewExecutionName());
  EXPECT_EQ(names.size(), 10000u);
}

TEST(DeterministicExecutionNameTest, SameSeedSameNameInUuidFormat) {
  const std::string name = DeterministicExecutionName("parent\nTrigger\n2\n0");
  EXPECT_EQ(name, DeterministicExecutionName("parent\nTrigger\n2\n0"));
  EXPECT_NE(name, DeterministicExecutionName("parent\nTrigger\n2\n1"));
  EXPECT_NE(name, DeterministicExecutionName(""));
  EXPECT_TRUE(std::regex_match(
      name, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << name;
}

}  // namespace
}  // namespace autoretrain
