// Step Functions versions and aliases through the service: qualified ARN parsing, alias names,
// routing configurations, publish on create and update, Publish/List/DeleteStateMachineVersion,
// the alias operations, starting executions by version and alias ARN (the version's definition
// runs and DescribeExecution says which), DescribeStateMachine of a version, and deletion of the
// machine taking its versions and aliases along.
#include "server/sfn_versions.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "autoretrain/server/step_functions_service.h"
#include "server/json_protocol.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::kRole;
constexpr char kOne[] = R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}})";
constexpr char kTwo[] = R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":2,"End":true}}})";
constexpr char kMachine[] = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

using testing::Parse;

TEST(QualifiedArnTest, ParsesMachineVersionAndAliasArns) {
  auto plain = ParseQualifiedStateMachineArn(kMachine);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->machine_arn, kMachine);
  EXPECT_EQ(plain->machine_name, "m");
  EXPECT_FALSE(plain->qualified());
  auto version = ParseQualifiedStateMachineArn(std::string(kMachine) + ":12");
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->machine_arn, kMachine);
  EXPECT_EQ(version->version, 12);
  auto alias = ParseQualifiedStateMachineArn(std::string(kMachine) + ":prod-1.2");
  ASSERT_TRUE(alias.ok());
  EXPECT_EQ(alias->alias, "prod-1.2");
  EXPECT_FALSE(alias->version.has_value());
  for (std::string bad : {std::string(kMachine) + ":0", std::string(kMachine) + ":a:b",
                          std::string(kMachine) + ":has space", std::string(kMachine) + ":",
                          std::string("arn:aws:states:us-east-1:123456789012:activity:a"),
                          std::string("arn:aws:states:us-east-1:123456789012:stateMachine:")}) {
    auto parsed = ParseQualifiedStateMachineArn(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().error, "InvalidArn");
    EXPECT_NE(parsed.error().cause.find(bad), std::string::npos) << parsed.error().cause;
  }
}

TEST(QualifiedArnTest, AliasNamesFollowAwsRules) {
  EXPECT_FALSE(AliasNameProblem("PROD").has_value());
  EXPECT_FALSE(AliasNameProblem("v1.2_beta-3").has_value());
  EXPECT_FALSE(AliasNameProblem("1a").has_value());
  EXPECT_TRUE(AliasNameProblem("123").has_value());  // a version number
  EXPECT_TRUE(AliasNameProblem("").has_value());
  EXPECT_TRUE(AliasNameProblem("a/b").has_value());
  EXPECT_TRUE(AliasNameProblem(std::string(81, 'a')).has_value());
  EXPECT_FALSE(AliasNameProblem(std::string(80, 'a')).has_value());
}

TEST(QualifiedArnTest, RoutesSplitByWeight) {
  std::vector<store::AliasRoute> routes{{3, 30}, {4, 70}};
  EXPECT_EQ(ChooseRoute(routes, 0), 3);
  EXPECT_EQ(ChooseRoute(routes, 29), 3);
  EXPECT_EQ(ChooseRoute(routes, 30), 4);
  EXPECT_EQ(ChooseRoute(routes, 99), 4);
  EXPECT_EQ(ChooseRoute({{5, 100}}, 99), 5);
  EXPECT_EQ(ChooseRoute({{3, 0}, {4, 100}}, 0), 4);
}

TEST(QualifiedArnTest, RevisionIdsAreOpaqueAndNoneForTheFirstRevision) {
  const std::string other = std::string(kMachine) + "-other";
  json::Object first;
  AddRevisionId(first, kMachine, 1);
  EXPECT_FALSE(first.contains("revisionId"));
  json::Object out;
  AddRevisionId(out, kMachine, 17);
  const std::string id(out.at("revisionId").as_string());
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id.substr(8, 1) + id.substr(13, 1) + id.substr(18, 1) + id.substr(23, 1), "----");
  EXPECT_EQ(ParseRevisionId(kMachine, id), 17);
  json::Object again;
  AddRevisionId(again, kMachine, 17);
  EXPECT_EQ(again.at("revisionId"), out.at("revisionId"));  // stable
  json::Object elsewhere;
  AddRevisionId(elsewhere, other, 17);
  EXPECT_NE(elsewhere.at("revisionId"), out.at("revisionId"));
  EXPECT_FALSE(ParseRevisionId(other, id).has_value());  // another machine's
  EXPECT_EQ(ParseRevisionId(kMachine, "INITIAL"), 1);
  EXPECT_FALSE(ParseRevisionId(kMachine, "17").has_value());
  EXPECT_FALSE(ParseRevisionId(kMachine, "abc").has_value());
  std::string tampered = id;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_FALSE(ParseRevisionId(kMachine, tampered).has_value());
}

