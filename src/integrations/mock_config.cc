#include "autoretrain/integrations/mock_config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace autoretrain::integrations {
namespace {

constexpr std::string_view kInvalid = "InvalidMockConfig";

// `path` extended by the member `key`: .key when it is a plain name, ["key"] otherwise.
std::string Member(const std::string& path, std::string_view key) {
  bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') plain = false;
  }
  if (plain) return path + "." + std::string(key);
  return path + "[" + json::Serialize(json::Value(json::String(key))) + "]";
}

class Parser {
 public:
  explicit Parser(std::string_view file) : file_(file) {}

  Error Fail(const std::string& where, const std::string& what) const {
    return Error{std::string(kInvalid), file_ + ": " + where + ": " + what};
  }

  Result<const json::Object*> ObjectAt(const json::Value& value, const std::string& where,
                                       const std::string& what) const {
    if (!value.is_object()) {
      return Fail(where, "expected " + what + ", got " + std::string(json::TypeName(value)));
    }
    return &value.get_object();
  }

  Result<MockConfig> Parse(std::string_view text) {
    Result<json::Value> root = json::Parse(text);
    if (!root.ok()) return Fail("$", "not valid JSON: " + root.error().cause);
    auto top =
        ObjectAt(*root, "$", "an object with the fields \"StateMachines\" and \"MockedResponses\"");
    if (!top.ok()) return top.take_error();
    for (const auto& field : **top) {
      if (field.key() != "StateMachines" && field.key() != "MockedResponses") {
        return Fail(Member("$", field.key()),
                    "unknown field; expected only \"StateMachines\" and \"MockedResponses\"");
      }
    }
    MockConfig config;
    config.file = file_;
    const json::Value* responses = (*top)->if_contains("MockedResponses");
    if (responses == nullptr) {
      return Fail("$", "missing field \"MockedResponses\" (an object of mocked responses)");
    }
    auto responses_obj = ObjectAt(*responses, "$.MockedResponses",
                                  "an object of mocked responses (name -> invocations)");
    if (!responses_obj.ok()) return responses_obj.take_error();
    for (const auto& field : **responses_obj) {
      Result<MockedResponse> response =
          ParseResponse(field.key(), field.value(), Member("$.MockedResponses", field.key()));
      if (!response.ok()) return response.take_error();
      config.responses.emplace(std::string(field.key()), std::move(*response));
    }

    const json::Value* machines = (*top)->if_contains("StateMachines");
    if (machines == nullptr) {
      return Fail("$", "missing field \"StateMachines\" (an object of state machines)");
    }
    auto machines_obj = ObjectAt(*machines, "$.StateMachines",
                                 "an object of state machines (name -> {\"TestCases\": ...})");
    if (!machines_obj.ok()) return machines_obj.take_error();
    for (const auto& machine : **machines_obj) {
      const std::string where = Member("$.StateMachines", machine.key());
      auto machine_obj = ObjectAt(machine.value(), where, "an object {\"TestCases\": {...}}");
      if (!machine_obj.ok()) return machine_obj.take_error();
      for (const auto& field : **machine_obj) {
        if (field.key() != "TestCases") {
          return Fail(Member(where, field.key()), "unknown field; expected only \"TestCases\"");
        }
      }
      const json::Value* cases = (*machine_obj)->if_contains("TestCases");
      if (cases == nullptr) return Fail(where, "missing field \"TestCases\"");
      auto cases_obj = ObjectAt(*cases, where + ".TestCases",
                                "an object of test cases (name -> {state: mocked response})");
      if (!cases_obj.ok()) return cases_obj.take_error();
      auto& out_cases = config.state_machines[std::string(machine.key())];
      for (const auto& test_case : **cases_obj) {
        const std::string case_where = Member(where + ".TestCases", test_case.key());
        auto states = ObjectAt(test_case.value(), case_where,
                               "an object mapping state names to mocked response names");
        if (!states.ok()) return states.take_error();
        auto& out_states = out_cases[std::string(test_case.key())];
        for (const auto& state : **states) {
          const std::string state_where = Member(case_where, state.key());
          if (!state.value().is_string()) {
            return Fail(state_where, "expected the name of a mocked response (a string), got " +
                                         std::string(json::TypeName(state.value())));
          }
          std::string response(state.value().get_string());
          if (!config.responses.count(response)) {
            return Fail(state_where, "no mocked response '" + response + "' in $.MockedResponses");
          }
          out_states.emplace(std::string(state.key()), std::move(response));
        }
      }
    }
    return config;
  }

