#include "autoretrain/json/jsonpath.h"

#include "json/jsonpath_impl.h"

namespace autoretrain::json {
namespace {

// Why `step` may not appear in a reference path, or empty when it may.
std::string_view ReferenceViolation(const Step& s) {
  if (s.deep) return "deep scan '..'";
  switch (s.kind) {
    case StepKind::kField:
      return {};
    case StepKind::kIndex:
      return s.index < 0 ? "a negative index" : std::string_view();
    case StepKind::kFields:
      return "a union of names";
    case StepKind::kIndices:
      return "a union of indexes";
    case StepKind::kSlice:
      return "a slice";
    case StepKind::kWildcard:
      return "a wildcard";
    case StepKind::kFilter:
      return "a filter";
  }
  return "an unsupported operator";
}

bool EndsWithMerge(const StepList& path) {
  return !path.steps.empty() && path.steps.back().kind == StepKind::kFields;
}

Error AssignFailure(const Path::Impl& impl, const Step& step, std::string_view expected,
                    const Value& found) {
  return Error{"States.ResultPathMatchFailure",
               "Unable to apply ResultPath '" + impl.text + "': the step at position " +
                   std::to_string(step.position) + " needs " + std::string(expected) +
                   " but found " + std::string(TypeName(found))};
}

}  // namespace

Result<Path> Path::Compile(std::string_view text) {
  auto impl = CompilePath(text);
  if (!impl.ok()) return impl.take_error();
  return Path(std::move(impl).value());
}

Result<Path> Path::CompileReference(std::string_view text) {
  auto impl = CompilePath(text);
  if (!impl.ok()) return impl.take_error();
  for (const Step& s : (*impl)->path.steps) {
    std::string_view why = ReferenceViolation(s);
    if (!why.empty()) {
      return Error{"InvalidReferencePath",
                   "The path '" + std::string(text) + "' is not a valid reference path: " +
                       std::string(why) + " at position " + std::to_string(s.position) +
                       " is not allowed (only .name, ['name'] and [index] are)"};
    }
  }
  return Path(std::move(impl).value());
}

const std::string& Path::text() const { return impl_->text; }
bool Path::is_context() const { return impl_->context; }
bool Path::is_variable() const { return !impl_->variable.empty(); }
const std::string& Path::variable() const { return impl_->variable; }

const Value* PathRoots::For(const Path& path) const {
  if (path.is_context()) return &context;
  if (!path.is_variable()) return &input;
  return variables != nullptr ? variables->FindVariable(path.variable()) : nullptr;
}
bool Path::is_definite() const { return impl_->path.definite; }
bool Path::is_root() const { return impl_->path.steps.empty() && impl_->variable.empty(); }

std::optional<Value> Path::Select(const Value& root) const {
  const StepList& path = impl_->path;
  if (path.definite && !EndsWithMerge(path)) {
    const Value* node = FindDefinite(path.steps, path.steps.size(), root);
    if (node == nullptr) return std::nullopt;
    return *node;
  }
  Array matches;
  EvaluateSteps(path.steps, 0, root, root, matches);
  if (!path.definite) return Value(std::move(matches));
  // A definite path ending in ['a','b']: one merged object, or nothing when the node holding
  // the fields is missing or not an object.
  if (matches.empty()) return std::nullopt;
  return std::move(matches[0]);
}

const Value* Path::Find(const Value& root) const {
  const StepList& path = impl_->path;
  if (!path.definite || EndsWithMerge(path)) return nullptr;
  return FindDefinite(path.steps, path.steps.size(), root);
}

Status Path::Assign(Value& root, Value value) const {
  const std::vector<Step>& steps = impl_->path.steps;
  // First check every step, so that a failure leaves `root` untouched.
  const Value* node = &root;
  for (size_t i = 0; i < steps.size() && node != nullptr; ++i) {
    const Step& s = steps[i];
    if (s.deep) {
      return Error{"States.ResultPathMatchFailure",
                   "Unable to apply ResultPath '" + impl_->text + "': not a reference path"};
    }
    if (s.kind == StepKind::kField) {
      if (!node->is_object()) return AssignFailure(*impl_, s, "an object", *node);
      node = node->get_object().if_contains(s.name);
      if (node != nullptr) continue;
      // The rest is created, which only field steps can do.
      for (size_t j = i + 1; j < steps.size(); ++j) {
        if (steps[j].kind != StepKind::kField) {
          return AssignFailure(*impl_, steps[j], "an array", Value(Object()));
        }
      }
    } else if (s.kind == StepKind::kIndex) {
      if (!node->is_array()) return AssignFailure(*impl_, s, "an array", *node);
      size_t size = node->get_array().size();
      if (s.index < 0 || static_cast<size_t>(s.index) >= size) {
        return Error{"States.ResultPathMatchFailure",
                     "Unable to apply ResultPath '" + impl_->text + "': index " +
                         std::to_string(s.index) + " at position " + std::to_string(s.position) +
                         " is out of range for an array of " + std::to_string(size)};
      }
      node = &node->get_array()[static_cast<size_t>(s.index)];
    } else {
      return Error{"States.ResultPathMatchFailure",
                   "Unable to apply ResultPath '" + impl_->text + "': not a reference path"};
    }
  }
  Value* cur = &root;
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    if (s.kind == StepKind::kField) {
      Object& obj = cur->get_object();
      auto it = obj.find(s.name);
      if (it == obj.end() && i + 1 == steps.size()) {
        // A new last field is created holding the value, not as an empty object replaced.
        obj.emplace(s.name, std::move(value));
        return OkStatus();
      }
      cur = it != obj.end() ? &it->value() : &obj.emplace(s.name, Object()).first->value();
    } else {
      cur = &cur->get_array()[static_cast<size_t>(s.index)];
    }
  }
  // A swap rather than a move assignment (which swaps too, with an extra temporary); the old
  // node leaves with `value`.
  cur->swap(value);
  return OkStatus();
}

Path::Path(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Path::Path(const Path& other)
    : impl_(other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr) {}
Path& Path::operator=(const Path& other) {
  if (this != &other) impl_ = other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr;
  return *this;
}
Path::Path(Path&&) noexcept = default;
Path& Path::operator=(Path&&) noexcept = default;
Path::~Path() = default;

}  // namespace autoretrain::json
