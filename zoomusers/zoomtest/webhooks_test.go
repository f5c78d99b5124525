package zoomtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/webhook"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

const hookSecret = "hook-secret"

// inbox is a receiver built on package webhook, recording the events it verified.
type inbox struct {
	url    string
	mu     sync.Mutex
	events []*webhook.Event
	fail   atomic.Int32 // answer 500 to this many more events
}

func newInbox(t *testing.T, secrets ...string) *inbox {
	t.Helper()
	if len(secrets) == 0 {
		secrets = []string{hookSecret}
	}
	in := &inbox{}
	h, err := webhook.NewHandler(func(_ context.Context, e *webhook.Event) error {
		if in.fail.Add(-1) >= 0 {
			return fmt.Errorf("receiver down")
		}
		in.mu.Lock()
		defer in.mu.Unlock()
		in.events = append(in.events, e)
		return nil
	}, webhook.HandlerOptions{Options: webhook.Options{Secrets: secrets}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	in.url = srv.URL
	return in
}

// about lists "type detail" for the events about user id, in arrival order.
func (in *inbox) about(id string) []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	var out []string
	for _, e := range in.events {
		if e.UserID() == id {
			out = append(out, describe(e))
		}
	}
	return out
}

func describe(e *webhook.Event) string {
	switch d := e.Data.(type) {
	case *webhook.UserCreated:
		return fmt.Sprintf("created %s %s by %s", d.CreationType, d.User.Email, e.Operator)
	case *webhook.UserUpdated:
		if d.Operation != "" {
			return "updated " + d.Operation
		}
		var parts []string
		for _, k := range d.Changed {
			parts = append(parts, fmt.Sprintf("%s:%s>%s", k, d.Old.Fields[k], d.User.Fields[k]))
		}
		return "updated " + strings.Join(parts, " ")
	case *webhook.UserSettingsUpdated:
		now, _ := json.Marshal(d.Settings)
		old, _ := json.Marshal(d.OldSettings)
		return fmt.Sprintf("settings %s was %s", now, old)
	case *webhook.UserPresenceStatusUpdated:
		return "presence " + d.Status
	case *webhook.UserDeactivated:
		return "deactivated " + d.User.Email
	case *webhook.UserActivated:
		return "activated " + d.User.Email
	case *webhook.UserInvitationAccepted:
		return "accepted " + d.User.Email
	case *webhook.UserDisassociated:
		return "disassociated " + d.User.Email
	case *webhook.UserDeleted:
		return "deleted " + d.User.Email
	}
	return "unexpected " + e.Type
}

func flush(t *testing.T, srv *zoomtest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.FlushWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestWebhooksForEveryChange(t *testing.T) {
	in := newInbox(t)
	srv := zoomtest.NewServer(zoomtest.WithUsers(2), zoomtest.WithPlan(zoomusers.PlanBusiness), zoomtest.WithWebhook(in.url, hookSecret))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "nia@example.com", FirstName: zoomusers.Ptr("Nia"), Type: zoomusers.UserTypeLicensed}})
	must(err)
	u := c.User("nia@example.com")
	must(u.Update(ctx, zoomusers.UserUpdate{Dept: zoomusers.Ptr("Sales"), FirstName: zoomusers.Ptr("Nia")}, nil)) // first_name unchanged
	must(u.UpdateEmail(ctx, "nia.k@example.com"))
	u = c.User("nia.k@example.com")
	must(u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate))
	must(u.SetStatus(ctx, zoomusers.UserStatusActionActivate))
	must(u.SetStatus(ctx, zoomusers.UserStatusActionClockIn)) // no event
	var settings zoomusers.SettingsChange
	must(json.Unmarshal([]byte(`{"in_meeting":{"chat":false}}`), &settings))
	must(u.UpdateSettings(ctx, settings))
	must(u.SetPresenceStatus(ctx, zoomusers.PresenceStatusUpdate{Status: "Away"}))
	must(u.SetPassword(ctx, "Sunny-Day-2026"))
	must(u.RevokeSSOToken(ctx))
	_, err = c.BulkUpdateFeature(ctx, zoomusers.BulkFeatureUpdate{FeatureType: "user_type", FeatureValue: "1", Users: []zoomusers.UserRef{{Email: zoomusers.Ptr("nia.k@example.com")}}})
	must(err)
	must(u.Update(ctx, zoomusers.UserUpdate{Dept: zoomusers.Ptr("Sales")}, nil)) // nothing changes: no event
	must(u.Delete(ctx, &zoomusers.DeleteUserParams{Action: zoomusers.DeleteActionDelete}))
	flush(t, srv)

	want := []string{
		"created autoCreate nia@example.com by " + zoomtest.OwnerEmail,
		`updated dept:null>"Sales"`,
		`updated email:"nia@example.com">"nia.k@example.com"`,
		"deactivated nia.k@example.com",
		"activated nia.k@example.com",
		`settings {"in_meeting":{"chat":false}} was {"in_meeting":{"chat":true}}`,
		"presence Away",
		"updated change_password",
		"updated sign_out_from_all_devices",
		"updated type:2>1",
		"deleted nia.k@example.com",
	}
	got := in.about(*created.ID)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Every event was delivered at the first attempt, after the validation.
	ds := srv.WebhookDeliveries()
	if len(ds) != len(want)+1 || ds[0].Event != webhook.EventURLValidation || !ds[0].Delivered {
		t.Fatalf("%d deliveries, first %+v", len(ds), ds[0])
	}
	for _, d := range ds[1:] {
		if !d.Delivered || len(d.Attempts) != 1 || d.Attempts[0].Status != 200 || d.UserID != *created.ID || d.URL != in.url {
			t.Errorf("delivery %+v", d)
		}
	}
}

