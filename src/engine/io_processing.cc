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

bool IsIdentity(const asl::OptionalPath& path) {
  switch (path.kind) {
    case asl::OptionalPath::Kind::kDefault:
      return true;
    case asl::OptionalPath::Kind::kNull:
      return false;
    case asl::OptionalPath::Kind::kPath:
      return path.path && path.path->is_root() && !path.path->is_context();
  }
  return false;
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
  if (IsIdentity(input_path)) return Payload::Borrow(raw);
  if (input_path.kind == asl::OptionalPath::Kind::kNull) return Payload(json::Object{});
  std::optional<Payload> selected = LookupPath(*input_path.path, raw, context);
  if (!selected) return NoResultsError(*input_path.path);
  return std::move(*selected);
}

json::Value TakeEffective(Payload effective, json::Value& raw, const asl::OptionalPath& input_path,
                          bool raw_dispensable) {
  const bool from_context = input_path.kind == asl::OptionalPath::Kind::kPath && input_path.path &&
                            input_path.path->is_context();
  if (!effective.borrowed() || !raw_dispensable || from_context || effective.constant()) {
    return std::move(effective).Take();
  }
  if (&effective.get() == &raw) return std::move(raw);
  // The borrowed node lies inside `raw`, which is ours to give up.
  return std::move(const_cast<json::Value&>(effective.get()));
}

Result<Payload> ApplyTemplate(const std::optional<asl::PayloadTemplate>& tmpl, Payload effective,
                              ContextObject& context) {
  if (!tmpl) return effective;
  // A template without paths always builds the same value: lend it rather than copy it.
  if (const json::Value* literal = tmpl->literal()) return Payload::BorrowConstant(*literal);
  // The context object is built (copying the execution input into it) only when read.
  static const json::Value kUnread;
  Result<json::Value> built = tmpl->Evaluate(
      effective.get(), tmpl->reads_context() ? context.Get() : kUnread, context.variables());
  if (!built.ok()) return built.take_error();
  return Payload(std::move(built).value());
}

Result<json::Value> ApplyResultPath(const asl::OptionalPath& result_path, json::Value& raw,
                                    bool consume_raw, json::Value&& result) {
  if (IsIdentity(result_path)) return std::move(result);
  json::Value out = consume_raw ? std::move(raw) : json::Value(raw);
  if (result_path.kind == asl::OptionalPath::Kind::kNull) return out;
  Status assigned = result_path.path->Assign(out, std::move(result));
  if (!assigned.ok()) return assigned.take_error();
  return out;
}

Result<json::Value> ApplyOutputPath(const asl::OptionalPath& output_path, json::Value&& output,
                                    ContextObject& context) {
  if (IsIdentity(output_path)) return std::move(output);
  if (output_path.kind == asl::OptionalPath::Kind::kNull) return json::Value(json::Object{});
  std::optional<Payload> selected = LookupPath(*output_path.path, output, context);
  if (!selected) return NoResultsError(*output_path.path);
  if (!selected->borrowed() || output_path.path->is_context()) return std::move(*selected).Take();
  // The node lives inside `output`, which is ours and about to be dropped: move it out.
  return std::move(const_cast<json::Value&>(selected->get()));
}

Result<json::Value> ApplyResultFields(const asl::State& state, json::Value& raw, bool consume_raw,
                                      json::Value&& result, ContextObject& context,
                                      const jsonata::EvaluateOptions& jsonata_options,
                                      std::optional<json::Object>* assigned) {
  if (state.jsonata) {
    // Assign and Output (default: the result) with $states.input = the raw input and
    // $states.result.
    const jsonata::Bindings bindings = StatesBindings(context, raw, &result);
    Status assign =
        EvaluateJsonataAssign(state.jsonata_fields.assign, bindings, jsonata_options, assigned);
    if (!assign.ok()) return assign.take_error();
    return EvaluateOutput(state.jsonata_fields.output, bindings, jsonata_options,
                          std::move(result));
  }
  Result<Payload> selected =
      ApplyTemplate(state.result_selector, Payload(std::move(result)), context);
  if (!selected.ok()) return selected.take_error();
  Status assign = EvaluateAssign(state.assign, selected->get(), context, assigned);
  if (!assign.ok()) return assign.take_error();
  Result<json::Value> output =
      ApplyResultPath(state.result_path, raw, consume_raw, std::move(selected).value().Take());
  if (!output.ok()) return output;
  return ApplyOutputPath(state.output_path, std::move(output).value(), context);
}

}  // namespace autoretrain::engine
