// Internal: XPath date/time pictures ("[Y0001]-[M01]-[D01]", "[FNn], [D1o] [MNn]") analysed into
// literal text and variable markers, and the calendar arithmetic ($fromMillis and $toMillis share
// it; jsonata-js's component rules, proleptic Gregorian calendar, UTC).
//
// Thread-safety: pure functions and plain values.
#ifndef AUTORETRAIN_JSONATA_PICTURE_DATETIME_H_
#define AUTORETRAIN_JSONATA_PICTURE_DATETIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/common/result.h"
#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata::picture {

// One variable marker, e.g. [D1o] or [MNn,3-3].
struct Marker {
  char32_t component = 0;        // Y M D d F W w X x H h P m s f Z z C E
  std::u32string presentation;   // first presentation modifier ("01", "Nn", "w", ...)
  char32_t presentation2 = 0;    // 'o', 'c', 'a', 't' or 0
  std::optional<int> width_min;  // the width modifier ",min-max"
  std::optional<int> width_max;
  std::optional<LetterCase> names;  // "N", "n" or "Nn": the name instead of a number
  std::optional<IntegerFormat> integer;
  int year_digits = -1;  // [Y..]: the number of year digits to print (-1 = all)
};

struct PicturePart {
  bool is_literal = false;
  std::u32string literal;
  Marker marker;
};

// Splits a date/time picture into literals ("[[" and "]]" unescaped) and markers (white space
// inside a marker ignored). Errors: D3135 (a '[' without ']'), D3132 (an unknown component),
// D3131 (mixed digit families).
Result<std::vector<PicturePart>> AnalyseDateTimePicture(std::u32string_view picture);

// The D3133 error: a name presentation ("N", "n", "Nn") on a component that has no names.
Error NameError(char32_t component);

// JavaScript's Date.UTC: months and days may overflow into the next unit, years 0..99 mean
// 1900..1999. NaN when an argument is not finite or the result is outside +-8.64e15 ms.
double DateUtc(double year, double month0, double day = 1, double hours = 0, double minutes = 0,
               double seconds = 0, double millis = 0);

// The UTC calendar fields of an instant.
struct DateFields {
  int64_t year = 1970;
  int month0 = 0;   // 0..11
  int day = 1;      // 1..31
  int weekday = 4;  // 0 = Sunday .. 6 = Saturday
  int hours = 0;
  int minutes = 0;
  int seconds = 0;
  int millis = 0;
  int64_t epoch_millis = 0;
};
DateFields FieldsOf(int64_t epoch_millis);

// The numeric value of a component for `date` as jsonata-js computes it (ISO week rules for W, w,
// X, x; F is 1 = Monday .. 7 = Sunday; P is 0 = am, 1 = pm).
double ComponentValue(const DateFields& date, char32_t component);

// The instant of an ISO 8601 timestamp as $toMillis reads it without a picture:
// YYYY[-MM[-DD[Thh:mm:ss[.f...][Z|+hh:mm|+hhmm]]]], no offset meaning UTC, fractions beyond
// milliseconds truncated. nullopt when `text` is not of that form or not a real date.
std::optional<int64_t> ParseIso(std::string_view text);

extern const char32_t* const kMonthNames[12];  // "January" ..
extern const char32_t* const kDayNames[8];     // "", "Monday" .. "Sunday"

}  // namespace autoretrain::jsonata::picture

#endif  // AUTORETRAIN_JSONATA_PICTURE_DATETIME_H_
