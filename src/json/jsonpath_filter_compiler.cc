// PathCompiler, part two: the filter grammar inside `[?(...)]`:
//   or := and ('||' and)*;  and := unary ('&&' unary)*;
//   unary := '!' unary | '(' or ')' | operand [op operand];
//   operand := '@' steps | '$' steps | 'string' | "string" | number | true | false | null.
// See jsonpath_compiler.h.
#include <cctype>
#include <charconv>
#include <cstring>

#include "json/jsonpath_compiler.h"

namespace autoretrain::json {

bool PathCompiler::ParseOr(std::unique_ptr<FilterNode>* out) {
  if (++depth_ > kMaxNesting) return Fail(pos_, "Filter nested too deeply");
  if (!ParseAnd(out)) return false;
  while (true) {
    SkipSpaces();
    if (!StartsWith("||")) break;
    pos_ += 2;
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNode::Kind::kOr;
    node->lhs = std::move(*out);
    if (!ParseAnd(&node->rhs)) return false;
    *out = std::move(node);
  }
  --depth_;
  return true;
}

bool PathCompiler::ParseAnd(std::unique_ptr<FilterNode>* out) {
  if (!ParseUnary(out)) return false;
  while (true) {
    SkipSpaces();
    if (!StartsWith("&&")) break;
    pos_ += 2;
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNode::Kind::kAnd;
    node->lhs = std::move(*out);
    if (!ParseUnary(&node->rhs)) return false;
    *out = std::move(node);
  }
  return true;
}

bool PathCompiler::ParseUnary(std::unique_ptr<FilterNode>* out) {
  SkipSpaces();
  if (AtEnd()) return FailUnexpected("expected a filter expression");
  if (Peek() == '!' && Peek(1) != '=') {
    ++pos_;
    if (++depth_ > kMaxNesting) return Fail(pos_, "Filter nested too deeply");
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNode::Kind::kNot;
    if (!ParseUnary(&node->lhs)) return false;
    --depth_;
    *out = std::move(node);
    return true;
  }
  if (Peek() == '(') {
    ++pos_;
    if (!ParseOr(out)) return false;
    SkipSpaces();
    return Expect(')');
  }
  return ParseComparison(out);
}

bool PathCompiler::ParseComparison(std::unique_ptr<FilterNode>* out) {
  auto node = std::make_unique<FilterNode>();
  if (!ParseOperand(&node->left)) return false;
  SkipSpaces();
  size_t op_pos = pos_;
  static constexpr struct {
    std::string_view text;
    CompareOp op;
  } kOps[] = {{"===", CompareOp::kEq}, {"!==", CompareOp::kNe}, {"==", CompareOp::kEq},
              {"!=", CompareOp::kNe},  {"<=", CompareOp::kLe},  {">=", CompareOp::kGe},
              {"<", CompareOp::kLt},   {">", CompareOp::kGt}};
  bool found = false;
  for (const auto& candidate : kOps) {
    if (StartsWith(candidate.text)) {
      node->op = candidate.op;
      pos_ += candidate.text.size();
      found = true;
      break;
    }
  }
  if (!found) {
    if (AtEnd() || Peek() == ')' || StartsWith("&&") || StartsWith("||")) {
      if (node->left.kind == Operand::Kind::kLiteral) {
        return FailUnexpected("expected a comparison operator after a literal");
      }
      node->kind = FilterNode::Kind::kExists;
      *out = std::move(node);
      return true;
    }
    if (StartsWith("=~")) {
      return Fail(op_pos, "Unsupported operator '=~'",
                  "regular expression filters are not supported");
    }
    if (std::isalpha(static_cast<unsigned char>(Peek()))) {
      size_t end = pos_;
      while (end < text_.size() && std::isalpha(static_cast<unsigned char>(text_[end]))) ++end;
      return Fail(op_pos,
                  "Unsupported operator '" + std::string(text_.substr(pos_, end - pos_)) + "'",
                  "supported are ==, !=, <, <=, >, >=, &&, || and !");
    }
    return FailUnexpected("expected a comparison operator, '&&', '||' or ')'");
  }
  node->kind = FilterNode::Kind::kCompare;
  SkipSpaces();
  if (!ParseOperand(&node->right)) return false;
  *out = std::move(node);
  return true;
}

bool PathCompiler::ParseOperand(Operand* out) {
  SkipSpaces();
  char c = Peek();
  if (AtEnd()) return FailUnexpected("expected '@', '$' or a literal");
  if (c == '@' || c == '$') {
    ++pos_;
    out->kind = c == '@' ? Operand::Kind::kCurrent : Operand::Kind::kRoot;
    return ParseSteps(&out->path, /*in_filter=*/true);
  }
  out->kind = Operand::Kind::kLiteral;
  if (c == '\'' || c == '"') {
    std::string s;
    if (!ParseQuoted(&s)) return false;
    out->literal = String(s);
    return true;
  }
  if (c == '-' || IsDigit(c)) return ParseNumber(&out->literal);
  for (auto [word, value] :
       {std::pair<std::string_view, Value>{"true", true}, {"false", false}, {"null", nullptr}}) {
    if (StartsWith(word) && !std::isalnum(static_cast<unsigned char>(Peek(word.size())))) {
      pos_ += word.size();
      out->literal = value;
      return true;
    }
  }
  if (c == '[' || c == '{') {
    return Fail(pos_, "Unsupported JSON literal", "filters compare with scalar literals only");
  }
  return FailUnexpected("expected '@', '$' or a literal");
}

bool PathCompiler::ParseNumber(Value* out) {
  size_t start = pos_;
  size_t end = pos_ + 1;
  while (end < text_.size() &&
         (IsDigit(text_[end]) || std::strchr(".eE+-", text_[end]) != nullptr)) {
    ++end;
  }
  const char* first = text_.data() + start;
  const char* last = text_.data() + end;
  int64_t i = 0;
  auto ri = std::from_chars(first, last, i);
  if (ri.ec == std::errc() && ri.ptr == last) {
    *out = i;
  } else {
    double d = 0;
    auto rd = std::from_chars(first, last, d);
    if (rd.ec != std::errc() || rd.ptr != last) return Fail(start, "Invalid number");
    *out = d;
  }
  pos_ = end;
  return true;
}

}  // namespace autoretrain::json
