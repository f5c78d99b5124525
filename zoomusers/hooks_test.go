package zoomusers

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hookLog records every hook call as one line, and the context values the hooks saw.
type hookLog struct {
	mu     sync.Mutex
	lines  []string
	calls  []CallDone
	tries  []AttemptDone
	waits  []Wait
	tokens []TokenFetch
	marked int // hook calls whose context held CallStart's mark
}

type markKey struct{}

func (l *hookLog) add(ctx context.Context, line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	if ctx.Value(markKey{}) == "call" {
		l.marked++
	}
}

func (l *hookLog) hooks() Hooks {
	return Hooks{
		CallStart: func(ctx context.Context, c CallStart) context.Context {
			l.add(ctx, "start "+string(c.Operation)+" "+c.Method+" "+c.PathTemplate+" "+string(c.Label))
			return context.WithValue(ctx, markKey{}, "call")
		},
		CallDone: func(ctx context.Context, c CallDone) {
			l.add(ctx, "done "+string(c.Operation))
			l.mu.Lock()
			l.calls = append(l.calls, c)
			l.mu.Unlock()
		},
		AttemptDone: func(ctx context.Context, a AttemptDone) {
			l.add(ctx, "attempt "+http.StatusText(a.StatusCode))
			l.mu.Lock()
			l.tries = append(l.tries, a)
			l.mu.Unlock()
		},
		Wait: func(ctx context.Context, w Wait) {
			l.add(ctx, "wait "+string(w.Reason))
			l.mu.Lock()
			l.waits = append(l.waits, w)
			l.mu.Unlock()
		},
		TokenFetch: func(ctx context.Context, f TokenFetch) {
			l.add(ctx, "token")
			l.mu.Lock()
			l.tokens = append(l.tokens, f)
			l.mu.Unlock()
		},
	}
}

func TestHooksFollowARetriedCall(t *testing.T) {
	f := newFakeZoom(t, failThen(1, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Category", "Light")
		w.Header().Set("X-RateLimit-Remaining", "0")
		qps429(w, r)
	}, okUser))
	var log hookLog
	c := f.client(WithHooks(log.hooks()))

	u, err := c.User("jill@example.com").Get(context.Background(), nil)
	if err != nil || u == nil {
		t.Fatalf("Get: %v", err)
	}
	want := []string{
		"start user GET /users/{userId} Light",
		"token",
		"attempt Too Many Requests",
		"wait retry",
		"wait pacing", // the per-second 429 taught the client to pace Light calls
		"attempt OK",
		"done user",
	}
	if diff := cmp.Diff(want, log.lines); diff != "" {
		t.Fatalf("hook calls (-want +got):\n%s", diff)
	}
	if log.marked != len(want)-1 {
		t.Errorf("%d of %d hook calls after CallStart saw its context", log.marked, len(want)-1)
	}
	first, second := log.tries[0], log.tries[1]
	if first.Number != 1 || first.StatusCode != 429 || first.Code != 429 || first.TrackingID != "trk-1" ||
		first.RateLimit.Type != "QPS" || first.RateLimit.Category != "Light" || first.RateLimit.Remaining != 0 ||
		first.URLPath != "/v2/users/jill@example.com" || !errors.Is(first.Err, ErrRateLimited) {
		t.Errorf("first attempt = %+v", first)
	}
	if second.Number != 2 || second.StatusCode != 200 || second.Code != 0 || second.Err != nil || second.RateLimit.Remaining != -1 {
		t.Errorf("second attempt = %+v", second)
	}
	if w := log.waits[0]; w.Operation != OpUser || w.Label != LabelLight || w.Reason != WaitRetry || w.Duration <= 0 {
		t.Errorf("retry wait = %+v", w)
	}
	if w := log.waits[1]; w.Reason != WaitPacing || w.Label != LabelLight {
		t.Errorf("pacing wait = %+v", w)
	}
	if call := log.calls[0]; call.Attempts != 2 || call.Err != nil || call.Duration < log.waits[0].Duration {
		t.Errorf("call = %+v", call)
	}
	if log.tokens[0].Err != nil || log.tokens[0].Duration <= 0 {
		t.Errorf("token fetch = %+v", log.tokens[0])
	}
}

