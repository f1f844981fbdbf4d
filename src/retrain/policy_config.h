// Reading a model's "policy" object from autoretrain.json into a ModelPolicy, recording every
// problem in a FieldChecker so that the project loader reports them together with the rest of
// the configuration's problems.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_RETRAIN_POLICY_CONFIG_H_
#define AUTORETRAIN_RETRAIN_POLICY_CONFIG_H_

#include <string>

#include "autoretrain/retrain/policy.h"
#include "retrain/project_fields.h"

namespace autoretrain::retrain {

// The largest hour count a policy accepts (366 days, as max_age_hours).
inline constexpr int64_t kMaxPolicyHours = 8784;

// Reads `value` (the policy object at `path`, e.g. "models.fraud.policy") into *out, whose
// fields keep their values where `value` does not set them. Each problem is recorded in
// `fields` as "<path>.<field>: <what was wrong and what is expected>"; *out is then partly
// filled and must not be used.
void ParsePolicyInto(const json::Value& value, const std::string& path, FieldChecker& fields,
                     ModelPolicy* out);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_POLICY_CONFIG_H_
