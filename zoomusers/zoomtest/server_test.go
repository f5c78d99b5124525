package zoomtest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func newClient(t *testing.T, srv *zoomtest.Server, opts ...zoomusers.Option) *zoomusers.Client {
	t.Helper()
	c, err := zoomusers.New(append(srv.ClientOptions(), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestServerToServerAndUserLifecycle(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(5), zoomtest.WithPlan(zoomusers.PlanBusiness))
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()

	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "a+b@example.com", Type: zoomusers.UserTypeLicensed, FirstName: zoomusers.Ptr("Ada")}})
	if err != nil {
		t.Fatal(err)
	}
	u := c.User("a+b@example.com")
	got, err := u.Get(ctx, nil)
	if err != nil || *got.ID != *created.ID || *got.FirstName != "Ada" {
		t.Fatalf("get by email: %+v, %v", got, err)
	}
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "a+b@example.com", Type: zoomusers.UserTypeBasic}}); !errors.Is(err, zoomusers.ErrConflict) {
		t.Errorf("duplicate email: %v, want ErrConflict", err)
	}
	if err := u.Update(ctx, zoomusers.UserUpdate{JobTitle: zoomusers.Ptr("Engineer")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	got, _ = u.Get(ctx, nil)
	if *got.JobTitle != "Engineer" || *got.Status != zoomusers.UserStatusInactive {
		t.Errorf("after update and deactivate: %+v", got)
	}
	if err := u.Delete(ctx, &zoomusers.DeleteUserParams{Action: zoomusers.DeleteActionDelete}); err != nil {
		t.Fatal(err)
	}
	var zerr *zoomusers.Error
	if _, err := u.Get(ctx, nil); !errors.As(err, &zerr) || zerr.Code != 1001 || zerr.TrackingID == "" {
		t.Errorf("get after delete: %v", err)
	}
}

func TestInvalidRequestGetsZoomValidationError(t *testing.T) {
	srv := zoomtest.NewServer()
	defer srv.Close()
	c := newClient(t, srv)
	_, err := c.CreateUser(context.Background(), zoomusers.CreateUserRequest{Action: "invent",
		UserInfo: zoomusers.NewUser{Email: "x@example.com", Type: zoomusers.UserTypeBasic}})
	var zerr *zoomusers.Error
	want := []zoomusers.FieldError{{Field: "action", Message: "Invalid field."}}
	if !errors.As(err, &zerr) || zerr.StatusCode != 400 || zerr.Code != 300 || zerr.Message != "Validation Failed." || !slices.Equal(zerr.FieldErrors, want) {
		t.Fatalf("err = %v, want Zoom's 400 code 300 Validation Failed naming action", err)
	}
	if srv.Requests(zoomusers.OpUserCreate) != 0 {
		t.Error("an invalid request reached the handler")
	}
}

func TestPaginationOverManyUsersAndTokenExpiry(t *testing.T) {
	now := time.Now()
	srv := zoomtest.NewServer(zoomtest.WithUsers(4999), zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	n := 0
	for _, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 2000}).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5000 {
		t.Errorf("listed %d users, want 5000", n)
	}
	var pagesErr error
	pages := 0
	for _, err := range c.ListUsers(context.Background(), &zoomusers.ListUsersParams{PageSize: 1000}).Pages() {
		if err != nil {
			pagesErr = err
			break
		}
		pages++
		now = now.Add(16 * time.Minute) // the next token is stale by the time it is used
	}
	if pages != 1 || !errors.Is(pagesErr, zoomusers.ErrPageTokenExpired) {
		t.Errorf("after %d pages: %v, want ErrPageTokenExpired", pages, pagesErr)
	}
}

