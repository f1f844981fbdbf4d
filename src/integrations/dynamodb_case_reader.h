// Test-only: the shared DynamoDB case files (tests/conformance/dynamodb/*.json) and how a case
// runs against any DynamoDb implementation, so the remote client (against dynalite) and the
// local table store run the very same cases and compare the same way.
//
// A case file:
//   {"comment": "...", "tables": [<CreateTable request>...],
//    "steps": [{"operation": "PutItem", "request": {...}, "response": {...}},
//              {"operation": "GetItem", "request": {...}, "error": "ValidationException",
//               "message": "..."},                      // message optional, exact when given
//              {"operation": "Scan", "request": {...}, "response": {...},
//               "unordered": "Items"}]}                 // that array compared as a multiset
// The tables are created before the steps and deleted after them. Objects compare regardless
// of key order (an item's attributes have none); the elements of sets (SS, NS, BS) are
// compared as sets, since DynamoDB returns them in no particular order.
//
// Thread-safety: plain functions over values.
#ifndef AUTORETRAIN_INTEGRATIONS_DYNAMODB_CASE_READER_H_
#define AUTORETRAIN_INTEGRATIONS_DYNAMODB_CASE_READER_H_

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "autoretrain/common/result.h"
#include "autoretrain/integrations/dynamodb.h"
#include "autoretrain/json/json.h"

