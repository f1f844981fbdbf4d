// `autoretrain serve`: the long-running daemon over a project. It takes the project's lock
// (failing at once when another process holds it), resumes the executions an interrupted
// process left running, fires the project's schedules (retrain::ScheduleRunner), logs one JSON
// line per event to stderr, serves the AWS-compatible Step Functions HTTP API on --listen
// (docs/api.md; SigV4-authenticated with --credentials-file; Prometheus metrics at /metrics), and
// on SIGTERM or SIGINT stops the API and the firing, waits a bounded time for running executions
// and exits 0 (docs/serve.md).
//
// Thread-safety: call from the main thread only; it installs SIGTERM and SIGINT handlers for
// the duration of the call.
#ifndef AUTORETRAIN_CLI_SERVE_COMMAND_H_
#define AUTORETRAIN_CLI_SERVE_COMMAND_H_

#include <CLI/CLI.hpp>
#include <string>

namespace autoretrain::cli {

struct ServeOptions {
  std::string project = ".";
  int shutdown_timeout_seconds = 30;
  // Where the HTTP API listens (HOST:PORT; port 0: any free port, logged in "started").
  std::string listen = "127.0.0.1:8083";
  bool no_api = false;  // --no-api: schedules and resumption only
  // --credentials-file: access keys (AWS shared-credentials format) whose SigV4 signatures the
  // API accepts; empty: no authentication (loopback only).
  std::string credentials_file;
  // --metrics-token-file: a bearer token GET /metrics accepts instead of a signature.
  std::string metrics_token_file;
  // --activity-poll-seconds: how long GetActivityTask waits for a task (AWS: 60).
  int activity_poll_seconds = 60;
  // --in-memory: the store lives in memory instead of data_dir's database.
  bool in_memory = false;
};

// Adds the subcommand to `app`, parsing into *options (which must outlive `app`).
CLI::App* AddServeCommand(CLI::App& app, ServeOptions* options);

// Runs it until a signal; returns the exit code (output.h).
int ServeCommand(const ServeOptions& options);

}  // namespace autoretrain::cli

#endif  // AUTORETRAIN_CLI_SERVE_COMMAND_H_
