#include "integrations/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <string_view>

extern char** environ;

namespace autoretrain::integrations {
namespace {

// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { Reset(); }

  int get() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Moves `fd` to a number >= 3, so the dup2 onto 0/1/2 in the child cannot clobber another pipe
// end when our own standard descriptors happen to be closed.
int AboveStdio(int fd) {
  if (fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// A close-on-exec pipe: concurrent spawns must not inherit each other's pipe ends, or a reader
// would wait for an EOF that only comes when an unrelated child exits.
bool MakePipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  *read_end = Fd(AboveStdio(fds[0]));
  *write_end = Fd(AboveStdio(fds[1]));
  return read_end->is_open() && write_end->is_open();
}

void SetNonBlocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Whether `key` is one of `patterns` (a name, or a prefix ending in '*').
bool Inherited(std::string_view key, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(), [key](std::string_view pattern) {
    return pattern.ends_with('*') ? key.starts_with(pattern.substr(0, pattern.size() - 1))
                                  : key == pattern;
  });
}

std::vector<std::string> BuildEnvironment(
    const std::vector<std::string>& inherit,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string_view key = text.substr(0, text.find('='));
    bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                [&](const auto& kv) { return kv.first == key; });
    if (!replaced && Inherited(key, inherit)) env.emplace_back(text);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Blocks SIGPIPE in this thread while alive, so writing to a child that closed its stdin gives
// EPIPE instead of killing the whole program; a SIGPIPE raised meanwhile is discarded.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~ScopedSigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{};
      sigtimedwait(&pipe_, nullptr, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

Result<pid_t> Spawn(const ProcessOptions& options, const Fd& in, const Fd& out, const Fd& err,
                    int* spawn_errno) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.get(), STDERR_FILENO);
  if (!options.working_dir.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Own process group (so a timeout kills everything the command started), no blocked
  // signals, and default dispositions for signals a server might ignore or handle.
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(&attr, &defaults);

  std::vector<std::string> args = options.argv;
  std::vector<char*> argv = CStrings(args);
  std::vector<std::string> env_strings = BuildEnvironment(options.inherit, options.env);
  std::vector<char*> envp = CStrings(env_strings);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (spawn_errno != nullptr) *spawn_errno = rc;
    std::string message = "cannot run '" + options.argv[0] + "'";
    if (!options.working_dir.empty()) message += " in '" + options.working_dir + "'";
    return Error{"SpawnFailed", message + ": " + std::strerror(rc)};
  }
  return pid;
}

enum class ReadState { kOpen, kEof };

// Reads what is available from `fd` (non-blocking) once; appends to `sink`. Closes `fd` at EOF
// or on an error.
ReadState ReadOnce(Fd& fd, std::string* sink) {
  char buffer[64 * 1024];
  ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
  if (n > 0) {
    sink->append(buffer, static_cast<size_t>(n));
    return ReadState::kOpen;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return ReadState::kOpen;
  fd.Reset();
  return ReadState::kEof;
}

void KeepTail(std::string* text, size_t limit) {
  if (text->size() > 2 * limit) text->erase(0, text->size() - limit);
}

}  // namespace

Result<ProcessOutcome> RunProcess(const ProcessOptions& options, int* spawn_errno) {
  if (options.argv.empty() || options.argv[0].empty()) {
    if (spawn_errno != nullptr) *spawn_errno = ENOENT;
    return Error{"SpawnFailed", "cannot run an empty command"};
  }
  Fd in_r, in_w, out_r, out_w, err_r, err_w;
  if (!MakePipe(&in_r, &in_w) || !MakePipe(&out_r, &out_w) || !MakePipe(&err_r, &err_w)) {
    int saved = errno;
    if (spawn_errno != nullptr) *spawn_errno = saved;
    return Error{"SpawnFailed", std::string("cannot create pipes: ") + std::strerror(saved)};
  }
  Result<pid_t> spawned = Spawn(options, in_r, out_w, err_w, spawn_errno);
  if (!spawned.ok()) return spawned.take_error();
  const pid_t pid = *spawned;
  in_r.Reset();
  out_w.Reset();
  err_w.Reset();
  SetNonBlocking(in_w.get());
  SetNonBlocking(out_r.get());
  SetNonBlocking(err_r.get());

  // A pidfd lets poll() wake up when the child exits even if something it started keeps our
  // pipes open; without one (old kernels, some sandboxes) we poll the exit every 10 ms.
  // (glibc 2.36's <sys/pidfd.h> lacks extern "C", hence the raw system call.)
  Fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  auto child_exited = [pid] {
    siginfo_t info{};
    // WNOWAIT: leave the child a zombie, so its pid (and process group id) cannot be reused
    // before we kill the group and reap it below.
    if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
      return errno == ECHILD;  // reaped behind our back (SIGCHLD ignored): it has exited
    }
    return info.si_pid == pid;
  };

