// AWS's SigV4 signing test suite (aws-c-auth's v4 cases), read in place from
// ../shared/conformance/sigv4/: for every case, both placements (Authorization header and
// presigned query) must reproduce the canonical request, string to sign, signature and signed
// request byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/json/json.h"

namespace autoretrain::aws {
namespace {

namespace fs = std::filesystem;

fs::path SuiteDir() {
  return fs::path(AUTORETRAIN_SOURCE_DIR) / ".." / "shared" / "conformance" / "sigv4";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> SigV4CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(SuiteDir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "request.txt")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The request of request.txt: "METHOD TARGET HTTP/1.1", header lines (a line starting with
// whitespace continues the previous value), a blank line, the body.
struct RawRequest {
  std::string method, target, version;
  Headers headers;
  std::string body;
};

RawRequest ParseRequest(const std::string& text) {
  RawRequest out;
  size_t line_end = text.find('\n');
  std::string first = text.substr(0, line_end);
  size_t first_space = first.find(' ');
  size_t last_space = first.rfind(' ');
  out.method = first.substr(0, first_space);
  out.target = first.substr(first_space + 1, last_space - first_space - 1);
  out.version = first.substr(last_space + 1);
  size_t pos = line_end == std::string::npos ? text.size() : line_end + 1;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty()) {
      if (pos < text.size()) out.body = text.substr(pos);
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !out.headers.empty()) {
      out.headers.back().second += "\n" + line;
      continue;
    }
    size_t colon = line.find(':');
    out.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  return out;
}

std::string PrintRequest(const RawRequest& request) {
  std::string out = request.method + " " + request.target + " " + request.version + "\n";
  for (const auto& [name, value] : request.headers) out += name + ":" + value + "\n";
  out += "\n" + request.body;
  return out;
}

class SigV4SuiteTest : public ::testing::TestWithParam<std::string> {};

void CheckPlacement(const fs::path& dir, SignaturePlacement placement) {
  const std::string prefix = placement == SignaturePlacement::kHeader ? "header-" : "query-";
  SCOPED_TRACE(prefix + "placement");
  Result<json::Value> context = json::Parse(ReadFile(dir / "context.json"));
  ASSERT_TRUE(context.ok()) << context.error().cause;
  const json::Object& ctx = context->as_object();
  const json::Object& creds = ctx.at("credentials").as_object();

  Credentials credentials;
  credentials.access_key_id = creds.at("access_key_id").as_string().c_str();
  credentials.secret_access_key = creds.at("secret_access_key").as_string().c_str();
  if (creds.contains("token")) credentials.session_token = creds.at("token").as_string().c_str();

  TimePoint time;
  ASSERT_TRUE(ParseIso8601(ctx.at("timestamp").as_string().c_str(), &time));
  SigningOptions options;
  options.region = ctx.at("region").as_string().c_str();
  options.service = ctx.at("service").as_string().c_str();
  options.time = time;
  options.placement = placement;
  options.normalize_path = ctx.at("normalize").as_bool();
  options.add_content_sha256_header =
      placement == SignaturePlacement::kHeader && ctx.at("sign_body").as_bool();
  if (ctx.contains("omit_session_token")) {
    options.omit_session_token = ctx.at("omit_session_token").as_bool();
  }
  options.expires = std::chrono::seconds(ctx.at("expiration_in_seconds").to_number<int64_t>());

  RawRequest raw = ParseRequest(ReadFile(dir / "request.txt"));
  SignableRequest request;
  request.method = raw.method;
  size_t question = raw.target.find('?');
  request.path = raw.target.substr(0, question);
  if (question != std::string::npos) request.query = raw.target.substr(question + 1);
  request.headers = raw.headers;
  request.body = raw.body;

  Result<SignedRequest> signed_request = Sign(request, credentials, options);
  ASSERT_TRUE(signed_request.ok()) << signed_request.error().cause;
  EXPECT_EQ(signed_request->canonical_request, ReadFile(dir / (prefix + "canonical-request.txt")));
  EXPECT_EQ(signed_request->string_to_sign, ReadFile(dir / (prefix + "string-to-sign.txt")));
  EXPECT_EQ(signed_request->signature, ReadFile(dir / (prefix + "signature.txt")));

  RawRequest signed_raw = raw;
  if (placement == SignaturePlacement::kHeader) {
    for (const auto& header : signed_request->added_headers) signed_raw.headers.push_back(header);
  } else {
    signed_raw.target = request.path + "?" + signed_request->query;
  }
  EXPECT_EQ(PrintRequest(signed_raw), ReadFile(dir / (prefix + "signed-request.txt")));
}

TEST_P(SigV4SuiteTest, HeaderPlacement) {
  CheckPlacement(SuiteDir() / GetParam(), SignaturePlacement::kHeader);
}

TEST_P(SigV4SuiteTest, QueryPlacement) {
  CheckPlacement(SuiteDir() / GetParam(), SignaturePlacement::kQuery);
}

INSTANTIATE_TEST_SUITE_P(Aws, SigV4SuiteTest, ::testing::ValuesIn(SigV4CaseNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The suite must be there: a missing folder would otherwise run no case at all.
TEST(SigV4Suite, AllCasesPresent) {
  EXPECT_GE(SigV4CaseNames().size(), 38u) << "expected AWS's SigV4 test suite at " << SuiteDir();
}

}  // namespace
}  // namespace autoretrain::aws
