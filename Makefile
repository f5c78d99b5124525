# The two commands a newcomer needs: `make demo` and `make test`. Everything else here
# is what they are made of.

GO          ?= go
NPM_DIR     := tools/npm
NPM_BIN     := $(NPM_DIR)/node_modules/.bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
export SCARF_ANALYTICS := false
# The contract tests in test/ run Prism from the pinned npm tools.
export PRISM := $(CURDIR)/$(NPM_BIN)/prism

# The modules of this checkout (go.work lists the same): the library at the root, then the
# ones a service that imports zoomusers should not inherit the dependencies of. `go test
# ./...` stops at a nested module's boundary, so each target below runs in every module
# and says which.
MODULES := . cmd/zoomusers test zoomusers/zoomotel zoomusers/zoomredis
# each runs its command in every module: $(call each,go vet ./...)
each = set -e; for m in $(MODULES); do echo "== module $$m: $(1)"; (cd $$m && $(1)); done

.PHONY: need-redis demo test generate check-generated vet staticcheck spec-lint spec-typescript spec-diff go-test fuzz bench mutation npm-tools

## demo: the main job: a short admin session with the zoomusers command, against real Zoom
## when ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set, else the built-in fake.
demo:
	$(GO) run ./cmd/zoomusers demo

## test: every gate CI runs: generated code current, vet, staticcheck, spec lint,
## TypeScript generation, and the Go tests under the race detector.
test: check-generated vet staticcheck spec-lint spec-typescript go-test fuzz

## generate: regenerate gen/, zoomusers/operations_gen.go and the settings table
## zoomusers/settingspec/fields_gen.go from api/openapi.yaml.
generate:
	@$(call each,$(GO) generate ./...)

GENERATED := gen/ zoomusers/operations_gen.go zoomusers/zoomtest/internal/zoomserver/ zoomusers/settingspec/fields_gen.go

## check-generated: fail when regenerating would change generated code.
check-generated: generate
	@git diff --exit-code --stat -- $(GENERATED) || { echo "generated code is stale: run 'make generate' and commit the result" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- $(GENERATED))" || { echo "untracked generated files:" >&2; git status --porcelain -- $(GENERATED) >&2; exit 1; }

## vet: every go.mod of the checkout is in MODULES and go.work, gofmt over every Go file,
## then go vet in every module.
vet:
	@sorted() { tr ' ' '\n' | sed '/^$$/d; s#^\./##' | sort | tr '\n' ' '; }; \
	mods=$$(echo $(MODULES) | sorted); \
	files=$$(git ls-files '*go.mod' | xargs -n1 dirname | sorted); \
	work=$$($(GO) work edit -json | sed -n 's/.*"DiskPath": "\(.*\)".*/\1/p' | sorted); \
	test "$$mods" = "$$files" -a "$$mods" = "$$work" || { echo "modules differ: Makefile [$$mods], go.mod files [$$files], go.work [$$work]" >&2; exit 1; }
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:" >&2; gofmt -l $$(git ls-files '*.go') >&2; exit 1; }
	@$(call each,$(GO) vet ./...)

staticcheck:
	@$(call each,$(GO) run $(STATICCHECK) ./...)

