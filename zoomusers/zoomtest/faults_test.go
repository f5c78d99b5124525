package zoomtest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestInjectRefusesWhatCannotApply(t *testing.T) {
	srv := zoomtest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		name  string
		op    zoomusers.OperationID
		n     int
		fault zoomtest.Fault
		want  string
	}{
		{"a misspelt operation", "usr", 1, zoomtest.Fault{Status: 500}, "zoomusers.Op"},
		{"a Go name instead of Zoom's", "UserCreate", 1, zoomtest.Fault{Status: 500}, "unknown operation"},
		{"no requests", zoomusers.OpUser, 0, zoomtest.Fault{Status: 500}, "want 1 or more"},
		{"a fault that does nothing", zoomusers.OpUser, 1, zoomtest.Fault{}, "changes nothing"},
		{"a success status", zoomusers.OpUser, 1, zoomtest.Fault{Status: 204}, "not an error"},
	} {
		for name, inject := range map[string]func(zoomusers.OperationID, int, zoomtest.Fault) error{"Inject": srv.Inject, "InjectEvery": srv.InjectEvery} {
			if err := inject(tc.op, tc.n, tc.fault); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s with %s: %v, want an error saying %q", name, tc.name, err, tc.want)
			}
		}
	}
	// Nothing was registered: every call succeeds.
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	for range 3 {
		if _, err := c.User(zoomtest.OwnerEmail).Get(context.Background(), nil); err != nil {
			t.Fatalf("a refused fault applied: %v", err)
		}
	}
	mustInject(t, srv.Inject(zoomtest.AnyOperation, 1, zoomtest.Fault{Status: 503}))
	if _, err := c.Summary(context.Background()); err == nil {
		t.Error("a fault for any operation did not apply to userSummary")
	}
}

func TestInjected429sLookLikeZooms(t *testing.T) {
	now := time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC)
	srv := zoomtest.NewServer(zoomtest.WithClock(func() time.Time { return now }))
	defer srv.Close()

	// A per-second limit: the operation's label and the default plan's (Pro) limit.
	mustInject(t, srv.Inject(zoomusers.OpUser, 1, zoomtest.Fault{Status: 429}))
	a := call(t, srv, "GET", "/users/"+zoomtest.OwnerEmail, "", nil)
	h := a.header
	if a.status != 429 || a.zoom.Code != 429 || h.Get("X-RateLimit-Category") != "Light" || h.Get("X-RateLimit-Type") != "QPS" ||
		h.Get("X-RateLimit-Limit") != "30" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("Retry-After") != "" {
		t.Errorf("injected QPS 429: %d %s %v", a.status, a.body, h)
	}
	mustInject(t, srv.Inject(zoomusers.OpUsers, 1, zoomtest.Fault{Status: 429}))
	if a := call(t, srv, "GET", "/users", "", nil); a.header.Get("X-RateLimit-Category") != "Medium" || a.header.Get("X-RateLimit-Limit") != "20" {
		t.Errorf("injected QPS 429 on a Medium operation: %v", a.header)
	}

	// A daily limit: Retry-After is the next UTC midnight as a date-time.
	mustInject(t, srv.Inject(zoomusers.OpUserSummary, 1, zoomtest.Fault{DailyLimit: true}))
	a = call(t, srv, "GET", "/users/summary", "", nil)
	h = a.header
	if a.status != 429 || h.Get("X-RateLimit-Type") != "Daily-limit" || h.Get("Retry-After") != "2026-05-05T00:00:00Z" ||
		h.Get("X-RateLimit-Category") != "Medium" || h.Get("X-RateLimit-Limit") != "" {
		t.Errorf("injected daily 429 on Pro: %d %v", a.status, h)
	}
	free := zoomtest.NewServer(zoomtest.WithPlan(zoomusers.PlanFree), zoomtest.WithClock(func() time.Time { return now }))
	defer free.Close()
	mustInject(t, free.Inject(zoomusers.OpUser, 1, zoomtest.Fault{DailyLimit: true}))
	if a := call(t, free, "GET", "/users/me", "", nil); a.header.Get("X-RateLimit-Limit") != "6000" {
		t.Errorf("injected daily 429 on Free's Light cap: %v", a.header)
	}

	// The client reads them as Zoom's: it retries the per-second one and not the daily one.
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.DefaultRetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	ctx := context.Background()
	mustInject(t, srv.Inject(zoomusers.OpUserPermission, 2, zoomtest.Fault{Status: 429}))
	if _, err := c.User(zoomtest.OwnerEmail).Permissions(ctx); err != nil || srv.Requests(zoomusers.OpUserPermission) != 1 {
		t.Errorf("through two per-second 429s: %v, %d requests handled", err, srv.Requests(zoomusers.OpUserPermission))
	}
	mustInject(t, srv.Inject(zoomusers.OpUserPermission, 1, zoomtest.Fault{DailyLimit: true}))
	_, err := c.User(zoomtest.OwnerEmail).Permissions(ctx)
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || !zerr.DailyLimit() || !zerr.RetryAfter.Equal(time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC)) || zerr.RateLimit.Category != "Light" {
		t.Errorf("a daily 429: %v, want the daily limit until midnight", err)
	}
	if _, err := c.User(zoomtest.OwnerEmail).Permissions(ctx); err != nil {
		t.Errorf("the daily fault applied twice: %v", err)
	}
}

func TestDefaultPlanIsPro(t *testing.T) {
	now := time.Date(2026, 5, 4, 15, 30, 0, 0, time.UTC) // a frozen clock: one per-second window
	srv := zoomtest.NewServer(zoomtest.WithClock(func() time.Time { return now }))
	defer srv.Close()
	c := newClient(t, srv, zoomusers.WithRetryPolicy(zoomusers.NoRetries))
	ctx := context.Background()
	for i := range 20 { // Pro allows 20 Medium requests a second (Free 2, Business 60)
		if _, err := c.Summary(ctx); err != nil {
			t.Fatalf("Medium request %d: %v", i+1, err)
		}
	}
	_, err := c.Summary(ctx)
	var zerr *zoomusers.Error
	if !errors.As(err, &zerr) || zerr.RateLimit.Type != "QPS" || zerr.RateLimit.Limit != 20 {
		t.Errorf("the 21st Medium request in a second: %v, want a QPS 429 with limit 20", err)
	}
	for i := range 1500 { // Pro creates 1,500 users a day with action=create
		if i%25 == 0 {
			now = now.Add(time.Second)
		}
		if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
			UserInfo: zoomusers.NewUser{Email: fmt.Sprintf("new%d@example.com", i), Type: zoomusers.UserTypeBasic}}); err != nil {
			t.Fatalf("create %d: %v", i+1, err)
		}
	}
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "one-more@example.com", Type: zoomusers.UserTypeBasic}}); !errors.As(err, &zerr) || !zerr.DailyLimit() || zerr.RateLimit.Limit != 1500 {
		t.Errorf("create 1,501: %v, want the daily cap of 1,500", err)
	}
}
