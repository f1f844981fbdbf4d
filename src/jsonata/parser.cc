#include "jsonata/parser.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "jsonata/builtins.h"
#include "jsonata/error.h"
#include "jsonata/name_path.h"
#include "jsonata/regex_match.h"
#include "jsonata/signature.h"

namespace autoretrain::jsonata {
namespace {

// Binding powers of the operators (jsonata-js's table).
int BindingPower(std::string_view op) {
  static const std::unordered_map<std::string_view, int> kPowers = {
      {".", 75},  {"[", 80},  {"]", 0},   {"{", 70},  {"}", 0},    {"(", 80},  {")", 0},
      {",", 0},   {"@", 80},  {"#", 80},  {";", 80},  {":", 80},   {"?", 20},  {"+", 50},
      {"-", 50},  {"*", 60},  {"/", 60},  {"%", 60},  {"|", 20},   {"=", 40},  {"<", 40},
      {">", 40},  {"^", 40},  {"**", 60}, {"..", 20}, {":=", 10},  {"!=", 40}, {"<=", 40},
      {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40}, {"and", 30}, {"or", 25}, {"in", 40},
      {"&", 50},  {"!", 0},   {"~", 0}};
  auto it = kPowers.find(op);
  return it == kPowers.end() ? 0 : it->second;
}

bool IsOperatorChar(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case '{':
    case '}':
    case '(':
    case ')':
    case ',':
    case '@':
    case '#':
    case ';':
    case ':':
    case '?':
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
    case '|':
    case '=':
    case '<':
    case '>':
    case '^':
    case '&':
    case '!':
    case '~':
      return true;
    default:
      return false;
  }
}

enum class TokenType { kOperator, kName, kVariable, kString, kNumber, kValue, kRegex, kEnd };

struct Token {
  TokenType type = TokenType::kEnd;
  std::string value;  // operator text, name, string contents, regex source
  std::string flags;  // regex flags
  Value literal;      // number / value
  int position = 0;   // offset just after the token
};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view text) : s_(text) {}

  Token Next(bool prefix) {
    Token t;
    // Skip whitespace and comments.
    for (;;) {
      while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
      if (pos_ + 1 < s_.size() && s_[pos_] == '/' && s_[pos_ + 1] == '*') {
        size_t end = s_.find("*/", pos_ + 2);
        if (end == std::string_view::npos) {
          pos_ = s_.size();
          Throw("S0106", Pos());
        }
        pos_ = end + 2;
        continue;
      }
      break;
    }
    if (pos_ >= s_.size()) {
      t.type = TokenType::kEnd;
      t.position = Pos();
      return t;
    }
    char c = s_[pos_];
    if (!prefix && c == '/') {
      ++pos_;
      return ScanRegex();
    }
    // Two-character operators.
    if (pos_ + 1 < s_.size()) {
      std::string_view two = s_.substr(pos_, 2);
      if (two == ".." || two == ":=" || two == "!=" || two == ">=" || two == "<=" || two == "**" ||
          two == "~>" || two == "?:" || two == "??") {
        pos_ += 2;
        return Op(std::string(two));
      }
    }
    if (c == '!' || c == '~') {
      ++pos_;
      Throw("S0204", Pos(), std::string(1, c));
    }
    if (IsOperatorChar(c)) {
      ++pos_;
      return Op(std::string(1, c));
    }
    if (c == '"' || c == '\'') return ScanString(c);
    if (c >= '0' && c <= '9') {
      size_t start = pos_;
      size_t p = pos_;
      if (s_[p] == '0') {
        ++p;
      } else {
        while (p < s_.size() && IsDigit(s_[p])) ++p;
      }
      if (p + 1 < s_.size() && s_[p] == '.' && IsDigit(s_[p + 1])) {
        ++p;
        while (p < s_.size() && IsDigit(s_[p])) ++p;
      }
      if (p < s_.size() && (s_[p] == 'e' || s_[p] == 'E')) {
        size_t q = p + 1;
        if (q < s_.size() && (s_[q] == '+' || s_[q] == '-')) ++q;
        if (q < s_.size() && IsDigit(s_[q])) {
          while (q < s_.size() && IsDigit(s_[q])) ++q;
          p = q;
        }
      }
      std::string text(s_.substr(start, p - start));
      double d = std::strtod(text.c_str(), nullptr);
      pos_ = p;
      if (!std::isfinite(d)) Throw("S0102", Pos(), text);
      t.type = TokenType::kNumber;
      t.literal = Value::Number(d);
      t.value = text;
      t.position = Pos();
      return t;
    }
    if (c == '`') {
      size_t end = s_.find('`', pos_ + 1);
      if (end == std::string_view::npos) {
        pos_ = s_.size();
        Throw("S0105", Pos());
      }
      t.type = TokenType::kName;
      t.value = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      t.position = Pos();
      return t;
    }
    // Names and variables: up to whitespace or an operator character.
    size_t i = pos_;
    while (i < s_.size() && !IsSpace(s_[i]) && !IsOperatorChar(s_[i])) ++i;
    if (s_[pos_] == '$') {
      t.type = TokenType::kVariable;
      t.value = std::string(s_.substr(pos_ + 1, i - pos_ - 1));
      pos_ = i;
      t.position = Pos();
      return t;
    }
    std::string name(s_.substr(pos_, i - pos_));
    pos_ = i;
    t.position = Pos();
    if (name == "or" || name == "in" || name == "and") {
      t.type = TokenType::kOperator;
      t.value = name;
    } else if (name == "true" || name == "false") {
      t.type = TokenType::kValue;
      t.literal = Value::Bool(name == "true");
      t.value = name;
    } else if (name == "null") {
      t.type = TokenType::kValue;
      t.literal = Value::Null();
      t.value = name;
    } else {
      t.type = TokenType::kName;
      t.value = name;
    }
    return t;
  }

 private:
  static bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  int Pos() const { return static_cast<int>(pos_); }

  Token Op(std::string op) {
    Token t;
    t.type = TokenType::kOperator;
    t.value = std::move(op);
    t.position = Pos();
    return t;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ReadHex4(size_t at, unsigned* out) {
    if (at + 4 > s_.size()) return false;
    unsigned v = 0;
    for (size_t k = 0; k < 4; ++k) {
      int h = Hex(s_[at + k]);
      if (h < 0) return false;
      v = v * 16 + static_cast<unsigned>(h);
    }
    *out = v;
    return true;
  }

  Token ScanString(char quote) {
    ++pos_;
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) break;
        char e = s_[pos_];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            unsigned cp;
            if (!ReadHex4(pos_ + 1, &cp)) {
              Throw("S0104", Pos());
            }
            pos_ += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && pos_ + 2 < s_.size() && s_[pos_ + 1] == '\\' &&
                s_[pos_ + 2] == 'u') {
              unsigned low;
              if (ReadHex4(pos_ + 3, &low) && low >= 0xdc00 && low < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                pos_ += 6;
              }
            }
            AppendUtf8(out, cp);
            break;
          }
          default:
            Throw("S0103", Pos(), std::string(1, e));
        }
        ++pos_;
      } else if (c == quote) {
        ++pos_;
        Token t;
        t.type = TokenType::kString;
        t.value = std::move(out);
        t.position = Pos();
        return t;
      } else {
        out += c;
        ++pos_;
      }
    }
    Throw("S0101", Pos());
  }

  Token ScanRegex() {
    size_t start = pos_;
    int depth = 0;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '/' && depth == 0) {
        // Count the backslashes before it: an odd number escapes it.
        size_t back = 0;
        while (pos_ - back > start && s_[pos_ - back - 1] == '\\') ++back;
        if (back % 2 == 0) {
          std::string pattern(s_.substr(start, pos_ - start));
          if (pattern.empty()) Throw("S0301", Pos());
          ++pos_;
          size_t fstart = pos_;
          while (pos_ < s_.size() && (s_[pos_] == 'i' || s_[pos_] == 'm')) ++pos_;
          Token t;
          t.type = TokenType::kRegex;
          t.value = std::move(pattern);
          t.flags = std::string(s_.substr(fstart, pos_ - fstart));
          t.position = Pos();
          return t;
        }
      }
      if ((c == '(' || c == '[' || c == '{') && (pos_ == start || s_[pos_ - 1] != '\\')) ++depth;
      if ((c == ')' || c == ']' || c == '}') && (pos_ == start || s_[pos_ - 1] != '\\')) --depth;
      ++pos_;
    }
    Throw("S0302", Pos());
  }

  std::string_view s_;
  size_t pos_ = 0;
};