 private:
  // "N" or "A-B" with decimal digits only; false when malformed.
  static bool ParseRange(std::string_view key, int64_t* first, int64_t* last) {
    auto number = [](std::string_view text, int64_t* out) {
      if (text.empty() || text.size() > 9) return false;
      for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
      }
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
      return ec == std::errc() && ptr == text.data() + text.size();
    };
    size_t dash = key.find('-');
    if (dash == std::string_view::npos) {
      if (!number(key, first)) return false;
      *last = *first;
      return true;
    }
    return number(key.substr(0, dash), first) && number(key.substr(dash + 1), last);
  }

  Result<MockedResponse> ParseResponse(std::string_view name, const json::Value& value,
                                       const std::string& where) const {
    auto obj = ObjectAt(value, where,
                        "an object of invocations (\"0\", \"1-2\", ...) -> {\"Return\": ...} "
                        "or {\"Throw\": ...}");
    if (!obj.ok()) return obj.take_error();
    MockedResponse response;
    response.name = std::string(name);
    for (const auto& field : **obj) {
      const std::string at = Member(where, field.key());
      MockedInvocation invocation;
      if (!ParseRange(field.key(), &invocation.first, &invocation.last)) {
        return Fail(at,
                    "expected an invocation number (\"0\") or a range of them (\"1-2\"), "
                    "0-based");
      }
      if (invocation.first > invocation.last) {
        return Fail(at, "the range is empty: its start is after its end");
      }
      auto answer =
          ObjectAt(field.value(), at, "an object with exactly one of \"Return\" and \"Throw\"");
      if (!answer.ok()) return answer.take_error();
      const json::Value* ret = (*answer)->if_contains("Return");
      const json::Value* thrown = (*answer)->if_contains("Throw");
      if ((*answer)->size() != 1 || (ret == nullptr && thrown == nullptr)) {
        return Fail(at, "expected exactly one field, \"Return\" or \"Throw\"");
      }
      if (ret != nullptr) {
        invocation.result = *ret;
      } else {
        invocation.is_throw = true;
        Status status = ParseThrow(*thrown, at + ".Throw", &invocation.error);
        if (!status.ok()) return status.take_error();
      }
      response.invocations.push_back(std::move(invocation));
    }
    if (response.invocations.empty()) {
      return Fail(where, "expected at least one invocation (\"0\": {\"Return\": ...})");
    }
    std::sort(
        response.invocations.begin(), response.invocations.end(),
        [](const MockedInvocation& a, const MockedInvocation& b) { return a.first < b.first; });
    int64_t next = 0;
    for (const MockedInvocation& invocation : response.invocations) {
      std::string key = std::to_string(invocation.first);
      if (invocation.last != invocation.first) key += "-" + std::to_string(invocation.last);
      if (invocation.first < next) {
        return Fail(Member(where, key), "overlaps another entry: invocation " +
                                            std::to_string(invocation.first) +
                                            " is already mocked");
      }
      if (invocation.first > next) {
        return Fail(where, "invocation " + std::to_string(next) +
                               " is not mocked: entries must cover 0 to the last one without "
                               "gaps");
      }
      next = invocation.last + 1;
    }
    return response;
  }

  Status ParseThrow(const json::Value& value, const std::string& where, Error* error) const {
    auto obj = ObjectAt(value, where, "an object {\"Error\": STRING, \"Cause\": STRING}");
    if (!obj.ok()) return obj.take_error();
    for (const auto& field : **obj) {
      if (field.key() != "Error" && field.key() != "Cause") {
        return Fail(Member(where, field.key()),
                    "unknown field; expected only \"Error\" and \"Cause\"");
      }
      if (!field.value().is_string()) {
        return Fail(Member(where, field.key()),
                    "expected a string, got " + std::string(json::TypeName(field.value())));
      }
    }
    const json::Value* err = (*obj)->if_contains("Error");
    if (err == nullptr || err->get_string().empty()) {
      return Fail(where, "missing field \"Error\" (a non-empty string: the error name)");
    }
    error->error = std::string(err->get_string());
    if (const json::Value* cause = (*obj)->if_contains("Cause")) {
      error->cause = std::string(cause->get_string());
    }
    return OkStatus();
  }

  std::string file_;
};

