#include "autoretrain/integrations/function.h"

#include <gtest/gtest.h>

namespace autoretrain::integrations {
namespace {

// A function that returns a fixed tag, to tell registered functions apart.
class TagFunction final : public Function {
 public:
  explicit TagFunction(std::string tag) : tag_(std::move(tag)) {}
  Result<json::Value> Invoke(const json::Value&) override { return json::Value(tag_); }

 private:
  std::string tag_;
};

FunctionRegistry MakeRegistry() {
  FunctionRegistry registry;
  registry.Register("check_retraining_decision", std::make_unique<TagFunction>("decision"));
  registry.Register("other", std::make_unique<TagFunction>("other"));
  return registry;
}

std::string TagOf(const FunctionRegistry& registry, std::string_view name) {
  Function* function = registry.Find(name);
  if (function == nullptr) return "<none>";
  return std::string(function->Invoke(json::Value()).value().as_string());
}

TEST(FunctionRegistryTest, FindsEveryFunctionNameFormLambdaAccepts) {
  FunctionRegistry registry = MakeRegistry();
  for (std::string_view name : {
           "check_retraining_decision",
           "check_retraining_decision:$LATEST",
           "check_retraining_decision:3",
           "check_retraining_decision:prod",
           "arn:aws:lambda:us-east-1:123456789012:function:check_retraining_decision",
           "arn:aws:lambda:eu-west-1:111122223333:function:check_retraining_decision:$LATEST",
           "arn:aws-cn:lambda:cn-north-1:111122223333:function:check_retraining_decision:7",
           "123456789012:function:check_retraining_decision",
           "123456789012:function:check_retraining_decision:alias",
       }) {
    EXPECT_EQ(TagOf(registry, name), "decision") << name;
  }
  EXPECT_EQ(TagOf(registry, "other"), "other");
}

TEST(FunctionRegistryTest, DoesNotFindUnknownOrMalformedNames) {
  FunctionRegistry registry = MakeRegistry();
  for (std::string_view name : {
           "",
           "missing",
           "check_retraining",
           "arn:aws:lambda:us-east-1:123456789012:function:",
           "arn:aws:s3:us-east-1:123456789012:function:check_retraining_decision",
           "arn:aws:lambda:us-east-1:123456789012:layer:check_retraining_decision",
           "arn:aws:lambda",
           ":check_retraining_decision",
           "123456789012:func:check_retraining_decision",
       }) {
    EXPECT_EQ(registry.Find(name), nullptr) << name;
  }
}

TEST(FunctionRegistryTest, RegisterReplaces) {
  FunctionRegistry registry = MakeRegistry();
  registry.Register("other", std::make_unique<TagFunction>("replaced"));
  registry.Register("aaa", std::make_unique<TagFunction>("aaa"));
  EXPECT_EQ(TagOf(registry, "other"), "replaced");
  EXPECT_EQ(TagOf(registry, "aaa"), "aaa");
}

TEST(FunctionErrorTest, CauseIsLambdasErrorObject) {
  Error error = FunctionError("NoSuchKey", "The \"key\" does not exist");
  EXPECT_EQ(error.error, "NoSuchKey");
  EXPECT_EQ(error.cause, R"({"errorMessage":"The \"key\" does not exist","errorType":"NoSuchKey",)"
                         R"("stackTrace":[]})");
}

}  // namespace
}  // namespace autoretrain::integrations
