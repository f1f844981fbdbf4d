#include "engine/io_processing.h"

#include <utility>

#include "engine/jsonata_io.h"
#include "engine/variables.h"

namespace autoretrain::engine {

std::optional<Payload> LookupPath(const json::Path& path, const json::Value& input,
                                  ContextObject& context) {
  const json::Value* root_node = &input;
  if (path.is_context()) {
    root_node = &context.Get();
  } else if (path.is_variable()) {
    root_node = context.variables() != nullptr ? context.variables()->FindVariable(path.variable())
                                               : nullptr;
    if (root_node == nullptr) return std::nullopt;
  }
  const json::Value& root = *root_node;
  if (const json::Value* node = path.Find(root)) return Payload::Borrow(*node);
  // Find declines paths that build a new value (and finds nothing for missing nodes).
  std::optional<json::Value> selected = path.Select(root);
  if (!selected) return std::nullopt;
  return Payload(std::move(*selected));
}

Error NestedTooDeeply(std::string_view state_name, std::string_view what, int limit) {
  return Error{"States.DataLimitExceeded", "The state/task '" + std::string(state_name) +
                                               "' produced " + std::string(what) +
                                               " whose arrays and objects nest deeper than " +
                                               std::to_string(limit) + " levels, the limit."};
}

Status CheckPayloadSize(const json::Value& value, std::string_view what) {
  if (json::FitsInBytes(value, json::kMaxPayloadBytes)) return OkStatus();
  if (!json::NestingWithin(value, json::kMaxDepth)) {
    return NestedTooDeeply(what, "a result", json::kMaxDepth);
  }
  return Error{"States.DataLimitExceeded",
               "The state/task '" + std::string(what) +
                   "' returned a result with a size exceeding the maximum number of bytes "
                   "service limit."};
}

std::string BracketNotation(std::string_view text) {
  // Only the reference-path steps are rewritten (.name, ['name'], [n]); anything else (filters,
  // wildcards...) is kept as written, which is what Jayway prints for those too.
  size_t pos = 0;
  std::string out;
  while (pos < text.size() && text[pos] == '$') out += text[pos++];
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '.' && pos + 1 < text.size() && text[pos + 1] != '.' && text[pos + 1] != '*' &&
        text[pos + 1] != '[') {
      size_t end = pos + 1;
      while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
      out += "['";
      out.append(text.substr(pos + 1, end - pos - 1));
      out += "']";
      pos = end;
    } else if (c == '[') {
      size_t end = text.find(']', pos);
      if (end == std::string_view::npos) end = text.size() - 1;
      std::string_view inner = text.substr(pos + 1, end - pos - 1);
      if (inner.size() >= 2 && inner.front() == '"' && inner.back() == '"') {
        out += "['";
        out.append(inner.substr(1, inner.size() - 2));
        out += "']";
      } else {
        out.append(text.substr(pos, end - pos + 1));
      }
      pos = end + 1;
    } else {
      out.append(text.substr(pos));
      break;
    }
  }
  return out;
}

Status EvaluateAssign(const std::optional<asl::PayloadTemplate>& assign, const json::Value& value,
                      ContextObject& context, std::optional<json::Object>* assigned) {
  assigned->reset();
  if (!assign) return OkStatus();
  Result<Payload> values = ApplyTemplate(assign, Payload::Borrow(value), context);
  if (!values.ok()) return values.take_error();
  json::Value object = std::move(values).value().Take();
  *assigned = std::move(object.get_object());
  return OkStatus();
}

Error NoResultsError(const json::Path& path) {
  if (path.is_variable()) {
    return Error{"States.Runtime", "Invalid path '" + path.text() + "' : the variable '" +
                                       path.variable() + "' is not assigned"};
  }
  return Error{"States.Runtime", "Invalid path '" + path.text() +
                                     "' : No results for path: " + BracketNotation(path.text())};
}

Result<Payload> ApplyInputPath(const asl::OptionalPath& input_path, const json::Value& raw,
                               ContextObject& context) {
  if (input_path.is_identity()) return Payload::Borrow(raw);
  if (input_path.kind == asl::OptionalPath::Kind::kNull) return Payload(json::Object{});
  std::optional<Payload> selected = LookupPath(*input_path.path, raw, context);
  if (!selected) return NoResultsError(*input_path.path);
  return std::move(*selected);
}

