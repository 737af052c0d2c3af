# The two commands of README.md. Both install what they need first (scripts/bootstrap.sh).
.PHONY: run test build fuzz bootstrap clean

JOBS ?= $(shell nproc)

bootstrap:
	@bash scripts/bootstrap.sh

# Builds the app (optimized) and opens it.
run: bootstrap
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	./build/release/lathe

# Builds everything with warnings as errors and runs every test: unit, parity, vulkan, gui, slow.
test: bootstrap
	cmake --preset ci >/dev/null
	cmake --build --preset ci -j $(JOBS)
	ctest --preset ci -j $(JOBS)

# A longer fuzzing run of the GGUF reader (FUZZ_SECONDS, default 600); figures go in tests/fuzz/RESULTS.md.
FUZZ_SECONDS ?= 600
fuzz: bootstrap
	cmake --preset ci >/dev/null
	cmake --build --preset ci --target fuzz_gguf_reader
	mkdir -p build/ci/tests/fuzz/corpus
	./build/ci/fuzz/fuzz_gguf_reader -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
	  -print_final_stats=1 -jobs=1 build/ci/tests/fuzz/corpus ../shared/models

clean:
	rm -rf build
