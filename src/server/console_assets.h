// The web console's page: console/index.html with its stylesheet and every module it imports
// inlined at build time (cmake/console_page.cmake) and embedded in the binary
// (cmake/embed_files.cmake), so that the console needs no files at run time and no internet,
// and its first page is one response (docs/console.md#the-first-page).
//
// Thread-safety: immutable data (the policy is computed once, thread-safely).
#ifndef AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
#define AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_

#include <string>
#include <string_view>
#include <vector>

#include "autoretrain/retrain/project_template.h"  // EmbeddedFile

namespace autoretrain::server {

// The embedded files: the page alone, as "index.html". Generated.
const std::vector<retrain::EmbeddedFile>& ConsoleAssetFiles();

// The page as built, with the marker PRELOADED_ANSWERS where its first calls' answers go.
std::string_view ConsolePage();

// The page with `answers` (a JSON object) in place of the marker; every '<' in them is
// written \u003c, so that nothing in them can end the element that holds them.
std::string ConsolePageWith(std::string_view answers);

// The Content-Security-Policy of every console response: nothing is loaded from another
// origin, and the only script and style are the page's own inline ones, by their SHA-256.
const std::string& ConsoleContentSecurityPolicy();

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_CONSOLE_ASSETS_H_
