// Step Functions state machine versions and aliases: PublishStateMachineVersion,
// ListStateMachineVersions, DeleteStateMachineVersion, CreateStateMachineAlias,
// DescribeStateMachineAlias, UpdateStateMachineAlias, DeleteStateMachineAlias,
// ListStateMachineAliases, and the helpers of sfn_versions.h.
#include "server/sfn_versions.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <variant>

#include "autoretrain/asl/parser.h"
#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/server/aws_shapes.h"
#include "autoretrain/server/step_functions_service.h"
#include "server/json_protocol.h"
#include "server/sfn_common.h"

namespace autoretrain::server {
namespace {

constexpr size_t kMaxDescriptionLength = 256;
constexpr size_t kMaxVersionArnLength = 2048;
constexpr size_t kMaxRevisionIdLength = 2048;
constexpr char kAliasPattern[] =
    "Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$ "
    "(letters, digits, _ - . and not digits only)";

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Compiled definitions of published versions, by definition text (bounded: cleared when full).
std::shared_ptr<const asl::StateMachine> CachedCompile(const std::string& definition,
                                                       std::string* problem) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const asl::StateMachine>, std::less<>> cache;
  constexpr size_t kMaxCached = 64;
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(definition); it != cache.end()) return it->second;
  }
  asl::CompileResult compiled = asl::CompileText(definition);
  auto* machine = std::get_if<std::shared_ptr<const asl::StateMachine>>(&compiled);
  if (machine == nullptr) {
    for (const asl::Diagnostic& d : std::get<std::vector<asl::Diagnostic>>(compiled)) {
      *problem += (problem->empty() ? "" : "; ") + d.ToString();
    }
    return nullptr;
  }
  std::lock_guard lock(mu);
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(definition, *machine);
  return *machine;
}

json::Array RoutesJson(const store::StateMachineAlias& alias) {
  json::Array routes;
  for (const store::AliasRoute& route : alias.routes) {
    routes.push_back(json::Object{
        {"stateMachineVersionArn", alias.state_machine_arn + ":" + std::to_string(route.version)},
        {"weight", route.weight}});
  }
  return routes;
}

std::vector<store::AliasRoute> StoreRoutes(const std::vector<RouteRequest>& routes) {
  std::vector<store::AliasRoute> out;
  for (const RouteRequest& route : routes)
    out.push_back({*route.version_arn.version, route.weight});
  return out;
}

// The alias ARN of `text`; InvalidArn otherwise.
Result<QualifiedStateMachineArn> AliasArn(std::string_view text) {
  Result<QualifiedStateMachineArn> arn = ParseQualifiedStateMachineArn(text);
  if (!arn.ok()) return arn;
  if (!arn->alias) {
    return InvalidArn(text,
                      "a state machine alias ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:"
                      "NAME:ALIAS)");
  }
  return arn;
}

// The unqualified state machine ARN of `text`; InvalidArn otherwise.
Result<QualifiedStateMachineArn> MachineArn(std::string_view text) {
  Result<QualifiedStateMachineArn> arn = ParseQualifiedStateMachineArn(text);
  if (!arn.ok()) return arn;
  if (arn->qualified()) {
    return InvalidArn(text,
                      "an unqualified state machine ARN (arn:aws:states:REGION:ACCOUNT:"
                      "stateMachine:NAME), without a version or alias");
  }
  return arn;
}

// ValidationException unless every route is a version of `machine_arn`.
Status CheckRoutesBelongTo(const std::vector<RouteRequest>& routes,
                           const std::string& machine_arn) {
  for (const RouteRequest& route : routes) {
    if (route.version_arn.machine_arn != machine_arn) {
      return Error{kValidationException,
                   "Routing configuration version '" + route.version_arn.machine_arn + ":" +
                       std::to_string(*route.version_arn.version) +
                       "' is not a version of state machine '" + machine_arn +
                       "': an alias routes to versions of its own state machine only"};
    }
  }
  return OkStatus();
}

