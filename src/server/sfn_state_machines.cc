// Step Functions state machine operations: Create, Describe, List, Update, Delete,
// ValidateStateMachineDefinition.
#include <variant>

#include "autoretrain/asl/parser.h"
#include "autoretrain/server/aws_shapes.h"
#include "autoretrain/server/step_functions_service.h"
#include "integrations/execution_name.h"
#include "server/json_protocol.h"
#include "server/request_reader.h"
#include "server/sfn_common.h"
#include "server/sfn_tags.h"
#include "server/sfn_versions.h"

namespace autoretrain::server {
namespace {

// The compiled definition, or AWS's InvalidDefinition listing every diagnostic.
Result<std::shared_ptr<const asl::StateMachine>> CompileDefinition(const std::string& text) {
  asl::CompileResult compiled = asl::CompileText(text);
  if (auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled)) {
    return std::move(*machine);
  }
  std::string problems;
  for (const asl::Diagnostic& d : std::get<std::vector<asl::Diagnostic>>(compiled)) {
    if (!problems.empty()) problems += ", ";
    problems += d.ToString();
  }
  return Error{"InvalidDefinition", "Invalid State Machine Definition: '" + problems + "'"};
}

Error ProjectMachineError(const std::string& name, std::string_view action) {
  return Error{kValidationException,
               "state machine '" + name +
                   "' is defined by the project's autoretrain.json (state_machines." + name +
                   "), which is its source of truth: " + std::string(action) +
                   " it there, not through the API"};
}

// AWS: a versionDescription only goes with publish: true.
void CheckVersionDescription(RequestReader& reader, const std::optional<bool>& publish,
                             const std::optional<std::string>& description) {
  if (description && !publish.value_or(false)) {
    reader.Violation("versionDescription", "'" + *description + "'",
                     "versionDescription can only be set when publish is true: set publish "
                     "to true, or leave versionDescription out");
  }
}

}  // namespace

Result<json::Value> StepFunctionsService::CreateStateMachine(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> name = reader.String("name", true, 1, kMaxNameLength);
  std::optional<std::string> definition =
      reader.String("definition", true, 1, kMaxDefinitionLength);
  std::optional<std::string> role_arn = reader.String("roleArn", true, 1, kMaxArnLength);
  std::optional<std::string> type = reader.Enum("type", false, {"STANDARD", "EXPRESS"});
  std::optional<bool> publish = reader.Boolean("publish");
  std::optional<std::string> version_description =
      reader.String("versionDescription", false, 0, 256);
  CheckVersionDescription(reader, publish, version_description);
  std::vector<store::ResourceTag> tags = ReadTags(reader, false);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  if (std::optional<std::string> problem = integrations::ExecutionNameProblem(*name)) {
    return Error{"InvalidName", "Invalid Name: '" + *name + "': " + *problem};
  }
  if (Status role = CheckRoleArn(*role_arn); !role.ok()) return role.take_error();
  if (type.value_or("STANDARD") == "EXPRESS") {
    return Error{"StateMachineTypeNotSupported",
                 "autoretrain runs STANDARD state machines only: create it with type STANDARD "
                 "(the default); an EXPRESS definition usually runs unchanged as STANDARD"};
  }
  Result<std::shared_ptr<const asl::StateMachine>> compiled = CompileDefinition(*definition);
  if (!compiled.ok()) return compiled.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();

  std::lock_guard lock(machines_mu_);
  const std::string arn = runtime_.ArnOf(*name);
  if (Status count = CheckNewResourceTags(arn, tags); !count.ok()) return count.take_error();
  store::NewStateMachine machine{.arn = arn,
                                 .name = *name,
                                 .definition = *definition,
                                 .role_arn = *role_arn,
                                 .type = "STANDARD",
                                 .creation_date = clock_.Now()};
  Result<store::StateMachineRecord> created = (*store)->CreateStateMachine(machine);
  if (!created.ok()) {
    if (created.error().error != "StateMachineAlreadyExists") return created.take_error();
    // AWS: creating the same machine again (same definition and role) returns it.
    Result<store::StateMachineRecord> existing = (*store)->GetStateMachine(arn);
    if (!existing.ok()) return created.take_error();
    const bool same_role = existing->role_arn == *role_arn ||
                           (existing->role_arn.empty() && project_machines_.contains(*name));
    if (existing->definition != *definition || !same_role) return created.take_error();
    json::Object out{{"stateMachineArn", arn},
                     {"creationDate", DateJson(existing->creation_date, kDates)}};
    if (publish.value_or(false)) {
      Result<store::PublishedVersion> version = (*store)->PublishStateMachineVersion(
          arn, std::nullopt, version_description.value_or(""), clock_.Now());
      if (!version.ok()) return version.take_error();
      out["stateMachineVersionArn"] = version->Arn();
    }
    return Ok(std::move(out));
  }
  // Tags only when created (AWS ignores them when the same machine is created again).
  // A new machine starts with exactly the given tags (none left from an earlier one).
  Status tagged = (*store)->DeleteResourceTags(arn);
  if (tagged.ok()) tagged = (*store)->TagResource(arn, tags);
  if (!tagged.ok()) {
    (void)(*store)->DeleteStateMachine(arn);  // all or nothing: no machine without its tags
    return tagged.take_error();
  }
  json::Object out{{"stateMachineArn", arn},
                   {"creationDate", DateJson(created->creation_date, kDates)}};
  if (publish.value_or(false)) {
    Result<store::PublishedVersion> version = (*store)->PublishStateMachineVersion(
        arn, created->version, version_description.value_or(""), created->creation_date);
    if (!version.ok()) {
      (void)(*store)->DeleteStateMachine(arn);  // all or nothing, as with the tags
      (void)(*store)->DeleteResourceTags(arn);
      return version.take_error();
    }
    out["stateMachineVersionArn"] = version->Arn();
  }
  runtime_.AddStateMachine(*name, std::move(*compiled), *definition);
  return Ok(std::move(out));
}

