// The shared DynamoDB cases (tests/conformance/dynamodb/*.json) run through DynamoDbClient
// against dynalite, the reference implementation started here on 127.0.0.1. Without node or
// dynalite the tests skip, except under CI (the variable CI set), where that is a broken setup
// and they fail. The local table store runs the same files in the integrations layer's tests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <thread>

#include "autoretrain/aws/dynamodb_client.h"
#include "aws/dynalite_server.h"
#include "integrations/dynamodb_case_reader.h"

namespace autoretrain::aws {
namespace {

using integrations::testing::DynamoDbCase;
using integrations::testing::ReadDynamoDbCases;
using integrations::testing::RunDynamoDbCase;

std::string SourceDir() {
  const char* dir = std::getenv("AUTORETRAIN_SOURCE_DIR");
  return dir && *dir ? dir : AUTORETRAIN_SOURCE_DIR;
}

std::filesystem::path CaseDir() {
  return std::filesystem::path(SourceDir()) / "tests" / "conformance" / "dynamodb";
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(CaseDir(), ec)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class DynaliteCasesTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    missing_ = testing::DynaliteServer::Missing(SourceDir());
    if (!missing_.empty()) return;
    auto server = testing::DynaliteServer::Start(SourceDir());
    if (!server.ok()) {
      start_error_ = server.error().cause;
      return;
    }
    server_ = std::move(server).value().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    if (!missing_.empty()) {
      std::string message = "the DynamoDB cases need " + missing_;
      if (std::getenv("CI")) FAIL() << message << " (CI installs them: a broken setup)";
      GTEST_SKIP() << message;
    }
    ASSERT_NE(server_, nullptr) << start_error_;
  }

  DynamoDbClient Client() const {
    Endpoint endpoint;
    endpoint.url = server_->url();
    endpoint.signing_region = "us-east-1";
    endpoint.signing_name = "dynamodb";
    endpoint.custom = true;
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    HttpClientOptions http;
    http.sleep = [](std::chrono::milliseconds) {};
    return DynamoDbClient(
        endpoint, [credentials] { return Result<Credentials>(credentials); }, http);
  }

  static inline testing::DynaliteServer* server_ = nullptr;
  static inline std::string missing_;
  static inline std::string start_error_;
};

TEST_P(DynaliteCasesTest, PassesAgainstDynalite) {
  Result<DynamoDbCase> test_case =
      integrations::testing::ReadDynamoDbCase(CaseDir() / (GetParam() + ".json"));
  ASSERT_TRUE(test_case.ok()) << test_case.error().cause;
  DynamoDbClient client = Client();
  auto wait_active = [&client](const std::string& table) {
    json::Object request;
    request["TableName"] = table;
    for (int i = 0; i < 200; ++i) {
      Result<json::Value> described = client.Call("DescribeTable", request);
      if (described.ok() &&
          json::Serialize(*described).find("\"TableStatus\":\"ACTIVE\"") != std::string::npos) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "table " << table << " did not become ACTIVE in dynalite";
  };
  for (const std::string& failure : RunDynamoDbCase(client, *test_case, wait_active)) {
    ADD_FAILURE() << failure;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, DynaliteCasesTest, ::testing::ValuesIn(CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(DynamoDbCaseFilesTest, EveryFileReadsAndHasUniqueTables) {
  auto cases = ReadDynamoDbCases(CaseDir());
  ASSERT_TRUE(cases.ok()) << cases.error().cause;
  std::set<std::string> tables;
  size_t steps = 0;
  for (const DynamoDbCase& c : *cases) {
    EXPECT_FALSE(c.comment.empty()) << c.path << " has no comment";
    EXPECT_FALSE(c.steps.empty()) << c.path;
    steps += c.steps.size();
    for (const json::Value& table : c.tables) {
      std::string name(table.at("TableName").as_string());
      EXPECT_TRUE(tables.insert(name).second) << "table " << name << " is used by two cases";
    }
  }
  EXPECT_GE(cases->size(), 10u);
  EXPECT_GE(steps, 25u);
}

}  // namespace
}  // namespace autoretrain::aws
