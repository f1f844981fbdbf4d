// Fuzz target: decision files (CSV or JSON, docs/decision-files.md). The input is the file's
// bytes, served by an object store that holds just that object; the built-in decision function
// reads it with max_age_hours set, so the extended fields and the staleness check run too. A
// decision is YES or NO; anything else must be a named error.
#include "autoretrain/retrain/decision.h"
#include "fuzz_util.h"

namespace integrations = autoretrain::integrations;
namespace json = autoretrain::json;
namespace retrain = autoretrain::retrain;
using autoretrain::Error;
using autoretrain::Result;
using autoretrain::fuzz::Check;

namespace {

// Every bucket and key hold `body`; nothing else is supported.
class OneObjectStore final : public integrations::ObjectStore {
 public:
  std::string body;

  Result<std::string> GetObject(std::string_view, std::string_view, size_t max_bytes) override {
    if (body.size() > max_bytes) return Error{"EntityTooLarge", "larger than max_bytes"};
    return body;
  }
  Result<integrations::ObjectData> GetObjectWithInfo(std::string_view, std::string_view,
                                                     size_t) override {
    return Unsupported();
  }
  Result<integrations::ObjectInfo> HeadObject(std::string_view, std::string_view) override {
    return Unsupported();
  }
  Result<integrations::ObjectInfo> PutObject(std::string_view, std::string_view,
                                             std::string_view) override {
    return Unsupported();
  }
  Result<integrations::ObjectListing> ListObjectsV2(
      std::string_view, const integrations::ListObjectsRequest&) override {
    return Unsupported();
  }

 private:
  static Error Unsupported() { return Error{"AccessDenied", "the fuzz store only reads"}; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static OneObjectStore store;
  static autoretrain::ManualClock clock{autoretrain::TimePoint(autoretrain::fuzz::kNow)};
  static const std::unique_ptr<integrations::Function> function = [] {
    retrain::DecisionConfig config;
    config.max_bytes = 64 * 1024;
    config.max_age_hours = 24;
    return retrain::MakeDecisionFunction(store, config, &clock);
  }();
  store.body.assign(autoretrain::fuzz::AsText(data, size));
  Result<retrain::Decision> decision = retrain::ReadDecision(store, retrain::DecisionConfig{});
  if (decision.ok()) {
    Check(decision->value == "YES" || decision->value == "NO", "a decision is YES or NO");
  } else {
    Check(!decision.error().error.empty() && !decision.error().cause.empty(),
          "a failure is a named error with a cause");
  }
  Result<json::Value> result = function->Invoke(json::Object{});
  if (result.ok()) {
    Check(decision.ok(), "the function succeeds only on a file ReadDecision accepts");
    const json::Value* answer = result->as_object().if_contains("retraining_required");
    Check(answer && (*answer == "YES" || *answer == "NO"), "the function answers YES or NO");
  }
  return 0;
}
