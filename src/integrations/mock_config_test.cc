#include "autoretrain/integrations/mock_config.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "integrations/mocked_task_handler.h"
#include "json/jsonpath_test_util.h"

namespace autoretrain::integrations {
namespace {

using json::testing::J;

constexpr std::string_view kConfig = R"({
  "StateMachines": {
    "Pipeline": {"TestCases": {
      "HappyPath": {"Call": "Ok"},
      "RetryPath": {"Call": "Retry", "Other": "Ok"}
    }},
    "Other": {"TestCases": {"T": {}}}
  },
  "MockedResponses": {
    "Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"n": 1}}}},
    "Retry": {
      "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}},
      "1-2": {"Throw": {"Error": "Lambda.TooManyRequestsException"}},
      "3": {"Return": "done"}
    }
  }
})";

MockConfig Parsed(std::string_view text = kConfig) {
  Result<MockConfig> config = ParseMockConfig(text, "mocks.json");
  EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error().cause);
  return config.ok() ? std::move(*config) : MockConfig{};
}

std::string ErrorOf(std::string_view text) {
  Result<MockConfig> config = ParseMockConfig(text, "mocks.json");
  EXPECT_FALSE(config.ok());
  if (config.ok()) return "";
  EXPECT_EQ(config.error().error, "InvalidMockConfig");
  return config.error().cause;
}

TEST(MockConfigTest, ParsesResponsesAndRanges) {
  MockConfig config = Parsed();
  ASSERT_EQ(config.responses.size(), 2u);
  const MockedResponse& retry = config.responses.at("Retry");
  ASSERT_EQ(retry.invocations.size(), 3u);
  EXPECT_EQ(retry.last_invocation(), 3);
  EXPECT_TRUE(retry.For(0)->is_throw);
  EXPECT_EQ(retry.For(0)->error, (Error{"Lambda.ServiceException", "down"}));
  EXPECT_EQ(retry.For(1), retry.For(2));
  EXPECT_EQ(retry.For(2)->error, (Error{"Lambda.TooManyRequestsException", ""}));
  EXPECT_FALSE(retry.For(3)->is_throw);
  EXPECT_EQ(retry.For(3)->result, J(R"("done")"));
  EXPECT_EQ(retry.For(4), nullptr);
}

TEST(MockConfigTest, TestCaseLookup) {
  MockConfig config = Parsed();
  Result<MockTestCase> happy = config.TestCase("Pipeline", "HappyPath");
  ASSERT_TRUE(happy.ok());
  EXPECT_EQ(happy->states.size(), 1u);
  EXPECT_EQ(happy->states.at("Call").name, "Ok");

  Result<MockTestCase> missing = config.TestCase("Pipeline", "Nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().cause.find("no test case 'Nope'"), std::string::npos);
  EXPECT_NE(missing.error().cause.find("'HappyPath', 'RetryPath'"), std::string::npos);
  EXPECT_NE(missing.error().cause.find("$.StateMachines.Pipeline.TestCases"), std::string::npos);

  Result<MockTestCase> machine = config.TestCase("Unknown", "HappyPath");
  ASSERT_FALSE(machine.ok());
  EXPECT_NE(machine.error().cause.find("no state machine 'Unknown'"), std::string::npos);
}

TEST(MockConfigTest, SingleStateMachineAppliesWhateverTheName) {
  MockConfig config = Parsed(R"({"StateMachines": {"A": {"TestCases": {"T": {"S": "R"}}}},
                                 "MockedResponses": {"R": {"0": {"Return": 1}}}})");
  Result<MockTestCase> test_case = config.TestCase("something-else", "T");
  ASSERT_TRUE(test_case.ok());
  EXPECT_EQ(test_case->state_machine, "A");
}

TEST(MockConfigTest, ReportsLocationAndExpectation) {
  EXPECT_NE(ErrorOf("{").find("mocks.json: $: not valid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("[]").find("$: expected an object"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}})").find("missing field \"MockedResponses\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"MockedResponses": {}})").find("missing field \"StateMachines\""),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(R"({"StateMachines": {}, "MockedResponses": {}, "X": 1})").find("$.X: unknown field"),
      std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {"M": {}}, "MockedResponses": {}})")
                .find("$.StateMachines.M: missing field \"TestCases\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {"M": {"TestCases": {"T": {"S": "Nope"}}}},
                        "MockedResponses": {}})")
                .find("$.StateMachines.M.TestCases.T.S: no mocked response 'Nope'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {"M": {"TestCases": {"T": {"S": 3}}}},
                        "MockedResponses": {}})")
                .find("expected the name of a mocked response (a string), got number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {"x": {"Return": 1}}}})")
                .find("$.MockedResponses.R.x: expected an invocation number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {"2-1": {"Return": 1}}}})")
                .find("$.MockedResponses.R[\"2-1\"]: the range is empty"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {}}}})")
                .find("$.MockedResponses.R[\"0\"]: expected exactly one field"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {},
                        "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}})")
                .find("expected exactly one field"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {"0": {"Throw": {}}}}})")
                .find("$.MockedResponses.R[\"0\"].Throw: missing field \"Error\""),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {},
                        "MockedResponses": {"R": {"0": {"Throw": {"Error": 1}}}}})")
                .find("Throw.Error: expected a string, got number"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {"1": {"Return": 1}}}})")
                .find("invocation 0 is not mocked"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {},
                        "MockedResponses": {"R": {"0-2": {"Return": 1}, "2": {"Return": 2}}}})")
                .find("$.MockedResponses.R[\"2\"]: overlaps another entry"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"StateMachines": {}, "MockedResponses": {"R": {}}})")
                .find("expected at least one invocation"),
            std::string::npos);
}