TEST(QualifiedArnTest, RoutingConfigurationsAreValidatedLikeAws) {
  auto read = [](std::string_view text) {
    json::Object input = Parse(text);
    RequestReader reader(input);
    std::vector<RouteRequest> routes = ReadRoutingConfiguration(reader, true);
    Status status = reader.Finish();
    return std::make_pair(routes, status.ok() ? std::string("OK") : status.error().cause);
  };
  const std::string v1 = std::string(kMachine) + ":1";
  const std::string v2 = std::string(kMachine) + ":2";
  auto [two, ok] =
      read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + v1 +
           R"(","weight":40},{"stateMachineVersionArn":")" + v2 + R"(","weight":60}]})");
  EXPECT_EQ(ok, "OK");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(*two[1].version_arn.version, 2);
  EXPECT_EQ(two[1].weight, 60);
  EXPECT_NE(read("{}").second.find("Member must not be null"), std::string::npos);
  EXPECT_NE(read(R"({"routingConfiguration":[]})").second.find("between 1 and 2"),
            std::string::npos);
  EXPECT_NE(
      read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + v1 + R"(","weight":90}]})")
          .second.find("equal to 100"),
      std::string::npos);
  EXPECT_NE(read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + v1 +
                 R"(","weight":50},{"stateMachineVersionArn":")" + v1 + R"(","weight":50}]})")
                .second.find("distinct"),
            std::string::npos);
  const std::string other = "arn:aws:states:us-east-1:123456789012:stateMachine:other:1";
  EXPECT_NE(read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + v1 +
                 R"(","weight":50},{"stateMachineVersionArn":")" + other + R"(","weight":50}]})")
                .second.find("same state machine"),
            std::string::npos);
  EXPECT_NE(read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + std::string(kMachine) +
                 R"(","weight":100}]})")
                .second.find("version ARN"),
            std::string::npos);
  EXPECT_NE(
      read(R"({"routingConfiguration":[{"stateMachineVersionArn":")" + v1 + R"(","weight":101}]})")
          .second.find("between 0 and 100"),
      std::string::npos);
}

