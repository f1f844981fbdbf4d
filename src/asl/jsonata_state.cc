// States whose QueryLanguage is JSONata: Arguments, Output, Assign, Choice rules with
// Condition, and TimeoutSeconds / HeartbeatSeconds / Seconds / Timestamp / Error / Cause given
// as "{% %}" expressions; every expression compiled once here. The JSONPath-only fields are
// reported, each with what replaces it.
#include <string>
#include <utility>
#include <vector>

#include "autoretrain/common/clock.h"
#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

struct JsonPathOnlyField {
  std::string_view name;
  std::string_view instead;
};

constexpr JsonPathOnlyField kJsonPathOnly[] = {
    {"InputPath", "read the input in expressions as $states.input"},
    {"Parameters", "use 'Arguments'"},
    {"ResultSelector", "use 'Output' with $states.result"},
    {"ResultPath", "use 'Output' with $states.input and $states.result"},
    {"OutputPath", "use 'Output'"},
    {"Result", "use 'Output'"},
    {"ItemsPath", "use 'Items'"},
    {"SecondsPath", "give 'Seconds' as a \"{% ... %}\" expression"},
    {"TimestampPath", "give 'Timestamp' as a \"{% ... %}\" expression"},
    {"TimeoutSecondsPath", "give 'TimeoutSeconds' as a \"{% ... %}\" expression"},
    {"HeartbeatSecondsPath", "give 'HeartbeatSeconds' as a \"{% ... %}\" expression"},
    {"ErrorPath", "give 'Error' as a \"{% ... %}\" expression"},
    {"CausePath", "give 'Cause' as a \"{% ... %}\" expression"},
};

// Reports the JSONPath-only fields of `obj`; returns true when there were any.
void ReportJsonPathFields(const json::Object& obj, const std::string& location,
                          DefinitionReader* reader) {
  for (const JsonPathOnlyField& f : kJsonPathOnly) {
    if (!obj.contains(f.name)) continue;
    reader->Schema(PointerAppend(location, f.name),
                   "The field '" + std::string(f.name) +
                       "' is not supported when QueryLanguage is 'JSONata'; " +
                       std::string(f.instead));
  }
}

// The fields a JSONata state of each type takes, besides the JSONPath-only ones (reported
// separately) and Assign.
void CheckJsonataFields(const json::Object& obj, const std::string& location, StateType type,
                        DefinitionReader* reader) {
  const std::string where =
      std::string(" in a '") + StateTypeName(type) + "' state whose QueryLanguage is 'JSONata'";
#define AUTORETRAIN_JSONPATH_ONLY                                                                 \
  "InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath", "Result", "ItemsPath", \
      "SecondsPath", "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "ErrorPath",  \
      "CausePath"
  switch (type) {
    case StateType::kPass:
      return reader->CheckFields(
          obj, location,
          {"Type", "Comment", "QueryLanguage", "Output", "Next", "End", AUTORETRAIN_JSONPATH_ONLY},
          where, true);
    case StateType::kTask:
      return reader->CheckFields(
          obj, location,
          {"Type", "Comment", "QueryLanguage", "Resource", "Arguments", "Output", "TimeoutSeconds",
           "HeartbeatSeconds", "Retry", "Catch", "Next", "End", AUTORETRAIN_JSONPATH_ONLY},
          where, true);
    case StateType::kChoice:
      return reader->CheckFields(obj, location,
                                 {"Type", "Comment", "QueryLanguage", "Choices", "Default",
                                  "Output", AUTORETRAIN_JSONPATH_ONLY},
                                 where, true);
    case StateType::kWait:
      return reader->CheckFields(obj, location,
                                 {"Type", "Comment", "QueryLanguage", "Seconds", "Timestamp",
                                  "Output", "Next", "End", AUTORETRAIN_JSONPATH_ONLY},
                                 where, true);
    case StateType::kSucceed:
      return reader->CheckFields(
          obj, location, {"Type", "Comment", "QueryLanguage", "Output", AUTORETRAIN_JSONPATH_ONLY},
          where, false);
    case StateType::kFail:
      return reader->CheckFields(
          obj, location,
          {"Type", "Comment", "QueryLanguage", "Error", "Cause", AUTORETRAIN_JSONPATH_ONLY}, where,
          false);
    case StateType::kParallel:
    case StateType::kMap:
      return;
  }
#undef AUTORETRAIN_JSONPATH_ONLY
}

// The field `key` of `obj` compiled as a JSONata template named `field` in messages.
std::optional<JsonataTemplate> Field(const json::Object& obj, std::string_view key,
                                     const std::string& field, const std::string& location,
                                     DefinitionReader* reader) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  std::vector<Diagnostic> problems;
  std::optional<JsonataTemplate> tmpl =
      JsonataTemplate::Compile(*v, field, PointerAppend(location, key), &problems);
  reader->AddAll(std::move(problems));
  return tmpl;
}

