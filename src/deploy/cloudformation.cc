// ExportCloudFormation: the template's sections, one helper per resource kind.
#include "autoretrain/deploy/cloudformation.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/retraining_history.h"
#include "deploy/iam_grants.h"

namespace autoretrain::deploy {
namespace {

json::Value Ref(std::string_view name) { return json::Object{{"Ref", name}}; }
json::Value GetAtt(std::string_view name, std::string_view attribute) {
  return json::Object{{"Fn::GetAtt", json::Array{json::String(name), json::String(attribute)}}};
}
json::Value Sub(std::string_view text) { return json::Object{{"Fn::Sub", text}}; }

// "creditcard-training-pipeline" -> "CreditcardTrainingPipeline": CloudFormation logical IDs
// are alphanumeric.
std::string Camel(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "R" + out;
  return out;
}

json::Value TrustPolicy(std::string_view service, bool source_account) {
  json::Object statement{{"Effect", "Allow"},
                         {"Principal", json::Object{{"Service", service}}},
                         {"Action", "sts:AssumeRole"}};
  if (source_account) {
    // Only this account's schedules may assume the role (the confused-deputy guard AWS
    // recommends for EventBridge Scheduler).
    statement["Condition"] =
        json::Object{{"StringEquals", json::Object{{"aws:SourceAccount", Ref("AWS::AccountId")}}}};
  }
  return json::Object{{"Version", "2012-10-17"}, {"Statement", json::Array{statement}}};
}

json::Value Statement(const IamGrant& grant) {
  json::Array actions;
  for (const std::string& a : grant.actions) actions.emplace_back(a);
  json::Array resources;
  for (const std::string& r : grant.resources) resources.push_back(Sub(r));
  return json::Object{{"Effect", "Allow"}, {"Action", actions}, {"Resource", resources}};
}

// A role assumed by `service` whose one inline policy holds `statements` (none: no policy).
json::Value Role(std::string_view service, std::string_view policy_name, json::Array statements,
                 bool source_account = false) {
  json::Object properties{{"AssumeRolePolicyDocument", TrustPolicy(service, source_account)}};
  if (!statements.empty()) {
    properties["Policies"] = json::Array{json::Object{
        {"PolicyName", policy_name},
        {"PolicyDocument",
         json::Object{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}}}}};
  }
  return json::Object{{"Type", "AWS::IAM::Role"}, {"Properties", std::move(properties)}};
}

class TemplateBuilder {
 public:
  explicit TemplateBuilder(const retrain::ProjectConfig& config) : config_(config) {}

  Result<ExportedTemplate> Build() {
    for (const auto& [name, path] : config_.state_machines) {
      if (Status s = AddStateMachine(name, path); !s.ok()) return s.error();
    }
    for (const auto& [name, function] : config_.functions) {
      if (function.kind == retrain::FunctionConfig::Kind::kBuiltin)
        AddDecisionFunction(name, function);
    }
    for (const auto& [name, schedule] : config_.schedules) AddSchedule(name, schedule);
    AddTables();
    AddTopics();
    WarnAboutExternalFunctions();

    json::Object body{
        {"AWSTemplateFormatVersion", "2010-09-09"},
        {"Description",
         "autoretrain project exported by `autoretrain export cloudformation`: its state "
         "machines (definitions unchanged), schedules, retraining history table, alert topics, "
         "the decision function as a provided.al2023 Lambda, and least-privilege IAM roles."}};
    if (!parameters_.empty()) body["Parameters"] = std::move(parameters_);
    if (!conditions_.empty()) body["Conditions"] = std::move(conditions_);
    body["Resources"] = std::move(resources_);
    if (!outputs_.empty()) body["Outputs"] = std::move(outputs_);
    return ExportedTemplate{std::move(body), std::move(warnings_)};
  }

 private:
  // A logical ID not used yet: `base`, else base2, base3, ...
  std::string NewId(const std::string& base) {
    std::string id = base;
    for (int n = 2; !ids_.insert(id).second; ++n) id = base + std::to_string(n);
    return id;
  }

  void AddParameter(const std::string& name, json::Object parameter) {
    if (!parameters_.contains(name)) parameters_[name] = std::move(parameter);
  }

  // The key a definition's ARN gets in DefinitionSubstitutions ("StateMachineCreditcard...Arn").
  static std::string SubstitutionKey(const ParsedArn& arn) {
    std::string resource = arn.resource;
    return Camel(arn.service) + Camel(resource) + "Arn";
  }

