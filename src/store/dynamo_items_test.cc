// The store's DynamoDB tables: table rows, key-ordered range reads, conditional writes in one
// transaction, and persistence across reopening the file.
#include <gtest/gtest.h>

#include "autoretrain/store/store.h"
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::TempDir;

std::vector<std::string> Ranges(const std::vector<DynamoItemRow>& rows) {
  std::vector<std::string> out;
  for (const DynamoItemRow& row : rows) out.push_back(row.key.range);
  return out;
}

Status Put(Store& store, const std::string& table, DynamoKey key, std::string item) {
  return store.WriteDynamoItem(table, key, [&](const std::optional<std::string>&) {
    return Result<DynamoWrite>(DynamoWrite{DynamoWrite::Kind::kPut, item});
  });
}

class DynamoItemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::Open(dir_.File("data.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().cause;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->CreateDynamoTable("history", R"({"TableName":"history"})").ok());
    // Range keys with a 0xff byte and an embedded NUL: stored and ordered as bytes.
    for (std::string range : {std::string("b"), std::string("a"), std::string("a\0z", 3),
                              std::string("\xff"), std::string("c")}) {
      ASSERT_TRUE(Put(*store_, "history", {"fraud", range}, "{\"r\":1}").ok());
    }
    ASSERT_TRUE(Put(*store_, "history", {"churn", "a"}, "{}").ok());
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(DynamoItemsTest, TablesAreUniqueListedAndDeletedWithTheirItems) {
  Status again = store_->CreateDynamoTable("history", "{}");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "ResourceInUseException");
  ASSERT_TRUE(store_->CreateDynamoTable("alpha", "{}").ok());
  EXPECT_EQ(*store_->ListDynamoTables("", 10), (std::vector<std::string>{"alpha", "history"}));
  EXPECT_EQ(*store_->ListDynamoTables("alpha", 10), (std::vector<std::string>{"history"}));
  EXPECT_EQ(store_->DynamoTableStatistics("history")->item_count, 6);
  ASSERT_TRUE(store_->DeleteDynamoTable("history").ok());
  EXPECT_EQ(store_->DeleteDynamoTable("history").error().error, "ResourceNotFoundException");
  EXPECT_EQ(store_->GetDynamoItem("history", {"fraud", "a"}).error().error,
            "ResourceNotFoundException");
  ASSERT_TRUE(store_->CreateDynamoTable("history", "{}").ok());
  EXPECT_EQ(store_->DynamoTableStatistics("history")->item_count, 0);  // no items survived
}

TEST_F(DynamoItemsTest, RangeReadsFollowByteOrderInBothDirections) {
  DynamoItemRange range;
  range.hash = "fraud";
  EXPECT_EQ(Ranges(*store_->ReadDynamoItems("history", range)),
            (std::vector<std::string>{"a", std::string("a\0z", 3), "b", "c", "\xff"}));
  range.forward = false;
  range.limit = 2;
  EXPECT_EQ(Ranges(*store_->ReadDynamoItems("history", range)),
            (std::vector<std::string>{"\xff", "c"}));
  range.after = DynamoKey{"fraud", "c"};
  EXPECT_EQ(Ranges(*store_->ReadDynamoItems("history", range)),
            (std::vector<std::string>{"b", std::string("a\0z", 3)}));
  DynamoItemRange bounded;
  bounded.hash = "fraud";
  bounded.low = "a";
  bounded.low_inclusive = false;
  bounded.high = "c";
  EXPECT_EQ(Ranges(*store_->ReadDynamoItems("history", bounded)),
            (std::vector<std::string>{std::string("a\0z", 3), "b", "c"}));
  DynamoItemRange all;  // a scan: every partition, hash then range
  all.after = DynamoKey{"churn", "a"};
  EXPECT_EQ(store_->ReadDynamoItems("history", all)->size(), 5u);
}

TEST_F(DynamoItemsTest, AFailedDecisionWritesNothing) {
  Status refused = store_->WriteDynamoItem(
      "history", {"fraud", "a"}, [](const std::optional<std::string>& current) {
        EXPECT_EQ(current, std::optional<std::string>("{\"r\":1}"));
        return Result<DynamoWrite>(
            Error{"ConditionalCheckFailedException", "The conditional request failed"});
      });
  EXPECT_EQ(refused.error().error, "ConditionalCheckFailedException");
  EXPECT_EQ(*store_->GetDynamoItem("history", {"fraud", "a"}),
            std::optional<std::string>("{\"r\":1}"));
  ASSERT_TRUE(store_
                  ->WriteDynamoItem(
                      "history", {"fraud", "a"},
                      [](const std::optional<std::string>&) {
                        return Result<DynamoWrite>(DynamoWrite{DynamoWrite::Kind::kDelete, ""});
                      })
                  .ok());
  EXPECT_EQ(*store_->GetDynamoItem("history", {"fraud", "a"}), std::nullopt);
  EXPECT_EQ(Put(*store_, "nope", {"x", ""}, "{}").error().error, "ResourceNotFoundException");
}

TEST_F(DynamoItemsTest, ItemsSurviveReopening) {
  store_.reset();
  auto reopened = Store::Open(dir_.File("data.db"));
  ASSERT_TRUE(reopened.ok()) << reopened.error().cause;
  EXPECT_EQ(*(*reopened)->GetDynamoTable("history"),
            std::optional<std::string>(R"({"TableName":"history"})"));
  EXPECT_EQ(*(*reopened)->GetDynamoItem("history", {"fraud", "\xff"}),
            std::optional<std::string>("{\"r\":1}"));
}

}  // namespace
}  // namespace autoretrain::store
