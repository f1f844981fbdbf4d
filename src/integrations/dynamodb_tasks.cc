#include "autoretrain/integrations/dynamodb_tasks.h"

#include <array>
#include <random>

#include "integrations/sdk_metadata.h"

namespace autoretrain::integrations {
namespace {

constexpr std::string_view kOptimized = "arn:aws:states:::dynamodb:";
constexpr std::string_view kSdk = "arn:aws:states:::aws-sdk:dynamodb:";

// A DynamoDB request id: 52 upper-case letters and digits.
std::string NewRequestId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string id(52, 'A');
  for (char& c : id) c = kChars[rng() % 36];
  return id;
}

// CRC-32 (IEEE), what DynamoDB sends in x-amz-crc32.
uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> kTable = [] {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  uint32_t crc = 0xffffffffu;
  for (unsigned char b : data) crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

int StatusOf(std::string_view exception) {
  return exception == "InternalServerError" || exception == "ServiceUnavailable" ? 500 : 400;
}

bool IsTransportError(std::string_view name) {
  return name.starts_with("Http") || name == "NoCredentials" || name == "CredentialsError" ||
         name == "ConfigError";
}

Error Runtime(const engine::TaskRequest& request, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(request.state_name) + "'. " +
                                     std::string(message)};
}

class DynamoDbTasks final : public ServiceIntegration {
 public:
  DynamoDbTasks(DynamoDb& db, Clock& clock) : db_(db), clock_(clock) {}

  bool Handles(const engine::TaskRequest& request) const override {
    return request.resource.starts_with(kOptimized) || request.resource.starts_with(kSdk);
  }

  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    const bool optimized = request.resource.starts_with(kOptimized);
    std::string_view api = request.resource.substr((optimized ? kOptimized : kSdk).size());
    if (api.find('.') != std::string_view::npos) {
      return Runtime(request, "The resource '" + std::string(request.resource) +
                                  "' uses an integration pattern; DynamoDB integrations support "
                                  "only request-response (no suffix).");
    }
    static constexpr std::string_view kOptimizedApis[] = {"putItem", "getItem", "updateItem",
                                                          "deleteItem"};
    static constexpr std::string_view kSdkApis[] = {
        "putItem", "getItem",     "updateItem",    "deleteItem",  "query",
        "scan",    "createTable", "describeTable", "deleteTable", "listTables"};
    bool known = false;
    if (optimized) {
      for (std::string_view a : kOptimizedApis) known |= a == api;
    } else {
      for (std::string_view a : kSdkApis) known |= a == api;
    }
    if (!known) {
      return Runtime(request,
                     "The resource '" + std::string(request.resource) +
                         "' is not supported by autoretrain. Supported: " +
                         (optimized ? "dynamodb:putItem, getItem, updateItem, deleteItem"
                                    : "aws-sdk:dynamodb:getItem, putItem, updateItem, "
                                      "deleteItem, query, scan, createTable, describeTable, "
                                      "deleteTable, listTables") +
                         ".");
    }
    if (request.parameters == nullptr || !request.parameters->is_object()) {
      return Runtime(request, "The Parameters of '" + std::string(request.resource) +
                                  "' must be an object of DynamoDB request fields.");
    }
    std::string operation(api);
    operation[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(operation[0])));
    Result<json::Value> response = db_.Call(operation, *request.parameters);
    const std::string request_id = NewRequestId();
    if (!response.ok()) {
      const Error& e = response.error();
      if (IsTransportError(e.error)) return e;
      if (optimized) {
        return Error{
            "DynamoDB." + e.error,
            e.cause + AwsErrorSuffix("AmazonDynamoDBv2", StatusOf(e.error), e.error, request_id)};
      }
      return Error{"DynamoDb." + e.error, e.cause + " (Service: DynamoDb, Status Code: " +
                                              std::to_string(StatusOf(e.error)) +
                                              ", Request ID: " + request_id + ")"};
    }
    if (!optimized) return response;
    const std::string body = json::Serialize(*response);
    const std::string crc = std::to_string(Crc32(body));
    const std::string length = std::to_string(body.size());
    const std::string date(HttpDate(clock_.Now()));
    const HttpHeader headers[] = {{"Server", "Server"},
                                  {"Connection", "keep-alive"},
                                  {"x-amzn-RequestId", request_id},
                                  {"x-amz-crc32", crc},
                                  {"Content-Length", length},
                                  {"Date", date},
                                  {"Content-Type", "application/x-amz-json-1.0"}};
    json::Object out = std::move(response->get_object());
    out.insert_or_assign("SdkHttpMetadata", SdkHttpMetadata(headers, 200));
    out.insert_or_assign("SdkResponseMetadata", SdkResponseMetadata(request_id));
    return json::Value(std::move(out));
  }

 private:
  DynamoDb& db_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<ServiceIntegration> MakeDynamoDbTasks(DynamoDb& db, Clock& clock) {
  return std::make_unique<DynamoDbTasks>(db, clock);
}

}  // namespace autoretrain::integrations
