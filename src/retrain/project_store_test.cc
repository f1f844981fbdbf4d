// OpenProjectStore (reading what a project recorded) and PurgeExpiredExecutions (its
// retention_days applied to its store).
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <chrono>
#include <fstream>

#include "autoretrain/retrain/project.h"
#include "store/store_test_util.h"

namespace autoretrain::retrain {
namespace {

using engine::ExecutionStatus;
using store::testing::Events;
using store::testing::Execution;

constexpr int64_t kDayMs = 24 * 3600 * 1000;
const TimePoint kNow = store::testing::At(1000 * kDayMs);

// Starts execution `name` and, unless `stop_days_ago` is negative, finishes it that many days
// (plus `extra_ms`) before kNow.
void Add(store::Store& store, const std::string& name, int64_t stop_days_ago,
         int64_t extra_ms = 0) {
  ASSERT_TRUE(store.StartExecution(Execution(name, 1000), Events(1, 1)).ok());
  if (stop_days_ago < 0) return;
  const TimePoint stop = kNow - std::chrono::milliseconds(stop_days_ago * kDayMs + extra_ms);
  ASSERT_TRUE(store
                  .FinishExecution({Execution(name).arn, ExecutionStatus::kSucceeded, stop, "{}",
                                    std::nullopt, std::nullopt},
                                   Events(2, 2))
                  .ok());
}

bool Exists(store::Store& store, const std::string& name) {
  return store.DescribeExecution(Execution(name).arn).ok();
}

TEST(PurgeExpiredExecutionsTest, DeletesWhatFinishedBeforeTheRetentionPeriod) {
  auto store = store::testing::MemoryStoreWithMachine();
  Add(*store, "running", -1);
  Add(*store, "recent", 10);
  Add(*store, "exactly90", 90);        // finished exactly 90 days ago: still kept
  Add(*store, "just-over-90", 90, 1);  // a millisecond earlier: gone
  Add(*store, "old", 400);
  ProjectConfig config;  // retention_days 90, the default
  auto purged = PurgeExpiredExecutions(config, *store, kNow);
  ASSERT_TRUE(purged.ok()) << purged.error().cause;
  EXPECT_EQ(*purged, 2);
  EXPECT_TRUE(Exists(*store, "running"));
  EXPECT_TRUE(Exists(*store, "recent"));
  EXPECT_TRUE(Exists(*store, "exactly90"));
  EXPECT_FALSE(Exists(*store, "just-over-90"));
  EXPECT_FALSE(Exists(*store, "old"));
  EXPECT_EQ(store->GetExecutionHistory(Execution("old").arn, {}).error().error,
            "ExecutionDoesNotExist");

  config.retention_days = 5;
  purged = PurgeExpiredExecutions(config, *store, kNow);
  ASSERT_TRUE(purged.ok()) << purged.error().cause;
  EXPECT_EQ(*purged, 2);                   // recent, exactly90
  EXPECT_TRUE(Exists(*store, "running"));  // never purged, however old
  EXPECT_EQ(*PurgeExpiredExecutions(config, *store, kNow), 0);
}

TEST(PurgeExpiredExecutionsTest, PurgesManyInSeveralBatches) {
  auto store = store::testing::MemoryStoreWithMachine();
  for (int i = 0; i < 250; ++i) Add(*store, "e" + std::to_string(i), 100 + i);
  Add(*store, "kept", 1);
  ProjectConfig config;
  auto purged = PurgeExpiredExecutions(config, *store, kNow);
  ASSERT_TRUE(purged.ok()) << purged.error().cause;
  EXPECT_EQ(*purged, 250);
  EXPECT_TRUE(Exists(*store, "kept"));
}

TEST(PurgeExpiredExecutionsTest, RetentionMustBePositive) {
  auto store = store::testing::MemoryStoreWithMachine();
  Add(*store, "old", 400);
  ProjectConfig config;
  config.retention_days = 0;
  auto purged = PurgeExpiredExecutions(config, *store, kNow);
  ASSERT_FALSE(purged.ok());
  EXPECT_EQ(purged.error().error, "InvalidProjectConfig");
  EXPECT_TRUE(Exists(*store, "old"));
}

// A database file another process has only just created (no schema yet) holds nothing: reading
// it gives an empty store, not an error.
TEST(OpenProjectStoreTest, ADatabaseWithoutSchemaYetReadsAsEmpty) {
  store::testing::TempDir dir;
  ProjectConfig config = DefaultProject(dir.path().string());
  config.data_dir = dir.path().string();
  { std::ofstream(DatabasePath(config)); }  // an empty file, as SQLite creates it
  Result<std::unique_ptr<store::Store>> opened = OpenProjectStore(config);
  ASSERT_TRUE(opened.ok()) << opened.error().cause;
  Result<std::vector<store::ExecutionRecord>> running = (*opened)->ListRunningExecutions();
  ASSERT_TRUE(running.ok());
  EXPECT_TRUE(running->empty());
}

// A database an earlier version wrote (schema 1, before task tokens) is upgraded when it is
// first read, instead of failing as read-only.
TEST(OpenProjectStoreTest, AnOlderSchemaIsUpgradedWhenRead) {
  store::testing::TempDir dir;
  ProjectConfig config = DefaultProject(dir.path().string());
  config.data_dir = dir.path().string();
  {
    auto created = store::Store::Open(DatabasePath(config));
    ASSERT_TRUE(created.ok()) << created.error().cause;
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(DatabasePath(config).c_str(), &db), SQLITE_OK);
  // Back to schema 1: without what migrations 2 (task tokens), 3 (activities), 4 (DynamoDB
  // tables) and 5 (resource tags) add.
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TABLE task_tokens; DROP TABLE activities; DROP TABLE dynamo_items; "
                         "DROP TABLE dynamo_tables; DROP TABLE resource_tags; "
                         "DROP TABLE scheduler_schedules; DROP TABLE scheduler_groups; "
                         "DROP TABLE published_versions; DROP TABLE published_version_counters; "
                         "DROP TABLE state_machine_aliases; DROP TABLE execution_versions; "
                         "UPDATE schema_version SET version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<store::Store>> opened = OpenProjectStore(config);
  ASSERT_TRUE(opened.ok()) << opened.error().cause;
  EXPECT_EQ(*(*opened)->SchemaVersion(), store::kSchemaVersion);
}

}  // namespace
}  // namespace autoretrain::retrain