NodePtr MakeNode(NodeType type, const Token& t) {
  auto n = std::make_unique<Node>();
  n->type = type;
  n->value = t.value;
  n->position = t.position;
  return n;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) {}

  NodePtr Parse() {
    Advance("", false);
    NodePtr expr = Expression(0);
    if (token_.type != TokenType::kEnd) {
      Throw("S0201", token_.position, token_.value,
            "Syntax error: unexpected '" + token_.value + "'");
    }
    return expr;
  }

 private:
  bool IsOp(std::string_view op) const {
    return token_.type == TokenType::kOperator && token_.value == op;
  }

  // Moves to the next token, first checking that the current one is `id` (when not empty).
  // `infix`: the next token follows an operand, so '/' is division, not a regex.
  void Advance(std::string_view id, bool infix) {
    if (!id.empty() && !IsOp(id)) {
      if (token_.type == TokenType::kEnd) {
        Throw("S0203", token_.position, std::string(id),
              "Expected '" + std::string(id) + "' before end of expression");
      }
      Throw("S0202", token_.position, token_.value,
            "Expected '" + std::string(id) + "', got '" + token_.value + "'");
    }
    token_ = lexer_.Next(infix);
  }

  // Left binding power of the current token: only infix operators bind to the left.
  int Lbp() const {
    if (token_.type != TokenType::kOperator) return 0;
    const std::string& v = token_.value;
    if (v == ":" || v == ";" || v == "|" || v == "!" || v == "~" || v == "**" || v == ")" ||
        v == "]" || v == "}" || v == ",") {
      return 0;
    }
    return BindingPower(v);
  }

  NodePtr Expression(int rbp) {
    // Bounds the recursion of parsing (and of the rewrite and evaluation of the tree) so a
    // hostile expression cannot exhaust the stack.
    struct DepthGuard {
      int& depth;
      explicit DepthGuard(int& d) : depth(d) { ++depth; }
      ~DepthGuard() { --depth; }
    } guard(depth_);
    if (depth_ > kMaxNesting) {
      Throw("S0201", token_.position, token_.value,
            "Syntax error: the expression is nested more than " + std::to_string(kMaxNesting) +
                " levels deep; simplify it or split it into variables");
    }
    Token t = token_;
    Advance("", true);
    NodePtr left = Nud(t);
    while (rbp < Lbp()) {
      Token op = token_;
      Advance("", false);
      left = Led(op, std::move(left));
    }
    return left;
  }

  NodePtr Nud(const Token& t) {
    switch (t.type) {
      case TokenType::kEnd:
        Throw("S0207", t.position, "(end)");
      case TokenType::kName:
        return MakeNode(NodeType::kName, t);
      case TokenType::kVariable: {
        auto n = MakeNode(NodeType::kVariable, t);
        n->builtin = FindBuiltin(n->value);
        return n;
      }
      case TokenType::kString: {
        auto n = MakeNode(NodeType::kString, t);
        n->literal = Value::String(t.value);
        return n;
      }
      case TokenType::kNumber: {
        auto n = MakeNode(NodeType::kNumber, t);
        n->literal = t.literal;
        return n;
      }
      case TokenType::kValue: {
        auto n = MakeNode(NodeType::kValue, t);
        n->literal = t.literal;
        return n;
      }
      case TokenType::kRegex: {
        auto n = MakeNode(NodeType::kRegex, t);
        n->regex = CompileRegex(t.value, t.flags, t.position);
        return n;
      }
      case TokenType::kOperator:
        break;
    }
    const std::string& op = t.value;
    if (op == "and" || op == "or" || op == "in") {
      return MakeNode(NodeType::kName, t);
    }
    if (op == "-") {
      auto n = MakeNode(NodeType::kUnary, t);
      n->expression = Expression(70);
      return n;
    }
    if (op == "*") return MakeNode(NodeType::kWildcard, t);
    if (op == "**") return MakeNode(NodeType::kDescendant, t);
    if (op == "%") return MakeNode(NodeType::kParent, t);
    if (op == "?") return MakeNode(NodeType::kPlaceholder, t);
    if (op == "(") {
      auto n = MakeNode(NodeType::kBlock, t);
      while (!IsOp(")")) {
        n->expressions.push_back(Expression(0));
        if (!IsOp(";")) break;
        Advance(";", false);
      }
      Advance(")", true);
      return n;
    }
    if (op == "[") {
      auto n = MakeNode(NodeType::kUnary, t);
      if (!IsOp("]")) {
        for (;;) {
          NodePtr item = Expression(0);
          if (IsOp("..")) {
            Token range = token_;
            Advance("..", false);
            auto r = MakeNode(NodeType::kBinary, range);
            r->op = BinaryOp::kRange;
            r->lhs = std::move(item);
            r->rhs = Expression(0);
            item = std::move(r);
          }
          n->expressions.push_back(std::move(item));
          if (!IsOp(",")) break;
          Advance(",", false);
        }
      }
      Advance("]", true);
      return n;
    }
    if (op == "{") {
      auto n = MakeNode(NodeType::kUnary, t);
      ParsePairs(n->pairs);
      return n;
    }
    if (op == "|") {
      auto n = MakeNode(NodeType::kTransform, t);
      n->pattern = Expression(0);
      Advance("|", false);
      n->update = Expression(0);
      if (IsOp(",")) {
        Advance(",", false);
        n->remove = Expression(0);
      }
      Advance("|", true);
      return n;
    }
    Throw("S0211", t.position, op);
  }

  void ParsePairs(std::vector<std::pair<NodePtr, NodePtr>>& pairs) {
    if (!IsOp("}")) {
      for (;;) {
        NodePtr key = Expression(0);
        Advance(":", false);
        NodePtr value = Expression(0);
        pairs.emplace_back(std::move(key), std::move(value));
        if (!IsOp(",")) break;
        Advance(",", false);
      }
    }
    Advance("}", true);
  }

  NodePtr Led(const Token& t, NodePtr left) {
    const std::string& op = t.value;
    int bp = BindingPower(op);
    if (op == "(") {
      auto n = MakeNode(NodeType::kFunction, t);
      n->procedure = std::move(left);
      if (!IsOp(")")) {
        for (;;) {
          if (IsOp("?")) {
            n->type = NodeType::kPartial;
            n->arguments.push_back(MakeNode(NodeType::kPlaceholder, token_));
            Advance("?", true);
          } else {
            n->arguments.push_back(Expression(0));
          }
          if (!IsOp(",")) break;
          Advance(",", false);
        }
      }
      Advance(")", true);
      // A lambda definition: function($x, $y)<sig>{ body }.
      if (n->procedure->type == NodeType::kName &&
          (n->procedure->value == "function" || n->procedure->value == "\xce\xbb")) {
        auto lambda = MakeNode(NodeType::kLambda, t);
        for (auto& arg : n->arguments) {
          if (arg->type != NodeType::kVariable) {
            Throw("S0208", arg->position, arg->value);
          }
          lambda->params.push_back(arg->value);
        }
        if (IsOp("<")) {
          // The signature runs to the matching '>' (it may contain nested <...>).
          int depth = 1;
          std::string sig = "<";
          int sig_position = token_.position;
          while (true) {
            Token next = lexer_.Next(true);
            if (next.type == TokenType::kEnd) Throw("S0203", next.position, ">");
            std::string text = next.type == TokenType::kVariable ? "$" + next.value : next.value;
            if (next.type == TokenType::kOperator && next.value == ">") {
              --depth;
              if (depth == 0) break;
            } else if (next.type == TokenType::kOperator && next.value == "<") {
              ++depth;
            }
            sig += text;
          }
          sig += ">";
          lambda->signature = ParseSignature(sig, sig_position);
          Advance("", false);
        }
        Advance("{", false);
        lambda->body = Expression(0);
        Advance("}", true);
        return lambda;
      }
      return n;
    }
    if (op == "[") {
      if (IsOp("]")) {
        // Empty predicate: keep singleton arrays.
        Node* step = left.get();
        while (step->type == NodeType::kBinary && step->value == "[") step = step->lhs.get();
        step->keep_array = true;
        Advance("]", true);
        return left;
      }
      auto n = MakeNode(NodeType::kBinary, t);
      n->lhs = std::move(left);
      n->rhs = Expression(0);
      Advance("]", true);
      return n;
    }
    if (op == "{") {
      auto n = MakeNode(NodeType::kBinary, t);
      n->lhs = std::move(left);
      n->group = std::make_unique<GroupBy>();
      n->group->position = t.position;
      ParsePairs(n->group->pairs);
      return n;
    }
    if (op == "^") {
      auto n = MakeNode(NodeType::kBinary, t);
      n->lhs = std::move(left);
      Advance("(", false);
      for (;;) {
        SortTerm term;
        if (IsOp("<")) {
          Advance("<", false);
        } else if (IsOp(">")) {
          term.descending = true;
          Advance(">", false);
        }
        term.expr = Expression(0);
        n->terms.push_back(std::move(term));
        if (!IsOp(",")) break;
        Advance(",", false);
      }
      Advance(")", true);
      return n;
    }
    if (op == "?") {
      auto n = MakeNode(NodeType::kCondition, t);
      n->condition = std::move(left);
      n->then = Expression(0);
      if (IsOp(":")) {
        Advance(":", false);
        n->otherwise = Expression(0);
      }
      return n;
    }
    if (op == "?:" || op == "??") {
      auto n = MakeNode(op == "?:" ? NodeType::kElvis : NodeType::kCoalesce, t);
      n->lhs = std::move(left);
      n->rhs = Expression(0);
      return n;
    }
    if (op == ":=") {
      if (left->type != NodeType::kVariable) Throw("S0212", left->position, left->value);
      auto n = MakeNode(NodeType::kBind, t);
      n->lhs = std::move(left);
      n->rhs = Expression(bp - 1);
      return n;
    }
    if (op == "@" || op == "#") {
      auto n = MakeNode(NodeType::kBinary, t);
      n->lhs = std::move(left);
      n->rhs = Expression(bp);
      if (n->rhs->type != NodeType::kVariable) Throw("S0214", n->rhs->position, op);
      return n;
    }
    if (op == "~>") {
      auto n = MakeNode(NodeType::kApply, t);
      n->lhs = std::move(left);
      n->rhs = Expression(bp);
      return n;
    }
    static const std::pair<const char*, BinaryOp> kBinary[] = {
        {".", BinaryOp::kNone},   {"+", BinaryOp::kAdd},   {"-", BinaryOp::kSub},
        {"*", BinaryOp::kMul},    {"/", BinaryOp::kDiv},   {"%", BinaryOp::kMod},
        {"=", BinaryOp::kEq},     {"!=", BinaryOp::kNe},   {"<", BinaryOp::kLt},
        {"<=", BinaryOp::kLe},    {">", BinaryOp::kGt},    {">=", BinaryOp::kGe},
        {"&", BinaryOp::kConcat}, {"and", BinaryOp::kAnd}, {"or", BinaryOp::kOr},
        {"in", BinaryOp::kIn},    {"..", BinaryOp::kRange}};
    for (const auto& [name, code] : kBinary) {
      if (op == name) {
        auto n = MakeNode(NodeType::kBinary, t);
        n->op = code;
        n->lhs = std::move(left);
        n->rhs = Expression(bp);
        return n;
      }
    }
    Throw("S0204", t.position, op);
  }

  static constexpr int kMaxNesting = 1000;
  Tokenizer lexer_;
  Token token_;
  int depth_ = 0;
};

