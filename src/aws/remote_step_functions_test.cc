// RemoteStepFunctions against a real second `autoretrain serve` (the binary built with the
// project, started here on 127.0.0.1 port 0) as the remote Step Functions endpoint: child
// executions really run there, and the parent runs here on the engine with the TaskRouter.
#include "autoretrain/aws/remote_step_functions.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "autoretrain/asl/parser.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/integrations/task_router.h"
#include "aws/notify_test_util.h"
#include "aws/test_http_server.h"

#ifndef AUTORETRAIN_BIN
#error "AUTORETRAIN_BIN (the autoretrain binary) must be defined by the build (src/CMakeLists.txt)"
#endif

namespace autoretrain::aws {
namespace {

using testing::TokenLauncher;

constexpr char kAccount[] = "arn:aws:states:us-east-1:123456789012";

std::string MachineArn(const std::string& name) {
  return std::string(kAccount) + ":stateMachine:" + name;
}

// The binary: AUTORETRAIN_BIN from the environment (as the end-to-end tests take it), else
// the one this build makes.
std::string BinaryPath() {
  const char* from_env = std::getenv("AUTORETRAIN_BIN");
  return from_env != nullptr && *from_env != '\0' ? from_env : AUTORETRAIN_BIN;
}

// Runs the binary with `args`, stderr to `log`; returns the child's pid (-1 on failure).
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::string bin = BinaryPath();
  std::vector<std::string> copy = args;
  std::vector<char*> argv{bin.data()};
  for (std::string& arg : copy) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  int err = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (err < 0 || null < 0 || dup2(err, 2) < 0 || dup2(null, 1) < 0) _exit(126);
  execv(bin.c_str(), argv.data());
  _exit(127);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A project served by `autoretrain serve --listen 127.0.0.1:0`, for the whole test suite.
class RemoteServer {
 public:
  RemoteServer() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "autoretrain-remote-sfn-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    const std::string project = dir_ + "/project";
    pid_t init = Spawn({"init", project}, dir_ + "/init.log");
    int status = 0;
    waitpid(init, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      problem_ = "`" + BinaryPath() +
                 " init` failed (build the autoretrain target, or set "
                 "AUTORETRAIN_BIN to a built binary): " +
                 ReadAll(dir_ + "/init.log");
      return;
    }
    const std::string log = dir_ + "/serve.log";
    pid_ = Spawn({"serve", "--project", project, "--listen", "127.0.0.1:0"}, log);
    for (int i = 0; i < 300 && url_.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::istringstream lines(ReadAll(log));
      for (std::string line; std::getline(lines, line);) {
        Result<json::Value> event = json::Parse(line);
        if (!event.ok() || !event->is_object()) continue;
        const json::Value* api = event->get_object().if_contains("api");
        if (api != nullptr && api->is_string()) url_ = std::string(api->get_string());
      }
      int exited = 0;
      if (waitpid(pid_, &exited, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
    }
    if (url_.empty()) problem_ = "autoretrain serve did not start: " + ReadAll(log);
  }

  ~RemoteServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  const std::string& url() const { return url_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  std::string url_;
  std::string problem_;
};

Endpoint StatesEndpointAt(const std::string& url) {
  Endpoint endpoint;
  endpoint.url = url;
  endpoint.signing_region = "us-east-1";
  endpoint.signing_name = "states";
  endpoint.custom = true;
  return endpoint;
}

CredentialsSource StatesKeys() {
  return [] {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = "secret";
    return Result<Credentials>(credentials);
  };
}

RemoteSelection Prefix(std::string prefix) {
  RemoteSelection selection;
  selection.patterns.push_back(std::move(prefix));
  return selection;
}

json::Value Parsed(std::string_view text) {
  Result<json::Value> value = json::Parse(text);
  EXPECT_TRUE(value.ok()) << text;
  return value.ok() ? std::move(value).value() : json::Value();
}

class RemoteStepFunctionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new RemoteServer();
    if (!server_->problem().empty()) return;
    RemoteStepFunctions client(Prefix(""), StatesEndpointAt(server_->url()), StatesKeys());
    const std::pair<std::string, std::string> machines[] = {
        // Runs about a second, so a .sync parent sees it RUNNING first.
        {"remote-train", R"({"StartAt":"Hold","States":{
            "Hold":{"Type":"Wait","Seconds":1,"Next":"Done"},
            "Done":{"Type":"Pass","Parameters":{"trained":true,"got.$":"$"},"End":true}}})"},
        {"remote-reject", R"({"StartAt":"No","States":{"No":{"Type":"Fail",
            "Error":"ModelTooBad","Cause":"accuracy 0.41 is below 0.80"}}})"}};
    for (const auto& [name, definition] : machines) {
      Result<HttpResponse> created = client.Call(
          "CreateStateMachine",
          json::Object{{"name", name},
                       {"definition", definition},
                       {"roleArn", "arn:aws:iam::123456789012:role/StepFunctionsRole"}});
      if (!created.ok() || created->status != 200) {
        creation_problem_ = "CreateStateMachine " + name + ": " +
                            (created.ok() ? created->body : created.error().cause);
      }
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(server_->problem().empty()) << server_->problem();
    ASSERT_TRUE(creation_problem_.empty()) << creation_problem_;
    remote_ = std::make_unique<RemoteStepFunctions>(Prefix(MachineArn("remote-*")),
                                                    StatesEndpointAt(server_->url()), StatesKeys());
    router_.add_integration(remote_.get());
  }

  // Runs `definition` here; its startExecution tasks go to the remote server.
  engine::ExecutionResult RunHere(std::string_view definition, json::Value input) {
    asl::CompileResult compiled = asl::CompileText(definition);
    EXPECT_EQ(compiled.index(), 0u) << definition;
    if (compiled.index() != 0) return {};
    engine::Executor executor(router_, clock_, nullptr);
    engine::ExecutionSpec spec;
    spec.state_machine_arn = MachineArn("local-parent");
    spec.state_machine_name = "local-parent";
    spec.input = std::move(input);
    return executor.Run(*std::get<0>(compiled), spec);
  }

  // DescribeExecution on the remote server, until the execution is not RUNNING.
  json::Object DescribeWhenDone(const std::string& arn) {
    for (int i = 0; i < 200; ++i) {
      Result<HttpResponse> described =
          remote_->Call("DescribeExecution", json::Object{{"executionArn", arn}});
      EXPECT_TRUE(described.ok());
      if (!described.ok()) return {};
      json::Value body = Parsed(described->body);
      if (body.is_object() && body.at("status") != "RUNNING") return body.get_object();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "execution " << arn << " did not finish";
    return {};
  }

  static RemoteServer* server_;
  static std::string creation_problem_;
  SystemClock clock_;
  integrations::FunctionRegistry functions_;
  integrations::TaskRouter router_{functions_, clock_};
  std::unique_ptr<RemoteStepFunctions> remote_;
};

