#include "autoretrain/store/write_batch.h"

#include "store/operations.h"

namespace autoretrain::store {

void WriteBatch::StartExecution(NewExecution execution, std::vector<engine::HistoryEvent> events) {
  ops_.emplace_back(Start{std::move(execution), std::move(events)});
}

void WriteBatch::RecordStep(std::string execution_arn, std::vector<engine::HistoryEvent> events,
                            std::optional<Checkpoint> checkpoint) {
  ops_.emplace_back(Step{std::move(execution_arn), std::move(events), std::move(checkpoint)});
}

void WriteBatch::FinishExecution(ExecutionEnd end, std::vector<engine::HistoryEvent> events) {
  ops_.emplace_back(Finish{std::move(end), std::move(events)});
}

Status ApplyOp(Database& db, const WriteBatch::Op& op) {
  if (const auto* start = std::get_if<WriteBatch::Start>(&op)) return ApplyStart(db, *start);
  if (const auto* step = std::get_if<WriteBatch::Step>(&op)) return ApplyStep(db, *step);
  return ApplyFinish(db, std::get<WriteBatch::Finish>(op));
}

Result<int> PageSize(int max_results) {
  if (max_results == 0) return kDefaultMaxResults;
  if (max_results < 0 || max_results > kMaxMaxResults) {
    return Error{"ValidationException",
                 "1 validation error detected: Value '" + std::to_string(max_results) +
                     "' at 'maxResults' failed to satisfy constraint: Member must have value "
                     "less than or equal to 1000"};
  }
  return max_results;
}

}  // namespace autoretrain::store