bool IsExpression(const json::Value* v) {
  return v != nullptr && v->is_string() && JsonataExpressionText(v->get_string()).has_value();
}

// A number of seconds given as an integer (into *literal) or as an expression (into *expr).
void SecondsField(const json::Object& obj, std::string_view key, const std::string& location,
                  int64_t min_value, std::string_view what, DefinitionReader* reader,
                  std::optional<int64_t>* literal, std::optional<JsonataTemplate>* expr) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return;
  if (IsExpression(v)) {
    *expr = Field(obj, key, std::string(key), location, reader);
    return;
  }
  if (v->is_string()) {
    reader->Schema(PointerAppend(location, key),
                   "The value for the field '" + std::string(key) + "' must be " +
                       std::string(what) +
                       " or a JSONata expression \"{% ... %}\", not the string '" +
                       std::string(v->get_string()) + "'");
    return;
  }
  *literal = reader->Integer(obj, key, location, min_value, what);
}

// One rule of a JSONata Choice state: Condition, Next, Assign, Output, Comment.
void CompileJsonataChoiceRule(const json::Value& value, const std::string& rule_location,
                              size_t index, DefinitionReader* reader, ChoiceRule* out) {
  const std::string prefix = "Choices[" + std::to_string(index) + "]/";
  if (!value.is_object()) {
    reader->Schema(rule_location, "A Choice rule must be an OBJECT, not " + DescribeType(value));
    return;
  }
  const json::Object& r = value.get_object();
  ChoiceRule& rule = *out;
  for (const auto& [key, unused] : r) {
    std::string_view k = key;
    if (k == "Condition" || k == "Next" || k == "Assign" || k == "Output" || k == "Comment") {
      continue;
    }
    reader->Schema(PointerAppend(rule_location, k),
                   "The field '" + std::string(k) +
                       "' is not supported in a Choice rule whose QueryLanguage is 'JSONata'; "
                       "JSONata rules take 'Condition' (a \"{% ... %}\" expression giving "
                       "true or false), 'Next', 'Assign', 'Output' and 'Comment'");
  }
  reader->CheckRequired(r, rule_location, {"Condition", "Next"});
  rule.next = reader->String(r, "Next", rule_location).value_or("");
  rule.op_name = "Condition";
  if (const json::Value* cond = r.if_contains("Condition")) {
    if (!cond->is_bool() && !IsExpression(cond)) {
      reader->Schema(PointerAppend(rule_location, "Condition"),
                     "The value for the field 'Condition' must be true, false or a JSONata "
                     "expression \"{% ... %}\", not " +
                         json::Serialize(*cond));
    } else {
      rule.condition = Field(r, "Condition", prefix + "Condition", rule_location, reader);
    }
  }
  rule.output = Field(r, "Output", prefix + "Output", rule_location, reader);
  rule.jsonata_assign = CompileJsonataAssign(r, rule_location, prefix, reader);
  reader->String(r, "Comment", rule_location);
}

void CompileJsonataChoices(const json::Object& obj, const std::string& location,
                           DefinitionReader* reader, State* state) {
  CompileChoices(obj, location, reader, state,
                 [reader](const json::Value& rule, const std::string& rule_location, size_t index,
                          ChoiceRule* out) {
                   CompileJsonataChoiceRule(rule, rule_location, index, reader, out);
                 });
}

// Parallel and Map: the JSONPath compiler handles Branches / ItemProcessor, Retry, Catch (in
// their JSONata form), MaxConcurrency and the transition on a copy of the state without its
// JSONata and JSONPath-only fields; those are handled here.
void CompileJsonataBranchingState(const json::Object& obj, const std::string& location,
                                  DefinitionReader* reader, State* state) {
  ReportJsonPathFields(obj, location, reader);
  const bool map = state->type == StateType::kMap;
  json::Object rest = obj;
  for (const JsonPathOnlyField& f : kJsonPathOnly) rest.erase(f.name);
  for (std::string_view key : {"Arguments", "Output", "Assign", "Items", "ItemSelector"}) {
    rest.erase(key);
  }
  if (map) rest.erase("MaxConcurrencyPath");  // JSONPath only (reported by CheckFields below)
  JsonataFields& f = state->jsonata_fields;
  f.output = Field(obj, "Output", "Output", location, reader);
  f.assign = CompileJsonataAssign(obj, location, "", reader);
  if (map) {
    if (obj.contains("Arguments")) {
      reader->Schema(PointerAppend(location, "Arguments"),
                     "The field 'Arguments' is not supported in a 'Map' state; give each "
                     "iteration's input with 'ItemSelector'");
    }
    if (obj.contains("MaxConcurrencyPath")) {
      reader->Schema(PointerAppend(location, "MaxConcurrencyPath"),
                     "The field 'MaxConcurrencyPath' is not supported when QueryLanguage is "
                     "'JSONata'; give 'MaxConcurrency' as a \"{% ... %}\" expression");
    }
    if (IsExpression(obj.if_contains("MaxConcurrency"))) {
      rest.erase("MaxConcurrency");
      f.max_concurrency = Field(obj, "MaxConcurrency", "MaxConcurrency", location, reader);
    }
    f.items = Field(obj, "Items", "Items", location, reader);
    f.item_selector = Field(obj, "ItemSelector", "ItemSelector", location, reader);
    CompileMapState(rest, location, reader, state);
  } else {
    if (obj.contains("Arguments")) {
      f.arguments = Field(obj, "Arguments", "Arguments", location, reader);
    }
    CompileParallelState(rest, location, reader, state);
  }
}

}  // namespace

