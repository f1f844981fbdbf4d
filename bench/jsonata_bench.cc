// Evaluation time per expression of the C++ JSONata evaluator, on the same expressions and
// inputs as the reference implementation's benchmark (bench/peer/jsonata_bench.mjs, npm
// jsonata 2.2.2): paths, filters, aggregation, string functions, group-by, higher-order
// functions, a transform, $formatNumber/$fromMillis and a Step Functions Arguments object, over
// the reference suite's dataset5 (/work/shared/conformance/jsonata/datasets) and a generated
// document of 10,000 orders. Each expression is compiled once and evaluated many times; the
// benchmark names (jsonata/<case>) match the peer's so the two can be put side by side
// (BENCHMARKS.md, "JSONata").
//
// Run: make bench && build/release/bench/jsonata_bench
//      build/release/bench/jsonata_bench --print_results   (each case's result, one per line,
//      "name<TAB>json", to diff against `node jsonata_bench.mjs --print-results`)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "autoretrain/json/json.h"
#include "autoretrain/jsonata/jsonata.h"
#include "bench_util.h"

namespace {

using namespace autoretrain;

// The reference suite's datasets; AUTORETRAIN_JSONATA_DATASETS overrides the folder.
std::string DatasetDir() {
  if (const char* dir = std::getenv("AUTORETRAIN_JSONATA_DATASETS")) return dir;
  return "/work/shared/conformance/jsonata/datasets";
}

json::Value LoadDatasetOrDie(const std::string& name) {
  std::string path = DatasetDir() + "/" + name;
  std::string text = bench::ReadFile(path);
  auto parsed = json::Parse(text);
  if (!parsed.ok()) {
    std::fprintf(stderr,
                 "jsonata_bench: cannot read dataset %s: %s (set AUTORETRAIN_JSONATA_DATASETS to "
                 "the folder holding the jsonata test suite's datasets)\n",
                 path.c_str(), parsed.error().cause.c_str());
    std::exit(2);
  }
  return std::move(parsed).value();
}

// 10,000 orders drawn from a Park-Miller generator (48271 * x mod 2^31-1: every intermediate
// fits in a double exactly, so the JavaScript side builds the identical document).
json::Value GenerateOrders() {
  static const char* kRegions[] = {"north", "south", "east", "west"};
  static const char* kStatuses[] = {"pending", "shipped", "delivered"};
  long long seed = 42;
  auto next = [&seed] {
    seed = seed * 48271 % 2147483647;
    return seed;
  };
  json::Array orders;
  for (int i = 0; i < 10000; ++i) {
    long long a = next(), b = next(), c = next();
    char id[16];
    std::snprintf(id, sizeof id, "o%05d", i);
    orders.emplace_back(json::Object{
        {"id", id},
        {"customer", "c" + std::to_string(a % 500)},
        {"region", kRegions[a % 4]},
        {"status", kStatuses[b % 3]},
        {"price", static_cast<double>(b % 10000) / 100},
        {"quantity", 1 + c % 5},
        {"tags", json::Array{"t" + std::to_string(c % 7), "t" + std::to_string(a % 11)}},
    });
  }
  return json::Object{{"orders", std::move(orders)}};
}

// A Step Functions-style $states binding: input (an order with line items) and context.
json::Value StatesVariable() {
  json::Array items;
  for (int i = 0; i < 20; ++i) {
    items.emplace_back(json::Object{
        {"sku", "sku-" + std::to_string(i)}, {"price", 5 + i * 1.25}, {"qty", 1 + i % 3}});
  }
  return json::Object{
      {"input", json::Object{{"orderId", "ord-2026-0042"},
                             {"customer", json::Object{{"id", "c-17"}, {"email", "a@example.com"}}},
                             {"items", std::move(items)}}},
      {"context",
       json::Object{{"Execution", json::Object{{"Id",
                                                "arn:aws:states:us-east-1:123456789012:"
                                                "execution:orders:run-1"},
                                               {"StartTime", "2026-11-26T12:00:00.000Z"}}},
                    {"State", json::Object{{"Name", "ChargeCustomer"}}}}}};
}

struct Case {
  const char* name;
  const char* input;  // "dataset5", "orders10k" or "none"
  const char* expression;
};

// Keep in step with CASES in bench/peer/jsonata_bench.mjs.
const Case kCases[] = {
    {"path", "dataset5", "Account.Order.Product.SKU"},
    {"filter", "dataset5", "Account.Order.Product[Price > 30 and Quantity >= 1].`Product Name`"},
    {"index_predicate", "dataset5", "Account.Order[0].Product[-1].Description.Colour"},
    {"sum_products", "dataset5", "$sum(Account.Order.Product.(Price * Quantity))"},
    {"string_functions", "dataset5",
     "$join(Account.Order.Product.($uppercase($substring(`Product Name`, 0, 6)) & \"-\" & "
     "$string(ProductID)), \", \")"},
    {"object_construction", "dataset5",
     "Account.Order.{\"id\": OrderID, \"lines\": $count(Product), \"total\": "
     "$sum(Product.(Price * Quantity))}"},
    {"group_by", "dataset5",
     "Account.Order.Product{`Product Name`: {\"qty\": $sum(Quantity), \"revenue\": "
     "$sum($.(Price * Quantity))}}"},
    {"map_filter_reduce", "dataset5",
     "$reduce($map($filter(Account.Order.Product, function($p) { $p.Quantity > 1 }), "
     "function($p) { $p.Price * $p.Quantity }), function($a, $b) { $a + $b }, 0)"},
    {"transform", "dataset5",
     "$ ~> |Account.Order.Product|{\"Total\": Price * Quantity}, [\"Description\", \"SKU\"]|"},
    {"format_number", "dataset5",
     "$formatNumber($sum(Account.Order.Product.(Price * Quantity)), \"#,##0.00\")"},
    {"from_millis", "none",
     "$fromMillis(1764158400000, \"[Y0001]-[M01]-[D01] [H01]:[m01]:[s01]\")"},
    {"states_arguments", "none",
     "{\"FunctionName\": \"arn:aws:lambda:us-east-1:123456789012:function:charge\", "
     "\"Payload\": {\"orderId\": $states.input.orderId, \"email\": "
     "$states.input.customer.email, \"skus\": $states.input.items[price > 20].sku, \"total\": "
     "$round($sum($states.input.items.(price * qty)), 2), \"execution\": "
     "$states.context.Execution.Id}}"},
    {"large_sum", "orders10k", "$sum(orders.(price * quantity))"},
    {"large_filter_count", "orders10k",
     "$count(orders[status = \"shipped\" and price > 50 and \"t3\" in tags])"},
    {"large_group_by", "orders10k",
     "orders{region: {\"orders\": $count(id), \"revenue\": $round($sum($.(price * quantity)), "
     "2)}}"},
    {"large_sort_top10", "orders10k", "(orders^(>price, id))[[0..9]].id"},
};

const json::Value& InputFor(const Case& c) {
  static const json::Value dataset5 = LoadDatasetOrDie("dataset5.json");
  static const json::Value orders = GenerateOrders();
  if (std::strcmp(c.input, "dataset5") == 0) return dataset5;
  return orders;
}

const jsonata::Bindings& BindingsFor() {
  static const jsonata::Bindings bindings = [] {
    jsonata::Bindings b;
    b.SetValue("states", StatesVariable());
    return b;
  }();
  return bindings;
}

jsonata::Expression CompileCaseOrDie(const Case& c) {
  auto compiled = jsonata::Compile(c.expression);
  if (!compiled.ok()) {
    std::fprintf(stderr, "jsonata_bench: case %s does not compile: %s %s\n", c.name,
                 compiled.error().error.c_str(), compiled.error().cause.c_str());
    std::exit(2);
  }
  return std::move(compiled).value();
}

// One evaluation; `c.input == "none"` evaluates without an input (undefined), as the peer does.
Result<std::optional<json::Value>> EvaluateCase(const Case& c, const jsonata::Expression& e) {
  const json::Value* input = std::strcmp(c.input, "none") == 0 ? nullptr : &InputFor(c);
  return e.Evaluate(input, BindingsFor());
}

void RunCase(benchmark::State& state, const Case& c) {
  jsonata::Expression expression = CompileCaseOrDie(c);
  for (auto _ : state) {
    auto result = EvaluateCase(c, expression);
    if (!result.ok()) {
      state.SkipWithError((result.error().error + " " + result.error().cause).c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
}

// Prints "name<TAB>result" per case (result as compact JSON, "undefined" when there is none).
int PrintResults() {
  for (const Case& c : kCases) {
    auto result = EvaluateCase(c, CompileCaseOrDie(c));
    if (!result.ok()) {
      std::printf("%s\terror %s\n", c.name, result.error().error.c_str());
    } else {
      std::printf("%s\t%s\n", c.name,
                  result->has_value() ? json::Serialize(**result).c_str() : "undefined");
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--print_results") == 0) return PrintResults();
  }
  for (const Case& c : kCases) {
    // Load inputs before timing starts.
    InputFor(c);
    benchmark::RegisterBenchmark((std::string("jsonata/") + c.name).c_str(),
                                 [&c](benchmark::State& state) { RunCase(state, c); });
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
