#include "autoretrain/deploy/lambda_runtime.h"

#include <gtest/gtest.h>

#include <deque>

#include "autoretrain/json/json.h"

namespace autoretrain::deploy {
namespace {

// A Runtime API that hands out queued invocations and records what was posted.
class FakeApi : public RuntimeApi {
 public:
  std::deque<Invocation> queue;
  std::vector<std::pair<std::string, std::string>> responses;
  std::vector<std::pair<std::string, LambdaError>> errors;
  std::vector<LambdaError> init_errors;

  Result<Invocation> Next() override {
    if (queue.empty()) return Error{"RuntimeApiError", "no more invocations"};
    Invocation next = queue.front();
    queue.pop_front();
    return next;
  }
  Status Respond(const std::string& id, const std::string& body) override {
    responses.emplace_back(id, body);
    return OkStatus();
  }
  Status Fail(const std::string& id, const LambdaError& error) override {
    errors.emplace_back(id, error);
    return OkStatus();
  }
  Status InitError(const LambdaError& error) override {
    init_errors.push_back(error);
    return OkStatus();
  }
};

// Echoes the event, fails on {"fail": TYPE}, and advances the clock by {"sleep_ms": N}.
class FakeFunction : public integrations::Function {
 public:
  explicit FakeFunction(int64_t* now) : now_(now) {}
  Result<json::Value> Invoke(const json::Value& event) override {
    if (event.is_object() && event.get_object().contains("sleep_ms")) {
      *now_ += event.at("sleep_ms").as_int64();
    }
    if (event.is_object() && event.get_object().contains("fail")) {
      return integrations::FunctionError(std::string(event.at("fail").get_string()), "it failed");
    }
    return json::Value(json::Object{{"echo", event}});
  }

 private:
  int64_t* now_;
};

Invocation Make(std::string id, std::string event, std::optional<int64_t> deadline = 10'000) {
  Invocation invocation;
  invocation.request_id = std::move(id);
  invocation.event = std::move(event);
  invocation.deadline_ms = deadline;
  return invocation;
}

class RuntimeLoopTest : public ::testing::Test {
 protected:
  Status Run(int64_t max) {
    RuntimeLoopOptions options;
    options.max_invocations = max;
    options.now_ms = [this] { return now_; };
    options.on_invocation = [this](const InvocationReport& r) { reports_.push_back(r); };
    return RunRuntimeLoop(api_, function_, options);
  }

  int64_t now_ = 1'000;
  FakeApi api_;
  FakeFunction function_{&now_};
  std::vector<InvocationReport> reports_;
};

TEST_F(RuntimeLoopTest, SuccessPostsTheResult) {
  api_.queue.push_back(Make("r1", R"({"x":1})"));
  ASSERT_TRUE(Run(1).ok());
  ASSERT_EQ(api_.responses.size(), 1u);
  EXPECT_EQ(api_.responses[0].first, "r1");
  EXPECT_EQ(api_.responses[0].second, R"({"echo":{"x":1}})");
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_FALSE(reports_[0].error.has_value());
}

TEST_F(RuntimeLoopTest, AFunctionErrorPostsItsTypeAndMessage) {
  api_.queue.push_back(Make("r1", R"({"fail":"NoSuchKey"})"));
  ASSERT_TRUE(Run(1).ok());
  ASSERT_EQ(api_.errors.size(), 1u);
  EXPECT_EQ(api_.errors[0].second.type, "NoSuchKey");
  EXPECT_EQ(api_.errors[0].second.message, "it failed");
  EXPECT_TRUE(api_.responses.empty());
}

TEST_F(RuntimeLoopTest, AnEventThatIsNotJsonIsAnUnmarshalError) {
  api_.queue.push_back(Make("r1", "{not json"));
  api_.queue.push_back(Make("r2", "{}"));
  ASSERT_TRUE(Run(2).ok());  // the loop goes on after it
  ASSERT_EQ(api_.errors.size(), 1u);
  EXPECT_EQ(api_.errors[0].second.type, "Runtime.UnmarshalError");
  EXPECT_EQ(api_.responses.size(), 1u);
}

TEST_F(RuntimeLoopTest, APassedDeadlineIsATimeout) {
  api_.queue.push_back(Make("late", "{}", /*deadline=*/500));                      // already passed
  api_.queue.push_back(Make("slow", R"({"sleep_ms": 5000})", /*deadline=*/3000));  // passes
  api_.queue.push_back(Make("none", "{}", std::nullopt));                          // no deadline
  ASSERT_TRUE(Run(3).ok());
  ASSERT_EQ(api_.errors.size(), 2u);
  EXPECT_EQ(api_.errors[0].second.type, "Sandbox.Timedout");
  EXPECT_NE(api_.errors[0].second.message.find("before the function started"), std::string::npos);
  EXPECT_EQ(api_.errors[1].second.type, "Sandbox.Timedout");
  EXPECT_NE(api_.errors[1].second.message.find("before the function returned"), std::string::npos);
  EXPECT_EQ(api_.responses.size(), 1u);
}

TEST_F(RuntimeLoopTest, ARuntimeApiFailureEndsTheLoop) {
  Status status = Run(0);  // the fake fails when its queue is empty
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().error, "RuntimeApiError");
}

TEST(LambdaErrorTest, PlainErrorsKeepTheirName) {
  LambdaError e = ToLambdaError(Error{"InvalidDecisionRequest", "bucket must be a string"});
  EXPECT_EQ(e.type, "InvalidDecisionRequest");
  EXPECT_EQ(e.message, "bucket must be a string");
}

TEST(DecisionEnvironmentTest, ReadsTheTemplatesVariables) {
  aws::MapEnvironment env;
  Result<retrain::DecisionConfig> defaults = DecisionConfigFromEnvironment(env);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->bucket, "mlops-creditcard");
  env.vars["AUTORETRAIN_DECISION_BUCKET"] = "b";
  env.vars["AUTORETRAIN_DECISION_KEY"] = "k/d.csv";
  env.vars["AUTORETRAIN_DECISION_MAX_AGE_HOURS"] = "24";
  Result<retrain::DecisionConfig> config = DecisionConfigFromEnvironment(env);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->bucket, "b");
  EXPECT_EQ(config->key, "k/d.csv");
  EXPECT_EQ(config->max_age_hours, 24);
  env.vars["AUTORETRAIN_DECISION_MAX_BYTES"] = "lots";
  Result<retrain::DecisionConfig> bad = DecisionConfigFromEnvironment(env);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "InvalidEnvironment");
  EXPECT_NE(bad.error().cause.find("AUTORETRAIN_DECISION_MAX_BYTES=lots"), std::string::npos);
}

}  // namespace
}  // namespace autoretrain::deploy
