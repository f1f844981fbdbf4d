// JSON library choice for autoretrain: Boost.JSON 1.81 vs nlohmann/json 3.11 (Debian packages).
//
// Measures, on payloads typical for the seed trigger (small objects of ~5-20 keys) and on a ~50 KB
// document with nested arrays/objects:
//   parse, serialize (compact), deep copy, lookup of $.decision.decision (pre-split path, no
//   JSONPath parsing), and building a 10-key object (a lambda:invoke-like envelope).
// Libraries/variants:
//   boost            boost::json::value, default memory resource (what the engine uses)
//   boost_monotonic  boost::json::parse into a fresh monotonic_resource per parse (parse only)
//   nlohmann         nlohmann::json (std::map objects: keys come back SORTED, insertion order lost)
//   nlohmann_ordered nlohmann::ordered_json (insertion order kept, like Step Functions; linear
//   lookup)
//
// Before the benchmarks, prints a memory table (bytes held by the parsed document, peak bytes
// during the parse, allocation count) measured with a counting global operator new/delete, plus
// the glibc mallinfo2() in-use delta as a cross-check.
//
// Build/run: see README.md in this folder.

#include <malloc.h>

#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

// ------------------------------------------------------------------ counting allocator
namespace counting {
bool enabled = false;  // single-threaded benchmark: plain globals are fine
long long live = 0;
long long peak = 0;
long long allocs = 0;

void Reset() {
  live = 0;
  peak = 0;
  allocs = 0;
}
}  // namespace counting

static void* CountedAlloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  if (counting::enabled) {
    counting::live += static_cast<long long>(malloc_usable_size(p));
    if (counting::live > counting::peak) counting::peak = counting::live;
    ++counting::allocs;
  }
  return p;
}
static void CountedFree(void* p) noexcept {
  if (p == nullptr) return;
  if (counting::enabled) counting::live -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}

void* operator new(std::size_t n) { return CountedAlloc(n); }
void* operator new[](std::size_t n) { return CountedAlloc(n); }
void operator delete(void* p) noexcept { CountedFree(p); }
void operator delete[](void* p) noexcept { CountedFree(p); }
void operator delete(void* p, std::size_t) noexcept { CountedFree(p); }
void operator delete[](void* p, std::size_t) noexcept { CountedFree(p); }