func TestWebhookInvitationAndDisassociation(t *testing.T) {
	in := newInbox(t)
	srv := zoomtest.NewServer(zoomtest.WithWebhook(in.url, hookSecret))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	ctx := context.Background()
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "pending@example.com", Type: zoomusers.UserTypeBasic}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.AcceptInvitation("pending@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := srv.AcceptInvitation("pending@example.com"); err == nil {
		t.Error("accepted twice")
	}
	if u, err := c.User("pending@example.com").Get(ctx, nil); err != nil || *u.Status != zoomusers.UserStatusActive {
		t.Errorf("after acceptance: %v %+v", err, u)
	}
	if err := c.User("pending@example.com").Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	want := "created create pending@example.com by owner@example.com,accepted pending@example.com,disassociated pending@example.com"
	if got := strings.Join(in.about(*created.ID), ","); got != want {
		t.Errorf("events %s\nwant %s", got, want)
	}
}

func TestWebhookRetriesAndOrder(t *testing.T) {
	in := newInbox(t)
	in.fail.Store(2) // the first event fails twice, then goes through on the second retry
	srv := zoomtest.NewServer(zoomtest.WithUsers(3), zoomtest.WithWebhook(in.url, hookSecret),
		zoomtest.WithWebhookRetries(5*time.Millisecond, 5*time.Millisecond, 5*time.Millisecond))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	ctx := context.Background()
	u := c.User("u1@example.com")
	for _, dept := range []string{"A", "B", "C"} {
		if err := u.Update(ctx, zoomusers.UserUpdate{Dept: &dept}, nil); err != nil {
			t.Fatal(err)
		}
	}
	flush(t, srv)
	st, _ := srv.UserState("u1@example.com")
	// The failed first event held back the later ones for the same user.
	want := `updated dept:null>"A",updated dept:"A">"B",updated dept:"B">"C"`
	if got := strings.Join(in.about(*st.Profile.ID), ","); got != want {
		t.Errorf("events %s\nwant %s", got, want)
	}
	ds := srv.WebhookDeliveries()[1:]
	var statuses []int
	for _, a := range ds[0].Attempts {
		statuses = append(statuses, a.Status)
	}
	if fmt.Sprint(statuses) != "[500 500 200]" || !ds[0].Delivered || len(ds[1].Attempts) != 1 || !ds[0].Attempts[2].At.After(ds[0].Attempts[0].At) {
		t.Errorf("first delivery %+v", ds[0])
	}
}

func TestWebhookGivesUpAfterRetries(t *testing.T) {
	var hits atomic.Int32
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(webhook.EventURLValidation)) {
			// Pass validation properly, then fail every event.
			ev, err := webhook.ConstructEvent(body, r.Header, webhook.Options{Secrets: []string{hookSecret}})
			if err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			var p struct{ PlainToken string }
			json.Unmarshal(ev.Payload, &p)
			json.NewEncoder(w).Encode(map[string]string{"plainToken": p.PlainToken, "encryptedToken": webhook.EncryptToken(hookSecret, p.PlainToken)})
			return
		}
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer down.Close()
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithWebhook(down.URL, hookSecret), zoomtest.WithWebhookRetries(time.Millisecond, time.Millisecond))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	if err := c.User("u0@example.com").SetStatus(context.Background(), zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	ds := srv.WebhookDeliveries()
	if len(ds) != 2 || ds[1].Delivered || len(ds[1].Attempts) != 3 || hits.Load() != 3 || !strings.Contains(ds[1].Err, "3 attempts") {
		t.Errorf("%d hits; deliveries %+v", hits.Load(), ds)
	}
}

