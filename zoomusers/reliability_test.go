package zoomusers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"
)

// The field report's per-user daily limit (ZOOM_FACTS.md "Behaviour seen in the field").
const perUserDailyMessage = "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00."

// Zoom's account-wide daily cap, as the fake answers it.
const accountDailyMessage = "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request."

func TestDailyLimitScope(t *testing.T) {
	daily := RateLimit{Type: "Daily-limit"}
	for _, c := range []struct {
		name string
		e    *Error
		want DailyLimitScope
	}{
		{"per-second", &Error{StatusCode: 429, RateLimit: RateLimit{Type: "QPS"}, Message: "Too many requests"}, NoDailyLimit},
		{"no headers, no daily message", &Error{StatusCode: 429, Message: "Too many concurrent requests"}, NoDailyLimit},
		{"not a 429", &Error{StatusCode: 403, RateLimit: daily, Message: accountDailyMessage}, NoDailyLimit},
		{"field report: no X-RateLimit-Type", &Error{StatusCode: 429, Message: perUserDailyMessage}, DailyLimitUser},
		{"daily header, per-user message", &Error{StatusCode: 429, RateLimit: daily, Message: perUserDailyMessage}, DailyLimitUser},
		{"daily header on an email change", &Error{StatusCode: 429, RateLimit: daily, Message: accountDailyMessage, Method: "PUT", Path: "/v2/users/a@example.com/email"}, DailyLimitUser},
		// Account-wide only where Zoom documents an account-wide cap (ZOOM_FACTS.md "Rate limits").
		{"daily header, account message, no documented cap", &Error{StatusCode: 429, RateLimit: daily, Message: accountDailyMessage, Method: "PATCH", Path: "/v2/users/u1"}, DailyLimitUser},
		{"daily header, Heavy category", &Error{StatusCode: 429, RateLimit: RateLimit{Type: "Daily-limit", Category: "Heavy"}, Message: accountDailyMessage}, DailyLimitAccount},
		{"daily header, Resource-intensive category", &Error{StatusCode: 429, RateLimit: RateLimit{Type: "Daily-limit", Category: "Resource-intensive"}, Message: accountDailyMessage}, DailyLimitAccount},
		{"daily header, a call an account cap covers", &Error{StatusCode: 429, RateLimit: daily, Message: accountDailyMessage, AccountCap: true}, DailyLimitAccount},
		{"per-user message on a call an account cap covers", &Error{StatusCode: 429, RateLimit: daily, Message: perUserDailyMessage, AccountCap: true}, DailyLimitUser},
		{"account cap, but not a daily limit", &Error{StatusCode: 429, RateLimit: RateLimit{Type: "QPS"}, AccountCap: true}, NoDailyLimit},
	} {
		if got := c.e.DailyLimitScope(); got != c.want {
			t.Errorf("%s: scope %d, want %d", c.name, got, c.want)
		}
		if got := c.e.DailyLimit(); got != (c.want != NoDailyLimit) {
			t.Errorf("%s: DailyLimit() = %v", c.name, got)
		}
	}
}

