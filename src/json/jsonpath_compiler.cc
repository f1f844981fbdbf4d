// PathCompiler, part one: the path syntax (`$`, `.name`, `..`, brackets, quoted names, indexes
// and slices). See jsonpath_compiler.h.
#include "json/jsonpath_compiler.h"

namespace autoretrain::json {
namespace {

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsDefinite(const std::vector<Step>& steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    if (s.deep) return false;
    bool leaf = i + 1 == steps.size();
    if (s.kind == StepKind::kField || s.kind == StepKind::kIndex) continue;
    if (s.kind == StepKind::kFields && leaf) continue;  // Jayway merges these into one object
    return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Path::Impl>> CompilePath(std::string_view text) {
  return PathCompiler(text).Run();
}

Result<std::unique_ptr<Path::Impl>> PathCompiler::Run() {
  auto impl = std::make_unique<Path::Impl>();
  impl->text = std::string(text_);
  if (text_.empty() || text_[0] != '$') {
    Fail(0, "Expected '$'", "a path must start with '$'");
    return TakeError();
  }
  pos_ = 1;
  if (Peek() == '$') {
    impl->context = true;
    ++pos_;
  } else if (IsVariableStart(Peek())) {
    if (!ParseVariable(impl.get())) return TakeError();
  }
  if (!ParseSteps(&impl->path, /*in_filter=*/false)) return TakeError();
  return impl;
}

// `$name`: letters, digits and '_' (any non-ASCII character counts as a letter, as Unicode
// identifier characters do), not starting with a digit, at most kMaxVariableNameLength
// characters.
bool PathCompiler::ParseVariable(Path::Impl* impl) {
  const size_t start = pos_;
  size_t characters = 0;
  while (!AtEnd() && IsVariableChar(text_[pos_])) {
    characters += (static_cast<unsigned char>(text_[pos_]) & 0xC0) != 0x80;
    ++pos_;
  }
  if (characters > kMaxVariableNameLength) {
    return Fail(
        start, "Variable name too long",
        "variable names have at most " + std::to_string(kMaxVariableNameLength) + " characters");
  }
  impl->variable = std::string(text_.substr(start, pos_ - start));
  return true;
}

bool PathCompiler::Fail(size_t pos, std::string_view what, std::string_view hint) {
  if (!failed_) {
    failed_ = true;
    cause_ = std::string(what) + " at position " + std::to_string(pos) + " in JSONPath '" +
             std::string(text_) + "'";
    if (!hint.empty()) cause_ += ": " + std::string(hint);
  }
  return false;
}

bool PathCompiler::FailUnexpected(std::string_view hint) {
  if (AtEnd()) return Fail(pos_, "Unexpected end of path", hint);
  char c = text_[pos_];
  std::string what = "Unexpected character '";
  what += c;
  what += "'";
  return Fail(pos_, what, hint);
}

bool PathCompiler::Expect(char c) {
  if (Peek() == c && !AtEnd()) {
    ++pos_;
    return true;
  }
  return FailUnexpected(std::string("expected '") + c + "'");
}

// Parses steps until the end of the text, or (in a filter) until a character that ends an
// operand path.
bool PathCompiler::ParseSteps(StepList* list, bool in_filter) {
  while (!AtEnd() && !(in_filter && EndsFilterPath(text_[pos_]))) {
    Step step;
    step.position = pos_;
    char c = text_[pos_];
    if (c == '[') {
      if (!ParseBracket(&step)) return false;
    } else if (c == '.') {
      ++pos_;
      if (Peek() == '.') {
        ++pos_;
        step.deep = true;
      }
      if (AtEnd() || (in_filter && EndsFilterPath(text_[pos_]))) {
        return Fail(step.position,
                    step.deep ? "Path must not end with '..'" : "Path must not end with '.'");
      }
      c = text_[pos_];
      if (c == '.') return FailUnexpected();
      if (c == '[') {
        if (!ParseBracket(&step)) return false;
      } else if (c == '*') {
        step.kind = StepKind::kWildcard;
        ++pos_;
      } else if (!ParseName(&step, in_filter)) {
        return false;
      }
    } else {
      return FailUnexpected("expected '.' or '['");
    }
    list->steps.push_back(std::move(step));
  }
  list->definite = IsDefinite(list->steps);
  return true;
}

// A property name in dot notation: everything up to the next '.' or '['.
bool PathCompiler::ParseName(Step* step, bool in_filter) {
  size_t start = pos_;
  while (!AtEnd()) {
    char c = text_[pos_];
    if (c == '.' || c == '[' || (in_filter && EndsFilterPath(c))) break;
    if (IsSpace(c)) {
      return Fail(pos_, "Unexpected blank character",
                  "use bracket notation ['my name'] for names with blanks");
    }
    if (c == '(') {
      return Fail(pos_, "Unexpected character '('", "functions such as length() are not supported");
    }
    if (c == ')' || c == ']') return FailUnexpected();
    ++pos_;
  }
  step->kind = StepKind::kField;
  step->name = std::string(text_.substr(start, pos_ - start));
  return true;
}

bool PathCompiler::ParseBracket(Step* step) {
  ++pos_;  // '['
  SkipSpaces();
  char c = Peek();
  if (AtEnd()) return FailUnexpected("expected a name, an index, '*' or a filter");
  if (c == '*') {
    ++pos_;
    step->kind = StepKind::kWildcard;
  } else if (c == '?') {
    ++pos_;
    SkipSpaces();
    if (!Expect('(')) return false;
    std::unique_ptr<FilterNode> node;
    if (!ParseOr(&node)) return false;
    SkipSpaces();
    if (!Expect(')')) return false;
    step->kind = StepKind::kFilter;
    step->filter = std::move(node);
  } else if (c == '\'' || c == '"') {
    if (!ParseNames(step)) return false;
  } else if (c == '-' || c == ':' || IsDigit(c)) {
    if (!ParseIndexes(step)) return false;
  } else {
    return FailUnexpected("expected a name, an index, '*' or a filter");
  }
  SkipSpaces();
  return Expect(']');
}

// ['a'] or ['a', "b", ...].
bool PathCompiler::ParseNames(Step* step) {
  std::vector<std::string> names;
  while (true) {
    std::string name;
    if (!ParseQuoted(&name)) return false;
    names.push_back(std::move(name));
    SkipSpaces();
    if (Peek() != ',' || AtEnd()) break;
    ++pos_;
    SkipSpaces();
    if (Peek() != '\'' && Peek() != '"') return FailUnexpected("expected a quoted name");
  }
  if (names.size() == 1) {
    step->kind = StepKind::kField;
    step->name = std::move(names[0]);
  } else {
    step->kind = StepKind::kFields;
    step->names = std::move(names);
  }
  return true;
}

// [n], [n,m,...] or a slice [start:end:step] (each part optional).
bool PathCompiler::ParseIndexes(Step* step) {
  std::optional<int64_t> first;
  if (Peek() != ':') {
    int64_t v = 0;
    if (!ParseInt(&v)) return false;
    first = v;
    SkipSpaces();
  }
  if (Peek() == ':' && !AtEnd()) {
    step->kind = StepKind::kSlice;
    step->start = first;
    ++pos_;
    SkipSpaces();
    if (Peek() == '-' || IsDigit(Peek())) {
      int64_t v = 0;
      if (!ParseInt(&v)) return false;
      step->end = v;
      SkipSpaces();
    }
    if (Peek() == ':' && !AtEnd()) {
      ++pos_;
      SkipSpaces();
      if (Peek() == '-' || IsDigit(Peek())) {
        size_t at = pos_;
        if (!ParseInt(&step->step)) return false;
        if (step->step == 0) return Fail(at, "Slice step must not be 0");
      }
    }
    return true;
  }
  if (Peek() == ',' && !AtEnd()) {
    step->kind = StepKind::kIndices;
    step->indices.push_back(*first);
    while (Peek() == ',' && !AtEnd()) {
      ++pos_;
      SkipSpaces();
      int64_t v = 0;
      if (!ParseInt(&v)) return false;
      step->indices.push_back(v);
      SkipSpaces();
    }
    return true;
  }
  step->kind = StepKind::kIndex;
  step->index = *first;
  return true;
}

bool PathCompiler::ParseInt(int64_t* out) {
  size_t start = pos_;
  bool negative = Peek() == '-';
  if (negative) ++pos_;
  if (!IsDigit(Peek())) return FailUnexpected("expected an integer");
  int64_t v = 0;
  int digits = 0;
  while (IsDigit(Peek())) {
    if (++digits > 18) return Fail(start, "Index out of range");
    v = v * 10 + (text_[pos_] - '0');
    ++pos_;
  }
  *out = negative ? -v : v;
  return true;
}

// A quoted string at pos_ (' or "), with JSON-style escapes; an unknown escape keeps the
// escaped character, as Jayway does.
bool PathCompiler::ParseQuoted(std::string* out) {
  char quote = text_[pos_];
  size_t start = pos_++;
  while (true) {
    if (AtEnd()) return Fail(start, "Unterminated string");
    char c = text_[pos_++];
    if (c == quote) return true;
    if (c != '\\') {
      *out += c;
      continue;
    }
    if (AtEnd()) return Fail(start, "Unterminated string");
    char e = text_[pos_++];
    switch (e) {
      case 'b':
        *out += '\b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'n':
        *out += '\n';
        break;
      case 'r':
        *out += '\r';
        break;
      case 't':
        *out += '\t';
        break;
      case 'u': {
        uint32_t cp = 0;
        if (!ParseHex4(&cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF && StartsWith("\\u")) {
          pos_ += 2;
          uint32_t low = 0;
          if (!ParseHex4(&low)) return false;
          if (low < 0xDC00 || low > 0xDFFF) return Fail(pos_ - 6, "Invalid surrogate pair");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
          return Fail(pos_ - 6, "Invalid surrogate in \\u escape");
        }
        AppendUtf8(out, cp);
        break;
      }
      default:
        *out += e;
    }
  }
}

bool PathCompiler::ParseHex4(uint32_t* out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = Peek();
    int d = IsDigit(c)               ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0 || AtEnd()) return FailUnexpected("expected 4 hex digits after \\u");
    v = v * 16 + d;
    ++pos_;
  }
  *out = v;
  return true;
}

}  // namespace autoretrain::json
