#include "autoretrain/retrain/decision.h"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "autoretrain/asl/parser.h"
#include "autoretrain/integrations/execution_service.h"
#include "autoretrain/integrations/task_router.h"
#include "autoretrain/retrain/project_template.h"
#include "integrations/test_util.h"

namespace autoretrain::retrain {
namespace {

using integrations::testing::TempDir;
using integrations::testing::WriteFile;

constexpr std::string_view kUri =
    "s3://mlops-creditcard/monitoring_outputs/retraining_decision/retraining_decision.csv";

class DecisionTest : public ::testing::Test {
 protected:
  DecisionTest() : store_(integrations::MakeLocalObjectStore(root_.path())) {
    WriteFile(root_ / "mlops-creditcard/.keep", "");
  }

  void WriteDecision(const std::string& contents, mode_t mode = 0644) {
    WriteFile(root_ / ("mlops-creditcard/" + config_.key), contents, mode);
  }

  Result<std::string> Read() {
    Result<Decision> decision = ReadDecision(*store_, config_);
    if (!decision.ok()) return decision.take_error();
    return decision->value;
  }

  // The error of reading `contents`, or {"<ok>", value}.
  Error ErrorFor(const std::string& contents) {
    WriteDecision(contents);
    Result<std::string> result = Read();
    return result.ok() ? Error{"<ok>", *result} : result.error();
  }

  TempDir root_;
  std::unique_ptr<integrations::ObjectStore> store_;
  DecisionConfig config_;
};

TEST_F(DecisionTest, ReadsYesAndNoLikeTheSeed) {
  struct Case {
    std::string contents, expected;
  } cases[] = {
      {"retraining_required\nYES\n", "YES"},
      {"retraining_required\nNO\n", "NO"},
      {"retraining_required\nyes\n", "YES"},
      {"retraining_required\n no \n", "NO"},
      {"retraining_required\n\tYes\r\n", "YES"},
      {"retraining_required\r\nNO\r\n", "NO"},
      {"\xEF\xBB\xBFretraining_required\nYES", "YES"},
      {"retraining_required,drift_score\nYES,0.42\nNO,0.1\n", "YES"},
      {"\"retraining_required\",\"note\"\n\" yes \",\"drift, severe\"\n", "YES"},
      {"h\n\"YES\"\n", "YES"},
      {"h\n\x0b\x0c\x1c YES\xc2\xa0\xe3\x80\x80\n", "YES"},  // Python's str.strip() set
      {"h\nye\xc5\xbf\n", "YES"},  // U+017F long s: Python's upper() gives 'S'
      {"\"multi\nline header\"\nno\n", "NO"},
  };
  for (const Case& c : cases) {
    Error error = ErrorFor(c.contents);
    EXPECT_EQ(error.error, "<ok>") << c.contents << ": " << error.cause;
    EXPECT_EQ(error.cause, c.expected) << c.contents;
  }
}

TEST_F(DecisionTest, MissingFileAndBucket) {
  Result<std::string> result = Read();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "NoSuchKey");
  EXPECT_NE(result.error().cause.find(kUri), std::string::npos) << result.error().cause;

  config_.bucket = "other-bucket";
  result = Read();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "NoSuchBucket");
}

TEST_F(DecisionTest, EmptyAndHeaderOnlyFilesHaveNoDataRow) {
  Error error = ErrorFor("");
  EXPECT_EQ(error.error, "DecisionFileEmpty");
  EXPECT_EQ(error.cause, std::string(kUri) +
                             " has no data row: expected a header row and a second row whose "
                             "first column is YES or NO (the file is empty)");
  error = ErrorFor("retraining_required\n");
  EXPECT_EQ(error.error, "DecisionFileEmpty");
  EXPECT_EQ(error.cause, std::string(kUri) +
                             " has no data row: expected a header row and a second row whose "
                             "first column is YES or NO (found 1 row)");
  EXPECT_EQ(ErrorFor("\xEF\xBB\xBF").error, "DecisionFileEmpty");
  error = ErrorFor("retraining_required\n\nYES\n");  // the seed's rows[1][0] fails here too
  EXPECT_EQ(error.error, "DecisionFileEmpty");
  EXPECT_NE(error.cause.find("(found 3 rows; row 2 is blank)"), std::string::npos) << error.cause;
}

TEST_F(DecisionTest, ValueWithoutHeaderSaysTheHeaderIsMissing) {
  Error error = ErrorFor("YES\n");
  EXPECT_EQ(error.error, "DecisionFileEmpty");
  EXPECT_NE(error.cause.find("(found 1 row); its only row is \"YES\": is the header row missing?"),
            std::string::npos)
      << error.cause;
}

