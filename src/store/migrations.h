// Schema migrations: the numbered steps that bring a database from any earlier schema version
// (0: empty file) to kSchemaVersion. The version lives in the one-row table schema_version.
//
// Thread-safety: none; called by Store::Open before the Store is shared.
#ifndef AUTORETRAIN_STORE_MIGRATIONS_H_
#define AUTORETRAIN_STORE_MIGRATIONS_H_

#include "store/database.h"

namespace autoretrain::store {

// The schema version recorded in `db` (0 for a database without the schema_version table).
Result<int> ReadSchemaVersion(Database& db);

// Applies every missing migration in one transaction. Fails with kStoreSchemaTooNew when the
// database is newer than this build, kStoreReadOnly when it needs migrating but was opened
// read-only, or the SQLite error (the database is then left at its previous version).
Status Migrate(Database& db);

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_MIGRATIONS_H_
