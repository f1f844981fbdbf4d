// Fuzz target: SigV4 verification of API requests (the Authorization header and presigned
// query forms). Input: a request written as HTTP/1.1 writes it, without the version: the line
// "METHOD TARGET", header lines "Name: value", an empty line, the body. The server knows two
// keys (one with a session token) and verifies at a fixed time; every failure must be one of
// the four errors AWS returns, with its HTTP status, and never show a secret.
#include "autoretrain/aws/sigv4_verifier.h"
#include "fuzz_util.h"

namespace aws = autoretrain::aws;
using autoretrain::Result;
using autoretrain::fuzz::Check;
using autoretrain::fuzz::SplitFirstLine;

namespace {

// The request's parts, viewing `text`.
aws::ReceivedRequest ReadRequest(std::string_view text) {
  aws::ReceivedRequest request;
  auto [request_line, rest] = SplitFirstLine(text);
  const size_t space = request_line.find(' ');
  request.method = request_line.substr(0, space);
  const std::string_view target =
      space == std::string_view::npos ? std::string_view() : request_line.substr(space + 1);
  const size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string_view::npos) request.query = target.substr(question + 1);
  while (!rest.empty()) {
    auto [line, after] = SplitFirstLine(rest);
    rest = after;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    request.headers.emplace_back(line.substr(0, colon), value);
  }
  request.body = rest;
  return request;
}

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr std::string_view kTemporarySecret = "temporary-secret";

std::optional<aws::Credentials> Lookup(std::string_view access_key_id) {
  aws::Credentials credentials;
  credentials.access_key_id = access_key_id;
  if (access_key_id == "AKIDEXAMPLE") {
    credentials.secret_access_key = kSecret;
  } else if (access_key_id == "ASIATEMPORARY") {
    credentials.secret_access_key = kTemporarySecret;
    credentials.session_token = "session-token";
  } else {
    return std::nullopt;
  }
  return credentials;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const aws::SigV4Verifier verifier(Lookup, [] {
    aws::VerifierOptions options;
    options.service = "states";  // any region
    return options;
  }());
  const autoretrain::TimePoint now(autoretrain::fuzz::kNow);
  Result<aws::VerifiedCaller> caller =
      verifier.Verify(ReadRequest(autoretrain::fuzz::AsText(data, size)), now);
  if (caller.ok()) {
    Check(Lookup(caller->access_key_id).has_value(), "only a known key verifies");
    return 0;
  }
  const std::string& type = caller.error().error;
  Check(type == aws::kMissingAuthenticationToken || type == aws::kIncompleteSignature ||
            type == aws::kUnrecognizedClient || type == aws::kInvalidSignature,
        "a failure is one of AWS's four authentication errors");
  Check(aws::AuthErrorHttpStatus(type) == (type == aws::kMissingAuthenticationToken ? 403 : 400),
        "403 for a missing signature, else 400");
  // AWS's messages quote parts of the request, so only a secret the request did not contain
  // must be absent.
  const std::string_view input = autoretrain::fuzz::AsText(data, size);
  for (std::string_view secret : {kSecret, kTemporarySecret}) {
    Check(input.find(secret) != std::string_view::npos ||
              caller.error().cause.find(secret) == std::string::npos,
          "a message never shows a secret");
  }
  return 0;
}
