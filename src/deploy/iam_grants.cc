#include "deploy/iam_grants.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

namespace autoretrain::deploy {
namespace {

constexpr std::string_view kStatesPrefix = "arn:aws:states:::";
constexpr std::string_view kSdkPrefix = "aws-sdk:";
// The pseudo-parameter form of "arn:PARTITION:SERVICE:REGION:ACCOUNT:".
std::string Prefix(std::string_view service) {
  return "arn:${AWS::Partition}:" + std::string(service) + ":${AWS::Region}:${AWS::AccountId}:";
}

// "getItem" -> "GetItem" (the IAM action of an SDK or optimized integration's API name).
std::string Pascal(std::string_view action) {
  std::string out(action);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// What a Task's arguments say about one field: a literal string, chosen at run time, or absent.
struct Field {
  enum class Kind { kAbsent, kLiteral, kDynamic } kind = Kind::kAbsent;
  std::string value;
};

Field ReadField(const json::Value* args, std::string_view name) {
  Field field;
  if (args == nullptr || !args->is_object()) return field;
  const json::Object& obj = args->get_object();
  if (obj.contains(std::string(name) + ".$")) {
    field.kind = Field::Kind::kDynamic;
    return field;
  }
  auto it = obj.find(name);
  if (it == obj.end()) return field;
  if (!it->value().is_string()) {
    field.kind = Field::Kind::kDynamic;
    return field;
  }
  std::string_view text = it->value().get_string();
  // A JSONata expression ({% ... %}) is evaluated at run time.
  if (text.size() >= 4 && text.substr(0, 2) == "{%" && text.substr(text.size() - 2) == "%}") {
    field.kind = Field::Kind::kDynamic;
    return field;
  }
  field.kind = Field::Kind::kLiteral;
  field.value = std::string(text);
  return field;
}

class GrantCollector {
 public:
  GrantCollector(std::string_view machine_name, const AccountContext& account,
                 std::vector<std::string>* warnings)
      : machine_name_(machine_name), account_(account), warnings_(warnings) {}

  void Walk(const asl::StateMachine& machine, const json::Value& raw) {
    const json::Value* states = nullptr;
    if (raw.is_object()) {
      auto it = raw.get_object().find("States");
      if (it != raw.get_object().end()) states = &it->value();
    }
    for (const asl::State& state : machine.states) {
      const json::Value* raw_state = nullptr;
      if (states != nullptr && states->is_object()) {
        auto it = states->get_object().find(state.name);
        if (it != states->get_object().end()) raw_state = &it->value();
      }
      if (state.type == asl::StateType::kTask) Task(state, raw_state);
      if (state.type == asl::StateType::kParallel) {
        const json::Value* branches = Member(raw_state, "Branches");
        for (size_t i = 0; i < state.branches.size(); ++i) {
          const json::Value* branch = nullptr;
          if (branches != nullptr && branches->is_array() && i < branches->get_array().size()) {
            branch = &branches->get_array()[i];
          }
          Walk(state.branches[i], branch != nullptr ? *branch : json::Value());
        }
      }
      if (state.type == asl::StateType::kMap && !state.branches.empty()) {
        const json::Value* processor = Member(raw_state, "ItemProcessor");
        if (processor == nullptr) processor = Member(raw_state, "Iterator");
        Walk(state.branches[0], processor != nullptr ? *processor : json::Value());
      }
    }
  }

  std::vector<IamGrant> grants() && { return std::move(grants_); }

 private:
  static const json::Value* Member(const json::Value* obj, std::string_view name) {
    if (obj == nullptr || !obj->is_object()) return nullptr;
    auto it = obj->get_object().find(name);
    return it == obj->get_object().end() ? nullptr : &it->value();
  }

  void Warn(const asl::State& state, const std::string& what) {
    if (warnings_ != nullptr) {
      warnings_->push_back(machine_name_ + ": state " + state.name + ": " + what);
    }
  }

  void Grant(const asl::State& state, std::vector<std::string> actions,
             std::vector<std::string> resources) {
    grants_.push_back(IamGrant{std::move(actions), std::move(resources),
                               state.name + " (" + state.resource + ")"});
  }

  // The resource a literal target names: an ARN (templated) or a name in the stack's account.
  std::string Target(const Field& field, std::string_view service, std::string_view kind) {
    if (field.value.rfind("arn:", 0) == 0) return ArnTemplate(field.value, account_);
    return Prefix(service) + std::string(kind) + EscapeSub(field.value);
  }

  void Lambda(const asl::State& state, const Field& function) {
    if (function.kind == Field::Kind::kAbsent) {
      Warn(state, "no FunctionName; nothing is granted");
      return;
    }
    if (function.kind == Field::Kind::kDynamic) {
      Warn(state,
           "FunctionName is chosen at run time; lambda:InvokeFunction is granted on every "
           "function of the account and region (name it literally to narrow this)");
      Grant(state, {"lambda:InvokeFunction"}, {Prefix("lambda") + "function:*"});
      return;
    }
    const std::string& name = function.value;
    std::string arn;
    bool qualified = false;
    size_t colons = std::count(name.begin(), name.end(), ':');
    if (name.rfind("arn:", 0) == 0) {
      arn = ArnTemplate(name, account_);
      std::optional<ParsedArn> parsed = ParseArn(name);
      qualified = parsed && std::count(parsed->resource.begin(), parsed->resource.end(), ':') >= 2;
    } else if (colons >= 2) {
      // A partial ARN: ACCOUNT:function:NAME[:QUALIFIER].
      arn = "arn:${AWS::Partition}:lambda:${AWS::Region}:" + EscapeSub(name);
      qualified = colons >= 3;
    } else {
      arn = Prefix("lambda") + "function:" + EscapeSub(name);  // NAME[:QUALIFIER]
      qualified = colons == 1;
    }
    // An unqualified function is granted with its versions and aliases, as AWS's generated
    // policies do; a qualified one exactly.
    std::vector<std::string> resources{arn};
    if (!qualified) resources.push_back(arn + ":*");
    Grant(state, {"lambda:InvokeFunction"}, std::move(resources));
  }

  void StartExecution(const asl::State& state, const Field& machine, std::string_view pattern) {
    bool sync = pattern == "sync" || pattern == "sync:2";
    std::string arn;
    std::string executions;
    if (machine.kind == Field::Kind::kLiteral) {
      arn = machine.value.rfind("arn:", 0) == 0 ? ArnTemplate(machine.value, account_)
                                                : EscapeSub(machine.value);
      std::optional<std::string> exec = ExecutionArnOf(machine.value, "*");
      executions = exec ? ArnTemplate(*exec, account_) : Prefix("states") + "execution:*";
    } else {
      Warn(state,
           "StateMachineArn is chosen at run time (or missing); states:StartExecution is granted "
           "on every state machine of the account and region");
      arn = Prefix("states") + "stateMachine:*";
      executions = Prefix("states") + "execution:*";
    }
    Grant(state, {"states:StartExecution"}, {arn});
    if (sync) {
      Grant(state, {"states:DescribeExecution", "states:StopExecution"}, {executions});
      Grant(state, {"events:PutTargets", "events:PutRule", "events:DescribeRule"},
            {Prefix("events") + "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"});
    }
  }

  void DynamoDb(const asl::State& state, const Field& table, std::string_view action) {
    std::string resource;
    if (table.kind == Field::Kind::kLiteral) {
      resource = Target(table, "dynamodb", "table/");
    } else {
      Warn(state, "TableName is chosen at run time (or missing); dynamodb:" + Pascal(action) +
                      " is granted on every table of the account and region");
      resource = Prefix("dynamodb") + "table/*";
    }
    std::vector<std::string> resources{resource};
    // Query and Scan may read the table's indexes.
    if (action == "query" || action == "scan") resources.push_back(resource + "/index/*");
    Grant(state, {"dynamodb:" + Pascal(action)}, std::move(resources));
  }

  void Sns(const asl::State& state, const json::Value* args) {
    Field topic = ReadField(args, "TopicArn");
    if (topic.kind == Field::Kind::kAbsent) topic = ReadField(args, "TargetArn");
    if (topic.kind == Field::Kind::kLiteral) {
      Grant(state, {"sns:Publish"}, {Target(topic, "sns", "")});
      return;
    }
    Warn(state,
         "the topic is chosen at run time (or a PhoneNumber is used); sns:Publish is granted on "
         "every topic of the account and region");
    Grant(state, {"sns:Publish"}, {Prefix("sns") + "*"});
  }

  void S3(const asl::State& state, const json::Value* args, std::string_view action) {
    Field bucket = ReadField(args, "Bucket");
    Field key = ReadField(args, "Key");
    std::string bucket_arn = bucket.kind == Field::Kind::kLiteral
                                 ? "arn:${AWS::Partition}:s3:::" + EscapeSub(bucket.value)
                                 : "arn:${AWS::Partition}:s3:::*";
    if (bucket.kind != Field::Kind::kLiteral) {
      Warn(state,
           "Bucket is chosen at run time (or missing); s3 access is granted on every bucket");
    }
    // Bucket-level operations act on the bucket; object operations on its objects.
    if (action == "listObjectsV2" || action == "listObjects") {
      Grant(state, {"s3:ListBucket"}, {bucket_arn});
      return;
    }
    std::string object =
        bucket_arn + "/" +
        (key.kind == Field::Kind::kLiteral ? EscapeSub(key.value) : std::string("*"));
    std::string iam = action == "headObject" ? "GetObject" : Pascal(action);
    Grant(state, {"s3:" + iam}, {object});
  }

  void Task(const asl::State& state, const json::Value* raw_state) {
    const json::Value* args = Member(raw_state, "Parameters");
    if (args == nullptr) args = Member(raw_state, "Arguments");
    const std::string& resource = state.resource;
    std::optional<ParsedArn> arn = ParseArn(resource);
    if (arn && arn->service == "lambda") {
      Lambda(state, Field{Field::Kind::kLiteral, resource});
      return;
    }
    if (arn && arn->service == "states" && arn->resource.rfind("activity:", 0) == 0) {
      return;  // workers poll activities with their own credentials; the machine needs nothing
    }
    if (resource.rfind(kStatesPrefix, 0) != 0) {
      Warn(state, "resource " + resource +
                      " is not a service integration the exporter knows; "
                      "nothing is granted for it (add the permission to the role by hand)");
      return;
    }
    std::string_view rest = std::string_view(resource).substr(kStatesPrefix.size());
    bool sdk = rest.rfind(kSdkPrefix, 0) == 0;
    if (sdk) rest.remove_prefix(kSdkPrefix.size());
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) {
      Warn(state, "resource " + resource + " names no action; nothing is granted");
      return;
    }
    std::string_view service = rest.substr(0, colon);
    std::string_view action = rest.substr(colon + 1);
    std::string_view pattern;
    if (size_t dot = action.find('.'); dot != std::string_view::npos) {
      pattern = action.substr(dot + 1);
      action = action.substr(0, dot);
    }
    if (service == "lambda" && action == "invoke") {
      Lambda(state, ReadField(args, "FunctionName"));
    } else if (service == "states" && action == "startExecution") {
      StartExecution(state, ReadField(args, "StateMachineArn"), pattern);
    } else if (service == "dynamodb") {
      DynamoDb(state, ReadField(args, "TableName"), action);
    } else if (service == "sns" && action == "publish") {
      Sns(state, args);
    } else if (sdk && service == "s3") {
      S3(state, args, action);
    } else if (sdk) {
      Warn(state, "aws-sdk:" + std::string(service) + ":" + std::string(action) +
                      " is granted on all resources (\"*\"); narrow the resource by hand");
      Grant(state, {std::string(service) + ":" + Pascal(action)}, {"*"});
    } else {
      Warn(state, "resource " + resource +
                      " is not a service integration the exporter knows; "
                      "nothing is granted for it (add the permission to the role by hand)");
    }
  }

  std::string machine_name_;
  const AccountContext& account_;
  std::vector<std::string>* warnings_;
  std::vector<IamGrant> grants_;
};

}  // namespace

std::string EscapeSub(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out += "{!", ++i;
  }
  return out;
}

