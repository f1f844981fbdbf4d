// The local SNS backend: topics declared by the project, a JSON-lines message log, and
// delivery of SNS's HTTP notification JSON to http/https subscriptions.
#include <fstream>
#include <map>
#include <mutex>

#include "autoretrain/aws/sns.h"
#include "aws/sns_backend.h"
#include "integrations/sdk_metadata.h"

namespace autoretrain::aws {
namespace {

constexpr size_t kMaxMessageBytes = 256 * 1024;  // message plus attributes, as SNS counts
constexpr auto kDeduplicationWindow = std::chrono::minutes(5);

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ValidTopicName(std::string_view name) {
  std::string_view base = EndsWith(name, ".fifo") ? name.substr(0, name.size() - 5) : name;
  if (base.empty() || name.size() > 256) return false;
  for (char c : base) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Error Invalid(std::string_view message) {
  return SnsServiceError("InvalidParameter", "Invalid parameter: " + std::string(message), 400,
                         NewExecutionName());
}

struct Topic {
  std::string arn;
  LocalSnsTopic config;
  std::vector<std::string> subscription_arns;
  bool fifo = false;
};

class LocalSnsBackend final : public SnsBackend {
 public:
  LocalSnsBackend(LocalSnsOptions options, std::map<std::string, Topic> topics)
      : options_(std::move(options)), topics_(std::move(topics)), http_(options_.http) {
    if (!options_.now) options_.now = SystemNow;
  }

  Result<SnsPublishOutput> Publish(const SnsPublishInput& input) override;

 private:
  Status Validate(const SnsPublishInput& input, const Topic& topic) const;
  // The message for `protocol` under MessageStructure=json, else the message itself.
  std::string MessageFor(const SnsPublishInput& input, std::string_view protocol) const;
  void Deliver(const SnsPublishInput& input, const Topic& topic, const std::string& message_id,
               const std::string& timestamp);
  Status Append(const std::string& line);

  LocalSnsOptions options_;
  std::map<std::string, Topic> topics_;
  HttpClient http_;
  std::mutex mutex_;  // the log file, the FIFO state
  uint64_t sequence_ = 0;
  struct Dedup {
    std::string message_id, sequence_number;
    TimePoint at;
  };
  std::map<std::string, Dedup> dedup_;  // topic ARN + "\n" + deduplication id
};

Status LocalSnsBackend::Validate(const SnsPublishInput& input, const Topic& topic) const {
  if (!input.message) {
    return SnsServiceError("ValidationError",
                           "1 validation error detected: Value null at 'message' failed to "
                           "satisfy constraint: Member must not be null",
                           400, NewExecutionName());
  }
  if (input.message->empty()) return Invalid("Empty message");
  size_t size = input.message->size();
  for (const SnsMessageAttribute& a : input.attributes) {
    size += a.name.size() + a.data_type.size() + a.string_value.value_or("").size() +
            a.binary_value.value_or("").size();
  }
  if (size > kMaxMessageBytes) return Invalid("Message too long");
  if (input.subject) {
    bool ok = !input.subject->empty() && input.subject->size() < 100 &&
              std::isalnum(static_cast<unsigned char>(input.subject->front()));
    for (char c : *input.subject) ok = ok && c >= 0x20 && c < 0x7f;
    if (!ok) return Invalid("Subject");
  }
  if (input.message_structure) {
    if (*input.message_structure != "json") {
      return Invalid("MessageStructure Reason: only 'json' is allowed");
    }
    Result<json::Value> parsed = json::Parse(*input.message);
    if (!parsed.ok() || !parsed->is_object()) {
      return Invalid("Message Structure - JSON message body failed to parse");
    }
    const json::Value* fallback = parsed->get_object().if_contains("default");
    if (fallback == nullptr || !fallback->is_string()) {
      return Invalid("Message Structure - No default entry in JSON message body");
    }
  }
  for (const SnsMessageAttribute& a : input.attributes) {
    std::string_view type = a.data_type;
    std::string_view base = type.substr(0, type.find('.'));
    if (type.rfind("String.Array", 0) == 0) base = "String.Array";
    if (base != "String" && base != "Number" && base != "Binary" && base != "String.Array") {
      return SnsServiceError("ParameterValueInvalid",
                             "The message attribute '" + a.name +
                                 "' has an invalid message attribute type, the set of supported "
                                 "type prefixes is Binary, Number, and String.",
                             400, NewExecutionName());
    }
    bool binary = base == "Binary";
    const std::optional<std::string>& value = binary ? a.binary_value : a.string_value;
    if (!value || value->empty()) {
      return SnsServiceError("ParameterValueInvalid",
                             "The message attribute '" + a.name +
                                 "' must contain non-empty message attribute value for message "
                                 "attribute type '" +
                                 std::string(base) + "'.",
                             400, NewExecutionName());
    }
    if (base == "Number") {
      char* end = nullptr;
      std::strtod(value->c_str(), &end);
      if (end != value->c_str() + value->size()) {
        return SnsServiceError("ParameterValueInvalid",
                               "Could not cast message attribute '" + a.name + "' value to number.",
                               400, NewExecutionName());
      }
    }
  }
  if (topic.fifo) {
    if (!input.message_group_id) {
      return Invalid("The MessageGroupId parameter is required for FIFO topics");
    }
    if (!input.message_deduplication_id && !topic.config.content_based_deduplication) {
      return Invalid(
          "The topic should either have ContentBasedDeduplication enabled or "
          "MessageDeduplicationId provided explicitly");
    }
  } else if (input.message_deduplication_id) {
    return Invalid(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter "
        "that is not valid for this topic type");
  }
  return OkStatus();
}

std::string LocalSnsBackend::MessageFor(const SnsPublishInput& input,
                                        std::string_view protocol) const {
  if (!input.message_structure) return *input.message;
  json::Value parsed = json::Parse(*input.message).value();  // checked in Validate
  const json::Object& per_protocol = parsed.get_object();
  if (const json::Value* own = per_protocol.if_contains(protocol); own && own->is_string()) {
    return std::string(own->get_string());
  }
  return std::string(per_protocol.at("default").get_string());
}

Status LocalSnsBackend::Append(const std::string& line) {
  std::ofstream out(options_.messages_path, std::ios::app | std::ios::binary);
  out << line << '\n';
  out.flush();
  if (!out) {
    return SnsServiceError("InternalError",
                           "could not append to the local SNS message log '" +
                               options_.messages_path +
                               "': check that the project's data folder exists and is writable",
                           500, NewExecutionName());
  }
  return OkStatus();
}

void LocalSnsBackend::Deliver(const SnsPublishInput& input, const Topic& topic,
                              const std::string& message_id, const std::string& timestamp) {
  for (size_t i = 0; i < topic.config.subscriptions.size(); ++i) {
    const LocalSnsSubscription& subscription = topic.config.subscriptions[i];
    HttpRequest request;
    request.method = "POST";
    request.url = subscription.endpoint;
    std::string message = MessageFor(input, subscription.protocol);
    request.headers = {{"x-amz-sns-message-type", "Notification"},
                       {"x-amz-sns-message-id", message_id},
                       {"x-amz-sns-topic-arn", topic.arn},
                       {"x-amz-sns-subscription-arn", topic.subscription_arns[i]},
                       {"Content-Type", "text/plain; charset=UTF-8"},
                       {"User-Agent", "Amazon Simple Notification Service Agent"}};
    if (subscription.raw_message_delivery) {
      request.headers.emplace_back("x-amz-sns-rawdelivery", "true");
      request.body = std::move(message);
    } else {
      json::Object body;
      body["Type"] = "Notification";
      body["MessageId"] = message_id;
      body["TopicArn"] = topic.arn;
      if (input.subject) body["Subject"] = *input.subject;
      body["Message"] = message;
      body["Timestamp"] = timestamp;
      if (!input.attributes.empty()) {
        json::Object attributes;
        for (const SnsMessageAttribute& a : input.attributes) {
          attributes[a.name] = json::Object{
              {"Type", a.data_type},
              {"Value", a.binary_value ? *a.binary_value : a.string_value.value_or("")}};
        }
        body["MessageAttributes"] = std::move(attributes);
      }
      request.body = json::Serialize(json::Value(std::move(body)));
    }
    Result<HttpResponse> response = http_.Send(request);
    std::string failure;
    if (!response.ok()) {
      // The cause names the endpoint's URL, which may hold a secret: keep the name only.
      failure = response.error().error;
    } else if (response->status < 200 || response->status >= 300) {
      failure = "HTTP " + std::to_string(response->status);
    }
    if (failure.empty()) continue;
    json::Object line{{"Type", "DeliveryFailure"},
                      {"Timestamp", FormatIso8601(options_.now())},
                      {"MessageId", message_id},
                      {"TopicArn", topic.arn},
                      {"SubscriptionArn", topic.subscription_arns[i]},
                      {"Error", failure}};
    std::lock_guard lock(mutex_);
    (void)Append(json::Serialize(json::Value(std::move(line))));
  }
}

Result<SnsPublishOutput> LocalSnsBackend::Publish(const SnsPublishInput& input) {
  int targets =
      (input.topic_arn ? 1 : 0) + (input.target_arn ? 1 : 0) + (input.phone_number ? 1 : 0);
  if (targets == 0) return Invalid("TopicArn or TargetArn Reason: no value for required parameter");
  if (targets > 1) {
    return Invalid(
        "TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified");
  }
  if (input.phone_number) {
    return Invalid(
        "PhoneNumber Reason: the local SNS backend delivers to the project's topics only and "
        "cannot send SMS; publish to a topic, or configure \"integrations.sns\": {\"backend\": "
        "\"remote\"} to use Amazon SNS");
  }
  const std::string& arn = input.topic_arn ? *input.topic_arn : *input.target_arn;
  auto found = topics_.find(arn);
  if (found == topics_.end()) {
    return SnsServiceError("NotFound",
                           input.topic_arn ? "Topic does not exist" : "Endpoint does not exist",
                           404, NewExecutionName());
  }
  const Topic& topic = found->second;
  if (Status valid = Validate(input, topic); !valid.ok()) return valid.take_error();

  SnsPublishOutput output;
  output.request_id = NewExecutionName();
  const TimePoint now = options_.now();
  const std::string timestamp = FormatIso8601(now);
  bool duplicate = false;
  {
    std::lock_guard lock(mutex_);
    if (topic.fifo) {
      std::string dedup_id = input.message_deduplication_id ? *input.message_deduplication_id
                                                            : Sha256Hex(*input.message);
      std::string key = topic.arn + "\n" + dedup_id;
      std::erase_if(dedup_,
                    [&](const auto& e) { return now - e.second.at > kDeduplicationWindow; });
      if (auto it = dedup_.find(key); it != dedup_.end()) {
        output.message_id = it->second.message_id;
        output.sequence_number = it->second.sequence_number;
        duplicate = true;
      } else {
        output.message_id = NewExecutionName();
        char digits[21];
        std::snprintf(digits, sizeof(digits), "%020llu",
                      static_cast<unsigned long long>(++sequence_ + 10000000000000000000ULL));
        output.sequence_number = digits;
        dedup_[key] = Dedup{output.message_id, *output.sequence_number, now};
      }
    } else {
      output.message_id = NewExecutionName();
    }
    if (!duplicate) {
      json::Object line{{"Type", "Publish"},
                        {"Timestamp", timestamp},
                        {"TopicArn", topic.arn},
                        {"MessageId", output.message_id},
                        {"Message", *input.message}};
      if (input.subject) line["Subject"] = *input.subject;
      if (input.message_structure) line["MessageStructure"] = *input.message_structure;
      if (input.message_group_id) line["MessageGroupId"] = *input.message_group_id;
      if (input.message_deduplication_id) {
        line["MessageDeduplicationId"] = *input.message_deduplication_id;
      }
      if (output.sequence_number) line["SequenceNumber"] = *output.sequence_number;
      if (!input.attributes.empty()) {
        json::Object attributes;
        for (const SnsMessageAttribute& a : input.attributes) {
          json::Object value{{"DataType", a.data_type}};
          if (a.string_value) value["StringValue"] = *a.string_value;
          if (a.binary_value) value["BinaryValue"] = *a.binary_value;
          attributes[a.name] = std::move(value);
        }
        line["MessageAttributes"] = std::move(attributes);
      }
      if (Status appended = Append(json::Serialize(json::Value(std::move(line)))); !appended.ok()) {
        return appended.take_error();
      }
    }
  }
  // A duplicate within the deduplication window is accepted but not delivered again.
  if (!duplicate) Deliver(input, topic, output.message_id, timestamp);

  // The headers SNS answers with, for SdkHttpMetadata; the length is that of the XML answer
  // SNS would have sent.
  std::string xml =
      "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\">\n  "
      "<PublishResult>\n    <MessageId>" +
      output.message_id + "</MessageId>\n" +
      (output.sequence_number
           ? "    <SequenceNumber>" + *output.sequence_number + "</SequenceNumber>\n"
           : std::string()) +
      "  </PublishResult>\n  <ResponseMetadata>\n    <RequestId>" + output.request_id +
      "</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n";
  output.headers = {{"x-amzn-RequestId", output.request_id},
                    {"Content-Type", "text/xml"},
                    {"Content-Length", std::to_string(xml.size())},
                    {"Date", std::string(integrations::HttpDate(now))}};
  return output;
}

}  // namespace

Result<std::unique_ptr<integrations::ServiceIntegration>> MakeLocalSnsIntegration(
    LocalSnsOptions options) {
  if (options.messages_path.empty()) {
    return Error{"ConfigError",
                 "integrations.sns: the local SNS backend needs a file to log messages to "
                 "(messages_path is empty)"};
  }
  std::map<std::string, Topic> topics;
  for (const LocalSnsTopic& config : options.topics) {
    std::string where = "integrations.sns.topics['" + config.name + "']";
    if (!ValidTopicName(config.name)) {
      return Error{"ConfigError", where +
                                      ": a topic name is 1 to 256 letters, digits, '-' and "
                                      "'_', optionally ending in '.fifo'"};
    }
    Topic topic;
    topic.arn = SnsTopicArn(options.account, config.name);
    topic.fifo = EndsWith(config.name, ".fifo");
    if (config.content_based_deduplication && !topic.fifo) {
      return Error{"ConfigError", where +
                                      ": content_based_deduplication applies to FIFO topics "
                                      "only (names ending in '.fifo')"};
    }
    for (size_t i = 0; i < config.subscriptions.size(); ++i) {
      const LocalSnsSubscription& s = config.subscriptions[i];
      std::string sub = where + ".subscriptions[" + std::to_string(i) + "]";
      if (s.protocol != "http" && s.protocol != "https") {
        return Error{"ConfigError", sub + ": protocol '" + s.protocol +
                                        "' is not supported locally; use \"http\" or "
                                        "\"https\""};
      }
      std::optional<UrlParts> url = SplitUrl(s.endpoint);
      if (!url || url->scheme != s.protocol) {
        // The endpoint may hold a secret: say what is wrong without echoing it.
        return Error{"ConfigError",
                     sub + ": the endpoint must be a URL starting with '" + s.protocol + "://'"};
      }
      topic.subscription_arns.push_back(
          topic.arn + ":" + DeterministicExecutionName(topic.arn + "\n" + std::to_string(i)));
    }
    topic.config = config;
    if (!topics.emplace(topic.arn, std::move(topic)).second) {
      return Error{"ConfigError", where + ": the topic is declared twice"};
    }
  }
  return std::unique_ptr<integrations::ServiceIntegration>(std::make_unique<SnsIntegration>(
      std::make_unique<LocalSnsBackend>(std::move(options), std::move(topics))));
}

}  // namespace autoretrain::aws
