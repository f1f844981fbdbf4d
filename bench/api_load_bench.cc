// Load generator for `autoretrain serve`: StartExecution over signed HTTP (BENCHMARKS.md,
// "StartExecution over signed HTTP").
//
//   api_load_bench --endpoint http://127.0.0.1:PORT --state-machine-arn ARN
//                  --access-key-id ID --secret-access-key SECRET
//                  [--region us-east-1] [--connections 32] [--duration 10] [--warmup 2]
//                  [--label NAME]
//
// Opens --connections keep-alive connections and keeps one request in flight on each (a
// closed loop): every request is an AWS JSON 1.0 StartExecution (X-Amz-Target
// AWSStepFunctions.StartExecution) with a name of its own, signed with SigV4 by the project's
// signer (aws::SignInPlace) at the moment it is sent. Requests sent during --warmup are not
// timed; then it times --duration seconds and stops sending. Any response (warmup included)
// counts as an error unless it is 200 with a JSON body holding an executionArn string. Prints one
// JSON line: requests, requests/s, latency p50/p99/max in ms (request written to response read),
// errors and the first error's status and body. Exit 0 with no errors, 1 with any, 2 bad arguments.
//
// One thread runs every connection (Asio), so on a 2-core machine the generator takes at most
// one core from the server it measures.
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "autoretrain/aws/sigv4.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/json/json.h"

namespace autoretrain::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;

struct Args {
  std::string host = "127.0.0.1";
  std::string port;
  std::string state_machine_arn;
  std::string region = "us-east-1";
  aws::Credentials credentials;
  int connections = 32;
  double duration_seconds = 10;
  double warmup_seconds = 2;
  std::string label;
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "api_load_bench: %s\nusage: api_load_bench --endpoint http://HOST:PORT "
               "--state-machine-arn ARN --access-key-id ID --secret-access-key SECRET "
               "[--region R] [--connections N] [--duration S] [--warmup S] [--label NAME]\n",
               why);
  std::exit(2);
}

Args ParseArgs(int argc, char** argv) {
  Args args;
  std::string endpoint;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) Usage(("missing value for " + flag).c_str());
    const std::string value = argv[++i];
    if (flag == "--endpoint") {
      endpoint = value;
    } else if (flag == "--state-machine-arn") {
      args.state_machine_arn = value;
    } else if (flag == "--access-key-id") {
      args.credentials.access_key_id = value;
    } else if (flag == "--secret-access-key") {
      args.credentials.secret_access_key = value;
    } else if (flag == "--region") {
      args.region = value;
    } else if (flag == "--connections") {
      args.connections = std::atoi(value.c_str());
    } else if (flag == "--duration") {
      args.duration_seconds = std::atof(value.c_str());
    } else if (flag == "--warmup") {
      args.warmup_seconds = std::atof(value.c_str());
    } else if (flag == "--label") {
      args.label = value;
    } else {
      Usage(("unknown option " + flag).c_str());
    }
  }
  constexpr std::string_view kScheme = "http://";
  if (!endpoint.starts_with(kScheme)) Usage("--endpoint must be http://HOST:PORT");
  const std::string authority = endpoint.substr(kScheme.size());
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos) Usage("--endpoint must name a port");
  args.host = authority.substr(0, colon);
  args.port = authority.substr(colon + 1);
  while (!args.port.empty() && args.port.back() == '/') args.port.pop_back();
  if (args.state_machine_arn.empty()) Usage("--state-machine-arn is required");
  if (args.credentials.access_key_id.empty() || args.credentials.secret_access_key.empty()) {
    Usage("--access-key-id and --secret-access-key are required");
  }
  if (args.connections < 1 || args.duration_seconds <= 0 || args.warmup_seconds < 0) {
    Usage("--connections must be >= 1, --duration > 0, --warmup >= 0");
  }
  return args;
}

// What every connection shares: the run's phases and what was measured.
struct Run {
  const Args* args = nullptr;
  std::string host_header;
  std::string name_prefix;  // unique per run, so that durable stores never see a name twice
  Steady::time_point measure_from;
  Steady::time_point stop_at;
  std::vector<double> latencies_ms;  // requests answered within the measured window
  int64_t errors = 0;
  std::string first_error;
};

