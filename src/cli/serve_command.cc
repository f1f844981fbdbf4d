#include "cli/serve_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "autoretrain/common/clock.h"
#include "autoretrain/common/secret_file.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/server/api_handler.h"
#include "autoretrain/server/authentication.h"
#include "autoretrain/server/http_server.h"
#include "autoretrain/server/metrics.h"
#include "autoretrain/server/step_functions_service.h"
#include "cli/output.h"
#include "cli/project_option.h"
#include "server/console_service.h"    // Console
#include "server/scheduler_service.h"  // EventBridge Scheduler API

namespace autoretrain::cli {
namespace {

// How often `serve` deletes the executions past the project's retention_days.
constexpr std::chrono::milliseconds kPurgeInterval = std::chrono::hours(1);
// How often it writes again the execution ends the store refused (HistoryRecorder::RetryHeldEnds).
constexpr std::chrono::milliseconds kHeldEndsRetryInterval = std::chrono::seconds(2);

// The self-pipe: the signal handler only writes the signal number into it.
int g_signal_pipe[2] = {-1, -1};

extern "C" void OnShutdownSignal(int sig) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  (void)!write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

// Installs the handlers for the lifetime of the object, restoring the previous ones after.
class SignalPipe {
 public:
  SignalPipe() {
    if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
    struct sigaction action = {};
    action.sa_handler = OnShutdownSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, &old_term_);
    sigaction(SIGINT, &action, &old_int_);
    ok_ = true;
  }
  ~SignalPipe() {
    if (!ok_) return;
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGINT, &old_int_, nullptr);
    close(g_signal_pipe[0]);
    close(g_signal_pipe[1]);
    g_signal_pipe[0] = g_signal_pipe[1] = -1;
  }
  bool ok() const { return ok_; }

  // Waits up to `timeout` (negative: forever) for a signal; returns its number or 0.
  int Wait(std::chrono::milliseconds timeout) {
    struct pollfd fd = {g_signal_pipe[0], POLLIN, 0};
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int wait_ms = -1;
      if (timeout.count() >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        wait_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
      }
      int n = poll(&fd, 1, wait_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 0;
      unsigned char byte = 0;
      if (read(g_signal_pipe[0], &byte, 1) == 1) return byte;
    }
  }

 private:
  bool ok_ = false;
  struct sigaction old_term_ = {};
  struct sigaction old_int_ = {};
};

// One JSON object per line on stderr: {"time", "level", "event", ...fields}.
class EventLog {
 public:
  void Write(std::string_view level, std::string_view event, json::Object fields = {}) {
    json::Object line;
    line["time"] = FormatIso8601(clock_.Now());
    line["level"] = level;
    line["event"] = event;
    for (auto& [key, value] : fields) line[key] = std::move(value);
    const std::string text = json::Serialize(json::Value(std::move(line))) + "\n";
    std::lock_guard<std::mutex> lock(mu_);
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
  }

 private:
  std::mutex mu_;
  SystemClock clock_;
};

// Logs every execution's end (scheduled, resumed, or started by another execution).
class FinishObserver final : public engine::Observer {
 public:
  explicit FinishObserver(EventLog& log) : log_(log) {}
  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override {
    static constexpr std::pair<std::string_view, std::string_view> kEnds[] = {
        {"ExecutionSucceeded", "SUCCEEDED"},
        {"ExecutionFailed", "FAILED"},
        {"ExecutionAborted", "ABORTED"},
        {"ExecutionTimedOut", "TIMED_OUT"}};
    for (const auto& [type, status] : kEnds) {
      if (event.type != type) continue;
      json::Object fields;
      fields["execution_arn"] = execution_arn;
      fields["status"] = status;
      if (event.details.is_object()) {
        const json::Object& details = event.details.as_object();
        if (const json::Value* error = details.if_contains("error")) fields["error"] = *error;
        if (const json::Value* cause = details.if_contains("cause")) fields["cause"] = *cause;
      }
      log_.Write(status == "SUCCEEDED" ? "info" : "warn", "execution_finished", std::move(fields));
      return;
    }
  }

 private:
  EventLog& log_;
};

