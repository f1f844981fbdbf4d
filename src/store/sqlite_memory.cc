#include "store/sqlite_memory.h"

#include <sqlite3.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace autoretrain::store {
namespace {

// Each block starts with this header; what SQLite gets is the memory after it (16 bytes keep
// malloc's alignment).
struct alignas(16) Header {
  size_t size;    // what SQLite asked for
  size_t mapped;  // bytes mapped (0: from malloc)
};
constexpr size_t kMappedFrom = size_t{1} << 20;

Header* HeaderOf(void* block) { return static_cast<Header*>(block) - 1; }

void* Publish(void* base, size_t size, size_t mapped) {
  auto* header = static_cast<Header*>(base);
  header->size = size;
  header->mapped = mapped;
  return header + 1;
}

size_t MappedBytes(size_t size) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return (size + sizeof(Header) + page - 1) / page * page;
}

void* Map(size_t size) {
  const size_t bytes = MappedBytes(size);
  void* base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return nullptr;
  // Fewer page faults where the kernel offers transparent huge pages; no harm where not.
  madvise(base, bytes, MADV_HUGEPAGE);
  return Publish(base, size, bytes);
}

void* Allocate(int n) {
  const auto size = static_cast<size_t>(n);
  if (size >= kMappedFrom) return Map(size);
  void* base = std::malloc(sizeof(Header) + size);
  return base == nullptr ? nullptr : Publish(base, size, 0);
}

void Release(void* block) {
  if (block == nullptr) return;
  Header* header = HeaderOf(block);
  if (header->mapped != 0) {
    munmap(header, header->mapped);
  } else {
    std::free(header);
  }
}

void* Reallocate(void* block, int n) {  // SQLite passes a block and n > 0
  const auto size = static_cast<size_t>(n);
  Header* header = HeaderOf(block);
  if (header->mapped != 0 && size >= kMappedFrom) {
    const size_t bytes = MappedBytes(size);
    void* base = mremap(header, header->mapped, bytes, MREMAP_MAYMOVE);
    if (base == MAP_FAILED) return nullptr;
    madvise(base, bytes, MADV_HUGEPAGE);
    return Publish(base, size, bytes);
  }
  if (header->mapped == 0 && size < kMappedFrom) {
    void* base = std::realloc(header, sizeof(Header) + size);
    return base == nullptr ? nullptr : Publish(base, size, 0);
  }
  // Crossing 1 MiB either way: a new block of the other kind.
  void* moved = Allocate(n);
  if (moved == nullptr) return nullptr;
  std::memcpy(moved, block, std::min(header->size, size));
  Release(block);
  return moved;
}

int SizeOf(void* block) { return block == nullptr ? 0 : static_cast<int>(HeaderOf(block)->size); }
int RoundUp(int n) { return (n + 7) & ~7; }
int Init(void*) { return SQLITE_OK; }
void Shutdown(void*) {}

}  // namespace

bool UseRemappingAllocatorForSqlite() {
  static const sqlite3_mem_methods kMethods = {Allocate, Release, Reallocate, SizeOf,
                                               RoundUp,  Init,    Shutdown,   nullptr};
  return sqlite3_config(SQLITE_CONFIG_MALLOC, &kMethods) == SQLITE_OK;
}

}  // namespace autoretrain::store
