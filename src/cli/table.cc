#include "cli/table.h"

#include <algorithm>

namespace autoretrain::cli {

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size());
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);
  auto print = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size(); ++i) {
      out << row[i];
      if (i + 1 < row.size()) out << std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << '\n';
  };
  print(headers_);
  for (const auto& row : rows_) print(row);
}

}  // namespace autoretrain::cli