// The HTTP API of a running daemon: the Step Functions service over the runtime, the request
// pipeline and the server. Destroy before the runtime.
struct Api {
  std::unique_ptr<server::StepFunctionsService> service;
  std::unique_ptr<server::ConsoleService> console;  // Console: the web console (/console/)
  std::unique_ptr<server::ApiHandler> handler;
  std::unique_ptr<server::HttpServer> server;
};

// What the API is started with besides the runtime.
struct ApiSettings {
  server::ListenAddress address;
  server::Authenticator authenticate;  // empty: no authentication
  server::Metrics* metrics = nullptr;
  engine::TaskHandler* task_handler = nullptr;  // the runtime's task router, for TestState
  int activity_poll_seconds = 60;
  server::PathService* scheduler = nullptr;  // EventBridge Scheduler API (null: not served)
  // Console: the keys its sign-in accepts (nullopt: no sign-in, loopback only).
  std::optional<std::vector<server::AccessKey>> console_keys;
  std::string metrics_token;  // "" none: GET /metrics is authenticated like the API
};

// Starts the API on settings.address over `runtime`; state machines created through the API
// before a restart are registered first (one warning per one that cannot be loaded).
Result<Api> StartApi(const ApiSettings& settings, const retrain::ProjectConfig& config,
                     retrain::LocalRuntime& runtime, Clock& clock, EventLog& log) {
  const server::ListenAddress& address = settings.address;
  Api api;
  std::set<std::string> project_machines;
  for (const auto& [name, path] : config.state_machines) project_machines.insert(name);
  api.service = std::make_unique<server::StepFunctionsService>(runtime, project_machines, clock);
  api.service->set_task_handler(settings.task_handler);
  api.service->set_activity_poll(std::chrono::seconds(settings.activity_poll_seconds),
                                 std::chrono::milliseconds(100));
  if (runtime.history_store() != nullptr) {
    Result<std::vector<std::string>> problems = api.service->LoadStoredStateMachines();
    if (!problems.ok()) return problems.take_error();
    for (const std::string& problem : *problems) {
      log.Write("warn", "warning", json::Object{{"message", problem}});
    }
  }
  api.handler = std::make_unique<server::ApiHandler>(
      settings.authenticate,
      [&runtime] {
        return json::Object{{"running_executions", runtime.executions().running()}};
      },
      settings.metrics);
  if (!settings.metrics_token.empty()) api.handler->AcceptMetricsToken(settings.metrics_token);
  api.handler->AddJsonService(server::kStepFunctionsTargetPrefix, api.service.get());
  // EventBridge Scheduler API: it checks signatures itself (signing name "scheduler").
  if (settings.scheduler != nullptr) {
    api.handler->AddPathService(server::kSchedulesPath, settings.scheduler, false);
    api.handler->AddPathService(server::kScheduleGroupsPath, settings.scheduler, false);
    api.handler->AddPathService(server::kSchedulerTagsPath, settings.scheduler, false);
  }
  // Console: the web console at /console/ checks its own sign-in (docs/console.md).
  server::StepFunctionsService* sfn = api.service.get();
  api.console = std::make_unique<server::ConsoleService>(
      server::ConsoleSources{
          .step_functions =
              [sfn](const std::string& operation, const json::Object& input) {
                return sfn->Invoke(operation, input);
              },
          .project = &config,
          .dynamodb = runtime.dynamodb(),
          .store = runtime.history_store(),
          .arn_of = [&runtime](std::string_view name) { return runtime.ArnOf(name); }},
      settings.console_keys, clock);
  api.handler->AddPathService(server::kConsolePath, api.console.get(), /*authenticate=*/false);
  server::HttpServerOptions options;
  options.host = address.host;
  options.port = address.port;
  Result<std::unique_ptr<server::HttpServer>> started =
      server::HttpServer::Start(options, *api.handler);
  if (!started.ok()) return started.take_error();
  api.server = std::move(started).value();
  return api;
}

std::string SignalName(int sig) {
  return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : std::to_string(sig);
}

}  // namespace

