// The expression parser: a tokenizer and a recursive-descent parser per expression kind.
// Syntax errors stop at once (with the offending token and the text around it, as DynamoDB
// reports them); the other problems are collected and the first of the most important kind
// is reported, in DynamoDB's order: redundant parentheses, unknown functions, misused
// functions, reserved words, then undefined placeholders, operand counts, identical operands
// and operand types.
#include "integrations/dynamodb_expression.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "integrations/dynamodb_value.h"

namespace autoretrain::integrations::dynamo {
namespace {

enum class Tok { kName, kNameRef, kValueRef, kNumber, kSymbol, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  size_t begin = 0;
  size_t end = 0;
};

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Splits `text` into tokens; an unknown character becomes a one-character symbol the parser
// rejects with a syntax error.
std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      t.kind = Tok::kName;
      while (i < text.size() && IsNameChar(text[i])) ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      t.kind = Tok::kNumber;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    } else if ((c == '#' || c == ':') && i + 1 < text.size() && IsNameChar(text[i + 1])) {
      t.kind = c == '#' ? Tok::kNameRef : Tok::kValueRef;
      ++i;
      while (i < text.size() && IsNameChar(text[i])) ++i;
    } else if ((c == '<' || c == '>') && i + 1 < text.size() &&
               (text[i + 1] == '=' || (c == '<' && text[i + 1] == '>'))) {
      t.kind = Tok::kSymbol;
      i += 2;
    } else {
      t.kind = Tok::kSymbol;
      ++i;
    }
    t.end = i;
    t.text = std::string(text.substr(t.begin, t.end - t.begin));
    tokens.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::kEnd;
  end.text = "<EOF>";
  end.begin = end.end = text.size();
  tokens.push_back(end);
  return tokens;
}

bool IsKeyword(const Token& t, std::string_view word) {
  if (t.kind != Tok::kName || t.text.size() != word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  }
  return true;
}

bool IsComparator(const Token& t) {
  return t.kind == Tok::kSymbol && (t.text == "=" || t.text == "<>" || t.text == "<" ||
                                    t.text == "<=" || t.text == ">" || t.text == ">=");
}

Error Invalid(std::string_view field, std::string_view message) {
  return Error{"ValidationException",
               "Invalid " + std::string(field) + ": " + std::string(message)};
}

