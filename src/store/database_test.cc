#include <sqlite3.h>

#include <fstream>
#include <thread>
#include <vector>

#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::Events;
using testing::Execution;
using testing::TempDir;

// Runs one SQL text on the file with a raw connection (what another program could do).
void RawExec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

TEST(DatabaseTest, MigratesAnEmptyFileToTheCurrentSchema) {
  TempDir dir;
  auto store = Store::Open(dir.File("data.db"));
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto version = (*store)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, kSchemaVersion);
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
  // WAL journal, as documented.
  EXPECT_TRUE(std::filesystem::exists(dir.File("data.db-wal")));
}

// Processes that open a database nobody created yet all switch it to WAL at once; SQLite answers
// all but one SQLITE_BUSY without waiting (seen in CI: `autoretrain history` polling while
// `autoretrain check` created the project's store). Every open must wait its turn instead.
TEST(DatabaseTest, OpensRacingOnANewFileAllSucceed) {
  TempDir dir;
  constexpr int kRounds = 100;
  constexpr int kOpeners = 4;
  int failures = 0;
  std::string last_error;
  for (int round = 0; round < kRounds; ++round) {
    const std::string path = dir.File("race" + std::to_string(round) + ".db");
    std::vector<std::string> errors(kOpeners);  // empty: opened
    std::vector<std::thread> openers;
    for (int i = 0; i < kOpeners; ++i) {
      openers.emplace_back([&errors, &path, i] {
        auto store = Store::Open(path);
        if (!store.ok()) errors[i] = store.error().error + ": " + store.error().cause;
      });
    }
    for (std::thread& opener : openers) opener.join();
    for (const std::string& error : errors) {
      if (!error.empty()) {
        ++failures;
        last_error = error;
      }
    }
  }
  EXPECT_EQ(failures, 0) << last_error;
}

// The same wait gives up at the busy timeout when another connection keeps the switch from
// happening (here a reader holding its shared lock on a file still in rollback-journal mode).
TEST(DatabaseTest, AJournalSwitchBlockedPastTheBusyTimeoutFailsStoreLocked) {
  TempDir dir;
  const std::string path = dir.File("held.db");
  RawExec(path, "CREATE TABLE unrelated (x); INSERT INTO unrelated VALUES (1)");
  sqlite3* reader = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &reader), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(reader, "BEGIN; SELECT x FROM unrelated", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(reader);
  StoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(200);
  auto store = Store::Open(path, options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().error, kStoreLocked) << store.error().cause;
  EXPECT_NE(store.error().cause.find("choosing the journal"), std::string::npos)
      << store.error().cause;
  // Once the reader is gone, the same open succeeds.
  ASSERT_EQ(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(reader);
  auto reopened = Store::Open(path, options);
  EXPECT_TRUE(reopened.ok()) << reopened.error().cause;
}

TEST(DatabaseTest, InMemoryStoreHasTheCurrentSchema) {
  auto store = Store::OpenInMemory();
  ASSERT_TRUE(store.ok()) << store.error().cause;
  EXPECT_EQ(*(*store)->SchemaVersion(), kSchemaVersion);
}

TEST(DatabaseTest, ReopeningKeepsTheData) {
  TempDir dir;
  {
    auto store = Store::Open(dir.File("data.db"));
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->CreateStateMachine(testing::Machine("M")).ok());
    ASSERT_TRUE((*store)->StartExecution(Execution("e1"), Events(1, 2)).ok());
  }
  auto store = Store::Open(dir.File("data.db"));
  ASSERT_TRUE(store.ok()) << store.error().cause;
  auto machine = (*store)->GetStateMachine(testing::kMachineArn);
  ASSERT_TRUE(machine.ok());
  EXPECT_EQ(machine->name, "M");
  auto execution = (*store)->DescribeExecution(Execution("e1").arn);
  ASSERT_TRUE(execution.ok());
  EXPECT_EQ(execution->last_event_id, 2);
  EXPECT_EQ(*(*store)->SchemaVersion(), kSchemaVersion);
}

TEST(DatabaseTest, RefusesADatabaseFromANewerVersion) {
  TempDir dir;
  ASSERT_TRUE(Store::Open(dir.File("data.db")).ok());
  RawExec(dir.File("data.db"), "UPDATE schema_version SET version = 999");
  auto store = Store::Open(dir.File("data.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().error, kStoreSchemaTooNew);
  EXPECT_NE(store.error().cause.find("schema version 999"), std::string::npos)
      << store.error().cause;
  EXPECT_NE(store.error().cause.find("Upgrade autoretrain"), std::string::npos);
}

TEST(DatabaseTest, ReadOnlyOpenOfAFileWithoutTheSchemaIsRefusedAsUninitialized) {
  TempDir dir;
  RawExec(dir.File("empty.db"), "CREATE TABLE unrelated (x)");
  StoreOptions options;
  options.read_only = true;
  auto store = Store::Open(dir.File("empty.db"), options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().error, kStoreUninitialized);
}

}  // namespace
}  // namespace autoretrain::store