void KeepEffective(Payload effective, json::Value& raw, const asl::OptionalPath& input_path) {
  if (&effective.get() == &raw) return;
  // A `$$` or `$name` path borrows from the context object or a variable, not from `raw`.
  const bool outside_raw = input_path.kind == asl::OptionalPath::Kind::kPath && input_path.path &&
                           (input_path.path->is_context() || input_path.path->is_variable());
  if (!effective.borrowed() || outside_raw || effective.constant()) {
    raw = std::move(effective).Take();
    return;
  }
  // The borrowed node lies inside `raw`: the move assignment takes it out before it releases
  // what `raw` held.
  raw = std::move(const_cast<json::Value&>(effective.get()));
}

Result<Payload> ApplyTemplate(const std::optional<asl::PayloadTemplate>& tmpl, Payload effective,
                              ContextObject& context, json::Value* spent_raw) {
  if (!tmpl) return effective;
  // A template without paths always builds the same value: lend it rather than copy it.
  if (const json::Value* literal = tmpl->literal()) return Payload::BorrowConstant(*literal);
  // The context object is built (copying the execution input into it) only when read.
  static const json::Value kUnread;
  const json::Value& context_root = tmpl->reads_context() ? context.Get() : kUnread;
  Result<json::Value> built =
      spent_raw != nullptr && &effective.get() == spent_raw
          ? tmpl->EvaluateConsuming(*spent_raw, context_root, context.variables())
          : tmpl->Evaluate(effective.get(), context_root, context.variables());
  if (!built.ok()) return built.take_error();
  return Payload(std::move(built).value());
}

Status ApplyResultPath(const asl::OptionalPath& result_path, json::Value& raw,
                       json::Value&& result) {
  if (result_path.is_identity()) {
    raw = std::move(result);
    return OkStatus();
  }
  if (result_path.kind == asl::OptionalPath::Kind::kNull) return OkStatus();
  return result_path.path->Assign(raw, std::move(result));
}

Status ApplyOutputPath(const asl::OptionalPath& output_path, json::Value& output,
                       ContextObject& context) {
  if (output_path.is_identity()) return OkStatus();
  if (output_path.kind == asl::OptionalPath::Kind::kNull) {
    output = json::Object{};
    return OkStatus();
  }
  std::optional<Payload> selected = LookupPath(*output_path.path, output, context);
  if (!selected) return NoResultsError(*output_path.path);
  if (!selected->borrowed() || output_path.path->is_context() || output_path.path->is_variable()) {
    output = std::move(*selected).Take();  // a copy, unless the path built a new value
  } else {
    // The node lives inside `output`: the move assignment takes it out before it releases what
    // `output` held.
    output = std::move(const_cast<json::Value&>(selected->get()));
  }
  return OkStatus();
}

Status ApplyResultFields(const asl::State& state, json::Value& raw, bool consume_raw,
                         json::Value&& result, ContextObject& context,
                         const jsonata::EvaluateOptions& jsonata_options,
                         std::optional<json::Object>* assigned) {
  if (state.jsonata) {
    // Assign and Output (default: the result) with $states.input = the raw input and
    // $states.result.
    const jsonata::Bindings bindings = StatesBindings(context, raw, &result);
    Status assign =
        EvaluateJsonataAssign(state.jsonata_fields.assign, bindings, jsonata_options, assigned);
    if (!assign.ok()) return assign;
    Result<json::Value> output =
        EvaluateOutput(state.jsonata_fields.output, bindings, jsonata_options, std::move(result));
    if (!output.ok()) return output.take_error();
    raw = std::move(output).value();
    return OkStatus();
  }
  Result<Payload> selected =
      ApplyTemplate(state.result_selector, Payload(std::move(result)), context);
  if (!selected.ok()) return selected.take_error();
  Status assign = EvaluateAssign(state.assign, selected->get(), context, assigned);
  if (!assign.ok()) return assign;
  // Without consume_raw the raw input must survive a failure. A ResultPath that drops the
  // result leaves it as it is (and OutputPath changes nothing when it fails); otherwise the
  // steps work on a scratch value (a copy of the raw input for a path that writes into it),
  // which replaces the raw input once every step succeeded.
  const bool in_place = consume_raw || state.result_path.kind == asl::OptionalPath::Kind::kNull;
  json::Value scratch;
  if (!in_place && !state.result_path.is_identity()) scratch = raw;
  json::Value& output = in_place ? raw : scratch;
  Status written = ApplyResultPath(state.result_path, output, std::move(selected).value().Take());
  if (written.ok()) written = ApplyOutputPath(state.output_path, output, context);
  if (written.ok() && !in_place) raw = std::move(scratch);
  return written;
}

}  // namespace autoretrain::engine
