#include "jsonata/regex_match.h"

#define PCRE2_CODE_UNIT_WIDTH 32
#include <pcre2.h>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"

namespace autoretrain::jsonata {
namespace {

PCRE2_SPTR CodeUnits(const std::u32string& text) {
  return reinterpret_cast<PCRE2_SPTR>(text.data());
}

std::string ErrorMessage(int code) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2_get_error_message(code, buffer, sizeof buffer / sizeof buffer[0]);
  if (length < 0) return "error " + std::to_string(code);
  return FromCodePoints(std::u32string(buffer, buffer + length));
}

bool ValidCodePoint(char32_t c) { return c < 0xd800 || (c > 0xdfff && c <= 0x10ffff); }

// `text` with every value that is no Unicode scalar value (a surrogate, or beyond U+10FFFF, which
// a string decoded from malformed UTF-8 can hold) replaced by U+FFFD, so that PCRE2 may skip its
// UTF check: that check covered the rest of the subject on every call, which made a string's
// successive matches quadratic. Positions are unchanged.
std::u32string Matchable(const std::u32string& text) {
  std::u32string out = text;
  for (char32_t& c : out) {
    if (!ValidCodePoint(c)) c = 0xfffd;
  }
  return out;
}

// One match context per thread, with the limits.
pcre2_match_context* LimitedContext() {
  struct Context {
    Context() : context(pcre2_match_context_create(nullptr)) {
      pcre2_set_match_limit(context, kRegexMatchLimit);
      pcre2_set_heap_limit(context, kRegexHeapLimitKiB);
    }
    ~Context() { pcre2_match_context_free(context); }
    pcre2_match_context* context;
  };
  thread_local Context limited;
  return limited.context;
}

// MatchFrom over `subject`, Matchable(text), with the matched text taken from `text`.
std::optional<RegexMatch> MatchIn(const RegexLiteral& regex, const std::u32string& subject,
                                  const std::u32string& text, size_t from) {
  if (from > subject.size()) return std::nullopt;
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(regex.code.get(), nullptr), pcre2_match_data_free);
  const int rc = pcre2_match(regex.code.get(), CodeUnits(subject), subject.size(), from,
                             PCRE2_NO_UTF_CHECK, data.get(), LimitedContext());
  if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
  if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
    Throw("U1001", -1, regex.source,
          "Regular expression /" + regex.source + "/ gave up on a string of " +
              std::to_string(text.size()) +
              " characters: it needed more than 10,000,000 backtracking steps or 64 MiB. "
              "Simplify the pattern (a repetition inside a repetition, such as (a+)+, "
              "backtracks exponentially)");
  }
  if (rc < 0) Throw("D1004", -1, regex.source, "Regular expression failed: " + ErrorMessage(rc));
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data.get());
  RegexMatch match;
  match.start = ovector[0];
  match.end = ovector[1];
  match.match = text.substr(match.start, match.end - match.start);
  const uint32_t pairs = pcre2_get_ovector_count(data.get());
  for (uint32_t group = 1; group < pairs; ++group) {
    const PCRE2_SIZE start = ovector[2 * group], end = ovector[2 * group + 1];
    if (start == PCRE2_UNSET) {
      match.groups.emplace_back(std::nullopt);
    } else {
      match.groups.emplace_back(text.substr(start, end - start));
    }
  }
  return match;
}

}  // namespace

std::shared_ptr<RegexLiteral> CompileRegex(const std::string& source, const std::string& flags,
                                           int position) {
  uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY;
  if (flags.find('i') != std::string::npos) options |= PCRE2_CASELESS;
  if (flags.find('m') != std::string::npos) options |= PCRE2_MULTILINE;
  std::unique_ptr<pcre2_compile_context, decltype(&pcre2_compile_context_free)> context(
      pcre2_compile_context_create(nullptr), pcre2_compile_context_free);
  pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANY);
  pcre2_set_compile_extra_options(context.get(), PCRE2_EXTRA_ALT_BSUX);
  const std::u32string pattern = ToCodePoints(source);
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(CodeUnits(pattern), pattern.size(), options, &error, &offset, context.get());
  if (code == nullptr) {
    Throw("S0303", position, source,
          "Invalid regular expression /" + source + "/: " + ErrorMessage(error) +
              " (at character " + std::to_string(offset) + ")");
  }
  auto regex = std::make_shared<RegexLiteral>();
  regex->source = source;
  regex->code = std::shared_ptr<const pcre2_code>(
      code, [](const pcre2_code* compiled) { pcre2_code_free(const_cast<pcre2_code*>(compiled)); });
  return regex;
}

std::optional<RegexMatch> MatchFrom(const RegexLiteral& regex, const std::u32string& text,
                                    size_t from) {
  return MatchIn(regex, Matchable(text), text, from);
}

std::vector<RegexMatch> AllMatches(const RegexLiteral& regex, const std::u32string& text,
                                   long limit) {
  std::vector<RegexMatch> out;
  if (limit == 0) return out;
  const std::u32string subject = Matchable(text);
  std::optional<RegexMatch> m = MatchIn(regex, subject, text, 0);
  while (m) {
    out.push_back(*m);
    if (limit >= 0 && static_cast<long>(out.size()) >= limit) break;
    size_t last = m->end;
    if (last >= text.size()) break;
    m = MatchIn(regex, subject, text, last);
    if (m && m->match.empty()) Throw("D1004", -1, regex.source);
  }
  return out;
}

const RegexLiteral* RegexOf(const Value& v) {
  if (!v.is_function()) return nullptr;
  FunctionData* f = v.function();
  return f->kind == FunctionData::Kind::kRegex ? f->regex.get() : nullptr;
}

}  // namespace autoretrain::jsonata