// ---- The rewrite (jsonata-js's processAST) ----

class Rewriter {
 public:
  NodePtr Process(NodePtr expr);
  void CheckRoot(const Node& root) {
    if (root.type == NodeType::kParent || root.has_seeking_parent) {
      Throw("S0217", root.position, root.type == NodeType::kParent ? "parent" : "path");
    }
  }

 private:
  std::shared_ptr<Slot> NewSlot() {
    auto s = std::make_shared<Slot>();
    s->label = "!" + std::to_string(label_++);
    s->level = 1;
    s->index = index_++;
    return s;
  }

  static void AddSeeking(Node& n, const std::vector<std::shared_ptr<Slot>>& slots) {
    n.has_seeking_parent = true;
    n.seeking_parent.insert(n.seeking_parent.end(), slots.begin(), slots.end());
  }

  static void PushAncestry(Node& result, Node& value) {
    if (value.has_seeking_parent || value.type == NodeType::kParent) {
      std::vector<std::shared_ptr<Slot>> slots = value.seeking_parent;
      if (value.type == NodeType::kParent) slots.push_back(value.slot);
      AddSeeking(result, slots);
    }
  }

  std::shared_ptr<Slot> SeekParent(Node& node, std::shared_ptr<Slot> slot) {
    switch (node.type) {
      case NodeType::kName:
      case NodeType::kWildcard:
        slot->level--;
        if (slot->level == 0) {
          if (node.ancestor) slot->label = node.ancestor->label;
          node.ancestor = slot;
          node.tuple = true;
        }
        break;
      case NodeType::kParent:
        slot->level++;
        break;
      case NodeType::kBlock:
        if (!node.expressions.empty()) {
          node.tuple = true;
          slot = SeekParent(*node.expressions.back(), slot);
        }
        break;
      case NodeType::kPath: {
        node.tuple = true;
        int index = static_cast<int>(node.steps.size()) - 1;
        slot = SeekParent(*node.steps[index--], slot);
        while (slot->level > 0 && index >= 0) slot = SeekParent(*node.steps[index--], slot);
        break;
      }
      default:
        Throw("S0217", node.position, TypeName(node.type));
    }
    return slot;
  }

