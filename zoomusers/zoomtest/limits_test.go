package zoomtest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// The per-second limits count a sliding window: two requests just before a second's
// boundary and two just after it are four within 200 ms, which fixed windows would let
// through.
func TestRateLimitWindowSlides(t *testing.T) {
	start := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	now := start
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	at := func(d time.Duration) { mu.Lock(); now = start.Add(d); mu.Unlock() }
	// Free plan: userSummary is Medium, 2 a second.
	srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree), zoomtest.WithClock(clock))
	defer srv.Close()
	summary := func() int { return call(t, srv, http.MethodGet, "/users/summary", "", nil).status }

	steps := []struct {
		at   time.Duration
		want int
	}{
		{900 * time.Millisecond, http.StatusOK},
		{950 * time.Millisecond, http.StatusOK},
		{1100 * time.Millisecond, http.StatusTooManyRequests}, // a fixed window would start afresh at 1.0 s
		{1899 * time.Millisecond, http.StatusTooManyRequests}, // 0.9 s is still inside (0.899, 1.899]
		{1900 * time.Millisecond, http.StatusOK},              // 0.9 s has left (0.9, 1.9]
		{1949 * time.Millisecond, http.StatusTooManyRequests},
		{1950 * time.Millisecond, http.StatusOK},
		{1960 * time.Millisecond, http.StatusTooManyRequests},
		{1970 * time.Millisecond, http.StatusTooManyRequests},
		{2950 * time.Millisecond, http.StatusOK}, // the refused ones at 1.96 s and 1.97 s do not count
		{2955 * time.Millisecond, http.StatusOK}, // 1.95 s has left
		{2960 * time.Millisecond, http.StatusTooManyRequests},
	}
	for _, s := range steps {
		at(s.at)
		if got := summary(); got != s.want {
			t.Errorf("a Medium call at %v: %d, want %d", s.at, got, s.want)
		}
	}
}
