#include "jsonata/regex_match.h"

#include "jsonata/error.h"
#include "jsonata/evaluator.h"

namespace autoretrain::jsonata {
namespace {

std::optional<RegexMatch> ExecFrom(const RegexLiteral& regex, const std::wstring& w, size_t from) {
  if (from > w.size()) return std::nullopt;
  std::wsmatch m;
  auto flags = std::regex_constants::match_default;
  if (from > 0) flags |= std::regex_constants::match_prev_avail;
  if (!std::regex_search(w.begin() + static_cast<long>(from), w.end(), m, regex.regex, flags)) {
    return std::nullopt;
  }
  RegexMatch r;
  r.start = from + static_cast<size_t>(m.position(0));
  r.end = r.start + static_cast<size_t>(m.length(0));
  std::wstring s = m.str(0);
  r.match.assign(s.begin(), s.end());
  for (size_t g = 1; g < m.size(); ++g) {
    if (m[g].matched) {
      std::wstring gs = m.str(g);
      r.groups.emplace_back(std::u32string(gs.begin(), gs.end()));
    } else {
      r.groups.emplace_back(std::nullopt);
    }
  }
  return r;
}

}  // namespace

std::vector<RegexMatch> AllMatches(const RegexLiteral& regex, const std::u32string& text,
                                   long limit) {
  std::wstring w(text.begin(), text.end());
  std::vector<RegexMatch> out;
  if (limit == 0) return out;
  std::optional<RegexMatch> m = ExecFrom(regex, w, 0);
  while (m) {
    out.push_back(*m);
    if (limit >= 0 && static_cast<long>(out.size()) >= limit) break;
    size_t last = m->end;
    if (last >= w.size()) break;
    m = ExecFrom(regex, w, last);
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
