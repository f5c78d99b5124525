package zoomtest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/zoomkit/go-zoomusers/zoomusers"
	"github.com/zoomkit/go-zoomusers/zoomusers/zoomtest"
)

// TestPendingUserChangesSucceedUnapplied: create then configure, as a provisioning job
// does; while the invitation is live every change succeeds and the read-back shows none
// of them (ZOOM_FACTS.md "Behaviour seen in the field").
func TestPendingUserChangesSucceedUnapplied(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "new@example.com", Type: zoomusers.UserTypeLicensed, FirstName: zoomusers.Ptr("Before")}}); err != nil {
		t.Fatal(err)
	}
	u := c.User("new@example.com")
	if err := u.Update(ctx, zoomusers.UserUpdate{FirstName: zoomusers.Ptr("After"), JobTitle: zoomusers.Ptr("Engineer")}, nil); err != nil {
		t.Fatalf("update of a pending user: %v, want success", err)
	}
	if err := u.UpdateSettings(ctx, hostVideoOn); err != nil {
		t.Fatalf("settings change of a pending user: %v, want success", err)
	}
	if err := u.SetStatus(ctx, zoomusers.UserStatusActionDeactivate); err != nil {
		t.Fatalf("deactivate a pending user: %v, want success", err)
	}
	got, err := u.Get(ctx, nil)
	if err != nil {
		t.Fatalf("get a pending user: %v", err)
	}
	if got.GetFirstName() != "Before" || got.GetJobTitle() != "" || got.GetStatus() != zoomusers.UserStatusPending {
		t.Errorf("read back: first name %q, job title %q, status %s; want nothing changed", got.GetFirstName(), got.GetJobTitle(), got.GetStatus())
	}
	settings, err := u.Settings(ctx, nil)
	if err != nil {
		t.Fatalf("settings of a pending user: %v", err)
	}
	if on := settings.ScheduleMeeting.GetHostVideo(); on {
		t.Error("read back: host_video is on; the settings change of a pending user was applied")
	}

	// Accepted, the same changes apply.
	if err := srv.AcceptInvitation("new@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := u.Update(ctx, zoomusers.UserUpdate{FirstName: zoomusers.Ptr("After")}, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := u.Get(ctx, nil); got.GetFirstName() != "After" {
		t.Errorf("after acceptance: first name %q, want After", got.GetFirstName())
	}
}

// TestExpiredInvitation1120: only an expired invitation gets 1120, on the operations whose
// 1120 Zoom's 2021 spec documents.
func TestExpiredInvitation1120(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	if _, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "late@example.com", Type: zoomusers.UserTypeBasic}}); err != nil {
		t.Fatal(err)
	}
	if err := srv.ExpireInvitation("u0@example.com"); err == nil {
		t.Error("ExpireInvitation of a user who is not pending succeeded")
	}
	u := c.User("late@example.com")
	if _, err := u.Get(ctx, nil); err != nil {
		t.Fatalf("get with a live invitation: %v", err)
	}
	if err := srv.ExpireInvitation("late@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := srv.AcceptInvitation("late@example.com"); err == nil {
		t.Error("an expired invitation was accepted")
	}
	is1120 := func(what string, err error) {
		t.Helper()
		var zerr *zoomusers.Error
		if !errors.As(err, &zerr) || zerr.Code != 1120 {
			t.Errorf("%s with an expired invitation: %v, want code 1120", what, err)
		}
	}
	_, err := u.Get(ctx, nil)
	is1120("get", err)
	is1120("update", u.Update(ctx, zoomusers.UserUpdate{JobTitle: zoomusers.Ptr("x")}, nil))
	_, err = u.Settings(ctx, nil)
	is1120("settings", err)
	is1120("settings change", u.UpdateSettings(ctx, hostVideoOn))
	is1120("delete", u.Delete(ctx, nil))
	// userStatus documents no 1120: success, nothing applied.
	if err := u.SetStatus(ctx, zoomusers.UserStatusActionActivate); err != nil {
		t.Errorf("status change with an expired invitation: %v, want success", err)
	}
	if st, _ := srv.UserState("late@example.com"); *st.Profile.Status != zoomusers.UserStatusPending {
		t.Errorf("status %s, want pending", *st.Profile.Status)
	}
}

var hostVideoOn = zoomusers.SettingsChange{ScheduleMeeting: &zoomusers.UserSettingsScheduleMeetingChange{HostVideo: zoomusers.Ptr(true)}}

// TestPendingUserIDOnlyMissingFromLists: ZOOM_FACTS.md "Behaviour seen in the field": a
// pending user has no id in list answers, and get (by email or by ID) answers with one.
// Once the invitation is accepted, the listing shows the ID too.
func TestPendingUserIDOnlyMissingFromLists(t *testing.T) {
	srv := zoomtest.NewServer(zoomtest.WithoutRateLimits())
	defer srv.Close()
	c := newClient(t, srv)
	ctx := context.Background()
	created, err := c.CreateUser(ctx, zoomusers.CreateUserRequest{Action: zoomusers.CreateUserActionCreate,
		UserInfo: zoomusers.NewUser{Email: "new@example.com", Type: zoomusers.UserTypeBasic}})
	if err != nil || created.GetID() == "" {
		t.Fatalf("create: %v, id %q", err, created.GetID())
	}
	for _, ref := range []string{"new@example.com", created.GetID()} {
		got, err := c.User(ref).Get(ctx, nil)
		if err != nil || got.GetID() != created.GetID() {
			t.Errorf("get %s: %v, id %q; want %q", ref, err, got.GetID(), created.GetID())
		}
	}
	listed := func(status zoomusers.UserStatus) *zoomusers.User {
		t.Helper()
		for u, err := range c.ListUsers(ctx, &zoomusers.ListUsersParams{Status: status}).All() {
			if err != nil {
				t.Fatal(err)
			}
			if u.GetEmail() == "new@example.com" {
				return &u
			}
		}
		t.Fatalf("new@example.com not listed as %s", status)
		return nil
	}
	if u := listed(zoomusers.UserStatusPending); u.ID != nil {
		t.Errorf("pending user listed with id %q, want none", *u.ID)
	}
	if err := srv.AcceptInvitation("new@example.com"); err != nil {
		t.Fatal(err)
	}
	if u := listed(zoomusers.UserStatusActive); u.GetID() != created.GetID() {
		t.Errorf("accepted user listed with id %q, want %q", u.GetID(), created.GetID())
	}
}