Result<json::Value> StepFunctionsService::DescribeStateMachine(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  reader.Enum("includedData", false, {"ALL_DATA", "METADATA_ONLY"});
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> qualified = ParseQualifiedStateMachineArn(*arn);
  if (!qualified.ok()) return qualified.take_error();
  if (qualified->alias) {
    return Error{"InvalidArn", "Invalid Arn: '" + *arn +
                                   "' is an alias ARN; DescribeStateMachine takes a state machine "
                                   "or version ARN (DescribeStateMachineAlias describes aliases)"};
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (!qualified->version) {
    Result<store::StateMachineRecord> record = (*store)->GetStateMachine(*arn);
    if (!record.ok()) return record.take_error();
    json::Value out = DescribeStateMachineJson(*record, kDates);
    AddRevisionId(out.as_object(), record->arn, record->version);
    return out;
  }
  // A version: its definition, dated when it was published.
  Result<store::PublishedVersion> version =
      (*store)->GetPublishedVersion(qualified->machine_arn, *qualified->version);
  if (!version.ok()) {
    if (version.error().error != "ResourceNotFound") return version.take_error();
    return Error{"StateMachineDoesNotExist", "State Machine Does Not Exist: '" + *arn + "'"};
  }
  Result<store::StateMachineRecord> record =
      (*store)->GetStateMachineVersion(qualified->machine_arn, version->revision);
  if (!record.ok()) return record.take_error();
  record->creation_date = version->creation_date;
  json::Value out = DescribeStateMachineJson(*record, kDates);
  json::Object& object = out.as_object();
  object["stateMachineArn"] = version->Arn();
  object["status"] = "ACTIVE";
  AddRevisionId(object, qualified->machine_arn, version->revision);
  if (!version->description.empty()) object["description"] = version->description;
  return out;
}

Result<json::Value> StepFunctionsService::ListStateMachines(const json::Object& input) {
  RequestReader reader(input);
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, kMaxPageSize);
  std::optional<std::string> token = reader.String("nextToken", false, 1, kMaxPageTokenLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::Page<store::StateMachineRecord>> page = (*store)->ListStateMachines(
      {.max_results = static_cast<int>(max_results.value_or(0)), .next_token = token.value_or("")});
  if (!page.ok()) return page.take_error();
  return ListStateMachinesJson(*page, kDates);
}

Result<json::Value> StepFunctionsService::UpdateStateMachine(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  std::optional<std::string> definition =
      reader.String("definition", false, 1, kMaxDefinitionLength);
  std::optional<std::string> role_arn = reader.String("roleArn", false, 1, kMaxArnLength);
  std::optional<bool> publish = reader.Boolean("publish");
  std::optional<std::string> version_description =
      reader.String("versionDescription", false, 0, 256);
  CheckVersionDescription(reader, publish, version_description);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<std::string> name = StateMachineNameOfArn(*arn);
  if (!name.ok()) return name.take_error();
  if (!definition && !role_arn && reader.Raw("loggingConfiguration") == nullptr &&
      reader.Raw("tracingConfiguration") == nullptr) {
    return Error{"MissingRequiredParameter",
                 "Either the definition, the role ARN, the LoggingConfiguration, or the "
                 "TracingConfiguration must be specified"};
  }
  if (role_arn) {
    if (Status role = CheckRoleArn(*role_arn); !role.ok()) return role.take_error();
  }
  std::shared_ptr<const asl::StateMachine> compiled;
  if (definition) {
    Result<std::shared_ptr<const asl::StateMachine>> result = CompileDefinition(*definition);
    if (!result.ok()) return result.take_error();
    compiled = std::move(*result);
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();

  std::lock_guard lock(machines_mu_);
  Result<store::StateMachineRecord> current = (*store)->GetStateMachine(*arn);
  if (!current.ok()) return current.take_error();
  if (current->status == "DELETING") {
    return Error{"StateMachineDeleting", "State Machine is being deleted: '" + *arn + "'"};
  }
  if (project_machines_.contains(*name)) return ProjectMachineError(*name, "change");
  Result<store::StateMachineRecord> updated = (*store)->UpdateStateMachine(
      *arn, definition.value_or(current->definition), role_arn.value_or(""), clock_.Now());
  if (!updated.ok()) return updated.take_error();
  if (compiled) runtime_.AddStateMachine(*name, std::move(compiled), updated->definition);
  json::Object out{{"updateDate", DateJson(updated->version_date, kDates)}};
  AddRevisionId(out, *arn, updated->version);
  if (publish.value_or(false)) {
    Result<store::PublishedVersion> version = (*store)->PublishStateMachineVersion(
        *arn, updated->version, version_description.value_or(""), clock_.Now());
    if (!version.ok()) return version.take_error();
    out["stateMachineVersionArn"] = version->Arn();
  }
  return Ok(std::move(out));
}

Result<json::Value> StepFunctionsService::DeleteStateMachine(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<std::string> name = StateMachineNameOfArn(*arn);
  if (!name.ok()) return name.take_error();
  if (project_machines_.contains(*name)) return ProjectMachineError(*name, "remove");
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  std::lock_guard lock(machines_mu_);
  // Its versions and aliases go with it (AWS); its executions keep their definitions.
  if (Status versions = (*store)->DeleteVersionsAndAliases(*arn); !versions.ok()) {
    return versions.take_error();
  }
  Status deleted = (*store)->DeleteStateMachine(*arn);
  // AWS answers a delete of a machine that does not exist (any more) with success.
  if (!deleted.ok() && deleted.error().error != "StateMachineDoesNotExist") {
    return deleted.take_error();
  }
  if (Status untagged = (*store)->DeleteResourceTags(*arn); !untagged.ok()) {
    return untagged.take_error();
  }
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::ValidateStateMachineDefinition(
    const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> definition =
      reader.String("definition", true, 1, kMaxDefinitionLength);
  reader.Enum("type", false, {"STANDARD", "EXPRESS"});
  std::optional<std::string> severity = reader.Enum("severity", false, {"ERROR", "WARNING"});
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, 100);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  (void)severity;  // every diagnostic autoretrain reports is an ERROR, shown at both levels
  asl::CompileResult compiled = asl::CompileText(*definition);
  json::Array diagnostics;
  bool truncated = false;
  const size_t limit = max_results.value_or(0) == 0 ? 100 : static_cast<size_t>(*max_results);
  if (auto* found = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
    for (const asl::Diagnostic& d : *found) {
      if (diagnostics.size() == limit) {
        truncated = true;
        break;
      }
      json::Object item{{"severity", "ERROR"}, {"code", d.code}, {"message", d.message}};
      if (!d.location.empty()) item["location"] = d.location;
      diagnostics.push_back(std::move(item));
    }
  }
  return Ok(json::Object{{"result", diagnostics.empty() ? "OK" : "FAIL"},
                         {"diagnostics", std::move(diagnostics)},
                         {"truncated", truncated}});
}

}  // namespace autoretrain::server
