// The console's embedded files as served (console_assets.h): content types, the version that
// names this build's files, and the page that refers to them by it.
#include "server/console_assets.h"

#include <string>
#include <utility>

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::server {
namespace {

// What console/index.html writes where the version goes in its files' paths.
constexpr std::string_view kVersionMarker = "ASSETS_VERSION";

// index.html with every kVersionMarker replaced by the version.
std::string VersionedIndexPage(std::string_view page) {
  std::string out;
  for (size_t at = page.find(kVersionMarker); at != std::string_view::npos;
       at = page.find(kVersionMarker)) {
    out.append(page.substr(0, at)).append(ConsoleAssetsVersion());
    page.remove_prefix(at + kVersionMarker.size());
  }
  return out.append(page);
}

}  // namespace

std::string_view ConsoleContentType(std::string_view path) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".json", "application/json"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"}};
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

const std::string& ConsoleAssetsVersion() {
  static const std::string version = [] {
    std::string everything;
    for (const retrain::EmbeddedFile& file : ConsoleAssetFiles()) {
      everything.append(file.path).push_back('\0');
      everything.append(file.contents).push_back('\0');
    }
    return aws::Sha256Hex(everything).substr(0, 16);
  }();
  return version;
}

std::optional<std::string_view> ConsoleAsset(std::string_view path) {
  for (const retrain::EmbeddedFile& file : ConsoleAssetFiles()) {
    if (file.path != path) continue;
    if (path != "index.html") return file.contents;
    static const std::string index_page = VersionedIndexPage(file.contents);
    return std::string_view(index_page);
  }
  return std::nullopt;
}

}  // namespace autoretrain::server
