#include "store/sqlite_memory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "store/store_test_util.h"

namespace autoretrain::store {
namespace {

// Byte i of a test block.
unsigned char PatternByte(size_t i) { return static_cast<unsigned char>(i * 31 + 7); }

void Fill(void* block, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) static_cast<unsigned char*>(block)[i] = PatternByte(i);
}

// The first index in [0, size) whose byte is not the pattern's, or size.
size_t FirstDifference(const void* block, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (static_cast<const unsigned char*>(block)[i] != PatternByte(i)) return i;
  }
  return size;
}

TEST(SqliteMemoryTest, BlocksKeepTheirBytesAsTheyGrowAndShrinkAcrossTheMappedSize) {
  // Opening a store installs the allocator (or finds SQLite already running with its own).
  ASSERT_TRUE(Store::OpenInMemory().ok());
  constexpr size_t kMiB = size_t{1} << 20;
  void* block = sqlite3_malloc64(3 * kMiB);  // mapped
  ASSERT_NE(block, nullptr);
  Fill(block, 0, 3 * kMiB);
  block = sqlite3_realloc64(block, 9 * kMiB);  // mapped, grown in place or moved by mremap
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(FirstDifference(block, 3 * kMiB), 3 * kMiB);
  EXPECT_GE(sqlite3_msize(block), 9 * kMiB);
  Fill(block, 3 * kMiB, 9 * kMiB);
  block = sqlite3_realloc64(block, kMiB / 2);  // down to malloc's
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(FirstDifference(block, kMiB / 2), kMiB / 2);
  block = sqlite3_realloc64(block, 2 * kMiB);  // up to a mapping again
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(FirstDifference(block, kMiB / 2), kMiB / 2);
  EXPECT_GE(sqlite3_msize(block), 2 * kMiB);
  sqlite3_free(block);
}

TEST(SqliteMemoryTest, AnInMemoryStoreKeepsEveryExecutionAsItGrowsPastManyMegabytes) {
  std::unique_ptr<Store> store = testing::MemoryStoreWithMachine();
  const std::string padding(4096, 'x');  // ~4 KiB per execution: ~12 MiB in all
  constexpr int kExecutions = 3000;
  for (int i = 0; i < kExecutions; ++i) {
    NewExecution execution = testing::Execution("e" + std::to_string(i));
    execution.input = R"({"i":)" + std::to_string(i) + R"(,"pad":")" + padding + R"("})";
    ASSERT_TRUE(store->StartExecution(execution, testing::Events(1, 1)).ok()) << i;
  }
  for (int i : {0, 1, kExecutions / 2, kExecutions - 1}) {
    Result<ExecutionRecord> record =
        store->DescribeExecution(testing::Execution("e" + std::to_string(i)).arn);
    ASSERT_TRUE(record.ok()) << record.error().cause;
    EXPECT_EQ(record->input, R"({"i":)" + std::to_string(i) + R"(,"pad":")" + padding + R"("})");
  }
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace autoretrain::store
