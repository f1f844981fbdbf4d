// Loading and validating autoretrain.json (see include/autoretrain/retrain/project.h and
// docs/project.md). Every problem is collected, not just the first.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "autoretrain/retrain/project.h"
#include "autoretrain/scheduler/schedule.h"
#include "autoretrain/scheduler/time_zone.h"
#include "retrain/project_fields.h"
#include "retrain/project_sections.h"

namespace autoretrain::retrain {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxTimeoutSeconds = 7 * 24 * 3600;
constexpr int kMaxRetentionDays = 36500;  // 100 years
constexpr size_t kMaxConfigBytes = 1024 * 1024;

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Step Functions state machine names and Lambda function names: letters, digits, '-', '_'.
bool IsResourceName(std::string_view s, size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

class ConfigParser {
 public:
  ConfigParser(const fs::path& dir, ProjectConfig* out) : dir_(dir), out_(out) {}

  void ParseRoot(const json::Value& root) {
    const json::Object* obj = fields_.ExpectObject(root, "", "an object");
    if (obj == nullptr) return;
    fields_.RejectUnknown(*obj, "",
                          {"region", "account_id", "buckets_dir", "data_dir", "retention_days",
                           "state_machines", "functions", "check", "schedules", "object_store",
                           "integrations", "models", "retraining", "alerts"});
    if (auto region = OptionalRegion(fields_, *obj, "", "region")) out_->account.region = *region;
    if (auto account = fields_.OptionalString(*obj, "", "account_id")) {
      if (IsAccountId(*account)) {
        out_->account.account = *account;
      } else {
        fields_.Problem(
            "account_id",
            "expected a 12-digit AWS account id such as \"123456789012\", got " + Quote(*account));
      }
    }
    ParseDirectory(*obj, "buckets_dir", &out_->buckets_dir);
    ParseDirectory(*obj, "data_dir", &out_->data_dir);
    if (auto days = fields_.OptionalInteger(*obj, "", "retention_days", 1, kMaxRetentionDays)) {
      out_->retention_days = static_cast<int>(*days);
    }
    if (const json::Value* v = obj->if_contains("state_machines")) ParseStateMachines(*v);
    if (const json::Value* v = obj->if_contains("functions")) ParseFunctions(*v);
    // Models, integrations and alerts before check and schedules: those may name a model, whose
    // trigger input carries the alert topic (declared among the integrations' topics).
    ParseRetraining(fields_, obj->if_contains("models"), obj->if_contains("retraining"), out_);
    if (const json::Value* v = obj->if_contains("integrations")) {
      ParseIntegrations(fields_, *v, &out_->integrations);
    }
    if (const json::Value* v = obj->if_contains("alerts")) {
      ParseAlerts(fields_, *v, *out_, &out_->alerts);
    }
    if (const json::Value* v = obj->if_contains("check")) ParseCheck(*v);
    if (const json::Value* v = obj->if_contains("schedules")) ParseSchedules(*v);
    if (const json::Value* v = obj->if_contains("object_store")) ParseObjectStore(*v);
  }

  std::vector<std::string> TakeProblems() { return fields_.TakeProblems(); }

 private:
  std::string Resolve(const std::string& path) const {
    return (dir_ / path).lexically_normal().string();
  }

  // obj[key], a directory path, resolved into *out when present and valid.
  void ParseDirectory(const json::Object& obj, std::string_view key, std::string* out) {
    auto path = fields_.OptionalString(obj, "", key);
    if (!path) return;
    if (path->empty()) {
      fields_.Problem(std::string(key), "expected a directory path, got an empty string");
    } else {
      *out = Resolve(*path);
    }
  }

  void ParseStateMachines(const json::Value& v) {
    const json::Object* obj = fields_.ExpectObject(v, "state_machines", "an object of names");
    if (obj == nullptr) return;
    for (const auto& [key, entry] : *obj) {
      std::string name(key);
      std::string path = "state_machines." + name;
      if (!IsResourceName(name, 80)) {
        fields_.Problem(path,
                        "invalid state machine name: expected 1-80 letters, digits, '-' "
                        "or '_'");
        continue;
      }
      const json::Object* sm = fields_.ExpectObject(entry, path, "{\"definition\": FILE}");
      if (sm == nullptr) continue;
      fields_.RejectUnknown(*sm, path, {"definition"});
      auto definition = fields_.RequiredString(*sm, path, "definition");
      if (!definition) continue;
      std::string file = Resolve(*definition);
      std::error_code ec;
      if (!fs::is_regular_file(file, ec)) {
        fields_.Problem(path + ".definition", "file " + Quote(*definition) + " does not exist");
        continue;
      }
      out_->state_machines[name] = file;
    }
  }

  void ParseFunctions(const json::Value& v) {
    const json::Object* obj = fields_.ExpectObject(v, "functions", "an object of names");
    if (obj == nullptr) return;
    for (const auto& [key, entry] : *obj) {
      std::string name(key);
      std::string path = "functions." + name;
      if (!IsResourceName(name, 64)) {
        fields_.Problem(path,
                        "invalid function name: expected 1-64 letters, digits, '-' or "
                        "'_'");
        continue;
      }
      const json::Object* fn =
          fields_.ExpectObject(entry, path, "{\"builtin\": NAME, ...} or {\"command\": [...]}");
      if (fn == nullptr) continue;
      bool builtin = fn->contains("builtin");
      bool command = fn->contains("command");
      if (builtin == command) {
        fields_.Problem(path, builtin ? "has both \"builtin\" and \"command\"; keep one"
                                      : "expected \"builtin\" or \"command\"");
        continue;
      }
      FunctionConfig config;
      if (builtin ? ParseBuiltin(*fn, path, &config) : ParseCommand(*fn, path, &config)) {
        out_->functions[name] = std::move(config);
      }
    }
  }

  bool ParseBuiltin(const json::Object& fn, const std::string& path, FunctionConfig* config) {
    fields_.RejectUnknown(fn, path, {"builtin", "bucket", "key", "max_bytes", "max_age_hours"});
    auto builtin = fields_.RequiredString(fn, path, "builtin");
    if (!builtin) return false;
    if (*builtin != kDecisionFunctionName) {
      fields_.Problem(path + ".builtin",
                      "unknown built-in function " + Quote(*builtin) +
                          "; the built-in functions are: " + std::string(kDecisionFunctionName));
      return false;
    }
    config->kind = FunctionConfig::Kind::kBuiltin;
    if (auto bucket = fields_.OptionalString(fn, path, "bucket")) {
      if (bucket->empty()) fields_.Problem(path + ".bucket", "expected a bucket name");
      config->decision.bucket = *bucket;
    }
    if (auto key = fields_.OptionalString(fn, path, "key")) {
      if (key->empty()) fields_.Problem(path + ".key", "expected an object key");
      config->decision.key = *key;
    }
    if (auto max_bytes = fields_.OptionalInteger(fn, path, "max_bytes", 1, int64_t{1} << 32)) {
      config->decision.max_bytes = static_cast<size_t>(*max_bytes);
    }
    // Up to a year: a monitoring job that ran longer ago than that says nothing current.
    if (auto hours = fields_.OptionalInteger(fn, path, "max_age_hours", 1, 24 * 366)) {
      config->decision.max_age_hours = *hours;
    }
    return true;
  }

  bool ParseCommand(const json::Object& fn, const std::string& path, FunctionConfig* config) {
    fields_.RejectUnknown(fn, path,
                          {"command", "timeout_seconds", "environment", "inherit_environment"});
    config->kind = FunctionConfig::Kind::kCommand;
    const json::Value& command = fn.at("command");
    if (!command.is_array() || command.as_array().empty()) {
      fields_.Problem(path + ".command",
                      "expected a non-empty array of strings such as [\"python3\", "
                      "\"functions/" +
                          path.substr(10) + ".py\"], got " + std::string(json::TypeName(command)));
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < command.as_array().size(); ++i) {
      const json::Value& arg = command.as_array()[i];
      if (!arg.is_string() || (i == 0 && arg.as_string().empty())) {
        fields_.Problem(path + ".command[" + std::to_string(i) + "]",
                        i == 0 ? "expected the program to run (a non-empty string)"
                               : "expected a string, got " + std::string(json::TypeName(arg)));
        ok = false;
        continue;
      }
      config->command.emplace_back(arg.as_string());
    }
    if (auto timeout =
            fields_.OptionalInteger(fn, path, "timeout_seconds", 1, kMaxTimeoutSeconds)) {
      config->timeout_seconds = static_cast<int>(*timeout);
    }
    if (const json::Value* env = fn.if_contains("environment")) {
      const json::Object* vars =
          fields_.ExpectObject(*env, path + ".environment", "an object of strings");
      if (vars == nullptr) return ok;
      for (const auto& [name, value] : *vars) {
        std::string var_path = path + ".environment." + std::string(name);
        if (name.empty() || name.find('=') != json::String::npos) {
          fields_.Problem(var_path, "invalid variable name: it must be non-empty without '='");
        } else if (!value.is_string()) {
          fields_.Problem(var_path, "expected a string, got " + std::string(json::TypeName(value)));
        } else {
          config->environment.emplace_back(std::string(name), std::string(value.as_string()));
        }
      }
    }
    if (const json::Value* inherit = fn.if_contains("inherit_environment")) {
      ParseInheritEnvironment(*inherit, path + ".inherit_environment", *config);
    }
    return ok;
  }

  // "inherit_environment": ["AWS_PROFILE", "AWS_*", ...]: names (or prefixes ending in '*') of
  // the daemon's variables a command function gets besides the default few.
  void ParseInheritEnvironment(const json::Value& value, const std::string& path,
                               FunctionConfig& config) {
    if (!value.is_array()) {
      fields_.Problem(path,
                      "expected an array of variable names (e.g. [\"AWS_PROFILE\", "
                      "\"AWS_*\"]), got " +
                          std::string(json::TypeName(value)));
      return;
    }
    const json::Array& names = value.as_array();
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const std::string_view name =
          names[i].is_string() ? std::string_view(names[i].as_string()) : std::string_view();
      const size_t star = name.find('*');
      if (name.empty() || name.find('=') != std::string_view::npos ||
          (star != std::string_view::npos && star != name.size() - 1)) {
        fields_.Problem(item_path,
                        "expected a variable name, or a prefix ending in '*' (\"AWS_*\"; \"*\" "
                        "passes every variable), without '='");
        continue;
      }
      config.inherit_environment.emplace_back(name);
    }
  }

  // "object_store": {"type": "local"} or {"type": "s3", "region", "endpoint_url", "path_style"}.
  void ParseObjectStore(const json::Value& v) {
    const json::Object* obj =
        fields_.ExpectObject(v, "object_store", "{\"type\": \"local\"} or {\"type\": \"s3\", ...}");
    if (obj == nullptr) return;
    ObjectStoreConfig& out = out_->object_store;
    auto type = fields_.RequiredString(*obj, "object_store", "type");
    if (!type) return;
    if (*type == "local") {
      fields_.RejectUnknown(*obj, "object_store", {"type"});
      return;
    }
    if (*type != "s3") {
      fields_.Problem("object_store.type", "expected \"local\" or \"s3\", got " + Quote(*type));
      return;
    }
    out.type = ObjectStoreConfig::Type::kS3;
    fields_.RejectUnknown(*obj, "object_store", {"type", "region", "endpoint_url", "path_style"});
    if (auto region = OptionalRegion(fields_, *obj, "object_store", "region")) {
      out.region = *region;
    }
    out.endpoint_url = OptionalEndpointUrl(fields_, *obj, "object_store", "endpoint_url");
    if (auto path_style = fields_.OptionalBool(*obj, "object_store", "path_style")) {
      out.path_style = *path_style;
    }
  }

  void ParseCheck(const json::Value& v) {
    const json::Object* obj = fields_.ExpectObject(
        v, "check", "{\"state_machine\": NAME, \"input\": {...}} or {\"model\": NAME}");
    if (obj == nullptr) return;
    fields_.RejectUnknown(*obj, "check", {"state_machine", "input", "model"});
    if (obj->contains("model")) {
      if (obj->contains("state_machine") || obj->contains("input")) {
        fields_.Problem("check", "give either \"model\" or \"state_machine\" (and \"input\")");
      } else if (auto model = fields_.RequiredString(*obj, "check", "model")) {
        ResolveModelTarget(fields_, *out_, "check", *model, &out_->check_state_machine,
                           &out_->check_input);
      }
      return;
    }
    if (auto name = fields_.RequiredString(*obj, "check", "state_machine")) {
      out_->check_state_machine = *name;
      if (!out_->state_machines.count(*name) && !fields_.HasProblemUnder("state_machines")) {
        fields_.Problem("check.state_machine", Quote(*name) +
                                                   " is not one of the configured state_machines" +
                                                   fields_.Hint(*name, out_->state_machines));
      }
    }
    if (const json::Value* input = obj->if_contains("input")) out_->check_input = *input;
  }

  void ParseSchedules(const json::Value& v) {
    const json::Object* obj = fields_.ExpectObject(v, "schedules", "an object of names");
    if (obj == nullptr) return;
    for (const auto& [key, entry] : *obj) {
      std::string name(key);
      std::string path = "schedules." + name;
      // EventBridge Scheduler allows 1-64 of [0-9a-zA-Z-_.]; '.' is left out so that the
      // execution names derived from it stay simple.
      if (!IsResourceName(name, 64)) {
        fields_.Problem(path, "invalid schedule name: expected 1-64 letters, digits, '-' or '_'");
        continue;
      }
      const json::Object* sc = fields_.ExpectObject(
          entry, path, "{\"expression\": \"cron(...)\", \"state_machine\": NAME, ...}");
      if (sc == nullptr) continue;
      fields_.RejectUnknown(*sc, path,
                            {"expression", "timezone", "state_machine", "input", "model", "state",
                             "flexible_time_window", "start_date", "end_date", "retry_policy",
                             "action_after_completion", "missed_slots", "overlap"});
      ScheduleConfig config;
      bool ok = true;
      if (auto expression = fields_.RequiredString(*sc, path, "expression")) {
        Result<scheduler::ScheduleExpression> parsed =
            scheduler::ParseScheduleExpression(*expression);
        if (parsed.ok()) {
          config.expression = *expression;
        } else {
          fields_.Problem(path + ".expression", parsed.error().cause);
          ok = false;
        }
      } else {
        ok = false;
      }
      if (auto zone = fields_.OptionalString(*sc, path, "timezone")) {
        Result<scheduler::TimeZone> loaded = scheduler::TimeZone::Load(*zone);
        if (loaded.ok()) {
          config.timezone = *zone;
        } else {
          fields_.Problem(path + ".timezone", loaded.error().cause);
          ok = false;
        }
      }
      if (sc->contains("model")) {
        std::optional<std::string> model = fields_.RequiredString(*sc, path, "model");
        if (sc->contains("state_machine") || sc->contains("input")) {
          fields_.Problem(path, "give either \"model\" or \"state_machine\" (and \"input\")");
          ok = false;
        } else if (model) {
          ResolveModelTarget(fields_, *out_, path, *model, &config.state_machine, &config.input);
          config.model = *model;
          ok = ok && !config.state_machine.empty();
        } else {
          ok = false;
        }
      } else if (auto machine = fields_.RequiredString(*sc, path, "state_machine")) {
        config.state_machine = *machine;
        if (!out_->state_machines.count(*machine)) {
          if (!fields_.HasProblemUnder("state_machines")) {
            fields_.Problem(path + ".state_machine",
                            Quote(*machine) + " is not one of the configured state_machines" +
                                fields_.Hint(*machine, out_->state_machines));
          }
          ok = false;
        }
      } else {
        ok = false;
      }
      if (const json::Value* input = sc->if_contains("input"); input && config.model.empty()) {
        config.input = *input;
      }
      if (auto state = fields_.OptionalString(*sc, path, "state")) {
        if (*state == "ENABLED" || *state == "DISABLED") {
          config.enabled = *state == "ENABLED";
        } else {
          fields_.Problem(path + ".state",
                          "expected \"ENABLED\" or \"DISABLED\", got " + Quote(*state));
          ok = false;
        }
      }
      ok = ParseScheduleOptions(*sc, path, config) && ok;
      if (ok) out_->schedules[name] = std::move(config);
    }
  }

  // The optional EventBridge Scheduler settings of schedule `path`; false when one is invalid.
  bool ParseScheduleOptions(const json::Object& sc, const std::string& path,
                            ScheduleConfig& config) {
    bool ok = ParseFlexibleTimeWindow(sc, path, config);
    ok = ParseScheduleDates(sc, path, config) && ok;
    ok = ParseRetryPolicy(sc, path, config) && ok;
    ok = ParseMissedSlots(sc, path, config) && ok;
    if (auto overlap = fields_.OptionalString(sc, path, "overlap")) {
      using Overlap = ScheduleConfig::Overlap;
      static const std::map<std::string, Overlap, std::less<>> kOverlaps = {
          {"ALLOW", Overlap::kAllow},
          {"SKIP", Overlap::kSkip},
          {"BUFFER_ONE", Overlap::kBufferOne}};
      if (auto it = kOverlaps.find(*overlap); it != kOverlaps.end()) {
        config.overlap = it->second;
      } else {
        fields_.Problem(path + ".overlap",
                        "expected \"ALLOW\", \"SKIP\" or \"BUFFER_ONE\", got " + Quote(*overlap));
        ok = false;
      }
    }
    if (auto action = fields_.OptionalString(sc, path, "action_after_completion")) {
      if (*action == "NONE" || *action == "DELETE") {
        config.delete_after_completion = *action == "DELETE";
      } else {
        fields_.Problem(path + ".action_after_completion",
                        "expected \"NONE\" or \"DELETE\", got " + Quote(*action));
        ok = false;
      }
    }
    return ok;
  }

  // {"mode": "OFF"} or {"mode": "FLEXIBLE", "maximum_window_minutes": 1-1440}.
  bool ParseFlexibleTimeWindow(const json::Object& sc, const std::string& path,
                               ScheduleConfig& config) {
    const json::Value* v = sc.if_contains("flexible_time_window");
    if (v == nullptr) return true;
    const std::string at = path + ".flexible_time_window";
    const json::Object* window =
        fields_.ExpectObject(*v, at, "{\"mode\": \"OFF\" or \"FLEXIBLE\", ...}");
    if (window == nullptr) return false;
    fields_.RejectUnknown(*window, at, {"mode", "maximum_window_minutes"});
    std::optional<std::string> mode = fields_.RequiredString(*window, at, "mode");
    std::optional<int64_t> minutes =
        fields_.OptionalInteger(*window, at, "maximum_window_minutes", 1, 1440);
    if (!mode) return false;
    const bool has_minutes = window->contains("maximum_window_minutes");
    if (*mode == "FLEXIBLE") {
      if (!has_minutes) {
        fields_.Problem(at + ".maximum_window_minutes",
                        "missing (mode FLEXIBLE needs an integer from 1 to 1440)");
      }
      if (minutes) config.flexible_window_minutes = static_cast<int>(*minutes);
    } else if (*mode == "OFF") {
      if (has_minutes) {
        fields_.Problem(at + ".maximum_window_minutes", "only allowed with mode \"FLEXIBLE\"");
      }
    } else {
      fields_.Problem(at + ".mode", "expected \"OFF\" or \"FLEXIBLE\", got " + Quote(*mode));
    }
    return !fields_.HasProblemUnder(at);
  }

  // "start_date" and "end_date": ISO 8601 instants with a zone, the end after the start.
  bool ParseScheduleDates(const json::Object& sc, const std::string& path, ScheduleConfig& config) {
    bool ok = ParseDate(sc, path, "start_date", config.start_date);
    ok = ParseDate(sc, path, "end_date", config.end_date) && ok;
    if (ok && config.start_date && config.end_date && *config.end_date <= *config.start_date) {
      fields_.Problem(path + ".end_date", "must be after start_date");
      return false;
    }
    return ok;
  }

  bool ParseDate(const json::Object& sc, const std::string& path, std::string_view key,
                 std::optional<TimePoint>& out) {
    std::optional<std::string> text = fields_.OptionalString(sc, path, key);
    if (!text) return !sc.contains(key);
    TimePoint t;
    if (!ParseIso8601(*text, &t)) {
      fields_.Problem(JoinPath(path, key),
                      "expected an ISO 8601 date and time with a zone "
                      "(\"2026-12-01T00:00:00Z\"), got " +
                          Quote(*text));
      return false;
    }
    out = t;
    return true;
  }

  // {"maximum_retry_attempts": 0-185, "maximum_event_age_seconds": 60-86400}.
  bool ParseRetryPolicy(const json::Object& sc, const std::string& path, ScheduleConfig& config) {
    const json::Value* v = sc.if_contains("retry_policy");
    if (v == nullptr) return true;
    const std::string at = path + ".retry_policy";
    const json::Object* policy = fields_.ExpectObject(
        *v, at, "{\"maximum_retry_attempts\": N, \"maximum_event_age_seconds\": N}");
    if (policy == nullptr) return false;
    fields_.RejectUnknown(*policy, at, {"maximum_retry_attempts", "maximum_event_age_seconds"});
    if (auto n = fields_.OptionalInteger(*policy, at, "maximum_retry_attempts", 0, 185)) {
      config.maximum_retry_attempts = static_cast<int>(*n);
    }
    if (auto n = fields_.OptionalInteger(*policy, at, "maximum_event_age_seconds", 60, 86400)) {
      config.maximum_event_age_seconds = static_cast<int>(*n);
    }
    return !fields_.HasProblemUnder(at);
  }

  // {"policy": "SKIP" | "LATEST" | "ALL", "window_minutes": N}. The window may not reach past
  // retention_days: a purged execution's slot would fire again.
  bool ParseMissedSlots(const json::Object& sc, const std::string& path, ScheduleConfig& config) {
    const json::Value* v = sc.if_contains("missed_slots");
    if (v == nullptr) return true;
    const std::string at = path + ".missed_slots";
    const json::Object* missed = fields_.ExpectObject(
        *v, at, "{\"policy\": \"SKIP\" or \"LATEST\" or \"ALL\", \"window_minutes\": N}");
    if (missed == nullptr) return false;
    fields_.RejectUnknown(*missed, at, {"policy", "window_minutes"});
    if (auto policy = fields_.RequiredString(*missed, at, "policy")) {
      using Missed = ScheduleConfig::MissedSlots;
      static const std::map<std::string, Missed, std::less<>> kPolicies = {
          {"SKIP", Missed::kSkip}, {"LATEST", Missed::kLatest}, {"ALL", Missed::kAll}};
      if (auto it = kPolicies.find(*policy); it != kPolicies.end()) {
        config.missed_slots = it->second;
      } else {
        fields_.Problem(at + ".policy",
                        "expected \"SKIP\", \"LATEST\" or \"ALL\", got " + Quote(*policy));
      }
    }
    const int64_t max_minutes = int64_t{out_->retention_days} * 1440;
    if (auto minutes = fields_.OptionalInteger(*missed, at, "window_minutes", 1, max_minutes)) {
      config.catch_up_window_minutes = static_cast<int>(*minutes);
    }
    return !fields_.HasProblemUnder(at);
  }

  fs::path dir_;
  ProjectConfig* out_;
  FieldChecker fields_;
};

}  // namespace

