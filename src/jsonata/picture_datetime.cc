// Date/time pictures: analysis and $fromMillis formatting.
#include "jsonata/picture_datetime.h"

#include <cmath>

#include "jsonata/picture_format.h"
#include "jsonata/picture_memo.h"

namespace autoretrain::jsonata {
namespace picture {

namespace {

bool IsSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v';
}

// The presentation a component has when its marker gives none, or nullptr when the component
// letter is not one XPath defines.
const char32_t* DefaultPresentation(char32_t component) {
  switch (component) {
    case U'Y':
    case U'M':
    case U'D':
    case U'd':
    case U'W':
    case U'w':
    case U'X':
    case U'x':
    case U'H':
    case U'h':
    case U'f':
      return U"1";
    case U'F':
    case U'P':
    case U'C':
    case U'E':
      return U"n";
    case U'm':
    case U's':
      return U"01";
    case U'Z':
    case U'z':
      return U"01:01";
    default:
      return nullptr;
  }
}

bool IsIntegerComponent(char32_t c) {
  return std::u32string_view(U"YMDdFWwXxHhmsf").find(c) != std::u32string_view::npos;
}

// parseInt for a width: leading digits, or nullopt ("*", empty, not a number).
std::optional<int> ParseWidth(std::u32string_view text) {
  int value = 0;
  size_t i = 0;
  while (i < text.size() && text[i] >= U'0' && text[i] <= U'9' && value < 100000) {
    value = value * 10 + static_cast<int>(text[i] - U'0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  return value;
}

Error UnknownComponent(std::u32string_view marker, std::u32string_view picture) {
  return Error{"D3132", "Unknown component specifier " +
                            (marker.empty() ? std::string("(none)") : ToUtf8(marker.substr(0, 1))) +
                            " in date/time picture string \"" + ToUtf8(picture) +
                            "\"; use one of Y M D d F W w X x H h P m s f Z z C E, e.g. [Y0001]"};
}

}  // namespace

Error NameError(char32_t component) {
  return Error{"D3133",
               "The 'name' modifier can only be applied to months and days in the "
               "date/time picture string, not " +
                   ToUtf8(component) + "; use a number format such as [" + ToUtf8(component) +
                   "1] instead of N/n/Nn"};
}

Result<std::vector<PicturePart>> AnalyseDateTimePicture(std::u32string_view picture) {
  std::vector<PicturePart> parts;
  auto add_literal = [&](size_t start, size_t end) {
    if (end <= start) return;
    std::u32string text;
    const std::u32string_view raw = picture.substr(start, end - start);
    for (size_t i = 0; i < raw.size(); ++i) {
      text.push_back(raw[i]);
      if (raw[i] == U']' && i + 1 < raw.size() && raw[i + 1] == U']') ++i;
    }
    PicturePart part;
    part.is_literal = true;
    part.literal = std::move(text);
    parts.push_back(std::move(part));
  };
  size_t start = 0;
  size_t pos = 0;
  while (pos < picture.size()) {
    if (picture[pos] != U'[') {
      ++pos;
      continue;
    }
    if (pos + 1 < picture.size() && picture[pos + 1] == U'[') {
      add_literal(start, pos);
      PicturePart bracket;
      bracket.is_literal = true;
      bracket.literal = U"[";
      parts.push_back(std::move(bracket));
      pos += 2;
      start = pos;
      continue;
    }
    add_literal(start, pos);
    start = pos;
    pos = picture.find(U']', start);
    if (pos == std::u32string_view::npos) {
      return Error{"D3135", "No matching closing bracket ']' in date/time picture string \"" +
                                ToUtf8(picture) + "\" (the marker at character " +
                                std::to_string(start + 1) +
                                "); close it with ']', or write '[[' for a literal '['"};
    }
    std::u32string marker_text;
    for (char32_t c : picture.substr(start + 1, pos - start - 1)) {
      if (!IsSpace(c)) marker_text.push_back(c);
    }
    if (marker_text.empty() || DefaultPresentation(marker_text[0]) == nullptr) {
      return UnknownComponent(marker_text, picture);
    }
    Marker marker;
    marker.component = marker_text[0];
    std::u32string presentation;
    const size_t comma = marker_text.rfind(U',');
    if (comma != std::u32string::npos) {
      const std::u32string width = marker_text.substr(comma + 1);
      const size_t dash = width.find(U'-');
      marker.width_min = ParseWidth(std::u32string_view(width).substr(0, dash));
      if (dash != std::u32string::npos) marker.width_max = ParseWidth(width.substr(dash + 1));
      presentation = marker_text.substr(1, comma - 1);
    } else {
      presentation = marker_text.substr(1);
    }
    if (presentation.size() > 1 &&
        std::u32string_view(U"atco").find(presentation.back()) != std::u32string_view::npos) {
      marker.presentation2 = presentation.back();
      presentation.pop_back();
    }
    if (presentation.empty()) presentation = DefaultPresentation(marker.component);
    marker.presentation = presentation;
    if (presentation[0] == U'n') {
      marker.names = LetterCase::kLower;
    } else if (presentation[0] == U'N') {
      marker.names = presentation.size() > 1 && presentation[1] == U'n' ? LetterCase::kTitle
                                                                        : LetterCase::kUpper;
    } else if (IsIntegerComponent(marker.component)) {
      std::u32string integer_picture = presentation;
      if (marker.presentation2 != 0) {
        integer_picture += U';';
        integer_picture.push_back(marker.presentation2);
      }
      auto format = AnalyseIntegerPicture(integer_picture);
      if (!format.ok()) return format.take_error();
      if (marker.width_min && format->mandatory_digits < *marker.width_min) {
        format->mandatory_digits = *marker.width_min;
      }
      if (marker.component == U'Y') {
        if (marker.width_max) {
          marker.year_digits = *marker.width_max;
          format->mandatory_digits = *marker.width_max;
        } else if (format->mandatory_digits + format->optional_digits >= 2) {
          marker.year_digits = format->mandatory_digits + format->optional_digits;
        }
      }
      marker.integer = std::move(*format);
      // Two numbers with nothing between them: the first must have a fixed width to be parsed.
      if (!parts.empty() && !parts.back().is_literal && parts.back().marker.integer) {
        auto& previous = *parts.back().marker.integer;
        previous.parse_width = previous.mandatory_digits;
      }
    }
    if (marker.component == U'Z' || marker.component == U'z') {
      auto format = AnalyseIntegerPicture(presentation);
      if (!format.ok()) return format.take_error();
      marker.integer = std::move(*format);
    }
    PicturePart part;
    part.marker = std::move(marker);
    parts.push_back(std::move(part));
    ++pos;
    start = pos;
  }
  add_literal(start, pos);
  return parts;
}

namespace {

// The number a numeric component (not P, Z, z, C or E) shows.
double ComponentNumber(const DateFields& date, const Marker& marker) {
  double value = ComponentValue(date, marker.component);
  if (marker.component == U'Y' && marker.year_digits != -1) {
    value = std::fmod(value, std::pow(10, marker.year_digits));
  }
  return value;
}

// Appends a component shown as plain digits (the usual [Y0001], [M01], ...) without the string
// FormatComponent returns; false, leaving `out` alone, for every other component.
bool AppendPlainComponent(const DateFields& date, const Marker& marker, std::u32string& out) {
  const char32_t c = marker.component;
  if (marker.names || !marker.integer || c == U'C' || c == U'E' || c == U'P' || c == U'Z' ||
      c == U'z') {
    return false;
  }
  return AppendPlainDecimal(ComponentNumber(date, marker), *marker.integer, out);
}

Result<std::u32string> FormatComponent(const DateFields& date, const Marker& marker,
                                       int offset_hours, int offset_minutes) {
  const char32_t c = marker.component;
  if (c == U'C' || c == U'E') return std::u32string(U"ISO");
  if (c == U'P') {
    std::u32string text = ComponentValue(date, c) == 1 ? U"pm" : U"am";
    if (marker.names == LetterCase::kUpper) text = AsciiUpper(text);
    return text;
  }
  if (c == U'Z' || c == U'z') {
    const int offset = offset_hours * 100 + offset_minutes;
    std::u32string text;
    if (marker.integer->regular) {
      auto formatted = FormatIntegerWith(offset, *marker.integer);
      if (!formatted.ok()) return formatted.take_error();
      text = *formatted;
    } else {
      const int digits = marker.integer->mandatory_digits;
      if (digits == 1 || digits == 2) {
        auto hours = FormatIntegerWith(std::abs(offset_hours), *marker.integer);
        if (!hours.ok()) return hours.take_error();
        text = (offset < 0 ? U"-" : U"") + *hours;
        if (offset_minutes != 0) {
          const int minutes = std::abs(offset_minutes);
          text += U':';
          text.push_back(U'0' + minutes / 10);
          text.push_back(U'0' + minutes % 10);
        }
      } else if (digits == 3 || digits == 4) {
        auto formatted = FormatIntegerWith(offset, *marker.integer);
        if (!formatted.ok()) return formatted.take_error();
        text = *formatted;
      } else {
        return Error{"D3134",
                     "The timezone integer format specifier cannot have more than four digits "
                     "(marker [" +
                         ToUtf8(c) + ToUtf8(marker.presentation) +
                         "]); use e.g. [Z01:01], [Z0101] or [Z0]"};
      }
    }
    if (offset >= 0) text.insert(text.begin(), U'+');
    if (c == U'z') text = U"GMT" + text;
    if (offset == 0 && marker.presentation2 == U't') text = U"Z";
    return text;
  }
  const double value = ComponentNumber(date, marker);
  if (marker.names) {
    std::u32string name;
    if ((c == U'M' || c == U'x') && value >= 1 && value <= 12) {
      name = kMonthNames[static_cast<int>(value) - 1];
    } else if (c == U'F' && value >= 1 && value <= 7) {
      name = kDayNames[static_cast<int>(value)];
    } else {
      return NameError(c);
    }
    if (*marker.names == LetterCase::kUpper) name = AsciiUpper(name);
    if (*marker.names == LetterCase::kLower) name = AsciiLower(name);
    if (marker.width_max && static_cast<int>(name.size()) > *marker.width_max) {
      name.resize(*marker.width_max);
    }
    return name;
  }
  return FormatIntegerWith(value, *marker.integer);
}

// parseInt of a "+hhmm" / "-hhmm" timezone: leading white space, an optional sign, digits.
std::optional<int> ParseTimezone(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  int value = 0;
  const size_t digits_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - digits_start < 6) {
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits_start) return std::nullopt;
  return negative ? -value : value;
}

constexpr char32_t kIsoPicture[] = U"[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

}  // namespace
}  // namespace picture

Result<std::string> FormatDateTime(int64_t millis, std::optional<std::string_view> picture_text,
                                   std::optional<std::string_view> timezone) {
  const std::vector<picture::PicturePart>* parts = nullptr;
  if (!picture_text) {
    static const auto kIsoParts =
        std::move(picture::AnalyseDateTimePicture(picture::kIsoPicture)).value();
    parts = &kIsoParts;
  } else {
    thread_local picture::PictureMemo<std::string, std::vector<picture::PicturePart>> memo;
    parts = memo.Find(*picture_text);
    if (!parts) {
      auto analysed = picture::AnalyseDateTimePicture(picture::ToU32(*picture_text));
      if (!analysed.ok()) return analysed.take_error();
      parts = &memo.Insert(std::string(*picture_text), std::move(analysed).value());
    }
  }
  int offset_hours = 0;
  int offset_minutes = 0;
  if (timezone) {
    const auto offset = picture::ParseTimezone(*timezone);
    if (!offset) {
      return Error{"T0410",
                   "Argument 3 of function \"fromMillis\" must be a timezone offset "
                   "such as \"+0100\" or \"-0500\", got \"" +
                       std::string(*timezone) + "\""};
    }
    offset_hours = *offset / 100;
    offset_minutes = *offset % 100;
  }
  const int64_t offset_millis = (60LL * offset_hours + offset_minutes) * 60000;
  if (millis < -8640000000000000LL || millis > 8640000000000000LL) {
    return Error{"T0410", "Argument 1 of function \"fromMillis\" (" + std::to_string(millis) +
                              ") is outside the range of a date; give milliseconds between "
                              "-8640000000000000 and 8640000000000000"};
  }
  const picture::DateFields date = picture::FieldsOf(millis + offset_millis);
  std::u32string out;
  out.reserve(64);
  for (const auto& part : *parts) {
    if (part.is_literal) {
      out += part.literal;
      continue;
    }
    if (picture::AppendPlainComponent(date, part.marker, out)) continue;
    auto text = picture::FormatComponent(date, part.marker, offset_hours, offset_minutes);
    if (!text.ok()) return text.take_error();
    out += *text;
  }
  return picture::ToUtf8(out);
}

}  // namespace autoretrain::jsonata
