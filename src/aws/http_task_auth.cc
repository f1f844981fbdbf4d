#include "aws/http_task_auth.h"

#include "autoretrain/aws/redact.h"

namespace autoretrain::aws {
namespace {

Error ConnectionError(const HttpConnection& connection, std::string_view message) {
  return Error{"States.Runtime", "The connection '" + connection.arn + "' " + std::string(message)};
}

}  // namespace

std::string ScrubQuery(std::string text, const std::string& url) {
  size_t question = url.find('?');
  if (question == std::string::npos) return text;
  std::string shown = url.substr(0, question) + "?REDACTED";
  for (const std::string& form : {RedactSecrets(url), url}) {
    for (size_t at = text.find(form); at != std::string::npos; at = text.find(form, at)) {
      text.replace(at, form.size(), shown);
      at += shown.size();
    }
  }
  return text;
}

std::string Base64(std::string_view data) {
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kChars[(n >> shift) & 0x3F];
  }
  if (i < data.size()) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<uint8_t>(data[i + 1]) << 8;
    out += kChars[(n >> 18) & 0x3F];
    out += kChars[(n >> 12) & 0x3F];
    out += i + 1 < data.size() ? kChars[(n >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> ConnectionAuthorizer::Secret(const HttpConnection& connection,
                                                 std::string_view what,
                                                 const std::string& env_name) const {
  std::optional<std::string> value = env_->Get(env_name);
  if (!value) {
    return ConnectionError(connection, "takes its " + std::string(what) +
                                           " from the environment variable '" + env_name +
                                           "', which is not set: export it in the environment "
                                           "autoretrain runs in");
  }
  return std::move(*value);
}

Result<std::vector<std::pair<std::string, std::string>>> ConnectionAuthorizer::Resolve(
    const HttpConnection& connection, const std::vector<ConnectionParameter>& parameters) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ConnectionParameter& p : parameters) {
    if (p.value_env.empty()) {
      out.emplace_back(p.key, p.value);
      continue;
    }
    Result<std::string> secret = Secret(connection, "parameter '" + p.key + "'", p.value_env);
    if (!secret.ok()) return secret.take_error();
    out.emplace_back(p.key, std::move(secret).value());
  }
  return out;
}

Result<std::string> ConnectionAuthorizer::OAuthToken(const HttpConnection& connection,
                                                     bool refresh) {
  {
    std::lock_guard lock(mutex_);
    auto cached = tokens_.find(connection.arn);
    if (cached != tokens_.end()) {
      if (!refresh && std::chrono::steady_clock::now() < cached->second.expires) {
        return cached->second.value;
      }
      tokens_.erase(cached);
    }
  }
  Result<std::string> secret =
      Secret(connection, "OAuth client secret", connection.client_secret_env);
  if (!secret.ok()) return secret.take_error();
  auto headers = Resolve(connection, connection.oauth_headers);
  auto query = Resolve(connection, connection.oauth_query);
  auto body = Resolve(connection, connection.oauth_body);
  if (!headers.ok()) return headers.take_error();
  if (!query.ok()) return query.take_error();
  if (!body.ok()) return body.take_error();
  HttpRequest request;
  request.method = connection.oauth_method;
  request.url = connection.authorization_endpoint;
  std::string query_text;
  for (const auto& [k, v] : *query) {
    query_text += (query_text.empty() ? "" : "&") + UriEncode(k, false) + "=" + UriEncode(v, false);
  }
  if (!query_text.empty()) {
    request.url += (request.url.find('?') == std::string::npos ? "?" : "&") + query_text;
  }
  request.headers = std::move(headers).value();
  request.headers.emplace_back("Authorization",
                               "Basic " + Base64(connection.client_id + ":" + *secret));
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("Accept", "application/json");
  std::string form = "grant_type=client_credentials";
  for (const auto& [k, v] : *body) {
    if (k == "grant_type") continue;
    form += "&" + UriEncode(k, false) + "=" + UriEncode(v, false);
  }
  request.body = std::move(form);
  Result<HttpResponse> response = http_->Send(request);
  if (!response.ok()) {
    return ConnectionError(connection, "could not get an OAuth token: " + response.error().error +
                                           ": " + ScrubQuery(response.error().cause, request.url));
  }
  if (response->status < 200 || response->status >= 300) {
    return ConnectionError(
        connection, "could not get an OAuth token: the authorization endpoint answered HTTP " +
                        std::to_string(response->status) +
                        "; check the client id, the client secret's environment variable and "
                        "the endpoint");
  }
  Result<json::Value> parsed = json::Parse(response->body);
  const json::Value* token = nullptr;
  if (parsed.ok() && parsed->is_object()) token = parsed->get_object().if_contains("access_token");
  if (token == nullptr || !token->is_string() || token->get_string().empty()) {
    return ConnectionError(connection,
                           "could not get an OAuth token: the authorization endpoint's answer "
                           "has no \"access_token\" string");
  }
  int64_t expires_in = 3600;
  if (const json::Value* e = parsed->get_object().if_contains("expires_in")) {
    if (e->is_int64()) expires_in = e->get_int64();
    if (e->is_string()) expires_in = std::atoll(e->get_string().c_str());
  }
  std::string value(token->get_string());
  std::lock_guard lock(mutex_);
  tokens_[connection.arn] =
      Token{value, std::chrono::steady_clock::now() +
                       std::chrono::seconds(std::max<int64_t>(0, expires_in - 60))};
  return value;
}

Result<ConnectionAdditions> ConnectionAuthorizer::Authorize(const HttpConnection& connection,
                                                            bool refresh) {
  ConnectionAdditions additions;
  auto headers = Resolve(connection, connection.headers);
  auto query = Resolve(connection, connection.query);
  auto body = Resolve(connection, connection.body);
  if (!headers.ok()) return headers.take_error();
  if (!query.ok()) return query.take_error();
  if (!body.ok()) return body.take_error();
  additions.headers = std::move(headers).value();
  additions.query = std::move(query).value();
  additions.body = std::move(body).value();
  switch (connection.auth) {
    case ConnectionAuth::kApiKey: {
      Result<std::string> key = Secret(connection, "API key", connection.api_key_value_env);
      if (!key.ok()) return key.take_error();
      additions.headers.emplace_back(connection.api_key_name, std::move(key).value());
      break;
    }
    case ConnectionAuth::kBasic: {
      Result<std::string> password = Secret(connection, "password", connection.password_env);
      if (!password.ok()) return password.take_error();
      additions.headers.emplace_back("Authorization",
                                     "Basic " + Base64(connection.username + ":" + *password));
      break;
    }
    case ConnectionAuth::kOAuthClientCredentials: {
      Result<std::string> token = OAuthToken(connection, refresh);
      if (!token.ok()) return token.take_error();
      additions.headers.emplace_back("Authorization", "Bearer " + *token);
      break;
    }
  }
  return additions;
}

}  // namespace autoretrain::aws
