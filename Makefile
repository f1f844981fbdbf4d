# Thin wrapper around CMake (DuckDB style). `make` builds Release into build/release.
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
MAKEFLAGS += --no-print-directory

.PHONY: example release debug sanitize test test-release test-sanitize fuzz format bench clean deps

release: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/release -j $(JOBS)

debug: deps
	cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null
	cmake --build build/debug -j $(JOBS)

# ASan+UBSan, built with clang and instrumented for libFuzzer too: one build serves the sanitizer
# test run and the fuzz targets (a second full build would add ~10 minutes to CI).
SANITIZE_CONFIGURE = cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
	-DAUTORETRAIN_FUZZ=ON $(CMAKE_FLAGS) >/dev/null

sanitize: deps
	$(SANITIZE_CONFIGURE)
	cmake --build build/sanitize -j $(JOBS)

# Every test, in the Release build and again under ASan+UBSan, plus a short run of every fuzz
# target (what CI runs).
test: test-release fuzz test-sanitize

# Tests run two per core: most of them wait on child processes, servers and sockets, so at one
# per core the cores sat 43% idle. On the 2-core CI machine -j4 took the Release tests from 289 s
# to 221 s and the sanitizer tests from ~400 s to 323 s (2026-11-29).
TEST_JOBS ?= $(shell echo $$(( $(JOBS) * 2 )))

test-release: release
	cd build/release && ctest --output-on-failure -j $(TEST_JOBS)

test-sanitize: sanitize
	cd build/sanitize && ctest --output-on-failure -j $(TEST_JOBS)

# The libFuzzer targets (docs/fuzzing.md), built in the sanitizer build, each run for
# FUZZ_SECONDS on a copy of its committed corpus; fails naming the crashing input.
FUZZ_SECONDS ?= 10
fuzz: deps
	$(SANITIZE_CONFIGURE)
	cmake --build build/sanitize -j $(JOBS) --target fuzzers
	fuzz/run.sh build/sanitize $(FUZZ_SECONDS) $(JOBS)

format:
	find src include tests bench fuzz -path '*/node_modules' -prune -o \( -name '*.cc' -o -name '*.h' \) -print | xargs clang-format -i

# Benchmarks build into the Release folder: build/release/bench/engine_bench (see BENCHMARKS.md).
bench: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DAUTORETRAIN_BENCH=ON >/dev/null
	cmake --build build/release -j $(JOBS) --target engine_bench store_bench durable_bench schedule_bench jsonata_bench api_load_bench autoretrain

deps:
	@scripts/install-deps.sh
	@scripts/install-test-servers.sh

clean:
	rm -rf build

# The main job on the bundled example: build, create ./example-project once, run the seed's
# retraining check on it.
example: release
	@test -f example-project/autoretrain.json || build/release/autoretrain init example-project
	build/release/autoretrain check --project example-project