  // Every string value of `value` (object keys excluded), depth first.
  static void Strings(const json::Value& value, const std::function<void(const std::string&)>& f) {
    if (value.is_string()) {
      f(std::string(value.get_string()));
    } else if (value.is_array()) {
      for (const json::Value& v : value.get_array()) Strings(v, f);
    } else if (value.is_object()) {
      for (const auto& kv : value.get_object()) Strings(kv.value(), f);
    }
  }

  Status AddStateMachine(const std::string& name, const std::string& path) {
    Result<std::string> text = retrain::ReadFileLimited(path, retrain::kMaxDefinitionBytes);
    if (!text.ok()) return Error{"DefinitionNotReadable", text.error().cause};
    Result<std::shared_ptr<const asl::StateMachine>> machine = retrain::LoadDefinition(path);
    if (!machine.ok()) return machine.take_error();

    // ARNs of the project's own account become ${Key}s substituted with the deployed ones.
    std::string definition = *text;
    json::Object substitutions;
    std::set<std::string> seen;
    Strings((*machine)->definition, [&](const std::string& s) {
      if (!seen.insert(s).second) return;
      std::string key;
      json::Value value;
      if (s == retrain::kPipelineArnPlaceholder) {
        key = kPipelineArnParameter;
        value = Ref(kPipelineArnParameter);
        AddParameter(kPipelineArnParameter,
                     json::Object{{"Type", "String"},
                                  {"AllowedPattern", "^arn:aws[a-z-]*:states:.+:stateMachine:.+$"},
                                  {"Description",
                                   "ARN of the training pipeline state machine the trigger starts "
                                   "(the seed's PASTE_YOUR_MAIN_PIPELINE_ARN_HERE)"}});
      } else if (std::optional<ParsedArn> arn = ParseArn(s);
                 arn && ArnTemplate(s, config_.account) != EscapeSub(s)) {
        key = SubstitutionKey(*arn);
        value = Sub(ArnTemplate(s, config_.account));
      } else {
        return;
      }
      std::string quoted = json::Serialize(json::Value(json::String(s)));
      std::string replacement = "\"${" + key + "}\"";
      size_t count = 0;
      for (size_t at = definition.find(quoted); at != std::string::npos;
           at = definition.find(quoted, at + replacement.size())) {
        definition.replace(at, quoted.size(), replacement);
        ++count;
      }
      if (count == 0) {
        warnings_.push_back(path + ": the ARN " + s +
                            " is written with escapes; it is left as it is (write it plainly to "
                            "have it substituted with the deployed account's ARN)");
        return;
      }
      substitutions[key] = std::move(value);
    });

    std::vector<IamGrant> grants =
        MergeGrants(GrantsForDefinition(**machine, name, config_.account, &warnings_));
    json::Array statements;
    for (const IamGrant& grant : grants) {
      statements.push_back(Statement(grant));
      for (const std::string& action : grant.actions) {
        if (action.rfind("dynamodb:", 0) == 0 || action == "sns:Publish") {
          for (const std::string& r : grant.resources) used_resources_.insert(r);
        }
      }
      if (grant.actions == std::vector<std::string>{"lambda:InvokeFunction"}) {
        for (const std::string& r : grant.resources) invoked_functions_.insert(r);
      }
    }
    std::string id = NewId(Camel(name) + "StateMachine");
    std::string role = NewId(id + "Role");
    resources_[role] = Role("states.amazonaws.com", name + "-tasks", std::move(statements));
    json::Object properties{{"StateMachineName", name},
                            {"StateMachineType", "STANDARD"},
                            {"DefinitionString", definition}};
    if (!substitutions.empty()) properties["DefinitionSubstitutions"] = std::move(substitutions);
    properties["RoleArn"] = GetAtt(role, "Arn");
    resources_[id] = json::Object{{"Type", "AWS::StepFunctions::StateMachine"},
                                  {"Properties", std::move(properties)}};
    outputs_[id + "Arn"] =
        json::Object{{"Description", "ARN of the state machine " + name}, {"Value", Ref(id)}};
    return OkStatus();
  }