CLI::App* AddServeCommand(CLI::App& app, ServeOptions* options) {
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Run the project as a daemon: resume interrupted executions, fire the project's schedules "
      "(and those created through the EventBridge Scheduler API), serve the AWS Step Functions "
      "and EventBridge Scheduler APIs and the web console, log one JSON line per event to "
      "stderr; stop cleanly on SIGTERM or SIGINT.");
  AddProjectOption(cmd, &options->project);
  cmd->add_option("--shutdown-timeout", options->shutdown_timeout_seconds,
                  "On SIGTERM/SIGINT, wait this long for running executions (default 30); those "
                  "still running stay RUNNING in the store and resume at the next start")
      ->check(CLI::Range(0, 86400))
      ->type_name("SECONDS");
  CLI::Option* listen =
      cmd->add_option(
             "--listen", options->listen,
             "Serve the AWS-compatible Step Functions API (aws stepfunctions ... "
             "--endpoint-url http://HOST:PORT), the EventBridge Scheduler API (aws scheduler "
             "...; docs/api.md) and the web console (http://HOST:PORT/console/; "
             "docs/console.md) on HOST:PORT (default "
             "127.0.0.1:8083; port 0: any free port, logged in the \"started\" line). Other "
             "than loopback addresses need --credentials-file")
          ->type_name("HOST:PORT");
  CLI::Option* credentials =
      cmd->add_option(
             "--credentials-file", options->credentials_file,
             "Require every API request to be signed (AWS Signature Version 4, as the AWS "
             "CLI and SDKs sign) with an access key of PATH, a file in the AWS credentials "
             "format ([NAME] sections with aws_access_key_id and aws_secret_access_key); "
             "unsigned or wrongly signed requests are refused, and the console asks for one of "
             "these keys to sign in. Needed to --listen on a non-loopback address")
          ->type_name("PATH");
  CLI::Option* metrics_token =
      cmd->add_option(
             "--metrics-token-file", options->metrics_token_file,
             "With --credentials-file, GET /metrics also accepts \"Authorization: Bearer "
             "TOKEN\" with the token in PATH (16 to 1024 visible ASCII characters, e.g. from "
             "`openssl rand -hex 32`): Prometheus's `authorization` scrape setting, since "
             "Prometheus cannot sign requests")
          ->needs(credentials)
          ->type_name("PATH");
  cmd->add_option("--activity-poll-seconds", options->activity_poll_seconds,
                  "How long GetActivityTask waits for a task before answering {} (default 60, "
                  "as AWS)")
      ->check(CLI::Range(0, 60))
      ->type_name("SECONDS");
  cmd->add_flag("--in-memory", options->in_memory,
                "Keep the store in memory instead of DATA_DIR/autoretrain.db: executions and "
                "their histories, state machines and schedules created through the APIs and "
                "the local DynamoDB tables last only as long as the process; nothing is resumed "
                "at start and the project is not locked (for trying the API out, tests and "
                "benchmarks)");
  cmd->add_flag("--no-api", options->no_api,
                "Do not serve the HTTP API (resume executions and fire schedules only)")
      ->excludes(listen)
      ->excludes(credentials)
      ->excludes(metrics_token);
  cmd->footer(
      "Log lines: {\"time\", \"level\", \"event\": \"resumed\"|\"started\"|\"fired\"|"
      "\"execution_finished\"|\"purged\"|\"stopping\"|\"stopped\"|\"warning\", ...}; \"started\" "
      "has "
      "\"api\": \"http://HOST:PORT\" (the bound address) unless --no-api.\n"
      "Exit status: 0 stopped by SIGTERM/SIGINT, 1 another autoretrain process holds the "
      "project (it fails at once, it does not wait), the store cannot be used or the API's "
      "address cannot be bound (in use), 2 the project or its configuration is invalid, or "
      "--listen is not a loopback HOST:PORT without --credentials-file, or the credentials "
      "file or the metrics token file is invalid.\n"
      "GET /metrics serves Prometheus metrics (executions, API requests, schedule fires), "
      "signed like the API when --credentials-file is given (or with the metrics token); "
      "GET /healthz needs no signature. A credentials or token file that other users may "
      "read gets a \"warning\" log line.");
  return cmd;
}