func TestUserOAuthRotation(t *testing.T) {
	srv := zoomtest.NewServer()
	defer srv.Close()
	srv.SeedUsers("jill@example.com")
	code := srv.AuthorizeUser("jill@example.com")
	cfg := &oauth2.Config{ClientID: zoomtest.ClientID, ClientSecret: zoomtest.ClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: srv.TokenURL(), AuthStyle: oauth2.AuthStyleInHeader}}
	ctx := context.Background()
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	// A refresh rotates: the old refresh token is dead at once.
	first := tok.RefreshToken
	tok.Expiry = time.Now().Add(-time.Second)
	fresh, err := cfg.TokenSource(ctx, tok).Token()
	if err != nil || fresh.RefreshToken == first {
		t.Fatalf("refresh: %v, rotated %v", err, fresh.RefreshToken != first)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}}
	req, _ := http.NewRequest("POST", srv.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(zoomtest.ClientID, zoomtest.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !bytes.Contains(body, []byte("4741")) {
		t.Errorf("reused refresh token: %d %s", resp.StatusCode, body)
	}
	var saved []*oauth2.Token
	c := newClient(t, srv, zoomusers.WithUserOAuth(cfg, fresh, func(_ context.Context, t *oauth2.Token) error { saved = append(saved, t); return nil }))
	me, err := c.Me().Get(ctx, nil)
	if err != nil || *me.Email != "jill@example.com" {
		t.Fatalf("me = %+v, %v", me, err)
	}
	if zak, err := c.Me().ZAK(ctx); err != nil || zak == "" {
		t.Errorf("zak: %q, %v", zak, err)
	}
}

func TestExpiredTokenAndFaults(t *testing.T) {
	now := time.Now()
	srv := zoomtest.NewServer(zoomtest.WithClock(func() time.Time { return now }), zoomtest.WithTokenLifetime(time.Hour))
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	ctx := context.Background()
	if _, err := c.Summary(ctx); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Hour) // the server sees the token expired; the client re-authorizes once
	if _, err := c.Summary(ctx); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	mustInject(t, srv.Inject(zoomusers.OpUser, 2, zoomtest.Fault{Status: 503}))
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err != nil {
		t.Errorf("GET through two 503s: %v", err)
	}
	mustInject(t, srv.Inject(zoomusers.OpUserCreate, 1, zoomtest.Fault{Status: 502}))
	_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCustCreate, UserInfo: zoomusers.NewUser{Email: "p@example.com", Type: zoomusers.UserTypeBasic}})
	if err == nil || srv.Requests(zoomusers.OpUserCreate) != 0 {
		t.Errorf("POST after a 502: err %v, applied %d times; want the error and no retry", err, srv.Requests(zoomusers.OpUserCreate))
	}
	mustInject(t, srv.Inject(zoomusers.OpUserCreate, 1, zoomtest.Fault{HTML429: true}))
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCustCreate, UserInfo: zoomusers.NewUser{Email: "p@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Errorf("POST after an HTML 429: %v", err)
	}
	if n := srv.Requests(zoomusers.OpUserCreate); n != 1 {
		t.Errorf("the POST was applied %d times, want 1", n)
	}
	mustInject(t, srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Drop: true}))
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err != nil {
		t.Errorf("GET after a dropped connection: %v", err)
	}
}

func TestRateLimits(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree))
	defer srv.Close()
	ctx := context.Background()
	raw := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	var limited *zoomusers.Error
	for range 20 {
		if _, err := raw.Summary(ctx); errors.As(err, &limited) {
			break
		}
	}
	if limited == nil || limited.RateLimit.Type != "QPS" || limited.RateLimit.Category != "Medium" {
		t.Fatalf("a burst of 20 Medium calls on Free got no QPS 429: %+v", limited)
	}
	paced := newClient(t, zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree)), zoomusers.WithPacing(zoomusers.PlanFree, 1), zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	for i := range 6 {
		if _, err := paced.Summary(ctx); err != nil {
			t.Fatalf("paced call %d: %v", i, err)
		}
	}
}

