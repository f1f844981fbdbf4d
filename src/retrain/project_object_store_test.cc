// autoretrain.json's "object_store": validation (errors name the field) and the store it builds.
#include <gtest/gtest.h>

#include <cstdlib>

#include "autoretrain/aws/s3_object_store.h"
#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {
namespace {

Result<ProjectConfig> ParseObjectStore(const std::string& object_store) {
  return ParseProjectConfig("{\"object_store\": " + object_store + "}", "/tmp/project");
}

std::string ObjectStoreProblems(const std::string& object_store) {
  Result<ProjectConfig> config = ParseObjectStore(object_store);
  return config.ok() ? "<ok>" : config.error().cause;
}

TEST(ProjectObjectStoreTest, DefaultIsTheLocalDirectory) {
  Result<ProjectConfig> config = ParseProjectConfig("{}", "/tmp/project");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  EXPECT_EQ(config->object_store.type, ObjectStoreConfig::Type::kLocal);
  ASSERT_TRUE(ParseObjectStore(R"({"type": "local"})").ok());
  EXPECT_EQ(ParseObjectStore(R"({"type": "local"})")->object_store.type,
            ObjectStoreConfig::Type::kLocal);
}

TEST(ProjectObjectStoreTest, S3WithEverySetting) {
  Result<ProjectConfig> config = ParseObjectStore(
      R"({"type": "s3", "region": "eu-west-1", "endpoint_url": "http://127.0.0.1:4568/",
          "path_style": true})");
  ASSERT_TRUE(config.ok()) << config.error().cause;
  const ObjectStoreConfig& store = config->object_store;
  EXPECT_EQ(store.type, ObjectStoreConfig::Type::kS3);
  EXPECT_EQ(store.region, "eu-west-1");
  EXPECT_EQ(store.endpoint_url.value(), "http://127.0.0.1:4568");
  EXPECT_EQ(store.path_style.value(), true);
  Result<ProjectConfig> minimal = ParseObjectStore(R"({"type": "s3"})");
  ASSERT_TRUE(minimal.ok());
  EXPECT_FALSE(minimal->object_store.endpoint_url.has_value());
  EXPECT_FALSE(minimal->object_store.path_style.has_value());
}

TEST(ProjectObjectStoreTest, ProblemsNameTheField) {
  EXPECT_NE(ObjectStoreProblems(R"({"type": "gcs"})")
                .find("object_store.type: expected \"local\" or \"s3\""),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({})").find("object_store"), std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({"type": "s3", "region": "Mars"})").find("object_store.region"),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({"type": "s3", "endpoint_url": "127.0.0.1:9000"})")
                .find("object_store.endpoint_url: expected an http(s) URL"),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({"type": "s3", "path_style": "yes"})")
                .find("object_store.path_style: expected true or false, got string"),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({"type": "s3", "endpoint": "http://x"})").find("endpoint"),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"({"type": "local", "region": "us-east-1"})").find("region"),
            std::string::npos);
  EXPECT_NE(ObjectStoreProblems(R"("s3")").find("object_store"), std::string::npos);
}

TEST(ProjectObjectStoreTest, MakesTheConfiguredStore) {
  ProjectConfig config = ParseObjectStore(R"({"type": "s3", "endpoint_url": "http://127.0.0.1:9",
                                   "region": "eu-central-1"})")
                             .value();
  auto store = MakeProjectObjectStore(config);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto* s3 = dynamic_cast<aws::S3ObjectStore*>(store->get());
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->endpoint().url, "http://127.0.0.1:9");
  EXPECT_EQ(s3->endpoint().signing_region, "eu-central-1");
  EXPECT_TRUE(s3->endpoint().path_style);

  config.object_store.type = ObjectStoreConfig::Type::kLocal;
  store = MakeProjectObjectStore(config);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(dynamic_cast<aws::S3ObjectStore*>(store->get()), nullptr);
}

}  // namespace
}  // namespace autoretrain::retrain
