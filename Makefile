# livedesk — two commands matter: `make run` and `make test`.
GO ?= go
BIN := bin/livedesk

.PHONY: run test build vet bench clean

## run: build and start livedesk with a demo account on http://127.0.0.1:8080
run: build
	$(BIN) serve --demo --data ./data

## build: the single binary
build:
	$(GO) build -o $(BIN) ./cmd/livedesk

## test: vet and every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 15m ./...

## bench: the load generator against a fresh server (see docs/benchmarks.md)
bench: build
	$(BIN) bench

clean:
	rm -rf bin data
