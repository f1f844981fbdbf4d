// The HTTP messages the API server exchanges, as plain values, and the handler interface that
// turns a request into a response. Nothing here knows Boost.Beast: protocols (AWS JSON 1.0 for
// Step Functions, later REST JSON for EventBridge Scheduler), authentication and routing work on
// these values, and tests build them directly.
//
// Thread-safety: HttpRequest and HttpResponse are plain values. An HttpHandler is called from
// the server's I/O threads, several requests at once; implementations must be thread-safe.
#ifndef AUTORETRAIN_SERVER_HTTP_H_
#define AUTORETRAIN_SERVER_HTTP_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace autoretrain::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // the request target as sent: "/path?query"
  std::string path;    // the target before '?'
  std::string query;   // the target after '?' ("" when none)
  // Header fields in the order received, names as sent (compare case-insensitively: Header).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;  // "IP:PORT" of the client
  // Becomes true when the client closes its connection while the handler still holds the
  // request (a long poll): the handler should then give up the wait. Null for requests built
  // outside a server (tests).
  std::shared_ptr<const std::atomic<bool>> client_gone;

  // The value of the first header named `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  // Extra header fields (Content-Type, Content-Length, Connection and Date are set by the
  // server).
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after this response
};

// Called exactly once with the response to a request; may be called from any thread, later
// than Handle returns (a long poll keeps it and answers when its work arrives).
using Responder = std::function<void(HttpResponse)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // Handles one complete request. Must call `respond` exactly once, now or later.
  virtual void Handle(HttpRequest request, Responder respond) = 0;
  // The response the server sends on its own when a request cannot reach Handle: `status`
  // (400 malformed, 413 body too large, 431 header too large, 503 too many connections), an
  // error type name ("SerializationException", ...) and a message saying what was wrong and
  // how to fix it. Lets the protocol shape these errors as its clients expect.
  virtual HttpResponse Reject(int status, std::string_view type, std::string_view message) = 0;
};

// Case-insensitive ASCII comparison of header names.
bool HeaderNameEquals(std::string_view a, std::string_view b);

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_HTTP_H_
