package zoomusers_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// apiCounter counts the API requests a client sends and the 429s it gets back.
type apiCounter struct {
	sent, refused atomic.Int64
}

func (a *apiCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/oauth/") {
		return http.DefaultTransport.RoundTrip(r)
	}
	a.sent.Add(1)
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		a.refused.Add(1)
	}
	return resp, err
}

// A bulk job with default options, 16 goroutines against Pro's Medium limit enforced over
// a sliding second, completes with no failed call: the first 429s teach the client the
// limit and it paces from then on, so the retries that follow are not refused again.
func TestDefaultsFinishABulkJob(t *testing.T) {
	const calls, workers = 100, 16
	srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanPro), zoomtest.WithUsers(calls))
	defer srv.Close()
	counter := &apiCounter{}
	c := fakeClient(t, srv, zoomusers.WithHTTPClient(&http.Client{Transport: counter}))
	jobs := make(chan int)
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if _, err := c.User(fmt.Sprintf("u%d@example.com", i)).Settings(context.Background(), nil); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			}
		})
	}
	for i := range calls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d calls: %d requests, %d answered 429", calls, counter.sent.Load(), counter.refused.Load())
	if failed.Load() != 0 {
		t.Fatalf("%d of %d calls failed", failed.Load(), calls)
	}
	if counter.refused.Load() == 0 {
		t.Fatal("no request was refused: the job did not reach the limit it is meant to learn")
	}
	// Unpaced, each of the 16 workers meets a full window on most of its calls; paced, the
	// 429s are those of the first second or so.
	if n := counter.refused.Load(); n > calls/2 {
		t.Errorf("%d of %d requests answered 429: the client did not pace after learning the limit", n, counter.sent.Load())
	}
}

// After a daily-limit 429, the same operation fails at once, without a request, with the
// same error and RetryAfter; other operations, and userCreate with another action, still
// go out.
func TestDailyLimitIsRemembered(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	counter := &apiCounter{}
	c := fakeClient(t, srv, zoomusers.WithHTTPClient(&http.Client{Transport: counter}))
	ctx := context.Background()
	mustInject(t, srv.Inject(zoomusers.OpUserSettings, 1, zoomtest.Fault{DailyLimit: true}))
	u := c.User("u0@example.com")

	_, first := u.Settings(ctx, nil)
	var want *zoomusers.Error
	if !errors.As(first, &want) || !want.DailyLimit() || want.RetryAfter.IsZero() {
		t.Fatalf("first call: %v, want the daily limit", first)
	}
	sent := counter.sent.Load()
	for range 3 {
		_, err := u.Settings(ctx, nil)
		var got *zoomusers.Error
		// The same answer, but this call sent nothing: the tracking ID is the earlier one's.
		refused := *want
		refused.TrackingID, refused.LimitTrackingID = "", want.TrackingID
		if !errors.As(err, &got) || !errors.Is(err, zoomusers.ErrRateLimited) || !got.DailyLimit() ||
			!got.RetryAfter.Equal(want.RetryAfter) || got.TrackingID != "" || got.LimitTrackingID != want.TrackingID || got.Error() != refused.Error() {
			t.Errorf("a later call: %v, want %v", err, &refused)
		}
	}
	if n := counter.sent.Load() - sent; n != 0 {
		t.Errorf("%d requests sent for calls under a daily limit, want none", n)
	}
	if _, err := u.Get(ctx, nil); err != nil || counter.sent.Load() != sent+1 {
		t.Errorf("another operation: %v after %d requests, want it sent", err, counter.sent.Load()-sent)
	}

	// action=create has a daily cap of its own: other actions still create users.
	mustInject(t, srv.Inject(zoomusers.OpUserCreate, 1, zoomtest.Fault{DailyLimit: true}))
	create := func(action zoomusers.CreateUserAction, email string) error {
		_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: action, UserInfo: zoomusers.NewUser{Email: email, Type: zoomusers.UserTypeBasic}})
		return err
	}
	if err := create(zoomusers.CreateUserActionCreate, "a@example.com"); !errors.Is(err, zoomusers.ErrRateLimited) {
		t.Fatalf("create under the injected daily limit: %v", err)
	}
	sent = counter.sent.Load()
	if err := create(zoomusers.CreateUserActionCreate, "b@example.com"); !errors.Is(err, zoomusers.ErrRateLimited) || counter.sent.Load() != sent {
		t.Errorf("action=create again: %v after %d requests, want the daily limit without a request", err, counter.sent.Load()-sent)
	}
	if err := create(zoomusers.CreateUserActionCustCreate, "c@example.com"); err != nil {
		t.Errorf("action=custCreate: %v, want the user created", err)
	}
}

// mustInject fails the test when the fake refuses a fault.
func mustInject(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Clients of one process that share a TokenStore share the token: one token request for
// both. New refuses a nil Limiter or TokenStore.
func TestClientsShareAMemoryTokenStore(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	var tokens atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/oauth/token") {
			tokens.Add(1)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	store := zoomusers.NewMemoryTokenStore()
	limiter := zoomusers.NewLocalLimiter()
	for range 2 {
		c := fakeClient(t, srv, zoomusers.WithHTTPClient(hc), zoomusers.WithTokenStore(store), zoomusers.WithLimiter(limiter), zoomusers.WithPacing(zoomusers.PlanPro, 1))
		if _, err := c.Summary(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := tokens.Load(); n != 1 {
		t.Errorf("two clients sharing a token store made %d token requests, want 1", n)
	}
	for name, opt := range map[string]zoomusers.Option{"nil limiter": zoomusers.WithLimiter(nil), "nil token store": zoomusers.WithTokenStore(nil)} {
		if _, err := zoomusers.New(append(srv.ClientOptions(), opt)...); err == nil {
			t.Errorf("New with a %s: no error", name)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
