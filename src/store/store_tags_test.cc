// Store resource tags: add and replace, remove, list in key order, the 50-tag limit (all or
// nothing), deletion with the resource, and durability across reopening the file.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

constexpr char kArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:M";
constexpr char kOtherArn[] = "arn:aws:states:us-east-1:123456789012:activity:A";

std::vector<ResourceTag> Numbered(int first, int count) {
  std::vector<ResourceTag> tags;
  for (int i = first; i < first + count; ++i) {
    tags.push_back({"k" + std::to_string(i), "v" + std::to_string(i)});
  }
  return tags;
}

TEST(StoreTagsTest, TagReplaceUntagAndList) {
  auto store = Store::OpenInMemory().value();
  auto none = store->ListResourceTags(kArn);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE(store->TagResource(kArn, {{"team", "ml"}, {"env", "dev"}}).ok());
  ASSERT_TRUE(store->TagResource(kOtherArn, {{"team", "other"}}).ok());
  ASSERT_TRUE(store->TagResource(kArn, {{"env", "prod"}, {"empty", ""}}).ok());
  auto tags = store->ListResourceTags(kArn);
  ASSERT_TRUE(tags.ok()) << tags.error().cause;
  EXPECT_EQ(*tags, (std::vector<ResourceTag>{{"empty", ""}, {"env", "prod"}, {"team", "ml"}}));
  ASSERT_TRUE(store->UntagResource(kArn, {"env", "missing"}).ok());
  tags = store->ListResourceTags(kArn);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(*tags, (std::vector<ResourceTag>{{"empty", ""}, {"team", "ml"}}));
  EXPECT_EQ(store->ListResourceTags(kOtherArn).value(),
            (std::vector<ResourceTag>{{"team", "other"}}));
  // A key repeated within one call: the last value wins.
  ASSERT_TRUE(store->TagResource(kArn, {{"dup", "1"}, {"dup", "2"}}).ok());
  EXPECT_EQ(store->ListResourceTags(kArn).value()[0], (ResourceTag{"dup", "2"}));
}

TEST(StoreTagsTest, MoreThanFiftyTagsAreRefusedAndNothingIsWritten) {
  auto store = Store::OpenInMemory().value();
  ASSERT_TRUE(store->TagResource(kArn, Numbered(0, 49)).ok());
  // Replacing existing keys does not count twice.
  ASSERT_TRUE(store->TagResource(kArn, Numbered(0, 10)).ok());
  Status over = store->TagResource(kArn, Numbered(49, 2));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().error, "TooManyTags");
  EXPECT_NE(over.error().cause.find(kArn), std::string::npos) << over.error().cause;
  EXPECT_EQ(store->ListResourceTags(kArn).value().size(), 49u);
  ASSERT_TRUE(store->TagResource(kArn, Numbered(49, 1)).ok());
  EXPECT_EQ(store->ListResourceTags(kArn).value().size(), 50u);
  EXPECT_EQ(store->TagResource(kArn, {{"one-more", ""}}).error().error, "TooManyTags");
  // Another resource has its own limit.
  EXPECT_TRUE(store->TagResource(kOtherArn, Numbered(0, 50)).ok());
}

TEST(StoreTagsTest, DeleteRemovesOnlyThatResourcesTags) {
  auto store = Store::OpenInMemory().value();
  ASSERT_TRUE(store->TagResource(kArn, Numbered(0, 3)).ok());
  ASSERT_TRUE(store->TagResource(kOtherArn, Numbered(0, 2)).ok());
  ASSERT_TRUE(store->DeleteResourceTags(kArn).ok());
  ASSERT_TRUE(store->DeleteResourceTags(kArn).ok());  // again: nothing to do
  EXPECT_TRUE(store->ListResourceTags(kArn).value().empty());
  EXPECT_EQ(store->ListResourceTags(kOtherArn).value().size(), 2u);
}

TEST(StoreTagsTest, TagsSurviveReopeningTheFile) {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.File("db.sqlite"));
    ASSERT_TRUE(store.ok()) << store.error().cause;
    EXPECT_EQ((*store)->SchemaVersion().value(), kSchemaVersion);
    ASSERT_TRUE((*store)->TagResource(kArn, {{"team", "ml"}}).ok());
  }
  auto store = Store::Open(dir.File("db.sqlite"));
  ASSERT_TRUE(store.ok()) << store.error().cause;
  EXPECT_EQ((*store)->ListResourceTags(kArn).value(), (std::vector<ResourceTag>{{"team", "ml"}}));
}

}  // namespace
}  // namespace autoretrain::store
