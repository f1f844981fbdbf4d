// $formatNumber and $formatBase against every case of the JSONata reference suite's
// function-formatNumber and function-formatBase groups (arguments transcribed from each case's
// expression; undefined inputs are the evaluator's and not repeated here), plus edge cases.
#include <cmath>
#include <optional>

#include <gtest/gtest.h>

#include "autoretrain/json/json.h"
#include "jsonata/picture_format.h"
#include "jsonata/picture_internal.h"

namespace autoretrain::jsonata {
namespace {

struct NumberCase {
  const char* name;
  double value;
  const char* picture;
  const char* options;  // JSON object or nullptr
  const char* result;   // expected text, or nullptr when an error is expected
  const char* code;     // expected error code
};

// function-formatNumber (case036 is $formatNumber(undefined): the evaluator's).
const NumberCase kNumberCases[] = {
    {"case000.json", 12345.6, "#,###.00", nullptr, "12,345.60", nullptr},
    {"case001.json", 12345678.9, "9,999.99", nullptr, "12,345,678.90", nullptr},
    {"case002.json", 123412345678.9, "9,9,99.99", nullptr, "123412345,6,78.90", nullptr},
    {"case003.json", 1234.56789, "9,999.999,999", nullptr, "1,234.567,890", nullptr},
    {"case004.json", 123.9, "9999", nullptr, "0124", nullptr},
    {"case005.json", 0.14, "01%", nullptr, "14%", nullptr},
    {"case006.json", 0.4857, "###.###‰", nullptr, "485.7‰", nullptr},
    {"case007.json", 0.14, "###pm", "{\"per-mille\": \"pm\"}", "140pm", nullptr},
    {"case008.json", -6, "000", nullptr, "-006", nullptr},
    {"case009.json", 1234.5678, "00.000e0", nullptr, "12.346e2", nullptr},
    {"case010.json", 1234.5678, "00.000e000", nullptr, "12.346e002", nullptr},
    {"case011.json", 1234.5678, "①①.①①①e①", "{\"zero-digit\": \"⑟\"}", "①②.③④⑥e②", nullptr},
    {"case012.json", 0.234, "0.0e0", nullptr, "2.3e-1", nullptr},
    {"case013.json", 0.234, "#.00e0", nullptr, "0.23e0", nullptr},
    {"case014.json", 0.123, "#.e9", nullptr, "0.1e0", nullptr},
    {"case015.json", 0.234, ".00e0", nullptr, ".23e0", nullptr},
    {"case016.json", 2392.14 * (-36.58), "000,000.000###;###,###.000###", nullptr, "87,504.4812",
     nullptr},
    {"case017.json", 2.14 * 86.58, "PREFIX##00.000###SUFFIX", nullptr, "PREFIX185.2812SUFFIX",
     nullptr},
    {"case018.json", 1E20, "#,######", nullptr, "100,000000,000000,000000", nullptr},
    {"case019.json", 20, "#;#;#", nullptr, nullptr, "D3080"},
    {"case020.json", 20, "#.0.0", nullptr, nullptr, "D3081"},
    {"case021.json", 20, "#0%%", nullptr, nullptr, "D3082"},
    {"case022.json", 20, "#0‰‰", nullptr, nullptr, "D3083"},
    {"case023.json", 20, "#0%‰", nullptr, nullptr, "D3084"},
    {"case024.json", 20, ".e0", nullptr, nullptr, "D3085"},
    {"case025.json", 20, "0+.e0", nullptr, nullptr, "D3086"},
    {"case026.json", 20, "0,.e0", nullptr, nullptr, "D3087"},
    {"case027.json", 20, "0,", nullptr, nullptr, "D3088"},
    {"case028.json", 20, "0,,0", nullptr, nullptr, "D3089"},
    {"case029.json", 20, "0#.e0", nullptr, nullptr, "D3090"},
    {"case030.json", 20, "#0.#0e0", nullptr, nullptr, "D3091"},
    {"case031.json", 20, "#0.0e0%", nullptr, nullptr, "D3092"},
    {"case032.json", 20, "#0.0e0,0", nullptr, nullptr, "D3093"},
    {"case033.json", 2, "000.000", nullptr, "002.000", nullptr},
    {"case034.json", 2, "AAA.AAA", "{\"zero-digit\": \"A\"}", "AAC.AAA", nullptr},
    {"case035.json", 0.1, "AeAAA", "{\"zero-digit\": \"A\"}", "Be-AAB", nullptr},
    {"issue785.json#0", 0, "0e0", nullptr, "0e0", nullptr},
    {"issue785.json#1", -42, "0e0", nullptr, "-4e1", nullptr},
    {"issue785.json#2", 42, "0e0", nullptr, "4e1", nullptr},
    {"issue785.json#3", 0, "0.00e0", nullptr, "0.00e0", nullptr},
    {"issue786.json#0", 42, "%%", nullptr, nullptr, "D3086"},
    {"issue786.json#1", 42, "‰‰", nullptr, nullptr, "D3086"},
    {"issue786.json#2", 42, "%‰", nullptr, nullptr, "D3086"},
    {"issue786.json#3", 42, "---", nullptr, nullptr, "D3086"},
};

TEST(FormatNumberConformance, EveryCase) {
  for (const auto& c : kNumberCases) {
    SCOPED_TRACE(c.name);
    NumberFormatOptions options;
    if (c.options != nullptr) {
      auto parsed = json::Parse(c.options);
      ASSERT_TRUE(parsed.ok());
      auto read = NumberFormatOptionsFrom(&parsed->as_object());
      ASSERT_TRUE(read.ok()) << read.error().cause;
      options = *read;
    }
    auto result = FormatNumber(c.value, c.picture, options);
    if (c.result != nullptr) {
      ASSERT_TRUE(result.ok()) << result.error().error << ": " << result.error().cause;
      EXPECT_EQ(*result, c.result);
    } else {
      ASSERT_FALSE(result.ok()) << "got " << *result;
      EXPECT_EQ(result.error().error, c.code) << result.error().cause;
      EXPECT_FALSE(result.error().cause.empty());
    }
  }
}

struct BaseCase {
  const char* name;
  double value;
  std::optional<double> radix;
  const char* result;
  const char* code;
};

// function-formatBase (case001 is $formatBase(undefined): the evaluator's).
const BaseCase kBaseCases[] = {
    {"case000.json", 100, std::nullopt, "100", nullptr},
    {"case002.json", 100, 2, "1100100", nullptr},
    {"case003.json", -100, 2, "-1100100", nullptr},
    {"case004.json", 100, 36, "2s", nullptr},
    {"case005.json", 99.5, 2.5, "1100100", nullptr},
    {"case006.json", 100, 1, nullptr, "D3100"},
    {"case007.json", 100, 37, nullptr, "D3100"},
    {"case008.json", 5890840712243076, std::nullopt, "5890840712243076", nullptr},
};

TEST(FormatBaseConformance, EveryCase) {
  for (const auto& c : kBaseCases) {
    SCOPED_TRACE(c.name);
    auto result = FormatBase(c.value, c.radix);
    if (c.result != nullptr) {
      ASSERT_TRUE(result.ok()) << result.error().cause;
      EXPECT_EQ(*result, c.result);
    } else {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.error().error, c.code);
    }
  }
}

TEST(FormatBase, LargeValuesAndMessages) {
  EXPECT_EQ(*FormatBase(255, 16), "ff");
  EXPECT_EQ(*FormatBase(0, 2), "0");
  EXPECT_EQ(*FormatBase(-0.4, 10), "0");
  EXPECT_EQ(*FormatBase(2.5, std::nullopt), "2");  // half to even
  EXPECT_EQ(*FormatBase(3.5, std::nullopt), "4");
  EXPECT_EQ(*FormatBase(std::pow(2, 64), 16), "10000000000000000");
  EXPECT_EQ(*FormatBase(std::pow(2, 70), 2), "1" + std::string(70, '0'));
  EXPECT_EQ(*FormatBase(1e21, 10), "1e+21");
  // Beyond 2^53 JavaScript prints the digits a double can tell apart, then zeros.
  EXPECT_EQ(*FormatBase(1e20, 36), "l3r41ifs0p800");
  EXPECT_EQ(*FormatBase(1152921504606847000.0, 10), "1152921504606847000");
  auto error = FormatBase(10, 40);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.error().cause.find("It was given 40"), std::string::npos);
}