// A daily limit that covers one user refuses from memory only that user's calls of the
// operation; one that covers the account refuses every user's. Account-wide only where Zoom
// documents an account-wide cap (ZOOM_FACTS.md "Rate limits").
func TestDailyLimitMemoryCoversWhatTheLimitCovers(t *testing.T) {
	midnight := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour).Format(time.RFC3339)
	for _, c := range []struct {
		name         string
		header       string // X-RateLimit-Type
		category     string // X-RateLimit-Category
		message      string
		opts         []Option
		othersRefuse bool
	}{
		{"per user, no header", "", "", perUserDailyMessage, nil, false},
		{"per user, daily header", "Daily-limit", "", perUserDailyMessage, nil, false},
		{"generic message, no documented account cap", "Daily-limit", "Light", accountDailyMessage, nil, false},
		{"Heavy's account cap", "Daily-limit", "Heavy", accountDailyMessage, nil, true},
		{"Free plan's label cap", "Daily-limit", "Light", accountDailyMessage, []Option{WithPacing(PlanFree, 1)}, true},
		{"per-user message on the Free plan", "Daily-limit", "Light", perUserDailyMessage, []Option{WithPacing(PlanFree, 1)}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var limited atomic.Int64
			f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "/users/a@example.com") || (c.othersRefuse && limited.Load() > 0) {
					limited.Add(1)
					if c.header != "" {
						w.Header().Set("X-RateLimit-Type", c.header)
					}
					if c.category != "" {
						w.Header().Set("X-RateLimit-Category", c.category)
					}
					w.Header().Set("Retry-After", midnight)
					zoomError(w, http.StatusTooManyRequests, 429, c.message)
					return
				}
				okUser(w, r)
			})
			cl := f.client(c.opts...)
			ctx := context.Background()
			if _, err := cl.User("a@example.com").Get(ctx, nil); !errors.Is(err, ErrRateLimited) {
				t.Fatalf("a: %v", err)
			}
			if n := f.apiRequests.Load(); n != 1 {
				t.Errorf("a daily limit took %d requests, want 1: it is not retried", n)
			}
			if _, err := cl.User("a@example.com").Get(ctx, nil); !errors.Is(err, ErrRateLimited) || f.apiRequests.Load() != 1 {
				t.Errorf("a again: %v after %d requests; want the remembered limit without a request", err, f.apiRequests.Load())
			}
			_, err := cl.User("b@example.com").Get(ctx, nil)
			switch {
			case c.othersRefuse && (!errors.Is(err, ErrRateLimited) || f.apiRequests.Load() != 1):
				t.Errorf("b under an account-wide limit: %v after %d requests; want a refusal without a request", err, f.apiRequests.Load())
			case !c.othersRefuse && (err != nil || f.apiRequests.Load() != 2):
				t.Errorf("b under a's per-user limit: %v after %d requests; want b's call sent and answered", err, f.apiRequests.Load())
			}
		})
	}
}

// The review's case: a daily-limit 429 with Zoom's generic message on PATCH /users/u1
// (a Light operation, no account-wide daily cap documented on a paid plan) does not refuse
// u2's update; u1's next update is refused without a request, and that refusal carries
// the earlier answer's tracking ID as such, not as its own.
func TestGenericDailyLimitOnAnUpdateCoversThatUser(t *testing.T) {
	midnight := time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour).Format(time.RFC3339)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/users/u1" {
			w.Header().Set("X-RateLimit-Type", "Daily-limit")
			w.Header().Set("Retry-After", midnight)
			zoomError(w, http.StatusTooManyRequests, 429, accountDailyMessage)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c := f.client()
	ctx := context.Background()
	upd := UserUpdate{Dept: Ptr("Sales")}
	var first *Error
	if err := c.User("u1").Update(ctx, upd, nil); !errors.As(err, &first) || !first.DailyLimit() || first.TrackingID != "trk-1" {
		t.Fatalf("u1: %v, want the daily limit with tracking id trk-1", err)
	}
	if err := c.User("u2").Update(ctx, upd, nil); err != nil || f.apiRequests.Load() != 2 {
		t.Fatalf("u2: %v after %d requests; want u2's update sent and done", err, f.apiRequests.Load())
	}
	err := c.User("u1").Update(ctx, upd, nil)
	var again *Error
	if !errors.As(err, &again) || f.apiRequests.Load() != 2 {
		t.Fatalf("u1 again: %v after %d requests; want the remembered limit without a request", err, f.apiRequests.Load())
	}
	if again.TrackingID != "" || again.LimitTrackingID != "trk-1" || !strings.Contains(again.Error(), "refused without a request") || strings.Contains(again.Error(), "(tracking id trk-1)") {
		t.Errorf("the refusal: TrackingID %q, LimitTrackingID %q, %q; want no tracking ID of its own and trk-1 named as the earlier answer's", again.TrackingID, again.LimitTrackingID, again.Error())
	}
}

