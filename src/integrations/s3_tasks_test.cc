// The aws-sdk:s3:* task integrations through the TaskRouter, on the local-directory object
// store (the S3 backend runs the same code: tests/e2e/test_s3_backend.py), and the local
// store's HeadObject, GetObjectWithInfo, PutObject result and ListObjectsV2.
#include "integrations/s3_tasks.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "autoretrain/integrations/task_router.h"
#include "integrations/local_listing.h"
#include "integrations/test_util.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using testing::TempDir;

using json::testing::J;

constexpr char kGet[] = "arn:aws:states:::aws-sdk:s3:getObject";
constexpr char kPut[] = "arn:aws:states:::aws-sdk:s3:putObject";
constexpr char kHead[] = "arn:aws:states:::aws-sdk:s3:headObject";
constexpr char kList[] = "arn:aws:states:::aws-sdk:s3:listObjectsV2";

class S3TasksTest : public ::testing::Test {
 protected:
  S3TasksTest()
      : store_(MakeLocalObjectStore(root_.path())),
        clock_(TimePoint{}),
        router_(functions_, clock_) {
    std::filesystem::create_directories(root_ / "bucket");
    router_.set_object_store(store_.get());
  }

  Result<json::Value> Invoke(std::string_view resource, std::string_view parameters) {
    json::Value params = J(parameters);
    json::Value context = json::Object{};
    engine::TaskRequest request{.resource = resource,
                                .parameters = &params,
                                .context = &context,
                                .state_name = "S3Step",
                                .execution_arn =
                                    "arn:aws:states:us-east-1:123456789012:"
                                    "execution:m:e",
                                .timeout_seconds = std::nullopt};
    return router_.Invoke(request);
  }

  TempDir root_;
  std::unique_ptr<ObjectStore> store_;
  FunctionRegistry functions_;
  ManualClock clock_;
  TaskRouter router_;
};

TEST_F(S3TasksTest, PutThenGetReturnsSdkShapedResponses) {
  auto put = Invoke(kPut, R"({"Bucket":"bucket","Key":"dir/a.csv","Body":"x,y\n1,2\n"})");
  ASSERT_TRUE(put.ok()) << put.error().cause;
  const std::string etag = QuotedMd5("x,y\n1,2\n");
  EXPECT_EQ(json::Serialize(*put),
            json::Serialize(J(R"({"ETag":)" + json::Serialize(json::Value(etag)) + "}")));

  auto got = Invoke(kGet, R"({"Bucket":"bucket","Key":"dir/a.csv"})");
  ASSERT_TRUE(got.ok()) << got.error().cause;
  const json::Object& o = got->get_object();
  EXPECT_EQ(o.at("Body").get_string(), "x,y\n1,2\n");
  EXPECT_EQ(o.at("ContentLength").get_int64(), 8);
  EXPECT_EQ(o.at("ETag").get_string(), etag);
  EXPECT_EQ(o.at("AcceptRanges").get_string(), "bytes");
  EXPECT_TRUE(o.at("Metadata").get_object().empty());
  TimePoint modified;
  EXPECT_TRUE(ParseIso8601(std::string(o.at("LastModified").get_string()), &modified));
  EXPECT_FALSE(o.contains("ContentType"));  // the local store keeps none

  auto head = Invoke(kHead, R"({"Bucket":"bucket","Key":"dir/a.csv"})");
  ASSERT_TRUE(head.ok()) << head.error().cause;
  EXPECT_EQ(head->get_object().at("ContentLength").get_int64(), 8);
  EXPECT_FALSE(head->get_object().contains("Body"));
}

TEST_F(S3TasksTest, JsonBodyIsStoredAsJsonText) {
  ASSERT_TRUE(Invoke(kPut, R"({"Bucket":"bucket","Key":"k.json","Body":{"a":[1,2]}})").ok());
  EXPECT_EQ(store_->GetObject("bucket", "k.json", 100).value(), R"({"a":[1,2]})");
}

