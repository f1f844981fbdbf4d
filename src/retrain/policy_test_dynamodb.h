// MemoryDynamoDb: the local table store (integrations/local_dynamodb.h) in an in-memory
// database, for the ledger and policy-function tests, with what those tests need on top: every
// call recorded, a failure injected into the next call, and a page size that caps each Query
// without its own Limit (as DynamoDB's 1 MB page limit would), so paging is exercised with a
// handful of items.
//
// Thread-safety: calls are serialized by a mutex.
#ifndef AUTORETRAIN_RETRAIN_POLICY_TEST_DYNAMODB_H_
#define AUTORETRAIN_RETRAIN_POLICY_TEST_DYNAMODB_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "autoretrain/integrations/local_dynamodb.h"
#include "autoretrain/store/store.h"

namespace autoretrain::retrain::testing {

// The ledger (history) table's name in the ledger and policy-function tests.
inline constexpr char kLedgerTable[] = "ledger";

class MemoryDynamoDb final : public integrations::DynamoDb {
 public:
  explicit MemoryDynamoDb(int64_t page_size = 100)
      : store_(store::Store::OpenInMemory().value()),
        local_(integrations::MakeLocalDynamoDb(*store_)),
        page_size_(page_size) {}

  Result<json::Value> Call(std::string_view operation, const json::Value& request) override {
    std::lock_guard lock(mu_);
    requests_.push_back({std::string(operation), request});
    if (fail_with_) {
      Error error = *fail_with_;
      fail_with_.reset();
      return error;
    }
    if (operation == "Query" && request.is_object() && !request.get_object().contains("Limit")) {
      json::Object paged = request.get_object();
      paged["Limit"] = page_size_;
      return local_->Call(operation, paged);
    }
    return local_->Call(operation, request);
  }

  // The next call fails with `error`.
  void FailNext(Error error) {
    std::lock_guard lock(mu_);
    fail_with_ = std::move(error);
  }
  // Every call so far: operation and request.
  std::vector<std::pair<std::string, json::Value>> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  // Stores `item` without going through the ledger (for items it would never write) and
  // without recording the call.
  void PutRaw(const std::string& table, json::Object item) {
    std::lock_guard lock(mu_);
    Result<json::Value> put =
        local_->Call("PutItem", json::Object{{"TableName", table}, {"Item", std::move(item)}});
    if (!put.ok()) ADD_FAILURE() << put.error().error << ": " << put.error().cause;
  }

 private:
  std::mutex mu_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<integrations::DynamoDb> local_;
  int64_t page_size_;
  std::vector<std::pair<std::string, json::Value>> requests_;
  std::optional<Error> fail_with_;
};

}  // namespace autoretrain::retrain::testing

#endif  // AUTORETRAIN_RETRAIN_POLICY_TEST_DYNAMODB_H_
