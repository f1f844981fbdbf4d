// History: numbers the events of one execution and hands them to the Observer in the shape of
// AWS GetExecutionHistory. Event ids advance even when nobody observes (error messages cite
// "entered at the event id #N"), but details are only built when an observer is set, so an
// unobserved execution pays one integer increment per event.
//
// The history is bounded as AWS bounds a Standard execution's (25,000 events): once an event
// would take the last id, it is dropped and overflowed() turns true, so that the execution can
// end FAILED with the last id (ExecutionFailed, States.Runtime). Execution-ending events
// (Execution*, except ExecutionStarted) always fit.
//
// Thread-safety: one History per execution, used by the thread running it.
#ifndef AUTORETRAIN_ENGINE_HISTORY_H_
#define AUTORETRAIN_ENGINE_HISTORY_H_

#include <cstdint>
#include <string_view>
#include <utility>

#include "autoretrain/common/clock.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/json/json.h"

namespace autoretrain::engine {

class History {
 public:
  // `observer` may be null; `clock` and `execution_arn` must outlive the History.
  // `max_events`: the most events the history may hold (0: no limit).
  History(Observer* observer, std::string_view execution_arn, Clock& clock, int64_t max_events)
      : observer_(observer),
        execution_arn_(execution_arn),
        clock_(clock),
        max_events_(max_events) {}

  bool observed() const { return observer_ != nullptr; }
  int64_t last_id() const { return last_id_; }
  int64_t max_events() const { return max_events_; }
  // True once an event was dropped because only the last id was left.
  bool overflowed() const { return overflowed_; }
  // Continues the numbering of a resumed execution: the next event gets `last_id` + 1.
  void ResumeAfter(int64_t last_id) { last_id_ = last_id; }

  // Records an event of `type` whose details object (under `details_key`, empty for none) is
  // made by `build()` only when observed. Returns the event's id.
  template <class BuildDetails>
  int64_t Record(std::string_view type, std::string_view details_key, BuildDetails&& build) {
    if (NoRoomFor(type)) return last_id_;
    ++last_id_;
    if (observer_ != nullptr) {
      Emit(clock_.Now(), type, details_key, std::forward<BuildDetails>(build)());
    }
    return last_id_;
  }
  // Numbers an event nobody observes (!observed()) and that does not end the execution, as
  // Record would. Returns its id.
  int64_t Number() {
    if (NoRoomFor({})) return last_id_;
    return ++last_id_;
  }
  // Records an event with the given timestamp (ExecutionStarted carries the start date).
  template <class BuildDetails>
  int64_t RecordAt(TimePoint timestamp, std::string_view type, std::string_view details_key,
                   BuildDetails&& build) {
    if (NoRoomFor(type)) return last_id_;
    ++last_id_;
    if (observer_ != nullptr) {
      Emit(timestamp, type, details_key, std::forward<BuildDetails>(build)());
    }
    return last_id_;
  }

 private:
  // True (and overflowed_ set) when `type` must be dropped: it would take the last id and does
  // not end the execution.
  bool NoRoomFor(std::string_view type) {
    if (max_events_ <= 0 || last_id_ + 1 < max_events_) return false;
    if (type.starts_with("Execution") && type != "ExecutionStarted") return false;
    overflowed_ = true;
    return true;
  }
  void Emit(TimePoint timestamp, std::string_view type, std::string_view details_key,
            json::Value details);

  Observer* observer_;
  std::string_view execution_arn_;
  Clock& clock_;
  int64_t max_events_;
  int64_t last_id_ = 0;
  bool overflowed_ = false;
};

// {"truncated": false}, the inputDetails/outputDetails object of every event.
json::Value NotTruncated();

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_HISTORY_H_
