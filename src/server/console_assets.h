// The web console's static files (HTML, CSS, JavaScript modules), embedded in the binary at
// build time from console/ (cmake/embed_files.cmake), so that the console needs no files at
// run time and no internet: nothing it loads comes from elsewhere.
//
// Thread-safety: immutable data.
#ifndef AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
#define AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_

#include <string_view>
#include <vector>

#include "autoretrain/retrain/project_template.h"  // EmbeddedFile

namespace autoretrain::server {

// Every file of console/, sorted by path ("index.html", "js/app.js", ...). Generated.
const std::vector<retrain::EmbeddedFile>& ConsoleAssetFiles();

// The Content-Type to serve `path` with, by its extension ("application/octet-stream" for an
// unknown one).
std::string_view ConsoleContentType(std::string_view path);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
