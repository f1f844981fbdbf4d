// Storage faults end in clear, named errors and leave a sound database: read-only files and
// folders, a database locked by another process, a full disk, a file that is not a database.
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

using testing::Events;
using testing::Execution;
using testing::TempDir;

// A file database with machine "M" and execution "kept", closed again.
void Prepare(const std::string& path) {
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  ASSERT_TRUE((*store)->CreateStateMachine(testing::Machine("M")).ok());
  ASSERT_TRUE((*store)->StartExecution(Execution("kept"), Events(1, 2)).ok());
}

// Reopens `path` normally and checks it is sound and still holds "kept".
void ExpectSound(const std::string& path) {
  auto store = Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().cause;
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
  auto kept = (*store)->DescribeExecution(Execution("kept").arn);
  ASSERT_TRUE(kept.ok()) << kept.error().cause;
  EXPECT_EQ(kept->last_event_id, 2);
}

TEST(FaultTest, WritesToAReadOnlyDatabaseFailWithStoreReadOnly) {
  TempDir dir;
  const std::string path = dir.File("data.db");
  Prepare(path);
  {
    StoreOptions options;
    options.read_only = true;
    auto store = Store::Open(path, options);
    ASSERT_TRUE(store.ok()) << store.error().cause;
    EXPECT_TRUE((*store)->DescribeExecution(Execution("kept").arn).ok());  // reads work
    auto write = (*store)->StartExecution(Execution("new"), Events(1, 1));
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().error, kStoreReadOnly);
    EXPECT_NE(write.error().cause.find(path), std::string::npos) << write.error().cause;
  }
  ExpectSound(path);
}

// Runs `body` in a child process that dropped to uid/gid 65534 (nobody); returns the child's
// exit code, or -1 when the child could not drop privileges.
int RunAsNobody(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(77);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 77) return -1;
  return WEXITSTATUS(status);
}

TEST(FaultTest, AFolderWithoutWritePermissionGivesStoreReadOnly) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run a child as another user";
  TempDir dir;
  std::filesystem::permissions(
      dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                      std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                      std::filesystem::perms::others_exec);
  Prepare(dir.File("data.db"));  // owned by root, mode 0644: readable, not writable by nobody
  // Exit codes: 0 as expected, 1 wrong error for a new file, 2 wrong error for the existing one.
  const int code = RunAsNobody([&] {
    auto created = Store::Open(dir.File("new.db"));
    if (created.ok() || created.error().error != kStoreReadOnly) return 1;
    auto existing = Store::Open(dir.File("data.db"));
    if (existing.ok()) {
      auto write = (*existing)->StartExecution(Execution("new"), Events(1, 1));
      return !write.ok() && write.error().error == kStoreReadOnly ? 0 : 2;
    }
    return existing.error().error == kStoreReadOnly ? 0 : 2;
  });
  if (code == -1) GTEST_SKIP() << "could not drop to uid 65534 in a child process";
  EXPECT_EQ(code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir.File("new.db")));
  ExpectSound(dir.File("data.db"));
}

TEST(FaultTest, ADatabaseLockedByAnotherProcessGivesStoreLockedAfterTheTimeout) {
  TempDir dir;
  const std::string path = dir.File("data.db");
  Prepare(path);
  int locked[2], release[2];
  ASSERT_EQ(pipe(locked), 0);
  ASSERT_EQ(pipe(release), 0);
  pid_t pid = fork();
  if (pid == 0) {  // holds the write lock until told to let go
    sqlite3* db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) _exit(1);
    if (sqlite3_exec(db, "BEGIN EXCLUSIVE; DELETE FROM history_events;", nullptr, nullptr,
                     nullptr) != SQLITE_OK) {
      _exit(2);
    }
    char byte = 1;
    if (write(locked[1], &byte, 1) != 1 || read(release[0], &byte, 1) != 1) _exit(3);
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(locked[0], &byte, 1), 1);
  {
    StoreOptions options;
    options.busy_timeout = std::chrono::milliseconds(300);
    auto store = Store::Open(path, options);  // WAL: reading needs no lock
    ASSERT_TRUE(store.ok()) << store.error().cause;
    const auto began = std::chrono::steady_clock::now();
    auto write = (*store)->StartExecution(Execution("new"), Events(1, 1));
    const auto waited = std::chrono::steady_clock::now() - began;
    ASSERT_FALSE(write.ok());
    EXPECT_EQ(write.error().error, kStoreLocked);
    EXPECT_NE(write.error().cause.find("another process"), std::string::npos);
    EXPECT_GE(waited, std::chrono::milliseconds(250));
    EXPECT_LT(waited, std::chrono::seconds(5));

    ASSERT_EQ(::write(release[1], &byte, 1), 1);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_TRUE((*store)->StartExecution(Execution("new"), Events(1, 1)).ok());
  }
  ExpectSound(path);
}