RemoteServer* RemoteStepFunctionsTest::server_ = nullptr;
std::string RemoteStepFunctionsTest::creation_problem_;

TEST_F(RemoteStepFunctionsTest, HandlesSelectedStateMachinesAndTheirSyncChecks) {
  json::Value remote = json::Object{{"StateMachineArn", MachineArn("remote-train")}};
  json::Value local = json::Object{{"StateMachineArn", MachineArn("local-train")}};
  auto request = [](std::string_view resource, const json::Value* params) {
    return engine::TaskRequest{.resource = resource,
                               .parameters = params,
                               .context = nullptr,
                               .state_name = "S",
                               .execution_arn = "x",
                               .timeout_seconds = std::nullopt};
  };
  for (std::string_view resource :
       {"arn:aws:states:::states:startExecution", "arn:aws:states:::states:startExecution.sync",
        "arn:aws:states:::states:startExecution.sync:2",
        "arn:aws:states:::states:startExecution.waitForTaskToken"}) {
    EXPECT_TRUE(remote_->Handles(request(resource, &remote))) << resource;
    EXPECT_FALSE(remote_->Handles(request(resource, &local))) << resource;
  }
  EXPECT_FALSE(remote_->Handles(request("arn:aws:states:::lambda:invoke", &remote)));
  // Checks come with empty parameters: the child's ARN decides.
  json::Value empty = json::Object{};
  json::Value child =
      json::Object{{"ExecutionArn", std::string(kAccount) + ":execution:remote-train:abc"}};
  json::Value local_child =
      json::Object{{"ExecutionArn", std::string(kAccount) + ":execution:local-train:abc"}};
  engine::TaskRequest check = request("arn:aws:states:::states:startExecution.sync", &empty);
  check.submitted = &child;
  EXPECT_TRUE(remote_->Handles(check));
  check.submitted = &local_child;
  EXPECT_FALSE(remote_->Handles(check));
  // Callback checks read the local token store, which the TaskRouter does.
  engine::TaskRequest callback =
      request("arn:aws:states:::states:startExecution.waitForTaskToken", &empty);
  callback.submitted = &child;
  EXPECT_FALSE(remote_->Handles(callback));
}

