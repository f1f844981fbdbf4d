// SnsIntegration: the Parameters of sns:publish and aws-sdk:sns:publish, and their results.
#include <array>
#include <utility>

#include "aws/sns_backend.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::aws {
namespace {

constexpr std::string_view kOptimized = "arn:aws:states:::sns:publish";
constexpr std::string_view kSdk = "arn:aws:states:::aws-sdk:sns:publish";

Error Runtime(const engine::TaskRequest& request, std::string_view message) {
  return Error{"States.Runtime", "An error occurred while executing the state '" +
                                     std::string(request.state_name) + "'. " +
                                     std::string(message)};
}

// Parameter `field` as a string (absent: nullopt); any other type fails with States.Runtime.
Result<std::optional<std::string>> StringField(const engine::TaskRequest& request,
                                               const json::Object& params, std::string_view field) {
  const json::Value* value = params.if_contains(field);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) {
    return Runtime(request, "The value for the field '" + std::string(field) +
                                "' of sns:publish must be a STRING, got " +
                                std::string(json::TypeName(*value)) + ".");
  }
  return std::optional<std::string>(std::string(value->get_string()));
}

Result<std::vector<SnsMessageAttribute>> Attributes(const engine::TaskRequest& request,
                                                    const json::Value& value) {
  if (!value.is_object()) {
    return Runtime(request,
                   "MessageAttributes must be an object of {\"DataType\", \"StringValue\" or "
                   "\"BinaryValue\"} entries, got " +
                       std::string(json::TypeName(value)) + ".");
  }
  std::vector<SnsMessageAttribute> attributes;
  for (const auto& [name, entry] : value.get_object()) {
    if (!entry.is_object()) {
      return Runtime(request, "MessageAttributes." + std::string(name) +
                                  " must be an object with DataType and StringValue or "
                                  "BinaryValue.");
    }
    SnsMessageAttribute attribute;
    attribute.name = name;
    const json::Object& fields = entry.get_object();
    for (const auto& [key, field] : fields) {
      if (key != "DataType" && key != "StringValue" && key != "BinaryValue") {
        return Runtime(request, "MessageAttributes." + std::string(name) +
                                    " has the unknown field '" + std::string(key) +
                                    "' (expected DataType, StringValue, BinaryValue).");
      }
      if (!field.is_string()) {
        return Runtime(request, "MessageAttributes." + std::string(name) + "." + std::string(key) +
                                    " must be a STRING, got " + std::string(json::TypeName(field)) +
                                    ".");
      }
      std::string text(field.get_string());
      if (key == "DataType") attribute.data_type = std::move(text);
      if (key == "StringValue") attribute.string_value = std::move(text);
      if (key == "BinaryValue") attribute.binary_value = std::move(text);
    }
    attributes.push_back(std::move(attribute));
  }
  return attributes;
}

Result<SnsPublishInput> ParseInput(const engine::TaskRequest& request) {
  if (request.parameters == nullptr || !request.parameters->is_object()) {
    return Runtime(request,
                   "sns:publish needs Parameters (an object with TopicArn, TargetArn or "
                   "PhoneNumber, and Message).");
  }
  const json::Object& params = request.parameters->get_object();
  static constexpr std::array<std::string_view, 9> kKnown = {
      "TopicArn",         "TargetArn",        "PhoneNumber",    "Message",
      "Subject",          "MessageStructure", "MessageGroupId", "MessageDeduplicationId",
      "MessageAttributes"};
  for (const auto& [key, value] : params) {
    bool known = false;
    for (std::string_view k : kKnown) known = known || key == k;
    if (!known) {
      return Runtime(request, "The field '" + std::string(key) +
                                  "' is not supported by sns:publish. Supported fields: "
                                  "TopicArn, TargetArn, PhoneNumber, Message, Subject, "
                                  "MessageStructure, MessageAttributes, MessageGroupId, "
                                  "MessageDeduplicationId.");
    }
  }
  SnsPublishInput input;
  std::pair<std::string_view, std::optional<std::string>*> strings[] = {
      {"TopicArn", &input.topic_arn},
      {"TargetArn", &input.target_arn},
      {"PhoneNumber", &input.phone_number},
      {"Subject", &input.subject},
      {"MessageStructure", &input.message_structure},
      {"MessageGroupId", &input.message_group_id},
      {"MessageDeduplicationId", &input.message_deduplication_id}};
  for (auto& [field, out] : strings) {
    Result<std::optional<std::string>> value = StringField(request, params, field);
    if (!value.ok()) return value.take_error();
    *out = std::move(value).value();
  }
  if (const json::Value* message = params.if_contains("Message"); message && !message->is_null()) {
    // Step Functions serializes a Message that is not a string into its JSON text.
    input.message =
        message->is_string() ? std::string(message->get_string()) : json::Serialize(*message);
  }
  if (const json::Value* attributes = params.if_contains("MessageAttributes")) {
    Result<std::vector<SnsMessageAttribute>> parsed = Attributes(request, *attributes);
    if (!parsed.ok()) return parsed.take_error();
    input.attributes = std::move(parsed).value();
  }
  return input;
}

