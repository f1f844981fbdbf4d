// $formatInteger and $parseInteger against every case of the JSONata reference suite's
// function-formatInteger and function-parseInteger groups (arguments transcribed from each
// case's expression; undefined inputs are the evaluator's), plus round trips and edge cases.
#include <optional>

#include <gtest/gtest.h>

#include "jsonata/picture_format.h"
#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata {
namespace {

struct FormatCase {
  const char* expr;
  double value;
  const char* picture;
  const char* result;  // nullptr when an error is expected
  const char* code;
};

const FormatCase kFormatCases[] = {
    {"$formatInteger(123, '000')", 123, "000", "123", nullptr},
    {"$formatInteger(123, '0000')", 123, "0000", "0123", nullptr},
    {"$formatInteger(-3, '0000')", -3, "0000", "-0003", nullptr},
    {"$formatInteger(1234, '0;c')", 1234, "0;c", "1234", nullptr},
    {"$formatInteger(1234, '###0')", 1234, "###0", "1234", nullptr},
    {"$formatInteger(12, '###0')", 12, "###0", "12", nullptr},
    {"$formatInteger(12.6, '###0')", 12.6, "###0", "12", nullptr},
    {"$formatInteger(123, '000;o')", 123, "000;o", "123rd", nullptr},
    {"$formatInteger(1, '0;o')", 1, "0;o", "1st", nullptr},
    {"$formatInteger(28, '#0;o')", 28, "#0;o", "28th", nullptr},
    {"$formatInteger(1234, '###0;o')", 1234, "###0;o", "1234th", nullptr},
    {"$formatInteger(12, '###0;o')", 12, "###0;o", "12th", nullptr},
    {"$formatInteger(12340, '###١')", 12340, "###١", "١٢٣٤٠", nullptr},
    {"$formatInteger(12340, '###０')", 12340, "###０", "１２３４０", nullptr},
    {"$formatInteger(12340, '##0０')", 12340, "##0０", nullptr, "D3131"},
    {"$formatInteger(12, '#,##0')", 12, "#,##0", "12", nullptr},
    {"$formatInteger(1200, '#,##0')", 1200, "#,##0", "1,200", nullptr},
    {"$formatInteger(120000, '#,##0')", 120000, "#,##0", "120,000", nullptr},
    {"$formatInteger(12345678, '#,##0')", 12345678, "#,##0", "12,345,678", nullptr},
    {"$formatInteger(1234567890, '#,##0')", 1234567890, "#,##0", "1,234,567,890", nullptr},
    {"$formatInteger(1234567890, '#,###,##0')", 1234567890, "#,###,##0", "1,234,567,890", nullptr},
    {"$formatInteger(1234567890, '#:###,##0')", 1234567890, "#:###,##0", "1234:567,890", nullptr},
    {"$formatInteger(1234567890, '##,##,##0')", 1234567890, "##,##,##0", "12345,67,890", nullptr},
    {"$formatInteger(0, 'I')", 0, "I", "", nullptr},
    {"$formatInteger(1984, 'I')", 1984, "I", "MCMLXXXIV", nullptr},
    {"$formatInteger(99, 'i')", 99, "i", "xcix", nullptr},
    {"$formatInteger(12, 'w')", 12, "w", "twelve", nullptr},
    {"$formatInteger(20, 'w')", 20, "w", "twenty", nullptr},
    {"$formatInteger(34, 'w')", 34, "w", "thirty-four", nullptr},
    {"$formatInteger(99, 'W')", 99, "W", "NINETY-NINE", nullptr},
    {"$formatInteger(100, 'w')", 100, "w", "one hundred", nullptr},
    {"$formatInteger(555, 'W')", 555, "W", "FIVE HUNDRED AND FIFTY-FIVE", nullptr},
    {"$formatInteger(555, 'Ww')", 555, "Ww", "Five Hundred and Fifty-Five", nullptr},
    {"$formatInteger(919, 'w')", 919, "w", "nine hundred and nineteen", nullptr},
    {"$formatInteger(730, 'w')", 730, "w", "seven hundred and thirty", nullptr},
    {"$formatInteger(1000, 'w')", 1000, "w", "one thousand", nullptr},
    {"$formatInteger(3730, 'w')", 3730, "w", "three thousand, seven hundred and thirty", nullptr},
    {"$formatInteger(327730, 'w')", 327730, "w",
     "three hundred and twenty-seven thousand, seven hundred and thirty", nullptr},
    {"$formatInteger(4327730, 'w')", 4327730, "w",
     "four million, three hundred and twenty-seven thousand, seven hundred and thirty", nullptr},
    {"$formatInteger(1000000000001, 'w')", 1000000000001, "w", "one trillion and one", nullptr},
    {"$formatInteger(1234567890123, 'w')", 1234567890123, "w",
     "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, "
     "eight hundred and ninety thousand, one hundred and twenty-three",
     nullptr},
    {"$formatInteger(1000000000000000, 'w')", 1000000000000000, "w", "one thousand trillion",
     nullptr},
    {"$formatInteger(1e+46, 'w')", 1e+46, "w", "ten billion trillion trillion trillion", nullptr},
    {"$formatInteger(1234567890123456, 'w')", 1234567890123456, "w",
     "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, "
     "eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and "
     "fifty-six",
     nullptr},
    {"$formatInteger(12, 'w;o')", 12, "w;o", "twelfth", nullptr},
    {"$formatInteger(20, 'w;o')", 20, "w;o", "twentieth", nullptr},
    {"$formatInteger(34, 'w;o')", 34, "w;o", "thirty-fourth", nullptr},
    {"$formatInteger(99, 'W;o')", 99, "W;o", "NINETY-NINTH", nullptr},
    {"$formatInteger(100, 'w;o')", 100, "w;o", "one hundredth", nullptr},
    {"$formatInteger(555, 'W;o')", 555, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH", nullptr},
    {"$formatInteger(919, 'w;o')", 919, "w;o", "nine hundred and nineteenth", nullptr},
    {"$formatInteger(730, 'w;o')", 730, "w;o", "seven hundred and thirtieth", nullptr},
    {"$formatInteger(1000, 'w;o')", 1000, "w;o", "one thousandth", nullptr},
    {"$formatInteger(3731, 'w;o')", 3731, "w;o", "three thousand, seven hundred and thirty-first",
     nullptr},
    {"$formatInteger(327713, 'w;o')", 327713, "w;o",
     "three hundred and twenty-seven thousand, seven hundred and thirteenth", nullptr},
    {"$formatInteger(4327732, 'w;o')", 4327732, "w;o",
     "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second",
     nullptr},
    {"$formatInteger(1000000000001, 'w;o')", 1000000000001, "w;o", "one trillion and first",
     nullptr},
    {"$formatInteger(1, 'A')", 1, "A", "A", nullptr},
    {"$formatInteger(12, 'a')", 12, "a", "l", nullptr},
    {"$formatInteger(26, 'a')", 26, "a", "z", nullptr},
    {"$formatInteger(27, 'a')", 27, "a", "aa", nullptr},
    {"$formatInteger(300, 'A')", 300, "A", "KN", nullptr},
    {"$formatInteger(123456, 'A')", 123456, "A", "FZPH", nullptr},
    {"$formatInteger(123456, 'α')", 123456, "α", nullptr, "D3130"},
};

TEST(FormatIntegerConformance, EveryCase) {
  for (const auto& c : kFormatCases) {
    SCOPED_TRACE(c.expr);
    auto result = FormatInteger(c.value, c.picture);
    if (c.result != nullptr) {
      ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
      EXPECT_EQ(*result, c.result);
    } else {
      ASSERT_FALSE(result.ok()) << "got " << *result;
      EXPECT_EQ(result.error().error, c.code) << result.error().cause;
    }
  }
}

struct ParseCase {
  const char* expr;
  const char* text;
  const char* picture;
  double result;
  const char* code;  // nullptr when `result` is expected
};

const ParseCase kParseCases[] = {
    {"$parseInteger('123', '000')", "123", "000", 123.0, nullptr},
    {"$parseInteger('0123', '0000')", "0123", "0000", 123.0, nullptr},
    {"$parseInteger('1234', '0')", "1234", "0", 1234.0, nullptr},
    {"$parseInteger('1234', '###0')", "1234", "###0", 1234.0, nullptr},
    {"$parseInteger('12', '###0')", "12", "###0", 12.0, nullptr},
    {"$parseInteger('123rd', '000;o')", "123rd", "000;o", 123.0, nullptr},
    {"$parseInteger('1st', '0;o')", "1st", "0;o", 1.0, nullptr},
    {"$parseInteger('28th', '#0;o')", "28th", "#0;o", 28.0, nullptr},
    {"$parseInteger('1234th', '###0;o')", "1234th", "###0;o", 1234.0, nullptr},
    {"$parseInteger('12th', '###0;o')", "12th", "###0;o", 12.0, nullptr},
    {"$parseInteger('١٢٣٤٠', '###١')", "١٢٣٤٠", "###١", 12340.0, nullptr},
    {"$parseInteger('１２３４０', '###０')", "１２３４０", "###０", 12340.0, nullptr},
    {"$parseInteger('12', '#,##0')", "12", "#,##0", 12.0, nullptr},
    {"$parseInteger('1,200', '#,##0')", "1,200", "#,##0", 1200.0, nullptr},
    {"$parseInteger('12,345,678', '#,##0')", "12,345,678", "#,##0", 12345678.0, nullptr},
    {"$parseInteger('1,234,567,890', '#,##0')", "1,234,567,890", "#,##0", 1234567890.0, nullptr},
    {"$parseInteger('1,234,567,890', '#,###,##0')", "1,234,567,890", "#,###,##0", 1234567890.0,
     nullptr},
    {"$parseInteger('1234:567,890', '#:###,##0')", "1234:567,890", "#:###,##0", 1234567890.0,
     nullptr},
    {"$parseInteger('12345,67,890', '##,##,##0')", "12345,67,890", "##,##,##0", 1234567890.0,
     nullptr},
    {"$parseInteger('', 'I')", "", "I", 0.0, nullptr},
    {"$parseInteger('MCMLXXXIV', 'I')", "MCMLXXXIV", "I", 1984.0, nullptr},
    {"$parseInteger('xcix', 'i')", "xcix", "i", 99.0, nullptr},
    {"$parseInteger('twelve', 'w')", "twelve", "w", 12.0, nullptr},
    {"$parseInteger('twenty', 'w')", "twenty", "w", 20.0, nullptr},
    {"$parseInteger('thirty-four', 'w')", "thirty-four", "w", 34.0, nullptr},
    {"$parseInteger('NINETY-NINE', 'W')", "NINETY-NINE", "W", 99.0, nullptr},
    {"$parseInteger('one hundred', 'w')", "one hundred", "w", 100.0, nullptr},
    {"$parseInteger('FIVE HUNDRED AND FIFTY-FIVE', 'W')", "FIVE HUNDRED AND FIFTY-FIVE", "W", 555.0,
     nullptr},
    {"$parseInteger('Five Hundred and Fifty-Five', 'Ww')", "Five Hundred and Fifty-Five", "Ww",
     555.0, nullptr},
    {"$parseInteger('nine hundred and nineteen', 'w')", "nine hundred and nineteen", "w", 919.0,
     nullptr},
    {"$parseInteger('seven hundred and thirty', 'w')", "seven hundred and thirty", "w", 730.0,
     nullptr},
    {"$parseInteger('one thousand', 'w')", "one thousand", "w", 1000.0, nullptr},
    {"$parseInteger('three thousand, seven hundred and thirty', 'w')",
     "three thousand, seven hundred and thirty", "w", 3730.0, nullptr},
    {"$parseInteger('three hundred and twenty-seven thousand, seven hundred and thirty', 'w')",
     "three hundred and twenty-seven thousand, seven hundred and thirty", "w", 327730.0, nullptr},
    {"$parseInteger('four million, three hundred and twenty-seven thousand, seven hundred and "
     "thirty', 'w')",
     "four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w",
     4327730.0, nullptr},
    {"$parseInteger('one trillion and one', 'w')", "one trillion and one", "w", 1000000000001.0,
     nullptr},
    {"$parseInteger('one trillion, two hundred and thirty-four billion, five hundred and "
     "sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three', 'w')",
     "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, "
     "eight hundred and ninety thousand, one hundred and twenty-three",
     "w", 1234567890123.0, nullptr},
    {"$parseInteger('one thousand trillion', 'w')", "one thousand trillion", "w",
     1000000000000000.0, nullptr},
    {"$parseInteger('ten billion trillion trillion trillion', 'w')",
     "ten billion trillion trillion trillion", "w", 1e+46, nullptr},
    {"$parseInteger('twelfth', 'w;o')", "twelfth", "w;o", 12.0, nullptr},
    {"$parseInteger('twentieth', 'w;o')", "twentieth", "w;o", 20.0, nullptr},
    {"$parseInteger('thirty-fourth', 'w;o')", "thirty-fourth", "w;o", 34.0, nullptr},
    {"$parseInteger('NINETY-NINTH', 'W;o')", "NINETY-NINTH", "W;o", 99.0, nullptr},
    {"$parseInteger('one hundredth', 'w;o')", "one hundredth", "w;o", 100.0, nullptr},
    {"$parseInteger('FIVE HUNDRED AND FIFTY-FIFTH', 'W;o')", "FIVE HUNDRED AND FIFTY-FIFTH", "W;o",
     555.0, nullptr},
    {"$parseInteger('nine hundred and nineteenth', 'w;o')", "nine hundred and nineteenth", "w;o",
     919.0, nullptr},
    {"$parseInteger('seven hundred and thirtieth', 'w;o')", "seven hundred and thirtieth", "w;o",
     730.0, nullptr},
    {"$parseInteger('Seven Hundred and Thirty-Third', 'Ww;o')", "Seven Hundred and Thirty-Third",
     "Ww;o", 733.0, nullptr},
    {"$parseInteger('one thousandth', 'w;o')", "one thousandth", "w;o", 1000.0, nullptr},
    {"$parseInteger('three thousand, seven hundred and thirty-first', 'w;o')",
     "three thousand, seven hundred and thirty-first", "w;o", 3731.0, nullptr},
    {"$parseInteger('three hundred and twenty-seven thousand, seven hundred and thirteenth', "
     "'w;o')",
     "three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o", 327713.0,
     nullptr},
    {"$parseInteger('four million, three hundred and twenty-seven thousand, seven hundred and "
     "thirty-second', 'w;o')",
     "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second",
     "w;o", 4327732.0, nullptr},
    {"$parseInteger('one trillion and first', 'w;o')", "one trillion and first", "w;o",
     1000000000001.0, nullptr},
    {"$parseInteger('A', 'A')", "A", "A", 1.0, nullptr},
    {"$parseInteger('l', 'a')", "l", "a", 12.0, nullptr},
    {"$parseInteger('z', 'a')", "z", "a", 26.0, nullptr},
    {"$parseInteger('aa', 'a')", "aa", "a", 27.0, nullptr},
    {"$parseInteger('KN', 'A')", "KN", "A", 300.0, nullptr},
    {"$parseInteger('FZPH', 'A')", "FZPH", "A", 123456.0, nullptr},
    {"$parseInteger('50', '#')", "50", "#", 0, "D3130"},
};

TEST(ParseIntegerConformance, EveryCase) {
  for (const auto& c : kParseCases) {
    SCOPED_TRACE(c.expr);
    auto result = ParseInteger(c.text, c.picture);
    if (c.code == nullptr) {
      ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
      ASSERT_TRUE(result->has_value());
      EXPECT_EQ(**result, c.result);
    } else {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.error().error, c.code) << result.error().cause;
    }
  }
}

TEST(FormatInteger, RoundTripsThroughParseInteger) {
  for (const char* picture : {"0", "#,##0", "0001", "#,##0;o", "a", "A", "i", "I", "w", "W", "Ww",
                              "w;o", "Ww;o", "١", "#:###,##0"}) {
    for (double value : {1.0, 9.0, 10.0, 11.0, 12.0, 13.0, 21.0, 99.0, 100.0, 101.0, 999.0, 1000.0,
                         1001.0, 2024.0, 3999.0, 12345.0, 1000000.0, 987654321.0}) {
      SCOPED_TRACE(std::string(picture) + " " + std::to_string(value));
      auto text = FormatInteger(value, picture);
      ASSERT_TRUE(text.ok()) << text.error().cause;
      auto back = ParseInteger(*text, picture);
      ASSERT_TRUE(back.ok()) << back.error().cause;
      ASSERT_TRUE(back->has_value()) << *text;
      EXPECT_EQ(**back, value) << *text;
    }
  }
}

TEST(FormatInteger, EdgeCases) {
  EXPECT_EQ(*FormatInteger(-12.5, "0"), "-13");  // floor, as jsonata-js
  EXPECT_EQ(*FormatInteger(0, "w"), "zero");
  EXPECT_EQ(*FormatInteger(0, "w;o"), "zeroth");
  EXPECT_EQ(*FormatInteger(0, "a"), "");
  EXPECT_EQ(*FormatInteger(-5, "I"), "-V");
  EXPECT_EQ(*FormatInteger(11, "0;o"), "11th");
  EXPECT_EQ(*FormatInteger(112, "0;o"), "112th");
  EXPECT_EQ(*FormatInteger(102, "0;o"), "102nd");
  EXPECT_EQ(*FormatInteger(5, "#:###,##0"), "5");  // separators left of the digits are dropped
  EXPECT_EQ(*FormatInteger(2e6, "I"), "2000000");  // Roman numerals stop at a million
  EXPECT_EQ(*FormatInteger(1e21, "0"), "1e+21");   // JavaScript's own text for huge numbers
  auto sequence = FormatInteger(5, "#");
  ASSERT_FALSE(sequence.ok());
  EXPECT_EQ(sequence.error().error, "D3130");
  EXPECT_NE(sequence.error().cause.find("sequence starting with #"), std::string::npos);
}

TEST(ParseInteger, TextNotInThePicturesFormIsUndefined) {
  for (const auto& [text, picture] : std::initializer_list<std::pair<const char*, const char*>>{
           {"12a", "0"}, {"", "0"}, {"twelve pounds", "w"}, {"MCMZ", "I"}, {"ab1", "a"}}) {
    SCOPED_TRACE(std::string(text) + " / " + picture);
    auto result = ParseInteger(text, picture);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(result->has_value());
  }
  EXPECT_EQ(**ParseInteger("-17", "0"), -17);
  EXPECT_EQ(**ParseInteger("Twenty-One", "w"), 21);
  EXPECT_EQ(**ParseInteger("mcmlxxxiv", "I"), 1984);
}

TEST(PictureWords, NumberWordsAndBack) {
  using picture::NumberToWords;
  using picture::ToUtf8;
  using picture::WordsToNumber;
  EXPECT_EQ(ToUtf8(NumberToWords(123, false)), "One Hundred and Twenty-Three");
  EXPECT_EQ(ToUtf8(NumberToWords(2000000, true)), "Two Millionth");
  EXPECT_EQ(WordsToNumber(U"one hundred and twenty-three"), 123);
  EXPECT_EQ(WordsToNumber(U"nineteen hundred and eighty-four"), 1984);
  EXPECT_FALSE(WordsToNumber(U"one hundred and banana").has_value());
}

}  // namespace
}  // namespace autoretrain::jsonata
