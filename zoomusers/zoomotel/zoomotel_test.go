package zoomotel_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomotel"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// recorded is what the SDK's in-memory exporters received.
type recorded struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
}

func newClient(t *testing.T, srv *zoomtest.Server, opts ...zoomusers.Option) (*zoomusers.Client, *recorded, []zoomotel.Option) {
	t.Helper()
	rec := &recorded{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	otelOpts := []zoomotel.Option{
		zoomotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec.spans))),
		zoomotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(rec.reader))),
	}
	return newClientWith(t, srv, rec, otelOpts, opts...), rec, otelOpts
}

func newClientWith(t *testing.T, srv *zoomtest.Server, _ *recorded, otelOpts []zoomotel.Option, opts ...zoomusers.Option) *zoomusers.Client {
	t.Helper()
	all := append(srv.ClientOptions(), zoomotel.New(otelOpts...))
	c, err := zoomusers.New(append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// metrics collects every data point, keyed "name{k=v,...}" with attributes sorted.
type point struct {
	count int64   // a sum's value, or a histogram's count
	sum   float64 // a histogram's sum
	value int64   // a gauge's value
}

func (r *recorded) metrics(t *testing.T) map[string]point {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]point{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != zoomotel.ScopeName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, zoomotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[key(m.Name, p.Attributes)] = point{count: p.Value}
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[key(m.Name, p.Attributes)] = point{count: int64(p.Count), sum: p.Sum}
				}
			case metricdata.Gauge[int64]:
				for _, p := range d.DataPoints {
					out[key(m.Name, p.Attributes)] = point{value: p.Value}
				}
			default:
				t.Errorf("metric %s has unexpected data %T", m.Name, m.Data)
			}
		}
	}
	return out
}

func key(name string, set attribute.Set) string {
	var kv []string
	for _, a := range set.ToSlice() {
		kv = append(kv, string(a.Key)+"="+a.Value.String())
	}
	sort.Strings(kv)
	return name + "{" + strings.Join(kv, ",") + "}"
}

func attrs(kvs []attribute.KeyValue) map[string]string {
	out := map[string]string{}
	for _, kv := range kvs {
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}

func onlySpan(t *testing.T, r *recorded) sdktrace.ReadOnlySpan {
	t.Helper()
	spans := r.spans.Ended()
	if len(spans) != 1 || len(r.spans.Started()) != 1 {
		t.Fatalf("%d spans started, %d ended; want one call's span", len(r.spans.Started()), len(spans))
	}
	return spans[0]
}

func events(s sdktrace.ReadOnlySpan) (names []string, byName map[string][]map[string]string) {
	byName = map[string][]map[string]string{}
	for _, e := range s.Events() {
		names = append(names, e.Name)
		byName[e.Name] = append(byName[e.Name], attrs(e.Attributes))
	}
	return names, byName
}

func TestRetriedCall(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	if err := srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 429}); err != nil {
		t.Fatal(err)
	}
	c, rec, _ := newClient(t, srv)
	if _, err := c.User("u0@example.com").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}

	span := onlySpan(t, rec)
	if span.Name() != "user" || span.SpanKind() != trace.SpanKindClient || span.Status().Code != codes.Unset {
		t.Errorf("span %q kind %v status %v, want user, client, unset", span.Name(), span.SpanKind(), span.Status())
	}
	got := attrs(span.Attributes())
	for k, want := range map[string]string{
		"zoom.operation": "user", "http.request.method": "GET", "url.template": "/users/{userId}",
		"zoom.rate_limit.label": "Light", "http.response.status_code": "200", "zoom.attempts": "2",
		"http.request.resend_count": "1",
	} {
		if got[k] != want {
			t.Errorf("span attribute %s = %q, want %q", k, got[k], want)
		}
	}
	if v, ok := got["zoom.error.code"]; ok {
		t.Errorf("span of a call that succeeded on retry keeps the 429's error code %s", v)
	}
	names, ev := events(span)
	// The per-second 429 also taught the client to pace Light calls: the retry waits for
	// a pacing slot too.
	if want := "token_fetch attempt wait wait attempt"; strings.Join(names, " ") != want {
		t.Fatalf("events %q, want %q", names, want)
	}
	first, second, wait := ev["attempt"][0], ev["attempt"][1], ev["wait"][0]
	if first["http.response.status_code"] != "429" || first["zoom.error.code"] != "429" || first["zoom.rate_limit.type"] != "QPS" ||
		first["zoom.rate_limit.category"] != "Light" || first["zoom.rate_limit.remaining"] != "0" || first["zoom.rate_limit.limit"] == "" ||
		first["zoom.tracking_id"] == "" || first["zoom.attempt"] != "1" {
		t.Errorf("first attempt event = %v", first)
	}
	if second["http.response.status_code"] != "200" || second["zoom.attempt"] != "2" || second["zoom.tracking_id"] == first["zoom.tracking_id"] {
		t.Errorf("second attempt event = %v", second)
	}
	if wait["zoom.wait.reason"] != "retry" || seconds(wait["zoom.wait.duration"]) < 1 {
		t.Errorf("wait event = %v, want a retry wait of at least Zoom's one-second window", wait)
	}
	if paced := ev["wait"][1]; paced["zoom.wait.reason"] != "pacing" {
		t.Errorf("second wait event = %v, want the pacing slot", paced)
	}

	m := rec.metrics(t)
	for k, want := range map[string]int64{
		"zoom.client.calls{zoom.operation=user,zoom.outcome=ok}":                                             1,
		"zoom.client.attempts{http.response.status_code=429,zoom.operation=user}":                            1,
		"zoom.client.attempts{http.response.status_code=200,zoom.operation=user}":                            1,
		"zoom.client.rate_limited{zoom.operation=user,zoom.rate_limit.label=Light,zoom.rate_limit.type=QPS}": 1,
		"zoom.client.wait.duration{zoom.operation=user,zoom.rate_limit.label=Light,zoom.wait.reason=retry}":  1,
		"zoom.client.wait.duration{zoom.operation=user,zoom.rate_limit.label=Light,zoom.wait.reason=pacing}": 1,
		"zoom.client.token.fetches{zoom.outcome=ok}":                                                         1,
		"zoom.client.token.fetch.duration{zoom.outcome=ok}":                                                  1,
		"zoom.client.call.duration{zoom.operation=user,zoom.outcome=ok}":                                     1,
	} {
		if m[k].count != want {
			t.Errorf("%s = %d, want %d", k, m[k].count, want)
		}
	}
	if p := m["zoom.client.wait.duration{zoom.operation=user,zoom.rate_limit.label=Light,zoom.wait.reason=retry}"]; p.sum < 1 {
		t.Errorf("retry wait recorded %.3fs, want at least 1s", p.sum)
	}
	if call := m["zoom.client.call.duration{zoom.operation=user,zoom.outcome=ok}"]; call.sum < 1 {
		t.Errorf("call duration %.3fs does not include the retry wait", call.sum)
	}
	if _, ok := m["zoom.client.errors{zoom.operation=user}"]; ok || len(errorPoints(m)) != 0 {
		t.Errorf("a call that succeeded counted errors: %v", errorPoints(m))
	}
	if g, ok := m["zoom.client.rate_limit.remaining{zoom.rate_limit.label=Light}"]; !ok || g.value != 0 {
		// The fake sends X-RateLimit-Remaining with its 429 only; the gauge keeps that 0.
		t.Errorf("rate-limit headroom gauge = %+v (present %v), want Zoom's last Remaining 0", g, ok)
	}
}

