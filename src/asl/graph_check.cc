#include "graph_check.h"

#include <string>
#include <vector>

namespace autoretrain::asl {

namespace {

// The string value of obj[key] when `v` is an object holding one, else nullptr.
const json::String* StringMember(const json::Value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  const json::Value* member = v.get_object().if_contains(key);
  return member != nullptr && member->is_string() ? &member->get_string() : nullptr;
}

// The array value of obj[key] when `v` is an object holding one, else nullptr.
const json::Array* ArrayMember(const json::Value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  const json::Value* member = v.get_object().if_contains(key);
  return member != nullptr && member->is_array() ? &member->get_array() : nullptr;
}

class GraphChecker {
 public:
  GraphChecker(DefinitionReader* reader, StateMachine* machine)
      : reader_(reader), machine_(machine) {}

  // The index of the state named by `raw_holder[key]`, or -1 (reported at `location/key` when
  // the field is a string naming no state; AWS words it "Missing 'Next' target" whichever of
  // Next, Default or Catch Next it is).
  int Resolve(const json::Value& raw_holder, std::string_view key, const std::string& location) {
    const json::String* target = StringMember(raw_holder, key);
    if (target == nullptr) return -1;
    auto it = machine_->index_by_name.find(std::string(*target));
    if (it != machine_->index_by_name.end()) return it->second;
    reader_->Add(kMissingTransitionTarget, PointerAppend(location, key),
                 "Missing 'Next' target: " + std::string(*target));
    return -1;
  }

  void ResolveState(const json::Value& raw, const std::string& location, State* state) {
    state->next_index = Resolve(raw, "Next", location);
    state->default_index = Resolve(raw, "Default", location);
    if (const json::Array* rules = ArrayMember(raw, "Choices")) {
      const std::string choices_location = PointerAppend(location, "Choices");
      for (size_t i = 0; i < rules->size() && i < state->choices.size(); ++i) {
        state->choices[i].next_index =
            Resolve((*rules)[i], "Next", PointerAppend(choices_location, i));
      }
    }
    if (const json::Array* catchers = ArrayMember(raw, "Catch")) {
      const std::string catch_location = PointerAppend(location, "Catch");
      for (size_t i = 0; i < catchers->size() && i < state->catch_.size(); ++i) {
        state->catch_[i].next_index =
            Resolve((*catchers)[i], "Next", PointerAppend(catch_location, i));
      }
    }
  }

 private:
  DefinitionReader* reader_;
  StateMachine* machine_;
};

// The states each state can go to, read from the raw JSON so that a state with other problems
// (an unknown Type, say) still counts as a way to reach its successors.
std::vector<std::vector<int>> Successors(const json::Object& states_json,
                                         const StateMachine& machine) {
  std::vector<std::vector<int>> out(machine.states.size());
  auto add = [&](size_t from, const json::Value& holder, std::string_view key) {
    const json::String* target = StringMember(holder, key);
    if (target == nullptr) return;
    auto it = machine.index_by_name.find(std::string(*target));
    if (it != machine.index_by_name.end()) out[from].push_back(it->second);
  };
  size_t i = 0;
  for (const auto& [name, raw] : states_json) {
    add(i, raw, "Next");
    add(i, raw, "Default");
    for (std::string_view list : {"Choices", "Catch"}) {
      if (const json::Array* items = ArrayMember(raw, list)) {
        for (const json::Value& item : *items) add(i, item, "Next");
      }
    }
    ++i;
  }
  return out;
}

bool IsTerminal(const json::Value& raw) {
  if (!raw.is_object()) return false;
  const json::Value* end = raw.get_object().if_contains("End");
  if (end != nullptr && end->is_bool() && end->get_bool()) return true;
  const json::String* type = StringMember(raw, "Type");
  return type != nullptr && (*type == "Succeed" || *type == "Fail");
}

}  // namespace

void CheckGraph(const json::Object& states_json, const std::string& base, DefinitionReader* reader,
                StateMachine* machine) {
  const std::string states_location = base + "/States";
  GraphChecker checker(reader, machine);
  bool has_terminal = false;
  size_t i = 0;
  for (const auto& [name, raw] : states_json) {
    checker.ResolveState(raw, PointerAppend(states_location, name), &machine->states[i]);
    has_terminal = has_terminal || IsTerminal(raw);
    ++i;
  }
  if (!has_terminal) {
    reader->Add(kMissingEndState, states_location,
                "The state machine has no terminal state: no state has \"End\": true and there "
                "is no Succeed or Fail state");
  }
  const int start = machine->start_index;
  // Without a StartAt string there is nothing to trace from; a StartAt naming no state makes
  // every state unreachable, and AWS reports each one.
  if (start < 0 && machine->start_at.empty()) return;

  std::vector<std::vector<int>> successors = Successors(states_json, *machine);
  std::vector<bool> reached(machine->states.size(), false);
  std::vector<int> stack;
  if (start >= 0) {
    stack.push_back(start);
    reached[start] = true;
  }
  while (!stack.empty()) {
    int s = stack.back();
    stack.pop_back();
    for (int next : successors[s]) {
      if (!reached[next]) {
        reached[next] = true;
        stack.push_back(next);
      }
    }
  }
  for (size_t s = 0; s < reached.size(); ++s) {
    if (reached[s]) continue;
    const std::string& name = machine->states[s].name;
    reader->Add(kMissingTransitionTarget, PointerAppend(states_location, name),
                "State \"" + name + "\" is not reachable.");
  }
}

}  // namespace autoretrain::asl
