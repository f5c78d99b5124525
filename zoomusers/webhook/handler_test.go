package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
)

// logRecorder keeps the records a Handler logs.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.records = append(l.records, r.Clone())
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

// statuses lists the "status" attribute of every record, with its level.
func (l *logRecorder) statuses() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, r := range l.records {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "status" {
				out = append(out, r.Level.String()+" "+a.Value.String())
			}
			return true
		})
	}
	return out
}

// receiver is a Handler on a loopback server.
type receiver struct {
	url   string
	log   *logRecorder
	calls atomic.Int32
}

func newReceiver(t *testing.T, fn webhook.HandlerFunc, opts webhook.HandlerOptions) *receiver {
	t.Helper()
	r := &receiver{log: &logRecorder{}}
	if opts.Secrets == nil {
		opts.Secrets = []string{"s3cret"}
	}
	opts.Logger = slog.New(r.log)
	h, err := webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		r.calls.Add(1)
		return fn(ctx, e)
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// post sends body with header and returns the status and answer.
func post(t *testing.T, url string, body []byte, header http.Header) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, answer
}

// signed posts body signed now with secret, as each of Zoom's deliveries is.
func signed(t *testing.T, url, secret, body string) int {
	t.Helper()
	status, _ := post(t, url, []byte(body), webhook.Sign(secret, time.Now(), []byte(body)))
	return status
}

func ok(context.Context, *webhook.Event) error { return nil }

func TestHandlerURLValidationWithRotation(t *testing.T) {
	r := newReceiver(t, ok, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{"new-token", "old-token"}}})
	body := []byte(`{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`)
	for _, secret := range []string{"new-token", "old-token"} {
		status, answer := post(t, r.url, body, webhook.Sign(secret, time.Now(), body))
		var got struct{ PlainToken, EncryptedToken string }
		if err := json.Unmarshal(answer, &got); status != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", secret, status, answer)
		}
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
		if got.PlainToken != "qgg8vlvZRS6UYooatFL8Aw" || got.EncryptedToken != hex.EncodeToString(m.Sum(nil)) {
			t.Errorf("%s: answered %+v", secret, got)
		}
	}
	if r.calls.Load() != 0 {
		t.Errorf("the validation reached the HandlerFunc %d times", r.calls.Load())
	}
}

func TestHandlerRefusals(t *testing.T) {
	r := newReceiver(t, ok, webhook.HandlerOptions{MaxBodyBytes: 1024})
	event := []byte(samples["user.deactivated"])
	now := time.Now()
	big := []byte(`{"event":"user.updated","payload":{"object":{"id":"u1","dept":"` + strings.Repeat("x", 2000) + `"}}}`)
	cases := []struct {
		name   string
		method string
		body   []byte
		header http.Header
		want   int
	}{
		{"unsigned", "POST", event, nil, 401},
		{"wrong secret", "POST", event, webhook.Sign("guess", now, event), 401},
		{"stale", "POST", event, webhook.Sign("s3cret", now.Add(-6*time.Minute), event), 401},
		{"from the future", "POST", event, webhook.Sign("s3cret", now.Add(6*time.Minute), event), 401},
		{"signed but not JSON", "POST", []byte(`{"event":`), webhook.Sign("s3cret", now, []byte(`{"event":`)), 400},
		{"signed but no event name", "POST", []byte(`{"payload":{}}`), webhook.Sign("s3cret", now, []byte(`{"payload":{}}`)), 400},
		{"validation without token", "POST", []byte(`{"event":"endpoint.url_validation","payload":{}}`),
			webhook.Sign("s3cret", now, []byte(`{"event":"endpoint.url_validation","payload":{}}`)), 400},
		{"oversized", "POST", big, webhook.Sign("s3cret", now, big), 413},
		{"GET", "GET", nil, nil, 405},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, r.url, bytes.NewReader(c.body))
		for k, v := range c.header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
	if r.calls.Load() != 0 {
		t.Errorf("refused requests reached the HandlerFunc %d times", r.calls.Load())
	}
	want := []string{"WARN 401", "WARN 401", "WARN 401", "WARN 401", "WARN 400", "WARN 400", "WARN 400", "WARN 413", "WARN 405"}
	if got := r.log.statuses(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("logged %q, want %q", got, want)
	}
	// The same event, signed and fresh, goes through.
	if s := signed(t, r.url, "s3cret", samples["user.deactivated"]); s != 200 || r.calls.Load() != 1 {
		t.Errorf("valid event: %d, %d calls", s, r.calls.Load())
	}
}

