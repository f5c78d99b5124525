package zoomusers

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// failThen answers the first n requests with fail, then with ok.
func failThen(n int64, fail, ok http.HandlerFunc) http.HandlerFunc {
	var seen atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			fail(w, r)
			return
		}
		ok(w, r)
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { zoomError(w, code, 0, http.StatusText(code)) }
}

func qps429(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-RateLimit-Type", "QPS")
	zoomError(w, 429, 429, "You have reached the maximum per-second rate limit for this API.")
}

func TestRetriesByMethodAndStatus(t *testing.T) {
	ctx := context.Background()
	created := func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 201, map[string]any{"id": "new"}) }
	tests := []struct {
		name     string
		serve    http.HandlerFunc
		call     func(c *Client) error
		requests int64
		wantErr  bool
	}{
		{"GET 503 retried", failThen(2, status(503), okUser), func(c *Client) error { _, err := c.User("u1").Get(ctx, nil); return err }, 3, false},
		{"GET 502 retried", failThen(1, status(502), okUser), func(c *Client) error { _, err := c.User("u1").Get(ctx, nil); return err }, 2, false},
		{"DELETE 504 retried", failThen(1, status(504), status(204)), func(c *Client) error { return c.User("u1").Delete(ctx, nil) }, 2, false},
		{"PUT 503 retried", failThen(1, status(503), status(204)), func(c *Client) error { return c.User("u1").SetStatus(ctx, UserStatusActionActivate) }, 2, false},
		{"POST 503 not retried", failThen(1, status(503), created), func(c *Client) error {
			_, err := c.CreateUser(ctx, CreateUserRequest{Action: CreateUserActionCreate})
			return err
		}, 1, true},
		{"PATCH 502 not retried", failThen(1, status(502), status(204)), func(c *Client) error { return c.User("u1").Update(ctx, UserUpdate{}, nil) }, 1, true},
		{"POST per-second 429 retried", failThen(2, qps429, created), func(c *Client) error {
			_, err := c.CreateUser(ctx, CreateUserRequest{Action: CreateUserActionCreate})
			return err
		}, 3, false},
		{"GET 500 not retried", failThen(1, status(500), okUser), func(c *Client) error { _, err := c.User("u1").Get(ctx, nil); return err }, 1, true},
		{"GET 404 not retried", failThen(1, status(404), okUser), func(c *Client) error { _, err := c.User("u1").Get(ctx, nil); return err }, 1, true},
		{"gives up after MaxAttempts", status(503), func(c *Client) error { _, err := c.User("u1").Get(ctx, nil); return err }, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeZoom(t, tt.serve)
			err := tt.call(f.client())
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if n := f.apiRequests.Load(); n != tt.requests {
				t.Errorf("requests = %d, want %d", n, tt.requests)
			}
		})
	}
}

func TestNoRetriesTurnsRetryingOff(t *testing.T) {
	f := newFakeZoom(t, failThen(1, status(503), okUser))
	if _, err := f.client(WithRetryPolicy(NoRetries)).User("u1").Get(context.Background(), nil); err == nil {
		t.Fatal("want the 503")
	}
	if n := f.apiRequests.Load(); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// countingPolicy records the waits the default policy chooses.
type countingPolicy struct {
	DefaultRetryPolicy
	waits []time.Duration
}

func (p *countingPolicy) Backoff(a Attempt) (time.Duration, bool) {
	d, ok := p.DefaultRetryPolicy.Backoff(a)
	if ok {
		p.waits = append(p.waits, d)
	}
	return d, ok
}

func TestRetryAfterSecondsIsHonoured(t *testing.T) {
	f := newFakeZoom(t, failThen(1, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		qps429(w, r)
	}, okUser))
	p := &countingPolicy{DefaultRetryPolicy: DefaultRetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Second}}
	if _, err := f.client(WithRetryPolicy(p)).User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(p.waits) != 1 || p.waits[0] < 900*time.Millisecond || p.waits[0] > time.Second {
		t.Errorf("waits = %v, want one of about 1s from Retry-After", p.waits)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := DefaultRetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: 400 * time.Millisecond}
	for attempt := 1; attempt < 10; attempt++ {
		ceiling := min(100*time.Millisecond<<(attempt-1), 400*time.Millisecond)
		for range 50 {
			d, ok := p.Backoff(Attempt{Number: attempt, Method: "GET", Replayable: true, APIError: &Error{StatusCode: 503}})
			if !ok || d <= 0 || d > ceiling {
				t.Fatalf("attempt %d: wait %v, %v; want in (0, %v]", attempt, d, ok, ceiling)
			}
		}
	}
	if _, ok := p.Backoff(Attempt{Number: 10, Method: "GET", Replayable: true, APIError: &Error{StatusCode: 503}}); ok {
		t.Error("retried past MaxAttempts")
	}
	if _, ok := p.Backoff(Attempt{Number: 1, Method: "GET", Replayable: false, APIError: &Error{StatusCode: 503}}); ok {
		t.Error("retried a request whose body cannot be replayed")
	}
	far := &Error{StatusCode: 429, RetryAfter: time.Now().Add(time.Hour)}
	if _, ok := p.Backoff(Attempt{Number: 1, Method: "GET", Replayable: true, APIError: far}); ok {
		t.Error("retried although Retry-After is beyond MaxDelay")
	}
}

func TestConnectionErrorsRetriedForIdempotentMethods(t *testing.T) {
	var conns atomic.Int64
	f := newFakeZoom(t, nil)
	f.api = func(w http.ResponseWriter, r *http.Request) {
		if conns.Add(1) == 1 {
			// Drop the connection without an answer.
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		okUser(w, r)
	}
	c := f.client()
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatalf("GET after a dropped connection: %v", err)
	}
	conns.Store(0)
	_, err := c.CreateUser(context.Background(), CreateUserRequest{Action: CreateUserActionCreate})
	if err == nil || errors.As(err, new(*Error)) {
		t.Fatalf("POST after a dropped connection: err = %v, want the transport error", err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("POST was sent %d times, want 1", n)
	}
}

func TestContextCancellationStopsBackoff(t *testing.T) {
	f := newFakeZoom(t, status(503))
	c := f.client(WithRetryPolicy(DefaultRetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}))
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := c.User("u1").Get(ctx, nil); errc <- err }()
	for f.apiRequests.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("cancellation did not stop the hour-long backoff")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0", 0, true},
		{"Sat, 30 May 2026 12:00:10 GMT", 10 * time.Second, true},
		{"2026-05-31T00:00:00Z", 12 * time.Hour, true},
		{"2026-05-30T12:00:30.5+00:00", 30*time.Second + 500*time.Millisecond, true},
		{"2026-05-30T11:00:00Z", 0, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, _, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