# npm-tools installs the pinned Node tools from the lock file, once per lock change.
npm-tools: $(NPM_DIR)/node_modules/.installed
$(NPM_DIR)/node_modules/.installed: $(NPM_DIR)/package.json $(NPM_DIR)/package-lock.json
	cd $(NPM_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## spec-lint: redocly lint with the rules in redocly.yaml.
spec-lint: npm-tools
	$(NPM_BIN)/redocly lint api/openapi.yaml --config redocly.yaml --format=stylish

## spec-typescript: what a TypeScript team generates from the spec must compile under --strict.
spec-typescript: npm-tools
	$(NPM_BIN)/openapi-typescript api/openapi.yaml --default-non-nullable false -o $(NPM_DIR)/ts-check/zoom-users.d.ts
	$(NPM_BIN)/tsc -p $(NPM_DIR)/ts-check/tsconfig.json

OASDIFF := github.com/oasdiff/oasdiff@v1.35.0
## spec-diff: oasdiff's changelog from Zoom's current spec (its facts-only copy) to ours, as
## is and flattened; info.x-differences in api/openapi.yaml must name every line
## (test/specdiff_test.go checks it under go-test). Set ZOOM_SPEC to compare another copy.
ZOOM_SPEC ?= test/testdata/zoom-users-facts.json
spec-diff:
	$(GO) run $(OASDIFF) changelog $(ZOOM_SPEC) api/openapi.yaml
	$(GO) run $(OASDIFF) changelog --flatten-allof --flatten-params $(ZOOM_SPEC) api/openapi.yaml

go-test: npm-tools need-redis
	@$(call each,$(GO) test -race -count=1 ./...)

# need-redis: the zoomredis tests start a real redis-server; say what to install rather
# than let them skip. (.ci/run installs it on CI.)
need-redis:
	@command -v redis-server >/dev/null 2>&1 || { echo "make test needs redis-server, from Debian's package: sudo apt-get install redis-server" >&2; exit 1; }

# A count, not a duration: Go 1.26's fuzz coordinator can fail a target with "context
# deadline exceeded" when a duration runs out on a busy machine (golang/go#75804, fixed in
# Go 1.27); a count has no deadline to race.
FUZZEXECS ?= 20000
## fuzz: run each fuzz target briefly (their seed corpora also run with go-test).
FUZZ_TARGETS := zoomusers:FuzzParseError zoomusers:FuzzParseRetryAfter zoomusers:FuzzValidateID \
	internal/decoding:FuzzUnmarshal zoomusers/webhook:FuzzVerify zoomusers/webhook:FuzzParse

# A renamed target would make "go test -fuzz" fuzz nothing and pass: each must be listed.
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=./$${t%%:*}; name=$${t##*:}; \
		$(GO) test -list "^$$name$$" $$pkg | grep -qx "$$name" || { echo "fuzz target $$name is not in $$pkg" >&2; exit 1; }; \
		echo "$(GO) test -run='^$$' -fuzz='^$$name$$' -fuzztime=$(FUZZEXECS)x $$pkg"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZEXECS)x $$pkg; \
	done

## bench: the benchmarks recorded in test/BENCHMARKS.md (not part of make test).
bench:
	$(GO) test -run='^$$' -bench='GetUser' -benchtime=2000x ./test/
	$(GO) test -run='^$$' -bench='ListUsers|Upload|TokenRenewal' -benchtime=5x ./test/
	$(GO) test -run='^$$' -bench='PacedThroughput' -benchtime=5x ./test/
	$(GO) test -run='^$$' -bench='^BenchmarkDecode' -benchmem -count=5 ./internal/decoding
	cd zoomusers/zoomredis && $(GO) test -run='^$$' -bench='ReplicaThroughput' -benchtime=3x .

GREMLINS := github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0
# -count=1 (added to the GOFLAGS go env already has): gremlins times each mutant's tests
# against its first (coverage) run, which a cached result would make instant. One worker
# fits a 2-core machine.
MUTATE := GOFLAGS="$$($(GO) env GOFLAGS) -count=1" $(GO) run $(GREMLINS) unleash --workers 1 --timeout-coefficient 10
## mutation: mutation testing of zoomtest, zoomusers, bulk, webhook and zoomredis (well
## over an hour; not part of make test). Figures and surviving mutants: test/MUTATION.md.
mutation:
	$(MUTATE) -E 'internal/zoomserver' -E '_gen\.go$$' ./zoomusers/zoomtest
	$(MUTATE) -E 'zoomtest/' -E '_gen\.go$$' ./zoomusers
	$(MUTATE) ./zoomusers/bulk
	$(MUTATE) ./zoomusers/webhook
	@# gremlins tests each mutant in a copy of the module alone, where zoomredis's
	@# "replace => ../.." and go.work are gone: every mutant would fail to build and count as
	@# killed (100% in a second). The replace is made absolute for the run, then restored.
	cd zoomusers/zoomredis && cp go.mod go.mod.mutation && \
		$(GO) mod edit -replace github.com/zoomkit/go-zoomusers=$(CURDIR) && \
		GOWORK=off $(MUTATE) .; status=$$?; mv go.mod.mutation go.mod; exit $$status
