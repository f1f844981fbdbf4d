#include "autoretrain/server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "autoretrain/server/api_handler.h"

namespace autoretrain::server {
namespace {

// A blocking loopback client speaking raw bytes.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~Client() { close(fd_); }
  bool connected() const { return connected_; }

  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }
  // One response (header and Content-Length body), or what arrived before EOF or a timeout.
  std::string ReadResponse() {
    for (;;) {
      const size_t end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        const size_t at = buffer_.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(buffer_.substr(at + 16));
        if (buffer_.size() >= end + 4 + length) {
          std::string response = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, end + 4 + length);
          return response;
        }
      }
      if (!ReadMore()) {
        std::string rest;
        rest.swap(buffer_);
        return rest;
      }
    }
  }
  // True when the server closed the connection (EOF) within the receive timeout.
  bool Closed() {
    while (ReadMore()) {
    }
    return eof_;
  }

 private:
  bool ReadMore() {
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n == 0) eof_ = true;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  bool eof_ = false;
  std::string buffer_;
};

std::string Request(std::string_view operation, std::string_view body = "{}") {
  return "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: Test." + std::string(operation) +
         "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// "Echo" answers at once with the input; "Later" keeps the responder until Release; "Soon"
// answers with the input from another thread (joined by JoinAnswerer).
class TestService : public JsonService {
 public:
  void Call(const Caller& caller, const std::string& operation, json::Object input,
            Done done) override {
    if (operation == "Soon") {
      answerer_ = std::thread([done = std::move(done), input = std::move(input)]() mutable {
        done(json::Value(std::move(input)));
      });
      return;
    }
    if (operation == "Later") {
      std::lock_guard lock(mu_);
      held_.push_back(std::move(done));
      gone_.push_back(caller.client_gone);
      return;
    }
    if (operation == "Echo") return done(json::Value(std::move(input)));
    done(Error{"UnknownOperationException", "no " + operation});
  }
  size_t held() {
    std::lock_guard lock(mu_);
    return held_.size();
  }
  // The client_gone flag of the i-th held request.
  std::shared_ptr<const std::atomic<bool>> gone(size_t i) {
    std::lock_guard lock(mu_);
    return gone_.at(i);
  }
  void Release() {
    std::lock_guard lock(mu_);
    for (Done& done : held_) done(json::Value(json::Object{{"late", true}}));
    held_.clear();
  }
  void JoinAnswerer() {
    if (answerer_.joinable()) answerer_.join();
  }

 private:
  std::thread answerer_;  // the last "Soon" call's
  std::mutex mu_;
  std::vector<Done> held_;
  std::vector<std::shared_ptr<const std::atomic<bool>>> gone_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options = {}) {
    options.port = 0;
    handler_.AddJsonService("Test", &service_);
    Result<std::unique_ptr<HttpServer>> started = HttpServer::Start(options, handler_);
    ASSERT_TRUE(started.ok()) << started.error().cause;
    server_ = std::move(started).value();
  }
  TestService service_;
  ApiHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AHeldRequestLearnsThatItsClientLeft) {
  Start();
  auto client = std::make_unique<Client>(server_->port());
  Client staying(server_->port());
  client->Send(Request("Later"));
  staying.Send(Request("Later"));
  for (int i = 0; i < 500 && service_.held() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(service_.held(), 2u);
  auto first = service_.gone(0);
  auto second = service_.gone(1);
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(first->load());
  client.reset();  // the first client leaves while its request is held
  for (int i = 0; i < 1000 && !(first->load() || second->load()); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Exactly one of them left (which one was held first depends on the threads).
  EXPECT_NE(first->load(), second->load());
  service_.Release();  // answering the departed one is harmless; the other gets its answer
  std::string response = staying.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response;
  EXPECT_TRUE(response.ends_with(R"({"late":true})")) << response;
}

TEST_F(HttpServerTest, HealthAndKeepAlive) {
  Start();
  ASSERT_NE(server_->port(), 0);
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  client.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string response = client.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response;
  EXPECT_TRUE(response.ends_with(R"({"status":"ok"})")) << response;
  // The same connection serves the next requests.
  for (int i = 0; i < 3; ++i) {
    client.Send(Request("Echo", R"({"n":)" + std::to_string(i) + "}"));
    response = client.ReadResponse();
    EXPECT_TRUE(response.starts_with("HTTP/1.1 200 OK")) << response;
    EXPECT_TRUE(response.ends_with(R"({"n":)" + std::to_string(i) + "}")) << response;
    EXPECT_NE(response.find("Content-Type: application/x-amz-json-1.0"), std::string::npos);
  }
}

TEST_F(HttpServerTest, AHeldRequestHoldsNoThread) {
  HttpServerOptions options;
  options.threads = 1;
  Start(options);
  Client waiting(server_->port());
  waiting.Send(Request("Later"));
  for (int i = 0; i < 200 && service_.held() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(service_.held(), 1u);
  // The only I/O thread is free: another connection is answered meanwhile.
  Client other(server_->port());
  other.Send(Request("Echo", R"({"x":1})"));
  EXPECT_TRUE(other.ReadResponse().ends_with(R"({"x":1})"));
  // The held request is answered from this thread.
  service_.Release();
  EXPECT_TRUE(waiting.ReadResponse().ends_with(R"({"late":true})"));
}

// A request answered from another thread, as TestState is, is watched for its client leaving
// meanwhile; that watch can wake with nothing to read (when the body arrived just as the server
// started to read it), which once blocked the connection, its response never written, about
// once in a thousand requests. The body is sent apart from the header, as Python sends it.
TEST_F(HttpServerTest, ARequestAnsweredFromAnotherThreadIsAlwaysAnswered) {
  Start();
  for (int i = 0; i < 2000; ++i) {
    Client client(server_->port());
    const std::string body = R"({"i":)" + std::to_string(i) + "}";
    const std::string request = Request("Soon", body);
    client.Send(request.substr(0, request.size() - body.size()));
    std::this_thread::sleep_for(std::chrono::microseconds(i % 25 * 4));  // to hit every moment
    client.Send(body);
    const std::string response = client.ReadResponse();
    service_.JoinAnswerer();
    ASSERT_TRUE(response.ends_with(body)) << "request " << i << " got: " << response;
  }
}

TEST_F(HttpServerTest, GarbageIsAnsweredWithAnAwsShapedErrorAndClosed) {
  Start();
  Client client(server_->port());
  static constexpr char kGarbage[] = "\x16\x03\x01\x00\xff garbage\r\n\r\n";
  client.Send(std::string(kGarbage, sizeof(kGarbage) - 1));
  std::string response = client.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400 Bad Request")) << response;
  EXPECT_NE(response.find(R"("__type":"com.amazon.coral.service#SerializationException")"),
            std::string::npos)
      << response;
  EXPECT_TRUE(client.Closed());
}

TEST_F(HttpServerTest, BodyAndHeaderLimits) {
  HttpServerOptions options;
  options.max_body_bytes = 1000;
  options.max_header_bytes = 2048;
  Start(options);
  {
    Client client(server_->port());
    client.Send(Request("Echo", std::string(1001, ' ')));
    std::string response = client.ReadResponse();
    EXPECT_TRUE(response.starts_with("HTTP/1.1 413")) << response;
    EXPECT_NE(response.find("RequestEntityTooLargeException"), std::string::npos);
  }
  {
    Client client(server_->port());
    client.Send(Request("Echo", std::string(1000, ' ')));  // at the limit: fine
    EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 200")) << "body at the limit";
  }
  {
    Client client(server_->port());
    client.Send("GET /healthz HTTP/1.1\r\nX-Long: " + std::string(4000, 'a') + "\r\n\r\n");
    std::string response = client.ReadResponse();
    EXPECT_TRUE(response.starts_with("HTTP/1.1 431")) << response;
  }
}

TEST_F(HttpServerTest, ASilentClientIsDisconnectedAfterTheHeaderTimeout) {
  HttpServerOptions options;
  options.header_timeout = std::chrono::milliseconds(200);
  Start(options);
  Client client(server_->port());
  const auto start = std::chrono::steady_clock::now();
  client.Send("GET /healthz HTTP/1.1\r\n");  // never finishes its header
  EXPECT_TRUE(client.Closed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(HttpServerTest, ConnectionsAboveTheLimitGet503) {
  HttpServerOptions options;
  options.max_connections = 1;
  Start(options);
  Client first(server_->port());
  first.Send("GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(first.ReadResponse().starts_with("HTTP/1.1 200"));
  Client second(server_->port());
  std::string response = second.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 503")) << response;
  EXPECT_NE(response.find("ServiceUnavailableException"), std::string::npos);
}

TEST_F(HttpServerTest, RoutesAndMethods) {
  Start();
  Client client(server_->port());
  client.Send("GET /nowhere HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 404"));
  client.Send("GET / HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 405"));
  client.Send("POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 405"));
  client.Send(Request("Nope"));
  std::string response = client.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
  EXPECT_NE(response.find("UnknownOperationException"), std::string::npos);
}

TEST_F(HttpServerTest, AuthenticationRunsBeforeDispatch) {
  ApiHandler handler([](const HttpRequest& request) -> Result<Caller> {
    if (request.Header("Authorization") == "good") return Caller{"AKID", "123456789012", nullptr};
    return Error{"UnrecognizedClientException", "The security token included is invalid."};
  });
  handler.AddJsonService("Test", &service_);
  Result<std::unique_ptr<HttpServer>> server = HttpServer::Start({.port = 0}, handler);
  ASSERT_TRUE(server.ok());
  Client client((*server)->port());
  client.Send(Request("Echo"));
  std::string response = client.ReadResponse();
  EXPECT_TRUE(response.starts_with("HTTP/1.1 400")) << response;
  EXPECT_NE(response.find("com.amazon.coral.service#UnrecognizedClientException"),
            std::string::npos);
  std::string signed_request = Request("Echo");
  signed_request.insert(signed_request.find("\r\n") + 2, "Authorization: good\r\n");
  client.Send(signed_request);
  EXPECT_TRUE(client.ReadResponse().starts_with("HTTP/1.1 200"));
}

TEST(HttpServerStartTest, ReportsBindFailures) {
  ApiHandler handler;
  Result<std::unique_ptr<HttpServer>> first = HttpServer::Start({.port = 0}, handler);
  ASSERT_TRUE(first.ok());
  Result<std::unique_ptr<HttpServer>> second =
      HttpServer::Start({.port = (*first)->port()}, handler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().error, "ListenFailed");
  EXPECT_NE(second.error().cause.find(std::to_string((*first)->port())), std::string::npos);
  Result<std::unique_ptr<HttpServer>> bad = HttpServer::Start({.host = "example.com"}, handler);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().error, "InvalidListenAddress");
}

TEST(ParseListenAddressTest, Forms) {
  Result<ListenAddress> a = ParseListenAddress("127.0.0.1:8083");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8083);
  EXPECT_TRUE(a->loopback);
  Result<ListenAddress> b = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_TRUE(b->loopback);
  Result<ListenAddress> c = ParseListenAddress("localhost:1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "127.0.0.1");
  Result<ListenAddress> d = ParseListenAddress("0.0.0.0:8083");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->loopback);
  for (const char* bad :
       {"8083", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:x", "host:1", "127.0.0.1:-1", ":80"}) {
    Result<ListenAddress> parsed = ParseListenAddress(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().error, "InvalidListenAddress");
  }
}

}  // namespace
}  // namespace autoretrain::server
