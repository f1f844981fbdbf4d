#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "autoretrain/integrations/function.h"
#include "integrations/test_util.h"

namespace autoretrain::integrations {
namespace {

using testing::TempDir;
using testing::WriteFile;

class CommandFunctionTest : public ::testing::Test {
 protected:
  // A function running `body` as a /bin/sh script.
  std::unique_ptr<Function> Script(const std::string& body, int timeout_seconds = 30) {
    std::string path = dir_ / ("script" + std::to_string(++scripts_) + ".sh");
    WriteFile(path, "#!/bin/sh\n" + body + "\n", 0755);
    CommandSpec spec;
    spec.argv = {path};
    spec.timeout_seconds = timeout_seconds;
    return MakeCommandFunction(std::move(spec));
  }

  // The errorMessage inside a function error's cause.
  static std::string MessageOf(const Error& error) {
    Result<json::Value> cause = json::Parse(error.cause);
    if (!cause.ok() || !cause->is_object()) return "<cause is not JSON: " + error.cause + ">";
    const json::Value* message = cause->get_object().if_contains("errorMessage");
    return message && message->is_string() ? std::string(message->get_string()) : "";
  }

  TempDir dir_;
  int scripts_ = 0;
};

json::Value ParseOrDie(std::string_view text) { return json::Parse(text).value(); }

TEST_F(CommandFunctionTest, EventOnStdinResultOnStdout) {
  auto function = Script("cat");
  json::Value event = ParseOrDie(R"({"run":"all","n":[1,2.5,null,true],"s":"é\"\n"})");
  Result<json::Value> result = function->Invoke(event);
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, event);
}

TEST_F(CommandFunctionTest, EnvironmentAndWorkingDirectory) {
  WriteFile(dir_ / "work/tool.sh",
            "#!/bin/sh\nprintf '{\"dir\":\"%s\",\"x\":\"%s\",\"path_set\":%s}' \"$(pwd)\" "
            "\"$AUTORETRAIN_X\" \"$( [ -n \"$PATH\" ] && echo true || echo false)\"\n",
            0755);
  CommandSpec spec;
  spec.argv = {"./tool.sh"};  // relative to working_dir
  spec.working_dir = dir_ / "work";
  spec.env = {{"AUTORETRAIN_X", "value with spaces"}};
  Result<json::Value> result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->at("dir"), json::Value(dir_ / "work"));
  EXPECT_EQ(result->at("x"), json::Value("value with spaces"));
  EXPECT_EQ(result->at("path_set"), json::Value(true));  // the inherited environment is kept
}

// Of our environment a command gets the default few (PATH, HOME, ...) and what its
// specification names; nothing else, so that no credential reaches it unasked.
TEST_F(CommandFunctionTest, OnlyTheNamedPartOfOurEnvironmentIsPassed) {
  setenv("AUTORETRAIN_TEST_SECRET", "hunter2", 1);
  setenv("AUTORETRAIN_TEST_PROFILE", "ml", 1);
  setenv("AUTORETRAIN_TEST_REGION", "eu-west-1", 1);
  auto seen = [](std::vector<std::string> inherit) {
    CommandSpec spec;
    spec.argv = {"sh", "-c",
                 R"(printf '["%s","%s","%s","%s"]' "$AUTORETRAIN_TEST_SECRET" )"
                 R"("$AUTORETRAIN_TEST_PROFILE" "$AUTORETRAIN_TEST_REGION" "$HOME")"};
    spec.inherit = std::move(inherit);
    Result<json::Value> result = MakeCommandFunction(spec)->Invoke(json::Object{});
    return result.ok() ? json::Serialize(*result) : result.error().cause;
  };
  const std::string home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
  EXPECT_EQ(seen({}), R"(["","","",")" + home + R"("])");
  EXPECT_EQ(seen({"AUTORETRAIN_TEST_PROFILE"}), R"(["","ml","",")" + home + R"("])");
  EXPECT_EQ(seen({"AUTORETRAIN_TEST_PRO*", "AUTORETRAIN_TEST_REGION"}),
            R"(["","ml","eu-west-1",")" + home + R"("])");
  EXPECT_EQ(seen({"*"}), R"(["hunter2","ml","eu-west-1",")" + home + R"("])");
  unsetenv("AUTORETRAIN_TEST_SECRET");
  unsetenv("AUTORETRAIN_TEST_PROFILE");
  unsetenv("AUTORETRAIN_TEST_REGION");
}