  ScopedSigpipeBlock sigpipe_block;
  ProcessOutcome outcome;
  size_t in_offset = 0;
  if (options.stdin_data.empty()) in_w.Reset();
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string poll_failure;
  auto stdout_too_large = [&] { return outcome.stdout_data.size() > options.max_stdout; };

  while (true) {
    auto remaining =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      outcome.end = ProcessOutcome::End::kTimedOut;
      break;
    }
    pollfd fds[4];
    int count = 0, in_i = -1, out_i = -1, err_i = -1, pid_i = -1;
    if (in_w.is_open()) fds[in_i = count++] = {in_w.get(), POLLOUT, 0};
    if (out_r.is_open()) fds[out_i = count++] = {out_r.get(), POLLIN, 0};
    if (err_r.is_open()) fds[err_i = count++] = {err_r.get(), POLLIN, 0};
    if (pidfd.is_open()) fds[pid_i = count++] = {pidfd.get(), POLLIN, 0};
    int wait_ms = static_cast<int>(std::min<int64_t>(remaining.count(), INT_MAX));
    if (!pidfd.is_open()) wait_ms = std::min(wait_ms, 10);
    int ready = poll(fds, static_cast<nfds_t>(count), wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      poll_failure = std::strerror(errno);
      break;
    }
    if (in_i >= 0 && fds[in_i].revents != 0) {
      ssize_t n = ::write(in_w.get(), options.stdin_data.data() + in_offset,
                          options.stdin_data.size() - in_offset);
      if (n > 0) in_offset += static_cast<size_t>(n);
      // EPIPE: the command does not read its input; that is its business.
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || in_offset == options.stdin_data.size()) {
        in_w.Reset();
      }
    }
    if (out_i >= 0 && fds[out_i].revents != 0) {
      ReadOnce(out_r, &outcome.stdout_data);
      if (stdout_too_large()) {
        outcome.end = ProcessOutcome::End::kOutputTooLarge;
        break;
      }
    }
    if (err_i >= 0 && fds[err_i].revents != 0) {
      ReadOnce(err_r, &outcome.stderr_tail);
      KeepTail(&outcome.stderr_tail, options.stderr_tail);
    }
    bool check_exit = pid_i < 0 || fds[pid_i].revents != 0;
    if (check_exit && child_exited()) {
      // Collect what is still buffered; a pipe kept open by a leftover process ends at EAGAIN.
      for (int i = 0; i < 64 && out_r.is_open() && !stdout_too_large(); ++i) {
        size_t before = outcome.stdout_data.size();
        if (ReadOnce(out_r, &outcome.stdout_data) == ReadState::kEof) break;
        if (outcome.stdout_data.size() == before) break;
      }
      for (int i = 0; i < 64 && err_r.is_open(); ++i) {
        size_t before = outcome.stderr_tail.size();
        if (ReadOnce(err_r, &outcome.stderr_tail) == ReadState::kEof) break;
        if (outcome.stderr_tail.size() == before) break;
      }
      if (stdout_too_large()) outcome.end = ProcessOutcome::End::kOutputTooLarge;
      break;
    }
  }

  // The child itself (it may have left our group with setsid) and anything left in its group.
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (outcome.stderr_tail.size() > options.stderr_tail) {
    outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - options.stderr_tail);
  }
  if (!poll_failure.empty()) return Error{"SpawnFailed", "poll failed: " + poll_failure};
  if (outcome.end == ProcessOutcome::End::kExited) {
    if (WIFSIGNALED(status)) {
      outcome.end = ProcessOutcome::End::kSignaled;
      outcome.signal = WTERMSIG(status);
    } else {
      outcome.exit_code = WEXITSTATUS(status);
    }
  }
  return outcome;
}

}  // namespace autoretrain::integrations