// ------------------------------------------------------------------ payloads
namespace {

// The trigger's state input as it is after ReadRetrainingDecision: the EventBridge scheduled event
// (retraining-check-schedule) plus ResultPath $.decision. 11 top-level keys, 2 nested objects.
const char* const kSmall =
    R"({"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2024-06-03T03:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/retraining-check-schedule"],"detail":{},"decision":{"decision":"YES"},"execution":{"attempt":1,"triggered":true,"threshold":0.25}})";

// The lambda:invoke result envelope (what ResultSelector sees): 5 keys, Payload nested.
const char* const kEnvelope =
    R"({"ExecutedVersion":"$LATEST","Payload":{"retraining_required":"YES"},"SdkHttpMetadata":{"AllHttpHeaders":{"X-Amz-Executed-Version":["$LATEST"],"Content-Type":["application/json"],"Content-Length":["31"]},"HttpHeaders":{"Content-Length":"31","Content-Type":"application/json","X-Amz-Executed-Version":"$LATEST"},"HttpStatusCode":200},"SdkResponseMetadata":{"RequestId":"3c8a4f47-5d2e-4a43-9a8e-0d8f3b5b2c11"},"StatusCode":200,"decision":{"decision":"YES"}})";

// ~50 KB monitoring report: nested arrays/objects, numbers (ints and doubles), strings, bools.
std::string MakeLarge() {
  std::string s;
  s.reserve(64 * 1024);
  s +=
      R"({"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"Scheduled Event",)";
  s += R"("source":"aws.events","region":"us-east-1","decision":{"decision":"YES"},)";
  s +=
      R"("monitoring":{"job":"creditcard-monitoring","model":"creditcard-xgb","generated_at":"2024-06-03T02:41:07Z","features":[)";
  unsigned x = 12345;
  auto rnd = [&x]() {
    x = x * 1103515245u + 12345u;
    return (x >> 8) & 0xFFFF;
  };
  char buf[256];
  for (int f = 0; f < 180; ++f) {
    if (f) s += ',';
    std::snprintf(buf, sizeof buf, R"({"name":"V%d","psi":%.6f,"ks":%.6f,"drift":%s,"histogram":[)",
                  f + 1, rnd() / 65536.0 * 0.4, rnd() / 65536.0,
                  (rnd() & 7) == 0 ? "true" : "false");
    s += buf;
    for (int b = 0; b < 10; ++b) {
      if (b) s += ',';
      s += std::to_string(rnd() % 5000);
    }
    std::snprintf(buf, sizeof buf,
                  R"(],"quantiles":{"p05":%.4f,"p50":%.4f,"p95":%.4f},"dtype":"float64"})",
                  -(rnd() / 16384.0), rnd() / 65536.0, rnd() / 8192.0);
    s += buf;
  }
  s +=
      R"(],"metrics":{"auc":0.9712,"precision":0.8821,"recall":0.7543,"f1":0.8132,"rows":284807},"samples":[)";
  for (int r = 0; r < 120; ++r) {
    if (r) s += ',';
    s += '[';
    for (int c = 0; c < 6; ++c) {
      if (c) s += ',';
      std::snprintf(buf, sizeof buf, "%.5f", (rnd() - 32768) / 9000.0);
      s += buf;
    }
    s += ']';
  }
  s += R"(]},"history":[)";
  for (int h = 0; h < 52; ++h) {
    if (h) s += ',';
    std::snprintf(
        buf, sizeof buf,
        R"({"week":%d,"decision":"%s","reason":"auto_retraining","triggered_by":"monitoring","execution":"arn:aws:states:us-east-1:123456789012:execution:creditcard-training-pipeline:%08x"})",
        h + 1, (rnd() & 3) == 0 ? "YES" : "NO", rnd() * 65536u + rnd());
    s += buf;
  }
  s += "]}";
  return s;
}

const std::string& Large() {
  static const std::string s = MakeLarge();
  return s;
}

struct Payload {
  const char* name;
  std::string text;
};
const std::vector<Payload>& Payloads() {
  static const std::vector<Payload> p = {
      {"small", kSmall}, {"envelope", kEnvelope}, {"large", Large()}};
  return p;
}

const std::vector<std::string> kPath = {"decision", "decision"};  // $.decision.decision

// ------------------------------------------------------------------ library adapters
struct BoostLib {
  using V = boost::json::value;
  static constexpr const char* kName = "boost";
  static V Parse(std::string_view t) { return boost::json::parse(t); }
  static std::string Serialize(const V& v) { return boost::json::serialize(v); }
  static const V* Lookup(const V& root, const std::vector<std::string>& path) {
    const V* cur = &root;
    for (const auto& seg : path) {
      const auto* o = cur->if_object();
      if (o == nullptr) return nullptr;
      auto it = o->find(seg);
      if (it == o->end()) return nullptr;
      cur = &it->value();
    }
    return cur;
  }
  static V Build10() {
    boost::json::object o;
    o["ExecutedVersion"] = "$LATEST";
    o["StatusCode"] = 200;
    o["FunctionName"] = "check_retraining_decision";
    o["RequestId"] = "3c8a4f47-5d2e-4a43-9a8e-0d8f3b5b2c11";
    o["retraining_required"] = "YES";
    o["run"] = "all";
    o["triggered_by"] = "monitoring";
    o["reason"] = "auto_retraining";
    o["attempt"] = 1;
    o["ok"] = true;
    return V(std::move(o));
  }
  static bool IsYes(const V* v) {
    return v != nullptr && v->is_string() && v->get_string() == "YES";
  }
};