  void AddDecisionFunction(const std::string& name, const retrain::FunctionConfig& function) {
    std::string id = NewId(Camel(name) + "Function");
    std::string role = NewId(id + "Role");
    std::string bucket_param = Camel(name) + "Bucket";
    AddParameter(bucket_param, json::Object{{"Type", "String"},
                                            {"Default", function.decision.bucket},
                                            {"Description", "S3 bucket " + name +
                                                                " reads its decision file from"}});
    AddParameter(kCodeBucketParameter,
                 json::Object{{"Type", "String"},
                              {"Description",
                               "S3 bucket holding the Lambda code zip that `autoretrain lambda "
                               "package` writes"}});
    AddParameter(kCodeKeyParameter, json::Object{{"Type", "String"},
                                                 {"Default", kDefaultCodeKey},
                                                 {"Description", "S3 key of the Lambda code zip"}});
    // The seed's inline policy: s3:GetObject on the decision file's prefix only, plus the
    // prefixes of the models' own decision files (the policy trigger passes their bucket and
    // key in the event).
    auto prefix = [](const std::string& key) {
      size_t slash = key.rfind('/');
      return slash == std::string::npos ? EscapeSub(key) : EscapeSub(key.substr(0, slash)) + "/*";
    };
    const std::string& key = function.decision.key;
    std::vector<std::string> objects{"${" + bucket_param + "}/" + prefix(key)};
    for (const auto& [model, model_config] : config_.retraining.models) {
      if (!model_config.decision) continue;
      const retrain::DecisionLocation& location = *model_config.decision;
      std::string object = location.bucket == function.decision.bucket
                               ? "${" + bucket_param + "}/" + prefix(location.key)
                               : EscapeSub(location.bucket) + "/" + prefix(location.key);
      if (std::find(objects.begin(), objects.end(), object) == objects.end()) {
        objects.push_back(object);
      }
    }
    json::Array resources;
    for (const std::string& object : objects) {
      resources.push_back(Sub("arn:${AWS::Partition}:s3:::" + object));
    }
    json::Array statements{
        json::Object{{"Effect", "Allow"},
                     {"Action", "s3:GetObject"},
                     {"Resource", resources.size() == 1 ? resources[0] : json::Value(resources)}}};
    json::Value role_value = Role("lambda.amazonaws.com", name + "-decision-file", statements);
    role_value.get_object()["Properties"].get_object()["ManagedPolicyArns"] = json::Array{
        Sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")};
    resources_[role] = std::move(role_value);

    json::Object variables{{kFunctionEnv, name},
                           {kDecisionBucketEnv, Ref(bucket_param)},
                           {kDecisionKeyEnv, key},
                           {kDecisionMaxBytesEnv, std::to_string(function.decision.max_bytes)},
                           // Amazon Linux 2023's CA certificates, for the bundled libcurl
                           // (built elsewhere, it looks for them at another path).
                           {"AWS_CA_BUNDLE", kAl2023CaBundle}};
    if (function.decision.max_age_hours) {
      variables[kDecisionMaxAgeEnv] = std::to_string(*function.decision.max_age_hours);
    }
    resources_[id] = json::Object{
        {"Type", "AWS::Lambda::Function"},
        {"Properties",
         json::Object{{"FunctionName", name},
                      {"Description", "autoretrain's built-in decision function (" + name +
                                          ") on the Lambda custom runtime"},
                      {"Runtime", "provided.al2023"},
                      {"Handler", "bootstrap"},
                      {"Architectures", json::Array{kArchitecture}},
                      {"MemorySize", 256},
                      {"Timeout", 30},
                      {"Code", json::Object{{"S3Bucket", Ref(kCodeBucketParameter)},
                                            {"S3Key", Ref(kCodeKeyParameter)}}},
                      {"Role", GetAtt(role, "Arn")},
                      {"Environment", json::Object{{"Variables", std::move(variables)}}}}}};
    deployed_functions_.insert(name);
    outputs_[id + "Arn"] = json::Object{{"Description", "ARN of the Lambda function " + name},
                                        {"Value", GetAtt(id, "Arn")}};
  }

  void AddSchedule(const std::string& name, const retrain::ScheduleConfig& schedule) {
    std::string id = NewId(Camel(name) + "Schedule");
    std::string queue = NewId(id + "DeadLetterQueue");
    std::string role = NewId(id + "Role");
    resources_[queue] = json::Object{
        {"Type", "AWS::SQS::Queue"},
        {"Properties", json::Object{{"MessageRetentionPeriod", 1209600}}}};  // 14 days, the most
    std::string target =
        ArnTemplate(StateMachineArn(config_.account, schedule.state_machine), config_.account);
    json::Array statements{Statement(IamGrant{{"states:StartExecution"}, {target}, ""}),
                           json::Object{{"Effect", "Allow"},
                                        {"Action", json::Array{"sqs:SendMessage"}},
                                        {"Resource", json::Array{GetAtt(queue, "Arn")}}}};
    resources_[role] = Role("scheduler.amazonaws.com", name + "-target", std::move(statements),
                            /*source_account=*/true);
    json::Object window{{"Mode", schedule.flexible_window_minutes > 0 ? "FLEXIBLE" : "OFF"}};
    if (schedule.flexible_window_minutes > 0) {
      window["MaximumWindowInMinutes"] = schedule.flexible_window_minutes;
    }
    json::Object properties{{"Name", name},
                            {"ScheduleExpression", schedule.expression},
                            {"ScheduleExpressionTimezone", schedule.timezone},
                            {"FlexibleTimeWindow", std::move(window)},
                            {"State", schedule.enabled ? "ENABLED" : "DISABLED"}};
    if (schedule.start_date) properties["StartDate"] = FormatIso8601(*schedule.start_date);
    if (schedule.end_date) properties["EndDate"] = FormatIso8601(*schedule.end_date);
    if (schedule.delete_after_completion) properties["ActionAfterCompletion"] = "DELETE";
    properties["Target"] = json::Object{
        {"Arn", Sub(target)},
        {"RoleArn", GetAtt(role, "Arn")},
        {"Input", InputWithArns(schedule.input)},
        {"RetryPolicy",
         json::Object{{"MaximumRetryAttempts", schedule.maximum_retry_attempts},
                      {"MaximumEventAgeInSeconds", schedule.maximum_event_age_seconds}}},
        {"DeadLetterConfig", json::Object{{"Arn", GetAtt(queue, "Arn")}}}};
    resources_[id] =
        json::Object{{"Type", "AWS::Scheduler::Schedule"}, {"Properties", std::move(properties)}};
    if (schedule.missed_slots != retrain::ScheduleConfig::MissedSlots::kSkip ||
        schedule.overlap != retrain::ScheduleConfig::Overlap::kAllow) {
      warnings_.push_back("schedule " + name +
                          ": missed_slots and overlap are autoretrain's own options; EventBridge "
                          "Scheduler has neither (it never misses a slot and always starts)");
    }
  }

  // A schedule's input as Target.Input: its JSON text, or an Fn::Sub of it when it holds ARNs
  // of the project's account (a model's pipeline_arn), which become the deployed account's.
  json::Value InputWithArns(const json::Value& input) const {
    std::string text = json::Serialize(input);
    std::set<std::string> arns;
    Strings(input, [&](const std::string& s) {
      if (ParseArn(s) && ArnTemplate(s, config_.account) != EscapeSub(s)) arns.insert(s);
    });
    if (arns.empty()) return json::Value(json::String(text));
    std::string sub = EscapeSub(text);
    for (const std::string& arn : arns) {
      std::string quoted = json::Serialize(json::Value(json::String(arn)));
      std::string replacement = "\"" + ArnTemplate(arn, config_.account) + "\"";
      for (size_t at = sub.find(quoted); at != std::string::npos;
           at = sub.find(quoted, at + replacement.size())) {
        sub.replace(at, quoted.size(), replacement);
      }
    }
    return Sub(sub);
  }

  // Whether a definition's grants name this resource (a table or topic).
  bool Used(const std::string& arn_template) const {
    return used_resources_.count(arn_template) > 0;
  }

  void AddTable(const std::string& table, const json::Value& request) {
    std::string id = NewId(Camel(table) + "Table");
    json::Object properties{{"TableName", table}};
    // CreateTable's fields that CloudFormation spells the same way.
    for (const char* field :
         {"AttributeDefinitions", "KeySchema", "BillingMode", "ProvisionedThroughput",
          "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "TableClass",
          "DeletionProtectionEnabled", "SSESpecification", "Tags"}) {
      if (request.is_object() && request.get_object().contains(field)) {
        properties[field] = request.get_object().at(field);
      }
    }
    if (request.is_object() && request.get_object().contains("StreamSpecification")) {
      const json::Value& stream = request.get_object().at("StreamSpecification");
      if (stream.is_object() && stream.get_object().contains("StreamViewType")) {
        properties["StreamSpecification"] =
            json::Object{{"StreamViewType", stream.get_object().at("StreamViewType")}};
      }
    }
    resources_[id] = json::Object{{"Type", "AWS::DynamoDB::Table"},
                                  {"DeletionPolicy", "Retain"},
                                  {"UpdateReplacePolicy", "Retain"},
                                  {"Properties", std::move(properties)}};
    outputs_[id + "Name"] =
        json::Object{{"Description", "The DynamoDB table " + table}, {"Value", Ref(id)}};
  }

  void AddTables() {
    std::set<std::string> added;
    const std::string& history = config_.retraining.history_table;
    std::string table_prefix =
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/";
    if (!config_.retraining.models.empty() || Used(table_prefix + history)) {
      AddTable(history, retrain::HistoryTableDefinition(history));
      added.insert(history);
    }
    for (const auto& [table, request] : config_.integrations.dynamodb_tables) {
      if (added.insert(table).second) AddTable(table, request);
    }
    for (const std::string& r : used_resources_) {
      if (r.rfind(table_prefix, 0) != 0) continue;
      std::string table = r.substr(table_prefix.size());
      if (table.find('/') != std::string::npos || table == "*" || added.count(table)) continue;
      warnings_.push_back("table " + table +
                          " is used by a definition but not configured (integrations.dynamodb."
                          "tables); the stack does not create it: create it before deploying");
      added.insert(table);
    }
  }

  void AddTopic(const std::string& topic, bool content_based_deduplication) {
    std::string id = NewId(Camel(topic) + "Topic");
    json::Object properties{{"TopicName", topic}};
    bool fifo = topic.size() > 5 && topic.substr(topic.size() - 5) == ".fifo";
    if (fifo) {
      properties["FifoTopic"] = true;
      if (content_based_deduplication) properties["ContentBasedDeduplication"] = true;
    }
    resources_[id] =
        json::Object{{"Type", "AWS::SNS::Topic"}, {"Properties", std::move(properties)}};
    AddParameter(kAlertEmailParameter,
                 json::Object{{"Type", "String"},
                              {"Default", ""},
                              {"Description",
                               "E-mail address subscribed to the alert topics (empty: none); "
                               "the address must confirm the subscription"}});
    conditions_["HasAlertEmail"] = json::Object{
        {"Fn::Not", json::Array{json::Object{{"Fn::Equals", json::Array{Ref(kAlertEmailParameter),
                                                                        json::String("")}}}}}};
    if (!fifo) {  // SNS FIFO topics deliver only to SQS
      resources_[NewId(id + "EmailSubscription")] =
          json::Object{{"Type", "AWS::SNS::Subscription"},
                       {"Condition", "HasAlertEmail"},
                       {"Properties", json::Object{{"TopicArn", Ref(id)},
                                                   {"Protocol", "email"},
                                                   {"Endpoint", Ref(kAlertEmailParameter)}}}};
    }
    outputs_[id + "Arn"] =
        json::Object{{"Description", "ARN of the SNS topic " + topic}, {"Value", Ref(id)}};
  }

  void AddTopics() {
    std::set<std::string> added;
    for (const aws::LocalSnsTopic& topic : config_.integrations.sns_topics) {
      if (added.insert(topic.name).second) AddTopic(topic.name, topic.content_based_deduplication);
    }
    std::string prefix = "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:";
    for (const std::string& r : used_resources_) {
      if (r.rfind(prefix, 0) != 0) continue;
      std::string topic = r.substr(prefix.size());
      if (topic == "*" || !added.insert(topic).second) continue;
      AddTopic(topic, false);
    }
  }

  void WarnAboutExternalFunctions() {
    std::string prefix = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";
    std::set<std::string> external;
    for (const std::string& r : invoked_functions_) {
      if (r.rfind(prefix, 0) != 0) continue;
      std::string name = r.substr(prefix.size());
      name = name.substr(0, name.find(':'));
      if (name != "*" && deployed_functions_.count(name) == 0) external.insert(name);
    }
    for (const std::string& name : external) {
      warnings_.push_back("function " + name +
                          " is invoked by a definition but is not a built-in decision function, so "
                          "the stack does not create it: deploy it as a Lambda function named " +
                          name + " in the same account and region (docs/deploy.md)");
    }
  }

  static constexpr const char* kAl2023CaBundle = "/etc/pki/tls/certs/ca-bundle.crt";
#if defined(__aarch64__)
  static constexpr const char* kArchitecture = "arm64";
#else
  static constexpr const char* kArchitecture = "x86_64";
#endif

  const retrain::ProjectConfig& config_;
  std::set<std::string> ids_;
  json::Object parameters_;
  json::Object conditions_;
  json::Object resources_;
  json::Object outputs_;
  std::vector<std::string> warnings_;
  std::set<std::string> used_resources_;     // tables and topics the definitions use
  std::set<std::string> invoked_functions_;  // lambda:InvokeFunction resources
  std::set<std::string> deployed_functions_;
};

}  // namespace

Result<ExportedTemplate> ExportCloudFormation(const retrain::ProjectConfig& config) {
  return TemplateBuilder(config).Build();
}

}  // namespace autoretrain::deploy
