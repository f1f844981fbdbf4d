// The IAM permissions a state machine needs on AWS, derived from what its definition actually
// calls: every Task state (nested Parallel branches and Map item processors included) is read
// for its Resource and the target its arguments name (FunctionName, StateMachineArn,
// TableName, TopicArn, Bucket/Key), and becomes the IAM actions AWS documents for that
// service integration, scoped to that target. A target chosen at run time (a ".$" path or a
// JSONata expression) is scoped to every resource of its kind in the stack's account and
// region, with a warning naming the state.
//
// Resources are Fn::Sub templates: an ARN in the project's own account and region has them
// replaced by ${AWS::Partition}, ${AWS::Region} and ${AWS::AccountId}, so the template deploys
// into any account.
//
// Thread-safety: plain functions over values.
#ifndef AUTORETRAIN_DEPLOY_IAM_GRANTS_H_
#define AUTORETRAIN_DEPLOY_IAM_GRANTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/deploy/cloudformation.h"

namespace autoretrain::deploy {

// `text` with "${" escaped as "${!", so that Fn::Sub leaves it as it is.
std::string EscapeSub(std::string_view text);

// `arn` as an Fn::Sub template: the project's partition, region and account replaced by the
// pseudo parameters when they are the project's (an empty region stays empty); any other ARN
// literally, with "${" escaped as Fn::Sub requires.
std::string ArnTemplate(std::string_view arn, const AccountContext& account);

// The grants of the Task states of `machine` (whose raw definition is machine.definition).
// `machine_name` names the state machine in warnings. Never fails: a resource the exporter does
// not know adds a warning naming the state and grants nothing.
std::vector<IamGrant> GrantsForDefinition(const asl::StateMachine& machine,
                                          std::string_view machine_name,
                                          const AccountContext& account,
                                          std::vector<std::string>* warnings);

// The grants merged: one grant per distinct action set and resource list, in first-seen
// order, duplicates removed.
std::vector<IamGrant> MergeGrants(const std::vector<IamGrant>& grants);

}  // namespace autoretrain::deploy

#endif  // AUTORETRAIN_DEPLOY_IAM_GRANTS_H_
