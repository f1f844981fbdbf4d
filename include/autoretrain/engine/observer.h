// Observer: the one way other parts of the program see what an execution does. The engine
// reports each event in the shape of AWS GetExecutionHistory (type plus the type's details
// object); history writers, metrics and the console subscribe. Nothing else looks inside the
// engine.
//
// Thread-safety: the engine calls an observer from the thread running the execution; an
// observer shared by several executions must synchronize itself.
#ifndef AUTORETRAIN_ENGINE_OBSERVER_H_
#define AUTORETRAIN_ENGINE_OBSERVER_H_

#include <string>

#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

struct HistoryEvent {
  int64_t id = 0;                 // 1, 2, 3... within the execution
  int64_t previous_event_id = 0;  // 0 for the first
  TimePoint timestamp;
  std::string type;         // "ExecutionStarted", "PassStateEntered", "TaskScheduled", ...
  json::Value details;      // the details object AWS puts under e.g. "stateEnteredEventDetails"
  std::string details_key;  // that key: "executionStartedEventDetails", ...

  // The event as GetExecutionHistory returns it:
  // {"id":..,"previousEventId":..,"timestamp":..,"type":..,"<detailsKey>":{..}}.
  json::Value ToJson() const;
};

struct ResumePoint;  // execution.h

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(std::string_view execution_arn, const HistoryEvent& event) = 0;
  // The execution reached a point it can resume from (see ResumePoint in execution.h): right
  // before a task is invoked, and when it suspends. A durable observer commits the events seen
  // so far together with `point` before returning, so the task's side effects only begin once
  // its start is recorded. Returns false when the execution must not go on (it was stopped
  // elsewhere); the engine then ends it as ABORTED without recording more. The default keeps
  // nothing and returns true.
  virtual bool OnCheckpoint(std::string_view execution_arn, const ResumePoint& point) {
    (void)execution_arn;
    (void)point;
    return true;
  }
};

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_OBSERVER_H_
