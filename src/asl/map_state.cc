// The Map state in its inline mode: ItemsPath, ItemSelector (or the older Parameters),
// ItemProcessor (or the older Iterator), MaxConcurrency(Path), the input/output processing
// fields, Retry and Catch. The Distributed mode's fields are recognised and reported as not
// supported.
#include <string>

#include "state_compiler.h"

namespace autoretrain::asl {

namespace {

// Fields that only a Map in DISTRIBUTED mode takes.
constexpr std::string_view kDistributedOnly[] = {"ItemReader",
                                                 "ItemBatcher",
                                                 "ResultWriter",
                                                 "Label",
                                                 "ToleratedFailureCount",
                                                 "ToleratedFailureCountPath",
                                                 "ToleratedFailurePercentage",
                                                 "ToleratedFailurePercentagePath"};

// ProcessorConfig: {"Mode": "INLINE" | "DISTRIBUTED", "ExecutionType": ...}. True when the
// processor asks for the Distributed mode.
bool IsDistributed(const json::Object& processor, const std::string& location,
                   DefinitionReader* reader) {
  const json::Value* config = processor.if_contains("ProcessorConfig");
  if (config == nullptr) return false;
  const std::string config_location = PointerAppend(location, "ProcessorConfig");
  if (!config->is_object()) {
    reader->Schema(config_location,
                   "The value for the field 'ProcessorConfig' must be an OBJECT, not " +
                       DescribeType(*config));
    return false;
  }
  const json::Object& obj = config->get_object();
  reader->CheckFields(obj, config_location, {"Mode", "ExecutionType"}, " in 'ProcessorConfig'",
                      /*assign_allowed=*/false);
  std::optional<std::string> mode = reader->String(obj, "Mode", config_location);
  if (mode && *mode != "INLINE" && *mode != "DISTRIBUTED") {
    reader->Schema(PointerAppend(config_location, "Mode"),
                   "'" + *mode + "' is not a valid Map mode; expected INLINE or DISTRIBUTED");
  }
  const bool distributed = mode && *mode == "DISTRIBUTED";
  if (std::optional<std::string> type = reader->String(obj, "ExecutionType", config_location)) {
    if (!distributed) {
      reader->Schema(PointerAppend(config_location, "ExecutionType"),
                     "'ExecutionType' is only allowed when 'Mode' is DISTRIBUTED");
    } else if (*type != "STANDARD" && *type != "EXPRESS") {
      reader->Schema(PointerAppend(config_location, "ExecutionType"),
                     "'" + *type + "' is not a valid execution type; expected STANDARD or EXPRESS");
    }
  }
  return distributed;
}

void CompileItemProcessor(const json::Object& obj, const std::string& location,
                          DefinitionReader* reader, State* state) {
  const bool has_processor = obj.contains("ItemProcessor");
  const bool has_iterator = obj.contains("Iterator");
  if (has_processor && has_iterator) {
    reader->Schema(location,
                   "A Map state cannot have both 'ItemProcessor' and 'Iterator' (its older "
                   "name); keep 'ItemProcessor'");
    return;
  }
  if (!has_processor && !has_iterator) {
    reader->Schema(location, "These fields are required: [ItemProcessor]");
    return;
  }
  const std::string_view key = has_processor ? "ItemProcessor" : "Iterator";
  const json::Value& value = obj.at(key);
  const std::string processor_location = PointerAppend(location, key);
  state->branches.resize(1);
  if (has_processor && value.is_object() &&
      IsDistributed(value.get_object(), processor_location, reader)) {
    reader->Add(kUnsupportedFeature, PointerAppend(processor_location, "ProcessorConfig"),
                "Map states in DISTRIBUTED mode are not supported yet by autoretrain; use "
                "\"Mode\": \"INLINE\"");
  }
  if (has_processor) {
    CompileNestedMachine(value, processor_location,
                         {"StartAt", "States", "Comment", "ProcessorConfig"}, "an ItemProcessor",
                         reader, &state->branches[0]);
  } else {
    CompileNestedMachine(value, processor_location, {"StartAt", "States", "Comment"}, "an Iterator",
                         reader, &state->branches[0]);
  }
}

}  // namespace

void CompileMapState(const json::Object& obj, const std::string& location, DefinitionReader* reader,
                     State* state) {
  reader->CheckFields(obj, location,
                      {"Type",
                       "Comment",
                       "QueryLanguage",
                       "InputPath",
                       "OutputPath",
                       "ResultPath",
                       "ResultSelector",
                       "Parameters",
                       "ItemSelector",
                       "ItemsPath",
                       "ItemProcessor",
                       "Iterator",
                       "MaxConcurrency",
                       "MaxConcurrencyPath",
                       "ItemReader",
                       "ItemBatcher",
                       "ResultWriter",
                       "Label",
                       "ToleratedFailureCount",
                       "ToleratedFailureCountPath",
                       "ToleratedFailurePercentage",
                       "ToleratedFailurePercentagePath",
                       "Retry",
                       "Catch",
                       "Next",
                       "End"},
                      " in a 'Map' state", /*assign_allowed=*/true);
  for (std::string_view field : kDistributedOnly) {
    if (!obj.contains(field)) continue;
    reader->Add(kUnsupportedFeature, PointerAppend(location, field),
                "'" + std::string(field) +
                    "' belongs to Map states in DISTRIBUTED mode, which autoretrain does not "
                    "support yet");
  }
  CompilePathFields(obj, location, reader, state);
  state->assign = CompileAssign(obj, location, reader);
  state->result_selector = CompileTemplateField(obj, "ResultSelector", location, reader);
  state->items_path = reader->PathField(obj, "ItemsPath", location, PathKind::kReference);
  if (obj.contains("ItemSelector") && obj.contains("Parameters")) {
    reader->Schema(location,
                   "A Map state cannot have both 'ItemSelector' and 'Parameters' (its older "
                   "name); keep 'ItemSelector'");
  } else {
    state->item_selector = CompileTemplateField(
        obj, obj.contains("ItemSelector") ? "ItemSelector" : "Parameters", location, reader);
  }
  state->max_concurrency =
      reader->Integer(obj, "MaxConcurrency", location, 0, "a non-negative integer").value_or(0);
  state->max_concurrency_path =
      reader->PathField(obj, "MaxConcurrencyPath", location, PathKind::kReference);
  if (obj.contains("MaxConcurrency") && obj.contains("MaxConcurrencyPath")) {
    reader->Schema(location,
                   "A Map state cannot have both 'MaxConcurrency' and 'MaxConcurrencyPath'");
  }
  CompileItemProcessor(obj, location, reader, state);
  CompileRetry(obj, location, reader, state);
  CompileCatch(obj, location, reader, state);
  CompileTransition(obj, location, reader, state);
}

}  // namespace autoretrain::asl
