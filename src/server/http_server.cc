// HttpServer on Boost.Beast (http_server.h): one acceptor, one Session per connection, all on
// a fixed pool of threads running one io_context; each connection's work runs on its strand.
#include "autoretrain/server/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace autoretrain::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// How long a rejected connection is drained (what the client still sends is read and dropped)
// before it is closed, so that the client reads the error instead of a connection reset.
constexpr std::chrono::milliseconds kLingerTime{2000};

// What every session shares with the server.
struct Shared {
  HttpHandler* handler = nullptr;
  HttpServerOptions options;
  std::atomic<int> connections{0};
  std::mutex mu;         // guards `stopped` against responders on other threads
  bool stopped = false;  // after Stop: responders do nothing
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    beast::error_code ec;
    tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string() + ":" + std::to_string(remote.port());
  }
  ~Session() { shared_->connections.fetch_sub(1); }

  // Serves requests until the client or a limit ends the connection.
  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }
  // Answers with `status` at once and closes: too many connections.
  void RejectNow(int status, std::string type, std::string message) {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this(), status, type = std::move(type),
                    message = std::move(message)] { self->Reject(status, type, message); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.max_header_bytes));
    parser_->body_limit(shared_->options.max_body_bytes);
    stream_.expires_after(shared_->options.header_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& header = parser_->get();
    // curl and some SDKs wait for "100 Continue" before sending a large body.
    auto expect = header.find(http::field::expect);
    if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
      auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     header.version());
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(shared_->options.body_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
  }

  void OnBody(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    stream_.expires_never();
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    keep_alive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    const size_t question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) request.query = request.target.substr(question + 1);
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    client_gone_ = std::make_shared<std::atomic<bool>>(false);
    request.client_gone = client_gone_;
    answered_ = false;
    std::shared_ptr<Shared> shared = shared_;
    Responder respond = [self = shared_from_this(), shared](HttpResponse response) {
      std::lock_guard lock(shared->mu);
      if (shared->stopped) return;
      asio::dispatch(
          self->stream_.get_executor(),
          [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
    };
    shared_->handler->Handle(std::move(request), std::move(respond));
    // Handle answered on this strand already (the common case), or holds the request: then
    // watch the socket so that a client that leaves releases the handler's wait.
    if (!answered_) WatchForClose();
  }

  // While a request is held, waits for the socket to become readable: end of stream or an
  // error means the client left (client_gone is set and the connection closed); data means a
  // pipelined request, left in the socket for the next read.
  void WatchForClose() {
    stream_.socket().async_wait(
        tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
          if (self->answered_ || ec == asio::error::operation_aborted) return;
          if (!ec) {
            // The peek must not block: asio's wait can complete with nothing to read (a
            // readiness edge left from the body's arrival), and a blocking receive would then
            // hold this connection's strand, and the response, until the client sends again.
            tcp::socket& socket = self->stream_.socket();
            char byte = 0;
            beast::error_code peek_ec;
            socket.non_blocking(true, peek_ec);
            const size_t n = peek_ec ? 0
                                     : socket.receive(asio::buffer(&byte, 1),
                                                      tcp::socket::message_peek, peek_ec);
            if (peek_ec == asio::error::would_block) return self->WatchForClose();
            if (!peek_ec && n > 0) return;  // pipelined data: the client is still there
          }
          self->client_gone_->store(true);
          self->Close();
        });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return Close();  // the client left, or took too long: nothing to answer
    }
    if (ec == http::error::body_limit) {
      return Reject(413, "RequestEntityTooLargeException",
                    "the request body is larger than " +
                        std::to_string(shared_->options.max_body_bytes) +
                        " bytes, the server's limit: send a smaller request");
    }
    if (ec == http::error::header_limit) {
      return Reject(431, "RequestHeaderFieldsTooLargeException",
                    "the request header is larger than " +
                        std::to_string(shared_->options.max_header_bytes) +
                        " bytes, the server's limit: send fewer or shorter header fields");
    }
    Reject(400, "SerializationException",
           "the request is not valid HTTP/1.1 (" + ec.message() +
               "): send an HTTP/1.1 request such as the AWS CLI or an AWS SDK sends");
  }

  // Answers with the handler's error response, then closes after draining.
  void Reject(int status, const std::string& type, const std::string& message) {
    HttpResponse response = shared_->handler->Reject(status, type, message);
    response.close = true;
    Write(std::move(response));
  }

  void Write(HttpResponse response) {
    answered_ = true;
    if (client_gone_ && client_gone_->load()) return;  // nobody to answer
    beast::error_code cancel_ec;
    stream_.socket().cancel(cancel_ec);  // ends WatchForClose's wait, if any
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    message->set(http::field::server, "autoretrain");
    message->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    const bool closing = response.close || !keep_alive_;
    message->keep_alive(!closing);
    message->prepare_payload();
    stream_.expires_after(shared_->options.body_timeout);
    http::async_write(stream_, *message,
                      [self = shared_from_this(), message, closing](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        if (closing) return self->Linger();
                        self->ReadHeader();
                      });
  }

  // Shuts down our side, then reads and drops what the client still sends for a while.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTime);
    Drain();
  }
  void Drain() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string remote_;
  bool keep_alive_ = true;
  bool answered_ = true;  // the current request's response was written (or none is pending)
  std::shared_ptr<std::atomic<bool>> client_gone_;
  std::array<char, 16384> scratch_{};
};

}  // namespace

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  auto invalid = [text](std::string_view why) {
    return Error{"InvalidListenAddress", "--listen '" + std::string(text) +
                                             "': " + std::string(why) +
                                             "; expected HOST:PORT, e.g. 127.0.0.1:8083, "
                                             "[::1]:8083 or localhost:0 (any free port)"};
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid("no ':PORT'");
  std::string host(text.substr(0, colon));
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string_view::npos ||
      std::stoi(std::string(port_text)) > 65535) {
    return invalid("the port must be a number from 0 to 65535");
  }
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return invalid("'" + host + "' is not an IP address");
  return ListenAddress{.host = address.to_string(),
                       .port = static_cast<uint16_t>(std::stoi(std::string(port_text))),
                       .loopback = address.is_loopback()};
}