TEST(MockConfigTest, CheckMockedStatesFindsNestedTasks) {
  MockConfig config = Parsed(R"({"StateMachines": {"A": {"TestCases": {
                                   "Nested": {"Inner": "R"}, "Pass": {"P": "R"},
                                   "Missing": {"Nope": "R"}}}},
                                 "MockedResponses": {"R": {"0": {"Return": 1}}}})");
  json::Value definition = J(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Next": "Par"},
      "Par": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Task", "Resource": "x", "End": true}}}
      ]}}})");
  EXPECT_TRUE(CheckMockedStates(config.TestCase("A", "Nested").value(), definition).ok());
  Status pass = CheckMockedStates(config.TestCase("A", "Pass").value(), definition);
  ASSERT_FALSE(pass.ok());
  EXPECT_NE(pass.error().cause.find("state 'P' is a Pass state; only Task states"),
            std::string::npos);
  Status missing = CheckMockedStates(config.TestCase("A", "Missing").value(), definition);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().cause.find("the definition has no state 'Nope'"), std::string::npos);
}

TEST(MockConfigTest, LoadMockConfigNamesUnreadableFile) {
  Result<MockConfig> config = LoadMockConfig("/nonexistent/mocks.json");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().cause.find("/nonexistent/mocks.json: cannot read"), std::string::npos);
}

// Counts its calls and answers {"real": true}.
class RealHandler final : public engine::TaskHandler {
 public:
  Result<json::Value> Invoke(const engine::TaskRequest&) override {
    ++calls;
    return J(R"({"real": true})");
  }
  std::atomic<int> calls{0};
};

engine::TaskRequest Request(std::string_view arn, std::string_view state) {
  engine::TaskRequest request;
  request.resource = "arn:aws:states:::lambda:invoke";
  request.state_name = state;
  request.execution_arn = arn;
  return request;
}

constexpr std::string_view kExec = "arn:aws:states:us-east-1:123456789012:execution:Pipeline:e1";

TEST(MockedTaskHandlerTest, AnswersByInvocationAndForwardsTheRest) {
  RealHandler real;
  MockedTaskHandler handler(real, "Pipeline", Parsed().TestCase("Pipeline", "RetryPath").value());
  Result<json::Value> first = handler.Invoke(Request(kExec, "Call"));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error(), (Error{"Lambda.ServiceException", "down"}));
  EXPECT_EQ(handler.Invoke(Request(kExec, "Call")).error().error,
            "Lambda.TooManyRequestsException");
  EXPECT_EQ(handler.Invoke(Request(kExec, "Call")).error().error,
            "Lambda.TooManyRequestsException");
  EXPECT_EQ(handler.Invoke(Request(kExec, "Call")).value(), J(R"("done")"));
  Result<json::Value> past = handler.Invoke(Request(kExec, "Call"));
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().error, "States.Runtime");
  EXPECT_NE(past.error().cause.find("no answer for invocation 4"), std::string::npos);

  // Another execution counts from 0; an unmocked state goes to the real handler.
  std::string other(kExec);
  other.back() = '2';
  EXPECT_EQ(handler.Invoke(Request(other, "Call")).error().error, "Lambda.ServiceException");
  EXPECT_EQ(handler.Invoke(Request(kExec, "Unmocked")).value(), J(R"({"real": true})"));
  EXPECT_EQ(real.calls, 1);
  // Executions of another state machine (a child started by startExecution) are not mocked.
  EXPECT_EQ(
      handler.Invoke(Request("arn:aws:states:us-east-1:123456789012:execution:Child:c", "Call"))
          .value(),
      J(R"({"real": true})"));
  EXPECT_EQ(real.calls, 2);
}

TEST(MockedTaskHandlerTest, CountsConcurrentInvocationsExactly) {
  MockConfig config = Parsed(R"({"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
                                 "MockedResponses": {"R": {"0-999": {"Return": 1}}}})");
  RealHandler real;
  MockedTaskHandler handler(real, "Pipeline", config.TestCase("Pipeline", "T").value());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) EXPECT_TRUE(handler.Invoke(Request(kExec, "S")).ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(handler.InvocationCount(kExec, "S"), 1000);
  EXPECT_FALSE(handler.Invoke(Request(kExec, "S")).ok());
}

}  // namespace
}  // namespace autoretrain::integrations
