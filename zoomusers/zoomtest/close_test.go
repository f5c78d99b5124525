package zoomtest_test

import (
	"context"
	"errors"
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

// TestRefusedAuthenticationChangeChangesNothing: an update naming an authentication
// option that does not exist is refused, and the switch sent with it is not applied.
func TestRefusedAuthenticationChangeChangesNothing(t *testing.T) {
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
	err = u.UpdateMeetingAuthentication(context.Background(), zoomusers.MeetingAuthUpdate{
		MeetingAuthentication: zoomusers.Ptr(!before.MeetingAuthentication),
		AuthenticationOption:  &zoomusers.AuthenticationOptionUpdate{Action: zoomusers.Ptr(zoomusers.AuthenticationOptionUpdateActionUpdate), ID: zoomusers.Ptr("nope")},
	})
	if !errors.Is(err, zoomusers.ErrNotFound) {
		t.Fatalf("update with an unknown option: %v, want not found", err)
	}
	after, err := u.MeetingAuthentication(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if after.MeetingAuthentication != before.MeetingAuthentication {
		t.Errorf("meeting_authentication changed from %v to %v by a refused request", before.MeetingAuthentication, after.MeetingAuthentication)
	}
}
