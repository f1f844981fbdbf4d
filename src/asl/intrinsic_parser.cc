#include "intrinsic_parser.h"

#include <array>
#include <utility>

namespace autoretrain::asl {

namespace {

struct FunctionSpec {
  std::string_view name;
  IntrinsicFunction function;
  int min_args;
  int max_args;  // -1: any number
};

constexpr std::array<FunctionSpec, 18> kFunctions = {{
    {"States.Format", IntrinsicFunction::kFormat, 1, -1},
    {"States.StringToJson", IntrinsicFunction::kStringToJson, 1, 1},
    {"States.JsonToString", IntrinsicFunction::kJsonToString, 1, 1},
    {"States.Array", IntrinsicFunction::kArray, 0, -1},
    {"States.ArrayPartition", IntrinsicFunction::kArrayPartition, 2, 2},
    {"States.ArrayContains", IntrinsicFunction::kArrayContains, 2, 2},
    {"States.ArrayRange", IntrinsicFunction::kArrayRange, 3, 3},
    {"States.ArrayGetItem", IntrinsicFunction::kArrayGetItem, 2, 2},
    {"States.ArrayLength", IntrinsicFunction::kArrayLength, 1, 1},
    {"States.ArrayUnique", IntrinsicFunction::kArrayUnique, 1, 1},
    {"States.Base64Encode", IntrinsicFunction::kBase64Encode, 1, 1},
    {"States.Base64Decode", IntrinsicFunction::kBase64Decode, 1, 1},
    {"States.Hash", IntrinsicFunction::kHash, 2, 2},
    {"States.JsonMerge", IntrinsicFunction::kJsonMerge, 3, 3},
    {"States.MathRandom", IntrinsicFunction::kMathRandom, 2, 3},
    {"States.MathAdd", IntrinsicFunction::kMathAdd, 2, 2},
    {"States.StringSplit", IntrinsicFunction::kStringSplit, 2, 2},
    {"States.UUID", IntrinsicFunction::kUuid, 0, 0},
}};

std::string ArgCount(int n) { return n == 1 ? "1 argument" : std::to_string(n) + " arguments"; }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Intrinsic> Parse() {
    std::optional<Intrinsic> call = Call(1);
    if (!call) return Fail();
    SkipSpace();
    if (pos_ != text_.size()) {
      error_ = "unexpected '" + std::string(text_.substr(pos_)) + "' after the closing ')'";
      error_pos_ = pos_;
      return Fail();
    }
    return std::move(*call);
  }

 private:
  Error Fail() const {
    return Error{"", error_ + " (at character " + std::to_string(error_pos_ + 1) + ")"};
  }

