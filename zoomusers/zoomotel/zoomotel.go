// Package zoomotel traces and meters a zoomusers.Client with OpenTelemetry.
//
// Each call becomes one client span named by its operation ID (userCreate, users, ...),
// with an event per attempt, per wait (pacing slot or retry back-off) and per token fetch,
// and attributes for the final HTTP status, Zoom's error code, the tracking ID, the
// operation's rate-limit label and Zoom's rate-limit headers. Metrics count calls,
// attempts, errors by Zoom code, 429s by type and token fetches, and record call
// durations, wait times and the rate-limit headroom Zoom reports.
//
// By default nothing that names a user is recorded: paths are the spec's templates
// (/users/{userId}) and errors are recorded by type and code, not by message, since
// Zoom's messages may quote an email address. WithSensitiveData records both. Tokens and
// secrets never reach the hooks this package is built on.
//
// The package is separate from zoomusers so that programs that do not use it do not
// link OpenTelemetry.
package zoomotel

import (
	"context"
	"errors"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/zoomkit/go-zoomusers/zoomusers/zoomotel"

// Option configures the telemetry.
type Option func(*settings)

type settings struct {
	tracerProvider trace.TracerProvider
	meterProvider  metric.MeterProvider
	sensitive      bool
}

// WithTracerProvider sets where spans go; otel.GetTracerProvider() when not given.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(s *settings) { s.tracerProvider = tp }
}

// WithMeterProvider sets where metrics go; otel.GetMeterProvider() when not given.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(s *settings) { s.meterProvider = mp }
}

// WithSensitiveData also records each attempt's path as sent, which may hold a user ID or
// an email address, and the calls' error messages. Turn it on only where the telemetry
// backend may hold personal data.
func WithSensitiveData() Option {
	return func(s *settings) { s.sensitive = true }
}

// New returns the client option that traces and meters every call:
//
//	client, err := zoomusers.New(creds, zoomotel.New(zoomotel.WithTracerProvider(tp)))
func New(opts ...Option) zoomusers.Option {
	return zoomusers.WithHooks(Hooks(opts...))
}

// Hooks returns the zoomusers.Hooks that New installs, for callers who combine them with
// their own.
func Hooks(opts ...Option) zoomusers.Hooks {
	s := settings{}
	for _, opt := range opts {
		opt(&s)
	}
	if s.tracerProvider == nil {
		s.tracerProvider = otel.GetTracerProvider()
	}
	if s.meterProvider == nil {
		s.meterProvider = otel.GetMeterProvider()
	}
	t := &telemetry{
		tracer:    s.tracerProvider.Tracer(ScopeName, trace.WithInstrumentationVersion(zoomusers.Version)),
		sensitive: s.sensitive,
	}
	t.instruments(s.meterProvider.Meter(ScopeName, metric.WithInstrumentationVersion(zoomusers.Version)))
	return zoomusers.Hooks{
		CallStart:   t.callStart,
		CallDone:    t.callDone,
		AttemptDone: t.attemptDone,
		Wait:        t.wait,
		TokenFetch:  t.tokenFetch,
	}
}

// Attribute keys. HTTP and error keys follow OpenTelemetry's semantic conventions; the
// others are Zoom's.
const (
	keyOperation  = attribute.Key("zoom.operation")
	keyLabel      = attribute.Key("zoom.rate_limit.label")
	keyCategory   = attribute.Key("zoom.rate_limit.category")
	keyLimitType  = attribute.Key("zoom.rate_limit.type")
	keyLimit      = attribute.Key("zoom.rate_limit.limit")
	keyRemaining  = attribute.Key("zoom.rate_limit.remaining")
	keyCode       = attribute.Key("zoom.error.code")
	keyTracking   = attribute.Key("zoom.tracking_id")
	keyAttempt    = attribute.Key("zoom.attempt")
	keyAttempts   = attribute.Key("zoom.attempts")
	keyReason     = attribute.Key("zoom.wait.reason")
	keyWaitSecs   = attribute.Key("zoom.wait.duration")
	keyDuration   = attribute.Key("zoom.duration")
	keyOutcome    = attribute.Key("zoom.outcome")
	keyMethod     = attribute.Key("http.request.method")
	keyStatus     = attribute.Key("http.response.status_code")
	keyTemplate   = attribute.Key("url.template")
	keyPath       = attribute.Key("url.path")
	keyErrorType  = attribute.Key("error.type")
	keyResendings = attribute.Key("http.request.resend_count")
)

