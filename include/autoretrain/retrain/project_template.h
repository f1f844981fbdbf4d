// The starter project that `autoretrain init` writes, embedded in the binary at build time
// from templates/project/ (cmake/embed_files.cmake), so the binary needs no data files.
//
// Thread-safety: immutable data.
#ifndef AUTORETRAIN_RETRAIN_PROJECT_TEMPLATE_H_
#define AUTORETRAIN_RETRAIN_PROJECT_TEMPLATE_H_

#include <string_view>
#include <vector>

namespace autoretrain::retrain {

struct EmbeddedFile {
  std::string_view path;      // relative to the project root, '/'-separated
  std::string_view contents;  // exact bytes
};

// Every file of templates/project, sorted by path.
const std::vector<EmbeddedFile>& ProjectTemplateFiles();

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_PROJECT_TEMPLATE_H_
