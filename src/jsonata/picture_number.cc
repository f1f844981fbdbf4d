// $formatNumber: XPath fn:format-number pictures.
#include <charconv>
#include <cmath>
#include <numeric>
#include <vector>

#include "jsonata/picture_format.h"
#include "jsonata/picture_internal.h"
#include "jsonata/picture_memo.h"

namespace autoretrain::jsonata {
namespace {

using picture::ToU32;
using picture::ToUtf8;

// Properties as code points; the single-character ones as one char32_t.
struct Properties {
  char32_t decimal;
  char32_t grouping;
  char32_t exponent;
  char32_t zero;
  char32_t digit;
  char32_t pattern;
  std::u32string infinity;
  std::u32string minus;
  std::u32string nan;
  std::u32string percent;
  std::u32string per_mille;

  bool IsFamilyDigit(char32_t c) const { return c >= zero && c <= zero + 9; }
  bool IsActive(char32_t c) const {
    return IsFamilyDigit(c) || c == decimal || c == exponent || c == grouping || c == digit ||
           c == pattern;
  }
};

// One sub-picture taken apart (F&O 4.7.3).
struct SubPicture {
  std::u32string text;
  std::u32string prefix;
  std::u32string suffix;
  std::u32string active;
  std::u32string mantissa;
  std::optional<std::u32string> exponent;
  std::u32string integer;
  std::u32string fraction;
};

// The variables F&O 4.7.4 derives from a sub-picture.
struct Analysis {
  std::vector<int> integer_grouping;
  int regular_grouping = 0;
  int min_integer = 0;
  int scaling = 0;
  std::u32string prefix;
  std::u32string suffix;
  std::vector<int> fraction_grouping;
  int min_fraction = 0;
  int max_fraction = 0;
  int min_exponent = 0;
  bool has_exponent = false;
  std::u32string text;
};

bool Contains(const std::u32string& text, const std::u32string& needle) {
  return !needle.empty() && text.find(needle) != std::u32string::npos;
}
bool ContainsTwice(const std::u32string& text, const std::u32string& needle) {
  return !needle.empty() && text.find(needle) != text.rfind(needle);
}

SubPicture Split(const std::u32string& text, const Properties& p) {
  SubPicture s;
  s.text = text;
  size_t first = text.size();
  for (size_t i = 0; i < text.size(); ++i) {
    if (p.IsActive(text[i]) && text[i] != p.exponent) {
      first = i;
      break;
    }
  }
  size_t last = text.size();  // one past the last active character
  for (size_t i = text.size(); i > 0; --i) {
    if (p.IsActive(text[i - 1]) && text[i - 1] != p.exponent) {
      last = i;
      break;
    }
  }
  if (first == text.size()) {  // no active character: all of it is (invalid) active part
    first = 0;
    last = text.size();
  }
  s.prefix = text.substr(0, first);
  s.suffix = text.substr(last);
  s.active = text.substr(first, last - first);
  // The exponent separator counts only between active characters.
  const size_t exponent = text.find(p.exponent, first);
  if (exponent == std::u32string::npos || exponent >= last) {
    s.mantissa = s.active;
  } else {
    s.mantissa = s.active.substr(0, exponent - first);
    s.exponent = s.active.substr(exponent - first + 1);
  }
  const size_t decimal = s.mantissa.find(p.decimal);
  if (decimal == std::u32string::npos) {
    s.integer = s.mantissa;
  } else {
    s.integer = s.mantissa.substr(0, decimal);
    s.fraction = s.mantissa.substr(decimal + 1);
  }
  return s;
}

const char* ValidationMessage(const std::string& code) {
  if (code == "D3081") {
    return "The sub-picture must not contain more than one instance of the 'decimal-separator' "
           "character";
  }
  if (code == "D3082") {
    return "The sub-picture must not contain more than one instance of the 'percent' character";
  }
  if (code == "D3083") {
    return "The sub-picture must not contain more than one instance of the 'per-mille' character";
  }
  if (code == "D3084") {
    return "The sub-picture must not contain both a 'percent' and a 'per-mille' character";
  }
  if (code == "D3085") {
    return "The mantissa part of a sub-picture must contain at least one character that is "
           "either an 'optional digit character' or a member of the 'decimal digit family'";
  }
  if (code == "D3086") {
    return "The sub-picture must not contain a passive character that is preceded by an active "
           "character and that is followed by another active character";
  }
  if (code == "D3087") {
    return "A sub-picture must not contain a 'grouping-separator' character that appears "
           "adjacent to a 'decimal-separator' character";
  }
  if (code == "D3088") {
    return "A sub-picture must not contain a 'grouping-separator' at the end of the integer part";
  }
  if (code == "D3089") {
    return "A sub-picture must not contain two adjacent instances of the 'grouping-separator' "
           "character";
  }
  if (code == "D3090") {
    return "The integer part of the sub-picture must not contain a member of the 'decimal digit "
           "family' that is followed by an instance of the 'optional digit character'";
  }
  if (code == "D3091") {
    return "The fractional part of the sub-picture must not contain an instance of the 'optional "
           "digit character' that is followed by a member of the 'decimal digit family'";
  }
  if (code == "D3092") {
    return "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a "
           "character treated as an 'exponent-separator'";
  }
  return "The exponent part of the sub-picture must comprise only of one or more characters that "
         "are members of the 'decimal digit family'";
}

// F&O 4.7.3's rules; when several are broken the last one checked is reported, as in jsonata-js.
Status Validate(const SubPicture& s, const Properties& p) {
  std::string code;
  const std::u32string& text = s.text;
  const size_t decimal = text.find(p.decimal);
  if (decimal != text.rfind(p.decimal)) code = "D3081";
  if (ContainsTwice(text, p.percent)) code = "D3082";
  if (ContainsTwice(text, p.per_mille)) code = "D3083";
  if (Contains(text, p.percent) && Contains(text, p.per_mille)) code = "D3084";
  bool has_digit = false;
  for (char32_t c : s.mantissa) has_digit = has_digit || p.IsFamilyDigit(c) || c == p.digit;
  if (!has_digit) code = "D3085";
  for (char32_t c : s.active) {
    if (!p.IsActive(c)) code = "D3086";
  }
  if (decimal != std::u32string::npos) {
    if ((decimal > 0 && text[decimal - 1] == p.grouping) ||
        (decimal + 1 < text.size() && text[decimal + 1] == p.grouping)) {
      code = "D3087";
    }
  } else if (!s.integer.empty() && s.integer.back() == p.grouping) {
    code = "D3088";
  }
  if (text.find(std::u32string{p.grouping, p.grouping}) != std::u32string::npos) code = "D3089";
  if (size_t optional = s.integer.find(p.digit); optional != std::u32string::npos) {
    for (size_t i = 0; i < optional; ++i) {
      if (p.IsFamilyDigit(s.integer[i])) code = "D3090";
    }
  }
  if (size_t optional = s.fraction.rfind(p.digit); optional != std::u32string::npos) {
    for (size_t i = optional; i < s.fraction.size(); ++i) {
      if (p.IsFamilyDigit(s.fraction[i])) code = "D3091";
    }
  }
  if (s.exponent && !s.exponent->empty() &&
      (Contains(text, p.percent) || Contains(text, p.per_mille))) {
    code = "D3092";
  }
  if (s.exponent) {
    bool bad = s.exponent->empty();
    for (char32_t c : *s.exponent) bad = bad || !p.IsFamilyDigit(c);
    if (bad) code = "D3093";
  }
  if (code.empty()) return OkStatus();
  return Error{code, std::string(ValidationMessage(code)) + " (sub-picture \"" + ToUtf8(text) +
                         "\"); see the XPath 3.1 fn:format-number picture rules"};
}

int CountDigits(std::u32string_view text, const Properties& p, bool optional_too) {
  int count = 0;
  for (char32_t c : text) count += p.IsFamilyDigit(c) || (optional_too && c == p.digit);
  return count;
}

Analysis Analyse(const SubPicture& s, const Properties& p) {
  Analysis a;
  for (size_t g = s.integer.find(p.grouping); g != std::u32string::npos;
       g = s.integer.find(p.grouping, g + 1)) {
    a.integer_grouping.push_back(CountDigits(std::u32string_view(s.integer).substr(g), p, true));
  }
  if (!a.integer_grouping.empty()) {
    int factor = 0;
    for (int position : a.integer_grouping) factor = std::gcd(factor, position);
    bool regular = factor > 0;
    for (size_t k = 1; regular && k <= a.integer_grouping.size(); ++k) {
      bool found = false;
      for (int position : a.integer_grouping) found = found || position == int(k) * factor;
      regular = found;
    }
    a.regular_grouping = regular ? factor : 0;
  }
  for (size_t g = s.fraction.find(p.grouping); g != std::u32string::npos;
       g = s.fraction.find(p.grouping, g + 1)) {
    a.fraction_grouping.push_back(
        CountDigits(std::u32string_view(s.fraction).substr(0, g), p, true));
  }
  a.min_integer = CountDigits(s.integer, p, false);
  a.scaling = a.min_integer;
  a.min_fraction = CountDigits(s.fraction, p, false);
  a.max_fraction = CountDigits(s.fraction, p, true);
  a.has_exponent = s.exponent.has_value();
  if (a.min_integer == 0 && a.max_fraction == 0) {
    if (a.has_exponent) {
      a.min_fraction = 1;
      a.max_fraction = 1;
    } else {
      a.min_integer = 1;
    }
  }
  if (a.has_exponent && a.min_integer == 0 && s.integer.find(p.digit) != std::u32string::npos) {
    a.min_integer = 1;
  }
  if (a.min_integer == 0 && a.min_fraction == 0) a.min_fraction = 1;
  if (a.has_exponent) a.min_exponent = CountDigits(*s.exponent, p, false);
  a.prefix = s.prefix;
  a.suffix = s.suffix;
  a.text = s.text;
  return a;
}

// JavaScript's Math.abs(value).toFixed(places) with the digits of the zero-digit family.
std::u32string FixedDigits(double value, int places, const Properties& p) {
  std::vector<char> buffer(400 + places);
  // printf's "%.*f" digits (both exact), without the format parsing.
  const auto printed = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::fabs(value),
                                     std::chars_format::fixed, places);
  std::u32string text = ToU32(std::string_view(buffer.data(), printed.ptr - buffer.data()));
  for (char32_t& c : text) {
    if (c >= U'0' && c <= U'9') c = c - U'0' + p.zero;
  }
  return text;
}

std::u32string Format(double value, const Analysis& pic, const Properties& p) {
  double adjusted = value;
  if (Contains(pic.text, p.percent)) {
    adjusted = value * 100;
  } else if (Contains(pic.text, p.per_mille)) {
    adjusted = value * 1000;
  }
  if (std::isinf(adjusted)) return pic.prefix + p.infinity + pic.suffix;
  double mantissa = std::fabs(adjusted);
  int exponent = 0;
  if (pic.min_exponent > 0 && mantissa != 0) {
    const double max_mantissa = std::pow(10, pic.scaling);
    const double min_mantissa = std::pow(10, pic.scaling - 1);
    while (mantissa < min_mantissa) {
      mantissa *= 10;
      exponent -= 1;
    }
    while (mantissa > max_mantissa) {
      mantissa /= 10;
      exponent += 1;
    }
  }
  // toFixed accepts at most 100 places.
  const int places = std::min(pic.max_fraction, 100);
  const double rounded = picture::JsRound(mantissa, places);
  std::u32string text = FixedDigits(rounded, places, p);
  if (size_t dot = text.find(U'.'); dot == std::u32string::npos) {
    text.push_back(p.decimal);
  } else {
    text[dot] = p.decimal;
  }
  size_t leading = 0;
  while (leading < text.size() && text[leading] == p.zero) ++leading;
  text.erase(0, leading);
  while (!text.empty() && text.back() == p.zero) text.pop_back();

  size_t decimal = text.find(p.decimal);
  const int pad_left = pic.min_integer - static_cast<int>(decimal);
  const int pad_right = pic.min_fraction - static_cast<int>(text.size() - decimal - 1);
  if (pad_left > 0) text.insert(0, pad_left, p.zero);
  if (pad_right > 0) text.append(pad_right, p.zero);
  decimal = text.find(p.decimal);

  if (pic.regular_grouping > 0) {
    const int groups = (static_cast<int>(decimal) - 1) / pic.regular_grouping;
    for (int group = 1; group <= groups; ++group) {
      text.insert(decimal - group * pic.regular_grouping, 1, p.grouping);
    }
  } else {
    for (int position : pic.integer_grouping) {
      if (position <= 0 || static_cast<size_t>(position) >= decimal) continue;
      text.insert(decimal - position, 1, p.grouping);
      ++decimal;
    }
  }
  decimal = text.find(p.decimal);
  size_t inserted = 0;
  for (int position : pic.fraction_grouping) {
    const size_t at = decimal + 1 + position + inserted;
    if (at >= text.size()) continue;
    text.insert(at, 1, p.grouping);
    ++inserted;
  }
  decimal = text.find(p.decimal);
  if (pic.text.find(p.decimal) == std::u32string::npos || decimal == text.size() - 1) {
    text.pop_back();
  }
  if (pic.has_exponent) {
    std::u32string digits = FixedDigits(exponent, 0, p);
    if (static_cast<int>(digits.size()) < pic.min_exponent) {
      digits.insert(0, pic.min_exponent - digits.size(), p.zero);
    }
    text.push_back(p.exponent);
    if (exponent < 0) text += p.minus;
    text += digits;
  }
  return pic.prefix + text + pic.suffix;
}

}  // namespace

