package zoomtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestCloseWaitsForDeliveries: Close returns once the deliveries in flight have ended,
// so that nothing of the fake outlives it; an unstarted fake closes too.
func TestCloseWaitsForDeliveries(t *testing.T) {
	zoomtest.NewUnstarted(zoomtest.WithWebhook("http://127.0.0.1:1/", "s")).Close()

	stalled := make(chan struct{})
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A receiver that never answers: the fake's validation request stays in flight.
		select {
		case <-stalled:
		case <-r.Context().Done():
		}
	}))
	defer recv.Close()
	defer close(stalled)
	srv := zoomtest.NewServer(zoomtest.WithWebhook(recv.URL, "s"), zoomtest.WithWebhookTimeout(time.Minute))
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateUser(context.Background(), zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionAutoCreate,
		UserInfo: zoomusers.NewUser{Email: "nia@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	for _, d := range srv.WebhookDeliveries() {
		if !d.Delivered && d.Err == "" {
			t.Errorf("Close returned with a delivery still in flight: %+v", d)
		}
	}
}

// TestUnknownAuthenticationOptionChangesNothing: Zoom documents no refusal of an update
// naming an authentication option the user does not have, so the fake accepts it: the
// option list stays as it was, and the switch sent with it is applied.
func TestUnknownAuthenticationOptionChangesNothing(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithUsers(1))
	defer srv.Close()
	c, err := zoomusers.New(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	u := c.User("u0@example.com")
	before, err := u.MeetingAuthentication(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []zoomusers.AuthenticationOptionUpdateAction{zoomusers.AuthenticationOptionUpdateActionUpdate, zoomusers.AuthenticationOptionUpdateActionShow} {
		err = u.UpdateMeetingAuthentication(context.Background(), zoomusers.MeetingAuthUpdate{
			MeetingAuthentication: zoomusers.Ptr(!before.MeetingAuthentication),
			AuthenticationOption:  &zoomusers.AuthenticationOptionUpdate{Action: zoomusers.Ptr(action), ID: zoomusers.Ptr("nope")},
		})
		if err != nil {
			t.Fatalf("%s of an unknown option: %v, want success", action, err)
		}
	}
	after, err := u.MeetingAuthentication(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.MeetingAuthentication == before.MeetingAuthentication || len(deref(after.AuthenticationOptions)) != len(deref(before.AuthenticationOptions)) {
		t.Errorf("after: switch %v (was %v), %d options (were %d)", after.MeetingAuthentication, before.MeetingAuthentication, len(deref(after.AuthenticationOptions)), len(deref(before.AuthenticationOptions)))
	}
}

// deref is *p, or the zero value when p is nil.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
