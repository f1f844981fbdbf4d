// The web console's static files (HTML, CSS, JavaScript modules), embedded in the binary at
// build time from console/ (cmake/embed_files.cmake), so that the console needs no files at
// run time and no internet: nothing it loads comes from elsewhere.
//
// The page (index.html) refers to the other files under "v/<version>/", the version being a
// digest of every embedded file, so that browsers may keep them for good: a build with other
// files has another version, and its page other paths (docs/console.md#caching).
//
// Thread-safety: immutable data (the version and the page are computed once, thread-safely).
#ifndef AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
#define AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/retrain/project_template.h"  // EmbeddedFile

namespace autoretrain::server {

// Every file of console/, sorted by path ("index.html", "js/app.js", ...). Generated.
const std::vector<retrain::EmbeddedFile>& ConsoleAssetFiles();

// The Content-Type to serve `path` with, by its extension ("application/octet-stream" for an
// unknown one).
std::string_view ConsoleContentType(std::string_view path);

// The version of this build's console files: 16 hex digits of the SHA-256 of their paths
// and contents.
const std::string& ConsoleAssetsVersion();

// The contents to serve for the file at `path` ("js/app.js"): the embedded bytes, except for
// "index.html", where every "ASSETS_VERSION" is replaced by ConsoleAssetsVersion(). nullopt
// when there is no such file.
std::optional<std::string_view> ConsoleAsset(std::string_view path);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