ProjectConfig DefaultProject(const std::string& dir) {
  ProjectConfig config;
  fs::path abs = fs::absolute(dir).lexically_normal();
  config.dir = abs.string();
  config.buckets_dir = (abs / "buckets").string();
  return config;
}

Result<ProjectConfig> ParseProjectConfig(std::string_view text, const std::string& dir) {
  ProjectConfig config = DefaultProject(dir);
  config.data_dir = (fs::path(config.dir) / "data").string();
  const std::string file(kProjectConfigFile);
  Result<json::Value> parsed = json::Parse(text);
  if (!parsed.ok()) {
    return Error{"InvalidProjectConfig", file + ": not valid JSON: " + parsed.error().cause};
  }
  ConfigParser parser(config.dir, &config);
  parser.ParseRoot(*parsed);
  std::vector<std::string> problems = parser.TakeProblems();
  if (problems.empty()) return config;
  std::string cause;
  for (const std::string& p : problems) {
    if (!cause.empty()) cause += '\n';
    cause += file + ": " + p;
  }
  return Error{"InvalidProjectConfig", std::move(cause)};
}

Result<std::string> ReadFileLimited(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error{"FileNotReadable", "'" + path + "' is a directory"};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    return Error{"FileNotReadable",
                 "cannot read '" + path + "': " + std::generic_category().message(errno)};
  }
  std::string data(max_bytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  if (in.bad()) return Error{"FileNotReadable", "cannot read '" + path + "'"};
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > max_bytes) {
    return Error{"FileTooLarge",
                 "'" + path + "' is larger than " + std::to_string(max_bytes) + " bytes"};
  }
  return data;
}

Result<ProjectConfig> LoadProject(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error{"ProjectNotFound", "project directory '" + dir + "' does not exist"};
  }
  const std::string path = (fs::path(dir) / kProjectConfigFile).string();
  if (!fs::exists(path, ec)) {
    return Error{"ProjectNotFound", "no " + std::string(kProjectConfigFile) + " in '" + dir +
                                        "' (create a project with `autoretrain init DIR`)"};
  }
  Result<std::string> text = ReadFileLimited(path, kMaxConfigBytes);
  if (!text.ok()) return Error{"ProjectNotFound", text.error().cause};
  return ParseProjectConfig(*text, dir);
}

}  // namespace autoretrain::retrain
