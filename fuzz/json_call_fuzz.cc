// Fuzz target: the API's request path after HTTP framing: an AWS JSON 1.0 call
// (ParseJsonCall), its members read with the service model's checks (RequestReader, as every
// Step Functions operation reads its input), and the error response built from any failure.
// Input: the X-Amz-Target value on the first line, the request body after it. Every response
// must be a JSON object, and an error response must carry a __type.
#include "fuzz_util.h"
#include "server/json_protocol.h"
#include "server/request_reader.h"

namespace json = autoretrain::json;
namespace server = autoretrain::server;
using autoretrain::Result;
using autoretrain::Status;
using autoretrain::fuzz::Check;

namespace {

// The members and constraints of CreateStateMachine and ListExecutions, between them every
// kind of member an operation reads.
Status ReadMembers(const json::Object& input) {
  server::RequestReader reader(input);
  reader.String("name", true, 1, 80);
  reader.String("definition", true, 1, 1024 * 1024);
  reader.String("roleArn", false, 1, 256);
  reader.Enum("type", false, {"STANDARD", "EXPRESS"});
  reader.Enum("statusFilter", false, {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"});
  reader.Integer("maxResults", 0, 1000);
  reader.Boolean("publish");
  if (const json::Value* tags = reader.Raw("tags"); tags && !tags->is_array()) {
    reader.WrongType("tags", "a list");
  }
  return reader.Finish();
}

void CheckResponse(const server::HttpResponse& response, bool is_error) {
  Result<json::Value> body = json::Parse(response.body);
  Check(body.ok() && body->is_object(), "a response body is a JSON object");
  if (is_error) {
    Check(response.status >= 400, "an error response has an error status");
    Check(body->as_object().contains("__type"), "an error response has a __type");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto [target, body] = autoretrain::fuzz::SplitFirstLine(autoretrain::fuzz::AsText(data, size));
  server::HttpRequest request;
  request.method = "POST";
  request.target = request.path = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", std::string(target)}};
  request.body = body;
  Result<server::JsonCall> call = server::ParseJsonCall(request, "AWSStepFunctions");
  if (!call.ok()) {
    CheckResponse(server::JsonErrorResponse(call.error()), true);
    return 0;
  }
  Status read = ReadMembers(call->input);
  if (!read.ok()) {
    CheckResponse(server::JsonErrorResponse(read.error()), true);
    return 0;
  }
  CheckResponse(server::JsonResponse(json::Value(call->input)), false);
  Check(server::CharacterCount(body) <= body.size(), "no more characters than bytes");
  return 0;
}