namespace autoretrain::integrations::testing {

struct DynamoDbCaseStep {
  std::string operation;
  json::Value request;
  std::optional<json::Value> response;  // expected body (when no error is expected)
  std::string error;                    // expected error name, "" for success
  std::optional<std::string> message;   // expected cause, compared exactly when present
  std::string unordered;                // a response array compared as a multiset
};

struct DynamoDbCase {
  std::string name;  // the file name without ".json"
  std::string path;
  std::string comment;
  std::vector<json::Value> tables;  // CreateTable requests
  std::vector<DynamoDbCaseStep> steps;
};

// Reads one case file. Fails with Error{"CaseFileError", what is wrong and where}.
inline Result<DynamoDbCase> ReadDynamoDbCase(const std::filesystem::path& path) {
  auto fail = [&](const std::string& what) {
    return Error{"CaseFileError", path.string() + ": " + what};
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  Result<json::Value> parsed = json::Parse(text.str());
  if (!parsed.ok()) return fail(parsed.error().cause);
  if (!parsed->is_object()) return fail("the top level must be an object");
  const json::Object& top = parsed->get_object();
  DynamoDbCase result;
  result.name = path.stem().string();
  result.path = path.string();
  if (const json::Value* c = top.if_contains("comment"); c && c->is_string()) {
    result.comment = std::string(c->get_string());
  }
  if (const json::Value* tables = top.if_contains("tables")) {
    if (!tables->is_array()) return fail("\"tables\" must be an array of CreateTable requests");
    for (const json::Value& table : tables->get_array()) {
      if (!table.is_object()) return fail("each entry of \"tables\" must be an object");
      result.tables.push_back(table);
    }
  }
  const json::Value* steps = top.if_contains("steps");
  if (!steps || !steps->is_array()) return fail("\"steps\" must be an array");
  for (size_t i = 0; i < steps->get_array().size(); ++i) {
    const json::Value& raw = steps->get_array()[i];
    std::string where = "steps[" + std::to_string(i) + "]";
    if (!raw.is_object()) return fail(where + " must be an object");
    const json::Object& object = raw.get_object();
    DynamoDbCaseStep step;
    const json::Value* operation = object.if_contains("operation");
    const json::Value* request = object.if_contains("request");
    if (!operation || !operation->is_string()) return fail(where + ".operation must be a string");
    if (!request || !request->is_object()) return fail(where + ".request must be an object");
    step.operation = std::string(operation->get_string());
    step.request = *request;
    if (const json::Value* response = object.if_contains("response")) step.response = *response;
    if (const json::Value* error = object.if_contains("error")) {
      if (!error->is_string()) return fail(where + ".error must be a string");
      step.error = std::string(error->get_string());
    }
    if (const json::Value* message = object.if_contains("message")) {
      if (!message->is_string()) return fail(where + ".message must be a string");
      step.message = std::string(message->get_string());
    }
    if (const json::Value* unordered = object.if_contains("unordered")) {
      if (!unordered->is_string()) return fail(where + ".unordered must be a string");
      step.unordered = std::string(unordered->get_string());
    }
    if (step.error.empty() == !step.response.has_value()) {
      return fail(where + " needs exactly one of \"response\" and \"error\"");
    }
    result.steps.push_back(std::move(step));
  }
  return result;
}

// Every *.json file in `dir`, sorted by name. Fails on the first unreadable file, or when the
// folder has none.
inline Result<std::vector<DynamoDbCase>> ReadDynamoDbCases(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (files.empty()) {
    return Error{"CaseFileError", dir.string() + ": no *.json case files" +
                                      (ec ? " (" + ec.message() + ")" : std::string())};
  }
  std::sort(files.begin(), files.end());
  std::vector<DynamoDbCase> cases;
  for (const auto& file : files) {
    Result<DynamoDbCase> one = ReadDynamoDbCase(file);
    if (!one.ok()) return one.take_error();
    cases.push_back(std::move(one).value());
  }
  return cases;
}

// Equal arrays up to order (each expected element matched by a distinct equal actual one).
inline bool SameMultiset(const json::Array& expected, const json::Array& actual) {
  if (expected.size() != actual.size()) return false;
  std::vector<bool> used(actual.size(), false);
  for (const json::Value& want : expected) {
    bool found = false;
    for (size_t i = 0; i < actual.size() && !found; ++i) {
      if (!used[i] && actual[i] == want) found = used[i] = true;
    }
    if (!found) return false;
  }
  return true;
}

// `value` with the elements of every set ({"SS": [...]}, "NS", "BS") sorted: DynamoDB returns
// a set's elements in no particular order, so cases compare sets as sets.
inline json::Value SortedSets(const json::Value& value) {
  if (value.is_array()) {
    json::Array out;
    for (const json::Value& v : value.get_array()) out.push_back(SortedSets(v));
    return out;
  }
  if (!value.is_object()) return value;
  json::Object out;
  for (const auto& [key, v] : value.get_object()) {
    if ((key == "SS" || key == "NS" || key == "BS") && v.is_array()) {
      std::vector<std::string> texts;
      for (const json::Value& e : v.get_array()) texts.push_back(json::Serialize(e));
      std::sort(texts.begin(), texts.end());
      json::Array sorted;
      for (const std::string& t : texts) sorted.push_back(json::Parse(t).value());
      out[key] = std::move(sorted);
    } else {
      out[key] = SortedSets(v);
    }
  }
  return out;
}

// "" when `got` is what `step` expects, else a description of the difference.
inline std::string CheckDynamoDbStep(const DynamoDbCaseStep& step, const Result<json::Value>& got) {
  if (!step.error.empty()) {
    if (got.ok()) return "expected error " + step.error + ", got " + json::Serialize(*got);
    if (got.error().error != step.error || (step.message && got.error().cause != *step.message)) {
      return "expected error " + step.error + (step.message ? " \"" + *step.message + "\"" : "") +
             ", got " + got.error().error + " \"" + got.error().cause + "\"";
    }
    return "";
  }
  if (!got.ok()) return "expected success, got " + got.error().error + ": " + got.error().cause;
  const json::Value want = SortedSets(*step.response);
  const json::Value actual = SortedSets(*got);
  bool equal = false;
  if (step.unordered.empty() || !want.is_object() || !actual.is_object()) {
    equal = want == actual;
  } else {
    json::Object want_rest = want.get_object();
    json::Object got_rest = actual.get_object();
    const json::Value* want_list = want_rest.if_contains(step.unordered);
    const json::Value* got_list = got_rest.if_contains(step.unordered);
    equal = want_list && got_list && want_list->is_array() && got_list->is_array() &&
            SameMultiset(want_list->get_array(), got_list->get_array());
    want_rest.erase(step.unordered);
    got_rest.erase(step.unordered);
    equal = equal && want_rest == got_rest;
  }
  if (equal) return "";
  return "expected " + json::Serialize(want) + "\n     got " + json::Serialize(*got);
}

// Creates the case's tables (calling `after_create` with each table name, e.g. to wait until
// it is ACTIVE), runs every step, deletes the tables, and returns one message per failed step
// (empty: the case passed). A table that cannot be created is a failure and stops the case.
inline std::vector<std::string> RunDynamoDbCase(
    DynamoDb& db, const DynamoDbCase& test_case,
    const std::function<void(const std::string&)>& after_create = {}) {
  std::vector<std::string> failures;
  std::vector<std::string> created;
  for (const json::Value& table : test_case.tables) {
    Result<json::Value> made = db.Call("CreateTable", table);
    std::string name;
    if (const json::Value* n = table.get_object().if_contains("TableName"); n && n->is_string()) {
      name = std::string(n->get_string());
    }
    if (!made.ok()) {
      failures.push_back(test_case.name + ": CreateTable " + name +
                         " failed: " + made.error().error + ": " + made.error().cause);
      break;
    }
    created.push_back(name);
    if (after_create) after_create(name);
  }
  if (failures.empty()) {
    for (size_t i = 0; i < test_case.steps.size(); ++i) {
      const DynamoDbCaseStep& step = test_case.steps[i];
      std::string problem = CheckDynamoDbStep(step, db.Call(step.operation, step.request));
      if (!problem.empty()) {
        failures.push_back(test_case.name + " steps[" + std::to_string(i) + "] " + step.operation +
                           ": " + problem);
      }
    }
  }
  for (const std::string& name : created) {
    json::Object request;
    request["TableName"] = name;
    (void)db.Call("DeleteTable", request);
  }
  return failures;
}

}  // namespace autoretrain::integrations::testing

#endif  // AUTORETRAIN_INTEGRATIONS_DYNAMODB_CASE_READER_H_
