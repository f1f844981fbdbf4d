#include "autoretrain/asl/jsonata_template.h"

#include <utility>

#include "definition_reader.h"

namespace autoretrain::asl {

struct JsonataTemplate::Node {
  enum class Kind { kLiteral, kExpression, kObject, kArray };
  Kind kind = Kind::kLiteral;
  json::Value literal;             // kLiteral
  std::string text;                // kExpression: the expression as written inside {% %}
  std::string field;               // kExpression: the field as AWS names it ("Output/a[0]")
  jsonata::Expression expression;  // kExpression
  std::vector<std::pair<std::string, Node>> members;  // kObject, in definition order
  std::vector<Node> items;                            // kArray
  bool literal_only = true;                           // no expression below

  // Defined below, where Node is complete: clang with libstdc++ rejects the implicit one, which
  // it instantiates while `members` still holds an incomplete pair.
  Node();
};

JsonataTemplate::Node::Node() = default;

namespace {

using Node = JsonataTemplate::Node;

std::string Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

bool CompileNode(const json::Value& value, const std::string& field, const std::string& location,
                 std::vector<Diagnostic>* problems, Node* out) {
  if (value.is_string()) {
    std::optional<std::string_view> text = JsonataExpressionText(value.get_string());
    if (text) {
      out->kind = Node::Kind::kExpression;
      out->text = Trim(*text);
      out->field = field;
      out->literal_only = false;
      jsonata::ErrorDetails details;
      Result<jsonata::Expression> compiled = jsonata::Compile(out->text, &details);
      if (!compiled.ok()) {
        problems->push_back(Diagnostic{kSchemaValidationFailed, location,
                                       "The JSONata expression '" + out->text + "' of the field '" +
                                           field + "' is not valid: " + compiled.error().error +
                                           ": " + compiled.error().cause +
                                           "; fix the expression between '{%' and '%}'"});
        return false;
      }
      out->expression = std::move(compiled).value();
      return true;
    }
  }
  if (value.is_object()) {
    out->kind = Node::Kind::kObject;
    bool ok = true;
    for (const auto& [key, member] : value.get_object()) {
      Node child;
      ok &= CompileNode(member, field + "/" + std::string(key),
                        PointerAppend(location, std::string_view(key)), problems, &child);
      out->literal_only &= child.literal_only;
      out->members.emplace_back(std::string(key), std::move(child));
    }
    return ok;
  }
  if (value.is_array()) {
    out->kind = Node::Kind::kArray;
    bool ok = true;
    const json::Array& array = value.get_array();
    for (size_t i = 0; i < array.size(); ++i) {
      Node child;
      ok &= CompileNode(array[i], field + "[" + std::to_string(i) + "]", PointerAppend(location, i),
                        problems, &child);
      out->literal_only &= child.literal_only;
      out->items.push_back(std::move(child));
    }
    return ok;
  }
  out->kind = Node::Kind::kLiteral;
  out->literal = value;
  return true;
}

Result<json::Value> EvaluateNode(const Node& node, const jsonata::Bindings& bindings,
                                 const jsonata::EvaluateOptions& options) {
  switch (node.kind) {
    case Node::Kind::kLiteral:
      return node.literal;
    case Node::Kind::kExpression: {
      const std::string what =
          "The JSONata expression '" + node.text + "' specified for the field '" + node.field + "'";
      // $states.input and friends are bindings; the expression's own input (`$`) is undefined.
      Result<std::optional<json::Value>> result =
          node.expression.Evaluate(nullptr, bindings, options);
      if (!result.ok()) {
        return Error{kQueryEvaluationError, what + " threw an error during evaluation. " +
                                                result.error().error + ": " + result.error().cause};
      }
      if (!result->has_value()) {
        return Error{kQueryEvaluationError, what + " returned nothing (undefined)."};
      }
      return std::move(**result);
    }
    case Node::Kind::kObject: {
      json::Object obj;
      obj.reserve(node.members.size());
      for (const auto& [key, child] : node.members) {
        Result<json::Value> v = EvaluateNode(child, bindings, options);
        if (!v.ok()) return v.take_error();
        obj.emplace(key, std::move(v).value());
      }
      return json::Value(std::move(obj));
    }
    case Node::Kind::kArray: {
      json::Array array;
      array.reserve(node.items.size());
      for (const Node& child : node.items) {
        Result<json::Value> v = EvaluateNode(child, bindings, options);
        if (!v.ok()) return v.take_error();
        array.push_back(std::move(v).value());
      }
      return json::Value(std::move(array));
    }
  }
  return json::Value();
}

}  // namespace

std::optional<std::string_view> JsonataExpressionText(std::string_view text) {
  if (text.size() < 4 || !text.starts_with("{%") || !text.ends_with("%}")) return std::nullopt;
  return text.substr(2, text.size() - 4);
}

std::optional<JsonataTemplate> JsonataTemplate::Compile(const json::Value& value,
                                                        const std::string& field,
                                                        const std::string& location,
                                                        std::vector<Diagnostic>* problems) {
  auto root = std::make_shared<Node>();
  if (!CompileNode(value, field, location, problems, root.get())) return std::nullopt;
  return JsonataTemplate(std::move(root));
}

Result<json::Value> JsonataTemplate::Evaluate(const jsonata::Bindings& bindings,
                                              const jsonata::EvaluateOptions& options) const {
  return EvaluateNode(*root_, bindings, options);
}

bool JsonataTemplate::is_literal() const { return root_->literal_only; }

}  // namespace autoretrain::asl