func seconds(s string) float64 {
	var d float64
	fmt.Sscan(s, &d)
	return d
}

func errorPoints(m map[string]point) []string {
	var out []string
	for k := range m {
		if strings.HasPrefix(k, "zoom.client.errors") {
			out = append(out, k)
		}
	}
	return out
}

func TestPacedCalls(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithPlan(zoomusers.PlanFree))
	defer srv.Close()
	c, rec, _ := newClient(t, srv, zoomusers.WithPacing(zoomusers.PlanFree, 1))
	for range 3 {
		if _, err := c.User("u0@example.com").Get(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	spans := rec.spans.Ended()
	if len(spans) != 3 {
		t.Fatalf("%d spans, want 3", len(spans))
	}
	var longest float64
	for _, s := range spans {
		_, ev := events(s)
		if len(ev["wait"]) != 1 || ev["wait"][0]["zoom.wait.reason"] != "pacing" {
			t.Fatalf("span events %v, want one pacing wait", ev)
		}
		longest = max(longest, seconds(ev["wait"][0]["zoom.wait.duration"]))
	}
	// Free accounts get 4 Light requests a second, paced at 3.6/s: 278 ms apart.
	if longest < 0.2 {
		t.Errorf("longest pacing wait %.3fs, want about 0.278s", longest)
	}
	m := rec.metrics(t)
	p := m["zoom.client.wait.duration{zoom.operation=user,zoom.rate_limit.label=Light,zoom.wait.reason=pacing}"]
	if p.count != 3 || p.sum < 0.4 {
		t.Errorf("pacing wait histogram: %d waits, %.3fs; want 3 adding up to two intervals", p.count, p.sum)
	}
	if n := m["zoom.client.calls{zoom.operation=user,zoom.outcome=ok}"].count; n != 3 {
		t.Errorf("calls = %d, want 3", n)
	}
}

func TestFailedCallRecordsNoPersonalData(t *testing.T) {
	const email = "nobody@example.com"
	for _, sensitive := range []bool{false, true} {
		t.Run(fmt.Sprint("sensitive=", sensitive), func(t *testing.T) {
			srv := zoomtest.NewServer(zoomtest.WithUsers(1))
			defer srv.Close()
			rec := &recorded{spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
			opts := []zoomotel.Option{
				zoomotel.WithTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec.spans))),
				zoomotel.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(rec.reader))),
			}
			if sensitive {
				opts = append(opts, zoomotel.WithSensitiveData())
			}
			c := newClientWith(t, srv, rec, opts)
			_, err := c.User(email).Get(context.Background(), nil)
			var apiErr *zoomusers.Error
			if !errors.As(err, &apiErr) || apiErr.Code != zoomusers.CodeUserNotFound || !strings.Contains(err.Error(), email) {
				t.Fatalf("Get = %v, want Zoom's 1001 naming the user (the premise of this test)", err)
			}
			span := onlySpan(t, rec)
			if span.Status().Code != codes.Error {
				t.Errorf("status %v, want Error", span.Status())
			}
			if a := attrs(span.Attributes()); a["zoom.error.code"] != "1001" || a["error.type"] != "404" || a["http.response.status_code"] != "404" {
				t.Errorf("span attributes %v", a)
			}
			m := rec.metrics(t)
			if n := m["zoom.client.errors{error.type=404,zoom.error.code=1001,zoom.operation=user}"].count; n != 1 {
				t.Errorf("errors by code: %v", errorPoints(m))
			}
			if n := m["zoom.client.calls{zoom.operation=user,zoom.outcome=error}"].count; n != 1 {
				t.Errorf("failed calls = %d, want 1", n)
			}

			// Everything recorded, flattened: the email must appear only when asked for.
			var all []string
			all = append(all, span.Status().Description)
			for _, kv := range span.Attributes() {
				all = append(all, kv.Value.String())
			}
			for _, e := range span.Events() {
				all = append(all, e.Name)
				for _, kv := range e.Attributes {
					all = append(all, kv.Value.String())
				}
			}
			for k := range m {
				all = append(all, k)
			}
			leaked := strings.Contains(strings.Join(all, "\n"), email)
			if leaked != sensitive {
				t.Errorf("email recorded = %v with sensitive data %v; recorded:\n%s", leaked, sensitive, strings.Join(all, "\n"))
			}
			if d := span.Status().Description; sensitive && !strings.Contains(d, "does not exist") {
				t.Errorf("status description %q, want Zoom's message", d)
			} else if !sensitive && d != "Zoom error code 1001" {
				t.Errorf("status description %q, want only Zoom's code", d)
			}
		})
	}
}