// Categories of non-syntax problems, most important first.
enum Problem {
  kParens,
  kUnknownFunction,
  kMisusedFunction,
  kReserved,
  kPlaceholder,
  kOperand,
  kDistinct,
  kFunction,
  kProblemCount
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view field, ExpressionContext& ctx)
      : text_(text), field_(field), ctx_(ctx), tokens_(Tokenize(text)) {}

  // ---- conditions ----

  Result<Node> Condition() {
    if (text_.empty()) return Invalid(field_, "The expression can not be empty;");
    Result<Node> node = Or();
    if (!node.ok()) return node;
    if (Peek().kind != Tok::kEnd) return SyntaxError();
    if (auto problem = FirstProblem()) return Invalid(field_, *problem);
    return node;
  }

  // ---- update expressions ----

  Result<std::vector<UpdateAction>> Update() {
    if (text_.empty()) return Invalid(field_, "The expression can not be empty;");
    std::vector<UpdateAction> actions;
    bool seen[4] = {false, false, false, false};
    static constexpr std::string_view kSections[] = {"SET", "REMOVE", "ADD", "DELETE"};
    do {
      int section = -1;
      for (int k = 0; k < 4; ++k) {
        if (IsKeyword(Peek(), kSections[k])) section = k;
      }
      if (section < 0) return SyntaxError();
      if (seen[section]) {
        return Invalid(field_, "The \"" + std::string(kSections[section]) +
                                   "\" section can only be used once in an update expression;");
      }
      seen[section] = true;
      Next();
      do {
        UpdateAction action;
        action.kind = static_cast<UpdateAction::Kind>(section);
        Result<Path> path = ParsePath();
        if (!path.ok()) return path.take_error();
        action.path = std::move(*path);
        if (action.kind == UpdateAction::Kind::kSet) {
          if (!Accept("=")) return SyntaxError();
          Result<Node> value = SetValue();
          if (!value.ok()) return value.take_error();
          action.value = std::move(*value);
        } else if (action.kind != UpdateAction::Kind::kRemove) {
          Result<Node> value = Operand(/*in_update=*/true);
          if (!value.ok()) return value.take_error();
          CheckAddDeleteOperand(action.kind, *value);
          action.value = std::move(*value);
        }
        actions.push_back(std::move(action));
      } while (Accept(","));
    } while (Peek().kind != Tok::kEnd);
    if (auto problem = FirstProblem()) return Invalid(field_, *problem);
    std::vector<Path> paths;
    for (const UpdateAction& a : actions) paths.push_back(a.path);
    if (auto overlap = Overlap(paths)) return Invalid(field_, *overlap);
    return actions;
  }

  // ---- projection expressions ----

  Result<std::vector<Path>> Projection() {
    if (text_.empty()) return Invalid(field_, "The expression can not be empty;");
    std::vector<Path> paths;
    do {
      Result<Path> path = ParsePath();
      if (!path.ok()) return path.take_error();
      paths.push_back(std::move(*path));
    } while (Accept(","));
    if (Peek().kind != Tok::kEnd) return SyntaxError();
    if (auto problem = FirstProblem()) return Invalid(field_, *problem);
    if (auto overlap = Overlap(paths)) return Invalid(field_, *overlap);
    return paths;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Next() {
    const Token& t = Peek();
    if (pos_ < tokens_.size() - 1) ++pos_;
    return t;
  }
  bool Accept(std::string_view symbol) {
    if (Peek().kind == Tok::kSymbol && Peek().text == symbol) {
      Next();
      return true;
    }
    return false;
  }

  // DynamoDB's syntax error: the token where parsing stopped and the text from the token
  // before it to the token after it.
  Error SyntaxError() const {
    const Token& t = Peek();
    size_t from = pos_ > 0 ? tokens_[pos_ - 1].begin : t.begin;
    size_t to = pos_ + 1 < tokens_.size() ? tokens_[pos_ + 1].end : t.end;
    if (t.kind == Tok::kEnd) to = text_.size();
    std::string near(text_.substr(from, to - from));
    return Invalid(field_, "Syntax error; token: \"" + t.text + "\", near: \"" + near + "\"");
  }

  void Note(Problem kind, std::string message) {
    if (problems_[kind].empty()) problems_[kind] = std::move(message);
  }
  std::optional<std::string> FirstProblem() const {
    for (const std::string& p : problems_) {
      if (!p.empty()) return p;
    }
    return std::nullopt;
  }

  // path := (name | #ref) ( '.' (name | #ref) | '[' number ']' )*
  Result<Path> ParsePath() {
    Path path;
    Result<PathElement> first = PathName();
    if (!first.ok()) return first.take_error();
    path.push_back(std::move(*first));
    while (true) {
      if (Peek().kind == Tok::kSymbol && Peek().text == ".") {
        Next();
        Result<PathElement> name = PathName();
        if (!name.ok()) return name.take_error();
        path.push_back(std::move(*name));
      } else if (Peek().kind == Tok::kSymbol && Peek().text == "[") {
        Next();
        if (Peek().kind != Tok::kNumber) return SyntaxError();
        const Token& n = Next();
        PathElement e;
        e.index = n.text.size() > 9 ? 999999999 : std::stoll(n.text);
        path.push_back(std::move(e));
        if (!Accept("]")) return SyntaxError();
      } else {
        return path;
      }
    }
  }

  Result<PathElement> PathName() {
    const Token& t = Peek();
    PathElement e;
    if (t.kind == Tok::kName) {
      if (IsReservedWord(t.text)) {
        Note(kReserved, "Attribute name is a reserved keyword; reserved keyword: " + t.text);
      }
      e.name = t.text;
    } else if (t.kind == Tok::kNameRef) {
      const json::Value* name = ctx_.names ? ctx_.names->if_contains(t.text) : nullptr;
      if (name == nullptr || !name->is_string()) {
        Note(kPlaceholder,
             "An expression attribute name used in the document path is not defined; attribute "
             "name: " +
                 t.text);
      } else {
        ctx_.used_names.insert(t.text);
        e.name = std::string(name->get_string());
      }
    } else {
      return SyntaxError();
    }
    Next();
    return e;
  }

  // An operand: a path, a :value, or a function call (size in conditions; if_not_exists and
  // list_append in updates).
  Result<Node> Operand(bool in_update) {
    const Token& t = Peek();
    if (t.kind == Tok::kValueRef) {
      Next();
      Node node;
      node.kind = NodeKind::kValue;
      const json::Value* value = ctx_.values ? ctx_.values->if_contains(t.text) : nullptr;
      if (value == nullptr) {
        Note(kPlaceholder,
             "An expression attribute value used in expression is not defined; attribute value: " +
                 t.text);
        node.value = json::Object{{"NULL", true}};
      } else {
        ctx_.used_values.insert(t.text);
        node.value = *value;
      }
      return node;
    }
    if (t.kind == Tok::kName && Peek(1).kind == Tok::kSymbol && Peek(1).text == "(") {
      return Function(in_update);
    }
    Result<Path> path = ParsePath();
    if (!path.ok()) return path.take_error();
    Node node;
    node.kind = NodeKind::kPath;
    node.path = std::move(*path);
    return node;
  }

  Result<Node> Function(bool in_update) {
    Node node;
    node.kind = NodeKind::kFunction;
    node.op = Next().text;
    Next();  // '('
    if (!(Peek().kind == Tok::kSymbol && Peek().text == ")")) {
      do {
        Result<Node> arg = in_update ? SetValue() : Operand(false);
        if (!arg.ok()) return arg;
        node.args.push_back(std::move(*arg));
      } while (Accept(","));
    }
    if (!Accept(")")) return SyntaxError();
    CheckFunction(node, in_update);
    return node;
  }

  static std::optional<std::string_view> ImmediateType(const Node& n) {
    if (n.kind != NodeKind::kValue) return std::nullopt;
    return TypeOf(n.value);
  }

  void CheckFunction(const Node& node, bool in_update) {
    static const std::pair<std::string_view, size_t> kConditionFunctions[] = {
        {"attribute_exists", 1}, {"attribute_not_exists", 1},
        {"attribute_type", 2},   {"begins_with", 2},
        {"contains", 2},         {"size", 1}};
    static const std::pair<std::string_view, size_t> kUpdateFunctions[] = {{"if_not_exists", 2},
                                                                           {"list_append", 2}};
    std::optional<size_t> arity;
    if (in_update) {
      for (auto [name, n] : kUpdateFunctions) {
        if (node.op == name) arity = n;
      }
    } else {
      for (auto [name, n] : kConditionFunctions) {
        if (node.op == name) arity = n;
      }
    }
    if (!arity) {
      Note(kUnknownFunction, "Invalid function name; function: " + node.op);
      return;
    }
    if (node.args.size() != *arity) {
      Note(kOperand,
           "Incorrect number of operands for operator or function; operator or "
           "function: " +
               node.op + ", number of operands: " + std::to_string(node.args.size()));
      return;
    }
    if (!in_update) {
      for (const Node& arg : node.args) {
        if (arg.kind == NodeKind::kFunction && arg.op != "size") {
          Note(kMisusedFunction,
               "The function is not allowed to be used this way in an expression; function: " +
                   arg.op);
        }
      }
    }
    if (node.args.size() == 2) CheckDistinct(node.op, node.args[0], node.args[1]);
    auto operand_type = [&](std::string_view type) {
      Note(kFunction, "Incorrect operand type for operator or function; operator or function: " +
                          node.op + ", operand type: " + std::string(type));
    };
    if (node.op == "attribute_exists" || node.op == "attribute_not_exists" ||
        node.op == "if_not_exists") {
      if (node.args[0].kind != NodeKind::kPath) {
        Note(kFunction,
             "Operator or function requires a document path; operator or function: " + node.op);
      }
    } else if (node.op == "begins_with") {
      for (const Node& arg : node.args) {
        auto type = ImmediateType(arg);
        if (type && *type != "S" && *type != "B") return operand_type(*type);
      }
    } else if (node.op == "attribute_type") {
      auto type = ImmediateType(node.args[1]);
      if (!type || *type != "S")
        return operand_type(type ? *type : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
      std::string_view name = node.args[1].value.at("S").get_string();
      static constexpr std::string_view kNames[] = {"S",    "N", "B",  "NULL", "SS",
                                                    "BOOL", "L", "BS", "NS",   "M"};
      if (std::find(std::begin(kNames), std::end(kNames), name) == std::end(kNames)) {
        Note(kFunction, "Invalid attribute type name found; type: " + std::string(name) +
                            ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
    } else if (node.op == "size") {
      auto type = ImmediateType(node.args[0]);
      if (type && (*type == "N" || *type == "BOOL" || *type == "NULL")) operand_type(*type);
    } else if (node.op == "list_append") {
      for (const Node& arg : node.args) {
        auto type = ImmediateType(arg);
        if (type && *type != "L") return operand_type(*type);
      }
    }
  }

  void CheckDistinct(const std::string& op, const Node& a, const Node& b) {
    if (a.kind == NodeKind::kPath && b.kind == NodeKind::kPath && a.path == b.path) {
      Note(kDistinct,
           "The first operand must be distinct from the remaining operands for this operator or "
           "function; operator: " +
               op + ", first operand: " + PathText(a.path));
    }
  }

  void CheckMisused(const Node& operand) {
    if (operand.kind == NodeKind::kFunction && operand.op != "size") {
      Note(kMisusedFunction,
           "The function is not allowed to be used this way in an expression; function: " +
               operand.op);
    }
  }

  Result<Node> Or() {
    Result<Node> left = And();
    if (!left.ok()) return left;
    while (IsKeyword(Peek(), "OR")) {
      Next();
      Result<Node> right = And();
      if (!right.ok()) return right;
      Node node;
      node.kind = NodeKind::kOr;
      node.args.push_back(std::move(*left));
      node.args.push_back(std::move(*right));
      left = std::move(node);
      last_parens_ = false;
    }
    return left;
  }

  Result<Node> And() {
    Result<Node> left = Not();
    if (!left.ok()) return left;
    while (IsKeyword(Peek(), "AND")) {
      Next();
      Result<Node> right = Not();
      if (!right.ok()) return right;
      Node node;
      node.kind = NodeKind::kAnd;
      node.args.push_back(std::move(*left));
      node.args.push_back(std::move(*right));
      left = std::move(node);
      last_parens_ = false;
    }
    return left;
  }

  Result<Node> Not() {
    if (IsKeyword(Peek(), "NOT")) {
      Next();
      Result<Node> inner = Not();
      if (!inner.ok()) return inner;
      Node node;
      node.kind = NodeKind::kNot;
      node.args.push_back(std::move(*inner));
      last_parens_ = false;
      return node;
    }
    return Predicate();
  }

  Result<Node> Predicate() {
    if (Accept("(")) {
      Result<Node> inner = Or();
      if (!inner.ok()) return inner;
      if (!Accept(")")) return SyntaxError();
      if (last_parens_) Note(kParens, "The expression has redundant parentheses;");
      last_parens_ = true;
      return inner;
    }
    last_parens_ = false;
    Result<Node> left = Operand(false);
    if (!left.ok()) return left;
    const Token& t = Peek();
    if (IsComparator(t)) {
      Next();
      Result<Node> right = Operand(false);
      if (!right.ok()) return right;
      CheckMisused(*left);
      CheckMisused(*right);
      Node node;
      node.kind = NodeKind::kCompare;
      node.op = t.text;
      CheckDistinct(node.op, *left, *right);
      node.args.push_back(std::move(*left));
      node.args.push_back(std::move(*right));
      return node;
    }
    if (IsKeyword(t, "BETWEEN")) {
      Next();
      Result<Node> low = Operand(false);
      if (!low.ok()) return low;
      if (!IsKeyword(Peek(), "AND")) return SyntaxError();
      Next();
      Result<Node> high = Operand(false);
      if (!high.ok()) return high;
      for (const Node* n : {&*left, &*low, &*high}) CheckMisused(*n);
      CheckBetween(*low, *high);
      Node node;
      node.kind = NodeKind::kBetween;
      node.args.push_back(std::move(*left));
      node.args.push_back(std::move(*low));
      node.args.push_back(std::move(*high));
      return node;
    }
    if (IsKeyword(t, "IN")) {
      Next();
      if (!Accept("(")) return SyntaxError();
      Node node;
      node.kind = NodeKind::kIn;
      CheckMisused(*left);
      node.args.push_back(std::move(*left));
      do {
        Result<Node> candidate = Operand(false);
        if (!candidate.ok()) return candidate;
        CheckMisused(*candidate);
        node.args.push_back(std::move(*candidate));
      } while (Accept(","));
      if (!Accept(")")) return SyntaxError();
      return node;
    }
    if (left->kind == NodeKind::kFunction) {
      if (left->op == "size") {
        Note(kMisusedFunction,
             "The function is not allowed to be used this way in an expression; function: size");
      }
      return left;
    }
    return SyntaxError();
  }

  void CheckBetween(const Node& low, const Node& high) {
    auto tl = ImmediateType(low), th = ImmediateType(high);
    if (!tl || !th) return;
    auto text = [](const Node& n, std::string_view type) {
      const json::Value& v = n.value.at(type);
      return "AttributeValue: {" + std::string(type) + ":" +
             (v.is_string() ? std::string(v.get_string()) : json::Serialize(v)) + "}";
    };
    if (*tl != *th) {
      Note(kFunction,
           "The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
           "operand: " +
               text(low, *tl) + ", upper bound operand: " + text(high, *th));
    } else if (auto c = CompareValues(low.value, high.value); c && *c > 0) {
      Note(kFunction,
           "The BETWEEN operator requires upper bound to be greater than or equal to lower "
           "bound; lower bound operand: " +
               text(low, *tl) + ", upper bound operand: " + text(high, *th));
    }
  }

  // SET's value: operand [ ('+' | '-') operand ].
  Result<Node> SetValue() {
    Result<Node> left = Operand(true);
    if (!left.ok()) return left;
    if (Peek().kind == Tok::kSymbol && (Peek().text == "+" || Peek().text == "-")) {
      Node node;
      node.kind = Next().text == "+" ? NodeKind::kPlus : NodeKind::kMinus;
      Result<Node> right = Operand(true);
      if (!right.ok()) return right;
      for (const Node* n : {&*left, &*right}) {
        auto type = ImmediateType(*n);
        if (type && *type != "N") {
          Note(kFunction,
               "Incorrect operand type for operator or function; operator or "
               "function: " +
                   std::string(node.kind == NodeKind::kPlus ? "+" : "-") +
                   ", operand type: " + std::string(*type));
        }
      }
      node.args.push_back(std::move(*left));
      node.args.push_back(std::move(*right));
      return node;
    }
    return left;
  }

  void CheckAddDeleteOperand(UpdateAction::Kind kind, const Node& value) {
    const std::string op = kind == UpdateAction::Kind::kAdd ? "ADD" : "DELETE";
    if (value.kind != NodeKind::kValue) {
      Note(kFunction, "Incorrect operand type for operator or function; operator: " + op +
                          ", operand type: path");
      return;
    }
    std::string_view type = TypeOf(value.value);
    bool ok = type == "SS" || type == "NS" || type == "BS" ||
              (kind == UpdateAction::Kind::kAdd && type == "N");
    if (!ok && !problems_[kPlaceholder].empty()) return;  // an undefined value, reported above
    if (!ok) {
      Note(kFunction, "Incorrect operand type for operator or function; operator: " + op +
                          ", operand type: " + std::string(type));
    }
  }

  // DynamoDB refuses two paths where one contains the other (overlap) or where one indexes a
  // list and the other a map at the same place (conflict).
  static std::optional<std::string> Overlap(const std::vector<Path>& paths) {
    for (size_t i = 0; i < paths.size(); ++i) {
      for (size_t j = i + 1; j < paths.size(); ++j) {
        const Path &a = paths[i], &b = paths[j];
        size_t n = std::min(a.size(), b.size());
        size_t k = 0;
        while (k < n && a[k] == b[k]) ++k;
        if (k == n) {
          return "Two document paths overlap with each other; must remove or rewrite one of "
                 "these paths; path one: " +
                 PathText(a) + ", path two: " + PathText(b);
        }
        if (a[k].is_index() != b[k].is_index()) {
          return "Two document paths conflict with each other; must remove or rewrite one of "
                 "these paths; path one: " +
                 PathText(a) + ", path two: " + PathText(b);
        }
      }
    }
    return std::nullopt;
  }

  std::string_view text_;
  std::string_view field_;
  ExpressionContext& ctx_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  bool last_parens_ = false;
  std::string problems_[kProblemCount];
};

}  // namespace

std::string PathText(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ", ";
    out += path[i].is_index() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

Result<Node> ParseCondition(std::string_view text, std::string_view field, ExpressionContext& ctx) {
  return Parser(text, field, ctx).Condition();
}

Result<std::vector<UpdateAction>> ParseUpdate(std::string_view text, ExpressionContext& ctx) {
  return Parser(text, "UpdateExpression", ctx).Update();
}

Result<std::vector<Path>> ParseProjection(std::string_view text, ExpressionContext& ctx) {
  return Parser(text, "ProjectionExpression", ctx).Projection();
}

Status CheckAllPlaceholdersUsed(const ExpressionContext& ctx) {
  auto unused = [](const json::Object* given, const auto& used,
                   std::string_view field) -> std::optional<Error> {
    if (given == nullptr) return std::nullopt;
    std::string keys;
    for (const auto& [key, value] : *given) {
      if (used.count(std::string_view(key))) continue;
      if (!keys.empty()) keys += ", ";
      keys += std::string(key);
    }
    if (keys.empty()) return std::nullopt;
    return Error{"ValidationException", "Value provided in " + std::string(field) +
                                            " unused in expressions: keys: {" + keys + "}"};
  };
  if (auto e = unused(ctx.names, ctx.used_names, "ExpressionAttributeNames")) return *e;
  if (auto e = unused(ctx.values, ctx.used_values, "ExpressionAttributeValues")) return *e;
  return OkStatus();
}

}  // namespace autoretrain::integrations::dynamo