// A per-second 429 whose Retry-After no rate window explains backs off as for an
// unreadable value; a plausible one is honoured, and a daily limit still ends the call.
func TestImplausibleRetryAfterOnPerSecond429(t *testing.T) {
	p := DefaultRetryPolicy{}
	absurd := time.Now().Add(365 * 24 * time.Hour)
	qps := &Error{StatusCode: 429, RateLimit: RateLimit{Type: "QPS"}, RetryAfter: absurd}
	wait, again := p.Backoff(Attempt{Number: 1, Method: "GET", Replayable: true, APIError: qps})
	if !again || wait < rateWindow || wait > rateWindow+rateWindow/4 {
		t.Errorf("QPS 429 with Retry-After a year away: wait %v, again %v; want the usual 429 back-off", wait, again)
	}
	soon := &Error{StatusCode: 429, RateLimit: RateLimit{Type: "QPS"}, RetryAfter: time.Now().Add(3 * time.Second)}
	if wait, again := p.Backoff(Attempt{Number: 1, Method: "GET", Replayable: true, APIError: soon}); !again || wait < 2*time.Second || wait > 3*time.Second {
		t.Errorf("QPS 429 with Retry-After 3 s: wait %v, again %v", wait, again)
	}
	daily := &Error{StatusCode: 429, RateLimit: RateLimit{Type: "Daily-limit"}, Message: accountDailyMessage, RetryAfter: absurd}
	if _, again := p.Backoff(Attempt{Number: 1, Method: "GET", Replayable: true, APIError: daily}); again {
		t.Error("a daily limit was retried")
	}
}

// A 429 without Retry-After waits for the next rate window, and not much more: at most a
// quarter window of jitter.
func TestPerSecond429WaitIsBounded(t *testing.T) {
	p := DefaultRetryPolicy{}
	e := &Error{StatusCode: 429, RateLimit: RateLimit{Type: "QPS"}}
	for range 200 {
		wait, again := p.Backoff(Attempt{Number: 1, Method: "POST", Replayable: true, APIError: e})
		if !again || wait < rateWindow || wait > rateWindow+rateWindow/4 {
			t.Fatalf("429 wait %v, again %v; want within [1s, 1.25s]", wait, again)
		}
	}
}

// hangingSource hangs on its first Token call until released, then hands out tokens.
type hangingSource struct {
	calls   atomic.Int64
	hangs   int64 // the first hangs calls hang until release is closed
	release chan struct{}
}

func (s *hangingSource) Token() (*oauth2.Token, error) {
	if s.calls.Add(1) <= s.hangs {
		<-s.release
	}
	return &oauth2.Token{AccessToken: "tok-1", TokenType: "Bearer"}, nil
}

// A WithTokenSource source that hangs once (a request on a dead connection) is bounded like
// the token endpoint: its waiters get an error naming the token source, and the next call
// asks the source again and goes through (issue 23: the source was never asked again).
func TestHungTokenSourceDoesNotWedgeTheClient(t *testing.T) {
	f := newFakeZoom(t, okUser)
	src := &hangingSource{hangs: 1, release: make(chan struct{})}
	defer close(src.release)
	c, err := New(WithTokenSource(src), WithBaseURL(f.baseURL()), WithTokenStore(lapsedLockStore{NewMemoryTokenStore()}))
	if err != nil {
		t.Fatal(err)
	}
	c.tokens.timeout = 200 * time.Millisecond
	// A bound on a hang, not a timing: the fetch gives up after 200 ms.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Go(func() { _, errs[i] = c.User("u1").Get(ctx, nil) })
	}
	wg.Wait()
	for i, err := range errs {
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "token source") || ctx.Err() != nil {
			t.Errorf("waiter %d: %v; want the fetch's own timeout, naming the token source", i, err)
		}
	}
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatalf("the call after the hung fetch: %v; want the source asked again", err)
	}
	if n := src.calls.Load(); n != 2 {
		t.Errorf("the source was asked %d times, want 2: once by the hung fetch, once by the next", n)
	}
}

// A source that hangs on every request costs a bounded number of goroutines: after
// maxHungObtains abandoned requests, fetches join the newest instead of asking again; the
// token a hung request brings at last serves the next call.
func TestAlwaysHungTokenSourceIsAskedABoundedNumberOfTimes(t *testing.T) {
	f := newFakeZoom(t, okUser)
	src := &hangingSource{hangs: 1 << 40, release: make(chan struct{})}
	c, err := New(WithTokenSource(src), WithBaseURL(f.baseURL()), WithTokenStore(lapsedLockStore{NewMemoryTokenStore()}))
	if err != nil {
		t.Fatal(err)
	}
	c.tokens.timeout = 100 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i := range 6 {
		_, err := c.User("u1").Get(ctx, nil)
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "token source") || ctx.Err() != nil {
			t.Errorf("call %d while the source hangs: %v; want the fetch's own timeout, naming the token source", i, err)
		}
	}
	if n := src.calls.Load(); n != maxHungObtains {
		t.Errorf("while it hangs the source was asked %d times, want %d", n, maxHungObtains)
	}
	close(src.release)
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatalf("the call after the source answered: %v", err)
	}
	if n := src.calls.Load(); n != maxHungObtains {
		t.Errorf("the source was asked %d times, want %d: a late token serves the next call", n, maxHungObtains)
	}
}

