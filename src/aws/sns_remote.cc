// The remote SNS backend: Publish over SNS's Query protocol (form-encoded POST, XML answers),
// SigV4-signed for service "sns".
#include "autoretrain/aws/credentials.h"
#include "autoretrain/aws/sns.h"
#include "aws/s3_xml.h"
#include "aws/service_connection.h"
#include "aws/sns_backend.h"

namespace autoretrain::aws {
namespace {

void AddField(std::string* form, std::string_view name, std::string_view value) {
  *form += '&';
  *form += UriEncode(name, false);
  *form += '=';
  *form += UriEncode(value, false);
}

class RemoteSnsBackend final : public SnsBackend {
 public:
  RemoteSnsBackend(Endpoint endpoint, CredentialsSource credentials, HttpClientOptions http,
                   std::function<TimePoint()> now)
      : endpoint_(std::move(endpoint)),
        credentials_(std::move(credentials)),
        http_(std::move(http)),
        now_(now ? std::move(now) : std::function<TimePoint()>(SystemNow)) {}

  Result<SnsPublishOutput> Publish(const SnsPublishInput& input) override {
    std::string target = input.topic_arn      ? *input.topic_arn
                         : input.target_arn   ? *input.target_arn
                         : input.phone_number ? "phone number"
                                              : "no target";
    std::string where = "SNS Publish to " + target + " at " + endpoint_.url;
    Result<Credentials> credentials = credentials_();
    if (!credentials.ok()) {
      Error error = credentials.take_error();
      error.cause = where + ": " + error.cause;
      return error;
    }
    std::string form = "Action=Publish&Version=2010-03-31";
    if (input.topic_arn) AddField(&form, "TopicArn", *input.topic_arn);
    if (input.target_arn) AddField(&form, "TargetArn", *input.target_arn);
    if (input.phone_number) AddField(&form, "PhoneNumber", *input.phone_number);
    if (input.message) AddField(&form, "Message", *input.message);
    if (input.subject) AddField(&form, "Subject", *input.subject);
    if (input.message_structure) AddField(&form, "MessageStructure", *input.message_structure);
    if (input.message_group_id) AddField(&form, "MessageGroupId", *input.message_group_id);
    if (input.message_deduplication_id) {
      AddField(&form, "MessageDeduplicationId", *input.message_deduplication_id);
    }
    for (size_t i = 0; i < input.attributes.size(); ++i) {
      const SnsMessageAttribute& a = input.attributes[i];
      std::string prefix = "MessageAttributes.entry." + std::to_string(i + 1) + ".";
      AddField(&form, prefix + "Name", a.name);
      AddField(&form, prefix + "Value.DataType", a.data_type);
      if (a.string_value) AddField(&form, prefix + "Value.StringValue", *a.string_value);
      if (a.binary_value) AddField(&form, prefix + "Value.BinaryValue", *a.binary_value);
    }
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint_.url + "/";
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = std::move(form);
    SigningOptions signing = SigningOptionsFor("sns", endpoint_.signing_region, now_());
    Result<HttpResponse> response =
        http_.SendSigned(std::move(request), *credentials, signing, now_);
    if (!response.ok()) {
      Error error = response.take_error();
      error.cause = where + ": " + error.cause;
      return error;
    }
    std::string request_id = XmlText(response->body, "RequestId").value_or("");
    if (request_id.empty()) request_id = response->Header("x-amzn-RequestId");
    if (response->status < 200 || response->status >= 300) {
      std::optional<std::string> code = XmlText(response->body, "Code");
      if (!code) {
        return SnsServiceError(response->status >= 500 ? "InternalError" : "UnknownError",
                               where + " answered HTTP " + std::to_string(response->status) +
                                   " without an SNS error document; is the endpoint SNS?",
                               response->status, request_id);
      }
      return SnsServiceError(*code, XmlText(response->body, "Message").value_or(*code),
                             response->status, request_id);
    }
    std::optional<std::string> message_id = XmlText(response->body, "MessageId");
    if (!message_id) {
      return Error{std::string(kHttpMalformedResponse),
                   where + " answered HTTP " + std::to_string(response->status) +
                       " without a <MessageId>; is the endpoint SNS?"};
    }
    SnsPublishOutput output;
    output.message_id = std::move(*message_id);
    output.sequence_number = XmlText(response->body, "SequenceNumber");
    output.status = response->status;
    output.headers = std::move(response->headers);
    output.request_id = std::move(request_id);
    return output;
  }

 private:
  Endpoint endpoint_;
  CredentialsSource credentials_;
  HttpClient http_;
  std::function<TimePoint()> now_;
};

}  // namespace

std::unique_ptr<integrations::ServiceIntegration> MakeRemoteSnsIntegration(
    Endpoint endpoint, CredentialsSource credentials, HttpClientOptions http,
    std::function<TimePoint()> now) {
  return std::make_unique<SnsIntegration>(std::make_unique<RemoteSnsBackend>(
      std::move(endpoint), std::move(credentials), std::move(http), std::move(now)));
}

Result<std::unique_ptr<integrations::ServiceIntegration>> MakeRemoteSnsIntegration(
    const RemoteSnsOptions& options, std::shared_ptr<const Environment> env) {
  EndpointOptions endpoint;
  endpoint.url = options.endpoint_url;
  Result<ServiceConnection> connection = ConnectService(
      SnsService(), options.region, options.fallback_region, endpoint, std::move(env));
  if (!connection.ok()) return connection.take_error();
  return MakeRemoteSnsIntegration(std::move(connection->endpoint),
                                  std::move(connection->credentials), options.http);
}

}  // namespace autoretrain::aws
