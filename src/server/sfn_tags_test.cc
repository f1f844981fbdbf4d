// The Step Functions service's resource tags: TagResource, UntagResource and
// ListTagsForResource on state machines and activities, tags given at creation, AWS's
// validation and errors, and tags removed with their resource.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "autoretrain/server/step_functions_service.h"
#include "autoretrain/store/store.h"
#include "server/json_protocol.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::kRole;
constexpr char kPassWithoutResult[] =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
constexpr char kMachineArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
constexpr char kActivityArn[] = "arn:aws:states:us-east-1:123456789012:activity:a";

using testing::Parse;

class TagsServiceTest : public ::testing::Test {
 protected:
  TagsServiceTest() {
    dir_ = std::filesystem::temp_directory_path() / ("sfn-tags-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    retrain::HistorySink sink;
    sink.store = store::Store::OpenInMemory().value();
    sink.database = ":memory:";
    runtime_ = std::make_unique<retrain::LocalRuntime>(AccountContext{}, dir_.string(),
                                                       dir_.string(), nullptr, std::move(sink));
    service_ = std::make_unique<StepFunctionsService>(*runtime_, std::set<std::string>{}, clock_);
  }
  ~TagsServiceTest() override {
    service_.reset();
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<json::Value> Call(const std::string& operation, const json::Object& input) {
    return service_->Invoke(operation, input);
  }
  std::string ErrorOf(const std::string& operation, std::string_view input) {
    Result<json::Value> result = service_->Invoke(operation, Parse(input));
    return result.ok() ? "OK" : result.error().error;
  }
  json::Value Ok(const std::string& operation, std::string_view input) {
    Result<json::Value> result = service_->Invoke(operation, Parse(input));
    EXPECT_TRUE(result.ok()) << operation << ": " << result.error().cause;
    return result.ok() ? *result : json::Value();
  }
  // ListTagsForResource as "k=v,k=v" (key order).
  std::string Tags(const std::string& arn) {
    Result<json::Value> listed =
        service_->Invoke("ListTagsForResource", json::Object{{"resourceArn", arn}});
    if (!listed.ok()) return listed.error().error;
    std::string text;
    for (const json::Value& tag : listed->at("tags").as_array()) {
      if (!text.empty()) text += ",";
      text +=
          std::string(tag.at("key").as_string()) + "=" + std::string(tag.at("value").as_string());
    }
    return text;
  }
  void CreateMachine(const std::string& name, json::Array tags = {}) {
    json::Object input{{"name", name}, {"definition", kPassWithoutResult}, {"roleArn", kRole}};
    if (!tags.empty()) input["tags"] = std::move(tags);
    Result<json::Value> created = Call("CreateStateMachine", input);
    ASSERT_TRUE(created.ok()) << created.error().cause;
  }
  static json::Array TagList(int count, const std::string& prefix = "k") {
    json::Array tags;
    for (int i = 0; i < count; ++i) {
      tags.push_back(json::Object{{"key", prefix + std::to_string(i)}, {"value", "v"}});
    }
    return tags;
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<retrain::LocalRuntime> runtime_;
  std::unique_ptr<StepFunctionsService> service_;
};

TEST_F(TagsServiceTest, TagListReplaceAndUntagAStateMachine) {
  CreateMachine("m");
  EXPECT_EQ(Tags(kMachineArn), "");
  Ok("TagResource", R"({"resourceArn":")" + std::string(kMachineArn) +
                        R"(","tags":[{"key":"team","value":"ml"},{"key":"env","value":"dev"}]})");
  EXPECT_EQ(Tags(kMachineArn), "env=dev,team=ml");
  Ok("TagResource", R"({"resourceArn":")" + std::string(kMachineArn) +
                        R"(","tags":[{"key":"env","value":"prod"},{"key":"e","value":""}]})");
  EXPECT_EQ(Tags(kMachineArn), "e=,env=prod,team=ml");
  Ok("UntagResource",
     R"({"resourceArn":")" + std::string(kMachineArn) + R"(","tagKeys":["env","absent"]})");
  EXPECT_EQ(Tags(kMachineArn), "e=,team=ml");
}

TEST_F(TagsServiceTest, TagsAtCreationAndDeletionWithTheResource) {
  CreateMachine("m", json::Array{json::Object{{"key", "team"}, {"value", "ml"}}});
  EXPECT_EQ(Tags(kMachineArn), "team=ml");
  Ok("CreateActivity", R"({"name":"a","tags":[{"key":"owner","value":"me"}]})");
  EXPECT_EQ(Tags(kActivityArn), "owner=me");
  // Creating the activity again ignores its tags (AWS: idempotent by name).
  Ok("CreateActivity", R"({"name":"a","tags":[{"key":"other","value":"x"}]})");
  EXPECT_EQ(Tags(kActivityArn), "owner=me");
  Ok("DeleteStateMachine", R"({"stateMachineArn":")" + std::string(kMachineArn) + R"("})");
  Ok("DeleteActivity", R"({"activityArn":")" + std::string(kActivityArn) + R"("})");
  EXPECT_EQ(Tags(kMachineArn), "ResourceNotFound");
  EXPECT_EQ(Tags(kActivityArn), "ResourceNotFound");
  // Created again under the same ARN, they start without the old tags.
  CreateMachine("m");
  Ok("CreateActivity", R"({"name":"a"})");
  EXPECT_EQ(Tags(kMachineArn), "");
  EXPECT_EQ(Tags(kActivityArn), "");
}

