// Retry and Catch: their shapes as the States Language specifies them. The engine gives them
// their semantics.
#include <string>
#include <utility>
#include <vector>

#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

constexpr std::string_view kStatesAll = "States.ALL";

// ErrorEquals: a non-empty array of strings; States.ALL alone, and only in the last handler.
std::vector<std::string> CompileErrorEquals(const json::Object& handler,
                                            const std::string& location, bool is_last,
                                            std::string_view field, DefinitionReader* reader) {
  std::vector<std::string> out;
  const json::Value* v = handler.if_contains("ErrorEquals");
  if (v == nullptr) return out;  // reported by CheckRequired
  const std::string list_location = PointerAppend(location, "ErrorEquals");
  if (!v->is_array() || v->get_array().empty()) {
    reader->Schema(list_location,
                   "The value for the field 'ErrorEquals' must be a non-empty array of error "
                   "names");
    return out;
  }
  const json::Array& names = v->get_array();
  for (size_t i = 0; i < names.size(); ++i) {
    if (!names[i].is_string()) {
      reader->Schema(PointerAppend(list_location, i),
                     "Error names in 'ErrorEquals' must be STRINGs, not " + DescribeType(names[i]));
      continue;
    }
    out.emplace_back(names[i].get_string());
    if (out.back() != kStatesAll) continue;
    if (names.size() != 1) {
      reader->Schema(PointerAppend(list_location, i),
                     "'States.ALL' must appear alone in 'ErrorEquals'");
    }
    if (!is_last) {
      reader->Schema(PointerAppend(list_location, i),
                     "A " + std::string(field) +
                         " entry with 'States.ALL' must be the last one in '" + std::string(field) +
                         "'");
    }
  }
  return out;
}

// The handler array at obj[field]; nullptr (after reporting) when it is not an array.
const json::Array* HandlerArray(const json::Object& obj, std::string_view field,
                                const std::string& location, DefinitionReader* reader) {
  const json::Value* v = obj.if_contains(field);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    reader->Schema(PointerAppend(location, field),
                   "The value for the field '" + std::string(field) + "' must be an ARRAY, not " +
                       DescribeType(*v));
    return nullptr;
  }
  return &v->get_array();
}

void CompileRetrier(const json::Object& r, const std::string& location, bool is_last,
                    DefinitionReader* reader, Retrier* out) {
  reader->CheckFields(r, location,
                      {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                       "MaxDelaySeconds", "JitterStrategy", "Comment"},
                      " in a Retrier", /*assign_allowed=*/false);
  reader->CheckRequired(r, location, {"ErrorEquals"});
  out->error_equals = CompileErrorEquals(r, location, is_last, "Retry", reader);
  if (auto v = reader->Integer(r, "IntervalSeconds", location, 1, "a positive integer")) {
    out->interval_seconds = static_cast<double>(*v);
  }
  if (auto v = reader->Integer(r, "MaxAttempts", location, 0, "a non-negative integer")) {
    out->max_attempts = static_cast<int>(*v);
  }
  if (const json::Value* rate = r.if_contains("BackoffRate")) {
    if (!rate->is_number() || json::AsDouble(*rate) < 1.0) {
      reader->Schema(PointerAppend(location, "BackoffRate"),
                     "The value for the field 'BackoffRate' must be a number >= 1.0, not " +
                         json::Serialize(*rate));
    } else {
      out->backoff_rate = json::AsDouble(*rate);
    }
  }
  out->max_delay_seconds = reader->Integer(r, "MaxDelaySeconds", location, 1, "a positive integer");
  if (auto jitter = reader->String(r, "JitterStrategy", location)) {
    if (*jitter == "FULL" || *jitter == "NONE") {
      out->jitter_strategy = *jitter;
    } else {
      reader->Schema(PointerAppend(location, "JitterStrategy"),
                     "The value for the field 'JitterStrategy' must be 'FULL' or 'NONE', not '" +
                         *jitter + "'");
    }
  }
  reader->String(r, "Comment", location);
}

void CompileCatcher(const json::Object& c, const std::string& location, bool is_last,
                    DefinitionReader* reader, Catcher* out, bool jsonata, size_t index) {
  if (jsonata) {
    reader->CheckFields(c, location, {"ErrorEquals", "Next", "Output", "Comment"},
                        " in a Catcher of a JSONata state (JSONata catchers take 'Output' "
                        "instead of 'ResultPath')",
                        /*assign_allowed=*/true);
    reader->CheckRequired(c, location, {"ErrorEquals", "Next"});
    out->error_equals = CompileErrorEquals(c, location, is_last, "Catch", reader);
    out->next = reader->String(c, "Next", location).value_or("");
    const std::string prefix = "Catch[" + std::to_string(index) + "]/";
    if (const json::Value* output = c.if_contains("Output")) {
      std::vector<Diagnostic> problems;
      out->output = JsonataTemplate::Compile(*output, prefix + "Output",
                                             PointerAppend(location, "Output"), &problems);
      reader->AddAll(std::move(problems));
    }
    out->jsonata_assign = CompileJsonataAssign(c, location, prefix, reader);
    reader->String(c, "Comment", location);
    return;
  }
  reader->CheckFields(c, location, {"ErrorEquals", "Next", "ResultPath", "Comment"},
                      " in a Catcher", /*assign_allowed=*/true);
  reader->CheckRequired(c, location, {"ErrorEquals", "Next"});
  out->error_equals = CompileErrorEquals(c, location, is_last, "Catch", reader);
  out->next = reader->String(c, "Next", location).value_or("");
  out->result_path = reader->NullablePathField(c, "ResultPath", location, PathKind::kResultPath);
  out->assign = CompileAssign(c, location, reader);
  reader->String(c, "Comment", location);
}

}  // namespace

void CompileRetry(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                  State* state) {
  const json::Array* retriers = HandlerArray(obj, "Retry", location, reader);
  if (retriers == nullptr) return;
  const std::string list_location = PointerAppend(location, "Retry");
  for (size_t i = 0; i < retriers->size(); ++i) {
    const std::string item_location = PointerAppend(list_location, i);
    if (!(*retriers)[i].is_object()) {
      reader->Schema(item_location,
                     "A Retrier must be an OBJECT, not " + DescribeType((*retriers)[i]));
      // An empty entry keeps the indexes of the others equal to their positions.
      state->retry.emplace_back();
      continue;
    }
    Retrier r;
    CompileRetrier((*retriers)[i].get_object(), item_location, i + 1 == retriers->size(), reader,
                   &r);
    state->retry.push_back(std::move(r));
  }
}

void CompileCatch(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                  State* state) {
  const json::Array* catchers = HandlerArray(obj, "Catch", location, reader);
  if (catchers == nullptr) return;
  const std::string list_location = PointerAppend(location, "Catch");
  for (size_t i = 0; i < catchers->size(); ++i) {
    const std::string item_location = PointerAppend(list_location, i);
    if (!(*catchers)[i].is_object()) {
      reader->Schema(item_location,
                     "A Catcher must be an OBJECT, not " + DescribeType((*catchers)[i]));
      // An empty entry keeps the indexes of the others equal to their positions.
      state->catch_.emplace_back();
      continue;
    }
    Catcher c;
    CompileCatcher((*catchers)[i].get_object(), item_location, i + 1 == catchers->size(), reader,
                   &c, state->jsonata, i);
    state->catch_.push_back(std::move(c));
  }
}

}  // namespace autoretrain::asl