// The HTTP/1.1 text of a StartExecution of `name`, signed now.
std::string SignedStartExecution(const Run& run, const std::string& name) {
  aws::SignableRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", run.host_header},
                     {"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "AWSStepFunctions.StartExecution"}};
  request.body = json::Serialize(
      json::Object{{"stateMachineArn", run.args->state_machine_arn}, {"name", name}});
  Result<aws::SignedRequest> signed_request =
      aws::SignInPlace(&request, run.args->credentials,
                       aws::SigningOptionsFor("states", run.args->region, SystemClock().Now()));
  if (!signed_request.ok()) {
    std::fprintf(stderr, "api_load_bench: %s\n", signed_request.error().cause.c_str());
    std::exit(2);
  }
  std::string text = "POST / HTTP/1.1\r\n";
  for (const auto& [field, value] : request.headers) text += field + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(request.body.size()) + "\r\n\r\n";
  text += request.body;
  return text;
}

// Why a response is not a started execution (empty: it is one).
std::string ResponseProblem(const http::response<http::string_body>& response) {
  if (response.result_int() == 200) {
    Result<json::Value> body = json::Parse(response.body());
    if (body.ok() && body->is_object()) {
      const json::Value* arn = body->as_object().if_contains("executionArn");
      if (arn != nullptr && arn->is_string() && !arn->as_string().empty()) return "";
    }
  }
  return std::to_string(response.result_int()) + " " + response.body();
}

// One keep-alive connection with one request in flight at a time.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::io_context& io, Run& run, int index) : socket_(io), run_(run), index_(index) {}

  void Start(const tcp::resolver::results_type& endpoints) {
    asio::async_connect(socket_, endpoints,
                        [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                          if (ec) return self->Fail("connect: " + ec.message());
                          self->socket_.set_option(tcp::no_delay(true));
                          self->Send();
                        });
  }

 private:
  void Send() {
    if (Steady::now() >= run_.stop_at) return Close();
    const std::string name =
        run_.name_prefix + std::to_string(index_) + "-" + std::to_string(sequence_++);
    request_ = SignedStartExecution(run_, name);
    sent_at_ = Steady::now();
    asio::async_write(socket_, asio::buffer(request_),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->Fail("write: " + ec.message());
                        self->Receive();
                      });
  }

  void Receive() {
    response_ = {};
    http::async_read(socket_, buffer_, response_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->Fail("read: " + ec.message());
                       self->OnResponse();
                     });
  }

  void OnResponse() {
    const Steady::time_point now = Steady::now();
    if (const std::string problem = ResponseProblem(response_); !problem.empty()) {
      Record(problem);  // during the warmup too: every response must be a started execution
    } else if (sent_at_ >= run_.measure_from) {
      run_.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(now - sent_at_).count());
    }
    if (!response_.keep_alive()) return Fail("the server closed the connection");
    Send();
  }

  void Record(const std::string& problem) {
    if (run_.errors++ == 0) run_.first_error = problem.substr(0, 500);
  }
  void Fail(const std::string& problem) {
    Record(problem);
    Close();
  }
  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
  }

  tcp::socket socket_;
  Run& run_;
  const int index_;
  int64_t sequence_ = 0;
  std::string request_;
  Steady::time_point sent_at_;
  beast::flat_buffer buffer_;
  http::response<http::string_body> response_;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)];
}

int Main(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  asio::io_context io(1);
  tcp::resolver resolver(io);
  beast::error_code ec;
  const tcp::resolver::results_type endpoints = resolver.resolve(args.host, args.port, ec);
  if (ec) Usage(("cannot resolve the endpoint: " + ec.message()).c_str());

  Run run;
  run.args = &args;
  run.host_header = args.host + ":" + args.port;
  run.name_prefix = "load-" + std::to_string(getpid()) + "-" +
                    std::to_string(SystemClock().Now().time_since_epoch().count() % 1000000000) +
                    "-";
  const Steady::time_point start = Steady::now();
  const auto seconds = [](double s) {
    return std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(s));
  };
  run.measure_from = start + seconds(args.warmup_seconds);
  run.stop_at = run.measure_from + seconds(args.duration_seconds);
  run.latencies_ms.reserve(1 << 20);
  for (int i = 0; i < args.connections; ++i) {
    std::make_shared<Connection>(io, run, i)->Start(endpoints);
  }
  io.run();  // returns once every connection has sent its last request and read the answer

  std::vector<double>& latencies = run.latencies_ms;
  std::sort(latencies.begin(), latencies.end());
  const auto requests = static_cast<int64_t>(latencies.size());
  std::printf(
      "{\"bench\":\"api_start_execution\",\"label\":%s,\"connections\":%d,"
      "\"duration_s\":%.1f,\"requests\":%lld,\"requests_per_s\":%.0f,\"p50_ms\":%.3f,"
      "\"p99_ms\":%.3f,\"max_ms\":%.3f,\"errors\":%lld,\"first_error\":%s}\n",
      json::Serialize(json::Value(args.label)).c_str(), args.connections, args.duration_seconds,
      static_cast<long long>(requests), static_cast<double>(requests) / args.duration_seconds,
      Percentile(latencies, 0.50), Percentile(latencies, 0.99),
      latencies.empty() ? 0.0 : latencies.back(), static_cast<long long>(run.errors),
      json::Serialize(json::Value(run.first_error)).c_str());
  return run.errors == 0 && requests > 0 ? 0 : 1;
}

}  // namespace
}  // namespace autoretrain::bench

int main(int argc, char** argv) { return autoretrain::bench::Main(argc, argv); }
