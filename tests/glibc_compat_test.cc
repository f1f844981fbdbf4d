// The glibc stand-ins of src/cli/glibc_compat.cc (linked here as in the `autoretrain` binary,
// with libstdc++ and libgcc static) against glibc's own functions.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <link.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

namespace {

#if __GLIBC_PREREQ(2, 35) && !DLFO_STRUCT_HAS_EH_DBASE && !DLFO_STRUCT_HAS_EH_COUNT
using FindObjectFn = int (*)(void*, dl_find_object*);

FindObjectFn GlibcFindObject() {
  return reinterpret_cast<FindObjectFn>(dlvsym(RTLD_NEXT, "_dl_find_object", "GLIBC_2.35"));
}

int InThisProgram() { return 1; }

TEST(GlibcCompatTest, FindObjectAnswersAsGlibcDoes) {
  FindObjectFn glibc = GlibcFindObject();
  ASSERT_NE(glibc, nullptr);
  ASSERT_NE(reinterpret_cast<void*>(glibc), reinterpret_cast<void*>(&_dl_find_object));
  // Code of this program, of libc and of libm (functions AddressSanitizer does not intercept:
  // clang links its interceptors into the program).
  void* addresses[] = {reinterpret_cast<void*>(&InThisProgram), reinterpret_cast<void*>(&getpid),
                       reinterpret_cast<void*>(static_cast<double (*)(double)>(&std::cbrt))};
  std::set<void*> objects;
  for (void* address : addresses) {
    ASSERT_NE(address, nullptr);
    dl_find_object ours{};
    dl_find_object theirs{};
    ASSERT_EQ(_dl_find_object(address, &ours), 0);
    ASSERT_EQ(glibc(address, &theirs), 0);
    EXPECT_EQ(ours.dlfo_eh_frame, theirs.dlfo_eh_frame);
    EXPECT_NE(ours.dlfo_eh_frame, nullptr);
    EXPECT_EQ(ours.dlfo_link_map, theirs.dlfo_link_map);
    EXPECT_EQ(ours.dlfo_map_start, theirs.dlfo_map_start);
    EXPECT_LE(ours.dlfo_map_start, address);
    EXPECT_GT(ours.dlfo_map_end, address);
    objects.insert(ours.dlfo_eh_frame);
  }
  EXPECT_EQ(objects.size(), 3u);

  // Memory of no object: the heap.
  auto heap = std::make_unique<char[]>(64);
  dl_find_object none{};
  EXPECT_EQ(_dl_find_object(heap.get(), &none), -1);
  EXPECT_EQ(glibc(heap.get(), &none), -1);
}

[[noreturn, gnu::noinline]] void ThrowFrom(int depth) {
  if (depth == 0) throw std::runtime_error("from deep down");
  ThrowFrom(depth - 1);
}

// The unwinder linked into this program finds its tables with the stand-in.
TEST(GlibcCompatTest, ExceptionsUnwindThroughTheStandIn) {
  try {
    ThrowFrom(20);
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "from deep down");
    return;
  }
  ADD_FAILURE() << "nothing was caught";
}
#endif

#if __GLIBC_PREREQ(2, 36)
TEST(GlibcCompatTest, Arc4randomAndRandomDevice) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 64; ++i) seen.insert(arc4random());
  EXPECT_GT(seen.size(), 60u);  // 64 random 32-bit values collide almost never
  std::random_device device;
  std::set<unsigned> drawn;
  for (int i = 0; i < 64; ++i) drawn.insert(device());
  EXPECT_GT(drawn.size(), 60u);
}
#endif

}  // namespace
