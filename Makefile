# The two commands a newcomer needs are `make demo` (see README) and `make test`.
SWIFT ?= swift
BIN := .build/release/clan-installer

.PHONY: deps build release test demo bench clean

## Debian packages from .ci/packages, installed only when one is missing (needs root).
deps:
	@missing=$$(for p in $$(grep -v '^#' .ci/packages); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y --no-install-recommends $$missing; fi

build:
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Everything CI runs: unit, fixture, live (loop device) and CLI tests. Needs root.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest

## Probe this machine and each captured fixture machine, and plan the demo install on the QEMU fixture.
demo: release
	$(BIN) probe
	@for tree in Tests/Fixtures/trees/*/; do echo; echo "== $$tree"; $(BIN) probe --root $$tree; done
	@echo; echo "== plan of profiles/demo.json on the QEMU fixture machine"
	$(BIN) --machine Tests/Fixtures/machines/qemu-vm.json plan --profile profiles/demo.json

bench: release
	bench/size
	bench/probe
	bench/plan
	bench/install

clean:
	rm -rf .build