TEST_F(S3TasksTest, ErrorsAreNamedAsStepFunctionsNamesSdkErrors) {
  auto missing = Invoke(kGet, R"({"Bucket":"bucket","Key":"nope.csv"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "S3.NoSuchKeyException");
  EXPECT_NE(missing.error().cause.find("Status Code: 404, Error Code: NoSuchKey"),
            std::string::npos);
  EXPECT_EQ(Invoke(kGet, R"({"Bucket":"other","Key":"k"})").error().error,
            "S3.NoSuchBucketException");
  auto invalid = Invoke(kPut, R"({"Bucket":"bucket","Key":"../escape","Body":"x"})");
  EXPECT_EQ(invalid.error().error, "S3.S3Exception");
  EXPECT_NE(invalid.error().cause.find("Error Code: InvalidObjectName"), std::string::npos);
}

TEST_F(S3TasksTest, ParameterProblemsAreRuntimeErrors) {
  auto no_key = Invoke(kGet, R"({"Bucket":"bucket"})");
  EXPECT_EQ(no_key.error().error, "States.Runtime");
  EXPECT_NE(no_key.error().cause.find("'Key' is required"), std::string::npos);
  EXPECT_EQ(Invoke(kGet, R"({"Bucket":1,"Key":"k"})").error().error, "States.Runtime");
  auto unsupported = Invoke("arn:aws:states:::aws-sdk:s3:deleteBucket", R"({"Bucket":"b"})");
  EXPECT_EQ(unsupported.error().error, "States.Runtime");
  EXPECT_NE(unsupported.error().cause.find("Supported S3 calls"), std::string::npos);
  EXPECT_EQ(Invoke("arn:aws:states:::aws-sdk:s3:getObject.sync", "{}").error().error,
            "States.Runtime");
}

TEST_F(S3TasksTest, LargeOrBinaryObjectsAreRefused) {
  ASSERT_TRUE(store_->PutObject("bucket", "big", std::string(kS3TaskMaxBodyBytes + 1, 'a')).ok());
  EXPECT_EQ(Invoke(kGet, R"({"Bucket":"bucket","Key":"big"})").error().error,
            "States.DataLimitExceeded");
  ASSERT_TRUE(store_->PutObject("bucket", "bin", std::string("\xff\xfe", 2)).ok());
  auto binary = Invoke(kGet, R"({"Bucket":"bucket","Key":"bin"})");
  EXPECT_EQ(binary.error().error, "S3.S3Exception");
  EXPECT_NE(binary.error().cause.find("not UTF-8"), std::string::npos);
}

TEST_F(S3TasksTest, NoStoreIsARuntimeError) {
  router_.set_object_store(nullptr);
  auto result = Invoke(kGet, R"({"Bucket":"bucket","Key":"k"})");
  EXPECT_EQ(result.error().error, "States.Runtime");
  EXPECT_NE(result.error().cause.find("No object store"), std::string::npos);
}

TEST_F(S3TasksTest, ListObjectsV2PagesInKeyOrder) {
  for (std::string key : {"runs/b", "runs/a", "runs/c/d", "other"}) {
    ASSERT_TRUE(store_->PutObject("bucket", key, key).ok());
  }
  auto page = Invoke(kList, R"({"Bucket":"bucket","Prefix":"runs/","MaxKeys":2})");
  ASSERT_TRUE(page.ok()) << page.error().cause;
  const json::Object& o = page->get_object();
  ASSERT_EQ(o.at("Contents").get_array().size(), 2u);
  EXPECT_EQ(o.at("Contents").get_array()[0].get_object().at("Key").get_string(), "runs/a");
  EXPECT_EQ(o.at("Contents").get_array()[1].get_object().at("Key").get_string(), "runs/b");
  EXPECT_EQ(o.at("Contents").get_array()[1].get_object().at("Size").get_int64(), 6);
  EXPECT_TRUE(o.at("IsTruncated").get_bool());
  EXPECT_EQ(o.at("KeyCount").get_int64(), 2);
  std::string token(o.at("NextContinuationToken").get_string());
  auto rest =
      Invoke(kList, R"({"Bucket":"bucket","Prefix":"runs/","ContinuationToken":")" + token + "\"}");
  ASSERT_TRUE(rest.ok()) << rest.error().cause;
  ASSERT_EQ(rest->get_object().at("Contents").get_array().size(), 1u);
  EXPECT_EQ(rest->get_object().at("Contents").get_array()[0].get_object().at("Key").get_string(),
            "runs/c/d");
  EXPECT_FALSE(rest->get_object().at("IsTruncated").get_bool());
  EXPECT_EQ(Invoke(kList, R"({"Bucket":"missing"})").error().error, "S3.NoSuchBucketException");
  EXPECT_EQ(Invoke(kList, R"({"Bucket":"bucket","MaxKeys":0})").error().error, "States.Runtime");
}

TEST_F(S3TasksTest, LocalHeadAndGetWithInfoAgree) {
  ASSERT_TRUE(store_->PutObject("bucket", "k", "hello").ok());
  auto head = store_->HeadObject("bucket", "k");
  auto get = store_->GetObjectWithInfo("bucket", "k", 100);
  ASSERT_TRUE(head.ok() && get.ok());
  EXPECT_EQ(head->etag, "\"5d41402abc4b2a76b9719d911017c592\"");  // MD5("hello")
  EXPECT_EQ(get->info.etag, head->etag);
  EXPECT_EQ(get->info.size, 5u);
  EXPECT_EQ(get->info.last_modified, head->last_modified);
  EXPECT_EQ(store_->HeadObject("bucket", "nope").error().error, "NoSuchKey");
  EXPECT_EQ(store_->GetObjectWithInfo("bucket", "k", 4).error().error, "EntityTooLarge");
}

TEST(S3TaskErrorTest, TransportErrorsKeepTheirNames) {
  EXPECT_EQ(S3TaskError(Error{"HttpTimeout", "slow"}).error, "HttpTimeout");
  EXPECT_EQ(S3TaskError(Error{"NoCredentials", "none"}).error, "NoCredentials");
  Error denied = S3TaskError(Error{"AccessDenied", "Access Denied"});
  EXPECT_EQ(denied.error, "S3.S3Exception");
  EXPECT_EQ(denied.cause,
            "Access Denied (Service: S3, Status Code: 403, Error Code: AccessDenied)");
}

}  // namespace
}  // namespace autoretrain::integrations
