#include "cli/memory_pages.h"

#ifdef AUTORETRAIN_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace autoretrain::cli {

void UseHugePagesForHeap() {
#ifdef AUTORETRAIN_WITH_MIMALLOC
  // mimalloc then asks for huge pages with madvise(MADV_HUGEPAGE) on the regions it maps; the
  // MIMALLOC_LARGE_OS_PAGES environment variable does the same from the start of any process.
  mi_option_enable(mi_option_large_os_pages);
#endif
}

}  // namespace autoretrain::cli