// lapsedLockStore grants its lock at once, as a shared store does once the lock of a hung
// fetch has expired (zoomredis): only the client itself keeps fetches from piling up.
type lapsedLockStore struct{ TokenStore }

func (lapsedLockStore) Lock(context.Context) (func(), error) { return func() {}, nil }

// failAtTheFetchBound makes three calls of u while a token fetch hangs: each must fail at
// the fetch's own bound, with an error naming what hangs, and not at the caller's
// deadline, far beyond it (failing there is the wedge).
func failAtTheFetchBound(t *testing.T, u *UserHandle, names string) {
	t.Helper()
	for i := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := u.Get(ctx, nil)
		late := ctx.Err() != nil
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), names) || late {
			t.Fatalf("call %d while the fetch hangs: %v; want the fetch's own timeout, naming the %s", i, err, names)
		}
	}
}

// blockOnce blocks its first call until release is closed, ignoring every context.
type blockOnce struct {
	calls   atomic.Int64
	release chan struct{}
}

func (b *blockOnce) enter() {
	if b.calls.Add(1) == 1 {
		<-b.release
	}
}

// A user OAuth save function that hangs once, ignoring its context, does not wedge the
// client: every call fails at the fetch's own bound naming the token endpoint (not at the
// caller's deadline), none piles up another refresh, and the refreshed token the save
// function persisted at last serves the next call without refreshing again.
func TestHungSaveDoesNotWedgeTheClient(t *testing.T) {
	var f *fakeZoom
	f = newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) { f.authenticated(okUser)(w, r) })
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.tokens["access-2"] = true
		f.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "access-2", "refresh_token": "refresh-2", "token_type": "bearer", "expires_in": 3600})
	}
	hang := &blockOnce{release: make(chan struct{})}
	save := func(context.Context, *oauth2.Token) error { hang.enter(); return nil }
	cfg := &oauth2.Config{ClientID: testClient, ClientSecret: testSecret, Endpoint: oauth2.Endpoint{TokenURL: f.tokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	expired := &oauth2.Token{AccessToken: "access-1", RefreshToken: "refresh-1", Expiry: time.Now().Add(-time.Hour)}
	c, err := New(WithUserOAuth(cfg, expired, save), WithBaseURL(f.baseURL()))
	if err != nil {
		t.Fatal(err)
	}
	c.tokens.timeout = 200 * time.Millisecond
	failAtTheFetchBound(t, c.User("me"), "token endpoint")
	if n, s := f.tokenRequests.Load(), hang.calls.Load(); n != 1 || s != 1 {
		t.Errorf("while save hangs: %d refreshes and %d saves, want 1 and 1", n, s)
	}
	close(hang.release)
	if _, err := c.User("me").Get(context.Background(), nil); err != nil {
		t.Fatalf("after save returned: %v", err)
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("%d refreshes, want 1: the token save persisted serves the next call", n)
	}
}

// hangingStore is a memory store whose first Save hangs, ignoring its context.
type hangingStore struct {
	TokenStore
	hang *blockOnce
}

func (s *hangingStore) Save(ctx context.Context, tok *oauth2.Token) error {
	s.hang.enter()
	return s.TokenStore.Save(ctx, tok)
}

// A token store that hangs once does not wedge the client either: calls fail at the
// fetch's bound, no second token is fetched while it hangs, and the token it stores at
// last serves the next call.
func TestHungTokenStoreDoesNotWedgeTheClient(t *testing.T) {
	f := newFakeZoom(t, okUser)
	hang := &blockOnce{release: make(chan struct{})}
	c := f.client(WithTokenStore(&hangingStore{TokenStore: NewMemoryTokenStore(), hang: hang}))
	c.tokens.timeout = 200 * time.Millisecond
	failAtTheFetchBound(t, c.User("u1"), "token store")
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("%d token requests while the store hangs, want 1", n)
	}
	close(hang.release)
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatalf("after the store answered: %v", err)
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("%d token requests, want 1: the stored token serves the next call", n)
	}
}

