# livedesk — two commands matter: `make run` and `make test`.
GO ?= go
BIN := bin/livedesk

.PHONY: run test test-go test-web build web vet lint fuzz bench clean

## run: build everything and start livedesk with a demo account on http://127.0.0.1:8080
run: build
	$(BIN) serve --demo --data ./data --smtp-listen 127.0.0.1:2525

## build: the single binary, with the front ends embedded
build: web
	$(GO) build -o $(BIN) ./cmd/livedesk

## web: build the front ends (operator app, widget, admin cabinet) into web/dist for go:embed
web: web/node_modules
	cd web && npm run build

web/node_modules: web/package.json web/package-lock.json
	cd web && npm ci
	@touch web/node_modules

## test: every test — Go (vet, race detector) and web (types, unit, end-to-end in Chromium)
test: test-go fuzz test-web

test-go: web lint
	@test -z "$$(gofmt -l cmd internal web/*.go)" || { echo "gofmt needed:"; gofmt -l cmd internal web/*.go; exit 1; }
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...
	@echo "end-to-end tests again, every server on PostgreSQL (docs/scaling.md)"
	LIVEDESK_TEST_STORE=postgres $(GO) test -count=1 -timeout 15m ./internal/app/

test-web: build
	cd web && npm run typecheck && npm test && npm run e2e

## lint: golangci-lint with the deliberate set of .golangci.yml (installed on first use)
GOLANGCI_LINT ?= $(shell go env GOPATH)/bin/golangci-lint
lint:
	@test -x $(GOLANGCI_LINT) || $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
	$(GOLANGCI_LINT) run ./...

## bench: the load generator against a fresh server (see docs/benchmarks.md)
bench: build
	$(BIN) bench

## fuzz: each fuzz target for a few seconds (part of `make test`; a count, not a duration: Go's
## -fuzztime timer can fail a clean run, golang/go#75804). Longer runs: docs/operations.md.
FUZZ_RUNS ?= 20000x
FUZZ_TARGETS = FuzzParseMail:./internal/channel/email/ FuzzMailHeaders:./internal/channel/email/ \
	FuzzHTMLToText:./internal/channel/email/ FuzzSplitQuoted:./internal/channel/email/ FuzzHeaderDecoding:./internal/channel/email/ \
	FuzzDeliveryStatus:./internal/channel/email/ FuzzReceive:./internal/attachment/ FuzzSanitizeName:./internal/attachment/ \
	FuzzDecodeStrict:./internal/httpapi/ FuzzReadPatch:./internal/httpapi/ FuzzListCursor:./internal/httpapi/ FuzzParseID:./internal/livedesk/ \
	FuzzParseHotkey:./internal/quick/ FuzzTokenize:./internal/spell/
fuzz:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t%%:*}"; \
		$(GO) test -run '^$$' -fuzz "^$${t%%:*}\$$" -fuzztime $(FUZZ_RUNS) $${t#*:} >"$$log" 2>&1 || { cat "$$log"; exit 1; }; \
	done

clean:
	rm -rf bin data web/dist/operator web/dist/widget
