// The parts of SNS publishing shared by the local and remote backends (sns.h): the Publish
// request as the Task's Parameters give it, the backend interface, and the integration that
// parses Parameters, calls a backend and shapes the result as Step Functions does.
//
// Thread-safety: SnsBackend implementations allow concurrent Publish calls; SnsIntegration
// is as thread-safe as its backend.
#ifndef AUTORETRAIN_AWS_SNS_BACKEND_H_
#define AUTORETRAIN_AWS_SNS_BACKEND_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/integrations/service_integration.h"

namespace autoretrain::aws {

struct SnsMessageAttribute {
  std::string name;
  std::string data_type;  // "String", "Number", "Binary", "String.Array" (+ ".custom")
  std::optional<std::string> string_value;
  std::optional<std::string> binary_value;  // base64, as in the Parameters
};

// The Publish request. `message` is the Message parameter, a JSON value other than a string
// already serialized (as Step Functions does before calling SNS).
struct SnsPublishInput {
  std::optional<std::string> topic_arn, target_arn, phone_number;
  std::optional<std::string> message;
  std::optional<std::string> subject, message_structure;
  std::optional<std::string> message_group_id, message_deduplication_id;
  std::vector<SnsMessageAttribute> attributes;
};

// What a successful Publish returned, with the HTTP answer it came in.
struct SnsPublishOutput {
  std::string message_id;
  std::optional<std::string> sequence_number;  // FIFO topics
  int status = 200;
  Headers headers;  // the response's, in wire order
  std::string request_id;
};

class SnsBackend {
 public:
  virtual ~SnsBackend() = default;
  // Publishes. On success returns the message id; on failure the task error (see sns.h).
  virtual Result<SnsPublishOutput> Publish(const SnsPublishInput& input) = 0;
};

// SNS's error `code` (its Query protocol <Code>: "NotFound", "InvalidParameter", ...) as Step
// Functions names it for the optimized integration: "SNS.NotFoundException", ...; unknown
// codes "SNS.AmazonSNSException". The cause is `message` with the Java SDK's suffix.
Error SnsServiceError(std::string_view code, std::string_view message, int status,
                      std::string_view request_id);

// The HTTP status SNS answers error `code` with (400 for most, 403, 404, 429, 500...).
int SnsErrorStatus(std::string_view code);

class SnsIntegration final : public integrations::ServiceIntegration {
 public:
  explicit SnsIntegration(std::unique_ptr<SnsBackend> backend) : backend_(std::move(backend)) {}
  // arn:aws:states:::sns:publish and arn:aws:states:::aws-sdk:sns:publish (with or without
  // an integration-pattern suffix, which Invoke then refuses).
  bool Handles(const engine::TaskRequest& request) const override;
  Result<json::Value> Invoke(const engine::TaskRequest& request) override;

 private:
  std::unique_ptr<SnsBackend> backend_;
};

}  // namespace autoretrain::aws

#endif  // AUTORETRAIN_AWS_SNS_BACKEND_H_