// The exception class the Java SDK names for SNS's error code.
std::string ExceptionName(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"AuthorizationError", "AuthorizationErrorException"},
      {"EndpointDisabled", "EndpointDisabledException"},
      {"InternalError", "InternalErrorException"},
      {"InternalFailure", "InternalErrorException"},
      {"InvalidParameter", "InvalidParameterException"},
      {"ParameterValueInvalid", "InvalidParameterValueException"},
      {"InvalidSecurity", "InvalidSecurityException"},
      {"KMSAccessDenied", "KMSAccessDeniedException"},
      {"KMSDisabled", "KMSDisabledException"},
      {"KMSInvalidState", "KMSInvalidStateException"},
      {"KMSNotFound", "KMSNotFoundException"},
      {"KMSOptInRequired", "KMSOptInRequiredException"},
      {"KMSThrottling", "KMSThrottlingException"},
      {"NotFound", "NotFoundException"},
      {"PlatformApplicationDisabled", "PlatformApplicationDisabledException"},
      {"Throttled", "ThrottledException"},
      {"Throttling", "ThrottledException"},
      {"ValidationError", "ValidationException"},
      {"ValidationException", "ValidationException"},
  };
  for (const auto& [from, to] : kNames) {
    if (code == from) return std::string(to);
  }
  return "AmazonSNSException";
}

}  // namespace

int SnsErrorStatus(std::string_view code) {
  if (code == "NotFound") return 404;
  if (code == "AuthorizationError" || code == "InvalidSecurity") return 403;
  if (code == "Throttled" || code == "Throttling") return 429;
  if (code == "InternalError" || code == "InternalFailure") return 500;
  return 400;
}

Error SnsServiceError(std::string_view code, std::string_view message, int status,
                      std::string_view request_id) {
  return Error{
      "SNS." + ExceptionName(code),
      std::string(message) + integrations::AwsErrorSuffix("AmazonSNS", status, code, request_id)};
}

bool SnsIntegration::Handles(const engine::TaskRequest& request) const {
  std::string_view resource = request.resource;
  for (std::string_view base : {kOptimized, kSdk}) {
    if (resource.substr(0, base.size()) == base &&
        (resource.size() == base.size() || resource[base.size()] == '.')) {
      return true;
    }
  }
  return false;
}

Result<json::Value> SnsIntegration::Invoke(const engine::TaskRequest& request) {
  const bool sdk = request.resource.substr(0, kSdk.size()) == kSdk;
  const size_t base = sdk ? kSdk.size() : kOptimized.size();
  if (request.resource.size() != base) {
    return Runtime(request, "The resource '" + std::string(request.resource) +
                                "' is not supported: SNS publish runs as a request-response "
                                "task only (drop the '" +
                                std::string(request.resource.substr(base)) + "' suffix).");
  }
  Result<SnsPublishInput> input = ParseInput(request);
  if (!input.ok()) return input.take_error();
  Result<SnsPublishOutput> output = backend_->Publish(*input);
  if (!output.ok()) return output.take_error();
  json::Object result;
  result["MessageId"] = output->message_id;
  if (output->sequence_number) result["SequenceNumber"] = *output->sequence_number;
  if (!sdk) {
    std::vector<integrations::HttpHeader> headers;
    headers.reserve(output->headers.size());
    for (const auto& [name, value] : output->headers) headers.emplace_back(name, value);
    result["SdkHttpMetadata"] = integrations::SdkHttpMetadata(headers, output->status);
    result["SdkResponseMetadata"] = integrations::SdkResponseMetadata(output->request_id);
  }
  return json::Value(std::move(result));
}

}  // namespace autoretrain::aws
