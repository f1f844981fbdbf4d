// PathCompiler: a recursive-descent parser from JSONPath text (Jayway's syntax, as Step
// Functions accepts it) to Path::Impl. Paths and brackets are parsed in jsonpath_compiler.cc,
// the filter grammar inside `[?(...)]` in jsonpath_filter_compiler.cc. Every failure names the
// character position; nesting of filters and parentheses is bounded so hostile input cannot
// exhaust the stack.
//
// Thread-safety: one instance per compilation, used by one thread.
#ifndef AUTORETRAIN_JSON_JSONPATH_COMPILER_H_
#define AUTORETRAIN_JSON_JSONPATH_COMPILER_H_

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "json/jsonpath_impl.h"

namespace autoretrain::json {

class PathCompiler {
 public:
  explicit PathCompiler(std::string_view text) : text_(text) {}

  // Compiles the whole text. Fails with Error{"InvalidJsonPath", cause}.
  Result<std::unique_ptr<Path::Impl>> Run();

 private:
  // Filters and parentheses deeper than this are rejected (no real path comes close).
  static constexpr int kMaxNesting = 32;

  static bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  // Workflow variable names ($name): ASCII letters, '_', and any non-ASCII byte to start;
  // digits too after that.
  static bool IsVariableStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  }
  static bool IsVariableChar(char c) { return IsVariableStart(c) || IsDigit(c); }
  // Characters that end a path operand inside a filter, e.g. `@.price` in `@.price < 10`.
  static bool EndsFilterPath(char c) {
    return IsSpace(c) || std::strchr(")=!<>~&|,]", c) != nullptr;
  }

  // Records the failure (the first one wins) and returns false, so callers can `return Fail()`.
  bool Fail(size_t pos, std::string_view what, std::string_view hint = {});
  // Fails on the character at pos_ (or the end of the text).
  bool FailUnexpected(std::string_view hint = {});
  Error TakeError() { return Error{"InvalidJsonPath", std::move(cause_)}; }

  bool AtEnd() const { return pos_ >= text_.size(); }
  // The character `ahead` places past pos_, or '\0' past the end.
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void SkipSpaces() {
    while (!AtEnd() && IsSpace(text_[pos_])) ++pos_;
  }
  bool StartsWith(std::string_view s) const { return text_.substr(pos_).starts_with(s); }
  // Consumes `c` or fails.
  bool Expect(char c);

  // Paths (jsonpath_compiler.cc).
  bool ParseVariable(Path::Impl* impl);
  bool ParseSteps(StepList* list, bool in_filter);
  bool ParseName(Step* step, bool in_filter);
  bool ParseBracket(Step* step);
  bool ParseNames(Step* step);
  bool ParseIndexes(Step* step);
  bool ParseInt(int64_t* out);
  bool ParseQuoted(std::string* out);
  bool ParseHex4(uint32_t* out);

  // Filters (jsonpath_filter_compiler.cc).
  bool ParseOr(std::unique_ptr<FilterNode>* out);
  bool ParseAnd(std::unique_ptr<FilterNode>* out);
  bool ParseUnary(std::unique_ptr<FilterNode>* out);
  bool ParseComparison(std::unique_ptr<FilterNode>* out);
  bool ParseOperand(Operand* out);
  bool ParseNumber(Value* out);

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;  // current nesting of filters, parentheses and '!'
  bool failed_ = false;
  std::string cause_;
};

}  // namespace autoretrain::json

#endif  // AUTORETRAIN_JSON_JSONPATH_COMPILER_H_
