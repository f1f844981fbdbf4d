#include "autoretrain/retrain/csv.h"

#include <gtest/gtest.h>

namespace autoretrain::retrain {
namespace {

std::vector<CsvRow> ParseOk(std::string_view text) {
  Result<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.error().cause;
  return rows.ok() ? *rows : std::vector<CsvRow>{};
}

using Rows = std::vector<CsvRow>;

TEST(CsvTest, SimpleRowsWithAnyLineEnding) {
  Rows expected = {{"retraining_required", "drift"}, {"YES", "0.4"}};
  EXPECT_EQ(ParseOk("retraining_required,drift\nYES,0.4\n"), expected);
  EXPECT_EQ(ParseOk("retraining_required,drift\r\nYES,0.4\r\n"), expected);
  EXPECT_EQ(ParseOk("retraining_required,drift\rYES,0.4\r"), expected);
  EXPECT_EQ(ParseOk("retraining_required,drift\nYES,0.4"), expected);  // no final newline
}

TEST(CsvTest, EmptyTextHasNoRows) {
  EXPECT_EQ(ParseOk(""), Rows{});
  EXPECT_EQ(ParseOk("\xEF\xBB\xBF"), Rows{});
}

TEST(CsvTest, ByteOrderMarkIsSkippedOnlyAtTheStart) {
  EXPECT_EQ(ParseOk("\xEF\xBB\xBFh\nYES\n"), (Rows{{"h"}, {"YES"}}));
  EXPECT_EQ(ParseOk("h\n\xEF\xBB\xBFYES\n"), (Rows{{"h"}, {"\xEF\xBB\xBFYES"}}));
}

TEST(CsvTest, EmptyLinesAreRowsWithoutFields) {
  EXPECT_EQ(ParseOk("h\n\nYES\n"), (Rows{{"h"}, {}, {"YES"}}));
  EXPECT_EQ(ParseOk("h\r\n\r\n"), (Rows{{"h"}, {}}));
  EXPECT_EQ(ParseOk("\n"), (Rows{{}}));
}

TEST(CsvTest, EmptyFields) {
  EXPECT_EQ(ParseOk(",\n"), (Rows{{"", ""}}));
  EXPECT_EQ(ParseOk("a,,c\n,b,"), (Rows{{"a", "", "c"}, {"", "b", ""}}));
  EXPECT_EQ(ParseOk("\"\"\n"), (Rows{{""}}));
}

TEST(CsvTest, QuotedFields) {
  EXPECT_EQ(ParseOk("\"decision\",\"note\"\n\"YES\",\"drift, high\"\n"),
            (Rows{{"decision", "note"}, {"YES", "drift, high"}}));
  EXPECT_EQ(ParseOk("\"say \"\"yes\"\"\"\n"), (Rows{{"say \"yes\""}}));
  EXPECT_EQ(ParseOk("\"two\nlines\",x\r\n\"crlf\r\ninside\"\n"),
            (Rows{{"two\nlines", "x"}, {"crlf\r\ninside"}}));
  EXPECT_EQ(ParseOk("\" YES \"\n"), (Rows{{" YES "}}));
}

TEST(CsvTest, WhitespaceAndStrayQuotesInUnquotedFieldsAreKept) {
  EXPECT_EQ(ParseOk(" YES \t, no\n"), (Rows{{" YES \t", " no"}}));
  EXPECT_EQ(ParseOk("5\" disk,x\n"), (Rows{{"5\" disk", "x"}}));
}

TEST(CsvTest, UnterminatedQuoteNamesTheLineWhereItStarts) {
  Result<std::vector<CsvRow>> rows = ParseCsv("h\n\"a\nb\nc");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().error, "MalformedDecisionFile");
  EXPECT_NE(rows.error().cause.find("starts on line 2 has no closing quote"), std::string::npos)
      << rows.error().cause;
}

TEST(CsvTest, TextAfterAClosingQuoteIsAnError) {
  Result<std::vector<CsvRow>> rows = ParseCsv("h\n\"one\ntwo\"x,y\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().error, "MalformedDecisionFile");
  EXPECT_NE(rows.error().cause.find("line 3"), std::string::npos) << rows.error().cause;
  EXPECT_NE(rows.error().cause.find("followed by 'x'"), std::string::npos) << rows.error().cause;
}

}  // namespace
}  // namespace autoretrain::retrain
