#include "server/json_protocol.h"

#include <gtest/gtest.h>

namespace autoretrain::server {
namespace {

HttpRequest Post(std::string target, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.path = request.target = "/";
  if (!target.empty()) request.headers.emplace_back("x-amz-target", std::move(target));
  request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
  request.body = std::move(body);
  return request;
}

TEST(JsonProtocolTest, ParsesTheOperationAndBody) {
  Result<JsonCall> call = ParseJsonCall(
      Post("AWSStepFunctions.ListStateMachines", R"({"maxResults":2})"), "AWSStepFunctions");
  ASSERT_TRUE(call.ok()) << call.error().cause;
  EXPECT_EQ(call->operation, "ListStateMachines");
  EXPECT_EQ(call->input.at("maxResults").as_int64(), 2);
}

TEST(JsonProtocolTest, AnEmptyBodyIsTheEmptyObject) {
  Result<JsonCall> call =
      ParseJsonCall(Post("AWSStepFunctions.ListStateMachines", " \n"), "AWSStepFunctions");
  ASSERT_TRUE(call.ok());
  EXPECT_TRUE(call->input.empty());
}

TEST(JsonProtocolTest, RejectsMissingOrForeignTargets) {
  for (std::string target :
       {"", "AWSStepFunctions", "AWSStepFunctions.", "AmazonSQS.Send", "AWSStepFunctionsX.List"}) {
    Result<JsonCall> call = ParseJsonCall(Post(target, "{}"), "AWSStepFunctions");
    ASSERT_FALSE(call.ok()) << target;
    EXPECT_EQ(call.error().error, kUnknownOperationException) << target;
  }
}

TEST(JsonProtocolTest, RejectsBodiesThatAreNotAJsonObject) {
  for (std::string body : {"{", "[1]", "\"text\"", "nul", "{\"a\":1}x"}) {
    Result<JsonCall> call = ParseJsonCall(Post("AWSStepFunctions.X", body), "AWSStepFunctions");
    ASSERT_FALSE(call.ok()) << body;
    EXPECT_EQ(call.error().error, kSerializationException) << body;
  }
}

TEST(JsonProtocolTest, ErrorTypesAreNamespacedAsAwsWritesThem) {
  EXPECT_EQ(NamespacedType("ValidationException"), "com.amazon.coral.validate#ValidationException");
  EXPECT_EQ(NamespacedType("SerializationException"),
            "com.amazon.coral.service#SerializationException");
  EXPECT_EQ(NamespacedType("UnknownOperationException"),
            "com.amazon.coral.service#UnknownOperationException");
  EXPECT_EQ(NamespacedType("StateMachineDoesNotExist"),
            "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist");
  EXPECT_EQ(NamespacedType("ExecutionDoesNotExist"),
            "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist");
}

TEST(JsonProtocolTest, ErrorResponses) {
  HttpResponse response = JsonErrorResponse(Error{"InvalidArn", "Invalid Arn: 'x'"});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(
      response.body,
      R"({"__type":"com.amazonaws.swf.service.v2.model#InvalidArn","message":"Invalid Arn: 'x'"})");

  // A storage failure is the server's fault: 500 InternalFailure, keeping the name.
  response = JsonErrorResponse(Error{"StoreFull", "disk full"});
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(
      response.body,
      R"({"__type":"com.amazon.coral.service#InternalFailure","message":"StoreFull: disk full"})");

  EXPECT_EQ(JsonErrorResponse(Error{"RequestEntityTooLargeException", "big"}, 413).status, 413);
  EXPECT_EQ(JsonErrorResponse(Error{"ServiceUnavailableException", "busy"}).status, 503);
}

TEST(JsonProtocolTest, SuccessResponsesCarryARequestId) {
  HttpResponse a = JsonResponse(json::Object{{"k", 1}});
  HttpResponse b = JsonResponse(json::Object{});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, R"({"k":1})");
  ASSERT_EQ(a.headers.size(), 1u);
  EXPECT_EQ(a.headers[0].first, "x-amzn-RequestId");
  EXPECT_NE(a.headers[0].second, b.headers[0].second);
}

TEST(HttpRequestTest, HeadersAreCaseInsensitive) {
  HttpRequest request = Post("AWSStepFunctions.X", "");
  EXPECT_EQ(request.Header("X-Amz-Target"), "AWSStepFunctions.X");
  EXPECT_EQ(request.Header("CONTENT-TYPE"), "application/x-amz-json-1.0");
  EXPECT_EQ(request.Header("Authorization"), "");
}

}  // namespace
}  // namespace autoretrain::server