Result<NumberFormatOptions> NumberFormatOptionsFrom(const json::Object* options) {
  NumberFormatOptions result;
  if (options == nullptr) return result;
  struct Field {
    const char* key;
    std::string NumberFormatOptions::*member;
    bool single;
  };
  static constexpr Field kFields[] = {
      {"decimal-separator", &NumberFormatOptions::decimal_separator, true},
      {"grouping-separator", &NumberFormatOptions::grouping_separator, true},
      {"exponent-separator", &NumberFormatOptions::exponent_separator, true},
      {"infinity", &NumberFormatOptions::infinity, false},
      {"minus-sign", &NumberFormatOptions::minus_sign, false},
      {"NaN", &NumberFormatOptions::nan, false},
      {"percent", &NumberFormatOptions::percent, false},
      {"per-mille", &NumberFormatOptions::per_mille, false},
      {"zero-digit", &NumberFormatOptions::zero_digit, true},
      {"digit", &NumberFormatOptions::digit, true},
      {"pattern-separator", &NumberFormatOptions::pattern_separator, true},
  };
  for (const auto& field : kFields) {
    const auto* value = options->if_contains(field.key);
    if (value == nullptr) continue;
    if (!value->is_string() || value->as_string().empty()) {
      return Error{"T0410", std::string("Argument 3 of function \"formatNumber\": option \"") +
                                field.key + "\" must be a non-empty string, got " +
                                json::Serialize(*value) + "; for example {\"" + field.key +
                                "\": \"" + ToUtf8(ToU32(result.*field.member)) + "\"}"};
    }
    const std::string text(value->as_string());
    if (field.single && ToU32(text).size() != 1) {
      return Error{"T0410", std::string("Argument 3 of function \"formatNumber\": option \"") +
                                field.key + "\" must be a single character, got \"" + text +
                                "\"; give exactly one character"};
    }
    result.*field.member = text;
  }
  return result;
}

