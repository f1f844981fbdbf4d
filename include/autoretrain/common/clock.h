// Clock: the one way code reads the time or waits, so tests can substitute a fake clock.
//
// Thread-safety: SystemClock is safe to share between threads. ManualClock is not.
#ifndef AUTORETRAIN_COMMON_CLOCK_H_
#define AUTORETRAIN_COMMON_CLOCK_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace autoretrain {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// The current wall-clock time, millisecond precision: SystemClock's Now as a plain function (a
// default for std::function<TimePoint()> parameters).
TimePoint SystemNow();

class Clock {
 public:
  virtual ~Clock() = default;
  // The current wall-clock time, millisecond precision (what Step Functions records).
  virtual TimePoint Now() = 0;
  // Blocks until `deadline` has passed (returns at once if it already has).
  virtual void SleepUntil(TimePoint deadline) = 0;
  // Waits on `cv` (`lock` held, as std::condition_variable::wait_until) until `deadline` or a
  // notification, whichever comes first. A clock that moves only when slept on (ManualClock)
  // jumps to the deadline instead.
  virtual void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         TimePoint deadline) {
    cv.wait_until(lock, deadline);
  }
};

// The real clock.
class SystemClock final : public Clock {
 public:
  TimePoint Now() override;
  void SleepUntil(TimePoint deadline) override;
};

// A clock that only moves when told to, or when something sleeps on it (the sleep advances it
// instantly). For tests and for dry runs of Wait states.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() override { return now_; }
  void SleepUntil(TimePoint deadline) override {
    if (deadline > now_) now_ = deadline;
  }
  void WaitUntil(std::unique_lock<std::mutex>&, std::condition_variable&,
                 TimePoint deadline) override {
    SleepUntil(deadline);
  }
  void Advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  TimePoint now_;
};

// Formats as ISO 8601 UTC with milliseconds, the way Step Functions writes timestamps in the
// context object and in history: "2026-11-26T03:00:00.123Z".
std::string FormatIso8601(TimePoint t);

// Parses an RFC 3339 timestamp as Step Functions accepts it for Wait Timestamp and the
// TimestampEquals family: "YYYY-MM-DDThh:mm:ss[.fff...](Z|+hh:mm|-hh:mm)". An uppercase T and
// a zone are required. Returns false (and leaves *out alone) when the text is not one.
bool ParseIso8601(const std::string& text, TimePoint* out);

}  // namespace autoretrain

#endif  // AUTORETRAIN_COMMON_CLOCK_H_
