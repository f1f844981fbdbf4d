// Conformance runner: discovers every case file tests/conformance/<area>/<case>.json at run time
// and registers one GoogleTest test per case, named <area>.<case>. The case format is described
// in tests/conformance/README.md.
//
// Each case compiles its definition with asl::Compile and, unless it expects validation
// diagnostics, runs it once through engine::Executor with a deterministic clock
// (2026-01-01T00:00:00.000Z) and the execution/state machine name "conformance". Task states are
// answered by mocked results (by state name and invocation order) or, when the case declares
// functions or state machines, by the real integrations::TaskRouter with canned functions and
// ExecutionService.
//
// The runner reads case files with Boost.JSON directly, so its own plumbing does not depend on
// the JSON layer under test.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "autoretrain/asl/parser.h"
#include "autoretrain/asl/state_machine.h"
#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/engine/executor.h"
#include "autoretrain/engine/observer.h"
#include "autoretrain/engine/task_handler.h"
#include "autoretrain/integrations/execution_service.h"
#include "autoretrain/integrations/function.h"
#include "autoretrain/integrations/task_router.h"

namespace autoretrain {
namespace {

namespace fs = std::filesystem;
namespace bj = boost::json;

constexpr char kName[] = "conformance";
constexpr char kRoleArn[] = "arn:aws:iam::123456789012:role/service-role/conformance";
// 2026-01-01T00:00:00.000Z
constexpr int64_t kStartEpochMillis = 1767225600000;
// A case that has not finished after this long is reported and the process exits, so that an
// engine bug cannot hang the whole suite.
constexpr std::chrono::seconds kCaseTimeout{60};

const std::set<std::string>& KnownCaseKeys() {
  static const std::set<std::string> keys = {"doc",
                                             "comment",
                                             "definition",
                                             "definition_text",
                                             "input",
                                             "tasks",
                                             "functions",
                                             "state_machines",
                                             "expect",
                                             "expect_task_parameters",
                                             "expect_function_events",
                                             "expect_events",
                                             "expect_executions",
                                             "expect_output_ignore",
                                             "expect_output_patterns"};
  return keys;
}

std::string Show(const bj::value& v) { return bj::serialize(v); }

// ---------------------------------------------------------------------------------------------
// JSON comparison: structural, with numbers compared by value (1 equals 1.0).

bool JsonEqual(const bj::value& a, const bj::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    const bj::value& s = a.is_int64() ? a : b;  // one int64, one uint64
    const bj::value& u = a.is_int64() ? b : a;
    return s.get_int64() >= 0 && static_cast<uint64_t>(s.get_int64()) == u.get_uint64();
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case bj::kind::null:
      return true;
    case bj::kind::bool_:
      return a.get_bool() == b.get_bool();
    case bj::kind::string:
      return a.get_string() == b.get_string();
    case bj::kind::array: {
      const auto& x = a.get_array();
      const auto& y = b.get_array();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!JsonEqual(x[i], y[i])) return false;
      }
      return true;
    }
    case bj::kind::object: {
      const auto& x = a.get_object();
      const auto& y = b.get_object();
      if (x.size() != y.size()) return false;
      for (const auto& [key, value] : x) {
        const bj::value* other = y.if_contains(key);
        if (other == nullptr || !JsonEqual(value, *other)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// A minimal reference path ($, .name, ['name'], [n]) for expect_output_ignore/patterns; kept
// separate from the JSONPath implementation under test.

using PathStep = std::variant<std::string, size_t>;

std::optional<std::vector<PathStep>> ParseSimplePath(const std::string& text) {
  if (text.empty() || text[0] != '$') return std::nullopt;
  std::vector<PathStep> steps;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      size_t j = i + 1;
      while (j < text.size() && text[j] != '.' && text[j] != '[') ++j;
      if (j == i + 1) return std::nullopt;
      steps.emplace_back(text.substr(i + 1, j - i - 1));
      i = j;
    } else if (text[i] == '[') {
      size_t close = text.find(']', i);
      if (close == std::string::npos) return std::nullopt;
      std::string inner = text.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && inner.front() == '\'' && inner.back() == '\'') {
        steps.emplace_back(inner.substr(1, inner.size() - 2));
      } else if (!inner.empty() && std::all_of(inner.begin(), inner.end(), ::isdigit)) {
        steps.emplace_back(static_cast<size_t>(std::stoull(inner)));
      } else {
        return std::nullopt;
      }
      i = close + 1;
    } else {
      return std::nullopt;
    }
  }
  return steps;
}

bj::value* Navigate(bj::value& root, const std::vector<PathStep>& steps, bool create_last) {
  bj::value* node = &root;
  for (size_t k = 0; k < steps.size(); ++k) {
    const bool last = k + 1 == steps.size();
    if (const auto* key = std::get_if<std::string>(&steps[k])) {
      if (!node->is_object()) return nullptr;
      bj::value* next = node->get_object().if_contains(*key);
      if (next == nullptr) {
        if (!(last && create_last)) return nullptr;
        next = &node->get_object()[*key];
      }
      node = next;
    } else {
      size_t index = std::get<size_t>(steps[k]);
      if (!node->is_array() || index >= node->get_array().size()) return nullptr;
      node = &node->get_array()[index];
    }
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Test doubles that are plumbing, not engine logic: a thread-safe manual clock, the event
// recorder, the task handler that answers mocked states and records parameters, and canned
// functions for the real TaskRouter.

class LockedManualClock final : public Clock {
 public:
  explicit LockedManualClock(TimePoint start) : now_(start) {}
  TimePoint Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void SleepUntil(TimePoint deadline) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (deadline > now_) now_ = deadline;
  }
  void WaitUntil(std::unique_lock<std::mutex>&, std::condition_variable&,
                 TimePoint deadline) override {
    SleepUntil(deadline);
  }

 private:
  std::mutex mu_;
  TimePoint now_;
};

class RecordingObserver final : public engine::Observer {
 public:
  void OnEvent(std::string_view execution_arn, const engine::HistoryEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_[std::string(execution_arn)].push_back(event.type);
  }
  std::vector<std::string> Types(const std::string& execution_arn) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = events_.find(execution_arn);
    return it == events_.end() ? std::vector<std::string>{} : it->second;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<std::string>> events_;
};

// One scripted answer: {"result": X} | {"error": E, "cause": C} | {"echo": true}.
Result<json::Value> ScriptedAnswer(const bj::value& answer, const bj::value& received,
                                   bool function_error) {
  const bj::object& o = answer.as_object();
  if (const bj::value* r = o.if_contains("result")) return *r;
  if (const bj::value* echo = o.if_contains("echo"); echo && echo->is_bool() && echo->get_bool()) {
    return received;
  }
  std::string error, detail;
  if (const bj::value* e = o.if_contains("error"); e && e->is_string()) error = e->get_string();
  const char* detail_key = function_error ? "message" : "cause";
  if (const bj::value* c = o.if_contains(detail_key); c && c->is_string()) detail = c->get_string();
  if (function_error) return integrations::FunctionError(error, detail);
  return Error{error, detail};
}

// A list of answers consumed in order; the last one repeats.
class Script {
 public:
  explicit Script(const bj::value& spec) {
    if (spec.is_array()) {
      for (const auto& a : spec.get_array()) answers_.push_back(a);
    } else {
      answers_.push_back(spec);
    }
  }
  const bj::value& Next() {
    const bj::value& a = answers_[std::min(next_, answers_.size() - 1)];
    ++next_;
    return a;
  }

 private:
  std::vector<bj::value> answers_;
  size_t next_ = 0;
};

class CannedFunction final : public integrations::Function {
 public:
  CannedFunction(const bj::value& spec, std::mutex* mu, std::vector<bj::value>* events)
      : script_(spec), mu_(mu), events_(events) {}
  Result<json::Value> Invoke(const json::Value& event) override {
    std::lock_guard<std::mutex> lock(*mu_);
    events_->push_back(event);
    return ScriptedAnswer(script_.Next(), event, /*function_error=*/true);
  }

 private:
  Script script_;
  std::mutex* mu_;
  std::vector<bj::value>* events_;
};

class CaseTaskHandler final : public engine::TaskHandler {
 public:
  CaseTaskHandler(const bj::object* tasks, engine::TaskHandler* fallback) : fallback_(fallback) {
    if (tasks != nullptr) {
      for (const auto& [state, spec] : *tasks) scripts_.emplace(std::string(state), Script(spec));
    }
  }

  Result<json::Value> Invoke(const engine::TaskRequest& request) override {
    const bj::value params = request.parameters ? *request.parameters : bj::value(nullptr);
    {
      std::lock_guard<std::mutex> lock(mu_);
      parameters_[std::string(request.state_name)].push_back(params);
      auto it = scripts_.find(std::string(request.state_name));
      if (it != scripts_.end()) return ScriptedAnswer(it->second.Next(), params, false);
    }
    if (fallback_ != nullptr) return fallback_->Invoke(request);
    return Error{"Conformance.NoMock", "the case has no mocked result for Task state '" +
                                           std::string(request.state_name) + "'"};
  }

  std::map<std::string, std::vector<bj::value>> parameters() const {
    std::lock_guard<std::mutex> lock(mu_);
    return parameters_;
  }

 private:
  engine::TaskHandler* fallback_;
  mutable std::mutex mu_;
  std::map<std::string, Script> scripts_;
  std::map<std::string, std::vector<bj::value>> parameters_;
};

// ---------------------------------------------------------------------------------------------
// One case.

struct Outcome {
  engine::ExecutionResult result;
  std::string execution_arn;
  std::vector<std::string> event_types;
  std::map<std::string, std::vector<bj::value>> task_parameters;
  std::map<std::string, std::vector<bj::value>> function_events;
  struct Child {
    std::string arn;
    std::optional<engine::ExecutionResult> result;
  };
  std::vector<Child> children;
};

class ConformanceCase : public testing::Test {
 public:
  ConformanceCase(fs::path file, bj::value spec, std::string load_error)
      : file_(std::move(file)), spec_(std::move(spec)), load_error_(std::move(load_error)) {}

  void TestBody() override {
    ASSERT_TRUE(load_error_.empty()) << load_error_;
    const bj::object& c = spec_.as_object();
    for (const auto& [key, value] : c) {
      ASSERT_TRUE(KnownCaseKeys().count(std::string(key)))
          << "unknown key '" << key << "' in case " << file_;
    }
    const bj::value* doc = c.if_contains("doc");
    ASSERT_TRUE(doc && doc->is_string() && !doc->get_string().empty())
        << "every case must say which AWS behaviour it checks in \"doc\"";
    const bj::value* expect = c.if_contains("expect");
    ASSERT_TRUE(expect && expect->is_object()) << "missing \"expect\" object";
    const bj::object& e = expect->get_object();

    asl::CompileResult compiled = CompileDefinition(c);
    if (const bj::value* v = e.if_contains("validation")) {
      CheckValidation(compiled, *v, e);
      return;
    }
    if (auto* diags = std::get_if<std::vector<asl::Diagnostic>>(&compiled)) {
      std::string all;
      for (const auto& d : *diags) all += "\n  " + d.ToString();
      FAIL() << "definition was rejected:" << all;
    }
    auto machine = std::get<std::shared_ptr<const asl::StateMachine>>(compiled);
    ASSERT_TRUE(machine != nullptr);
    if (const bj::value* valid = e.if_contains("valid")) {
      ASSERT_TRUE(valid->is_bool() && valid->get_bool()) << "\"valid\" must be true";
      return;  // compile-only case
    }

    Outcome out;
    ASSERT_NO_FATAL_FAILURE(Run(c, machine, &out));
    CheckResult(c, e, out);
  }

 private:
  asl::CompileResult CompileDefinition(const bj::object& c) {
    if (const bj::value* text = c.if_contains("definition_text")) {
      return asl::CompileText(std::string(text->as_string()));
    }
    const bj::value* def = c.if_contains("definition");
    if (def == nullptr) return std::vector<asl::Diagnostic>{{"CONFORMANCE", "", "no definition"}};
    return asl::Compile(*def);
  }

  // ---- validation ----------------------------------------------------------------------------

  static bool Matches(const asl::Diagnostic& d, const bj::object& want) {
    if (const bj::value* code = want.if_contains("code")) {
      if (d.code != code->as_string()) return false;
    }
    if (const bj::value* loc = want.if_contains("location")) {
      if (d.location != loc->as_string()) return false;
    }
    if (const bj::value* prefix = want.if_contains("location_prefix")) {
      if (d.location.rfind(std::string(prefix->as_string()), 0) != 0) return false;
    }
    if (const bj::value* m = want.if_contains("message_contains")) {
      if (d.message.find(std::string(m->as_string())) == std::string::npos) return false;
    }
    return true;
  }

  void CheckValidation(const asl::CompileResult& compiled, const bj::value& wanted,
                       const bj::object& e) {
    const auto* diags = std::get_if<std::vector<asl::Diagnostic>>(&compiled);
    ASSERT_NE(diags, nullptr) << "the definition was accepted, but diagnostics were expected: "
                              << Show(wanted);
    ASSERT_FALSE(diags->empty()) << "rejected with an empty diagnostics list";
    std::string all;
    for (const auto& d : *diags) {
      all += "\n  " + d.ToString();
      EXPECT_FALSE(d.code.empty()) << "diagnostic without a code: " << d.ToString();
      EXPECT_FALSE(d.message.empty()) << "diagnostic without a message: " << d.ToString();
    }
    ASSERT_TRUE(wanted.is_array()) << "\"validation\" must be an array";
    for (const auto& w : wanted.get_array()) {
      ASSERT_TRUE(w.is_object());
      bool found = std::any_of(diags->begin(), diags->end(), [&](const asl::Diagnostic& d) {
        return Matches(d, w.get_object());
      });
      EXPECT_TRUE(found) << "no reported diagnostic matches " << Show(w) << "; reported:" << all;
    }
    if (const bj::value* only = e.if_contains("only"); only && only->as_bool()) {
      EXPECT_EQ(diags->size(), wanted.get_array().size())
          << "\"only\": exactly the listed diagnostics were expected; reported:" << all;
    }
  }

  // ---- execution -----------------------------------------------------------------------------

  void Run(const bj::object& c, std::shared_ptr<const asl::StateMachine> machine, Outcome* out) {
    const bj::value input = c.if_contains("input") ? c.at("input") : bj::value(bj::object{});
    const bj::object* tasks = nullptr;
    if (const bj::value* t = c.if_contains("tasks")) {
      ASSERT_TRUE(t->is_object()) << "\"tasks\" must be an object";
      tasks = &t->get_object();
    }
    const bool use_router = c.contains("functions") || c.contains("state_machines");
    AccountContext account;
    LockedManualClock clock{TimePoint(std::chrono::milliseconds(kStartEpochMillis))};
    RecordingObserver observer;

    // Declared in dependency order so that destruction (reverse order) first joins child
    // executions (ExecutionService), then tears down what they used.
    integrations::FunctionRegistry registry;
    std::mutex function_mu;
    std::map<std::string, std::vector<bj::value>> function_events;
    if (const bj::value* fns = c.if_contains("functions")) {
      ASSERT_TRUE(fns->is_object()) << "\"functions\" must be an object";
      for (const auto& [name, spec] : fns->get_object()) {
        registry.Register(std::string(name),
                          std::make_unique<CannedFunction>(spec, &function_mu,
                                                           &function_events[std::string(name)]));
      }
    }
    integrations::TaskRouter router(registry, clock, account);
    CaseTaskHandler handler(tasks, use_router ? &router : nullptr);
    engine::Executor executor(handler, clock, &observer, account);
    integrations::ExecutionService local(executor, account, nullptr);
    router.set_launcher(&local);

    if (const bj::value* sms = c.if_contains("state_machines")) {
      ASSERT_TRUE(sms->is_object()) << "\"state_machines\" must be an object";
      for (const auto& [name, def] : sms->get_object()) {
        asl::CompileResult child = asl::Compile(def);
        auto* diags = std::get_if<std::vector<asl::Diagnostic>>(&child);
        ASSERT_EQ(diags, nullptr) << "state machine '" << name << "' was rejected: "
                                  << (diags && !diags->empty() ? (*diags)[0].ToString() : "");
        local.AddStateMachine(std::string(name),
                              std::get<std::shared_ptr<const asl::StateMachine>>(child));
      }
    }

    // Watchdog: an engine that never finishes must not hang the suite.
    std::mutex done_mu;
    std::condition_variable done_cv;
    bool done = false;
    std::string case_name = file_.string();
    std::thread watchdog([&] {
      std::unique_lock<std::mutex> lock(done_mu);
      if (!done_cv.wait_for(lock, kCaseTimeout, [&] { return done; })) {
        std::cerr << "conformance case " << case_name << " did not finish within "
                  << kCaseTimeout.count() << "s; aborting the run" << std::endl;
        std::_Exit(3);
      }
    });
    auto finish = [&] {
      {
        std::lock_guard<std::mutex> lock(done_mu);
        done = true;
      }
      done_cv.notify_all();
      watchdog.join();
    };

    if (use_router) {
      std::string arn = local.AddStateMachine(kName, machine);
      Result<engine::ExecutionResult> r = local.RunSync(arn, input, kName);
      local.WaitAll();
      finish();
      ASSERT_TRUE(r.ok()) << "RunSync failed: " << r.error().error << ": " << r.error().cause;
      out->result = std::move(r.value());
      for (const std::string& child_arn : local.StartedExecutions()) {
        out->children.push_back({child_arn, local.Find(child_arn)});
      }
    } else {
      engine::ExecutionSpec spec;
      spec.state_machine_arn = StateMachineArn(account, kName);
      spec.state_machine_name = kName;
      spec.execution_name = kName;
      spec.role_arn = kRoleArn;
      spec.input = input;
      out->result = executor.Run(*machine, spec);
      finish();
    }
    out->execution_arn = ExecutionArn(account, kName, kName);
    out->event_types = observer.Types(out->execution_arn);
    out->task_parameters = handler.parameters();
    {
      std::lock_guard<std::mutex> lock(function_mu);
      out->function_events = function_events;
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  void CheckResult(const bj::object& c, const bj::object& e, const Outcome& out) {
    const engine::ExecutionResult& r = out.result;
    const std::string status = engine::ExecutionStatusName(r.status);
    const bj::value* want_status = e.if_contains("status");
    ASSERT_TRUE(want_status && want_status->is_string()) << "\"expect\" needs \"status\"";
    std::string detail = "status " + status;
    if (r.error) detail += ", error '" + *r.error + "'";
    if (r.cause) detail += ", cause '" + *r.cause + "'";
    if (r.output) detail += ", output " + Show(*r.output);
    EXPECT_EQ(status, std::string(want_status->get_string())) << detail;

    EXPECT_EQ(r.execution_arn, out.execution_arn) << "execution ARN";

    if (const bj::value* want = e.if_contains("output")) {
      if (!r.output) {
        ADD_FAILURE() << "no output; " << detail;
      } else {
        CheckOutput(c, *r.output, *want);
      }
    }
    if (const bj::value* want = e.if_contains("error")) {
      EXPECT_EQ(r.error.value_or("<none>"), std::string(want->as_string())) << detail;
    }
    if (const bj::value* want = e.if_contains("cause")) {
      EXPECT_EQ(r.cause.value_or("<none>"), std::string(want->as_string())) << detail;
    }
    if (const bj::value* want = e.if_contains("cause_contains")) {
      EXPECT_NE(r.cause.value_or("").find(std::string(want->as_string())), std::string::npos)
          << "cause should contain '" << want->as_string() << "'; " << detail;
    }
    if (const bj::value* want = e.if_contains("cause_pattern")) {
      std::regex re(std::string(want->as_string()));
      EXPECT_TRUE(std::regex_search(r.cause.value_or(""), re))
          << "cause should match /" << want->as_string() << "/; " << detail;
    }

    if (const bj::value* want = c.if_contains("expect_task_parameters")) {
      for (const auto& [state, calls] : want->as_object()) {
        auto it = out.task_parameters.find(std::string(state));
        bj::array got;
        if (it != out.task_parameters.end()) {
          for (const auto& p : it->second) got.push_back(p);
        }
        EXPECT_TRUE(JsonEqual(got, calls))
            << "parameters received by Task state '" << state << "'\n  expected: " << Show(calls)
            << "\n  actual:   " << Show(got);
      }
    }
    if (const bj::value* want = c.if_contains("expect_function_events")) {
      for (const auto& [name, events] : want->as_object()) {
        auto it = out.function_events.find(std::string(name));
        bj::array got;
        if (it != out.function_events.end()) {
          for (const auto& p : it->second) got.push_back(p);
        }
        EXPECT_TRUE(JsonEqual(got, events))
            << "events received by function '" << name << "'\n  expected: " << Show(events)
            << "\n  actual:   " << Show(got);
      }
    }
    if (const bj::value* want = c.if_contains("expect_events")) {
      bj::array got;
      for (const auto& t : out.event_types) got.emplace_back(t);
      EXPECT_TRUE(JsonEqual(got, *want))
          << "history event types\n  expected: " << Show(*want) << "\n  actual:   " << Show(got);
    }
    if (const bj::value* want = c.if_contains("expect_executions")) {
      CheckChildren(want->as_array(), out);
    }
  }

  void CheckChildren(const bj::array& want, const Outcome& out) {
    ASSERT_EQ(out.children.size(), want.size()) << "number of executions started by the run";
    for (size_t i = 0; i < want.size(); ++i) {
      const bj::object& w = want[i].as_object();
      const Outcome::Child& child = out.children[i];
      if (const bj::value* arn = w.if_contains("execution_arn")) {
        EXPECT_EQ(child.arn, std::string(arn->as_string())) << "started execution #" << i;
      }
      if (const bj::value* pattern = w.if_contains("execution_arn_pattern")) {
        EXPECT_TRUE(std::regex_match(child.arn, std::regex(std::string(pattern->as_string()))))
            << "started execution #" << i << " ARN " << child.arn;
      }
      ASSERT_TRUE(child.result.has_value()) << "started execution " << child.arn << " unknown";
      const engine::ExecutionResult& r = *child.result;
      if (const bj::value* sm = w.if_contains("state_machine")) {
        EXPECT_EQ(r.state_machine_arn, StateMachineArn(AccountContext{}, sm->as_string()))
            << "state machine of " << child.arn;
      }
      if (const bj::value* name = w.if_contains("name")) {
        EXPECT_EQ(r.name, std::string(name->as_string())) << "name of " << child.arn;
      }
      if (const bj::value* s = w.if_contains("status")) {
        EXPECT_EQ(std::string(engine::ExecutionStatusName(r.status)), std::string(s->as_string()))
            << "status of " << child.arn << (r.error ? " error " + *r.error : "")
            << (r.cause ? " cause " + *r.cause : "");
      }
      if (const bj::value* in = w.if_contains("input")) {
        EXPECT_TRUE(JsonEqual(r.input, *in))
            << "input of " << child.arn << "\n  expected: " << Show(*in)
            << "\n  actual:   " << Show(r.input);
      }
      if (const bj::value* o = w.if_contains("output")) {
        EXPECT_TRUE(r.output && JsonEqual(*r.output, *o))
            << "output of " << child.arn << "\n  expected: " << Show(*o)
            << "\n  actual:   " << (r.output ? Show(*r.output) : "<none>");
      }
      if (const bj::value* err = w.if_contains("error")) {
        EXPECT_EQ(r.error.value_or("<none>"), std::string(err->as_string()));
      }
    }
  }

  void CheckOutput(const bj::object& c, const bj::value& actual_in, const bj::value& expected_in) {
    bj::value actual = actual_in;
    bj::value expected = expected_in;
    const bj::value sentinel("<checked separately>");
    if (const bj::value* ignore = c.if_contains("expect_output_ignore")) {
      for (const auto& p : ignore->as_array()) {
        std::string text(p.as_string());
        auto steps = ParseSimplePath(text);
        ASSERT_TRUE(steps) << "bad path in expect_output_ignore: " << text;
        bj::value* node = Navigate(actual, *steps, false);
        EXPECT_NE(node, nullptr) << "output has no " << text << ": " << Show(actual_in);
        if (node == nullptr) continue;
        *node = sentinel;
        if (bj::value* en = Navigate(expected, *steps, true)) *en = sentinel;
      }
    }
    if (const bj::value* patterns = c.if_contains("expect_output_patterns")) {
      for (const auto& [path, pattern] : patterns->as_object()) {
        std::string text(path);
        auto steps = ParseSimplePath(text);
        ASSERT_TRUE(steps) << "bad path in expect_output_patterns: " << text;
        bj::value* node = Navigate(actual, *steps, false);
        EXPECT_NE(node, nullptr) << "output has no " << text << ": " << Show(actual_in);
        if (node == nullptr) continue;
        EXPECT_TRUE(node->is_string() &&
                    std::regex_match(std::string(node->get_string()),
                                     std::regex(std::string(pattern.as_string()))))
            << text << " = " << Show(*node) << " does not match /" << pattern.as_string() << "/";
        *node = sentinel;
        if (bj::value* en = Navigate(expected, *steps, true)) *en = sentinel;
      }
    }
    EXPECT_TRUE(JsonEqual(actual, expected))
        << "output\n  expected: " << Show(expected_in) << "\n  actual:   " << Show(actual_in);
  }

  fs::path file_;
  bj::value spec_;
  std::string load_error_;
};

// ---------------------------------------------------------------------------------------------
// Discovery and registration (at static-initialization time, before gtest_main runs).

std::string SanitizeName(std::string s) {
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') ch = '_';
  }
  return s;
}

fs::path ConformanceDir() {
  if (const char* env = std::getenv("AUTORETRAIN_CONFORMANCE_DIR"); env && *env) return env;
  return AUTORETRAIN_CONFORMANCE_DIR;
}

int RegisterCases() {
  const fs::path root = ConformanceDir();
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    // dynamodb/ holds DynamoDB API cases (another format), run by integrations_test and
    // aws_test (src/integrations/dynamodb_case_reader.h).
    if (it->is_directory() &&
        (it->path().filename() == "tools" || it->path().filename() == "dynamodb")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".json") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    testing::RegisterTest("Conformance", "NoCasesFound", nullptr, nullptr, __FILE__, __LINE__,
                          [root]() -> testing::Test* {
                            return new ConformanceCase(
                                root, bj::value(bj::object{}),
                                "no *.json case files under " + root.string());
                          });
    return 0;
  }
  for (const fs::path& file : files) {
    fs::path rel = fs::relative(file, root);
    std::string area = rel.has_parent_path() ? rel.parent_path().generic_string() : "root";
    std::string suite = SanitizeName(area);
    std::string name = SanitizeName(rel.stem().string());
    std::string path = file.string();
    testing::RegisterTest(
        suite.c_str(), name.c_str(), nullptr, nullptr, path.c_str(), 1, [file]() -> testing::Test* {
          std::ifstream in(file, std::ios::binary);
          std::stringstream buffer;
          if (in.is_open()) buffer << in.rdbuf();
          bj::error_code error;
          bj::value spec = bj::parse(buffer.str(), error);
          std::string load_error;
          if (!in.is_open()) {
            load_error = "cannot read " + file.string();
          } else if (error) {
            load_error = "case file " + file.string() + " is not valid JSON: " + error.message();
          } else if (!spec.is_object()) {
            load_error = "case file " + file.string() + " must hold a JSON object";
          }
          if (!load_error.empty()) spec = bj::object{};
          return new ConformanceCase(file, std::move(spec), std::move(load_error));
        });
  }
  return static_cast<int>(files.size());
}

[[maybe_unused]] const int kRegistered = RegisterCases();

}  // namespace
}  // namespace autoretrain