// When the answer and the deadline are both there, the answer wins: it may be a rotated
// token that the save function has already persisted, whose predecessor is dead.
func TestReadyAnswerWinsOverTheDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan struct{})
	close(done)
	for i := range 200 {
		if !ready(ctx, done) {
			t.Fatalf("round %d: an answer that was there was dropped for the deadline", i)
		}
	}
}

// A transport that edits a request's header values in place changes that request only:
// each request has slices of its own (with shared ones, -race also reports the writes).
func TestHeaderValuesArePerRequest(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	f := newFakeZoom(t, okUser)
	editing := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if !strings.HasPrefix(r.URL.Path, "/v2/") {
			return http.DefaultTransport.RoundTrip(r) // the token request
		}
		mu.Lock()
		seen = append(seen, r.Header.Get("User-Agent")+"|"+r.Header.Get("Accept"))
		mu.Unlock()
		for _, k := range []string{"User-Agent", "Accept", "Authorization"} {
			if v := r.Header[k]; len(v) > 0 {
				v[0] += " edited" // in place
			}
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	c := f.client(WithHTTPClient(&http.Client{Transport: editing}))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	for _, s := range seen {
		if s != "go-zoomusers/"+Version+"|application/json" {
			t.Errorf("a request left with %q: another request's edit reached it", s)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A caller with a deadline far away is not failed by a wait that is due: the deadline
// checks compare with the wait, not merely look for a deadline.
func TestWaitsWithinADeadlineGoAhead(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	l := NewLocalLimiter()
	for i := range 3 {
		if err := l.Wait(ctx, "k", 20*time.Millisecond); err != nil {
			t.Fatalf("slot %d within an hour's deadline: %v", i, err)
		}
	}
	if err := sleep(ctx, 20*time.Millisecond, errors.New("last")); err != nil {
		t.Errorf("a 20 ms retry wait within an hour's deadline: %v", err)
	}
	p := newPacer(&pacingConfig{plan: PlanPro, share: 1}, nil)
	for i := range 3 {
		if paced, err := p.wait(ctx, LabelMedium); err != nil || !paced {
			t.Fatalf("paced request %d within an hour's deadline: %v, paced %v", i, err, paced)
		}
	}
	short, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	if err := sleep(short, time.Hour, errors.New("last")); !errors.Is(err, context.DeadlineExceeded) || short.Err() != nil {
		t.Errorf("an hour's retry wait within a second's deadline: %v; want an immediate DeadlineExceeded", err)
	}
}

// A client with user OAuth refreshes from the refresh token another replica stored, not
// from its own dead one (Zoom rotates refresh tokens on every refresh).
func TestUserOAuthRefreshesFromTheStoredToken(t *testing.T) {
	var used []string
	var mu sync.Mutex
	f := newFakeZoom(t, okUser)
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		used = append(used, r.PostForm.Get("refresh_token"))
		mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "access-3", "refresh_token": "refresh-3", "token_type": "bearer", "expires_in": 3600})
	}
	store := NewMemoryTokenStore()
	// Another replica refreshed and stored refresh-2; its access token has expired since.
	store.Save(context.Background(), &oauth2.Token{AccessToken: "access-2", RefreshToken: "refresh-2", Expiry: time.Now().Add(-time.Minute)})
	cfg := &oauth2.Config{ClientID: testClient, ClientSecret: testSecret, Endpoint: oauth2.Endpoint{TokenURL: f.tokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	dead := &oauth2.Token{AccessToken: "access-1", RefreshToken: "refresh-1", Expiry: time.Now().Add(-time.Hour)}
	c, err := New(WithUserOAuth(cfg, dead, func(context.Context, *oauth2.Token) error { return nil }),
		WithBaseURL(f.baseURL()), WithTokenStore(store))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.User("me").Get(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(used) != 1 || used[0] != "refresh-2" {
		t.Errorf("refreshed with %q, want [refresh-2], the token the store holds", used)
	}
	if tok, _ := store.Load(context.Background()); tok == nil || tok.RefreshToken != "refresh-3" {
		t.Errorf("the store holds %+v, want the rotated token", tok)
	}
}

// countingStore counts the loads of a memory store.
type countingStore struct {
	TokenStore
	loads atomic.Int64
}

func (s *countingStore) Load(ctx context.Context) (*oauth2.Token, error) {
	s.loads.Add(1)
	return s.TokenStore.Load(ctx)
}

// The client reads the store only when its own token is due, and renews a token a
// minute before its hour is over, not sooner and not later.
func TestTokenCacheAsksTheStoreOnlyWhenDue(t *testing.T) {
	f := newFakeZoom(t, okUser)
	store := &countingStore{TokenStore: NewMemoryTokenStore()}
	c := f.client(WithTokenStore(store))
	var offset atomic.Int64
	c.tokens.now = func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	ctx := context.Background()
	get := func() {
		t.Helper()
		if _, err := c.User("u1").Get(ctx, nil); err != nil {
			t.Fatal(err)
		}
	}
	get()
	loads := store.loads.Load()
	for range 5 {
		get()
	}
	if n := store.loads.Load(); n != loads {
		t.Errorf("5 calls with a live token read the store %d more times, want 0", n-loads)
	}
	offset.Store(int64(time.Hour - 70*time.Second)) // 70 s left: not yet due
	get()
	if n := f.tokenRequests.Load(); n != 1 || store.loads.Load() != loads {
		t.Errorf("with 70 s of the token left: %d token requests, %d more store reads; want 1 and 0", n, store.loads.Load()-loads)
	}
	offset.Store(int64(time.Hour - 50*time.Second)) // 50 s left: due (a minute early)
	get()
	if n := f.tokenRequests.Load(); n != 2 {
		t.Errorf("with 50 s of the token left: %d token requests, want 2", n)
	}
}

// Messages are kept whole up to exactly 1 KiB and cut on a character boundary beyond.
func TestTruncateBoundaries(t *testing.T) {
	exact := strings.Repeat("a", maxMessageLen)
	if got := truncate(exact, maxMessageLen); got != exact {
		t.Errorf("a message of exactly %d bytes was cut to %d", maxMessageLen, len(got))
	}
	// "é" is two bytes; the limit falls between them.
	s := strings.Repeat("a", maxMessageLen-1) + "é" + "tail"
	got := truncate(s, maxMessageLen)
	if !utf8.ValidString(got) || got != strings.Repeat("a", maxMessageLen-1)+"…" {
		t.Errorf("cut inside a character: %q", got[len(got)-8:])
	}
	if got := truncate(strings.Repeat("a", maxMessageLen+1), maxMessageLen); got != exact+"…" {
		t.Errorf("one byte over: %d bytes, want the limit and the mark", len(got))
	}
}

// Every text of a failed token request is scrubbed of the secrets, in either form.
func TestTokenErrorsRedactSecrets(t *testing.T) {
	secret := testSecret
	basic := basicAuth(testClient, secret)
	plain := tokenError(fmt.Errorf("dial: echo %s and %s", secret, basic), []string{secret, basic})
	if strings.Contains(plain.Error(), secret) || strings.Contains(plain.Error(), basic) {
		t.Errorf("secret leaked: %v", plain)
	}
	f := newFakeZoom(t, okUser)
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_client " + secret, "reason": "got " + r.Header.Get("Authorization")})
	}
	_, err := f.client().User("u1").Get(context.Background(), nil)
	if err == nil || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), basic) || !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("token endpoint echoing the credentials: %v", err)
	}
}

func TestZeroMaxResponseBytesIsRefused(t *testing.T) {
	for _, n := range []int64{0, -1} {
		if _, err := New(WithAccessToken("t"), WithMaxResponseBytes(n)); err == nil {
			t.Errorf("WithMaxResponseBytes(%d) accepted", n)
		}
	}
}

// The caller's cancel and a connection reset are reported as what they are, not as the
// exchange bound running out.
func TestCancelAndResetAreNotTimeouts(t *testing.T) {
	arrived := make(chan struct{}, 1)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/reset") {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		arrived <- struct{}{}
		<-r.Context().Done()
	})
	c := f.client(WithRetryPolicy(NoRetries))
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.User("u1").Get(ctx, nil)
	var timeout interface{ Timeout() bool }
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "no complete answer") || (errors.As(err, &timeout) && timeout.Timeout()) {
		t.Errorf("caller's cancel: %v", err)
	}
	_, err = c.User("reset").Get(context.Background(), nil)
	if err == nil || errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "no complete answer") {
		t.Errorf("connection reset: %v", err)
	}
}
