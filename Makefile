# The two commands a newcomer needs are `make demo` (see README) and `make test`.
SWIFT ?= swift
BIN := .build/release/clan-installer

.PHONY: build release test demo bench clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --static-swift-stdlib

## Everything CI runs: unit, fixture, live (loop device) and CLI tests. Needs root.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Probe this machine and each captured fixture machine, as a person would see it.
demo: release
	$(BIN) probe
	@for tree in Tests/Fixtures/trees/*/; do echo; echo "== $$tree"; $(BIN) probe --root $$tree; done

bench: release
	bench/size
	bench/probe

clean:
	rm -rf .build