TEST(FormatNumber, SignsSpecialValuesAndGrouping) {
  const NumberFormatOptions defaults;
  EXPECT_EQ(*FormatNumber(-1234.5, "#,##0.00", defaults), "-1,234.50");
  EXPECT_EQ(*FormatNumber(-1234.5, "#,##0.00;(#,##0.00)", defaults), "(1,234.50)");
  EXPECT_EQ(*FormatNumber(0, "#", defaults), "0");
  EXPECT_EQ(*FormatNumber(0.5, "#", defaults), "0");  // half to even
  EXPECT_EQ(*FormatNumber(1.5, "#", defaults), "2");
  EXPECT_EQ(*FormatNumber(1234567, "#,##,###", defaults), "12,34,567");  // irregular
  EXPECT_EQ(*FormatNumber(12, "#,##,###", defaults), "12");
  EXPECT_EQ(*FormatNumber(0.125, "0.00", defaults), "0.12");
  EXPECT_EQ(*FormatNumber(NAN, "0.00", defaults), "NaN");
  EXPECT_EQ(*FormatNumber(INFINITY, "$#,##0", defaults), "$Infinity");
  EXPECT_EQ(*FormatNumber(-INFINITY, "#,##0", defaults), "-Infinity");
  EXPECT_EQ(*FormatNumber(1500, "$#,##0e0", defaults), "$2e3");  // exponent after a prefix
  EXPECT_EQ(*FormatNumber(5, "#0each", defaults), "5each");      // 'e' in a suffix is text
}

