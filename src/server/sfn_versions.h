// State machine versions and aliases in the Step Functions API: qualified ARNs
// (arn:...:stateMachine:NAME:VERSION and arn:...:stateMachine:NAME:ALIAS), AWS's alias name
// rule, the routingConfiguration of aliases, revision ids, and what StartExecution runs for a
// version or alias ARN. The operations themselves (PublishStateMachineVersion, the alias
// operations, ...) are StepFunctionsService members in sfn_versions.cc.
//
// Thread-safety: pure functions, except ResolveStartTarget (reads the store, which is
// thread-safe, and a compiled-definition cache guarded by its own mutex).
#ifndef AUTORETRAIN_SERVER_SFN_VERSIONS_H_
#define AUTORETRAIN_SERVER_SFN_VERSIONS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/result.h"
#include "autoretrain/json/json.h"
#include "autoretrain/store/store.h"
#include "server/request_reader.h"

namespace autoretrain::server {

// A state machine ARN, possibly qualified by a version number or an alias name.
struct QualifiedStateMachineArn {
  std::string machine_arn;  // arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME
  std::string machine_name;
  std::optional<int64_t> version;    // :N (digits only)
  std::optional<std::string> alias;  // :ALIAS (anything else)
  bool qualified() const { return version.has_value() || alias.has_value(); }
};

// Parses `arn`. InvalidArn, saying what was expected, when it is not a state machine ARN with
// at most one qualifier (a version number from 1, or a valid alias name).
Result<QualifiedStateMachineArn> ParseQualifiedStateMachineArn(std::string_view arn);

// Why `name` is not a valid alias name (AWS: 1-80 of letters, digits, _ - . and not digits
// only, so that it cannot be mistaken for a version number), or nullopt when it is valid.
std::optional<std::string> AliasNameProblem(std::string_view name);

// The revisionId of revision `revision` of the state machine `machine_arn` (its unqualified
// ARN): none for the first revision (AWS: "The first revision ID when you create the state
// machine is null"), then an opaque id shaped like a UUID, the same every time it is asked for.
// Put it in `out` as "revisionId" (or nothing).
void AddRevisionId(json::Object& out, std::string_view machine_arn, int64_t revision);
// The revision `text` names, for PublishStateMachineVersion: "INITIAL" (AWS's name for the
// first revision) is 1; nullopt when `text` is not a revisionId of `machine_arn`.
std::optional<int64_t> ParseRevisionId(std::string_view machine_arn, std::string_view text);

// One routingConfiguration entry as given: a version ARN and its weight.
struct RouteRequest {
  QualifiedStateMachineArn version_arn;  // version always set
  int64_t weight = 0;
};

// Reads the list member "routingConfiguration" (1 or 2 {stateMachineVersionArn, weight}
// entries). Broken constraints are recorded in `reader` (reported by its Finish); ARNs that are
// not version ARNs, repeated versions, versions of different machines and weights not summing
// to 100 are recorded the same way. Returns the entries read (empty when absent or invalid).
std::vector<RouteRequest> ReadRoutingConfiguration(RequestReader& reader, bool required);

// The version an alias runs for an execution, given `percent` drawn uniformly from [0, 100):
// the first route covers [0, weight1), the second the rest.
int64_t ChooseRoute(const std::vector<store::AliasRoute>& routes, int64_t percent);

// What StartExecution runs for a qualified ARN: the published version (chosen by weight for an
// alias) and its compiled definition.
struct StartTarget {
  std::shared_ptr<const asl::StateMachine> definition;
  int64_t revision = 0;
  store::ExecutionVersion version;
};
// Resolves `arn` (qualified) against `store`. StateMachineDoesNotExist, naming the ARN, when
// the version or alias does not exist (AWS's StartExecution error); the store's errors.
Result<StartTarget> ResolveStartTarget(store::Store& store, const QualifiedStateMachineArn& arn);

// The version ARN and the alias ARN ("" when started with a version ARN) of an execution of
// `machine_arn` started with `started`.
std::string StartedVersionArn(const std::string& machine_arn,
                              const store::ExecutionVersion& started);
std::string StartedAliasArn(const std::string& machine_arn, const store::ExecutionVersion& started);

// Adds stateMachineVersionArn (and stateMachineAliasArn) to a DescribeExecution answer, or a
// ListExecutions item, `out` of the execution `record` when it was started with a version or
// alias. Store errors.
Status AddExecutionVersion(store::Store& store, const store::ExecutionRecord& record,
                           json::Object& out);

// What ListExecutions lists for a version or alias ARN (AWS: the executions associated with
// it). ResourceNotFound when the version or alias does not exist; the store's errors.
Result<store::ExecutionVersionFilter> ListFilterOf(store::Store& store,
                                                   const QualifiedStateMachineArn& arn);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_SFN_VERSIONS_H_
