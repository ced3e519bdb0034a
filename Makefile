# The two commands a newcomer needs are `make demo` (see README) and `make test`.
SWIFT ?= swift
BIN := .build/release/clan-installer

.PHONY: deps build release test demo demo-image bench clean

## Debian packages from .ci/packages, installed only when one is missing (needs root).
deps:
	@missing=$$(for p in $$(grep -v '^#' .ci/packages); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y --no-install-recommends $$missing; fi

build:
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Everything CI runs: unit, fixture, live (loop device), install and CLI tests, then the virtual
## machine scenarios (the test medium in QEMU). Needs root.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --disable-xctest
	tests/vm-scenarios

## The main job: boot the test medium in a VM with a blank 16 GiB disk and install profiles/demo.json.
## nixos-install is the test medium's stand-in (a real NixOS install needs the media of iso/); the rest is real.
demo: deps
	iso/test-medium/demo

## The same install into a disk image on this machine, without a VM.
demo-image: release
	rm -rf /tmp/clan-installer-image && mkdir -p /tmp/clan-installer-image
	$(BIN) install --profile profiles/demo.json --target-image /tmp/clan-installer-image/disk.img:24G \
	  --target-root /tmp/clan-installer-image/mnt --state-dir /tmp/clan-installer-image/state \
	  --log-dir /tmp/clan-installer-image/log --tools Tests/Doubles/bin

bench: release
	bench/size
	bench/probe
	bench/plan
	bench/install
	bench/e2e

clean:
	rm -rf .build