func TestTransportFailureIsClassified(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	c, rec, _ := newClient(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Latency: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("u0@example.com").Get(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get = %v, want the deadline", err)
	}
	span := onlySpan(t, rec)
	if a := attrs(span.Attributes()); a["error.type"] != "deadline_exceeded" || span.Status().Code != codes.Error {
		t.Errorf("span %v status %v", a, span.Status())
	}
	if n := rec.metrics(t)["zoom.client.errors{error.type=deadline_exceeded,zoom.error.code=0,zoom.operation=user}"].count; n != 1 {
		t.Errorf("deadline errors = %d, want 1", n)
	}
}

// TestDailyLimitRemembered: the call refused from the daily-limit memory has a span with
// no attempt, and the metrics count one 429 answer for two failed calls.
func TestDailyLimitRemembered(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	if err := srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{DailyLimit: true}); err != nil {
		t.Fatal(err)
	}
	c, rec, _ := newClient(t, srv)
	for range 2 {
		var apiErr *zoomusers.Error
		if _, err := c.User("u0@example.com").Get(context.Background(), nil); !errors.As(err, &apiErr) || !apiErr.DailyLimit() {
			t.Fatalf("Get = %v, want the daily limit", err)
		}
	}
	spans := rec.spans.Ended()
	if len(spans) != 2 {
		t.Fatalf("%d spans, want 2", len(spans))
	}
	for i, want := range []int{1, 0} {
		a := attrs(spans[i].Attributes())
		_, ev := events(spans[i])
		if a["zoom.attempts"] != fmt.Sprint(want) || len(ev["attempt"]) != want || a["zoom.error.code"] != "429" || spans[i].Status().Code != codes.Error {
			t.Errorf("span %d: attributes %v, events %v; want %d attempt(s) and Zoom's 429", i, a, ev, want)
		}
	}
	m := rec.metrics(t)
	for k, want := range map[string]int64{
		"zoom.client.errors{error.type=429,zoom.error.code=429,zoom.operation=user}":                                 1 + 1,
		"zoom.client.rate_limited{zoom.operation=user,zoom.rate_limit.label=Light,zoom.rate_limit.type=Daily-limit}": 1,
		"zoom.client.attempts{http.response.status_code=429,zoom.operation=user}":                                    1,
	} {
		if m[k].count != want {
			t.Errorf("%s = %d, want %d", k, m[k].count, want)
		}
	}
}