// The request of ListStateMachineVersions and ListStateMachineAliases: a machine's own ARN and
// a page.
struct MachinePageRequest {
  std::string arn;
  store::PageRequest page;
};

Result<MachinePageRequest> ReadMachinePageRequest(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  std::optional<int64_t> max_results = reader.Integer("maxResults", 0, kMaxPageSize);
  std::optional<std::string> token = reader.String("nextToken", false, 1, kMaxPageTokenLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> machine = MachineArn(*arn);
  if (!machine.ok()) return machine.take_error();
  MachinePageRequest request;
  request.arn = *arn;
  request.page.max_results = static_cast<int>(max_results.value_or(0));
  request.page.next_token = token.value_or("");
  return request;
}

// {list_key: [{arn_key: ARN, "creationDate"}], "nextToken"} for a page of versions or aliases.
template <class Record>
json::Value ArnPageJson(const store::Page<Record>& page, const char* list_key,
                        const char* arn_key) {
  json::Array items;
  for (const Record& record : page.items) {
    items.push_back(json::Object{{arn_key, record.Arn()},
                                 {"creationDate", DateJson(record.creation_date, kDates)}});
  }
  json::Object out{{list_key, std::move(items)}};
  if (!page.next_token.empty()) out["nextToken"] = page.next_token;
  return out;
}

}  // namespace

Result<QualifiedStateMachineArn> ParseQualifiedStateMachineArn(std::string_view arn) {
  constexpr std::string_view kExpected =
      "a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME, optionally "
      "followed by :VERSION or :ALIAS)";
  std::optional<ParsedArn> parsed = ParseArn(arn);
  constexpr std::string_view kPrefix = "stateMachine:";
  if (!parsed || parsed->service != "states" || !parsed->resource.starts_with(kPrefix)) {
    return InvalidArn(arn, kExpected);
  }
  std::string_view rest = std::string_view(parsed->resource).substr(kPrefix.size());
  const size_t colon = rest.find(':');
  QualifiedStateMachineArn out;
  out.machine_name = std::string(rest.substr(0, colon));
  if (out.machine_name.empty()) return InvalidArn(arn, kExpected);
  out.machine_arn = std::string(arn.substr(0, arn.size() - rest.size() + out.machine_name.size()));
  if (colon == std::string_view::npos) return out;
  std::string_view qualifier = rest.substr(colon + 1);
  if (qualifier.find(':') != std::string_view::npos) return InvalidArn(arn, kExpected);
  if (AllDigits(qualifier)) {
    int64_t number = 0;
    auto [end, ec] = std::from_chars(qualifier.data(), qualifier.data() + qualifier.size(), number);
    if (ec != std::errc() || end != qualifier.data() + qualifier.size() || number < 1) {
      return InvalidArn(arn, std::string(kExpected) + ": version numbers start at 1");
    }
    out.version = number;
    return out;
  }
  if (std::optional<std::string> problem = AliasNameProblem(qualifier)) {
    return InvalidArn(arn, std::string(kExpected) + ": " + *problem);
  }
  out.alias = std::string(qualifier);
  return out;
}

std::optional<std::string> AliasNameProblem(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return "an alias name has 1 to " + std::to_string(kMaxNameLength) + " characters";
  }
  bool non_digit = false;
  for (char c : name) {
    const bool digit = c >= '0' && c <= '9';
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!digit && !letter && c != '_' && c != '-' && c != '.') {
      return "an alias name has letters, digits, _ - . only (found '" + std::string(1, c) + "')";
    }
    non_digit = non_digit || !digit;
  }
  if (!non_digit) {
    return "an alias name must not be digits only (that would be a version number): add a "
           "letter, _ - or .";
  }
  return std::nullopt;
}

