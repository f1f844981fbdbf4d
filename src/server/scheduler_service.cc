// SchedulerService (scheduler_service.h): the REST JSON protocol, routing and the operations.
#include "server/scheduler_service.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "server/scheduler_documents.h"

namespace autoretrain::server {

using namespace scheduler_api;  // NOLINT: the documents' helpers, in this file only

namespace {

constexpr int kMaxResults = 100;

int StatusOf(const std::string& type) {
  if (type == "ValidationException") return 400;
  if (type == "ResourceNotFoundException" || type == "UnknownOperationException") return 404;
  if (type == "ConflictException") return 409;
  if (type == "ThrottlingException") return 429;
  return 500;
}

HttpResponse ErrorResponse(int status, const std::string& type, const std::string& message) {
  HttpResponse response;
  response.status = status;
  response.headers.emplace_back("x-amzn-ErrorType", type);
  response.body = json::Serialize(json::Object{{"Message", message}});
  return response;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding of a path segment or query component ('+' is a space in a query).
std::optional<std::string> Decode(std::string_view text, bool query) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (query && text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string Hex(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The key a NextToken continues after: hex of "GROUP/NAME" (or "NAME" for groups).
Result<std::string> TokenKey(const std::string& token) {
  std::string key;
  for (size_t i = 0; i + 1 < token.size(); i += 2) {
    const int high = HexValue(token[i]);
    const int low = HexValue(token[i + 1]);
    if (high < 0 || low < 0) break;
    key.push_back(static_cast<char>(high * 16 + low));
  }
  if (token.empty() || token.size() % 2 != 0 || key.size() * 2 != token.size()) {
    return Invalid("NextToken '" + token +
                   "' is not a token this server returned; pass the NextToken of the previous "
                   "page unchanged, or none for the first page");
  }
  return key;
}

bool ValidPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix.size() > 64) return false;
  if (!((prefix[0] >= 'a' && prefix[0] <= 'z') || (prefix[0] >= 'A' && prefix[0] <= 'Z'))) {
    return false;
  }
  for (char c : prefix) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// NamePrefix, MaxResults and NextToken of ListSchedules and ListScheduleGroups.
struct ListPage {
  std::optional<std::string> prefix;
  int max_results = kMaxResults;
  std::string after;  // the key the page continues after ("": from the start)
};

Result<ListPage> ReadListPage(std::optional<std::string> prefix,
                              std::optional<std::string> max_results,
                              std::optional<std::string> token) {
  ListPage page;
  if (prefix && !ValidPrefix(*prefix)) {
    return Invalid("NamePrefix '" + *prefix +
                   "' is not valid: 1 to 64 characters, a letter first, then 0-9, a-z, A-Z, '-' "
                   "and '_'");
  }
  page.prefix = std::move(prefix);
  if (max_results) {
    const bool digits = !max_results->empty() && max_results->size() <= 4 &&
                        std::all_of(max_results->begin(), max_results->end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
    page.max_results = digits ? std::stoi(*max_results) : 0;
    if (page.max_results < 1 || page.max_results > kMaxResults) {
      return Invalid("MaxResults '" + *max_results +
                     "' is not valid: a whole number from 1 to 100");
    }
  }
  if (token) {
    Result<std::string> key = TokenKey(*token);
    if (!key.ok()) return key.take_error();
    page.after = *key;
  }
  return page;
}

std::string StringOf(const json::Object& object, std::string_view key) {
  const json::Value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

Result<json::Object> ParseDocument(const std::string& text) {
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok() || !parsed->is_object()) {
    return Error{"InternalServerException", "a stored scheduler document is not a JSON object"};
  }
  return std::move(parsed->as_object());
}

json::Value DateNow(Clock& clock) {
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  if (ms % 1000 == 0) return json::Value(ms / 1000);
  return json::Value(static_cast<double>(ms) / 1000.0);
}

}  // namespace

std::optional<std::string> SchedulerService::Call::Query(const std::string& key) const {
  auto it = query.find(key);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

SchedulerService::SchedulerService(store::Store& store, retrain::ScheduleRunner& runner,
                                   AccountContext account,
                                   std::vector<ProjectSchedule> project_schedules, Clock& clock,
                                   Authenticator authenticate)
    : store_(store),
      runner_(runner),
      account_(std::move(account)),
      project_schedules_(std::move(project_schedules)),
      clock_(clock),
      authenticate_(std::move(authenticate)) {}

Result<std::vector<std::string>> SchedulerService::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::optional<std::string>> group = store_.GetSchedulerGroup(kDefaultGroup);
  if (!group.ok()) return group.take_error();
  if (!group->has_value()) {
    json::Object doc{{"Arn", GroupArn(account_, kDefaultGroup)},
                     {"Name", kDefaultGroup},
                     {"State", "ACTIVE"},
                     {"CreationDate", DateNow(clock_)},
                     {"LastModificationDate", DateNow(clock_)}};
    Status created = store_.CreateSchedulerGroup(kDefaultGroup, json::Serialize(doc),
                                                 GroupArn(account_, kDefaultGroup), {});
    if (!created.ok() && created.error().error != "ConflictException") return created.error();
  }
  Result<std::vector<store::SchedulerScheduleRecord>> stored = store_.ListSchedulerSchedules();
  if (!stored.ok()) return stored.take_error();
  std::vector<std::string> problems;
  for (const store::SchedulerScheduleRecord& record : *stored) {
    const std::string where = "schedule " + record.group + "/" + record.name;
    if (record.group == kDefaultGroup && FindProjectSchedule(record.name) != nullptr) {
      problems.push_back(where + " (created through the Scheduler API) is not fired: " +
                         "autoretrain.json now defines a schedule of the same name, which wins; "
                         "delete one of them");
      continue;
    }
    Result<json::Object> doc = ParseDocument(record.document);
    Result<RunnerSchedule> schedule =
        doc.ok() ? RunnerScheduleOf(*doc) : Result<RunnerSchedule>(doc.error());
    if (!schedule.ok()) {
      problems.push_back(where + " cannot be fired: " + schedule.error().cause);
      continue;
    }
    Status added = runner_.Add(RunnerName(record.group, record.name), schedule->config,
                               schedule->state_machine_arn);
    if (!added.ok()) problems.push_back(where + " cannot be fired: " + added.error().cause);
  }
  return problems;
}

void SchedulerService::OnFired(const retrain::FiredSlot& fired) {
  if (!fired.deleted) return;
  auto [group, name] = FromRunnerName(fired.schedule);
  if (group == kDefaultGroup && FindProjectSchedule(name) != nullptr) return;
  std::lock_guard<std::mutex> lock(mu_);
  (void)store_.DeleteSchedulerSchedule(group, name);  // already gone: nothing to do
}

void SchedulerService::Handle(const Caller&, HttpRequest request, Responder respond) {
  if (authenticate_) {
    Result<Caller> caller = authenticate_(request);
    if (!caller.ok()) {
      // REST services answer authentication failures with 403.
      respond(ErrorResponse(403, caller.error().error, caller.error().cause));
      return;
    }
  }
  respond(Invoke(request));
}

HttpResponse SchedulerService::Invoke(const HttpRequest& request) {
  Call call;
  call.method = request.method;
  using Operation = Result<json::Object> (SchedulerService::*)(const Call&);
  Operation operation = nullptr;
  std::string_view path = request.path;
  // `slashes`: the {Name} may hold '/' (an ARN an SDK did not %-encode).
  auto route = [&](std::string_view prefix, Operation list, Operation create, Operation get,
                   Operation update, Operation remove, bool slashes = false) -> bool {
    if (path == prefix) {
      if (request.method == "GET") operation = list;
      return true;
    }
    if (!path.starts_with(prefix) || path.size() <= prefix.size() + 1 ||
        path[prefix.size()] != '/' ||
        (!slashes && path.find('/', prefix.size() + 1) != std::string_view::npos)) {
      return false;
    }
    std::optional<std::string> name = Decode(path.substr(prefix.size() + 1), false);
    if (!name) return true;
    call.name = *name;
    if (request.method == "POST") operation = create;
    if (request.method == "GET") operation = get;
    if (request.method == "PUT") operation = update;
    if (request.method == "DELETE") operation = remove;
    return true;
  };
  const bool tags_path = route(kSchedulerTagsPath, nullptr, &SchedulerService::TagResource,
                               &SchedulerService::ListTagsForResource, nullptr,
                               &SchedulerService::UntagResource, /*slashes=*/true);
  if (!tags_path && !route(kSchedulesPath, &SchedulerService::ListSchedules,
                           &SchedulerService::CreateSchedule, &SchedulerService::GetSchedule,
                           &SchedulerService::UpdateSchedule, &SchedulerService::DeleteSchedule)) {
    route(kScheduleGroupsPath, &SchedulerService::ListScheduleGroups,
          &SchedulerService::CreateScheduleGroup, &SchedulerService::GetScheduleGroup, nullptr,
          &SchedulerService::DeleteScheduleGroup);
  }
  if (operation == nullptr) {
    return ErrorResponse(
        404, "UnknownOperationException",
        request.method + " " + request.path +
            " is not an EventBridge Scheduler operation. The API has POST/GET/PUT/DELETE "
            "/schedules/{Name}, GET /schedules, POST/GET/DELETE /schedule-groups/{Name}, GET "
            "/schedule-groups and POST/GET/DELETE /tags/{ResourceArn} (use the AWS CLI's `aws "
            "scheduler` or an SDK's scheduler client)");
  }
  for (size_t start = 0; start < request.query.size();) {
    size_t end = request.query.find('&', start);
    if (end == std::string::npos) end = request.query.size();
    std::string_view pair = std::string_view(request.query).substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    std::optional<std::string> key = Decode(pair.substr(0, eq), true);
    std::optional<std::string> value =
        Decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) {
      return ErrorResponse(
          400, "ValidationException",
          "the query string has a malformed %-escape: '" + std::string(pair) + "'");
    }
    call.query.emplace(*key, *value);
  }
  if (!request.body.empty()) {
    Result<json::Value> body = json::Parse(request.body);
    if (!body.ok() || !body->is_object()) {
      return ErrorResponse(400, "ValidationException",
                           "the request body must be a JSON object" +
                               (body.ok() ? std::string() : ": " + body.error().cause));
    }
    call.body = std::move(body->as_object());
  }
  if (!call.name.empty() && !tags_path) {
    const bool group_path = path.starts_with(kScheduleGroupsPath);
    if (auto problem =
            NameProblem(group_path ? "the schedule group name" : "the schedule name", call.name)) {
      return ErrorResponse(400, "ValidationException", *problem);
    }
  }
  Result<json::Object> result = (this->*operation)(call);
  if (!result.ok()) {
    return ErrorResponse(StatusOf(result.error().error), result.error().error,
                         result.error().cause);
  }
  HttpResponse response;
  response.body = json::Serialize(*result);
  return response;
}

const SchedulerService::ProjectSchedule* SchedulerService::FindProjectSchedule(
    const std::string& name) const {
  for (const ProjectSchedule& schedule : project_schedules_) {
    if (schedule.name == name) return &schedule;
  }
  return nullptr;
}

Status SchedulerService::GroupExists(const std::string& group) {
  if (group == kDefaultGroup) return OkStatus();
  Result<std::optional<std::string>> found = store_.GetSchedulerGroup(group);
  if (!found.ok()) return found.take_error();
  if (!found->has_value()) {
    return Error{"ResourceNotFoundException",
                 "Schedule group " + group +
                     " does not exist. Create it first (CreateScheduleGroup), or omit GroupName "
                     "for the default group."};
  }
  return OkStatus();
}

Status SchedulerService::Fire(const std::string& group, const std::string& name,
                              const json::Object& document) {
  Result<RunnerSchedule> schedule = RunnerScheduleOf(document);
  if (!schedule.ok()) return schedule.take_error();
  return runner_.Put(RunnerName(group, name), schedule->config, schedule->state_machine_arn);
}

namespace {

// The group a schedule operation names: GroupName in the body (create, update) or ?groupName=.
Result<std::string> GroupOf(const std::optional<std::string>& given) {
  if (!given) return std::string(kDefaultGroup);
  if (auto problem = NameProblem("GroupName", *given)) return Invalid(*problem);
  return *given;
}

Result<std::string> BodyGroup(const json::Object& body) {
  const json::Value* value = body.if_contains("GroupName");
  if (value == nullptr) return GroupOf(std::nullopt);
  if (!value->is_string()) return Invalid("GroupName must be a string");
  return GroupOf(std::string(value->as_string()));
}

Error ReadOnlyProjectSchedule(const std::string& name, std::string_view doing) {
  return Invalid("Schedule default/" + name + " is defined in autoretrain.json (schedules." + name +
                 ") and cannot be " + std::string(doing) +
                 " through the Scheduler API: edit autoretrain.json and restart `autoretrain "
                 "serve` instead");
}

}  // namespace

Result<json::Object> SchedulerService::CreateSchedule(const Call& call) {
  Result<std::string> group = BodyGroup(call.body);
  if (!group.ok()) return group.take_error();
  const TimePoint now = clock_.Now();
  Result<json::Object> doc = ScheduleDocument(call.body, *group, call.name, account_, now, now);
  if (!doc.ok()) return doc.take_error();
  std::lock_guard<std::mutex> lock(mu_);
  if (Status exists = GroupExists(*group); !exists.ok()) return exists.take_error();
  if (*group == kDefaultGroup && FindProjectSchedule(call.name) != nullptr) {
    return Error{"ConflictException", "Schedule default/" + call.name +
                                          " already exists: autoretrain.json defines it "
                                          "(schedules." +
                                          call.name + "). Choose another name."};
  }
  Status created = store_.CreateSchedulerSchedule({*group, call.name, json::Serialize(*doc)});
  if (!created.ok()) {
    // The same ClientToken again (an SDK retrying): the schedule it created.
    if (created.error().error == "ConflictException" && doc->contains(kClientTokenField)) {
      Result<std::optional<std::string>> existing = store_.GetSchedulerSchedule(*group, call.name);
      if (existing.ok() && existing->has_value()) {
        Result<json::Object> old = ParseDocument(**existing);
        if (old.ok() && StringOf(*old, kClientTokenField) == StringOf(*doc, kClientTokenField)) {
          return json::Object{{"ScheduleArn", (*old)["Arn"]}};
        }
      }
    }
    return created.take_error();
  }
  if (Status fired = Fire(*group, call.name, *doc); !fired.ok()) {
    (void)store_.DeleteSchedulerSchedule(*group, call.name);
    return Invalid(fired.error().cause);
  }
  return json::Object{{"ScheduleArn", (*doc)["Arn"]}};
}

Result<json::Object> SchedulerService::UpdateSchedule(const Call& call) {
  Result<std::string> group = BodyGroup(call.body);
  if (!group.ok()) return group.take_error();
  if (*group == kDefaultGroup && FindProjectSchedule(call.name) != nullptr) {
    return ReadOnlyProjectSchedule(call.name, "updated");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (Status exists = GroupExists(*group); !exists.ok()) return exists.take_error();
  Result<std::optional<std::string>> existing = store_.GetSchedulerSchedule(*group, call.name);
  if (!existing.ok()) return existing.take_error();
  if (!existing->has_value()) {
    return Error{"ResourceNotFoundException", "Schedule " + *group + "/" + call.name +
                                                  " does not exist. Create it first "
                                                  "(CreateSchedule)."};
  }
  Result<json::Object> old = ParseDocument(**existing);
  if (!old.ok()) return old.take_error();
  TimePoint created = clock_.Now();
  if (const json::Value* date = old->if_contains("CreationDate"); date && date->is_number()) {
    created = TimePoint(std::chrono::milliseconds(
        static_cast<int64_t>(std::llround(json::AsDouble(*date) * 1000))));
  }
  Result<json::Object> doc =
      ScheduleDocument(call.body, *group, call.name, account_, created, clock_.Now());
  if (!doc.ok()) return doc.take_error();
  Status replaced = store_.ReplaceSchedulerSchedule({*group, call.name, json::Serialize(*doc)});
  if (!replaced.ok()) return replaced.take_error();
  if (Status fired = Fire(*group, call.name, *doc); !fired.ok())
    return Invalid(fired.error().cause);
  return json::Object{{"ScheduleArn", (*doc)["Arn"]}};
}

Result<json::Object> SchedulerService::GetSchedule(const Call& call) {
  Result<std::string> group = GroupOf(call.Query("groupName"));
  if (!group.ok()) return group.take_error();
  if (*group == kDefaultGroup) {
    if (const ProjectSchedule* project = FindProjectSchedule(call.name)) {
      return ProjectScheduleDocument(project->name, project->config, project->state_machine_arn,
                                     account_);
    }
  }
  if (Status exists = GroupExists(*group); !exists.ok()) return exists.take_error();
  Result<std::optional<std::string>> found = store_.GetSchedulerSchedule(*group, call.name);
  if (!found.ok()) return found.take_error();
  if (!found->has_value()) {
    return Error{"ResourceNotFoundException",
                 "Schedule " + *group + "/" + call.name + " does not exist."};
  }
  Result<json::Object> doc = ParseDocument(**found);
  if (!doc.ok()) return doc.take_error();
  return PublicDocument(std::move(doc).value());
}

Result<json::Object> SchedulerService::DeleteSchedule(const Call& call) {
  Result<std::string> group = GroupOf(call.Query("groupName"));
  if (!group.ok()) return group.take_error();
  if (std::optional<std::string> token = call.Query("clientToken")) {
    if (auto problem = ClientTokenProblem(*token)) return Invalid(*problem);
  }
  if (*group == kDefaultGroup && FindProjectSchedule(call.name) != nullptr) {
    return ReadOnlyProjectSchedule(call.name, "deleted");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (Status exists = GroupExists(*group); !exists.ok()) return exists.take_error();
  if (Status deleted = store_.DeleteSchedulerSchedule(*group, call.name); !deleted.ok()) {
    return deleted.take_error();
  }
  runner_.Remove(RunnerName(*group, call.name));
  return json::Object{};
}

Result<json::Object> SchedulerService::ListSchedules(const Call& call) {
  std::optional<std::string> group = call.Query("ScheduleGroup");
  if (group) {
    if (auto problem = NameProblem("ScheduleGroup", *group)) return Invalid(*problem);
    if (Status exists = GroupExists(*group); !exists.ok()) return exists.take_error();
  }
  Result<ListPage> page =
      ReadListPage(call.Query("NamePrefix"), call.Query("MaxResults"), call.Query("NextToken"));
  if (!page.ok()) return page.take_error();
  const std::optional<std::string>& prefix = page->prefix;
  const int max_results = page->max_results;
  const std::string& after = page->after;
  std::optional<std::string> state = call.Query("State");
  if (state && *state != "ENABLED" && *state != "DISABLED") {
    return Invalid("State '" + *state + "' is not valid: ENABLED or DISABLED");
  }
  // Every schedule, keyed "GROUP/NAME": the project's, then the stored ones.
  std::map<std::string, json::Object> all;
  for (const ProjectSchedule& project : project_schedules_) {
    all.emplace(
        std::string(kDefaultGroup) + "/" + project.name,
        ProjectScheduleDocument(project.name, project.config, project.state_machine_arn, account_));
  }
  Result<std::vector<store::SchedulerScheduleRecord>> stored = store_.ListSchedulerSchedules();
  if (!stored.ok()) return stored.take_error();
  for (const store::SchedulerScheduleRecord& record : *stored) {
    Result<json::Object> doc = ParseDocument(record.document);
    if (!doc.ok()) return doc.take_error();
    all.emplace(record.group + "/" + record.name, std::move(doc).value());  // project wins
  }
  json::Array schedules;
  std::string last;
  bool more = false;
  for (auto it = after.empty() ? all.begin() : all.upper_bound(after); it != all.end(); ++it) {
    const json::Object& doc = it->second;
    if (group && StringOf(doc, "GroupName") != *group) continue;
    if (prefix && !StringOf(doc, "Name").starts_with(*prefix)) continue;
    if (state && StringOf(doc, "State") != *state) continue;
    if (static_cast<int>(schedules.size()) == max_results) {
      more = true;
      break;
    }
    schedules.push_back(ScheduleSummary(doc));
    last = it->first;
  }
  json::Object out{{"Schedules", std::move(schedules)}};
  if (more) out["NextToken"] = Hex(last);
  return out;
}

Result<json::Object> SchedulerService::CreateScheduleGroup(const Call& call) {
  for (const auto& member : call.body) {
    if (member.key() != "ClientToken" && member.key() != "Tags" && member.key() != "Name") {
      return Invalid(std::string(member.key()) +
                     " is not supported here; CreateScheduleGroup takes ClientToken and Tags");
    }
  }
  json::Object doc{{"Arn", GroupArn(account_, call.name)},
                   {"Name", call.name},
                   {"State", "ACTIVE"},
                   {"CreationDate", DateNow(clock_)},
                   {"LastModificationDate", DateNow(clock_)}};
  if (const json::Value* token = call.body.if_contains("ClientToken")) {
    if (!token->is_string()) return Invalid("ClientToken must be a string");
    if (auto problem = ClientTokenProblem(token->as_string())) return Invalid(*problem);
    doc[kClientTokenField] = *token;
  }
  std::vector<store::ResourceTag> tags;
  if (const json::Value* given = call.body.if_contains("Tags")) {
    Result<std::vector<store::ResourceTag>> read = ReadSchedulerTags(*given);
    if (!read.ok()) return read.take_error();
    tags = std::move(read).value();
  }
  std::lock_guard<std::mutex> lock(mu_);
  Status created = store_.CreateSchedulerGroup(call.name, json::Serialize(doc),
                                               GroupArn(account_, call.name), tags);
  if (!created.ok()) {
    if (created.error().error == "ConflictException" && doc.contains(kClientTokenField)) {
      Result<std::optional<std::string>> existing = store_.GetSchedulerGroup(call.name);
      if (existing.ok() && existing->has_value()) {
        Result<json::Object> old = ParseDocument(**existing);
        if (old.ok() && StringOf(*old, kClientTokenField) == StringOf(doc, kClientTokenField)) {
          return json::Object{{"ScheduleGroupArn", (*old)["Arn"]}};
        }
      }
    }
    if (created.error().error == "TooManyTags") return Invalid(created.error().cause);
    return created.take_error();
  }
  return json::Object{{"ScheduleGroupArn", doc["Arn"]}};
}

Result<json::Object> SchedulerService::GetScheduleGroup(const Call& call) {
  Result<std::optional<std::string>> found = store_.GetSchedulerGroup(call.name);
  if (!found.ok()) return found.take_error();
  if (!found->has_value()) {
    return Error{"ResourceNotFoundException", "Schedule group " + call.name + " does not exist."};
  }
  Result<json::Object> doc = ParseDocument(**found);
  if (!doc.ok()) return doc.take_error();
  json::Object out;
  for (std::string_view key : {"Arn", "CreationDate", "LastModificationDate", "Name", "State"}) {
    if (const json::Value* value = doc->if_contains(key)) out[key] = *value;
  }
  return out;
}

Result<json::Object> SchedulerService::DeleteScheduleGroup(const Call& call) {
  if (std::optional<std::string> token = call.Query("clientToken")) {
    if (auto problem = ClientTokenProblem(*token)) return Invalid(*problem);
  }
  if (call.name == kDefaultGroup) {
    return Invalid(
        "The default schedule group cannot be deleted. Delete its schedules one by one "
        "(DeleteSchedule) instead");
  }
  std::lock_guard<std::mutex> lock(mu_);
  Result<std::vector<store::SchedulerScheduleRecord>> stored = store_.ListSchedulerSchedules();
  if (!stored.ok()) return stored.take_error();
  if (Status deleted = store_.DeleteSchedulerGroup(call.name, GroupArn(account_, call.name));
      !deleted.ok()) {
    return deleted.take_error();
  }
  for (const store::SchedulerScheduleRecord& record : *stored) {
    if (record.group == call.name) runner_.Remove(RunnerName(record.group, record.name));
  }
  return json::Object{};
}

Result<json::Object> SchedulerService::ListScheduleGroups(const Call& call) {
  Result<ListPage> page =
      ReadListPage(call.Query("NamePrefix"), call.Query("MaxResults"), call.Query("NextToken"));
  if (!page.ok()) return page.take_error();
  const std::optional<std::string>& prefix = page->prefix;
  const int max_results = page->max_results;
  const std::string& after = page->after;
  Result<std::vector<store::SchedulerGroupRecord>> groups = store_.ListSchedulerGroups();
  if (!groups.ok()) return groups.take_error();
  json::Array out;
  bool more = false;
  std::string last;
  for (const store::SchedulerGroupRecord& record : *groups) {
    if (!after.empty() && record.name <= after) continue;
    if (prefix && !record.name.starts_with(*prefix)) continue;
    if (static_cast<int>(out.size()) == max_results) {
      more = true;
      break;
    }
    Result<json::Object> doc = ParseDocument(record.document);
    if (!doc.ok()) return doc.take_error();
    json::Object summary;
    for (std::string_view key : {"Arn", "CreationDate", "LastModificationDate", "Name", "State"}) {
      if (const json::Value* value = doc->if_contains(key)) summary[key] = *value;
    }
    out.push_back(std::move(summary));
    last = record.name;
  }
  json::Object result{{"ScheduleGroups", std::move(out)}};
  if (more) result["NextToken"] = Hex(last);
  return result;
}

}  // namespace autoretrain::server