template <typename J, const char* Name>
struct NlohmannLibT {
  using V = J;
  static constexpr const char* kName = Name;
  static V Parse(std::string_view t) { return J::parse(t); }
  static std::string Serialize(const V& v) { return v.dump(); }
  static const V* Lookup(const V& root, const std::vector<std::string>& path) {
    const V* cur = &root;
    for (const auto& seg : path) {
      if (!cur->is_object()) return nullptr;
      auto it = cur->find(seg);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    }
    return cur;
  }
  static V Build10() {
    V o = V::object();
    o["ExecutedVersion"] = "$LATEST";
    o["StatusCode"] = 200;
    o["FunctionName"] = "check_retraining_decision";
    o["RequestId"] = "3c8a4f47-5d2e-4a43-9a8e-0d8f3b5b2c11";
    o["retraining_required"] = "YES";
    o["run"] = "all";
    o["triggered_by"] = "monitoring";
    o["reason"] = "auto_retraining";
    o["attempt"] = 1;
    o["ok"] = true;
    return o;
  }
  static bool IsYes(const V* v) {
    return v != nullptr && v->is_string() && v->template get_ref<const std::string&>() == "YES";
  }
};
constexpr char kNl[] = "nlohmann";
constexpr char kNlOrd[] = "nlohmann_ordered";
using NlohmannLib = NlohmannLibT<nlohmann::json, kNl>;
using NlohmannOrderedLib = NlohmannLibT<nlohmann::ordered_json, kNlOrd>;

// ------------------------------------------------------------------ benchmarks
template <typename L>
void BM_Parse(benchmark::State& st, const Payload* p) {
  for (auto _ : st) {
    auto v = L::Parse(p->text);
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) *
                       static_cast<int64_t>(p->text.size()));
}

void BM_ParseBoostMonotonic(benchmark::State& st, const Payload* p) {
  for (auto _ : st) {
    boost::json::monotonic_resource mr;
    auto v = boost::json::parse(p->text, &mr);
    benchmark::DoNotOptimize(v);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) *
                       static_cast<int64_t>(p->text.size()));
}

template <typename L>
void BM_Serialize(benchmark::State& st, const Payload* p) {
  const auto v = L::Parse(p->text);
  size_t n = 0;
  for (auto _ : st) {
    auto s = L::Serialize(v);
    n = s.size();
    benchmark::DoNotOptimize(s);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(n));
}

template <typename L>
void BM_Copy(benchmark::State& st, const Payload* p) {
  const auto v = L::Parse(p->text);
  for (auto _ : st) {
    typename L::V c = v;  // deep copy
    benchmark::DoNotOptimize(c);
  }
}

template <typename L>
void BM_Lookup(benchmark::State& st, const Payload* p) {
  const auto v = L::Parse(p->text);
  if (!L::IsYes(L::Lookup(v, kPath))) {
    st.SkipWithError("lookup of $.decision.decision failed");
    return;
  }
  for (auto _ : st) {
    const auto* r = L::Lookup(v, kPath);
    benchmark::DoNotOptimize(r);
  }
}

template <typename L>
void BM_Build10(benchmark::State& st) {
  for (auto _ : st) {
    auto v = L::Build10();
    benchmark::DoNotOptimize(v);
  }
}

// Registration order = report order: operation, then payload, then library.
template <typename... Ls>
void RegisterAll() {
  for (const auto& p : Payloads()) {
    (benchmark::RegisterBenchmark((std::string("parse/") + p.name + "/" + Ls::kName).c_str(),
                                  BM_Parse<Ls>, &p),
     ...);
    benchmark::RegisterBenchmark((std::string("parse/") + p.name + "/boost_monotonic").c_str(),
                                 BM_ParseBoostMonotonic, &p);
  }
  for (const auto& p : Payloads())
    (benchmark::RegisterBenchmark((std::string("serialize/") + p.name + "/" + Ls::kName).c_str(),
                                  BM_Serialize<Ls>, &p),
     ...);
  for (const auto& p : Payloads())
    (benchmark::RegisterBenchmark((std::string("copy/") + p.name + "/" + Ls::kName).c_str(),
                                  BM_Copy<Ls>, &p),
     ...);
  for (const auto& p : Payloads())
    (benchmark::RegisterBenchmark(
         (std::string("lookup_decision/") + p.name + "/" + Ls::kName).c_str(), BM_Lookup<Ls>, &p),
     ...);
  (benchmark::RegisterBenchmark((std::string("build10/") + Ls::kName).c_str(), BM_Build10<Ls>),
   ...);
}