struct HttpServer::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::vector<std::thread> threads;
  std::string host;
  uint16_t port = 0;
  std::once_flag stop_once;

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        const int open = shared->connections.fetch_add(1) + 1;
        auto session = std::make_shared<Session>(std::move(socket), shared);
        if (open > shared->options.max_connections) {
          session->RejectNow(503, "ServiceUnavailableException",
                             "the server already has " +
                                 std::to_string(shared->options.max_connections) +
                                 " open connections, its limit: retry later or close idle "
                                 "connections");
        } else {
          session->Start();
        }
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpHandler& handler) {
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return Error{"InvalidListenAddress",
                 "'" + options.host +
                     "' is not an IP address: give an IPv4 or IPv6 address such as 127.0.0.1"};
  }
  auto impl = std::make_unique<Impl>();
  impl->shared->handler = &handler;
  impl->shared->options = options;
  const tcp::endpoint endpoint(address, options.port);
  const std::string where =
      options.host + ":" + std::to_string(options.port);  // for the error messages
  auto failed = [&where](std::string_view doing, const beast::error_code& error) {
    return Error{"ListenFailed",
                 "cannot listen on " + where + ": " + std::string(doing) + ": " + error.message()};
  };
  impl->acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open", ec);
  impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl->acceptor.bind(endpoint, ec);
  if (ec) return failed("bind", ec);
  impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen", ec);
  impl->port = impl->acceptor.local_endpoint(ec).port();
  impl->host = address.to_string();
  impl->Accept();
  const int threads = std::max(1, options.threads);
  for (int i = 0; i < threads; ++i) {
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port; }
const std::string& HttpServer::host() const { return impl_->host; }

void HttpServer::Stop() {
  std::call_once(impl_->stop_once, [this] {
    {
      std::lock_guard lock(impl_->shared->mu);
      impl_->shared->stopped = true;
    }
    impl_->io.stop();
    for (std::thread& thread : impl_->threads) thread.join();
    impl_->threads.clear();
    beast::error_code ec;
    impl_->acceptor.close(ec);  // the threads are gone: no handler races with this
  });
}

}  // namespace autoretrain::server
