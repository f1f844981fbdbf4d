#include "definition_reader.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace autoretrain::asl {

std::string PointerAppend(const std::string& base, std::string_view key) {
  std::string out = base;
  out.reserve(base.size() + key.size() + 1);
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PointerAppend(const std::string& base, size_t index) {
  return base + "/" + std::to_string(index);
}

std::optional<int64_t> AsInteger(const json::Value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) {
    if (v.get_uint64() > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(v.get_uint64());
  }
  if (v.is_double()) {
    double d = v.get_double();
    // The bounds keep the cast defined; no valid field comes near them.
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

std::string DescribeType(const json::Value& v) {
  std::string_view name = json::TypeName(v);
  if (v.is_null()) return std::string(name);
  return (v.is_object() || v.is_array() ? "an " : "a ") + std::string(name);
}

bool IsIntrinsicCall(std::string_view text) {
  return text.starts_with("States.") && text.find('(') != std::string_view::npos;
}

void DefinitionReader::Add(std::string code, std::string location, std::string message) {
  diagnostics_.push_back({std::move(code), std::move(location), std::move(message)});
}

void DefinitionReader::Schema(std::string location, std::string message) {
  Add(kSchemaValidationFailed, std::move(location), std::move(message));
}

void DefinitionReader::AddAll(std::vector<Diagnostic> diagnostics) {
  for (auto& d : diagnostics) diagnostics_.push_back(std::move(d));
}

void DefinitionReader::CheckFields(const json::Object& obj, const std::string& location,
                                   std::initializer_list<std::string_view> allowed,
                                   std::string_view where, bool assign_allowed) {
  for (const auto& [key, value] : obj) {
    std::string_view k = key;
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    if (k == "Assign" && assign_allowed) continue;  // compiled by the caller (CompileAssign)
    Schema(PointerAppend(location, k), "The field '" + std::string(k) +
                                           "' is not supported by Step Functions" +
                                           std::string(where));
  }
}

void DefinitionReader::NoteStateName(const std::string& name, const std::string& location) {
  auto [it, inserted] = state_locations_.emplace(name, location);
  if (inserted) return;
  Add(kDuplicateStateName, location,
      "Duplicate State name: '" + name + "' is also defined at " + it->second +
          "; state names must be unique in the whole state machine, branches included");
}

void DefinitionReader::EnterScope() {
  scope_parent_.push_back(current_scope_);
  current_scope_ = static_cast<int>(scope_parent_.size()) - 1;
}

void DefinitionReader::ExitScope() { current_scope_ = scope_parent_[current_scope_]; }

void DefinitionReader::NoteAssignedVariable(const std::string& name, const std::string& location) {
  assignments_.push_back(Assignment{name, location, current_scope_});
}

void DefinitionReader::CheckVariableScopes() {
  for (const Assignment& inner : assignments_) {
    if (inner.scope == 0) continue;
    for (const Assignment& outer : assignments_) {
      if (outer.name != inner.name || outer.scope == inner.scope) continue;
      // Is `outer` in a scope enclosing `inner`?
      int s = scope_parent_[inner.scope];
      while (s >= 0 && s != outer.scope) s = scope_parent_[s];
      if (s < 0) continue;
      Schema(inner.location, "The variable '" + inner.name +
                                 "' is assigned in an enclosing scope (" + outer.location +
                                 "); a Parallel branch or Map iteration can read it but not "
                                 "assign it: use another name");
      break;
    }
  }
}

void DefinitionReader::CheckRequired(const json::Object& obj, const std::string& location,
                                     std::initializer_list<std::string_view> required) {
  std::string missing;
  for (std::string_view k : required) {
    if (obj.contains(k)) continue;
    if (!missing.empty()) missing += ", ";
    missing += k;
  }
  if (!missing.empty()) Schema(location, "These fields are required: [" + missing + "]");
}

std::optional<std::string> DefinitionReader::String(const json::Object& obj, std::string_view key,
                                                    const std::string& location) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Schema(PointerAppend(location, key), "The value for the field '" + std::string(key) +
                                             "' must be a STRING, not " + DescribeType(*v));
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<bool> DefinitionReader::Bool(const json::Object& obj, std::string_view key,
                                           const std::string& location) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    Schema(PointerAppend(location, key), "The value for the field '" + std::string(key) +
                                             "' must be a BOOLEAN, not " + DescribeType(*v));
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<int64_t> DefinitionReader::Integer(const json::Object& obj, std::string_view key,
                                                 const std::string& location, int64_t min_value,
                                                 std::string_view what) {
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return std::nullopt;
  std::optional<int64_t> n = AsInteger(*v);
  if (!n || *n < min_value || *n > kMaxSeconds) {
    Schema(PointerAppend(location, key),
           "The value for the field '" + std::string(key) + "' must be " + std::string(what) +
               " (at most " + std::to_string(kMaxSeconds) + "), not " + json::Serialize(*v));
    return std::nullopt;
  }
  return n;
}

std::optional<json::Path> DefinitionReader::CompilePath(const std::string& text,
                                                        std::string_view field,
                                                        const std::string& location,
                                                        PathKind kind) {
  const bool reference = kind != PathKind::kFull;
  Result<json::Path> path =
      reference ? json::Path::CompileReference(text) : json::Path::Compile(text);
  const std::string expected = reference ? "a valid ReferencePath" : "a valid JSONPath";
  if (!path.ok()) {
    Schema(location, "The value for the field '" + std::string(field) + "' must be " + expected +
                         ": " + path.error().cause);
    return std::nullopt;
  }
  if (kind == PathKind::kResultPath && path->is_context()) {
    Schema(location, "The value for the field '" + std::string(field) + "' must be " + expected +
                         " into the state's data ('$...'), not the context object: '" + text + "'");
    return std::nullopt;
  }
  if (kind == PathKind::kResultPath && path->is_variable()) {
    Schema(location, "The value for the field '" + std::string(field) + "' must be " + expected +
                         " into the state's data ('$...'), not the variable '" + path->variable() +
                         "': variables are set with 'Assign'");
    return std::nullopt;
  }
  return std::move(path).value();
}

std::optional<json::Path> DefinitionReader::PathField(const json::Object& obj, std::string_view key,
                                                      const std::string& location, PathKind kind) {
  std::optional<std::string> text = String(obj, key, location);
  if (!text) return std::nullopt;
  return CompilePath(*text, key, PointerAppend(location, key), kind);
}

OptionalPath DefinitionReader::NullablePathField(const json::Object& obj, std::string_view key,
                                                 const std::string& location, PathKind kind) {
  OptionalPath out;
  const json::Value* v = obj.if_contains(key);
  if (v == nullptr) return out;
  if (v->is_null()) {
    out.kind = OptionalPath::Kind::kNull;
    return out;
  }
  out.path = PathField(obj, key, location, kind);
  // An invalid path was reported; what the struct holds no longer matters.
  if (out.path) out.kind = OptionalPath::Kind::kPath;
  return out;
}

bool DefinitionReader::CheckQueryLanguage(const json::Object& obj, const std::string& location) {
  std::optional<std::string> lang = String(obj, "QueryLanguage", location);
  const bool top_level = location.empty();
  if (!lang) return top_level ? false : default_jsonata_;
  if (*lang == "JSONata") {
    if (top_level) default_jsonata_ = true;
    return true;
  }
  if (*lang == "JSONPath") {
    if (!top_level && default_jsonata_) {
      Schema(PointerAppend(location, "QueryLanguage"),
             "A state cannot set 'QueryLanguage' to 'JSONPath' when the state machine's "
             "QueryLanguage is 'JSONata'; set the top-level QueryLanguage to 'JSONPath' (then "
             "single states may use 'JSONata') or convert this state to JSONata");
    }
    return false;
  }
  Schema(PointerAppend(location, "QueryLanguage"),
         "The value for the field 'QueryLanguage' must be 'JSONPath' or 'JSONata', not '" + *lang +
             "'");
  return top_level ? false : default_jsonata_;
}

}  // namespace autoretrain::asl