type telemetry struct {
	tracer    trace.Tracer
	sensitive bool

	calls, attempts, errs, limited, tokens metric.Int64Counter
	callTime, waitTime, tokenTime          metric.Float64Histogram
	remaining                              metric.Int64Gauge
}

// instruments creates the metrics. The SDK returns a working instrument along with any
// error (names are fixed here, so none is expected); errors go to OpenTelemetry's error
// handler, as instrumentation libraries do, rather than failing the client.
func (t *telemetry) instruments(m metric.Meter) {
	var errs []error
	counter := func(name, unit, desc string) metric.Int64Counter {
		c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		errs = append(errs, err)
		return c
	}
	seconds := func(name, desc string) metric.Float64Histogram {
		h, err := m.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc))
		errs = append(errs, err)
		return h
	}
	t.calls = counter("zoom.client.calls", "{call}", "Calls of Zoom operations, by operation and outcome.")
	t.attempts = counter("zoom.client.attempts", "{attempt}", "HTTP exchanges, by operation and status; a retried call makes several.")
	t.errs = counter("zoom.client.errors", "{call}", "Failed calls, by operation, Zoom error code and error type.")
	t.limited = counter("zoom.client.rate_limited", "{answer}", "429 answers, by rate-limit type (QPS, Daily-limit) and label.")
	t.tokens = counter("zoom.client.token.fetches", "{request}", "Requests to the OAuth token endpoint, by outcome.")
	t.callTime = seconds("zoom.client.call.duration", "Call duration from the first attempt to the decoded answer.")
	t.waitTime = seconds("zoom.client.wait.duration", "Time spent waiting before attempts, by reason (pacing, retry).")
	t.tokenTime = seconds("zoom.client.token.fetch.duration", "Duration of token requests.")
	var err error
	t.remaining, err = m.Int64Gauge("zoom.client.rate_limit.remaining", metric.WithUnit("{request}"),
		metric.WithDescription("Requests left in the current window, as Zoom's X-RateLimit-Remaining last said, by label."))
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		otel.Handle(err)
	}
}

// lastAttempt holds a call's latest attempt, whose status, code, tracking ID and
// rate-limit headers become the span's attributes when the call ends.
type lastAttempt struct{ attrs []attribute.KeyValue }

type lastAttemptKey struct{}

func (t *telemetry) callStart(ctx context.Context, c zoomusers.CallStart) context.Context {
	ctx = context.WithValue(ctx, lastAttemptKey{}, &lastAttempt{})
	ctx, _ = t.tracer.Start(ctx, string(c.Operation), trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
		keyOperation.String(string(c.Operation)),
		keyLabel.String(string(c.Label)),
		keyMethod.String(c.Method),
		keyTemplate.String(c.PathTemplate),
	))
	return ctx
}

func (t *telemetry) callDone(ctx context.Context, c zoomusers.CallDone) {
	span := trace.SpanFromContext(ctx)
	op := keyOperation.String(string(c.Operation))
	outcome := "ok"
	if last, ok := ctx.Value(lastAttemptKey{}).(*lastAttempt); ok {
		span.SetAttributes(last.attrs...)
	}
	span.SetAttributes(keyAttempts.Int(c.Attempts), keyResendings.Int(max(c.Attempts-1, 0)))
	if c.Err != nil {
		outcome = "error"
		kind, code := classify(c.Err)
		span.SetAttributes(keyErrorType.String(kind))
		if code != 0 {
			// Also when no attempt carried it: a call refused from the daily-limit memory.
			span.SetAttributes(keyCode.Int(code))
		}
		description := kind
		if code != 0 {
			description = "Zoom error code " + strconv.Itoa(code)
		}
		if t.sensitive {
			description = c.Err.Error()
			span.RecordError(c.Err)
		}
		span.SetStatus(codes.Error, description)
		t.errs.Add(ctx, 1, metric.WithAttributes(op, keyCode.Int(code), keyErrorType.String(kind)))
	}
	attrs := metric.WithAttributes(op, keyOutcome.String(outcome))
	t.calls.Add(ctx, 1, attrs)
	t.callTime.Record(ctx, c.Duration.Seconds(), attrs)
	span.End()
}