TEST_F(RemoteStepFunctionsTest, StartExecutionReturnsTheLocalShapeAndTheChildRuns) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Start","States":{"Start":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-train") + R"(","Input":{"model.$":"$.model"}},"End":true}}})",
      json::Object{{"model", "creditcard"}});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kSucceeded)
      << parent.error.value_or("") << ": " << parent.cause.value_or("");
  const json::Object& output = parent.output->get_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : output) keys.emplace_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"ExecutionArn", "SdkHttpMetadata",
                                            "SdkResponseMetadata", "StartDate"}));
  const std::string arn(output.at("ExecutionArn").get_string());
  EXPECT_TRUE(arn.starts_with(std::string(kAccount) + ":execution:remote-train:")) << arn;
  EXPECT_TRUE(output.at("StartDate").is_int64());
  EXPECT_EQ(output.at("SdkHttpMetadata").at("HttpStatusCode"), 200);
  EXPECT_FALSE(output.at("SdkResponseMetadata").at("RequestId").get_string().empty());

  json::Object child = DescribeWhenDone(arn);
  EXPECT_EQ(child["status"], "SUCCEEDED");
  EXPECT_EQ(Parsed(child["input"].get_string()), Parsed(R"({"model":"creditcard"})"));
  EXPECT_EQ(Parsed(child["output"].get_string()),
            Parsed(R"({"trained":true,"got":{"model":"creditcard"}})"));
}

TEST_F(RemoteStepFunctionsTest, SyncWaitsForTheRemoteChildAndReturnsItsDescription) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Train","States":{"Train":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution.sync",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-train") + R"(","Input":{"run":1}},"End":true}}})",
      json::Object{});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kSucceeded)
      << parent.error.value_or("") << ": " << parent.cause.value_or("");
  const json::Object& description = parent.output->get_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : description) keys.emplace_back(key);
  // The local integration's fields, in its order.
  EXPECT_EQ(keys, (std::vector<std::string>{"ExecutionArn", "Input", "InputDetails", "Name",
                                            "Output", "OutputDetails", "StartDate",
                                            "StateMachineArn", "Status", "StopDate"}));
  EXPECT_EQ(description.at("Status"), "SUCCEEDED");
  EXPECT_EQ(description.at("StateMachineArn").get_string(), MachineArn("remote-train"));
  EXPECT_EQ(description.at("Input"), R"({"run":1})");  // JSON text with .sync
  EXPECT_EQ(Parsed(description.at("Output").get_string()),
            Parsed(R"({"trained":true,"got":{"run":1}})"));
  EXPECT_EQ(description.at("InputDetails").at("Included"), true);
  // The child held a second in its Wait: the task saw it RUNNING and checked again.
  EXPECT_GE(description.at("StopDate").to_number<int64_t>() -
                description.at("StartDate").to_number<int64_t>(),
            1000);
}