TEST_F(DecisionTest, ValuesOtherThanYesOrNoAreQuoted) {
  Error error = ErrorFor("retraining_required\nMAYBE\n");
  EXPECT_EQ(error.error, "InvalidDecisionValue");
  EXPECT_EQ(error.cause, std::string(kUri) +
                             " row 2, column 1 is \"MAYBE\": expected YES or NO (case and "
                             "surrounding whitespace are ignored)");
  error = ErrorFor("retraining_required,score\n,0.9\n");
  EXPECT_EQ(error.error, "InvalidDecisionValue");
  EXPECT_NE(error.cause.find("row 2, column 1 is \"\" (empty): expected YES or NO"),
            std::string::npos)
      << error.cause;
  error = ErrorFor("h\n  \t \n");
  EXPECT_EQ(error.error, "InvalidDecisionValue");
  EXPECT_NE(error.cause.find("is \"  \\t \" (empty)"), std::string::npos) << error.cause;
  for (std::string value : {"Y", "TRUE", "1", "YES!", "Y E S", "ＹＥＳ", "\"NO\"x"}) {
    EXPECT_NE(ErrorFor("h\n" + value + "\n").error, "<ok>") << value;
  }
  error = ErrorFor("h\n" + std::string(500, 'z') + "\n");
  EXPECT_EQ(error.error, "InvalidDecisionValue");
  EXPECT_LT(error.cause.size(), 400u) << "long values are cut";
}

TEST_F(DecisionTest, MalformedFiles) {
  Error error = ErrorFor("retraining_required\n\"YES\n");
  EXPECT_EQ(error.error, "MalformedDecisionFile");
  EXPECT_NE(error.cause.find("is not valid CSV: the quoted field that starts on line 2"),
            std::string::npos)
      << error.cause;
  error = ErrorFor("retraining_required\nYES\xff\n");
  EXPECT_EQ(error.error, "MalformedDecisionFile");
  EXPECT_NE(error.cause.find("is not UTF-8 text: invalid byte 0xFF at offset 23"),
            std::string::npos)
      << error.cause;
  EXPECT_EQ(ErrorFor("h\nYES\xed\xa0\x80\n").error, "MalformedDecisionFile");  // a surrogate
  EXPECT_EQ(ErrorFor("h\nYES\xc0\xaf\n").error, "MalformedDecisionFile");      // overlong
}

TEST_F(DecisionTest, OversizedFileIsRefused) {
  config_.max_bytes = 64;
  EXPECT_EQ(ErrorFor("h\nYES\n" + std::string(58, ' ')).error, "<ok>");  // exactly 64 bytes
  Error error = ErrorFor("h\nYES\n" + std::string(59, ' '));
  EXPECT_EQ(error.error, "DecisionFileTooLarge");
  EXPECT_NE(error.cause.find("is larger than 64 bytes"), std::string::npos) << error.cause;
}

TEST_F(DecisionTest, UnreadableFileIsAccessDenied) {
  WriteDecision("h\nYES\n", 0000);
  if (::geteuid() != 0) {
    EXPECT_EQ(Read().error().error, "AccessDenied");
    return;
  }
  // Root ignores file modes: check from a child running as an unprivileged user.
  for (std::string dir = root_.path() + "/mlops-creditcard/" + config_.key;
       dir.size() > root_.path().size();) {
    dir = dir.substr(0, dir.rfind('/'));
    ::chmod(dir.c_str(), 0755);
  }
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    Result<std::string> result = Read();
    ::_exit(!result.ok() && result.error().error == "AccessDenied" ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 2) GTEST_SKIP() << "cannot switch to an unprivileged user here";
  EXPECT_EQ(WEXITSTATUS(status), 0) << "expected AccessDenied";
}

TEST_F(DecisionTest, FunctionReturnsTheSeedsResultShape) {
  WriteDecision("retraining_required\n yes\n");
  auto function = MakeDecisionFunction(*store_, config_);
  Result<json::Value> result = function->Invoke(json::Object{});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result), R"({"retraining_required":"YES"})");
  result = function->Invoke(json::Value(nullptr));  // the seed's handler ignores its event
  ASSERT_TRUE(result.ok());
}

