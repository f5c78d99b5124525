package zoomusers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestServerToServerTokenSharedByConcurrentCallers(t *testing.T) {
	f := newFakeZoom(t, nil)
	f.api = f.authenticated(okUser)
	c := f.client()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.User("jill@example.com").Get(context.Background(), nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Errorf("100 concurrent calls made %d token requests, want 1", n)
	}
	if n := f.apiRequests.Load(); n != 100 {
		t.Errorf("API requests = %d, want 100", n)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c := f.client()
	now := time.Now()
	c.tokens.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// 3600 s lifetime: renewed a minute early, so 58 minutes later it is still in use...
	now = now.Add(58 * time.Minute)
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenRequests.Load(); n != 1 {
		t.Fatalf("token requests after 58 min = %d, want 1", n)
	}
	// ...and 59.5 minutes after issue, before it expires, it is replaced.
	now = now.Add(90 * time.Second)
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenRequests.Load(); n != 2 {
		t.Fatalf("token requests 30 s before expiry = %d, want 2", n)
	}
}

func TestTokenEndpointErrorCarriesReasonNotSecret(t *testing.T) {
	f := newFakeZoom(t, okUser)
	c, err := New(WithServerToServer(testAccount, testClient, "wrong-"+testSecret), WithBaseURL(f.baseURL()), WithTokenURL(f.tokenURL()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.User("u1").Get(context.Background(), nil)
	var te *TokenError
	if !errors.As(err, &te) {
		t.Fatalf("error %v (%T) is not a *TokenError", err, err)
	}
	if te.StatusCode != 401 || te.ErrorCode != "invalid_client" || te.Reason != "Invalid client_id or client_secret" {
		t.Errorf("TokenError = %+v", te)
	}
	if !errors.Is(err, ErrUnauthorized) {
		t.Error("a rejected token request should match ErrUnauthorized")
	}
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("error leaks the secret: %v", err)
	}
	if f.apiRequests.Load() != 0 {
		t.Error("an API request was sent without a token")
	}
}

func TestExpiredTokenIsReplacedAndCallRetriedOnce(t *testing.T) {
	f := newFakeZoom(t, nil)
	f.api = f.authenticated(okUser)
	c := f.client()
	ctx := context.Background()
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	f.revoke() // Zoom dropped the token before its expiry
	if _, err := c.User("u1").Get(ctx, nil); err != nil {
		t.Fatalf("call after revocation: %v", err)
	}
	if n := f.tokenRequests.Load(); n != 2 {
		t.Errorf("token requests = %d, want 2", n)
	}
	if n := f.apiRequests.Load(); n != 3 {
		t.Errorf("API requests = %d, want 3 (one rejected, retried once)", n)
	}

	// A server that rejects every token: one retry, then the 401 is returned.
	f.api = func(w http.ResponseWriter, r *http.Request) {
		zoomError(w, 401, CodeInvalidToken, "Invalid access token.")
	}
	before := f.apiRequests.Load()
	_, err := c.User("u1").Get(ctx, nil)
	var zerr *Error
	if !errors.As(err, &zerr) || zerr.Code != CodeInvalidToken || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want Zoom's 401 code 124", err)
	}
	if n := f.apiRequests.Load() - before; n != 2 {
		t.Errorf("a permanently rejected token made %d requests, want 2", n)
	}
}

func TestUserOAuthSavesRotatedTokenBeforeUse(t *testing.T) {
	var (
		mu     sync.Mutex
		events []string
		live   = map[string]bool{"refresh-0": true}
		n      int
	)
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		events = append(events, "api "+r.Header.Get("Authorization"))
		mu.Unlock()
		okUser(w, r)
	})
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		rt := r.PostForm.Get("refresh_token")
		if r.PostForm.Get("grant_type") != "refresh_token" || !live[rt] {
			writeJSON(w, 400, map[string]any{"reason": "Invalid Token!", "error": "invalid_request"})
			return
		}
		delete(live, rt) // rotation: a used refresh token is dead
		n++
		next := fmt.Sprintf("refresh-%d", n)
		live[next] = true
		events = append(events, "refresh "+rt)
		writeJSON(w, 200, map[string]any{"access_token": fmt.Sprintf("access-%d", n), "token_type": "bearer", "refresh_token": next, "expires_in": 3600})
	}
	var saveErr error
	save := func(_ context.Context, tok *oauth2.Token) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, "save "+tok.AccessToken+" "+tok.RefreshToken)
		return saveErr
	}
	cfg := &oauth2.Config{ClientID: "app", ClientSecret: "app-secret", Endpoint: oauth2.Endpoint{TokenURL: f.tokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	expired := &oauth2.Token{AccessToken: "access-0", RefreshToken: "refresh-0", Expiry: time.Now().Add(-time.Minute)}
	c, err := New(WithUserOAuth(cfg, expired, save), WithBaseURL(f.baseURL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Me().Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"refresh refresh-0", "save access-1 refresh-1", "api Bearer access-1"}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Fatalf("events = %q, want %q", events, want)
	}

	// A failed save fails the call, and the token is saved again before its first use.
	events = nil
	saveErr = errors.New("disk full")
	c.tokens.invalidate(&oauth2.Token{AccessToken: "access-1"})
	if _, err := c.Me().Get(ctx, nil); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the save error", err)
	}
	saveErr = nil
	if _, err := c.Me().Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	want = []string{"refresh refresh-1", "save access-2 refresh-2", "save access-2 refresh-2", "api Bearer access-2"}
	if fmt.Sprint(events) != fmt.Sprint(want) {
		t.Fatalf("events = %q, want %q", events, want)
	}
	if f.apiRequests.Load() != 2 {
		t.Errorf("API requests = %d, want 2: none may use an unsaved token", f.apiRequests.Load())
	}
}

func TestStaticTokenAndNoCredentials(t *testing.T) {
	if _, err := New(); !errors.Is(err, errNoCredentials) {
		t.Errorf("New() error = %v, want errNoCredentials", err)
	}
	f := newFakeZoom(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer static-token" {
			zoomError(w, 401, CodeInvalidToken, "bad token")
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"total_users_count": 3})
	})
	c, err := New(WithAccessToken("static-token"), WithBaseURL(f.baseURL()))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Summary(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.TotalUsersCount == nil || *s.TotalUsersCount != 3 {
		t.Errorf("summary = %+v", s)
	}
}

// A token endpoint that never answers cannot hold a caller without a deadline forever: the
// fetch has a timeout of its own, and the next call tries again.
func TestTokenFetchTimesOut(t *testing.T) {
	f := newFakeZoom(t, okUser)
	var hang atomic.Bool
	hang.Store(true)
	f.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		if hang.Load() {
			select {
			case <-r.Context().Done():
			case <-t.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-late","token_type":"bearer","expires_in":3600}`)
	}
	c := f.client()
	c.tokens.timeout = 200 * time.Millisecond
	_, err := c.User("u1").Get(context.Background(), nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "did not answer within 200ms") {
		t.Fatalf("err = %v, want the token timeout", err)
	}
	hang.Store(false)
	if _, err := c.User("u1").Get(context.Background(), nil); err != nil {
		t.Fatalf("after the endpoint recovered: %v", err)
	}
	if n := f.tokenRequests.Load(); n != 2 {
		t.Errorf("%d token requests, want the timed-out one and a new one", n)
	}
}