TEST_F(CommandFunctionTest, ArgumentsArePassedAndPathIsSearched) {
  CommandSpec spec;
  spec.argv = {"sh", "-c", "printf '[\"%s\",\"%s\"]' \"$0\" \"$1\"", "first", "second arg"};
  Result<json::Value> result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, ParseOrDie(R"(["first","second arg"])"));
}

TEST_F(CommandFunctionTest, ErrorObjectWithNonZeroExitUsesItsErrorType) {
  auto function =
      Script(R"js(echo '{"errorMessage":"An error occurred (NoSuchKey)","errorType":"NoSuchKey",)js"
             R"js("stackTrace":["  File \"x.py\", line 1"]}'; exit 1)js");
  Result<json::Value> result = function->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "NoSuchKey");
  EXPECT_EQ(result.error().cause,
            R"js({"errorMessage":"An error occurred (NoSuchKey)","errorType":"NoSuchKey",)js"
            R"js("stackTrace":["  File \"x.py\", line 1"]})js");
}

TEST_F(CommandFunctionTest, ErrorObjectWithZeroExitIsAFailureToo) {
  auto function = Script(R"(echo '{"errorType":"IndexError","errorMessage":"list index"}')");
  Result<json::Value> result = function->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "IndexError");
  EXPECT_EQ(result.error().cause,
            R"({"errorMessage":"list index","errorType":"IndexError","stackTrace":[]})");
}

TEST_F(CommandFunctionTest, CrashIsUnhandledWithExitStatusAndStderrTail) {
  std::string body;
  for (int i = 1; i <= 30; ++i) body += "echo 'log line " + std::to_string(i) + "' >&2\n";
  body += "echo 'Traceback: boom' >&2\nexit 3";
  Result<json::Value> result = Script(body)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Unhandled");
  std::string message = MessageOf(result.error());
  EXPECT_NE(message.find("Runtime exited with error: exit status 3"), std::string::npos) << message;
  EXPECT_NE(message.find("Traceback: boom"), std::string::npos) << message;
  EXPECT_NE(message.find("log line 30"), std::string::npos) << message;
  EXPECT_EQ(message.find("log line 5\n"), std::string::npos) << "only the last lines: " << message;
}

TEST_F(CommandFunctionTest, KilledBySignalIsUnhandled) {
  Result<json::Value> result = Script("kill -9 $$")->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Unhandled");
  EXPECT_NE(MessageOf(result.error()).find("signal 9 (SIGKILL)"), std::string::npos)
      << MessageOf(result.error());
}

TEST_F(CommandFunctionTest, NonZeroExitWithPlainStdoutIsUnhandled) {
  Result<json::Value> result = Script("echo '{\"ok\":true}'; exit 2")->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Unhandled");
}

TEST_F(CommandFunctionTest, TimeoutKillsTheWholeProcessGroup) {
  auto start = std::chrono::steady_clock::now();
  // The background sleep inherits stdout: only killing the group ends the run.
  Result<json::Value> result = Script("sleep 60 & sleep 60", 1)->Invoke(json::Object{});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Sandbox.Timedout");
  EXPECT_EQ(MessageOf(result.error()), "Task timed out after 1.00 seconds");
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST_F(CommandFunctionTest, TaskTimeoutStopsTheCommandWithStatesTimeout) {
  auto start = std::chrono::steady_clock::now();
  Result<json::Value> result = Script("sleep 60", 30)->InvokeWithin(json::Object{}, 1);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "States.Timeout");
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  // The function's own, tighter limit stays its Sandbox.Timedout.
  result = Script("sleep 60", 1)->InvokeWithin(json::Object{}, 5);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Sandbox.Timedout");
}

TEST_F(CommandFunctionTest, LeftoverProcessHoldingStdoutDoesNotDelayTheResult) {
  auto start = std::chrono::steady_clock::now();
  Result<json::Value> result = Script("sleep 60 &\necho '{\"a\":1}'", 30)->Invoke(json::Object{});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, ParseOrDie(R"({"a":1})"));
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST_F(CommandFunctionTest, LargeInputAndOutputDoNotDeadlock) {
  // 2 MB to stderr before reading a 2 MB event: both pipes must be serviced at once.
  auto function = Script("head -c 2000000 /dev/zero | tr '\\0' x >&2\ncat");
  json::Value event = json::Value(std::string(2'000'000, 'e'));
  Result<json::Value> result = function->Invoke(event);
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, event);
}

