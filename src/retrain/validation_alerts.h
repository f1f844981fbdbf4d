// The checklist's alert destinations (validation.cc): each Slack webhook of "alerts" and each
// http(s) subscription of the local SNS topics is configured and answers, checked with a HEAD
// request that posts nothing.
//
// Thread-safety: a plain function; runs on the calling thread.
#ifndef AUTORETRAIN_RETRAIN_VALIDATION_ALERTS_H_
#define AUTORETRAIN_RETRAIN_VALIDATION_ALERTS_H_

#include "autoretrain/aws/environment.h"
#include "autoretrain/retrain/validation.h"

namespace autoretrain::retrain {

// Appends one check per destination to `report` (none when nothing is configured).
void CheckAlertDestinations(const ProjectConfig& config, const aws::Environment& env,
                            ValidationReport& report);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_VALIDATION_ALERTS_H_
