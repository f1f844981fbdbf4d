// ProjectLock: one process at a time runs a project's executions (project.h).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {
namespace {

// The pid the holder wrote into the lock file ("" when unknown).
std::string HolderPid(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return "";
  std::string pid(buf, static_cast<size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

}  // namespace

ProjectLock::~ProjectLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

Result<std::unique_ptr<ProjectLock>> ProjectLock::Acquire(const std::string& path,
                                                          std::chrono::milliseconds timeout,
                                                          const integrations::WarningSink& notify) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error{store::kStoreReadOnly,
                 "cannot open the lock file '" + path + "': " + std::strerror(errno)};
  }
  auto lock = std::unique_ptr<ProjectLock>(new ProjectLock(fd));
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  bool told = false;
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      return Error{"ProjectBusy", "cannot lock '" + path + "': " + std::strerror(errno)};
    }
    const std::string holder = HolderPid(fd);
    const std::string who = holder.empty() ? "another autoretrain process"
                                           : "another autoretrain process (pid " + holder + ")";
    if (std::chrono::steady_clock::now() >= give_up) {
      return Error{"ProjectBusy", who + " is running this project's executions (lock '" + path +
                                      "'); wait for it to finish or stop it, then try again"};
    }
    if (!told && notify)
      notify("waiting for " + who + " to finish running this project's executions");
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) == 0) (void)!pwrite(fd, pid.data(), pid.size(), 0);
  return lock;
}

}  // namespace autoretrain::retrain
