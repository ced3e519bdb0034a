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

DEMO ?= /tmp/clan-installer-demo

## The main job: install the demo profile into a disk image. nixos-install cannot run without nixpkgs
## (no internet here), so its test double from Tests/Doubles stands in for it; everything else is real.
demo: release
	$(BIN) probe
	@echo; echo "== the plan of profiles/demo.json on the QEMU fixture machine"
	$(BIN) --machine Tests/Fixtures/machines/qemu-vm.json plan --profile profiles/demo.json
	@echo; echo "== installing profiles/demo.json into $(DEMO)/disk.img"
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN) install --profile profiles/demo.json --target-image $(DEMO)/disk.img:24G --target-root $(DEMO)/mnt \
	  --state-dir $(DEMO)/state --log-dir $(DEMO)/log --tools Tests/Doubles/bin
	@echo; echo "== the installed disk image"; sgdisk -p $(DEMO)/disk.img | tail -6
	@echo "log: $(DEMO)/log/install.log"

bench: release
	bench/size
	bench/probe
	bench/plan
	bench/install

clean:
	rm -rf .build