TEST_F(CommandFunctionTest, OutputJustUnderTheLimitIsAccepted) {
  auto function = Script("printf '\"'; head -c 6000000 /dev/zero | tr '\\0' a; printf '\"'");
  Result<json::Value> result = function->Invoke(json::Object{});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(result->as_string().size(), 6'000'000u);
}

TEST_F(CommandFunctionTest, OutputOverSixMegabytesFails) {
  auto function = Script("head -c 7000000 /dev/zero | tr '\\0' a; sleep 60");
  auto start = std::chrono::steady_clock::now();
  Result<json::Value> result = function->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Lambda.ResponseSizeTooLarge");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(CommandFunctionTest, CommandThatIgnoresItsInputStillSucceeds) {
  auto function = Script("exec 0<&-\necho '{}'");
  Result<json::Value> result = function->Invoke(json::Value(std::string(1'000'000, 'x')));
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, json::Value(json::Object{}));
}

TEST_F(CommandFunctionTest, EmptyStdoutIsNull) {
  Result<json::Value> result = Script("echo 'only a log' >&2")->Invoke(json::Object{});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_TRUE(result->is_null());
}

TEST_F(CommandFunctionTest, StdoutThatIsNotJsonIsAMarshalError) {
  Result<json::Value> result = Script("echo 'loading model...'\necho '{}'")->Invoke({});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Runtime.MarshalError");
  EXPECT_NE(MessageOf(result.error()).find("loading model..."), std::string::npos);
}

TEST_F(CommandFunctionTest, MissingExecutableIsNamed) {
  CommandSpec spec;
  spec.argv = {"autoretrain-no-such-command"};
  Result<json::Value> result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Runtime.InvalidEntrypoint");
  std::string message = MessageOf(result.error());
  EXPECT_NE(message.find("autoretrain-no-such-command"), std::string::npos) << message;
  EXPECT_NE(message.find("not found in PATH"), std::string::npos) << message;

  spec.argv = {dir_ / "missing.sh"};
  result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Runtime.InvalidEntrypoint");
  EXPECT_NE(MessageOf(result.error()).find("missing.sh"), std::string::npos);
}

TEST_F(CommandFunctionTest, NonExecutableFileAndBadWorkingDirFail) {
  WriteFile(dir_ / "plain.sh", "#!/bin/sh\necho '{}'\n", 0644);
  CommandSpec spec;
  spec.argv = {dir_ / "plain.sh"};
  Result<json::Value> result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Runtime.InvalidEntrypoint");
  EXPECT_NE(MessageOf(result.error()).find("Permission denied"), std::string::npos);

  spec.argv = {"sh", "-c", "echo '{}'"};
  spec.working_dir = dir_ / "no-such-dir";
  result = MakeCommandFunction(spec)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "Runtime.InvalidEntrypoint");
  EXPECT_NE(MessageOf(result.error()).find("no-such-dir"), std::string::npos);
}

TEST_F(CommandFunctionTest, StillReturnsWhenTheHostIgnoresSigchld) {
  // With SIGCHLD ignored the kernel reaps children itself; the run must still end at once
  // (the exit status is then unknown and read as 0).
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGCHLD, &ignore, &old);
  auto start = std::chrono::steady_clock::now();
  Result<json::Value> result = Script("echo '[1]'", 30)->Invoke(json::Object{});
  auto elapsed = std::chrono::steady_clock::now() - start;
  sigaction(SIGCHLD, &old, nullptr);
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(*result, ParseOrDie("[1]"));
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

size_t OpenFdCount() {
  size_t count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (readdir(dir) != nullptr) ++count;
  closedir(dir);
  return count;
}

TEST_F(CommandFunctionTest, ConcurrentRunsLeakNoDescriptorsOrZombies) {
  auto echo = Script("cat");
  auto fail = Script("echo oops >&2; exit 1");
  auto slow = Script("sleep 60", 1);
  size_t fds_before = OpenFdCount();
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 4; ++i) {
        json::Value event = json::Object{{"thread", t}, {"i", i}};
        Result<json::Value> ok = echo->Invoke(event);
        if (!ok.ok() || *ok != event) ++wrong;
        if (fail->Invoke(event).ok()) ++wrong;
      }
      if (t == 0 && slow->Invoke(json::Object{}).ok()) ++wrong;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(OpenFdCount(), fds_before);
  // Every child was reaped: this process has none left.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace autoretrain::integrations
