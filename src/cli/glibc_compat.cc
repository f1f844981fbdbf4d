// Two glibc functions newer than glibc 2.34, defined here so that the `autoretrain` binary runs
// where glibc is 2.34 (AWS Lambda's provided.al2023 runtime, docs/deploy.md).
//
// The binary links libstdc++ and libgcc statically (src/CMakeLists.txt). Built against
// Debian 12's glibc 2.36, their code refers to arc4random (GLIBC_2.36; std::random_device) and
// _dl_find_object (GLIBC_2.35; the exception unwinder finding a function's unwind tables). A
// definition in the executable satisfies those references, so the binary records no need for
// those glibc versions; both are built from interfaces glibc has had for long (getrandom 2.25,
// dl_iterate_phdr 2.2.5, dladdr1 2.3.3). Being in the executable, they also stand in for
// glibc's own for every library that calls them, so they behave as glibc documents them
// (glibc_compat_test compares them with glibc's).
#include <dlfcn.h>
#include <link.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 35) && !DLFO_STRUCT_HAS_EH_DBASE && \
    !DLFO_STRUCT_HAS_EH_COUNT
namespace {

struct Search {
  uintptr_t address = 0;
  dl_find_object* result = nullptr;
  bool found = false;
};

// dl_iterate_phdr's callback: fills the result from the object whose loaded segments hold the
// address (its whole mapping, page-aligned at the start as glibc maps it, and its
// PT_GNU_EH_FRAME segment), and stops there.
int FindObject(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  uintptr_t start = UINTPTR_MAX;
  uintptr_t end = 0;
  void* eh_frame = nullptr;
  bool holds = false;
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    const uintptr_t begin = info->dlpi_addr + segment.p_vaddr;
    if (segment.p_type == PT_LOAD) {
      if (begin < start) start = begin;
      if (begin + segment.p_memsz > end) end = begin + segment.p_memsz;
      if (search->address >= begin && search->address < begin + segment.p_memsz) holds = true;
    } else if (segment.p_type == PT_GNU_EH_FRAME) {
      eh_frame = reinterpret_cast<void*>(begin);
    }
  }
  if (!holds) return 0;
  const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  dl_find_object* result = search->result;
  result->dlfo_flags = 0;
  result->dlfo_map_start = reinterpret_cast<void*>(start & ~(page - 1));
  result->dlfo_map_end = reinterpret_cast<void*>(end);
  result->dlfo_eh_frame = eh_frame;
  search->found = true;
  return 1;
}

}  // namespace

extern "C" int _dl_find_object(void* address, dl_find_object* result) noexcept {
  Search search;
  search.address = reinterpret_cast<uintptr_t>(address);
  search.result = result;
  dl_iterate_phdr(&FindObject, &search);
  if (!search.found) return -1;
  Dl_info info;
  void* map = nullptr;
  if (dladdr1(address, &info, &map, RTLD_DL_LINKMAP) == 0) map = nullptr;
  result->dlfo_link_map = static_cast<link_map*>(map);
  return 0;
}
#endif

#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 36)
extern "C" uint32_t arc4random() noexcept {
  uint32_t value = 0;
  size_t filled = 0;
  while (filled < sizeof(value)) {
    const ssize_t n =
        getrandom(reinterpret_cast<char*>(&value) + filled, sizeof(value) - filled, 0);
    if (n > 0) {
      filled += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      abort();  // as glibc's: without randomness from the kernel there is nothing safe to return
    }
  }
  return value;
}
#endif
