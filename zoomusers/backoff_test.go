package zoomusers_test

import (
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
)

// backoffs samples a policy's waits for the nth attempt of a GET that got a 503.
func backoffs(t *testing.T, p zoomusers.DefaultRetryPolicy, n, samples int) (lo, hi time.Duration) {
	t.Helper()
	lo = time.Duration(1<<63 - 1)
	for range samples {
		d, again := p.Backoff(zoomusers.Attempt{Number: n, Method: "GET", Replayable: true, APIError: &zoomusers.Error{StatusCode: 503}})
		if !again {
			t.Fatalf("attempt %d of a GET after a 503 is not retried", n)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

// The waits have full jitter: 200 samples spread over the range, and never leave it.
func TestDefaultBackoffRanges(t *testing.T) {
	for _, tc := range []struct {
		name    string
		policy  zoomusers.DefaultRetryPolicy
		attempt int
		max     time.Duration
	}{
		{"first retry, default base", zoomusers.DefaultRetryPolicy{}, 1, 500 * time.Millisecond},
		{"second retry, default base", zoomusers.DefaultRetryPolicy{}, 2, time.Second},
		{"third retry, own base", zoomusers.DefaultRetryPolicy{BaseDelay: 10 * time.Millisecond}, 3, 40 * time.Millisecond},
		{"capped by the default maximum", zoomusers.DefaultRetryPolicy{BaseDelay: 20 * time.Second}, 2, 30 * time.Second},
		{"capped by an own maximum", zoomusers.DefaultRetryPolicy{BaseDelay: time.Second, MaxDelay: 1500 * time.Millisecond}, 3, 1500 * time.Millisecond},
		{"a base so large the doubling overflows", zoomusers.DefaultRetryPolicy{MaxAttempts: 10, BaseDelay: 1 << 62, MaxDelay: time.Hour}, 3, time.Hour},
	} {
		lo, hi := backoffs(t, tc.policy, tc.attempt, 200)
		if lo <= 0 || hi > tc.max || hi < tc.max/2 {
			t.Errorf("%s: waits from %v to %v, want within (0, %v] and reaching past half of it", tc.name, lo, hi, tc.max)
		}
	}
}

func TestDefaultBackoffStopsAtMaxAttempts(t *testing.T) {
	failed := func(n int) zoomusers.Attempt {
		return zoomusers.Attempt{Number: n, Method: "GET", Replayable: true, APIError: &zoomusers.Error{StatusCode: 503}}
	}
	for policy, last := range map[zoomusers.DefaultRetryPolicy]int{{}: 3, {MaxAttempts: 2}: 1} {
		if _, again := policy.Backoff(failed(last)); !again {
			t.Errorf("%+v: attempt %d not retried", policy, last)
		}
		if _, again := policy.Backoff(failed(last + 1)); again {
			t.Errorf("%+v: attempt %d retried", policy, last+1)
		}
	}
}
