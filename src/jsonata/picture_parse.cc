// $toMillis: ISO 8601 timestamps, and timestamps read with a date/time picture.
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <unordered_set>

#include "jsonata/picture_datetime.h"
#include "jsonata/picture_format.h"

namespace autoretrain::jsonata {
namespace picture {
namespace {

enum class MatchKind { kLiteral, kDigits, kLetters, kRoman, kWords, kName, kTimezone };

// How one part of the picture matches text: a literal (case-insensitive) or a component.
struct Matcher {
  MatchKind kind = MatchKind::kLiteral;
  std::u32string literal;  // lower case
  const Marker* marker = nullptr;
  std::vector<std::pair<std::u32string, double>> names;  // lower case
  char32_t separator = 0;  // timezone hours/minutes separator, lower case (0 = none)
};

bool IsAsciiLetter(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

Result<Matcher> MatcherFor(const PicturePart& part) {
  Matcher m;
  if (part.is_literal) {
    m.literal = AsciiLower(part.literal);
    return m;
  }
  const Marker& marker = part.marker;
  m.marker = &marker;
  const char32_t c = marker.component;
  if (c == U'Z' || c == U'z') {
    m.kind = MatchKind::kTimezone;
    if (marker.integer->regular) {
      m.separator = AsciiLower(std::u32string(1, marker.integer->regular_character))[0];
    }
    return m;
  }
  if (marker.integer && !marker.names) {
    switch (marker.integer->primary) {
      case IntegerPrimary::kDecimal:
        m.kind = MatchKind::kDigits;
        break;
      case IntegerPrimary::kLetters:
        m.kind = MatchKind::kLetters;
        break;
      case IntegerPrimary::kRoman:
        m.kind = MatchKind::kRoman;
        break;
      case IntegerPrimary::kWords:
        m.kind = MatchKind::kWords;
        break;
      case IntegerPrimary::kSequence:
        return SequenceError(marker.integer->token);
    }
    return m;
  }
  m.kind = MatchKind::kName;
  auto add = [&](std::u32string_view name, double value) {
    std::u32string key = AsciiLower(name);
    if (marker.width_max && static_cast<int>(key.size()) > *marker.width_max) {
      key.resize(*marker.width_max);
    }
    m.names.emplace_back(std::move(key), value);
  };
  if (c == U'M' || c == U'x') {
    for (int i = 0; i < 12; ++i) add(kMonthNames[i], i + 1);
  } else if (c == U'F') {
    for (int i = 1; i <= 7; ++i) add(kDayNames[i], i);
  } else if (c == U'P') {
    m.names = {{U"am", 0}, {U"pm", 1}};
  } else {
    return NameError(c);
  }
  return m;
}

size_t RunLength(const std::u32string& text, size_t pos, const std::function<bool(char32_t)>& in) {
  size_t end = pos;
  while (end < text.size() && in(text[end])) ++end;
  return end - pos;
}

bool IsOrdinalSuffix(const std::u32string& lower, size_t at) {
  if (at + 2 > lower.size()) return false;
  const std::u32string_view s = std::u32string_view(lower).substr(at, 2);
  return s == U"th" || s == U"st" || s == U"nd" || s == U"rd";
}

// Where a match of `m` starting at `pos` may end, longest first (the order a greedy regular
// expression tries them).
std::vector<size_t> Ends(const Matcher& m, const std::u32string& lower, size_t pos) {
  std::vector<size_t> ends;
  auto add_runs = [&](size_t run) {
    for (size_t k = run; k >= 1; --k) ends.push_back(pos + k);
  };
  switch (m.kind) {
    case MatchKind::kLiteral:
      if (lower.compare(pos, m.literal.size(), m.literal) == 0)
        ends.push_back(pos + m.literal.size());
      break;
    case MatchKind::kDigits: {
      const IntegerFormat& f = *m.marker->integer;
      const size_t run =
          RunLength(lower, pos, [&](char32_t c) { return c >= f.zero && c <= f.zero + 9; });
      std::vector<size_t> digit_ends;
      if (f.parse_width > 0) {
        if (run >= static_cast<size_t>(f.parse_width)) digit_ends.push_back(pos + f.parse_width);
      } else {
        for (size_t k = run; k >= 1; --k) digit_ends.push_back(pos + k);
      }
      for (size_t end : digit_ends) {
        if (!f.ordinal) {
          ends.push_back(end);
        } else if (IsOrdinalSuffix(lower, end)) {
          ends.push_back(end + 2);
        }
      }
      break;
    }
    case MatchKind::kLetters:
    case MatchKind::kName:
      add_runs(RunLength(lower, pos, IsAsciiLetter));
      break;
    case MatchKind::kRoman:
      add_runs(RunLength(lower, pos, [](char32_t c) {
        return std::u32string_view(U"mdclxvi").find(c) != std::u32string_view::npos;
      }));
      break;
    case MatchKind::kWords: {
      std::vector<char> reach(lower.size() + 1, 0);
      reach[pos] = 1;
      for (size_t p = pos; p < lower.size(); ++p) {
        if (!reach[p]) continue;
        const char32_t c = lower[p];
        if (c == U'-' || c == U',' || c == U' ') reach[p + 1] = 1;
        for (const auto& word : NumberWords()) {
          if (lower.compare(p, word.size(), word) == 0) reach[p + word.size()] = 1;
        }
      }
      for (size_t p = lower.size(); p > pos; --p) {
        if (reach[p]) ends.push_back(p);
      }
      break;
    }
    case MatchKind::kTimezone: {
      size_t p = pos;
      if (m.marker->presentation2 == U't' && p < lower.size() && lower[p] == U'z') {
        ends.push_back(p + 1);
      }
      if (m.marker->component == U'z') {
        if (lower.compare(p, 3, U"gmt") != 0) break;
        p += 3;
      }
      if (p >= lower.size() || (lower[p] != U'+' && lower[p] != U'-')) break;
      ++p;
      auto is_digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
      const size_t hours = RunLength(lower, p, is_digit);
      if (hours == 0) break;
      if (m.separator == 0) {
        for (size_t k = hours; k >= 1; --k) ends.push_back(p + k);
        break;
      }
      p += hours;
      if (p >= lower.size() || lower[p] != m.separator) break;
      ++p;
      const size_t minutes = RunLength(lower, p, is_digit);
      for (size_t k = minutes; k >= 1; --k) ends.push_back(p + k);
      break;
    }
  }
  return ends;
}

// The timezone offset in minutes a [Z]/[z] match denotes.
double TimezoneMinutes(const Matcher& m, std::u32string_view text) {
  if (m.marker->component == U'z' && text.size() >= 3 && AsciiLower(text.substr(0, 3)) == U"gmt") {
    text.remove_prefix(3);
  }
  if (text == U"Z" || text == U"z") return 0;
  const double sign = text[0] == U'-' ? -1 : 1;
  text.remove_prefix(1);
  auto number = [](std::u32string_view digits) {
    double value = 0;
    for (char32_t c : digits) value = value * 10 + (c - U'0');
    return value;
  };
  double hours = 0;
  double minutes = 0;
  if (m.separator != 0) {
    const size_t at = text.find(m.separator);
    hours = number(text.substr(0, at));
    minutes = number(text.substr(at + 1));
  } else if (text.size() <= 2) {
    hours = number(text);
  } else {
    hours = number(text.substr(0, 2));
    minutes = number(text.substr(2));
  }
  return sign * (hours * 60 + minutes);
}

// The value of one matched component, or nullopt when the text is not a valid one.
std::optional<double> ComponentFromText(const Matcher& m, std::u32string_view text) {
  switch (m.kind) {
    case MatchKind::kLiteral:
      return std::nullopt;
    case MatchKind::kTimezone:
      return TimezoneMinutes(m, text);
    case MatchKind::kName: {
      const std::u32string key = AsciiLower(text);
      for (const auto& [name, value] : m.names) {
        if (name == key) return value;
      }
      return std::nullopt;
    }
    case MatchKind::kDigits:
      if (m.marker->component == U'f') {
        // Fractional seconds are a decimal fraction: "5" is 500 ms, "01987" is 19 ms.
        const IntegerFormat& f = *m.marker->integer;
        double millis = 0;
        for (size_t i = 0; i < 3; ++i) {
          millis = millis * 10 + (i < text.size() ? static_cast<double>(text[i] - f.zero) : 0);
        }
        return millis;
      }
      [[fallthrough]];
    default: {
      auto value = ParseIntegerWith(text, *m.marker->integer);
      if (!value.ok()) return std::nullopt;
      return *value;
    }
  }
}

// Finds how the parts split `lower`, exploring the longest matches first and backtracking, also
// past a piece of text that has the right characters but is no valid value (such as "m" for
// [P]): each component's value is read as soon as its text is chosen.
class PictureMatch {
 public:
  PictureMatch(const std::vector<Matcher>& matchers, const std::u32string& lower)
      : matchers_(matchers), lower_(lower), values_(matchers.size()) {}

  bool Run() { return From(0, 0); }
  // The value read for component part `part` (after a successful Run).
  double Value(size_t part) const { return *values_[part]; }

 private:
  bool From(size_t part, size_t pos) {
    if (part == matchers_.size()) return pos == lower_.size();
    const uint64_t key = (static_cast<uint64_t>(part) << 40) | pos;
    if (failed_.count(key) != 0) return false;
    const Matcher& matcher = matchers_[part];
    for (size_t end : Ends(matcher, lower_, pos)) {
      if (matcher.kind != MatchKind::kLiteral) {
        values_[part] =
            ComponentFromText(matcher, std::u32string_view(lower_).substr(pos, end - pos));
        if (!values_[part]) continue;
      }
      if (From(part + 1, end)) return true;
    }
    failed_.insert(key);
    return false;
  }

  const std::vector<Matcher>& matchers_;
  const std::u32string& lower_;
  std::vector<std::optional<double>> values_;
  std::unordered_set<uint64_t> failed_;
};

Error MissingComponents(std::u32string_view picture) {
  return Error{"D3136",
               "The date/time picture string is missing specifiers required to parse "
               "the timestamp (picture \"" +
                   ToUtf8(picture) +
                   "\"); give a contiguous run of Y M D (or Y d) and H m s f (or P h m "
                   "s f), e.g. [Y0001]-[M01]-[D01] [H01]:[m01]"};
}

Result<std::optional<int64_t>> ParseWithPicture(std::u32string_view timestamp,
                                                std::u32string_view picture, int64_t now_millis) {
  using Out = std::optional<int64_t>;
  auto parts = AnalyseDateTimePicture(picture);
  if (!parts.ok()) return parts.take_error();
  std::vector<Matcher> matchers;
  for (const auto& part : *parts) {
    auto matcher = MatcherFor(part);
    if (!matcher.ok()) return matcher.take_error();
    matchers.push_back(std::move(*matcher));
  }
  const std::u32string lower = AsciiLower(timestamp);
  PictureMatch match(matchers, lower);
  if (!match.Run()) return Out();

  std::array<std::optional<double>, 128> components;
  bool any = false;
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (matchers[i].kind == MatchKind::kLiteral) continue;
    components[matchers[i].marker->component & 0x7F] = match.Value(i);
    any = true;
  }
  if (!any) return Out();

  auto& comp = components;
  auto given = [&](char c) { return comp[c].has_value(); };
  int mask = 0;
  auto shift = [&](char c) { mask = (mask << 1) | (given(c) && *comp[c] != 0 ? 1 : 0); };
  auto is_type = [&](int type) { return (~type & mask) == 0 && (type & mask) != 0; };
  for (char c : std::string_view("YXMxWwdD")) shift(c);
  const bool date_a = is_type(0b10100001);
  const bool date_b = !date_a && is_type(0b10000010);
  const bool date_c = is_type(0b01010100);
  const bool date_d = !date_c && is_type(0b01001000);
  mask = 0;
  for (char c : std::string_view("PHhmsf")) shift(c);
  const bool time_a = is_type(0b010111);
  const bool time_b = !time_a && is_type(0b101111);

  // jsonata-js lists "YD" for day-of-year dates, which makes any time after [d] an error; the
  // component actually given is d.
  const std::string order = std::string(date_b   ? "Yd"
                                        : date_c ? "XxwF"
                                        : date_d ? "XWF"
                                                 : "YMD") +
                            (time_b ? "Phmsf" : "Hmsf");
  // Before the first given component: the current time's; after the last: the minimum; a gap
  // between given components cannot be filled.
  const DateFields now = FieldsOf(now_millis);
  bool started = false;
  bool ended = false;
  for (char c : order) {
    if (!given(c)) {
      if (started) {
        comp[c] = std::string_view("MDd").find(c) != std::string_view::npos ? 1 : 0;
        ended = true;
      } else {
        comp[c] = c == 'P' ? 0 : ComponentValue(now, static_cast<char32_t>(c));
      }
    } else {
      started = true;
      if (ended) return MissingComponents(picture);
    }
  }
  // ISO week dates cannot be read back (as in jsonata-js).
  if (date_c || date_d) return MissingComponents(picture);
  double month0 = comp['M'].value_or(0) > 0 ? *comp['M'] - 1 : 0;
  double day = comp['D'].value_or(1);
  if (date_b) {
    const double day_of_year = DateUtc(*comp['Y'], 0) + (*comp['d'] - 1) * 86400000;
    if (std::isnan(day_of_year) || std::fabs(day_of_year) > 8.64e15) return Out();
    const DateFields derived = FieldsOf(static_cast<int64_t>(day_of_year));
    month0 = derived.month0;
    day = derived.day;
  }
  double hours = comp['H'].value_or(0);
  if (time_b) {
    hours = *comp['h'] == 12 ? 0 : *comp['h'];
    if (*comp['P'] == 1) hours += 12;
  }
  double millis = DateUtc(*comp['Y'], month0, day, hours, *comp['m'], *comp['s'], *comp['f']);
  if (std::isnan(millis)) return Out();
  const double offset = comp['Z'].value_or(0) != 0 ? *comp['Z'] : comp['z'].value_or(0);
  millis -= offset * 60000;
  return Out(static_cast<int64_t>(millis));
}

}  // namespace
}  // namespace picture

Result<std::optional<int64_t>> ParseDateTimeAt(std::string_view timestamp,
                                               std::optional<std::string_view> picture_text,
                                               int64_t now_millis) {
  if (!picture_text) {
    if (auto millis = picture::ParseIso(timestamp)) return std::optional<int64_t>(*millis);
    return Error{"D3110",
                 "The argument of the toMillis function must be an ISO 8601 formatted "
                 "timestamp. Given \"" +
                     std::string(timestamp) +
                     "\"; write e.g. \"2018-03-27\" or \"2018-03-27T14:03:00.123Z\", or "
                     "pass a picture as the second argument"};
  }
  return picture::ParseWithPicture(picture::ToU32(timestamp), picture::ToU32(*picture_text),
                                   now_millis);
}

Result<std::optional<int64_t>> ParseDateTime(std::string_view timestamp,
                                             std::optional<std::string_view> picture_text) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return ParseDateTimeAt(timestamp, picture_text, now);
}

}  // namespace autoretrain::jsonata