TEST(FaultTest, AFullDiskGivesStoreFullAndLosesNothingCommitted) {
  // A real tiny file system needs a root mount; max_page_count makes SQLite fail exactly as
  // on a full disk (SQLITE_FULL), which is what the store translates.
  TempDir dir;
  const std::string path = dir.File("data.db");
  Prepare(path);
  int started = 0;
  bool g1_committed = false;
  {
    StoreOptions options;
    options.max_size_bytes = 256 * 1024;
    auto store = Store::Open(path, options);
    ASSERT_TRUE(store.ok()) << store.error().cause;
    Status last = OkStatus();
    while (started < 1000) {
      NewExecution e = Execution("big" + std::to_string(started));
      e.input = std::string(16 * 1024, 'x');
      last = (*store)->StartExecution(e, Events(1, 1));
      if (!last.ok()) break;
      ++started;
    }
    ASSERT_FALSE(last.ok()) << "the size limit was never reached";
    EXPECT_EQ(last.error().error, kStoreFull);
    EXPECT_NE(last.error().cause.find("full"), std::string::npos) << last.error().cause;
    EXPECT_GT(started, 0);
    // A group commit fails as a whole, and the store keeps serving reads.
    WriteBatch a, b;
    a.StartExecution(Execution("g1"), Events(1, 1));
    NewExecution huge = Execution("g2");
    huge.input = std::string(512 * 1024, 'y');
    b.StartExecution(huge, Events(1, 1));
    auto statuses = (*store)->CommitGroup({&a, &b});
    ASSERT_FALSE(statuses[1].ok());
    EXPECT_EQ(statuses[1].error().error, kStoreFull);
    // The small batch commits when it still fits; either way its status tells the truth.
    g1_committed = statuses[0].ok();
    EXPECT_EQ((*store)->DescribeExecution(Execution("g1").arn).ok(), g1_committed);
    EXPECT_TRUE((*store)->DescribeExecution(Execution("kept").arn).ok());
  }
  ExpectSound(path);
  auto store = Store::Open(path);
  auto listed = (*store)->ListExecutions(testing::kMachineArn, std::nullopt, {1000, ""});
  EXPECT_EQ(static_cast<int>(listed->items.size()), started + 1 + (g1_committed ? 1 : 0));
  EXPECT_EQ((*store)->DescribeExecution(Execution("g1").arn).ok(), g1_committed);
  EXPECT_EQ((*store)->DescribeExecution(Execution("g2").arn).error().error,
            "ExecutionDoesNotExist");
  EXPECT_TRUE((*store)->StartExecution(Execution("after"), Events(1, 1)).ok());
}

TEST(FaultTest, AFileThatIsNotADatabaseGivesStoreCorruptAndIsLeftAlone) {
  TempDir dir;
  const std::string path = dir.File("notes.db");
  const std::string text(4096, 'n');
  std::ofstream(path) << text;
  auto store = Store::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().error, kStoreCorrupt);
  EXPECT_NE(store.error().cause.find("not an autoretrain database"), std::string::npos)
      << store.error().cause;
  std::ifstream in(path);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, text);
}

}  // namespace
}  // namespace autoretrain::store
