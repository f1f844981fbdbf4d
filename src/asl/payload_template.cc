#include "autoretrain/asl/payload_template.h"

#include <memory>
#include <utility>

#include "definition_reader.h"
#include "intrinsic_functions.h"
#include "intrinsic_parser.h"

namespace autoretrain::asl {

Error UnassignedVariableError(const json::Path& path, const std::string& where) {
  return Error{"States.Runtime",
               "The variable '" + path.variable() + "' referenced by the JSONPath '" + path.text() +
                   "' in " + where + " is not assigned: no state before this one assigned it"};
}

// A compiled template node. Subtrees without any ".$" key are folded into one literal, so
// evaluating them is a single copy.
struct PayloadTemplate::Node {
  enum class Kind { kLiteral, kPath, kIntrinsic, kObject, kArray };
  Kind kind = Kind::kLiteral;
  json::Value literal;                         // kLiteral
  std::optional<json::Path> path;              // kPath
  std::shared_ptr<const Intrinsic> intrinsic;  // kIntrinsic: the parsed call (immutable)
  std::string key;  // kPath, kIntrinsic: the field as written ("decision.$"), for messages
  std::vector<std::string> keys;  // kObject: output keys (".$" removed), parallel to children
  std::vector<Node> children;     // kObject, kArray
};

namespace {

using Node = PayloadTemplate::Node;

constexpr std::string_view kPathSuffix = ".$";

Node Literal(const json::Value& v) {
  Node n;
  n.literal = v;
  return n;
}

bool IsLiteral(const Node& n) { return n.kind == Node::Kind::kLiteral; }

// Compiles the value of a ".$" field (`key` as written): an intrinsic function call or a path.
std::optional<Node> CompileDynamic(const std::string& text, std::string_view key,
                                   const std::string& location, DefinitionReader* reader) {
  Node p;
  p.key = std::string(key);
  if (IsIntrinsicCall(text)) {
    Result<Intrinsic> call = ParseIntrinsic(text);
    if (!call.ok()) {
      reader->Schema(location, "The value for the field '" + std::string(key) +
                                   "' must be a valid JSONPath or a valid intrinsic function "
                                   "call: " +
                                   call.error().cause);
      return std::nullopt;
    }
    p.kind = Node::Kind::kIntrinsic;
    p.intrinsic = std::make_shared<const Intrinsic>(std::move(call).value());
    return p;
  }
  p.path = reader->CompilePath(text, key, location, PathKind::kFull);
  if (!p.path) return std::nullopt;
  p.kind = Node::Kind::kPath;
  return p;
}

// Compiles `v` (at JSON pointer `location`, `depth` levels down). Returns nullopt after
// reporting when something below is invalid.
std::optional<Node> CompileNode(const json::Value& v, const std::string& location, int depth,
                                DefinitionReader* reader) {
  if (depth > json::kMaxDepth) {
    reader->Add(kTooDeeplyNested, location, "The payload template is nested too deeply");
    return std::nullopt;
  }
  if (v.is_object()) {
    Node n;
    n.kind = Node::Kind::kObject;
    bool ok = true;
    bool all_literal = true;
    for (const auto& [key, child] : v.get_object()) {
      std::string_view k = key;
      std::string child_location = PointerAppend(location, k);
      if (!k.ends_with(kPathSuffix)) {
        std::optional<Node> c = CompileNode(child, child_location, depth + 1, reader);
        if (!c) {
          ok = false;
          continue;
        }
        all_literal = all_literal && IsLiteral(*c);
        n.keys.emplace_back(k);
        n.children.push_back(std::move(*c));
        continue;
      }
      all_literal = false;
      if (!child.is_string()) {
        reader->Schema(child_location, "The value for the field '" + std::string(k) +
                                           "' must be a STRING that contains a JSONPath, not " +
                                           DescribeType(child));
        ok = false;
        continue;
      }
      std::string text(child.get_string());
      std::optional<Node> p = CompileDynamic(text, k, child_location, reader);
      if (!p) {
        ok = false;
        continue;
      }
      n.keys.emplace_back(k.substr(0, k.size() - kPathSuffix.size()));
      n.children.push_back(std::move(*p));
    }
    if (!ok) return std::nullopt;
    if (all_literal) return Literal(v);
    return n;
  }
  if (v.is_array()) {
    Node n;
    n.kind = Node::Kind::kArray;
    bool ok = true;
    bool all_literal = true;
    const json::Array& items = v.get_array();
    for (size_t i = 0; i < items.size(); ++i) {
      std::optional<Node> c = CompileNode(items[i], PointerAppend(location, i), depth + 1, reader);
      if (!c) {
        ok = false;
        continue;
      }
      all_literal = all_literal && IsLiteral(*c);
      n.children.push_back(std::move(*c));
    }
    if (!ok) return std::nullopt;
    if (all_literal) return Literal(v);
    return n;
  }
  return Literal(v);
}

// `movable_input`: the input (roots.input) when the one path that reads it may move the value it
// finds out of it; null otherwise.
Result<json::Value> EvaluateNode(const Node& n, const json::PathRoots& roots,
                                 json::Value* movable_input) {
  switch (n.kind) {
    case Node::Kind::kLiteral:
      return n.literal;
    case Node::Kind::kPath: {
      const json::Value* root = roots.For(*n.path);
      if (root == nullptr) return UnassignedVariableError(*n.path, "the field '" + n.key + "'");
      if (root == movable_input && !n.path->is_context()) {
        // Find gives the node itself (nullptr when it is not one node): the input is ours.
        if (const json::Value* found = n.path->Find(*root)) {
          return std::move(*const_cast<json::Value*>(found));
        }
      }
      std::optional<json::Value> selected = n.path->Select(*root);
      if (!selected) {
        // The wording of AWS's Step Functions Local 2.0 for this failure.
        return Error{"States.Runtime", "The JSONPath '" + n.path->text() +
                                           "' specified for the field '" + n.key +
                                           "' could not be found in the input '" +
                                           json::Serialize(roots.input) + "'"};
      }
      return std::move(*selected);
    }
    case Node::Kind::kIntrinsic:
      return EvaluateIntrinsic(*n.intrinsic, roots);
    case Node::Kind::kObject: {
      json::Object out;
      out.reserve(n.children.size());
      for (size_t i = 0; i < n.children.size(); ++i) {
        Result<json::Value> child = EvaluateNode(n.children[i], roots, movable_input);
        if (!child.ok()) return child.take_error();
        // insert_or_assign: when "a" and "a.$" both appear, the later one wins.
        out.insert_or_assign(n.keys[i], std::move(child).value());
      }
      return json::Value(std::move(out));
    }
    case Node::Kind::kArray: {
      json::Array out;
      out.reserve(n.children.size());
      for (const Node& c : n.children) {
        Result<json::Value> child = EvaluateNode(c, roots, movable_input);
        if (!child.ok()) return child.take_error();
        out.push_back(std::move(child).value());
      }
      return json::Value(std::move(out));
    }
  }
  return Error{"States.Runtime", "Corrupt payload template"};
}

// How many places of `n` read the input: each path on it, and each intrinsic call (counted as
// two: its arguments may read the input more than once).
int InputReaders(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kLiteral:
      return 0;
    case Node::Kind::kPath:
      return n.path->is_context() || n.path->is_variable() ? 0 : 1;
    case Node::Kind::kIntrinsic:
      return 2;
    case Node::Kind::kObject:
    case Node::Kind::kArray:
      break;
  }
  int readers = 0;
  for (const Node& c : n.children) readers += InputReaders(c);
  return readers;
}

bool NodeReadsContext(const Node& n) {
  if (n.kind == Node::Kind::kPath) return n.path->is_context();
  if (n.kind == Node::Kind::kIntrinsic) return IntrinsicReadsContext(*n.intrinsic);
  for (const Node& c : n.children) {
    if (NodeReadsContext(c)) return true;
  }
  return false;
}

}  // namespace

