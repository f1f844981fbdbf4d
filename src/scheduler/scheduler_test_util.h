// Helpers shared by the scheduler's tests (and the retrain layer's schedule tests): times from
// ISO text, and time zones by name.
//
// Thread-safety: test-only free functions.
#ifndef AUTORETRAIN_SRC_SCHEDULER_SCHEDULER_TEST_UTIL_H_
#define AUTORETRAIN_SRC_SCHEDULER_SCHEDULER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "autoretrain/common/clock.h"
#include "autoretrain/scheduler/time_zone.h"

namespace autoretrain::scheduler::testing {

// The time of an ISO 8601 text (a test failure when it does not parse).
inline TimePoint At(const std::string& iso) {
  TimePoint t{};
  EXPECT_TRUE(ParseIso8601(iso, &t)) << iso;
  return t;
}

// The IANA zone `name` (a test failure, and UTC, when it cannot be loaded).
inline TimeZone Zone(const std::string& name) {
  auto z = TimeZone::Load(name);
  EXPECT_TRUE(z.ok()) << name;
  return z.ok() ? *z : TimeZone();
}

}  // namespace autoretrain::scheduler::testing

#endif  // AUTORETRAIN_SRC_SCHEDULER_SCHEDULER_TEST_UTIL_H_
