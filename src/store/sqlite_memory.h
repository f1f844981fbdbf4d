// The memory functions SQLite allocates with in this process.
#ifndef AUTORETRAIN_SRC_STORE_SQLITE_MEMORY_H_
#define AUTORETRAIN_SRC_STORE_SQLITE_MEMORY_H_

namespace autoretrain::store {

// Gives SQLite allocation functions that map blocks of 1 MiB and more with mmap and grow them
// with mremap, the rest from malloc. Why: the in-memory store is SQLite's memdb, one buffer that
// SQLite doubles with realloc as the database grows, and mimalloc (the binary's malloc) copies a
// large block on realloc: the whole database, under the store's lock, so a growing server
// stalled (1.6 s after 20 s of load) and spent ~9% of its CPU there (BENCHMARKS.md,
// "StartExecution over signed HTTP"). mremap moves the pages instead of copying them.
// Must run before SQLite is first used; Database::Open calls it once. Returns false when SQLite
// was already initialized (it then keeps its default functions, which work, only slower).
bool UseRemappingAllocatorForSqlite();

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_SRC_STORE_SQLITE_MEMORY_H_