std::optional<PayloadTemplate> PayloadTemplate::Compile(const json::Value& tmpl,
                                                        const std::string& location,
                                                        std::vector<Diagnostic>* problems) {
  DefinitionReader reader;
  std::optional<Node> root = CompileNode(tmpl, location, 0, &reader);
  if (!root) {
    for (Diagnostic& d : reader.TakeDiagnostics()) problems->push_back(std::move(d));
    return std::nullopt;
  }
  return PayloadTemplate(std::make_unique<Node>(std::move(*root)));
}

std::optional<PayloadTemplate> PayloadTemplate::CompileIntrinsic(
    const std::string& text, std::string_view field, const std::string& location,
    std::vector<Diagnostic>* problems) {
  DefinitionReader reader;
  std::optional<Node> root;
  if (IsIntrinsicCall(text)) {
    root = CompileDynamic(text, field, location, &reader);
  } else {
    reader.Schema(location, "The value for the field '" + std::string(field) +
                                "' is not an intrinsic function call: '" + text + "'");
  }
  if (!root) {
    for (Diagnostic& d : reader.TakeDiagnostics()) problems->push_back(std::move(d));
    return std::nullopt;
  }
  return PayloadTemplate(std::make_unique<Node>(std::move(*root)));
}

std::optional<PayloadTemplate> PayloadTemplate::Compile(const json::Value& tmpl,
                                                        const std::string& location,
                                                        std::vector<std::string>* problems) {
  std::vector<Diagnostic> diagnostics;
  std::optional<PayloadTemplate> out = Compile(tmpl, location, &diagnostics);
  for (const Diagnostic& d : diagnostics) problems->push_back(d.location + ": " + d.message);
  return out;
}

Result<json::Value> PayloadTemplate::Evaluate(const json::Value& input, const json::Value& context,
                                              const json::VariableSource* variables) const {
  return EvaluateNode(*root_, json::PathRoots{input, context, variables}, nullptr);
}

Result<json::Value> PayloadTemplate::EvaluateConsuming(
    json::Value& input, const json::Value& context, const json::VariableSource* variables) const {
  return EvaluateNode(*root_, json::PathRoots{input, context, variables},
                      input_read_once_ ? &input : nullptr);
}

bool PayloadTemplate::reads_context() const { return root_ && NodeReadsContext(*root_); }

const json::Value* PayloadTemplate::literal() const {
  return root_ && IsLiteral(*root_) ? &root_->literal : nullptr;
}

PayloadTemplate::PayloadTemplate(std::unique_ptr<Node> root)
    : root_(std::move(root)), input_read_once_(InputReaders(*root_) == 1) {}
// A moved-from template has no root; copying one copies that emptiness.
PayloadTemplate::PayloadTemplate(const PayloadTemplate& other)
    : root_(other.root_ ? std::make_unique<Node>(*other.root_) : nullptr),
      input_read_once_(other.input_read_once_) {}
PayloadTemplate& PayloadTemplate::operator=(const PayloadTemplate& other) {
  if (this != &other) {
    root_ = other.root_ ? std::make_unique<Node>(*other.root_) : nullptr;
    input_read_once_ = other.input_read_once_;
  }
  return *this;
}
PayloadTemplate::PayloadTemplate(PayloadTemplate&&) noexcept = default;
PayloadTemplate& PayloadTemplate::operator=(PayloadTemplate&&) noexcept = default;
PayloadTemplate::~PayloadTemplate() = default;

}  // namespace autoretrain::asl