// mustInject fails the test when the fake refuses a fault.
func mustInject(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestLatencyAndEmptyBodyFaults(t *testing.T) {
	srv := zoomtest.NewServer()
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	ctx := context.Background()

	mustInject(t, srv.Inject(zoomusers.OpUserSummary, 1, zoomtest.Fault{Latency: time.Minute}))
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := c.Summary(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a slow answer past the deadline: %v, want context.DeadlineExceeded", err)
	}

	mustInject(t, srv.Inject(zoomusers.OpUserSummary, 1, zoomtest.Fault{Latency: 20 * time.Millisecond}))
	if s, err := c.Summary(ctx); err != nil || s.TotalUsersCount == nil {
		t.Errorf("a slow but complete answer: %+v, %v", s, err)
	}

	mustInject(t, srv.Inject(zoomusers.OpUserStatus, 1, zoomtest.Fault{EmptyBody: true, Status: 200}))
	if err := c.User(zoomtest.OwnerEmail).SetStatus(ctx, zoomusers.UserStatusActionActivate); err != nil {
		t.Errorf("a 200 with no body and no Content-Type: %v", err)
	}
	mustInject(t, srv.Inject(zoomusers.OpUserSummary, 1, zoomtest.Fault{EmptyBody: true}))
	if s, err := c.Summary(ctx); !errors.Is(err, zoomusers.ErrEmptyResponse) {
		t.Errorf("an empty 200 where a body is promised: %+v, %v; want ErrEmptyResponse", s, err)
	}

	mustInject(t, srv.InjectEvery(zoomusers.OpUserPermission, 3, zoomtest.Fault{Status: 500}))
	var failed []int
	for i := 1; i <= 7; i++ {
		if _, err := c.User(zoomtest.OwnerEmail).Permissions(ctx); err != nil {
			failed = append(failed, i)
		}
	}
	if !slices.Equal(failed, []int{3, 6}) {
		t.Errorf("every 3rd request failing: requests %v of 7 failed, want 3 and 6", failed)
	}
}

func TestDailyLimits(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	tick := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	srv := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree), zoomtest.WithClock(clock), zoomtest.WithTokenLifetime(48*time.Hour))
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	ctx := context.Background()

	// Free accounts may create 50 users a day with action=create.
	for i := range 51 {
		_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
			UserInfo: zoomusers.NewUser{Email: fmt.Sprintf("new%d@example.com", i), Type: zoomusers.UserTypeBasic}})
		tick(time.Second) // stay under the per-second limit
		var zerr *zoomusers.Error
		switch {
		case i < 50 && err != nil:
			t.Fatalf("create %d: %v", i, err)
		case i == 50 && (!errors.As(err, &zerr) || !zerr.DailyLimit() || !zerr.RetryAfter.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))):
			t.Fatalf("create 51: %v, want a daily limit until midnight UTC", err)
		}
	}
	if n := srv.Requests(zoomusers.OpUserCreate); n != 51 {
		t.Errorf("userCreate reached the fake %d times, want 51: a daily limit is not retried", n)
	}

	// Free accounts may make 6,000 Light calls a day; the next one is refused until midnight.
	for i := 1; ; i++ {
		if i%4 == 0 {
			tick(time.Second)
		}
		_, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil)
		var zerr *zoomusers.Error
		if errors.As(err, &zerr) && zerr.DailyLimit() {
			if i != 6001-51 { // the 51 creates were Light calls too
				t.Errorf("daily limit after %d Light calls, want %d", i-1, 6000-51)
			}
			if zerr.RateLimit.Category != "Light" || zerr.RetryAfter.IsZero() {
				t.Errorf("daily limit error = %+v", zerr)
			}
			break
		}
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if i > 7000 {
			t.Fatal("no daily limit after 7000 Light calls")
		}
	}

	// A new UTC day starts both counts again.
	mu.Lock()
	now = time.Date(2026, 11, 23, 0, 0, 1, 0, time.UTC)
	mu.Unlock()
	if _, err := c.User(zoomtest.OwnerEmail).Get(ctx, nil); err != nil {
		t.Errorf("a Light call the next day: %v", err)
	}
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "tomorrow@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Errorf("a create the next day: %v", err)
	}
}
