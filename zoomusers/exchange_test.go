package zoomusers

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The default HTTP client bounds each attempt, request to last byte of the answer
// (Client.bound). The bound is two minutes; the tests shorten it on the client.

// TestExchangeBoundsAStalledAnswer: a server that never answers fails each attempt of
// a call without a deadline of its own, and the call is retried, then fails naming why.
func TestExchangeBoundsAStalledAnswer(t *testing.T) {
	var attempts atomic.Int64
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		select {
		case <-r.Context().Done():
		case <-t.Context().Done():
		}
	})
	c := f.client(WithRetryPolicy(DefaultRetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}))
	c.exchange = Ptr(exchangeTimeout(100 * time.Millisecond))
	done := make(chan error, 1)
	go func() { _, err := c.User("u1").Get(context.Background(), nil); done <- err }()
	select {
	case err := <-done:
		var netErr net.Error
		if err == nil || strings.Count(err.Error(), "no complete answer within 100ms") != 1 || !errors.Is(err, context.DeadlineExceeded) ||
			!errors.As(err, &netErr) || !netErr.Timeout() {
			t.Fatalf("err = %v, want the exchange bound named once, a timeout and context.DeadlineExceeded", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the call still waits on a stalled server")
	}
	if n := attempts.Load(); n != 3 {
		t.Errorf("%d attempts, want 3: a GET that timed out is retried", n)
	}
}

// TestExchangeBoundsATrickledBody: the bound covers the answer's body, read after the
// attempt loop has handed the answer over.
func TestExchangeBoundsATrickledBody(t *testing.T) {
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"id":"u1","email":"`))
		w.(http.Flusher).Flush()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-t.Context().Done():
				return
			case <-time.After(10 * time.Millisecond):
				w.Write([]byte("x"))
				w.(http.Flusher).Flush()
			}
		}
	})
	c := f.client()
	c.exchange = Ptr(exchangeTimeout(200 * time.Millisecond))
	done := make(chan error, 1)
	go func() { _, err := c.User("u1").Get(context.Background(), nil); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "reading the answer") {
			t.Fatalf("err = %v, want the body read to fail", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the call still reads a body trickled forever")
	}
}

// TestExchangeReleasedWithTheAnswer: once the answer is read (or refused), the
// attempt's bound is released rather than left to run out, and a slow but complete
// answer within it succeeds.
func TestExchangeReleasedWithTheAnswer(t *testing.T) {
	var mu sync.Mutex
	var seen []context.Context
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		if strings.HasSuffix(r.URL.Path, "/missing") {
			zoomError(w, http.StatusNotFound, 1001, "User does not exist: missing")
			return
		}
		okUser(w, r)
	})
	c := f.client(WithHTTPClient(&http.Client{Transport: recordContexts(http.DefaultTransport, &mu, &seen)}))
	c.exchange = Ptr(exchangeTimeout(5 * time.Second)) // WithHTTPClient leaves it nil: bound it here to see it released
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("missing").Get(context.Background(), nil); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("%d requests, want 2", len(seen))
	}
	for i, ctx := range seen {
		if _, ok := ctx.Deadline(); !ok || !errors.Is(ctx.Err(), context.Canceled) {
			t.Errorf("request %d: deadline set %v, err %v after the call: want a bound, released", i, ok, ctx.Err())
		}
	}
}

// TestExchangeOnlyForTheDefaultClient: a caller's own HTTP client keeps its own bounds.
func TestExchangeOnlyForTheDefaultClient(t *testing.T) {
	f := newFakeZoom(t, okUser)
	if c := f.client(); c.exchange == nil || time.Duration(*c.exchange) != defaultExchangeTimeout || c.http.Timeout != 0 {
		t.Errorf("default client: exchange %v, http.Client.Timeout %s; want %s and none", c.exchange, c.http.Timeout, defaultExchangeTimeout)
	}
	if c := f.client(WithHTTPClient(&http.Client{Timeout: time.Second})); c.exchange != nil || c.http.Timeout != time.Second {
		t.Errorf("caller's client: exchange %v, http.Client.Timeout %s; want none and 1s", c.exchange, c.http.Timeout)
	}
}

type contextRecorder struct {
	next http.RoundTripper
	mu   *sync.Mutex
	seen *[]context.Context
}

func recordContexts(next http.RoundTripper, mu *sync.Mutex, seen *[]context.Context) http.RoundTripper {
	return contextRecorder{next, mu, seen}
}

func (c contextRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/v2/") {
		c.mu.Lock()
		*c.seen = append(*c.seen, r.Context())
		c.mu.Unlock()
	}
	return c.next.RoundTrip(r)
}
