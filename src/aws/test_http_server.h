// A small HTTP/1.1 server for tests, on 127.0.0.1 and a free port, run by one thread: each
// request is answered by the test's handler (status, headers, body), optionally after a delay,
// or by closing the connection mid-body. Keeps connections alive and counts them, so tests can
// check connection reuse. Stops (and joins) in its destructor.
//
// Thread-safety: the handler runs on the server thread; the counters are atomic; `requests()`
// returns a copy under a lock.
#ifndef AUTORETRAIN_AWS_TEST_HTTP_SERVER_H_
#define AUTORETRAIN_AWS_TEST_HTTP_SERVER_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "autoretrain/aws/sigv4.h"

namespace autoretrain::aws::testing {

struct TestRequest {
  std::string method, target;  // target: path and query as received
  Headers headers;
  std::string body;

  std::string Header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n.size() == name.size() &&
          std::equal(n.begin(), n.end(), name.begin(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return v;
      }
    }
    return "";
  }
};

// The delay of a response that must arrive after the client's timeout, whatever that is: far
// longer than any timeout in the tests, so a loaded machine cannot make it arrive in time. The
// server stops waiting as soon as the client closes the connection, so no test waits it out.
inline constexpr std::chrono::milliseconds kNeverInTime{60000};

struct TestResponse {
  int status = 200;
  Headers headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before answering
  bool close_mid_body = false;         // announce the full length, send half, close
};

class TestHttpServer {
 public:
  using Handler = std::function<TestResponse(const TestRequest&)>;

  explicit TestHttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    listen(listen_fd_, 16);
    socklen_t len = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~TestHttpServer() {
    stop_ = true;
    thread_.join();
    for (int fd : clients_) close(fd);
    close(listen_fd_);
  }

  int port() const { return port_; }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  int connections() const { return connections_; }
  int request_count() const { return request_count_; }
  std::vector<TestRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void Run() {
    std::vector<std::string> buffers;
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (int fd : clients_) fds.push_back({fd, POLLIN, 0});
      if (poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        int fd = accept(listen_fd_, nullptr, nullptr);
        if (fd >= 0) {
          clients_.push_back(fd);
          buffers.emplace_back();
          ++connections_;
        }
      }
      for (size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        size_t index = i - 1;
        char chunk[8192];
        ssize_t n = read(fds[i].fd, chunk, sizeof(chunk));
        bool keep = n > 0;
        if (keep) {
          buffers[index].append(chunk, static_cast<size_t>(n));
          keep = Serve(fds[i].fd, &buffers[index]);
        }
        if (!keep) {
          close(fds[i].fd);
          clients_[index] = -1;
        }
      }
      for (size_t i = clients_.size(); i-- > 0;) {
        if (clients_[i] < 0) {
          clients_.erase(clients_.begin() + static_cast<long>(i));
          buffers.erase(buffers.begin() + static_cast<long>(i));
        }
      }
    }
  }

  // Waits `delay` before an answer; false when the client closed the connection meanwhile
  // (it gave up on the answer) or the server is stopping.
  bool WaitUnlessClientLeaves(int fd, std::chrono::milliseconds delay) {
    auto deadline = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < deadline) {
      if (stop_) return false;
      pollfd client{fd, POLLRDHUP, 0};
      if (poll(&client, 1, 5) > 0 && (client.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
        return false;
      }
    }
    return true;
  }

  // Answers every complete request in `buffer`; false when the connection must close.
  bool Serve(int fd, std::string* buffer) {
    while (true) {
      size_t end = buffer->find("\r\n\r\n");
      if (end == std::string::npos) return true;
      TestRequest request;
      std::string head = buffer->substr(0, end);
      size_t line_end = head.find("\r\n");
      std::string first = head.substr(0, line_end);
      size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
      request.method = first.substr(0, sp1);
      request.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
      size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
      size_t content_length = 0;
      while (pos < head.size()) {
        size_t next = head.find("\r\n", pos);
        if (next == std::string::npos) next = head.size();
        std::string line = head.substr(pos, next - pos);
        pos = next + 2;
        size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        request.headers.emplace_back(line.substr(0, colon), value);
        std::string lower = line.substr(0, colon);
        for (char& c : lower) c = static_cast<char>(std::tolower(c));
        if (lower == "content-length") content_length = std::stoul(value);
      }
      if (buffer->size() < end + 4 + content_length) return true;
      request.body = buffer->substr(end + 4, content_length);
      buffer->erase(0, end + 4 + content_length);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      ++request_count_;
      TestResponse response = handler_(request);
      if (!WaitUnlessClientLeaves(fd, response.delay)) return false;
      std::string out = "HTTP/1.1 " + std::to_string(response.status) + " X\r\n";
      for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
      out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n";
      if (response.close_mid_body) {
        out += response.body.substr(0, response.body.size() / 2);
        (void)!write(fd, out.data(), out.size());
        return false;
      }
      out += response.body;
      if (request.method == "HEAD") out.resize(out.size() - response.body.size());
      (void)!write(fd, out.data(), out.size());
    }
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;
  std::atomic<int> connections_{0};
  std::atomic<int> request_count_{0};
  mutable std::mutex mutex_;
  std::vector<TestRequest> requests_;
};

// A port on 127.0.0.1 nothing listens on (bound, then closed).
inline int UnusedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace autoretrain::aws::testing

#endif  // AUTORETRAIN_AWS_TEST_HTTP_SERVER_H_