// The service over a runtime with an in-memory store.
class SfnVersionsTest : public ::testing::Test {
 protected:
  SfnVersionsTest() {
    dir_ = std::filesystem::temp_directory_path() /
           ("sfn-versions-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    retrain::HistorySink sink;
    sink.store = store::Store::OpenInMemory().value();
    sink.database = ":memory:";
    runtime_ = std::make_unique<retrain::LocalRuntime>(AccountContext{}, dir_.string(),
                                                       dir_.string(), nullptr, std::move(sink));
    service_ = std::make_unique<StepFunctionsService>(*runtime_, std::set<std::string>{}, clock_);
  }
  ~SfnVersionsTest() override {
    service_.reset();
    runtime_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<json::Value> Call(const std::string& operation, const json::Object& input) {
    return service_->Invoke(operation, input);
  }
  std::string ErrorOf(const std::string& operation, const json::Object& input) {
    Result<json::Value> result = Call(operation, input);
    return result.ok() ? "OK" : result.error().error;
  }
  json::Value Ok(const std::string& operation, const json::Object& input) {
    Result<json::Value> result = Call(operation, input);
    EXPECT_TRUE(result.ok()) << operation << ": " << result.error().error << ": "
                             << result.error().cause;
    return result.ok() ? *result : json::Value(json::Object{});
  }
  std::string Str(const json::Value& value, std::string_view key) {
    const json::Value* member = value.as_object().if_contains(key);
    return member && member->is_string() ? std::string(member->as_string()) : "";
  }
  // The output of the execution started with `arn` (waits for its end in the store).
  json::Value Run(const std::string& arn) {
    json::Value started = Ok("StartExecution", {{"stateMachineArn", arn}});
    const json::Object describe{{"executionArn", Str(started, "executionArn")}};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      json::Value described = Ok("DescribeExecution", describe);
      if (Str(described, "status") != "RUNNING" || std::chrono::steady_clock::now() > deadline) {
        return described;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  std::unique_ptr<retrain::LocalRuntime> runtime_;
  std::unique_ptr<StepFunctionsService> service_;
};

TEST_F(SfnVersionsTest, PublishOnCreateAndUpdateNumbersVersionsAndRunsEach) {
  json::Value created = Ok("CreateStateMachine", {{"name", "m"},
                                                  {"definition", kOne},
                                                  {"roleArn", kRole},
                                                  {"publish", true},
                                                  {"versionDescription", "first"}});
  EXPECT_EQ(Str(created, "stateMachineVersionArn"), std::string(kMachine) + ":1");
  // The first revision has no revisionId; AWS names it INITIAL when publishing.
  EXPECT_FALSE(Ok("DescribeStateMachine", {{"stateMachineArn", kMachine}})
                   .as_object()
                   .contains("revisionId"));
  json::Value initial =
      Ok("PublishStateMachineVersion", {{"stateMachineArn", kMachine}, {"revisionId", "INITIAL"}});
  EXPECT_EQ(Str(initial, "stateMachineVersionArn"), std::string(kMachine) + ":1");
  json::Value updated =
      Ok("UpdateStateMachine",
         {{"stateMachineArn", kMachine}, {"definition", kTwo}, {"publish", true}});
  EXPECT_EQ(Str(updated, "stateMachineVersionArn"), std::string(kMachine) + ":2");
  const std::string revision2 = Str(updated, "revisionId");
  EXPECT_EQ(ParseRevisionId(kMachine, revision2), 2);
  // Publishing the unchanged revision returns version 2; a stale revisionId is a conflict.
  json::Value same = Ok("PublishStateMachineVersion", {{"stateMachineArn", kMachine}});
  EXPECT_EQ(Str(same, "stateMachineVersionArn"), std::string(kMachine) + ":2");
  EXPECT_EQ(ErrorOf("PublishStateMachineVersion",
                    {{"stateMachineArn", kMachine}, {"revisionId", "INITIAL"}}),
            "ConflictException");
  json::Value current =
      Ok("PublishStateMachineVersion", {{"stateMachineArn", kMachine}, {"revisionId", revision2}});
  EXPECT_EQ(Str(current, "stateMachineVersionArn"), std::string(kMachine) + ":2");
  EXPECT_EQ(
      ErrorOf("PublishStateMachineVersion", {{"stateMachineArn", kMachine + std::string(":1")}}),
      "InvalidArn");

  // Version 1 still runs the first definition, the machine itself the latest.
  json::Value first = Run(std::string(kMachine) + ":1");
  EXPECT_EQ(Str(first, "status"), "SUCCEEDED");
  EXPECT_EQ(Str(first, "output"), "1");
  EXPECT_EQ(Str(first, "stateMachineArn"), kMachine);
  EXPECT_EQ(Str(first, "stateMachineVersionArn"), std::string(kMachine) + ":1");
  EXPECT_FALSE(first.as_object().contains("stateMachineAliasArn"));
  json::Value latest = Run(kMachine);
  EXPECT_EQ(Str(latest, "output"), "2");
  EXPECT_FALSE(latest.as_object().contains("stateMachineVersionArn"));
  // DescribeStateMachineForExecution: the definition that ran.
  json::Value ran =
      Ok("DescribeStateMachineForExecution", {{"executionArn", Str(first, "executionArn")}});
  EXPECT_EQ(Str(ran, "definition"), kOne);
  EXPECT_FALSE(ran.as_object().contains("revisionId"));  // the first revision has none

  // DescribeStateMachine of a version.
  json::Value v1 = Ok("DescribeStateMachine", {{"stateMachineArn", std::string(kMachine) + ":1"}});
  EXPECT_EQ(Str(v1, "stateMachineArn"), std::string(kMachine) + ":1");
  EXPECT_EQ(Str(v1, "definition"), kOne);
  EXPECT_EQ(Str(v1, "description"), "first");
  EXPECT_EQ(ErrorOf("DescribeStateMachine", {{"stateMachineArn", std::string(kMachine) + ":9"}}),
            "StateMachineDoesNotExist");
  EXPECT_EQ(ErrorOf("StartExecution", {{"stateMachineArn", std::string(kMachine) + ":9"}}),
            "StateMachineDoesNotExist");

  json::Value listed = Ok("ListStateMachineVersions", {{"stateMachineArn", kMachine}});
  const json::Array& versions = listed.at("stateMachineVersions").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(Str(versions[0], "stateMachineVersionArn"), std::string(kMachine) + ":2");
  EXPECT_TRUE(versions[0].at("creationDate").is_number());
}

TEST_F(SfnVersionsTest, AliasesRouteByWeightAndProtectTheirVersions) {
  Ok("CreateStateMachine",
     {{"name", "m"}, {"definition", kOne}, {"roleArn", kRole}, {"publish", true}});
  Ok("UpdateStateMachine",
     {{"stateMachineArn", kMachine}, {"definition", kTwo}, {"publish", true}});
  const std::string v1 = std::string(kMachine) + ":1";
  const std::string v2 = std::string(kMachine) + ":2";
  json::Array split{json::Object{{"stateMachineVersionArn", v1}, {"weight", 50}},
                    json::Object{{"stateMachineVersionArn", v2}, {"weight", 50}}};
  EXPECT_EQ(ErrorOf("CreateStateMachineAlias", {{"name", "42"}, {"routingConfiguration", split}}),
            kValidationException);
  json::Value created =
      Ok("CreateStateMachineAlias",
         {{"name", "live"}, {"description", "d"}, {"routingConfiguration", split}});
  const std::string alias = std::string(kMachine) + ":live";
  EXPECT_EQ(Str(created, "stateMachineAliasArn"), alias);
  // Both versions run through the alias (the chance that 40 starts all pick one is 2^-39).
  std::set<std::string> outputs;
  for (int i = 0; i < 40 && outputs.size() < 2; ++i) {
    json::Value run = Run(alias);
    EXPECT_EQ(Str(run, "stateMachineAliasArn"), alias);
    outputs.insert(Str(run, "output"));
    EXPECT_EQ(Str(run, "stateMachineVersionArn"), std::string(kMachine) + ":" + Str(run, "output"));
  }
  EXPECT_EQ(outputs, (std::set<std::string>{"1", "2"}));

  EXPECT_EQ(ErrorOf("DeleteStateMachineVersion", {{"stateMachineVersionArn", v2}}),
            "ConflictException");
  json::Value described = Ok("DescribeStateMachineAlias", {{"stateMachineAliasArn", alias}});
  EXPECT_EQ(Str(described, "name"), "live");
  EXPECT_EQ(Str(described, "description"), "d");
  EXPECT_EQ(described.at("routingConfiguration").as_array().size(), 2u);
  json::Array only_one{json::Object{{"stateMachineVersionArn", v1}, {"weight", 100}}};
  Ok("UpdateStateMachineAlias",
     {{"stateMachineAliasArn", alias}, {"routingConfiguration", only_one}});
  EXPECT_EQ(Str(Run(alias), "output"), "1");
  Ok("DeleteStateMachineVersion", {{"stateMachineVersionArn", v2}});
  EXPECT_EQ(ErrorOf("UpdateStateMachineAlias", {{"stateMachineAliasArn", alias}}),
            kValidationException);
  json::Array missing{json::Object{{"stateMachineVersionArn", v2}, {"weight", 100}}};
  EXPECT_EQ(ErrorOf("UpdateStateMachineAlias",
                    {{"stateMachineAliasArn", alias}, {"routingConfiguration", missing}}),
            "ResourceNotFound");
  json::Value aliases = Ok("ListStateMachineAliases", {{"stateMachineArn", kMachine}});
  ASSERT_EQ(aliases.at("stateMachineAliases").as_array().size(), 1u);
  EXPECT_EQ(Str(aliases.at("stateMachineAliases").as_array()[0], "stateMachineAliasArn"), alias);
  EXPECT_EQ(ErrorOf("DescribeStateMachineAlias", {{"stateMachineAliasArn", v1}}), "InvalidArn");

  // Deleting the machine deletes its versions and aliases.
  Ok("DeleteStateMachine", {{"stateMachineArn", kMachine}});
  EXPECT_EQ(ErrorOf("DescribeStateMachineAlias", {{"stateMachineAliasArn", alias}}),
            "ResourceNotFound");
  EXPECT_EQ(ErrorOf("StartExecution", {{"stateMachineArn", v1}}), "StateMachineDeleting");
  EXPECT_EQ(ErrorOf("DescribeStateMachine", {{"stateMachineArn", v1}}), "StateMachineDoesNotExist");
}

TEST_F(SfnVersionsTest, AliasesOfUnknownMachinesAndVersionsAreNotFound) {
  json::Array route{
      json::Object{{"stateMachineVersionArn", std::string(kMachine) + ":1"}, {"weight", 100}}};
  EXPECT_EQ(ErrorOf("CreateStateMachineAlias", {{"name", "a"}, {"routingConfiguration", route}}),
            "ResourceNotFound");
  Ok("CreateStateMachine", {{"name", "m"}, {"definition", kOne}, {"roleArn", kRole}});
  EXPECT_EQ(ErrorOf("CreateStateMachineAlias", {{"name", "a"}, {"routingConfiguration", route}}),
            "ResourceNotFound");
  EXPECT_EQ(
      ErrorOf(
          "CreateStateMachine",
          {{"name", "n"}, {"definition", kOne}, {"roleArn", kRole}, {"versionDescription", "x"}}),
      kValidationException);
}

}  // namespace
}  // namespace autoretrain::server
