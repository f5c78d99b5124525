package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

func TestDirsyncFollowsZoom(t *testing.T) {
	ctx := context.Background()
	fake := zoomtest.NewServer(zoomtest.WithUsers(4), zoomtest.WithWebhookRetries(time.Millisecond, 5*time.Millisecond, 20*time.Millisecond))
	defer fake.Close()
	c, _ := zoomusers.New(fake.ClientOptions()...)
	dir, err := Load(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	// The directory's store is down for the first two events: Zoom (the fake) retries.
	var outage atomic.Int32
	outage.Store(2)
	h, err := webhook.NewHandler(func(ctx context.Context, ev *webhook.Event) error {
		if outage.Add(-1) >= 0 {
			return errors.New("directory store unavailable")
		}
		return dir.Handle(ctx, ev)
	}, webhook.HandlerOptions{Options: webhook.Options{Secrets: []string{"tok"}}, Dedupe: webhook.NewMemoryDeduper(0), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	recv := httptest.NewServer(h)
	defer recv.Close()
	if err := fake.AddWebhook(ctx, recv.URL, "tok"); err != nil {
		t.Fatal(err)
	}

	first, dept := "Ada", "R&D"
	steps := []func() error{
		func() error {
			_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
				UserInfo: zoomusers.NewUser{Email: "ada@example.com", FirstName: &first, Type: zoomusers.UserTypeLicensed}})
			return err
		},
		func() error { return c.User("ada@example.com").Update(ctx, zoomusers.UserUpdate{Dept: &dept}, nil) },
		func() error { return c.User("u1@example.com").SetStatus(ctx, zoomusers.UserStatusActionDeactivate) },
		func() error { return c.User("u2@example.com").UpdateEmail(ctx, "u2.moved@example.com") },
		func() error { return c.User("u3@example.com").Delete(ctx, nil) },
		func() error {
			_, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
				UserInfo: zoomusers.NewUser{Email: "invitee@example.com", Type: zoomusers.UserTypeBasic}})
			return err
		},
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	if err := fake.AcceptInvitation("invitee@example.com"); err != nil {
		t.Fatal(err)
	}
	flushCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := fake.FlushWebhooks(flushCtx); err != nil {
		t.Fatal(err)
	}

	// The directory now matches what the API says, user for user.
	want, err := Load(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if got, exp := render(dir), render(want); got != exp {
		t.Errorf("directory:\n%s\nZoom says:\n%s", got, exp)
	}
	for _, s := range []string{"ada@example.com Ada R&D active", "u1@example.com User1 Example  inactive", "u2.moved@example.com", "invitee@example.com   active"} {
		if !strings.Contains(render(dir), s) {
			t.Errorf("directory lacks %q:\n%s", s, render(dir))
		}
	}
	if strings.Contains(render(dir), "u3@example.com") {
		t.Errorf("deleted user still listed:\n%s", render(dir))
	}
	var retried int
	for _, d := range fake.WebhookDeliveries() {
		if !d.Delivered {
			t.Errorf("undelivered: %+v", d)
		}
		if len(d.Attempts) > 1 {
			retried++
		}
	}
	if retried == 0 {
		t.Error("no delivery was retried, yet the store failed twice")
	}

	// A late copy of an event older than what the directory holds for Ada changes nothing.
	st, _ := fake.UserState("ada@example.com")
	old := fmt.Sprintf(`{"event":"user.updated","event_ts":%d,"payload":{"account_id":"x","object":{"id":%q,"dept":"Old"},"old_object":{"id":%q,"dept":""}}}`,
		time.Now().Add(-time.Hour).UnixMilli(), *st.Profile.ID, *st.Profile.ID)
	req, _ := http.NewRequest(http.MethodPost, recv.URL, strings.NewReader(old))
	for k, v := range webhook.Sign("tok", time.Now(), []byte(old)) {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(render(dir), "Ada R&D") {
		t.Errorf("late event: %d\n%s", resp.StatusCode, render(dir))
	}
}

func render(d *Directory) string {
	var b strings.Builder
	for _, e := range d.Entries() {
		state := "active"
		if !e.Active {
			state = "inactive"
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", e.Email, e.Name, e.Dept, state)
	}
	return b.String()
}

func TestDemo(t *testing.T) {
	var out bytes.Buffer
	if err := demo(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, s := range []string{"grace@example.com", "u2.new@example.com", "inactive"} {
		if !strings.Contains(got, s) {
			t.Errorf("demo output lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "u0@example.com") {
		t.Errorf("deleted user listed:\n%s", got)
	}
}