std::string ArnTemplate(std::string_view arn, const AccountContext& account) {
  std::optional<ParsedArn> parsed = ParseArn(arn);
  if (!parsed || parsed->partition != account.partition || parsed->account != account.account ||
      (!parsed->region.empty() && parsed->region != account.region)) {
    return EscapeSub(arn);
  }
  return "arn:${AWS::Partition}:" + parsed->service + ":" +
         (parsed->region.empty() ? "" : "${AWS::Region}") +
         ":${AWS::AccountId}:" + EscapeSub(parsed->resource);
}

std::vector<IamGrant> GrantsForDefinition(const asl::StateMachine& machine,
                                          std::string_view machine_name,
                                          const AccountContext& account,
                                          std::vector<std::string>* warnings) {
  GrantCollector collector(machine_name, account, warnings);
  collector.Walk(machine, machine.definition);
  return std::move(collector).grants();
}

std::vector<IamGrant> MergeGrants(const std::vector<IamGrant>& grants) {
  std::vector<IamGrant> merged;
  for (const IamGrant& grant : grants) {
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const IamGrant& m) { return m.actions == grant.actions; });
    if (same == merged.end()) {
      merged.push_back(grant);
      continue;
    }
    for (const std::string& resource : grant.resources) {
      if (std::find(same->resources.begin(), same->resources.end(), resource) ==
          same->resources.end()) {
        same->resources.push_back(resource);
      }
    }
    if (same->reason.find(grant.reason) == std::string::npos) same->reason += ", " + grant.reason;
  }
  return merged;
}

}  // namespace autoretrain::deploy
