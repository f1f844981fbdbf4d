// Store EventBridge Scheduler records: groups and schedules created, read, listed in order,
// replaced and deleted, the errors for duplicates and unknown ones, a group's deletion taking its
// schedules and tags, and durability across reopening the file.
#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

TEST(StoreSchedulesTest, GroupsCreateGetListDelete) {
  auto store = Store::OpenInMemory().value();
  EXPECT_EQ(store->GetSchedulerGroup("g").value(), std::nullopt);
  ASSERT_TRUE(store->CreateSchedulerGroup("g2", R"({"Name":"g2"})", "arn:g2", {}).ok());
  ASSERT_TRUE(store->CreateSchedulerGroup("g1", R"({"Name":"g1"})", "arn:g1", {}).ok());
  Status again = store->CreateSchedulerGroup("g1", "{}", "arn:g1", {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().error, "ConflictException");
  EXPECT_NE(again.error().cause.find("g1"), std::string::npos);
  EXPECT_EQ(store->GetSchedulerGroup("g1").value(), R"({"Name":"g1"})");
  auto groups = store->ListSchedulerGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "g1");
  EXPECT_EQ((*groups)[1].name, "g2");
  EXPECT_EQ((*groups)[1].document, R"({"Name":"g2"})");
  ASSERT_TRUE(store->DeleteSchedulerGroup("g1", "arn:g1").ok());
  Status missing = store->DeleteSchedulerGroup("g1", "arn:g1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().error, "ResourceNotFoundException");
  EXPECT_EQ(store->ListSchedulerGroups()->size(), 1u);
}

TEST(StoreSchedulesTest, SchedulesCreateReplaceGetListDelete) {
  auto store = Store::OpenInMemory().value();
  ASSERT_TRUE(store->CreateSchedulerSchedule({"default", "b", "1"}).ok());
  ASSERT_TRUE(store->CreateSchedulerSchedule({"default", "a", "2"}).ok());
  ASSERT_TRUE(store->CreateSchedulerSchedule({"other", "a", "3"}).ok());
  Status duplicate = store->CreateSchedulerSchedule({"default", "a", "4"});
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().error, "ConflictException");
  EXPECT_EQ(store->GetSchedulerSchedule("default", "a").value(), "2");
  EXPECT_EQ(store->GetSchedulerSchedule("other", "a").value(), "3");
  EXPECT_EQ(store->GetSchedulerSchedule("other", "b").value(), std::nullopt);

  ASSERT_TRUE(store->ReplaceSchedulerSchedule({"default", "a", "5"}).ok());
  EXPECT_EQ(store->GetSchedulerSchedule("default", "a").value(), "5");
  Status unknown = store->ReplaceSchedulerSchedule({"default", "zz", "6"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().error, "ResourceNotFoundException");
  EXPECT_NE(unknown.error().cause.find("default/zz"), std::string::npos);
  EXPECT_EQ(store->GetSchedulerSchedule("default", "zz").value(), std::nullopt);

  auto all = store->ListSchedulerSchedules();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].group + "/" + (*all)[0].name, "default/a");
  EXPECT_EQ((*all)[1].group + "/" + (*all)[1].name, "default/b");
  EXPECT_EQ((*all)[2].group + "/" + (*all)[2].name, "other/a");

  ASSERT_TRUE(store->DeleteSchedulerSchedule("default", "a").ok());
  Status gone = store->DeleteSchedulerSchedule("default", "a");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().error, "ResourceNotFoundException");
  EXPECT_EQ(store->ListSchedulerSchedules()->size(), 2u);
}

TEST(StoreSchedulesTest, DeletingAGroupDeletesItsSchedulesOnly) {
  auto store = Store::OpenInMemory().value();
  ASSERT_TRUE(store->CreateSchedulerGroup("g", "{}", "arn:g", {}).ok());
  ASSERT_TRUE(store->CreateSchedulerSchedule({"g", "a", "1"}).ok());
  ASSERT_TRUE(store->CreateSchedulerSchedule({"g", "b", "2"}).ok());
  ASSERT_TRUE(store->CreateSchedulerSchedule({"default", "a", "3"}).ok());
  ASSERT_TRUE(store->DeleteSchedulerGroup("g", "arn:g").ok());
  auto all = store->ListSchedulerSchedules();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].group, "default");
  // An unknown group deletes nothing.
  ASSERT_FALSE(store->DeleteSchedulerGroup("default", "arn:default").ok());
  EXPECT_EQ(store->ListSchedulerSchedules()->size(), 1u);
}

TEST(StoreSchedulesTest, AGroupIsCreatedAndDeletedWithItsTags) {
  auto store = Store::OpenInMemory().value();
  const std::vector<ResourceTag> tags = {{"team", "ml"}, {"cost", "42"}};
  ASSERT_TRUE(store->CreateSchedulerGroup("g", "{}", "arn:g", tags).ok());
  EXPECT_EQ(store->ListResourceTags("arn:g").value(),
            (std::vector<ResourceTag>{{"cost", "42"}, {"team", "ml"}}));
  ASSERT_TRUE(store->DeleteSchedulerGroup("g", "arn:g").ok());
  EXPECT_TRUE(store->ListResourceTags("arn:g").value().empty());

  // Too many tags: no group, no tags.
  std::vector<ResourceTag> too_many;
  for (size_t i = 0; i <= kMaxTagsPerResource; ++i) too_many.push_back({std::to_string(i), "v"});
  Status refused = store->CreateSchedulerGroup("h", "{}", "arn:h", too_many);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().error, "TooManyTags");
  EXPECT_EQ(store->GetSchedulerGroup("h").value(), std::nullopt);
  EXPECT_TRUE(store->ListResourceTags("arn:h").value().empty());

  // Tags left under the ARN (a group deleted by an older version) do not reach a new group.
  ASSERT_TRUE(store->TagResource("arn:k", {{"stale", "1"}}).ok());
  ASSERT_TRUE(store->CreateSchedulerGroup("k", "{}", "arn:k", {{"fresh", "2"}}).ok());
  EXPECT_EQ(store->ListResourceTags("arn:k").value(), (std::vector<ResourceTag>{{"fresh", "2"}}));
}

TEST(StoreSchedulesTest, SurviveReopening) {
  testing::TempDir dir;
  const std::string path = dir.File("db.sqlite");
  {
    auto store = Store::Open(path);
    ASSERT_TRUE(store.ok()) << store.error().cause;
    ASSERT_TRUE((*store)->CreateSchedulerGroup("g", R"({"x":1})", "arn:g", {}).ok());
    ASSERT_TRUE((*store)->CreateSchedulerSchedule({"g", "s", R"({"y":2})"}).ok());
  }
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  EXPECT_EQ((*store)->GetSchedulerGroup("g").value(), R"({"x":1})");
  EXPECT_EQ((*store)->GetSchedulerSchedule("g", "s").value(), R"({"y":2})");
}

}  // namespace
}  // namespace autoretrain::store
