// The row-level reads and writes the Store's files share. Each runs inside whatever
// transaction the caller holds (none: SQLite's implicit one per statement); none locks.
//
// Thread-safety: none; callers hold the Store's mutex.
#ifndef AUTORETRAIN_STORE_OPERATIONS_H_
#define AUTORETRAIN_STORE_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "autoretrain/store/records.h"
#include "autoretrain/store/write_batch.h"
#include "store/database.h"

namespace autoretrain::store {

// "RUNNING" <-> kRunning, ... (ExecutionStatusName's inverse); nullopt for other text.
std::optional<engine::ExecutionStatus> ParseExecutionStatus(std::string_view name);

// The row id and newest event id of the execution `arn`. ExecutionDoesNotExist when unknown;
// with `require_running`, ExecutionNotRunning when it has finished.
struct ExecutionRef {
  int64_t id = 0;
  int64_t last_event_id = 0;
};
Result<ExecutionRef> LookupExecution(Database& db, const std::string& arn, bool require_running);

// Inserts `events` of execution `arn` after `ref.last_event_id` (ids must continue it without
// gaps or repeats, and previousEventId must be below the id: InvalidHistoryEvent otherwise) and
// advances ref.last_event_id and the execution's row.
Status InsertEvents(Database& db, const std::string& arn, ExecutionRef& ref,
                    const std::vector<engine::HistoryEvent>& events);

// Replaces the checkpoint of execution row `execution_id`, taken at event `event_id`.
Status WriteCheckpoint(Database& db, int64_t execution_id, const Checkpoint& checkpoint,
                       int64_t event_id);
Status DeleteCheckpoint(Database& db, int64_t execution_id);

// Applies one WriteBatch operation (see write_batch.h for what each does and its errors).
Status ApplyStart(Database& db, const WriteBatch::Start& op);
Status ApplyStep(Database& db, const WriteBatch::Step& op);
Status ApplyFinish(Database& db, const WriteBatch::Finish& op);
Status ApplyOp(Database& db, const WriteBatch::Op& op);

// Checks maxResults as AWS does: 0 means kDefaultMaxResults; negative or above kMaxMaxResults
// is a ValidationException. Returns the page size.
Result<int> PageSize(int max_results);

}  // namespace autoretrain::store

#endif  // AUTORETRAIN_STORE_OPERATIONS_H_
