// Table: the aligned plain-text tables the `executions` subcommands print (a header row, then
// one row per item, columns separated by two spaces, like the AWS console's lists).
//
// Thread-safety: a Table is a plain value; Print writes to the given stream.
#ifndef AUTORETRAIN_CLI_TABLE_H_
#define AUTORETRAIN_CLI_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace autoretrain::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

  // Adds a row; it must have one cell per header.
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

  // Prints the header and the rows, each column as wide as its widest cell (the last column
  // is not padded).
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_TABLE_H_
