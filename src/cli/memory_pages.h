// Memory pages of long-running processes.
#ifndef AUTORETRAIN_CLI_MEMORY_PAGES_H_
#define AUTORETRAIN_CLI_MEMORY_PAGES_H_

namespace autoretrain::cli {

// Asks the allocator to back the memory it takes from the system from now on with transparent
// huge pages (2 MiB) where the kernel offers them (THP in "always" or "madvise" mode). For
// `serve`: a server under load keeps growing its heap, and every first touch of a 4 KiB page is
// a page fault; on paravirtualised machines a fault costs microseconds, so serve --in-memory
// spent ~15% of its CPU in them (BENCHMARKS.md, "StartExecution over signed HTTP"; measured
// when SQLite's large blocks still came from this heap: store/sqlite_memory.cc now maps those
// itself, with the same advice). The price is memory rounded up to 2 MiB blocks, which a short
// command does not need to pay. Does nothing when the binary does not use mimalloc.
void UseHugePagesForHeap();

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_MEMORY_PAGES_H_