namespace {

// 8-4-4-4-12 hex digits: the first 20 from a digest of the machine's ARN and the revision (so
// that one machine's id is not another's), the last 12 the revision itself.
std::string OpaqueRevisionId(std::string_view machine_arn, int64_t revision) {
  char number[13];
  std::snprintf(number, sizeof number, "%012llx", static_cast<unsigned long long>(revision));
  const std::string digest =
      aws::Sha256Hex(std::string(machine_arn) + "#revision#" + std::to_string(revision));
  return digest.substr(0, 8) + "-" + digest.substr(8, 4) + "-" + digest.substr(12, 4) + "-" +
         digest.substr(16, 4) + "-" + number;
}

}  // namespace

void AddRevisionId(json::Object& out, std::string_view machine_arn, int64_t revision) {
  if (revision <= 1) return;
  out["revisionId"] = OpaqueRevisionId(machine_arn, revision);
}

std::optional<int64_t> ParseRevisionId(std::string_view machine_arn, std::string_view text) {
  if (text == "INITIAL") return 1;
  constexpr size_t kLength = 36;
  if (text.size() != kLength) return std::nullopt;
  const std::string_view number = text.substr(kLength - 12);
  uint64_t revision = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), revision, 16);
  if (ec != std::errc() || end != number.data() + number.size() || revision < 2 ||
      revision > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return std::nullopt;
  }
  const auto value = static_cast<int64_t>(revision);
  if (OpaqueRevisionId(machine_arn, value) != text) return std::nullopt;
  return value;
}

std::vector<RouteRequest> ReadRoutingConfiguration(RequestReader& reader, bool required) {
  constexpr std::string_view kMember = "routingConfiguration";
  const json::Value* list = reader.Raw(kMember);
  if (list == nullptr) {
    if (required) reader.Violation(kMember, "null", "Member must not be null");
    return {};
  }
  if (!list->is_array()) {
    reader.WrongType(kMember, "a list of {stateMachineVersionArn, weight}");
    return {};
  }
  const json::Array& items = list->as_array();
  if (items.empty() || items.size() > 2) {
    reader.Violation(kMember, "[" + std::to_string(items.size()) + " items]",
                     "Member must have length between 1 and 2 (an alias routes to one version, "
                     "or splits executions between two)");
    return {};
  }
  std::vector<RouteRequest> routes;
  bool valid = true;
  int index = 0;
  for (const json::Value& item : items) {
    const std::string member = std::string(kMember) + "." + std::to_string(++index) + ".member";
    const json::Object* object = item.if_object();
    const json::Value* arn = object ? object->if_contains("stateMachineVersionArn") : nullptr;
    const json::Value* weight = object ? object->if_contains("weight") : nullptr;
    if (object == nullptr || (arn && !arn->is_string() && !arn->is_null()) ||
        (weight && !weight->is_int64() && !weight->is_uint64() && !weight->is_null())) {
      reader.WrongType(kMember,
                       "a list of {\"stateMachineVersionArn\": string, \"weight\": integer}");
      return {};
    }
    if (arn == nullptr || arn->is_null()) {
      reader.Violation(member + ".stateMachineVersionArn", "null", "Member must not be null");
      valid = false;
    }
    if (weight == nullptr || weight->is_null()) {
      reader.Violation(member + ".weight", "null", "Member must not be null");
      valid = false;
    }
    if (!valid) continue;
    const std::string text(arn->as_string());
    const int64_t percent = weight->is_int64() ? weight->as_int64() : INT64_MAX;
    if (percent < 0 || percent > 100) {
      reader.Violation(member + ".weight", std::to_string(percent),
                       "Member must have value between 0 and 100");
      valid = false;
    }
    if (text.empty() || CharacterCount(text) > kMaxVersionArnLength) {
      reader.Violation(member + ".stateMachineVersionArn", Quoted(text),
                       "Member must have length between 1 and 2048");
      valid = false;
      continue;
    }
    Result<QualifiedStateMachineArn> parsed = ParseQualifiedStateMachineArn(text);
    if (!parsed.ok() || !parsed->version) {
      reader.Violation(member + ".stateMachineVersionArn", Quoted(text),
                       "Member must be a state machine version ARN "
                       "(arn:aws:states:REGION:ACCOUNT:stateMachine:NAME:VERSION)");
      valid = false;
      continue;
    }
    routes.push_back({std::move(*parsed), percent});
  }
  if (!valid) return {};
  int64_t sum = 0;
  for (const RouteRequest& route : routes) sum += route.weight;
  if (routes.size() == 2) {
    if (routes[0].version_arn.machine_arn != routes[1].version_arn.machine_arn) {
      reader.Violation(kMember, "[...]",
                       "Both versions of a routing configuration must belong to the same state "
                       "machine");
      return {};
    }
    if (*routes[0].version_arn.version == *routes[1].version_arn.version) {
      reader.Violation(kMember, "[...]",
                       "Routing configuration must contain distinct state machine version ARNs");
      return {};
    }
  }
  if (sum != 100) {
    reader.Violation(kMember, "[...]",
                     "Sum of routing configuration weights must be equal to 100 (they add up to " +
                         std::to_string(sum) + ")");
    return {};
  }
  return routes;
}

