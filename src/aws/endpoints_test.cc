// Region and endpoint resolution, with injected environments and config files.
#include "autoretrain/aws/endpoints.h"

#include <gtest/gtest.h>

namespace autoretrain::aws {
namespace {

SharedConfig Config(const MapEnvironment& env) {
  auto config = SharedConfig::Load(env);
  EXPECT_TRUE(config.ok()) << config.error().cause;
  return std::move(config).value();
}

MapEnvironment Env() {
  MapEnvironment env;
  env.vars["HOME"] = "/h";
  return env;
}

TEST(RegionTest, Precedence) {
  MapEnvironment env = Env();
  env.files["/h/.aws/config"] =
      "[default]\nregion = eu-central-1\n[profile p]\nregion=ap-south-1\n";
  EXPECT_EQ(*ResolveRegion(env, Config(env)), "eu-central-1");
  env.vars["AWS_PROFILE"] = "p";
  EXPECT_EQ(*ResolveRegion(env, Config(env)), "ap-south-1");
  env.vars["AWS_DEFAULT_REGION"] = "us-west-1";
  EXPECT_EQ(*ResolveRegion(env, Config(env)), "us-west-1");
  env.vars["AWS_REGION"] = "us-east-2";
  EXPECT_EQ(*ResolveRegion(env, Config(env)), "us-east-2");
}

TEST(RegionTest, MissingRegionSaysHowToSetIt) {
  MapEnvironment env = Env();
  auto region = ResolveRegion(env, Config(env));
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.error().error, "NoRegion");
  EXPECT_NE(region.error().cause.find("Set AWS_REGION"), std::string::npos);
}

TEST(EndpointTest, EnvironmentVariableNames) {
  EXPECT_EQ(EndpointEnvVar("SFN"), "AWS_ENDPOINT_URL_SFN");
  EXPECT_EQ(EndpointEnvVar("DynamoDB"), "AWS_ENDPOINT_URL_DYNAMODB");
  EXPECT_EQ(EndpointEnvVar("Elastic Beanstalk"), "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK");
  EXPECT_EQ(ServicesSectionKey("Elastic Beanstalk"), "elastic_beanstalk");
}

TEST(EndpointTest, DefaultsPerPartition) {
  MapEnvironment env = Env();
  SharedConfig config = Config(env);
  auto sfn = ResolveEndpoint(env, config, StepFunctionsService(), "us-east-1");
  ASSERT_TRUE(sfn.ok());
  EXPECT_EQ(sfn->url, "https://states.us-east-1.amazonaws.com");
  EXPECT_EQ(sfn->signing_name, "states");
  EXPECT_EQ(sfn->signing_region, "us-east-1");
  EXPECT_FALSE(sfn->custom);
  EXPECT_EQ(ResolveEndpoint(env, config, DynamoDbService(), "cn-north-1")->url,
            "https://dynamodb.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(ResolveEndpoint(env, config, SnsService(), "us-gov-west-1")->url,
            "https://sns.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(env, config, S3Service(), "us-isob-east-1")->url,
            "https://s3.us-isob-east-1.sc2s.sgov.gov");
  EXPECT_FALSE(ResolveEndpoint(env, config, S3Service(), "eu-west-1")->path_style);
}

TEST(EndpointTest, Precedence) {
  MapEnvironment env = Env();
  env.files["/h/.aws/config"] =
      "[default]\nendpoint_url = http://profile:1\nservices = local\n"
      "[services local]\nsfn =\n  endpoint_url = http://services-sfn:2/\n";
  auto resolve = [&](EndpointOptions options = {}) {
    auto endpoint = ResolveEndpoint(env, Config(env), StepFunctionsService(), "us-east-1", options);
    EXPECT_TRUE(endpoint.ok());
    return endpoint->url + " <- " + endpoint->source;
  };
  // The profile's services section beats its endpoint_url; other services use endpoint_url.
  EXPECT_EQ(resolve(), "http://services-sfn:2 <- [services local] in /h/.aws/config");
  EXPECT_EQ(ResolveEndpoint(env, Config(env), SnsService(), "us-east-1")->url, "http://profile:1");
  env.vars["AWS_ENDPOINT_URL"] = "http://global:3";
  EXPECT_EQ(resolve(), "http://global:3 <- AWS_ENDPOINT_URL");
  env.vars["AWS_ENDPOINT_URL_SFN"] = "http://127.0.0.1:8083";
  EXPECT_EQ(resolve(), "http://127.0.0.1:8083 <- AWS_ENDPOINT_URL_SFN");
  EXPECT_EQ(resolve({"https://project:4", std::nullopt}),
            "https://project:4 <- the project configuration");
  env.vars["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(resolve(),
            "https://states.us-east-1.amazonaws.com <- AWS's default endpoint for "
            "us-east-1");
}

TEST(EndpointTest, InvalidConfiguredUrl) {
  MapEnvironment env = Env();
  env.vars["AWS_ENDPOINT_URL_S3"] = "localhost:9000";
  auto endpoint = ResolveEndpoint(env, Config(env), S3Service(), "us-east-1");
  ASSERT_FALSE(endpoint.ok());
  EXPECT_EQ(endpoint.error().error, "EndpointError");
  EXPECT_NE(endpoint.error().cause.find("AWS_ENDPOINT_URL_S3"), std::string::npos);
}

TEST(EndpointTest, S3Addressing) {
  MapEnvironment env = Env();
  auto aws = ResolveEndpoint(env, Config(env), S3Service(), "eu-west-1");
  ASSERT_TRUE(aws.ok());
  EXPECT_EQ(S3ObjectUrl(*aws, "my-bucket", "decisions/2026 11/out.csv"),
            "https://my-bucket.s3.eu-west-1.amazonaws.com/decisions/2026%2011/out.csv");
  // Not DNS-compatible over https: path-style regardless.
  EXPECT_EQ(S3ObjectUrl(*aws, "my.bucket", "k"), "https://s3.eu-west-1.amazonaws.com/my.bucket/k");

  env.vars["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000/";
  auto minio = ResolveEndpoint(env, Config(env), S3Service(), "us-east-1");
  ASSERT_TRUE(minio.ok());
  EXPECT_TRUE(minio->path_style);  // custom endpoints default to path-style
  EXPECT_EQ(S3ObjectUrl(*minio, "models", "a/b.csv"), "http://127.0.0.1:9000/models/a/b.csv");

  env.files["/h/.aws/config"] = "[default]\ns3 =\n  addressing_style = virtual\n";
  EXPECT_FALSE(ResolveEndpoint(env, Config(env), S3Service(), "us-east-1")->path_style);
  EndpointOptions forced;
  forced.force_path_style = true;
  EXPECT_TRUE(ResolveEndpoint(env, Config(env), S3Service(), "us-east-1", forced)->path_style);
}

}  // namespace
}  // namespace autoretrain::aws
