#include "autoretrain/asl/state_machine.h"

namespace autoretrain::asl {

const char* StateTypeName(StateType type) {
  switch (type) {
    case StateType::kPass:
      return "Pass";
    case StateType::kTask:
      return "Task";
    case StateType::kChoice:
      return "Choice";
    case StateType::kWait:
      return "Wait";
    case StateType::kSucceed:
      return "Succeed";
    case StateType::kFail:
      return "Fail";
    case StateType::kParallel:
      return "Parallel";
    case StateType::kMap:
      return "Map";
  }
  return "Unknown";
}

}  // namespace autoretrain::asl
