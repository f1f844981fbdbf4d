// Interoperability with a real AWS client: botocore (Debian's python3-botocore, run with
// /usr/bin/python3 as the API tests do) signs requests for Step Functions, EventBridge
// Scheduler and S3, in the Authorization header and as presigned URLs; our verifier must accept
// every one, and our signer must produce the same signature for the same request and time.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "autoretrain/aws/http_client.h"
#include "autoretrain/aws/sigv4.h"
#include "autoretrain/aws/sigv4_verifier.h"
#include "autoretrain/json/json.h"

namespace autoretrain::aws {
namespace {

// Signs each case with botocore and prints [{kind, service, url, method, headers, body}].
constexpr const char* kScript = R"PY(
import json
from botocore.auth import SigV4Auth, S3SigV4Auth, SigV4QueryAuth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

plain = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
temp = Credentials("ASIATEMP", "tempsecret", "IQoJb3JpZ2luX2VjEPT//////////wEaCXVz+/=")
json_headers = {"Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": "AWSStepFunctions.StartExecution"}
cases = [
  ("header", "states", plain, "POST", "http://127.0.0.1:8083/", json_headers,
   '{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:trigger"}'),
  ("header", "states", temp, "POST", "http://localhost:8083/", json_headers, "{}"),
  ("header", "scheduler", plain, "GET",
   "http://127.0.0.1:8083/schedules?NamePrefix=a%20b&MaxResults=5&State=ENABLED", {}, ""),
  ("header", "scheduler", plain, "PUT", "http://127.0.0.1:8083/schedules/my%20sched%2Bx",
   {"Content-Type": "application/json"}, '{"ScheduleExpression":"rate(1 day)"}'),
  ("header", "states", plain, "GET",
   "https://example.com/a/b%2Fc/%7Euser/x%40y?k=v%2Bw&empty=&a=%E1%88%B4&k=a", {}, ""),
  ("s3", "s3", plain, "PUT", "http://127.0.0.1:9000/models/dir/my%20file%2Bx.csv",
   {"Content-Type": "text/csv"}, "decision\nYES\n"),
  ("s3", "s3", temp, "GET", "http://127.0.0.1:9000/models/a/./b/../c?list-type=2&prefix=a%2F",
   {}, ""),
  ("query", "states", plain, "GET", "http://127.0.0.1:8083/?Action=ListStateMachines", {}, ""),
  ("s3query", "s3", temp, "GET", "http://127.0.0.1:9000/models/key%20with%20spaces", {}, ""),
]
out = []
for kind, service, creds, method, url, headers, body in cases:
    request = AWSRequest(method=method, url=url, data=body.encode(), headers=dict(headers))
    if kind == "header":
        SigV4Auth(creds, service, "us-east-1").add_auth(request)
    elif kind == "s3":
        S3SigV4Auth(creds, service, "us-east-1").add_auth(request)
    elif kind == "query":
        SigV4QueryAuth(creds, service, "us-east-1", expires=300).add_auth(request)
    else:
        S3SigV4QueryAuth(creds, service, "us-east-1", expires=300).add_auth(request)
    out.append({"kind": kind, "service": service, "method": method, "url": request.url,
                "headers": [[k, v] for k, v in request.headers.items()], "body": body})
print(json.dumps(out))
)PY";

std::string RunBotocore() {
  std::string command = "/usr/bin/python3 - <<'AUTORETRAIN_EOF'\n";
  command += kScript;
  command += "\nAUTORETRAIN_EOF\n";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::optional<Credentials> Lookup(std::string_view id) {
  Credentials c;
  c.access_key_id = std::string(id);
  if (id == "AKIDEXAMPLE") {
    c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  } else if (id == "ASIATEMP") {
    c.secret_access_key = "tempsecret";
    c.session_token = "IQoJb3JpZ2luX2VjEPT//////////wEaCXVz+/=";
  } else {
    return std::nullopt;
  }
  return c;
}

std::string HeaderOf(const Headers& headers, std::string_view lower) {
  for (const auto& [n, v] : headers) {
    std::string name = n;
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    if (name == lower) return v;
  }
  return "";
}

std::string QueryParam(std::string_view query, std::string_view name) {
  std::string key = std::string(name) + "=";
  size_t pos = query.find(key);
  if (pos == std::string_view::npos) return "";
  size_t end = query.find('&', pos);
  return UriDecode(query.substr(pos + key.size(), end == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : end - pos - key.size()));
}

TEST(BotocoreInteropTest, VerifierAcceptsAndSignerAgrees) {
  std::string output = RunBotocore();
  Result<json::Value> parsed = json::Parse(output);
  ASSERT_TRUE(parsed.ok() && parsed->is_array())
      << "botocore did not run (install python3-boto3: scripts/install-deps.sh); output: "
      << output;
  ASSERT_EQ(parsed->as_array().size(), 9u);
  for (const json::Value& item : parsed->as_array()) {
    const json::Object& c = item.as_object();
    const std::string kind(c.at("kind").as_string());
    const std::string service(c.at("service").as_string());
    const std::string url(c.at("url").as_string());
    SCOPED_TRACE(kind + " " + url);
    std::optional<UrlParts> parts = SplitUrl(url);
    ASSERT_TRUE(parts);
    Headers headers;
    for (const json::Value& pair : c.at("headers").as_array()) {
      headers.emplace_back(std::string(pair.as_array()[0].as_string()),
                           std::string(pair.as_array()[1].as_string()));
    }
    headers.emplace_back("Host", parts->host_header);  // added by the HTTP layer, as it would be
    const std::string method(c.at("method").as_string());
    const std::string body(c.at("body").as_string());
    const bool presigned = kind == "query" || kind == "s3query";
    std::string amz_date =
        presigned ? QueryParam(parts->query, "X-Amz-Date") : HeaderOf(headers, "x-amz-date");
    TimePoint when;
    ASSERT_TRUE(ParseAmzDate(amz_date, &when)) << amz_date;

    // 1. The verifier accepts botocore's signature (and rejects a changed body or query).
    SigV4Verifier verifier(Lookup, VerifierOptions{"us-east-1", service});
    ReceivedRequest received;
    received.method = method;
    received.path = parts->path;
    received.query = parts->query;
    for (const auto& [n, v] : headers) received.headers.emplace_back(n, v);
    received.body = body;
    auto verdict = verifier.Verify(received, when);
    ASSERT_TRUE(verdict.ok()) << verdict.error().error << ": " << verdict.error().cause;
    EXPECT_EQ(verdict->presigned, presigned);
    if (kind != "s3query") {
      std::string other_body = body + "x";
      received.body = other_body;
      std::string other_query = parts->query + "&extra=1";
      if (body.empty()) received.query = other_query;
      EXPECT_FALSE(verifier.Verify(received, when).ok());
    }

    // 2. Our signer computes the same signature for the request botocore signed.
    SignableRequest request;
    request.method = method;
    request.path = parts->path;
    request.body = body;
    SigningOptions options = SigningOptionsFor(service, "us-east-1", when);
    std::string credential =
        presigned ? QueryParam(parts->query, "X-Amz-Credential")
                  : HeaderOf(headers, "authorization")
                        .substr(std::string_view("AWS4-HMAC-SHA256 Credential=").size());
    Credentials creds = *Lookup(credential.substr(0, credential.find('/')));
    if (presigned) {
      options.placement = SignaturePlacement::kQuery;
      options.expires = std::chrono::seconds(300);
      if (kind == "s3query") request.payload_hash = "UNSIGNED-PAYLOAD";
      request.query = parts->query.substr(0, parts->query.find("X-Amz-Algorithm"));
      if (!request.query.empty() && request.query.back() == '&') request.query.pop_back();
      for (const auto& h : headers) {
        if (h.first == "Host" || h.first == "Content-Type") request.headers.push_back(h);
      }
    } else {
      request.query = parts->query;
      for (const auto& h : headers) {
        std::string lower = h.first;
        for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
        if (lower != "authorization" && lower != "x-amz-date" && lower != "x-amz-security-token" &&
            lower != "x-amz-content-sha256") {
          request.headers.push_back(h);
        }
      }
    }
    auto mine = Sign(request, creds, options);
    ASSERT_TRUE(mine.ok()) << mine.error().cause;
    if (presigned) {
      EXPECT_EQ(mine->signature, QueryParam(parts->query, "X-Amz-Signature"));
    } else {
      EXPECT_EQ(mine->added_headers.back().second, HeaderOf(headers, "authorization"));
    }
  }
}

}  // namespace
}  // namespace autoretrain::aws