func TestWebhookValidation(t *testing.T) {
	ctx := context.Background()
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)

	// A receiver with the wrong secret refuses the validation (401): not added.
	wrong := newInbox(t, "some-other-secret")
	if err := srv.AddWebhook(ctx, wrong.url, hookSecret); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong secret: %v", err)
	}
	// An endpoint that answers 200 without the token fails too.
	lazy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer lazy.Close()
	if err := srv.AddWebhook(ctx, lazy.URL, hookSecret); err == nil || !strings.Contains(err.Error(), "plainToken") {
		t.Errorf("no token: %v", err)
	}
	// The right receiver, added late, with the old secret as well (rotation).
	good := newInbox(t, "new-secret", hookSecret)
	if err := srv.AddWebhook(ctx, good.url, hookSecret); err != nil {
		t.Fatal(err)
	}
	if err := c.User("u0@example.com").SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	if got := len(good.about(mustID(t, srv, "u0@example.com"))); got != 1 {
		t.Errorf("good receiver got %d events", got)
	}
	if len(wrong.events) != 0 {
		t.Errorf("the endpoint that failed validation got %d events", len(wrong.events))
	}
	var events int
	for _, d := range srv.WebhookDeliveries() {
		if d.Event != webhook.EventURLValidation {
			events++
			if d.URL != good.url {
				t.Errorf("delivery to %s", d.URL)
			}
		}
	}
	if events != 1 {
		t.Errorf("%d event deliveries", events)
	}

	// WithWebhook to an endpoint failing validation: events are recorded, not sent.
	srv2 := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithWebhook(wrong.url, hookSecret))
	defer srv2.Close()
	c2, _ := zoomusers.New(srv2.ClientOptions()...)
	if err := c2.User("u0@example.com").SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatal(err)
	}
	flush(t, srv2)
	ds := srv2.WebhookDeliveries()
	if len(ds) != 2 || ds[0].Delivered || ds[1].Delivered || len(ds[1].Attempts) != 0 || !strings.Contains(ds[1].Err, "URL validation") {
		t.Errorf("deliveries %+v", ds)
	}
}

func TestWebhookSignaturesAreZooms(t *testing.T) {
	// A raw receiver checks each request as Zoom's docs describe, without package webhook.
	var bad atomic.Int32
	var n atomic.Int32
	raw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts := r.Header.Get("x-zm-request-timestamp")
		if r.Header.Get("x-zm-signature") != "v0="+webhook.EncryptToken(hookSecret, "v0:"+ts+":"+string(body)) {
			bad.Add(1)
		}
		n.Add(1)
		var env struct {
			Event   string
			Payload struct{ PlainToken string }
		}
		json.Unmarshal(body, &env)
		if env.Event == webhook.EventURLValidation {
			json.NewEncoder(w).Encode(map[string]string{"plainToken": env.Payload.PlainToken, "encryptedToken": webhook.EncryptToken(hookSecret, env.Payload.PlainToken)})
		}
	}))
	defer raw.Close()
	srv := zoomtest.NewServer(zoomtest.WithUsers(1), zoomtest.WithWebhook(raw.URL, hookSecret))
	defer srv.Close()
	c, _ := zoomusers.New(srv.ClientOptions()...)
	if err := c.User("u0@example.com").SetPresenceStatus(context.Background(), zoomusers.PresenceStatusUpdate{Status: "Away"}); err != nil {
		t.Fatal(err)
	}
	flush(t, srv)
	if n.Load() != 2 || bad.Load() != 0 {
		t.Errorf("%d requests, %d badly signed", n.Load(), bad.Load())
	}
}

func TestWebhookFlushHonoursContext(t *testing.T) {
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer slow.Close()
	defer close(block)
	srv := zoomtest.NewServer(zoomtest.WithWebhook(slow.URL, hookSecret))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.FlushWebhooks(ctx); err == nil || !strings.Contains(err.Error(), "pending") {
		t.Errorf("Flush = %v, want a timeout naming the pending deliveries", err)
	}
}

func mustID(t *testing.T, srv *zoomtest.Server, email string) string {
	t.Helper()
	st, ok := srv.UserState(email)
	if !ok {
		t.Fatalf("no user %s", email)
	}
	return *st.Profile.ID
}