TEST_F(TagsServiceTest, FiftyTagsAtMost) {
  CreateMachine("m", TagList(50));
  Result<json::Value> over =
      Call("TagResource",
           json::Object{{"resourceArn", kMachineArn},
                        {"tags", json::Array{json::Object{{"key", "one-more"}, {"value", ""}}}}});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().error, "TooManyTags");
  EXPECT_NE(over.error().cause.find(kMachineArn), std::string::npos) << over.error().cause;
  // Replacing a value is no new tag.
  EXPECT_TRUE(
      Call("TagResource", json::Object{{"resourceArn", kMachineArn}, {"tags", TagList(50)}}).ok());
  json::Object too_many{
      {"name", "n"}, {"definition", kPassWithoutResult}, {"roleArn", kRole}, {"tags", TagList(51)}};
  Result<json::Value> created = Call("CreateStateMachine", too_many);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().error, "TooManyTags");
  EXPECT_EQ(
      ErrorOf("DescribeStateMachine",
              R"({"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:n"})"),
      "StateMachineDoesNotExist");
  Result<json::Value> activity =
      Call("CreateActivity", json::Object{{"name", "b"}, {"tags", TagList(51)}});
  ASSERT_FALSE(activity.ok());
  EXPECT_EQ(activity.error().error, "TooManyTags");
}

TEST_F(TagsServiceTest, ValidatesLikeAws) {
  CreateMachine("m");
  const std::string arn = R"({"resourceArn":")" + std::string(kMachineArn) + R"(")";
  auto tag = [&](std::string_view tags) {
    return ErrorOf("TagResource", arn + R"(,"tags":)" + std::string(tags) + "}");
  };
  EXPECT_EQ(tag(R"([{"key":"ok","value":"v"}])"), "OK");
  EXPECT_EQ(tag(R"([{"key":"","value":"v"}])"), kValidationException);
  EXPECT_EQ(tag(R"([{"key":")" + std::string(129, 'k') + R"(","value":"v"}])"),
            kValidationException);
  EXPECT_EQ(tag(R"([{"key":")" + std::string(128, 'k') + R"(","value":"v"}])"), "OK");
  EXPECT_EQ(tag(R"([{"key":"k","value":")" + std::string(257, 'v') + R"("}])"),
            kValidationException);
  EXPECT_EQ(tag(R"([{"key":"k","value":")" + std::string(256, 'v') + R"("}])"), "OK");
  EXPECT_EQ(tag(R"([{"key":"a b_.:/=+-@9","value":"é ü"}])"), "OK");
  EXPECT_EQ(tag(R"([{"key":"bad*key","value":"v"}])"), kValidationException);
  EXPECT_EQ(tag(R"([{"key":"k","value":"bad#value"}])"), kValidationException);
  EXPECT_EQ(tag(R"([{"key":"aws:reserved","value":"v"}])"), kValidationException);
  EXPECT_EQ(tag(R"([{"key":"AWS:reserved","value":"v"}])"), kValidationException);
  EXPECT_EQ(tag(R"([{"value":"v"}])"), kValidationException);
  EXPECT_EQ(tag(R"("k=v")"), kSerializationException);
  EXPECT_EQ(tag(R"([{"key":1,"value":"v"}])"), kSerializationException);
  EXPECT_EQ(ErrorOf("TagResource", arn + "}"), kValidationException);  // tags missing
  EXPECT_EQ(ErrorOf("UntagResource", arn + "}"), kValidationException);
  EXPECT_EQ(ErrorOf("UntagResource", arn + R"(,"tagKeys":[""]})"), kValidationException);
  EXPECT_EQ(ErrorOf("UntagResource", arn + R"(,"tagKeys":[1]})"), kSerializationException);
  EXPECT_EQ(ErrorOf("ListTagsForResource", "{}"), kValidationException);
  // Nothing invalid was stored.
  EXPECT_EQ(Tags(kMachineArn), "a b_.:/=+-@9=é ü,k=" + std::string(256, 'v') + "," +
                                   std::string(128, 'k') + "=v,ok=v");
}

TEST_F(TagsServiceTest, UnknownAndInvalidArns) {
  const char* unknown_machine = "arn:aws:states:us-east-1:123456789012:stateMachine:nope";
  const char* unknown_activity = "arn:aws:states:us-east-1:123456789012:activity:nope";
  for (const char* arn : {unknown_machine, unknown_activity}) {
    const std::string target = R"({"resourceArn":")" + std::string(arn) + R"(")";
    EXPECT_EQ(ErrorOf("TagResource", target + R"(,"tags":[{"key":"k","value":"v"}]})"),
              "ResourceNotFound");
    EXPECT_EQ(ErrorOf("UntagResource", target + R"(,"tagKeys":["k"]})"), "ResourceNotFound");
    EXPECT_EQ(Tags(arn), "ResourceNotFound");
  }
  EXPECT_EQ(Tags("not-an-arn"), "InvalidArn");
  EXPECT_EQ(Tags("arn:aws:states:us-east-1:123456789012:execution:m:e"), "InvalidArn");
  EXPECT_EQ(Tags("arn:aws:states:us-east-1:123456789012:activity:"), "InvalidArn");
  EXPECT_EQ(Tags("arn:aws:s3:::bucket"), "InvalidArn");
}

}  // namespace
}  // namespace autoretrain::server