TEST(FormatNumber, OptionsChangeEverySymbol) {
  auto parsed = json::Parse(
      R"({"decimal-separator": ",", "grouping-separator": ".", "minus-sign": "−",
          "percent": "pct", "zero-digit": "٠", "ignored": 1})");
  ASSERT_TRUE(parsed.ok());
  auto options = NumberFormatOptionsFrom(&parsed->as_object());
  ASSERT_TRUE(options.ok()) << options.error().cause;
  EXPECT_EQ(*FormatNumber(-1234.5, "#.##٠,٠٠", *options), "−١.٢٣٤,٥٠");
  EXPECT_EQ(*FormatNumber(0.25, "٠pct", *options), "٢٥pct");
}

TEST(NumberFormatOptionsFrom, RejectsBadValues) {
  auto defaults = NumberFormatOptionsFrom(nullptr);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->per_mille, "\u2030");
  for (const char* text : {R"({"zero-digit": 0})", R"({"grouping-separator": ""})",
                           R"({"decimal-separator": "ab"})"}) {
    SCOPED_TRACE(text);
    auto parsed = json::Parse(text);
    ASSERT_TRUE(parsed.ok());
    auto options = NumberFormatOptionsFrom(&parsed->as_object());
    ASSERT_FALSE(options.ok());
    EXPECT_EQ(options.error().error, "T0410");
  }
}

TEST(PictureText, JavaScriptNumbersAndRounding) {
  using picture::JsNumberToString;
  using picture::JsRound;
  EXPECT_EQ(JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(JsNumberToString(1e20), "100000000000000000000");
  EXPECT_EQ(JsNumberToString(0.1), "0.1");
  EXPECT_EQ(JsNumberToString(1e-7), "1e-7");
  EXPECT_EQ(JsNumberToString(0.000001), "0.000001");
  EXPECT_EQ(JsNumberToString(-1.5), "-1.5");
  EXPECT_EQ(JsNumberToString(123456789012), "123456789012");
  EXPECT_EQ(JsRound(2.5, 0), 2);
  EXPECT_EQ(JsRound(-2.5, 0), -2);
  EXPECT_EQ(JsRound(1.005, 2), 1);     // 1.005 is 1.00499999... in binary, but prints as 1.005
  EXPECT_EQ(JsRound(1.015, 2), 1.02);  // half to even on the printed decimal
  EXPECT_EQ(JsRound(1.025, 2), 1.02);
  EXPECT_EQ(JsRound(1e300, 100), 1e300);
}

}  // namespace
}  // namespace autoretrain::jsonata