int64_t ChooseRoute(const std::vector<store::AliasRoute>& routes, int64_t percent) {
  if (routes.size() < 2 || percent < routes[0].weight) return routes.at(0).version;
  return routes[1].version;
}

Result<StartTarget> ResolveStartTarget(store::Store& store, const QualifiedStateMachineArn& arn) {
  StartTarget target;
  const std::string shown =
      arn.machine_arn + ":" + (arn.version ? std::to_string(*arn.version) : arn.alias.value_or(""));
  auto does_not_exist = [&](std::string_view what) {
    return Error{"StateMachineDoesNotExist",
                 "State Machine Does Not Exist: '" + shown + "' (" + std::string(what) + ")"};
  };
  if (arn.alias) {
    Result<store::StateMachineAlias> alias = store.GetAlias(arn.machine_arn, *arn.alias);
    if (!alias.ok()) {
      if (alias.error().error == "ResourceNotFound") {
        return does_not_exist("no such alias: ListStateMachineAliases lists them");
      }
      return alias.take_error();
    }
    thread_local std::mt19937_64 random{std::random_device{}()};
    const int64_t percent = std::uniform_int_distribution<int64_t>(0, 99)(random);
    target.version.version = ChooseRoute(alias->routes, percent);
    target.version.alias = *arn.alias;
  } else {
    target.version.version = *arn.version;
  }
  Result<store::PublishedVersion> version =
      store.GetPublishedVersion(arn.machine_arn, target.version.version);
  if (!version.ok()) {
    if (version.error().error == "ResourceNotFound") {
      return does_not_exist("no such version: ListStateMachineVersions lists them");
    }
    return version.take_error();
  }
  target.revision = version->revision;
  Result<store::StateMachineRecord> record =
      store.GetStateMachineVersion(arn.machine_arn, version->revision);
  if (!record.ok()) return record.take_error();
  std::string problem;
  target.definition = CachedCompile(record->definition, &problem);
  if (!target.definition) {
    return Error{"InvalidDefinition", "the definition of '" + version->Arn() +
                                          "' no longer compiles: " + problem +
                                          "; publish a corrected version"};
  }
  return target;
}

std::string StartedVersionArn(const std::string& machine_arn,
                              const store::ExecutionVersion& started) {
  return machine_arn + ":" + std::to_string(started.version);
}

std::string StartedAliasArn(const std::string& machine_arn,
                            const store::ExecutionVersion& started) {
  return started.alias ? machine_arn + ":" + *started.alias : "";
}