TEST_F(DecisionTest, FunctionEventCanChooseTheObject) {
  WriteFile(root_ / "other/decisions/model-a.csv", "decision\nno\n");
  auto function = MakeDecisionFunction(*store_, config_);
  Result<json::Value> result =
      function->Invoke(json::Object{{"bucket", "other"}, {"key", "decisions/model-a.csv"}});
  ASSERT_TRUE(result.ok()) << result.error().cause;
  EXPECT_EQ(json::Serialize(*result), R"({"retraining_required":"NO"})");

  result = function->Invoke(json::Object{{"bucket", 42}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "InvalidDecisionRequest");
}

TEST_F(DecisionTest, FunctionErrorsAreLambdaErrorObjects) {
  WriteDecision("retraining_required\n");
  Result<json::Value> result = MakeDecisionFunction(*store_, config_)->Invoke(json::Object{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().error, "DecisionFileEmpty");
  Result<json::Value> cause = json::Parse(result.error().cause);
  ASSERT_TRUE(cause.ok()) << result.error().cause;
  EXPECT_EQ(cause->at("errorType"), json::Value("DecisionFileEmpty"));
  EXPECT_NE(std::string(cause->at("errorMessage").as_string()).find("has no data row"),
            std::string::npos);
  EXPECT_EQ(cause->at("stackTrace"), json::Value(json::Array{}));
}

// The seed's trigger definition (as bundled in the starter project) with the built-in decision
// function, the local store and a nested pipeline execution: the issue's main flow in-process.
class SeedTriggerTest : public DecisionTest {
 protected:
  SeedTriggerTest()
      : router_(functions_, clock_),
        executor_(router_, clock_, nullptr),
        executions_(executor_, AccountContext{}, nullptr) {
    functions_.Register("check_retraining_decision", MakeDecisionFunction(*store_, config_));
    router_.set_launcher(&executions_);
    pipeline_arn_ = executions_.AddStateMachine(
        "creditcard-training-pipeline",
        Compile(R"({"StartAt":"Train","States":{"Train":{"Type":"Pass","End":true}}})"));
    std::string trigger;
    for (const EmbeddedFile& file : ProjectTemplateFiles()) {
      if (file.path == "state_machines/retraining_trigger.asl.json") trigger = file.contents;
    }
    size_t placeholder = trigger.find("PASTE_YOUR_MAIN_PIPELINE_ARN_HERE");
    if (placeholder != std::string::npos) {
      trigger.replace(placeholder, std::string_view("PASTE_YOUR_MAIN_PIPELINE_ARN_HERE").size(),
                      pipeline_arn_);
    }
    trigger_arn_ =
        executions_.AddStateMachine("creditcard-auto-retraining-trigger", Compile(trigger));
  }

  static std::shared_ptr<const asl::StateMachine> Compile(std::string_view definition) {
    asl::CompileResult compiled = asl::CompileText(definition);
    if (auto* problems = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
      ADD_FAILURE() << problems->front().ToString();
      return nullptr;
    }
    return std::get<std::shared_ptr<const asl::StateMachine>>(compiled);
  }

  engine::ExecutionResult RunTrigger() {
    Result<engine::ExecutionResult> result = executions_.RunSync(trigger_arn_, json::Object{}, "");
    EXPECT_TRUE(result.ok()) << result.error().cause;
    executions_.WaitAll();
    return result.ok() ? *result : engine::ExecutionResult{};
  }

  integrations::FunctionRegistry functions_;
  SystemClock clock_;
  integrations::TaskRouter router_;
  engine::Executor executor_;
  integrations::ExecutionService executions_;
  std::string pipeline_arn_, trigger_arn_;
};

TEST_F(SeedTriggerTest, YesStartsThePipelineWithTheSeedsInput) {
  WriteDecision("retraining_required\n yes \n");
  engine::ExecutionResult trigger = RunTrigger();
  ASSERT_EQ(trigger.status, engine::ExecutionStatus::kSucceeded)
      << trigger.error.value_or("") << ": " << trigger.cause.value_or("");
  std::vector<std::string> started = executions_.StartedExecutions();
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(trigger.output->at("ExecutionArn"), json::Value(started[0]));
  std::optional<engine::ExecutionResult> pipeline = executions_.Find(started[0]);
  ASSERT_TRUE(pipeline.has_value());
  EXPECT_EQ(pipeline->status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*pipeline->output),
            R"({"run":"all","triggered_by":"monitoring","reason":"auto_retraining"})");
}

TEST_F(SeedTriggerTest, NoEndsWithoutStartingThePipeline) {
  WriteDecision("retraining_required\r\nNO\r\n");
  engine::ExecutionResult trigger = RunTrigger();
  ASSERT_EQ(trigger.status, engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(json::Serialize(*trigger.output), R"({"decision":{"decision":"NO"}})");
  EXPECT_TRUE(executions_.StartedExecutions().empty());
}

TEST_F(SeedTriggerTest, BadDecisionFileFailsTheExecutionWithItsErrorName) {
  WriteDecision("retraining_required\n");
  engine::ExecutionResult trigger = RunTrigger();
  EXPECT_EQ(trigger.status, engine::ExecutionStatus::kFailed);
  EXPECT_EQ(trigger.error, "DecisionFileEmpty");
  EXPECT_TRUE(executions_.StartedExecutions().empty());
}

}  // namespace
}  // namespace autoretrain::retrain
