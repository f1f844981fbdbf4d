// ListAllExecutions: ListExecutions over several state machines at once, merged newest first,
// with one opaque page token for the merged list. The store pages one state machine at a
// time; the merged token keeps each machine's own store token (base64url of a small JSON
// object keyed by state machine name), so paging stays exact while executions are added.
//
// Thread-safety: plain functions; the store synchronizes itself.
#ifndef AUTORETRAIN_CLI_EXECUTION_LISTING_H_
#define AUTORETRAIN_CLI_EXECUTION_LISTING_H_

#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/store/records.h"
#include "autoretrain/store/store.h"

namespace autoretrain::cli {

// A page of the executions of `machines` (ARNs, all stored in `store`), newest start first,
// only those with `status` when set. `request.max_results` 0 means 100. Fails with
// InvalidToken for a token that is not one of these pages, or the store's errors.
Result<store::Page<store::ExecutionRecord>> ListAllExecutions(
    store::Store& store, const std::vector<store::StateMachineRecord>& machines,
    std::optional<engine::ExecutionStatus> status, const store::PageRequest& request);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_EXECUTION_LISTING_H_
