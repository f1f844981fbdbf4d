// History: numbers the events of one execution and hands them to the Observer in the shape of
// AWS GetExecutionHistory. Event ids advance even when nobody observes (error messages cite
// "entered at the event id #N"), but details are only built when an observer is set, so an
// unobserved execution pays one integer increment per event.
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
  History(Observer* observer, std::string_view execution_arn, Clock& clock)
      : observer_(observer), execution_arn_(execution_arn), clock_(clock) {}

  bool observed() const { return observer_ != nullptr; }
  int64_t last_id() const { return last_id_; }
  // Continues the numbering of a resumed execution: the next event gets `last_id` + 1.
  void ResumeAfter(int64_t last_id) { last_id_ = last_id; }

  // Records an event of `type` whose details object (under `details_key`, empty for none) is
  // made by `build()` only when observed. Returns the event's id.
  template <class BuildDetails>
  int64_t Record(std::string_view type, std::string_view details_key, BuildDetails&& build) {
    ++last_id_;
    if (observer_ != nullptr) {
      Emit(clock_.Now(), type, details_key, std::forward<BuildDetails>(build)());
    }
    return last_id_;
  }
  // Records an event with the given timestamp (ExecutionStarted carries the start date).
  template <class BuildDetails>
  int64_t RecordAt(TimePoint timestamp, std::string_view type, std::string_view details_key,
                   BuildDetails&& build) {
    ++last_id_;
    if (observer_ != nullptr) {
      Emit(timestamp, type, details_key, std::forward<BuildDetails>(build)());
    }
    return last_id_;
  }

 private:
  void Emit(TimePoint timestamp, std::string_view type, std::string_view details_key,
            json::Value details);

  Observer* observer_;
  std::string_view execution_arn_;
  Clock& clock_;
  int64_t last_id_ = 0;
};

// {"truncated": false}, the inputDetails/outputDetails object of every event.
json::Value NotTruncated();

}  // namespace autoretrain::engine

#endif  // AUTORETRAIN_ENGINE_HISTORY_H_