int ServeCommand(const ServeOptions& options) {
  Result<retrain::ProjectConfig> config = retrain::LoadProject(options.project);
  if (!config.ok()) {
    PrintError(config.error().cause);
    return kExitInvalid;
  }
  std::optional<server::ListenAddress> listen;
  if (!options.no_api) {
    Result<server::ListenAddress> parsed = server::ParseListenAddress(options.listen);
    if (!parsed.ok()) {
      PrintError(parsed.error().cause);
      return kExitInvalid;
    }
    if (!parsed->loopback && options.credentials_file.empty()) {
      PrintError("--listen " + options.listen +
                 ": refusing to serve the API on a non-loopback address without authentication: "
                 "anyone who can reach the address could run your state machines. Give "
                 "--credentials-file PATH (access keys in the AWS credentials format) so that "
                 "only requests signed with those keys are served, or listen on 127.0.0.1 (the "
                 "default)");
      return kExitInvalid;
    }
    listen = std::move(*parsed);
  }
  EventLog log;
  std::optional<std::vector<server::AccessKey>> access_keys;
  if (!options.credentials_file.empty()) {
    Result<std::vector<server::AccessKey>> loaded =
        server::LoadAccessKeys(options.credentials_file);
    if (!loaded.ok()) {
      PrintError("--credentials-file: " + loaded.error().cause);
      return kExitInvalid;
    }
    access_keys = std::move(loaded).value();
  }
  std::string metrics_token;
  if (!options.metrics_token_file.empty()) {
    Result<std::string> loaded = server::LoadMetricsToken(options.metrics_token_file);
    if (!loaded.ok()) {
      PrintError("--metrics-token-file: " + loaded.error().cause);
      return kExitInvalid;
    }
    metrics_token = std::move(loaded).value();
  }
  for (const std::string& secrets : {options.credentials_file, options.metrics_token_file}) {
    if (secrets.empty()) continue;
    if (std::optional<std::string> exposed = ExposedSecretFileWarning(secrets)) {
      log.Write("warn", "warning", json::Object{{"message", *exposed}});
    }
  }
  SignalPipe signals;  // before anything long: a signal during the resume is not lost
  if (!signals.ok()) {
    PrintError(std::string("cannot create the signal pipe: ") + std::strerror(errno));
    return kExitFailed;
  }
  // Both outlive the runtime. `running` is read through the pointer once the runtime exists.
  std::atomic<retrain::LocalRuntime*> running_runtime{nullptr};
  server::Metrics metrics([&running_runtime] {
    retrain::LocalRuntime* runtime = running_runtime.load();
    return runtime == nullptr ? int64_t{0} : runtime->executions().running();
  });
  FinishObserver finish_observer(log);
  server::MetricsObserver observer(metrics, &finish_observer);
  engine::TaskHandler* router = nullptr;  // the runtime's task router, for TestState
  auto warn = [&log](const std::string& message) {
    log.Write("warn", "warning", json::Object{{"message", message}});
  };
  Result<std::unique_ptr<retrain::LocalRuntime>> opened = retrain::LocalRuntime::ForProject(
      *config, &observer, warn,
      // A daemon runs for months: no waiting for another holder, and no finished results
      // kept in memory (they are in the store).
      retrain::RuntimeOptions{
          // Keeps the router as the executor's handler, and lets TestState use it too.
          .decorate =
              [&router](engine::TaskHandler& task_router) -> std::unique_ptr<engine::TaskHandler> {
            router = &task_router;
            return nullptr;
          },
          .lock_timeout = std::chrono::milliseconds(0),
          .keep_finished = false,
          .in_memory_store = options.in_memory,
          // An accepted execution must be on disk: refuse starts the store cannot take.
          .history_failures = integrations::FailurePolicy::kRefuseStarts});
  if (!opened.ok()) {
    PrintError(opened.error().cause);
    return ExitCodeFor(opened.error());
  }
  std::unique_ptr<retrain::LocalRuntime> runtime = std::move(opened).value();
  running_runtime.store(runtime.get());
  for (const std::string& arn : runtime->resumed()) {
    log.Write("info", "resumed", json::Object{{"execution_arn", arn}});
  }

  SystemClock clock;
  std::atomic<server::SchedulerService*> scheduler_api{nullptr};  // EventBridge Scheduler API
  retrain::ScheduleRunner runner(
      clock, runtime->executions(),
      [&log, &metrics, &scheduler_api](const retrain::FiredSlot& fired) {
        // EventBridge Scheduler API: ActionAfterCompletion DELETE deletes a stored schedule.
        if (server::SchedulerService* api = scheduler_api.load()) api->OnFired(fired);
        metrics.ScheduleFired(fired.schedule, fired.error                   ? "failed"
                                              : fired.execution_arn.empty() ? "skipped"
                                                                            : "started");
        json::Object fields;
        fields["schedule"] = fired.schedule;
        fields["slot"] = FormatIso8601(fired.slot);
        fields["execution_name"] = fired.execution_name;
        if (!fired.execution_arn.empty()) fields["execution_arn"] = fired.execution_arn;
        if (fired.already_fired) fields["already_fired"] = true;
        if (fired.error) {
          fields["error"] = fired.error->error;
          fields["cause"] = fired.error->cause;
        }
        if (fired.error || fired.resumed) fields["attempts"] = fired.attempts;
        if (fired.retry_at) fields["retry_at"] = FormatIso8601(*fired.retry_at);
        if (fired.dead_lettered) fields["dead_lettered"] = true;
        if (fired.deleted) fields["deleted"] = true;
        if (fired.caught_up) fields["caught_up"] = true;
        if (fired.skipped_overlap) fields["skipped_overlap"] = true;
        if (fired.buffered) fields["buffered"] = true;
        if (fired.resumed) fields["resumed"] = true;
        if (!fired.dropped.empty()) fields["dropped"] = fired.dropped;
        const char* level = "info";
        if (fired.error) {
          level = fired.retry_at ? "warn" : "error";
        } else if (!fired.dropped.empty()) {
          level = "warn";  // a slot accepted before a restart was not fired
        }
        log.Write(level, "fired", std::move(fields));
      },
      retrain::RunnerFilesFor(*config));
  if (Status restored = runner.Restore(); !restored.ok()) warn(restored.error().cause);
  for (const auto& [name, schedule] : config->schedules) {
    Status added = runner.Add(name, schedule, runtime->ArnOf(schedule.state_machine));
    if (!added.ok()) {  // LoadProject validated them: not expected
      PrintError("schedules." + name + ": " + added.error().cause);
      return kExitInvalid;
    }
  }
  // EventBridge Scheduler API: schedules created through it are stored and fire here too.
  std::unique_ptr<store::Store> scheduler_memory;  // holds them when the project has no store
  store::Store* scheduler_store = runtime->history_store();
  if (scheduler_store == nullptr) {
    Result<std::unique_ptr<store::Store>> memory = store::Store::OpenInMemory();
    if (!memory.ok()) {
      PrintError(memory.error().cause);
      return kExitFailed;
    }
    scheduler_memory = std::move(memory).value();
    scheduler_store = scheduler_memory.get();
  }
  std::vector<server::SchedulerService::ProjectSchedule> project_schedules;
  for (const auto& [name, schedule] : config->schedules) {
    project_schedules.push_back({name, schedule, runtime->ArnOf(schedule.state_machine)});
  }
  server::Authenticator scheduler_authenticate;
  if (access_keys) {
    scheduler_authenticate =
        server::SigV4Authenticator(*access_keys, "scheduler", config->account.account, clock);
  }
  server::SchedulerService scheduler(*scheduler_store, runner, runtime->account(),
                                     std::move(project_schedules), clock,
                                     std::move(scheduler_authenticate));
  if (Result<std::vector<std::string>> loaded = scheduler.Start(); !loaded.ok()) {
    PrintError("the Scheduler API's schedules cannot be read: " + loaded.error().cause);
    return ExitCodeFor(loaded.error());
  } else {
    for (const std::string& problem : *loaded) warn(problem);
  }
  scheduler_api.store(&scheduler);
  Api api;
  if (listen) {
    ApiSettings settings{.address = *listen,
                         .authenticate = {},
                         .metrics = &metrics,
                         .task_handler = router,
                         .activity_poll_seconds = options.activity_poll_seconds,
                         .console_keys = std::nullopt,
                         .metrics_token = metrics_token};
    settings.scheduler = &scheduler;  // EventBridge Scheduler API
    if (access_keys) {
      settings.console_keys = *access_keys;  // Console
      settings.authenticate = server::SigV4Authenticator(std::move(*access_keys), "states",
                                                         config->account.account, clock);
    }
    Result<Api> started = StartApi(settings, *config, *runtime, clock, log);
    if (!started.ok()) {
      PrintError(started.error().cause);
      return started.error().error == "ListenFailed" ? kExitFailed : ExitCodeFor(started.error());
    }
    api = std::move(started).value();
  }
  json::Array upcoming;
  for (const auto& [name, at] : runner.Upcoming()) {
    upcoming.push_back(json::Object{{"schedule", name}, {"next", FormatIso8601(at)}});
  }
  json::Object started{{"project", config->dir},
                       {"pid", static_cast<int64_t>(getpid())},
                       {"resumed", static_cast<int64_t>(runtime->resumed().size())},
                       {"schedules", std::move(upcoming)}};
  if (api.server) {
    const std::string& host = api.server->host();
    started["api"] = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                     ":" + std::to_string(api.server->port());
    started["authentication"] = options.credentials_file.empty() ? "none" : "sigv4";
    started["console"] = std::string(started["api"].as_string()) + "/console/";  // Console
  }
  log.Write("info", "started", std::move(started));

  std::thread firing([&runner, &warn] {
    runner.Run([&warn](const Error& error) { warn("scheduler heartbeat: " + error.cause); });
  });
  // On this thread, between waits for a signal (docs/durability.md): the execution ends the
  // store refused (locked, full) are written again every few seconds, so that an idle daemon
  // does not leave them RUNNING; and the retention purge runs at start and then hourly: a
  // daemon left running for months must keep its store bounded.
  auto next_purge = std::chrono::steady_clock::now();
  int sig = 0;
  do {
    runtime->RetryHeldEnds();
    if (std::chrono::steady_clock::now() < next_purge) continue;
    next_purge = std::chrono::steady_clock::now() + kPurgeInterval;
    Result<int64_t> purged = runtime->PurgeExpired(*config);
    if (!purged.ok()) {
      warn("old executions were not purged: " + purged.error().cause);
    } else if (*purged > 0) {
      log.Write("info", "purged",
                json::Object{{"executions", *purged}, {"retention_days", config->retention_days}});
    }
  } while ((sig = signals.Wait(kHeldEndsRetryInterval)) == 0);
  log.Write("info", "stopping",
            json::Object{{"signal", SignalName(sig)},
                         {"running", runtime->executions().running()},
                         {"shutdown_timeout_seconds", options.shutdown_timeout_seconds}});
  if (api.server) api.server->Stop();  // no new requests; answered ones stay answered
  runner.Stop();
  firing.join();

  // Wait for the running executions, up to the timeout or a second signal.
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(options.shutdown_timeout_seconds);
  bool again = false;
  while (runtime->executions().running() > 0 && !again &&
         std::chrono::steady_clock::now() < give_up) {
    again = signals.Wait(std::chrono::milliseconds(50)) != 0;
  }
  const int64_t left = runtime->executions().running();
  if (left > 0) {
    // Their last checkpoints are in the store: the next start resumes them. Destroying the
    // runtime would wait for them, so leave as a killed process would (the store's commits
    // are atomic).
    log.Write("warn", "stopped",
              json::Object{{"left_running", left},
                           {"message",
                            "executions still running stay RUNNING in the store "
                            "and resume at the next start"}});
    std::fflush(nullptr);
    std::_Exit(kExitOk);
  }
  api = Api{};  // before the runtime it uses
  running_runtime.store(nullptr);
  runtime.reset();  // commits the remaining history, releases the lock
  log.Write("info", "stopped", json::Object{{"left_running", 0}});
  return kExitOk;
}

}  // namespace autoretrain::cli
