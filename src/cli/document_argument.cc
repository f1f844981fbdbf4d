#include "cli/document_argument.h"

#include <iostream>

#include "autoretrain/retrain/project.h"

namespace autoretrain::cli {

std::string ReadStdinLimited(size_t max_bytes) {
  std::string text(max_bytes + 1, '\0');
  std::cin.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(std::cin.gcount()));
  return text;
}

Result<std::string> ReadDocumentFile(const std::string& file, size_t max_bytes) {
  if (file == "-") return ReadStdinLimited(max_bytes);
  return retrain::ReadFileLimited(file, max_bytes);
}

}  // namespace autoretrain::cli