func TestHooksReportFailures(t *testing.T) {
	notFound := func(w http.ResponseWriter, r *http.Request) {
		zoomError(w, 404, CodeUserNotFound, "User does not exist: x@example.com.")
	}
	empty := func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }
	for name, tc := range map[string]struct {
		api      http.HandlerFunc
		want     error
		attempts int
	}{
		"error answer":  {notFound, ErrNotFound, 1},
		"empty success": {empty, ErrEmptyResponse, 1},
	} {
		t.Run(name, func(t *testing.T) {
			var log hookLog
			c := newFakeZoom(t, tc.api).client(WithHooks(log.hooks()))
			_, err := c.User("x@example.com").Get(context.Background(), nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Get: %v, want %v", err, tc.want)
			}
			if len(log.calls) != 1 {
				t.Fatalf("%d CallDone, want 1: %q", len(log.calls), log.lines)
			}
			if got := log.calls[0]; got.Err != err || got.Attempts != tc.attempts {
				t.Errorf("CallDone = %+v, want the call's error %v after %d attempt(s)", got, err, tc.attempts)
			}
		})
	}
}

func TestHooksEndCallsWithoutABody(t *testing.T) {
	var log hookLog
	c := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }).client(WithHooks(log.hooks()))
	if err := c.User("u1").Delete(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(log.calls) != 1 || log.calls[0].Operation != OpUserDelete || log.calls[0].Err != nil {
		t.Fatalf("CallDone = %+v", log.calls)
	}
}

func TestHooksReportPacingWaits(t *testing.T) {
	var log hookLog
	c := newFakeZoom(t, okUser).client(WithHooks(log.hooks()), WithPacing(PlanFree, 1))
	for range 3 {
		if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	var paced time.Duration
	for _, w := range log.waits {
		if w.Reason != WaitPacing || w.Label != LabelLight {
			t.Errorf("wait = %+v, want only Light pacing waits", w)
		}
		paced += w.Duration
	}
	// Free Light is 4/s, paced at 3.6/s: three calls take two intervals of about 278 ms.
	if len(log.waits) != 3 || paced < 400*time.Millisecond {
		t.Errorf("%d pacing waits, %s in all; want 3 adding up to two pacing intervals", len(log.waits), paced)
	}
}

func TestSeveralHooksAllRunBesideTheLogger(t *testing.T) {
	var a, b hookLog
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newFakeZoom(t, okUser).client(WithHooks(a.hooks()), WithLogger(logger), WithHooks(b.hooks()))
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "zoomusers: request"); n != 1 {
		t.Errorf("%d debug lines for one attempt, want 1:\n%s", n, logs.String())
	}
	if diff := cmp.Diff(a.lines, b.lines); diff != "" || len(a.lines) != 4 {
		t.Errorf("hooks saw different calls (-first +second):\n%s\nfirst: %q", diff, a.lines)
	}
}

// TestCallFromAHookContextIsACallOfItsOwn: a call made with a context that holds another
// call's state (one a hook was given) starts and ends as a call of its own.
func TestCallFromAHookContextIsACallOfItsOwn(t *testing.T) {
	var log hookLog
	var saved context.Context
	h := log.hooks()
	h.AttemptDone = func(ctx context.Context, a AttemptDone) {
		if saved == nil {
			saved = ctx
		}
	}
	c := newFakeZoom(t, okUser).client(WithHooks(h))
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("u1").Get(saved, nil); err != nil {
		t.Fatal(err)
	}
	if len(log.calls) != 2 {
		t.Errorf("%d calls ended, want 2: %q", len(log.calls), log.lines)
	}
}
