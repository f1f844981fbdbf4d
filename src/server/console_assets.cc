// The console's embedded page (console_assets.h): the answers written into it, and the
// security policy that allows its inline script and style.
#include "server/console_assets.h"

#include <openssl/evp.h>

#include <string>

namespace autoretrain::server {
namespace {

constexpr std::string_view kAnswersMarker = "PRELOADED_ANSWERS";

// Base64 of the SHA-256 of `text`, as a Content-Security-Policy hash source has it.
std::string Sha256Base64(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  unsigned char encoded[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(encoded, digest, static_cast<int>(size));
  return std::string(reinterpret_cast<const char*>(encoded), length);
}

// " 'sha256-...'" for the contents of each of the page's elements that open with `open` (as
// the build writes them: "<style>", "<script type=\"module\">") and close with `close`.
std::string InlineHashes(std::string_view open, std::string_view close) {
  const std::string_view page = ConsolePage();
  std::string sources;
  for (size_t start = page.find(open); start != std::string_view::npos;
       start = page.find(open, start)) {
    start += open.size();
    const size_t end = page.find(close, start);
    if (end == std::string_view::npos) break;
    sources.append(" 'sha256-").append(Sha256Base64(page.substr(start, end - start))).append("'");
    start = end;
  }
  return sources;
}

}  // namespace

std::string_view ConsolePage() {
  for (const retrain::EmbeddedFile& file : ConsoleAssetFiles()) {
    if (file.path == "index.html") return file.contents;
  }
  return {};
}

std::string ConsolePageWith(std::string_view answers) {
  const std::string_view page = ConsolePage();
  const size_t at = page.find(kAnswersMarker);
  if (at == std::string_view::npos) return std::string(page);
  std::string out(page.substr(0, at));
  for (const char c : answers) {
    if (c == '<') {
      out.append("\\u003c");
    } else {
      out.push_back(c);
    }
  }
  return out.append(page.substr(at + kAnswersMarker.size()));
}

const std::string& ConsoleContentSecurityPolicy() {
  static const std::string policy =
      "default-src 'self'; img-src 'self' data:; style-src" + InlineHashes("<style>", "</style>") +
      "; script-src" + InlineHashes("<script type=\"module\">", "</script>") +
      "; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  return policy;
}

}  // namespace autoretrain::server