TEST_F(RemoteStepFunctionsTest, Sync2ReturnsInputAndOutputAsJson) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Train","States":{"Train":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution.sync:2",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-train") + R"(","Input":"{\"run\":2}","Name":"named-run"},
          "OutputPath":"$.Output","End":true}}})",
      json::Object{});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kSucceeded)
      << parent.error.value_or("") << ": " << parent.cause.value_or("");
  EXPECT_EQ(*parent.output, Parsed(R"({"trained":true,"got":{"run":2}})"));
  json::Object child =
      DescribeWhenDone(std::string(kAccount) + ":execution:remote-train:named-run");
  EXPECT_EQ(child["name"], "named-run");
}

TEST_F(RemoteStepFunctionsTest, SyncOnAFailingChildFailsTheTaskWithItsDescription) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Train","States":{"Train":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution.sync",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-reject") + R"("},"End":true}}})",
      json::Object{});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(parent.error.value_or(""), "States.TaskFailed");
  json::Value cause = Parsed(parent.cause.value_or(""));
  ASSERT_TRUE(cause.is_object()) << parent.cause.value_or("");
  EXPECT_EQ(cause.at("Status"), "FAILED");
  EXPECT_EQ(cause.at("Error"), "ModelTooBad");
  EXPECT_EQ(cause.at("Cause"), "accuracy 0.41 is below 0.80");
  EXPECT_EQ(cause.at("StateMachineArn").get_string(), MachineArn("remote-reject"));
  EXPECT_FALSE(cause.as_object().contains("Output"));
}

TEST_F(RemoteStepFunctionsTest, AMissingStateMachineIsStateMachineDoesNotExist) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Train","States":{"Train":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution.sync",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-missing") + R"("},"End":true}}})",
      json::Object{});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(parent.error.value_or(""), "StepFunctions.StateMachineDoesNotExistException");
  const std::string cause = parent.cause.value_or("");
  EXPECT_NE(cause.find(MachineArn("remote-missing")), std::string::npos) << cause;
  EXPECT_NE(cause.find("(Service: AWSStepFunctions; Status Code: 400; Error Code: "
                       "StateMachineDoesNotExist; Request ID: "),
            std::string::npos)
      << cause;
}

TEST_F(RemoteStepFunctionsTest, AnInputThatIsNotJsonIsRejectedByTheService) {
  engine::ExecutionResult parent = RunHere(
      R"({"StartAt":"Train","States":{"Train":{"Type":"Task",
          "Resource":"arn:aws:states:::states:startExecution",
          "Parameters":{"StateMachineArn":")" +
          MachineArn("remote-train") + R"(","Input":"{not json"},"End":true}}})",
      json::Object{});
  ASSERT_EQ(parent.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(parent.error.value_or(""), "StepFunctions.InvalidExecutionInputException");
}

TEST_F(RemoteStepFunctionsTest, RunningTheSameTaskAgainFindsTheChildItStarted) {
  json::Value params = json::Object{{"StateMachineArn", MachineArn("remote-train")},
                                    {"Input", json::Object{{"again", true}}}};
  engine::TaskRequest request{.resource = "arn:aws:states:::states:startExecution",
                              .parameters = &params,
                              .context = nullptr,
                              .state_name = "Start",
                              .execution_arn = "arn:parent-after-a-crash",
                              .timeout_seconds = std::nullopt,
                              .state_entered_event_id = 7};
  Result<json::Value> first = remote_->Invoke(request);
  ASSERT_TRUE(first.ok()) << first.error().cause;
  const std::string arn(first->at("ExecutionArn").get_string());
  EXPECT_EQ(DescribeWhenDone(arn)["status"], "SUCCEEDED");
  Result<json::Value> again = remote_->Invoke(request);  // the child has ended meanwhile
  ASSERT_TRUE(again.ok()) << again.error().error << ": " << again.error().cause;
  EXPECT_EQ(again->at("ExecutionArn").get_string(), arn);
  EXPECT_EQ(again->at("StartDate"), first->at("StartDate"));
  // Another run of the state (a new entered event) starts another child.
  request.state_entered_event_id = 8;
  Result<json::Value> other = remote_->Invoke(request);
  ASSERT_TRUE(other.ok()) << other.error().cause;
  EXPECT_NE(other->at("ExecutionArn").get_string(), arn);
}