namespace {

// A picture analysed under its options: the properties and one analysis per sub-picture (the
// negative one made from the positive when the picture has no second).
struct NumberPicture {
  Properties properties;
  std::vector<Analysis> analyses;
};

Result<NumberPicture> AnalyseNumberPicture(std::string_view picture,
                                           const NumberFormatOptions& options) {
  NumberPicture result;
  Properties& p = result.properties;
  auto one = [](const std::string& text, char32_t fallback) {
    const std::u32string u = ToU32(text);
    return u.empty() ? fallback : u[0];
  };
  p.decimal = one(options.decimal_separator, U'.');
  p.grouping = one(options.grouping_separator, U',');
  p.exponent = one(options.exponent_separator, U'e');
  p.zero = one(options.zero_digit, U'0');
  p.digit = one(options.digit, U'#');
  p.pattern = one(options.pattern_separator, U';');
  p.infinity = ToU32(options.infinity);
  p.minus = ToU32(options.minus_sign);
  p.nan = ToU32(options.nan);
  p.percent = ToU32(options.percent);
  p.per_mille = ToU32(options.per_mille);

  const std::u32string text = ToU32(picture);
  std::vector<std::u32string> subpictures(1);
  for (char32_t c : text) {
    if (c == p.pattern) {
      subpictures.emplace_back();
    } else {
      subpictures.back().push_back(c);
    }
  }
  if (subpictures.size() > 2) {
    return Error{"D3080",
                 "The picture string must only contain a maximum of two sub-pictures (picture \"" +
                     std::string(picture) +
                     "\"); use one pattern separator at most, between the positive and the "
                     "negative sub-picture"};
  }
  std::vector<Analysis>& analyses = result.analyses;
  for (const auto& sub : subpictures) {
    const SubPicture parts = Split(sub, p);
    if (auto status = Validate(parts, p); !status.ok()) return status.take_error();
    analyses.push_back(Analyse(parts, p));
  }
  if (analyses.size() == 1) {
    analyses.push_back(analyses[0]);
    analyses[1].prefix = p.minus + analyses[1].prefix;
  }
  return result;
}

struct NumberPictureKey {
  std::string picture;
  NumberFormatOptions options;
};

// A memo lookup without copying the picture and the options into a key.
struct NumberPictureQuery {
  std::string_view picture;
  const NumberFormatOptions& options;
};

bool operator==(const NumberPictureKey& key, const NumberPictureQuery& query) {
  return key.picture == query.picture && key.options == query.options;
}

}  // namespace

Result<std::string> FormatNumber(double value, std::string_view picture,
                                 const NumberFormatOptions& options) {
  thread_local picture::PictureMemo<NumberPictureKey, NumberPicture> memo;
  const NumberPicture* analysed = memo.Find(NumberPictureQuery{picture, options});
  if (!analysed) {
    auto fresh = AnalyseNumberPicture(picture, options);
    if (!fresh.ok()) return fresh.take_error();
    analysed =
        &memo.Insert(NumberPictureKey{std::string(picture), options}, std::move(fresh).value());
  }
  const Properties& p = analysed->properties;
  if (std::isnan(value)) return ToUtf8(p.nan);
  return ToUtf8(Format(value, value >= 0 ? analysed->analyses[0] : analysed->analyses[1], p));
}

}  // namespace autoretrain::jsonata