func TestHandlerPassesTypedEvents(t *testing.T) {
	var got []string
	var mu sync.Mutex
	r := newReceiver(t, func(_ context.Context, e *webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		switch d := e.Data.(type) {
		case *webhook.UserDeactivated:
			got = append(got, "deactivated "+d.User.Email)
		case *webhook.UserUpdated:
			got = append(got, "updated "+strings.Join(d.Changed, "+"))
		case *webhook.Unknown:
			got = append(got, "unknown "+e.Type)
		}
		return nil
	}, webhook.HandlerOptions{})
	for _, body := range []string{samples["user.deactivated"], samples["user.updated"], `{"event":"user.something_new","payload":{}}`} {
		if s := signed(t, r.url, "s3cret", body); s != 200 {
			t.Errorf("%d for %s", s, body)
		}
	}
	want := "deactivated ada@example.com,updated dept+email,unknown user.something_new"
	if strings.Join(got, ",") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestHandlerFailureIsRedeliveredThenDeduplicated(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	dedupe := webhook.NewMemoryDeduper(0)
	r := newReceiver(t, func(context.Context, *webhook.Event) error {
		if fail.Load() {
			return errors.New("directory is down")
		}
		return nil
	}, webhook.HandlerOptions{Dedupe: dedupe})
	body := samples["user.deleted"]
	if s := signed(t, r.url, "s3cret", body); s != 500 {
		t.Fatalf("failed handler answered %d", s)
	}
	fail.Store(false)
	// Zoom's redeliveries repeat the body with a new timestamp and signature.
	for i, want := range []int{200, 200, 200} {
		if s := signed(t, r.url, "s3cret", body); s != want {
			t.Errorf("redelivery %d: %d, want %d", i+1, s, want)
		}
	}
	if r.calls.Load() != 2 || dedupe.Len() != 1 {
		t.Errorf("%d calls (want 2: the failure and the first redelivery), %d remembered", r.calls.Load(), dedupe.Len())
	}
	// A different event is handled.
	if s := signed(t, r.url, "s3cret", samples["user.created"]); s != 200 || r.calls.Load() != 3 {
		t.Errorf("new event: %d, %d calls", s, r.calls.Load())
	}
	got := strings.Join(r.log.statuses(), ",")
	if got != "ERROR 500,INFO 200,INFO 200" {
		t.Errorf("logged %s", got)
	}
}

func TestHandlerSlowHandler(t *testing.T) {
	release := make(chan struct{})
	var ctxDoneAtRelease atomic.Bool
	dedupe := webhook.NewMemoryDeduper(0)
	r := newReceiver(t, func(ctx context.Context, e *webhook.Event) error {
		if e.Type == webhook.EventUserCreated {
			return nil
		}
		<-release
		ctxDoneAtRelease.Store(ctx.Err() != nil)
		return nil
	}, webhook.HandlerOptions{Timeout: 100 * time.Millisecond, Dedupe: dedupe})
	body := samples["user.activated"]
	if s := signed(t, r.url, "s3cret", body); s != 503 {
		t.Fatalf("slow handler answered %d, want 503", s)
	}
	// While the first delivery is still being handled, a redelivery is turned back.
	if s := signed(t, r.url, "s3cret", body); s != 409 {
		t.Errorf("redelivery during handling: %d, want 409", s)
	}
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for dedupe.Len() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !ctxDoneAtRelease.Load() {
		t.Error("the HandlerFunc's context was still live after the timeout")
	}
	// It finished after all: the next redelivery is dropped.
	if s := signed(t, r.url, "s3cret", body); s != 200 || r.calls.Load() != 1 {
		t.Errorf("redelivery after a late success: %d, %d calls", s, r.calls.Load())
	}
	got := strings.Join(r.log.statuses(), ",")
	if got != "WARN 503,WARN 409,INFO 200" {
		t.Errorf("logged %s", got)
	}
}

func TestHandlerPanic(t *testing.T) {
	r := newReceiver(t, func(context.Context, *webhook.Event) error { panic("nil map") }, webhook.HandlerOptions{})
	if s := signed(t, r.url, "s3cret", samples["user.deleted"]); s != 500 {
		t.Errorf("panicking handler: %d", s)
	}
	if s := signed(t, r.url, "s3cret", samples["user.deleted"]); s != 500 || r.calls.Load() != 2 {
		t.Errorf("server did not survive: %d, %d calls", s, r.calls.Load())
	}
}

// brokenStore is a Deduper whose backend is down.
type brokenStore struct{}

func (brokenStore) Begin(context.Context, string) (webhook.Claim, error) {
	return 0, errors.New("redis: connection refused")
}
func (brokenStore) End(context.Context, string, bool) error { return nil }

func TestHandlerDeduperDown(t *testing.T) {
	r := newReceiver(t, ok, webhook.HandlerOptions{Dedupe: brokenStore{}})
	if s := signed(t, r.url, "s3cret", samples["user.deleted"]); s != 503 || r.calls.Load() != 0 {
		t.Errorf("deduper down: %d, %d calls", s, r.calls.Load())
	}
	if got := r.log.statuses(); len(got) != 1 || got[0] != "ERROR 503" {
		t.Errorf("logged %q", got)
	}
}

func TestNewHandlerChecksConfig(t *testing.T) {
	if _, err := webhook.NewHandler(nil, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{"x"}}}); err == nil {
		t.Error("nil func accepted")
	}
	if _, err := webhook.NewHandler(ok, webhook.HandlerOptions{}); !errors.Is(err, webhook.ErrNoSecret) {
		t.Errorf("no secret: %v", err)
	}
	if _, err := webhook.NewHandler(ok, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{"x", ""}}}); err == nil {
		t.Error("empty secret accepted")
	}
}