func (t *telemetry) attemptDone(ctx context.Context, a zoomusers.AttemptDone) {
	span := trace.SpanFromContext(ctx)
	attrs := []attribute.KeyValue{keyAttempt.Int(a.Number), keyDuration.Float64(a.Duration.Seconds())}
	if a.StatusCode != 0 {
		attrs = append(attrs, keyStatus.Int(a.StatusCode))
	}
	if a.Code != 0 {
		attrs = append(attrs, keyCode.Int(a.Code))
	}
	if a.TrackingID != "" {
		attrs = append(attrs, keyTracking.String(a.TrackingID))
	}
	rl := a.RateLimit
	if rl.Category != "" {
		attrs = append(attrs, keyCategory.String(rl.Category))
	}
	if rl.Type != "" {
		attrs = append(attrs, keyLimitType.String(rl.Type))
	}
	if rl.Limit > 0 {
		attrs = append(attrs, keyLimit.Int(rl.Limit))
	}
	if rl.Remaining >= 0 {
		attrs = append(attrs, keyRemaining.Int(rl.Remaining))
	}
	if a.StatusCode == 0 && a.Err != nil {
		kind, _ := classify(a.Err)
		attrs = append(attrs, keyErrorType.String(kind))
	}
	if t.sensitive {
		attrs = append(attrs, keyPath.String(a.URLPath))
	}
	span.AddEvent("attempt", trace.WithAttributes(attrs...))
	if last, ok := ctx.Value(lastAttemptKey{}).(*lastAttempt); ok {
		last.attrs = attrs[2:] // not the attempt's number and duration
	}

	op := keyOperation.String(string(a.Operation))
	t.attempts.Add(ctx, 1, metric.WithAttributes(op, keyStatus.Int(a.StatusCode)))
	label := keyLabel.String(string(a.Operation.Label()))
	if a.StatusCode == 429 {
		kind := rl.Type
		if kind == "" {
			kind = "unknown"
		}
		t.limited.Add(ctx, 1, metric.WithAttributes(op, label, keyLimitType.String(kind)))
	}
	if rl.Remaining >= 0 {
		t.remaining.Record(ctx, int64(rl.Remaining), metric.WithAttributes(label))
	}
}

func (t *telemetry) wait(ctx context.Context, w zoomusers.Wait) {
	trace.SpanFromContext(ctx).AddEvent("wait", trace.WithAttributes(
		keyReason.String(string(w.Reason)), keyWaitSecs.Float64(w.Duration.Seconds())))
	t.waitTime.Record(ctx, w.Duration.Seconds(), metric.WithAttributes(
		keyOperation.String(string(w.Operation)), keyLabel.String(string(w.Label)), keyReason.String(string(w.Reason))))
}

func (t *telemetry) tokenFetch(ctx context.Context, f zoomusers.TokenFetch) {
	outcome := "ok"
	attrs := []attribute.KeyValue{keyDuration.Float64(f.Duration.Seconds())}
	if f.Err != nil {
		outcome = "error"
		kind, _ := classify(f.Err)
		attrs = append(attrs, keyErrorType.String(kind))
	}
	trace.SpanFromContext(ctx).AddEvent("token_fetch", trace.WithAttributes(append(attrs, keyOutcome.String(outcome))...))
	t.tokens.Add(ctx, 1, metric.WithAttributes(keyOutcome.String(outcome)))
	t.tokenTime.Record(ctx, f.Duration.Seconds(), metric.WithAttributes(keyOutcome.String(outcome)))
}

// classify names an error's kind for error.type, without its message (which may quote a
// user), and returns Zoom's error code when there is one.
func classify(err error) (kind string, code int) {
	var apiErr *zoomusers.Error
	var tokenErr *zoomusers.TokenError
	switch {
	case errors.As(err, &apiErr):
		return strconv.Itoa(apiErr.StatusCode), apiErr.Code
	case errors.As(err, &tokenErr):
		return "token", 0
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline_exceeded", 0
	case errors.Is(err, context.Canceled):
		return "canceled", 0
	case errors.Is(err, zoomusers.ErrEmptyResponse):
		return "empty_response", 0
	case errors.Is(err, zoomusers.ErrResponseTooLarge):
		return "response_too_large", 0
	case errors.Is(err, zoomusers.ErrRedirectRefused):
		return "redirect_refused", 0
	case errors.Is(err, zoomusers.ErrInvalidUserID):
		return "invalid_user_id", 0
	}
	return "_OTHER", 0
}
