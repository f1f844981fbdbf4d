// Test-only: dynalite (npm, an implementation of DynamoDB; tests/servers) run by node on
// 127.0.0.1 and a port the kernel picks, in memory, with tables ACTIVE at once. Started by
// Start, stopped (SIGTERM, then SIGKILL) and reaped in the destructor.
//
// Thread-safety: one owner; url() may be read from any thread once started.
#ifndef AUTORETRAIN_AWS_DYNALITE_SERVER_H_
#define AUTORETRAIN_AWS_DYNALITE_SERVER_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "autoretrain/common/result.h"

namespace autoretrain::aws::testing {

class DynaliteServer {
 public:
  ~DynaliteServer() {
    if (output_ >= 0) close(output_);
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

  // Where dynalite is installed (scripts/install-test-servers.sh puts it there).
  static std::filesystem::path Package(const std::string& source_dir) {
    return std::filesystem::path(source_dir) / "tests" / "servers" / "node_modules" / "dynalite";
  }

  // Why the server cannot run here ("" when node and dynalite are both present).
  static std::string Missing(const std::string& source_dir) {
    std::string missing;
    if (std::system("command -v node >/dev/null 2>&1") != 0) missing = "node (Node.js 20+)";
    if (!std::filesystem::exists(Package(source_dir) / "index.js")) {
      if (!missing.empty()) missing += " and ";
      missing += Package(source_dir).string() + " (run scripts/install-test-servers.sh)";
    }
    return missing;
  }

  // Starts node with dynalite and waits (up to 15 s) for it to print its port.
  static Result<std::unique_ptr<DynaliteServer>> Start(const std::string& source_dir) {
    std::string script =
        "var s = require(process.argv[1])({createTableMs: 0, deleteTableMs: 0, "
        "updateTableMs: 0}); s.listen(0, '127.0.0.1', function () { "
        "console.log('port ' + s.address().port) })";
    std::string package = Package(source_dir).string();
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) return Error{"SpawnFailed", "pipe() failed"};
    pid_t pid = fork();
    if (pid < 0) return Error{"SpawnFailed", "fork() failed"};
    if (pid == 0) {
      dup2(out[1], STDOUT_FILENO);
      execlp("node", "node", "-e", script.c_str(), package.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    auto server = std::unique_ptr<DynaliteServer>(new DynaliteServer());
    server->pid_ = pid;
    std::string text;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd fd{out[0], POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buffer[256];
      ssize_t n = read(out[0], buffer, sizeof(buffer));
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
    server->output_ = out[0];  // kept open: node must not get EPIPE if it writes again
    if (!text.starts_with("port ") || text.find('\n') == std::string::npos) {
      return Error{"SpawnFailed",
                   "dynalite (" + package + ") did not print its port; it wrote '" + text + "'"};
    }
    server->url_ = "http://127.0.0.1:" + text.substr(5, text.find('\n') - 5);
    return server;
  }

  const std::string& url() const { return url_; }

 private:
  DynaliteServer() = default;
  pid_t pid_ = -1;
  int output_ = -1;
  std::string url_;
};

}  // namespace autoretrain::aws::testing

#endif  // AUTORETRAIN_AWS_DYNALITE_SERVER_H_