  void ResolveAncestry(Node& path) {
    Node& last = *path.steps.back();
    std::vector<std::shared_ptr<Slot>> slots = last.seeking_parent;
    if (last.type == NodeType::kParent) slots.push_back(last.slot);
    for (auto slot : slots) {
      int index = static_cast<int>(path.steps.size()) - 2;
      while (slot->level > 0) {
        if (index < 0) {
          AddSeeking(path, {slot});
          break;
        }
        Node* step = path.steps[index--].get();
        while (index >= 0 && !step->focus.empty() && !path.steps[index]->focus.empty()) {
          step = path.steps[index--].get();
        }
        slot = SeekParent(*step, slot);
      }
    }
  }

  static std::string TypeName(NodeType t) {
    switch (t) {
      case NodeType::kBinary:
        return "binary";
      case NodeType::kUnary:
        return "unary";
      case NodeType::kFunction:
        return "function";
      case NodeType::kCondition:
        return "condition";
      case NodeType::kString:
        return "string";
      case NodeType::kNumber:
        return "number";
      case NodeType::kValue:
        return "value";
      case NodeType::kVariable:
        return "variable";
      case NodeType::kLambda:
        return "lambda";
      case NodeType::kApply:
        return "apply";
      default:
        return "expression";
    }
  }