// ------------------------------------------------------------------ memory table
struct MemStats {
  long long retained = 0;  // bytes held by the parsed document (malloc_usable_size sum)
  long long peak = 0;      // peak bytes during the parse (document + parser scratch)
  long long allocs = 0;    // number of operator new calls during the parse
  long long mallinfo_delta =
      0;  // mallinfo2() uordblks+hblkhd after - before (includes malloc
          // headers; chunks recycled from tcache do not show, so it is rough)
};

template <typename F>
MemStats Measure(F&& parse_and_hold) {
  MemStats m;
  {
    auto warm = parse_and_hold();
    benchmark::DoNotOptimize(warm);
  }  // one-time statics, tcache warm
  const struct mallinfo2 mi0 = mallinfo2();
  const size_t before = mi0.uordblks + mi0.hblkhd;
  counting::Reset();
  counting::enabled = true;
  auto holder = parse_and_hold();
  counting::enabled = false;
  m.retained = counting::live;
  m.peak = counting::peak;
  m.allocs = counting::allocs;
  const struct mallinfo2 mi1 = mallinfo2();
  m.mallinfo_delta =
      static_cast<long long>(mi1.uordblks + mi1.hblkhd) - static_cast<long long>(before);
  benchmark::DoNotOptimize(holder);
  counting::enabled = true;  // keep the books balanced while the document is freed
  holder.reset();
  counting::enabled = false;
  return m;
}

void PrintMemoryTable() {
  std::printf(
      "Memory of one parsed document (counting operator new: malloc_usable_size sum, no malloc "
      "headers;\n"
      "mallinfo2 delta = uordblks+hblkhd, includes glibc chunk headers but misses tcache-recycled "
      "chunks):\n");
  std::printf("%-10s %-17s %10s %12s %12s %8s %16s\n", "payload", "library", "text_B", "retained_B",
              "peak_parse_B", "allocs", "mallinfo2_delta_B");
  for (const auto& p : Payloads()) {
    auto row = [&](const char* lib, MemStats m) {
      std::printf("%-10s %-17s %10zu %12lld %12lld %8lld %16lld\n", p.name, lib, p.text.size(),
                  m.retained, m.peak, m.allocs, m.mallinfo_delta);
    };
    row("boost",
        Measure([&] { return std::make_unique<boost::json::value>(boost::json::parse(p.text)); }));
    row("boost_monotonic", Measure([&] {
          struct H {
            boost::json::monotonic_resource mr;
            boost::json::value v;
          };
          auto h = std::make_unique<H>();
          h->v = boost::json::parse(p.text, &h->mr);
          return h;
        }));
    row("nlohmann",
        Measure([&] { return std::make_unique<nlohmann::json>(nlohmann::json::parse(p.text)); }));
    row("nlohmann_ordered", Measure([&] {
          return std::make_unique<nlohmann::ordered_json>(nlohmann::ordered_json::parse(p.text));
        }));
  }
  // Key order: Step Functions keeps insertion order; nlohmann::json (std::map) sorts keys.
  std::printf(
      "\nKey order after a parse/serialize round trip of the small payload:\n  boost:            "
      "%s\n  nlohmann:         %s\n"
      "  nlohmann_ordered: %s\n\n",
      boost::json::serialize(boost::json::parse(kSmall)).substr(0, 60).c_str(),
      nlohmann::json::parse(kSmall).dump().substr(0, 60).c_str(),
      nlohmann::ordered_json::parse(kSmall).dump().substr(0, 60).c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  PrintMemoryTable();
  RegisterAll<BoostLib, NlohmannLib, NlohmannOrderedLib>();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