// HandlerFuncs stuck on a slow dependency past their timeout are bounded in number: once
// MaxOverdue of them run, events are answered 503 without a call, and calls resume once
// the stuck ones finish.
func TestHandlerBoundsOverdueHandlers(t *testing.T) {
	release := make(chan struct{})
	var released atomic.Bool
	r := newReceiver(t, func(context.Context, *webhook.Event) error {
		if !released.Load() {
			<-release // ignores its context, as a stuck dependency does
		}
		return nil
	}, webhook.HandlerOptions{Timeout: 50 * time.Millisecond, MaxOverdue: 2})
	events := []string{samples["user.created"], samples["user.deleted"], samples["user.updated"]}
	for i, body := range events {
		if s := signed(t, r.url, "s3cret", body); s != http.StatusServiceUnavailable {
			t.Fatalf("event %d: %d, want 503", i, s)
		}
	}
	if n := r.calls.Load(); n != 2 {
		t.Errorf("%d handler calls with 2 allowed overdue, want 2: the third event must not start another", n)
	}
	released.Store(true)
	close(release)
	// A bound on a hang: the stuck calls end as soon as they are released.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if s := signed(t, r.url, "s3cret", events[2]); s == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("events still refused after the overdue handlers finished")
		}
	}
	if n := r.calls.Load(); n != 3 {
		t.Errorf("%d handler calls, want 3", n)
	}
}

