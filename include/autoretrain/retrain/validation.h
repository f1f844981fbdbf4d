// The seed's end-to-end checklist as code (`autoretrain validate`): for a project, whether the
// decision file exists, parses, is fresh and says YES or NO; whether every state machine
// definition is valid; whether the check's trigger branches correctly for both decisions (a dry
// run: the decision is simulated, nothing is started and no function runs); whether the
// pipeline it starts is one of the project's state machines; the schedules' next fire
// times; and whether each alert destination (Slack webhooks, local SNS subscriptions) is
// configured and answers, without sending anything. Each check passes or fails with the fix
// to make.
//
// Thread-safety: plain functions; Validate runs on the calling thread.
#ifndef AUTORETRAIN_RETRAIN_VALIDATION_H_
#define AUTORETRAIN_RETRAIN_VALIDATION_H_

#include <string>
#include <vector>

#include "autoretrain/common/clock.h"
#include "autoretrain/integrations/object_store.h"
#include "autoretrain/json/json.h"
#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {

struct ValidationCheck {
  std::string name;  // e.g. "decision file (check_retraining_decision)"
  bool passed = false;
  std::string detail;  // what was found
  std::string fix;     // what to do when it failed ("" when passed)
};

struct ValidationReport {
  std::vector<ValidationCheck> checks;
  bool passed() const;
  // {"passed": bool, "checks": [{"name", "passed", "detail", "fix"?}]}
  json::Value ToJson() const;
};

// Runs the checklist on `config` (already loaded and validated), reading decision files from
// `objects`, judging freshness and schedules on `clock`. Never fails: every problem is a failed
// check.
ValidationReport Validate(const ProjectConfig& config, integrations::ObjectStore& objects,
                          Clock& clock);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_VALIDATION_H_
