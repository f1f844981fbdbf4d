// The shared DynamoDB cases (tests/conformance/dynamodb/*.json, checked against dynalite by
// src/aws/dynamodb_cases_test.cc) run against the local table store, one test per case file,
// each on a fresh SQLite database in a temporary folder.
#include <gtest/gtest.h>

#include <filesystem>

#include "autoretrain/integrations/local_dynamodb.h"
#include "integrations/dynamodb_case_reader.h"
#include "integrations/test_util.h"

namespace autoretrain::integrations {
namespace {

std::filesystem::path CaseDir() {
  const char* env = std::getenv("AUTORETRAIN_SOURCE_DIR");
  return std::filesystem::path(env && *env ? env : AUTORETRAIN_SOURCE_DIR) / "tests" /
         "conformance" / "dynamodb";
}

std::vector<std::filesystem::path> CaseFiles() {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(CaseDir(), ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class DynamoDbCaseTest : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(DynamoDbCaseTest, PassesOnTheLocalTableStore) {
  auto test_case = testing::ReadDynamoDbCase(GetParam());
  ASSERT_TRUE(test_case.ok()) << test_case.error().cause;
  testing::TempDir dir;
  store::StoreOptions options;
  options.durability = store::Durability::kNormal;
  auto store = store::Store::Open(dir.path() + "/cases.db", options);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto db = MakeLocalDynamoDb(**store);
  for (const std::string& failure : testing::RunDynamoDbCase(*db, *test_case)) {
    ADD_FAILURE() << failure;
  }
}

TEST(DynamoDbCases, TheCaseFolderHasCases) { EXPECT_FALSE(CaseFiles().empty()) << CaseDir(); }

INSTANTIATE_TEST_SUITE_P(Cases, DynamoDbCaseTest, ::testing::ValuesIn(CaseFiles()),
                         [](const ::testing::TestParamInfo<std::filesystem::path>& info) {
                           std::string name = info.param.stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace autoretrain::integrations