std::string Names(const auto& map) {
  std::string names;
  for (const auto& entry : map) {
    if (!names.empty()) names += ", ";
    names += "'" + entry.first + "'";
  }
  return names.empty() ? "none" : names;
}

// Collects the states of `states_obj` (a "States" object) and of the branches and iterators
// nested in it: name -> its "Type".
void CollectStates(const json::Value& states, std::map<std::string, std::string>* out) {
  if (!states.is_object()) return;
  for (const auto& state : states.get_object()) {
    if (!state.value().is_object()) continue;
    const json::Object& obj = state.value().get_object();
    const json::Value* type = obj.if_contains("Type");
    (*out)[std::string(state.key())] =
        type != nullptr && type->is_string() ? std::string(type->get_string()) : "";
    if (const json::Value* branches = obj.if_contains("Branches");
        branches && branches->is_array()) {
      for (const json::Value& branch : branches->get_array()) {
        if (branch.is_object()) {
          if (const json::Value* nested = branch.get_object().if_contains("States")) {
            CollectStates(*nested, out);
          }
        }
      }
    }
    for (std::string_view key : {"Iterator", "ItemProcessor"}) {
      if (const json::Value* inner = obj.if_contains(key); inner && inner->is_object()) {
        if (const json::Value* nested = inner->get_object().if_contains("States")) {
          CollectStates(*nested, out);
        }
      }
    }
  }
}

}  // namespace

const MockedInvocation* MockedResponse::For(int64_t n) const {
  for (const MockedInvocation& invocation : invocations) {
    if (n >= invocation.first && n <= invocation.last) return &invocation;
  }
  return nullptr;
}

Result<MockTestCase> MockConfig::TestCase(std::string_view state_machine,
                                          std::string_view test_case) const {
  auto machine = state_machines.find(std::string(state_machine));
  if (machine == state_machines.end() && state_machines.size() == 1) {
    machine = state_machines.begin();
  }
  if (machine == state_machines.end()) {
    return Error{std::string(kInvalid),
                 file + ": $.StateMachines: no state machine '" + std::string(state_machine) +
                     "' (the file describes " + Names(state_machines) +
                     "); the key must be the state machine's name, which for a definition file "
                     "is its file name without .asl.json/.json"};
  }
  auto found = machine->second.find(std::string(test_case));
  if (found == machine->second.end()) {
    return Error{std::string(kInvalid),
                 file + ": " + Member(Member("$.StateMachines", machine->first), "TestCases") +
                     ": no test case '" + std::string(test_case) + "' (the test cases are " +
                     Names(machine->second) + ")"};
  }
  MockTestCase result;
  result.file = file;
  result.state_machine = machine->first;
  result.name = found->first;
  for (const auto& [state, response] : found->second) {
    result.states.emplace(state, responses.at(response));
  }
  return result;
}

Result<MockConfig> ParseMockConfig(std::string_view text, std::string_view file) {
  return Parser(file).Parse(text);
}

Result<MockConfig> LoadMockConfig(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{std::string(kInvalid), path + ": is a directory, expected a JSON file"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return Error{std::string(kInvalid),
                 path + ": cannot read: " + std::generic_category().message(errno)};
  }
  std::string data(kMaxMockConfigBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.bad()) return Error{std::string(kInvalid), path + ": cannot read"};
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > kMaxMockConfigBytes) {
    return Error{std::string(kInvalid),
                 path + ": larger than " + std::to_string(kMaxMockConfigBytes) + " bytes"};
  }
  return ParseMockConfig(data, path);
}

Status CheckMockedStates(const MockTestCase& test_case, const json::Value& definition) {
  std::map<std::string, std::string> states;
  if (definition.is_object()) {
    if (const json::Value* top = definition.get_object().if_contains("States")) {
      CollectStates(*top, &states);
    }
  }
  const std::string where = Member(
      Member(Member("$.StateMachines", test_case.state_machine), "TestCases"), test_case.name);
  for (const auto& [state, response] : test_case.states) {
    auto found = states.find(state);
    if (found == states.end()) {
      return Error{std::string(kInvalid), test_case.file + ": " + Member(where, state) +
                                              ": the definition has no state '" + state + "'"};
    }
    if (found->second != "Task") {
      return Error{std::string(kInvalid), test_case.file + ": " + Member(where, state) +
                                              ": state '" + state + "' is a " + found->second +
                                              " state; only Task states can be mocked"};
    }
  }
  return OkStatus();
}

}  // namespace autoretrain::integrations