  NodePtr TailCallOptimize(NodePtr expr) {
    if (expr->type == NodeType::kFunction && expr->predicate.empty()) {
      auto thunk = std::make_unique<Node>();
      thunk->type = NodeType::kLambda;
      thunk->thunk = true;
      thunk->position = expr->position;
      thunk->body = std::move(expr);
      return thunk;
    }
    if (expr->type == NodeType::kCondition) {
      expr->then = TailCallOptimize(std::move(expr->then));
      if (expr->otherwise) expr->otherwise = TailCallOptimize(std::move(expr->otherwise));
      return expr;
    }
    if (expr->type == NodeType::kBlock && !expr->expressions.empty()) {
      expr->expressions.back() = TailCallOptimize(std::move(expr->expressions.back()));
      return expr;
    }
    return expr;
  }

  NodePtr ProcessBinary(NodePtr expr);

  int label_ = 0;
  int index_ = 0;
};

NodePtr Rewriter::ProcessBinary(NodePtr expr) {
  const std::string op = expr->value;
  NodePtr result;
  if (op == ".") {
    NodePtr lstep = Process(std::move(expr->lhs));
    if (lstep->type == NodeType::kPath) {
      result = std::move(lstep);
    } else {
      result = std::make_unique<Node>();
      result->type = NodeType::kPath;
      result->position = lstep->position;
      bool is_parent = lstep->type == NodeType::kParent;
      std::shared_ptr<Slot> slot = lstep->slot;
      result->steps.push_back(std::move(lstep));
      if (is_parent) AddSeeking(*result, {slot});
    }
    NodePtr rest = Process(std::move(expr->rhs));
    if (rest->type == NodeType::kPath) {
      for (auto& s : rest->steps) result->steps.push_back(std::move(s));
    } else {
      if (!rest->predicate.empty()) {
        for (auto& p : rest->predicate) {
          Stage st;
          st.expr = std::move(p);
          st.position = rest->position;
          rest->stages.push_back(std::move(st));
        }
        rest->predicate.clear();
      }
      result->steps.push_back(std::move(rest));
    }
    for (auto& step : result->steps) {
      if (step->type == NodeType::kNumber || step->type == NodeType::kValue) {
        Throw("S0213", step->position, step->value);
      }
      if (step->type == NodeType::kString) step->type = NodeType::kName;
    }
    for (auto& step : result->steps) {
      if (step->keep_array) result->keep_singleton_array = true;
    }
    Node* first = result->steps.front().get();
    if (first->type == NodeType::kUnary && first->value == "[") first->consarray = true;
    Node* last = result->steps.back().get();
    if (last->type == NodeType::kUnary && last->value == "[") last->consarray = true;
    ResolveAncestry(*result);
    return result;
  }
  if (op == "[") {
    result = Process(std::move(expr->lhs));
    Node* step = result.get();
    bool stages = false;
    if (result->type == NodeType::kPath) {
      step = result->steps.back().get();
      stages = true;
    }
    if (step->group) Throw("S0209", expr->position);
    NodePtr predicate = Process(std::move(expr->rhs));
    if (predicate->has_seeking_parent) {
      for (auto& slot : predicate->seeking_parent) {
        if (slot->level == 1) {
          SeekParent(*step, slot);
        } else {
          slot->level--;
        }
      }
      PushAncestry(*step, *predicate);
    }
    if (stages) {
      Stage st;
      st.expr = std::move(predicate);
      st.position = expr->position;
      step->stages.push_back(std::move(st));
    } else {
      step->predicate.push_back(std::move(predicate));
    }
    return result;
  }
  if (op == "{") {
    result = Process(std::move(expr->lhs));
    if (result->group) Throw("S0210", expr->position);
    auto group = std::make_unique<GroupBy>();
    group->position = expr->position;
    for (auto& [k, v] : expr->group->pairs) {
      NodePtr key = Process(std::move(k));
      NodePtr value = Process(std::move(v));
      group->pairs.emplace_back(std::move(key), std::move(value));
    }
    result->group = std::move(group);
    return result;
  }
  if (op == "^") {
    result = Process(std::move(expr->lhs));
    if (result->type != NodeType::kPath) {
      auto path = std::make_unique<Node>();
      path->type = NodeType::kPath;
      path->position = result->position;
      path->steps.push_back(std::move(result));
      result = std::move(path);
    }
    auto sort = std::make_unique<Node>();
    sort->type = NodeType::kSort;
    sort->position = expr->position;
    for (auto& term : expr->terms) {
      SortTerm t;
      t.descending = term.descending;
      t.expr = Process(std::move(term.expr));
      PushAncestry(*sort, *t.expr);
      sort->terms.push_back(std::move(t));
    }
    result->steps.push_back(std::move(sort));
    ResolveAncestry(*result);
    return result;
  }
  if (op == "@") {
    result = Process(std::move(expr->lhs));
    Node* step = result.get();
    if (result->type == NodeType::kPath) step = result->steps.back().get();
    if (!step->stages.empty() || !step->predicate.empty()) Throw("S0215", expr->position);
    if (step->type == NodeType::kSort) Throw("S0216", expr->position);
    if (expr->keep_array) step->keep_array = true;
    step->focus = expr->rhs->value;
    step->tuple = true;
    return result;
  }
  if (op == "#") {
    result = Process(std::move(expr->lhs));
    Node* step = result.get();
    if (result->type == NodeType::kPath) {
      step = result->steps.back().get();
    } else {
      auto path = std::make_unique<Node>();
      path->type = NodeType::kPath;
      path->position = result->position;
      if (!step->predicate.empty()) {
        for (auto& p : step->predicate) {
          Stage st;
          st.expr = std::move(p);
          st.position = step->position;
          step->stages.push_back(std::move(st));
        }
        step->predicate.clear();
      }
      path->steps.push_back(std::move(result));
      result = std::move(path);
    }
    if (step->stages.empty()) {
      step->index = expr->rhs->value;
    } else {
      Stage st;
      st.is_index = true;
      st.name = expr->rhs->value;
      st.position = expr->position;
      step->stages.push_back(std::move(st));
    }
    step->tuple = true;
    return result;
  }
  // Ordinary binary operators.
  expr->lhs = Process(std::move(expr->lhs));
  expr->rhs = Process(std::move(expr->rhs));
  PushAncestry(*expr, *expr->lhs);
  PushAncestry(*expr, *expr->rhs);
  return expr;
}

