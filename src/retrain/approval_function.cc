// request_retraining_approval and the approval lookup: the task token of a waiting approval
// gate lives on the evaluation's ledger item until `autoretrain approve|reject` answers it.
#include "autoretrain/retrain/approval_function.h"

#include "autoretrain/retrain/retraining_history.h"

namespace autoretrain::retrain {
namespace {

json::Value S(std::string_view text) { return json::Object{{"S", text}}; }

// obj[name] as a non-empty string, or nullopt.
std::optional<std::string> Text(const json::Object& obj, std::string_view name) {
  const json::Value* v = obj.if_contains(name);
  if (v == nullptr || !v->is_string() || v->get_string().empty()) return std::nullopt;
  return std::string(v->get_string());
}

// item[name].S, or "".
std::string StringAttribute(const json::Object& item, std::string_view name) {
  const json::Value* v = item.if_contains(name);
  if (v == nullptr || !v->is_object()) return "";
  const json::Value* s = v->get_object().if_contains("S");
  return s != nullptr && s->is_string() ? std::string(s->get_string()) : "";
}

class ApprovalFunction final : public integrations::Function {
 public:
  ApprovalFunction(integrations::DynamoDb& db, std::string table, Clock& clock)
      : db_(db), table_(std::move(table)), clock_(clock) {}

  Result<json::Value> Invoke(const json::Value& event) override {
    const json::Object* obj = event.is_object() ? &event.get_object() : nullptr;
    std::optional<std::string> model = obj ? Text(*obj, "model") : std::nullopt;
    std::optional<std::string> sk = obj ? Text(*obj, "sk") : std::nullopt;
    std::optional<std::string> token = obj ? Text(*obj, "token") : std::nullopt;
    if (!model || !sk || !token) {
      return integrations::FunctionError(
          "InvalidApprovalRequest",
          "the event must be {\"model\": MODEL, \"sk\": the evaluation item's sort key "
          "($.policy.item.sk.S), \"token\": $$.Task.Token}, each a non-empty string");
    }
    const std::string now = FormatIso8601(clock_.Now());
    json::Object request{
        {"TableName", table_},
        {"Key", LedgerKey(*model, *sk)},
        {"UpdateExpression",
         "SET #status = :pending, approval_token = :token, "
         "approval_requested_at = :now"},
        {"ConditionExpression", "attribute_exists(#sk)"},
        {"ExpressionAttributeNames", json::Object{{"#status", "status"}, {"#sk", "sk"}}},
        {"ExpressionAttributeValues",
         json::Object{
             {":pending", S("PENDING_APPROVAL")}, {":token", S(*token)}, {":now", S(now)}}}};
    Result<json::Value> updated = db_.Call("UpdateItem", request);
    if (!updated.ok()) {
      if (updated.error().error == "ConditionalCheckFailedException") {
        return integrations::FunctionError(
            "NoSuchEvaluation", "no evaluation of model \"" + *model + "\" with key \"" + *sk +
                                    "\" in table \"" + table_ +
                                    "\": record the evaluation (dynamodb:putItem) first");
      }
      return integrations::FunctionError(updated.error().error, updated.error().cause);
    }
    return json::Value(json::Object{{"model", *model}, {"sk", *sk}, {"requested_at", now}});
  }

 private:
  integrations::DynamoDb& db_;
  const std::string table_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<integrations::Function> MakeApprovalFunction(integrations::DynamoDb& db,
                                                             std::string table, Clock& clock) {
  return std::make_unique<ApprovalFunction>(db, std::move(table), clock);
}

Result<PendingApproval> FindPendingApproval(integrations::DynamoDb& db, std::string_view table,
                                            std::string_view model, TimePoint now) {
  json::Value query = HistoryQuery(table, model, now - std::chrono::hours(24 * 366));
  json::Object& request = query.get_object();
  request["FilterExpression"] = "#status = :pending AND attribute_exists(approval_token)";
  request["ExpressionAttributeNames"].get_object()["#status"] = "status";
  request["ExpressionAttributeValues"].get_object()[":pending"] = S("PENDING_APPROVAL");
  for (;;) {
    Result<json::Value> page = db.Call("Query", request);
    if (!page.ok()) {
      Error error = page.take_error();
      error.cause = "reading the approvals of model \"" + std::string(model) + "\" from table \"" +
                    std::string(table) + "\": " + error.cause;
      return error;
    }
    const json::Object& body = page->get_object();
    if (const json::Value* items = body.if_contains("Items"); items && items->is_array()) {
      for (const json::Value& value : items->get_array()) {
        const json::Object& item = value.get_object();
        PendingApproval pending{std::string(model), StringAttribute(item, kSortKeyAttribute),
                                StringAttribute(item, "evaluation_id"),
                                StringAttribute(item, "approval_token"),
                                StringAttribute(item, "summary")};
        if (!pending.token.empty()) return pending;  // latest first
      }
    }
    const json::Value* next = body.if_contains("LastEvaluatedKey");
    if (next == nullptr) break;
    request["ExclusiveStartKey"] = *next;
  }
  return Error{"NoPendingApproval", "model \"" + std::string(model) +
                                        "\" has no retraining waiting for approval in "
                                        "table \"" +
                                        std::string(table) + "\" (see 'autoretrain history " +
                                        std::string(model) + "')"};
}

Status RecordApprovalAnswer(integrations::DynamoDb& db, std::string_view table,
                            const PendingApproval& pending, bool approved, std::string_view by,
                            std::string_view reason) {
  json::Object request{
      {"TableName", table},
      {"Key", LedgerKey(pending.model, pending.sk)},
      {"UpdateExpression",
       "SET approval_answer = :answer, approved_by = :by, approval_reason = :reason "
       "REMOVE approval_token"},
      {"ExpressionAttributeValues", json::Object{{":answer", S(approved ? "APPROVED" : "REJECTED")},
                                                 {":by", S(by.empty() ? "unknown" : by)},
                                                 {":reason", S(reason.empty() ? "-" : reason)}}}};
  Result<json::Value> updated = db.Call("UpdateItem", request);
  if (!updated.ok()) return updated.take_error();
  return OkStatus();
}

}  // namespace autoretrain::retrain
