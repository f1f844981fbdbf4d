// RemoteSelection: which resources a project sends to a remote AWS service instead of running
// them here (state machines for Step Functions, functions for Lambda). A selection is "all",
// or a list of patterns: an exact ARN or name, or a prefix ending in '*'
// ("arn:aws:states:us-east-1:123456789012:stateMachine:prod-*").
//
// Thread-safety: a plain value; Matches may be called from many threads at once.
#ifndef AUTORETRAIN_AWS_REMOTE_SELECTION_H_
#define AUTORETRAIN_AWS_REMOTE_SELECTION_H_

#include <string>
#include <string_view>
#include <vector>

namespace autoretrain::aws {

struct RemoteSelection {
  bool all = false;                   // every resource of the service is remote
  std::vector<std::string> patterns;  // exact ARNs/names, or prefixes ending in '*'

  // Whether `name` (an ARN or a name) is selected: `all`, a pattern equal to it, or a
  // pattern "P*" with `name` starting with P. A lone "*" selects everything.
  bool Matches(std::string_view name) const;
  // Whether any of `names` is selected (a Lambda function is matched by its ARN as given and
  // by its bare name).
  bool MatchesAny(std::initializer_list<std::string_view> names) const;
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_REMOTE_SELECTION_H_
