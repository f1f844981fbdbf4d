// English number words for the "w", "W" and "Ww" integer pictures, both directions.
#include <cmath>
#include <map>

#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata::picture {
namespace {

constexpr const char32_t* kFew[] = {U"Zero",    U"One",     U"Two",       U"Three",    U"Four",
                                    U"Five",    U"Six",     U"Seven",     U"Eight",    U"Nine",
                                    U"Ten",     U"Eleven",  U"Twelve",    U"Thirteen", U"Fourteen",
                                    U"Fifteen", U"Sixteen", U"Seventeen", U"Eighteen", U"Nineteen"};
constexpr const char32_t* kOrdinals[] = {
    U"Zeroth",    U"First",     U"Second",      U"Third",      U"Fourth",
    U"Fifth",     U"Sixth",     U"Seventh",     U"Eighth",     U"Ninth",
    U"Tenth",     U"Eleventh",  U"Twelfth",     U"Thirteenth", U"Fourteenth",
    U"Fifteenth", U"Sixteenth", U"Seventeenth", U"Eighteenth", U"Nineteenth"};
constexpr const char32_t* kDecades[] = {U"Twenty", U"Thirty",  U"Forty",  U"Fifty",
                                        U"Sixty",  U"Seventy", U"Eighty", U"Ninety"};
constexpr const char32_t* kMagnitudes[] = {U"Thousand", U"Million", U"Billion", U"Trillion"};

// Words for `num` (an integer >= 0); `after` says words precede it (so it is joined with " and "
// or ", "), `ordinal` asks for the ordinal form of the last word.
std::u32string Lookup(double num, bool after, bool ordinal) {
  std::u32string words;
  if (num <= 19) {
    const auto index = static_cast<size_t>(num);
    words = std::u32string(after ? U" and " : U"") + (ordinal ? kOrdinals[index] : kFew[index]);
  } else if (num < 100) {
    const auto tens = static_cast<size_t>(num / 10);
    const double remainder = std::fmod(num, 10);
    words = std::u32string(after ? U" and " : U"") + kDecades[tens - 2];
    if (remainder > 0) {
      words += U"-" + Lookup(remainder, false, ordinal);
    } else if (ordinal) {
      words.pop_back();  // Twenty -> Twentieth
      words += U"ieth";
    }
  } else if (num < 1000) {
    const auto hundreds = static_cast<size_t>(num / 100);
    const double remainder = std::fmod(num, 100);
    words = std::u32string(after ? U", " : U"") + kFew[hundreds] + U" Hundred";
    if (remainder > 0) {
      words += Lookup(remainder, true, ordinal);
    } else if (ordinal) {
      words += U"th";
    }
  } else {
    // Above a trillion the magnitudes repeat: "ten billion trillion trillion trillion".
    int magnitude = static_cast<int>(std::floor(std::log10(num) / 3));
    if (magnitude > 4) magnitude = 4;
    const double factor = std::pow(10, magnitude * 3);
    const double mantissa = std::floor(num / factor);
    const double remainder = num - mantissa * factor;
    words = std::u32string(after ? U", " : U"") + Lookup(mantissa, false, false) + U" " +
            kMagnitudes[magnitude - 1];
    if (remainder > 0) {
      words += Lookup(remainder, true, ordinal);
    } else if (ordinal) {
      words += U"th";
    }
  }
  return words;
}

const std::map<std::u32string, double>& WordValues() {
  static const auto* values = [] {
    auto* map = new std::map<std::u32string, double>();
    for (int i = 0; i < 20; ++i) {
      (*map)[AsciiLower(kFew[i])] = i;
      (*map)[AsciiLower(kOrdinals[i])] = i;
    }
    for (int i = 0; i < 8; ++i) {
      std::u32string word = AsciiLower(kDecades[i]);
      (*map)[word] = (i + 2) * 10;
      word.pop_back();
      (*map)[word + U"ieth"] = (i + 2) * 10;
    }
    (*map)[U"hundred"] = 100;
    (*map)[U"hundredth"] = 100;
    for (int i = 0; i < 4; ++i) {
      const std::u32string word = AsciiLower(kMagnitudes[i]);
      (*map)[word] = std::pow(10, (i + 1) * 3);
      (*map)[word + U"th"] = std::pow(10, (i + 1) * 3);
    }
    return map;
  }();
  return *values;
}

bool IsWordSpace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
         c == 0xA0;
}

}  // namespace

std::u32string NumberToWords(double value, bool ordinal) { return Lookup(value, false, ordinal); }

const std::vector<std::u32string>& NumberWords() {
  static const auto* words = [] {
    auto* list = new std::vector<std::u32string>();
    for (const auto& [word, value] : WordValues()) list->push_back(word);
    list->push_back(U"and");
    return list;
  }();
  return *words;
}

std::optional<double> WordsToNumber(std::u32string_view text) {
  const std::u32string lower = AsciiLower(text);
  // Words are separated by ", ", " and ", white space, '-' or '\'.
  std::vector<std::u32string> words;
  std::u32string word;
  size_t i = 0;
  while (i < lower.size()) {
    const char32_t c = lower[i];
    size_t separator = 0;
    if (c == U',' && i + 1 < lower.size() && IsWordSpace(lower[i + 1])) {
      separator = 2;
    } else if (IsWordSpace(c) && lower.compare(i + 1, 3, U"and") == 0 && i + 4 < lower.size() &&
               IsWordSpace(lower[i + 4])) {
      separator = 5;
    } else if (IsWordSpace(c) || c == U'-' || c == U'\\') {
      separator = 1;
    }
    if (separator == 0) {
      word.push_back(c);
      ++i;
      continue;
    }
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
    i += separator;
  }
  if (!word.empty()) words.push_back(std::move(word));
  if (words.empty()) return std::nullopt;

  const auto& values = WordValues();
  std::vector<double> segments = {0};
  for (const auto& w : words) {
    if (w == U"and") continue;
    auto it = values.find(w);
    if (it == values.end()) return std::nullopt;
    const double value = it->second;
    if (value < 100) {
      double top = segments.back();
      segments.pop_back();
      if (top >= 1000) {
        segments.push_back(top);
        top = 0;
      }
      segments.push_back(top + value);
    } else {
      segments.back() *= value;
    }
  }
  double total = 0;
  for (double s : segments) total += s;
  return total;
}

}  // namespace autoretrain::jsonata::picture
