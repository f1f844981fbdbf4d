// MockConfig: the mock configuration file of Step Functions Local (docs/mocks.md), read into a
// validated value.
//
//   {"StateMachines": {MACHINE: {"TestCases": {CASE: {STATE: RESPONSE_NAME, ...}}}},
//    "MockedResponses": {RESPONSE_NAME: {"0": {"Return": ANY},
//                                        "1-2": {"Throw": {"Error": "E", "Cause": "C"}}}}}
//
// A mocked response maps invocations of a state (0-based, counted per execution: every retry
// and every loop back into the state is one more invocation) to a Return (the task result, as
// the service would have answered: for lambda:invoke the whole envelope) or a Throw (the task
// fails with that Error and Cause; Retry and Catch apply). Keys are "N" or "A-B" (A <= B); we
// require them to cover 0..last without gaps or overlaps, so that every invocation up to the
// last one has exactly one answer.
//
// Every problem is reported as Error{"InvalidMockConfig", "FILE: LOCATION: what was
// expected"}, LOCATION being a JSONPath into the file ($.MockedResponses.Retry["1-2"]).
//
// Thread-safety: plain values; share them read-only.
#ifndef AUTORETRAIN_INTEGRATIONS_MOCK_CONFIG_H_
#define AUTORETRAIN_INTEGRATIONS_MOCK_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations {

// The largest mock configuration file LoadMockConfig reads.
inline constexpr size_t kMaxMockConfigBytes = 16 * 1024 * 1024;

// The answer to invocations first..last of a mocked state.
struct MockedInvocation {
  int64_t first = 0;
  int64_t last = 0;
  bool is_throw = false;
  json::Value result;  // Return's value (when !is_throw)
  Error error;         // Throw's Error and Cause (when is_throw; Cause "" when absent)
};

struct MockedResponse {
  std::string name;
  std::vector<MockedInvocation> invocations;  // sorted; contiguous from 0

  // The answer to the 0-based invocation `n`, or null past the last one.
  const MockedInvocation* For(int64_t n) const;
  // The last invocation covered (invocations.back().last).
  int64_t last_invocation() const { return invocations.empty() ? -1 : invocations.back().last; }
};

// One test case, resolved: state name -> its mocked response.
struct MockTestCase {
  std::string file;           // the configuration file, for messages
  std::string state_machine;  // the key under StateMachines it came from
  std::string name;
  std::map<std::string, MockedResponse> states;
};

struct MockConfig {
  std::string file;
  // StateMachines: machine -> test case -> state -> mocked response name (all checked to exist).
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> state_machines;
  std::map<std::string, MockedResponse> responses;

  // The test case `test_case` of state machine `state_machine`. When the file describes exactly
  // one state machine it applies whatever `state_machine` is. Fails (InvalidMockConfig) naming
  // the machines or test cases the file does have.
  Result<MockTestCase> TestCase(std::string_view state_machine, std::string_view test_case) const;
};

// Parses and validates `text`; `file` names it in messages.
Result<MockConfig> ParseMockConfig(std::string_view text, std::string_view file);
// Reads `path` (at most kMaxMockConfigBytes) and parses it.
Result<MockConfig> LoadMockConfig(const std::string& path);

// Checks that every state the test case mocks is a Task state of `definition` (the definition
// JSON; states inside Parallel branches and Map iterators count). Fails with InvalidMockConfig
// naming the state and what it is instead.
Status CheckMockedStates(const MockTestCase& test_case, const json::Value& definition);

}  // namespace autoretrain::integrations

#endif  // AUTORETRAIN_INTEGRATIONS_MOCK_CONFIG_H_
