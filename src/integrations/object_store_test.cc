#include "autoretrain/integrations/object_store.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "integrations/test_util.h"

namespace autoretrain::integrations {
namespace {

using testing::TempDir;
using testing::WriteFile;

constexpr size_t kMax = 1024;

class LocalObjectStoreTest : public ::testing::Test {
 protected:
  LocalObjectStoreTest() : store_(MakeLocalObjectStore(root_.path())) {
    std::filesystem::create_directories(root_ / "bucket");
  }

  std::string ErrorOfGet(std::string_view bucket, std::string_view key, size_t max = kMax) {
    Result<std::string> result = store_->GetObject(bucket, key, max);
    return result.ok() ? "<ok>" : result.error().error;
  }

  TempDir root_;
  std::unique_ptr<ObjectStore> store_;
};

TEST_F(LocalObjectStoreTest, PutCreatesParentsAndGetReadsBack) {
  std::string data("a,b\r\nYES\r\n\0binary", 18);
  ASSERT_TRUE(store_->PutObject("bucket", "deep/er/key.csv", data).ok());
  Result<std::string> read = store_->GetObject("bucket", "deep/er/key.csv", kMax);
  ASSERT_TRUE(read.ok()) << read.error().cause;
  EXPECT_EQ(*read, data);
}

TEST_F(LocalObjectStoreTest, ReadsFilesWrittenOutsideTheStore) {
  WriteFile(root_ / "bucket/monitoring/decision.csv", "decision\nNO\n");
  Result<std::string> read = store_->GetObject("bucket", "monitoring/decision.csv", kMax);
  ASSERT_TRUE(read.ok()) << read.error().cause;
  EXPECT_EQ(*read, "decision\nNO\n");
}

TEST_F(LocalObjectStoreTest, PutReplacesAtomicallyAndLeavesNoTemporaryFiles) {
  ASSERT_TRUE(store_->PutObject("bucket", "k", "first version").ok());
  ASSERT_TRUE(store_->PutObject("bucket", "k", "second").ok());
  EXPECT_EQ(store_->GetObject("bucket", "k", kMax).value(), "second");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root_ / "bucket")) {
    EXPECT_EQ(entry.path().filename(), "k");
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST_F(LocalObjectStoreTest, MissingBucketAndKey) {
  EXPECT_EQ(ErrorOfGet("no-bucket", "k"), "NoSuchBucket");
  EXPECT_EQ(ErrorOfGet("bucket", "missing.csv"), "NoSuchKey");
  EXPECT_EQ(ErrorOfGet("bucket", "missing/deeper.csv"), "NoSuchKey");
  EXPECT_EQ(store_->PutObject("no-bucket", "k", "x").error().error, "NoSuchBucket");
  WriteFile(root_ / "file-not-bucket", "x");
  EXPECT_EQ(ErrorOfGet("file-not-bucket", "k"), "NoSuchBucket");
  Result<std::string> missing = store_->GetObject("bucket", "missing.csv", kMax);
  EXPECT_NE(missing.error().cause.find("s3://bucket/missing.csv"), std::string::npos)
      << missing.error().cause;
}

TEST_F(LocalObjectStoreTest, DirectoryAtTheKeyIsNoSuchKey) {
  std::filesystem::create_directories(root_ / "bucket/prefix/inner");
  EXPECT_EQ(ErrorOfGet("bucket", "prefix"), "NoSuchKey");
  EXPECT_EQ(ErrorOfGet("bucket", "prefix/inner"), "NoSuchKey");
}

TEST_F(LocalObjectStoreTest, FifoAtTheKeyIsNoSuchKeyWithoutBlocking) {
  ASSERT_EQ(::mkfifo((root_ / "bucket/pipe").c_str(), 0644), 0);
  EXPECT_EQ(ErrorOfGet("bucket", "pipe"), "NoSuchKey");
}

TEST_F(LocalObjectStoreTest, KeyUnderAnObjectCannotBeStored) {
  ASSERT_TRUE(store_->PutObject("bucket", "a", "x").ok());
  EXPECT_EQ(store_->PutObject("bucket", "a/b", "y").error().error, "InvalidObjectName");
  ASSERT_TRUE(store_->PutObject("bucket", "p/q", "x").ok());
  EXPECT_EQ(store_->PutObject("bucket", "p", "y").error().error, "InvalidObjectName");
}

TEST_F(LocalObjectStoreTest, KeysThatCouldEscapeTheBucketAreRejected) {
  WriteFile(root_ / "secret", "outside");
  WriteFile(root_ / "bucket/a/b", "inside");
  for (std::string_view key : std::initializer_list<std::string_view>{
           "", "..", "../secret", "a/../../secret", "a/./b", ".", "/etc/passwd", "a//b", "a/",
           std::string_view("a\0b", 3)}) {
    EXPECT_EQ(ErrorOfGet("bucket", key), "InvalidObjectName") << key;
    EXPECT_EQ(store_->PutObject("bucket", key, "x").error().error, "InvalidObjectName") << key;
  }
  EXPECT_EQ(ErrorOfGet("bucket", std::string(1025, 'k')), "InvalidObjectName");
  for (std::string_view bucket : {"", "..", ".", "a/b", ".hidden"}) {
    EXPECT_EQ(ErrorOfGet(bucket, "secret"), "InvalidBucketName") << bucket;
  }
  EXPECT_EQ(store_->GetObject("bucket", "a/b", kMax).value(), "inside");
}

TEST_F(LocalObjectStoreTest, ObjectsLargerThanTheLimitAreRefused) {
  WriteFile(root_ / "bucket/ten", "0123456789");
  EXPECT_EQ(store_->GetObject("bucket", "ten", 10).value(), "0123456789");
  EXPECT_EQ(ErrorOfGet("bucket", "ten", 9), "EntityTooLarge");
  EXPECT_EQ(ErrorOfGet("bucket", "ten", 0), "EntityTooLarge");
  WriteFile(root_ / "bucket/empty", "");
  EXPECT_EQ(store_->GetObject("bucket", "empty", 0).value(), "");
}

TEST_F(LocalObjectStoreTest, UnreadableObjectIsAccessDenied) {
  WriteFile(root_ / "bucket/locked.csv", "decision\nYES\n", 0000);
  if (::geteuid() != 0) {
    EXPECT_EQ(ErrorOfGet("bucket", "locked.csv"), "AccessDenied");
    return;
  }
  // Root reads mode-000 files anyway, so check from a child that drops to an unprivileged user
  // (the directories must let it through).
  ::chmod(root_.path().c_str(), 0755);
  ::chmod((root_ / "bucket").c_str(), 0755);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    Result<std::string> result = store_->GetObject("bucket", "locked.csv", kMax);
    bool denied = !result.ok() && result.error().error == "AccessDenied" &&
                  result.error().cause.find("s3://bucket/locked.csv") != std::string::npos;
    ::_exit(denied ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 2) GTEST_SKIP() << "cannot switch to an unprivileged user here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "expected AccessDenied for a mode-000 file";
}

}  // namespace
}  // namespace autoretrain::integrations
