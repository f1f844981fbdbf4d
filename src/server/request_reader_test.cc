#include "server/request_reader.h"

#include <gtest/gtest.h>

#include "server/json_protocol.h"
#include "server/server_test_util.h"

namespace autoretrain::server {
namespace {

using testing::Parse;

TEST(RequestReaderTest, ReadsValidMembers) {
  json::Object input =
      Parse(R"({"name":"n","maxResults":5,"reverseOrder":true,"type":"STANDARD"})");
  RequestReader reader(input);
  EXPECT_EQ(reader.String("name", true, 1, 80), "n");
  EXPECT_EQ(reader.Integer("maxResults", 0, 1000), 5);
  EXPECT_EQ(reader.Boolean("reverseOrder"), true);
  EXPECT_EQ(reader.Enum("type", false, {"STANDARD", "EXPRESS"}), "STANDARD");
  EXPECT_EQ(reader.String("absent", false, 1, 10), std::nullopt);
  EXPECT_TRUE(reader.Finish().ok());
}

TEST(RequestReaderTest, ListsEveryViolationAsAwsDoes) {
  json::Object input = Parse(R"({"name":"","maxResults":-1})");
  RequestReader reader(input);
  reader.String("name", true, 1, 80);
  reader.String("roleArn", true, 1, 256);
  reader.Integer("maxResults", 0, 1000);
  Status status = reader.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().error, kValidationException);
  EXPECT_EQ(status.error().cause,
            "3 validation errors detected: Value '' at 'name' failed to satisfy constraint: "
            "Member must have length greater than or equal to 1; Value null at 'roleArn' failed "
            "to satisfy constraint: Member must not be null; Value -1 at 'maxResults' failed to "
            "satisfy constraint: Member must have value greater than or equal to 0");
}

TEST(RequestReaderTest, NullIsAbsent) {
  json::Object input = Parse(R"({"name":null})");
  RequestReader reader(input);
  reader.String("name", true, 1, 80);
  EXPECT_EQ(reader.Finish().error().cause,
            "1 validation error detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null");
}

TEST(RequestReaderTest, WrongTypeIsASerializationException) {
  json::Object input = Parse(R"({"name":5,"maxResults":"x","flag":1})");
  RequestReader reader(input);
  reader.String("name", true, 1, 80);
  reader.Integer("maxResults", 0, 1000);
  reader.Boolean("flag");
  Status status = reader.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().error, kSerializationException);
  EXPECT_EQ(status.error().cause, "'name' must be a string, not a JSON number");
}

TEST(RequestReaderTest, CountsCharactersNotBytes) {
  // 80 two-byte characters are 80 characters: within the limit.
  std::string name;
  for (int i = 0; i < 80; ++i) name += "\xC3\xA9";
  json::Object input{{"name", name}};
  RequestReader reader(input);
  EXPECT_EQ(reader.String("name", true, 1, 80), name);
  EXPECT_TRUE(reader.Finish().ok());
  EXPECT_EQ(CharacterCount("a\xC3\xA9\xF0\x9F\x98\x80"), 3u);
}

TEST(RequestReaderTest, EnumListsTheAllowedValues) {
  json::Object input = Parse(R"({"statusFilter":"DONE"})");
  RequestReader reader(input);
  EXPECT_EQ(reader.Enum("statusFilter", false, {"RUNNING", "FAILED"}), std::nullopt);
  EXPECT_EQ(reader.Finish().error().cause,
            "1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy "
            "constraint: Member must satisfy enum value set: [RUNNING, FAILED]");
}

TEST(RequestReaderTest, HugeIntegersAreViolationsNotCrashes) {
  json::Object input = Parse(R"({"maxResults":18446744073709551615})");
  RequestReader reader(input);
  EXPECT_EQ(reader.Integer("maxResults", 0, 1000), std::nullopt);
  EXPECT_EQ(reader.Finish().error().error, kValidationException);
}

}  // namespace
}  // namespace autoretrain::server
