// HttpServer: an HTTP/1.1 server on Boost.Beast and Asio that hands complete requests to an
// HttpHandler. A small fixed pool of threads runs every connection asynchronously: a
// connection waiting for its client, or a request whose handler answers later (a long poll),
// holds no thread. Keep-alive is supported; the server bounds what a client can make it hold:
// the number of open connections, the header and body sizes, and the time a client may take to
// send a request's header (also the idle time between keep-alive requests) and its body.
// Requests that break these limits or are not HTTP get HttpHandler::Reject's response (or, on
// a timeout, the connection is closed), never a crash.
//
// Thread-safety: Start, endpoint and Stop may be called from any thread; Stop (or the
// destructor) must not be called from a handler.
#ifndef AUTORETRAIN_SERVER_HTTP_SERVER_H_
#define AUTORETRAIN_SERVER_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "autoretrain/common/result.h"
#include "autoretrain/server/http.h"

namespace autoretrain::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 address literal
  uint16_t port = 8083;            // 0: any free port (see HttpServer::port)
  int threads = 2;                 // I/O threads
  int max_connections = 256;       // more are answered 503 and closed
  size_t max_header_bytes = 16 * 1024;
  // A definition may be 1 MiB, JSON-escaped inside the request: room for that.
  size_t max_body_bytes = 4 * 1024 * 1024;
  // Time for a request's header to arrive, counted from the end of the previous response (so
  // it is also the keep-alive idle time) or from the connection's accept.
  std::chrono::milliseconds header_timeout{30000};
  // Time for the body to arrive once the header has.
  std::chrono::milliseconds body_timeout{60000};
};

// Where to listen, as `serve --listen` gives it.
struct ListenAddress {
  std::string host;  // an address literal
  uint16_t port = 0;
  bool loopback = false;  // 127.0.0.0/8 or ::1
};

// Parses "HOST:PORT": an IPv4 address, "[IPv6]" or "localhost" (127.0.0.1), and a port 0-65535
// (0: any free port). Fails with Error{"InvalidListenAddress", cause saying what is wrong and
// giving an example}.
Result<ListenAddress> ParseListenAddress(std::string_view text);

class HttpServer {
 public:
  // Binds and listens on options.host:options.port, then serves on options.threads threads.
  // `handler` must outlive the server. Fails with Error{"InvalidListenAddress", ...} for a host
  // that is not an address literal, Error{"ListenFailed", cause naming the address and the
  // system's reason} when the address cannot be bound (in use, no permission).
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpHandler& handler);
  // Stops as Stop does.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the one chosen when options.port was 0) and address.
  uint16_t port() const;
  const std::string& host() const;
  // Stops accepting, closes every connection (a response being written may be cut) and joins
  // the threads. Responders still held by the handler then do nothing when called; the handler
  // must drop them before the server is destroyed. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_HTTP_SERVER_H_
