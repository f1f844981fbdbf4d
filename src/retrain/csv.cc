#include "autoretrain/retrain/csv.h"

namespace autoretrain::retrain {
namespace {

class CsvParser {
 public:
  explicit CsvParser(std::string_view text) : text_(text) {}

  Result<std::vector<CsvRow>> Parse() {
    std::vector<CsvRow> rows;
    while (pos_ < text_.size()) {
      if (AtLineEnd()) {
        rows.emplace_back();  // an empty line: a row without fields
        ConsumeLineEnd();
        continue;
      }
      CsvRow row;
      while (true) {
        Result<std::string> field = Field();
        if (!field.ok()) return field.take_error();
        row.push_back(std::move(field).value());
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        ConsumeLineEnd();  // or the end of the text
        break;
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

 private:
  bool AtLineEnd() const { return text_[pos_] == '\n' || text_[pos_] == '\r'; }

  void ConsumeLineEnd() {
    if (pos_ >= text_.size()) return;
    if (text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }

  // One field, leaving pos_ at the comma, line end or end of text after it.
  Result<std::string> Field() {
    std::string field;
    if (pos_ >= text_.size() || text_[pos_] != '"') {
      size_t end = text_.find_first_of(",\r\n", pos_);
      if (end == std::string_view::npos) end = text_.size();
      field.assign(text_.substr(pos_, end - pos_));
      pos_ = end;
      return field;
    }
    const int opened_on = line_;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        return Error{"MalformedDecisionFile", "the quoted field that starts on line " +
                                                  std::to_string(opened_on) +
                                                  " has no closing quote"};
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field.push_back('"');  // "" is a quote inside a quoted field
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) {
          return Error{"MalformedDecisionFile",
                       "line " + std::to_string(line_) +
                           ": the closing quote of a field is "
                           "followed by '" +
                           std::string(1, text_[pos_]) +
                           "'; expected a comma or the end of the line (write a quote inside a "
                           "quoted field as \"\")"};
        }
        return field;
      }
      if (c == '\n' || (c == '\r' && (pos_ >= text_.size() || text_[pos_] != '\n'))) ++line_;
      field.push_back(c);
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  return CsvParser(text).Parse();
}

}  // namespace autoretrain::retrain