// A burst of deliveries meeting a stuck dependency starts no more HandlerFuncs than
// MaxOverdue: each call may become overdue, so the bound covers the calls running as well
// as those past their timeout. The deliveries beyond it are answered 503 without a call.
func TestHandlerBoundsABurst(t *testing.T) {
	release := make(chan struct{})
	r := newReceiver(t, func(context.Context, *webhook.Event) error {
		<-release // ignores its context, as a stuck dependency does
		return nil
	}, webhook.HandlerOptions{Timeout: time.Second, MaxOverdue: 2})
	const burst = 20
	statuses := make(chan int, burst)
	var wg sync.WaitGroup
	for range burst {
		wg.Go(func() {
			body := []byte(samples["user.created"])
			req, _ := http.NewRequest(http.MethodPost, r.url, bytes.NewReader(body))
			req.Header = webhook.Sign("s3cret", time.Now(), body)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		})
	}
	wg.Wait()
	close(release)
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if n := r.calls.Load(); n != 2 || count[http.StatusServiceUnavailable] != burst {
		t.Errorf("a burst of %d deliveries with MaxOverdue 2: %d handler calls, answers %v; want 2 calls and every answer 503", burst, n, count)
	}
}

// The HandlerFunc gets a user.updated read leniently: an old_object without its id takes
// the user's, a time_stamp sent as a string of digits and a type sent as 2.0 are read as
// the numbers they are.
func TestHandlerPassesLenientlyReadEvents(t *testing.T) {
	var got atomic.Pointer[webhook.Event]
	r := newReceiver(t, func(_ context.Context, e *webhook.Event) error {
		got.Store(e)
		return nil
	}, webhook.HandlerOptions{})
	body := `{"event":"user.updated","event_ts":1767225600123,"payload":{"account_id":"acc","time_stamp":"1767225600000",
		"object":{"id":"u1","email":"ada@example.com","type":2.0},"old_object":{"email":"ada@old.example.com"}}}`
	if s := signed(t, r.url, "s3cret", body); s != http.StatusOK {
		t.Fatalf("user.updated: %d, want 200", s)
	}
	e := got.Load()
	if e == nil {
		t.Fatal("the HandlerFunc was not called")
	}
	up, ok := e.Data.(*webhook.UserUpdated)
	if !ok {
		t.Fatalf("Data is %T, want *webhook.UserUpdated", e.Data)
	}
	if up.Old.ID != "u1" || up.User.Type != 2 || !up.At.Equal(time.UnixMilli(1767225600000)) {
		t.Errorf("old ID %q (want u1), type %d (want 2), at %s (want %s)", up.Old.ID, up.User.Type, up.At, time.UnixMilli(1767225600000))
	}
}

// failingEnd is a Deduper that claims every event and cannot record outcomes.
type failingEnd struct{}

func (failingEnd) Begin(context.Context, string) (webhook.Claim, error) { return webhook.ClaimNew, nil }
func (failingEnd) End(context.Context, string, bool) error {
	return errors.New("redis: connection refused")
}

// A deduper that cannot record a handled event is logged as an error, and only then: the
// redelivery it lets through is the operator's to explain.
func TestHandlerLogsADeduperThatCannotRecord(t *testing.T) {
	for _, c := range []struct {
		name   string
		dedupe webhook.Deduper
		want   int
	}{{"failing End", failingEnd{}, 1}, {"working End", webhook.NewMemoryDeduper(0), 0}} {
		t.Run(c.name, func(t *testing.T) {
			r := newReceiver(t, ok, webhook.HandlerOptions{Dedupe: c.dedupe})
			if s := signed(t, r.url, "s3cret", samples["user.deleted"]); s != http.StatusOK {
				t.Fatalf("answered %d, want 200", s)
			}
			r.log.mu.Lock()
			defer r.log.mu.Unlock()
			logged := 0
			for _, rec := range r.log.records {
				if rec.Level == slog.LevelError && strings.Contains(rec.Message, "could not record") {
					logged++
				}
			}
			if logged != c.want {
				t.Errorf("%d errors logged about recording the outcome, want %d", logged, c.want)
			}
		})
	}
}