void CompileJsonataState(const json::Object& obj, const std::string& location,
                         DefinitionReader* reader, State* state) {
  const StateType type = state->type;
  if (type == StateType::kParallel || type == StateType::kMap) {
    return CompileJsonataBranchingState(obj, location, reader, state);
  }
  ReportJsonPathFields(obj, location, reader);
  CheckJsonataFields(obj, location, type, reader);
  JsonataFields& f = state->jsonata_fields;
  if (type != StateType::kFail) f.output = Field(obj, "Output", "Output", location, reader);
  if (type != StateType::kFail && type != StateType::kSucceed) {
    f.assign = CompileJsonataAssign(obj, location, "", reader);
  }
  switch (type) {
    case StateType::kPass:
      CompileTransition(obj, location, reader, state);
      break;
    case StateType::kTask:
      reader->CheckRequired(obj, location, {"Resource"});
      CompileResource(obj, location, reader, state);
      f.arguments = Field(obj, "Arguments", "Arguments", location, reader);
      SecondsField(obj, "TimeoutSeconds", location, 1, "a positive integer", reader,
                   &state->timeout_seconds, &f.timeout_seconds);
      SecondsField(obj, "HeartbeatSeconds", location, 1, "a positive integer", reader,
                   &state->heartbeat_seconds, &f.heartbeat_seconds);
      if (state->timeout_seconds && state->heartbeat_seconds &&
          *state->heartbeat_seconds >= *state->timeout_seconds) {
        reader->Schema(PointerAppend(location, "HeartbeatSeconds"),
                       "HeartbeatSeconds (" + std::to_string(*state->heartbeat_seconds) +
                           ") must be smaller than TimeoutSeconds (" +
                           std::to_string(*state->timeout_seconds) + ")");
      }
      CompileRetry(obj, location, reader, state);
      CompileCatch(obj, location, reader, state);
      CompileTransition(obj, location, reader, state);
      break;
    case StateType::kChoice:
      CompileJsonataChoices(obj, location, reader, state);
      break;
    case StateType::kWait: {
      const int given = obj.contains("Seconds") + obj.contains("Timestamp");
      if (given != 1) {
        reader->Schema(location,
                       "A Wait state must have exactly one of 'Seconds' or 'Timestamp'; "
                       "it has " +
                           std::to_string(given));
      }
      SecondsField(obj, "Seconds", location, 0, "a non-negative integer", reader, &state->seconds,
                   &f.seconds);
      if (const json::Value* ts = obj.if_contains("Timestamp")) {
        if (IsExpression(ts)) {
          f.timestamp = Field(obj, "Timestamp", "Timestamp", location, reader);
        } else if (std::optional<std::string> text = reader->String(obj, "Timestamp", location)) {
          TimePoint unused;
          if (ParseIso8601(*text, &unused)) {
            state->timestamp = *text;
          } else {
            reader->Schema(PointerAppend(location, "Timestamp"),
                           "The value for the field 'Timestamp' must be an RFC 3339 timestamp "
                           "such as '2026-01-05T03:00:00Z' or a JSONata expression, not '" +
                               *text + "'");
          }
        }
      }
      CompileTransition(obj, location, reader, state);
      break;
    }
    case StateType::kSucceed:
      break;
    case StateType::kFail:
      for (std::string_view key : {"Error", "Cause"}) {
        const json::Value* v = obj.if_contains(key);
        if (v == nullptr) continue;
        const bool is_error = key == "Error";
        if (IsExpression(v)) {
          (is_error ? f.error : f.cause) = Field(obj, key, std::string(key), location, reader);
        } else {
          (is_error ? state->error : state->cause) = reader->String(obj, key, location);
        }
      }
      break;
    case StateType::kParallel:
    case StateType::kMap:
      break;
  }
}

}  // namespace autoretrain::asl
