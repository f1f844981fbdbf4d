# Thin wrapper around CMake (DuckDB style). `make` builds Release into build/release.
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
MAKEFLAGS += --no-print-directory

.PHONY: example release debug sanitize test test-release test-sanitize format bench clean deps

release: deps
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/release -j $(JOBS)

debug: deps
	cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS) >/dev/null
	cmake --build build/debug -j $(JOBS)

sanitize: deps
	cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DAUTORETRAIN_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build build/sanitize -j $(JOBS)

# Every test, in the Release build and again under ASan+UBSan (what CI runs).
test: test-release test-sanitize

test-release: release
	cd build/release && ctest --output-on-failure -j $(JOBS)

test-sanitize: sanitize
	cd build/sanitize && ctest --output-on-failure -j $(JOBS)

format:
	find src include tests bench -path '*/node_modules' -prune -o \( -name '*.cc' -o -name '*.h' \) -print | xargs clang-format -i

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