TEST_F(RemoteStepFunctionsTest, WaitForTaskTokenRegistersTheTokenHereAndStartsRemotely) {
  json::Value params = json::Object{{"StateMachineArn", MachineArn("remote-train")},
                                    {"Input", json::Object{{"token", "tok-123"}}}};
  json::Value context = json::Object{{"Task", json::Object{{"Token", "tok-123"}}}};
  std::optional<TimePoint> check_again_at;
  engine::TaskRequest request{.resource = "arn:aws:states:::states:startExecution.waitForTaskToken",
                              .parameters = &params,
                              .context = &context,
                              .state_name = "Approve",
                              .execution_arn = "arn:parent",
                              .timeout_seconds = std::nullopt,
                              .check_again_at = &check_again_at};
  Result<json::Value> without = remote_->Invoke(request);
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.error().error, "States.Runtime");

  TokenLauncher launcher;
  remote_->set_launcher(&launcher);
  Result<json::Value> started = remote_->Invoke(request);
  ASSERT_TRUE(started.ok()) << started.error().error << ": " << started.error().cause;
  EXPECT_EQ(launcher.tokens, (std::vector<std::string>{"tok-123|arn:parent|Approve"}));
  EXPECT_TRUE(check_again_at.has_value());
  json::Object child = DescribeWhenDone(std::string(started->at("ExecutionArn").get_string()));
  EXPECT_EQ(Parsed(child["input"].get_string()), Parsed(R"({"token":"tok-123"})"));
}

TEST(RemoteStepFunctionsNoServerTest, AnUnreachableEndpointIsSdkClientException) {
  HttpClientOptions http;
  http.retry.max_attempts = 1;
  RemoteSelection all;
  all.all = true;
  RemoteStepFunctions remote(
      all, StatesEndpointAt("http://127.0.0.1:" + std::to_string(testing::UnusedPort())),
      StatesKeys(), http);
  json::Value params = json::Object{{"StateMachineArn", MachineArn("anything")}};
  engine::TaskRequest request{.resource = "arn:aws:states:::states:startExecution",
                              .parameters = &params,
                              .context = nullptr,
                              .state_name = "Start",
                              .execution_arn = "arn:parent",
                              .timeout_seconds = std::nullopt};
  Result<json::Value> result = remote.Invoke(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "StepFunctions.SdkClientException");
  EXPECT_NE(result.error().cause.find("HttpConnectionRefused"), std::string::npos)
      << result.error().cause;
}

TEST(RemoteStepFunctionsNoServerTest, SelectionPatterns) {
  RemoteSelection selection;
  selection.patterns = {"arn:aws:states:us-east-1:1:stateMachine:prod-*",
                        "arn:aws:states:us-east-1:1:stateMachine:exact"};
  EXPECT_TRUE(selection.Matches("arn:aws:states:us-east-1:1:stateMachine:prod-train"));
  EXPECT_TRUE(selection.Matches("arn:aws:states:us-east-1:1:stateMachine:exact"));
  EXPECT_FALSE(selection.Matches("arn:aws:states:us-east-1:1:stateMachine:exact2"));
  EXPECT_FALSE(selection.Matches("arn:aws:states:us-east-1:1:stateMachine:dev-train"));
  RemoteSelection star;
  star.patterns = {"*"};
  EXPECT_TRUE(star.Matches("anything"));
  EXPECT_FALSE(RemoteSelection().Matches("anything"));
}

}  // namespace
}  // namespace autoretrain::aws