Status AddExecutionVersion(store::Store& store, const store::ExecutionRecord& record,
                           json::Object& out) {
  Result<std::optional<store::ExecutionVersion>> version = store.GetExecutionVersion(record.arn);
  if (!version.ok()) return version.take_error();
  if (!*version) return OkStatus();
  out["stateMachineVersionArn"] = StartedVersionArn(record.state_machine_arn, **version);
  if ((*version)->alias) {
    out["stateMachineAliasArn"] = StartedAliasArn(record.state_machine_arn, **version);
  }
  return OkStatus();
}

Result<store::ExecutionVersionFilter> ListFilterOf(store::Store& store,
                                                   const QualifiedStateMachineArn& arn) {
  store::ExecutionVersionFilter filter;
  if (arn.alias) {
    Result<store::StateMachineAlias> alias = store.GetAlias(arn.machine_arn, *arn.alias);
    if (!alias.ok()) return alias.take_error();
    filter.alias = *arn.alias;
  } else if (arn.version) {
    Result<store::PublishedVersion> version =
        store.GetPublishedVersion(arn.machine_arn, *arn.version);
    if (!version.ok()) return version.take_error();
    filter.version = *arn.version;
  }
  return filter;
}

// ---- Operations ----

Result<json::Value> StepFunctionsService::PublishStateMachineVersion(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn = reader.String("stateMachineArn", true, 1, kMaxArnLength);
  std::optional<std::string> revision = reader.String("revisionId", false, 1, kMaxRevisionIdLength);
  std::optional<std::string> description =
      reader.String("description", false, 0, kMaxDescriptionLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> machine = MachineArn(*arn);
  if (!machine.ok()) return machine.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  std::optional<int64_t> expected;
  if (revision) {
    expected = ParseRevisionId(machine->machine_arn, *revision);
    if (!expected) {
      return Error{"ConflictException", "The revision ID '" + *revision +
                                            "' is not a revision of state machine '" + *arn +
                                            "': DescribeStateMachine shows its current revisionId"};
    }
  }
  Result<store::PublishedVersion> version =
      (*store)->PublishStateMachineVersion(*arn, expected, description.value_or(""), clock_.Now());
  if (!version.ok()) return version.take_error();
  return Ok(json::Object{{"creationDate", DateJson(version->creation_date, kDates)},
                         {"stateMachineVersionArn", version->Arn()}});
}

Result<json::Value> StepFunctionsService::ListStateMachineVersions(const json::Object& input) {
  Result<MachinePageRequest> request = ReadMachinePageRequest(input);
  if (!request.ok()) return request.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::Page<store::PublishedVersion>> page =
      (*store)->ListPublishedVersions(request->arn, request->page);
  if (!page.ok()) return page.take_error();
  return ArnPageJson(*page, "stateMachineVersions", "stateMachineVersionArn");
}

Result<json::Value> StepFunctionsService::DeleteStateMachineVersion(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn =
      reader.String("stateMachineVersionArn", true, 1, kMaxVersionArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> version = ParseQualifiedStateMachineArn(*arn);
  if (!version.ok()) return version.take_error();
  if (!version->version) {
    return InvalidArn(*arn,
                      "a state machine version ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:"
                      "NAME:VERSION)");
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status deleted = (*store)->DeletePublishedVersion(version->machine_arn, *version->version);
      !deleted.ok()) {
    return deleted.take_error();
  }
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::CreateStateMachineAlias(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> description =
      reader.String("description", false, 0, kMaxDescriptionLength);
  std::optional<std::string> name = reader.String("name", true, 1, kMaxNameLength);
  if (name && AliasNameProblem(*name)) reader.Violation("name", Quoted(*name), kAliasPattern);
  std::vector<RouteRequest> routes = ReadRoutingConfiguration(reader, true);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  const std::string& machine_arn = routes.at(0).version_arn.machine_arn;
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  const TimePoint now = clock_.Now();
  Result<store::StateMachineAlias> created =
      (*store)->CreateAlias({.state_machine_arn = machine_arn,
                             .name = *name,
                             .description = description.value_or(""),
                             .routes = StoreRoutes(routes),
                             .creation_date = now,
                             .update_date = now});
  if (!created.ok() && created.error().error == "StateMachineDoesNotExist") {
    return Error{"ResourceNotFound", "Resource not found: state machine '" + machine_arn +
                                         "' of the routed versions does not exist"};
  }
  if (!created.ok()) return created.take_error();
  return Ok(json::Object{{"stateMachineAliasArn", created->Arn()},
                         {"creationDate", DateJson(created->creation_date, kDates)}});
}

Result<json::Value> StepFunctionsService::DescribeStateMachineAlias(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn =
      reader.String("stateMachineAliasArn", true, 1, kMaxVersionArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> alias_arn = AliasArn(*arn);
  if (!alias_arn.ok()) return alias_arn.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::StateMachineAlias> alias =
      (*store)->GetAlias(alias_arn->machine_arn, *alias_arn->alias);
  if (!alias.ok()) return alias.take_error();
  json::Object out{{"stateMachineAliasArn", alias->Arn()},
                   {"name", alias->name},
                   {"routingConfiguration", RoutesJson(*alias)},
                   {"creationDate", DateJson(alias->creation_date, kDates)},
                   {"updateDate", DateJson(alias->update_date, kDates)}};
  if (!alias->description.empty()) out["description"] = alias->description;
  return Ok(std::move(out));
}

Result<json::Value> StepFunctionsService::UpdateStateMachineAlias(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn =
      reader.String("stateMachineAliasArn", true, 1, kMaxVersionArnLength);
  std::optional<std::string> description =
      reader.String("description", false, 0, kMaxDescriptionLength);
  std::vector<RouteRequest> routes = ReadRoutingConfiguration(reader, false);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> alias_arn = AliasArn(*arn);
  if (!alias_arn.ok()) return alias_arn.take_error();
  if (!description && routes.empty()) {
    return Error{kValidationException,
                 "Either the description or the routingConfiguration must be specified: give "
                 "the new description, the new routes, or both"};
  }
  if (Status own = CheckRoutesBelongTo(routes, alias_arn->machine_arn); !own.ok()) {
    return own.take_error();
  }
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  std::optional<std::vector<store::AliasRoute>> new_routes;
  if (!routes.empty()) new_routes = StoreRoutes(routes);
  Result<store::StateMachineAlias> updated = (*store)->UpdateAlias(
      alias_arn->machine_arn, *alias_arn->alias, description, new_routes, clock_.Now());
  if (!updated.ok()) return updated.take_error();
  return Ok(json::Object{{"updateDate", DateJson(updated->update_date, kDates)}});
}

Result<json::Value> StepFunctionsService::DeleteStateMachineAlias(const json::Object& input) {
  RequestReader reader(input);
  std::optional<std::string> arn =
      reader.String("stateMachineAliasArn", true, 1, kMaxVersionArnLength);
  if (Status valid = reader.Finish(); !valid.ok()) return valid.take_error();
  Result<QualifiedStateMachineArn> alias_arn = AliasArn(*arn);
  if (!alias_arn.ok()) return alias_arn.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  if (Status deleted = (*store)->DeleteAlias(alias_arn->machine_arn, *alias_arn->alias);
      !deleted.ok()) {
    return deleted.take_error();
  }
  return Ok(json::Object{});
}

Result<json::Value> StepFunctionsService::ListStateMachineAliases(const json::Object& input) {
  Result<MachinePageRequest> request = ReadMachinePageRequest(input);
  if (!request.ok()) return request.take_error();
  Result<store::Store*> store = Store();
  if (!store.ok()) return store.take_error();
  Result<store::Page<store::StateMachineAlias>> page =
      (*store)->ListAliases(request->arn, request->page);
  if (!page.ok()) return page.take_error();
  return ArnPageJson(*page, "stateMachineAliases", "stateMachineAliasArn");
}

}  // namespace autoretrain::server