  // Sets the error (the first one wins) and returns nullopt.
  std::nullopt_t Problem(std::string message, size_t at) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_pos_ = at;
    }
    return std::nullopt;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  std::optional<Intrinsic> Call(int depth) {
    const size_t start = pos_;
    if (depth > kMaxIntrinsicNesting) {
      return Problem(
          "more than " + std::to_string(kMaxIntrinsicNesting) + " intrinsic functions are nested",
          start);
    }
    size_t open = text_.find('(', pos_);
    if (open == std::string_view::npos)
      return Problem("expected '(' after the function name", start);
    std::string_view name = text_.substr(pos_, open - pos_);
    const FunctionSpec* spec = nullptr;
    for (const FunctionSpec& f : kFunctions) {
      if (f.name == name) spec = &f;
    }
    if (spec == nullptr) {
      return Problem("'" + std::string(name) + "' is not an intrinsic function", start);
    }
    pos_ = open + 1;
    Intrinsic call;
    call.function = spec->function;
    call.name = std::string(name);
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        std::optional<IntrinsicArg> arg = Arg(depth);
        if (!arg) return std::nullopt;
        call.args.push_back(std::move(*arg));
        SkipSpace();
        if (pos_ >= text_.size()) return Problem("missing ')' to close " + call.name, pos_);
        if (text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (text_[pos_] == ')') {
          ++pos_;
          break;
        }
        return Problem("expected ',' or ')' in the arguments of " + call.name, pos_);
      }
    }
    const int n = static_cast<int>(call.args.size());
    if (n < spec->min_args || (spec->max_args >= 0 && n > spec->max_args)) {
      std::string expected =
          spec->max_args < 0
              ? "at least " + ArgCount(spec->min_args)
              : (spec->min_args == spec->max_args
                     ? ArgCount(spec->min_args)
                     : std::to_string(spec->min_args) + " or " + ArgCount(spec->max_args));
      return Problem(call.name + " takes " + expected + ", not " + std::to_string(n), start);
    }
    if (spec->function == IntrinsicFunction::kJsonToString &&
        call.args[0].kind != IntrinsicArg::Kind::kPath) {
      return Problem("the argument of States.JsonToString must be a JSONPath", start);
    }
    return call;
  }

  std::optional<IntrinsicArg> Arg(int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Problem("missing argument", pos_);
    const char c = text_[pos_];
    IntrinsicArg arg;
    if (c == '\'') return StringLiteral();
    if (c == '$') return PathArg();
    if (text_.substr(pos_).starts_with("States.")) {
      std::optional<Intrinsic> inner = Call(depth + 1);
      if (!inner) return std::nullopt;
      arg.kind = IntrinsicArg::Kind::kCall;
      arg.call.push_back(std::move(*inner));
      return arg;
    }
    // A number, true, false or null: the token up to the next separator.
    size_t end = pos_;
    while (end < text_.size() && text_[end] != ',' && text_[end] != ')' && !IsSpace(text_[end])) {
      ++end;
    }
    std::string_view token = text_.substr(pos_, end - pos_);
    if (token.empty()) return Problem("missing argument", pos_);
    Result<json::Value> v = json::Parse(token);
    if (!v.ok() || v->is_object() || v->is_array() || v->is_string()) {
      return Problem("'" + std::string(token) +
                         "' is not a valid argument (a 'string', a number, true, false, null, "
                         "a JSONPath or an intrinsic function)",
                     pos_);
    }
    arg.literal = std::move(v).value();
    pos_ = end;
    return arg;
  }

  std::optional<IntrinsicArg> StringLiteral() {
    const size_t start = pos_;
    ++pos_;  // the opening quote
    IntrinsicArg arg;
    arg.is_string_literal = true;
    std::string value;
    std::string piece;
    while (true) {
      if (pos_ >= text_.size()) return Problem("unterminated string literal", start);
      const char c = text_[pos_];
      if (c == '\'') {
        ++pos_;
        break;
      }
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) return Problem("unterminated string literal", start);
        const char e = text_[pos_ + 1];
        if (e != '\'' && e != '{' && e != '}' && e != '\\') {
          return Problem(std::string("invalid escape '\\") + e +
                             "' in a string literal (only \\' \\{ \\} and \\\\ are allowed)",
                         pos_);
        }
        value += e;
        piece += e;
        pos_ += 2;
        continue;
      }
      if (c == '{') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '}') {
          value += "{}";
          arg.format.push_back(std::move(piece));
          piece.clear();
          pos_ += 2;
          continue;
        }
        return Problem("the character '{' must be escaped as '\\{' in a string literal", pos_);
      }
      if (c == '}') {
        return Problem("the character '}' must be escaped as '\\}' in a string literal", pos_);
      }
      value += c;
      piece += c;
      ++pos_;
    }
    arg.format.push_back(std::move(piece));
    arg.literal = json::Value(value);
    return arg;
  }

  std::optional<IntrinsicArg> PathArg() {
    const size_t start = pos_;
    // The path runs to the next ',' or ')' outside brackets and quotes.
    int brackets = 0;
    char quote = 0;
    size_t end = pos_;
    for (; end < text_.size(); ++end) {
      const char c = text_[end];
      if (quote != 0) {
        if (c == '\\') {
          // Skips the escaped character; a backslash that ends the text escapes nothing.
          if (end + 1 < text_.size()) ++end;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (brackets > 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == '[') {
        ++brackets;
      } else if (c == ']') {
        --brackets;
      } else if (brackets == 0 && (c == ',' || c == ')')) {
        break;
      }
    }
    size_t stop = end;
    while (stop > start && IsSpace(text_[stop - 1])) --stop;
    std::string_view text = text_.substr(start, stop - start);
    Result<json::Path> path = json::Path::Compile(text);
    if (!path.ok()) {
      return Problem("'" + std::string(text) + "' is not a valid JSONPath: " + path.error().cause,
                     start);
    }
    IntrinsicArg arg;
    arg.kind = IntrinsicArg::Kind::kPath;
    arg.path = std::move(path).value();
    pos_ = end;
    return arg;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
  size_t error_pos_ = 0;
};

}  // namespace

Result<Intrinsic> ParseIntrinsic(std::string_view text) { return Parser(text).Parse(); }

bool IntrinsicReadsContext(const Intrinsic& call) {
  for (const IntrinsicArg& a : call.args) {
    if (a.kind == IntrinsicArg::Kind::kPath && a.path->is_context()) return true;
    if (a.kind == IntrinsicArg::Kind::kCall && IntrinsicReadsContext(a.call[0])) return true;
  }
  return false;
}

}  // namespace autoretrain::asl