NodePtr Rewriter::Process(NodePtr expr) {
  bool keep_array = expr->keep_array;
  NodePtr result;
  switch (expr->type) {
    case NodeType::kBinary:
      result = ProcessBinary(std::move(expr));
      break;
    case NodeType::kApply:
      expr->lhs = Process(std::move(expr->lhs));
      expr->rhs = Process(std::move(expr->rhs));
      expr->keep_array = expr->lhs->keep_array || expr->rhs->keep_array;
      result = std::move(expr);
      break;
    case NodeType::kBind:
      expr->lhs = Process(std::move(expr->lhs));
      expr->rhs = Process(std::move(expr->rhs));
      PushAncestry(*expr, *expr->rhs);
      result = std::move(expr);
      break;
    case NodeType::kCoalesce:
    case NodeType::kElvis:
      expr->lhs = Process(std::move(expr->lhs));
      expr->rhs = Process(std::move(expr->rhs));
      PushAncestry(*expr, *expr->lhs);
      PushAncestry(*expr, *expr->rhs);
      result = std::move(expr);
      break;
    case NodeType::kUnary:
      if (expr->value == "[") {
        for (auto& item : expr->expressions) {
          item = Process(std::move(item));
          PushAncestry(*expr, *item);
        }
      } else if (expr->value == "{") {
        for (auto& [k, v] : expr->pairs) {
          k = Process(std::move(k));
          PushAncestry(*expr, *k);
          v = Process(std::move(v));
          PushAncestry(*expr, *v);
        }
      } else {
        expr->expression = Process(std::move(expr->expression));
        if (expr->value == "-" && expr->expression->type == NodeType::kNumber) {
          NodePtr number = std::move(expr->expression);
          number->literal = Value::Number(-number->literal.number());
          result = std::move(number);
          break;
        }
        PushAncestry(*expr, *expr->expression);
      }
      result = std::move(expr);
      break;
    case NodeType::kFunction:
    case NodeType::kPartial:
      for (auto& arg : expr->arguments) {
        arg = Process(std::move(arg));
        PushAncestry(*expr, *arg);
      }
      expr->procedure = Process(std::move(expr->procedure));
      result = std::move(expr);
      break;
    case NodeType::kLambda: {
      NodePtr body = Process(std::move(expr->body));
      expr->body = TailCallOptimize(std::move(body));
      result = std::move(expr);
      break;
    }
    case NodeType::kCondition:
      expr->condition = Process(std::move(expr->condition));
      PushAncestry(*expr, *expr->condition);
      expr->then = Process(std::move(expr->then));
      PushAncestry(*expr, *expr->then);
      if (expr->otherwise) {
        expr->otherwise = Process(std::move(expr->otherwise));
        PushAncestry(*expr, *expr->otherwise);
      }
      result = std::move(expr);
      break;
    case NodeType::kTransform:
      expr->pattern = Process(std::move(expr->pattern));
      expr->update = Process(std::move(expr->update));
      if (expr->remove) expr->remove = Process(std::move(expr->remove));
      result = std::move(expr);
      break;
    case NodeType::kBlock:
      for (auto& item : expr->expressions) {
        item = Process(std::move(item));
        PushAncestry(*expr, *item);
        if (item->consarray || (item->type == NodeType::kPath && item->steps.front()->consarray)) {
          expr->consarray = true;
        }
      }
      result = std::move(expr);
      break;
    case NodeType::kName: {
      auto path = std::make_unique<Node>();
      path->type = NodeType::kPath;
      path->position = expr->position;
      if (expr->keep_array) path->keep_singleton_array = true;
      path->steps.push_back(std::move(expr));
      result = std::move(path);
      break;
    }
    case NodeType::kParent:
      expr->slot = NewSlot();
      result = std::move(expr);
      break;
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
    case NodeType::kWildcard:
    case NodeType::kDescendant:
    case NodeType::kVariable:
    case NodeType::kRegex:
    case NodeType::kPlaceholder:
      result = std::move(expr);
      break;
    default:
      Throw("S0206", expr->position, expr->value);
  }
  if (keep_array) result->keep_array = true;
  return result;
}

}  // namespace

namespace {

// Calls `f` on each child of `node`.
template <class F>
void ForEachChild(Node& node, F&& f) {
  auto visit = [&](NodePtr& child) {
    if (child) f(*child);
  };
  for (NodePtr* child :
       {&node.lhs, &node.rhs, &node.expression, &node.procedure, &node.condition, &node.then,
        &node.otherwise, &node.pattern, &node.update, &node.remove, &node.body}) {
    visit(*child);
  }
  for (auto* list : {&node.expressions, &node.steps, &node.arguments, &node.predicate}) {
    for (NodePtr& child : *list) visit(child);
  }
  for (auto& [key, value] : node.pairs) {
    visit(key);
    visit(value);
  }
  for (SortTerm& term : node.terms) visit(term.expr);
  for (Stage& stage : node.stages) visit(stage.expr);  // an index stage (#$i) has none
  if (node.group) {
    for (auto& [key, value] : node.group->pairs) {
      visit(key);
      visit(value);
    }
  }
}

// Sets `scoped` on every block under `node`; returns whether evaluating `node` may bind a
// variable in the scope it is evaluated in: `:=` does, and so may any call ($eval binds in its
// caller's scope, also when called through a variable or a higher-order function). Blocks and
// lambdas bind in scopes of their own.
bool MarkScopes(Node& node) {
  bool binds = node.type == NodeType::kBind || node.type == NodeType::kFunction ||
               node.type == NodeType::kPartial || node.type == NodeType::kApply;
  ForEachChild(node, [&](Node& child) { binds = MarkScopes(child) || binds; });
  if (node.type == NodeType::kBlock) {
    node.scoped = binds;
    return false;
  }
  return node.type == NodeType::kLambda ? false : binds;
}

// Whether `node` reads nothing but its input and builds no object: no variable other than `$`
// (the context), no `%` (which may reach outside the input), no call, binding, lambda, regex or
// transform, no object constructor or group.
bool ReadsOnlyItsInput(Node& node) {
  switch (node.type) {
    case NodeType::kPath:
    case NodeType::kName:
    case NodeType::kString:
    case NodeType::kNumber:
    case NodeType::kValue:
    case NodeType::kWildcard:
    case NodeType::kDescendant:
    case NodeType::kCondition:
    case NodeType::kElvis:
    case NodeType::kCoalesce:
    case NodeType::kBinary:
    case NodeType::kBlock:
    case NodeType::kSort:
      break;
    case NodeType::kUnary:
      if (node.value == "{") return false;
      break;
    case NodeType::kVariable:
      if (!node.value.empty()) return false;
      break;
    default:
      return false;
  }
  if (node.group) return false;
  bool pure = true;
  ForEachChild(node, [&](Node& child) { pure = pure && ReadsOnlyItsInput(child); });
  return pure;
}

// Sets `pure_pattern` on every transform and `name_path` on every path under `node`.
void MarkFastCases(Node& node) {
  if (node.type == NodeType::kTransform) node.pure_pattern = ReadsOnlyItsInput(*node.pattern);
  node.name_path = IsNamePath(node);
  ForEachChild(node, [](Node& child) { MarkFastCases(child); });
}

}  // namespace

NodePtr ParseExpression(std::string_view text) {
  Parser parser(text);
  NodePtr raw = parser.Parse();
  Rewriter rewriter;
  NodePtr tree = rewriter.Process(std::move(raw));
  rewriter.CheckRoot(*tree);
  MarkScopes(*tree);
  MarkFastCases(*tree);
  return tree;
}

}  // namespace autoretrain::jsonata
